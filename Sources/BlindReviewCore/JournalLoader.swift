import Foundation

/// A journal read back: its header, folded state, and anything worth a warning (a torn last line).
///
/// A judge's or an adjudicator's journal is loaded against a study that includes its derived plan
/// (`study.adding(DerivedQueue.plan(...))`); the header's kind must match the plan's.
public struct LoadedJournal: Sendable {
    public var header: JournalHeader
    public var state: JournalState
    /// The events, in file order; empty when loaded for reading only (``StudyJournals/load(store:study:studySHA256:)``
    /// folds them and lets them go: a 100,000-pair study has millions).
    public var events: [JournalEvent]
    /// How many events the journal holds (after its header), whether or not `events` kept them.
    public var eventCount: Int
    public var warnings: [BlindReviewWarning]
    /// Byte length of the intact part; a writer truncates a torn tail to this before appending.
    public var intactLength: Int
}

/// Reads a journal and folds it, checking every line against the study.
///
/// A torn final line (a crash mid-write) is reported and skipped; a bad line anywhere else is an error naming
/// the file and line, since it means the file was damaged or edited. Lines are read by ``JournalLineParser``
/// (fast), falling back to `JSONDecoder` for anything it does not recognise.
public enum JournalLoader {
    public static func load(
        _ url: URL, study: Study, studySHA256: String, annotator: String
    ) throws -> LoadedJournal {
        try load(url, study: study, studySHA256: studySHA256, annotator: annotator, keepingEvents: true)
    }

    /// `keepingEvents: false` folds each event as it is read and keeps none (`events` is then empty).
    static func load(
        _ url: URL, study: Study, studySHA256: String, annotator: String, keepingEvents: Bool
    ) throws -> LoadedJournal {
        // One copy of the file in memory while it is folded (a 100,000-pair study's journals are 130 MB each).
        let bytes = try readBytes(url.path)
        return try load(bytes: bytes, file: url.path, study: study, studySHA256: studySHA256, annotator: annotator, keepingEvents: keepingEvents)
    }

    public static func load(
        data: Data, file: String, study: Study, studySHA256: String, annotator: String
    ) throws -> LoadedJournal {
        try load(data: data, file: file, study: study, studySHA256: studySHA256, annotator: annotator, keepingEvents: true)
    }

    static func load(
        data: Data, file: String, study: Study, studySHA256: String, annotator: String, keepingEvents: Bool
    ) throws -> LoadedJournal {
        try load(bytes: [UInt8](data), file: file, study: study, studySHA256: studySHA256, annotator: annotator, keepingEvents: keepingEvents)
    }

    /// `fastLane: false` reads every line the general way (``JournalLineParser``, then `JSONDecoder`): the
    /// reference the tests hold the fast lane (``JournalPlanLineReader``) to.
    static func load(
        bytes: [UInt8], file: String, study: Study, studySHA256: String, annotator: String, keepingEvents: Bool,
        fastLane: Bool = true
    ) throws -> LoadedJournal {
        guard let plan = study.plan(for: annotator) else {
            throw BlindReviewError(
                file: file, message: "annotator \"\(annotator)\" is not in study \"\(study.name)\"",
                fix: "use one of: \(study.annotators.map(\.name).joined(separator: ", "))")
        }
        let lines = JSONLines.lineRanges(bytes).filter { $0.end > $0.start }
        // One fast check of the whole file (plain ASCII needs no more); otherwise each line with other bytes is
        // checked, and the first invalid one named. A newline never occurs inside a UTF-8 character, so the file
        // is valid exactly when each line is. A torn last line may end inside a character, so it is left to the
        // torn-line rule below.
        if !isASCII(bytes) {
            for line in lines where !isASCII(bytes[line.start..<line.end]) && String(validating: bytes[line.start..<line.end], as: UTF8.self) == nil {
                if line.number == lines.last?.number && !line.terminated { break }
                throw BlindReviewError(file: file, line: line.number, message: "invalid UTF-8", fix: "restore the journal from a copy; lines before this one are intact")
            }
        }
        let decoder = JSONDecoder()
        var warnings: [BlindReviewWarning] = []
        func torn(_ line: JSONLines.LineRange, _ why: String) -> BlindReviewWarning {
            BlindReviewWarning(
                file: file, line: line.number,
                message: "last line is incomplete (\(why); probably a crash while saving); skipped, every earlier line kept")
        }
        func end(_ line: JSONLines.LineRange) -> Int { line.terminated ? min(bytes.count, line.end + 1 + (bytes[line.end] == 0x0D ? 1 : 0)) : line.end }

        guard let first = lines.first else {
            throw BlindReviewError(file: file, message: "empty journal", fix: "remove the empty file from journals/")
        }
        guard let header = try? decoder.decode(JournalHeader.self, from: Data(bytes[first.start..<first.end])), header.type == "header" else {
            if lines.count == 1 && !first.terminated {
                // The header itself was being written when the process died: nothing was saved yet.
                throw BlindReviewError(file: file, line: first.number, message: "the journal's header is incomplete and no judgment was saved", fix: "remove this file and start again")
            }
            throw BlindReviewError(
                file: file, line: first.number, message: "not a blindreview journal (the first line must be its header)",
                fix: "move this file out of journals/")
        }
        guard header.schema <= JournalHeader.newestSchemaVersion else {
            throw BlindReviewError(file: file, line: first.number, message: "journal schema \(header.schema) is newer than this blindreview understands (\(JournalHeader.newestSchemaVersion)); it is refused rather than misread", fix: "update blindreview")
        }
        guard header.studySHA256 == studySHA256 else {
            throw BlindReviewError(
                file: file, line: first.number,
                message: "this journal belongs to another study (\"\(header.study)\", hash \(header.studySHA256.prefix(12))…), not to \"\(study.name)\" (hash \(studySHA256.prefix(12))…)",
                fix: "put it back in the study it came from, or remove it from journals/")
        }
        guard header.annotator == annotator else {
            throw BlindReviewError(
                file: file, line: first.number,
                message: "this journal belongs to annotator \"\(header.annotator)\", not \"\(annotator)\"",
                fix: "rename it to journals/\(header.annotator).jsonl")
        }
        guard AnnotatorKind.of(header.kind) == AnnotatorKind.of(plan.kind) else {
            throw BlindReviewError(
                file: file, line: first.number,
                message: "this journal is \(AnnotatorKind.of(header.kind).withArticle)'s, but \"\(annotator)\" is \(AnnotatorKind.of(plan.kind).withArticle) of this study",
                fix: "a name belongs to one kind of annotator; move the journal out of journals/ or use another name")
        }
        var body = Array(lines.dropFirst())
        var intactLength = end(first)
        // A last line without its newline may be torn: keep it only if it decodes on its own.
        if let last = body.last, !last.terminated,
            (try? decoder.decode(JournalEvent.self, from: Data(bytes[last.start..<last.end]))) == nil
        {
            warnings.append(torn(last, "cut off mid-line"))
            body.removeLast()
        }
        var events: [JournalEvent] = []
        if keepingEvents { events.reserveCapacity(body.count) }
        var state = JournalState(slotCount: plan.queue.count)
        var previousTime = ""
        // The fast lane reads most lines straight against the plan; any other line goes the general way below.
        var reader = fastLane ? JournalPlanLineReader(plan: plan, rubric: study.rubric) : nil
        // One pass: each line is read, checked and folded (and kept only when asked for).
        for line in body {
            let slice = bytes[line.start..<line.end]
            let fast = reader?.read(slice)
            guard var event = fast ?? JournalLineParser.parse(slice) ?? (try? decoder.decode(JournalEvent.self, from: Data(slice))) else {
                throw BlindReviewError(
                    file: file, line: line.number, message: "corrupt journal line",
                    fix: "restore the journal from a copy; lines before this one are intact")
            }
            do {
                if fast == nil {
                    try check(event, plan: plan, study: study)
                    if event.type == .error {
                        guard AnnotatorKind.of(plan.kind) == .judge, header.schema >= JournalHeader.judgeSchemaVersion else {
                            throw BlindReviewError(message: "an error event belongs only in a judge's journal (schema \(JournalHeader.judgeSchemaVersion))")
                        }
                        guard let option = event.option, JudgeErrorSource(rawValue: option) != nil else {
                            throw BlindReviewError(message: "error source \(event.option ?? "missing") is not judge or command")
                        }
                    }
                    // The pair and response ids, once checked, point at the plan's own strings: a journal of millions
                    // of events then holds one copy of each id instead of one per event.
                    if let slot = event.slot, plan.queue.indices.contains(slot) {
                        let entry = plan.queue[slot]
                        if event.item != nil { event.item = entry.item }
                        if let response = event.response { event.response = response == entry.a ? entry.a : entry.b }
                    }
                }
                // Events written together (an import, a merge) share their time: keep one copy of it.
                if event.t == previousTime { event.t = previousTime } else { previousTime = event.t }
                guard event.seq > state.lastSeq else {
                    throw BlindReviewError(message: "event number \(event.seq) is not after \(state.lastSeq)")
                }
                guard event.seq <= InputLimits.maxEventNumber else {
                    throw BlindReviewError(message: "event number \(event.seq) is above the limit of \(InputLimits.maxEventNumber)")
                }
                if let seconds = event.activeSeconds, !(seconds.isFinite && seconds >= 0 && seconds <= InputLimits.maxActiveSeconds) {
                    throw BlindReviewError(message: "active_seconds \(seconds) is outside 0-\(Int(InputLimits.maxActiveSeconds))")
                }
                try state.apply(event)
            } catch let error as BlindReviewError {
                throw BlindReviewError(
                    file: file, line: line.number, message: "invalid journal event: \(error.message)",
                    fix: "this line does not fit the study; restore the journal from a copy")
            }
            // A complete last line missing only its newline is kept; the writer adds the newline.
            intactLength = end(line)
            if keepingEvents { events.append(event) }
        }
        return LoadedJournal(header: header, state: state, events: events, eventCount: body.count, warnings: warnings, intactLength: intactLength)
    }

    /// The file's bytes, read straight into one array; any trouble is left to ``JSONLines/readFile(_:)``, which
    /// names it.
    static func readBytes(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        if descriptor >= 0 {
            defer { close(descriptor) }
            var info = stat()
            if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                let size = Int(info.st_size)
                var failed = false
                let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                    count = 0
                    while count < size {
                        let got = read(descriptor, buffer.baseAddress! + count, size - count)
                        if got < 0 && errno == EINTR { continue }
                        if got <= 0 { failed = got < 0; break }
                        count += got
                    }
                }
                // A file that grew while read is read again the general way, whole.
                var probe: UInt8 = 0
                if !failed, bytes.count == size, read(descriptor, &probe, 1) == 0 { return bytes }
            }
        }
        return [UInt8](try JSONLines.readFile(path))
    }

    /// True when every byte is below 0x80 (eight at a time).
    static func isASCII<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        let answer = bytes.withContiguousStorageIfAvailable { buffer -> Bool in
            var i = 0
            let count = buffer.count
            let raw = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            while i + 8 <= count {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
            while i < count {
                if buffer[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }
        return answer ?? bytes.allSatisfy { $0 < 0x80 }
    }

    static func check(_ event: JournalEvent, plan: AnnotatorPlan, study: Study) throws {
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
        case .flag:
            if let option = event.option, PairFlag(rawValue: option) == nil {
                throw BlindReviewError(message: "flag \(option) is not one of \(PairFlag.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        default:
            break
        }
    }
}
