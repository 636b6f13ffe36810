@testable import BlindReviewCore
import Foundation
import XCTest

/// Hostile inputs for the fast paths (the journal's plan line reader, the model-file line reader, the writer's
/// byte lines and its lazy fold): each gives what the general path gives, refuses what it refuses, and keeps every
/// saved change.
final class FastPathAdversaryTests: XCTestCase {
    var study: Study!
    let hash = String(repeating: "cd", count: 32)

    override func setUpWithError() throws {
        let built = try StudyBuilder.build(
            pairs: samplePairs(8), models: ["base", "tuned"],
            options: StudyOptions(name: "s", seed: 11, annotators: ["alice", "bob"], repeats: 1))
        study = built.study
    }

    var queue: [QueueEntry] { study.plan(for: "alice")!.queue }

    func header(annotator: String = "alice") -> String { JournalLaneComparison.header(hash: hash, annotator: annotator) }

    func line(_ event: JournalEvent) -> String { JournalLaneComparison.line(event) }

    /// Loads `bytes` with and without the fast lane (see ``JournalLaneComparison/assertSameLoad``).
    func assertSameLoad(_ bytes: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        JournalLaneComparison.assertSameLoad(bytes, study: study, hash: hash, annotator: "alice", what, file: file, line: line)
    }

    /// The journal around one hostile line (line 4 of 6: two good events before, one after).
    func journal(_ hostile: String, separator: String = "\n") -> [UInt8] {
        let entry = queue[1]
        var before = [
            JournalEvent(seq: 1, t: "2026-12-01T10:00:00.000Z", type: .open, slot: 1, item: entry.item),
            .rating(slot: 1, item: entry.item, response: entry.a, criterion: "accuracy", value: 2),
        ]
        before[1].seq = 2
        before[1].t = "2026-12-01T10:00:01.000Z"
        var after = JournalEvent.preference(slot: 1, item: entry.item, option: "b")
        after.seq = 9
        after.t = "2026-12-01T10:00:09.000Z"
        let lines = [header()] + before.map(line) + [hostile, line(after)]
        return Array((lines.joined(separator: separator) + separator).utf8)
    }

    func testHostileJournalLinesLoadTheSameBothWays() {
        let entry = queue[2], other = queue[3]
        let bob = study.plan(for: "bob")!.queue[0]
        let item = entry.item, a = entry.a, b = entry.b
        func spelled(_ text: String) -> String { text.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined() }
        let t = "\"t\":\"2026-12-01T10:00:03.000Z\""
        let rating = #"{"criterion":"accuracy","item":"\#(item)","response":"\#(a)","seq":3,"slot":2,\#(t),"type":"rating","value":4}"#
        let preference = #"{"item":"\#(item)","option":"a","seq":3,"slot":2,\#(t),"type":"preference"}"#
        let leave = #"{"active_seconds":12.5,"item":"\#(item)","seq":3,"slot":2,\#(t),"type":"leave"}"#
        let note = #"{"item":"\#(item)","seq":3,"slot":2,\#(t),"text":"x","type":"note"}"#
        let undo = #"{"seq":3,\#(t),"target":2,"type":"undo"}"#
        var lines: [String] = [rating, preference, leave, note, undo]
        let numbers = ["4", "4.0", "04", "004", "-0", "1e0", "4e0", "4E0", "+4", "0x4", " 4 ", "\t4", "\"4\"", "true", "null", "[4]",
                       "9223372036854775807", "9223372036854775808", "-9223372036854775808", "99999999999999999999",
                       "000000000000000000004", "0000000000000000004", "-4", "6", "0", "5", "1", "4.5", "4.", ".4", "--4", "4-", "4+1",
                       "1" + String(repeating: "0", count: 17), "1" + String(repeating: "0", count: 18)]
        for number in numbers {
            lines.append(rating.replacingOccurrences(of: "\"value\":4", with: "\"value\":\(number)"))
            lines.append(rating.replacingOccurrences(of: "\"seq\":3", with: "\"seq\":\(number)"))
            lines.append(rating.replacingOccurrences(of: "\"slot\":2", with: "\"slot\":\(number)"))
            lines.append(undo.replacingOccurrences(of: "\"target\":2", with: "\"target\":\(number)"))
            lines.append(leave.replacingOccurrences(of: "12.5", with: number))
        }
        for seconds in ["1E+2", "1e-2", "0.5e1", "-0.0", "31536000", "31536000.0", "31536001", "1e400", "-1", "1e-400", "0.1", "3.0000000000000004"] {
            lines.append(leave.replacingOccurrences(of: "12.5", with: seconds))
        }
        // Repeated keys, with the same or another value.
        for (key, value) in [("value", "4"), ("value", "2"), ("slot", "2"), ("slot", "3"), ("seq", "3"), ("seq", "4"), ("item", "\"\(item)\""),
                             ("item", "\"\(other.item)\""), ("response", "\"\(b)\""), ("type", "\"note\""), ("t", "\"x\""), ("criterion", "\"format\""),
                             ("value", "null"), ("slot", "null"), ("item", "null")] {
            lines.append(rating.replacingOccurrences(of: "}", with: ",\"\(key)\":\(value)}"))
            lines.append(rating.replacingOccurrences(of: "{", with: "{\"\(key)\":\(value),"))
        }
        // Keys in other orders.
        lines.append(#"{"value":4,"type":"rating",\#(t),"slot":2,"seq":3,"response":"\#(a)","item":"\#(item)","criterion":"accuracy"}"#)
        lines.append(#"{"type":"undo","target":2,"seq":3,\#(t)}"#)
        lines.append(#"{\#(t),"seq":3,"type":"preference","option":"tie","slot":2}"#)
        // Ids spelled with escapes, ids of other pairs, responses and criteria not in the study.
        for (from, to) in [(item, spelled(item)), (a, spelled(a)), ("accuracy", spelled("accuracy")), ("rating", spelled("rating")),
                           ("\"slot\"", "\"\(spelled("slot"))\""), ("\"t\"", "\"\\u0074\""), (item, item.replacingOccurrences(of: "/", with: "\\/")),
                           (item, other.item), (item, bob.item), (a, other.a), (a, bob.a), (a, a.uppercased()), (a, a + " "), (a, " " + a),
                           ("accuracy", "Accuracy"), ("accuracy", "accuracy "), ("accuracy", "accuracy\\u0000"), (item, item + "\\u0000"),
                           (a, "x"), (a, ""), ("accuracy", ""), (item, ""), ("\"rating\"", "\"Rating\"")] {
            lines.append(rating.replacingOccurrences(of: from, with: to))
        }
        for option in ["A", "tie ", "\\u0061", "x", "", "broken"] {
            lines.append(preference.replacingOccurrences(of: "\"option\":\"a\"", with: "\"option\":\"\(option)\""))
            lines.append(preference.replacingOccurrences(of: "\"option\":\"a\"", with: "\"option\":\"\(option)\"").replacingOccurrences(of: "preference", with: "flag"))
        }
        lines.append(preference.replacingOccurrences(of: "preference", with: "error"))
        lines.append(preference.replacingOccurrences(of: "\"option\":\"a\"", with: "\"option\":\"command\"").replacingOccurrences(of: "preference", with: "error"))
        // Null against missing, key by key.
        for key in ["item", "response", "criterion", "value", "option", "text", "target", "active_seconds", "t", "seq", "type", "slot"] {
            lines.append(rating.replacingOccurrences(of: "}", with: ",\"\(key)\":null}").replacingOccurrences(of: "{\"criterion\"", with: "{\"criterion\""))
            lines.append(undo.replacingOccurrences(of: "}", with: ",\"\(key)\":null}"))
        }
        lines.append(rating.replacingOccurrences(of: ",\"value\":4", with: ""))
        lines.append(rating.replacingOccurrences(of: ",\"value\":4", with: ",\"value\":null"))
        lines.append(rating.replacingOccurrences(of: "\(t),", with: ""))
        lines.append(rating.replacingOccurrences(of: "\(t),", with: "\"t\":null,"))
        lines.append(rating.replacingOccurrences(of: "\(t),", with: "\"t\":\"\","))
        // Undo with a slot and an item, in and out of the queue.
        for extra in ["\"slot\":2", "\"slot\":2,\"item\":\"\(item)\"", "\"slot\":2,\"item\":\"\(other.item)\"", "\"item\":\"\(item)\"",
                      "\"slot\":\(queue.count)", "\"slot\":-1", "\"response\":\"\(a)\"", "\"slot\":2,\"response\":\"\(a)\"", "\"criterion\":\"accuracy\"",
                      "\"option\":\"a\"", "\"value\":4", "\"text\":\"t\"", "\"active_seconds\":1"] {
            lines.append(undo.replacingOccurrences(of: "}", with: ",\(extra)}"))
        }
        // Non-rating events with rating fields; slots beyond the queue.
        for extra in ["\"response\":\"\(a)\"", "\"response\":\"\(other.a)\"", "\"response\":\"zz\"", "\"criterion\":\"zz\"", "\"value\":99", "\"option\":\"zz\"",
                      "\"target\":1", "\"active_seconds\":-1"] {
            lines.append(note.replacingOccurrences(of: "}", with: ",\(extra)}"))
            lines.append(preference.replacingOccurrences(of: "}", with: ",\(extra)}"))
        }
        lines.append(rating.replacingOccurrences(of: "\"slot\":2", with: "\"slot\":\(queue.count)"))
        lines.append(rating.replacingOccurrences(of: "\"slot\":2", with: "\"slot\":\(queue.count - 1)"))
        // Text with escapes, NULs, surrogates; white space of every kind; extra keys; a byte order mark.
        for text in ["\\u0000", "a\\u0000b", "\\ud83d\\ude00", "\\ud800", "\\udc00x", "\\x", "\\", "\\\\", "\\\"", "\\b\\f\\n\\r\\t\\/", "\u{7F}", "é", "e\u{301}",
                     "\u{FEFF}", "\u{2028}", "\\u00e9", "\\uD83D", "tab\there", "\\u12", "\\u12G4"] {
            lines.append(note.replacingOccurrences(of: "\"text\":\"x\"", with: "\"text\":\"\(text)\""))
        }
        for (from, to) in [("{", " {"), ("}", "} "), ("}", "}\t"), ("{", "\t{"), (",", " , "), (":", " : "), ("}", "}\r"), (",", ",\r"),
                           ("{", "\u{FEFF}{"), (",", ",\u{0C}"), ("}", ",}"), ("}", "}}"), ("{", "{{"), ("}", ",\"extra\":1}"),
                           ("}", ",\"extra\":{\"a\":[1,\"x\"]}}"), ("}", ",\"extra\":null}"), ("}", ",\"\":0}")] {
            lines.append(rating.replacingOccurrences(of: from, with: to))
            lines.append(undo.replacingOccurrences(of: from, with: to))
        }
        lines.append(rating.replacingOccurrences(of: "2026-12-01T10:00:03.000Z", with: "2026\u{0}"))
        lines.append(rating.replacingOccurrences(of: "2026-12-01T10:00:03.000Z", with: "\\u0000"))
        lines.append(rating.replacingOccurrences(of: "2026-12-01T10:00:03.000Z", with: "2026-12-01T10:00:01.000Z"))
        lines.append("")
        lines.append(" ")
        lines.append("{}")
        lines.append("[]")
        lines.append("null")

        for hostile in lines {
            assertSameLoad(journal(hostile), hostile)
            assertSameLoad(journal(hostile, separator: "\r\n"), "CRLF: " + hostile)
            // As the last line, with and without its newline.
            var last = Array((header() + "\n" + hostile).utf8)
            assertSameLoad(last, "last, unterminated: " + hostile)
            last.append(0x0A)
            assertSameLoad(last, "last: " + hostile)
        }
        // Invalid UTF-8 inside a string, in the middle and as an unterminated last line.
        for invalid in [[0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] as [[UInt8]] {
            let broken = Array(note.utf8).split(separator: UInt8(ascii: "x"), maxSplits: 1, omittingEmptySubsequences: false)
            let bytes = Array(broken[0]) + invalid + Array(broken[1])
            let middle = journal("@@").split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
            assertSameLoad(Array(middle[0]) + bytes + Array(middle[2]), "invalid UTF-8 \(invalid) in the middle")
            assertSameLoad(Array((header() + "\n").utf8) + bytes, "invalid UTF-8 \(invalid) torn at the end")
            assertSameLoad(Array((header() + "\n").utf8) + bytes + [0x0A], "invalid UTF-8 \(invalid) at the end")
        }
    }
}

/// The writer's byte lines and lazy fold, against loading the file it wrote.
final class FastPathWriterAdversaryTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func open(pairs: Int = 600) throws -> (StudyStore, Study, String, JournalWriter) {
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let built = try StudyBuilder.build(
            pairs: samplePairs(pairs), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 2, annotators: ["alice"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let (study, hash) = try store.load()
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "alice")
        return (store, study, hash, writer)
    }

    /// Both ways of loading the file give the writer's state and events, byte for byte in every string.
    func assertMatchesFile(_ store: StudyStore, _ study: Study, _ hash: String, _ writer: JournalWriter, _ what: String, line: UInt = #line) throws {
        let bytes = [UInt8](try Data(contentsOf: store.journalFile(for: "alice")))
        for fast in [true, false] {
            let loaded = try JournalLoader.load(bytes: bytes, file: "alice", study: study, studySHA256: hash, annotator: "alice", keepingEvents: true, fastLane: fast)
            XCTAssertEqual(writer.state, loaded.state, "\(what) (fast lane \(fast))", line: line)
            XCTAssertEqual(writer.events, loaded.events, "\(what) (fast lane \(fast))", line: line)
        }
    }

    func testEveryCharacterWrittenReadsBackByteForByte() throws {
        let (store, study, hash, writer) = try open(pairs: 20)
        let queue = study.plan(for: "alice")!.queue
        var texts = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["\u{7F}", "\"", "\\", "/", "\\u0041", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FEFF}x", "é", "e\u{301}", "👍🏽", "\u{10FFFF}", "\r\n", " ", "\u{0}\u{0}"]
        texts.append(texts.joined())
        var written: [JournalEvent] = []
        for (index, text) in texts.enumerated() {
            let slot = index % queue.count
            written.append(try writer.append(.note(slot: slot, item: queue[slot].item, text: text)))
            written.append(try writer.append(.flag(slot: slot, item: queue[slot].item, reason: .broken, note: text)))
        }
        // A batch of them too (one write, folded lazily).
        try writer.append(contentsOf: texts.enumerated().map { .note(slot: $0.offset % queue.count, item: queue[$0.offset % queue.count].item, text: $0.element) })
        try assertMatchesFile(store, study, hash, writer, "every character")
        let back = writer.events
        for event in written {
            let read = back.first { $0.seq == event.seq }
            XCTAssertEqual(read.flatMap(\.text).map { Array($0.utf8) }, event.text.map { Array($0.utf8) }, "seq \(event.seq)")
        }
    }

    /// A large batch (folded from the file again) followed at once by an undo, a second large batch, a journal
    /// replaced by a copy of itself between batches, and a merge: the state is always what the file holds.
    func testLargeBatchesThenUndoReplacementAndMerge() throws {
        let (store, study, hash, writer) = try open()
        let queue = study.plan(for: "alice")!.queue
        func ratings(_ round: Int) -> [JournalEvent] {
            queue.enumerated().flatMap { slot, entry in
                ["accuracy", "relevance", "format", "fluency"].flatMap { criterion in
                    [entry.a, entry.b].map { .rating(slot: slot, item: entry.item, response: $0, criterion: criterion, value: 1 + (slot + round) % 5) }
                }
            }
        }
        try writer.append(contentsOf: ratings(0))
        let undone = try writer.undo()
        XCTAssertEqual(undone?.target, writer.state.lastSeq - 1)
        try assertMatchesFile(store, study, hash, writer, "large batch then undo")
        try writer.append(contentsOf: ratings(1))
        // The journal replaced by a copy of itself (an rsync) between two large batches.
        let url = store.journalFile(for: "alice")
        let copy = url.deletingLastPathComponent().appendingPathComponent("copy.tmp")
        try FileManager.default.copyItem(at: url, to: copy)
        XCTAssertEqual(rename(copy.path, url.path), 0)
        try writer.append(contentsOf: ratings(2))
        try assertMatchesFile(store, study, hash, writer, "replaced between large batches")
        XCTAssertEqual(writer.state.slots[7].rating(response: queue[7].a, criterion: "format"), 1 + (7 + 2) % 5)
        // Undo twice more, and a small batch after a large one.
        XCTAssertNotNil(try writer.undo())
        try writer.append(contentsOf: Array(ratings(3).prefix(10)))
        XCTAssertNotNil(try writer.undo())
        try assertMatchesFile(store, study, hash, writer, "undos and a small batch after")
        try writer.append(contentsOf: ratings(4))
        try assertMatchesFile(store, study, hash, writer, "a large batch after undos")
    }
}

/// The model-file line reader on hostile lines: whenever it reads one, `JSONSerialization` reads it the same.
final class PlainJSONLineAdversaryTests: XCTestCase {
    func spelled(_ value: Any) -> String {
        switch value {
        case let text as String: return "s" + Data(text.utf8).base64EncodedString()
        case is NSNull: return "null"
        case let number as NSNumber: return "n(\(number.stringValue))"
        case let list as [Any]: return "[" + list.map(spelled).joined(separator: ",") + "]"
        case let object as [String: Any]:
            return "{" + object.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                .map { spelled($0) + ":" + spelled(object[$0]!) }.joined(separator: ",") + "}"
        default: return "?\(type(of: value))"
        }
    }

    func testHostileLinesReadAsJSONSerializationOrStepAside() throws {
        let texts: [String] = [
            "{\"a\":\"\\ud83d\\ude00\u{FEFF}x\"}", "{\"a\":\"\\n\u{FEFF}\"}", "{\"a\":\"\\u0000\u{FEFF}\"}", "{\"\\u0000\":\"\\u0000\"}",
            "{\"a\":\"x\\/\\/y\"}", "{\"a\":[\"\u{FEFF}\"]}", "{\"a\":\"\u{FEFF}\u{FEFF}\"}", "{\"a\":\"x\u{FEFF}\\n\"}",
            "{\"a\":null,\"a\":\"x\"}", "{\"a\":\"x\",\"a\":null}", "{\"a\":{},\"b\":{\"a\":1}}", "{\"a\" : [ ] , \"b\" : { } }",
            "{\"a\":\"\\uDBFF\\uDFFF\"}", "{\"a\":\"\\uD800\\uDBFF\\uDC00\"}", "{\"a\":\"\u{10FFFF}\u{FFFE}\u{FFFF}\"}",
            "{\"\u{301}\":\"\u{301}\"}", "{\"a\":\"\u{0085}\u{00A0}\u{2028}\"}", "\r\n{\"a\":\"b\"}\r\n", "{\"a\":\"b\"}\u{0}",
            "{\"a\":\"b\"}\u{FEFF}", "{\"a\":\"b\" \u{0C}}", "{\"a\":\"\\u00\"}", "{\"a\":\"\\u\"}", "{\"a\":\"\\U0041\"}",
        ]
        var lines: [[UInt8]] = texts.map { Array($0.utf8) }
        let open: [UInt8] = Array("{\"a\":\"".utf8)
        let close: [UInt8] = Array("\"}".utf8)
        lines.append(open + [0xEF, 0xBB] + close)
        lines.append(open + [0x78, 0xE2, 0x82] + Array("\\u00ac".utf8) + close)
        lines += [
            open + [0xF0, 0x9F, 0x98] + Array("\\\"\"}".utf8),
        ]
        for bytes in lines {
            let data = Data(bytes)
            guard let plain = PlainJSONLine.object(data) else { continue }
            let general = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            XCTAssertEqual(spelled(plain), general.map(spelled), String(decoding: bytes, as: UTF8.self))
        }
    }
}

