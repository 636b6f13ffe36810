/// The limits every reader enforces, in one place (the README lists them). Exceeding one is a named error
/// with the file and line, never a crash; files themselves are streamed or read whole but have no size limit.
public enum InputLimits {
    /// The longest line in any JSONL or CSV input (a single-line 5 MB response passes easily).
    public static let maxLineBytes = 64 << 20
    /// Nesting depth of a rubric (YAML or JSON), checked before parsing.
    public static let maxRubricDepth = 64
    /// Criteria in a rubric, options of its preference.
    public static let maxCriteria = 100
    public static let maxOptions = 20
    /// Annotators in a study.
    public static let maxAnnotators = 1_000
    /// Turns in one conversation.
    public static let maxTurns = 1_000
    /// Journal event numbers (far above any real session, far below integer overflow).
    public static let maxEventNumber = 1 << 40
    /// Active seconds recorded for one visit of a pair (a year).
    public static let maxActiveSeconds = 31_536_000.0
    /// Bootstrap resamples for `agreement` and `report`.
    public static let maxBootstrap = 100_000
}
