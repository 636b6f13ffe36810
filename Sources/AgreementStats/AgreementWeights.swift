/// Agreement weights between categories: 1 on the diagonal, less for categories further apart.
///
/// On the declared scale with values x (min m, max M): linear `1 - |xi - xj| / (M - m)`, quadratic
/// `1 - (xi - xj)^2 / (M - m)^2`; identity for nominal data.
///
///     AgreementWeights.linear(values: [1, 2, 3]).matrix   // [[1, 0.5, 0], [0.5, 1, 0.5], [0, 0.5, 1]]
public struct AgreementWeights: Equatable, Sendable {
    public enum Kind: String, Sendable { case identity, linear, quadratic }

    public let kind: Kind
    /// Row-major q x q.
    public let matrix: [[Double]]

    public static func identity(count: Int) -> AgreementWeights {
        AgreementWeights(kind: .identity, matrix: (0..<count).map { i in (0..<count).map { i == $0 ? 1 : 0 } })
    }

    public static func linear(values: [Double]) -> AgreementWeights {
        let span = (values.max() ?? 0) - (values.min() ?? 0)
        return AgreementWeights(kind: .linear, matrix: values.map { a in values.map { b in span == 0 ? (a == b ? 1 : 0) : 1 - abs(a - b) / span } })
    }

    public static func quadratic(values: [Double]) -> AgreementWeights {
        let span = (values.max() ?? 0) - (values.min() ?? 0)
        return AgreementWeights(kind: .quadratic, matrix: values.map { a in values.map { b in span == 0 ? (a == b ? 1 : 0) : 1 - (a - b) * (a - b) / (span * span) } })
    }

    /// The sum of all weights (Gwet's T_w).
    public var total: Double { matrix.reduce(0) { $0 + $1.reduce(0, +) } }
}
