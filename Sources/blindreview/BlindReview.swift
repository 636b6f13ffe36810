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
            `export` preference data; `adjudicate` lets the lead settle disputed and flagged pairs. `agreement` works on any ratings CSV; `import` brings in outside \
            judgments; `import-judge` and `judge` add an LLM judge, which the report sets against the people; `check` verifies a study, its key and journals, and `journal merge` joins two copies of a \
            journal. Try `blindreview demo` first.
            """,
        version: BlindReviewVersion.current,
        subcommands: [Create.self, Annotate.self, Amend.self, Status.self, Demo.self, Agreement.self, Report.self, Export.self, Import.self, ImportJudge.self, Judge.self, Adjudicate.self, Check.self, Journal.self])
}

/// Exit statuses, the same in every command (see the README's table).
enum ExitStatus {
    /// Done as asked.
    static let success: Int32 = 0
    /// Bad input or a refused action: nothing was changed, and the message says what to fix.
    static let failure: Int32 = 1
    /// Bad usage (an unknown flag, a missing argument, contradicting flags), as the argument parser gives it.
    static let usage: Int32 = 64
}

/// Runs a command body; a BlindReviewError is printed in the one error form and ends with status 1.
func failing<T>(_ body: () throws -> T) throws -> T {
    // A file-size limit then arrives as a write error (EFBIG) that the safe-file layer handles, not as a kill.
    signal(SIGXFSZ, SIG_IGN)
    do {
        return try body()
    } catch let error as BlindReviewError {
        printError("error: \(error)")
        throw ExitCode(ExitStatus.failure)
    }
}

/// A message on stderr; text from input in it is made visible (never raw control characters).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((VisibleText.block(text) + "\n").utf8))
}

/// Human-readable output on stdout, made safe like ``printError(_:)``. Data formats (JSON, CSV, JSONL) are
/// printed as they are.
func printHuman(_ text: String, terminator: String = "\n") {
    FileHandle.standardOutput.write(Data((VisibleText.block(text) + terminator).utf8))
}

func warn(_ warning: BlindReviewWarning) {
    printError("warning: \(warning)")
}
