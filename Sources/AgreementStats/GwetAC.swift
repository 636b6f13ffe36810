/// Gwet's AC1 (nominal) and AC2 (weighted, for ordered scales), with missing data.
///
/// `AC = (pa - pe) / (1 - pe)` with `pa` from ``ObservedAgreement`` and
/// `pe = T_w / (q (q - 1)) * sum_k pi_k (1 - pi_k)`, T_w the sum of the weights and q the number of declared
/// categories. Unlike kappa it stays defined when everyone uses one category (then AC1 = pa = 1).
///
///     // Gwet's "abstractors" table [[13, 0, 0], [0, 20, 7], [0, 4, 56]]: AC1 = 0.8493.
///
/// - Complexity: O(rows x q^2).
public enum GwetAC {
    public static func compute(_ data: RatingData, weights: AgreementWeights, multiplicity: [Double]? = nil) -> Estimate {
        let w = multiplicity ?? data.multiplicity
        let q = Double(data.categoryCount)
        guard q >= 2 else { return .undefined("the scale declares a single category") }
        guard let pa = ObservedAgreement.pa(data, multiplicity: w, weights: weights),
            let shares = ObservedAgreement.categoryShares(data, multiplicity: w)
        else { return .undefined(ObservedAgreement.noPairs) }
        let pe = weights.total / (q * (q - 1)) * shares.reduce(0) { $0 + $1 * (1 - $1) }
        return .chanceCorrected(observed: pa, chance: pe, else: "chance agreement is 1")
    }
}
