import ArgumentParser
import BlindReviewCore
import BlindReviewReport
import Foundation

extension BlindReview {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The lead's report: coverage, agreement, annotators and, with the key, which model wins.",
            discussion: """
                Examples:
                  blindreview report demo             # key: sessions/.keys/demo.json
                  blindreview report demo --blind     # interim: no model named
                  blindreview report demo --format json --output report.json
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json, html }

        @Argument(help: "The study: a bare name means sessions/<name>/.", completion: StudyCompletion.kind)
        var study: String

        @Option(help: ArgumentHelp("The key (default: sessions/.keys/<study>.json).", valueName: "PATH"))
        var key: String?

        @Flag(help: "The interim report: coverage and agreement only, no model named. A key given with --key is read only to tell hidden repeats from other pairs.")
        var blind = false

        @Option(help: "Output format: text, markdown, json or html (one self-contained file with SVG charts).")
        var format: Format = .text

        @Option(help: ArgumentHelp("Write the report here instead of standard output.", valueName: "FILE"))
        var output: String?

        @Option(help: ArgumentHelp("Bootstrap resamples for the intervals.", valueName: "B"))
        var bootstrap: Int = 1000

        @Option(help: ArgumentHelp("The results again within each group of pairs sharing a value of the prompt's category (or of a metadata key). Reads the key for the values; in a blind report, agreement only.", valueName: "category|KEY"))
        var by: String?

        @Option(help: "Seed for the bootstrap.")
        var seed: UInt64 = 1

        @Flag(help: "Win-rate intervals from a two-way bootstrap over pairs and annotators (default: pairs with all their votes).")
        var resampleAnnotators = false

        @Flag(help: "Use adjudicated verdicts (blindreview adjudicate) in place of the people's votes on the pairs they settled; agreement stays on the people's votes.")
        var adjudicated = false

        @Flag(name: .customLong("include-gold"), help: "Count gold pairs (create --gold) in the results; by default they are left out.")
        var includeGold = false

        @Option(name: .customLong("gold-threshold"), help: ArgumentHelp("Flag annotators whose gold accuracy is below this share (default 0.7).", valueName: "SHARE"))
        var goldThreshold: Double = GoldAccuracy.defaultThreshold

        @Flag(name: .customLong("include-judges"), help: "Count LLM judges as annotators in every figure (one verdict per pair: the same in both orders, else a tie). By default judges appear only in their own section.")
        var includeJudges = false

        @Flag(help: "No progress bar on stderr (it is shown only when stderr is a terminal).")
        var quiet = false

        func validate() throws {
            if !(0...1).contains(goldThreshold) { throw ValidationError("--gold-threshold must be between 0 and 1") }
            if !(0...InputLimits.maxBootstrap).contains(bootstrap) {
                throw ValidationError("--bootstrap must be between 0 and \(InputLimits.maxBootstrap) resamples (1,000 is plenty for 95% intervals)")
            }
        }

        func run() throws {
            try failing {
                let store = StudyStore.resolve(study)
                try store.requireStudy()
                var keyFile: URL? = blind ? key.map { URL(fileURLWithPath: $0) } : nil
                if !blind {
                    keyFile = store.keyFile(key)
                    if key == nil && !FileManager.default.fileExists(atPath: keyFile!.path) {
                        throw BlindReviewError(
                            file: keyFile!.path, message: "no key here, so the report cannot be unblinded",
                            fix: "pass --key PATH, or --blind for coverage and agreement only")
                    }
                }
                if let output { try OutputLocation.check(URL(fileURLWithPath: output), keyFile: keyFile ?? store.defaultKeyFile) }
                var choices = ReportChoices()
                choices.adjudicated = adjudicated
                choices.includeGold = includeGold
                choices.goldThreshold = goldThreshold
                let report = try StudyReport.build(store: store, keyFile: keyFile, blind: blind, bootstrap: bootstrap, seed: seed,
                                                 resampling: resampleAnnotators ? .pairsAndAnnotators : .pairs, by: by, includeJudges: includeJudges, choices: choices,
                                                 progress: ProgressReporter(label: "reading journals", total: nil, unit: "KB", quiet: quiet),
                                                 computing: ProgressReporter(label: "computing (B = \(bootstrap))", total: StudyReport.computeSteps, unit: "parts", quiet: quiet, estimates: false))
                var text: String
                switch format {
                case .text: text = VisibleText.block(report.text())
                case .markdown: text = VisibleText.block(report.markdown())
                case .json: text = report.json().rendered() + "\n"
                case .html: text = report.html()
                }
                if let output {
                    try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output))
                } else {
                    print(text, terminator: "")
                }
                for refused in report.refusedJournals { printError("refused: \(refused)") }
            }
        }
    }
}
