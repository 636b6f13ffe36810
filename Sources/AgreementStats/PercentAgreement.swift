/// Raw agreement, not corrected for chance.
///
/// Pairwise (Fleiss's P-bar, generalised to missing data): the mean, over items with two or more ratings, of
/// the share of agreeing rater pairs, `sum_k n_ik (n_ik - 1) / (n_i (n_i - 1))`. Unanimous: the share of such
/// items on which every rating is the same.
///
///     // Items rated [a, a, a] and [a, a, b]: pairwise (1 + 1/3) / 2 = 0.667, unanimous 0.5.
///
/// - Complexity: O(rows x q).
public enum PercentAgreement {
    public static func pairwise(_ data: RatingData, multiplicity: [Double]? = nil) -> Estimate {
        let w = multiplicity ?? data.multiplicity
        let q = data.categoryCount
        var total = 0.0, items = 0.0
        for p in 0..<data.patternCount where w[p] > 0 && data.ratingsPerRow[p] >= 2 {
            let r = data.ratingsPerRow[p]
            var agreeing = 0.0
            for k in 0..<q {
                let n = data.counts[p * q + k]
                agreeing += n * (n - 1)
            }
            total += w[p] * agreeing / (r * (r - 1))
            items += w[p]
        }
        return .ratio(total, items, else: ObservedAgreement.noPairs)
    }

    public static func unanimous(_ data: RatingData, multiplicity: [Double]? = nil) -> Estimate {
        let w = multiplicity ?? data.multiplicity
        let q = data.categoryCount
        var unanimous = 0.0, items = 0.0
        for p in 0..<data.patternCount where w[p] > 0 && data.ratingsPerRow[p] >= 2 {
            let r = data.ratingsPerRow[p]
            if (0..<q).contains(where: { data.counts[p * q + $0] == r }) { unanimous += w[p] }
            items += w[p]
        }
        return .ratio(unanimous, items, else: ObservedAgreement.noPairs)
    }
}
