import AgreementStats

/// The report's verdict words: one scale per family of numbers, the same words in every format.
///
/// - Chance-corrected agreement (Fleiss', Cohen's and weighted kappa, Krippendorff's alpha, Gwet's AC1/AC2, all
///   of them): Krippendorff's bands (Krippendorff 2004, "Content Analysis", 2nd ed., section 11.4.4): "reliable"
///   from 0.800, "tentative" from 0.667, "unreliable" below. (Landis and Koch's "substantial" for 0.62 and
///   Krippendorff's "unreliable" for the same 0.62 side by side contradicted each other; the report uses one.)
/// - Tests: "significant" when the Holm-adjusted p-value within its family is below 0.05, else "not significant".
///
///     VerdictScale.agreement(0.62)   // "unreliable"
///     VerdictScale.test(0.012)       // "significant"
public enum VerdictScale {
    public static func agreement(_ value: Double?) -> String {
        guard let value else { return "undefined" }
        return Interpretation.alpha(value)
    }

    public static func test(_ adjustedP: Double?) -> String {
        guard let adjustedP else { return "no test" }
        return adjustedP < 0.05 ? "significant" : "not significant"
    }
}
