import AgreementStats
import BlindReviewCore
import Foundation

/// A dataset card for a DPO export, in the shape Hugging Face dataset repositories use (YAML front matter, then
/// Markdown): what the data is, where it came from (the study's random id, never anything from the key beyond
/// the model names the rows already carry), the rubric, the counts, the agreement, the policies that chose the
/// rows and the license.
///
///     DatasetCard.render(report: report, key: key, policy: policy, exported: 412, skipped: [...], license: "cc-by-4.0", ...)
public enum DatasetCard {
    public static func render(
        report: StudyReport, key: StudyKey, policy: PreferenceExport.Policy, exported: Int, skipped: [String: Int], license: String,
        excludedFlagged: Bool, pseudonymized: Bool
    ) -> String {
        let study = report.study
        func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "n/a" }
        var out = """
            ---
            license: \(license)
            task_categories:
            - text-generation
            tags:
            - dpo
            - preference
            - human-feedback
            - blindreview
            size_categories:
            - \(exported < 1_000 ? "n<1K" : exported < 10_000 ? "1K<n<10K" : exported < 100_000 ? "10K<n<100K" : "100K<n<1M")
            ---

            # Human preferences from blindreview study "\(study.name)"

            Pairs of model responses judged blind by people with blindreview \
            \(BlindReviewVersion.current): annotators saw two anonymous responses per prompt, in random sides, and \
            rated them on a rubric before choosing the better one. Each line is one pair with a clear winner, in the \
            format TRL's DPOTrainer reads (`prompt`, `chosen`, `rejected`).

            ## Source

            - Study id: `\(study.studyID ?? "(version 1 study)")`\(key.seeded ? " (seeded: reproducible from its --seed)" : "")
            - Models compared: \(key.models.map { "`\($0)`" }.joined(separator: ", "))
            - Pairs in the study: \(report.pairCount); annotators: \(study.annotators.count)\(pseudonymized ? " (names replaced by stable opaque ids)" : "")
            - Rubric "\(study.rubric.name)" (SHA-256 `\(study.rubricSHA256.prefix(16))…`): \(study.rubric.criteria.map(\.name).joined(separator: ", ")); then \(study.rubric.preference.options.map(\.label).joined(separator: " / "))

            ## Agreement between annotators


            """
        if let p = report.agreement.preference {
            out += "- Preference: \(p.fleissKappaName) \(f(p.fleissKappa.estimate.value)), Krippendorff's alpha (nominal) \(f(p.alphaNominal.estimate.value)), on \(p.items) pairs\n"
        } else {
            out += "- Not measured: \(report.agreement.notApplicable ?? "fewer than two annotators judged a pair")\n"
        }
        for criterion in report.agreement.criteria {
            out += "- \(criterion.name): Krippendorff's alpha (ordinal) \(f(criterion.alphaOrdinal.estimate.value))\n"
        }
        out += """

            ## How rows were chosen

            - A pair is kept when one response has more votes than the other and than the ties, with a share of the \
            votes above \(policy.minAgreement) (tie votes \(policy.countTies ? "count" : "do not count") in the share)\
            \(policy.minChosenScore.map { ", and a mean rubric score of the chosen response of at least \($0)" } ?? "").
            - Multi-turn pairs: \(policy.turns == .shared ? "only those whose history both responses share" : "the first turn of each").
            - Strings: \(policy.conversational ? "conversational (lists of role/content messages)" : "the \(policy.template.rawValue) template").
            \(excludedFlagged ? "- Pairs an annotator flagged (broken, duplicate, offensive, unsure) are left out.\n" : "")\
            \(report.study.withdrawn.isEmpty ? "" : "- Pairs the lead withdrew while the study ran are left out: \(report.study.withdrawn.count) (\(report.withdrawnPairs.map { $0.reason.isEmpty ? "no reason given" : $0.reason }.joined(separator: "; "))).\n")- Rows: \(exported); \
            left out: \(skipped.isEmpty ? "none" : skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")).

            ## License

            \(license)

            """
        return out
    }
}
