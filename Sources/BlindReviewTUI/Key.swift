import BlindReviewCore

/// A key press, as the terminal backend reports it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case tab, backTab
    case pageUp, pageDown, home, end
    case enter, escape, backspace, delete
    /// Ctrl-C (the terminal is in raw mode, so it arrives as a key, not a signal).
    case interrupt
    /// Text pasted in one go (bracketed paste): never read as keys.
    case paste(String)
}

/// Everything that can happen to the UI. `time` is seconds since the epoch, for the active-time count.
public enum Message: Sendable {
    case key(Key, time: Double)
    case resize(width: Int, height: Int)
    case tick(time: Double)
    /// The journal has this event, written and fsynced: only now does the screen show it.
    case saved(JournalEventRecord)
    /// Writing failed; nothing after the last saved change was kept.
    case saveFailed(String)
    /// Writing failed (`reason`, e.g. "No space left on device") and the journal was cut back: `effects` (the
    /// failed write and those queued after it) stay pending and are retried on `s` or the next key.
    case notSaved(reason: String, effects: [Effect])
    /// The journal was reloaded from disk (it had been replaced and was merged) at `time`: show `journal`, say
    /// `notice` and hold it on screen for ``AnnotationState/noticeSeconds``.
    case journalReloaded(JournalState, notice: String, time: Double)
    /// The lead amended the study (``AmendmentLog``): the effective study, its pairs, and the journal's state
    /// with room for any appended slots. Sent by the runtime at `time`, when it notices the log changed; what
    /// changed is said in one line held like a reload's notice.
    case studyAmended(Study, items: StudyItems, journal: JournalState, time: Double)
}

/// What `update` asks the runtime to do; the runtime answers with `.saved` or `.saveFailed`.
public enum Effect: Equatable, Sendable {
    case append(JournalEventRecord)
    case undo
    case quit
}

/// A journal event as the UI sends it (the writer numbers and timestamps it).
public typealias JournalEventRecord = JournalEvent
