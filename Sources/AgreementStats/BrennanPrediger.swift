/// Brennan and Prediger's coefficient (1981): chance agreement assumes every declared category equally likely,
/// `pe = T_w / q^2` (1/q unweighted), with `pa` from ``ObservedAgreement``.
///
///     // Gwet's "abstractors" table: 0.835.
///
/// - Complexity: O(rows x q^2).
public enum BrennanPrediger {
    public static func compute(_ data: RatingData, weights: AgreementWeights? = nil, multiplicity: [Double]? = nil) -> Estimate {
        let w = multiplicity ?? data.multiplicity
        let q = Double(data.categoryCount)
        let weights = weights ?? .identity(count: data.categoryCount)
        guard let pa = ObservedAgreement.pa(data, multiplicity: w, weights: weights) else {
            return .undefined(ObservedAgreement.noPairs)
        }
        return .chanceCorrected(observed: pa, chance: weights.total / (q * q), else: "the scale declares a single category")
    }
}
