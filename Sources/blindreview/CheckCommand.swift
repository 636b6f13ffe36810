import ArgumentParser
import BlindReviewCore
import Foundation

extension BlindReview {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a study: study.json, items, every journal and the key, one line each.",
            discussion: "Exit status 1 when anything is wrong.\n\nExample:\n  blindreview check demo\n  blindreview check demo --key backup/demo.json")

        @Argument(help: "The study: a bare name means sessions/<name>/.")
        var study: String

        @Option(help: ArgumentHelp("The key (default: sessions/.keys/<study>.json).", valueName: "PATH"))
        var key: String?

        func run() throws {
            try failing {
                let store = StudyStore.resolve(study)
                let lines = StudyCheck.run(store: store, keyFile: store.keyFile(key))
                for line in lines { print((line.ok ? "ok    " : "FAIL  ") + line.text) }
                if lines.contains(where: { !$0.ok }) { throw ExitCode(1) }
            }
        }
    }
}
