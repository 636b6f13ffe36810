import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one judge command (`/bin/sh -c COMMAND`) with `input` on its standard input and collects its output,
/// within a time limit. The command runs in a process group of its own, so a timeout or a stop kills it and
/// everything it started, and a Ctrl-C in the terminal reaches blindreview only (which then stops the group).
///
///     let outcome = JudgeProcess.run(command: "python3 judge.py", input: data, timeout: 60) { false }
///     if case .finished(let status, let stdout, _) = outcome, status == 0 { ... }
public enum JudgeProcess {
    public enum Outcome: Sendable, Equatable {
        /// The command ended by itself: its exit status (or 128 + signal), its standard output, the end of its
        /// standard error.
        case finished(status: Int32, signal: Int32?, stdout: Data, stderr: String)
        case timedOut(seconds: Double, stderr: String)
        /// Stopped because `cancelled()` said so (an interrupt): nothing about the pair was learnt.
        case cancelled
        /// The command could not be started.
        case notStarted(String)
        /// Standard output passed ``maxOutput`` bytes: the command was stopped.
        case outputTooLarge(Int)
    }

    /// Standard output is kept up to this size (a verdict is small); more is a failed call.
    public static let maxOutput = 16 * 1024 * 1024
    /// The last bytes of standard error kept for the error event.
    public static let keptError = 2000

    /// Ignores SIGPIPE in this process (a command that exits without reading its input must be an EPIPE on the
    /// write, not the end of blindreview); the command itself gets the default handling back.
    public static func run(command: String, input: Data, timeout: Double, cancelled: () -> Bool) -> Outcome {
        signal(SIGPIPE, SIG_IGN)
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1], errChild: [Int32] = [-1, -1]
        // Pipes are close-on-exec and made and handed over under one lock, so that a command another worker starts
        // at the same moment never inherits this one's pipes (its standard input would never end).
        spawnLock.lock()
        var locked = true
        defer { if locked { spawnLock.unlock() } }
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0, pipe(&errChild) == 0 else {
            for fd in toChild + fromChild + errChild where fd >= 0 { close(fd) }
            return .notStarted("cannot create pipes: \(String(cString: strerror(errno)))")
        }
        for fd in toChild + fromChild + errChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errChild[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A group of its own (killed whole on timeout), default signal handling (blindreview ignores SIGPIPE).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGXFSZ] { sigaddset(&defaults, signal) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, environ)
        close(toChild[0]); close(fromChild[1]); close(errChild[1])
        spawnLock.unlock()
        locked = false
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0]); close(errChild[0])
            return .notStarted("cannot start /bin/sh: \(String(cString: strerror(spawned)))")
        }
        var writeFD = toChild[1]
        _ = fcntl(writeFD, F_SETFL, fcntl(writeFD, F_GETFL) | O_NONBLOCK)
        let input = [UInt8](input)
        var written = 0
        var stdout = [UInt8](), stderr = [UInt8]()
        var open = (out: true, err: true)
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 65536)
        func stop() -> Outcome? {
            if cancelled() { return .cancelled }
            let elapsed = Date().timeIntervalSince(start)
            if elapsed >= timeout { return .timedOut(seconds: timeout, stderr: tail(stderr)) }
            if stdout.count > maxOutput {
                return .outputTooLarge(maxOutput)
            }
            return nil
        }
        var early: Outcome?
        var status: Int32 = 0
        var reaped = false
        var exitedAt: Date?
        while open.out || open.err {
            if let reason = stop() { early = reason; break }
            // The command ended but something it started in the background still holds its output: read what is
            // there for a moment, then stop reading (the group is killed below).
            if !reaped, waitpid(pid, &status, WNOHANG) == pid { reaped = true; exitedAt = Date() }
            if let exitedAt, Date().timeIntervalSince(exitedAt) > 0.5 { break }
            if writeFD >= 0 && written == input.count { close(writeFD); writeFD = -1 }
            var fds: [pollfd] = []
            if writeFD >= 0 { fds.append(pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0)) }
            if open.out { fds.append(pollfd(fd: fromChild[0], events: Int16(POLLIN), revents: 0)) }
            if open.err { fds.append(pollfd(fd: errChild[0], events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), 100)
            if ready < 0 && errno != EINTR { break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == writeFD {
                    let count = input[written...].withUnsafeBytes { write(writeFD, $0.baseAddress, $0.count) }
                    if count > 0 { written += count } else if count < 0 && errno != EAGAIN && errno != EINTR {
                        // The command does not read its input (EPIPE): fine, it may answer anyway.
                        close(writeFD); writeFD = -1
                    }
                } else {
                    let count = read(entry.fd, &buffer, buffer.count)
                    if count > 0 {
                        if entry.fd == fromChild[0] { stdout += buffer[0..<count] } else {
                            stderr += buffer[0..<count]
                            if stderr.count > 4 * keptError { stderr.removeFirst(stderr.count - keptError) }
                        }
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        if entry.fd == fromChild[0] { open.out = false } else { open.err = false }
                    }
                }
            }
        }
        if writeFD >= 0 { close(writeFD) }
        close(fromChild[0]); close(errChild[0])
        if early != nil { kill(-pid, SIGKILL) }
        // Output closed: the command has ended or is about to; a child that closed its output but lingers is
        // waited for within the same time limit.
        while !reaped {
            let result = waitpid(pid, &status, early == nil ? WNOHANG : 0)
            if result == pid { break }
            if result < 0 && errno != EINTR { break }
            if result == 0 {
                if let reason = stop() { early = reason; kill(-pid, SIGKILL); continue }
                usleep(10_000)
            }
        }
        if let early { return early }
        // Anything the command left running in its group goes with it.
        kill(-pid, SIGKILL)
        let exited = (status & 0x7f) == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return .finished(status: code, signal: exited ? nil : status & 0x7f, stdout: Data(stdout), stderr: tail(stderr))
    }

    private static let spawnLock = NSLock()

    static func tail(_ bytes: [UInt8]) -> String {
        let kept = bytes.count > keptError ? Array(bytes.suffix(keptError)) : bytes
        return String(decoding: kept, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
