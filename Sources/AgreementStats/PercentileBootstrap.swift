import SeededRandom

/// Percentile bootstrap confidence intervals over items, seeded and reproducible.
///
/// Each of `replicates` resamples draws as many items as there are, with replacement, and recomputes every
/// coefficient on them; the interval is the 2.5th and 97.5th percentiles (linear interpolation between order
/// statistics) of the values that are defined. Items are resampled by changing the multiplicity of their
/// rating rows, so a resample costs O(items) draws plus the coefficients' O(rows) work.
///
///     let ci = PercentileBootstrap.intervals(data, replicates: 1000, seed: 7) { m in
///         ["alpha": KrippendorffAlpha.compute(data, level: .nominal, multiplicity: m)]
///     }
///     ci["alpha"]   // BootstrapInterval(low: 0.61, high: 0.84, defined: 1000)
public enum PercentileBootstrap {
    public static func intervals(
        _ data: RatingData, replicates: Int = 1000, seed: UInt64, level: Double = 0.95,
        coefficients: ([Double]) -> [String: Estimate]
    ) -> [String: BootstrapInterval] {
        var rng = SplitMix64(seed: seed, stream: "bootstrap")
        var samples: [String: [Double]] = [:]
        let n = data.itemCount
        guard n > 0, replicates > 0 else { return [:] }
        var multiplicity = [Double](repeating: 0, count: data.patternCount)
        var keys: [String] = []
        for _ in 0..<replicates {
            for p in multiplicity.indices { multiplicity[p] = 0 }
            for _ in 0..<n { multiplicity[Int(data.itemPattern[rng.below(n)])] += 1 }
            let values = coefficients(multiplicity)
            if keys.isEmpty { keys = Array(values.keys) }
            for (key, estimate) in values {
                if let value = estimate.value { samples[key, default: []].append(value) }
            }
        }
        var result: [String: BootstrapInterval] = [:]
        let tail = (1 - level) / 2
        for key in keys {
            let sorted = (samples[key] ?? []).sorted()
            guard !sorted.isEmpty else {
                result[key] = BootstrapInterval(low: nil, high: nil, defined: 0, replicates: replicates)
                continue
            }
            result[key] = BootstrapInterval(
                low: quantile(sorted, tail), high: quantile(sorted, 1 - tail), defined: sorted.count, replicates: replicates)
        }
        return result
    }

    /// The q-quantile of sorted values, interpolating linearly (R's type 7).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}

public struct BootstrapInterval: Equatable, Sendable {
    public var low: Double?
    public var high: Double?
    /// In how many resamples the coefficient was defined.
    public var defined: Int
    public var replicates: Int

    public init(low: Double?, high: Double?, defined: Int, replicates: Int) {
        (self.low, self.high, self.defined, self.replicates) = (low, high, defined, replicates)
    }
}
