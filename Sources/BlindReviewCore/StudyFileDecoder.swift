import Foundation

/// Reads `study.json` by hand when it has the plain shape blindreview writes (the fields of ``Study``, strings
/// without escapes, whole numbers), several times faster than `JSONDecoder` on 50,000 queue slots (the
/// annotation UI's launch). Anything else (an escape, `null`, an unknown or repeated field, a number with a
/// fraction, invalid UTF-8, trailing bytes) gives nil, and the caller decodes with `JSONDecoder`, so every
/// error message and every odd but valid file reads as before. The rubric is always decoded by `JSONDecoder`.
///
///     let study = StudyFileDecoder.decode(data) ?? (try JSONDecoder().decode(Study.self, from: data))
enum StudyFileDecoder {
    static func decode(_ data: Data) -> Study? {
        data.withUnsafeBytes { raw -> Study? in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            return reader.study()
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        /// A string without escapes or control characters, as valid UTF-8.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = at
            while at < bytes.count {
                let byte = bytes[at]
                if byte == 0x22 { break }
                if byte == 0x5C || byte < 0x20 { return nil }
                at += 1
            }
            guard at < bytes.count else { return nil }
            let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            at += 1
            return text
        }

        /// A whole number (no fraction or exponent) that fits an Int.
        mutating func integer() -> Int? {
            skipSpace()
            let start = at
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
            let digits = at
            while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 { at += 1 }
            guard at > digits, at - digits <= 18 else { return nil }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") || bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") { return nil }
            return Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self))
        }

        mutating func bool() -> Bool? {
            skipSpace()
            for (word, value) in [("true", true), ("false", false)] {
                let utf8 = Array(word.utf8)
                if at + utf8.count <= bytes.count, Array(bytes[at..<(at + utf8.count)]) == utf8 {
                    at += utf8.count
                    return value
                }
            }
            return nil
        }

        /// Reads `{ "key": value, ... }`, calling `member` for each key (which reads the value); false when
        /// the object is malformed, a key repeats, or `member` refuses.
        mutating func object(_ member: (inout Reader, String) -> Bool) -> Bool {
            guard take(UInt8(ascii: "{")) else { return false }
            var seen = Set<String>()
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                guard let key = string(), seen.insert(key).inserted, take(UInt8(ascii: ":")), member(&self, key) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}"))
        }

        mutating func array(_ element: (inout Reader) -> Bool) -> Bool {
            guard take(UInt8(ascii: "[")) else { return false }
            if take(UInt8(ascii: "]")) { return true }
            repeat {
                guard element(&self) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]"))
        }

        /// The bytes of any one JSON value (for the rubric, which `JSONDecoder` then reads).
        mutating func rawValue() -> Range<Int>? {
            skipSpace()
            let start = at
            var depth = 0
            var inString = false
            while at < bytes.count {
                let byte = bytes[at]
                at += 1
                if inString {
                    if byte == 0x5C { at += 1 } else if byte == 0x22 { inString = false }
                    if depth == 0 && !inString { return start..<at }
                    continue
                }
                switch byte {
                case 0x22: inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return start..<at }
                    if depth < 0 { return nil }
                case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
                    if depth == 0 { at -= 1; return at > start ? start..<at : nil }
                default: break
                }
            }
            return depth == 0 && !inString && at > start ? start..<at : nil
        }

        mutating func queueEntry() -> QueueEntry? {
            var item: String?, a: String?, b: String?, legacyRepeat: Bool?
            let ok = object { reader, key in
                switch key {
                case "a": a = reader.string(); return a != nil
                case "b": b = reader.string(); return b != nil
                case "item": item = reader.string(); return item != nil
                case "repeat": legacyRepeat = reader.bool(); return legacyRepeat != nil
                default: return false
                }
            }
            guard ok, let item, let a, let b else { return nil }
            var entry = QueueEntry(item: item, a: a, b: b)
            entry.legacyRepeat = legacyRepeat
            return entry
        }

        mutating func plan() -> AnnotatorPlan? {
            var name: String?, kind: AnnotatorKind?, queue: [QueueEntry]?
            let ok = object { reader, key in
                switch key {
                case "name": name = reader.string(); return name != nil
                case "kind":
                    kind = reader.string().flatMap(AnnotatorKind.init(rawValue:))
                    return kind != nil
                case "queue":
                    var entries: [QueueEntry] = []
                    let read = reader.array { reader in
                        guard let entry = reader.queueEntry() else { return false }
                        entries.append(entry)
                        return true
                    }
                    queue = entries
                    return read
                default: return false
                }
            }
            guard ok, let name, let queue else { return nil }
            var plan = AnnotatorPlan(name: name, queue: queue)
            plan.kind = kind  // kept as written (the decoder keeps "human" too)
            return plan
        }

        mutating func strings() -> [String]? {
            var out: [String] = []
            let ok = array { reader in
                guard let text = reader.string() else { return false }
                out.append(text)
                return true
            }
            return ok ? out : nil
        }

        mutating func study() -> Study? {
            var schemaVersion: Int?, name: String?, rubric: Rubric?, rubricSHA256: String?, studyID: String?
            var legacyKeySHA256: String?, itemIDs: [String]?, itemsSHA256: String?, annotators: [AnnotatorPlan]?
            var redacted: Bool?, guidelinesSHA256: String?
            let ok = object { reader, key in
                switch key {
                case "schema_version": schemaVersion = reader.integer(); return schemaVersion != nil
                case "name": name = reader.string(); return name != nil
                case "rubric":
                    guard let range = reader.rawValue() else { return false }
                    rubric = try? JSONDecoder().decode(Rubric.self, from: Data(UnsafeBufferPointer(rebasing: reader.bytes[range])))
                    return rubric != nil
                case "rubric_sha256": rubricSHA256 = reader.string(); return rubricSHA256 != nil
                case "study_id": studyID = reader.string(); return studyID != nil
                case "key_sha256": legacyKeySHA256 = reader.string(); return legacyKeySHA256 != nil
                case "item_ids": itemIDs = reader.strings(); return itemIDs != nil
                case "items_sha256": itemsSHA256 = reader.string(); return itemsSHA256 != nil
                case "annotators":
                    var plans: [AnnotatorPlan] = []
                    let read = reader.array { reader in
                        guard let plan = reader.plan() else { return false }
                        plans.append(plan)
                        return true
                    }
                    annotators = plans
                    return read
                case "redacted": redacted = reader.bool(); return redacted != nil
                case "guidelines_sha256": guidelinesSHA256 = reader.string(); return guidelinesSHA256 != nil
                default: return false
                }
            }
            skipSpace()
            guard ok, at == bytes.count, let schemaVersion, let name, let rubric, let rubricSHA256, let itemIDs, let itemsSHA256,
                  let annotators, let redacted
            else { return nil }
            var study = Study(name: name, studyID: "", rubric: rubric, itemIDs: itemIDs, itemsSHA256: itemsSHA256, annotators: annotators, redacted: redacted)
            study.schemaVersion = schemaVersion
            study.rubricSHA256 = rubricSHA256
            study.studyID = studyID
            study.legacyKeySHA256 = legacyKeySHA256
            study.guidelinesSHA256 = guidelinesSHA256
            return study
        }
    }
}
