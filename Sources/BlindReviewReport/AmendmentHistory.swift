import AgreementStats
import BlindReviewCore

/// The report's account of how the study changed while it ran: every amendment (number, time, change, reason)
/// and the withdrawn pairs left out of every figure, with their reasons. Every format prints it.
///
///     StudyReport.amendmentText(study)   // ["AMENDMENTS (2)", "  1. 2026-12-01 18:02  withdraw p3c1… — truncated", ...]
extension StudyReport {
    /// The pairs withdrawn, sorted, with the lead's reasons.
    public var withdrawnPairs: [(pair: String, reason: String)] {
        study.withdrawn.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func amendmentTime(_ record: AmendmentRecord) -> String {
        String(record.time.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// Plain-text lines (empty when the study was never amended).
    func amendmentText() -> [String] {
        guard !study.amendments.isEmpty else { return [] }
        var out = ["", "AMENDMENTS (\(study.amendments.count); study.json unchanged, the log applied in order)"]
        for record in study.amendments {
            out.append("  \(record.seq). \(StudyReport.amendmentTime(record))  \(record.change.summary)\(record.reason.map { " — \($0)" } ?? "")")
        }
        if !study.withdrawn.isEmpty {
            out.append("  Withdrawn: \(study.withdrawn.count) pair\(study.withdrawn.count == 1 ? "" : "s") left out of every figure above (their judgments stay in the journals):")
            for (pair, reason) in withdrawnPairs { out.append("    \(pair): \(reason.isEmpty ? "no reason given" : reason)") }
        }
        return out
    }

    /// Markdown lines.
    func amendmentMarkdown(_ cell: (String) -> String) -> [String] {
        guard !study.amendments.isEmpty else { return [] }
        var out = ["", "## Amendments (\(study.amendments.count))", "", "| # | time | change | reason |", "|---|---|---|---|"]
        for record in study.amendments {
            out.append("| \(record.seq) | \(StudyReport.amendmentTime(record)) | \(cell(record.change.summary)) | \(cell(record.reason ?? "")) |")
        }
        if !study.withdrawn.isEmpty {
            out += ["", "Withdrawn: \(study.withdrawn.count) pair\(study.withdrawn.count == 1 ? "" : "s") left out of every figure (their judgments stay in the journals): "
                + withdrawnPairs.map { "`\(cell($0.pair))` (\(cell($0.reason.isEmpty ? "no reason given" : $0.reason)))" }.joined(separator: ", ")]
        }
        return out
    }

    /// HTML (escaped with `e`).
    func amendmentHTML(_ e: (String) -> String) -> String {
        guard !study.amendments.isEmpty else { return "" }
        var body = "<h2>Amendments (\(study.amendments.count))</h2><table><tr><th>#</th><th>time</th><th>change</th><th>reason</th></tr>"
        for record in study.amendments {
            body += "<tr><td>\(record.seq)</td><td>\(e(StudyReport.amendmentTime(record)))</td><td>\(e(record.change.summary))</td><td>\(e(record.reason ?? ""))</td></tr>"
        }
        body += "</table>"
        if !study.withdrawn.isEmpty {
            body += "<p>Withdrawn: \(study.withdrawn.count) pair\(study.withdrawn.count == 1 ? "" : "s") left out of every figure (their judgments stay in the journals): "
                + withdrawnPairs.map { "<code>\(e($0.pair))</code> (\(e($0.reason.isEmpty ? "no reason given" : $0.reason)))" }.joined(separator: ", ") + "</p>"
        }
        return body
    }

    /// JSON: `amendments` `[{seq, time, change, summary, reason}]` and `withdrawn` `[{pair_id, reason}]`.
    func amendmentJSON() -> [(String, OrderedJSON)] {
        [
            ("amendments", .array(study.amendments.map { record in
                .object([
                    ("seq", .integer(record.seq)), ("time", .string(record.time)), ("change", .string(record.change.kind)),
                    ("summary", .string(record.change.summary)), ("reason", record.reason.map(OrderedJSON.string) ?? .null),
                ])
            })),
            ("withdrawn", .array(withdrawnPairs.map { .object([("pair_id", .string($0.pair)), ("reason", .string($0.reason))]) })),
        ]
    }
}
