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
        var input = [UInt8](bytes)
        return try read(taking: &input, file: file, wide: wide, categories: declared, level: level)
    }

    /// Reads the ratings in the file at `path` (the file's bytes are read once, straight into the reader, and
    /// let go of before the ratings are folded: peak memory stays near the file's size plus a few bytes per
    /// rating).
    ///
    /// `progress`, when given, is called with the bytes read so far and the file's size, about every megabyte.
    public static func read(
        contentsOfFile path: String, wide: Bool = false, categories declared: [String]? = nil, level: MeasurementLevel = .nominal,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> Ratings {
        var input = try readFile(path)
        let total = input.count
        return try read(taking: &input, file: path, wide: wide, categories: declared, level: level, progress: progress.map { report in { report($0, total) } })
    }

    /// The bytes of a file, read into one array without an intermediate copy.
    static func readFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw AgreementError("\(path): cannot be read: \(String(cString: strerror(errno))) (fix: check the path and its permissions)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR else {
            throw AgreementError("\(path): is a folder (fix: pass a CSV file)")
        }
        // A regular file's size is known; a pipe (`<(gunzip -c r.csv.gz)`) is read until it ends.
        var result = [UInt8]()
        var capacity = (status.st_mode & S_IFMT) == S_IFREG ? max(Int(status.st_size), 0) + 1 : 1 << 20
        while true {
            result.reserveCapacity(capacity)
            let start = result.count
            let room = capacity - start
            var got = 0
            result.append(contentsOf: repeatElement(0, count: room))
            got = result.withUnsafeMutableBufferPointer { buffer in
                Foundation.read(descriptor, buffer.baseAddress! + start, room)
            }
            if got < 0 {
                if errno == EINTR { result.removeLast(room); continue }
                throw AgreementError("\(path): cannot be read: \(String(cString: strerror(errno))) (fix: check the file)")
            }
            result.removeLast(room - got)
            if got == 0 { return result }
            if result.count == capacity { capacity *= 2 }
        }
    }

    /// Reads ratings, taking `input` over (it is left empty) so that its memory can be let go of early.
    ///
    /// One pass interns item, rater and value ids into small integers and writes each rating straight into a
    /// per-rater column indexed by item number; nothing per row is kept. The lines that error messages name
    /// for a repeated rating or a bad value are found by reading the file again, only on that error.
    ///
    /// - Complexity: O(bytes + items x raters), expected, whatever the order of the rows.
    static func read(
        taking input: inout [UInt8], file: String, wide: Bool, categories declared: [String]?, level: MeasurementLevel,
        progress: ((Int) -> Void)? = nil
    ) throws -> Ratings {
        var reader = CSVRecordReader(bytes: input, file: file)
        input = []
        var fields: [CSVField] = []
        guard let headerLine = try reader.next(into: &fields) else {
            throw AgreementError("\(file): empty file (fix: the first line must be a header such as item,rater,value)")
        }
        let header = try fields.map { try reader.string($0) }
        var collector = RatingCollector()
        collector.onProgress = progress
        var raterNames: [String] = []
        // Which columns hold values, to find the first line of a value again.
        var valueColumns: [Int] = []
        var itemColumn = 0, raterColumn = 0

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
            for _ in raterNames { collector.columns.addRater() }
            valueColumns = Array(1...raterNames.count)
            while let line = try reader.next(into: &fields) {
                guard fields.count == raterNames.count + 1 else {
                    throw AgreementError("\(file):\(line): \(fields.count) fields, expected \(raterNames.count + 1) (fix: one value per rater, empty when missing)")
                }
                let name = reader.bytes(fields[0])
                guard !name.isEmpty else { throw AgreementError("\(file):\(line): empty item id (fix: give every row an item id)") }
                let (item, inserted) = collector.items.index(of: name)
                guard inserted else {
                    throw AgreementError("\(file):\(line): item \"\(String(decoding: name, as: UTF8.self))\" appears twice (fix: one row per item)")
                }
                for g in 1..<fields.count {
                    let text = reader.bytes(fields[g])
                    collector.record(item, g - 1, collector.value(text), line: line)
                }
            }
        } else {
            let names = header.map { $0.trimmed.lowercased() }
            guard let itemAt = names.firstIndex(of: "item"), let raterAt = names.firstIndex(of: "rater"),
                let valueColumn = names.firstIndex(of: "value")
            else {
                throw AgreementError("\(file):\(headerLine): the header must name columns item, rater and value (fix: write item,rater,value, or pass --wide for one column per rater)")
            }
            itemColumn = itemAt
            raterColumn = raterAt
            valueColumns = [valueColumn]
            let width = names.count
            while true {
                // Plain rows in one tight loop; anything else (quotes, a wrong field count, an error to report)
                // through the general reader, one row at a time.
                collector.readPlainRows(&reader, width: width, itemColumn: itemColumn, raterColumn: raterColumn, valueColumn: valueColumn)
                guard let line = try reader.next(into: &fields) else { break }
                let row = fields
                guard row.count == width else {
                    throw AgreementError("\(file):\(line): \(row.count) fields, expected \(width) (fix: quote fields that contain commas)")
                }
                let itemField = row[itemColumn]
                let raterBytes = reader.bytes(row[raterColumn])
                guard itemField.end > itemField.start, !raterBytes.isEmpty else {
                    throw AgreementError("\(file):\(line): empty item or rater (fix: every row needs both)")
                }
                let rater = collector.rater(raterBytes)
                let value = collector.value(reader.bytes(row[valueColumn]))
                if itemField.unescaped {
                    // A quoted id lives in the reader's scratch space until the next row: look it up now.
                    collector.add(item: reader.bytes(itemField), rater: rater, value: value, line: line, input: reader.input)
                } else {
                    collector.add(itemAt: itemField.start, length: itemField.end - itemField.start, in: reader.input, rater: rater, value: value, line: line)
                }
            }
            collector.flush(reader.input)
            raterNames = try collector.raters.keys.map { try reader.string($0[...]) }
        }
        var itemNames: [String] = []
        itemNames.reserveCapacity(collector.items.count)
        // Every field was checked for UTF-8 as it was read.
        collector.items.forEachKey { itemNames.append(String(decoding: $0, as: UTF8.self)) }
        let valueNames = try collector.values.keys.map { try reader.string($0[...]) }

        /// The first line after the header whose row matches, found by reading the file again (error paths only).
        func firstLine(where matches: (CSVRecordReader, [CSVField]) -> Bool) -> Int {
            var again = CSVRecordReader(bytes: reader.input, file: file)
            var row: [CSVField] = []
            _ = try? again.next(into: &row)
            while let line = try? again.next(into: &row) {
                if matches(again, row) { return line }
            }
            return headerLine
        }
        func firstLine(ofValue index: Int) -> Int {
            let wanted = collector.values.keys[index]
            return firstLine { again, row in
                valueColumns.contains { $0 < row.count && again.bytes(row[$0]).elementsEqual(wanted) }
            }
        }

        // Above the nominal level numbers are compared as numbers ("1" = "1.0" = "1e0"): always at the interval
        // and ratio levels, and at the ordinal level unless the scale is declared as labels (low,mid,high). At
        // the nominal level values are labels, as written.
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
        if let repeated = collector.repeated {
            let itemKey = collector.items.keys[Int(repeated.item)]
            let raterKey = wide ? [] : collector.raters.keys[Int(repeated.rater)]
            let first = firstLine { again, row in
                row.count > max(itemColumn, raterColumn) && again.bytes(row[itemColumn]).elementsEqual(itemKey)
                    && (wide || again.bytes(row[raterColumn]).elementsEqual(raterKey))
            }
            throw AgreementError("\(file):\(repeated.line): item \"\(itemNames[Int(repeated.item)])\" is rated by \"\(raterNames[Int(repeated.rater)])\" again (first on line \(first)) (fix: keep one rating per item and rater)")
        }
        reader = CSVRecordReader(bytes: [], file: file)

        let r = raterNames.count
        var builder = RatingDataBuilder(categories: scale, raters: raterNames)
        var row = [Int32](repeating: -1, count: r)
        for i in 0..<itemNames.count {
            for g in 0..<r {
                let code = collector.columns.code(rater: g, item: i)
                row[g] = code >= 2 ? mapping[Int(code - 2)] : -1
            }
            try builder.addItem(row)
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

    func string(_ bytes: UnsafeBufferPointer<UInt8>) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AgreementError("\(file):\(line): invalid UTF-8 (fix: save the file as UTF-8)")
        }
        return text
    }

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
