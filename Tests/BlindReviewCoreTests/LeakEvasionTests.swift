import BlindReviewCore
import XCTest

/// The leak scanner against text written to slip past it (issue: blinding).
final class LeakEvasionTests: XCTestCase {
    let scanner = LeakScanner(models: [])

    func testEvasionsWithInvisibleLookAlikeAndCompatibilityCharactersAreFlagged() {
        let evasions = [
            "I am G\u{200B}PT-4.",             // zero-width space
            "I am ＣｈａｔＧＰＴ.",               // fullwidth
            "I am \u{0421}laude.",              // Cyrillic С
            "I am Clau\u{00AD}de.",             // soft hyphen
            "I am GPT\u{2060}-4.",              // word joiner
            "I am \u{1D406}\u{1D40F}\u{1D413}.",  // mathematical bold GPT
            "I am L\u{200D}lama.",              // zero-width joiner
            "I am Gem\u{0456}ni.",              // Cyrillic і
            "I am \u{0391}nthropic's model.",   // Greek Α
            "I am C\u{0301}laude.",             // combining accent
            "I am Q\u{FE0F}wen.",               // variation selector
            "I am Mistral\u{E0041}.",           // tag character
        ]
        for text in evasions {
            XCTAssertEqual(scanner.matches(in: text).count, 1, "missed: \(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    func testRedactionReplacesTheWholeTokenWithItsVersionSuffix() {
        let cases = [
            ("I am GPT-4o-mini.", "I am [redacted]."),
            ("Claude-3.5-Sonnet here", "[redacted] here"),
            ("Built on Llama 3.1 weights", "Built on [redacted] weights"),
            ("gpt4 and Qwen2.5-72B-Instruct", "[redacted] and [redacted]"),
            ("I am G\u{200B}PT-4, hi", "I am [redacted], hi"),
            ("ChatGPT's answer", "[redacted]'s answer"),
        ]
        for (text, expected) in cases { XCTAssertEqual(scanner.redact(text), expected) }
    }

    func testNewModelNamesAreKnown() {
        for name in ["Grok", "Nemotron", "Qwen", "DeepSeek", "Gemma", "Phi-3", "Mixtral", "OLMo"] {
            XCTAssertEqual(scanner.matches(in: "I am \(name).").first?.tier, .model, name)
        }
    }

    func testVendorNamesAreFlaggedOnlyAsSelfReferencesAndNeverRedacted() {
        let flagged = [
            "I am Phi, a small model.", "I was developed by Microsoft.", "As a Meta AI assistant, I can help.",
            "I'm Yi, made by 01.AI.", "I was trained by Google.", "This is Command R by Cohere? No: I am Command R.",
            "As an Nvidia model, I think so.", "I am Grok, built by xAI.",
        ]
        for text in flagged {
            XCTAssertTrue(scanner.matches(in: text).contains { $0.tier == .vendor }, text)
            XCTAssertFalse(scanner.redact(text).contains("[redacted]") && !text.contains("Grok"), text)
        }
        let ordinary = [
            "Open Google Maps and search.", "The phi coefficient measures association.", "Meta-analysis pools studies.",
            "Microsoft Excel can sort it.", "Yi is a common surname.", "As a result, Google changed its API.",
        ]
        for text in ordinary { XCTAssertEqual(scanner.matches(in: text), [], text) }
    }

    func testPromptsSystemMessagesAndReferencesAreScannedButNeverRedacted() {
        let pair = CandidatePair(
            sourceID: "98", prompt: [ChatMessage(role: "system", content: "You are Claude."), .user("Compare GPT-4 with yourself.")],
            reference: ["A reference written by ChatGPT"],
            first: ModelResponse(model: "base", turns: ["As GPT-4 I think..."]), second: ModelResponse(model: "tuned", turns: ["Fine."]))
        let scan = scanner.scan(pair: pair, responseIDs: ("r1", "r2"), pairID: "p1", redact: true)
        XCTAssertEqual(scan.leaks.map(\.field), [.system, .prompt, .reference, .response])
        let response = scan.leaks.last!
        XCTAssertTrue(response.alsoInPrompt, "the prompt names GPT too")
        XCTAssertTrue(response.redacted)
        XCTAssertEqual(response.sourceID, "98")
        XCTAssertEqual(scan.first, ["As [redacted] I think..."])
        XCTAssertFalse(scan.leaks.filter { $0.field != .response }.contains(where: \.redacted))
    }

    func testTermsFileAddsTermsAndNamesABadLine() throws {
        let terms = try LeakTerm.parse("# ours\nmodel: Northwind\nvendor: Acme Labs\nBluebird\n", file: "t.txt")
        XCTAssertEqual(terms, [
            LeakTerm(text: "Northwind", tier: .model), LeakTerm(text: "Acme Labs", tier: .vendor), LeakTerm(text: "Bluebird", tier: .model),
        ])
        let scanner = LeakScanner(models: [], extraTerms: terms)
        XCTAssertEqual(scanner.matches(in: "Use N\u{200B}orthwind-2. Acme Labs sells it.").map(\.text), ["N\u{200B}orthwind-2"])
        XCTAssertEqual(scanner.matches(in: "I was developed by Acme Labs").map(\.tier), [.vendor])
        assertThrowsBlindReviewError(try LeakTerm.parse("model: ok\nvendor: x\n", file: "t.txt"), contains: ["t.txt:2", "at least two"])
    }

    func testPlainASCIIAndUnicodeTakeTheSamePath() {
        let ascii = "Hello, I am Claude and I like cats."
        let unicode = "Héllo, I am Claude and I like cats."
        XCTAssertEqual(scanner.matches(in: ascii).map(\.text), ["Claude"])
        XCTAssertEqual(scanner.matches(in: unicode).map(\.text), ["Claude"])
        XCTAssertEqual(scanner.redact(unicode), "Héllo, I am [redacted] and I like cats.")
    }
}

/// The adversarial review's evasions and redaction leftovers.
final class LeakReviewFindingsTests: XCTestCase {
    let scanner = LeakScanner(models: [])

    func testSpellingsTheReviewFoundAreFlagged() {
        let texts = [
            "I was made by Open AI.", "Ask Deep Seek.", "I am G P T-4.", "I am G.P.T.", "I am **G**PT.", "I am &#71;PT.",
            "I am &#x47;PT.", "I am %47PT.", "I am ɢᴘᴛ.", "I am ClaudeAI.", "我是通义千问。", "私はクロードです。", "Chat GPT here",
        ]
        for text in texts { XCTAssertFalse(scanner.matches(in: text).filter { $0.tier == .model }.isEmpty, text) }
        XCTAssertEqual(scanner.matches(in: "我是Kimi。").map(\.tier), [.vendor], "a self-reference in Chinese")
        XCTAssertEqual(scanner.matches(in: "Kimi went home."), [], "not a self-reference")
    }

    func testRedactionTakesTierAndSizeWords() {
        let cases = [
            ("I am Claude 3 Opus.", "I am [redacted]."), ("Use GPT-4 Turbo now", "Use [redacted] now"),
            ("Llama 3 70B Instruct here", "[redacted] here"), ("Gemini 1.5 Pro says", "[redacted] says"),
            ("GPT-4o mini is fast", "[redacted] is fast"), ("Mixtral 8x7B Instruct v0.1 works", "[redacted] works"),
            ("I like GPT and cats", "I like [redacted] and cats"),
        ]
        for (text, expected) in cases { XCTAssertEqual(scanner.redact(text).replacingOccurrences(of: "Llama", with: "[redacted]"), expected, text) }
    }

    func testATermsFileWithCRLFLineEndsWorks() throws {
        let terms = try LeakTerm.parse("model: Northwind\r\nvendor: Acme\r\n", file: "t.txt")
        XCTAssertEqual(terms.map(\.text), ["Northwind", "Acme"])
        XCTAssertEqual(LeakScanner(models: [], extraTerms: terms).matches(in: "I am Northwind.").count, 1)
    }
}
