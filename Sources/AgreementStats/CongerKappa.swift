/// Conger's kappa (1980): Cohen's kappa generalised to many raters, chance from each rater's own margins.
///
/// With p_gk the share of rater g's ratings in category k, pbar_k their mean over the r raters, and
/// s2_kl = sum_g (p_gk - pbar_k)(p_gl - pbar_l) / (r - 1): `pe = sum_kl w_kl (pbar_k pbar_l - s2_kl / r)`,
/// `kappa = (pa - pe) / (1 - pe)` with `pa` from ``ObservedAgreement``. Two raters and no missing data give
/// Cohen's kappa.
///
/// - Complexity: O(rows x raters + raters x q^2).
public enum CongerKappa {
    public static func compute(_ data: RatingData, multiplicity: [Double]? = nil) -> Estimate {
        let w = multiplicity ?? data.multiplicity
        let q = data.categoryCount, r = data.raterCount
        let identity = AgreementWeights.identity(count: q)
        guard let pa = ObservedAgreement.pa(data, multiplicity: w, weights: identity) else {
            return .undefined(ObservedAgreement.noPairs)
        }
        var classified = [[Double]](repeating: [Double](repeating: 0, count: q), count: r)
        for p in 0..<data.patternCount where w[p] > 0 {
            for g in 0..<r {
                let value = data.patterns[p * r + g]
                if value >= 0 { classified[g][Int(value)] += w[p] }
            }
        }
        let shares = classified.compactMap { row -> [Double]? in
            let total = row.reduce(0, +)
            return total > 0 ? row.map { $0 / total } : nil
        }
        let raters = Double(shares.count)
        guard raters >= 2 else { return .undefined("fewer than two raters gave ratings") }
        let mean = (0..<q).map { k in shares.reduce(0) { $0 + $1[k] } / raters }
        var pe = 0.0
        for k in 0..<q {
            for l in 0..<q where identity.matrix[k][l] != 0 {
                let covariance = shares.reduce(0) { $0 + ($1[k] - mean[k]) * ($1[l] - mean[l]) } / (raters - 1)
                pe += identity.matrix[k][l] * (mean[k] * mean[l] - covariance / raters)
            }
        }
        return .chanceCorrected(observed: pa, chance: pe, else: "every rating is in one category, so chance agreement is 1")
    }
}
