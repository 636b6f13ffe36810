/// Finds where a run of bytes that a JSON string holds as they are ends: at the first quote (`"`), backslash or
/// control character (below 0x20). Eight bytes are tested at a time, so a long response's plain text goes by at
/// several bytes per step, for the hand reader of model files (``PlainJSONLine``) and the hand writer of study
/// files (``CanonicalJSONWriter``).
///
///     Array(#"abc"def"#.utf8).withUnsafeBufferPointer { JSONStringRun.end(in: $0, from: 0) }   // 3
///
/// - Complexity: O(n) in the bytes passed over.
enum JSONStringRun {
    /// The index of the first quote, backslash or control byte at or after `start`, or `bytes.count`.
    @inline(__always)
    static func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        var index = start
        let count = bytes.count
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if hasSpecialByte(word) { break }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte == 0x22 || byte == 0x5C || byte < 0x20 { return index }
            index += 1
        }
        return count
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any of the eight bytes is a quote, a backslash or below 0x20 (the classic "has a byte less than
    /// n" and "has a zero byte" tests; exact as to whether one exists, which is all that is asked).
    @inline(__always)
    static func hasSpecialByte(_ word: UInt64) -> Bool {
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteZero = (quote &- ones) & ~quote & highs
        let backslashZero = (backslash &- ones) & ~backslash & highs
        return (control | quoteZero | backslashZero) != 0
    }
}
