import AgreementStats
import BlindReviewCore
import Foundation

extension StudyReport {
    /// One self-contained HTML file (inline CSS and SVG, no scripts or external files): the tables of the
    /// Markdown report plus charts of win rates with their intervals, score distributions per criterion and
    /// model, and the annotator-pair agreement heatmap.
    public func html() -> String {
        // Text from input: controls, bidi overrides and invisible characters made visible, then HTML-escaped.
        func e(_ text: String) -> String {
            VisibleText.line(text).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func f(_ value: Double?, _ digits: Int = 2) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "–" }
        func p(_ value: Double?) -> String { value.map { $0 < 0.001 ? "&lt; 0.001" : String(format: "%.3f", $0) } ?? "–" }
        let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
        var body = ""
        body += "<h1>blindreview report: \(e(study.name))</h1>"
        // Who made this and from what: nothing here is derived from the key.
        let made = ISO8601DateFormatter().string(from: generated ?? Date())
        body += "<p class=\"meta\">Generated \(e(made)) by blindreview \(e(BlindReviewVersion.current)) · study id <code>\(e(study.studyID ?? "(version 1 study)"))</code> · \(seeded == true ? "seeded (reproducible from its --seed)" : seeded == false ? "not seeded (secret from the OS)" : "seeding unknown without the key")</p>"
        if let seededNotice { body += "<p class=\"warn\"><b>Warning</b>: \(e(seededNotice)).</p>" }
        for foreign in foreignJournals { body += "<p class=\"warn\"><b>Warning</b>: \(e(foreign)).</p>" }
        if let judgesIncludedNotice { body += "<p class=\"warn\">\(e(judgesIncludedNotice)).</p>" }
        body += "<p class=\"lead\">\(pairCount) pairs, \(study.annotators.count) annotators\(results == nil ? " — <b>blind</b>: no model is named" : ""). Intervals are 95%: bootstrap over pairs with all their votes (B = \(bootstrap)) unless marked otherwise; tests treat the pair as the unit; Holm-adjusted p-values are shown beside raw ones and verdicts use them.</p>"

        if let r = results, !r.pairs.isEmpty {
            body += "<h2>Which model wins</h2>" + winRateChart(r, palette: palette, e: e, f: f)
            body += "<p>Win-rate intervals resample \(e(r.resampling.description)); the test of no difference flips signs over pairs.</p>"
            for note in resultNotes { body += "<p>" + e(note) + "</p>" }
            body += "<table><tr><th>models</th><th>wins / ties / losses</th><th>by pair majority</th><th>pairs / votes / design effect</th><th>win rate (ties half)</th><th>win rate (no ties)</th><th>95% interval</th><th>p (Holm)</th><th>verdict</th></tr>"
            for pair in r.pairs {
                let i = pair.inference
                body += "<tr><td><b>\(e(pair.first))</b> vs \(e(pair.second))</td><td>\(pair.wins) / \(pair.ties) / \(pair.losses)</td><td>\(pair.majorityWins) / \(pair.majorityTies) / \(pair.majorityLosses) (split \(pair.split))</td><td>\(i.pairs) / \(i.votes) / \(f(i.designEffect))</td><td>\(f(pair.winRateTiesHalf))</td><td>\(f(pair.winRateNoTies))</td><td>\(i.intervalNoTies.map { "[\(f($0.low)), \(f($0.high))]" } ?? "–")</td><td>\(p(i.test.p)) (\(p(pair.pHolm)))</td><td>\(VerdictScale.test(pair.pHolm))</td></tr>"
            }
            body += "</table>"
            if let bt = r.bradleyTerry {
                body += "<h3>Bradley-Terry ranking</h3><p>Rank: 1 + the number of models whose interval lies entirely above (overlapping intervals share a rank).</p><table><tr><th>rank</th><th>model</th><th>strength</th><th>95% interval</th><th>group</th></tr>"
                for entry in bt { body += "<tr><td>\(entry.rank)</td><td>\(e(entry.model))</td><td>\(f(entry.strength, 3))</td><td>[\(f(entry.low, 3)), \(f(entry.high, 3))]</td><td>\(entry.component)</td></tr>" }
                body += "</table>"
                if let warning = r.bradleyTerryWarning { body += "<p class=\"warn\">⚠ \(e(warning)).</p>" }
            }
            if let rows = r.winMatrixRows() {
                body += "<h3>Win matrix</h3><p>Votes for the row's model over the column's (a tie counts half).</p><table>"
                for (index, row) in rows.enumerated() {
                    let tag = index == 0 ? "th" : "td"
                    body += "<tr>" + row.enumerated().map { column, text in "<\(column == 0 ? "th" : tag)>\(e(text))</\(column == 0 ? "th" : tag)>" }.joined() + "</tr>"
                }
                body += "</table>"
            }
            let scored = r.criteria.filter { !$0.means.isEmpty }
            if !scored.isEmpty {
                body += "<h2>Rubric scores</h2><div class=\"grid\">"
                for c in scored { body += distributionChart(c, palette: palette, e: e, f: f) }
                body += "</div><table><tr><th>criterion</th><th>model</th><th>mean</th><th>95% interval</th><th>paired difference (Wilcoxon p)</th></tr>"
                for c in scored {
                    for (index, m) in c.means.enumerated() {
                        let difference = index == 0 ? c.differences.map { "\(e($0.first)) − \(e($0.second)): \(f($0.meanDifference)) (Wilcoxon p \(p($0.p)), \($0.method?.rawValue ?? "–"); Holm \(p($0.pHolm)): \(VerdictScale.test($0.pHolm)))" }.joined(separator: "<br>") : ""
                        body += "<tr><td>\(index == 0 ? e(c.name) : "")</td><td>\(e(m.model))</td><td>\(f(m.mean))</td><td>[\(f(m.low)), \(f(m.high))]</td><td>\(difference)</td></tr>"
                    }
                }
                body += "</table>"
            }
            body += "<p>Length: the longer response won <b>\(f(r.longerPreferred.map { $0 * 100 }, 0))%</b> of \(r.lengthVotes) decided votes (a description only: the better model may simply write more).</p>"
            if let fit = r.lengthModel {
                body += "<p>Controlled for the models (logistic regression on the log length ratio with a term per pair of models, pair-clustered standard errors; \(fit.votes) votes on \(fit.pairs) pairs, design effect \(f(fit.designEffect)), \(r.lengthTiesLeftOut) ties left out): odds ×\(f(fit.oddsPerDoubling)) per doubling of length, p \(p(fit.p)): <b>\(VerdictScale.test(fit.p))</b>.</p>"
            }
        }

        body += "<h2>Agreement</h2>"
        if let reason = agreement.notApplicable { body += "<p class=\"warn\">Not applicable: \(e(reason)).</p>" }
        if let pref = agreement.preference {
            body += "<h3>Preference (\(pref.items) pairs)</h3><p>Kappa and alpha are free of which response of a pair is first.</p><div class=\"grid\"><table><tr><th>measure</th><th>value</th><th>95% interval</th><th>verdict</th></tr>"
            for (name, c, verdict) in [("Percent agreement (strict)", pref.pairwiseStrict, false), ("Percent agreement (tie = half)", pref.pairwiseRelaxed, false), ("Unanimous", pref.unanimous, false), (pref.fleissKappaName, pref.fleissKappa, true), ("Krippendorff's alpha (nominal)", pref.alphaNominal, true), ("Krippendorff's alpha (A &gt; tie &gt; B)", pref.alphaOrdinal, true)] {
                body += "<tr><td>\(name)</td><td>\(f(c.estimate.value))</td><td>\(c.interval?.low.map { "[\(f($0)), \(f(c.interval?.high))]" } ?? "–")</td><td>\(verdict ? VerdictScale.agreement(c.estimate.value) : "")</td></tr>"
            }
            body += "</table>" + heatmap(pref.cohen, annotators: study.annotators.map(\.name), e: e, f: f) + "</div>"
            if let o = pref.modelOriented {
                body += "<p>Oriented by model (\(e(o.orientation))): Fleiss' kappa \(f(o.fleissKappa.estimate.value)), Krippendorff's alpha (nominal) \(f(o.alphaNominal.estimate.value)); Cohen's kappa " + o.cohen.map { "\(e($0.raters.0)) / \(e($0.raters.1)) \(f($0.kappa.value))" }.joined(separator: ", ") + ".</p>"
            }
        }
        if !agreement.criteria.isEmpty {
            body += "<h3>Criteria</h3><table><tr><th>criterion</th><th>alpha (ordinal)</th><th>Gwet's AC2</th><th>verdict</th></tr>"
            for c in agreement.criteria {
                body += "<tr class=\"\(c.needsClearerDefinition ? "flag" : "")\"><td>\(e(c.name))\(c.needsClearerDefinition ? " ⚠" : "")</td><td>\(f(c.alphaOrdinal.estimate.value)) \(c.alphaOrdinal.interval?.low.map { "[\(f($0)), \(f(c.alphaOrdinal.interval?.high))]" } ?? "")</td><td>\(f(c.gwetAC2.estimate.value)) \(VerdictScale.agreement(c.gwetAC2.estimate.value))</td><td>\(e(c.verdict))</td></tr>"
            }
            body += "</table>"
        }
        if !agreement.disputed.isEmpty {
            body += "<p>Most disputed pairs (for adjudication): " + agreement.disputed.map { "<code>\(e($0.item))</code> (\(e($0.votes)))" }.joined(separator: ", ") + "</p>"
        }
        body += "<h2>Annotators</h2><table><tr><th>annotator</th><th>judged</th><th>mean Cohen's kappa with co-raters</th><th>self-consistency (Wilson 95%)</th><th>left share</th><th>position test p (Holm)</th><th>median s</th></tr>"
        for a in annotators {
            let selfC = a.selfConsistency.map { "\(f($0)) of \(a.repeatsCompared) \(a.selfConsistencyWilson.map { "[\(f($0.low)), \(f($0.high))]" } ?? "")\(a.tooFewRepeats ? " (too few repeats)" : "")" } ?? "–"
            body += "<tr class=\"\(a.tooFast ? "flag" : "")\"><td>\(e(a.annotator))\(a.tooFast ? " ⚠ fast" : "")</td><td>\(a.judged)</td><td>\(f(a.meanKappa)) \(a.meanKappa == nil ? "" : VerdictScale.agreement(a.meanKappa))</td><td>\(selfC)</td><td>\(f(a.leftShare))</td><td>\(p(a.leftP)) (\(p(a.leftPHolm))) \(a.leftPHolm == nil ? "" : VerdictScale.test(a.leftPHolm))</td><td>\(f(a.medianSeconds, 1))</td></tr>"
        }
        body += "</table>"
        if let share = position.leftShare {
            body += "<p>All annotators: the left response was chosen \(f(share * 100, 0))% of \(position.sideChoices) times on \(position.pairs) pairs (design effect \(f(position.designEffect)); pair-clustered test p \(p(position.test.p)), \(e(position.test.method)): \(VerdictScale.test(position.test.p))).</p>"
        }
        if let graded {
            let a = graded.alphaOrdinal
            body += "<h2>Graded preference (scale −\(graded.maxStrength) … +\(graded.maxStrength))</h2><p>Agreement on the scale: Krippendorff's alpha (ordinal) \(f(a.estimate.value))\(a.interval.map { " [\(f($0.low)), \(f($0.high))]" } ?? ""), \(VerdictScale.agreement(a.estimate.value)).</p>"
            body += "<table><tr><th>models</th><th>mean strength toward the first</th><th>95% interval</th><th>votes</th><th>pairs</th></tr>"
            for pair in graded.pairs {
                body += "<tr><td>\(e(pair.first)) vs \(e(pair.second))</td><td>\(f(pair.mean))</td><td>\(pair.interval.map { "[\(f($0.low)), \(f($0.high))]" } ?? "–")</td><td>\(pair.votes)</td><td>\(pair.pairs)</td></tr>"
            }
            body += "</table>"
        }
        if let grouped {
            body += "<h2>By \(e(grouped.key))</h2><p>Each group on its own; intervals resample pairs within the group.</p><table>"
            let rows = grouped.lines(markdown: true).filter { !$0.hasPrefix("|---") }
            for (index, row) in rows.enumerated() {
                let cells = row.dropFirst(2).dropLast(2).components(separatedBy: " | ")
                let tag = index == 0 ? "th" : "td"
                body += "<tr>" + cells.map { "<\(tag)>\(e($0))</\(tag)>" }.joined() + "</tr>"
            }
            body += "</table>"
        }
        if let gold {
            body += "<h2>Gold checks</h2><p>" + e(gold.text()[0]) + "</p><ul>" + gold.text().dropFirst().map { "<li>" + e($0.trimmingCharacters(in: .whitespaces)) + "</li>" }.joined() + "</ul>"
        }
        if let judge { body += judge.html(results: results, escape: e) }
        if !flagged.flags.isEmpty {
            body += "<h2>Flagged pairs (\(flagged.items.count))</h2><table><tr><th>pair</th><th>source</th><th>annotator</th><th>reason</th><th>note</th></tr>"
            for flag in flagged.flags {
                body += "<tr><td>\(e(flag.item))</td><td>\(e(flag.sourceID ?? ""))</td><td>\(e(flag.annotator))</td><td>\(e(flag.reason))</td><td>\(e(flag.note ?? ""))</td></tr>"
            }
            body += "</table>"
        }
        body += amendmentHTML(e)
        body += "<h2>Coverage</h2><table><tr><th>annotators per pair</th><th>pairs</th></tr>"
        for count in coverage.keys.sorted() { body += "<tr><td>\(count)</td><td>\(coverage[count]!)</td></tr>" }
        body += "</table>"
        // Wide tables scroll inside their own box, so the page never scrolls sideways on a phone.
        body = body.replacingOccurrences(of: "<table>", with: "<div class=\"scroll\"><table>").replacingOccurrences(of: "</table>", with: "</table></div>")
        let style = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
            h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.8em 0}td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
            th{background:#f5f5f5}.lead{color:#555}.warn{color:#b00}.flag td{background:#fff4e5}
            .grid{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}svg text{font:12px system-ui,sans-serif}
            svg{max-width:100%;height:auto}.scroll{overflow-x:auto;max-width:100%}.meta{color:#666;font-size:.9em}
            figure{margin:1em 0;max-width:100%}code{font-size:.9em}
            @media (max-width:600px){body{font-size:14px;margin:1em auto}td,th{padding:.25em .4em}}
            """
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>blindreview report: \(e(study.name))</title><style>\(style)</style></head><body>\(body)</body></html>\n"
    }

    /// Horizontal bars of each pair's win rate (ties excluded) with pair-bootstrap whiskers and a 50% line.
    func winRateChart(_ r: ModelComparison, palette: [String], e: (String) -> String, f: (Double?, Int) -> String) -> String {
        let rowHeight = 34, labelWidth = 320, plotWidth = 480
        let height = r.pairs.count * rowHeight + 40
        var svg = StudyReport.svgOpen(width: labelWidth + plotWidth + 60, height: height, label: "win rates")
        func x(_ value: Double) -> Int { labelWidth + Int(value * Double(plotWidth)) }
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg += "<line x1=\"\(x(tick))\" y1=\"10\" x2=\"\(x(tick))\" y2=\"\(height - 22)\" stroke=\"#eee\"/><text x=\"\(x(tick))\" y=\"\(height - 6)\" text-anchor=\"middle\">\(Int(tick * 100))%</text>"
        }
        for (index, pair) in r.pairs.enumerated() {
            let y = 14 + index * rowHeight
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\"><tspan font-weight=\"bold\">\(e(pair.first))</tspan> vs \(e(pair.second))</text>"
            if let rate = pair.winRateNoTies {
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(Int(rate * Double(plotWidth)))\" height=\"16\" fill=\"\(palette[0])\" opacity=\"0.8\"/>"
                if let w = pair.inference.intervalNoTies {
                    svg += "<line x1=\"\(x(w.low))\" y1=\"\(y + 12)\" x2=\"\(x(w.high))\" y2=\"\(y + 12)\" stroke=\"#000\" stroke-width=\"1.5\"/>"
                    svg += "<line x1=\"\(x(w.low))\" y1=\"\(y + 6)\" x2=\"\(x(w.low))\" y2=\"\(y + 18)\" stroke=\"#000\"/><line x1=\"\(x(w.high))\" y1=\"\(y + 6)\" x2=\"\(x(w.high))\" y2=\"\(y + 18)\" stroke=\"#000\"/>"
                }
                svg += "<text x=\"\(x(min(1, pair.inference.intervalNoTies?.high ?? rate)) + 6)\" y=\"\(y + 16)\">\(f(rate, 2))</text>"
            }
        }
        svg += "<line x1=\"\(x(0.5))\" y1=\"10\" x2=\"\(x(0.5))\" y2=\"\(height - 22)\" stroke=\"#b00\" stroke-dasharray=\"4 3\"/></svg>"
        return "<figure>\(svg)<figcaption>Win rate of the first model of each pair, ties excluded, with the 95% bootstrap interval over pairs; the dashed line is 50%.</figcaption></figure>"
    }

    /// Grouped bars: the share of each score per model for one criterion.
    func distributionChart(_ c: ModelComparison.CriterionResult, palette: [String], e: (String) -> String, f: (Double?, Int) -> String) -> String {
        let criterion = study.rubric.criterion(c.criterion)
        let low = criterion?.min ?? 1
        let scores = c.distribution.first?.counts.count ?? 5
        let width = 340, height = 200, left = 36, bottom = 26, top = 24
        let groupWidth = (width - left - 10) / max(1, scores)
        let barWidth = max(3, (groupWidth - 6) / max(1, c.distribution.count))
        var svg = StudyReport.svgOpen(width: width, height: height, label: e(c.name) + " scores") + "<text x=\"\(left)\" y=\"14\" font-weight=\"bold\">\(e(c.name))</text>"
        let plotHeight = Double(height - bottom - top)
        for (m, entry) in c.distribution.enumerated() {
            let total = max(1, entry.counts.reduce(0, +))
            for (s, count) in entry.counts.enumerated() {
                let share = Double(count) / Double(total)
                let h = Int(share * plotHeight)
                svg += "<rect x=\"\(left + s * groupWidth + 3 + m * barWidth)\" y=\"\(height - bottom - h)\" width=\"\(barWidth - 1)\" height=\"\(h)\" fill=\"\(palette[m % palette.count])\"><title>\(e(entry.model)), score \(low + s): \(count)</title></rect>"
            }
        }
        for s in 0..<scores { svg += "<text x=\"\(left + s * groupWidth + groupWidth / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">\(low + s)</text>" }
        // The y axis: share of each model's scores.
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#999\"/>"
        for tick in [0.0, 0.5, 1.0] {
            let y = height - bottom - Int(tick * plotHeight)
            svg += "<line x1=\"\(left - 3)\" y1=\"\(y)\" x2=\"\(left)\" y2=\"\(y)\" stroke=\"#999\"/><text x=\"\(left - 5)\" y=\"\(y + 4)\" text-anchor=\"end\">\(Int(tick * 100))%</text>"
        }
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 8)\" y2=\"\(height - bottom)\" stroke=\"#999\"/>"
        for (m, entry) in c.distribution.enumerated() {
            svg += "<rect x=\"\(width - 120)\" y=\"\(top + m * 16)\" width=\"10\" height=\"10\" fill=\"\(palette[m % palette.count])\"/><text x=\"\(width - 106)\" y=\"\(top + 9 + m * 16)\">\(e(entry.model))</text>"
        }
        return svg + "</svg>"
    }

    /// Cohen's kappa for every pair of annotators, as a heatmap with the values written in.
    func heatmap(_ pairs: [AgreementSection.PairKappa], annotators: [String], e: (String) -> String, f: (Double?, Int) -> String) -> String {
        let cell = 52, left = 110, top = 90
        let n = annotators.count
        var value: [String: Double] = [:]
        for pair in pairs {
            if let k = pair.kappa.value { value["\(pair.raters.0)|\(pair.raters.1)"] = k; value["\(pair.raters.1)|\(pair.raters.0)"] = k }
        }
        let legendWidth = 150
        var svg = StudyReport.svgOpen(width: left + n * cell + legendWidth, height: max(top + n * cell + 10, top + 140), label: "agreement heatmap")
        svg += "<text x=\"0\" y=\"14\" font-weight=\"bold\">Cohen's kappa, preference</text>"
        for (i, name) in annotators.enumerated() {
            svg += "<text x=\"\(left - 6)\" y=\"\(top + i * cell + cell / 2 + 4)\" text-anchor=\"end\">\(e(String(name.prefix(14))))</text>"
            svg += "<text transform=\"translate(\(left + i * cell + cell / 2),\(top - 6)) rotate(-45)\">\(e(String(name.prefix(14))))</text>"
            for (j, other) in annotators.enumerated() {
                // The diagonal (an annotator with themself) is left blank: it carries no information.
                if i == j {
                    svg += "<rect x=\"\(left + j * cell)\" y=\"\(top + i * cell)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"#fff\" stroke=\"#eee\"/>"
                    continue
                }
                let k = value["\(name)|\(other)"]
                let shade = k.map { max(0, min(1, $0)) } ?? 0
                let color = k == nil ? "#f0f0f0" : StudyReport.heatColor(shade)
                svg += "<rect x=\"\(left + j * cell)\" y=\"\(top + i * cell)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"\(color)\"><title>\(e(name)) and \(e(other)): \(f(k, 3))</title></rect>"
                svg += "<text x=\"\(left + j * cell + cell / 2 - 1)\" y=\"\(top + i * cell + cell / 2 + 4)\" text-anchor=\"middle\" fill=\"\(shade > 0.6 ? "#fff" : "#222")\">\(f(k, 2))</text>"
            }
        }
        // Legend: the colour scale from kappa 0 (or below) to 1.
        let legendX = left + n * cell + 24
        svg += "<text x=\"\(legendX)\" y=\"\(top - 8)\">kappa</text>"
        for step in 0...10 {
            let shade = Double(10 - step) / 10
            svg += "<rect x=\"\(legendX)\" y=\"\(top + step * 10)\" width=\"16\" height=\"10\" fill=\"\(StudyReport.heatColor(shade))\"/>"
        }
        svg += "<text x=\"\(legendX + 22)\" y=\"\(top + 9)\">1</text><text x=\"\(legendX + 22)\" y=\"\(top + 59)\">0.5</text><text x=\"\(legendX + 22)\" y=\"\(top + 110)\">≤ 0</text>"
        return svg + "</svg>"
    }

    /// An SVG that scales to the width of the page (its `viewBox` keeps the drawing's proportions).
    static func svgOpen(width: Int, height: Int, label: String) -> String {
        "<svg viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"\(label)\">"
    }

    /// The heatmap's colour for a kappa clamped to 0...1.
    static func heatColor(_ shade: Double) -> String {
        "rgb(\(Int(255 - 200 * shade)),\(Int(255 - 120 * shade)),\(Int(255 - 40 * shade)))"
    }
}
