import AgreementStats
import Foundation

/// Agreement on an A / tie / B preference that does not depend on which response of a pair is called "first".
///
/// Labels are 0 = first response preferred, 1 = tie, 2 = second. Which response is first is arbitrary (in a
/// blind study it follows the responses' random ids), and chance agreement computed from the label marginals
/// changes with it: the same votes gave Fleiss' kappa 0.29, 0.38 or 0.34 for three blinding seeds. Here the
/// marginals are made symmetric, i.e. the shares of "first" and "second" are both replaced by their mean, which
/// is what they are on average over the two orientations of every pair:
///
/// - ``fleissKappa``: `(pa - pe) / (1 - pe)` with pa the mean pairwise agreement over pairs with two or more
///   votes and `pe = sum_k pi_k^2` from the symmetrised mean shares pi_k (Gwet's generalisation of Fleiss'
///   kappa to pairs with different numbers of votes: Gwet 2014, "Handbook of Inter-Rater Reliability", 4th ed.,
///   eq. 2.8; Fleiss 1971, Psychol. Bull. 76:378-382, when every pair has the same number of votes). It equals
///   the usual coefficient on the data with every pair entered twice, once in each orientation.
/// - ``alpha``: Krippendorff's alpha from the coincidence matrix averaged over the two orientations
///   (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", eqs. for nominal and ordinal metrics),
///   nominal, and ordinal with the order first > tie > second (a tie lies between the two preferences).
/// - ``cohenKappa``: Cohen's kappa between two annotators with each annotator's marginals made symmetric
///   (again the usual kappa on the pairs entered in both orientations).
///
/// On a data set that already contains every pair in both orientations these equal the standard coefficients.
///
///     OrientationFreeAgreement.fleissKappa(data)   // the same for every blinding seed
public enum OrientationFreeAgreement {
    /// Fleiss' kappa (Gwet's generalisation when pairs have different numbers of votes) with symmetric marginals.
    public static func fleissKappa(_ data: RatingData, multiplicity: [Double]? = nil) -> Estimate {
        let w = multiplicity ?? data.multiplicity
        var agreement = 0.0, agreementItems = 0.0
        var shares = [0.0, 0.0, 0.0], shareItems = 0.0
        for p in 0..<data.patternCount where w[p] > 0 {
            let r = data.ratingsPerRow[p]
            guard r >= 1 else { continue }
            shareItems += w[p]
            for k in 0..<3 { shares[k] += w[p] * data.counts[p * 3 + k] / r }
            guard r >= 2 else { continue }
            var same = 0.0
            for k in 0..<3 { let c = data.counts[p * 3 + k]; same += c * (c - 1) }
            agreement += w[p] * same / (r * (r - 1))
            agreementItems += w[p]
        }
        guard agreementItems > 0, shareItems > 0 else { return .undefined("no pair was judged by two annotators") }
        let side = (shares[0] + shares[2]) / (2 * shareItems), tie = shares[1] / shareItems
        let chance = 2 * side * side + tie * tie
        guard 1 - chance > 1e-12 else { return .undefined("every vote is a tie, so chance agreement is 1") }
        return .defined((agreement / agreementItems - chance) / (1 - chance))
    }

    /// Krippendorff's alpha, nominal or ordinal (first > tie > second), from the symmetrised coincidence matrix.
    public static func alpha(_ data: RatingData, ordinal: Bool, multiplicity: [Double]? = nil) -> Estimate {
        let w = multiplicity ?? data.multiplicity
        var o = [Double](repeating: 0, count: 9)
        for p in 0..<data.patternCount where w[p] > 0 {
            let m = data.ratingsPerRow[p]
            guard m >= 2 else { continue }
            for c in 0..<3 {
                let nc = data.counts[p * 3 + c]
                guard nc > 0 else { continue }
                for k in 0..<3 {
                    let pairs = c == k ? nc * (nc - 1) : nc * data.counts[p * 3 + k]
                    o[c * 3 + k] += w[p] * pairs / (m - 1)
                }
            }
        }
        // Average with the flipped matrix (first <-> second).
        let flip = [2, 1, 0]
        var symmetric = o
        for c in 0..<3 { for k in 0..<3 { symmetric[c * 3 + k] = (o[c * 3 + k] + o[flip[c] * 3 + flip[k]]) / 2 } }
        var n = [0.0, 0.0, 0.0]
        for c in 0..<3 { for k in 0..<3 { n[c] += symmetric[c * 3 + k] } }
        let total = n.reduce(0, +)
        guard total > 1 else { return .undefined("no pair was judged by two annotators") }
        func delta(_ c: Int, _ k: Int) -> Double {
            guard c != k else { return 0 }
            guard ordinal else { return 1 }
            let (lo, hi) = (min(c, k), max(c, k))
            let between = (lo...hi).reduce(0.0) { $0 + n[$1] } - (n[lo] + n[hi]) / 2
            return between * between
        }
        var observed = 0.0, expected = 0.0
        for c in 0..<3 {
            for k in 0..<3 where c != k {
                observed += symmetric[c * 3 + k] * delta(c, k)
                expected += n[c] * n[k] * delta(c, k)
            }
        }
        guard expected > 0 else { return .undefined("every vote is the same, so expected disagreement is 0") }
        return .defined(1 - (total - 1) * observed / expected)
    }

    /// Cohen's kappa between two annotators' labels on the pairs both judged, with symmetric marginals.
    public static func cohenKappa(_ pairs: [(Int, Int)]) -> Estimate {
        guard !pairs.isEmpty else { return .undefined("no pair judged by both") }
        let n = Double(pairs.count)
        var x = [0.0, 0.0, 0.0], y = [0.0, 0.0, 0.0]
        var same = 0.0
        for (a, b) in pairs { x[a] += 1; y[b] += 1; if a == b { same += 1 } }
        let xs = (x[0] + x[2]) / (2 * n), ys = (y[0] + y[2]) / (2 * n)
        let chance = 2 * xs * ys + (x[1] / n) * (y[1] / n)
        guard 1 - chance > 1e-12 else { return .undefined("both annotators gave only ties, so chance agreement is 1") }
        return .defined((same / n - chance) / (1 - chance))
    }
}
