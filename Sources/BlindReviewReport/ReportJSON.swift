import AgreementStats
import BlindReviewCore

extension StudyReport {
    /// The JSON report (schema version 1; keys documented in the README). Undefined values are null.
    public func json() -> OrderedJSON {
        func coefficient(_ c: AgreementSection.Coefficient?) -> OrderedJSON {
            guard let c else { return .null }
            var members: [(String, OrderedJSON)] = [("value", .number(c.estimate.value))]
            if let interval = c.interval, let low = interval.low, let high = interval.high {
                members.append(("ci95", .array([.number(low), .number(high)])))
            }
            if let reason = c.estimate.reason { members.append(("note", .string(reason))) }
            return .object(members)
        }
        func matrix(_ pairs: [RaterPairAgreement], _ value: (RaterPairAgreement) -> Double?) -> OrderedJSON {
            .array(pairs.map { .object([("raters", .array([.string($0.raters.0), .string($0.raters.1)])), ("n", .integer($0.itemsBothRated)), ("kappa", .number(value($0)))]) })
        }
        var members: [(String, OrderedJSON)] = [
            ("schema_version", .integer(1)),
            ("study", .string(study.name)),
            ("blind", .bool(results == nil)),
            ("study_id", study.studyID.map(OrderedJSON.string) ?? .null),
            ("seeded", seeded.map(OrderedJSON.bool) ?? .null),
            ("pairs", .integer(pairCount)),
            ("bootstrap_replicates", .integer(bootstrap)),
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
                ("fleiss_kappa", coefficient(p.fleissKappa)),
                ("kripp_alpha_nominal", coefficient(p.alphaNominal)),
                ("cohen_kappa", matrix(p.cohen) { $0.cohen.kappa.value }),
            ])))
        }
        agreementMembers.append(("criteria", .array(agreement.criteria.map { c in .object([
            ("criterion", .string(c.id)), ("name", .string(c.name)), ("units", .integer(c.units)),
            ("kripp_alpha_ordinal", coefficient(c.alphaOrdinal)), ("gwet_ac2_quadratic", coefficient(c.gwetAC2)),
            ("cohen_kappa_quadratic", matrix(c.quadraticKappa) { $0.cohenQuadratic.value }),
            ("verdict", .string(c.verdict)), ("needs_clearer_definition", .bool(c.needsClearerDefinition)),
        ]) })))
        agreementMembers.append(("most_disputed", .array(agreement.disputed.map { .object([("pair", .string($0.item)), ("labels", .string($0.votes)), ("agreement", .number($0.agreement))]) })))
        members.append(("agreement", .object(agreementMembers)))
        members.append(("annotators", .array(annotators.map { a in .object([
            ("annotator", .string(a.annotator)), ("judged", .integer(a.judged)),
            ("agreement_with_others", .number(a.agreementWithOthers)), ("agreement_pairs", .integer(a.agreementPairs)),
            ("self_consistency", .number(a.selfConsistency)), ("repeats_compared", .integer(a.repeatsCompared)),
            ("left_share", .number(a.leftShare)), ("left_choices", .integer(a.leftChoices)), ("side_choices", .integer(a.sideChoices)),
            ("left_p", .number(a.leftP)), ("median_seconds", .number(a.medianSeconds)), ("too_fast", .bool(a.tooFast)),
        ]) })))
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
                ("win_rate_ties_half", .number(p.winRateTiesHalf)),
                ("win_rate_no_ties", .number(p.winRateNoTies)),
                ("win_rate_no_ties_wilson95", p.wilson.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
                ("sign_test_p", .number(p.signTestP)),
            ]) })))
            resultMembers.append(("criteria", .array(r.criteria.map { c in .object([
                ("criterion", .string(c.criterion)),
                ("means", .array(c.means.map { .object([("model", .string($0.model)), ("mean", .number($0.mean)), ("ci95", interval($0.low, $0.high)), ("n", .integer($0.n))]) })),
                ("paired_differences", .array(c.differences.map { .object([("models", .array([.string($0.first), .string($0.second)])), ("mean_difference", .number($0.meanDifference)), ("pairs", .integer($0.pairs)), ("wilcoxon_p", .number($0.p))]) })),
            ]) })))
            if let bt = r.bradleyTerry {
                resultMembers.append(("bradley_terry", .array(bt.map { .object([("model", .string($0.model)), ("strength", .number($0.strength)), ("ci95", interval($0.low, $0.high))]) })))
            }
            if let w = r.winMatrix { resultMembers.append(("win_matrix", .array(w.map { .array($0.map { OrderedJSON.number($0) }) }))) }
            resultMembers.append(("length_bias", .object([("longer_preferred", .number(r.longerPreferred)), ("votes", .integer(r.lengthVotes)), ("sign_test_p", .number(r.lengthP))])))
            resultMembers.append(("preference_matches_rubric", .array(r.consistency.map { .object([("annotator", .string($0.annotator)), ("share", .number($0.share)), ("votes", .integer($0.votes))]) })))
            members.append(("results", .object(resultMembers)))
        }
        members.append(("refused_journals", .array(refusedJournals.map(OrderedJSON.string))))
        members.append(("warnings", .array(warnings.map(OrderedJSON.string))))
        return .object(members)
    }
}
