import ArgumentParser
import BlindReviewCore
import Foundation

extension BlindReview {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the bundled demo study (customer-support answers) on first use and open it.",
            discussion: "Example:\n  blindreview demo                 # annotate as \"demo\"\n  blindreview demo --annotator alice")

        @Option(help: "Annotate as this demo annotator (demo, alice or bob).")
        var annotator = "demo"

        @Flag(help: "Only create the demo study; do not open it.")
        var createOnly = false

        func run() throws {
            try failing {
                let store = StudyStore.resolve(DemoStudy.name)
                if try DemoStudy.ensure(store: store) {
                    printHuman("created the demo study in \(store.folder.path) (\(DemoStudy.questions.count) pairs, annotators \(DemoStudy.annotators.joined(separator: ", ")); key in \(store.defaultKeyFile.path))")
                }
                if createOnly { return }
                try AnnotateRunner.run(store: store, annotator: annotator)
            }
        }
    }
}
