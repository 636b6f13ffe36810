import AgreementStats
import BlindReviewCore
@testable import BlindReviewReport
import Foundation

// The import as it was before the fast path (main at dafef55), kept word for word apart from its name and a
// clock parameter, so that tests can compare the fast path's journals, summaries and errors with it.

enum LegacyJudgmentImport {
    struct Row: Sendable {
        var id: String
        var annotator: String
        var preference: String?
        /// Criterion id to (score for a, score for b).
        var scores: [String: (Int?, Int?)]
        var line: Int
        /// The models behind a and b (`model_a`, `model_b`): they pick the pair when an id gave several (three
        /// or more models), and a row in the other order is read the other way round.
        var modelA: String?
        var modelB: String?
        /// The signed preference strength toward a (`strength`), for a graded scale.
        var strength: Int?
    }

    /// Imports every row or nothing: all rows are checked, every affected annotator's lock is taken (refused
    /// with the holder's PID if any is held), each journal's length recorded; on any failure every journal is cut
    /// back to it. A value a journal already holds is skipped (a re-import says "already imported"); a
    /// different value is refused unless `replace`, which appends the change as an event.
    ///
    /// `progress`, when given, is called now and then with the work done and the total (each row counts twice:
    /// once checked, once written).
    static func run(
        store: StudyStore, key: StudyKey, file: String, replace: Bool = false, io: FileIO = .system,
        now: @escaping () -> Date = Date.init, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> JudgmentImport.Summary {
        let (study, hash) = try store.load()
        let rows = try read(file: file, rubric: study.rubric)
        var checked = 0
        // Pair by input id; an id that gave several pairs (more than two models) cannot be told apart.
        var bySource: [String: [String]] = [:]
        for (pair, entry) in key.pairs where entry.repeatOf == nil { bySource[entry.sourceID, default: []].append(pair) }
        struct Planned {
            var row: Row
            var slot: Int
            var events: [JournalEvent]
        }
        var planned: [String: [Planned]] = [:]
        // Each annotator's queue indexed once (pair id to its first slot that is not a legacy repeat), so a row
        // costs a lookup rather than a scan of the queue.
        var slotIndex: [String: [String: Int]] = [:]
        func slot(of pair: String, in plan: AnnotatorPlan) -> Int? {
            if slotIndex[plan.name] == nil {
                var index: [String: Int] = [:]
                index.reserveCapacity(plan.queue.count)
                for (slot, entry) in plan.queue.enumerated() where entry.legacyRepeat != true && index[entry.item] == nil {
                    index[entry.item] = slot
                }
                slotIndex[plan.name] = index
            }
            return slotIndex[plan.name]![pair]
        }
        for row in rows {
            checked += 1
            if checked % 1000 == 0 { progress?(checked, 2 * rows.count) }
            func fail(_ message: String, _ fix: String) -> BlindReviewError { BlindReviewError(file: file, line: row.line, message: message, fix: fix) }
            guard let pairs = bySource[row.id] else { throw fail("no pair with id \"\(row.id)\" in study \(study.name)", "use the ids of the input the study was created from") }
            // The pair: the only one of this id, or the one of this id whose input models are model_a and model_b
            // (in either order; a row in the other order is read the other way round).
            var row = row
            func models(_ pair: String) -> [String] { (key.pairs[pair]?.inputOrder ?? []).map { key.model(pair: pair, response: $0) ?? "" } }
            var chosen: String?
            if let a = row.modelA, let b = row.modelB {
                if let match = pairs.first(where: { models($0) == [a, b] }) {
                    chosen = match
                } else if let match = pairs.first(where: { models($0) == [b, a] }) {
                    chosen = match
                    row.preference = row.preference.map { $0 == "a" ? "b" : $0 == "b" ? "a" : $0 }
                    row.scores = row.scores.mapValues { ($0.1, $0.0) }
                    row.strength = row.strength.map { -$0 }
                } else {
                    throw fail("id \"\(row.id)\" has no pair of \(a) and \(b)", "check model_a and model_b (the study compares: \(pairs.map { models($0).joined(separator: " vs ") }.joined(separator: "; ")))")
                }
            } else if pairs.count == 1 {
                chosen = pairs[0]
            }
            guard let pair = chosen, let order = key.pairs[pair]?.inputOrder, order.count == 2 else {
                throw fail("id \"\(row.id)\" gave several pairs (three or more models)", "add model_a and model_b columns naming the two models of each row")
            }
            guard let plan = study.plan(for: row.annotator) else {
                throw fail("annotator \"\(row.annotator)\" is not in study \(study.name)", "use one of: \(study.annotators.map(\.name).joined(separator: ", "))")
            }
            guard let slot = slot(of: pair, in: plan) else {
                throw fail("pair \"\(row.id)\" is not in \(row.annotator)'s queue", "create the study with this annotator rating this pair")
            }
            let entry = plan.queue[slot]
            var events: [JournalEvent] = []
            if let preference = row.preference {
                let favours: Side?
                switch preference {
                case "a": favours = entry.side(of: order[0])
                case "b": favours = entry.side(of: order[1])
                default: favours = nil
                }
                let wanted = abs(row.strength ?? (favours == nil ? 0 : 1))
                guard let option = study.rubric.preference.options.first(where: { $0.favours == favours && (favours == nil || ($0.strength ?? 1) == wanted) })
                    ?? study.rubric.preference.options.first(where: { $0.favours == favours }) else {
                    throw fail("the rubric has no option for \"\(preference)\"", "use a rubric with options favouring a, b and none")
                }
                events.append(.preference(slot: slot, item: pair, option: option.id))
            }
            for (criterion, (a, b)) in row.scores.sorted(by: { $0.key < $1.key }) {
                for (response, score) in [(order[0], a), (order[1], b)] {
                    guard let score else { continue }
                    events.append(.rating(slot: slot, item: pair, response: response, criterion: criterion, value: score))
                }
            }
            planned[row.annotator, default: []].append(Planned(row: row, slot: slot, events: events))
        }
        // Every lock first: a session running for any of them stops the whole import before anything is written.
        var locks: [AnnotatorLock] = []
        defer { locks.forEach { $0.release() } }
        var writers: [(String, JournalWriter, Int)] = []
        for annotator in planned.keys.sorted() {
            locks.append(try AnnotatorLock.acquire(store: store, annotator: annotator))
        }
        // Journals this import creates hold only their header until the end; on failure they are removed again.
        var created: [URL] = []
        func undoCreated() { created.forEach { unlink($0.path) } }
        do {
            for annotator in planned.keys.sorted() {
                let url = store.journalFile(for: annotator)
                let existed = FileManager.default.fileExists(atPath: url.path)
                let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator, now: now, io: io)
                if !existed { created.append(url) }
                writers.append((annotator, writer, writer.length))
            }
        } catch {
            undoCreated()
            throw error
        }
        var summary = JudgmentImport.Summary(imported: 0, annotators: [:])
        var batches: [String: [JournalEvent]] = [:]
        for (annotator, writer, _) in writers {
            // In the annotator's slot order: the input's order (usually by source id) would otherwise be readable
            // from the journal, pairing the opaque ids with the source ids' order.
            for item in planned[annotator]!.sorted(by: { $0.slot < $1.slot }) {
                var fresh: [JournalEvent] = []
                var changed = false
                for event in item.events {
                    let judgment = writer.state.slots[event.slot!]
                    let current = event.type == .preference ? judgment.preference : judgment.rating(response: event.response!, criterion: event.criterion!).map(String.init)
                    let wanted = event.type == .preference ? event.option : event.value.map(String.init)
                    if current == wanted { continue }
                    if current != nil {
                        guard replace else {
                            undoCreated()
                            throw BlindReviewError(
                                file: file, line: item.row.line,
                                message: "pair \(item.row.id) by \(annotator) already has \(event.type == .preference ? "preference" : "\(event.criterion!) score") \(current!) in the journal, not \(wanted ?? "none"); nothing imported",
                                fix: "pass --replace to record the new value as a change, or correct the row")
                        }
                        changed = true
                    }
                    fresh.append(event)
                }
                if fresh.isEmpty && !item.events.isEmpty {
                    summary.alreadyImported += 1
                    continue
                }
                if changed { summary.replaced += 1 }
                summary.imported += 1
                summary.annotators[annotator, default: 0] += 1
                batches[annotator, default: []] += fresh
            }
        }
        do {
            var written = rows.count
            for (annotator, writer, _) in writers {
                if let batch = batches[annotator] { try writer.append(contentsOf: batch) }
                written += planned[annotator]?.count ?? 0
                progress?(written, 2 * rows.count)
            }
        } catch {
            for (_, writer, length) in writers { try? writer.rollBack(to: length) }
            undoCreated()
            let reason = (error as? JournalSaveError)?.reason ?? "\(error)"
            throw BlindReviewError(file: file, message: "import failed (\(reason)); every journal was cut back, nothing imported", fix: "fix the cause and import again")
        }
        return summary
    }

    /// Reads and checks every row before anything is written.
    static func read(file: String, rubric: Rubric) throws -> [Row] {
        let data = try JSONLines.readFile(file)
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        let criteria = Dictionary(uniqueKeysWithValues: rubric.criteria.map { ($0.id, $0) })
        // CSV headers are read without case, so criterion columns are matched without case too.
        let criteriaByLowercase = Dictionary(rubric.criteria.map { ($0.id.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        func parse(_ fields: [String: String], line: Int) throws -> Row {
            func fail(_ message: String, _ fix: String) -> BlindReviewError { BlindReviewError(file: file, line: line, message: message, fix: fix) }
            guard let id = fields["id"], !id.isEmpty, let annotator = fields["annotator"], !annotator.isEmpty else {
                throw fail("needs id and annotator", "fill both fields")
            }
            var preference = fields["preference"]?.lowercased()
            if preference == "" { preference = nil }
            if let value = preference, !["a", "b", "tie"].contains(value) {
                throw fail("preference \"\(value)\" is not a, b or tie", "write a, b or tie (relative to the input's response_a/response_b)")
            }
            var scores: [String: (Int?, Int?)] = [:]
            for (key, text) in fields where (key.hasSuffix("_a") || key.hasSuffix("_b")) && key != "model_a" && key != "model_b" && !key.hasPrefix("meta.") {
                guard let criterion = criteria[String(key.dropLast(2))] ?? criteriaByLowercase[String(key.dropLast(2)).lowercased()] else { throw fail("column \(key) names no rubric criterion", "use <criterion>_a and <criterion>_b with: \(rubric.criteria.map(\.id).joined(separator: ", "))") }
                guard !text.isEmpty else { continue }
                guard let score = Int(text), criterion.scores.contains(score) else {
                    throw fail("\(key) = \"\(text)\" is not a score \(criterion.min)-\(criterion.max)", "correct the score")
                }
                let id = criterion.id
                var pair = scores[id] ?? (nil, nil)
                if key.hasSuffix("_a") { pair.0 = score } else { pair.1 = score }
                scores[id] = pair
            }
            let pairModels = [fields["model_a"] ?? "", fields["model_b"] ?? ""].sorted().joined(separator: "\u{1F}")
            let token = id + "\u{1F}" + annotator + "\u{1F}" + pairModels
            if let first = seen[token] { throw fail("pair \(id) by \(annotator) again (first on line \(first))", "keep one row per pair and annotator") }
            seen[token] = line
            var strength: Int?
            if let text = fields["strength"], !text.isEmpty {
                guard let value = Int(text), (-3...3).contains(value) else {
                    throw fail("strength \"\(text)\" is not a whole number from -3 to 3", "write the signed strength toward a (0 for a tie)")
                }
                strength = value
            }
            let modelA = fields["model_a"].flatMap { $0.isEmpty ? nil : $0 }
            let modelB = fields["model_b"].flatMap { $0.isEmpty ? nil : $0 }
            guard (modelA == nil) == (modelB == nil) else { throw fail("model_a and model_b go together", "fill both, or neither") }
            return Row(id: id, annotator: annotator, preference: preference, scores: scores, line: line, modelA: modelA, modelB: modelB, strength: strength)
        }
        if file.hasSuffix(".jsonl") || file.hasSuffix(".json") {
            for line in try JSONLines.split(data, file: file) {
                let object = try JSONLines.object(line, file: file)
                var fields: [String: String] = [:]
                for (key, value) in object {
                    if let text = value as? String {
                        fields[key] = text
                    } else if let number = value as? NSNumber, !InputFields.isBoolean(number) {
                        // Scores must be whole numbers: 4.0 or 1e0 are refused below like any other non-score.
                        fields[key] = number.stringValue
                    } else if value is NSNull {
                        fields[key] = ""
                    } else {
                        throw BlindReviewError(
                            file: file, line: line.number, message: "\"\(key)\" is \(value is NSNumber ? "a boolean" : "not a string or a number")",
                            fix: "write ids, annotators and preferences as strings and scores as whole numbers")
                    }
                }
                rows.append(try parse(fields, line: line.number))
            }
        } else {
            var reader = CSVTable(data: data, file: file)
            let header: [String]
            do { header = try reader.header() } catch let error as AgreementError { throw BlindReviewError(message: error.description) }
            var columns = Set<String>()
            for name in header where !columns.insert(name).inserted {
                throw BlindReviewError(
                    file: file, line: 1, message: "column \"\(name)\" appears twice in the header (column names are compared without case)",
                    fix: "keep one column of each name")
            }
            guard header.contains("id"), header.contains("annotator"), header.contains("preference") else {
                throw BlindReviewError(file: file, line: 1, message: "the header must have id, annotator and preference", fix: "write id,annotator,preference[,accuracy_a,accuracy_b,...]")
            }
            while true {
                let next: ([String], Int)?
                do { next = try reader.next() } catch let error as AgreementError { throw BlindReviewError(message: error.description) }
                guard let (values, line) = next else { break }
                guard values.count == header.count else {
                    throw BlindReviewError(file: file, line: line, message: "\(values.count) fields, expected \(header.count)", fix: "quote fields that contain commas")
                }
                // A cell exported with a leading ' against spreadsheet formulas reads as it was.
                rows.append(try parse(Dictionary(uniqueKeysWithValues: zip(header, values.map(SpreadsheetSafety.restore))), line: line))
            }
        }
        return rows
    }
}
