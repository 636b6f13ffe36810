import BlindReviewCore

/// One DPO training example cut from a judged pair, under the format contract TRL's DPOTrainer relies on:
/// the prompt is the conversation both responses share, the completions are assistant text only (never a
/// user's turn), and roles alternate.
///
/// A pair answered in one turn gives prompt = the prompt's messages, completion = the answer. A multi-turn pair
/// whose later user turns each model answered with its own earlier answers has no shared history past the first
/// user turn: by default it is skipped (and counted); `turns: .first` exports its first turn (the prompt up to
/// the first user turn, each model's first answer), which is exact when the judgment was on the first turn
/// (studies made with `create --turns 1`, MT-Bench's turn-1 verdicts).
///
///     DPOExample.cut(item, chosen: a, rejected: b, turns: .shared)   // nil for a multi-turn pair
///     DPOExample.cut(item, chosen: a, rejected: b, turns: .first)    // its first turn
public struct DPOExample: Equatable, Sendable {
    /// Which turns of a multi-turn pair become an example.
    public enum Turns: String, Sendable, CaseIterable {
        /// Only pairs whose history is shared (single-turn pairs and prompts that already carry the history).
        case shared
        /// The first turn of every pair.
        case first
    }

    /// How the string form renders roles (the conversational form keeps messages as they are).
    public enum Template: String, Sendable, CaseIterable {
        /// `User: …` / `System: …` blocks separated by a blank line, ending in `Assistant:`; the completion
        /// starts with a space and carries no role label.
        case plain
        /// ChatML: `<|im_start|>role\n…<|im_end|>\n` blocks, ending in `<|im_start|>assistant\n`; the
        /// completion ends with `<|im_end|>`.
        case chatml
    }

    public var prompt: [ChatMessage]
    public var chosen: [ChatMessage]
    public var rejected: [ChatMessage]

    /// Why a pair gives no example, or nil when it gives one.
    public enum Skip: String, Sendable {
        case differingHistories = "multi-turn, each model answered the earlier turns itself (see --turns)"
        case emptyCompletion = "empty chosen or rejected response"
    }

    public static func cut(_ item: StudyItem, chosen: BlindResponse, rejected: BlindResponse, turns: Turns) -> Result<DPOExample, SkipReason> {
        var prompt = item.prompt
        var chosenText = chosen.text
        var rejectedText = rejected.text
        // Several answer turns: each model answered the later user turns after its own earlier answers.
        if max(chosen.turns.count, rejected.turns.count) > 1 {
            guard turns == .first, let first = item.prompt.firstIndex(where: { $0.role == "user" }) else {
                return .failure(SkipReason(.differingHistories))
            }
            prompt = Array(item.prompt[...first])
            chosenText = chosen.turns.first ?? ""
            rejectedText = rejected.turns.first ?? ""
        }
        guard !chosenText.isBlank, !rejectedText.isBlank else { return .failure(SkipReason(.emptyCompletion)) }
        return .success(DPOExample(
            prompt: prompt, chosen: [ChatMessage(role: "assistant", content: chosenText)],
            rejected: [ChatMessage(role: "assistant", content: rejectedText)]))
    }

    /// The reason as an Error, for `Result`.
    public struct SkipReason: Error, Equatable, Sendable {
        public var skip: Skip
        public init(skip: Skip) { self.skip = skip }
        init(_ skip: Skip) { self.skip = skip }
    }

    /// The prompt as one string, ending where the assistant's answer begins.
    public func promptString(_ template: Template) -> String {
        switch template {
        case .plain:
            return prompt.map { "\($0.role.capitalized): \($0.content)" }.joined(separator: "\n\n") + "\n\nAssistant:"
        case .chatml:
            return prompt.map { "<|im_start|>\($0.role)\n\($0.content)<|im_end|>\n" }.joined() + "<|im_start|>assistant\n"
        }
    }

    /// A completion as one string, to be appended to ``promptString(_:)``.
    public func completionString(_ messages: [ChatMessage], _ template: Template) -> String {
        let text = messages.map(\.content).joined(separator: "\n\n")
        switch template {
        case .plain: return " " + text
        case .chatml: return text + "<|im_end|>\n"
        }
    }
}
