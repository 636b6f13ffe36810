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
}
