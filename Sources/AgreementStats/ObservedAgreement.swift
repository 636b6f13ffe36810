/// The observed agreement that Gwet's family of coefficients (AC1/AC2, Brennan-Prediger, Conger's and the
/// missing-data Fleiss' kappa) share, and the overall category shares they use for chance.
///
/// With r_i ratings on item i, r_ik of them in category k and r*_ik = sum_l w_kl r_il:
/// `pa = mean over items with r_i >= 2 of sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1))`, and
/// `pi_k = mean over items with r_i >= 1 of r_ik / r_i`.
///
/// - Complexity: O(rows x q^2).
enum ObservedAgreement {
    /// `pa`, or nil when no item has two ratings.
    static func pa(_ data: RatingData, multiplicity: [Double], weights: AgreementWeights) -> Double? {
        let q = data.categoryCount
        var total = 0.0, items = 0.0
        for p in 0..<data.patternCount where multiplicity[p] > 0 {
            let r = data.ratingsPerRow[p]
            guard r >= 2 else { continue }
            var sum = 0.0
            for k in 0..<q {
                let rk = data.counts[p * q + k]
                guard rk > 0 else { continue }
                var weighted = 0.0
                for l in 0..<q { weighted += weights.matrix[k][l] * data.counts[p * q + l] }
                sum += rk * (weighted - 1)
            }
            total += multiplicity[p] * sum / (r * (r - 1))
            items += multiplicity[p]
        }
        return items > 0 ? total / items : nil
    }

    /// `pi_k` over items with at least one rating, or nil when there are none.
    static func categoryShares(_ data: RatingData, multiplicity: [Double]) -> [Double]? {
        let q = data.categoryCount
        var shares = [Double](repeating: 0, count: q)
        var items = 0.0
        for p in 0..<data.patternCount where multiplicity[p] > 0 {
            let r = data.ratingsPerRow[p]
            guard r >= 1 else { continue }
            for k in 0..<q { shares[k] += multiplicity[p] * data.counts[p * q + k] / r }
            items += multiplicity[p]
        }
        return items > 0 ? shares.map { $0 / items } : nil
    }

    static let noPairs = "no item was rated by two or more raters"
}
