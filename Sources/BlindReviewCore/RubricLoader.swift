import Foundation
import Yams

/// Reads and checks a rubric file (YAML or JSON; the schema is the one ``Rubric`` encodes to).
///
///     let rubric = try RubricLoader.load(path: "rubric.yaml")
public enum RubricLoader {
    /// Keys the annotation UI keeps for itself, so a preference option cannot take them.
    public static let reservedKeys: Set<Character> = Set("hjklnpgequ?[] 0123456789")

    public static func load(path: String) throws -> Rubric {
        let data = try JSONLines.readFile(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw BlindReviewError(file: path, message: "invalid UTF-8", fix: "re-save the file as UTF-8")
        }
        let rubric: Rubric
        do {
            if path.hasSuffix(".json") {
                rubric = try JSONDecoder().decode(Rubric.self, from: data)
            } else {
                rubric = try YAMLDecoder().decode(Rubric.self, from: text)
            }
        } catch let error as DecodingError {
            throw BlindReviewError(
                file: path, message: "not a valid rubric: \(describe(error))",
                fix: "see the rubric schema in the README")
        } catch {
            throw BlindReviewError(
                file: path, message: "cannot parse: \(error)", fix: "check the YAML/JSON syntax")
        }
        try validate(rubric, file: path)
        return rubric
    }

    public static func validate(_ rubric: Rubric, file: String? = nil) throws {
        func fail(_ message: String, _ fix: String) -> BlindReviewError {
            BlindReviewError(file: file, message: message, fix: fix)
        }
        var seen = Set<String>()
        for criterion in rubric.criteria {
            guard !criterion.id.isEmpty,
                criterion.id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else {
                throw fail("criterion id \"\(criterion.id)\" is not usable", "use letters, digits and _ only")
            }
            guard seen.insert(criterion.id).inserted else {
                throw fail("criterion id \"\(criterion.id)\" appears twice", "give each criterion its own id")
            }
            guard criterion.min < criterion.max, criterion.min >= 0, criterion.max <= 9 else {
                throw fail(
                    "criterion \"\(criterion.id)\" has scale \(criterion.min)-\(criterion.max)",
                    "use a scale within 0-9 with min below max (scores are typed as digits)")
            }
            for key in criterion.anchors.keys {
                guard let score = Int(key), criterion.scores.contains(score) else {
                    throw fail(
                        "criterion \"\(criterion.id)\" has an anchor for \"\(key)\", outside its scale",
                        "key anchors by scores \(criterion.min)...\(criterion.max)")
                }
            }
        }
        let options = rubric.preference.options
        guard options.count >= 2 else {
            throw fail("the preference needs at least two options", "list options such as a, b and tie")
        }
        var ids = Set<String>()
        var keys = Set<String>()
        for option in options {
            guard ids.insert(option.id).inserted else {
                throw fail("preference option \"\(option.id)\" appears twice", "give each option its own id")
            }
            guard option.key.count == 1, let key = option.key.first, !reservedKeys.contains(key) else {
                throw fail(
                    "preference option \"\(option.id)\" has key \"\(option.key)\"",
                    "use one character that is not one of: \(String(reservedKeys.sorted()))")
            }
            guard keys.insert(option.key).inserted else {
                throw fail("two preference options use the key \"\(option.key)\"", "give each its own key")
            }
        }
    }

    /// The rubric's SHA-256, over its canonical JSON (sorted keys), frozen into the study.
    public static func sha256(_ rubric: Rubric) -> String {
        SHA256Digest.hex(of: CanonicalJSON.encode(rubric))
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// JSON with sorted keys: the byte-stable form used for everything that is hashed or must be reproducible.
public enum CanonicalJSON {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own value types cannot fail (no non-finite floats are ever stored).
        return try! encoder.encode(value)
    }
}
