import Foundation

/// A journal read back: its header, folded state, and anything worth a warning (a torn last line).
public struct LoadedJournal: Sendable {
    public var header: JournalHeader
    public var state: JournalState
    public var events: [JournalEvent]
    public var warnings: [BlindReviewWarning]
    /// Byte length of the intact part; a writer truncates a torn tail to this before appending.
    public var intactLength: Int
}

/// Reads a journal and folds it, checking every line against the study.
///
/// A torn final line (a crash mid-write) is reported and skipped; a bad line anywhere else is an error naming
/// the file and line, since it means the file was damaged or edited.
public enum JournalLoader {
    public static func load(
        _ url: URL, study: Study, studySHA256: String, annotator: String
    ) throws -> LoadedJournal {
        let data = try JSONLines.readFile(url.path)
        return try load(data: data, file: url.path, study: study, studySHA256: studySHA256, annotator: annotator)
    }

    public static func load(
        data: Data, file: String, study: Study, studySHA256: String, annotator: String
    ) throws -> LoadedJournal {
        guard let plan = study.plan(for: annotator) else {
            throw BlindReviewError(
                file: file, message: "annotator \"\(annotator)\" is not in study \"\(study.name)\"",
                fix: "use one of: \(study.annotators.map(\.name).joined(separator: ", "))")
        }
        let items = study.itemIndex()
        var warnings: [BlindReviewWarning] = []
        var state = JournalState(slotCount: plan.queue.count)
        var events: [JournalEvent] = []
        var header: JournalHeader?
        let decoder = JSONDecoder()
        var lineNumber = 0
        var start = data.startIndex
        var intactLength = 0
        while start < data.endIndex {
            lineNumber += 1
            let newline = data[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? data.endIndex
            let bytes = data[start..<end]
            let isLast = newline == nil || newline! + 1 == data.endIndex
            defer { start = newline.map { $0 + 1 } ?? data.endIndex }
            if bytes.isEmpty {
                if newline != nil { intactLength = end + 1 - data.startIndex }
                continue
            }
            func torn(_ why: String) -> BlindReviewWarning {
                BlindReviewWarning(
                    file: file, line: lineNumber,
                    message: "last line is incomplete (\(why); probably a crash while saving); skipped, every earlier line kept")
            }
            if header == nil {
                guard let parsed = try? decoder.decode(JournalHeader.self, from: bytes), parsed.type == "header" else {
                    if isLast && newline == nil {
                        warnings.append(torn("no header yet"))
                        break
                    }
                    throw BlindReviewError(
                        file: file, line: lineNumber, message: "not a blindreview journal (the first line must be its header)",
                        fix: "move this file out of journals/")
                }
                guard parsed.schema <= JournalHeader.schemaVersion else {
                    throw BlindReviewError(file: file, line: lineNumber, message: "journal schema \(parsed.schema) is newer than this blindreview", fix: "update blindreview")
                }
                guard parsed.studySHA256 == studySHA256 else {
                    throw BlindReviewError(
                        file: file, line: lineNumber,
                        message: "this journal belongs to another study (\"\(parsed.study)\", hash \(parsed.studySHA256.prefix(12))…), not to \"\(study.name)\" (hash \(studySHA256.prefix(12))…)",
                        fix: "put it back in the study it came from, or remove it from journals/")
                }
                guard parsed.annotator == annotator else {
                    throw BlindReviewError(
                        file: file, line: lineNumber,
                        message: "this journal belongs to annotator \"\(parsed.annotator)\", not \"\(annotator)\"",
                        fix: "rename it to journals/\(parsed.annotator).jsonl")
                }
                header = parsed
                if newline != nil { intactLength = end + 1 - data.startIndex }
                continue
            }
            guard let event = try? decoder.decode(JournalEvent.self, from: bytes) else {
                if isLast && newline == nil {
                    warnings.append(torn("cut off mid-line"))
                    break
                }
                throw BlindReviewError(
                    file: file, line: lineNumber, message: "corrupt journal line",
                    fix: "restore the journal from a copy; lines before this one are intact")
            }
            do {
                try check(event, plan: plan, study: study, items: items)
                guard event.seq > state.lastSeq else {
                    throw BlindReviewError(message: "event number \(event.seq) is not after \(state.lastSeq)")
                }
                try state.apply(event)
            } catch let error as BlindReviewError {
                throw BlindReviewError(
                    file: file, line: lineNumber, message: "invalid journal event: \(error.message)",
                    fix: "this line does not fit the study; restore the journal from a copy")
            }
            events.append(event)
            // A complete last line missing only its newline is kept; the writer adds the newline.
            intactLength = end - data.startIndex + (newline != nil ? 1 : 0)
        }
        guard let header else {
            throw BlindReviewError(file: file, message: "empty journal", fix: "remove the empty file from journals/")
        }
        return LoadedJournal(header: header, state: state, events: events, warnings: warnings, intactLength: intactLength)
    }

    static func check(_ event: JournalEvent, plan: AnnotatorPlan, study: Study, items: [String: Int]) throws {
        if event.type == .undo {
            guard event.target != nil else { throw BlindReviewError(message: "undo without a target") }
            return
        }
        guard let slot = event.slot, plan.queue.indices.contains(slot) else {
            throw BlindReviewError(message: "slot \(event.slot.map(String.init) ?? "missing") is outside the queue of \(plan.queue.count)")
        }
        let entry = plan.queue[slot]
        if let item = event.item, item != entry.item {
            throw BlindReviewError(message: "slot \(slot) holds pair \(entry.item), not \(item)")
        }
        switch event.type {
        case .rating:
            guard let response = event.response, entry.side(of: response) != nil else {
                throw BlindReviewError(message: "response \(event.response ?? "missing") is not in pair \(entry.item)")
            }
            guard let id = event.criterion, let criterion = study.rubric.criterion(id) else {
                throw BlindReviewError(message: "criterion \(event.criterion ?? "missing") is not in the rubric")
            }
            if let value = event.value, !criterion.scores.contains(value) {
                throw BlindReviewError(message: "score \(value) is outside \(criterion.min)-\(criterion.max)")
            }
        case .preference:
            if let option = event.option, study.rubric.preference.option(option) == nil {
                throw BlindReviewError(message: "preference \(option) is not a rubric option")
            }
        default:
            break
        }
    }
}
