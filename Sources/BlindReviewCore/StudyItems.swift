import Foundation

/// The pairs of a study, from `items.jsonl` (one ``StudyItem`` per line, in the study's `itemIDs` order).
/// Lines are found once and decoded only when asked for, so opening a study of 10,000 long pairs costs a read
/// and a scan, not 25 MB of JSON decoding.
///
///     let items = try store.loadItems(for: study)
///     let pair = try items.item(id: "q7")
public struct StudyItems: Sendable {
    /// One file of pairs: `items.jsonl`, then the `items-<seq>.jsonl` of each `add-pairs` amendment.
    struct Part: Sendable {
        var bytes: [UInt8]
        var lines: [JSONLines.LineRange]
        var file: String
        /// The position of this part's first pair among all pairs.
        var offset: Int
    }

    private var parts: [Part]
    private var index: [String: Int]
    /// The file of the study's own pairs (`items.jsonl`).
    public let file: String

    public init(data: Data, file: String, ids: [String]) throws {
        self.file = file
        parts = []
        index = [:]
        try add(data: data, file: file, ids: ids)
    }

    /// These pairs followed by those of another file (the pairs an amendment added), in `ids` order.
    public func appending(data: Data, file: String, ids: [String]) throws -> StudyItems {
        var copy = self
        try copy.add(data: data, file: file, ids: ids)
        return copy
    }

    private mutating func add(data: Data, file: String, ids: [String]) throws {
        let bytes = [UInt8](data)
        let lines = JSONLines.lineRanges(bytes).filter { $0.end > $0.start }
        guard lines.count == ids.count else {
            throw BlindReviewError(file: file, message: "\(lines.count) pairs, but the study lists \(ids.count)", fix: "copy the study folder again")
        }
        let offset = count
        for (position, id) in ids.enumerated() { index[id] = offset + position }
        parts.append(Part(bytes: bytes, lines: lines, file: file, offset: offset))
    }

    public var count: Int { parts.last.map { $0.offset + $0.lines.count } ?? 0 }

    public func item(at position: Int) throws -> StudyItem {
        let part = parts.last { $0.offset <= position }!
        let line = part.lines[position - part.offset]
        do {
            return try JSONDecoder().decode(StudyItem.self, from: Data(part.bytes[line.start..<line.end]))
        } catch {
            throw BlindReviewError(file: part.file, line: line.number, message: "not a valid pair", fix: "copy the study folder again")
        }
    }

    public func item(id: String) throws -> StudyItem {
        guard let position = index[id] else {
            throw BlindReviewError(file: file, message: "no pair \"\(id)\"", fix: "copy the study folder again")
        }
        return try item(at: position)
    }

    /// Every pair, decoded.
    public func all() throws -> [StudyItem] {
        try (0..<count).map(item(at:))
    }

    /// One pair per line, keys sorted (the bytes `JSONEncoder` writes, written by hand: see ``CanonicalJSONWriter``).
    public static func encode(_ items: [StudyItem]) -> Data {
        var capacity = 0
        for item in items {
            capacity += 256
            for message in item.prompt { capacity += message.content.utf8.count }
            for response in item.responses {
                for turn in response.turns { capacity += turn.utf8.count }
            }
        }
        var writer = CanonicalJSONWriter(pretty: false, capacity: capacity)
        for item in items {
            item.writeJSON(into: &writer)
            writer.newLine()
        }
        return writer.data
    }
}
