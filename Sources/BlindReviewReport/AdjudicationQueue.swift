import BlindReviewCore

/// The pairs `blindreview adjudicate` offers, as `report` ranks them: pairs annotators flagged first (in the
/// report's order), then every disputed pair from the least agreement up; each with the people's verdicts and
/// scores turned to the adjudicator's own sides. Hidden repeats are folded into their pairs when the key is given;
/// without it a repeat is a pair of its own, as in a blind report.
///
///     let brief = AdjudicationQueue.brief(study: study, items: items, key: key, journals: journals, plan: plan)
///     brief.slots.first   // the adjudicator's slot of the first flagged pair
public enum AdjudicationQueue {
    public static func brief(
        study: Study, items: [String: StudyItem], key: StudyKey?, journals: StudyJournals, plan: AnnotatorPlan
    ) -> AdjudicationBrief {
        // The blind report (no bootstrap) gives the ranking exactly as `report` prints it.
        let report = StudyReport.compute(study: study, items: items, key: key, blind: true, journals: journals, bootstrap: 0, seed: 1)
        var ranked: [String] = []
        var seen = Set<String>()
        var reasons: [String: [String]] = [:]
        for flag in report.flagged.flags {
            if seen.insert(flag.item).inserted { ranked.append(flag.item) }
        }
        for item in ranked {
            let flags = report.flagged.flags.filter { $0.item == item }.map { "\($0.reason) (\($0.annotator))" }
            reasons[item, default: []].append("flagged: " + flags.joined(separator: ", "))
        }
        for dispute in report.agreement.allDisputed {
            reasons[dispute.item, default: []].append("disputed: " + dispute.votes)
            if seen.insert(dispute.item).inserted { ranked.append(dispute.item) }
        }
        let repeats = RepeatMap(study: study, key: key)
        let votes = StudyVotes.collect(study: study, journals: journals.journals, repeats: repeats)
        var byItem: [String: [Vote]] = [:]
        for vote in votes.votes { byItem[vote.item, default: []].append(vote) }
        var flagsByItem: [String: [FlaggedPairs.Flag]] = [:]
        for flag in report.flagged.flags { flagsByItem[flag.item, default: []].append(flag) }
        var slotOf: [String: Int] = [:]
        for (slot, entry) in plan.queue.enumerated() where slotOf[entry.item] == nil { slotOf[entry.item] = slot }

        var slots: [Int] = []
        var pairs: [Int: AdjudicationBrief.Pair] = [:]
        for item in ranked {
            guard let slot = slotOf[item] else { continue }
            let entry = plan.queue[slot]
            var verdicts: [AdjudicationBrief.Verdict] = []
            for vote in (byItem[item] ?? []).sorted(by: { ($0.annotator, $0.isRepeat ? 1 : 0) < ($1.annotator, $1.isRepeat ? 1 : 0) }) {
                verdicts.append(verdict(vote, on: entry, rubric: study.rubric))
            }
            for flag in flagsByItem[item] ?? [] {
                let text = flag.reason + (flag.note.map { ": \($0)" } ?? "")
                if let index = verdicts.firstIndex(where: { $0.annotator == flag.annotator && $0.flag == nil }) {
                    verdicts[index].flag = text
                } else {
                    verdicts.append(AdjudicationBrief.Verdict(annotator: flag.annotator, choice: nil, side: nil, scores: [], note: nil, flag: text))
                }
            }
            slots.append(slot)
            pairs[slot] = AdjudicationBrief.Pair(reason: (reasons[item] ?? []).joined(separator: "; "), verdicts: verdicts)
        }
        return AdjudicationBrief(slots: slots, pairs: pairs)
    }

    /// One vote in the adjudicator's sides: the favoured response's side on `entry`, and the option of the rubric
    /// favouring that side with the same strength.
    static func verdict(_ vote: Vote, on entry: QueueEntry, rubric: Rubric) -> AdjudicationBrief.Verdict {
        let theirs = vote.judgment.preference.flatMap(rubric.preference.option)
        let side = vote.favoured.flatMap(entry.side(of:))
        var choice: String?
        if let theirs {
            if theirs.favours == nil {
                choice = theirs.label
            } else if let side {
                let strength = theirs.strength ?? 1
                choice = rubric.preference.options.first { $0.favours == side && ($0.strength ?? 1) == strength }?.label ?? side.label
            }
        }
        let scores = rubric.criteria.map { criterion in
            (criterion: criterion.id, a: vote.judgment.rating(response: entry.a, criterion: criterion.id),
             b: vote.judgment.rating(response: entry.b, criterion: criterion.id))
        }
        return AdjudicationBrief.Verdict(
            annotator: vote.annotator + (vote.isRepeat ? " (repeat)" : ""), choice: choice, side: side, scores: scores,
            note: vote.judgment.note, flag: nil)
    }
}
