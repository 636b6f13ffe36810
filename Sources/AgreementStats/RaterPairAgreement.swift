/// Agreement between two raters on the items both rated.
public struct RaterPairAgreement: Equatable, Sendable {
    public var raters: (String, String)
    public var itemsBothRated: Int
    public var percentAgreement: Estimate
    public var cohen: CohenKappa
    public var cohenLinear: Estimate
    public var cohenQuadratic: Estimate
    public var scottPi: Estimate

    public static func == (lhs: RaterPairAgreement, rhs: RaterPairAgreement) -> Bool {
        lhs.raters == rhs.raters && lhs.itemsBothRated == rhs.itemsBothRated && lhs.cohen == rhs.cohen
            && lhs.cohenLinear == rhs.cohenLinear && lhs.cohenQuadratic == rhs.cohenQuadratic && lhs.scottPi == rhs.scottPi
    }

    /// Every pair of raters, in rater order. Weighted kappas need an ordered `level`.
    ///
    /// - Complexity: O(raters^2 x (rows + q^2)).
    public static func all(_ data: RatingData, level: MeasurementLevel) -> [RaterPairAgreement] {
        let values = data.scaleValues
        let linear = AgreementWeights.linear(values: values)
        let quadratic = AgreementWeights.quadratic(values: values)
        var result: [RaterPairAgreement] = []
        for a in 0..<data.raterCount {
            for b in (a + 1)..<max(a + 1, data.raterCount) {
                let table = ContingencyTable(data, first: a, second: b)
                let ordered = level >= .ordinal
                let notOrdered = Estimate.undefined("weighted kappa needs an ordered scale (level ordinal or above)")
                result.append(
                    RaterPairAgreement(
                        raters: (data.raters[a], data.raters[b]), itemsBothRated: Int(table.total),
                        percentAgreement: table.percentAgreement, cohen: CohenKappa.compute(table),
                        cohenLinear: ordered ? CohenKappa.compute(table, weights: linear).kappa : notOrdered,
                        cohenQuadratic: ordered ? CohenKappa.compute(table, weights: quadratic).kappa : notOrdered,
                        scottPi: ScottPi.compute(table)))
            }
        }
        return result
    }
}
