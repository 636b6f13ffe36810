import AgreementStats
import BlindReviewCore
import Foundation

/// Human judgments in the shape of FastChat's MT-Bench human judgments (`question_id`, `model_a`, `model_b`,
/// `winner`, `judge`, `turn`), so they feed the tools people already use to compare judges with humans.
///
/// One line per vote on a pair (hidden repeats left out). `model_a` and `model_b` follow the order of the
/// study's models (the `--model` order, or first appearance in `--pairs`), never the sides an annotator saw;
/// `winner` is `model_a`, `model_b` or `tie`; `turn` is the last turn shown; an integer prompt id is written
/// as a number, as in MT-Bench's files.
///
///     MTBenchExport.lines(key: key, items: items, votes: votes, judge: { $0 })
///     // {"question_id":81,"model_a":"base","model_b":"tuned","winner":"model_b","judge":"alice","turn":2}
public enum MTBenchExport {
    public static func lines(key: StudyKey, items: [String: StudyItem], votes: StudyVotes, judge: (String) -> String) -> [String] {
        let rank = Dictionary(key.models.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var out: [String] = []
        for vote in votes.votes where !vote.isRepeat && vote.hasPreference {
            guard let entry = key.pairs[vote.item], let item = items[vote.item] else { continue }
            let models = [vote.entry.a, vote.entry.b].map { ($0, key.model(pair: vote.item, response: $0) ?? "?") }
                .sorted { (rank[$0.1] ?? Int.max, $0.1) < (rank[$1.1] ?? Int.max, $1.1) }
            let winner: String
            if let favoured = vote.favoured { winner = favoured == models[0].0 ? "model_a" : "model_b" } else { winner = "tie" }
            let turns = item.responses.map(\.turns.count).max() ?? 1
            out.append(OrderedJSON.object([
                ("question_id", Int(entry.sourceID).map(OrderedJSON.integer) ?? .string(entry.sourceID)),
                ("model_a", .string(models[0].1)), ("model_b", .string(models[1].1)), ("winner", .string(winner)),
                ("judge", .string(judge(vote.annotator))), ("turn", .integer(turns)),
            ]).rendered(indent: nil))
        }
        return out
    }
}

/// Stable opaque names for annotators in a dataset that may be published: `annotator-` and 8 hex digits of an
/// HMAC of the name under the study's secret (or, for a version 1 key, a hash of the study and the name). The
/// same annotator gets the same name in every export of the study, and nobody without the key can tell who.
///
///     let names = Pseudonyms(key: key)
///     names("alice")   // "annotator-3f9a0c21"
public struct Pseudonyms: Sendable {
    let secret: StudySecret?
    let study: String

    public init(key: StudyKey) {
        secret = key.studySecret
        study = key.studyID ?? key.study
    }

    public func callAsFunction(_ annotator: String) -> String {
        if let secret {
            return "annotator-" + String(StudySecret.hex64(secret.identifier("pseudonym", annotator)).prefix(8))
        }
        return "annotator-" + String(SHA256Digest.hex(of: Data((study + "\u{1F}" + annotator).utf8)).prefix(8))
    }
}
