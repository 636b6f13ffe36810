import Foundation

/// The comparisons a study is made from, read from the input flags `create` and `amend add-pairs` share:
/// `--model NAME=FILE` (two or more, with `--questions`, `--references`, `--baseline`) or `--pairs FILE`.
///
///     let input = try ComparisonInput.load(models: ["base=base.jsonl", "tuned=tuned.jsonl"])
///     input.models          // ["base", "tuned"]
///     input.candidates.count
public struct ComparisonInput: Sendable {
    public var candidates: [CandidatePair]
    /// The models in input order: the `--model` flags' order, or first appearance in `--pairs`.
    public var models: [String]
    public var warnings: [BlindReviewWarning]

    public init(candidates: [CandidatePair], models: [String], warnings: [BlindReviewWarning] = []) {
        self.candidates = candidates
        self.models = models
        self.warnings = warnings
    }

    public static func load(
        models specs: [String], questions: String? = nil, references: String? = nil, pairs: String? = nil, baseline: String? = nil
    ) throws -> ComparisonInput {
        if let pairs {
            let loaded = try ComparisonSource.pairs(fromFile: pairs)
            var seen: [String] = []
            for pair in loaded.pairs {
                for model in [pair.first.model, pair.second.model] where !seen.contains(model) { seen.append(model) }
            }
            return ComparisonInput(candidates: loaded.pairs, models: seen, warnings: loaded.warnings)
        }
        // The model files are read side by side (one per core); the first failure in flag order is reported, as
        // when they were read one after another.
        let loaded = ResultSlots<Result<ModelOutputs, Error>>(count: specs.count)
        DispatchQueue.concurrentPerform(iterations: specs.count) { index in
            let parts = specs[index].split(separator: "=", maxSplits: 1).map(String.init)
            loaded.set(index, Result { try ModelOutputs.load(model: parts[0], path: parts[1]) })
        }
        let outputs = try loaded.values.map { try $0!.get() }
        let questionSet = try questions.map(QuestionSet.load(path:))
        let referenceSet = try references.map(QuestionSet.loadReferences(path:))
        let candidates = try ComparisonSource.pairs(outputs: outputs, questions: questionSet, references: referenceSet, baseline: baseline)
        return ComparisonInput(candidates: candidates, models: outputs.map(\.model), warnings: outputs.flatMap(\.warnings))
    }
}
