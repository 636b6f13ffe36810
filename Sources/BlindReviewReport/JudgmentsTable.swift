import BlindReviewCore
import Foundation

/// `export --format csv --table judgments`: one row per pair and annotator, the table most analyses start from,
/// and the shape `import` reads, so that exporting a study's judgments and importing them into a study made from
/// the same inputs gives the same report.
///
/// Columns: `study, pair_id, id` (the prompt's id in the inputs), `category`, one `meta.KEY` per metadata key,
/// `annotator, model_a, model_b` (the pair's models in input order: `--model` order, or the `--pairs` line's
/// a and b), `preference` (`a`, `b` or `tie` in those terms), `strength` (signed toward a; graded scales),
/// `preferred_model`, `preference_shown` (the option as chosen on screen), `<criterion>_a, <criterion>_b` for
/// each criterion, `seconds, flag, flag_note, note`. Hidden repeats are left out (they are in `--table ratings`).
public enum JudgmentsTable {
    public static func csv(study: Study, key: StudyKey, votes: StudyVotes, raw: Bool, annotator name: (String) -> String) -> String {
        let metadataKeys = Array(Set(key.pairs.values.flatMap { $0.fields?.metadata?.keys.map { $0 } ?? [] })).sorted()
        var header = ["study", "pair_id", "id", "category"] + metadataKeys.map { "meta." + $0 }
        header += ["annotator", "model_a", "model_b", "preference", "strength", "preferred_model", "preference_shown"]
        header += study.rubric.criteria.flatMap { [$0.id + "_a", $0.id + "_b"] }
        header += ["seconds", "flag", "flag_note", "note"]
        var out = header.joined(separator: ",") + "\n"
        let question = study.rubric.preference
        for vote in votes.votes where !vote.isRepeat {
            guard let entry = key.pairs[vote.item], let order = entry.inputOrder, order.count == 2 else { continue }
            let (a, b) = (order[0], order[1])
            var preference = "", strength = "", preferred = "", shown = ""
            if let id = vote.judgment.preference, let option = question.option(id), let sideOfA = vote.entry.side(of: a) {
                let signed = option.signedStrength(toward: sideOfA)
                preference = signed > 0 ? "a" : signed < 0 ? "b" : "tie"
                strength = question.isGraded ? String(signed) : ""
                preferred = signed > 0 ? key.model(pair: vote.item, response: a) ?? "" : signed < 0 ? key.model(pair: vote.item, response: b) ?? "" : "tie"
                shown = id
            }
            var row = [study.name, vote.item, entry.sourceID, entry.fields?.category ?? ""]
            row += metadataKeys.map { entry.fields?.metadata?[$0] ?? "" }
            row += [name(vote.annotator), key.model(pair: vote.item, response: a) ?? "", key.model(pair: vote.item, response: b) ?? "", preference, strength, preferred, shown]
            for criterion in study.rubric.criteria {
                row.append(vote.judgment.rating(response: a, criterion: criterion.id).map(String.init) ?? "")
                row.append(vote.judgment.rating(response: b, criterion: criterion.id).map(String.init) ?? "")
            }
            row += [String(format: "%.1f", vote.judgment.activeSeconds), vote.judgment.flag ?? "", vote.judgment.flagNote ?? "", vote.judgment.note ?? ""]
            out += row.map { PreferenceExport.csvField(raw ? $0 : SpreadsheetSafety.neutralise($0)) }.joined(separator: ",") + "\n"
        }
        return out
    }
}
