import Foundation
import Yams

/// Reads and checks a rubric file (YAML or JSON; the schema is the one ``Rubric`` encodes to).
///
///     let rubric = try RubricLoader.load(path: "rubric.yaml")
public enum RubricLoader {
    /// Keys the annotation UI keeps for itself, so a preference option cannot take them (the one table is ``AnnotationKeys``).
    public static var reservedKeys: Set<Character> { AnnotationKeys.reservedCharacters }

    public static func load(path: String) throws -> Rubric {
        let data = try JSONLines.readFile(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw BlindReviewError(file: path, message: "invalid UTF-8", fix: "re-save the file as UTF-8")
        }
        if let line = RubricDepth.firstLineDeeperThan(InputLimits.maxRubricDepth, in: text) {
            throw BlindReviewError(
                file: path, line: line, message: "the rubric nests deeper than \(InputLimits.maxRubricDepth) levels",
                fix: "a rubric needs only a few levels (criteria, options, anchors); check the file")
        }
        try checkFieldNames(text: text, json: path.hasSuffix(".json"), file: path)
        let rubric: Rubric
        do {
            if path.hasSuffix(".json") {
                do {
                    _ = try JSONSerialization.jsonObject(with: data)
                } catch {
                    throw BlindReviewError(
                        file: path, line: jsonErrorLine(error, text: text), message: "not valid JSON: \(jsonProblem(error))",
                        fix: "check the JSON syntax there (quotes, commas, brackets)")
                }
                rubric = try JSONDecoder().decode(Rubric.self, from: data)
            } else {
                rubric = try YAMLDecoder().decode(Rubric.self, from: text)
            }
        } catch let error as BlindReviewError {
            throw error
        } catch DecodingError.dataCorrupted(let context) where context.underlyingError is YamlError {
            let (line, problem) = yamlProblem(context.underlyingError as! YamlError)
            throw BlindReviewError(file: path, line: line, message: "not valid YAML: \(problem)", fix: "check the YAML syntax there (indentation, colons, quotes)")
        } catch let error as DecodingError {
            throw BlindReviewError(
                file: path, message: "not a valid rubric: \(describe(error))",
                fix: "see the rubric schema in the README")
        } catch let error as YamlError {
            let (line, problem) = yamlProblem(error)
            throw BlindReviewError(file: path, line: line, message: "not valid YAML: \(problem)", fix: "check the YAML syntax there (indentation, colons, quotes)")
        } catch {
            throw BlindReviewError(
                file: path, message: "cannot parse: \(error)", fix: "check the YAML/JSON syntax")
        }
        try validate(rubric, file: path)
        return rubric
    }

    /// `stored`: the rubric of an existing study, whose preference keys may include keys reserved since
    /// (``AnnotationKeys/reservedSinceStudiesExisted``).
    public static func validate(_ rubric: Rubric, file: String? = nil, stored: Bool = false) throws {
        let reservedKeys = stored ? reservedKeys.subtracting(AnnotationKeys.reservedSinceStudiesExisted) : reservedKeys
        func fail(_ message: String, _ fix: String) -> BlindReviewError {
            BlindReviewError(file: file, message: message, fix: fix)
        }
        guard !rubric.criteria.isEmpty || !rubric.preference.options.isEmpty else {
            throw fail("the rubric has no criterion and no preference question", "add at least one criterion or a preference with options")
        }
        guard rubric.criteria.count <= InputLimits.maxCriteria else {
            throw fail("the rubric has \(rubric.criteria.count) criteria, more than \(InputLimits.maxCriteria)", "split it into several studies")
        }
        guard rubric.preference.options.count <= InputLimits.maxOptions else {
            throw fail("the preference has \(rubric.preference.options.count) options, more than \(InputLimits.maxOptions)", "use fewer options")
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
        if options.isEmpty {
            guard !rubric.preference.required else {
                throw fail("the preference is required but has no options", "list options such as a, b and tie, or set required: false")
            }
            return
        }
        guard options.count >= 2 else {
            throw fail("the preference needs at least two options", "list options such as a, b and tie")
        }
        guard options.contains(where: { $0.favours == .a }), options.contains(where: { $0.favours == .b }) else {
            throw fail("the preference has no option for \(options.contains { $0.favours == .a } ? "B" : "A")", "give A and B each an option (favours: a, favours: b)")
        }
        var ids = Set<String>()
        var keys = Set<String>()
        for option in options {
            guard ids.insert(option.id).inserted else {
                throw fail("preference option \"\(option.id)\" appears twice", "give each option its own id")
            }
            guard option.key.unicodeScalars.count == 1, let scalar = option.key.unicodeScalars.first,
                  (0x21...0x7E).contains(scalar.value), !reservedKeys.contains(Character(scalar)) else {
                throw fail(
                    "preference option \"\(option.id)\" has key \"\(VisibleText.line(option.key))\", which the annotation UI cannot give it",
                    "use one printable ASCII character that the UI does not keep for itself (not one of: \(String(reservedKeys.sorted()).replacingOccurrences(of: " ", with: "space ")))")
            }
            if let strength = option.strength {
                guard (1...3).contains(strength) else {
                    throw fail("preference option \"\(option.id)\" has strength \(strength)", "use a strength from 1 to 3 (ties have none)")
                }
                guard option.favours != nil else {
                    throw fail("preference option \"\(option.id)\" is a tie with a strength", "leave strength out for an option that favours none")
                }
            }
            guard keys.insert(option.key).inserted else {
                throw fail("two preference options use the key \"\(option.key)\"", "give each its own key")
            }
        }
    }

    /// A misspelt field ("criterias", "favor") would be ignored by the decoder and silently change the rubric:
    /// every field name is checked against the schema, and an unknown one is an error naming it.
    static func checkFieldNames(text: String, json: Bool, file: String) throws {
        // Only the field names are read: for YAML from the composed node tree (constructing values can trap in
        // the YAML library on odd tags, as the fuzz test found).
        let top: FieldTree?
        if json {
            top = (try? JSONSerialization.jsonObject(with: Data(text.utf8))).map(FieldTree.init(json:))
        } else {
            top = (try? Yams.compose(yaml: text)).flatMap { $0 }.map(FieldTree.init(yaml:))
        }
        guard let top else { return }
        func check(_ object: FieldTree?, allowed: Set<String>, at path: String) throws {
            for key in object?.keys ?? [] where !allowed.contains(key) {
                throw BlindReviewError(
                    file: file, message: "unknown field \"\(VisibleText.line(key))\" in \(path)",
                    fix: "use only: \(allowed.sorted().joined(separator: ", ")) (see the rubric schema in the README)")
            }
        }
        try check(top, allowed: ["name", "criteria", "preference"], at: "the rubric")
        for (index, criterion) in (top["criteria"]?.items ?? []).enumerated() {
            try check(criterion, allowed: ["id", "name", "description", "min", "max", "anchors", "required"], at: "criteria[\(index)]")
        }
        let preference = top["preference"]
        try check(preference, allowed: ["question", "options", "required"], at: "preference")
        for (index, option) in (preference?["options"]?.items ?? []).enumerated() {
            try check(option, allowed: ["id", "label", "key", "favours", "strength"], at: "preference.options[\(index)]")
        }
    }

    /// Just the shape of a parsed rubric, read on demand (so that an alias-heavy YAML document is never walked
    /// beyond the few places the schema names): mapping keys, values by key, list items.
    struct FieldTree {
        let json: Any?
        let yaml: Node?

        init(json: Any) {
            self.json = json
            yaml = nil
        }

        init(yaml: Node) {
            json = nil
            self.yaml = yaml
        }

        var keys: [String] {
            if let object = json as? [String: Any] { return object.keys.sorted() }
            if case .mapping(let mapping)? = yaml { return mapping.keys.map { $0.scalar?.string ?? "\($0)" } }
            return []
        }

        subscript(key: String) -> FieldTree? {
            if let object = json as? [String: Any] { return object[key].map(FieldTree.init(json:)) }
            if case .mapping(let mapping)? = yaml { return mapping[key].map(FieldTree.init(yaml:)) }
            return nil
        }

        var items: [FieldTree] {
            if let list = json as? [Any] { return list.map(FieldTree.init(json:)) }
            if case .sequence(let sequence)? = yaml { return sequence.map(FieldTree.init(yaml:)) }
            return []
        }
    }

    /// The rubric's SHA-256, over its canonical JSON (sorted keys), frozen into the study.
    public static func sha256(_ rubric: Rubric) -> String {
        SHA256Digest.hex(of: CanonicalJSON.encode(rubric))
    }

    /// The line and problem of a YAML syntax error.
    static func yamlProblem(_ error: YamlError) -> (Int?, String) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return (mark.line, problem)
        case .reader(let problem, _, _, _):
            return (nil, problem)
        default:
            return (nil, "\(error)")
        }
    }

    /// Foundation's JSON errors say "around line N, column M" (or give a character offset).
    static func jsonErrorLine(_ error: Error, text: String) -> Int? {
        let message = jsonProblem(error)
        if let range = message.range(of: #"line (\d+)"#, options: .regularExpression) {
            return Int(message[range].dropFirst(5))
        }
        if let range = message.range(of: #"character (\d+)"#, options: .regularExpression), let offset = Int(message[range].dropFirst(10)) {
            return text.utf8.prefix(offset).filter { $0 == 0x0A }.count + 1
        }
        return nil
    }

    static func jsonProblem(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(path(context.codingPath))"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be \(expected(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is empty; it must be \(expected(type))"
        case .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }

    /// What a field must hold, in words ("a whole number", not "Int").
    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "text"
        case is Double.Type: return "a number"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping (key: value)" }
            return "of the kind the README's rubric schema shows"
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
