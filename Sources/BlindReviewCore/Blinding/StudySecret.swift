@preconcurrency import Crypto
import Foundation

/// The secret every blinded choice of a study comes from: 256 bits from the operating system's secure generator,
/// kept only in the key.
///
/// Response ids, item ids, sides, orders and hidden repeats are all drawn from keyed streams of this secret
/// (see ``KeyedRandom``), so nothing an annotator can see allows searching for it: recovering the mapping from
/// the ids means guessing 256 random bits. A study made with `--seed N` derives its secret from N instead, which
/// makes it reproducible byte for byte and, by the same token, unblindable by anyone who knows (or guesses) N.
///
///     let secret = StudySecret.random()
///     var sides = secret.stream("annotator:alice")    // a RandomNumberGenerator
///     secret.identifier("response", 0, 1)             // 64 bits, the same for the same secret and label
public struct StudySecret: Sendable, Hashable {
    /// 32 bytes.
    public let bytes: [UInt8]
    /// The `--seed` it was derived from; nil for an OS-random secret.
    public let seed: UInt64?
    /// The bytes as an HMAC key, made once.
    let key: SymmetricKey
    /// HMAC-SHA256 under `key` with nothing fed yet: each MAC copies it rather than redoing the key schedule
    /// (`create` derives three ids per pair).
    let keyedHMAC: HMAC<SHA256>

    public static func == (lhs: StudySecret, rhs: StudySecret) -> Bool { lhs.bytes == rhs.bytes && lhs.seed == rhs.seed }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes)
        hasher.combine(seed)
    }

    /// A fresh secret from the system's cryptographically secure generator (getrandom on Linux).
    public static func random() -> StudySecret {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            let word = generator.next()
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return StudySecret(bytes: bytes, seed: nil)
    }

    /// The secret of a seeded study: SHA-256 of a fixed label and the seed. Anyone who knows the seed has it.
    public init(seed: UInt64) {
        var message = Array("blindreview/seeded-study/v2".utf8)
        message.append(0)
        for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: seed >> UInt64(shift))) }
        bytes = Array(SHA256.hash(data: message))
        self.seed = seed
        key = SymmetricKey(data: bytes)
        keyedHMAC = HMAC<SHA256>(key: key)
    }

    public init(bytes: [UInt8], seed: UInt64?) {
        precondition(bytes.count == 32, "a study secret has 32 bytes")
        self.bytes = bytes
        self.seed = seed
        key = SymmetricKey(data: bytes)
        keyedHMAC = HMAC<SHA256>(key: key)
    }

    /// Reads the 64 hex digits a key stores.
    public init?(hex: String, seed: UInt64?) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = StudySecret.nibble(digits[index]), let low = StudySecret.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init(bytes: bytes, seed: seed)
    }

    public var hex: String { StudySecret.hex(bytes) }

    /// A generator for one purpose (`"order:alice"`, `"assignment"`), independent of every other stream.
    public func stream(_ label: String) -> KeyedRandom { KeyedRandom(secret: self, stream: label) }

    /// 64 bits for a label, e.g. the opaque id of response 1 of pair 7: `identifier("response", 7, 1)`.
    public func identifier(_ parts: CustomStringConvertible...) -> UInt64 {
        let code = mac(parts.map(\.description).joined(separator: ":"))
        return code.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// ``identifier(_:)`` of a label given as UTF-8 (its parts already joined by `:`), without making strings.
    func identifier(utf8 label: [UInt8]) -> UInt64 {
        var code = keyedHMAC
        code.update(data: label)
        return code.finalize().withUnsafeBytes { bytes in bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) } }
    }

    /// The study's identifier when seeded (128 bits derived from the secret); an unseeded study draws its
    /// identifier from the OS instead (``StudySecret/randomIdentifier()``).
    public func derivedStudyIdentifier() -> String {
        StudySecret.hex(Array(mac("study-identifier").prefix(16)))
    }

    /// 128 random bits from the OS, as 32 hex digits: the identifier that links a study to its key.
    public static func randomIdentifier() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next(), low = generator.next()
        return hex64(high) + hex64(low)
    }

    /// HMAC-SHA256 of `label` under the secret.
    func mac(_ label: String) -> [UInt8] {
        var code = keyedHMAC
        code.update(data: Array(label.utf8))
        return Array(code.finalize())
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Sixteen hex digits, zero-padded.
    public static func hex64(_ value: UInt64) -> String {
        hex((0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * $0)) })
    }

    /// One ASCII byte then sixteen hex digits: `hex64(value, prefix: "r")` is `"r" + hex64(value)`.
    static func hex64(_ value: UInt64, prefix: UInt8) -> String {
        String(unsafeUninitializedCapacity: 17) { out in
            out[0] = prefix
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 15
                out[index + 1] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return 17
        }
    }

    static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: return digit - 48
        case 97...102: return digit - 87
        case 65...70: return digit - 55
        default: return nil
        }
    }
}
