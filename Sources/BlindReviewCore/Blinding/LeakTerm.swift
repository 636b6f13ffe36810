import Foundation

/// One term the leak scanner looks for, and how sure a match is.
///
///     try LeakTerm.parse("model: Northwind\nvendor: Acme\n", file: "terms.txt")
///     // [LeakTerm(text: "Northwind", tier: .model), LeakTerm(text: "Acme", tier: .vendor)]
public struct LeakTerm: Hashable, Sendable {
    public enum Tier: String, Sendable {
        /// Never an ordinary word: flagged everywhere, replaced by `--redact`.
        case model
        /// Also an ordinary word: flagged only in a self-reference ("I am", "developed by"), never redacted.
        case vendor
    }

    public var text: String
    public var tier: Tier

    public init(text: String, tier: Tier) {
        self.text = text
        self.tier = tier
    }

    /// The built-in list (see ``LeakTermList``).
    public static let builtIn: [LeakTerm] = (try? parse(LeakTermList.builtIn, file: "built-in terms")) ?? []

    /// Reads a terms file: one term a line, `model: NAME` or `vendor: NAME` (a bare `NAME` is a model term);
    /// blank lines and `#` comments are skipped.
    public static func parse(_ text: String, file: String) throws -> [LeakTerm] {
        var terms: [LeakTerm] = []
        // Split at any line break ("\r\n" is one Character in Swift, so splitting at "\n" would miss it).
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            // A CRLF file's lines end in "\r": trimmed like any other white space.
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var tier = Tier.model
            var term = line
            for candidate in [Tier.model, .vendor] where line.lowercased().hasPrefix(candidate.rawValue + ":") {
                tier = candidate
                term = String(line.dropFirst(candidate.rawValue.count + 1)).trimmingCharacters(in: .whitespaces)
            }
            guard term.count <= 200 else {
                throw BlindReviewError(file: file, line: index + 1, message: "term longer than 200 characters", fix: "shorten it")
            }
            guard LeakNormalizer.normalize(term).bytes.count >= 2 else {
                throw BlindReviewError(
                    file: file, line: index + 1, message: "a term must have at least two letters or digits",
                    fix: "write one term a line, as `model: NAME` or `vendor: NAME`")
            }
            terms.append(LeakTerm(text: term, tier: tier))
        }
        return terms
    }

    /// Reads `--leak-terms FILE`.
    public static func load(path: String) throws -> [LeakTerm] {
        let data = try JSONLines.readFile(path)
        guard let text = String(data: data, encoding: .utf8) else {
            let line = JSONLines.lineRanges([UInt8](data)).first { String(validating: Array(data)[$0.start..<$0.end], as: UTF8.self) == nil }?.number
            throw BlindReviewError(file: path, line: line, message: "not UTF-8 text", fix: "save the terms file as UTF-8")
        }
        return try parse(text, file: path)
    }
}
