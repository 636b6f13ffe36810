import Foundation

/// One prompt and one model's answer to it, as read from that model's JSONL file.
public struct PromptRecord: Sendable, Equatable {
    public var id: String
    /// The prompt, if the line carried one (MT-Bench answer files do not: their prompts come from `--questions`).
    public var prompt: [ChatMessage]?
    /// One entry per assistant turn.
    public var response: [String]
    public var reference: [String]?
    public var line: Int
    /// The line's `category` and `metadata`.
    public var fields: PromptFields
    /// The line's other fields (`model_id`, `answer_id`, ...), kept in the key with the response.
    public var responseFields: [String: String] = [:]

    public init(id: String, prompt: [ChatMessage]?, response: [String], reference: [String]?, line: Int, fields: PromptFields = PromptFields()) {
        self.id = id
        self.prompt = prompt
        self.response = response
        self.reference = reference
        self.line = line
        self.fields = fields
    }
}

/// One model's outputs, in file order. Accepted line shapes:
///
///     {"id": "q1", "prompt": "How do I reset my password?", "response": "Open Settings..."}
///     {"id": "q1", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
///     {"question_id": 81, "choices": [{"index": 0, "turns": ["answer 1", "answer 2"]}]}   (MT-Bench)
///
/// `prompt` may also be a list of user turns or of `{"role", "content"}` messages; `response` a list of turns;
/// `reference` (a string or list of turns) is an optional gold answer.
public struct ModelOutputs: Sendable {
    public var model: String
    public var file: String
    public var records: [PromptRecord]
    public var warnings: [BlindReviewWarning]

    public init(model: String, file: String, records: [PromptRecord], warnings: [BlindReviewWarning]) {
        self.model = model
        self.file = file
        self.records = records
        self.warnings = warnings
    }

    public static func load(model: String, path: String) throws -> ModelOutputs {
        let (_, lines) = try JSONLines.read(path)
        var records: [PromptRecord] = []
        var warnings: [BlindReviewWarning] = []
        var seen: [String: Int] = [:]
        for line in lines {
            let (object, surrogates) = try JSONLines.objectAllowingLoneSurrogates(line, file: path)
            let id = try InputFields.id(object, file: path, line: line.number)
            if surrogates > 0 {
                warnings.append(BlindReviewWarning(file: path, line: line.number, message: "\(surrogates) lone surrogate escape(s) (such as \\ud800) in prompt \"\(id)\" stored as U+FFFD"))
            }
            if let first = seen[id] {
                throw BlindReviewError(
                    file: path, line: line.number, message: "duplicate prompt id \"\(id)\" (first on line \(first))",
                    fix: "give each prompt one line per model file")
            }
            seen[id] = line.number
            var prompt = try InputFields.prompt(object, file: path, line: line.number)
            var response: [String]
            if let explicit = try InputFields.turns(object["response"], field: "response", file: path, line: line.number) {
                response = explicit
            } else if let choices = object["choices"] as? [Any], let first = choices.first as? [String: Any],
                let turns = try InputFields.turns(first["turns"], field: "choices[0].turns", file: path, line: line.number)
            {
                response = turns
            } else if let messages = prompt, let last = messages.last, last.role == "assistant" {
                response = [last.content]
                prompt = Array(messages.dropLast())
            } else {
                throw BlindReviewError(
                    file: path, line: line.number, message: "no response on this line",
                    fix: "add \"response\" (or MT-Bench \"choices\": [{\"turns\": [...]}])")
            }
            if response.isEmpty || response.allSatisfy({ $0.isBlank }) {
                warnings.append(BlindReviewWarning(file: path, line: line.number, message: "empty response for prompt \"\(id)\""))
                if response.isEmpty { response = [""] }
            }
            let reference = try InputFields.turns(object["reference"], field: "reference", file: path, line: line.number)
            var record = PromptRecord(id: id, prompt: prompt, response: response, reference: reference, line: line.number, fields: PromptFields.read(object))
            record.responseFields = PromptFields.responseFields(object)
            records.append(record)
        }
        if records.isEmpty {
            throw BlindReviewError(file: path, message: "no lines", fix: "give one JSON object per line, one per prompt")
        }
        return ModelOutputs(model: model, file: path, records: records, warnings: warnings)
    }
}

/// Prompts (and optional references) from a questions file such as MT-Bench's `question.jsonl`:
///
///     {"question_id": 81, "turns": ["first user turn", "second user turn"], "reference": ["..."]}
///
/// or a file of answers in the model format (as MT-Bench's `reference_answer/*.jsonl`) when used for references.
public struct QuestionSet: Sendable {
    public var prompts: [String: [ChatMessage]]
    public var references: [String: [String]]
    /// Each question's `category` and `metadata`.
    public var fields: [String: PromptFields] = [:]

    public static func load(path: String) throws -> QuestionSet {
        let (_, lines) = try JSONLines.read(path)
        var prompts: [String: [ChatMessage]] = [:]
        var references: [String: [String]] = [:]
        var fields: [String: PromptFields] = [:]
        for line in lines {
            let object = try JSONLines.object(line, file: path)
            let id = try InputFields.id(object, file: path, line: line.number)
            guard prompts[id] == nil else {
                throw BlindReviewError(
                    file: path, line: line.number, message: "duplicate question id \"\(id)\"",
                    fix: "give each question one line")
            }
            var prompt = try InputFields.prompt(object, file: path, line: line.number)
            if prompt == nil, let turns = try InputFields.turns(object["turns"], field: "turns", file: path, line: line.number) {
                prompt = turns.map(ChatMessage.user)
            }
            guard let prompt else {
                throw BlindReviewError(
                    file: path, line: line.number, message: "no prompt on this line",
                    fix: "add \"turns\": [...] or \"prompt\"")
            }
            prompts[id] = prompt
            let found = PromptFields.read(object)
            if !found.isEmpty { fields[id] = found }
            if let reference = try InputFields.turns(object["reference"], field: "reference", file: path, line: line.number) {
                references[id] = reference
            }
        }
        return QuestionSet(prompts: prompts, references: references, fields: fields)
    }

    /// Reference answers from a file in the model-answer format (MT-Bench `reference_answer/gpt-4.jsonl`).
    public static func loadReferences(path: String) throws -> [String: [String]] {
        let outputs = try ModelOutputs.load(model: "reference", path: path)
        return Dictionary(outputs.records.map { ($0.id, $0.response) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Field readers shared by the input formats, each throwing an error that names file and line.
public enum InputFields {
    static func id(_ object: [String: Any], file: String, line: Int) throws -> String {
        for key in ["id", "question_id"] {
            if let text = object[key] as? String, !text.isEmpty { return text }
            // JSON true/false arrive as a boolean NSNumber; 0 and 1 also answer `is Bool`, so ask the type.
            if let number = object[key] as? NSNumber, !isBoolean(number) { return number.stringValue }
        }
        throw BlindReviewError(
            file: file, line: line, message: "no \"id\" (or \"question_id\") on this line",
            fix: "give each line a string or integer id")
    }

    /// True for JSON `true`/`false`: the only numbers JSONSerialization gives the C type `c` (char).
    public static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    /// A prompt from `prompt` (string, list of turns, or list of messages) or `messages`; nil when absent.
    static func prompt(_ object: [String: Any], file: String, line: Int) throws -> [ChatMessage]? {
        if let messages = object["messages"] {
            return try self.messages(messages, field: "messages", file: file, line: line)
        }
        guard let prompt = object["prompt"] else { return nil }
        if let text = prompt as? String { return [.user(text)] }
        if let list = prompt as? [Any], list.allSatisfy({ $0 is String }) {
            return list.map { .user($0 as! String) }
        }
        return try messages(prompt, field: "prompt", file: file, line: line)
    }

    static func messages(_ value: Any, field: String, file: String, line: Int) throws -> [ChatMessage] {
        guard let list = value as? [Any], !list.isEmpty else {
            throw BlindReviewError(
                file: file, line: line, message: "\"\(field)\" must be a non-empty list",
                fix: "write [{\"role\": \"user\", \"content\": \"...\"}, ...]")
        }
        return try list.map { entry in
            guard let message = entry as? [String: Any], let role = message["role"] as? String,
                let content = message["content"] as? String
            else {
                throw BlindReviewError(
                    file: file, line: line, message: "each entry of \"\(field)\" needs \"role\" and \"content\" strings",
                    fix: "write {\"role\": \"user\", \"content\": \"...\"}")
            }
            return ChatMessage(role: role, content: content)
        }
    }

    /// A string or a list of strings as turns; nil when absent or null.
    static func turns(_ value: Any?, field: String, file: String, line: Int) throws -> [String]? {
        guard let value, !(value is NSNull) else { return nil }
        if let text = value as? String { return [text] }
        if let list = value as? [Any], list.allSatisfy({ $0 is String }) { return list.map { $0 as! String } }
        throw BlindReviewError(
            file: file, line: line, message: "\"\(field)\" must be a string or a list of strings",
            fix: "write \"\(field)\": \"...\" or [\"turn 1\", \"turn 2\"]")
    }
}
