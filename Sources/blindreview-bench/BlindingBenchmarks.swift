import BlindReviewCore
import Foundation
import SeededRandom

/// The seed-search attack that unblinded wave-1 studies, run in full against a study made today, and what the
/// same search would cost against the current derivations.
enum BlindingBenchmarks {
    static func run(folder: URL) throws {
        let pairs = (0..<200).map { i in
            CandidatePair(
                sourceID: "q\(i)", prompt: [.user("Question \(i)?")], reference: nil,
                first: ModelResponse(model: "base", turns: ["base \(i)"]), second: ModelResponse(model: "tuned", turns: ["tuned \(i)"]))
        }
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "b", secret: .random(), annotators: ["a"]))
        // Wave 1: response ids were the first SplitMix64 draws of a 32-bit seed, 28 bits each. The whole seed space,
        // against every 28-bit value the study's ids could match.
        var targets = [UInt64](repeating: 0, count: (1 << 28) / 64)  // a bitmap of 28-bit values
        for item in built.items {
            for response in item.responses {
                if let value = UInt64(response.id.dropFirst().prefix(7), radix: 16) { targets[Int(value >> 6)] |= 1 << (value & 63) }
            }
        }
        var found: [UInt64] = []
        let stream = StableHash.fnv1a64("response-ids")  // what SplitMix64(seed:stream:) mixes in
        let old = Stopwatch.seconds {
            for seed in 0...UInt64(UInt32.max) {
                var mixer = SplitMix64(seed: seed ^ stream)
                var rng = SplitMix64(seed: mixer.next())
                let value = rng.next() & 0xFFF_FFFF
                if targets[Int(value >> 6)] & (1 << (value & 63)) != 0 { found.append(seed) }
            }
        }
        // A real hit gives the pair's second id too; chance matches of one 28-bit prefix do not.
        let confirmed = found.filter { seed in
            var rng = SplitMix64(seed: seed, stream: "response-ids")
            _ = rng.next()
            let second = rng.next() & 0xFFF_FFFF
            return targets[Int(second >> 6)] & (1 << (second & 63)) != 0
        }
        print(String(format: "wave-1 attack (all 2^32 seeds of the old derivation against a new unseeded study of 200 pairs): %.1f s; one-id chance matches %d, seeds that also give a second id: %d", old, found.count, confirmed.count))
        // Today, --seed N: one SHA-256 and one HMAC per guess.
        let guesses = 200_000
        var hits = 0
        let ids = Set(built.items.flatMap { $0.responses.map(\.id) })
        let seeded = Stopwatch.seconds {
            for seed in 0..<UInt64(guesses) where ids.contains("r" + StudySecret.hex64(StudySecret(seed: seed).identifier("response", 0, 0))) { hits += 1 }
        }
        let rate = Double(guesses) / seeded
        print(String(format: "seeded derivation: %.0f guesses/s on one core; a seed in 0..<2^32 falls in %.1f h, the whole 64-bit seed space takes %.1e years; found here: %d",
                     rate, pow(2, 32) / rate / 3600, pow(2, 64) / rate / 3.156e7, hits))
        print("unseeded: the secret has 256 bits from the OS; no search applies")
    }
}
