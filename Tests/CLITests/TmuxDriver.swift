import Foundation
import XCTest

/// A private tmux server for one test: start the real binary in a real terminal, send keys, read the screen.
///
///     let tmux = try TmuxDriver(folder: folder)
///     tmux.start("demo")
///     _ = tmux.waitFor { $0.contains("Rubric") }
///     tmux.send("4")
final class TmuxDriver {
    let folder: URL
    let socket: String

    /// Throws XCTSkip when tmux is not installed.
    init(folder: URL) throws {
        guard TmuxDriver.shell("command -v tmux").status == 0 else { throw XCTSkip("tmux is not installed (.ci/run installs it)") }
        self.folder = folder
        socket = "blindreview-safety-\(getpid())-\(UUID().uuidString.prefix(6))"
        TmuxDriver.unblockChildSignals()
    }

    /// A tmux server inherits the signal mask of whoever starts it; with SIGCHLD blocked (some harnesses do
    /// that) it never reaps its panes and never learns their exit status. Unblock it for the thread that runs
    /// `system()`.
    static func unblockChildSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGCHLD)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    deinit { tmux(["kill-server"]) }

    /// Runs a shell command through libc's system() (a daemonizing tmux server would keep Foundation's Process
    /// waiting on inherited descriptors); output goes through a file.
    @discardableResult
    static func shell(_ command: String) -> (status: Int32, output: String) {
        unblockChildSignals()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-sh-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let status = system(command + " >'\(output.path)' 2>&1 </dev/null")
        let data = (try? Data(contentsOf: output)) ?? Data()
        return (status, String(decoding: data, as: UTF8.self))
    }

    static func quote(_ text: String) -> String { "'\(text.replacingOccurrences(of: "'", with: "'\\''"))'" }

    @discardableResult
    func tmux(_ arguments: [String]) -> (status: Int32, output: String) {
        TmuxDriver.shell((["tmux", "-L", socket] + arguments).map(TmuxDriver.quote).joined(separator: " "))
    }

    var binary: String { productsFolder.appendingPathComponent("blindreview").path }

    /// Starts `command` (a shell command line; `BR` stands for the binary) in a new session. The command runs
    /// from a small script that records its exit status in a file, so the status does not depend on tmux
    /// reaping the pane (a server started with SIGCHLD blocked or ignored never does).
    func start(_ command: String, session: String = "s", width: Int = 120, height: Int = 40) {
        let line = "env TERM=xterm-256color " + command.replacingOccurrences(of: "BR", with: TmuxDriver.quote(binary))
        let script = folder.appendingPathComponent(".tmux-run-\(session).sh")
        try? FileManager.default.removeItem(at: exitFile(session))
        try? Data("\(line)\necho $? > \(TmuxDriver.quote(exitFile(session).path))\n".utf8).write(to: script)
        tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "-c", folder.path, "bash \(TmuxDriver.quote(script.path))"])
        tmux(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    func exitFile(_ session: String) -> URL { folder.appendingPathComponent(".tmux-exit-\(session)") }

    func send(_ keys: String..., session: String = "s") { tmux(["send-keys", "-t", session] + keys) }

    func screen(_ session: String = "s") -> String { tmux(["capture-pane", "-p", "-t", session]).output }

    func value(_ format: String, session: String = "s") -> String {
        tmux(["display-message", "-p", "-t", session, format]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func waitFor(_ session: String = "s", timeout: Double = 15, file: StaticString = #filePath, line: UInt = #line, _ condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen(session)
            if condition(last) { return last }
            usleep(100_000)
        }
        XCTFail("timed out; screen was:\n\(last)", file: file, line: line)
        return last
    }

    /// Waits for the program in `session` to end; returns its exit status.
    func waitForExit(_ session: String = "s", timeout: Double = 10) -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOf: exitFile(session), encoding: .utf8), let status = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            usleep(100_000)
        }
        return nil
    }
}
