import BlindReviewCore
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
}
