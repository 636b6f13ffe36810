/// How one grid cell is handed to a terminal library that stores a few code points per cell (ncurses keeps a
/// spacing character and up to four zero-width ones) and advances the cursor by each code point's `wcwidth`.
///
/// A grapheme cluster goes through unchanged when the terminal's widths of its code points add up to the
/// columns the ``ScreenGrid`` planned for it and every piece fits a terminal cell. Anything else (a ZWJ
/// sequence such as 👩‍💻, a skin-tone modifier the terminal counts as two more columns, an emoji the terminal
/// thinks is one column wide) gets the **fallback**: its first code point (with the zero-width marks right after
/// it) padded with spaces to the planned width, drawn underlined as a visible marker that the cluster was
/// shortened. If even the first code point is wider than planned, `?` fills the planned columns. Either way the
/// cell count the grid planned is kept, so borders to the right stay where the grid put them.
///
///     CellHandOff.pieces(for: "é", planned: 1, terminalWidth: wcwidth)    // one piece, "e\u{301}", not shortened
///     CellHandOff.pieces(for: "👩‍💻", planned: 2, terminalWidth: wcwidth)  // one piece, "👩", shortened
///     CellHandOff.pieces(for: "🇯🇵", planned: 2, terminalWidth: wcwidth)  // "🇯" and "🇵", one column each
///
/// - Complexity: O(n) in the cluster's code points.
public enum CellHandOff {
    /// One terminal cell to write: its code points (a spacing one first, then zero-width ones) and its columns.
    public struct Piece: Equatable, Sendable {
        public var scalars: [Unicode.Scalar]
        public var width: Int
    }

    /// What to write for one grid cell: pieces at consecutive columns, and whether the fallback was used.
    public struct Plan: Equatable, Sendable {
        public var pieces: [Piece]
        public var shortened: Bool
        public var width: Int { pieces.reduce(0) { $0 + $1.width } }
    }

    /// Code points per terminal cell that ncurses keeps (`CCHARW_MAX`).
    public static let scalarsPerCell = 5

    /// The pieces for `text` (one grid cell) planned at `planned` columns; `terminalWidth` is the terminal's
    /// width of one code point (`wcwidth`: -1 for non-printable, 0 for combining, 1 or 2).
    public static func pieces(for text: String, planned: Int, terminalWidth: (Unicode.Scalar) -> Int) -> Plan {
        let planned = max(1, planned)
        var pieces: [Piece] = []
        var fits = true
        for scalar in text.unicodeScalars {
            let width = terminalWidth(scalar)
            if width < 0 { fits = false; break }
            if width == 0 {
                if pieces.isEmpty || pieces[pieces.count - 1].scalars.count >= scalarsPerCell { fits = false; break }
                pieces[pieces.count - 1].scalars.append(scalar)
            } else {
                pieces.append(Piece(scalars: [scalar], width: width))
            }
        }
        if fits, !pieces.isEmpty, pieces.reduce(0, { $0 + $1.width }) == planned {
            return Plan(pieces: pieces, shortened: false)
        }
        return fallback(for: text, planned: planned, terminalWidth: terminalWidth)
    }

    static func fallback(for text: String, planned: Int, terminalWidth: (Unicode.Scalar) -> Int) -> Plan {
        let space: Unicode.Scalar = " "
        var scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, case let width = terminalWidth(first), width >= 1, width <= planned else {
            return Plan(pieces: Array(repeating: Piece(scalars: ["?"], width: 1), count: planned), shortened: true)
        }
        scalars.removeFirst()
        var head = [first]
        // Keep the combining marks that sit on the first code point; not a joiner that would glue on nothing, nor
        // a variation selector some terminals take as a reason to draw it wider than planned.
        for scalar in scalars {
            guard terminalWidth(scalar) == 0, scalar.value != 0x200D, !(0xFE00...0xFE0F).contains(scalar.value),
                  head.count < scalarsPerCell else { break }
            head.append(scalar)
        }
        return Plan(pieces: [Piece(scalars: head, width: width)] + Array(repeating: Piece(scalars: [space], width: 1), count: planned - width), shortened: true)
    }
}
