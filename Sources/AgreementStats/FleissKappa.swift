import Foundation

/// Fleiss' kappa (1971) for m >= 2 ratings on every rated item (the raters may differ between items), with the
/// standard error under the null of Fleiss, Nee and Landis (1979) and a kappa for each category.
///
/// With N items, n_ij ratings of item i in category j, p_j = sum_i n_ij / (N m), q_j = 1 - p_j:
/// `P_i = (sum_j n_ij^2 - m) / (m (m - 1))`, `kappa = (mean P_i - sum p_j^2) / (1 - sum p_j^2)`,
/// `SE0^2 = 2 / (N m (m - 1)) * [(sum p_j q_j)^2 - sum p_j q_j (q_j - p_j)] / (sum p_j q_j)^2`,
/// `kappa_j = 1 - sum_i n_ij (m - n_ij) / (N m (m - 1) p_j q_j)`.
///
///     // The Fleiss (1971) diagnoses, 30 patients x 6 psychiatrists: kappa 0.4302, z 17.65.
///
/// When items have different numbers of ratings, use ``GwetFleissKappa`` (the missing-data generalisation).
///
/// - Complexity: O(rows x q).
public struct FleissKappa: Equatable, Sendable {
    public var kappa: Estimate
    public var se0: Double?
    public var z0: Double?
    public var p: Double?
    /// One per declared category (undefined for a category nobody or everybody used).
    public var perCategory: [Estimate]

    public static func compute(_ data: RatingData, multiplicity: [Double]? = nil) -> FleissKappa {
        let w = multiplicity ?? data.multiplicity
        let q = data.categoryCount
        var m: Double?
        var items = 0.0
        for p in 0..<data.patternCount where w[p] > 0 && data.ratingsPerRow[p] > 0 {
            let r = data.ratingsPerRow[p]
            if let known = m, known != r {
                return FleissKappa(undefined: "items have different numbers of ratings (\(Int(known)) and \(Int(r))); see fleiss_kappa_gwet, which allows that", q)
            }
            m = r
            items += w[p]
        }
        guard let m, items > 0 else { return FleissKappa(undefined: "no item has a rating", q) }
        guard m >= 2 else { return FleissKappa(undefined: ObservedAgreement.noPairs, q) }
        var shares = [Double](repeating: 0, count: q)
        var agreement = 0.0
        var disagreement = [Double](repeating: 0, count: q)
        for p in 0..<data.patternCount where w[p] > 0 && data.ratingsPerRow[p] > 0 {
            var squares = 0.0
            for k in 0..<q {
                let n = data.counts[p * q + k]
                shares[k] += w[p] * n
                squares += n * n
                disagreement[k] += w[p] * n * (m - n)
            }
            agreement += w[p] * (squares - m) / (m * (m - 1))
        }
        shares = shares.map { $0 / (items * m) }
        let pBar = agreement / items
        let pe = shares.reduce(0) { $0 + $1 * $1 }
        let kappa = Estimate.chanceCorrected(observed: pBar, chance: pe, else: "every rating is in one category, so chance agreement is 1")
        let pq = shares.map { $0 * (1 - $0) }
        let sumPQ = pq.reduce(0, +)
        var se0: Double?, z: Double?, pValue: Double?
        if sumPQ > 0, let k = kappa.value {
            let skew = zip(pq, shares).reduce(0) { $0 + $1.0 * ((1 - $1.1) - $1.1) }
            let variance = 2 / (items * m * (m - 1)) * (sumPQ * sumPQ - skew) / (sumPQ * sumPQ)
            if variance > 0 {
                se0 = sqrt(variance)
                z = k / se0!
                pValue = NormalDistribution.twoSidedP(z!)
            }
        }
        let perCategory = (0..<q).map { k -> Estimate in
            let denominator = items * m * (m - 1) * pq[k]
            guard denominator > 0 else {
                return .undefined(shares[k] == 0 ? "category \"\(data.categories[k])\" was never used" : "category \"\(data.categories[k])\" was the only one used")
            }
            return .defined(1 - disagreement[k] / denominator)
        }
        return FleissKappa(kappa: kappa, se0: se0, z0: z, p: pValue, perCategory: perCategory)
    }

    init(kappa: Estimate, se0: Double?, z0: Double?, p: Double?, perCategory: [Estimate]) {
        self.kappa = kappa
        self.se0 = se0
        self.z0 = z0
        self.p = p
        self.perCategory = perCategory
    }

    init(undefined reason: String, _ q: Int) {
        self.init(kappa: .undefined(reason), se0: nil, z0: nil, p: nil, perCategory: Array(repeating: .undefined(reason), count: q))
    }
}
