import Foundation

/// One comparison before blinding: a prompt and two named models' responses.
public struct CandidatePair: Sendable, Equatable {
    public var sourceID: String
    public var prompt: [ChatMessage]
    public var reference: [String]?
    public var first: ModelResponse
    public var second: ModelResponse
    /// The prompt's category and metadata, when the inputs carry them.
    public var fields: PromptFields

    public init(
        sourceID: String, prompt: [ChatMessage], reference: [String]?, first: ModelResponse, second: ModelResponse,
        fields: PromptFields = PromptFields()
    ) {
        self.sourceID = sourceID
        self.prompt = prompt
        self.reference = reference
        self.first = first
        self.second = second
        self.fields = fields
    }
}

public struct ModelResponse: Sendable, Equatable {
    public var model: String
    public var turns: [String]
    /// Fields of the model's answer line beyond the text (`model_id`, `answer_id`, ...): they go to the key only.
    public var fields: [String: String] = [:]

    public init(model: String, turns: [String], fields: [String: String] = [:]) {
        self.model = model
        self.turns = turns
        self.fields = fields
    }
}

/// Turns the lead's inputs into the list of comparisons to blind.
public enum ComparisonSource {
    /// Pairs from per-model outputs, matched by prompt id: every model against `baseline` when given, else every
    /// pair of models. The order is the first model's file order, then model order.
    public static func pairs(
        outputs: [ModelOutputs], questions: QuestionSet?, references: [String: [String]]?, baseline: String?
    ) throws -> [CandidatePair] {
        guard outputs.count >= 2 else {
            throw BlindReviewError(message: "need at least two models", fix: "pass --model NAME=FILE twice or more, or --pairs FILE")
        }
        // Each model's line index by prompt id (indexes, not copies: records hold whole responses).
        let lineOf = outputs.map { output in
            Dictionary(uniqueKeysWithValues: output.records.enumerated().map { ($1.id, $0) })
        }
        let first = outputs[0]
        for (output, records) in zip(outputs, lineOf) {
            for record in first.records where records[record.id] == nil {
                throw BlindReviewError(
                    file: output.file, message: "prompt id \"\(record.id)\" is missing (it is on line \(record.line) of \(first.file))",
                    fix: "give every model an answer for every prompt, or remove the prompt from all files")
            }
            if output.records.count != first.records.count {
                let known = Set(first.records.map(\.id))
                let extra = output.records.first { !known.contains($0.id) }!
                throw BlindReviewError(
                    file: first.file, message: "prompt id \"\(extra.id)\" is missing (it is on line \(extra.line) of \(output.file))",
                    fix: "give every model an answer for every prompt, or remove the prompt from all files")
            }
        }
        var modelPairs: [(Int, Int)] = []
        if let baseline {
            guard let base = outputs.firstIndex(where: { $0.model == baseline }) else {
                throw BlindReviewError(
                    message: "--baseline \(baseline) is not one of the models (\(outputs.map(\.model).joined(separator: ", ")))",
                    fix: "name one of the --model names")
            }
            modelPairs = outputs.indices.filter { $0 != base }.map { (base, $0) }
        } else {
            for i in outputs.indices {
                for j in outputs.indices where j > i { modelPairs.append((i, j)) }
            }
        }
        var result: [CandidatePair] = []
        result.reserveCapacity(first.records.count * modelPairs.count)
        for (row, record) in first.records.enumerated() {
            let id = record.id
            // Each model's line for this prompt (every model has one, checked above; the first model's is `row`).
            let lines = lineOf.indices.map { $0 == 0 ? row : lineOf[$0][id]! }
            func line(_ model: Int) -> Int { outputs[model].records[lines[model]].line }
            let prompt: [ChatMessage]
            if let fromQuestions = questions?.prompts[id] {
                prompt = fromQuestions
            } else if let own = outputs.indices.lazy.compactMap({ outputs[$0].records[lines[$0]].prompt }).first {
                // Every model must have answered the same prompt: annotators see one.
                for model in outputs.indices {
                    if let theirs = outputs[model].records[lines[model]].prompt, !ChatMessage.sameConversation(theirs, own) {
                        throw BlindReviewError(
                            file: outputs[model].file, line: line(model),
                            message: "the prompt (or system message) for id \"\(id)\" differs from the one in \(first.file)",
                            fix: "make the model files agree on each prompt, or pass --questions FILE to give one prompt per id")
                    }
                }
                prompt = own
            } else {
                throw BlindReviewError(
                    file: first.file, line: record.line, message: "no prompt for id \"\(id)\"",
                    fix: questions == nil
                        ? "add \"prompt\" to the lines, or pass --questions FILE"
                        : "add question \(id) to the --questions file")
            }
            let ownReferences = outputs.indices.compactMap { model in
                outputs[model].records[lines[model]].reference.map { (outputs[model].file, line(model), $0) }
            }
            if references?[id] == nil, questions?.references[id] == nil, let first = ownReferences.first,
               let other = ownReferences.first(where: { $0.2 != first.2 }) {
                throw BlindReviewError(
                    file: other.0, line: other.1, message: "the reference for id \"\(id)\" differs from the one in \(first.0)",
                    fix: "make the model files agree on each reference, or pass --references FILE")
            }
            let reference = references?[id] ?? questions?.references[id] ?? ownReferences.first?.2
            // Prompt-level fields: from the questions file, else from the model files when they all agree (a
            // field that differs between models is about the model, and is left out).
            var fields = questions?.fields[id] ?? PromptFields()
            if fields.isEmpty {
                let each = outputs.indices.map { outputs[$0].records[lines[$0]].fields }
                if each.allSatisfy({ $0 == each[0] }) { fields = each[0] }
            }
            func response(_ model: Int) -> ModelResponse {
                ModelResponse(
                    model: outputs[model].model, turns: outputs[model].records[lines[model]].response,
                    fields: outputs[model].records[lines[model]].responseFields)
            }
            for (i, j) in modelPairs {
                result.append(CandidatePair(sourceID: id, prompt: prompt, reference: reference, first: response(i), second: response(j), fields: fields))
            }
        }
        return result
    }

    /// Ready-made pairs, one per line:
    ///
    ///     {"id": "q1", "prompt": "...", "response_a": "...", "response_b": "...", "mapping": {"a": "base", "b": "tuned"}}
    public static func pairs(fromFile path: String) throws -> (pairs: [CandidatePair], warnings: [BlindReviewWarning]) {
        let (_, lines) = try JSONLines.read(path)
        var result: [CandidatePair] = []
        var warnings: [BlindReviewWarning] = []
        var seen: [String: Int] = [:]
        for line in lines {
            let (object, surrogates) = try JSONLines.objectAllowingLoneSurrogates(line, file: path)
            let id = try InputFields.id(object, file: path, line: line.number)
            if surrogates > 0 {
                warnings.append(BlindReviewWarning(file: path, line: line.number, message: "\(surrogates) lone surrogate escape(s) (such as \\ud800) in pair \"\(id)\" stored as U+FFFD"))
            }
            if let earlier = seen[id] {
                throw BlindReviewError(
                    file: path, line: line.number, message: "duplicate pair id \"\(id)\" (first on line \(earlier))",
                    fix: "give each pair its own id")
            }
            seen[id] = line.number
            guard let prompt = try InputFields.prompt(object, file: path, line: line.number) else {
                throw BlindReviewError(file: path, line: line.number, message: "no \"prompt\"", fix: "add the prompt")
            }
            guard let a = try InputFields.turns(object["response_a"], field: "response_a", file: path, line: line.number),
                let b = try InputFields.turns(object["response_b"], field: "response_b", file: path, line: line.number)
            else {
                throw BlindReviewError(
                    file: path, line: line.number, message: "needs both \"response_a\" and \"response_b\"",
                    fix: "add the two responses")
            }
            guard let mapping = object["mapping"] as? [String: Any], let modelA = mapping["a"] as? String,
                let modelB = mapping["b"] as? String, !modelA.isEmpty, !modelB.isEmpty
            else {
                throw BlindReviewError(
                    file: path, line: line.number, message: "needs \"mapping\": {\"a\": MODEL, \"b\": MODEL}",
                    fix: "name the model behind each response")
            }
            guard modelA != modelB else {
                throw BlindReviewError(
                    file: path, line: line.number, message: "both responses are from model \"\(modelA)\"",
                    fix: "a pair compares two different models")
            }
            for (side, turns) in [("response_a", a), ("response_b", b)]
            where turns.allSatisfy({ $0.isBlank }) {
                warnings.append(BlindReviewWarning(file: path, line: line.number, message: "empty \(side) for pair \"\(id)\""))
            }
            let reference = try InputFields.turns(object["reference"], field: "reference", file: path, line: line.number)
            result.append(
                CandidatePair(
                    sourceID: id, prompt: prompt, reference: reference,
                    first: ModelResponse(model: modelA, turns: a), second: ModelResponse(model: modelB, turns: b),
                    fields: PromptFields.read(object)))
        }
        if result.isEmpty {
            throw BlindReviewError(file: path, message: "no pairs", fix: "give one JSON object per line")
        }
        return (result, warnings)
    }
}
