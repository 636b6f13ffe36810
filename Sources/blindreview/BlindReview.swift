import ArgumentParser
import BlindReviewCore
import Foundation

@main
struct BlindReview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blindreview",
        abstract: "Blind A/B review of language-model outputs by people, in the terminal.",
        discussion: """
            Typical flow: `create` a study from model outputs, give annotators the study folder, each runs \
            `annotate`; follow progress with `status`, then `report` (agreement, then which model wins) and \
            `export` preference data. `agreement` works on any ratings CSV; `import` brings in outside \
            judgments. Try `blindreview demo` first.
            """,
        version: "0.1.0",
        subcommands: [Create.self, Annotate.self, Status.self, Demo.self, Agreement.self, Report.self, Export.self, Import.self, Check.self, Journal.self])
}

/// Prints a BlindReviewError (or any error) on one line to stderr and exits non-zero.
func failing<T>(_ body: () throws -> T) throws -> T {
    // A file-size limit then arrives as a write error (EFBIG) that the safe-file layer handles, not as a kill.
    signal(SIGXFSZ, SIG_IGN)
    do {
        return try body()
    } catch let error as BlindReviewError {
        printError("error: \(error)")
        throw ExitCode(1)
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func warn(_ warning: BlindReviewWarning) {
    printError("warning: \(warning)")
}
