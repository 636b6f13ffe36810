import Foundation

// Benchmarks: `swift run -c release blindreview-bench [foundation|agreement|ui|all]`.
// Timings are wall-clock medians on this machine; goals come from the issues.
let which = CommandLine.arguments.dropFirst().first ?? "all"
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-bench-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
let sibling = executable.deletingLastPathComponent().appendingPathComponent("blindreview")
let binary = FileManager.default.isExecutableFile(atPath: sibling.path) ? sibling : nil

print("blindreview benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
if which == "foundation" || which == "all" { try FoundationBenchmarks.run(folder: folder) }
if which == "agreement" || which == "all" { try AgreementBenchmarks.run(folder: folder, binary: binary) }
