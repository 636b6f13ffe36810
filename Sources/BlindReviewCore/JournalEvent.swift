import Foundation

/// The first line of every journal: which study (by hash) and which annotator it belongs to.
///
///     {"annotator":"alice","schema":1,"study":"demo","study_sha256":"9f2c…","type":"header"}
public struct JournalHeader: Codable, Equatable, Sendable {
    public static let schemaVersion = 1

    public var type: String
    public var schema: Int
    public var study: String
    public var studySHA256: String
    public var annotator: String
    public var created: String?

    enum CodingKeys: String, CodingKey {
        case type, schema, study
        case studySHA256 = "study_sha256"
        case annotator, created
    }

    public init(study: String, studySHA256: String, annotator: String, created: String?) {
        type = "header"
        schema = JournalHeader.schemaVersion
        self.study = study
        self.studySHA256 = studySHA256
        self.annotator = annotator
        self.created = created
    }
}

/// One line after the header. `slot` is the position in the annotator's queue (a hidden repeat has its own slot);
/// `item` repeats the pair id so the file reads on its own; ratings name the response id, never a side.
///
///     {"criterion":"accuracy","item":"q7","response":"r3c9a01","seq":4,"slot":2,"t":"2026-11-22T21:40:03.120Z","type":"rating","value":4}
///     {"item":"q7","option":"b","seq":5,"slot":2,"t":"…","type":"preference"}
///     {"item":"q7","option":"broken","seq":6,"slot":2,"t":"…","text":"cut off","type":"flag"}
///     {"seq":7,"t":"…","target":6,"type":"undo"}
public struct JournalEvent: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// A criterion score for one response; no `value` clears it.
        case rating
        /// The overall preference (a rubric option id); no `option` clears it.
        case preference
        /// The free-text note; no `text` clears it.
        case note
        /// Flags the pair for the lead (`option`: a ``PairFlag``, `text`: an optional note); no `option` clears it.
        case flag
        /// Takes back the change event whose `seq` is `target`.
        case undo
        /// The annotator opened the slot.
        case open
        /// The annotator left the slot, after `active_seconds` of active time.
        case leave
    }

    public var seq: Int
    public var t: String
    public var type: Kind
    public var slot: Int?
    public var item: String?
    public var response: String?
    public var criterion: String?
    public var value: Int?
    public var option: String?
    public var text: String?
    public var target: Int?
    public var activeSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case seq, t, type, slot, item, response, criterion, value, option, text, target
        case activeSeconds = "active_seconds"
    }

    public init(
        seq: Int = 0, t: String = "", type: Kind, slot: Int? = nil, item: String? = nil, response: String? = nil,
        criterion: String? = nil, value: Int? = nil, option: String? = nil, text: String? = nil, target: Int? = nil,
        activeSeconds: Double? = nil
    ) {
        self.seq = seq
        self.t = t
        self.type = type
        self.slot = slot
        self.item = item
        self.response = response
        self.criterion = criterion
        self.value = value
        self.option = option
        self.text = text
        self.target = target
        self.activeSeconds = activeSeconds
    }

    public static func rating(slot: Int, item: String, response: String, criterion: String, value: Int?) -> JournalEvent {
        JournalEvent(type: .rating, slot: slot, item: item, response: response, criterion: criterion, value: value)
    }

    public static func preference(slot: Int, item: String, option: String?) -> JournalEvent {
        JournalEvent(type: .preference, slot: slot, item: item, option: option)
    }

    public static func note(slot: Int, item: String, text: String?) -> JournalEvent {
        JournalEvent(type: .note, slot: slot, item: item, text: text)
    }

    public static func flag(slot: Int, item: String, reason: PairFlag?, note: String?) -> JournalEvent {
        JournalEvent(type: .flag, slot: slot, item: item, option: reason?.rawValue, text: note)
    }

    public var isChange: Bool { type == .rating || type == .preference || type == .note || type == .flag }
}

/// Timestamps as written in journals: UTC ISO 8601 with milliseconds.
public enum JournalTime {
    /// `2026-11-22T10:00:00.123Z`: what `ISO8601DateFormatter` writes with fractional seconds in UTC, made by
    /// hand from the calendar fields (a formatter per event made `import` of 50,000 rows take a minute).
    public static func string(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        var milliseconds = Int(((seconds - Double(whole)) * 1000).rounded())
        if milliseconds >= 1000 { whole += 1; milliseconds -= 1000 }
        var parts = tm()
        gmtime_r(&whole, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(parts.tm_year + 1900)
        let millis = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + two(parts.tm_mon + 1) + "-" + two(parts.tm_mday)
            + "T" + two(parts.tm_hour) + ":" + two(parts.tm_min) + ":" + two(parts.tm_sec) + "." + millis + "Z"
    }

    public static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
