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
}
