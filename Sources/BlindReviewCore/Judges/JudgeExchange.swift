import Foundation

/// What `blindreview judge` sends a judge command and what it reads back: one blinded pair in one order as JSON
/// on standard input, one verdict as JSON on standard output. Nothing in either names a model; the pair and
/// response ids are the study's opaque ones.
///
/// Input (one object, `schema` 1):
///
///     {"schema":1,"study":"phi3","pair":"p3c1f…","order":1,
///      "system":"optional system message","prompt":[{"role":"user","content":"…"}],
///      "reference":["optional gold answer, by turn"],
///      "response_a":["turn 1", "…"],"response_b":["turn 1", "…"],
///      "criteria":[{"id":"accuracy","name":"Accuracy","description":"…","min":1,"max":5}],
///      "question":"Which response is better overall?"}
///
/// `order` is 1 when the pair's responses are in stored order, 2 when swapped (each pair is asked both ways).
///
/// Output (one object; when standard output holds more, its last line that is a JSON object):
///
///     {"winner":"A"}                                   A, B or tie (any case)
///     {"winner":"B","scores":{"accuracy":[3,5]}}       optional scores per criterion, [A, B]
///     {"winner":"error","reason":"could not decide"}   the judge's own failure: kept as an error verdict
///
/// A nonzero exit, a timeout, or output that is none of these is recorded as an error verdict of the command,
/// with the exit status and the end of standard error.
public enum JudgeExchange {
    public static let inputSchema = 1

    /// The input for one slot of a judge's queue.
    public static func input(study: Study, item: StudyItem, entry: QueueEntry, order: Int) -> Data {
        func turns(_ id: String) -> [Any] { (item.response(id)?.turns ?? []).map { $0 as Any } }
        var object: [String: Any] = [
            "schema": inputSchema, "study": study.name, "pair": item.id, "order": order,
            "prompt": item.prompt.filter { $0.role != "system" }.map { ["role": $0.role, "content": $0.content] },
            "response_a": turns(entry.a), "response_b": turns(entry.b),
            "criteria": study.rubric.criteria.map { ["id": $0.id, "name": $0.name, "description": $0.description, "min": $0.min, "max": $0.max] as [String: Any] },
            "question": study.rubric.preference.question,
        ]
        let system = item.prompt.filter { $0.role == "system" }.map(\.content)
        if !system.isEmpty { object["system"] = system.joined(separator: "\n\n") }
        if let reference = item.reference { object["reference"] = reference }
        var data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// A verdict read from a command's output.
    public enum Verdict: Equatable, Sendable {
        /// The favoured side (nil: a tie) and scores per criterion for A and B.
        case preference(Side?, scores: [String: [Int]])
        /// The judge said it could not decide.
        case judgeError(String)
    }

    /// Reads a verdict, or says why the output is not one (the caller records that as the command's error).
    public static func verdict(from output: Data, rubric: Rubric) -> Result<Verdict, VerdictProblem> {
        let text = String(decoding: output, as: UTF8.self)
        func object(_ text: Substring) -> [String: Any]? {
            guard let data = text.trimmingCharacters(in: .whitespacesAndNewlines).data(using: .utf8), !data.isEmpty else { return nil }
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        }
        guard let found = object(Substring(text)) ?? text.split(whereSeparator: \.isNewline).reversed().lazy.compactMap(object).first else {
            return .failure(VerdictProblem("the output is not a verdict (a JSON object with \"winner\"): \(preview(text))"))
        }
        guard let winner = (found["winner"] as? String)?.lowercased() else {
            return .failure(VerdictProblem("the verdict has no \"winner\" (A, B, tie or error): \(preview(text))"))
        }
        let side: Side?
        switch winner {
        case "a": side = .a
        case "b": side = .b
        case "tie": side = nil
        case "error":
            // Kept as stderr is, its first 2,000 characters: a verbose judge must not fill the journal.
            let reason = (found["reason"] as? String).map { $0.count > JudgeProcess.keptError ? String($0.prefix(JudgeProcess.keptError)) + "…" : $0 }
            return .success(.judgeError(reason.map { "the judge said error: \($0)" } ?? "the judge said error"))
        default: return .failure(VerdictProblem("winner \"\(VisibleText.line(String(winner.prefix(40))))\" is not A, B, tie or error"))
        }
        var scores: [String: [Int]] = [:]
        if let table = found["scores"], !(table is NSNull) {
            guard let table = table as? [String: Any] else { return .failure(VerdictProblem("\"scores\" is not an object of [A, B] scores")) }
            for (id, value) in table {
                guard let criterion = rubric.criterion(id) else { return .failure(VerdictProblem("scores name \"\(VisibleText.line(String(id.prefix(40))))\", which is no rubric criterion")) }
                guard let list = value as? [Any], list.count == 2,
                    let numbers = list as? [NSNumber], numbers.allSatisfy({ !InputFields.isBoolean($0) && Int(exactly: $0.doubleValue) != nil }),
                    numbers.allSatisfy({ criterion.scores.contains($0.intValue) })
                else { return .failure(VerdictProblem("scores.\(id) is not [A, B] with whole scores \(criterion.min)-\(criterion.max)")) }
                scores[id] = numbers.map(\.intValue)
            }
        }
        return .success(.preference(side, scores: scores))
    }

    /// Why a command's output is not a verdict.
    public struct VerdictProblem: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    static func preview(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "(nothing)" }
        return VisibleText.line(trimmed.count > 300 ? String(trimmed.prefix(300)) + "…" : trimmed)
    }
}
