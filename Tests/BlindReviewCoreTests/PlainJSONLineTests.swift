@testable import BlindReviewCore
import Foundation
import SeededRandom
import XCTest

/// The hand reader of model and pair file lines gives exactly what `JSONSerialization` gives, and steps aside
/// (nil) for everything it does not read the same way, so that errors, warnings and odd lines read as before.
final class PlainJSONLineTests: XCTestCase {
    /// A value spelled out with its types and every string's UTF-8 bytes (Swift's `==` on strings would call
    /// "é" and "e\u{301}" equal, and `[String: Any]` has no `==`).
    func spelled(_ value: Any) -> String {
        switch value {
        case let text as String: return "s" + Data(text.utf8).base64EncodedString()
        case is NSNull: return "null"
        case let number as NSNumber: return "n(\(String(cString: number.objCType)) \(number.stringValue))"
        case let list as [Any]: return "[" + list.map(spelled).joined(separator: ",") + "]"
        case let object as [String: Any]:
            return "{" + object.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                .map { spelled($0) + ":" + spelled(object[$0]!) }.joined(separator: ",") + "}"
        default: return "?\(type(of: value))"
        }
    }

    func serialized(_ line: Data) -> String? {
        (try? JSONSerialization.jsonObject(with: line, options: [.fragmentsAllowed])).map(spelled)
    }

    /// The hand reader reads `line`, and as JSONSerialization does.
    func assertReadsSame(_ line: String, file: StaticString = #filePath, at: UInt = #line) {
        let data = Data(line.utf8)
        guard let plain = PlainJSONLine.object(data) else {
            return XCTFail("stepped aside: \(line.prefix(200))", file: file, line: at)
        }
        XCTAssertEqual(spelled(plain), serialized(data), String(line.prefix(200)), file: file, line: at)
    }

    func testModelFileShapesReadAsJSONSerializationReadsThem() {
        let lines = [
            #"{"id": "q1", "prompt": "How do I reset my password?", "response": "Open Settings..."}"#,
            #"{"id":"q1","prompt":"Hi","response":"Hello"}"#,
            #"{"id": "q1", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}"#,
            #"{"id": "q1", "prompt": ["turn 1", "turn 2"], "response": ["answer 1", "answer 2"], "reference": ["r1", "r2"]}"#,
            #"{"id": "q1", "prompt": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}], "response": "Yo"}"#,
            #"{"id": "q1", "prompt": "p", "response": "r", "category": "coding", "metadata": {"source": "forum", "tags": ["a", "b"], "n": null}}"#,
            #"{"id": "p1", "prompt": "Q?", "response_a": "left", "response_b": "right", "mapping": {"a": "m1", "b": "m2"}}"#,
            #"{"id": "q1", "prompt": "p", "response": null, "reference": null, "answer_id": "x7", "model_id": "m"}"#,
            #"{}"#, #"{"":""}"#, #"{"a":[]}"#, #"{"a":{}}"#, #"{"a":[[],[[]],{}]}"#,
            "  {\t\"id\" :\r\"q\" ,  \"response\"\t:  \"r\"  }  \r",
            #"{"id": "日本語", "prompt": "Ｃｈａｔ GPT 🙂 é e\#u{301} \#u{200B}", "response": "Привет, мир! \#u{FFFF} \#u{10FFFF}"}"#,
            #"{"id": "q1", "prompt": {"nested": {"deeper": [{"role": "user", "content": ["x", {"y": null}]}]}}, "response": "r"}"#,
        ]
        for line in lines { assertReadsSame(line) }
    }

    func testEveryEscapeReadsAsJSONSerializationReadsIt() {
        let escapes = [#"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#, #"\u0041"#, #"\u00e9"#, #"\u00E9"#,
                       #"\u20AC"#, #"\uFFFF"#, #"\uFEFF"#, #"\ud83d\ude00"#, #"\uD83D\uDE00"#, #"\udbff\udfff"#, #"\ud800\udc00"#,
                       #"\u0000"#, #"\u007f"#, #"\u0080"#, #"\u07ff"#, #"\u0800"#, #"\uE000"#]
        var all = ""
        for escape in escapes {
            assertReadsSame(#"{"id": "q\#(escape)", "response": "\#(escape)"}"#)
            assertReadsSame(#"{"\#(escape)": "x\#(escape)y\#(escape)\#(escape)z"}"#)
            all += escape + "plain é "
        }
        for unit in 0..<0x20 {
            let escape = String(format: "\\u%04x", unit)
            assertReadsSame(#"{"a": "\#(escape)", "b": "x\#(escape)"}"#)
        }
        assertReadsSame(#"{"response": "\#(all)"}"#)
        assertReadsSame(#"{"response": ["\#(all)", "\#(all)"], "k\#(all)": {"\#(all)": "\#(all)"}}"#)
    }

    func testStepsAsideForWhatItDoesNotReadExactly() {
        let lines = [
            #"{"question_id": 81, "response": "r"}"#,  // numbers
            #"{"id": "q", "n": 1.5}"#, #"{"id": "q", "n": -0}"#, #"{"id": "q", "n": 1e400}"#,
            #"{"id": "q", "ok": true}"#, #"{"id": "q", "ok": false}"#,
            #"{"id": "q", "id": "r"}"#,  // a repeated key
            #"{"id": "q", "metadata": {"a": "1", "a": "2"}}"#,
            #"{"id": "\ud800"}"#, #"{"id": "\udc00"}"#, #"{"id": "\ud800x"}"#, #"{"id": "\ud800\u0041"}"#,
            #"{"id": "\ud800\ud800"}"#, #"{"id": "\ude00\ud83d"}"#, #"{"id": "x\ud83d"}"#,
            #"{"id": "\x41"}"#, #"{"id": "\a"}"#, #"{"id": "\u12"}"#, #"{"id": "\u12G4"}"#, #"{"id": "\"#,
            "{\"id\": \"a\tb\"}", "{\"id\": \"a\u{01}b\"}", "{\"id\": \"a\u{1F}b\"}",  // raw control characters
            "\u{FEFF}{\"id\": \"q\"}",  // a byte order mark before the object, and where JSONSerialization drops one:
            "{\"id\": \"\u{FEFF}q\"}", "{\"id\": \"q\\n\u{FEFF}r\"}", "{\"\u{FEFF}id\": \"q\"}", "{\"id\": [\"\u{FEFF}\"]}",
            #"{"id": "q"} x"#, #"{"id": "q"}{}"#, #"x{"id": "q"}"#, #"["id"]"#, #""id""#, #"null"#, "",
            #"{"id": "q",}"#, #"{"id": ["q",]}"#, #"{"id" "q"}"#, #"{"id": "q""#, #"{"id": 'q'}"#, #"{id: "q"}"#, #"{"id": nul}"#,
            #"{"id": NULL}"#, #"{"id": [1]}"#, #"{"id": ["a",]}"#, #"{"id": "q"]"#,
            String(repeating: "{\"a\":", count: 33) + "null" + String(repeating: "}", count: 33),
            "{\"a\":" + String(repeating: "[", count: 32) + String(repeating: "]", count: 32) + "}",
        ]
        for line in lines {
            XCTAssertNil(PlainJSONLine.object(Data(line.utf8)), line)
        }
        // Invalid UTF-8, in a value and in a key.
        for invalid in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]] {
            XCTAssertNil(PlainJSONLine.object(Data(Array(#"{"id": "a"#.utf8) + invalid + Array(#"b"}"#.utf8))))
            XCTAssertNil(PlainJSONLine.object(Data(Array(#"{""#.utf8) + invalid + Array(#"": "b"}"#.utf8))))
        }
        // A byte order mark inside a run is kept, by both, as is an escaped one anywhere.
        assertReadsSame("{\"id\": \"q\u{FEFF}\", \"k\u{FEFF}\": \"a\\n.\u{FEFF}\", \"r\": \"\\uFEFF\\n\\ufeffx\"}")
        // The deepest nesting it reads.
        assertReadsSame(String(repeating: "{\"a\":", count: 32) + "null" + String(repeating: "}", count: 32))
        assertReadsSame("{\"a\":" + String(repeating: "[", count: 31) + String(repeating: "]", count: 31) + "}")
    }

    /// What users see does not change: a line with lone surrogates is still repaired and counted, and a line
    /// that is not JSON still fails with its file and line.
    func testLinesItStepsAsideFromStillReadAsBefore() throws {
        let (object, replaced) = try JSONLines.objectAllowingLoneSurrogates(
            JSONLine(number: 3, bytes: Data(#"{"id": "q", "response": "a\ud800b"}"#.utf8)), file: "m.jsonl")
        XCTAssertEqual(replaced, 1)
        XCTAssertEqual(object["response"] as? String, "a\u{FFFD}b")
        XCTAssertThrowsError(try JSONLines.objectAllowingLoneSurrogates(JSONLine(number: 7, bytes: Data(#"{"id": "q",,}"#.utf8)), file: "m.jsonl")) { error in
            XCTAssertEqual((error as? BlindReviewError)?.line, 7)
            XCTAssertEqual((error as? BlindReviewError)?.file, "m.jsonl")
        }
        XCTAssertThrowsError(try JSONLines.objectAllowingLoneSurrogates(JSONLine(number: 2, bytes: Data(#"["id"]"#.utf8)), file: "m.jsonl")) { error in
            XCTAssertEqual((error as? BlindReviewError)?.message, "expected a JSON object on this line")
        }
    }

    /// A random value of the kinds the reader reads, written with random white space and random escaping.
    struct RandomLine {
        var rng: SplitMix64

        mutating func space() -> String {
            ["", "", "", " ", "  ", "\t", " \r "][rng.below(7)]
        }

        mutating func scalar() -> Unicode.Scalar {
            switch rng.below(10) {
            case 0..<4: return Unicode.Scalar(UInt8(0x20 + rng.below(0x5F)))
            case 4: return Unicode.Scalar(UInt8(rng.below(0x20)))
            case 5: return Unicode.Scalar(UInt32(0x80 + rng.below(0x780)))!
            case 6: return Unicode.Scalar(UInt32(0x800 + rng.below(0xD000 - 0x800)))!
            case 7: return Unicode.Scalar(UInt32(0xE000 + rng.below(0x2000)))!
            case 8: return Unicode.Scalar(UInt32(0x10000 + rng.below(0x100000)))!
            default: return ["\"", "\\", "/", "\u{7F}", "\u{FEFF}", "\u{200B}", "\u{301}", "é"].map { Unicode.Scalar($0)! }[rng.below(8)]
            }
        }

        /// A JSON string literal for a random text, each scalar written raw or escaped at random. A U+FEFF that
        /// would begin a run of raw text (which JSONSerialization drops, and the reader leaves to it) is escaped.
        mutating func string(_ length: Int) -> String {
            var out = "\""
            var runStart = true
            for _ in 0..<length {
                let s = scalar()
                let short: [UInt32: String] = [0x22: #"\""#, 0x5C: #"\\"#, 0x2F: #"\/"#, 0x08: #"\b"#, 0x0C: #"\f"#, 0x0A: #"\n"#, 0x0D: #"\r"#, 0x09: #"\t"#]
                let mustEscape = s.value < 0x20 || s.value == 0x22 || s.value == 0x5C || (s.value == 0xFEFF && runStart)
                if (mustEscape || rng.below(6) == 0), let escape = short[s.value], rng.below(2) == 0 {
                    out += escape
                    runStart = true
                } else if mustEscape || rng.below(6) == 0 {
                    for unit in String(s).utf16 { out += String(format: rng.below(2) == 0 ? "\\u%04x" : "\\u%04X", Int(unit)) }
                    runStart = true
                } else {
                    out.unicodeScalars.append(s)
                    runStart = false
                }
            }
            return out + "\""
        }

        mutating func value(_ depth: Int) -> String {
            switch depth > 3 ? rng.below(2) : rng.below(6) {
            case 0: return string(rng.below(12))
            case 1: return rng.below(4) == 0 ? "null" : string(rng.below(40))
            case 2, 3:
                return "[" + space() + (0..<rng.below(4)).map { _ in value(depth + 1) }.joined(separator: space() + "," + space()) + space() + "]"
            default: return object(depth + 1)
            }
        }

        mutating func object(_ depth: Int) -> String {
            var keys = Set<String>()
            var members: [String] = []
            for _ in 0..<rng.below(5) {
                let key = string(rng.below(6))
                // Keys equal after decoding would make a repeated key; keep them apart by their literal.
                guard keys.insert(key).inserted else { continue }
                members.append(space() + key + space() + ":" + space() + value(depth))
            }
            return "{" + members.joined(separator: ",") + space() + "}"
        }
    }

    /// Random lines of every kind it reads: the same as JSONSerialization whenever it reads one, and it reads
    /// all of those without a repeated key.
    func testRandomLinesReadAsJSONSerializationReadsThem() {
        var random = RandomLine(rng: SplitMix64(seed: 2026))
        var read = 0
        for _ in 0..<3000 {
            let line = random.space() + random.object(0) + random.space()
            let data = Data(line.utf8)
            let expected = serialized(data)
            XCTAssertNotNil(expected, line)
            if let plain = PlainJSONLine.object(data) {
                XCTAssertEqual(spelled(plain), expected, line)
                read += 1
            } else {
                // Only keys that are one key once decoded (an escape, or Swift's canonical equivalence of
                // "é" and "e\u{301}") may make it step aside.
                XCTAssertTrue(line.contains("\\") || !line.unicodeScalars.allSatisfy(\.isASCII), "stepped aside from \(line)")
            }
        }
        XCTAssertGreaterThan(read, 2900)
    }

    /// Damaged lines (bytes removed, replaced, inserted): whenever the hand reader reads one, JSONSerialization
    /// reads it too and gives the same.
    func testDamagedLinesNeverReadDifferently() {
        var random = RandomLine(rng: SplitMix64(seed: 77))
        var rng = SplitMix64(seed: 78)
        let replacements = Array("{}[]\",:0123456789 -.etrufalsn\\u/bDdcC\t\r\u{01}".utf8) + [0xC3, 0xA9, 0xFF, 0xED]
        var read = 0
        for _ in 0..<3000 {
            var bytes = Array((#"{"id": "q1", "prompt": "#.utf8)) + Array(random.value(1).utf8) + Array(#", "response": "#.utf8) + Array(random.string(30).utf8) + [0x7D]
            for _ in 0..<(1 + rng.below(3)) {
                let at = rng.below(bytes.count)
                switch rng.below(3) {
                case 0: bytes.remove(at: at)
                case 1: bytes[at] = replacements[rng.below(replacements.count)]
                default: bytes.insert(replacements[rng.below(replacements.count)], at: at)
                }
            }
            let data = Data(bytes)
            guard let plain = PlainJSONLine.object(data) else { continue }
            read += 1
            XCTAssertEqual(spelled(plain), serialized(data), String(decoding: bytes, as: UTF8.self))
        }
        XCTAssertGreaterThan(read, 100)
    }

    /// A 5 MB response with escapes and non-ASCII throughout, and a long multi-turn conversation.
    func testHugeLinesReadAsJSONSerializationReadsThem() {
        var random = RandomLine(rng: SplitMix64(seed: 5))
        var chunk = ""
        while chunk.utf8.count < 50_000 { chunk += String(random.string(200).dropFirst().dropLast()) + "word, é 🙂 \\n " }
        let response = String(repeating: chunk, count: 100)
        assertReadsSame(#"{"id": "big", "prompt": "p", "response": "\#(response)"}"#)
        let turns = (0..<2000).map { #"{"role": "\#($0 % 2 == 0 ? "user" : "assistant")", "content": "turn \#($0) \\u00e9\\n"}"# }
        assertReadsSame(#"{"id": "long", "messages": [\#(turns.joined(separator: ", "))]}"#)
    }
}
