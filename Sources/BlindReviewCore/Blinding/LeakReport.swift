/// A possible identity leak found at creation, for the lead to review.
public struct LeakReport: Equatable, Sendable {
    /// Where in the pair the text was found.
    public enum Field: String, Sendable {
        case response, prompt, system, reference
    }

    public var pairID: String
    /// The prompt's id in the inputs (for the lead; never shown to annotators).
    public var sourceID: String
    /// The response's opaque id, for a leak in a response.
    public var responseID: String?
    public var field: Field
    /// The term matched, as listed (e.g. "GPT"), and the text as it appears (e.g. "GPT-4o-mini").
    public var term: String
    public var text: String
    public var tier: LeakTerm.Tier
    public var context: String
    /// A response naming a term that its own prompt names (MT-Bench question 98 asks about GPT-4): often fine.
    public var alsoInPrompt: Bool
    public var redacted: Bool
}

extension LeakScanner {
    /// The result of scanning one pair: the responses' turns (redacted when asked) and what was found.
    public struct PairScan: Sendable {
        public var first: [String]
        public var second: [String]
        public var leaks: [LeakReport]
    }

    /// Scans a pair's prompt, system messages, reference and both responses; with `redact`, replaces `model`
    /// matches in the responses (never in prompts or references, which the lead wrote or chose).
    public func scan(pair: CandidatePair, responseIDs: (String, String), pairID: String, redact: Bool) -> PairScan {
        var leaks: [LeakReport] = []
        var promptTerms = Set<String>()
        for message in pair.prompt {
            let field: LeakReport.Field = message.role == "system" ? .system : .prompt
            for match in matches(in: message.content) {
                promptTerms.insert(match.term.lowercased())
                leaks.append(report(match, sourceID: pair.sourceID, in: message.content, pairID: pairID, responseID: nil, field: field, alsoInPrompt: false, redacted: false))
            }
        }
        for turn in pair.reference ?? [] {
            for match in matches(in: turn) {
                leaks.append(report(match, sourceID: pair.sourceID, in: turn, pairID: pairID, responseID: nil, field: .reference, alsoInPrompt: promptTerms.contains(match.term.lowercased()), redacted: false))
            }
        }
        var turns: [[String]] = []
        for (id, response) in [(responseIDs.0, pair.first), (responseIDs.1, pair.second)] {
            var out: [String] = []
            for turn in response.turns {
                let found = matches(in: turn)
                for match in found {
                    leaks.append(report(
                        match, sourceID: pair.sourceID, in: turn, pairID: pairID, responseID: id, field: .response,
                        alsoInPrompt: promptTerms.contains(match.term.lowercased()), redacted: redact && match.tier == .model))
                }
                out.append(redact && found.contains { $0.tier == .model } ? self.redact(turn) : turn)
            }
            turns.append(out)
        }
        return PairScan(first: turns[0], second: turns[1], leaks: leaks)
    }

    private func report(
        _ match: Match, sourceID: String, in text: String, pairID: String, responseID: String?, field: LeakReport.Field, alsoInPrompt: Bool,
        redacted: Bool
    ) -> LeakReport {
        LeakReport(
            pairID: pairID, sourceID: sourceID, responseID: responseID, field: field, term: match.term, text: match.text, tier: match.tier,
            context: StudyBuilder.context(of: match.range, in: text), alsoInPrompt: alsoInPrompt, redacted: redacted)
    }
}
