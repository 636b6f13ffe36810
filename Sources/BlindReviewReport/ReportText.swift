import AgreementStats
import BlindReviewCore
import Foundation

extension StudyReport {
    /// The report for the terminal: tables and Unicode bars with their 95% intervals, fitting 80 columns.
    public func text() -> String {
        var out: [String] = []
        func f(_ value: Double?, _ digits: Int = 2) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "-" }
        func ci(_ c: AgreementSection.Coefficient) -> String {
            guard let low = c.interval?.low, let high = c.interval?.high else { return "" }
            return "[\(f(low)), \(f(high))]"
        }
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
        }
        func p(_ value: Double?) -> String {
            guard let value else { return "p -" }
            return value < 0.001 ? "p < 0.001" : String(format: "p = %.3f", value)
        }
        out.append("blindreview report: study \(study.name) (\(pairCount) pairs, \(study.annotators.count) annotators)\(results == nil ? ", blind" : "")")
        if let seededNotice { out.append("warning: \(seededNotice)") }
        for foreign in foreignJournals { out.append("warning: \(foreign)") }
        if let judgesIncludedNotice { out.append("note: \(judgesIncludedNotice)") }
        out.append("")
        out.append("COVERAGE")
        for count in coverage.keys.sorted() {
            out.append("  judged by \(count) annotator\(count == 1 ? "" : "s"): \(coverage[count]!) pairs")
        }
        // Both counts over every slot of the queue, hidden repeats included, as `status` shows them.
        for progress in self.progress {
            out.append("  \(pad(progress.annotator, 16)) \(progress.preferences)/\(progress.assigned) preferences, \(progress.done)/\(progress.assigned) fully scored, median \(f(progress.medianSeconds, 1)) s")
        }
        out.append("")
        out.append("AGREEMENT (95% bootstrap intervals over pairs, B = \(bootstrap); verdicts: alpha bands)")
        if let reason = agreement.notApplicable { out.append("  not applicable: \(reason)") }
        if let pref = agreement.preference {
            out.append("  Preference, \(pref.items) pairs (kappa and alpha free of which response is first)")
            for (name, c, verdict) in [
                ("percent agreement (strict)", pref.pairwiseStrict, false), ("percent agreement (tie = half)", pref.pairwiseRelaxed, false),
                ("unanimous", pref.unanimous, false), (pref.fleissKappaName, pref.fleissKappa, true),
                ("Krippendorff's alpha (nominal)", pref.alphaNominal, true),
                ("Krippendorff's alpha (A > tie > B)", pref.alphaOrdinal, true),
            ] {
                out.append("    \(pad(name, 34)) \(f(c.estimate.value).leftPadded(5))  \(pad(ci(c), 14)) \(verdict ? VerdictScale.agreement(c.estimate.value) : "")")
            }
            out.append("    Cohen's kappa between annotators:")
            for pair in pref.cohen {
                out.append("      \(pad(pair.raters.0 + " / " + pair.raters.1, 30)) \(f(pair.kappa.value).leftPadded(5))  (\(pair.pairs) pairs) \(VerdictScale.agreement(pair.kappa.value))")
            }
            if let oriented = pref.modelOriented {
                out.append("    Oriented by model (\(oriented.orientation)):")
                out.append("      Fleiss' kappa \(f(oriented.fleissKappa.estimate.value)) \(ci(oriented.fleissKappa)), alpha (nominal) \(f(oriented.alphaNominal.estimate.value)) \(ci(oriented.alphaNominal)); Cohen's kappa: "
                    + oriented.cohen.map { "\($0.raters.0)/\($0.raters.1) \(f($0.kappa.value))" }.joined(separator: ", "))
            }
        }
        for c in agreement.criteria {
            out.append("  \(c.name), \(c.units) scored responses\(c.needsClearerDefinition ? "   ⚠ needs a clearer rubric definition" : "")")
            out.append("    Krippendorff's alpha (ordinal) \(f(c.alphaOrdinal.estimate.value).leftPadded(5))  \(ci(c.alphaOrdinal))")
            out.append("    Gwet's AC2 (quadratic)         \(f(c.gwetAC2.estimate.value).leftPadded(5))  \(ci(c.gwetAC2))")
            let kappas = c.quadraticKappa.map { "\($0.raters.0)/\($0.raters.1) \(f($0.cohenQuadratic.value))" }
            if !kappas.isEmpty { out.append("    weighted kappa: " + kappas.joined(separator: ", ")) }
            out.append("    " + c.verdict)
        }
        if !agreement.disputed.isEmpty {
            out.append("  Most disputed pairs (for adjudication): " + agreement.disputed.prefix(6).map { "\($0.item) (\($0.votes))" }.joined(separator: "; "))
        }
        out.append("")
        out.append("ANNOTATORS")
        out.append("  (kappa: mean Cohen's kappa with each co-rater on shared pairs; self: hidden")
        out.append("   repeats judged alike, Wilson 95%; left: share of choices for the left")
        out.append("   response, p of the pair-clustered test, Holm across annotators)")
        out.append("  annotator      judged  kappa  self                  left (Holm p)    s/pair")
        for a in annotators {
            let kappa = f(a.meanKappa)
            // "0.50/2 [0.09,0.91]*" fits the 20-column field (it used to be cut): * marks too few repeats.
            var selfC = a.selfConsistency.map { "\(f($0))/\(a.repeatsCompared)" } ?? "-"
            if let w = a.selfConsistencyWilson, a.selfConsistency != nil { selfC += " [\(f(w.low)),\(f(w.high))]" }
            if a.tooFewRepeats && a.repeatsCompared > 0 { selfC += "*" }
            let left = a.leftShare.map { "\(f($0)) (\(f(a.leftPHolm, 3)))" } ?? "-"
            out.append("  \(pad(a.annotator, 14)) \(String(a.judged).leftPadded(6))  \(pad(kappa, 5))  \(pad(selfC, 20))  \(pad(left, 15))  \(f(a.medianSeconds, 1))\(a.tooFast ? " ⚠ fast" : "")")
        }
        if annotators.contains(where: { $0.tooFewRepeats && $0.repeatsCompared > 0 }) {
            out.append("  *: too few repeats (under \(AnnotatorQuality.minimumRepeats)) to judge self-consistency")
        }
        if let share = position.leftShare {
            out.append("  All annotators: left response chosen \(f(share * 100, 0))% of \(position.sideChoices) choices on \(position.pairs) pairs (design effect \(f(position.designEffect))); pair-clustered test \(p(position.test.p)) (\(position.test.method)), \(VerdictScale.test(position.test.p))")
        }
        if annotators.contains(where: \.tooFast) { out.append("  ⚠ fast: median time under half the others' median; check those judgments") }
        if let gold { out.append(""); out += gold.text() }
        if let r = results {
            out.append("")
            out.append("RESULTS (unblinded)")
            out.append("  (intervals: 95% bootstrap over \(r.resampling.description), B = \(bootstrap); tests over pairs, Holm across pairs of models)")
            out += resultNotes.map { "  " + $0 }
            for pair in r.pairs {
                let inference = pair.inference
                out.append("  \(pair.first) vs \(pair.second)")
                out.append("    votes:    \(pair.first) \(pair.wins), tie \(pair.ties), \(pair.second) \(pair.losses) (\(inference.votes) votes on \(inference.pairs) pairs, design effect \(f(inference.designEffect)))")
                out.append("    majority: \(pair.first) \(pair.majorityWins), tie \(pair.majorityTies), \(pair.second) \(pair.majorityLosses), split \(pair.split)")
                out.append("    win rate of \(pair.first): \(f(pair.winRateTiesHalf)) with ties as half \(inference.intervalTiesHalf.map { "[\(f($0.low)), \(f($0.high))]" } ?? ""), \(f(pair.winRateNoTies)) without ties")
                out.append("    " + bar(pair.winRateNoTies, low: inference.intervalNoTies?.low, high: inference.intervalNoTies?.high, width: 30)
                    + " \(inference.intervalNoTies.map { "[\(f($0.low)), \(f($0.high))]" } ?? "")")
                out.append("    no difference: \(p(inference.test.p)) (sign flips over \(inference.test.pairs) pairs, \(inference.test.method)), Holm \(p(pair.pHolm)): \(VerdictScale.test(pair.pHolm))")
            }
            let scored = r.criteria.filter { !$0.means.isEmpty }
            if scored.isEmpty { out.append("  Rubric scores: none recorded") }
            for c in scored {
                out.append("  \(c.name): mean score (95% bootstrap over pairs)")
                let scale = study.rubric.criterion(c.criterion).map { (Double($0.min), Double($0.max)) } ?? (1, 5)
                for m in c.means {
                    let position = { (v: Double?) in v.map { ($0 - scale.0) / (scale.1 - scale.0) } }
                    out.append("    \(pad(m.model, 18)) \(f(m.mean)) \(bar(position(m.mean), low: position(m.low), high: position(m.high), width: 30)) [\(f(m.low)), \(f(m.high))]")
                }
                for d in c.differences {
                    out.append("    \(d.first) - \(d.second): \(d.meanDifference >= 0 ? "+" : "")\(f(d.meanDifference)) over \(d.pairs) pairs, Wilcoxon \(p(d.p)) (\(d.method?.rawValue ?? "-")), Holm across criteria \(p(d.pHolm)): \(VerdictScale.test(d.pHolm))")
                }
            }
            if let bt = r.bradleyTerry {
                out.append("  Bradley-Terry strength (95% bootstrap over pairs; rank: 1 + models entirely above)")
                for entry in bt { out.append("    \(String(entry.rank).leftPadded(2)). \(pad(entry.model, 18)) \(f(entry.strength, 3)) [\(f(entry.low, 3)), \(f(entry.high, 3))]\(r.bradleyTerryWarning == nil ? "" : " group \(entry.component)")") }
                if let warning = r.bradleyTerryWarning { out.append("    ⚠ \(warning)") }
            }
            if let rows = r.winMatrixRows() {
                out.append("  Win matrix (votes for the row's model over the column's; a tie counts half)")
                let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
                for row in rows {
                    out.append("    " + row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
                }
            }
            if r.lengthVotes > 0 || r.lengthModel != nil {
                out.append("  Length: the longer response won \(f(r.longerPreferred.map { $0 * 100 }, 0))% of \(r.lengthVotes) decided votes (description only; the better model may simply write more)")
                if let fit = r.lengthModel {
                    out.append("    controlled for the models: odds x\(f(fit.oddsPerDoubling)) per doubling of length, \(p(fit.p)) (logistic regression, pair-clustered SE; \(fit.votes) votes on \(fit.pairs) pairs, design effect \(f(fit.designEffect)), \(r.lengthTiesLeftOut) ties left out): \(VerdictScale.test(fit.p))")
                } else {
                    out.append("    controlled for the models: not estimable (too few pairs, no variation, or one-sided votes)")
                }
            }
            if let overall = r.consistency.last, let share = overall.share {
                out.append("  Preference agrees with the annotator's own rubric totals in \(f(share * 100, 0))% of \(overall.votes) votes")
                for entry in r.consistency.dropLast() where entry.share != nil {
                    out.append("    \(pad(entry.annotator, 16)) \(f(entry.share! * 100, 0))% of \(entry.votes)")
                }
            } else {
                out.append("  Preference against rubric totals: not available (no votes with every score)")
            }
        }
        if let graded {
            out.append("")
            out.append("GRADED PREFERENCE (scale -\(graded.maxStrength) ... +\(graded.maxStrength))")
            let a = graded.alphaOrdinal
            out.append("  Agreement on the scale: Krippendorff's alpha (ordinal) \(f(a.estimate.value))\(a.interval.map { " [\(f($0.low)), \(f($0.high))]" } ?? "") \(VerdictScale.agreement(a.estimate.value))")
            for pair in graded.pairs {
                out.append("  \(pair.first) vs \(pair.second): mean strength toward \(pair.first) \(f(pair.mean))\(pair.interval.map { " [\(f($0.low)), \(f($0.high))]" } ?? "") over \(pair.votes) votes on \(pair.pairs) pairs")
            }
        }
        if let grouped {
            out.append("")
            out.append("BY \(grouped.key.uppercased()) (each group on its own; intervals resample pairs within the group)")
            out += grouped.lines(markdown: false)
        }
        if let judge { out += judge.textLines(results: results) }
        let flaggedText = flagged.text()
        if !flaggedText.isEmpty { out.append(""); out += flaggedText.split(separator: "\n").map(String.init) }
        out += amendmentText()
        for refused in refusedJournals { out.append("refused journal: \(refused)") }
        return out.flatMap { StudyReport.wrap($0, width: 80) }.joined(separator: "\n") + "\n"
    }

    /// Splits a line longer than `width` at spaces, continuing under its own indentation plus two.
    static func wrap(_ line: String, width: Int) -> [String] {
        guard line.count > width else { return [line] }
        let indent = String(line.prefix { $0 == " " }) + "  "
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: true) {
            let prefix = current.isEmpty ? (lines.isEmpty ? String(line.prefix { $0 == " " }) : indent) : current + " "
            if !current.isEmpty && prefix.count + word.count > width {
                lines.append(current)
                current = indent + word
            } else {
                current = prefix + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// A bar of `width` cells for a value in 0...1, with the interval marked by `├` and `┤`.
    func bar(_ value: Double?, low: Double?, high: Double?, width: Int) -> String {
        guard let value else { return String(repeating: "·", count: width) }
        var cells = Array(repeating: "░", count: width)
        let filled = Int((max(0, min(1, value)) * Double(width)).rounded())
        for i in 0..<filled { cells[i] = "█" }
        if let low, let high {
            let l = min(width - 1, max(0, Int((low * Double(width)).rounded())))
            let h = min(width - 1, max(0, Int((high * Double(width)).rounded()) - 1))
            cells[l] = "├"
            cells[max(l, h)] = "┤"
        }
        return cells.joined()
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
