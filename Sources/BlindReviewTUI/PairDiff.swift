import BlindReviewCore

/// What differs between responses A and B of a pair, for the `d` view: word by word when the words that differ
/// fit ``WordDiff/cellLimit``, else line by line, else (very different responses) everything after the common
/// start and end. Computed once per pair and kept in a ``DiffCache``; the marks for a wrap width are cached too.
public struct PairDiff: Sendable {
    public enum Level: String, Sendable { case word, line, rough }

    public var level: Level
    /// Per side: for each turn, each safe line (see ``SafeText``), the changed word indices (word level) or
    /// whether the whole line changed (line and rough levels: every word of it).
    var changed: [Side: [[Set<Int>]]]

    /// The words of each safe line of each turn: what is compared and marked.
    static func words(_ turns: [String]) -> [[[String]]] {
        turns.map { turn in SafeText.lines(turn).map { $0.split(separator: " ").map(String.init) } }
    }

    public init(a: [String], b: [String]) {
        let wordsA = PairDiff.words(a), wordsB = PairDiff.words(b)
        let flatA = wordsA.flatMap { $0.flatMap { $0 } }, flatB = wordsB.flatMap { $0.flatMap { $0 } }
        let byWord = WordDiff.changed(flatA, flatB)
        if byWord.exact {
            level = .word
            changed = [.a: PairDiff.place(byWord.old, in: wordsA), .b: PairDiff.place(byWord.new, in: wordsB)]
            return
        }
        // Line by line: a line is one token; a changed line has every word marked.
        let linesA = wordsA.flatMap { $0.map { $0.joined(separator: " ") } }, linesB = wordsB.flatMap { $0.map { $0.joined(separator: " ") } }
        let byLine = WordDiff.changed(linesA, linesB)
        level = byLine.exact ? .line : .rough
        changed = [.a: PairDiff.placeLines(byLine.old, in: wordsA), .b: PairDiff.placeLines(byLine.new, in: wordsB)]
    }

    /// Global word indices back to (turn, line, word).
    static func place(_ indices: Set<Int>, in words: [[[String]]]) -> [[Set<Int>]] {
        var next = 0
        return words.map { turn in
            turn.map { line in
                defer { next += line.count }
                return Set(line.indices.filter { indices.contains(next + $0) })
            }
        }
    }

    static func placeLines(_ indices: Set<Int>, in words: [[[String]]]) -> [[Set<Int>]] {
        var next = 0
        return words.map { turn in
            turn.map { line in
                defer { next += 1 }
                return indices.contains(next) ? Set(line.indices) : []
            }
        }
    }

    /// Columns to mark on each of a side's wrapped lines (as ``AnnotationState/responseLines(_:width:)`` numbers
    /// them, turn headers included).
    public func marks(_ side: Side, turns: [String], width: Int) -> [Int: [(column: Int, width: Int)]] {
        guard let changedTurns = changed[side] else { return [:] }
        var marks: [Int: [(column: Int, width: Int)]] = [:]
        var row = 0
        for (turnIndex, turn) in turns.enumerated() {
            if turns.count > 1 { row += 1 }
            let safeLines = SafeText.lines(turn)
            for (lineIndex, line) in safeLines.enumerated() {
                let changedWords = turnIndex < changedTurns.count && lineIndex < changedTurns[turnIndex].count ? changedTurns[turnIndex][lineIndex] : []
                var wrapped: [String] = []
                TextWrapper.wrapLine(line, width: width, into: &wrapped)
                var word = 0, left = 0  // the word being read and its characters still to come
                let words = line.split(separator: " ")
                for piece in wrapped {
                    var column = 0
                    var runStart: Int?
                    for character in piece {
                        let w = DisplayWidth.of(character)
                        if character == " " {
                            column += w
                            continue
                        }
                        if left == 0 { left = word < words.count ? words[word].count : 0; word += 1 }
                        if changedWords.contains(word - 1) {
                            if runStart == nil { runStart = column }
                        } else if let start = runStart {
                            marks[row, default: []].append((start, column - start)); runStart = nil
                        }
                        left -= 1
                        column += w
                        if left == 0, let start = runStart {
                            marks[row, default: []].append((start, column - start)); runStart = nil
                        }
                    }
                    if let start = runStart { marks[row, default: []].append((start, column - start)) }
                    row += 1
                }
            }
        }
        return marks
    }
}

/// One pair's diff and its marks per width, so `d` costs one computation per pair, not one per key.
public final class DiffCache: @unchecked Sendable {
    private var slot: Int?
    private var diff: PairDiff?
    private var marks: [String: [Int: [(column: Int, width: Int)]]] = [:]
    /// How many diffs were computed (for tests: once per pair).
    private(set) var computed = 0

    public init() {}

    func diff(slot: Int, compute: () -> PairDiff) -> PairDiff {
        if slot == self.slot, let diff { return diff }
        let result = compute()
        computed += 1
        self.slot = slot
        diff = result
        marks = [:]
        return result
    }

    func marks(key: String, compute: () -> [Int: [(column: Int, width: Int)]]) -> [Int: [(column: Int, width: Int)]] {
        if let hit = marks[key] { return hit }
        let value = compute()
        marks[key] = value
        return value
    }
}

extension AnnotationState {
    /// The current pair's diff (computed on first use, then cached).
    public var pairDiff: PairDiff? {
        guard let a = response(.a), let b = response(.b) else { return nil }
        return diffCache.diff(slot: slot) { PairDiff(a: a.turns, b: b.turns) }
    }

    /// Columns to mark per wrapped line of a side, when differences are shown.
    func diffMarks(_ side: Side, width: Int) -> [Int: [(column: Int, width: Int)]] {
        guard showDiff, let diff = pairDiff, let response = response(side) else { return [:] }
        return diffCache.marks(key: "\(side.label)@\(width)") { diff.marks(side, turns: response.turns, width: width) }
    }
}
