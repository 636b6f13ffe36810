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
        /// One example per turn whose history both responses share: turn 1 always, a later turn only when the
        /// two models' earlier answers are identical. Each line says its `turn`.
        case each
        /// Whole conversations in TRL's implicit-prompt form (`chosen` and `rejected` only, each the full
        /// conversation; the trainer takes their shared start as the prompt). The later user turns then fall in
        /// the completions: only for a trainer that masks user turns. Needs `--conversational`.
        case whole
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
    /// The turn this example is (with `--turns each`).
    public var turn: Int?
    /// True for `--turns whole`: no prompt, full conversations in `chosen` and `rejected`.
    public var implicitPrompt = false

    /// Why a pair gives no example, or nil when it gives one.
    public enum Skip: String, Sendable {
        case differingHistories = "multi-turn, each model answered the earlier turns itself (see --turns)"
        case laterTurnDiffers = "a later turn whose earlier answers differ (--turns each)"
        case emptyCompletion = "empty chosen or rejected response"
    }

    /// Every example a pair gives under `turns` (several with `each`), or why not.
    public static func cuts(_ item: StudyItem, chosen: BlindResponse, rejected: BlindResponse, turns: Turns) -> [Result<DPOExample, SkipReason>] {
        let answered = max(chosen.turns.count, rejected.turns.count)
        switch turns {
        case .shared, .first:
            return [cut(item, chosen: chosen, rejected: rejected, turns: turns)]
        case .whole:
            guard answered > 1 else { return [cut(item, chosen: chosen, rejected: rejected, turns: .shared)] }
            let users = item.prompt.filter { $0.role == "user" }
            guard users.count == chosen.turns.count, users.count == rejected.turns.count else { return [.failure(SkipReason(.differingHistories))] }
            guard !chosen.turns.contains(where: \.isBlank), !rejected.turns.contains(where: \.isBlank) else { return [.failure(SkipReason(.emptyCompletion))] }
            let system = item.prompt.filter { $0.role == "system" }
            func conversation(_ response: BlindResponse) -> [ChatMessage] {
                system + zip(users, response.turns).flatMap { [$0, ChatMessage(role: "assistant", content: $1)] }
            }
            var example = DPOExample(prompt: [], chosen: conversation(chosen), rejected: conversation(rejected))
            example.implicitPrompt = true
            return [.success(example)]
        case .each:
            guard answered > 1 else { return [cut(item, chosen: chosen, rejected: rejected, turns: .shared)] }
            let userIndices = item.prompt.indices.filter { item.prompt[$0].role == "user" }
            guard userIndices.count == chosen.turns.count, userIndices.count == rejected.turns.count else { return [.failure(SkipReason(.differingHistories))] }
            var out: [Result<DPOExample, SkipReason>] = []
            for turn in 0..<userIndices.count {
                // The history before this turn is shared only when both models gave the same earlier answers.
                guard Array(chosen.turns[0..<turn]) == Array(rejected.turns[0..<turn]) else {
                    out.append(.failure(SkipReason(.laterTurnDiffers)))
                    continue
                }
                guard !chosen.turns[turn].isBlank, !rejected.turns[turn].isBlank else {
                    out.append(.failure(SkipReason(.emptyCompletion)))
                    continue
                }
                var prompt = Array(item.prompt[..<userIndices[0]])
                for k in 0...turn {
                    prompt.append(item.prompt[userIndices[k]])
                    if k < turn { prompt.append(ChatMessage(role: "assistant", content: chosen.turns[k])) }
                }
                var example = DPOExample(
                    prompt: prompt, chosen: [ChatMessage(role: "assistant", content: chosen.turns[turn])],
                    rejected: [ChatMessage(role: "assistant", content: rejected.turns[turn])])
                example.turn = turn + 1
                out.append(.success(example))
            }
            return out
        }
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
