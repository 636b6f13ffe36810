import ArgumentParser
import BlindReviewCore
import Foundation

extension BlindReview {
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a blinded study from model outputs.",
            discussion: """
                Inputs: one JSONL file per model (--model NAME=FILE, matched by prompt id), or a file of \
                ready-made pairs (--pairs). The key (which model wrote what) goes to sessions/.keys/STUDY.json \
                unless --key says otherwise; keep it away from annotators.

                Example:
                  blindreview create support-v2 --model base=base.jsonl --model tuned=tuned.jsonl \\
                      --annotators alice,bob,carol --per-item 2 --repeat 5 --seed 7
                """)

        @Argument(help: "The study: a bare name means sessions/<name>/, anything with a / is a folder path.")
        var study: String

        @Option(name: .customLong("model"), help: ArgumentHelp("A model and its outputs (repeat for each model).", valueName: "NAME=FILE"))
        var models: [String] = []

        @Option(help: ArgumentHelp("Prompts by id, for answer files without prompts (MT-Bench question.jsonl).", valueName: "FILE"))
        var questions: String?

        @Option(help: ArgumentHelp("Reference (gold) answers by id, in the model-answer format.", valueName: "FILE"))
        var references: String?

        @Option(help: ArgumentHelp("Ready-made pairs: {id, prompt, response_a, response_b, mapping}.", valueName: "FILE"))
        var pairs: String?

        @Option(help: ArgumentHelp("Annotator names, comma-separated.", valueName: "a,b,c"))
        var annotators: String?

        @Option(name: .customLong("per-item"), help: ArgumentHelp("Annotators per pair (balanced load); default: all.", valueName: "K"))
        var perItem: Int?

        @Option(help: "Seed for every random choice; the same inputs and seed give the same study. Default: a new random seed, printed and kept in the key.")
        var seed: UInt64?

        @Option(name: .customLong("repeat"), help: ArgumentHelp("Hidden repeats per annotator (sides swapped) to measure self-consistency.", valueName: "N"))
        var repeats: Int = 0

        @Option(help: ArgumentHelp("Where to write the key (default: sessions/.keys/<study>.json).", valueName: "PATH"))
        var key: String?

        @Option(help: ArgumentHelp("A rubric in YAML or JSON (default: the standard four criteria, 1-5).", valueName: "FILE"))
        var rubric: String?

        @Option(help: ArgumentHelp("Keep a seeded random subset of N pairs.", valueName: "N"))
        var sample: Int?

        @Option(help: ArgumentHelp("With 3+ models: compare each model to this one only (default: all pairs).", valueName: "NAME"))
        var baseline: String?

        @Flag(help: "Replace model and vendor names found in responses with [redacted].")
        var redact = false

        @Flag(help: "Replace an existing study of this name; the old one moves to .trash/ (refused if any journal has events).")
        var force = false

        @Flag(name: .customLong("discard-judgments"), help: "With --force: replace the study even though it has judgments (they go to .trash/ with it).")
        var discardJudgments = false

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
            guard annotators != nil else {
                throw ValidationError("name the annotators: --annotators alice,bob")
            }
            if repeats < 0 { throw ValidationError("--repeat must be 0 or more") }
            if let perItem, perItem < 1 { throw ValidationError("--per-item must be at least 1") }
            if let sample, sample < 1 { throw ValidationError("--sample must be at least 1") }
            if discardJudgments && !force { throw ValidationError("--discard-judgments goes with --force") }
        }

        func run() throws {
            try failing {
                try StudyReplacement.checkArgument(study)
                let store = StudyStore.resolve(study)
                guard AnnotatorName.isValid(store.name) else {
                    throw BlindReviewError(message: "study name \"\(store.name)\" is not allowed", fix: "use letters, digits, '.', '_' or '-'")
                }
                if store.exists || FileManager.default.fileExists(atPath: store.folder.path), !force {
                    throw BlindReviewError(file: store.folder.path, message: "a study folder already exists here", fix: "choose another name, or pass --force to replace it")
                }
                let names = annotators!.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let rubricValue = try rubric.map(RubricLoader.load(path:)) ?? .standard
                var warnings: [BlindReviewWarning] = []
                let candidates: [CandidatePair]
                var modelNames: [String]
                if let pairs {
                    let loaded = try ComparisonSource.pairs(fromFile: pairs)
                    candidates = loaded.pairs
                    warnings += loaded.warnings
                    var seen: [String] = []
                    for pair in candidates {
                        for model in [pair.first.model, pair.second.model] where !seen.contains(model) { seen.append(model) }
                    }
                    modelNames = seen
                } else {
                    let outputs = try models.map { spec -> ModelOutputs in
                        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                        return try ModelOutputs.load(model: parts[0], path: parts[1])
                    }
                    warnings += outputs.flatMap(\.warnings)
                    let questionSet = try questions.map(QuestionSet.load(path:))
                    let referenceSet = try references.map(QuestionSet.loadReferences(path:))
                    candidates = try ComparisonSource.pairs(
                        outputs: outputs, questions: questionSet, references: referenceSet, baseline: baseline)
                    modelNames = outputs.map(\.model)
                }
                let keyURL = key.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? store.defaultKeyFile
                let folderPath = store.folder.path.hasSuffix("/") ? store.folder.path : store.folder.path + "/"
                if keyURL.path.hasPrefix(folderPath) {
                    throw BlindReviewError(
                        message: "the key \(keyURL.path) would be inside the study folder, which annotators get",
                        fix: "put the key outside \(store.folder.path) (the default is sessions/.keys/)")
                }
                let chosenSeed = seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
                let options = StudyOptions(
                    name: store.name, seed: chosenSeed, annotators: names, perItem: perItem, repeats: repeats,
                    sample: sample, baseline: baseline, redact: redact, rubric: rubricValue)
                let built = try StudyBuilder.build(pairs: candidates, models: modelNames, options: options)
                let trash = try store.create(built, keyFile: keyURL, force: force, discardJudgments: discardJudgments)
                warnings.forEach(warn)
                if let trash { printError("replaced: the old study (and its key, if it was at the default path) is in \(trash.path)") }
                for leak in built.leaks {
                    printError("leak: pair \(leak.pairID), response \(leak.responseID): \"\(leak.text)\" in \"\(leak.context)\"\(redact ? " (redacted)" : "")")
                }
                if !built.leaks.isEmpty && !redact {
                    printError("note: \(built.leaks.count) possible identity leak(s) above; pass --redact to replace them with [redacted] (annotators see the text as it is)")
                }
                let plans = built.study.annotators.map { "\($0.name) (\($0.queue.count))" }.joined(separator: ", ")
                print("""
                    created \(store.folder.path)
                      pairs:      \(built.items.count) from models \(modelNames.joined(separator: ", "))
                      annotators: \(plans)
                      rubric:     \(rubricValue.name), \(rubricValue.criteria.count) criteria, sha256 \(built.study.rubricSHA256.prefix(12))…
                      key:        \(keyURL.path) (keep it from annotators)
                      seed:       \(chosenSeed)
                    next: blindreview annotate \(study) --annotator \(names[0])
                    """)
            }
        }
    }
}
