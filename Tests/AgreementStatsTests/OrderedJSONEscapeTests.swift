@testable import AgreementStats
import XCTest

final class OrderedJSONEscapeTests: XCTestCase {
    /// The escaping as first defined: scalar by scalar.
    static func escapeByScalar(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Copying runs of bytes gives the same text, also where an escaped quote or backslash is followed by a
    /// combining mark (one character with it) and around CR LF, emoji and controls.
    func testRunsOfBytesEscapeLikeScalars() {
        let pieces = ["a", "\"", "\\", "\u{301}", "\r\n", "\n", "\r", "\t", "\u{1}", "\u{7F}", "é", "日本", "👍🏽", " ", "/"]
        var state: UInt64 = 7
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int(state % 12) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var out = ""
            OrderedJSON.escape(text, into: &out)
            XCTAssertEqual(out, Self.escapeByScalar(text), text.debugDescription)
        }
        var quoted = ""
        OrderedJSON.escape("\"\u{301}x", into: &quoted)
        XCTAssertEqual(quoted, "\"\\\"\u{301}x\"")
    }
}
