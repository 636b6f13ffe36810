@testable import BlindReviewCore
import XCTest

/// The secret keeps one keyed HMAC and copies it per message: the codes (and so every id, side and order of a
/// seeded study) stay those of HMAC-SHA256 computed afresh. Expected values from Python's `hmac` module with the
/// same key (SHA-256 of "blindreview/seeded-study/v2", a zero byte and the seed 42 as 8 big-endian bytes).
final class KeyedHMACTests: XCTestCase {
    func testCopiedHMACGivesHMACSHA256() {
        let secret = StudySecret(seed: 42)
        let expected = [
            "": "9b44b96f7daa1cf1354cdc3784768e377f133aa1ea66116cf222447de3f85a4a",
            "item:0": "9cbe3b1c065fdc22acf728648b661486936744a5db0ec8bbc866058a45d0741e",
            "study-identifier": "66724c1f7e967fee073669d34af16ef65a4fbbb7dd90db58e421a7a1f370f2af",
        ]
        for (label, code) in expected {
            XCTAssertEqual(StudySecret.hex(secret.mac(label)), code, label)
            XCTAssertEqual(StudySecret.hex(secret.mac(label)), code, "the kept HMAC starts fresh for each message")
        }
    }

    func testStreamBlocksAreHMACOfLabelAndCounter() {
        var stream = StudySecret(seed: 42).stream("assignment")
        let blocks: [UInt64] = [
            1208750930767230264, 9701402888180522598, 9959031582351096120, 18387840415363590637,
            13958161516142348593, 13260945903077838211, 4777305257013680767, 16571344050393041937,
        ]
        XCTAssertEqual((0..<8).map { _ in stream.next() }, blocks)
    }

    /// An opaque id is `p` or `r` and the first 64 bits of the HMAC of its label as hex (item:0 above begins
    /// 9cbe3b1c065fdc22); an id already taken moves to `label:retry:1`, then 2, and so on.
    func testOpaqueIDsAreTheLabelsHMACAndRetryOnACollision() {
        let secret = StudySecret(seed: 42)
        var ids = OpaqueIDs(secret: secret)
        XCTAssertEqual(ids.next("item", 0), "p9cbe3b1c065fdc22")
        XCTAssertEqual(ids.next("response", 3, 1), "r" + StudySecret.hex64(secret.identifier("response", 3, 1)))
        XCTAssertEqual(ids.next("response", "amendment", 2, 5, 0), "r" + StudySecret.hex64(secret.identifier("response", "amendment", 2, 5, 0)))
        // The same label again collides with the id just made, and with the retries before it.
        XCTAssertEqual(ids.next("item", 0), "p" + StudySecret.hex64(secret.identifier("item", 0, "retry", 1)))
        XCTAssertEqual(ids.next("item", 0), "p" + StudySecret.hex64(secret.identifier("item", 0, "retry", 2)))
        // Items and responses are apart: the response with an item's label is the same number, under `r`.
        XCTAssertEqual(ids.next("response", 0), "r" + StudySecret.hex64(secret.identifier("response", 0)))
        // Ids taken before (an amendment's study) count as collisions too.
        var amended = OpaqueIDs(secret: secret)
        amended.used = ["p9cbe3b1c065fdc22"]
        XCTAssertEqual(amended.next("item", 0), "p" + StudySecret.hex64(secret.identifier("item", 0, "retry", 1)))
        for value: UInt64 in [0, 1, 0xFFFF_FFFF_FFFF_FFFF, 0x0123_4567_89AB_CDEF] {
            XCTAssertEqual(StudySecret.hex64(value, prefix: UInt8(ascii: "r")), "r" + StudySecret.hex64(value))
        }
    }

    /// `blind` computes the ids' first values on all cores and settles collisions in order: the same ids as
    /// asking one by one, a collision with an id taken before included.
    func testBlindGivesTheIdsOfAskingOneByOne() {
        let secret = StudySecret(seed: 42)
        let pairs = samplePairs(30)
        var sequential = OpaqueIDs(secret: secret)
        sequential.used = ["p9cbe3b1c065fdc22"]  // item:amendment:3:0's first value is not this; item:0's is
        var expected: [String] = []
        for index in pairs.indices {
            expected += [sequential.next("item", parts: ["amendment", 3, index]), sequential.next("response", parts: ["amendment", 3, index, 0]),
                         sequential.next("response", parts: ["amendment", 3, index, 1])]
        }
        var ids = OpaqueIDs(secret: secret)
        ids.used = ["p9cbe3b1c065fdc22"]
        let (blinded, _) = StudyBuilder.blind(pairs, ids: &ids, label: ["amendment", 3], scanner: LeakScanner(models: []), redact: false)
        XCTAssertEqual(blinded.flatMap { [$0.id, $0.first.id, $0.second.id] }, expected)
        // With no label, item 0 collides with the id taken before and moves to its first retry.
        var taken = OpaqueIDs(secret: secret)
        taken.used = ["p9cbe3b1c065fdc22"]
        let (plain, _) = StudyBuilder.blind(pairs, ids: &taken, label: [], scanner: LeakScanner(models: []), redact: false)
        XCTAssertEqual(plain[0].id, "p" + StudySecret.hex64(secret.identifier("item", 0, "retry", 1)))
        XCTAssertEqual(plain[1].id, "p" + StudySecret.hex64(secret.identifier("item", 1)))
    }
}
