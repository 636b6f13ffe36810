/// How the values of a rating scale relate (Stevens' levels). Each coefficient needs at least some level:
/// weighted kappas, AC2 and ordinal alpha need an ordered scale; interval alpha numbers; ratio alpha a true zero.
public enum MeasurementLevel: String, CaseIterable, Comparable, Sendable {
    case nominal, ordinal, interval, ratio

    var rank: Int { MeasurementLevel.allCases.firstIndex(of: self)! }

    public static func < (lhs: MeasurementLevel, rhs: MeasurementLevel) -> Bool { lhs.rank < rhs.rank }
}
