import Foundation

/// Cohen's kappa for two raters, unweighted or weighted, with the large-sample standard errors of Fleiss,
/// Cohen and Everitt (1969), the form SAS's PROC FREQ reports.
///
/// With cell shares p_ij, margins p_i. and p_.j and weights w_ij: `Po = sum w_ij p_ij`,
/// `Pe = sum w_ij p_i. p_.j`, `kappa = (Po - Pe) / (1 - Pe)`. With wbar_i = sum_j p_.j w_ij and
/// wbar_j = sum_i p_i. w_ij:
/// `ASE^2 = [sum p_ij (w_ij - (wbar_i + wbar_j)(1 - kappa))^2 - (kappa - Pe (1 - kappa))^2] / (n (1 - Pe)^2)` and,
/// under kappa = 0, `ASE0^2 = [sum p_i. p_.j (w_ij - (wbar_i + wbar_j))^2 - Pe^2] / (n (1 - Pe)^2)`.
///
///     let k = CohenKappa.compute(ContingencyTable(cells: [[20, 5], [10, 15]]))
///     k.kappa.value   // 0.4
///
/// - Complexity: O(q^2).
public struct CohenKappa: Equatable, Sendable {
    public var kappa: Estimate
    /// Asymptotic standard error.
    public var ase: Double?
    /// Standard error under the null hypothesis kappa = 0.
    public var ase0: Double?
    /// kappa / ASE0.
    public var z: Double?
    /// Two-sided p-value of z.
    public var p: Double?

    public static func compute(_ table: ContingencyTable, weights: AgreementWeights? = nil) -> CohenKappa {
        let q = table.cells.count
        let w = weights?.matrix ?? AgreementWeights.identity(count: q).matrix
        let n = table.total
        guard n > 0 else { return CohenKappa(kappa: .undefined("no item was rated by both raters")) }
        let p = table.cells.map { $0.map { $0 / n } }
        let rows = table.rowTotals.map { $0 / n }
        let cols = table.columnTotals.map { $0 / n }
        var po = 0.0, pe = 0.0
        for i in 0..<q {
            for j in 0..<q {
                po += w[i][j] * p[i][j]
                pe += w[i][j] * rows[i] * cols[j]
            }
        }
        let kappa = Estimate.chanceCorrected(
            observed: po, chance: pe, else: "chance agreement is 1: both raters used a single category")
        guard let k = kappa.value else { return CohenKappa(kappa: kappa) }
        let rowBar = (0..<q).map { i in (0..<q).reduce(0) { $0 + cols[$1] * w[i][$1] } }
        let colBar = (0..<q).map { j in (0..<q).reduce(0) { $0 + rows[$1] * w[$1][j] } }
        var sum = 0.0, sum0 = 0.0
        for i in 0..<q {
            for j in 0..<q {
                let d = w[i][j] - (rowBar[i] + colBar[j]) * (1 - k)
                sum += p[i][j] * d * d
                let d0 = w[i][j] - (rowBar[i] + colBar[j])
                sum0 += rows[i] * cols[j] * d0 * d0
            }
        }
        let scale = n * (1 - pe) * (1 - pe)
        let variance = (sum - pow(k - pe * (1 - k), 2)) / scale
        let variance0 = (sum0 - pe * pe) / scale
        let ase = variance >= 0 ? sqrt(variance) : 0
        let ase0 = variance0 >= 0 ? sqrt(variance0) : 0
        let z = ase0 > 0 ? k / ase0 : nil
        return CohenKappa(kappa: kappa, ase: ase, ase0: ase0, z: z, p: z.map(NormalDistribution.twoSidedP))
    }

    init(kappa: Estimate, ase: Double? = nil, ase0: Double? = nil, z: Double? = nil, p: Double? = nil) {
        self.kappa = kappa
        self.ase = ase
        self.ase0 = ase0
        self.z = z
        self.p = p
    }
}
