/// A coefficient's value, or why it has none. Never NaN: a 0/0 (everyone used one category, no item rated
/// twice) is `undefined` with a reason a person can read.
///
///     Estimate.defined(0.43).value        // 0.43
///     Estimate.undefined("no item was rated twice").value  // nil
public enum Estimate: Equatable, Sendable {
    case defined(Double)
    case undefined(String)

    public var value: Double? {
        if case .defined(let value) = self { return value }
        return nil
    }

    public var reason: String? {
        if case .undefined(let reason) = self { return reason }
        return nil
    }

    /// `(numerator) / (denominator)`, undefined with `reason` when the denominator is zero (or not finite).
    static func ratio(_ numerator: Double, _ denominator: Double, else reason: String) -> Estimate {
        guard denominator != 0, denominator.isFinite, numerator.isFinite else { return .undefined(reason) }
        let value = numerator / denominator
        return value.isFinite ? .defined(value) : .undefined(reason)
    }

    /// The usual chance-corrected form `(observed - chance) / (1 - chance)`.
    static func chanceCorrected(observed: Double, chance: Double, else reason: String) -> Estimate {
        // Chance agreement of 1 (up to rounding) means there is nothing left to correct for.
        guard 1 - chance > 1e-12 else { return .undefined(reason) }
        return ratio(observed - chance, 1 - chance, else: reason)
    }
}
