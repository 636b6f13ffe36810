/// Why an annotator flagged a pair for the lead: it is broken, a duplicate, offensive, or they are unsure.
/// A flag is a journal change like a score (`{"type":"flag","option":"broken","text":"cut off mid-word"}`;
/// no `option` clears it), so it can be undone; `report` lists flagged pairs and `export --exclude-flagged`
/// leaves them out.
public enum PairFlag: String, CaseIterable, Sendable {
    case broken, duplicate, offensive, unsure

    /// The key that picks this reason in the flag dialog.
    public var key: Character {
        switch self {
        case .broken: "b"
        case .duplicate: "d"
        case .offensive: "o"
        case .unsure: "u"
        }
    }
}
