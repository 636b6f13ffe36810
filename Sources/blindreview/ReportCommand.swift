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
                  blindreview report demo                        # uses sessions/.keys/demo.json
                  blindreview report demo --blind                # interim: coverage and agreement only
                  blindreview report demo --format json --output report.json
                """)

        enum Format: String, ExpressibleByArgument { case text, markdown, json, html }

        @Argument(help: "The study: a bare name means sessions/<name>/.")
        var study: String

        @Option(help: ArgumentHelp("The key (default: sessions/.keys/<study>.json).", valueName: "PATH"))
        var key: String?

        @Flag(help: "The interim report without the key: coverage and agreement only.")
        var blind = false

        @Option(help: "Output format: text, markdown, json or html (one self-contained file with SVG charts).")
        var format: Format = .text

        @Option(help: ArgumentHelp("Write the report here instead of standard output.", valueName: "FILE"))
        var output: String?

        @Option(help: ArgumentHelp("Bootstrap resamples for the intervals.", valueName: "B"))
        var bootstrap: Int = 1000

        @Option(help: "Seed for the bootstrap.")
        var seed: UInt64 = 1

        func validate() throws {
            if bootstrap < 0 { throw ValidationError("--bootstrap must be 0 or more") }
            if blind && key != nil { throw ValidationError("--blind and --key contradict each other") }
        }

        func run() throws {
            try failing {
                let store = StudyStore.resolve(study)
                var keyFile: URL?
                if !blind {
                    keyFile = key.map { URL(fileURLWithPath: $0) } ?? store.defaultKeyFile
                    if key == nil && !FileManager.default.fileExists(atPath: keyFile!.path) {
                        throw BlindReviewError(
                            file: keyFile!.path, message: "no key here, so the report cannot be unblinded",
                            fix: "pass --key PATH, or --blind for coverage and agreement only")
                    }
                }
                if let output { try OutputLocation.check(URL(fileURLWithPath: output), keyFile: keyFile ?? store.defaultKeyFile) }
                let report = try StudyReport.build(store: store, keyFile: keyFile, blind: blind, bootstrap: bootstrap, seed: seed)
                let text: String
                switch format {
                case .text: text = report.text()
                case .markdown: text = report.markdown()
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
