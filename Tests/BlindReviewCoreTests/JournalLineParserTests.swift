@testable import BlindReviewCore
import Foundation
import XCTest

final class JournalLineParserTests: XCTestCase {
    func roundTrip(_ event: JournalEvent, file: StaticString = #filePath, line: UInt = #line) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = Array(try! encoder.encode(event))
        XCTAssertEqual(JournalLineParser.parse(bytes[...]), event, String(decoding: bytes, as: UTF8.self), file: file, line: line)
    }

    func testEveryEventKindRoundTrips() {
        roundTrip(JournalEvent(seq: 1, t: "2026-11-22T10:00:00.000Z", type: .rating, slot: 3, item: "q7", response: "r1234567", criterion: "accuracy", value: 4))
        roundTrip(JournalEvent(seq: 2, t: "t", type: .rating, slot: 0, item: "q", response: "r", criterion: "c", value: nil))
        roundTrip(JournalEvent(seq: 3, t: "t", type: .preference, slot: 0, item: "q", option: "tie"))
        roundTrip(JournalEvent(seq: 4, t: "t", type: .undo, target: 3))
        roundTrip(JournalEvent(seq: 5, t: "t", type: .leave, slot: 1, item: "q", activeSeconds: 12.5))
        roundTrip(JournalEvent(seq: 6, t: "t", type: .note, slot: 1, item: "q/1", text: "quote \" backslash \\ newline \n tab \t é 日本 👍 \u{1B}[31m \u{0}"))
    }

    func testAnythingUnexpectedIsLeftToJSONDecoder() {
        for line in [#"{"seq":1,"t":"x","type":"open","extra":1}"#, #"{"seq":1,"type":"bogus","t":"x"}"#, #"{"seq":1,"t":"x"}"#,
                     #"{"seq":1,"t":"x","type":"open"} trailing"#, #"{"seq":1,"t":"x","type":"open","slot":[1]}"#, "{}", "", "{\"seq\":1,\"t\":\"a\\q\",\"type\":\"open\"}"] {
            XCTAssertNil(JournalLineParser.parse(Array(line.utf8)[...]), line)
        }
        let spaced = #"{ "seq" : 7 , "t" : "x" , "type" : "open" , "slot" : 2 }"#
        XCTAssertEqual(JournalLineParser.parse(Array(spaced.utf8)[...])?.slot, 2)
    }
}
