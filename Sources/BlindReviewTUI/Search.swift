import Foundation

/// One match of the search text in a panel's wrapped lines: which panel, which line, and the columns it covers.
public struct SearchHit: Equatable, Sendable {
    public var panel: Panel
    public var line: Int
    public var column: Int
    public var width: Int
}

/// An active search (`/`): the text, and which hit `n` / `N` last moved to. Hits are found in the prompt and
/// both responses as wrapped for the current screen, ignoring case; a match split across two wrapped lines is
/// not found.
public struct SearchState: Equatable, Sendable {
    public var query: String
    public var current: Int = 0

    public init(query: String) { self.query = query }

    /// Every hit, panel by panel (prompt, A, B), top to bottom.
    ///
    ///     SearchState.hits(of: "fox", in: [(.prompt, ["the fox", "Fox!"])]).count   // 2
    ///
    /// - Complexity: O(n) in the text of the panels.
    public static func hits(of query: String, in panels: [(Panel, [String])]) -> [SearchHit] {
        guard !query.isEmpty else { return [] }
        var hits: [SearchHit] = []
        for (panel, lines) in panels {
            for (index, line) in lines.enumerated() {
                var start = line.startIndex
                while start < line.endIndex, let range = line.range(of: query, options: [.caseInsensitive], range: start..<line.endIndex) {
                    let column = DisplayWidth.of(String(line[line.startIndex..<range.lowerBound]))
                    hits.append(SearchHit(panel: panel, line: index, column: column, width: max(1, DisplayWidth.of(String(line[range])))))
                    start = range.upperBound
                }
            }
        }
        return hits
    }
}

extension AnnotationState {
    /// The wrapped lines of every panel searched, as the current layout shows them.
    func searchablePanels(_ layout: Layout) -> [(Panel, [String])] {
        [(.prompt, promptLines(width: layout.textWidth(.prompt)).map(\.text)),
         (.responseA, responseLines(.a, width: layout.textWidth(.responseA)).all.map(\.text)),
         (.responseB, responseLines(.b, width: layout.textWidth(.responseB)).all.map(\.text))]
    }

    /// The hits of the active search on this screen (cached per query, pair and width).
    public func searchHits(_ layout: Layout) -> [SearchHit] {
        guard let search else { return [] }
        let key = "\(search.query)\u{0}\(slot)\u{0}\(showReference)\u{0}\(showMarkdown)\u{0}\(layout.textWidth(.prompt))\u{0}\(layout.textWidth(.responseA))"
        return searchCache.hits(key: key) { SearchState.hits(of: search.query, in: searchablePanels(layout)) }
    }
}

/// The last search's hits, so a frame with an active search does not scan 200 KB again.
public final class SearchCache: @unchecked Sendable {
    private var key: String?
    private var value: [SearchHit] = []

    public init() {}

    func hits(key: String, compute: () -> [SearchHit]) -> [SearchHit] {
        if key == self.key { return value }
        value = compute()
        self.key = key
        return value
    }
}
