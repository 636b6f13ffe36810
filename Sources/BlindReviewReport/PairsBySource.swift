import BlindReviewCore

/// The study's original pairs (no hidden repeats) by the prompt id of the inputs, as `import` and `import-judge`
/// find the pair a row or verdict is about.
///
/// A pair withdrawn and then replaced (`amend withdraw`, then `amend add-pairs` with the same prompt and models, the
/// README's way to replace a broken pair) leaves two pairs under one id; the id then means the replacement, and the
/// withdrawn pair is left out. A withdrawn pair that was not replaced keeps its id (a re-import finds it).
///
///     let bySource = PairsBySource.map(key: key, study: study)
///     bySource["81"]   // ["p3c1…"]: the replacement only, after a replace
public enum PairsBySource {
    public static func map(key: StudyKey, study: Study) -> [String: [String]] {
        var bySource: [String: [String]] = [:]
        for (pair, entry) in key.pairs where entry.repeatOf == nil { bySource[entry.sourceID, default: []].append(pair) }
        guard !study.withdrawn.isEmpty else { return bySource }
        func models(_ pair: String) -> Set<String> { Set(key.pairs[pair]?.responses.values.map { $0 } ?? []) }
        for (source, pairs) in bySource where pairs.count > 1 && pairs.contains(where: { study.withdrawn[$0] != nil }) {
            let live = pairs.filter { study.withdrawn[$0] == nil }
            bySource[source] = pairs.filter { pair in
                study.withdrawn[pair] == nil || !live.contains { models($0) == models(pair) }
            }
        }
        return bySource
    }
}
