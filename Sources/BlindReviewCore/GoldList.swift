import Foundation

/// Known-answer (gold) pairs for `create --gold FILE`: which response of a prompt's pair is the better one, as the
/// lead decided it before the study. One JSON object per line:
///
///     {"id": "81", "better": "tuned"}                 // --model studies: the better model, by name
///     {"id": "q7", "better": "b", "min_score": 4}     // --pairs studies: the better input side, a or b
///
/// `min_score` (optional, an integer on the rubric's scale): a gold judgment passes only when every score the
/// annotator gave the better response is at least this. The list is checked against the inputs when the study
/// is built (``StudyBuilder``); it ends up only in the key (``GoldAnswer``).
public struct GoldList: Sendable, Equatable {
    /// One line of the gold file.
    public struct Entry: Sendable, Equatable {
        public var line: Int
        public var sourceID: String
        /// A model name (`--model` studies) or `a`/`b` (`--pairs` studies).
        public var better: String
        public var minScore: Int?

        public init(line: Int, sourceID: String, better: String, minScore: Int? = nil) {
            self.line = line
            self.sourceID = sourceID
            self.better = better
            self.minScore = minScore
        }
    }

    /// The file the entries came from (for error messages).
    public var file: String
    public var entries: [Entry]
    /// True when the study is made from `--pairs`: `better` names the input side (`a` or `b`), not a model.
    public var bySide: Bool

    public init(file: String, entries: [Entry], bySide: Bool) {
        self.file = file
        self.entries = entries
        self.bySide = bySide
    }

    /// Reads a gold file: every line an object with `id` (or `question_id`), `better` and optionally `min_score`.
    public static func load(path: String, bySide: Bool) throws -> GoldList {
        let (_, lines) = try JSONLines.read(path)
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        for line in lines {
            let object = try JSONLines.object(line, file: path)
            let id = try InputFields.id(object, file: path, line: line.number)
            if let earlier = seen[id] {
                throw BlindReviewError(
                    file: path, line: line.number, message: "source id \"\(VisibleText.line(id))\" is listed twice (first on line \(earlier))",
                    fix: "give each gold prompt one line")
            }
            seen[id] = line.number
            guard let better = object["better"] as? String, !better.isEmpty else {
                throw BlindReviewError(
                    file: path, line: line.number, message: "no \"better\" on this line",
                    fix: bySide ? "add \"better\": \"a\" or \"b\" (the input's response_a or response_b)" : "add \"better\": MODEL, the --model name of the better response")
            }
            if bySide, better != "a", better != "b" {
                throw BlindReviewError(
                    file: path, line: line.number, message: "\"better\" is \"\(VisibleText.line(better))\", but for a --pairs study it names the input side",
                    fix: "write \"better\": \"a\" (response_a) or \"b\" (response_b)")
            }
            var minScore: Int?
            if let value = object["min_score"], !(value is NSNull) {
                guard let number = value as? NSNumber, !InputFields.isBoolean(number), number.doubleValue == number.doubleValue.rounded(),
                    abs(number.doubleValue) < 1e9
                else {
                    throw BlindReviewError(
                        file: path, line: line.number, message: "\"min_score\" must be a whole number",
                        fix: "write a score on the rubric's scale, such as \"min_score\": 4, or leave it out")
                }
                minScore = number.intValue
            }
            let unknown = Set(object.keys).subtracting(["id", "question_id", "better", "min_score"])
            if let field = unknown.sorted().first {
                throw BlindReviewError(
                    file: path, line: line.number, message: "unknown field \"\(VisibleText.line(field))\"",
                    fix: "a gold line has id, better and optionally min_score")
            }
            entries.append(Entry(line: line.number, sourceID: id, better: better, minScore: minScore))
        }
        if entries.isEmpty {
            throw BlindReviewError(file: path, message: "no gold pairs", fix: "give one JSON object per line: {\"id\": ..., \"better\": ...}")
        }
        return GoldList(file: path, entries: entries, bySide: bySide)
    }

    /// Checks the list against the study's inputs and returns, for each kept pair that is gold, whether its
    /// first input response is the better one, and the minimum score.
    ///
    /// - Parameters:
    ///   - input: every comparison the inputs gave (before `--sample`);
    ///   - kept: the comparisons in the study (after `--sample`), in the same order as the study's originals.
    func resolve(input: [CandidatePair], kept: [CandidatePair], models: [String], rubric: Rubric) throws -> [Int: (firstIsBetter: Bool, minScore: Int?)] {
        let inputIDs = Set(input.map(\.sourceID))
        var keptBySource: [String: [Int]] = [:]
        for (index, pair) in kept.enumerated() { keptBySource[pair.sourceID, default: []].append(index) }
        var result: [Int: (Bool, Int?)] = [:]
        for entry in entries {
            let id = VisibleText.line(entry.sourceID)
            guard inputIDs.contains(entry.sourceID) else {
                throw BlindReviewError(
                    file: file, line: entry.line, message: "source id \"\(id)\" is in none of the study's inputs",
                    fix: "use the id (or question_id) of a prompt in the inputs, or remove the line")
            }
            guard let indices = keptBySource[entry.sourceID] else {
                throw BlindReviewError(
                    file: file, line: entry.line, message: "source id \"\(id)\" is not in the study after --sample",
                    fix: "remove the line, or create the study with a larger --sample (or none)")
            }
            if !bySide, !models.contains(entry.better) {
                throw BlindReviewError(
                    file: file, line: entry.line, message: "model \"\(VisibleText.line(entry.better))\" is not in this study",
                    fix: "use one of the --model names: \(models.map(VisibleText.line).joined(separator: ", "))")
            }
            if let minScore = entry.minScore {
                guard !rubric.criteria.isEmpty else {
                    throw BlindReviewError(
                        file: file, line: entry.line, message: "\"min_score\" is given, but the rubric has no scored criteria",
                        fix: "leave min_score out, or use a rubric with criteria")
                }
                let low = rubric.criteria.map(\.min).min()!, high = rubric.criteria.map(\.max).max()!
                guard (low...high).contains(minScore) else {
                    throw BlindReviewError(
                        file: file, line: entry.line, message: "\"min_score\" \(minScore) is off the rubric's scale (\(low) to \(high))",
                        fix: "give a score from \(low) to \(high), or leave it out")
                }
            }
            var matched = 0
            for index in indices {
                let pair = kept[index]
                if bySide {
                    result[index] = (entry.better == "a", entry.minScore)
                    matched += 1
                } else if pair.first.model == entry.better || pair.second.model == entry.better {
                    result[index] = (pair.first.model == entry.better, entry.minScore)
                    matched += 1
                }
            }
            if matched == 0 {
                throw BlindReviewError(
                    file: file, line: entry.line, message: "no pair of source id \"\(id)\" includes model \"\(VisibleText.line(entry.better))\"",
                    fix: "with --baseline only pairs with the baseline are made; name a model that is compared on this prompt")
            }
        }
        return result
    }
}

/// What the key records for a gold pair: the response the lead expects to win and, optionally, the least score
/// every criterion of that response should get.
///
///     "gold": {"p3c1f0a9b2d4e6f70": {"expected": "r09ab44c1d2e3f405", "min_score": 4}}
public struct GoldAnswer: Codable, Hashable, Sendable {
    /// The response id of the better response.
    public var expected: String
    public var minScore: Int?

    enum CodingKeys: String, CodingKey {
        case expected
        case minScore = "min_score"
    }

    public init(expected: String, minScore: Int? = nil) {
        self.expected = expected
        self.minScore = minScore
    }
}
