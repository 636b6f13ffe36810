import AgreementStats
import BlindReviewCore
@testable import BlindReviewReport
import Foundation

// The dpo and csv exports as they were before the fast paths (main at dafef55), kept word for word apart from
// their home, so that tests can compare the fast paths' bytes with them.
enum LegacyPreferenceExport {
    /// `StudyKey.pairsInInputOrder` as it was.
    static func pairsInInputOrder(_ key: StudyKey, study: Study) -> [String] {
        let pairs = key.pairs
        let originals = study.itemIDs.filter { pairs[$0]?.repeatOf == nil && study.withdrawn[$0] == nil }
        let position = Dictionary(uniqueKeysWithValues: originals.enumerated().map { ($1, $0) })
        return originals.sorted { (pairs[$0]?.inputIndex ?? position[$0]!, position[$0]!) < (pairs[$1]?.inputIndex ?? position[$1]!, position[$1]!) }
    }

    /// One JSON line per pair with a clear winner under `policy`.
    static func dpo(study: Study, items: [String: StudyItem], key: StudyKey, votes: StudyVotes, policy: PreferenceExport.Policy) -> PreferenceExport.DPOResult {
        var byItem: [String: [Vote]] = [:]
        for vote in votes.originals where vote.hasPreference { byItem[vote.item, default: []].append(vote) }
        var lines: [String] = []
        var skipped: [String: Int] = [:]
        for id in pairsInInputOrder(key, study: study) {
            guard let list = byItem[id], let item = items[id] else { skipped["no votes", default: 0] += 1; continue }
            var tally: [String: Int] = [:]
            var ties = 0
            for vote in list { if let favoured = vote.favoured { tally[favoured, default: 0] += 1 } else { ties += 1 } }
            let ranked = tally.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            guard let winner = ranked.first, !(ranked.count > 1 && ranked[1].value == winner.value) else {
                skipped[ranked.isEmpty ? "tie majority" : "split", default: 0] += 1
                continue
            }
            let counted = Double(winner.value + (ranked.count > 1 ? ranked[1].value : 0) + (policy.countTies ? ties : 0))
            let share = Double(winner.value) / counted
            if ties >= winner.value { skipped["tie majority", default: 0] += 1; continue }
            guard share > policy.minAgreement else { skipped["below --min-agreement", default: 0] += 1; continue }
            let chosen = winner.key
            guard let rejected = item.responses.map(\.id).first(where: { $0 != chosen }),
                let chosenResponse = item.response(chosen), let rejectedResponse = item.response(rejected) else { continue }
            let chosenScore = meanScore(list, response: chosen, rubric: study.rubric)
            if let minimum = policy.minChosenScore {
                guard let score = chosenScore, score >= minimum else { skipped["below --min-chosen-score", default: 0] += 1; continue }
            }
            let rejectedScore = meanScore(list, response: rejected, rubric: study.rubric)
            // Difference of mean rubric totals, rounded to hide floating-point noise.
            let margin = chosenScore.flatMap { c in rejectedScore.map { r in ((c - r) * Double(study.rubric.criteria.count) * 1e6).rounded() / 1e6 } }
            // The preference margin: the mean signed strength toward the chosen response over the votes (ties 0).
            let strengths = list.compactMap { vote -> Int? in
                guard let id = vote.judgment.preference, let option = study.rubric.preference.option(id), let side = vote.entry.side(of: chosen) else { return nil }
                return option.signedStrength(toward: side)
            }
            let preferenceMargin = strengths.isEmpty ? nil : Double(strengths.reduce(0, +)) / Double(strengths.count)
            if let minimum = policy.minMargin {
                guard let margin = preferenceMargin, margin >= minimum else { skipped["below --min-margin", default: 0] += 1; continue }
            }
            for cut in DPOExample.cuts(item, chosen: chosenResponse, rejected: rejectedResponse, turns: policy.turns) {
                let example: DPOExample
                switch cut {
                case .success(let made): example = made
                case .failure(let reason): skipped[reason.skip.rawValue, default: 0] += 1; continue
                }
                var members: [(String, OrderedJSON)]
                if example.implicitPrompt {
                    members = [("chosen", PreferenceExport.messages(example.chosen)), ("rejected", PreferenceExport.messages(example.rejected))]
                } else if policy.conversational {
                    members = [("prompt", PreferenceExport.messages(example.prompt)), ("chosen", PreferenceExport.messages(example.chosen)), ("rejected", PreferenceExport.messages(example.rejected))]
                } else {
                    members = [
                        ("prompt", .string(example.promptString(policy.template))),
                        ("chosen", .string(example.completionString(example.chosen, policy.template))),
                        ("rejected", .string(example.completionString(example.rejected, policy.template))),
                    ]
                }
                if let turn = example.turn { members.append(("turn", .integer(turn))) }
            members += [
                ("pair_id", .string(id)), ("source_id", .string(key.pairs[id]?.sourceID ?? "")),
                ("category", key.pairs[id]?.fields?.category.map(OrderedJSON.string) ?? .null),
                ("metadata", key.pairs[id]?.fields?.metadata.map { m in .object(m.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) } ?? .null),
                ("chosen_model", .string(key.model(pair: id, response: chosen) ?? "?")),
                ("rejected_model", .string(key.model(pair: id, response: rejected) ?? "?")),
                ("votes", .object([("chosen", .integer(winner.value)), ("rejected", .integer(tally[rejected] ?? 0)), ("tie", .integer(ties))])),
                ("agreement", .number((share * 1e6).rounded() / 1e6)),
                ("rubric_margin", .number(margin)),
                ("preference_margin", .number(preferenceMargin.map { ($0 * 1e6).rounded() / 1e6 })),
            ]
            lines.append(OrderedJSON.object(members).rendered(indent: nil))
            }
        }
        return PreferenceExport.DPOResult(lines: lines, skipped: skipped)
    }

    /// Mean score of a response over criteria and the annotators who scored it; nil when nobody did.
    static func meanScore(_ votes: [Vote], response: String, rubric: Rubric) -> Double? {
        var sum = 0.0, count = 0.0
        for vote in votes {
            for criterion in rubric.criteria {
                if let score = vote.judgment.rating(response: response, criterion: criterion.id) { sum += Double(score); count += 1 }
            }
        }
        return count > 0 ? sum / count : nil
    }

    /// One row per (pair, annotator, response, criterion): ready for pandas or R.
    /// With `raw`, cells are written untouched; otherwise text cells that a spreadsheet would run as a
    /// formula get a leading `'` (see ``SpreadsheetSafety``).
    static func csv(study: Study, key: StudyKey, votes: StudyVotes, raw: Bool = false, annotator name: (String) -> String = { $0 }) -> String {
        var out = "study,pair_id,source_id,category,annotator,slot,repeat,response_id,model,side,criterion,score,preference,preferred_model,preferred_side,seconds,note\n"
        func cell(_ text: String) -> String { PreferenceExport.csvField(raw ? text : SpreadsheetSafety.neutralise(text)) }
        // Each cell is made once where it is shared: per vote, per response, per criterion.
        let studyCell = cell(study.name)
        let criteria = study.rubric.criteria.map { ($0.id, cell($0.id)) }
        for vote in votes.votes {
            let preferredModel = vote.favoured.flatMap { key.model(pair: vote.item, response: $0) } ?? (vote.hasPreference ? "tie" : "")
            let preferredSide = vote.chosenSide?.rawValue ?? (vote.hasPreference ? "tie" : "")
            let pair = key.pairs[vote.item]
            let head = [studyCell, cell(vote.item), cell(pair?.sourceID ?? ""), cell(pair?.fields?.category ?? ""), cell(name(vote.annotator)),
                        cell(String(vote.slot)), vote.isRepeat ? "1" : "0"].joined(separator: ",")
            let tail = [cell(vote.judgment.preference ?? ""), cell(preferredModel), cell(preferredSide),
                        cell(String(format: "%.1f", vote.judgment.activeSeconds)), cell(vote.judgment.note ?? "")].joined(separator: ",")
            for side in Side.allCases {
                let response = vote.entry.response(on: side)
                let shown = head + "," + [cell(response), cell(key.model(pair: vote.item, response: response) ?? ""), cell(side.rawValue)].joined(separator: ",")
                for (id, criterionCell) in criteria {
                    out += shown + "," + criterionCell + "," + cell(vote.judgment.rating(response: response, criterion: id).map(String.init) ?? "") + "," + tail + "\n"
                }
            }
        }
        return out
    }

}
