@testable import BlindReviewCore
import SeededRandom
import XCTest

/// The eight-bytes-at-a-time search for the end of a JSON string's plain run finds what a byte-by-byte search
/// finds, at every offset and length.
final class JSONStringRunTests: XCTestCase {
    func naiveEnd(_ bytes: [UInt8], from start: Int) -> Int {
        bytes[start...].firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 } ?? bytes.count
    }

    func testFindsWhatAByteByByteSearchFinds() {
        var rng = SplitMix64(seed: 8)
        // Bytes near each boundary of the tests (0x1F/0x20, 0x21-0x23, 0x5B-0x5D, 0x7F/0x80, 0xFF) and plain ones.
        let tricky: [UInt8] = [0x00, 0x01, 0x0A, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF, 0x61, 0x41]
        for _ in 0..<5000 {
            let count = rng.below(40)
            var bytes = (0..<count).map { _ in UInt8(0x20 + rng.below(0x5F)) }
            for _ in 0..<rng.below(3) where count > 0 { bytes[rng.below(count)] = tricky[rng.below(tricky.count)] }
            let start = count == 0 ? 0 : rng.below(count + 1)
            let found = bytes.withUnsafeBufferPointer { JSONStringRun.end(in: $0, from: start) }
            XCTAssertEqual(found, naiveEnd(bytes, from: start), "\(bytes) from \(start)")
        }
        // Each byte value at each of the eight places of a word of plain letters.
        for byte in 0...255 {
            for place in 0..<8 {
                let shift = UInt64(8 * place)
                let word = (0x6161_6161_6161_6161 & ~(0xFF << shift)) | UInt64(byte) << shift
                XCTAssertEqual(JSONStringRun.hasSpecialByte(word), byte == 0x22 || byte == 0x5C || byte < 0x20, "\(byte) at \(place)")
            }
        }
    }
}
