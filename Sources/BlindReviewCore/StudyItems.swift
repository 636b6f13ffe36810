import Foundation

/// The pairs of a study, from `items.jsonl` (one ``StudyItem`` per line, in the study's `itemIDs` order).
/// Lines are found once and decoded only when asked for, so opening a study of 10,000 long pairs costs a read
/// and a scan, not 25 MB of JSON decoding.
///
///     let items = try store.loadItems(for: study)
///     let pair = try items.item(id: "q7")
public struct StudyItems: Sendable {
    private let bytes: [UInt8]
    private let lines: [JSONLines.LineRange]
    private let index: [String: Int]
    public let file: String

    public init(data: Data, file: String, ids: [String]) throws {
        bytes = [UInt8](data)
        lines = JSONLines.lineRanges(bytes).filter { $0.end > $0.start }
        self.file = file
        guard lines.count == ids.count else {
            throw BlindReviewError(file: file, message: "\(lines.count) pairs, but study.json lists \(ids.count)", fix: "copy the study folder again")
        }
        index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
    }

    public var count: Int { lines.count }

    public func item(at position: Int) throws -> StudyItem {
        let line = lines[position]
        do {
            return try JSONDecoder().decode(StudyItem.self, from: Data(bytes[line.start..<line.end]))
        } catch {
            throw BlindReviewError(file: file, line: line.number, message: "not a valid pair", fix: "copy the study folder again")
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

    /// One pair per line, keys sorted.
    public static func encode(_ items: [StudyItem]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for item in items {
            data.append(try! encoder.encode(item))
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }
}
