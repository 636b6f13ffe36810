import Foundation

/// One non-empty line of a JSONL file, with its 1-based line number for error messages.
public struct JSONLine: Sendable {
    public var number: Int
    public var bytes: Data
}

/// Splits JSONL data into lines, checking UTF-8 line by line so an error can name the line.
///
///     let lines = try JSONLines.split(Data("{\"a\":1}\n\n{\"a\":2}\n".utf8), file: "x.jsonl")
///     lines.map(\.number)  // [1, 3]
public enum JSONLines {
    public static func read(_ path: String) throws -> (data: Data, lines: [JSONLine]) {
        let data = try readFile(path)
        return (data, try split(data, file: path))
    }

    public static func readFile(_ path: String) throws -> Data {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BlindReviewError(file: path, message: "no such file", fix: "check the path")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw BlindReviewError(file: path, message: "cannot read the file", fix: "check its permissions")
        }
    }

    public static func split(_ data: Data, file: String) throws -> [JSONLine] {
        var lines: [JSONLine] = []
        var number = 0
        var start = data.startIndex
        let end = data.endIndex
        while start < end {
            number += 1
            let newline = data[start..<end].firstIndex(of: UInt8(ascii: "\n")) ?? end
            var lineEnd = newline
            if lineEnd > start, data[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let slice = data[start..<lineEnd]
            if !slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                guard String(data: slice, encoding: .utf8) != nil else {
                    throw BlindReviewError(
                        file: file, line: number, message: "invalid UTF-8",
                        fix: "re-save the file as UTF-8")
                }
                lines.append(JSONLine(number: number, bytes: Data(slice)))
            }
            start = newline < end ? newline + 1 : end
        }
        return lines
    }

    /// Parses one line as a JSON object, or throws an error naming the file and line.
    public static func object(_ line: JSONLine, file: String) throws -> [String: Any] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: line.bytes, options: [.fragmentsAllowed])
        } catch {
            throw BlindReviewError(
                file: file, line: line.number, message: "malformed JSON",
                fix: "each line must be one complete JSON object")
        }
        guard let object = value as? [String: Any] else {
            throw BlindReviewError(
                file: file, line: line.number, message: "expected a JSON object on this line",
                fix: "write one {...} object per line")
        }
        return object
    }
}
