import Foundation

/// What a bootstrap resampled. Every interval in the report carries one, and the report prints it.
public enum ResamplingUnit: String, Sendable, CaseIterable {
    /// Pairs, each with all of its votes (the default: votes on one pair are not independent).
    case pairs
    /// Pairs and annotators independently (a two-way, "pigeonhole" bootstrap): a vote's weight is its pair's
    /// count times its annotator's count in the resample. Wider: it also covers who happened to annotate.
    case pairsAndAnnotators = "pairs-and-annotators"

    /// Words for the report: "pairs with all their votes".
    public var description: String {
        switch self {
        case .pairs: return "pairs with all their votes"
        case .pairsAndAnnotators: return "pairs and annotators (two-way)"
        }
    }
}

/// A percentile bootstrap interval, and what it resampled.
public struct ResampledInterval: Sendable, Equatable {
    public var low: Double
    public var high: Double
    /// What was resampled ("pairs with all their votes").
    public var resampled: String
    public var replicates: Int

    /// The 2.5th and 97.5th percentiles of `samples` (R's type 7), or nil when there are none.
    static func percentile(_ samples: [Double], resampled: String, replicates: Int, level: Double = 0.95) -> ResampledInterval? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let tail = (1 - level) / 2
        return ResampledInterval(
            low: quantile(sorted, tail), high: quantile(sorted, 1 - tail), resampled: resampled, replicates: replicates)
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
