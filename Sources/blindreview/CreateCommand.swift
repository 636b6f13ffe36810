import AgreementStats
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
                  blindreview create support-v2 \\
                      --model base=base.jsonl --model tuned=tuned.jsonl \\
                      --annotators alice,bob,carol --per-item 2 --repeat 5
                """)

        @Argument(help: "The study: a bare name means sessions/<name>/, anything with a / is a folder path.", completion: StudyCompletion.kind)
        var study: String

        @OptionGroup(title: "Outputs")
        var inputs: ComparisonInputOptions

        @Option(help: ArgumentHelp("Annotator names, comma-separated.", valueName: "a,b,c"))
        var annotators: String?

        @Option(name: .customLong("per-item"), help: ArgumentHelp("Annotators per pair (balanced load); default: all.", valueName: "K"))
        var perItem: Int?

        @Option(help: "Make the study reproducible from this seed (tests, demos, papers). Anyone who knows the seed can unblind the study. Default: a 256-bit secret from the OS, kept only in the key.")
        var seed: UInt64?

        @Option(name: .customLong("repeat"), help: ArgumentHelp("Hidden repeats per annotator (sides swapped) to measure self-consistency.", valueName: "N"))
        var repeats: Int = 0

        @Option(help: ArgumentHelp("Where to write the key (default: sessions/.keys/<study>.json).", valueName: "PATH"))
        var key: String?

        @Option(help: ArgumentHelp("A rubric in YAML or JSON (default: the standard four criteria, 1-5).", valueName: "FILE"))
        var rubric: String?

        @Option(help: ArgumentHelp("Instructions for annotators (Markdown), shown on their first open and under i.", valueName: "FILE.md"))
        var guidelines: String?

        @Option(help: ArgumentHelp("Keep a seeded random subset of N pairs.", valueName: "N"))
        var sample: Int?

        @Option(help: ArgumentHelp("Known-answer pairs, one JSON line each: {\"id\", \"better\": MODEL (or a/b with --pairs), \"min_score\"?}. Every annotator gets them; only the key says which they are.", valueName: "FILE"))
        var gold: String?

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Option(help: "What to print when done: text, or json (for scripts: the study, its key's path and every leak).")
        var format: Format = .text

        @Flag(help: "Replace model names found in responses with [redacted] (prompts and references are never changed).")
        var redact = false

        @Flag(help: "Replace an existing study of this name; the old one moves to .trash/ (refused if any journal has events).")
        var force = false

        @Flag(name: .customLong("discard-judgments"), help: "With --force: replace the study even though it has judgments (they go to .trash/ with it).")
        var discardJudgments = false

        func validate() throws {
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
                let (input, extraTerms) = try inputs.load()
                let warnings = input.warnings
                let candidates = input.candidates
                let modelNames = input.models
                let keyURL = key.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? store.defaultKeyFile
                let folderPath = store.folder.path.hasSuffix("/") ? store.folder.path : store.folder.path + "/"
                if keyURL.path.hasPrefix(folderPath) {
                    throw BlindReviewError(
                        message: "the key \(keyURL.path) would be inside the study folder, which annotators get",
                        fix: "put the key outside \(store.folder.path) (the default is sessions/.keys/)")
                }
                var options = StudyOptions(
                    name: store.name, secret: seed.map(StudySecret.init(seed:)) ?? .random(), annotators: names, perItem: perItem,
                    repeats: repeats, sample: sample, baseline: inputs.baseline, redact: redact, rubric: rubricValue, extraLeakTerms: extraTerms)
                options.gold = try gold.map { try GoldList.load(path: $0, bySide: inputs.pairs != nil) }
                let guidelinesText = try guidelines.map(StudyGuidelines.load(path:))
                var built = try StudyBuilder.build(pairs: candidates, models: modelNames, options: options)
                if let guidelinesText {
                    built.study.guidelinesSHA256 = SHA256Digest.hex(of: Data(guidelinesText.utf8))
                    built.studyData = built.study.canonicalJSON()
                }
                let trash = try store.create(built, keyFile: keyURL, force: force, discardJudgments: discardJudgments)
                if let guidelinesText { try AtomicFile.write(Data(guidelinesText.utf8), to: StudyGuidelines.file(in: store)) }
                warnings.forEach(warn)
                if let trash { printError("replaced: the old study (and its key, if it was at the default path) is in \(trash.path)") }
                if let baseline = inputs.baseline, modelNames.count > 2 {
                    printError("warning: with --baseline and \(modelNames.count) models, \(baseline)'s answer to a prompt appears in every pair of that prompt and each other model's once: an annotator who compares texts across pairs can tell which response is the baseline's. Leave --baseline out (all pairs of models) to avoid it")
                }
                if seed != nil {
                    printError("warning: --seed makes this study reproducible, so anyone who knows or guesses the seed can recompute which model wrote what; leave it out for a real study")
                }
                if format == .json {
                    print(createdJSON(built, folder: store.folder.path, key: keyURL.path, models: modelNames).rendered())
                    return
                }
                printLeaks(built.leaks)
                let plans = built.study.annotators.map { "\($0.name) (\($0.queue.count))" }.joined(separator: ", ")
                let originals = built.key.pairs.values.filter { $0.repeatOf == nil }.count
                printHuman("""
                    created \(store.folder.path)
                      pairs:      \(originals) from models \(modelNames.map(VisibleText.line).joined(separator: ", "))\(repeats > 0 ? " (plus \(built.items.count - originals) hidden repeats)" : "")
                      annotators: \(plans)\(built.key.gold.map { "\n  gold:       \($0.count) known-answer pairs in every queue (listed in the key only)" } ?? "")
                      rubric:     \(rubricValue.name), \(rubricValue.criteria.count) \(rubricValue.criteria.count == 1 ? "criterion" : "criteria"), sha256 \(built.study.rubricSHA256.prefix(12))…
                      key:        \(keyURL.path) (keep it from annotators; back it up: a lost key cannot be recovered)
                      study id:   \(built.study.studyID ?? "")\(seed.map { " (seeded: --seed \($0))" } ?? "")
                    next: blindreview annotate \(study) --annotator \(names[0])
                    """)
            }
        }
        /// `create --format json`: what was made and every leak, for scripts.
        func createdJSON(_ built: BuiltStudy, folder: String, key: String, models: [String]) -> OrderedJSON {
            var counts: [String: Int] = [:]
            for leak in built.leaks { counts[leak.term, default: 0] += 1 }
            return .object([
                ("study", .string(built.study.name)), ("folder", .string(folder)), ("study_id", built.study.studyID.map(OrderedJSON.string) ?? .null),
                ("seeded", .bool(seed != nil)), ("key", .string(key)), ("models", .array(models.map(OrderedJSON.string))),
                ("pairs", .integer(built.key.pairs.values.filter { $0.repeatOf == nil }.count)),
                ("hidden_repeats", .integer(built.key.pairs.values.filter { $0.repeatOf != nil }.count)),
                ("gold_pairs", .integer(built.key.gold?.count ?? 0)),
                ("annotators", .array(built.study.annotators.map { .object([("annotator", .string($0.name)), ("queue", .integer($0.queue.count))]) })),
                ("rubric", .object([("name", .string(built.study.rubric.name)), ("criteria", .integer(built.study.rubric.criteria.count)), ("sha256", .string(built.study.rubricSHA256))])),
                ("redacted", .bool(redact)),
                ("leaks", .array(built.leaks.map { leak in
                    .object([
                        ("pair_id", .string(leak.pairID)), ("source_id", .string(leak.sourceID)), ("field", .string(leak.field.rawValue)),
                        ("response_id", leak.responseID.map(OrderedJSON.string) ?? .null), ("term", .string(leak.term)), ("text", .string(leak.text)),
                        ("tier", .string(leak.tier.rawValue)), ("context", .string(leak.context)), ("also_in_prompt", .bool(leak.alsoInPrompt)),
                        ("redacted", .bool(leak.redacted)),
                    ])
                })),
                ("leaks_by_term", .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            ])
        }

        /// Each leak on one line (field, pair, response, text, context), then the counts by term.
        func printLeaks(_ leaks: [LeakReport]) {
            printLeakLines(leaks, redact: redact)
        }
    }
}
