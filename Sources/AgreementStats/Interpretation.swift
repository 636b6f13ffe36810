/// Words for a coefficient's size.
///
///     Interpretation.kappa(0.43)   // "moderate"  (Landis and Koch 1977)
///     Interpretation.alpha(0.70)   // "tentative" (Krippendorff: 0.667 <= alpha < 0.8)
public enum Interpretation {
    /// Landis and Koch's (1977) bands for kappa-type coefficients.
    public static func kappa(_ value: Double) -> String {
        switch value {
        case ..<0: return "poor"
        case ...0.20: return "slight"
        case ...0.40: return "fair"
        case ...0.60: return "moderate"
        case ...0.80: return "substantial"
        default: return "almost perfect"
        }
    }

    /// Krippendorff's thresholds: 0.8 for conclusions, 0.667 the lowest for tentative ones.
    public static func alpha(_ value: Double) -> String {
        switch value {
        case 0.8...: return "reliable"
        case 0.667...: return "tentative"
        default: return "unreliable"
        }
    }
}
