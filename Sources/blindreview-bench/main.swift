import Foundation

// Benchmarks: `swift run -c release blindreview-bench [goals|agreement-scale|compare-python|commands|large-study|ui-goals|
// foundation|agreement|ui|report|report-parts|calibration|blinding|amendments|all] [--runs N]`.
// `goals` measures every row of the scale issue's goal table (median, min and max over --runs runs, default 3)
// and ends with the rows as a Markdown table for the README. Timings are wall clock on this machine.
let which = CommandLine.arguments.dropFirst().first ?? "all"
let runs: Int = {
    let arguments = CommandLine.arguments
    if let at = arguments.firstIndex(of: "--runs"), at + 1 < arguments.count, let value = Int(arguments[at + 1]), value > 0 { return value }
    return 3
}()
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-bench-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
let sibling = executable.deletingLastPathComponent().appendingPathComponent("blindreview")
let binary = FileManager.default.isExecutableFile(atPath: sibling.path) ? sibling : nil

if which == "write-csv", CommandLine.arguments.count > 2 {
    // write-csv PATH [ITEMS [RATERS [item-by-item|rater-by-rater|shuffled]]]
    let arguments = CommandLine.arguments
    let items = arguments.count > 3 ? Int(arguments[3]) ?? 100_000 : 100_000
    let raters = arguments.count > 4 ? Int(arguments[4]) ?? 5 : 5
    let order = arguments.count > 5 ? AgreementBenchmarks.RowOrder(rawValue: arguments[5]) ?? .itemByItem : .itemByItem
    try AgreementBenchmarks.writeCSV(items: items, raters: raters, to: URL(fileURLWithPath: arguments[2]), order: order)
    exit(0)
}
if which == "write-study-inputs", CommandLine.arguments.count > 2 {
    // write-study-inputs FOLDER [PAIRS]: base.jsonl and tuned.jsonl (for create) and judgments.csv (for import).
    let target = URL(fileURLWithPath: CommandLine.arguments[2])
    let pairs = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 10_000 : 10_000
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    try StudyCommandBenchmarks.writeModels(pairs: pairs, words: pairs > 20_000 ? 60 : 120, folder: target)
    try StudyCommandBenchmarks.writeJudgments(pairs: pairs, to: target.appendingPathComponent("judgments.csv"))
    exit(0)
}
print("blindreview benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
let goalSets = ["goals", "agreement-scale", "compare-python", "commands", "large-study", "ui-goals"]
if goalSets.contains(which) {
    guard let binary else {
        print("error: build blindreview first (swift build -c release --product blindreview): the goals run it as a process")
        exit(1)
    }
    if which == "goals" || which == "agreement-scale" { try AgreementScaleBenchmarks.run(folder: folder, binary: binary, runs: runs) }
    if which == "goals" || which == "compare-python" { try AgreementScaleBenchmarks.comparePython(folder: folder, binary: binary, runs: runs) }
    if which == "goals" || which == "commands" { try StudyCommandBenchmarks.run(folder: folder, binary: binary, runs: runs) }
    // The large study before the UI rows, which grow this process (its peak memory would count in the children's).
    if which == "goals" || which == "large-study" { try StudyCommandBenchmarks.large(folder: folder, binary: binary) }
    if which == "goals" || which == "ui-goals" { try UIBenchmarks.goals(folder: folder, runs: runs) }
    GoalTable.printMarkdown(command: "swift run -c release blindreview-bench " + CommandLine.arguments.dropFirst().joined(separator: " "))
    exit(0)
}
if which == "foundation" || which == "all" { try FoundationBenchmarks.run(folder: folder) }
if which == "agreement" || which == "all" { try AgreementBenchmarks.run(folder: folder, binary: binary) }
if which == "ui" || which == "all" { try UIBenchmarks.run(folder: folder) }
if which == "report" || which == "all" { try ReportBenchmarks.run(folder: folder) }
if which == "blinding" || which == "all" { try BlindingBenchmarks.run(folder: folder) }
if which == "amendments" || which == "all" { try AmendmentBenchmarks.run(folder: folder) }
if which == "report-parts" { try ReportBenchmarks.parts(folder: folder) }
if which == "calibration" || which == "all" { CalibrationBenchmarks.run() }
