import Foundation

/// The loader's fast lane: reads one journal line straight against the annotator's plan and the rubric, and returns
/// an event that already passed every check of ``JournalLoader`` and whose ids are the plan's and the rubric's
/// own strings (no string is made for a pair, response, criterion or option id, nor for a time shared with the
/// line before). Numbers are read from the bytes without making text.
///
/// It only takes the lines ``JournalWriter`` writes in the usual case (each key once, no escapes in ids, integers
/// in plain digits). For anything else, including every line that is wrong, it returns nil and the loader reads
/// the line the general way (``JournalLineParser``, then `JSONDecoder`), which refuses a bad line with its file
/// and line exactly as before. So an event from here is always the event the general way gives.
///
///     var reader = JournalPlanLineReader(plan: plan, rubric: study.rubric)
///     let event = reader.read(Array(#"{"item":"q1","option":"a","seq":2,"slot":0,"t":"…","type":"preference"}"#.utf8)[...])
struct JournalPlanLineReader {
    let plan: AnnotatorPlan
    /// The rubric's criteria with their ids' bytes.
    private let criteria: [(id: String, bytes: [UInt8], scores: ClosedRange<Int>)]
    /// The rubric's preference option ids and the flag reasons, with their bytes.
    private let options: [(id: String, bytes: [UInt8])]
    private let flags: [(id: String, bytes: [UInt8])]
    /// The time of the line before, kept so that lines written together share one string.
    private var previousTime = ""
    private var previousTimeBytes: [UInt8] = []

    init(plan: AnnotatorPlan, rubric: Rubric) {
        self.plan = plan
        criteria = rubric.criteria.map { ($0.id, Array($0.id.utf8), $0.scores) }
        options = rubric.preference.options.map { ($0.id, Array($0.id.utf8)) }
        flags = PairFlag.allCases.map { ($0.rawValue, Array($0.rawValue.utf8)) }
    }

    /// The keys a journal line may carry, as bits (a key seen twice sends the line the general way).
    private enum Key: Int {
        case seq, t, type, slot, item, response, criterion, value, option, text, target, activeSeconds
    }

    /// The event on `bytes`, checked against the plan and rubric; nil when the line needs the general reader.
    mutating func read(_ line: ArraySlice<UInt8>) -> JournalEvent? {
        line.withUnsafeBufferPointer { read(buffer: $0) }
    }

    private mutating func read(buffer bytes: UnsafeBufferPointer<UInt8>) -> JournalEvent? {
        guard let base = bytes.baseAddress else { return nil }
        var i = 0
        let end = bytes.count
        var seen = 0
        var seq: Int?, slot: Int?, target: Int?, value: Int?, activeSeconds: Double?
        var kind: JournalEvent.Kind?
        var t: Range<Int>?, item: Range<Int>?, response: Range<Int>?, criterion: Range<Int>?, option: Range<Int>?
        var text: String?

        func skipSpace() { while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
        /// A string without escapes or control characters: its byte range (quotes excluded).
        func plainString() -> Range<Int>? {
            skipSpace()
            guard i < end, bytes[i] == 0x22 else { return nil }
            i += 1
            let start = i
            while i < end, bytes[i] != 0x22 {
                if bytes[i] == 0x5C || bytes[i] < 0x20 { return nil }
                i += 1
            }
            guard i < end else { return nil }
            i += 1
            return start..<(i - 1)
        }
        /// An integer written as digits with an optional minus; nil for anything else (the general reader decides).
        func integer() -> Int? {
            skipSpace()
            var negative = false
            if i < end, bytes[i] == 0x2D { negative = true; i += 1 }
            let start = i
            var result = 0
            while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                guard i - start < 18 else { return nil }
                result = result * 10 + Int(bytes[i] - 0x30)
                i += 1
            }
            guard i > start else { return nil }
            if i < end, bytes[i] == 0x2E || bytes[i] == 0x65 || bytes[i] == 0x45 || bytes[i] == 0x2B || bytes[i] == 0x2D { return nil }
            return negative ? -result : result
        }
        func isNull() -> Bool {
            skipSpace()
            if end - i >= 4, bytes[i] == 0x6E, bytes[i + 1] == 0x75, bytes[i + 2] == 0x6C, bytes[i + 3] == 0x6C {
                i += 4
                return true
            }
            return false
        }
        func equal(_ range: Range<Int>, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
            range.count == other.count && (other.count == 0 || memcmp(base + range.lowerBound, other.baseAddress!, other.count) == 0)
        }
        func equal(_ range: Range<Int>, _ other: [UInt8]) -> Bool {
            other.withUnsafeBufferPointer { equal(range, $0) }
        }
        func equal(_ range: Range<Int>, _ other: String) -> Bool {
            var other = other
            return other.withUTF8 { equal(range, $0) }
        }
        func key() -> Key? {
            guard let range = plainString() else { return nil }
            let n = range.count, s = range.lowerBound
            switch n {
            case 1: return bytes[s] == 0x74 ? .t : nil
            case 3: return equal(range, Self.seqKey) ? .seq : nil
            case 4:
                if equal(range, Self.typeKey) { return .type }
                if equal(range, Self.slotKey) { return .slot }
                if equal(range, Self.itemKey) { return .item }
                if equal(range, Self.textKey) { return .text }
                return nil
            case 5: return equal(range, Self.valueKey) ? .value : nil
            case 6:
                if equal(range, Self.optionKey) { return .option }
                if equal(range, Self.targetKey) { return .target }
                return nil
            case 8: return equal(range, Self.responseKey) ? .response : nil
            case 9: return equal(range, Self.criterionKey) ? .criterion : nil
            case 14: return equal(range, Self.activeSecondsKey) ? .activeSeconds : nil
            default: return nil
            }
        }

        skipSpace()
        guard i < end, bytes[i] == 0x7B else { return nil }
        i += 1
        while true {
            guard let key = key() else { return nil }
            let bit = 1 << key.rawValue
            guard seen & bit == 0 else { return nil }
            seen |= bit
            skipSpace()
            guard i < end, bytes[i] == 0x3A else { return nil }
            i += 1
            switch key {
            case .seq: guard let n = integer() else { return nil }; seq = n
            case .slot: if !isNull() { guard let n = integer() else { return nil }; slot = n }
            case .target: if !isNull() { guard let n = integer() else { return nil }; target = n }
            case .value: if !isNull() { guard let n = integer() else { return nil }; value = n }
            case .activeSeconds:
                // Read as the general reader does: an integer or a decimal.
                if !isNull() {
                    skipSpace()
                    let start = i
                    var isDouble = false
                    while i < end, (bytes[i] >= 0x30 && bytes[i] <= 0x39) || bytes[i] == 0x2D || bytes[i] == 0x2B || bytes[i] == 0x2E || bytes[i] == 0x65 || bytes[i] == 0x45 {
                        if bytes[i] == 0x2E || bytes[i] == 0x65 || bytes[i] == 0x45 { isDouble = true }
                        i += 1
                    }
                    guard i > start else { return nil }
                    let token = String(decoding: bytes[start..<i], as: UTF8.self)
                    if isDouble {
                        guard let number = Double(token) else { return nil }
                        activeSeconds = number
                    } else {
                        guard let number = Int(token) else { return nil }
                        activeSeconds = Double(number)
                    }
                }
            case .t: guard let range = plainString() else { return nil }; t = range
            case .type:
                guard let range = plainString() else { return nil }
                kind = Self.kinds.first { equal(range, $0.bytes) }?.kind
                guard kind != nil else { return nil }
            case .item: if !isNull() { guard let range = plainString() else { return nil }; item = range }
            case .response: if !isNull() { guard let range = plainString() else { return nil }; response = range }
            case .criterion: if !isNull() { guard let range = plainString() else { return nil }; criterion = range }
            case .option: if !isNull() { guard let range = plainString() else { return nil }; option = range }
            case .text:
                // Notes may hold anything: escapes are undone as the general reader does.
                if !isNull() {
                    skipSpace()
                    guard i < end, bytes[i] == 0x22 else { return nil }
                    i += 1
                    let start = i
                    var plain = true
                    while i < end, bytes[i] != 0x22 {
                        if bytes[i] == 0x5C { plain = false; i += 2; continue }
                        if bytes[i] < 0x20 { return nil }
                        i += 1
                    }
                    guard i < end else { return nil }
                    text = plain ? String(decoding: bytes[start..<i], as: UTF8.self) : JournalLineParser.unescape(ArraySlice(bytes[start..<i]))
                    i += 1
                    guard text != nil else { return nil }
                }
            }
            skipSpace()
            guard i < end else { return nil }
            if bytes[i] == 0x2C { i += 1; continue }
            if bytes[i] == 0x7D { i += 1; break }
            return nil
        }
        skipSpace()
        guard i == end, let kind, let seq else { return nil }
        // A line without `t` is read with an empty time, as the general reader does.
        guard kind != .error else { return nil }

        var event = JournalEvent(seq: seq, type: kind, slot: slot, value: value, target: target, activeSeconds: activeSeconds)
        if let t {
            if equal(t, previousTimeBytes) {
                event.t = previousTime
            } else {
                previousTimeBytes = Array(bytes[t])
                previousTime = String(decoding: previousTimeBytes, as: UTF8.self)
                event.t = previousTime
            }
        }
        event.text = text
        // The checks of JournalLoader.check; any doubt goes the general way, which gives the error.
        if kind == .undo {
            guard target != nil, item == nil || slot != nil else { return nil }
            if let slot {
                guard plan.queue.indices.contains(slot) else { return nil }
                if let item { guard equal(item, plan.queue[slot].item) else { return nil }; event.item = plan.queue[slot].item }
            }
            guard response == nil, criterion == nil, option == nil else { return nil }
            return event
        }
        guard let slot, plan.queue.indices.contains(slot) else { return nil }
        let entry = plan.queue[slot]
        if let item {
            guard equal(item, entry.item) else { return nil }
            event.item = entry.item
        }
        if let response {
            if equal(response, entry.a) { event.response = entry.a } else if equal(response, entry.b) { event.response = entry.b } else { return nil }
        }
        var scores: ClosedRange<Int>?
        if let criterion {
            guard let found = criteria.first(where: { equal(criterion, $0.bytes) }) else { return nil }
            event.criterion = found.id
            scores = found.scores
        }
        if let option {
            switch kind {
            case .preference:
                guard let found = options.first(where: { equal(option, $0.bytes) }) else { return nil }
                event.option = found.id
            case .flag:
                guard let found = flags.first(where: { equal(option, $0.bytes) }) else { return nil }
                event.option = found.id
            default:
                event.option = String(decoding: bytes[option], as: UTF8.self)
            }
        }
        if kind == .rating {
            guard event.response != nil, let scores else { return nil }
            if let value { guard scores.contains(value) else { return nil } }
        }
        return event
    }

    private static let seqKey = Array("seq".utf8), typeKey = Array("type".utf8), slotKey = Array("slot".utf8)
    private static let itemKey = Array("item".utf8), textKey = Array("text".utf8), valueKey = Array("value".utf8)
    private static let optionKey = Array("option".utf8), targetKey = Array("target".utf8)
    private static let responseKey = Array("response".utf8), criterionKey = Array("criterion".utf8)
    private static let activeSecondsKey = Array("active_seconds".utf8)
    private static let kinds: [(kind: JournalEvent.Kind, bytes: [UInt8])] = [
        JournalEvent.Kind.rating, .preference, .note, .flag, .undo, .open, .leave, .error,
    ].map { ($0, Array($0.rawValue.utf8)) }
}
