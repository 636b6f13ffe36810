import AgreementStats
import BlindReviewCore

/// `report --by KEY`: the win rates and the preference agreement again within each group of pairs that share a
/// value of the prompt's `category` (or of a metadata key), each with its interval, resampling pairs within the
/// group. MT-Bench's questions give its eight categories.
///
///     GroupedResults.compute(by: "category", study: study, key: key, items: items, votes: votes, bootstrap: 1000, seed: 1)
public struct GroupedResults: Sendable {
    public struct Group: Sendable {
        /// The group's value; "(none)" for pairs whose prompt has no such field.
        public var value: String
        public var pairs: Int
        public var judgedPairs: Int
        /// Preference agreement within the group (nil with fewer than two annotators on a pair).
        public var fleissKappa: AgreementSection.Coefficient?
        /// Per pair of models, with the key: the win rates and their intervals within the group.
        public var results: [ModelComparison.PairResult]
    }

    public var key: String
    public var groups: [Group]

    public static let none = "(none)"

    public static func compute(
        by field: String, study: Study, key: StudyKey?, items: [String: StudyItem], votes: StudyVotes, unblinded: Bool,
        bootstrap: Int, seed: UInt64, resampling: ResamplingUnit
    ) -> GroupedResults {
        func value(_ id: String) -> String { key?.pairs[id]?.fields?.value(of: field) ?? none }
        var members: [String: Set<String>] = [:]
        for id in study.itemIDs { members[value(id), default: []].insert(id) }
        var groups: [Group] = []
        for name in members.keys.sorted(by: { ($0 == none ? 1 : 0, $0) < ($1 == none ? 1 : 0, $1) }) {
            let ids = members[name]!
            var sub = study
            sub.itemIDs = study.itemIDs.filter { ids.contains($0) }
            var subVotes = votes
            subVotes.votes = votes.votes.filter { ids.contains($0.item) }
            let agreement = AgreementSection.compute(study: sub, votes: subVotes, bootstrap: bootstrap, seed: seed, orientation: nil)
            let results = unblinded ? key.map {
                ModelComparison.compute(study: sub, items: items, key: $0, votes: subVotes, bootstrap: bootstrap, seed: seed, resampling: resampling).pairs
            } ?? [] : []
            let judged = Set(subVotes.votes.filter { !$0.isRepeat && $0.hasPreference }.map(\.item)).count
            groups.append(Group(value: name, pairs: ids.count, judgedPairs: judged, fleissKappa: agreement.preference?.fleissKappa, results: results))
        }
        return GroupedResults(key: field, groups: groups)
    }

    /// A plain table, for the text and Markdown reports; `escape` is applied to every cell (Markdown escaping).
    public func lines(markdown: Bool, escape: (String) -> String = { $0 }) -> [String] {
        func f(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "–" }
        func interval(_ i: ResampledInterval?) -> String { i.map { "[\(f($0.low)), \(f($0.high))]" } ?? "" }
        var rows: [[String]] = [["\(key)", "pairs", "judged", "kappa", "95% interval", "models", "win rate (ties half)", "95% interval"]]
        for group in groups {
            let kappa = group.fleissKappa
            let first = [group.value, "\(group.pairs)", "\(group.judgedPairs)", f(kappa?.estimate.value), kappa?.interval.map { "[\(f($0.low)), \(f($0.high))]" } ?? ""]
            if group.results.isEmpty {
                rows.append(first + ["", "", ""])
            }
            for (index, pair) in group.results.enumerated() {
                let lead = index == 0 ? first : ["", "", "", "", ""]
                rows.append(lead + ["\(pair.first) vs \(pair.second)", f(pair.winRateTiesHalf), interval(pair.inference.intervalTiesHalf)])
            }
        }
        if markdown {
            return rows.enumerated().flatMap { index, row -> [String] in
                let line = "| " + row.map(escape).joined(separator: " | ") + " |"
                return index == 0 ? [line, "|" + String(repeating: "---|", count: row.count)] : [line]
            }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        return rows.map { row in
            "  " + row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}
