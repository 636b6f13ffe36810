import Foundation

/// Holm's (1979) step-down adjustment of p-values for a family of tests, controlling the family-wise error rate.
///
/// Sort the m defined p-values ascending, p(1) <= ... <= p(m); the adjusted value of the i-th is
/// `max over j <= i of min(1, (m - j + 1) * p(j))` (Holm 1979, "A simple sequentially rejective multiple test
/// procedure", Scand. J. Statist. 6:65-70; the same rule as statsmodels' `multipletests(method="holm")`).
/// Undefined p-values stay nil and do not count towards m.
///
///     HolmAdjustment.adjust([0.01, 0.04, 0.03])   // [0.03, 0.06, 0.06]
///
/// - Complexity: O(m log m).
public enum HolmAdjustment {
    public static func adjust(_ p: [Double?]) -> [Double?] {
        let defined = p.indices.filter { p[$0] != nil }.sorted { (p[$0]!, $0) < (p[$1]!, $1) }
        let m = defined.count
        var adjusted = [Double?](repeating: nil, count: p.count)
        var running = 0.0
        for (rank, index) in defined.enumerated() {
            running = max(running, min(1, Double(m - rank) * p[index]!))
            adjusted[index] = running
        }
        return adjusted
    }
}
