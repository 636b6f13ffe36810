@preconcurrency import Crypto

/// A random number generator keyed by a study's secret: block k of stream S is HMAC-SHA256(secret, S ‖ k), read
/// as four 64-bit words. Without the secret its output cannot be predicted or searched (HMAC is a PRF); with it,
/// every choice can be redrawn, which is what makes a seeded study reproducible.
///
///     var rng = secret.stream("order:alice")
///     let order = items.shuffled(using: &rng)
///
/// - Complexity: one HMAC per four draws (about a microsecond).
public struct KeyedRandom: RandomNumberGenerator, Sendable {
    private let hmac: HMAC<SHA256>
    private let prefix: [UInt8]
    private var counter: UInt64 = 0
    private var buffer: [UInt64] = []

    init(secret: StudySecret, stream: String) {
        hmac = secret.keyedHMAC
        prefix = Array("stream:".utf8) + Array(stream.utf8) + [0]
    }

    public mutating func next() -> UInt64 {
        if buffer.isEmpty { refill() }
        return buffer.removeLast()
    }

    /// A uniform integer in `0..<bound` without modulo bias.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next(upperBound: UInt64(bound)))
    }

    private mutating func refill() {
        var message = prefix
        for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: counter >> UInt64(shift))) }
        counter += 1
        var mac = hmac
        mac.update(data: message)
        // The code's four big-endian 64-bit words, last first (`next` takes from the end).
        buffer = mac.finalize().withUnsafeBytes { code in
            (0..<4).reversed().map { word in code[(word * 8)..<(word * 8 + 8)].reduce(0) { $0 << 8 | UInt64($1) } }
        }
    }
}
