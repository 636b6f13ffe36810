import AgreementStats
import BlindReviewCore
import Foundation

/// Brings judgments collected elsewhere into a study's journals, so the report covers them.
///
/// Input: CSV with header `id,annotator,preference[,<criterion>_a,<criterion>_b...]`, or JSONL with the same
/// fields. `id` is the pair id of the input the study was made from; `preference` is `a`, `b` or `tie` relative
/// to that input's `response_a` / `response_b` (the key says which response that was), not to any screen side.
///
///     let summary = try JudgmentImport.run(store: store, key: key, file: "labels.csv")
///     summary.imported   // 2997
public enum JudgmentImport {
    public struct Row: Sendable {
        public var id: String
        public var annotator: String
        public var preference: String?
        /// Per criterion (sorted by id), the scores for a and b; criteria the row leaves empty are not listed.
        public var scores: [Score]
        public var line: Int
        /// The models behind a and b (`model_a`, `model_b`): they pick the pair when an id gave several (three
        /// or more models), and a row in the other order is read the other way round.
        public var modelA: String?
        public var modelB: String?
        /// The signed preference strength toward a (`strength`), for a graded scale.
        public var strength: Int?
    }

    /// One criterion's scores in a row: for the input's a and b (either may be missing).
    public struct Score: Sendable, Equatable {
        public var criterion: String
        public var a: Int?
        public var b: Int?
    }

    /// At most this many events are held in memory for one write of one journal (about 20 MB, plus their
    /// lines); an import of more writes each journal in parts.
    static let eventsPerWrite = 100_000

    public struct Summary: Sendable {
        public var imported: Int
        public var annotators: [String: Int]
        /// Rows whose every value the journals already hold (an earlier import of the same rows): nothing written.
        public var alreadyImported: Int = 0
        /// Rows that changed a value already in a journal (only with `replace`), recorded as new events.
        public var replaced: Int = 0
    }

    /// Imports every row or nothing: all rows are checked, every affected annotator's lock is taken (refused
    /// with the holder's PID if any is held), each journal's length recorded; on any failure every journal is cut
    /// back to it. A value a journal already holds is skipped (a re-import says "already imported"); a
    /// different value is refused unless `replace`, which appends the change as an event.
    ///
    /// `study`, when given, is the study as `store.load()` returned it (so a command that loaded it already does
    /// not load it twice); `now` is the clock the journals' times come from.
    ///
    /// `progress`, when given, is called now and then with the work done and the total (each row counts twice:
    /// once checked, once written).
    public static func run(
        store: StudyStore, key: StudyKey, file: String, replace: Bool = false, io: FileIO = .system,
        study loadedStudy: (study: Study, sha256: String)? = nil, now: @escaping () -> Date = Date.init,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> Summary {
        try run(store: store, key: key, file: file, replace: replace, io: io, study: loadedStudy, now: now, eventsPerWrite: eventsPerWrite, progress: progress)
    }

    /// ``run(store:key:file:replace:io:study:now:progress:)`` writing each journal in parts of at most
    /// `eventsPerWrite` events (tests use small parts).
    static func run(
        store: StudyStore, key: StudyKey, file: String, replace: Bool, io: FileIO, study loadedStudy: (study: Study, sha256: String)?,
        now: @escaping () -> Date, eventsPerWrite: Int, progress: ((_ done: Int, _ total: Int) -> Void)?
    ) throws -> Summary {
        let (study, hash) = try loadedStudy ?? store.load()
        var rows = try read(file: file, rubric: study.rubric)
        var checked = 0
        // Pair by input id; an id that gave several pairs (more than two models) cannot be told apart.
        let bySource = PairsBySource.map(key: key, study: study)
        /// A checked row: where its judgment goes and what it says, in the input's response ids.
        struct Planned {
            var row: Int
            var slot: Int
            var pair: String
            /// The input's a and b response ids.
            var a: String
            var b: String
            /// The preference option to record, if the row gives a preference.
            var option: String?
        }
        // Per annotator (by plan position), the rows planned for it.
        var planned: [[Planned]] = Array(repeating: [], count: study.annotators.count)
        var planIndex: [String: Int] = [:]
        for (index, plan) in study.annotators.enumerated() where planIndex[plan.name] == nil { planIndex[plan.name] = index }
        // Each annotator's queue indexed once (pair id to its first slot that is not a legacy repeat), so a row
        // costs a lookup rather than a scan of the queue.
        var slotIndex: [[String: Int]?] = Array(repeating: nil, count: study.annotators.count)
        func slot(of pair: String, in index: Int) -> Int? {
            if slotIndex[index] == nil {
                let plan = study.annotators[index]
                var slots: [String: Int] = [:]
                slots.reserveCapacity(plan.queue.count)
                for (slot, entry) in plan.queue.enumerated() where entry.legacyRepeat != true && slots[entry.item] == nil {
                    slots[entry.item] = slot
                }
                slotIndex[index] = slots
            }
            return slotIndex[index]![pair]
        }
        let options = study.rubric.preference.options
        for position in rows.indices {
            checked += 1
            if checked % 1000 == 0 { progress?(checked, 2 * rows.count) }
            let line = rows[position].line
            func fail(_ message: String, _ fix: String) -> BlindReviewError { BlindReviewError(file: file, line: line, message: message, fix: fix) }
            let id = rows[position].id
            guard let pairs = bySource[id] else { throw fail("no pair with id \"\(id)\" in study \(study.name)", "use the ids of the input the study was created from") }
            // The pair: the only one of this id, or the one of this id whose input models are model_a and model_b
            // (in either order; a row in the other order is read the other way round).
            func models(_ pair: String) -> [String] { (key.pairs[pair]?.inputOrder ?? []).map { key.model(pair: pair, response: $0) ?? "" } }
            var chosen: String?
            if let a = rows[position].modelA, let b = rows[position].modelB {
                if let match = pairs.first(where: { models($0) == [a, b] }) {
                    chosen = match
                } else if let match = pairs.first(where: { models($0) == [b, a] }) {
                    chosen = match
                    rows[position].preference = rows[position].preference.map { $0 == "a" ? "b" : $0 == "b" ? "a" : $0 }
                    rows[position].scores = rows[position].scores.map { Score(criterion: $0.criterion, a: $0.b, b: $0.a) }
                    rows[position].strength = rows[position].strength.map { -$0 }
                } else {
                    throw fail("id \"\(id)\" has no pair of \(a) and \(b)", "check model_a and model_b (the study compares: \(pairs.map { models($0).joined(separator: " vs ") }.joined(separator: "; ")))")
                }
            } else if pairs.count == 1 {
                chosen = pairs[0]
            }
            guard let pair = chosen, let order = key.pairs[pair]?.inputOrder, order.count == 2 else {
                throw fail("id \"\(id)\" gave several pairs (three or more models)", "add model_a and model_b columns naming the two models of each row")
            }
            let annotator = rows[position].annotator
            guard let plan = planIndex[annotator] else {
                throw fail("annotator \"\(annotator)\" is not in study \(study.name)", "use one of: \(study.annotators.map(\.name).joined(separator: ", "))")
            }
            guard let slot = slot(of: pair, in: plan) else {
                throw fail("pair \"\(id)\" is not in \(annotator)'s queue", "create the study with this annotator rating this pair")
            }
            var option: String?
            if let preference = rows[position].preference {
                let entry = study.annotators[plan].queue[slot]
                let favours: Side?
                switch preference {
                case "a": favours = entry.side(of: order[0])
                case "b": favours = entry.side(of: order[1])
                default: favours = nil
                }
                let wanted = abs(rows[position].strength ?? (favours == nil ? 0 : 1))
                guard let found = options.first(where: { $0.favours == favours && (favours == nil || ($0.strength ?? 1) == wanted) })
                    ?? options.first(where: { $0.favours == favours }) else {
                    throw fail("the rubric has no option for \"\(preference)\"", "use a rubric with options favouring a, b and none")
                }
                option = found.id
            }
            planned[plan].append(Planned(row: position, slot: slot, pair: pair, a: order[0], b: order[1], option: option))
        }
        /// The row's events (preference first, then each criterion by id, a before b), before numbering.
        func events(_ item: Planned, into list: inout [JournalEvent]) {
            if let option = item.option { list.append(.preference(slot: item.slot, item: item.pair, option: option)) }
            for score in rows[item.row].scores {
                if let value = score.a { list.append(.rating(slot: item.slot, item: item.pair, response: item.a, criterion: score.criterion, value: value)) }
                if let value = score.b { list.append(.rating(slot: item.slot, item: item.pair, response: item.b, criterion: score.criterion, value: value)) }
            }
        }
        let annotators = planned.indices.filter { !planned[$0].isEmpty }.sorted { study.annotators[$0].name < study.annotators[$1].name }
        // Every lock first: a session running for any of them stops the whole import before anything is written.
        var locks: [AnnotatorLock] = []
        defer { locks.forEach { $0.release() } }
        var writers: [(plan: Int, writer: JournalWriter, length: Int, followed: Int)] = []
        for plan in annotators {
            locks.append(try AnnotatorLock.acquire(store: store, annotator: study.annotators[plan].name))
        }
        // Journals this import creates hold only their header until the end; on failure they are removed again.
        var created: [URL] = []
        func undoCreated() { created.forEach { unlink($0.path) } }
        do {
            for plan in annotators {
                let annotator = study.annotators[plan].name
                let url = store.journalFile(for: annotator)
                let existed = FileManager.default.fileExists(atPath: url.path)
                let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator, now: now, io: io)
                if !existed { created.append(url) }
                writers.append((plan, writer, writer.length, writer.replacementsFollowed))
            }
        } catch {
            undoCreated()
            throw error
        }
        var summary = Summary(imported: 0, annotators: [:])
        // In the annotator's slot order: the input's order (usually by source id) would otherwise be readable
        // from the journal, pairing the opaque ids with the source ids' order.
        for index in planned.indices { planned[index].sort { $0.slot < $1.slot } }
        // Checked against what each journal holds before anything is written: a refused row writes nothing.
        // Per annotator, the rows to write, and whether all of them (a journal that held none of their values).
        var fresh: [[Int]] = Array(repeating: [], count: study.annotators.count)
        for (plan, writer, _, _) in writers {
            let annotator = study.annotators[plan].name
            let state = writer.state
            for (index, item) in planned[plan].enumerated() {
                let judgment = state.slots[item.slot]
                var changed = false, new = false, any = false
                func compare(_ current: String?, _ wanted: String, _ what: @autoclosure () -> String) throws {
                    any = true
                    if current == wanted { return }
                    if let current {
                        guard replace else {
                            undoCreated()
                            let row = rows[item.row]
                            throw BlindReviewError(
                                file: file, line: row.line,
                                message: "pair \(row.id) by \(annotator) already has \(what()) \(current) in the journal, not \(wanted); nothing imported",
                                fix: "pass --replace to record the new value as a change, or correct the row")
                        }
                        changed = true
                    }
                    new = true
                }
                if let option = item.option { try compare(judgment.preference, option, "preference") }
                if judgment.ratings.isEmpty {
                    // Nothing scored yet: every score is new.
                    for score in rows[item.row].scores where score.a != nil || score.b != nil { any = true; new = true }
                } else {
                    for score in rows[item.row].scores {
                        for (response, value) in [(item.a, score.a), (item.b, score.b)] {
                            guard let value else { continue }
                            try compare(judgment.rating(response: response, criterion: score.criterion).map(String.init), String(value), "\(score.criterion) score")
                        }
                    }
                }
                if !new && any {
                    summary.alreadyImported += 1
                    continue
                }
                if changed { summary.replaced += 1 }
                summary.imported += 1
                summary.annotators[annotator, default: 0] += 1
                fresh[plan].append(index)
            }
        }
        do {
            var written = rows.count
            for (plan, writer, _, _) in writers {
                var batch: [JournalEvent] = []
                batch.reserveCapacity(min(eventsPerWrite, fresh[plan].count * (1 + 2 * study.rubric.criteria.count)))
                let state = writer.state
                var list: [JournalEvent] = []
                for index in fresh[plan] {
                    // A very large import goes out in parts (the roll-back below covers every part).
                    if batch.count >= eventsPerWrite {
                        try writer.append(contentsOf: batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                    let item = planned[plan][index]
                    let held = state.slots[item.slot]
                    if held.preference == nil && held.ratings.isEmpty {
                        events(item, into: &batch)
                        continue
                    }
                    // Values the journal already holds are not written again.
                    list.removeAll(keepingCapacity: true)
                    events(item, into: &list)
                    for event in list {
                        let current = event.type == .preference ? held.preference : held.rating(response: event.response!, criterion: event.criterion!).map(String.init)
                        let wanted = event.type == .preference ? event.option : event.value.map(String.init)
                        if current != wanted { batch.append(event) }
                    }
                }
                if !batch.isEmpty { try writer.append(contentsOf: consume batch) }
                written += planned[plan].count
                progress?(written, 2 * rows.count)
            }
        } catch {
            for (_, writer, length, followed) in writers { try? writer.rollBack(to: length, followed: followed) }
            undoCreated()
            let reason = (error as? JournalSaveError)?.reason ?? "\(error)"
            throw BlindReviewError(file: file, message: "import failed (\(reason)); every journal was cut back, nothing imported", fix: "fix the cause and import again")
        }
        return summary
    }

    /// Where a row's fields are among its columns: found once per CSV header (per object for JSONL).
    struct Layout {
        var id: Int?
        var annotator: Int?
        var preference: Int?
        var strength: Int?
        var modelA: Int?
        var modelB: Int?
        /// `<criterion>_a` / `<criterion>_b` columns in column order: the column's name, its position, the
        /// criterion's position in the rubric (nil: no such criterion, refused on the first row) and whether it
        /// is a's.
        var scores: [(name: String, column: Int, criterion: Int?, isA: Bool)] = []

        init(names: [String], rubric: Rubric, criteria: [String: Int], criteriaByLowercase: [String: Int]) {
            for (column, name) in names.enumerated() {
                switch name {
                case "id": id = column
                case "annotator": annotator = column
                case "preference": preference = column
                case "strength": strength = column
                case "model_a": modelA = column
                case "model_b": modelB = column
                default:
                    guard (name.hasSuffix("_a") || name.hasSuffix("_b")) && !name.hasPrefix("meta.") else { continue }
                    let stem = String(name.dropLast(2))
                    scores.append((name, column, criteria[stem] ?? criteriaByLowercase[stem.lowercased()], name.hasSuffix("_a")))
                }
            }
        }
    }

    /// Reads and checks every row before anything is written.
    static func read(file: String, rubric: Rubric) throws -> [Row] {
        let data = try JSONLines.readFile(file)
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        var criteria: [String: Int] = [:]
        for (index, criterion) in rubric.criteria.enumerated() { criteria[criterion.id] = index }
        // CSV headers are read without case, so criterion columns are matched without case too.
        var criteriaByLowercase: [String: Int] = [:]
        for (index, criterion) in rubric.criteria.enumerated() where criteriaByLowercase[criterion.id.lowercased()] == nil {
            criteriaByLowercase[criterion.id.lowercased()] = index
        }
        // Rows list their scores by criterion id.
        let byID = rubric.criteria.indices.sorted { rubric.criteria[$0].id < rubric.criteria[$1].id }
        var scoreA = [Int?](repeating: nil, count: rubric.criteria.count)
        var scoreB = scoreA
        func parse(_ layout: Layout, _ values: [String], line: Int) throws -> Row {
            func fail(_ message: String, _ fix: String) -> BlindReviewError { BlindReviewError(file: file, line: line, message: message, fix: fix) }
            func field(_ column: Int?) -> String? { column.map { values[$0] } }
            guard let id = field(layout.id), !id.isEmpty, let annotator = field(layout.annotator), !annotator.isEmpty else {
                throw fail("needs id and annotator", "fill both fields")
            }
            var preference = field(layout.preference)?.lowercased()
            if preference == "" { preference = nil }
            if let value = preference, value != "a" && value != "b" && value != "tie" {
                throw fail("preference \"\(value)\" is not a, b or tie", "write a, b or tie (relative to the input's response_a/response_b)")
            }
            for index in scoreA.indices {
                scoreA[index] = nil
                scoreB[index] = nil
            }
            for column in layout.scores {
                guard let index = column.criterion else {
                    throw fail("column \(column.name) names no rubric criterion", "use <criterion>_a and <criterion>_b with: \(rubric.criteria.map(\.id).joined(separator: ", "))")
                }
                let text = values[column.column]
                guard !text.isEmpty else { continue }
                let criterion = rubric.criteria[index]
                guard let score = Int(text), criterion.scores.contains(score) else {
                    throw fail("\(column.name) = \"\(text)\" is not a score \(criterion.min)-\(criterion.max)", "correct the score")
                }
                if column.isA { scoreA[index] = score } else { scoreB[index] = score }
            }
            var scores: [Score] = []
            for index in byID where scoreA[index] != nil || scoreB[index] != nil {
                scores.append(Score(criterion: rubric.criteria[index].id, a: scoreA[index], b: scoreB[index]))
            }
            let first = field(layout.modelA) ?? "", second = field(layout.modelB) ?? ""
            let token = id + "\u{1F}" + annotator + "\u{1F}" + (first <= second ? first + "\u{1F}" + second : second + "\u{1F}" + first)
            if let first = seen[token] { throw fail("pair \(id) by \(annotator) again (first on line \(first))", "keep one row per pair and annotator") }
            seen[token] = line
            var strength: Int?
            if let text = field(layout.strength), !text.isEmpty {
                guard let value = Int(text), (-3...3).contains(value) else {
                    throw fail("strength \"\(text)\" is not a whole number from -3 to 3", "write the signed strength toward a (0 for a tie)")
                }
                strength = value
            }
            let modelA = first.isEmpty ? nil : first
            let modelB = second.isEmpty ? nil : second
            guard (modelA == nil) == (modelB == nil) else { throw fail("model_a and model_b go together", "fill both, or neither") }
            return Row(id: id, annotator: annotator, preference: preference, scores: scores, line: line, modelA: modelA, modelB: modelB, strength: strength)
        }
        if file.hasSuffix(".jsonl") || file.hasSuffix(".json") {
            for line in try JSONLines.split(data, file: file) {
                let object = try JSONLines.object(line, file: file)
                var names: [String] = [], values: [String] = []
                for (key, value) in object {
                    names.append(key)
                    if let text = value as? String {
                        values.append(text)
                    } else if let number = value as? NSNumber, !InputFields.isBoolean(number) {
                        // Scores must be whole numbers: 4.0 or 1e0 are refused below like any other non-score.
                        values.append(number.stringValue)
                    } else if value is NSNull {
                        values.append("")
                    } else {
                        throw BlindReviewError(
                            file: file, line: line.number, message: "\"\(key)\" is \(value is NSNumber ? "a boolean" : "not a string or a number")",
                            fix: "write ids, annotators and preferences as strings and scores as whole numbers")
                    }
                }
                let layout = Layout(names: names, rubric: rubric, criteria: criteria, criteriaByLowercase: criteriaByLowercase)
                rows.append(try parse(layout, values, line: line.number))
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
            let layout = Layout(names: header, rubric: rubric, criteria: criteria, criteriaByLowercase: criteriaByLowercase)
            while true {
                let next: ([String], Int)?
                do { next = try reader.next() } catch let error as AgreementError { throw BlindReviewError(message: error.description) }
                guard let (cells, line) = next else { break }
                var values = cells
                guard values.count == header.count else {
                    throw BlindReviewError(file: file, line: line, message: "\(values.count) fields, expected \(header.count)", fix: "quote fields that contain commas")
                }
                // A cell exported with a leading ' against spreadsheet formulas reads as it was.
                for index in values.indices where values[index].utf8.first == UInt8(ascii: "'") {
                    values[index] = SpreadsheetSafety.restore(values[index])
                }
                rows.append(try parse(layout, values, line: line))
            }
        }
        return rows
    }
}
