import BlindReviewCore
import Foundation

/// The order in which the report takes pairs before any resampling, built only from what does not depend on
/// the blinding secret: the SHA-256 of each pair's text (prompt and the two responses), then, for pairs whose
/// text is identical (PandaLM has 86 such groups), the votes on them and (with the key) which model wrote
/// which text. So the same votes give the same report, bootstrap intervals included, for every study made
/// from the same inputs, whatever its secret, ids or `items.jsonl` order.
///
///     CanonicalPairOrder.order(["p9…", "p1…"], items: items, votes: votes, key: key)
///
/// Pairs equal in all of that are interchangeable: swapping them changes no statistic.
enum CanonicalPairOrder {
    static func order(_ ids: [String], items: [String: StudyItem], votes: StudyVotes, key: StudyKey?) -> [String] {
        guard ids.allSatisfy({ items[$0] != nil }) else { return ids }
        // The text hash of every pair; the costlier tie-breakers only for pairs whose text is not unique.
        let hashes = ids.map { id -> String in
            let item = items[id]!
            var text = item.prompt.map { $0.role + "\u{1F}" + $0.content }.joined(separator: "\u{1E}")
            text += "\u{1D}" + item.responses.map { $0.turns.joined(separator: "\u{1E}") }.sorted().joined(separator: "\u{1D}")
            return SHA256Digest.hex(of: Data(text.utf8))
        }
        var seen: [String: Int] = [:]
        for hash in hashes { seen[hash, default: 0] += 1 }
        var byItem: [String: [Vote]] = [:]
        if seen.values.contains(where: { $0 > 1 }) {
            let tied = Set(zip(ids, hashes).filter { seen[$0.1]! > 1 }.map(\.0))
            for vote in votes.votes where !vote.isRepeat && tied.contains(vote.item) { byItem[vote.item, default: []].append(vote) }
        }
        let keyed = zip(ids, hashes).map { id, hash -> (String, String, String, String) in
            guard seen[hash]! > 1 else { return (hash, "", "", id) }
            let item = items[id]!
            // The responses in the order of their text, so that "first" means the same in every study.
            let responses = item.responses.sorted { ($0.text, $0.id) < ($1.text, $1.id) }
            let position = Dictionary(uniqueKeysWithValues: responses.enumerated().map { ($1.id, $0) })
            let ballots = (byItem[id] ?? []).map { vote -> String in
                let choice = vote.hasPreference ? vote.favoured.map { "\(position[$0] ?? 9)" } ?? "tie" : "-"
                let scores = responses.map { response in
                    vote.judgment.ratings(of: response.id).map { $0.map { "\($0.criterion)=\($0.value)" }.joined(separator: ",") } ?? ""
                }
                return vote.annotator + ":" + choice + ":" + scores.joined(separator: "|")
            }.sorted().joined(separator: ";")
            let models = key.map { key in responses.map { key.model(pair: id, response: $0.id) ?? "" }.joined(separator: "|") } ?? ""
            return (hash, ballots, models, id)
        }
        return keyed.sorted { ($0.0, $0.1, $0.2, $0.3) < ($1.0, $1.1, $1.2, $1.3) }.map(\.3)
    }
}
