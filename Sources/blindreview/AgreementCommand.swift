import AgreementStats
import BlindReviewCore
import ArgumentParser
import Foundation

extension MeasurementLevel: ExpressibleByArgument {}

extension BlindReview {
    struct Agreement: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inter-annotator agreement for a CSV of ratings (every coefficient, with explanations).",
            discussion: """
                Input: a CSV with header item,rater,value (one rating per row; an empty value or a missing row is \
                a missing rating), or with --wide one row per item and one column per rater.

                Examples:
                  blindreview agreement ratings.csv --level ordinal --categories 1,2,3,4,5
                  blindreview agreement ratings.csv --level nominal \\
                      --format json --bootstrap 1000 --seed 7
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Argument(help: "The ratings CSV.", completion: .file(extensions: ["csv"]))
        var file: String

        @Option(help: "Measurement level of the scale: nominal, ordinal, interval or ratio.")
        var level: MeasurementLevel

        @Option(help: ArgumentHelp("The scale, in order (default: the values seen, numerically sorted).", valueName: "a,b,c"))
        var categories: String?

        @Flag(help: "One row per item and one column per rater (after an item column).")
        var wide = false

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        @Option(help: ArgumentHelp("Percentile bootstrap intervals from B resamples of items.", valueName: "B"))
        var bootstrap: Int?

        @Option(help: "Seed for the bootstrap.")
        var seed: UInt64 = 1

        @Flag(help: "No progress bar on stderr (it is shown only when stderr is a terminal).")
        var quiet = false

        func validate() throws {
            if let bootstrap, !(1...InputLimits.maxBootstrap).contains(bootstrap) {
                throw ValidationError("--bootstrap must be between 1 and \(InputLimits.maxBootstrap) resamples (1,000 is plenty for 95% intervals)")
            }
        }

        func run() throws {
            do {
                guard FileManager.default.fileExists(atPath: file) else {
                    throw AgreementError("\(file): no such file (fix: check the path)")
                }
                let declared = categories.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                let bar = ProgressReporter(label: "reading", total: nil, unit: "MB", quiet: quiet)
                defer { bar.finish() }
                let ratings = try RatingsCSV.read(contentsOfFile: file, wide: wide, categories: declared, level: level) { done, total in
                    bar.update(done >> 20, total: total >> 20)
                }
                bar.finish()
                let summary = AgreementSummary.compute(ratings.data, level: level, bootstrap: bootstrap, seed: seed)
                switch format {
                case .text: printHuman(summary.text(), terminator: "")
                case .json: print(summary.json().rendered())
                }
            } catch let error as AgreementError {
                printError("error: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
        }
    }
}
