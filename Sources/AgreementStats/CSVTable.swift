import Foundation

/// A plain CSV reader for other parts of blindreview (the same byte-level reader the ratings use): a header,
/// then rows of trimmed fields with their line numbers.
///
///     var table = CSVTable(data: Data("id,x\n1,2\n".utf8), file: "f.csv")
///     try table.header()   // ["id", "x"]
///     try table.next()     // (["1", "2"], 2)
public struct CSVTable {
    private var reader: CSVRecordReader
    private var fields: [CSVField] = []

    public init(data: Data, file: String) {
        reader = CSVRecordReader(bytes: [UInt8](data), file: file)
    }

    /// The first row, lower-cased.
    public mutating func header() throws -> [String] {
        guard try reader.next(into: &fields) != nil else { throw AgreementError("\(reader.file): empty file (fix: the first line must be a header)") }
        return try fields.map { try reader.string($0).trimmed.lowercased() }
    }

    public mutating func next() throws -> ([String], Int)? {
        guard let line = try reader.next(into: &fields) else { return nil }
        return (try fields.map { try reader.string($0) }, line)
    }
}
