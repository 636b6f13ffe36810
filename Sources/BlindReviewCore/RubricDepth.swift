/// A cheap pre-scan of a rubric's nesting before it reaches the YAML or JSON parser, which recurse without a
/// depth limit (100,000 nested brackets, or 3,000 levels of indentation, overflow the stack).
///
/// Counts flow brackets (`[`, `{`) outside quoted strings plus block levels (indentation steps and `- `
/// markers); reports the first line where the total passes the limit.
///
///     RubricDepth.firstLineDeeperThan(64, in: "a: [[[1]]]")   // nil
enum RubricDepth {
    static func firstLineDeeperThan(_ limit: Int, in text: String) -> Int? {
        var flow = 0
        var indents: [Int] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = Array(line.utf8)
            var index = 0
            while index < bytes.count, bytes[index] == 0x20 { index += 1 }
            let isBlank = index == bytes.count || bytes[index] == UInt8(ascii: "#")
            var block = 0
            if !isBlank && flow == 0 {
                while let top = indents.last, top >= index { indents.removeLast() }
                indents.append(index)
                block = indents.count
                // "- - - x": each marker opens a level of its own.
                var cursor = index
                while cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "-"), bytes[cursor + 1] == 0x20 {
                    block += 1
                    cursor += 2
                    while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
                }
            }
            if block > limit { return lineNumber }
            var quote: UInt8?
            var cursor = index
            while cursor < bytes.count {
                let byte = bytes[cursor]
                if let open = quote {
                    if byte == UInt8(ascii: "\\") && open == UInt8(ascii: "\"") { cursor += 1 } else if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: "#") && (cursor == 0 || bytes[cursor - 1] == 0x20) && flow == 0 {
                    break
                } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                    flow += 1
                    if flow + block > limit { return lineNumber }
                } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                    flow = max(0, flow - 1)
                }
                cursor += 1
            }
        }
        return nil
    }
}
