import AgreementStats
import BlindReviewCore
import Foundation

extension StudyReport {
    /// The report as Markdown, for sharing (issues, wikis, pull requests).
    public func markdown() -> String {
        func f(_ value: Double?, _ digits: Int = 2) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "–" }
        func ci(_ low: Double?, _ high: Double?) -> String { low.flatMap { l in high.map { "[\(f(l)), \(f($0))]" } } ?? "" }
        func p(_ value: Double?) -> String { value.map { $0 < 0.001 ? "< 0.001" : String(format: "%.3f", $0) } ?? "–" }
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var out: [String] = ["# blindreview report: \(cell(study.name))", ""]
        if let seededNotice { out.append("> **Warning**: \(seededNotice).\n") }
        out.append("\(pairCount) pairs, \(study.annotators.count) annotators\(results == nil ? " (blind: no model is named)" : ""). Intervals are 95% (bootstrap, B = \(bootstrap), unless marked Wilson).")
        out += ["", "## Coverage", "", "| annotators per pair | pairs |", "|---|---|"]
        for count in coverage.keys.sorted() { out.append("| \(count) | \(coverage[count]!) |") }
        out += ["", "## Agreement", ""]
        if let reason = agreement.notApplicable { out.append("Not applicable: \(reason).") }
        if let pref = agreement.preference {
            out += ["### Preference (\(pref.items) pairs)", "", "| measure | value | 95% interval |", "|---|---|---|"]
            for (name, c) in [("Percent agreement (strict)", pref.pairwiseStrict), ("Percent agreement (tie = half)", pref.pairwiseRelaxed), ("Unanimous", pref.unanimous), ("Fleiss' kappa", pref.fleissKappa), ("Krippendorff's alpha (nominal)", pref.alphaNominal)] {
                out.append("| \(name) | \(f(c.estimate.value)) | \(ci(c.interval?.low, c.interval?.high)) |")
            }
            out += ["", "| annotators | pairs | Cohen's kappa |", "|---|---|---|"]
            for pair in pref.cohen { out.append("| \(cell(pair.raters.0)) / \(cell(pair.raters.1)) | \(pair.itemsBothRated) | \(f(pair.cohen.kappa.value)) |") }
        }
        if !agreement.criteria.isEmpty {
            out += ["", "### Criteria", "", "| criterion | alpha (ordinal) | AC2 (quadratic) | verdict |", "|---|---|---|---|"]
            for c in agreement.criteria {
                out.append("| \(cell(c.name))\(c.needsClearerDefinition ? " ⚠" : "") | \(f(c.alphaOrdinal.estimate.value)) \(ci(c.alphaOrdinal.interval?.low, c.alphaOrdinal.interval?.high)) | \(f(c.gwetAC2.estimate.value)) | \(cell(c.verdict)) |")
            }
        }
        if !agreement.disputed.isEmpty {
            out += ["", "Most disputed pairs: " + agreement.disputed.map { "`\(cell($0.item))` (\($0.votes))" }.joined(separator: ", ")]
        }
        out += ["", "## Annotators", "", "| annotator | judged | agreement with others | self-consistency | left share (p) | median s |", "|---|---|---|---|---|---|"]
        for a in annotators {
            out.append("| \(cell(a.annotator))\(a.tooFast ? " ⚠ fast" : "") | \(a.judged) | \(f(a.agreementWithOthers)) | \(f(a.selfConsistency)) | \(f(a.leftShare)) (\(p(a.leftP))) | \(f(a.medianSeconds, 1)) |")
        }
        if let r = results {
            out += ["", "## Results", "", "| models | wins / ties / losses | win rate (ties half) | win rate (no ties) | Wilson 95% | sign test p |", "|---|---|---|---|---|---|"]
            for pair in r.pairs {
                out.append("| **\(cell(pair.first))** vs \(cell(pair.second)) | \(pair.wins) / \(pair.ties) / \(pair.losses) | \(f(pair.winRateTiesHalf)) | \(f(pair.winRateNoTies)) | \(ci(pair.wilson?.low, pair.wilson?.high)) | \(p(pair.signTestP)) |")
            }
            for c in r.criteria where !c.means.isEmpty {
                out += ["", "### \(cell(c.name))", "", "| model | mean | 95% interval |", "|---|---|---|"]
                for m in c.means { out.append("| \(cell(m.model)) | \(f(m.mean)) | \(ci(m.low, m.high)) |") }
                for d in c.differences { out += ["", "\(cell(d.first)) − \(cell(d.second)): \(f(d.meanDifference)) over \(d.pairs) pairs (Wilcoxon p \(p(d.p)))"] }
            }
            if let bt = r.bradleyTerry {
                out += ["", "### Bradley-Terry ranking", "", "| model | strength | 95% interval |", "|---|---|---|"]
                for entry in bt { out.append("| \(cell(entry.model)) | \(f(entry.strength, 3)) | \(ci(entry.low, entry.high)) |") }
            }
            out += ["", "Length bias: the longer response won \(f(r.longerPreferred.map { $0 * 100 }, 0))% of \(r.lengthVotes) decided votes (sign test p \(p(r.lengthP)))."]
        }
        return out.joined(separator: "\n") + "\n"
    }
}
