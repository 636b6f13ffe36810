import Foundation

/// Every coefficient for one set of ratings, with notes on those that are undefined and, when asked,
/// bootstrap intervals. This is what `blindreview agreement` prints.
///
///     let summary = AgreementSummary.compute(data, level: .ordinal, bootstrap: 1000, seed: 1)
///     summary.coefficients["kripp_alpha_ordinal"]   // .defined(0.815)
public struct AgreementSummary: Sendable {
    public var level: MeasurementLevel
    public var items: Int
    public var raters: [String]
    public var ratings: Int
    public var categories: [String]
    /// The scalar coefficients by their JSON key, in ``AgreementSummary/keys`` order.
    public var coefficients: [String: Estimate]
    public var fleiss: FleissKappa
    public var pairs: [RaterPairAgreement]
    public var bootstrap: [String: BootstrapInterval]?
    public var bootstrapReplicates: Int?

    /// The scalar coefficients, in report order.
    public static let keys = [
        "percent_agreement_pairwise", "percent_agreement_unanimous", "fleiss_kappa", "fleiss_kappa_gwet",
        "conger_kappa", "kripp_alpha_nominal", "kripp_alpha_ordinal", "kripp_alpha_interval", "kripp_alpha_ratio",
        "gwet_ac1", "gwet_ac2_linear", "gwet_ac2_quadratic", "brennan_prediger", "cohen_kappa_mean_pairwise",
    ]

    public static let names: [String: String] = [
        "percent_agreement_pairwise": "Percent agreement (pairwise)",
        "percent_agreement_unanimous": "Percent agreement (unanimous)",
        "fleiss_kappa": "Fleiss' kappa",
        "fleiss_kappa_gwet": "Fleiss' kappa (Gwet, missing data)",
        "conger_kappa": "Conger's kappa",
        "kripp_alpha_nominal": "Krippendorff's alpha, nominal",
        "kripp_alpha_ordinal": "Krippendorff's alpha, ordinal",
        "kripp_alpha_interval": "Krippendorff's alpha, interval",
        "kripp_alpha_ratio": "Krippendorff's alpha, ratio",
        "gwet_ac1": "Gwet's AC1",
        "gwet_ac2_linear": "Gwet's AC2, linear weights",
        "gwet_ac2_quadratic": "Gwet's AC2, quadratic weights",
        "brennan_prediger": "Brennan-Prediger",
        "cohen_kappa_mean_pairwise": "Cohen's kappa, mean of pairs",
    ]

    /// Above this many raters the per-pair table (and Light's mean of pairs) is not computed: it grows with
    /// raters squared. The pooled coefficients still come out, in O(items x raters).
    public static let maxPairRaters = 200

    /// Each pair of raters costs a categories-squared table (three Cohen's kappas on it): the pair table is left
    /// out, with a note, when pairs x categories^2 would pass this many cells (e.g. 1,000 categories allow about
    /// 50 pairs of raters), so that no run takes minutes. The pooled coefficients are always computed.
    public static let maxPairTableCells = 50_000_000

    /// Whether the per-pair table is computed for these data.
    static func computesPairs(_ data: RatingData) -> Bool {
        let pairs = data.raterCount * (data.raterCount - 1) / 2
        let cells = Double(pairs) * Double(data.categories.count) * Double(data.categories.count)
        return data.raterCount <= maxPairRaters && cells <= Double(maxPairTableCells)
    }

    public static func compute(_ data: RatingData, level: MeasurementLevel, bootstrap replicates: Int? = nil, seed: UInt64 = 0) -> AgreementSummary {
        let pairs = computesPairs(data) ? RaterPairAgreement.all(data, level: level) : []
        let coefficients = scalars(data, level: level, multiplicity: data.multiplicity)
        var intervals: [String: BootstrapInterval]?
        if let replicates, replicates > 0 {
            intervals = PercentileBootstrap.intervals(data, replicates: replicates, seed: seed) { multiplicity in
                scalars(data, level: level, multiplicity: multiplicity)
            }
        }
        return AgreementSummary(
            level: level, items: data.itemCount, raters: data.raters, ratings: data.ratingCount, categories: data.categories,
            coefficients: coefficients, fleiss: FleissKappa.compute(data), pairs: pairs, bootstrap: intervals,
            bootstrapReplicates: replicates)
    }

    /// Light's kappa: the mean of the pairs' Cohen's kappas that are defined.
    static func meanPairwiseKappa(_ data: RatingData, multiplicity m: [Double]) -> Estimate {
        guard computesPairs(data) else {
            return .undefined("not computed: \(data.raterCount) raters and \(data.categories.count) categories pass the pair-table limit (at most \(maxPairRaters) raters, pairs x categories^2 at most \(maxPairTableCells))")
        }
        var kappas: [Double] = []
        for a in 0..<data.raterCount {
            for b in (a + 1)..<max(a + 1, data.raterCount) {
                if let kappa = CohenKappa.compute(ContingencyTable(data, first: a, second: b, multiplicity: m)).kappa.value {
                    kappas.append(kappa)
                }
            }
        }
        guard !kappas.isEmpty else {
            return .undefined(data.raterCount < 2 ? "needs two or more raters" : "no pair of raters has a defined Cohen's kappa")
        }
        return .defined(kappas.reduce(0, +) / Double(kappas.count))
    }

    /// Every scalar coefficient, for the estimate and for each bootstrap resample.
    static func scalars(_ data: RatingData, level: MeasurementLevel, multiplicity m: [Double]) -> [String: Estimate] {
        let values = data.scaleValues
        let needs = { (minimum: MeasurementLevel) -> String in
            "not applicable: needs level \(minimum.rawValue) or above, the data are \(level.rawValue)"
        }
        var result: [String: Estimate] = [
            "percent_agreement_pairwise": PercentAgreement.pairwise(data, multiplicity: m),
            "percent_agreement_unanimous": PercentAgreement.unanimous(data, multiplicity: m),
            "fleiss_kappa": FleissKappa.compute(data, multiplicity: m).kappa,
            "fleiss_kappa_gwet": GwetFleissKappa.compute(data, multiplicity: m),
            "conger_kappa": CongerKappa.compute(data, multiplicity: m),
            "kripp_alpha_nominal": KrippendorffAlpha.compute(data, level: .nominal, multiplicity: m),
            "gwet_ac1": GwetAC.compute(data, weights: .identity(count: data.categoryCount), multiplicity: m),
            "brennan_prediger": BrennanPrediger.compute(data, multiplicity: m),
            "cohen_kappa_mean_pairwise": meanPairwiseKappa(data, multiplicity: m),
        ]
        for (key, minimum) in [("kripp_alpha_ordinal", MeasurementLevel.ordinal), ("kripp_alpha_interval", .interval), ("kripp_alpha_ratio", .ratio)] {
            result[key] = level >= minimum ? KrippendorffAlpha.compute(data, level: minimum, multiplicity: m) : .undefined(needs(minimum))
        }
        if level >= .ordinal {
            result["gwet_ac2_linear"] = GwetAC.compute(data, weights: .linear(values: values), multiplicity: m)
            result["gwet_ac2_quadratic"] = GwetAC.compute(data, weights: .quadratic(values: values), multiplicity: m)
        } else {
            result["gwet_ac2_linear"] = .undefined(needs(.ordinal))
            result["gwet_ac2_quadratic"] = .undefined(needs(.ordinal))
        }
        return result
    }

    /// "key: reason" for every undefined value, in report order.
    public var notes: [String] {
        var notes = AgreementSummary.keys.compactMap { key in coefficients[key]?.reason.map { "\(key): \($0)" } }
        let pairCount = raters.count * (raters.count - 1) / 2
        if raters.count > AgreementSummary.maxPairRaters || Double(pairCount) * Double(categories.count * categories.count) > Double(AgreementSummary.maxPairTableCells) {
            notes.append("pairs: the per-pair table is not computed for \(raters.count) raters and \(categories.count) categories (at most \(AgreementSummary.maxPairRaters) raters, and pairs x categories^2 at most \(AgreementSummary.maxPairTableCells))")
        }
        for pair in pairs {
            let label = "\(pair.raters.0)/\(pair.raters.1)"
            if let reason = pair.cohen.kappa.reason { notes.append("cohen_kappa \(label): \(reason)") }
        }
        if let bootstrap {
            for key in AgreementSummary.keys {
                if let interval = bootstrap[key], interval.defined < interval.replicates, interval.defined > 0 {
                    notes.append("bootstrap \(key): defined in \(interval.defined) of \(interval.replicates) resamples")
                }
            }
        }
        return notes
    }
}
