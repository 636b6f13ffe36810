import AgreementStats
import BlindReviewCore
import Foundation

/// Unblinded judgments as training data: DPO pairs (as TRL's DPOTrainer reads them), a long CSV, or JSONL.
public enum PreferenceExport {
    /// Which pairs become DPO examples.
    public struct Policy: Sendable {
        /// Whether tie votes count in the denominator of the winner's share (they always count against it).
        public var countTies = true
        /// The winner's share of the counted votes must be above this (0.5: a strict majority).
        public var minAgreement = 0.5
        /// The chosen response's mean rubric score (over criteria and annotators who scored it) must be at least
        /// this, so that "both bad" pairs do not teach the model; nil: no minimum.
        public var minChosenScore: Double?
        /// Lists of `{"role", "content"}` messages instead of strings.
        public var conversational = false
        /// Which turns of multi-turn pairs become examples (see ``DPOExample/Turns``).
        public var turns: DPOExample.Turns = .shared
        /// How the string form renders roles.
        public var template: DPOExample.Template = .plain
        /// The mean signed preference strength toward the chosen response must be at least this (a graded
        /// scale's "much better" counts more than "better"); nil: no minimum.
        public var minMargin: Double?

        public init(
            countTies: Bool = true, minAgreement: Double = 0.5, minChosenScore: Double? = nil, conversational: Bool = false,
            turns: DPOExample.Turns = .shared, template: DPOExample.Template = .plain
        ) {
            self.countTies = countTies
            self.minAgreement = minAgreement
            self.minChosenScore = minChosenScore
            self.conversational = conversational
            self.turns = turns
            self.template = template
        }
    }

    public struct DPOResult: Sendable {
        public var lines: [String]
        public var skipped: [String: Int]
    }

    /// One JSON line per pair with a clear winner under `policy`.
    public static func dpo(study: Study, items: [String: StudyItem], key: StudyKey, votes: StudyVotes, policy: Policy) -> DPOResult {
        // Per pair, the positions of its votes (original slots with a preference), in vote order.
        var byItem: [String: [Int]] = [:]
        for (index, vote) in votes.votes.enumerated() where !vote.isRepeat && vote.hasPreference { byItem[vote.item, default: []].append(index) }
        var lines: [String] = []
        var skipped: [String: Int] = [:]
        for id in key.pairsInInputOrder(study: study) {
            guard let positions = byItem[id], let item = items[id] else { skipped["no votes", default: 0] += 1; continue }
            let list = positions.map { votes.votes[$0] }
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
                    members = [("chosen", messages(example.chosen)), ("rejected", messages(example.rejected))]
                } else if policy.conversational {
                    members = [("prompt", messages(example.prompt)), ("chosen", messages(example.chosen)), ("rejected", messages(example.rejected))]
                } else {
                    members = [
                        ("prompt", .string(example.promptString(policy.template))),
                        ("chosen", .string(example.completionString(example.chosen, policy.template))),
                        ("rejected", .string(example.completionString(example.rejected, policy.template))),
                    ]
                }
                if let turn = example.turn { members.append(("turn", .integer(turn))) }
            let entry = key.pairs[id]
            members += [
                ("pair_id", .string(id)), ("source_id", .string(entry?.sourceID ?? "")),
                ("category", entry?.fields?.category.map(OrderedJSON.string) ?? .null),
                ("metadata", entry?.fields?.metadata.map { m in .object(m.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) } ?? .null),
                ("chosen_model", .string(entry?.responses[chosen] ?? "?")),
                ("rejected_model", .string(entry?.responses[rejected] ?? "?")),
                ("votes", .object([("chosen", .integer(winner.value)), ("rejected", .integer(tally[rejected] ?? 0)), ("tie", .integer(ties))])),
                ("agreement", .number((share * 1e6).rounded() / 1e6)),
                ("rubric_margin", .number(margin)),
                ("preference_margin", .number(preferenceMargin.map { ($0 * 1e6).rounded() / 1e6 })),
            ]
            lines.append(OrderedJSON.object(members).rendered(indent: nil))
            }
        }
        return DPOResult(lines: lines, skipped: skipped)
    }

    /// Mean score of a response over criteria and the annotators who scored it; nil when nobody did.
    static func meanScore(_ votes: [Vote], response: String, rubric: Rubric) -> Double? {
        var sum = 0.0, count = 0.0
        for vote in votes {
            // The response's scores looked up once per vote, then each criterion among them.
            guard let scores = vote.judgment.ratings[response] else { continue }
            for criterion in rubric.criteria {
                if let score = scores[criterion.id] { sum += Double(score); count += 1 }
            }
        }
        return count > 0 ? sum / count : nil
    }

    static func messages(_ list: [ChatMessage]) -> OrderedJSON {
        .array(list.map { .object([("role", .string($0.role)), ("content", .string($0.content))]) })
    }

    /// One row per (pair, annotator, response, criterion): ready for pandas or R.
    /// With `raw`, cells are written untouched; otherwise text cells that a spreadsheet would run as a
    /// formula get a leading `'` (see ``SpreadsheetSafety``).
    public static func csv(study: Study, key: StudyKey, votes: StudyVotes, raw: Bool = false, annotator name: (String) -> String = { $0 }) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256 + votes.votes.count * 2 * study.rubric.criteria.count * 140)
        out.append(contentsOf: "study,pair_id,source_id,category,annotator,slot,repeat,response_id,model,side,criterion,score,preference,preferred_model,preferred_side,seconds,note\n".utf8)
        func cell(_ text: String) -> String { csvField(raw ? text : SpreadsheetSafety.neutralise(text)) }
        func add(_ text: String, to bytes: inout [UInt8]) {
            var text = text
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }
        // Each cell is made once where it is shared: per vote, per response, per criterion; a row is then
        // its vote's head, its response's cells, the criterion and score, and its vote's tail, copied as bytes.
        var studyCell: [UInt8] = []
        add(cell(study.name), to: &studyCell)
        let criteria: [(id: String, cell: [UInt8])] = study.rubric.criteria.map { criterion in
            var bytes: [UInt8] = [UInt8(ascii: ",")]
            add(cell(criterion.id), to: &bytes)
            bytes.append(UInt8(ascii: ","))
            return (criterion.id, bytes)
        }
        // Scores are small whole numbers: their cells (with the comma after) made once.
        var scoreCells: [Int: [UInt8]] = [:]
        func scoreCell(_ score: Int?) -> [UInt8] {
            guard let score else { return [UInt8(ascii: ",")] }
            if let made = scoreCells[score] { return made }
            var bytes: [UInt8] = []
            add(cell(String(score)), to: &bytes)
            bytes.append(UInt8(ascii: ","))
            scoreCells[score] = bytes
            return bytes
        }
        var head: [UInt8] = [], shown: [UInt8] = [], tail: [UInt8] = []
        // Seconds formatted once per value (most votes share a few: imported ones all have 0).
        var secondsText: [Double: String] = [:]
        func seconds(_ value: Double) -> String {
            if let made = secondsText[value] { return made }
            let made = String(format: "%.1f", value)
            secondsText[value] = made
            return made
        }
        for vote in votes.votes {
            let preferredModel = vote.favoured.flatMap { key.model(pair: vote.item, response: $0) } ?? (vote.hasPreference ? "tie" : "")
            let preferredSide = vote.chosenSide?.rawValue ?? (vote.hasPreference ? "tie" : "")
            let pair = key.pairs[vote.item]
            head.removeAll(keepingCapacity: true)
            head.append(contentsOf: studyCell)
            for text in [vote.item, pair?.sourceID ?? "", pair?.fields?.category ?? "", name(vote.annotator), String(vote.slot)] {
                head.append(UInt8(ascii: ","))
                add(cell(text), to: &head)
            }
            head.append(contentsOf: vote.isRepeat ? ",1".utf8 : ",0".utf8)
            tail.removeAll(keepingCapacity: true)
            for (index, text) in [vote.judgment.preference ?? "", preferredModel, preferredSide,
                                  seconds(vote.judgment.activeSeconds), vote.judgment.note ?? ""].enumerated() {
                if index > 0 { tail.append(UInt8(ascii: ",")) }
                add(cell(text), to: &tail)
            }
            tail.append(UInt8(ascii: "\n"))
            let ratings = vote.judgment.ratings
            for side in Side.allCases {
                let response = vote.entry.response(on: side)
                shown.removeAll(keepingCapacity: true)
                shown.append(contentsOf: head)
                for text in [response, pair?.responses[response] ?? "", side.rawValue] {
                    shown.append(UInt8(ascii: ","))
                    add(cell(text), to: &shown)
                }
                let scores = ratings[response]
                for criterion in criteria {
                    out.append(contentsOf: shown)
                    out.append(contentsOf: criterion.cell)
                    out.append(contentsOf: scoreCell(scores?[criterion.id]))
                    out.append(contentsOf: tail)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func csvField(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Every unblinded judgment, one JSON object per line.
    public static func jsonl(study: Study, key: StudyKey, votes: StudyVotes, annotator name: (String) -> String = { $0 }) -> [String] {
        votes.votes.map { vote in
            let shown: [(String, OrderedJSON)] = Side.allCases.map { side in
                let response = vote.entry.response(on: side)
                var scores: [(String, OrderedJSON)] = []
                for criterion in study.rubric.criteria {
                    scores.append((criterion.id, vote.judgment.rating(response: response, criterion: criterion.id).map { .integer($0) } ?? .null))
                }
                return (side.rawValue, .object([("response_id", .string(response)), ("model", .string(key.model(pair: vote.item, response: response) ?? "?")), ("scores", .object(scores))]))
            }
            return OrderedJSON.object([
                ("study", .string(study.name)), ("pair_id", .string(vote.item)), ("source_id", .string(key.pairs[vote.item]?.sourceID ?? "")),
                ("category", key.pairs[vote.item]?.fields?.category.map(OrderedJSON.string) ?? .null),
                ("annotator", .string(name(vote.annotator))), ("slot", .integer(vote.slot)), ("repeat", .bool(vote.isRepeat)),
                ("shown", .object(shown)), ("preference", vote.judgment.preference.map(OrderedJSON.string) ?? .null),
                ("preferred_model", vote.favoured.flatMap { key.model(pair: vote.item, response: $0) }.map(OrderedJSON.string) ?? (vote.hasPreference ? .string("tie") : .null)),
                ("note", vote.judgment.note.map(OrderedJSON.string) ?? .null), ("seconds", .number(vote.judgment.activeSeconds)),
            ]).rendered(indent: nil)
        }
    }
}
