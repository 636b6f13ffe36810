/// Gathers ratings row by row as they are read: interns item, rater and value ids into small numbers and
/// writes each rating into ``RatingColumns``; nothing per row is kept. Rows whose item id lies in the input
/// wait in a batch of 64 so that their item lookups and rating cells, scattered over memory when rows come in
/// no particular order, are fetched together (see ``ByteInterner/indices(of:starts:lengths:into:)``).
///
///     var collector = RatingCollector()
///     let input = Array("a,x,1\n".utf8)
///     let rater = collector.rater(input[2..<3]), value = collector.value(input[4..<5])
///     collector.add(itemAt: 0, length: 1, in: input, rater: rater, value: value, line: 1)
///     collector.flush(input)
///     collector.columns.code(rater: 0, item: 0)   // 2 (value number 0)
///
/// A struct with stored properties rather than closures over local variables, so that the compiler checks
/// exclusive access statically and the loop does no reference counting per row.
struct RatingCollector {
    var items = ByteInterner(capacity: 1 << 14)
    var raters = ByteInterner(capacity: 64)
    var values = ByteInterner(capacity: 64)
    var columns = RatingColumns()
    /// The first repeated (item, rater), kept to report after any bad value (as a whole-file check would).
    var repeated: (item: Int32, rater: Int32, line: Int)?
    /// Called with how far into the input reading has come, about every megabyte.
    var onProgress: ((Int) -> Void)?
    private var reported = 0

    static let batch = 64
    private var pending = 0
    private var starts = [Int](repeating: 0, count: batch)
    private var lengths = [Int](repeating: 0, count: batch)
    private var pendingRaters = [Int](repeating: 0, count: batch)
    private var pendingValues = [Int32](repeating: 0, count: batch)
    private var pendingLines = [Int](repeating: 0, count: batch)
    private var pendingItems = [Int32](repeating: 0, count: batch)

    /// The number of a rater id, adding a column for a new one.
    mutating func rater(_ bytes: ArraySlice<UInt8>) -> Int {
        let (index, inserted) = raters.index(of: bytes)
        if inserted { columns.addRater() }
        return Int(index)
    }

    /// The number of a value (-1 for an empty one).
    mutating func value(_ bytes: ArraySlice<UInt8>) -> Int32 {
        bytes.isEmpty ? -1 : values.index(of: bytes).index
    }

    /// Records a rating now (for an item id outside the input, such as an unquoted copy).
    mutating func add(item bytes: ArraySlice<UInt8>, rater: Int, value: Int32, line: Int, input: [UInt8]) {
        flush(input)
        record(items.index(of: bytes).index, rater, value, line: line)
    }

    /// Records a rating whose item id is `input[start..<start + length]`, in a batch.
    mutating func add(itemAt start: Int, length: Int, in input: [UInt8], rater: Int, value: Int32, line: Int) {
        starts[pending] = start
        lengths[pending] = length
        pendingRaters[pending] = rater
        pendingValues[pending] = value
        pendingLines[pending] = line
        pending += 1
        if pending == RatingCollector.batch { flush(input) }
    }

    /// Reads rows while they are plain: exactly `width` unquoted fields on one line ending in LF, CR or CRLF (or at
    /// the end of the input), without quotes, valid UTF-8, with a non-empty item and rater. Fields
    /// are trimmed of spaces and tabs as ``CSVRecordReader/next(into:)`` trims them. Stops, with the reader
    /// at the start of the row (blank lines before it consumed), at the first row that is not plain or at the
    /// end: the general reader then reads that row and reports anything wrong with it.
    ///
    /// - Complexity: O(bytes read), one pass, no allocation per row.
    mutating func readPlainRows(_ reader: inout CSVRecordReader, width: Int, itemColumn: Int, raterColumn: Int, valueColumn: Int) {
        let input = reader.input
        var position = reader.position, line = reader.line
        input.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * width) { bounds in
                rows: while true {
                    while position < count, buffer[position] == 0x0A || buffer[position] == 0x0D {
                        if buffer[position] == 0x0A { line += 1 }
                        position += 1
                    }
                    guard position < count, width > 0 else { break rows }
                    var p = position, n = 0, fieldStart = position
                    var high: UInt8 = 0
                    while p < count {
                        let byte = buffer[p]
                        if byte == 0x2C || byte == 0x0A || byte == 0x0D {
                            if byte == 0x2C && n == width - 1 { break rows }
                            var low = fieldStart, top = p
                            while low < top, buffer[low] == 0x20 || buffer[low] == 0x09 { low += 1 }
                            while top > low, buffer[top - 1] == 0x20 || buffer[top - 1] == 0x09 { top -= 1 }
                            bounds[2 * n] = low
                            bounds[2 * n + 1] = top
                            n += 1
                            if byte != 0x2C { break }
                            fieldStart = p + 1
                        } else if byte == 0x22 {
                            break rows
                        }
                        high |= byte
                        p += 1
                    }
                    if p == count {
                        // The last row, without a final newline.
                        guard n == width - 1 else { break rows }
                        var low = fieldStart, top = p
                        while low < top, buffer[low] == 0x20 || buffer[low] == 0x09 { low += 1 }
                        while top > low, buffer[top - 1] == 0x20 || buffer[top - 1] == 0x09 { top -= 1 }
                        bounds[2 * n] = low
                        bounds[2 * n + 1] = top
                        n += 1
                    }
                    guard n == width else { break rows }
                    if high >= 0x80 {
                        for k in 0..<width where String(validating: UnsafeBufferPointer(rebasing: buffer[bounds[2 * k]..<bounds[2 * k + 1]]), as: UTF8.self) == nil {
                            break rows
                        }
                    }
                    let itemStart = bounds[2 * itemColumn], itemEnd = bounds[2 * itemColumn + 1]
                    let raterStart = bounds[2 * raterColumn], raterEnd = bounds[2 * raterColumn + 1]
                    guard itemEnd > itemStart, raterEnd > raterStart else { break rows }
                    let (rater, newRater) = raters.index(of: UnsafeBufferPointer(rebasing: buffer[raterStart..<raterEnd]))
                    if newRater { columns.addRater() }
                    let valueStart = bounds[2 * valueColumn], valueEnd = bounds[2 * valueColumn + 1]
                    let value = valueEnd > valueStart ? values.index(of: UnsafeBufferPointer(rebasing: buffer[valueStart..<valueEnd])).index : -1
                    add(itemAt: itemStart, length: itemEnd - itemStart, in: input, rater: Int(rater), value: value, line: line)
                    if p < count {
                        // LF, CR or CRLF ends the row.
                        position = p + 1
                        if buffer[p] == 0x0D, position < count, buffer[position] == 0x0A { position += 1 }
                        line += 1
                    } else {
                        position = p
                    }
                }
            }
        }
        reader.position = position
        reader.line = line
    }

    mutating func record(_ item: Int32, _ rater: Int, _ value: Int32, line: Int) {
        if !columns.set(rater: rater, item: Int(item), code: value + 2), repeated == nil {
            repeated = (item, Int32(rater), line)
        }
    }

    /// Records the batched rows, in order.
    mutating func flush(_ input: [UInt8]) {
        guard pending > 0 else { return }
        let count = pending
        pending = 0
        var found = pendingItems
        pendingItems = []
        input.withUnsafeBufferPointer { input in
            starts.withUnsafeBufferPointer { starts in
                lengths.withUnsafeBufferPointer { lengths in
                    found.withUnsafeMutableBufferPointer { out in
                        items.indices(
                            of: input.baseAddress!, starts: UnsafeBufferPointer(rebasing: starts[0..<count]),
                            lengths: UnsafeBufferPointer(rebasing: lengths[0..<count]),
                            into: UnsafeMutableBufferPointer(rebasing: out[0..<count]))
                    }
                }
            }
        }
        // Touch every cell first (independent loads), then record in order.
        var sink: Int32 = 0
        for i in 0..<count { sink &+= columns.code(rater: pendingRaters[i], item: Int(found[i])) }
        keepAlive(sink)
        for i in 0..<count { record(found[i], pendingRaters[i], pendingValues[i], line: pendingLines[i]) }
        pendingItems = found
        if let onProgress, starts[count - 1] - reported >= 1 << 20 {
            reported = starts[count - 1]
            onProgress(reported)
        }
    }
}

/// Keeps a value computed only for its memory traffic (loads done early so that later ones hit the cache).
@_optimize(none)
func keepAlive(_ value: Int32) {}
