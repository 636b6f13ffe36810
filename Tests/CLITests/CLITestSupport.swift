import Foundation
import XCTest

/// The result of running a program: status, output, and whether a signal or the watchdog ended it.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Ended by a signal rather than by exiting.
    var signalled = false
    /// Ended by the watchdog (see ``runProcess(_:_:in:environment:watchdog:)``).
    var timedOut = false
    /// Everything it printed, stdout then stderr, as bytes.
    var output = Data()
}

/// The folder holding the built products (`.build/debug`).
var productsFolder: URL {
    Bundle.main.bundleURL.pathExtension == "xctest" ? Bundle.main.bundleURL.deletingLastPathComponent() : Bundle.main.bundleURL
}

/// Runs `blindreview` with `arguments` in `folder`, with no terminal attached.
@discardableResult
func runBlindReview(
    _ arguments: [String], in folder: URL, environment: [String: String] = [:], watchdog: TimeInterval? = nil
) throws -> CommandResult {
    try runProcess(productsFolder.appendingPathComponent("blindreview"), arguments, in: folder, environment: environment, watchdog: watchdog)
}

/// Runs a program with no terminal attached, reading stdout and stderr at the same time (so neither can fill
/// its pipe and stall the other); with `watchdog`, terminates it after that many seconds (a hang fails the test
/// that asks, without timing anything else).
@discardableResult
func runProcess(
    _ executable: URL, _ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:], watchdog: TimeInterval? = nil
) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let box = CollectedOutput()
    let timer = DispatchWorkItem {
        box.timedOut = true
        process.terminate()
    }
    if let watchdog { DispatchQueue.global().asyncAfter(deadline: .now() + watchdog, execute: timer) }
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { box.out = out.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { box.err = err.fileHandleForReading.readDataToEndOfFile() }
    group.wait()
    process.waitUntilExit()
    timer.cancel()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: box.out, as: UTF8.self), stderr: String(decoding: box.err, as: UTF8.self),
        signalled: process.terminationReason == .uncaughtSignal, timedOut: box.timedOut, output: box.out + box.err)
}

/// What the reader threads and the watchdog leave behind (each field written by one of them only).
final class CollectedOutput: @unchecked Sendable {
    var out = Data()
    var err = Data()
    var timedOut = false
}

func makeTemporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-cli-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func sharedDataFolder() -> URL? {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    let shared = url.appendingPathComponent("shared/data")
    return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
}
