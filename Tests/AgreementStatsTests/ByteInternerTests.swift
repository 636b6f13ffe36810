@testable import AgreementStats
import XCTest

final class ByteInternerTests: XCTestCase {
    func key(_ text: String) -> ArraySlice<UInt8> { Array(text.utf8)[...] }

    func testEmptyOneAndTwoKeys() {
        var interner = ByteInterner(capacity: 1)
        XCTAssertEqual(interner.count, 0)
        XCTAssertEqual(interner.keys, [])
        XCTAssertTrue(interner.index(of: key("")) == (0, true))
        XCTAssertTrue(interner.index(of: key("")) == (0, false))
        XCTAssertTrue(interner.index(of: key("a")) == (1, true))
        XCTAssertTrue(interner.index(of: key("a")) == (1, false))
        XCTAssertEqual(interner.keys, [[], Array("a".utf8)])
    }

    /// Keys that share their first eight bytes, differ only in length, or only in the tail, stay apart; the
    /// table grows many times and every key keeps its first index.
    func testManyKeysKeepTheirIndicesThroughGrowth() {
        var interner = ByteInterner(capacity: 1)
        let texts = (0..<50_000).map { "p\(String($0, radix: 16))" } + (0..<20).map { String(repeating: "x", count: $0) }
            + ["12345678a", "12345678b", "12345678", "123456781", "é", "日本語"]
        for (index, text) in texts.enumerated() {
            XCTAssertTrue(interner.index(of: key(text)) == (Int32(index), true), text)
        }
        for (index, text) in texts.enumerated().reversed() {
            XCTAssertTrue(interner.index(of: key(text)) == (Int32(index), false), text)
        }
        XCTAssertEqual(interner.count, texts.count)
        XCTAssertEqual(interner.keys.map { String(decoding: $0, as: UTF8.self) }, texts)
    }

    func testHashDependsOnEveryByteAndTheLength() {
        let base = Array("0123456789abcdef".utf8)
        let reference = base.withUnsafeBufferPointer { ByteInterner.hash($0) }
        for position in base.indices {
            var changed = base
            changed[position] ^= 1
            XCTAssertNotEqual(changed.withUnsafeBufferPointer { ByteInterner.hash($0) }, reference)
        }
        let longer = base + [0]
        XCTAssertNotEqual(longer.withUnsafeBufferPointer { ByteInterner.hash($0) }, reference)
    }

    /// The batched lookup (its read-ahead passes follow each key's probe now) gives the indices of one lookup at
    /// a time: keys repeated within a batch, new keys in the middle of one, growth mid-batch, empty keys, keys
    /// sharing slots in a small table.
    func testBatchesGiveTheSameIndicesAsOneAtATime() {
        var state: UInt64 = 5
        func below(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var batched = ByteInterner(capacity: 1), single = ByteInterner(capacity: 1)
        for round in 0..<300 {
            let count = 1 + below(130)
            let keys = (0..<count).map { _ in below(7) == 0 ? "" : "i\(below(round < 150 ? 200 : 20_000))" + (below(5) == 0 ? "-é" : "") }
            var input: [UInt8] = [], starts: [Int] = [], lengths: [Int] = []
            for key in keys {
                starts.append(input.count)
                lengths.append(key.utf8.count)
                input += Array(key.utf8)
            }
            input.append(0)
            var found = [Int32](repeating: -1, count: count)
            input.withUnsafeBufferPointer { base in
                starts.withUnsafeBufferPointer { starts in
                    lengths.withUnsafeBufferPointer { lengths in
                        found.withUnsafeMutableBufferPointer { out in
                            batched.indices(of: base.baseAddress!, starts: starts, lengths: lengths, into: out)
                        }
                    }
                }
            }
            XCTAssertEqual(found, keys.map { single.index(of: Array($0.utf8)[...]).index }, "round \(round)")
        }
        XCTAssertEqual(batched.keys, single.keys)
    }
}
