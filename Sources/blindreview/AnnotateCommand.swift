import ArgumentParser
import BlindReviewCore
import Foundation

extension BlindReview {
    struct Annotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rate a study's pairs as one annotator.",
            discussion: "Example:\n  blindreview annotate demo --annotator alice")

        @Argument(help: "The study: a bare name means sessions/<name>/.")
        var study: String

        @Option(help: "Your annotator name, as listed when the study was created.")
        var annotator: String

        func run() throws {
            try failing {
                try AnnotateRunner.run(store: StudyStore.resolve(study), annotator: annotator)
            }
        }
    }
}

enum AnnotateRunner {
    static func run(store: StudyStore, annotator: String) throws {
        try AnnotatorName.validate(annotator)
        let (study, hash) = try store.load()
        guard let plan = study.plan(for: annotator) else {
            throw BlindReviewError(
                message: "annotator \"\(annotator)\" is not in study \"\(study.name)\"",
                fix: "use one of: \(study.annotators.map(\.name).joined(separator: ", "))")
        }
        let lock = try AnnotatorLock.acquire(store: store, annotator: annotator)
        defer { lock.release() }
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
        writer.warnings.forEach(warn)
        let done = plan.queue.indices.filter { writer.state.slots[$0].isComplete(rubric: study.rubric, entry: plan.queue[$0]) }.count
        print("study \(study.name): \(annotator) has \(plan.queue.count) pairs, \(done) done; journal \(writer.url.path)")
        print("(the annotation UI is not built yet)")
    }
}
