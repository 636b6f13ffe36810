import BlindReviewCore

/// Each leak on one line (field, pair, response, text, context), then the counts by term, on stderr: what
/// `create` and `amend add-pairs` print after scanning.
func printLeakLines(_ leaks: [LeakReport], redact: Bool, unredactedHint: String = "pass --redact to replace model names with [redacted] (annotators see the text as it is)") {
    guard !leaks.isEmpty else { return }
    // One text can hold thousands of hits: show a few per pair and field, and at most 200 lines in all.
    var shownPerPlace: [String: Int] = [:]
    var shown = 0, hidden = 0
    for leak in leaks {
        let place = leak.pairID + "\u{1F}" + (leak.responseID ?? leak.field.rawValue)
        shownPerPlace[place, default: 0] += 1
        guard shownPerPlace[place]! <= 5, shown < 200 else {
            hidden += 1
            continue
        }
        shown += 1
        var line = "leak: pair \(leak.pairID) (source \(VisibleText.line(leak.sourceID))), "
        line += leak.responseID.map { "response \($0)" } ?? leak.field.rawValue
        line += ": \"\(VisibleText.line(leak.text))\" (\(leak.tier == .model ? "model name" : "vendor, self-reference")) in \"\(leak.context)\""
        if leak.alsoInPrompt { line += " [also in the prompt]" }
        if leak.redacted { line += " (redacted)" }
        printError(line)
    }
    var counts: [String: Int] = [:]
    for leak in leaks { counts[leak.term, default: 0] += 1 }
    let byTerm = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\(VisibleText.line($0.key)) \($0.value)" }
    if hidden > 0 { printError("leak: \(hidden) more not listed (at most 5 per pair and response, 200 in all; --format json lists every one)") }
    printError("leaks by term: " + byTerm.joined(separator: ", "))
    let inResponses = leaks.filter { $0.field == .response }
    let redactedCount = inResponses.filter(\.redacted).count
    if redact {
        printError("note: \(redactedCount) model name(s) in responses replaced with [redacted]; vendor names and prompts, system messages and references are left as they are")
    } else if !inResponses.isEmpty {
        printError("note: \(inResponses.count) possible identity leak(s) in responses; \(unredactedHint)")
    }
}
