import Foundation

/// One line of progress for a long command: what it does, a bar, the count, the rate and the time left.
/// Pure text (no terminal codes), so it is tested as text; ``ProgressReporter`` draws it on stderr.
///
///     ProgressBar.line(label: "reading", done: 250, total: 1_000, unit: "rows", elapsed: 2, width: 72)
///     // "reading [#######---------------------]  250/1,000 rows  125 rows/s  6 s left"
///
/// The bar takes what the width leaves after the text; a narrow terminal drops the rate, then the bar, then
/// cuts the line, so it never wraps. With no total (unknown) there is no bar and no time left. A rate under one
/// per second is not shown, and `estimates: false` (parts of very different sizes) shows neither rate nor time.
public enum ProgressBar {
    public static func line(label: String, done: Int, total: Int?, unit: String, elapsed: Double, width: Int, estimates: Bool = true) -> String {
        let rate = estimates && elapsed > 0 ? Double(done) / elapsed : 0
        var count = total.map { "\(grouped(done))/\(grouped($0)) \(unit)" } ?? "\(grouped(done)) \(unit)"
        if let total, total > 0 { count += String(format: " (%.0f%%)", 100 * Double(min(done, total)) / Double(total)) }
        let speed = rate >= 0.5 ? "\(grouped(Int(rate.rounded()))) \(unit)/s" : ""
        var left = ""
        if let total, rate > 0, done < total { left = duration(Double(total - done) / rate) + " left" }
        let tail = [count, speed, left].filter { !$0.isEmpty }.joined(separator: "  ")
        let plain = [count, left].filter { !$0.isEmpty }.joined(separator: "  ")
        for text in [tail, plain] {
            let room = width - label.count - text.count - 5
            if let total, total > 0, room >= 10 {
                let filled = Int((Double(room) * Double(min(done, total)) / Double(total)).rounded(.down))
                return "\(label) [" + String(repeating: "#", count: filled) + String(repeating: "-", count: room - filled) + "]  " + text
            }
        }
        let bare = "\(label)  \(plain)"
        return bare.count <= width ? bare : String(bare.prefix(max(0, width)))
    }

    /// 1234567 as "1,234,567".
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// Seconds as "42 s", "3 min 5 s" or "2 h 10 min".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \((s % 3600) / 60) min"
    }
}

/// Draws a ``ProgressBar`` on stderr while a long command runs, only when stderr is a terminal (and `TERM` is
/// not `dumb`) and not asked to be quiet: nothing at all goes to a file or a pipe. Redraws at most ten times a
/// second and not before the work has run half a second (short commands show nothing); `finish()` clears the
/// line. Safe to call from one thread at a time.
///
///     let progress = ProgressReporter(label: "importing", total: rows.count, unit: "rows", quiet: quiet)
///     for row in rows { ...; progress.advance() }
///     progress.finish()
public final class ProgressReporter: @unchecked Sendable {
    public let label: String
    public private(set) var total: Int?
    public let unit: String
    public let enabled: Bool
    /// Whether the line shows a rate and the time left (not for a few parts of very different sizes).
    public let estimates: Bool
    private(set) public var done = 0
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var drawn = false

    public init(label: String, total: Int?, unit: String, quiet: Bool, estimates: Bool = true) {
        self.label = label
        self.total = total
        self.unit = unit
        self.estimates = estimates
        enabled = !quiet && ProgressReporter.stderrIsTerminal
    }

    /// Whether stderr is a terminal that can show a progress line.
    public static var stderrIsTerminal: Bool {
        isatty(2) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    public func advance(by count: Int = 1) { update(done + count) }

    /// Sets the count done (and the total, when it becomes known).
    public func update(_ value: Int, total: Int? = nil) {
        done = value
        if let total { self.total = total }
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - start >= 500_000_000, now - lastDraw >= 100_000_000 else { return }
        lastDraw = now
        let line = line(elapsed: Double(now - start) / 1e9, width: ProgressReporter.columns() - 1)
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
        drawn = true
    }

    /// The line to draw: the count so far against the total known so far (given once or with each update).
    func line(elapsed: Double, width: Int) -> String {
        ProgressBar.line(label: label, done: done, total: total, unit: unit, elapsed: elapsed, width: width, estimates: estimates)
    }

    /// Clears the progress line, if one was drawn.
    public func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }

    static func columns() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
