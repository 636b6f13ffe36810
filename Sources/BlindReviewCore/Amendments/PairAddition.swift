import Foundation

/// New pairs for a running study (`amend add-pairs`), blinded exactly as `create` blinds (``StudyBuilder``):
/// opaque ids from the study's secret under the label `amendment:<seq>` (so they cannot collide with or be
/// linked to the study's ids), the same leak scan with the key's models and the same redaction choice as the
/// study. Their text goes to `items-<seq>.jsonl` (in id order), their mapping to a key part
/// (``AmendmentKeyPart``); the log entry carries only ids and hashes.
///
///     let added = try PairAddition.build(input, study: study, key: key, seq: 3, extraLeakTerms: [])
///     added.itemIDs.count   // the new pairs
public struct PairAddition: Sendable {
    public var itemIDs: [String]
    public var items: [StudyItem]
    public var itemsData: Data
    public var keyPart: AmendmentKeyPart
    public var leaks: [LeakReport]

    public static func build(
        _ input: ComparisonInput, study: Study, key: StudyKey, seq: Int, extraLeakTerms: [LeakTerm]
    ) throws -> PairAddition {
        guard let secret = key.studySecret else {
            throw BlindReviewError(message: "this key holds no study secret (a version 1 key), so new pairs cannot be blinded like the study's", fix: "recreate the study with this blindreview")
        }
        guard !input.candidates.isEmpty else { throw BlindReviewError(message: "no pairs to add", fix: "check the input files") }
        for model in input.models where !key.models.contains(model) {
            throw BlindReviewError(
                message: "model \"\(VisibleText.line(model))\" is not one of the study's (\(key.models.map(VisibleText.line).joined(separator: ", ")))",
                fix: "add pairs of the study's models only; a new model needs a new study")
        }
        // A comparison the study already has (same prompt id and models) is refused unless that pair was
        // withdrawn: that is how a broken pair is replaced.
        var existing = Set<String>()
        for (id, entry) in key.pairs where entry.repeatOf == nil && study.withdrawn[id] == nil {
            existing.insert(entry.sourceID + "\u{1F}" + entry.responses.values.sorted().joined(separator: "\u{1F}"))
        }
        for pair in input.candidates where existing.contains(pair.sourceID + "\u{1F}" + [pair.first.model, pair.second.model].sorted().joined(separator: "\u{1F}")) {
            throw BlindReviewError(
                message: "prompt \"\(VisibleText.line(pair.sourceID))\" with these two models is already in the study",
                fix: "leave it out of the input, or withdraw the old pair first (amend withdraw) to replace it")
        }
        var ids = OpaqueIDs(secret: secret)
        ids.used = Set(study.itemIDs)
        for entry in key.pairs.values { ids.used.formUnion(entry.responses.keys) }
        let scanner = LeakScanner(models: key.models, extraTerms: extraLeakTerms)
        let (blinded, leaks) = StudyBuilder.blind(input.candidates, ids: &ids, label: ["amendment", seq], scanner: scanner, redact: study.redacted)
        let firstIndex = (key.pairs.values.compactMap(\.inputIndex).max() ?? -1) + 1
        var keyEntries: [String: KeyEntry] = [:]
        for (index, pair) in blinded.enumerated() { keyEntries[pair.id] = StudyBuilder.keyEntry(pair, inputIndex: firstIndex + index) }
        let items = blinded.map(\.item).sorted { $0.id < $1.id }
        return PairAddition(
            itemIDs: items.map(\.id), items: items, itemsData: StudyItems.encode(items),
            keyPart: AmendmentKeyPart(studyID: key.studyID, amendment: seq, pairs: keyEntries), leaks: leaks)
    }

    /// Hidden repeats among the added pairs, as `create --repeat` makes them: a copy of each chosen pair's text
    /// under fresh ids (labels `amendment:<seq>:repeat:<n>`), its mapping and `repeat_of` in the key part only.
    /// `items`, `itemIDs` and `itemsData` then hold the originals and the copies in id order, so nothing in the
    /// file says which of two identical pairs is the copy. Returns original id to copy id.
    ///
    ///     let copies = try added.addRepeats(of: ["p3f…"], study: study, key: key, seq: 4)
    public mutating func addRepeats(of originals: [String], study: Study, key: StudyKey, seq: Int) throws -> [String: String] {
        guard !originals.isEmpty else { return [:] }
        guard let secret = key.studySecret else {
            throw BlindReviewError(message: "this key holds no study secret (a version 1 key), so new pairs cannot be blinded like the study's", fix: "recreate the study with this blindreview")
        }
        var ids = OpaqueIDs(secret: secret)
        ids.used = Set(study.itemIDs).union(itemIDs)
        for entry in key.pairs.values { ids.used.formUnion(entry.responses.keys) }
        for entry in keyPart.pairs.values { ids.used.formUnion(entry.responses.keys) }
        let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
        var copies: [String: String] = [:]
        var made: [StudyItem] = []
        for (index, original) in originals.enumerated() {
            guard let item = byID[original], let entry = keyPart.pairs[original], let order = entry.inputOrder, order.count == 2 else {
                throw BlindReviewError(message: "pair \(original) is not one of the pairs being added", fix: "this is a bug in blindreview; please report it")
            }
            let label: [CustomStringConvertible] = ["amendment", seq, "repeat", index]
            let copyID = ids.next("item", parts: label)
            let responseIDs = [ids.next("response", parts: label + [0]), ids.next("response", parts: label + [1])]
            var models: [String: String] = [:]
            var origin: [String: String] = [:]
            var responses: [BlindResponse] = []
            for (copy, source) in zip(responseIDs, order) {
                models[copy] = entry.responses[source]
                origin[copy] = source
                responses.append(BlindResponse(id: copy, turns: item.response(source)?.turns ?? []))
            }
            keyPart.pairs[copyID] = KeyEntry(
                sourceID: entry.sourceID, responses: models, inputOrder: responseIDs,
                repeatOf: RepeatOrigin(item: original, responses: origin))
            made.append(StudyItem(id: copyID, prompt: item.prompt, reference: item.reference, responses: responses.sorted { $0.id < $1.id }))
            copies[original] = copyID
        }
        items = (items + made).sorted { $0.id < $1.id }
        itemIDs = items.map(\.id)
        itemsData = StudyItems.encode(items)
        return copies
    }
}
