import BlindReviewTUI
import CNcurses
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the terminal reports: a key, a new size, or nothing before the timeout.
public enum TerminalInput: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
}

/// The ncurses backend: sets the terminal up and always restores it (normal exit, Ctrl-C, SIGTERM, SIGHUP and
/// crashes), reads keys, and copies a ``ScreenGrid`` to the screen. Nothing else in blindreview touches curses.
///
///     let terminal = try CursesTerminal.start()
///     defer { terminal.stop() }
///     terminal.draw(grid)
///     let input = terminal.read(timeoutMilliseconds: 1000)
public final class CursesTerminal {
    private let window: UnsafeMutablePointer<WINDOW>
    private var stopped = false
    private let colors: Bool

    /// Starts curses on the controlling terminal, or throws when there is none.
    public static func start() throws -> CursesTerminal {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError("blindreview annotate needs an interactive terminal (stdin and stdout must be a terminal)")
        }
        if let term = ProcessInfo.processInfo.environment["TERM"], term == "dumb" || term.isEmpty {
            throw TerminalError("TERM=\(term) cannot run the annotation screen; use a terminal such as xterm-256color")
        }
        setlocale(LC_ALL, "")
        TerminalGuard.redirectStderr()
        TerminalGuard.setTitle()
        guard let window = initscr() else {
            TerminalGuard.restoreStderr()
            throw TerminalError("could not start the terminal screen (check TERM)")
        }
        return CursesTerminal(window: window)
    }

    private init(window: UnsafeMutablePointer<WINDOW>) {
        self.window = window
        raw()
        noecho()
        nonl()
        keypad(window, true)
        br_set_escdelay(25)
        curs_set(0)
        scrollok(window, false)
        let wantColor = ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        if wantColor && has_colors() {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_CYAN), -1)
            init_pair(2, Int16(COLOR_GREEN), -1)
            init_pair(3, Int16(COLOR_RED), -1)
            init_pair(4, Int16(COLOR_BLUE), -1)
            colors = true
        } else {
            colors = false
        }
        TerminalGuard.install()
        br_define_paste_keys()
        TerminalGuard.enterModes()
    }

    public var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Copies the grid to the screen; ncurses sends only what changed.
    public func draw(_ grid: ScreenGrid) {
        werase(window)
        var buffer = [wchar_t](repeating: 0, count: CellHandOff.scalarsPerCell + 1)
        let rows = min(grid.height, size.height), columns = min(grid.width, size.width)
        for y in 0..<rows {
            for x in 0..<columns {
                let cell = grid[x, y]
                guard cell.width > 0 else { continue }
                // Never more columns than the grid planned, whatever the cluster: see CellHandOff.
                let plan = CellHandOff.pieces(for: cell.text, planned: min(cell.width, columns - x)) { Int(br_wcwidth($0.value)) }
                var attributes = attributes(cell.style)
                if plan.shortened { attributes |= br_attr_underline() }
                var column = x
                for piece in plan.pieces {
                    for (index, scalar) in piece.scalars.enumerated() { buffer[index] = wchar_t(bitPattern: scalar.value) }
                    buffer[piece.scalars.count] = 0
                    _ = br_put_cell(window, Int32(y), Int32(column), buffer, attributes)
                    column += piece.width
                }
            }
        }
        wnoutrefresh(window)
        doupdate()
    }

    private func attributes(_ style: CellStyle) -> Int32 {
        var value: Int32 = 0
        if style.bold { value |= br_attr_bold() }
        if style.reverse { value |= br_attr_reverse() }
        if style.underline { value |= br_attr_underline() }
        if style.dim { value |= br_attr_dim() }
        if colors {
            switch style.color {
            case .none: break
            case .accent: value |= br_color_pair(1)
            case .good: value |= br_color_pair(2)
            case .warn: value |= br_color_pair(3)
            case .muted: value |= br_color_pair(4)
            }
        }
        return value
    }

    /// Waits up to `timeoutMilliseconds` for input.
    public func read(timeoutMilliseconds: Int32) -> TerminalInput? {
        wtimeout(window, timeoutMilliseconds)
        var code: wint_t = 0
        let result = wget_wch(window, &code)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            let value = Int32(code)
            if value == br_key_paste_start() { return .key(.paste(readPaste())) }
            if value == br_key_paste_end() { return nil }
            if value == br_key_resize() { return .resize(width: size.width, height: size.height) }
            switch value {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_BTAB: return .key(.backTab)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_DC: return .key(.delete)
            case KEY_ENTER: return .key(.enter)
            default: return nil
            }
        }
        switch code {
        case 3: return .key(.interrupt)
        case 26:
            suspend()
            return .resize(width: size.width, height: size.height)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        default:
            guard code >= 32, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    /// The ending signal (TERM, HUP, INT, QUIT, USR1, USR2, PIPE, ALRM) received since the last call, if any.
    public func takeSignal() -> Int32? {
        let sig = TerminalGuard.receivedSignal
        guard sig != 0 else { return nil }
        TerminalGuard.receivedSignal = 0
        return sig
    }

    /// The text between the paste brackets (the start was just read), up to the end bracket or a pause.
    private func readPaste() -> String {
        var text = ""
        wtimeout(window, 500)
        while true {
            var code: wint_t = 0
            let result = wget_wch(window, &code)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if Int32(code) == br_key_paste_end() { break }
                continue
            }
            if code == 13 { text.append("\n"); continue }
            if let scalar = Unicode.Scalar(UInt32(code)), text.unicodeScalars.count < 100_000 { text.unicodeScalars.append(scalar) }
        }
        return text
    }

    /// Ctrl-Z: gives the terminal back to the shell (title and paste mode restored), stops until `fg`, then
    /// takes it again; the caller redraws.
    private func suspend() {
        def_prog_mode()
        endwin()
        TerminalGuard.leaveModes()
        let previous = signal(SIGTSTP, SIG_DFL)
        kill(getpid(), SIGTSTP)
        signal(SIGTSTP, previous)
        reset_prog_mode()
        TerminalGuard.setTitle()
        TerminalGuard.enterModes()
        clearok(window, true)
    }

    /// Restores the terminal. Safe to call more than once.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        TerminalGuard.restore()
    }

    deinit { stop() }
}

public struct TerminalError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
