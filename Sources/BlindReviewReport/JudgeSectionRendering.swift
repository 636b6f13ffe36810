import AgreementStats
import BlindReviewCore
import Foundation

/// The "Judge against people" section in every report format. The content is built once as blocks (headings,
/// paragraphs, tables) and drawn by each format, so text, Markdown and HTML say the same; JSON has its own keys.
extension JudgeSection {
    enum Block {
        case heading(String)
        case paragraph(String)
        case table(header: [String], rows: [[String]])
    }

    static let mtBenchNote = "For comparison, in MT-Bench's study GPT-4 agreed with experts 66% of the time with ties and 85% without, about as often as the experts agreed with each other (Zheng et al. 2023, \"Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena\")."

    func blocks(results: ModelComparison?) -> [Block] {
        func f(_ value: Double?, _ digits: Int = 2) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "–" }
        func ci(_ interval: ResampledInterval?) -> String { interval.map { " [\(f($0.low)), \(f($0.high))]" } ?? "" }
        func p(_ value: Double?) -> String { value.map { $0 < 0.001 ? "< 0.001" : String(format: "%.3f", $0) } ?? "–" }
        func agreementRow(_ name: String, _ a: Agreement) -> [String] {
            let r = a.result
            return [
                name, String(r.pairs), f(r.withTies) + ci(r.withTiesInterval), f(r.withoutTies) + ci(r.withoutTiesInterval) + " (\(r.comparisonsWithoutTies))",
                f(r.kappa.value) + ci(r.kappaInterval) + " " + VerdictScale.agreement(r.kappa.value),
            ]
        }
        var out: [Block] = []
        for judge in judges {
            out.append(.heading("Judge against people: \(judge.name)"))
            out.append(.paragraph(
                "\(judge.name) gave \(judge.verdicts) verdicts (one per pair and order) on the study's \(judge.pairs) pairs, \(judge.errors) of them errors (kept and counted: a pair with an error has no verdict). Its verdict on a pair is the one it gave in both orders, else a tie (MT-Bench's conservative rule); \(judge.pairsWithVerdict) pairs have one. Intervals: 95% bootstrap over pairs."))
            var rows = judge.agreement.map { a in
                agreementRow(a.against == "majority" ? "the people's majority" : a.against, a)
                    + [a.against == "majority" && a.noMajority > 0 ? "\(a.noMajority) pairs without a majority left out" : ""]
            }
            if let people { rows.append(agreementRow("people with each other (ceiling)", people) + ["every pair of people on a pair"]) }
            if rows.isEmpty {
                out.append(.paragraph("Agreement with people: no pair has both a verdict of the judge and a person's preference yet."))
            } else {
                out.append(.table(header: ["agreement of \(judge.name) with", "pairs", "with ties", "without ties (comparisons)", "Cohen's kappa", "note"], rows: rows))
                out.append(.paragraph(JudgeSection.mtBenchNote))
            }
            let position = judge.position
            func share(_ count: Int) -> String { position.bothOrders > 0 ? f(Double(count) / Double(position.bothOrders)) : "–" }
            var consistentNote = "\(position.consistentTies) \(position.consistentTies == 1 ? "tie" : "ties")"
            if let byModel = position.consistentByModel {
                consistentNote = byModel.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + (byModel.isEmpty ? "" : ", ") + consistentNote
            }
            out.append(.table(header: ["position consistency (pairs judged in both orders: \(position.bothOrders))", "pairs", "share"], rows: [
                ["the same verdict in both orders (\(consistentNote))", String(position.consistent), share(position.consistent)],
                ["favoured whichever response was shown first", String(position.firstPosition), share(position.firstPosition)],
                ["favoured whichever response was shown second", String(position.secondPosition), share(position.secondPosition)],
                ["a tie in one order only", String(position.tieInOneOrder), share(position.tieInOneOrder)],
                ["an error in either order", String(position.withError), share(position.withError)],
            ] + (position.oneOrderOnly > 0 ? [["judged in one order only (not counted above)", String(position.oneOrderOnly), ""]] : [])))
            let first = position.firstShare
            if let rate = first.winRateNoTies {
                out.append(.paragraph(
                    "Preferred the response shown first in \(f(rate))\(ci(first.intervalNoTies)) of its non-tie verdicts (\(first.votes) verdicts with ties, on \(first.pairs) pairs, design effect \(f(first.designEffect)); sign-flip test over pairs against one half: p \(p(first.test.p)), \(first.test.method): \(VerdictScale.test(first.test.p)))."))
            }
            guard results != nil || !judge.winRates.isEmpty else { continue }
            if judge.lengthVotes > 0 || judge.lengthModel != nil {
                var text = "Length: the longer response won \(f(judge.longerPreferred.map { $0 * 100 }, 0))% of the judge's \(judge.lengthVotes) decided verdicts (each order counted; a description only)."
                if let fit = judge.lengthModel {
                    text += " Controlled for the models (logistic regression on the log length ratio, a term per pair of models, pair-clustered standard errors; \(fit.votes) verdicts on \(fit.pairs) pairs): odds ×\(f(fit.oddsPerDoubling)) per doubling of length, p \(p(fit.p)): \(VerdictScale.test(fit.p))."
                } else {
                    text += " Controlled for the models: not estimable (too few pairs, no variation, or one-sided verdicts)."
                }
                out.append(.paragraph(text))
            }
            var winRows: [[String]] = []
            for rate in judge.winRates {
                let human = results?.pairs.first { $0.first == rate.first && $0.second == rate.second }
                let c = rate.consistent
                winRows.append([
                    "\(rate.first) vs \(rate.second)",
                    "\(f(c.winRateTiesHalf, 3))\(ci(c.intervalTiesHalf)); \(f(c.winRateNoTies, 3)) without ties (\(rate.consistentCounts.wins)/\(rate.consistentCounts.ties)/\(rate.consistentCounts.losses) on \(c.pairs) pairs)",
                    "\(f(rate.conservative.winRateTiesHalf, 3))\(ci(rate.conservative.intervalTiesHalf)) (\(rate.conservative.pairs) pairs)",
                    human.map { "\(f($0.winRateTiesHalf, 3))\(ci($0.inference.intervalTiesHalf)); \(f($0.winRateNoTies, 3)) without ties (\($0.inference.votes) votes on \($0.inference.pairs) pairs)" } ?? "no votes yet",
                ])
            }
            if !winRows.isEmpty {
                out.append(.table(header: [
                    "win rate of the first model", "\(judge.name), verdicts the same in both orders (ties half; wins/ties/losses)",
                    "\(judge.name), every pair verdict (disagreeing orders as ties)", "people (ties half)",
                ], rows: winRows))
            }
        }
        return out
    }

    /// Lines for the text report (tables as one line per row).
    func textLines(results: ModelComparison?) -> [String] {
        var out: [String] = []
        for block in blocks(results: results) {
            switch block {
            case .heading(let title): out += ["", title.uppercased()]
            case .paragraph(let text): out.append("  " + text)
            case .table(let header, let rows):
                out.append("  " + header[0] + ":")
                for row in rows {
                    let values = zip(header.dropFirst(), row.dropFirst()).filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1)" }
                    out.append("    \(row[0]): " + values.joined(separator: "; "))
                }
            }
        }
        return out
    }

    func markdownLines(results: ModelComparison?, cell: (String) -> String) -> [String] {
        var out: [String] = []
        for block in blocks(results: results) {
            switch block {
            case .heading(let title): out += ["", "## \(cell(title))"]
            case .paragraph(let text): out += ["", cell(text)]
            case .table(let header, let rows):
                out += ["", "| " + header.map(cell).joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
                for row in rows { out.append("| " + row.map(cell).joined(separator: " | ") + " |") }
            }
        }
        return out
    }

    func html(results: ModelComparison?, escape e: (String) -> String) -> String {
        var body = ""
        for block in blocks(results: results) {
            switch block {
            case .heading(let title): body += "<h2>\(e(title))</h2>"
            case .paragraph(let text): body += "<p>\(e(text))</p>"
            case .table(let header, let rows):
                body += "<table><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
                for row in rows { body += "<tr>" + row.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }
                body += "</table>"
            }
        }
        return body
    }

    /// The report JSON's `judges` array.
    func json(results: ModelComparison?) -> OrderedJSON {
        func interval(_ i: ResampledInterval?) -> OrderedJSON { i.map { .array([.number($0.low), .number($0.high)]) } ?? .null }
        func agreement(_ a: Agreement) -> OrderedJSON {
            let r = a.result
            return .object([
                ("against", .string(a.against)), ("pairs", .integer(r.pairs)), ("comparisons", .integer(r.comparisons)),
                ("percent_agreement_with_ties", .number(r.withTies)), ("percent_agreement_with_ties_ci95", interval(r.withTiesInterval)),
                ("comparisons_without_ties", .integer(r.comparisonsWithoutTies)),
                ("percent_agreement_without_ties", .number(r.withoutTies)), ("percent_agreement_without_ties_ci95", interval(r.withoutTiesInterval)),
                ("cohen_kappa", .number(r.kappa.value)), ("cohen_kappa_ci95", interval(r.kappaInterval)),
                ("verdict", .string(VerdictScale.agreement(r.kappa.value))), ("no_majority", a.against == "majority" ? .integer(a.noMajority) : .null),
                ("resampled", .string(ResamplingUnit.pairs.description)),
            ])
        }
        func rate(_ r: PairClusterWinRate.Result) -> [(String, OrderedJSON)] {
            [
                ("pairs", .integer(r.pairs)), ("win_rate_ties_half", .number(r.winRateTiesHalf)), ("win_rate_ties_half_ci95", interval(r.intervalTiesHalf)),
                ("win_rate_no_ties", .number(r.winRateNoTies)), ("win_rate_no_ties_ci95", interval(r.intervalNoTies)),
            ]
        }
        return .array(judges.map { judge in
            let position = judge.position
            var members: [(String, OrderedJSON)] = [
                ("judge", .string(judge.name)), ("verdicts", .integer(judge.verdicts)), ("errors", .integer(judge.errors)),
                ("pairs", .integer(judge.pairs)), ("pairs_with_verdict", .integer(judge.pairsWithVerdict)),
                ("pair_verdict_rule", .string("the same in both orders, else a tie; none with an error")),
                ("agreement", .array(judge.agreement.map(agreement))),
                ("people_with_each_other", people.map(agreement) ?? .null),
                ("position_consistency", .object([
                    ("both_orders", .integer(position.bothOrders)), ("consistent", .integer(position.consistent)),
                    ("consistent_ties", .integer(position.consistentTies)),
                    ("consistent_by_model", position.consistentByModel.map { .object($0.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) }) } ?? .null),
                    ("first_position", .integer(position.firstPosition)), ("second_position", .integer(position.secondPosition)),
                    ("tie_in_one_order", .integer(position.tieInOneOrder)), ("error", .integer(position.withError)),
                    ("one_order_only", .integer(position.oneOrderOnly)),
                    ("first_shown_share", .number(position.firstShare.winRateNoTies)), ("first_shown_share_ci95", interval(position.firstShare.intervalNoTies)),
                    ("first_shown_verdicts", .integer(Int(position.firstShare.votes))),
                    ("first_shown_test", .object([("p", .number(position.firstShare.test.p)), ("method", .string(position.firstShare.test.method)), ("verdict", .string(VerdictScale.test(position.firstShare.test.p)))])),
                    ("resampled", .string(ResamplingUnit.pairs.description)),
                ])),
            ]
            if results != nil || !judge.winRates.isEmpty {
                members.append(("length_bias", .object([
                    ("longer_preferred", .number(judge.longerPreferred)), ("votes", .integer(judge.lengthVotes)),
                    ("model", judge.lengthModel.map { fit in .object([
                        ("beta_log_length_ratio", .number(fit.beta)), ("standard_error", .number(fit.standardError)), ("z", .number(fit.z)),
                        ("p", .number(fit.p)), ("odds_per_doubling", .number(fit.oddsPerDoubling)), ("votes", .integer(fit.votes)),
                        ("pairs", .integer(fit.pairs)), ("design_effect", .number(fit.designEffect)), ("verdict", .string(VerdictScale.test(fit.p))),
                    ]) } ?? .null),
                ])))
                members.append(("win_rates", .array(judge.winRates.map { w in
                    let human = results?.pairs.first { $0.first == w.first && $0.second == w.second }
                    return .object([
                        ("models", .array([.string(w.first), .string(w.second)])),
                        ("consistent", .object(rate(w.consistent) + [
                            ("wins", .integer(w.consistentCounts.wins)), ("ties", .integer(w.consistentCounts.ties)), ("losses", .integer(w.consistentCounts.losses)),
                        ])),
                        ("all_pair_verdicts", .object(rate(w.conservative))),
                        ("people", human.map { .object(rate($0.inference)) } ?? .null),
                        ("resampled", .string(ResamplingUnit.pairs.description)),
                    ])
                })))
            }
            return .object(members)
        })
    }
}

extension StudyReport {
    /// The line every format prints when judges were counted as annotators (`--include-judges`).
    public var judgesIncludedNotice: String? {
        judgesIncluded.isEmpty ? nil
            : "judges counted as annotators (--include-judges): \(judgesIncluded.joined(separator: ", ")); each gives one verdict per pair (the same in both orders, else a tie), and every figure above the judge section includes them"
    }
}
