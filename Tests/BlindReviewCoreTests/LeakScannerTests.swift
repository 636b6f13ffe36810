@testable import BlindReviewCore
import SeededRandom
import XCTest

final class LeakScannerTests: XCTestCase {
    func testFindsDefaultNamesCaseInsensitivelyOnWordBoundaries() {
        let scanner = LeakScanner(models: [])
        let found = scanner.matches(in: "As ChatGPT, made by openai, I like llama2 and GPT-4. Not gptx or megaclaude.")
        XCTAssertEqual(found.map(\.text), ["ChatGPT", "openai", "llama2", "GPT-4"], "a match covers the version suffix")
        XCTAssertEqual(found.map(\.term), ["ChatGPT", "OpenAI", "LLaMA", "GPT"])
    }

    func testFindsTheTrainedByPhrase() {
        let scanner = LeakScanner(models: [])
        XCTAssertEqual(
            scanner.matches(in: "Sorry, as an AI language model trained by a lab, I cannot.").map(\.text),
            ["as an AI language model trained by"])
    }

    func testAddsSpecificModelNamesButNotGenericOnes() {
        let scanner = LeakScanner(models: ["base", "tuned", "northwind-7b"], includeDefaults: false)
        XCTAssertEqual(scanner.terms, ["northwind-7b"])
        XCTAssertEqual(scanner.matches(in: "I am Northwind-7B, the base model.").first?.tier, .model)
        XCTAssertEqual(scanner.matches(in: "I am Northwind-7B, the base model.").map(\.text), ["Northwind-7B"])
    }

    func testRedactKeepsSurroundingTextIncludingMultibyte() {
        let scanner = LeakScanner(models: [])
        XCTAssertEqual(scanner.redact("Héllo — je suis Claude, d'Anthropic ✓"), "Héllo — je suis [redacted], d'[redacted] ✓")
        XCTAssertEqual(scanner.redact("nothing here"), "nothing here")
    }

    /// Plain ASCII takes a shortcut (no offset tables, a two-byte pre-filter); a text that needs the full
    /// normalisation (a double space, a markdown mark) finds the same terms at the same places.
    func testPlainTextShortcutFindsWhatTheFullNormalisationFinds() {
        let scanner = LeakScanner(models: ["tuned-v2"])
        let plain = "I am GPT-4o-mini by OpenAI.\nAs a Gemini model I differ from Llama 3.1 and tuned-v2; g p t too. x"
        for variant in [plain, plain + "  end", plain + " *end*", plain.replacingOccurrences(of: "\n", with: "\n\n")] {
            let found = scanner.matches(in: variant)
            XCTAssertEqual(found.map(\.text), ["GPT-4o-mini", "OpenAI", "Gemini", "Llama 3.1", "tuned-v2", "g p t"], variant)
            for match in found {
                XCTAssertEqual(String(decoding: Array(variant.utf8)[match.range], as: UTF8.self), match.text)
            }
        }
        XCTAssertEqual(scanner.matches(in: "ab").count, 0)
        XCTAssertEqual(scanner.matches(in: "g").count, 0)
        XCTAssertEqual(scanner.matches(in: "").count, 0)
        XCTAssertEqual(scanner.matches(in: "gpt").map(\.text), ["gpt"])
    }

    /// The one-pass answer for plain text ("nothing can match") is given only when the full scan finds nothing,
    /// and is given for plain text with no term in it, on random texts of words, term pieces, white space,
    /// markdown marks, escapes and non-ASCII.
    func testOnePassAnswerAgreesWithTheFullScan() {
        let scanner = LeakScanner(models: ["tuned-v2", "Zeta"], extraTerms: [LeakTerm(text: "acme corp", tier: .vendor)])
        let pieces = ["the", "a", "code", "and", "to", "reset", "password", "gpt", "GPT", "gp", "Gemini", "gem", "llama", "Llama 3",
                      "OpenAI", "open", "ai", "I am", "made by", "Google", "google", "meta", "Meta", "zeta", "tuned-v2", "tuned", "acme corp",
                      "acme", "g p t", "G.P.T", "phi-3", "Phi", "x", "4", "-", ".", ",", "'", "\n", "é", "Ｇ", "*", "`", "%47", "&#71;",
                      "\u{200B}", "Claude", "claudette", "chatgpt4", "a1", "ai21", "01.AI", "yi", "\u{7F}", "\u{0}"]
        let spaces = [" ", " ", " ", "\n", "\t", "  ", "", "\r\n", "-", "_", "\u{0B}"]
        var rng = SplitMix64(seed: 31)
        var quick = 0
        for _ in 0..<4000 {
            var text = ""
            for _ in 0..<rng.below(14) {
                text += pieces[rng.below(pieces.count)] + spaces[rng.below(spaces.count)]
            }
            let full = scanner.fullMatches(in: text)
            if scanner.cannotMatch(text) {
                quick += 1
                XCTAssertEqual(full, [], text)
            }
            XCTAssertEqual(scanner.matches(in: text), full, text)
        }
        XCTAssertGreaterThan(quick, 200)
        // Plain text without a term is answered in one pass; with one, or not plain, the full scan runs.
        XCTAssertTrue(scanner.cannotMatch("Open Settings, then reset the password and sign in to your account.\nDone"))
        XCTAssertTrue(scanner.cannotMatch("I am made by a goggle search: gp t, g-p, claudette, chatgptx"))
        XCTAssertTrue(scanner.cannotMatch(""))
        XCTAssertTrue(scanner.cannotMatch("g"))
        XCTAssertFalse(scanner.cannotMatch("ask GPT"))
        XCTAssertFalse(scanner.cannotMatch("I am Google's"))  // a vendor term at a word start: the full scan decides
        XCTAssertFalse(scanner.cannotMatch("plain  text"))
        XCTAssertFalse(scanner.cannotMatch("plain *text*"))
        XCTAssertFalse(scanner.cannotMatch("plain text é"))
    }
}
