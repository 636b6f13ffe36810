/// A small, fast, seeded pseudo-random generator (Steele, Lea and Flood's SplitMix64).
///
/// Every random choice in a study (response ids, sides, orders, repeats) comes from one of these, so the same
/// inputs and seed always give the same study. The system generator is never used for blinding.
///
///     var rng = SplitMix64(seed: 42)
///     rng.next()            // the same value on every machine, every run
///     [1, 2, 3].shuffled(using: &rng)
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one purpose (an annotator, a stage), independent of the others drawn from the same seed.
    ///
    ///     SplitMix64(seed: 7, stream: "alice")  // differs from SplitMix64(seed: 7, stream: "bob")
    public init(seed: UInt64, stream: String) {
        var mixer = SplitMix64(seed: seed ^ StableHash.fnv1a64(stream))
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's method).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next(upperBound: UInt64(bound)))
    }
}

/// Hashes that are the same in every process (Swift's `Hasher` is randomly seeded per run, so it cannot be used
/// for anything that must be reproducible).
public enum StableHash {
    /// 64-bit FNV-1a of the UTF-8 bytes.
    ///
    ///     StableHash.fnv1a64("alice")  // always 0x...; the same on every run
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
