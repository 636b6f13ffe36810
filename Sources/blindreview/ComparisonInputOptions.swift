import ArgumentParser
import BlindReviewCore
import Foundation

/// The flags that name a comparison's outputs, shared by `create` and `amend add-pairs` so that both read,
/// check and cut their input the same way.
///
///     blindreview create s --model base=base.jsonl --model tuned=tuned.jsonl --turns 1 ...
///     blindreview amend s add-pairs --model base=more-base.jsonl --model tuned=more-tuned.jsonl --turns 1
struct ComparisonInputOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: ArgumentHelp("A model and its outputs (repeat for each model).", valueName: "NAME=FILE"))
    var models: [String] = []

    @Option(help: ArgumentHelp("Prompts by id, for answer files without prompts (MT-Bench question.jsonl).", valueName: "FILE"))
    var questions: String?

    @Option(help: ArgumentHelp("Reference (gold) answers by id, in the model-answer format.", valueName: "FILE"))
    var references: String?

    @Option(help: ArgumentHelp("Ready-made pairs: {id, prompt, response_a, response_b, mapping}.", valueName: "FILE"))
    var pairs: String?

    @Option(help: ArgumentHelp("With 3+ models: compare each model to this one only (default: all pairs).", valueName: "NAME"))
    var baseline: String?

    @Option(name: .customLong("leak-terms"), help: ArgumentHelp("More names to scan for: one a line, `model: NAME` (flagged and redacted) or `vendor: NAME` (flagged in self-references).", valueName: "FILE"))
    var leakTerms: String?

    @Option(help: ArgumentHelp("Show only the first N turns of multi-turn prompts and responses (a judge that saw turn 1 only: --turns 1).", valueName: "N"))
    var turns: Int?

    func validate() throws {
        if models.isEmpty && pairs == nil {
            throw ValidationError("give the outputs: --model NAME=FILE for each model, or --pairs FILE")
        }
        if !models.isEmpty && pairs != nil {
            throw ValidationError("use either --model or --pairs, not both")
        }
        if pairs != nil && (questions != nil || references != nil || baseline != nil) {
            throw ValidationError("--questions, --references and --baseline go with --model, not --pairs")
        }
        if !models.isEmpty && models.count < 2 {
            throw ValidationError("a study compares at least two models: pass --model NAME=FILE twice or more")
        }
        var names = Set<String>()
        for model in models {
            let parts = model.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--model expects NAME=FILE, got \"\(model)\"")
            }
            guard names.insert(parts[0]).inserted else {
                throw ValidationError("model \"\(parts[0])\" is given twice")
            }
        }
        if let turns, turns < 1 { throw ValidationError("--turns must be at least 1") }
    }

    /// The comparisons (cut to `--turns` when given) and the extra leak terms.
    func load() throws -> (input: ComparisonInput, extraLeakTerms: [LeakTerm]) {
        var input = try ComparisonInput.load(models: models, questions: questions, references: references, pairs: pairs, baseline: baseline)
        if let turns { input.candidates = try input.candidates.map { try TurnLimit.firstTurns(turns, of: $0) } }
        return (input, try leakTerms.map(LeakTerm.load(path:)) ?? [])
    }
}
