import Foundation

extension Study {
    /// The study with the amendment log applied in order: what every command works with.
    ///
    /// Pairs added by amendments follow study.json's `itemIDs`, in log order; queues only grow by appended slots,
    /// so a slot index (which journals record) never changes meaning; a withdrawn pair keeps its slots. Each
    /// entry is checked against the study as it stands before it: an entry that does not fit (an unknown pair or
    /// annotator, a pair twice in a queue, an annotator retired twice) is an error naming the log's file and line.
    ///
    ///     let effective = try study.applying(log, file: "sessions/demo/amendments.jsonl")
    ///     effective.withdrawn   // ["p3c1…": "truncated response"]
    public func applying(_ log: AmendmentLog.Contents, file: String) throws -> Study {
        var study = self
        guard !log.entries.isEmpty else { return study }
        var items = Set(study.itemIDs)
        var queued = Dictionary(uniqueKeysWithValues: study.annotators.map { ($0.name, Set($0.queue.map(\.item))) })
        var positions = Dictionary(uniqueKeysWithValues: study.annotators.enumerated().map { ($1.name, $0) })
        // Each pair's two responses, as the queues show them: every slot of a pair must show the same two.
        var responses: [String: Set<String>] = [:]
        for plan in study.annotators { for slot in plan.queue where responses[slot.item] == nil { responses[slot.item] = [slot.a, slot.b] } }
        for (entry, line) in log.entries {
            func fail(_ message: String) -> BlindReviewError {
                BlindReviewError(file: file, line: line, message: "amendment \(entry.seq) (\(entry.change.kind)) does not fit the study: \(message)", fix: AmendmentLog.restoreFix)
            }
            func checkEntries(_ entries: [QueueEntry], of annotator: String) throws {
                for slot in entries {
                    guard items.contains(slot.item) else { throw fail("pair \(VisibleText.line(slot.item)) is not in the study") }
                    guard slot.a != slot.b else { throw fail("the same response on both sides of pair \(VisibleText.line(slot.item))") }
                    if let known = responses[slot.item], known != [slot.a, slot.b] {
                        throw fail("pair \(VisibleText.line(slot.item)) is shown with responses other than its own")
                    }
                    responses[slot.item] = [slot.a, slot.b]
                    guard queued[annotator, default: []].insert(slot.item).inserted else {
                        throw fail("\(annotator)'s queue would list pair \(VisibleText.line(slot.item)) twice")
                    }
                }
            }
            func appendSlots(_ list: [QueueAppend]) throws {
                for append in list {
                    guard let position = positions[append.annotator] else { throw fail("no annotator \"\(VisibleText.line(append.annotator))\"") }
                    guard study.retired[append.annotator] == nil else { throw fail("\(append.annotator) is retired") }
                    try checkEntries(append.entries, of: append.annotator)
                    study.annotators[position].queue += append.entries
                }
            }
            switch entry.change {
            case .addAnnotator(let name, let queue):
                guard AnnotatorName.isValid(name) else { throw fail("\"\(VisibleText.line(name))\" is not a valid annotator name") }
                guard positions[name] == nil else { throw fail("\(name) is already an annotator") }
                guard study.annotators.count < InputLimits.maxAnnotators else { throw fail("more than \(InputLimits.maxAnnotators) annotators") }
                queued[name] = []
                try checkEntries(queue, of: name)
                positions[name] = study.annotators.count
                study.annotators.append(AnnotatorPlan(name: name, queue: queue))
            case .retireAnnotator(let name, let reassigned):
                guard positions[name] != nil else { throw fail("no annotator \"\(VisibleText.line(name))\"") }
                guard study.retired[name] == nil else { throw fail("\(name) is already retired") }
                study.retired[name] = entry.seq
                try appendSlots(reassigned)
            case .withdraw(let pair):
                guard items.contains(pair) else { throw fail("pair \(VisibleText.line(pair)) is not in the study") }
                guard study.withdrawn[pair] == nil else { throw fail("pair \(pair) is already withdrawn") }
                study.withdrawn[pair] = entry.reason ?? ""
            case .addPairs(let itemsFile, let hash, let ids, let appended):
                guard itemsFile == "items-\(entry.seq).jsonl" else { throw fail("its items file must be items-\(entry.seq).jsonl, not \(VisibleText.line(itemsFile))") }
                guard !ids.isEmpty else { throw fail("no pairs") }
                for id in ids where !items.insert(id).inserted { throw fail("pair \(VisibleText.line(id)) is already in the study") }
                study.itemIDs += ids
                study.addedItems.append(AddedItems(seq: entry.seq, file: itemsFile, sha256: hash, itemIDs: ids))
                try appendSlots(appended)
            case .addOverlap(let appended):
                try appendSlots(appended)
            }
            study.amendments.append(AmendmentRecord(seq: entry.seq, time: entry.t, change: entry.change, reason: entry.reason))
        }
        return study
    }
}
