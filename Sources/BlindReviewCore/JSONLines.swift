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
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw BlindReviewError(file: path, message: "no such file", fix: "check the path")
        }
        guard !isFolder.boolValue else {
            throw BlindReviewError(file: path, message: "this is a folder, not a file", fix: "give the path of the file inside it")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw BlindReviewError(file: path, message: "cannot read the file: permission denied", fix: "check its permissions")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw BlindReviewError(file: path, message: "cannot read the file: \(error.localizedDescription)", fix: "check that it is a regular file")
        }
    }

    public static func split(_ data: Data, file: String) throws -> [JSONLine] {
        let bytes = [UInt8](data)
        // One fast check of the whole file; only when it fails, look for the line to name.
        let valid = String(validating: bytes, as: UTF8.self) != nil
        var lines: [JSONLine] = []
        for range in lineRanges(bytes) {
            let slice = bytes[range.start..<range.end]
            guard !slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { continue }
            if !valid, String(validating: slice, as: UTF8.self) == nil {
                throw BlindReviewError(file: file, line: range.number, message: "invalid UTF-8", fix: "re-save the file as UTF-8")
            }
            lines.append(JSONLine(number: range.number, bytes: Data(slice)))
        }
        return lines
    }

    /// A line's bytes (without its newline), its number, and whether a newline ended it.
    public struct LineRange: Equatable, Sendable {
        public var start: Int
        public var end: Int
        public var number: Int
        public var terminated: Bool
    }

    /// Every line of `bytes`, split on LF (a CR before it is dropped).
    ///
    /// - Complexity: O(n), using `memchr`.
    public static func lineRanges(_ bytes: [UInt8]) -> [LineRange] {
        var ranges: [LineRange] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            var number = 0
            while start < buffer.count {
                number += 1
                let found = memchr(base + start, 0x0A, buffer.count - start)
                let newline = found.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base }
                var end = newline ?? buffer.count
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                ranges.append(LineRange(start: start, end: end, number: number, terminated: newline != nil))
                start = (newline ?? buffer.count) + 1
            }
        }
        return ranges
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
