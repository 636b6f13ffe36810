import CNcurses
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts the terminal back however the program ends. While curses owns the screen, stderr goes to a temporary
/// file (so a crash message cannot scribble over the screen) and is replayed after the terminal is restored.
enum TerminalGuard {
    nonisolated(unsafe) static var savedStderr: Int32 = -1
    nonisolated(unsafe) static var captureFile: Int32 = -1
    nonisolated(unsafe) static var capturePath = [CChar](repeating: 0, count: 64)
    nonisolated(unsafe) static var active = false

    static func redirectStderr() {
        var template = Array("/tmp/blindreview-stderr-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return }
        for (index, byte) in template.enumerated() where index < capturePath.count { capturePath[index] = byte }
        savedStderr = dup(STDERR_FILENO)
        captureFile = fd
        dup2(fd, STDERR_FILENO)
    }

    /// Puts stderr back and replays what was written to it meanwhile. Async-signal-safe calls only.
    static func restoreStderr() {
        guard savedStderr >= 0 else { return }
        dup2(savedStderr, STDERR_FILENO)
        close(savedStderr)
        savedStderr = -1
        if captureFile >= 0 {
            lseek(captureFile, 0, SEEK_SET)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = Glibc.read(captureFile, &buffer, buffer.count)
                if count <= 0 { break }
                _ = Glibc.write(STDERR_FILENO, buffer, count)
            }
            close(captureFile)
            captureFile = -1
            unlink(capturePath)
        }
    }

    nonisolated(unsafe) static var titlePushed = false
    nonisolated(unsafe) static var pasteOn = false

    /// A fixed window title (nothing about the study or its models), after saving the terminal's own title on
    /// xterm's title stack (`CSI 22;0 t`), so ``leaveModes()`` can put it back (`CSI 23;0 t`).
    static func setTitle() {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard term.hasPrefix("xterm") || term.hasPrefix("screen") || term.hasPrefix("tmux") || term.hasPrefix("rxvt") else { return }
        writeOut("\u{1B}[22;0t\u{1B}]0;blindreview\u{07}")
        titlePushed = true
    }

    /// Bracketed paste on (`CSI ? 2004 h`): pasted text arrives between `CSI 200 ~` and `CSI 201 ~`, so it can
    /// never be read as keys.
    static func enterModes() {
        writeOut("\u{1B}[?2004h")
        pasteOn = true
    }

    /// Bracketed paste off and the saved title back. Async-signal-safe (only `write`).
    static func leaveModes() {
        if pasteOn { writeOut("\u{1B}[?2004l"); pasteOn = false }
        if titlePushed { writeOut("\u{1B}[23;0t"); titlePushed = false }
    }

    static func writeOut(_ text: StaticString) {
        _ = Glibc.write(STDOUT_FILENO, text.utf8Start, text.utf8CodeUnitCount)
    }

    /// The last ending signal received (0: none). The handler only stores it; the main loop acts on it.
    nonisolated(unsafe) static var receivedSignal: Int32 = 0

    /// Signals that end a session: the handler only sets ``receivedSignal`` (async-signal-safe); the main loop,
    /// which wakes at least once a second, writes the leave event, restores the terminal and exits 128 + signo.
    static let endingSignals = [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM]

    static func install() {
        active = true
        atexit { TerminalGuard.restore() }
        for sig in endingSignals {
            signal(sig) { sig in TerminalGuard.receivedSignal = sig }
        }
        // A file-size limit must arrive as a write error (EFBIG), not kill the session with the terminal raw.
        signal(SIGXFSZ, SIG_IGN)
        // A crash (a Swift trap arrives as SIGILL or SIGTRAP): restore, then die the way we would have.
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig) { sig in
                TerminalGuard.restore()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    static func restore() {
        guard active else { return }
        active = false
        endwin()
        leaveModes()
        restoreStderr()
    }
}
