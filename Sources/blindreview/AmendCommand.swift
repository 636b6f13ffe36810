import ArgumentParser
import BlindReviewCore
import BlindReviewReport
import Foundation

extension BlindReview {
    /// `blindreview amend STUDY CHANGE ...`: the study comes first (as in every other command), then the change,
    /// whose own arguments are parsed by its command (``AddAnnotator``, ...).
    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a running study without touching what annotators saved (appends to amendments.jsonl).",
            discussion: """
                Changes:
                  add-annotator NAME [--per-item K]
                  retire-annotator NAME [--reassign]
                  withdraw PAIR --reason TEXT
                  add-pairs (--model NAME=FILE ... | --pairs FILE) [--per-item K]
                  add-overlap --pairs disputed|all --per-item K
                Every change takes --reason TEXT and --key PATH; `blindreview amend STUDY CHANGE --help` describes it.

                Examples:
                  blindreview amend demo add-annotator dave
                  blindreview amend demo retire-annotator bob --reassign --reason "left the project"
                  blindreview amend demo withdraw p3c1f0a9b2d4e6f80 --reason "response B is cut off"
                  blindreview amend demo add-pairs --model base=more/base.jsonl --model tuned=more/tuned.jsonl --per-item 2
                  blindreview amend demo add-overlap --pairs disputed --per-item 3
                """)

        enum Change: String, ExpressibleByArgument, CaseIterable {
            case addAnnotator = "add-annotator", retireAnnotator = "retire-annotator", withdraw, addPairs = "add-pairs", addOverlap = "add-overlap"

            var command: ParsableCommand.Type {
                switch self {
                case .addAnnotator: return AddAnnotator.self
                case .retireAnnotator: return RetireAnnotator.self
                case .withdraw: return Withdraw.self
                case .addPairs: return AddPairs.self
                case .addOverlap: return AddOverlap.self
                }
            }
        }

        @Argument(help: "The study: a bare name means sessions/<name>/.", completion: StudyCompletion.kind)
        var study: String

        @Argument(help: "The change: add-annotator, retire-annotator, withdraw, add-pairs or add-overlap.")
        var change: Change

        @Argument(parsing: .captureForPassthrough, help: "The change's own arguments.")
        var arguments: [String] = []

        func run() throws {
            let type = change.command
            if arguments.contains("--help") || arguments.contains("-h") {
                print(type.helpMessage(columns: nil))
                return
            }
            var command: ParsableCommand
            do {
                command = try type.parseAsRoot([study] + arguments)
            } catch {
                FileHandle.standardError.write(Data((type.fullMessage(for: error) + "\n").utf8))
                throw ExitCode(ExitStatus.usage)
            }
            try command.run()
        }
    }
}

/// The arguments every `amend` subcommand takes.
struct AmendOptions: ParsableArguments {
    // Given before the change's name (`amend STUDY CHANGE ...`), so the usage line shows it there.
    @Argument(help: ArgumentHelp("The study: a bare name means sessions/<name>/.", visibility: .hidden), completion: StudyCompletion.kind)
    var study: String

    @Option(help: ArgumentHelp("The key (default: sessions/.keys/<study>.json).", valueName: "PATH"))
    var key: String?

    @Option(help: ArgumentHelp("Why (stored in the log, shown in report and status; annotators can read it: name no model).", valueName: "TEXT"))
    var reason: String?

    var store: StudyStore { StudyStore.resolve(study) }

    var keyURL: URL { key.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? store.defaultKeyFile }
}

/// One amendment from start to end: under the study's amendment lock, load the effective study (and the key,
/// journals and items when the change needs them), work out the change, append it, say what was done.
enum AmendRunner {
    struct Context {
        var store: StudyStore
        var study: Study
        var hash: String
        var log: AmendmentLog.Contents
        var key: StudyKey?
        /// The number the new amendment gets.
        var seq: Int { log.entries.count + 1 }

        func planner(items override: StudyItems? = nil) throws -> AmendmentPlanner {
            let journals = StudyJournals.load(store: store, study: study, studySHA256: hash)
            if let refused = journals.refused.first { throw refused }
            if let name = journals.unreadable.first {
                throw BlindReviewError(message: "\(name)'s journal cannot be read by you, so what they finished is unknown", fix: "run amend as the lead, who can read every journal")
            }
            return try AmendmentPlanner(study: study, key: key!, items: try override ?? store.loadItems(for: study), journals: journals.journals, seq: seq)
        }
    }

    /// Runs `decide` under the lock and appends the change it returns (nil: nothing to append).
    static func run(_ options: AmendOptions, needsKey: Bool, reasonRequired: Bool = false, _ decide: (Context) throws -> (change: AmendmentChange, cleanup: [URL])?) throws {
        let store = options.store
        try store.requireStudy()
        if reasonRequired, (options.reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw BlindReviewError(message: "say why with --reason TEXT", fix: "the reason is shown in the report with the change")
        }
        try AmendmentLog.withLock(store: store) {
            let (study, hash) = try store.load()
            let log = try AmendmentLog.read(store: store, studyID: study.studyID, studySHA256: hash)
            let key: StudyKey?
            if needsKey {
                key = try StudyStore.loadKey(at: options.keyURL, for: study)
            } else if !(options.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                // Only the key knows the study's model names, and annotators read the log, where an entry stays for good.
                do {
                    key = try StudyStore.loadKey(at: options.keyURL, for: study)
                } catch let error as BlindReviewError {
                    throw BlindReviewError(
                        file: error.file, line: error.line,
                        message: "\(error.message); the key is needed to check --reason for the study's model names (annotators can read the log, and an entry cannot be taken back)",
                        fix: error.fix ?? "pass --key PATH")
                }
            } else {
                key = try? StudyStore.loadKey(at: options.keyURL, for: study)
            }
            let reason = try checkedReason(options.reason, key: key)
            guard let (change, cleanup) = try decide(Context(store: store, study: study, hash: hash, log: log, key: key)) else { return }
            do {
                let entry = try AmendmentLog.append(change, reason: reason, to: log, store: store, studyID: study.studyID, studySHA256: hash)
                printHuman("amendment \(entry.seq): \(change.summary)\(reason.map { " (\(VisibleText.line($0)))" } ?? "")")
            } catch {
                // The files written for this amendment are named by nothing: take them back.
                for url in cleanup { try? FileManager.default.removeItem(at: url) }
                throw error
            }
        }
    }

    /// The reason, one line, at most 500 characters, and naming no model (annotators can read the log).
    static func checkedReason(_ reason: String?, key: StudyKey?) throws -> String? {
        guard let raw = reason else { return nil }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        // Counted in code points too: one letter with thousands of combining marks is a single character.
        guard text.count <= 500, text.unicodeScalars.count <= 2000, !text.contains(where: { $0.isNewline }) else {
            throw BlindReviewError(message: "--reason must be one line of at most 500 characters", fix: "shorten it")
        }
        // Control and format characters (escape sequences, bidi overrides, zero-width marks) have no place in a
        // reason that terminals and reports show, and could hide a name from the scan below.
        if let bad = text.unicodeScalars.first(where: { [.control, .format, .surrogate, .unassigned, .privateUse].contains($0.properties.generalCategory) }) {
            throw BlindReviewError(
                message: "--reason holds the invisible or control character U+\(String(bad.value, radix: 16, uppercase: true))",
                fix: "type the reason as plain text")
        }
        let scanner = LeakScanner(models: key?.models ?? [])
        // The study's own model names count even when they are ordinary words ("base", "tuned"): here the lead
        // writes about this study's responses, so "the tuned answer" names one.
        let words = Set(text.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "-" }.map(String.init))
        let term = scanner.matches(in: text).first?.term ?? key?.models.first { words.contains($0.lowercased()) }
        if let term {
            throw BlindReviewError(
                message: "the reason names \"\(VisibleText.line(term))\"; annotators can read the amendment log, so it must not name a model or vendor",
                fix: "say what is wrong without naming the model (\"response B is cut off\")")
        }
        return text
    }
}

extension BlindReview.Amend {
    struct AddAnnotator: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blindreview amend <study> add-annotator",
            abstract: "Add an annotator: every pair, or with --per-item K a balanced share (hidden repeats included).")

        @OptionGroup var options: AmendOptions

        @Argument(help: "The new annotator's name (letters, digits, '.', '_', '-').")
        var name: String

        @Option(name: .customLong("per-item"), help: ArgumentHelp("The share a design of K annotators per pair gives each (pairs with the fewest raters first); default: every pair.", valueName: "K"))
        var perItem: Int?

        func run() throws {
            try failing {
                try AmendRunner.run(options, needsKey: true) { context in
                    // A journal of that name (a judge's, an adjudicator's, a copy left behind) would be read as theirs.
                    let journal = context.store.journalFile(for: name)
                    if AnnotatorName.isValid(name), FileManager.default.fileExists(atPath: journal.path) || SafeFile.isSymbolicLink(journal) {
                        throw BlindReviewError(file: journal.path, message: "a journal of this name is already in the study", fix: "choose another name, or move that journal away first")
                    }
                    var planner = try context.planner()
                    return (try planner.addAnnotator(name, perItem: perItem), [])
                }
                printHuman("next: blindreview annotate \(options.study) --annotator \(name)")
            }
        }
    }

    struct RetireAnnotator: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blindreview amend <study> retire-annotator",
            abstract: "Retire an annotator: their saved judgments stay and count; --reassign hands their unfinished pairs to others.")

        @OptionGroup var options: AmendOptions

        @Argument(help: "The annotator to retire.")
        var name: String

        @Flag(help: "Hand their unfinished pairs to the least-loaded other annotators (needs the key).")
        var reassign = false

        func run() throws {
            try failing {
                try AmendRunner.run(options, needsKey: reassign) { context in
                    guard reassign else {
                        guard context.study.plan(for: name) != nil else {
                            throw BlindReviewError(message: "\(name) is not an annotator of this study", fix: "use one of: \(context.study.annotators.map(\.name).joined(separator: ", "))")
                        }
                        guard !context.study.isRetired(name) else { throw BlindReviewError(message: "\(name) is already retired", fix: "nothing to do") }
                        return (.retireAnnotator(name: name, reassigned: []), [])
                    }
                    var planner = try context.planner()
                    let (change, unplaced) = try planner.retire(name, reassign: true)
                    if unplaced > 0 { printError("note: \(unplaced) unfinished pair(s) could not be reassigned: every other active annotator already has them") }
                    return (change, [])
                }
            }
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blindreview amend <study> withdraw",
            abstract: "Withdraw a pair: annotators skip it from now on; reports and exports leave it out and say why. Its judgments stay in the journals.")

        @OptionGroup var options: AmendOptions

        @Argument(help: "The pair id (p and 16 hex digits, as the report and status list them).")
        var pair: String

        func run() throws {
            try failing {
                // A pair id pasted from a report often brings a space or a newline with it.
                let pair = self.pair.trimmingCharacters(in: .whitespacesAndNewlines)
                // The pair's hidden repeats go with it, one entry each (only the key knows them; annotators would
                // still be shown them otherwise). A run cut off between entries is finished by running it again.
                var copies: [String] = []
                try AmendRunner.run(options, needsKey: false, reasonRequired: true) { context in
                    guard context.study.itemIDs.contains(pair) else {
                        throw BlindReviewError(message: "the study has no pair \"\(VisibleText.line(pair))\"", fix: "copy the pair id from the report (p and 16 hex digits)")
                    }
                    copies = (context.key?.pairs.filter { $0.value.repeatOf?.item == pair }.map(\.key).sorted() ?? [])
                        .filter { context.study.withdrawn[$0] == nil }
                    guard context.study.withdrawn[pair] == nil else {
                        guard !copies.isEmpty else { throw BlindReviewError(message: "pair \(pair) is already withdrawn", fix: "nothing to do") }
                        return (.withdraw(pair: copies.removeFirst()), [])
                    }
                    return (.withdraw(pair: pair), [])
                }
                for copy in copies {
                    try AmendRunner.run(options, needsKey: false, reasonRequired: true) { context in
                        context.study.withdrawn[copy] == nil ? (.withdraw(pair: copy), []) : nil
                    }
                }
                if !copies.isEmpty { printHuman("(withdrawn with its hidden repeat\(copies.count == 1 ? "" : "s"), which annotators would still be shown)") }
            }
        }
    }

    struct AddPairs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blindreview amend <study> add-pairs",
            abstract: "Add pairs (the input flags of create): blinded and leak-scanned like the study's, assigned and balanced.")

        @OptionGroup var options: AmendOptions

        @OptionGroup(title: "Outputs (the study's models only)")
        var inputs: ComparisonInputOptions

        @Option(name: .customLong("per-item"), help: ArgumentHelp("Annotators per new pair (least-loaded first); default: every active annotator.", valueName: "K"))
        var perItem: Int?

        @Option(name: .customLong("repeat"), help: ArgumentHelp("Hidden repeats per annotator among the new pairs (sides swapped), as create --repeat.", valueName: "N"))
        var repeats: Int = 0

        func validate() throws {
            if let perItem, perItem < 1 { throw ValidationError("--per-item must be at least 1") }
            if repeats < 0 { throw ValidationError("--repeat must be 0 or more") }
        }

        func run() throws {
            try failing {
                let (input, extraTerms) = try inputs.load()
                input.warnings.forEach(warn)
                try AmendRunner.run(options, needsKey: true) { context in
                    let store = context.store, seq = context.seq
                    // A part of this number already here belongs to no amendment: left by an add-pairs cut off before its
                    // log line, or the only mapping of pairs whose log line was lost. Never overwritten; the lead decides.
                    let leftover = AmendmentKeyPart.file(for: options.keyURL, seq: seq)
                    if FileManager.default.fileExists(atPath: leftover.path) || SafeFile.isSymbolicLink(leftover) {
                        throw BlindReviewError(
                            file: leftover.path, message: "a key part for amendment \(seq) is already here, but the log has no amendment \(seq): an earlier add-pairs was interrupted before its log line, or the log was cut back",
                            fix: "if that add-pairs was interrupted, remove this file (and items-\(seq).jsonl if present) and run it again; if the log was cut, restore amendments.jsonl from the lead's copy and keep this file (it unblinds those pairs)")
                    }
                    var added = try PairAddition.build(input, study: context.study, key: context.key!, seq: seq, extraLeakTerms: extraTerms)
                    let originals = added.itemIDs.count
                    let itemsURL = store.addedItemsFile(seq: seq)
                    let studyItems = try store.loadItems(for: context.study)
                    var planner = try context.planner(items: studyItems)
                    let raters = try planner.ratersOfAdded(added.itemIDs, perItem: perItem)
                    // Hidden repeats among the new pairs, chosen and copied as create does, then placed as units.
                    let chosen = try planner.repeatsAmongAdded(raters, count: repeats)
                    let copies = try added.addRepeats(of: chosen, study: context.study, key: context.key!, seq: seq)
                    planner.items = try studyItems.appending(data: added.itemsData, file: itemsURL.path, ids: added.itemIDs)
                    for (id, entry) in added.keyPart.pairs { planner.key.pairs[id] = entry }
                    let appended = try planner.appendAdded(raters, copies: copies)
                    if !copies.isEmpty { printHuman("\(originals) new pairs, plus \(copies.count) hidden repeats among them") }
                    printLeakLines(
                        added.leaks, redact: context.study.redacted,
                        unredactedHint: "added pairs follow the study, which was created without --redact (annotators see the text as it is); leave such pairs out of the input if they should not be seen")
                    // The text and the key part first, the log entry that names them last.
                    try SafeFile.createNew(added.itemsData, at: itemsURL)
                    let keyPart: URL
                    do {
                        keyPart = try AmendmentKeyPart.write(added.keyPart, keyFile: options.keyURL)
                    } catch {
                        try? FileManager.default.removeItem(at: itemsURL)
                        throw error
                    }
                    let change = AmendmentChange.addPairs(
                        itemsFile: itemsURL.lastPathComponent, itemsSHA256: SHA256Digest.hex(of: added.itemsData), itemIDs: added.itemIDs, appended: appended)
                    printHuman("key part: \(keyPart.path) (keep it with the key; the added pairs cannot be unblinded without it)")
                    return (change, [itemsURL, keyPart])
                }
            }
        }
    }

    struct AddOverlap: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blindreview amend <study> add-overlap",
            abstract: "More annotators on the pairs that need them: the report's most disputed pairs, or all, up to K raters each.")

        enum Which: String, ExpressibleByArgument, CaseIterable { case disputed, all }

        @OptionGroup var options: AmendOptions

        @Option(help: "Which pairs: disputed (the report's most disputed pairs) or all.")
        var pairs: Which

        @Option(name: .customLong("per-item"), help: ArgumentHelp("Raters each of those pairs should have.", valueName: "K"))
        var perItem: Int

        func validate() throws {
            if perItem < 1 { throw ValidationError("--per-item must be at least 1") }
        }

        func run() throws {
            try failing {
                try AmendRunner.run(options, needsKey: true) { context in
                    var roots: [String]?
                    if pairs == .disputed {
                        let journals = StudyJournals.load(store: context.store, study: context.study, studySHA256: context.hash)
                        var items: [String: StudyItem] = [:]
                        for item in try context.store.loadItems(for: context.study).all() { items[item.id] = item }
                        let report = StudyReport.compute(study: context.study, items: items, key: context.key, blind: true, journals: journals, bootstrap: 0, seed: 1)
                        roots = report.agreement.disputed.map(\.item)
                        guard !roots!.isEmpty else {
                            printHuman("no disputed pairs (the report lists none): nothing to add")
                            return nil
                        }
                    }
                    var planner = try context.planner()
                    let (change, short) = try planner.addOverlap(roots: roots, perItem: perItem)
                    guard !change.appended.isEmpty else {
                        printHuman("every chosen pair already has \(perItem) or more raters: nothing to add")
                        return nil
                    }
                    if short > 0 { printError("note: \(short) pair(s) stay below \(perItem) raters: too few active annotators without them") }
                    return (change, [])
                }
            }
        }
    }
}
