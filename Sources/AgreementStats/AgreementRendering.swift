import Foundation

extension AgreementSummary {
    /// The JSON document of `blindreview agreement --format json` (keys documented in the README).
    public func json() -> OrderedJSON {
        var members: [(String, OrderedJSON)] = [
            ("items", .integer(items)), ("raters", .integer(raters.count)), ("ratings", .integer(ratings)),
            ("level", .string(level.rawValue)), ("categories", .array(categories.map(OrderedJSON.string))),
        ]
        for key in AgreementSummary.keys {
            members.append((key, .number(coefficients[key]?.value)))
            if key == "fleiss_kappa" {
                members.append(("fleiss_kappa_se0", .number(fleiss.se0)))
                members.append(("fleiss_kappa_z0", .number(fleiss.z0)))
                members.append(("fleiss_kappa_p", .number(fleiss.p)))
                members.append(("fleiss_kappa_per_category", .object(zip(categories, fleiss.perCategory).map { ($0, .number($1.value)) })))
            }
        }
        members.append(("rater_names", .array(raters.map(OrderedJSON.string))))
        members.append(("pairs", .array(pairs.map { pair in
            .object([
                ("raters", .array([.string(pair.raters.0), .string(pair.raters.1)])),
                ("n_items_both_rated", .integer(pair.itemsBothRated)),
                ("percent_agreement", .number(pair.percentAgreement.value)),
                ("cohen_kappa", .number(pair.cohen.kappa.value)),
                ("cohen_kappa_ase", .number(pair.cohen.ase)),
                ("cohen_kappa_ase0", .number(pair.cohen.ase0)),
                ("cohen_kappa_z", .number(pair.cohen.z)),
                ("cohen_kappa_linear", .number(pair.cohenLinear.value)),
                ("cohen_kappa_quadratic", .number(pair.cohenQuadratic.value)),
                ("scott_pi", .number(pair.scottPi.value)),
            ])
        })))
        if let bootstrap {
            members.append(("bootstrap_replicates", .integer(bootstrapReplicates ?? 0)))
            members.append(("bootstrap", .object(AgreementSummary.keys.compactMap { key in
                guard let interval = bootstrap[key] else { return nil }
                return (key, interval.low == nil ? .null : .array([.number(interval.low), .number(interval.high)]))
            })))
        }
        members.append(("notes", .array(notes.map(OrderedJSON.string))))
        return .object(members)
    }

    /// A readable table with interpretations, for the terminal.
    public func text() -> String {
        // Names and categories come from the input: a line break or control character in one becomes its
        // visible picture (the command line makes every other invisible character visible as it prints).
        func shown(_ name: String) -> String {
            String(String.UnicodeScalarView(name.unicodeScalars.map { $0.value < 0x20 ? Unicode.Scalar(0x2400 + $0.value)! : $0 }))
        }
        func fmt(_ value: Double?, _ digits: Int = 3) -> String {
            value.map { String(format: "%.\(digits)f", $0) } ?? "-"
        }
        var lines: [String] = []
        lines.append("\(items) items, \(raters.count) raters, \(ratings) ratings; level \(level.rawValue); categories \(categories.map(shown).joined(separator: ", "))")
        lines.append("")
        let showCI = bootstrap != nil
        var header = "coefficient".padding(toLength: 36, withPad: " ", startingAt: 0) + "  value"
        if showCI { header += "  " + "95% CI (bootstrap)".padding(toLength: 20, withPad: " ", startingAt: 0) + " " }
        header += "  meaning"
        lines.append(header)
        for key in AgreementSummary.keys {
            let estimate = coefficients[key]!
            var line = AgreementSummary.names[key]!.padding(toLength: 36, withPad: " ", startingAt: 0)
            line += "  " + fmt(estimate.value).leftPad(6)
            if showCI {
                let interval = bootstrap?[key]
                let ci = interval?.low.map { "[\(fmt($0)), \(fmt(interval?.high))]" } ?? "-"
                line += "  " + ci.padding(toLength: 20, withPad: " ", startingAt: 0) + " "
            }
            if let value = estimate.value {
                if key.hasPrefix("percent") {
                    line += "  raw, not chance-corrected"
                } else if key.hasPrefix("kripp") {
                    line += "  " + Interpretation.alpha(value)
                } else {
                    line += "  " + Interpretation.kappa(value)
                }
                if key == "fleiss_kappa", let z = fleiss.z0, let p = fleiss.p {
                    line += String(format: " (z %.2f, p %@)", z, p < 0.001 ? "< 0.001" : String(format: "%.3f", p))
                }
            } else {
                line += "  n/a"
            }
            lines.append(line)
        }
        if !pairs.isEmpty {
            lines.append("")
            lines.append("pairs of raters (on items both rated)")
            lines.append("raters".padding(toLength: 24, withPad: " ", startingAt: 0) + "   items  agree  kappa (ASE)       linear  quadr.  Scott")
            for pair in pairs {
                let name = "\(shown(pair.raters.0)) / \(shown(pair.raters.1))"
                let kappa = pair.cohen.kappa.value.map { "\(fmt($0)) (\(fmt(pair.cohen.ase)))" } ?? "-"
                lines.append(
                    String(name.prefix(24)).padding(toLength: 24, withPad: " ", startingAt: 0) + " "
                        + String(pair.itemsBothRated).leftPad(7) + "  " + fmt(pair.percentAgreement.value).leftPad(5) + "  "
                        + kappa.padding(toLength: 16, withPad: " ", startingAt: 0) + "  " + fmt(pair.cohenLinear.value).leftPad(6) + "  "
                        + fmt(pair.cohenQuadratic.value).leftPad(6) + "  " + fmt(pair.scottPi.value).leftPad(5))
            }
        }
        lines.append("")
        lines.append("Kappa-type: Landis & Koch (<0 poor, to 0.20 slight, 0.40 fair, 0.60 moderate, 0.80 substantial, above almost perfect).")
        lines.append("Alpha: Krippendorff (>= 0.8 reliable; 0.667-0.8 tentative conclusions only; below, unreliable).")
        let notes = self.notes
        if !notes.isEmpty {
            lines.append("")
            lines.append("notes:")
            lines += notes.map { "  " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
