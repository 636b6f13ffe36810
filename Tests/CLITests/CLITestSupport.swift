import Foundation
import XCTest

/// The result of running the built `blindreview` binary.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The folder holding the built products (`.build/debug`).
var productsFolder: URL {
    Bundle.main.bundleURL.pathExtension == "xctest" ? Bundle.main.bundleURL.deletingLastPathComponent() : Bundle.main.bundleURL
}

/// Runs `blindreview` with `arguments` in `folder`, with no terminal attached.
@discardableResult
func runBlindReview(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = productsFolder.appendingPathComponent("blindreview")
    process.arguments = arguments
    process.currentDirectoryURL = folder
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
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
