import AgreementStats
import BlindReviewCore
import Foundation

extension StudyReport {
    /// The report as Markdown, for sharing (issues, wikis, pull requests).
    public func markdown() -> String {
        func f(_ value: Double?, _ digits: Int = 2) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "–" }
        func ci(_ low: Double?, _ high: Double?) -> String { low.flatMap { l in high.map { "[\(f(l)), \(f($0))]" } } ?? "" }
        func p(_ value: Double?) -> String { value.map { $0 < 0.001 ? "< 0.001" : String(format: "%.3f", $0) } ?? "–" }
        // Text from input: made visible (no controls, no line breaks), with the characters Markdown or its HTML
        // would act on escaped, so a note or a name cannot add markup, links or new lines to the report.
        func cell(_ text: String) -> String {
            VisibleText.line(text).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
                .replacingOccurrences(of: "*", with: "\\*").replacingOccurrences(of: "_", with: "\\_").replacingOccurrences(of: "`", with: "\\`")
        }
        var out: [String] = ["# blindreview report: \(cell(study.name))", ""]
        if let seededNotice { out.append("> **Warning**: \(seededNotice).\n") }
        for foreign in foreignJournals { out.append("> **Warning**: \(cell(foreign)).\n") }
        if let judgesIncludedNotice { out.append("> \(cell(judgesIncludedNotice)).\n") }
        out.append("\(pairCount) pairs, \(study.annotators.count) annotators\(results == nil ? " (blind: no model is named)" : ""). Intervals are 95%: bootstrap over pairs with all their votes (B = \(bootstrap)) unless marked otherwise; tests treat the pair as the unit; Holm-adjusted p-values are shown beside raw ones and verdicts use them.")
        out += ["", "## Coverage", "", "| annotators per pair | pairs |", "|---|---|"]
        for count in coverage.keys.sorted() { out.append("| \(count) | \(coverage[count]!) |") }
        out += ["", "## Agreement", ""]
        if let reason = agreement.notApplicable { out.append("Not applicable: \(reason).") }
        if let pref = agreement.preference {
            out += ["### Preference (\(pref.items) pairs)", "", "Kappa and alpha are free of which response of a pair is first.", "", "| measure | value | 95% interval | verdict |", "|---|---|---|---|"]
            for (name, c, verdict) in [("Percent agreement (strict)", pref.pairwiseStrict, false), ("Percent agreement (tie = half)", pref.pairwiseRelaxed, false), ("Unanimous", pref.unanimous, false), (pref.fleissKappaName, pref.fleissKappa, true), ("Krippendorff's alpha (nominal)", pref.alphaNominal, true), ("Krippendorff's alpha (A > tie > B)", pref.alphaOrdinal, true)] {
                out.append("| \(name) | \(f(c.estimate.value)) | \(ci(c.interval?.low, c.interval?.high)) | \(verdict ? VerdictScale.agreement(c.estimate.value) : "") |")
            }
            out += ["", "| annotators | pairs | Cohen's kappa | verdict |", "|---|---|---|---|"]
            for pair in pref.cohen { out.append("| \(cell(pair.raters.0)) / \(cell(pair.raters.1)) | \(pair.pairs) | \(f(pair.kappa.value)) | \(VerdictScale.agreement(pair.kappa.value)) |") }
            if let o = pref.modelOriented {
                out += ["", "Oriented by model (\(cell(o.orientation))): Fleiss' kappa \(f(o.fleissKappa.estimate.value)) \(ci(o.fleissKappa.interval?.low, o.fleissKappa.interval?.high)), Krippendorff's alpha (nominal) \(f(o.alphaNominal.estimate.value)) \(ci(o.alphaNominal.interval?.low, o.alphaNominal.interval?.high)); Cohen's kappa " + o.cohen.map { "\(cell($0.raters.0)) / \(cell($0.raters.1)) \(f($0.kappa.value))" }.joined(separator: ", ") + "."]
            }
        }
        if !agreement.criteria.isEmpty {
            out += ["", "### Criteria", "", "| criterion | alpha (ordinal) | AC2 (quadratic) | verdict |", "|---|---|---|---|"]
            for c in agreement.criteria {
                out.append("| \(cell(c.name))\(c.needsClearerDefinition ? " ⚠" : "") | \(f(c.alphaOrdinal.estimate.value)) \(ci(c.alphaOrdinal.interval?.low, c.alphaOrdinal.interval?.high)) \(VerdictScale.agreement(c.alphaOrdinal.estimate.value)) | \(f(c.gwetAC2.estimate.value)) \(VerdictScale.agreement(c.gwetAC2.estimate.value)) | \(cell(c.verdict)) |")
            }
        }
        if !agreement.disputed.isEmpty {
            out += ["", "Most disputed pairs: " + agreement.disputed.map { "`\(cell($0.item))` (\($0.votes))" }.joined(separator: ", ")]
        }
        out += ["", "## Annotators", "", "| annotator | judged | mean Cohen's kappa with co-raters | self-consistency (Wilson 95%) | left share | position test p (Holm) | median s |", "|---|---|---|---|---|---|---|"]
        for a in annotators {
            let selfC = a.selfConsistency.map { "\(f($0)) of \(a.repeatsCompared) \(ci(a.selfConsistencyWilson?.low, a.selfConsistencyWilson?.high))\(a.tooFewRepeats ? " (too few repeats)" : "")" } ?? "–"
            out.append("| \(cell(a.annotator))\(a.tooFast ? " ⚠ fast" : "") | \(a.judged) | \(f(a.meanKappa)) \(a.meanKappa == nil ? "" : VerdictScale.agreement(a.meanKappa)) | \(selfC) | \(f(a.leftShare)) | \(p(a.leftP)) (\(p(a.leftPHolm))) \(a.leftPHolm == nil ? "" : VerdictScale.test(a.leftPHolm)) | \(f(a.medianSeconds, 1)) |")
        }
        if let share = position.leftShare {
            out += ["", "All annotators: the left response was chosen \(f(share * 100, 0))% of \(position.sideChoices) times on \(position.pairs) pairs (design effect \(f(position.designEffect)); pair-clustered test p \(p(position.test.p)), \(position.test.method): \(VerdictScale.test(position.test.p)))."]
        }
        if let r = results {
            out += ["", "## Results", "", "Win-rate intervals resample \(r.resampling.description); the test of no difference flips signs over pairs."] + resultNotes.flatMap { ["", $0] } + ["", "| models | wins / ties / losses | pairs | votes | design effect | win rate (ties half) | win rate (no ties) | 95% interval | p | p (Holm) | verdict |", "|---|---|---|---|---|---|---|---|---|---|---|"]
            for pair in r.pairs {
                let i = pair.inference
                out.append("| **\(cell(pair.first))** vs \(cell(pair.second)) | \(pair.wins) / \(pair.ties) / \(pair.losses) | \(i.pairs) | \(i.votes) | \(f(i.designEffect)) | \(f(pair.winRateTiesHalf)) | \(f(pair.winRateNoTies)) | \(ci(i.intervalNoTies?.low, i.intervalNoTies?.high)) | \(p(i.test.p)) | \(p(pair.pHolm)) | \(VerdictScale.test(pair.pHolm)) |")
            }
            for c in r.criteria where !c.means.isEmpty {
                out += ["", "### \(cell(c.name))", "", "| model | mean | 95% interval |", "|---|---|---|"]
                for m in c.means { out.append("| \(cell(m.model)) | \(f(m.mean)) | \(ci(m.low, m.high)) |") }
                for d in c.differences { out += ["", "\(cell(d.first)) − \(cell(d.second)): \(f(d.meanDifference)) over \(d.pairs) pairs (Wilcoxon p \(p(d.p)), \(d.method?.rawValue ?? "–"); Holm across criteria \(p(d.pHolm)): \(VerdictScale.test(d.pHolm)))"] }
            }
            if let bt = r.bradleyTerry {
                out += ["", "### Bradley-Terry ranking", "", "Rank: 1 + the number of models whose interval lies entirely above (overlapping intervals share a rank).", "", "| rank | model | strength | 95% interval | group |", "|---|---|---|---|---|"]
                for entry in bt { out.append("| \(entry.rank) | \(cell(entry.model)) | \(f(entry.strength, 3)) | \(ci(entry.low, entry.high)) | \(entry.component) |") }
                if let warning = r.bradleyTerryWarning { out += ["", "⚠ \(cell(warning))."] }
            }
            if let rows = r.winMatrixRows() {
                out += ["", "### Win matrix", "", "Votes for the row's model over the column's (a tie counts half).", ""]
                out.append("| " + rows[0].map(cell).joined(separator: " | ") + " |")
                out.append("|" + String(repeating: "---|", count: rows[0].count))
                for row in rows.dropFirst() { out.append("| " + row.map(cell).joined(separator: " | ") + " |") }
            }
            out += ["", "Length: the longer response won \(f(r.longerPreferred.map { $0 * 100 }, 0))% of \(r.lengthVotes) decided votes (a description only: the better model may simply write more)."]
            if let fit = r.lengthModel {
                out.append("Controlled for the models (logistic regression on the log length ratio with a term per pair of models, pair-clustered standard errors; \(fit.votes) votes on \(fit.pairs) pairs, design effect \(f(fit.designEffect)), \(r.lengthTiesLeftOut) ties left out): odds ×\(f(fit.oddsPerDoubling)) per doubling of length, p \(p(fit.p)): \(VerdictScale.test(fit.p)).")
            }
        }
        if let graded {
            let a = graded.alphaOrdinal
            out += ["", "## Graded preference (scale -\(graded.maxStrength) … +\(graded.maxStrength))", "",
                    "Agreement on the scale: Krippendorff's alpha (ordinal) \(f(a.estimate.value))\(a.interval.map { " [\(f($0.low)), \(f($0.high))]" } ?? ""), \(VerdictScale.agreement(a.estimate.value)).", "",
                    "| models | mean strength toward the first | 95% interval | votes | pairs |", "|---|---|---|---|---|"]
            for pair in graded.pairs {
                out.append("| \(cell(pair.first)) vs \(cell(pair.second)) | \(f(pair.mean)) | \(pair.interval.map { "[\(f($0.low)), \(f($0.high))]" } ?? "–") | \(pair.votes) | \(pair.pairs) |")
            }
        }
        if let grouped {
            out += ["", "## By \(cell(grouped.key))", "", "Each group on its own; intervals resample pairs within the group.", ""]
            out += grouped.lines(markdown: true, escape: cell)
        }
        if let gold {
            let lines = gold.text()
            out += ["", "## Gold checks", "", String(lines[0].dropLast()) + ".", ""] + lines.dropFirst().map { "- " + $0.trimmingCharacters(in: .whitespaces) }
        }
        if let judge { out += judge.markdownLines(results: results, cell: cell) }
        if !flagged.flags.isEmpty {
            out += ["", "## Flagged pairs (\(flagged.items.count))", "", "| pair | source | annotator | reason | note |", "|---|---|---|---|---|"]
            for flag in flagged.flags {
                out.append("| \(cell(flag.item)) | \(cell(flag.sourceID ?? "")) | \(cell(flag.annotator)) | \(cell(flag.reason)) | \(cell(flag.note ?? "")) |")
            }
        }
        out += amendmentMarkdown(cell)
        return out.joined(separator: "\n") + "\n"
    }
}
