import Foundation

/// The queues of judges and adjudicators, derived from the study's pairs instead of stored in `study.json`, so
/// that adding one to a running study changes no file any annotator's journal depends on.
///
/// Slots are addressed by the pair's position `i` in the study's (effective) `itemIDs`, which only ever grows at
/// the end, so a slot keeps its meaning when pairs are added:
/// - a judge rates every pair in both orders: slot `2i` shows the pair's responses in stored order (by opaque id,
///   which says nothing about the model) as A and B, slot `2i + 1` the same pair swapped;
/// - an adjudicator has one slot per pair (slot `i`), its sides chosen by a coin from the study id, the
///   adjudicator's name and the pair id (public values: the coin is independent of which model is where).
///
///     let plan = try DerivedQueue.plan(name: "gpt4", kind: .judge, study: study)
///     plan.queue[0].item == study.itemIDs[0]; plan.queue[1].a == plan.queue[0].b
public enum DerivedQueue {
    /// The derived plan of a judge or an adjudicator. Every pair's two response ids are read from the people's
    /// queues (creation gives every pair to at least one annotator); `items` is consulted for any pair that no
    /// queue shows.
    public static func plan(name: String, kind: AnnotatorKind, study: Study, items: StudyItems? = nil) throws -> AnnotatorPlan {
        precondition(kind != .human, "people's queues are drawn at creation, not derived")
        let known = responseIDs(in: study)
        var queue: [QueueEntry] = []
        queue.reserveCapacity(study.itemIDs.count * (kind == .judge ? 2 : 1))
        for item in study.itemIDs {
            let pair: (String, String)
            if let found = known[item] {
                pair = found
            } else if let items, let stored = try? items.item(id: item), stored.responses.count == 2 {
                pair = (stored.responses[0].id, stored.responses[1].id)
            } else {
                throw BlindReviewError(
                    message: "pair \(item) is in no annotator's queue, so its responses are unknown",
                    fix: "run `blindreview check` on the study; it may have been edited by hand")
            }
            switch kind {
            case .judge:
                queue.append(QueueEntry(item: item, a: pair.0, b: pair.1))
                queue.append(QueueEntry(item: item, a: pair.1, b: pair.0))
            case .adjudicator:
                let swap = coin(studyID: study.studyID ?? study.name, name: name, item: item)
                queue.append(swap ? QueueEntry(item: item, a: pair.1, b: pair.0) : QueueEntry(item: item, a: pair.0, b: pair.1))
            case .human:
                break
            }
        }
        return AnnotatorPlan(name: name, queue: queue, kind: kind)
    }

    /// For a judge: the slot showing pair number `index` first-as-A (`swapped == false`) or swapped.
    public static func judgeSlot(pairIndex index: Int, swapped: Bool) -> Int { 2 * index + (swapped ? 1 : 0) }

    /// Each pair's two response ids in stored (sorted) order, from the people's queues.
    static func responseIDs(in study: Study) -> [String: (String, String)] {
        var result: [String: (String, String)] = [:]
        result.reserveCapacity(study.itemIDs.count)
        for plan in study.annotators where AnnotatorKind.of(plan.kind) == .human {
            for entry in plan.queue where result[entry.item] == nil {
                result[entry.item] = entry.a < entry.b ? (entry.a, entry.b) : (entry.b, entry.a)
            }
        }
        return result
    }

    static func coin(studyID: String, name: String, item: String) -> Bool {
        let digest = SHA256Digest.hex(of: Data("blindreview adjudicator side\u{0}\(studyID)\u{0}\(name)\u{0}\(item)".utf8))
        return digest.last.map { "13579bdf".contains($0) } ?? false
    }
}
