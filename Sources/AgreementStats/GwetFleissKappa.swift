/// Fleiss' kappa generalised to missing data (Gwet 2014): items may have any number of ratings.
///
/// `kappa = (pa - pe) / (1 - pe)` with `pa` from ``ObservedAgreement`` (items with two or more ratings) and
/// `pe = sum_k pi_k^2`, pi_k the mean share of category k over items with at least one rating.
/// It equals Fleiss' kappa when every item has the same number of ratings.
///
/// - Complexity: O(rows x q).
public enum GwetFleissKappa {
    public static func compute(_ data: RatingData, multiplicity: [Double]? = nil) -> Estimate {
        let w = multiplicity ?? data.multiplicity
        guard let pa = ObservedAgreement.pa(data, multiplicity: w, weights: .identity(count: data.categoryCount)),
            let shares = ObservedAgreement.categoryShares(data, multiplicity: w)
        else { return .undefined(ObservedAgreement.noPairs) }
        let pe = shares.reduce(0) { $0 + $1 * $1 }
        return .chanceCorrected(observed: pa, chance: pe, else: "every rating is in one category, so chance agreement is 1")
    }
}
