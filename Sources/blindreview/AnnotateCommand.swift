import ArgumentParser
import BlindReviewCore
import BlindReviewTUI
import BlindReviewTerminal
import Foundation

extension BlindReview {
    struct Annotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rate a study's pairs as one annotator.",
            discussion: "Example:\n  blindreview annotate demo --annotator alice")

        @Argument(help: "The study: a bare name means sessions/<name>/.", completion: StudyCompletion.kind)
        var study: String

        @Option(help: "Your annotator name, as listed when the study was created.")
        var annotator: String

        func run() throws {
            try failing {
                try AnnotateRunner.run(store: StudyStore.resolve(study), annotator: annotator)
            }
        }
    }
}

/// Runs an annotation session: checks the study, takes the annotator's lock, opens the journal, then drives
/// the pure UI (``AnnotationUpdate``/``AnnotationView``) with the terminal, writing every change to the journal
/// (fsynced) before the screen shows it.
enum AnnotateRunner {
    /// `adjudicating`, for `blindreview adjudicate`: given the study and its hash, returns the study with the
    /// adjudicator's derived plan added and the pairs to settle (``AdjudicationBrief``); it runs before the lock
    /// is taken and the terminal is started.
    static func run(
        store: StudyStore, annotator: String, adjudicating: ((Study, String) throws -> (Study, AdjudicationBrief))? = nil
    ) throws {
        try AnnotatorName.validate(annotator)
        var (study, hash) = try store.load()
        var brief: AdjudicationBrief?
        if let adjudicating {
            (study, brief) = try adjudicating(study, hash)
        }
        guard study.plan(for: annotator) != nil else {
            throw BlindReviewError(
                message: "annotator \"\(annotator)\" is not in study \"\(study.name)\"",
                fix: "use one of: \(study.annotators.map(\.name).joined(separator: ", "))")
        }
        if let seq = study.retired[annotator] {
            throw BlindReviewError(
                file: store.amendmentsFile.path, message: "annotator \"\(annotator)\" was retired from study \"\(study.name)\" by amendment \(seq); what they saved counts",
                fix: "ask the lead to add you again under a new name (amend add-annotator) if you should carry on")
        }
        var watch = AmendmentWatch(store: store)
        let items = try store.loadItems(for: study)
        let guidelines = try StudyGuidelines.read(store: store, study: study)
        let lock = try AnnotatorLock.acquire(store: store, annotator: annotator)
        defer { lock.release() }
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
        (study.amendmentWarnings + writer.warnings).forEach(warn)
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal.start()
        } catch let error as TerminalError {
            // The terminal layer names `annotate`; the adjudication screen is the same screen under another command.
            let message = brief == nil ? error.description : error.description.replacingOccurrences(of: "blindreview annotate", with: "blindreview adjudicate")
            throw BlindReviewError(message: message, fix: "run it in a terminal (over SSH: ssh -t)")
        }
        let size = terminal.size
        var state = AnnotationState(study: study, items: items, annotator: annotator, journal: writer.state, width: size.width, height: size.height)
        if let brief { state.adjudicate(brief) }
        if let warning = writer.warnings.first { state.message = warning.message }
        state.showGuidelinesOnFirstOpen(guidelines)
        var pending: [Effect]
        (state, pending) = AnnotationUpdate.start(state, time: now())
        var running = true
        var endedBy: Int32?
        var shownSlot = state.slot
        var amendmentProblem: String?
        /// When the amendment log changed: reload the effective study, let the journal writer follow it, and
        /// hand it to update (which moves on from a withdrawn pair). A log that cannot be read now is said once;
        /// the session carries on with the study as it was.
        func followAmendments() {
            guard watch.changed() else { return }
            do {
                var (amended, _) = try store.load()
                // An adjudicator's plan is derived from the pairs: derive it again (it only grows); the pairs to
                // settle stay those the session opened with.
                if let adjudicating { amended = try adjudicating(amended, hash).0 }
                let amendedItems = try store.loadItems(for: amended)
                writer.adopt(amended)
                var more: [Effect]
                (state, more) = AnnotationUpdate.update(state, .studyAmended(amended, items: amendedItems, journal: writer.state, time: now()))
                pending += more
                amendmentProblem = nil
            } catch {
                let text = (error as? BlindReviewError)?.description ?? "\(error)"
                if amendmentProblem != text { state.message = "The lead's changes cannot be read (\(text)); carrying on as before" }
                amendmentProblem = text
            }
        }
        while running {
            // Carry out effects; each saved event goes back through update before the next frame.
            while !pending.isEmpty {
                let effect = pending.removeFirst()
                var more: [Effect] = []
                do {
                    switch effect {
                    case .append(let event):
                        let stored = try writer.append(event)
                        (state, more) = AnnotationUpdate.update(state, .saved(stored))
                    case .undo:
                        if let stored = try writer.undo() { (state, more) = AnnotationUpdate.update(state, .saved(stored)) }
                    case .quit:
                        running = false
                    }
                    if let notice = writer.takeNotice() {
                        (state, _) = AnnotationUpdate.update(state, .journalReloaded(writer.state, notice: notice, time: now()))
                    }
                } catch {
                    // Nothing of it is on disk: it and every write queued after it stay pending (quitting still quits).
                    let reason = (error as? JournalSaveError)?.reason ?? (error as? BlindReviewError)?.message ?? "\(error)"
                    let held = [effect] + pending.filter { $0 != .quit }
                    pending = pending.filter { $0 == .quit }
                    (state, more) = AnnotationUpdate.update(state, .notSaved(reason: reason, effects: held))
                }
                pending += more
            }
            guard running else { break }
            // At each move to another pair, pick up the lead's amendments (also once a second while idle, below).
            if state.slot != shownSlot {
                shownSlot = state.slot
                followAmendments()
                if !pending.isEmpty { continue }
            }
            terminal.draw(AnnotationView.render(state))
            let message: Message
            switch terminal.read(timeoutMilliseconds: 1000) {
            case .none:
                message = .tick(time: now())
                // Idle: notice a journal replaced under the session within a second, not only at the next change.
                if (try? writer.followIfReplacedNow()) == true, let notice = writer.takeNotice() {
                    (state, _) = AnnotationUpdate.update(state, .journalReloaded(writer.state, notice: notice, time: now()))
                }
                followAmendments()
            case .key(let key): message = .key(key, time: now())
            case .resize(let width, let height): message = .resize(width: width, height: height)
            }
            var more: [Effect]
            (state, more) = AnnotationUpdate.update(state, message)
            pending += more
            if endedBy == nil, let sig = terminal.takeSignal() {
                // Leave as `q` would (the leave event keeps the pair's active time), then exit 128 + signo.
                endedBy = sig
                let (quitting, effects) = AnnotationUpdate.update(state, .key(.interrupt, time: now()))
                state = quitting
                pending += effects
            }
        }
        terminal.stop()
        let done = state.doneCount
        if state.retired, let text = state.message {
            printHuman("\(annotator): \(text) \(done) pairs done and saved in \(writer.url.path)")
            return
        }
        if let reason = state.unsavedReason, !state.unsaved.isEmpty {
            printError("\(annotator): NOT SAVED: \(reason) — your last change was not recorded; \(done)/\(state.totalCount) pairs done and saved in \(writer.url.path)")
            throw ExitCode(endedBy.map { 128 + $0 } ?? 1)
        }
        if let endedBy {
            printError("\(annotator): stopped by signal \(endedBy); \(done)/\(state.totalCount) pairs done, every judgment saved in \(writer.url.path)")
            throw ExitCode(128 + endedBy)
        }
        printHuman("\(annotator): \(done)/\(state.totalCount) pairs \(brief == nil ? "done" : "adjudicated") in study \(study.name); every judgment is saved in \(writer.url.path)")
    }

    static func now() -> Double { Date().timeIntervalSince1970 }
}
