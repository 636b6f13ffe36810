import Foundation

// The files `create` writes (`items.jsonl`, `study.json`, the key), written by hand with ``CanonicalJSONWriter``:
// the same bytes as ``CanonicalJSON/encode(_:pretty:)``, without `JSONEncoder`'s cost on 10,000s of pairs.
// Keys are written in sorted order; parts without a hand-written form (the rubric, prompt fields, free-form
// response fields, a dictionary with non-ASCII keys) go through `JSONEncoder`.

extension StudyItem {
    /// This pair as one line of `items.jsonl` (without the line break), keys sorted.
    func writeJSON(into writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("prompt")
        writer.beginArray()
        for message in prompt {
            writer.beginObject()
            writer.key("content")
            writer.string(message.content)
            writer.key("role")
            writer.string(message.role)
            writer.endObject()
        }
        writer.endArray()
        if let reference {
            writer.key("reference")
            writer.beginArray()
            for turn in reference { writer.string(turn) }
            writer.endArray()
        }
        writer.key("responses")
        writer.beginArray()
        for response in responses {
            writer.beginObject()
            writer.key("id")
            writer.string(response.id)
            writer.key("turns")
            writer.beginArray()
            for turn in response.turns { writer.string(turn) }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        if let legacySourceID {
            writer.key("source_id")
            writer.string(legacySourceID)
        }
        writer.endObject()
    }
}

extension Study {
    /// `study.json`: pretty-printed, keys sorted.
    public func canonicalJSON() -> Data {
        var writer = CanonicalJSONWriter(pretty: true, capacity: 64 * (itemIDs.count + annotators.reduce(0) { $0 + $1.queue.count }) + 4096)
        writer.beginObject()
        writer.key("annotators")
        writer.beginArray()
        for plan in annotators {
            writer.beginObject()
            if let kind = plan.kind {
                writer.key("kind")
                writer.string(kind.rawValue)
            }
            writer.key("name")
            writer.string(plan.name)
            writer.key("queue")
            writer.beginArray()
            for entry in plan.queue {
                writer.beginObject()
                writer.key("a")
                writer.string(entry.a)
                writer.key("b")
                writer.string(entry.b)
                writer.key("item")
                writer.string(entry.item)
                if let legacyRepeat = entry.legacyRepeat {
                    writer.key("repeat")
                    writer.bool(legacyRepeat)
                }
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        if let guidelinesSHA256 {
            writer.key("guidelines_sha256")
            writer.string(guidelinesSHA256)
        }
        writer.key("item_ids")
        writer.beginArray()
        for id in itemIDs { writer.string(id) }
        writer.endArray()
        writer.key("items_sha256")
        writer.string(itemsSHA256)
        if let legacyKeySHA256 {
            writer.key("key_sha256")
            writer.string(legacyKeySHA256)
        }
        writer.key("name")
        writer.string(name)
        writer.key("redacted")
        writer.bool(redacted)
        writer.key("rubric")
        writer.encodable(rubric)
        writer.key("rubric_sha256")
        writer.string(rubricSHA256)
        writer.key("schema_version")
        writer.int(schemaVersion)
        if let studyID {
            writer.key("study_id")
            writer.string(studyID)
        }
        writer.endObject()
        return writer.data
    }
}

extension StudyKey {
    /// The key file: pretty-printed, keys sorted.
    public func canonicalJSON() -> Data {
        // Pair and response ids are ASCII (opaque ids, or a version 1 study's prompt ids, which may not be).
        guard CanonicalJSONWriter.sortable(pairs.keys), CanonicalJSONWriter.sortable(gold?.keys ?? [:].keys),
              pairs.values.allSatisfy({ CanonicalJSONWriter.sortable($0.responses.keys) && CanonicalJSONWriter.sortable($0.repeatOf?.responses.keys ?? [:].keys) })
        else { return CanonicalJSON.encode(self, pretty: true) }
        var writer = CanonicalJSONWriter(pretty: true, capacity: 300 * pairs.count + 4096)
        func dictionary(_ values: [String: String]) {
            writer.beginObject()
            for key in CanonicalJSONWriter.sorted(values.keys) {
                writer.key(key)
                writer.string(values[key]!)
            }
            writer.endObject()
        }
        writer.beginObject()
        if let baseline {
            writer.key("baseline")
            writer.string(baseline)
        }
        if let gold {
            writer.key("gold")
            writer.beginObject()
            for pair in CanonicalJSONWriter.sorted(gold.keys) {
                let answer = gold[pair]!
                writer.key(pair)
                writer.beginObject()
                writer.key("expected")
                writer.string(answer.expected)
                if let minScore = answer.minScore {
                    writer.key("min_score")
                    writer.int(minScore)
                }
                writer.endObject()
            }
            writer.endObject()
        }
        writer.key("models")
        writer.beginArray()
        for model in models { writer.string(model) }
        writer.endArray()
        writer.key("pairs")
        writer.beginObject()
        for pair in CanonicalJSONWriter.sorted(pairs.keys) {
            let entry = pairs[pair]!
            writer.key(pair)
            writer.beginObject()
            if let fields = entry.fields {
                writer.key("fields")
                writer.encodable(fields)
            }
            if let inputIndex = entry.inputIndex {
                writer.key("input_index")
                writer.int(inputIndex)
            }
            if let inputOrder = entry.inputOrder {
                writer.key("input_order")
                writer.beginArray()
                for id in inputOrder { writer.string(id) }
                writer.endArray()
            }
            if let origin = entry.repeatOf {
                writer.key("repeat_of")
                writer.beginObject()
                writer.key("item")
                writer.string(origin.item)
                writer.key("responses")
                dictionary(origin.responses)
                writer.endObject()
            }
            if let responseFields = entry.responseFields {
                writer.key("response_fields")
                writer.encodable(responseFields)
            }
            writer.key("responses")
            dictionary(entry.responses)
            writer.key("source_id")
            writer.string(entry.sourceID)
            writer.endObject()
        }
        writer.endObject()
        writer.key("schema_version")
        writer.int(schemaVersion)
        if let secret {
            writer.key("secret")
            writer.string(secret)
        }
        if let seed {
            writer.key("seed")
            writer.int(seed)
        }
        writer.key("seeded")
        writer.bool(seeded)
        writer.key("study")
        writer.string(study)
        if let studyID {
            writer.key("study_id")
            writer.string(studyID)
        }
        writer.endObject()
        return writer.data
    }
}
