@testable import BlindReviewCore
import Foundation
import XCTest

final class JournalLineWriterTests: XCTestCase {
    /// Every kind of event, with and without each field, comes out byte for byte as JSONEncoder writes it; events
    /// it leaves to JSONEncoder (odd text, active seconds) are refused, never written differently.
    func testLinesAreWhatJSONEncoderWrites() throws {
        let encoder = JSONEncoder.sorted
        var events: [JournalEvent] = [
            .rating(slot: 0, item: "p0123456789abcdef", response: "r0123456789abcdef", criterion: "accuracy", value: 4),
            .rating(slot: 12, item: "p1", response: "r2", criterion: "fluency", value: nil),
            .preference(slot: 3, item: "p1", option: "tie"),
            .preference(slot: 3, item: "p1", option: nil),
            JournalEvent(type: .undo, target: 7),
            JournalEvent(type: .open, slot: 0, item: "p/1"),
            JournalEvent(type: .note, slot: 1, item: "p1", text: "plain words, and 'quotes' (ok) / slashes"),
            JournalEvent(type: .flag, slot: 1, item: "p1", option: "broken", text: nil),
            JournalEvent(seq: 0, t: "", type: .rating, slot: -1, value: -3),
        ]
        for (index, _) in events.enumerated() {
            events[index].seq = 1_000_000 + index
            if index != 8 { events[index].t = "2026-11-22T10:00:00.000Z" }
        }
        for event in events {
            let fast = try XCTUnwrap(JournalLineWriter.line(event), "\(event)")
            XCTAssertEqual(String(decoding: fast, as: UTF8.self), String(decoding: try encoder.encode(event), as: UTF8.self))
        }
        for odd in ["line\nbreak", "quote \"", "back\\slash", "café", "tab\t", "\u{7F}"] {
            XCTAssertNil(JournalLineWriter.line(JournalEvent(type: .note, slot: 0, item: "p1", text: odd)), odd)
        }
        XCTAssertNil(JournalLineWriter.line(JournalEvent(type: .leave, slot: 0, item: "p1", activeSeconds: 12.5)))
    }

    /// Numbers at the edges (Int.min has no positive twin) and an odd string in each field: numbers as
    /// JSONEncoder writes them; any odd string refuses the whole event and leaves the buffer as it was.
    func testNumbersAtTheEdgesAndAnOddStringInEachField() throws {
        let encoder = JSONEncoder.sorted
        for number in [0, 7, -1, 10, 99, 100, -10, Int.max, Int.min, 1_234_567_890_123] {
            let event = JournalEvent(seq: number, t: "2026-11-22T10:00:00.000Z", type: .rating, slot: number, item: "p", response: "r", criterion: "c", value: number, target: number)
            let fast = try XCTUnwrap(JournalLineWriter.line(event))
            XCTAssertEqual(String(decoding: fast, as: UTF8.self), String(decoding: try encoder.encode(event), as: UTF8.self))
        }
        let plain = JournalEvent(seq: 1, t: "2026-11-22T10:00:00.000Z", type: .flag, slot: 0, item: "p", response: "r", criterion: "c", option: "o", text: "x")
        let fields: [WritableKeyPath<JournalEvent, String?>] = [\.criterion, \.item, \.option, \.response, \.text]
        for field in fields {
            for odd in ["é", "a\"b", "back\\", "\n", "\u{7F}"] {
                var event = plain
                event[keyPath: field] = odd
                var buffer: [UInt8] = Array("kept".utf8)
                XCTAssertFalse(JournalLineWriter.append(event, to: &buffer))
                XCTAssertEqual(buffer, Array("kept".utf8))
            }
        }
        var late = plain
        late.t = "naïve"
        XCTAssertNil(JournalLineWriter.line(late))
    }
}
