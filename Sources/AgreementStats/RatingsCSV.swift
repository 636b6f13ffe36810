import Foundation

/// Reads ratings from CSV: long form `item,rater,value` (one rating per row; an empty value or a missing row
/// is a missing rating) or wide form (one row per item, one column per rater, after a first `item` column).
/// Fields may be quoted ("" escapes a quote). Errors name the file and line.
///
///     let ratings = try RatingsCSV.read(Data("item,rater,value\n1,ann,yes\n1,bo,no\n".utf8), file: "r.csv")
///     ratings.data.categories   // ["no", "yes"]
///
/// Without declared categories, the scale is the observed values, in numeric order when all are numbers.
/// A hand-written reader rather than a CSV package: it works on bytes (500,000 rows in well under 0.1 s) and
/// knows the line of every field, which the error messages need.
public enum RatingsCSV {
    public struct Ratings: Sendable {
        public var data: RatingData
        public var items: [String]
    }

    public static func read(
        _ bytes: Data, file: String, wide: Bool = false, categories declared: [String]? = nil, level: MeasurementLevel = .nominal
    ) throws -> Ratings {
        var reader = CSVRecordReader(bytes: [UInt8](bytes), file: file)
        guard let header = try reader.next() else {
            throw AgreementError("\(file): empty file (fix: the first line must be a header such as item,rater,value)")
        }
        var itemIndex: [String: Int32] = [:]
        var items: [String] = []
        var raters: [String] = []
        var raterIndex: [String: Int32] = [:]
        var valueIndex: [String: Int32] = [:]
        var values: [String] = []
        // (item, rater, value index, line) for each rating.
        var cells: [(item: Int32, rater: Int32, value: Int32, line: Int32)] = []

        func item(_ name: String) -> Int32 {
            if let index = itemIndex[name] { return index }
            let index = Int32(items.count)
            itemIndex[name] = index
            items.append(name)
            return index
        }
        func value(_ text: String) -> Int32 {
            if let index = valueIndex[text] { return index }
            let index = Int32(values.count)
            valueIndex[text] = index
            values.append(text)
            return index
        }

        if wide {
            guard header.fields.count >= 2 else {
                throw AgreementError("\(file):\(header.line): a wide file needs an item column and one column per rater (fix: write item,rater1,rater2,...)")
            }
            raters = header.fields.dropFirst().map { $0.trimmed }
            for (index, rater) in raters.enumerated() {
                guard !rater.isEmpty else { throw AgreementError("\(file):\(header.line): rater column \(index + 2) has no name (fix: name every column)") }
                guard raterIndex[rater] == nil else { throw AgreementError("\(file):\(header.line): rater \"\(rater)\" appears twice (fix: give each rater one column)") }
                raterIndex[rater] = Int32(index)
            }
            while let record = try reader.next() {
                guard record.fields.count == raters.count + 1 else {
                    throw AgreementError("\(file):\(record.line): \(record.fields.count) fields, expected \(raters.count + 1) (fix: one value per rater, empty when missing)")
                }
                let name = record.fields[0].trimmed
                guard !name.isEmpty else { throw AgreementError("\(file):\(record.line): empty item id (fix: give every row an item id)") }
                if itemIndex[name] != nil {
                    throw AgreementError("\(file):\(record.line): item \"\(name)\" appears twice (fix: one row per item)")
                }
                let i = item(name)
                for (g, field) in record.fields.dropFirst().enumerated() {
                    let text = field.trimmed
                    if !text.isEmpty { cells.append((i, Int32(g), value(text), Int32(record.line))) }
                }
            }
        } else {
            let names = header.fields.map { $0.trimmed.lowercased() }
            guard let itemColumn = names.firstIndex(of: "item"), let raterColumn = names.firstIndex(of: "rater"),
                let valueColumn = names.firstIndex(of: "value")
            else {
                throw AgreementError("\(file):\(header.line): the header must name columns item, rater and value (fix: write item,rater,value, or pass --wide for one column per rater)")
            }
            let width = names.count
            while let record = try reader.next() {
                guard record.fields.count == width else {
                    throw AgreementError("\(file):\(record.line): \(record.fields.count) fields, expected \(width) (fix: quote fields that contain commas)")
                }
                let name = record.fields[itemColumn].trimmed
                let rater = record.fields[raterColumn].trimmed
                guard !name.isEmpty, !rater.isEmpty else {
                    throw AgreementError("\(file):\(record.line): empty item or rater (fix: every row needs both)")
                }
                let i = item(name)
                let g: Int32
                if let known = raterIndex[rater] { g = known } else {
                    g = Int32(raters.count)
                    raterIndex[rater] = g
                    raters.append(rater)
                }
                let text = record.fields[valueColumn].trimmed
                cells.append((i, g, text.isEmpty ? -1 : value(text), Int32(record.line)))
            }
        }

        // The scale: declared, or observed in numeric (else text) order.
        let scale: [String]
        if let declared {
            var seen = Set<String>()
            for category in declared where !seen.insert(category).inserted {
                throw AgreementError("--categories lists \"\(category)\" twice (fix: list each category once)")
            }
            scale = declared
        } else {
            let numbers = values.map { Double($0) }
            if numbers.allSatisfy({ $0 != nil }) {
                scale = zip(values, numbers).sorted { $0.1! < $1.1! }.map(\.0)
            } else {
                if level >= .ordinal {
                    throw AgreementError("\(file): the values are not all numbers, so their order is unknown (fix: declare it with --categories low,mid,high)")
                }
                scale = values.sorted()
            }
        }
        guard !scale.isEmpty else {
            throw AgreementError("\(file): no ratings (fix: add rows, or check the value column)")
        }
        let scaleIndex = Dictionary(uniqueKeysWithValues: scale.enumerated().map { ($1, Int32($0)) })
        let mapping: [Int32] = try values.map { text in
            guard let index = scaleIndex[text] else {
                let line = cells.first { $0.value >= 0 && values[Int($0.value)] == text }!.line
                throw AgreementError("\(file):\(line): value \"\(text)\" is not one of the categories \(scale.joined(separator: ",")) (fix: correct the value or add it to --categories)")
            }
            return index
        }
        let r = raters.count
        var matrix = [Int32](repeating: -1, count: items.count * r)
        var lines = [Int32](repeating: 0, count: items.count * r)
        for cell in cells {
            let slot = Int(cell.item) * r + Int(cell.rater)
            if lines[slot] != 0 {
                throw AgreementError("\(file):\(cell.line): item \"\(items[Int(cell.item)])\" is rated by \"\(raters[Int(cell.rater)])\" again (first on line \(lines[slot])) (fix: keep one rating per item and rater)")
            }
            lines[slot] = cell.line
            if cell.value >= 0 { matrix[slot] = mapping[Int(cell.value)] }
        }
        var builder = RatingDataBuilder(categories: scale, raters: raters)
        for i in 0..<items.count {
            try builder.addItem(Array(matrix[(i * r)..<((i + 1) * r)]))
        }
        return Ratings(data: builder.finish(), items: items)
    }
}

/// One CSV record: its fields and the line it starts on.
struct CSVRecord {
    var fields: [String]
    var line: Int
}

/// A byte-level RFC 4180 reader: commas, quoted fields with "" escapes and embedded newlines, CRLF or LF.
struct CSVRecordReader {
    let bytes: [UInt8]
    let file: String
    var position = 0
    var line = 1

    init(bytes: [UInt8], file: String) {
        // A UTF-8 byte order mark is not part of the first field.
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    mutating func next() throws -> CSVRecord? {
        // Skip blank lines.
        while position < bytes.count, bytes[position] == 0x0A || bytes[position] == 0x0D {
            if bytes[position] == 0x0A { line += 1 }
            position += 1
        }
        guard position < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        while position < bytes.count {
            let byte = bytes[position]
            if quoted {
                if byte == 0x22 {
                    if position + 1 < bytes.count, bytes[position + 1] == 0x22 {
                        field.append(0x22)
                        position += 2
                        continue
                    }
                    quoted = false
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                position += 1
                continue
            }
            switch byte {
            case 0x22:
                guard field.allSatisfy({ $0 == 0x20 }) && !wasQuoted else {
                    throw AgreementError("\(file):\(line): a quote inside an unquoted field (fix: quote the whole field and double inner quotes)")
                }
                field.removeAll()
                quoted = true
                wasQuoted = true
            case 0x2C:
                fields.append(try text(field))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            case 0x0A, 0x0D:
                fields.append(try text(field))
                if byte == 0x0D, position + 1 < bytes.count, bytes[position + 1] == 0x0A { position += 1 }
                position += 1
                line += 1
                return CSVRecord(fields: fields, line: start)
            default:
                if wasQuoted && byte != 0x20 {
                    throw AgreementError("\(file):\(line): text after a closing quote (fix: quote the whole field)")
                }
                field.append(byte)
            }
            position += 1
        }
        if quoted { throw AgreementError("\(file):\(start): a quoted field is never closed (fix: add the closing quote)") }
        fields.append(try text(field))
        return CSVRecord(fields: fields, line: start)
    }

    func text(_ bytes: [UInt8]) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AgreementError("\(file):\(line): invalid UTF-8 (fix: save the file as UTF-8)")
        }
        return text
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
