import Foundation

/// `create --turns N`: keep only the first N user turns of every comparison, with the response turns that answer
/// them and the reference's first N turns. A judge that saw only the first turn (MT-Bench's turn-1 verdicts) and
/// people can then judge the same thing.
///
/// The response turns answer the user turns after the prompt's last assistant message: a two-turn MT-Bench answer
/// `[a1, a2]` answers user turns 1 and 2 (and a shorter one, `[a1]`, turn 1); a single response after a shared
/// history `[user1, assistant1, user2]` answers user turn 2. A comparison with fewer than N user turns is kept
/// whole.
///
///     let pair = CandidatePair(sourceID: "81", prompt: [.user("q1"), .user("q2")], reference: nil,
///                              first: ModelResponse(model: "x", turns: ["a1", "a2"]), second: ...)
///     try TurnLimit.firstTurns(1, of: pair).first.turns   // ["a1"]
public enum TurnLimit {
    public static func firstTurns(_ limit: Int, of pair: CandidatePair) throws -> CandidatePair {
        precondition(limit >= 1)
        let userPositions = pair.prompt.indices.filter { pair.prompt[$0].role == "user" }
        guard userPositions.count > limit else { return pair }
        let lastAssistant = pair.prompt.lastIndex { $0.role == "assistant" }
        let answered = lastAssistant.map { last in userPositions.filter { $0 < last }.count } ?? 0
        var copy = pair
        // Everything before the first user turn that is cut (system messages and shared history stay).
        copy.prompt = Array(pair.prompt[..<userPositions[limit]])
        func cut(_ turns: [String], model: String) throws -> [String] {
            // Turn j of the response answers user turn (answered + j), counting from 0, where `answered` user turns
            // are answered by the prompt's own history.
            let offset = answered
            let kept = turns.enumerated().filter { offset + $0.offset < limit }.map(\.element)
            guard !kept.isEmpty else {
                throw BlindReviewError(
                    message: "prompt \"\(VisibleText.line(pair.sourceID))\": \(VisibleText.line(model))'s response answers user turn \(offset + 1) or later, so --turns \(limit) leaves nothing of it",
                    fix: "raise --turns to at least \(offset + 1), or leave it out")
            }
            return kept
        }
        copy.first.turns = try cut(pair.first.turns, model: pair.first.model)
        copy.second.turns = try cut(pair.second.turns, model: pair.second.model)
        copy.reference = pair.reference.map { Array($0.prefix(limit)) }
        return copy
    }
}
