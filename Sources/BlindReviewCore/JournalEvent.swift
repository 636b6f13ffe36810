import Foundation

/// The first line of every journal: which study (by hash) and which annotator it belongs to, and (for a judge or
/// an adjudicator) of what kind; a header without `kind` is a person's.
///
///     {"annotator":"alice","schema":1,"study":"demo","study_sha256":"9f2c…","type":"header"}
///     {"annotator":"gpt4","kind":"judge","schema":1,"study":"demo","study_sha256":"9f2c…","type":"header"}
public struct JournalHeader: Codable, Equatable, Sendable {
    /// The schema of a person's (and an adjudicator's) journal: 1, unchanged since the first release.
    public static let schemaVersion = 1
    /// The schema of a judge's journal: 2, which adds `error` events (a verdict the judge could not give). An
    /// older blindreview refuses it naming both versions instead of misreading it; people's journals stay at 1.
    public static let judgeSchemaVersion = 2
    /// The newest schema this blindreview reads.
    public static let newestSchemaVersion = 2

    public var type: String
    public var schema: Int
    public var study: String
    public var studySHA256: String
    public var annotator: String
    public var created: String?
    /// nil for a person (never written for one, so people's journals read the same as before kinds existed).
    public var kind: AnnotatorKind?

    enum CodingKeys: String, CodingKey {
        case type, schema, study
        case studySHA256 = "study_sha256"
        case annotator, created, kind
    }

    public init(study: String, studySHA256: String, annotator: String, created: String?, kind: AnnotatorKind? = nil) {
        type = "header"
        schema = kind == .judge ? JournalHeader.judgeSchemaVersion : JournalHeader.schemaVersion
        self.study = study
        self.studySHA256 = studySHA256
        self.annotator = annotator
        self.created = created
        self.kind = kind == .human ? nil : kind
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
        /// A judge's verdict that could not be had, kept and counted rather than dropped: `option` says whose
        /// failure it was (``JudgeErrorSource``: `judge`, the judge's own verdict was "error"; `command`, the judge
        /// command failed, timed out or printed no verdict) and `text` the details. It takes the place of the
        /// slot's preference (a later preference replaces it). Only in judge journals (schema 2).
        ///
        ///     {"item":"p1","option":"command","seq":9,"slot":3,"t":"…","text":"exit status 2: rate limited","type":"error"}
        case error
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

    /// A judge's failed verdict for a slot (see ``Kind/error``).
    public static func verdictError(slot: Int, item: String, source: JudgeErrorSource, details: String) -> JournalEvent {
        JournalEvent(type: .error, slot: slot, item: item, option: source.rawValue, text: details)
    }

    public var isChange: Bool { type == .rating || type == .preference || type == .note || type == .flag || type == .error }
}

/// Whose failure a judge's `error` event records.
public enum JudgeErrorSource: String, Codable, CaseIterable, Sendable {
    /// The judge answered, but its verdict was "error" (FastChat writes it when the verdict cannot be parsed).
    case judge
    /// The judge command failed: a nonzero exit, a timeout, a signal, or output that is not a verdict.
    case command
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
