import AgreementStats
import BlindReviewCore

extension StudyReport {
    /// The JSON report (schema version 1; keys documented in the README). Undefined values are null.
    public func json() -> OrderedJSON {
        func coefficient(_ c: AgreementSection.Coefficient?, verdict: Bool = false) -> OrderedJSON {
            guard let c else { return .null }
            var members: [(String, OrderedJSON)] = [("value", .number(c.estimate.value))]
            if let interval = c.interval, let low = interval.low, let high = interval.high {
                members.append(("ci95", .array([.number(low), .number(high)])))
                members.append(("resampled", .string(ResamplingUnit.pairs.description)))
            }
            if verdict { members.append(("verdict", .string(VerdictScale.agreement(c.estimate.value)))) }
            if let reason = c.estimate.reason { members.append(("note", .string(reason))) }
            return .object(members)
        }
        func matrix(_ pairs: [RaterPairAgreement], _ value: (RaterPairAgreement) -> Double?) -> OrderedJSON {
            .array(pairs.map { .object([("raters", .array([.string($0.raters.0), .string($0.raters.1)])), ("n", .integer($0.itemsBothRated)), ("kappa", .number(value($0))), ("verdict", .string(VerdictScale.agreement(value($0))))]) })
        }
        func kappas(_ pairs: [AgreementSection.PairKappa]) -> OrderedJSON {
            .array(pairs.map { .object([("raters", .array([.string($0.raters.0), .string($0.raters.1)])), ("n", .integer($0.pairs)), ("kappa", .number($0.kappa.value)), ("verdict", .string(VerdictScale.agreement($0.kappa.value)))]) })
        }
        func test(_ p: Double?, holm: Double?, method: String?) -> OrderedJSON {
            .object([("p", .number(p)), ("p_holm", .number(holm)), ("method", method.map(OrderedJSON.string) ?? .null), ("verdict", .string(VerdictScale.test(holm)))])
        }
        var members: [(String, OrderedJSON)] = [
            ("schema_version", .integer(StudyReport.jsonSchemaVersion)),
            ("study", .string(study.name)),
            ("blind", .bool(results == nil)),
            ("study_id", study.studyID.map(OrderedJSON.string) ?? .null),
            ("seeded", seeded.map(OrderedJSON.bool) ?? .null),
            ("pairs", .integer(pairCount)),
            ("bootstrap_replicates", .integer(bootstrap)),
            ("resampling", .string(resampling.rawValue)),
            ("coverage", .object([
                ("pairs_by_annotator_count", .object(coverage.keys.sorted().map { (String($0), .integer(coverage[$0]!)) })),
                ("annotators", .array(progress.map { p in .object([
                    ("annotator", .string(p.annotator)), ("preferences", .integer(p.preferences)), ("done", .integer(p.done)), ("assigned", .integer(p.assigned)),
                    ("repeats_done", p.repeatsDone.map(OrderedJSON.integer) ?? .null), ("median_seconds", .number(p.medianSeconds)),
                    ("last_activity", p.lastActivity.map(OrderedJSON.string) ?? .null),
                ]) })),
            ])),
        ]
        var agreementMembers: [(String, OrderedJSON)] = []
        if let reason = agreement.notApplicable { agreementMembers.append(("not_applicable", .string(reason))) }
        if let p = agreement.preference {
            agreementMembers.append(("preference", .object([
                ("pairs", .integer(p.items)),
                ("percent_agreement_pairwise", coefficient(p.pairwiseStrict)),
                ("percent_agreement_relaxed", coefficient(p.pairwiseRelaxed)),
                ("percent_agreement_unanimous", coefficient(p.unanimous)),
                ("orientation", .string("free: the same whichever response of a pair is first")),
                ("fleiss_kappa_name", .string(p.fleissKappaName)),
                ("fleiss_kappa", coefficient(p.fleissKappa, verdict: true)),
                ("kripp_alpha_nominal", coefficient(p.alphaNominal, verdict: true)),
                ("kripp_alpha_ordinal", coefficient(p.alphaOrdinal, verdict: true)),
                ("cohen_kappa", kappas(p.cohen)),
                ("model_oriented", p.modelOriented.map { o in .object([
                    ("orientation", .string(o.orientation)),
                    ("fleiss_kappa", coefficient(o.fleissKappa, verdict: true)),
                    ("kripp_alpha_nominal", coefficient(o.alphaNominal, verdict: true)),
                    ("cohen_kappa", kappas(o.cohen)),
                ]) } ?? .null),
            ])))
        }
        agreementMembers.append(("criteria", .array(agreement.criteria.map { c in .object([
            ("criterion", .string(c.id)), ("name", .string(c.name)), ("units", .integer(c.units)),
            ("kripp_alpha_ordinal", coefficient(c.alphaOrdinal, verdict: true)), ("gwet_ac2_quadratic", coefficient(c.gwetAC2, verdict: true)),
            ("cohen_kappa_quadratic", matrix(c.quadraticKappa) { $0.cohenQuadratic.value }),
            ("verdict", .string(c.verdict)), ("needs_clearer_definition", .bool(c.needsClearerDefinition)),
        ]) })))
        agreementMembers.append(("most_disputed", .array(agreement.disputed.map { .object([("pair", .string($0.item)), ("labels", .string($0.votes)), ("agreement", .number($0.agreement))]) })))
        members.append(("agreement", .object(agreementMembers)))
        members.append(("annotators", .array(annotators.map { a in .object([
            ("annotator", .string(a.annotator)), ("judged", .integer(a.judged)),
            ("mean_kappa_with_others", .number(a.meanKappa)), ("co_raters", .integer(a.coRaters)), ("shared_pairs", .integer(a.sharedPairs)),
            ("self_consistency", .number(a.selfConsistency)),
            ("self_consistency_wilson95", a.selfConsistency == nil ? .null : a.selfConsistencyWilson.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
            ("repeats_compared", .integer(a.repeatsCompared)), ("too_few_repeats", .bool(a.tooFewRepeats)),
            ("left_share", .number(a.leftShare)), ("left_choices", .integer(a.leftChoices)), ("side_choices", .integer(a.sideChoices)),
            ("left_test", test(a.leftP, holm: a.leftPHolm, method: a.leftTestMethod)),
            ("median_seconds", .number(a.medianSeconds)), ("too_fast", .bool(a.tooFast)),
        ]) })))
        members.append(("position", .object([
            ("left_share", .number(position.leftShare)), ("left_choices", .integer(position.leftChoices)),
            ("side_choices", .integer(position.sideChoices)), ("pairs", .integer(position.pairs)),
            ("design_effect", .number(position.designEffect)),
            ("test", .object([("p", .number(position.test.p)), ("method", .string(position.test.method)), ("verdict", .string(VerdictScale.test(position.test.p)))])),
        ])))
        func interval(_ low: Double?, _ high: Double?) -> OrderedJSON {
            guard let low, let high else { return .null }
            return .array([.number(low), .number(high)])
        }
        if let r = results {
            var resultMembers: [(String, OrderedJSON)] = [("models", .array(r.models.map(OrderedJSON.string)))]
            resultMembers.append(("pairs", .array(r.pairs.map { p in .object([
                ("models", .array([.string(p.first), .string(p.second)])),
                ("votes", .object([("wins", .integer(p.wins)), ("ties", .integer(p.ties)), ("losses", .integer(p.losses))])),
                ("majority", .object([("wins", .integer(p.majorityWins)), ("ties", .integer(p.majorityTies)), ("losses", .integer(p.majorityLosses)), ("split", .integer(p.split))])),
                ("n_pairs", .integer(p.inference.pairs)), ("n_votes", .integer(p.inference.votes)),
                ("design_effect", .number(p.inference.designEffect)),
                ("win_rate_ties_half", .number(p.winRateTiesHalf)),
                ("win_rate_ties_half_ci95", interval(p.inference.intervalTiesHalf?.low, p.inference.intervalTiesHalf?.high)),
                ("win_rate_no_ties", .number(p.winRateNoTies)),
                ("win_rate_no_ties_ci95", interval(p.inference.intervalNoTies?.low, p.inference.intervalNoTies?.high)),
                ("resampled", .string(r.resampling.description)),
                ("no_difference_test", test(p.inference.test.p, holm: p.pHolm, method: "sign flips over pairs, " + p.inference.test.method)),
            ]) })))
            resultMembers.append(("criteria", .array(r.criteria.map { c in .object([
                ("criterion", .string(c.criterion)),
                ("resampled", .string(ResamplingUnit.pairs.description)),
                ("means", .array(c.means.map { .object([("model", .string($0.model)), ("mean", .number($0.mean)), ("ci95", interval($0.low, $0.high)), ("n", .integer($0.n))]) })),
                ("paired_differences", .array(c.differences.map { .object([("models", .array([.string($0.first), .string($0.second)])), ("mean_difference", .number($0.meanDifference)), ("pairs", .integer($0.pairs)), ("wilcoxon_p", .number($0.p)), ("wilcoxon_method", $0.method.map { .string($0.rawValue) } ?? .null), ("wilcoxon_p_holm", .number($0.pHolm)), ("verdict", .string(VerdictScale.test($0.pHolm)))]) })),
            ]) })))
            if let bt = r.bradleyTerry {
                resultMembers.append(("bradley_terry", .array(bt.map { .object([("model", .string($0.model)), ("strength", .number($0.strength)), ("ci95", interval($0.low, $0.high)), ("resampled", .string(ResamplingUnit.pairs.description)), ("rank", .integer($0.rank)), ("component", .integer($0.component))]) })))
                resultMembers.append(("bradley_terry_warning", r.bradleyTerryWarning.map(OrderedJSON.string) ?? .null))
            }
            if let w = r.winMatrix { resultMembers.append(("win_matrix", .array(w.map { .array($0.map { OrderedJSON.number($0) }) }))) }
            resultMembers.append(("length_bias", .object([
                ("longer_preferred", .number(r.longerPreferred)), ("votes", .integer(r.lengthVotes)),
                ("model", r.lengthModel.map { fit in .object([
                    ("beta_log_length_ratio", .number(fit.beta)), ("standard_error", .number(fit.standardError)), ("z", .number(fit.z)),
                    ("p", .number(fit.p)), ("odds_per_doubling", .number(fit.oddsPerDoubling)), ("votes", .integer(fit.votes)),
                    ("pairs", .integer(fit.pairs)), ("design_effect", .number(fit.designEffect)), ("verdict", .string(VerdictScale.test(fit.p))),
                ]) } ?? .null),
                ("ties_left_out", .integer(r.lengthTiesLeftOut)),
            ])))
            resultMembers.append(("preference_matches_rubric", .array(r.consistency.map { .object([("annotator", .string($0.annotator)), ("share", .number($0.share)), ("votes", .integer($0.votes))]) })))
            members.append(("results", .object(resultMembers)))
        }
        if let graded {
            members.append(("graded_preference", .object([
                ("max_strength", .integer(graded.maxStrength)),
                ("kripp_alpha_ordinal", .object([
                    ("value", .number(graded.alphaOrdinal.estimate.value)),
                    ("ci95", graded.alphaOrdinal.interval.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
                    ("resampled", graded.alphaOrdinal.interval == nil ? .null : .string("pairs with all their votes")),
                ])),
                ("pairs", .array(graded.pairs.map { pair in
                    .object([
                        ("models", .array([.string(pair.first), .string(pair.second)])), ("mean_strength", .number(pair.mean)),
                        ("ci95", pair.interval.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
                        ("resampled", pair.interval.map { .string($0.resampled) } ?? .null),
                        ("votes", .integer(pair.votes)), ("pairs", .integer(pair.pairs)),
                    ])
                })),
            ])))
        }
        if let grouped {
            members.append(("by", .object([
                ("key", .string(grouped.key)),
                ("groups", .array(grouped.groups.map { group in
                    .object([
                        ("value", .string(group.value)), ("pairs", .integer(group.pairs)), ("judged_pairs", .integer(group.judgedPairs)),
                        ("fleiss_kappa", group.fleissKappa.map { k in
                            .object([
                                ("value", .number(k.estimate.value)), ("ci95", k.interval.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
                                ("resampled", k.interval == nil ? .null : .string("pairs of the group with all their votes")),
                            ])
                        } ?? .null),
                        ("pairs_of_models", .array(group.results.map { pair in
                            .object([
                                ("models", .array([.string(pair.first), .string(pair.second)])),
                                ("win_rate_ties_half", .number(pair.winRateTiesHalf)),
                                ("win_rate_ties_half_ci95", pair.inference.intervalTiesHalf.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
                                ("win_rate_no_ties", .number(pair.winRateNoTies)),
                                ("win_rate_no_ties_ci95", pair.inference.intervalNoTies.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
                                ("votes", .integer(pair.inference.votes)),
                                ("resampled", pair.inference.intervalTiesHalf.map { .string($0.resampled + ", within the group") } ?? .null),
                            ])
                        })),
                    ])
                })),
            ])))
        }
        if let gold {
            members.append(("gold", .object([
                ("pairs", .integer(gold.goldPairs)), ("threshold", .number(gold.threshold)), ("ties_count_as_misses", .bool(true)),
                ("annotators", .array(gold.annotators.map { row in .object([
                    ("annotator", .string(row.annotator)), ("judged", .integer(row.judged)), ("correct", .integer(row.correct)),
                    ("accuracy", .number(row.accuracy)), ("wilson95", row.wilson.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
                    ("below_threshold", .bool(row.below)),
                ]) })),
            ])))
        }
        members.append(("gold_pairs_left_out", .integer(goldLeftOut)))
        if let adjudication {
            members.append(("adjudicated", .object([
                ("pairs", .integer(adjudication.settled)), ("gold_pairs_unused", .integer(adjudication.settledGold)),
                ("adjudicators", .array(adjudication.adjudicators.map(OrderedJSON.string))),
            ])))
        }
        if let judge { members.append(("judges", judge.json(results: results))) }
        if !judgesIncluded.isEmpty { members.append(("judges_counted_as_annotators", .array(judgesIncluded.map(OrderedJSON.string)))) }
        members.append(("flagged_pairs", .array(flagged.flags.map { flag in
            .object([
                ("pair_id", .string(flag.item)), ("source_id", flag.sourceID.map(OrderedJSON.string) ?? .null),
                ("annotator", .string(flag.annotator)), ("reason", .string(flag.reason)), ("note", flag.note.map(OrderedJSON.string) ?? .null),
            ])
        })))
        members += amendmentJSON()
        members.append(("refused_journals", .array(refusedJournals.map(OrderedJSON.string))))
        members.append(("warnings", .array(warnings.map(OrderedJSON.string))))
        return .object(members)
    }
}
