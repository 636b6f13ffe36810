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
    /// The most categories a scale may have: Cohen's kappa and the weighted coefficients build tables of
    /// categories squared.
    public static let maxCategories = 1_000

    /// A finite decimal number written plainly: optional sign, digits with an optional point, optional
    /// exponent. Rejects `nan`, `inf`, `0x10` and anything that overflows (`1e400`).
    ///
    ///     RatingsCSV.decimal("1e0")   // 1.0
    ///     RatingsCSV.decimal("0x10")  // nil
    public static func decimal<S: StringProtocol>(_ text: S) -> Double? {
        let bytes = Array(text.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; digits += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            var exponent = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; exponent += 1 }
            guard exponent > 0 else { return nil }
        }
        guard i == bytes.count, let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    /// The one label of a number: "1" for 1, 1.0 and 1e0; "2.5" for 2.50.
    static func label(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    public struct Ratings: Sendable {
        public var data: RatingData
        public var items: [String]
    }

    public static func read(
        _ bytes: Data, file: String, wide: Bool = false, categories declared: [String]? = nil, level: MeasurementLevel = .nominal
    ) throws -> Ratings {
        var reader = CSVRecordReader(bytes: [UInt8](bytes), file: file)
        var fields: [CSVField] = []
        guard let headerLine = try reader.next(into: &fields) else {
            throw AgreementError("\(file): empty file (fix: the first line must be a header such as item,rater,value)")
        }
        let header = try fields.map { try reader.string($0) }
        var items = ByteInterner(capacity: 1 << 14)
        var raters = ByteInterner(capacity: 64)
        var values = ByteInterner(capacity: 64)
        var raterNames: [String] = []
        // (item, rater, value index or -1, line) for each rating.
        var cells: [(item: Int32, rater: Int32, value: Int32, line: Int32)] = []

        if wide {
            guard header.count >= 2 else {
                throw AgreementError("\(file):\(headerLine): a wide file needs an item column and one column per rater (fix: write item,rater1,rater2,...)")
            }
            raterNames = header.dropFirst().map { $0.trimmed }
            var seen = Set<String>()
            for (index, rater) in raterNames.enumerated() {
                guard !rater.isEmpty else { throw AgreementError("\(file):\(headerLine): rater column \(index + 2) has no name (fix: name every column)") }
                guard seen.insert(rater).inserted else { throw AgreementError("\(file):\(headerLine): rater \"\(rater)\" appears twice (fix: give each rater one column)") }
            }
            while let line = try reader.next(into: &fields) {
                guard fields.count == raterNames.count + 1 else {
                    throw AgreementError("\(file):\(line): \(fields.count) fields, expected \(raterNames.count + 1) (fix: one value per rater, empty when missing)")
                }
                let name = reader.bytes(fields[0])
                guard !name.isEmpty else { throw AgreementError("\(file):\(line): empty item id (fix: give every row an item id)") }
                let (item, inserted) = items.index(of: name)
                guard inserted else {
                    throw AgreementError("\(file):\(line): item \"\(String(decoding: name, as: UTF8.self))\" appears twice (fix: one row per item)")
                }
                for g in 1..<fields.count {
                    let text = reader.bytes(fields[g])
                    if !text.isEmpty { cells.append((item, Int32(g - 1), values.index(of: text).index, Int32(line))) }
                }
            }
        } else {
            let names = header.map { $0.trimmed.lowercased() }
            guard let itemColumn = names.firstIndex(of: "item"), let raterColumn = names.firstIndex(of: "rater"),
                let valueColumn = names.firstIndex(of: "value")
            else {
                throw AgreementError("\(file):\(headerLine): the header must name columns item, rater and value (fix: write item,rater,value, or pass --wide for one column per rater)")
            }
            let width = names.count
            cells.reserveCapacity(reader.byteCount / 12)
            while let line = try reader.next(into: &fields) {
                guard fields.count == width else {
                    throw AgreementError("\(file):\(line): \(fields.count) fields, expected \(width) (fix: quote fields that contain commas)")
                }
                let name = reader.bytes(fields[itemColumn])
                let rater = reader.bytes(fields[raterColumn])
                guard !name.isEmpty, !rater.isEmpty else {
                    throw AgreementError("\(file):\(line): empty item or rater (fix: every row needs both)")
                }
                let text = reader.bytes(fields[valueColumn])
                cells.append((items.index(of: name).index, raters.index(of: rater).index, text.isEmpty ? -1 : values.index(of: text).index, Int32(line)))
            }
            raterNames = try raters.keys.map { try reader.string($0[...]) }
        }
        let itemNames = try items.keys.map { try reader.string($0[...]) }
        let valueNames = try values.keys.map { try reader.string($0[...]) }

        // Above the nominal level numbers are compared as numbers ("1" = "1.0" = "1e0"): always at the interval
        // and ratio levels, and at the ordinal level unless the scale is declared as labels (low,mid,high). At
        // the nominal level values are labels, as written.
        func firstLine(ofValue index: Int) -> Int32 { cells.first { $0.value == Int32(index) }?.line ?? Int32(headerLine) }
        let declaredLabels = declared.map { list in list.contains { !$0.isEmpty && RatingsCSV.decimal($0) == nil } } ?? false
        let numeric = level >= .interval || (level == .ordinal && !declaredLabels)
        var canonical = valueNames
        if numeric {
            for (index, text) in valueNames.enumerated() {
                guard let number = RatingsCSV.decimal(text) else {
                    let why = level == .ordinal
                        ? "value \"\(text)\" is not a finite decimal number, so its order is unknown (fix: write numbers such as 1, 2.5 or 1e3, or declare the order of labels with --categories low,mid,high)"
                        : "value \"\(text)\" is not a finite decimal number, which level \(level.rawValue) needs (fix: write numbers such as 1, 2.5 or 1e3)"
                    throw AgreementError("\(file):\(firstLine(ofValue: index)): " + why)
                }
                canonical[index] = RatingsCSV.label(number)
            }
        }

        // The scale: declared, or observed in numeric (else text) order.
        var scale: [String]
        if let declared {
            guard !declared.isEmpty, !declared.allSatisfy(\.isEmpty) else {
                throw AgreementError("--categories is empty (fix: list the scale in order, e.g. --categories 1,2,3,4,5, or leave the flag out to use the values seen)")
            }
            var seen = Set<String>()
            scale = []
            for category in declared {
                var name = category
                if numeric {
                    guard let number = RatingsCSV.decimal(category) else {
                        throw AgreementError("--categories: \"\(category)\" is not a finite decimal number, which level \(level.rawValue) needs (fix: list numbers, or use --level nominal)")
                    }
                    name = RatingsCSV.label(number)
                }
                guard seen.insert(name).inserted else {
                    throw AgreementError("--categories lists \"\(category)\" twice (fix: list each category once)")
                }
                scale.append(name)
            }
        } else {
            let distinct = Array(Set(canonical))
            let numbers = distinct.map { RatingsCSV.decimal($0) }
            if numbers.allSatisfy({ $0 != nil }) {
                scale = zip(distinct, numbers).sorted { $0.1! < $1.1! }.map(\.0)
            } else {
                scale = distinct.sorted()
            }
        }
        guard !scale.isEmpty else {
            throw AgreementError("\(file): no ratings (fix: add rows, or check the value column)")
        }
        guard scale.count <= RatingsCSV.maxCategories else {
            throw AgreementError("\(file): \(scale.count) categories, more than the limit of \(RatingsCSV.maxCategories) (the pairwise and weighted coefficients need a table of categories squared) (fix: check the value column, or bin the values)")
        }
        let scaleIndex = Dictionary(uniqueKeysWithValues: scale.enumerated().map { ($1, Int32($0)) })
        let mapping: [Int32] = try valueNames.enumerated().map { index, text in
            guard let category = scaleIndex[canonical[index]] else {
                throw AgreementError("\(file):\(firstLine(ofValue: index)): value \"\(text)\" is not one of the categories \(scale.joined(separator: ",")) (fix: correct the value or add it to --categories)")
            }
            return category
        }
        let r = raterNames.count
        var matrix = [Int32](repeating: -1, count: itemNames.count * r)
        var lines = [Int32](repeating: 0, count: itemNames.count * r)
        for cell in cells {
            let slot = Int(cell.item) * r + Int(cell.rater)
            if lines[slot] != 0 {
                throw AgreementError("\(file):\(cell.line): item \"\(itemNames[Int(cell.item)])\" is rated by \"\(raterNames[Int(cell.rater)])\" again (first on line \(lines[slot])) (fix: keep one rating per item and rater)")
            }
            lines[slot] = cell.line
            if cell.value >= 0 { matrix[slot] = mapping[Int(cell.value)] }
        }
        var builder = RatingDataBuilder(categories: scale, raters: raterNames)
        for i in 0..<itemNames.count {
            try builder.addItem(Array(matrix[(i * r)..<((i + 1) * r)]))
        }
        return Ratings(data: builder.finish(), items: itemNames)
    }
}

/// Where a field's bytes are: in the input, or (when quotes had to be undone) in the reader's scratch buffer.
struct CSVField {
    var start: Int
    var end: Int
    var unescaped: Bool
}

/// A byte-level RFC 4180 reader: commas, quoted fields with "" escapes and embedded newlines, CRLF or LF.
/// Unquoted fields are trimmed of spaces and tabs.
struct CSVRecordReader {
    let input: [UInt8]
    let file: String
    var position = 0
    var line = 1
    var scratch: [UInt8] = []

    init(bytes: [UInt8], file: String) {
        input = bytes
        self.file = file
        // A UTF-8 byte order mark is not part of the first field.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    var byteCount: Int { input.count }

    func bytes(_ field: CSVField) -> ArraySlice<UInt8> {
        field.unescaped ? scratch[field.start..<field.end] : input[field.start..<field.end]
    }

    func string(_ field: CSVField) throws -> String { try string(bytes(field)) }

    func string(_ bytes: ArraySlice<UInt8>) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AgreementError("\(file):\(line): invalid UTF-8 (fix: save the file as UTF-8)")
        }
        return text
    }

    /// Reads the next record's fields; returns the line it starts on, or nil at the end.
    mutating func next(into fields: inout [CSVField]) throws -> Int? {
        fields.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        while position < input.count, input[position] == 0x0A || input[position] == 0x0D {
            if input[position] == 0x0A { line += 1 }
            position += 1
        }
        guard position < input.count else { return nil }
        let start = line
        var fieldStart = position
        while true {
            if position < input.count, input[position] == 0x22 {
                // Quoted: copy into scratch, undoing "" escapes.
                let quoteLine = line
                position += 1
                let scratchStart = scratch.count
                var closed = false
                while position < input.count {
                    let byte = input[position]
                    if byte == 0x22 {
                        if position + 1 < input.count, input[position + 1] == 0x22 {
                            scratch.append(0x22)
                            position += 2
                            continue
                        }
                        position += 1
                        closed = true
                        break
                    }
                    if byte == 0x0A { line += 1 }
                    scratch.append(byte)
                    position += 1
                }
                guard closed else { throw AgreementError("\(file):\(quoteLine): a quoted field is never closed (fix: add the closing quote)") }
                while position < input.count, input[position] == 0x20 || input[position] == 0x09 { position += 1 }
                if position < input.count, input[position] != 0x2C, input[position] != 0x0A, input[position] != 0x0D {
                    throw AgreementError("\(file):\(line): text after a closing quote (fix: quote the whole field)")
                }
                try checkUTF8(scratch[scratchStart...])
                fields.append(CSVField(start: scratchStart, end: scratch.count, unescaped: true))
            } else {
                while position < input.count {
                    let byte = input[position]
                    if byte == 0x2C || byte == 0x0A || byte == 0x0D { break }
                    if byte == 0x22 {
                        throw AgreementError("\(file):\(line): a quote inside an unquoted field (fix: quote the whole field and double inner quotes)")
                    }
                    position += 1
                }
                var low = fieldStart, high = position
                while low < high, input[low] == 0x20 || input[low] == 0x09 { low += 1 }
                while high > low, input[high - 1] == 0x20 || input[high - 1] == 0x09 { high -= 1 }
                if input[low..<high].contains(where: { $0 >= 0x80 }) { try checkUTF8(input[low..<high]) }
                fields.append(CSVField(start: low, end: high, unescaped: false))
            }
            if position >= input.count { return start }
            let byte = input[position]
            position += 1
            if byte == 0x2C {
                fieldStart = position
                // A quoted field may start after spaces.
                while position < input.count, input[position] == 0x20 { position += 1 }
                if position < input.count, input[position] != 0x22 { position = fieldStart }
                continue
            }
            if byte == 0x0D, position < input.count, input[position] == 0x0A { position += 1 }
            line += 1
            return start
        }
    }

    func checkUTF8(_ bytes: ArraySlice<UInt8>) throws {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw AgreementError("\(file):\(line): invalid UTF-8 (fix: save the file as UTF-8)")
        }
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
