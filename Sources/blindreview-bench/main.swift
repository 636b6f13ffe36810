import Foundation

// Benchmarks: `swift run -c release blindreview-bench [foundation|agreement|ui|report|report-parts|calibration|blinding|amendments|all]`.
// Timings are wall-clock medians on this machine; goals come from the issues.
let which = CommandLine.arguments.dropFirst().first ?? "all"
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-bench-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
let sibling = executable.deletingLastPathComponent().appendingPathComponent("blindreview")
let binary = FileManager.default.isExecutableFile(atPath: sibling.path) ? sibling : nil

if which == "write-csv", CommandLine.arguments.count > 2 {
    try AgreementBenchmarks.writeCSV(items: 100_000, raters: 5, to: URL(fileURLWithPath: CommandLine.arguments[2]))
    exit(0)
}
print("blindreview benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
if which == "foundation" || which == "all" { try FoundationBenchmarks.run(folder: folder) }
if which == "agreement" || which == "all" { try AgreementBenchmarks.run(folder: folder, binary: binary) }
if which == "ui" || which == "all" { try UIBenchmarks.run(folder: folder) }
if which == "report" || which == "all" { try ReportBenchmarks.run(folder: folder) }
if which == "blinding" || which == "all" { try BlindingBenchmarks.run(folder: folder) }
if which == "amendments" || which == "all" { try AmendmentBenchmarks.run(folder: folder) }
if which == "report-parts" { try ReportBenchmarks.parts(folder: folder) }
if which == "calibration" || which == "all" { CalibrationBenchmarks.run() }
