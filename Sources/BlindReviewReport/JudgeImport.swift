import BlindReviewCore
import Foundation

/// Brings an LLM judge's verdicts into a study as a judge's journal (kind `judge`, two slots per pair: one per
/// order, see ``DerivedQueue``), so the report can set the judge against the people.
///
/// Two inputs, told apart line by line:
/// - FastChat's pairwise judgments (`model_judgment/*_pair.jsonl`): `question_id`, `model_1`, `model_2`,
///   `g1_winner`, `g2_winner` (`model_1`, `model_2`, `tie` or `error`), `turn`. Game 1 showed model_1's answer
///   first, game 2 swapped; both winners are already model names.
/// - A simple JSONL: `{"id", "winner", "swapped_winner", "scores", "model_a", "model_b", "reason"}`: `winner` is
///   `a`, `b`, `tie` or `error` relative to the input's a/b (the input's a shown first), `swapped_winner` the
///   same for the game with the input's b shown first (optional), `scores` per criterion `[score_a, score_b]`
///   for the first game (optional), `model_a`/`model_b` pick the pair when an id gave several.
///
/// An `error` verdict is journaled as an error event (kept and counted, never dropped). Model names are mapped
/// with `modelMap` (file name to study name). Hidden repeats are pairs of their own: verdicts go to the original
/// pairs only. All or nothing: every line is checked before anything is written, the judge's lock is taken,
/// and on a failed write the journal is cut back. Verdicts already in the journal are recognised ("already
/// imported"); a changed one is refused unless `replace`.
///
///     let summary = try JudgeImport.run(store: store, key: key, file: "gpt-4_pair.jsonl", judge: "gpt-4")
///     summary.games   // 150
public enum JudgeImport {
    public struct Summary: Sendable {
        /// Games (pair and order) written.
        public var games = 0
        /// Of those, error verdicts.
        public var errors = 0
        /// Pairs with at least one verdict in the file.
        public var pairs = 0
        public var alreadyImported = 0
        public var replaced = 0
        /// Lines skipped because their prompt is not in the study (only with `skipMissing`).
        public var skippedMissing = 0
    }

    /// One verdict for one order of one pair.
    struct Game {
        var line: Int
        var pair: String
        /// The response shown first (as A) in this game.
        var firstShown: String
        /// The favoured response, nil for a tie; ignored when `error` is set.
        var favoured: String?
        var error: String?
        /// Response id to criterion to score.
        var scores: [String: [String: Int]] = [:]
    }

    public static func run(
        store: StudyStore, key: StudyKey, file: String, judge: String, modelMap: [String: String] = [:], replace: Bool = false,
        skipMissing: Bool = false, io: FileIO = .system
    ) throws -> Summary {
        let (study, hash) = try store.load()
        var summary = Summary()
        let games = try read(file: file, study: study, store: store, key: key, modelMap: modelMap, skipMissing: skipMissing, summary: &summary)
        let journal = try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: judge, io: io)
        defer { journal.close() }
        let position = study.itemIndex()
        var events: [JournalEvent] = []
        // In slot order, not the file's: the file's order (game 1 shows model_1 first) is the key's knowledge, and
        // a journal whose first event per pair sat in model_1's slot would tell its reader the mapping.
        let placed = games.map { game -> (game: Game, slot: Int) in
            let index = position[game.pair]!
            let swapped = journal.plan.queue[DerivedQueue.judgeSlot(pairIndex: index, swapped: false)].a != game.firstShown
            return (game, DerivedQueue.judgeSlot(pairIndex: index, swapped: swapped))
        }.sorted { $0.slot < $1.slot }
        for (game, slot) in placed {
            let entry = journal.plan.queue[slot]
            let current = journal.writer.state.slots[slot]
            let wanted: JournalEvent
            if let error = game.error {
                wanted = .verdictError(slot: slot, item: game.pair, source: .judge, details: error)
            } else {
                guard let option = journal.option(favouring: game.favoured.flatMap(entry.side(of:))) else {
                    throw BlindReviewError(file: file, line: game.line, message: "the study's rubric has no option for this verdict", fix: "use a rubric with options favouring a, b and none")
                }
                wanted = .preference(slot: slot, item: game.pair, option: option)
            }
            var fresh: [JournalEvent] = []
            let had = current.preference != nil || current.verdictError != nil
            // An error is an error: its text (which an older version wrote differently) is no verdict to change.
            let same = wanted.type == .error ? current.verdictError != nil : current.preference == wanted.option
            if !same { fresh.append(wanted) }
            // Scores are per response: they go to the pair's stored-order slot, whichever game gave them (the game's
            // slot would tell which response was shown first in it, the input's a).
            let scoreSlot = slot - slot % 2
            let scored = journal.writer.state.slots[scoreSlot]
            for (response, scores) in game.scores.sorted(by: { $0.key < $1.key }) {
                for (criterion, value) in scores.sorted(by: { $0.key < $1.key }) where scored.rating(response: response, criterion: criterion) != value {
                    if scored.rating(response: response, criterion: criterion) != nil && !replace {
                        throw changed(file: file, line: game.line, judge: judge)
                    }
                    fresh.append(.rating(slot: scoreSlot, item: game.pair, response: response, criterion: criterion, value: value))
                }
            }
            if fresh.isEmpty { summary.alreadyImported += 1; continue }
            if !same && had {
                guard replace else { throw changed(file: file, line: game.line, judge: judge) }
                summary.replaced += 1
            }
            summary.games += 1
            if game.error != nil { summary.errors += 1 }
            events += fresh
        }
        // Slot order (stable), scores moved to a pair's first slot included.
        events = events.enumerated().sorted { ($0.element.slot ?? 0, $0.offset) < ($1.element.slot ?? 0, $1.offset) }.map(\.element)
        let length = journal.writer.length, followed = journal.writer.replacementsFollowed
        do {
            if !events.isEmpty { try journal.writer.append(contentsOf: events) }
        } catch {
            try? journal.writer.rollBack(to: length, followed: followed)
            let reason = (error as? JournalSaveError)?.reason ?? "\(error)"
            throw BlindReviewError(file: file, message: "import failed (\(reason)); the judge's journal was cut back, nothing imported", fix: "fix the cause and import again")
        }
        return summary
    }

    static func changed(file: String, line: Int, judge: String) -> BlindReviewError {
        BlindReviewError(
            file: file, line: line, message: "\(judge)'s journal already holds a different verdict for this pair and order; nothing imported",
            fix: "pass --replace to record the new verdict as a change, or use another --judge name")
    }

    /// Reads and checks every line, and resolves each verdict to a pair and the response shown first.
    static func read(
        file: String, study: Study, store: StudyStore, key: StudyKey, modelMap: [String: String], skipMissing: Bool, summary: inout Summary
    ) throws -> [Game] {
        let (_, lines) = try JSONLines.read(file)
        let bySource = PairsBySource.map(key: key, study: study)
        let inStudy = Set(study.itemIDs)
        let items = try store.loadItems(for: study)
        var seen: [String: Int] = [:]
        var games: [Game] = []
        var pairs = Set<String>()
        for line in lines {
            func fail(_ message: String, _ fix: String) -> BlindReviewError { BlindReviewError(file: file, line: line.number, message: message, fix: fix) }
            let object = try JSONLines.object(line, file: file)
            func text(_ field: String) throws -> String? {
                switch object[field] {
                case nil, is NSNull: return nil
                case let value as String: return value
                case let value as NSNumber where !InputFields.isBoolean(value): return value.stringValue
                default: throw fail("\"\(field)\" is not a string or a number", "write \(field) as a string")
                }
            }
            func model(_ field: String) throws -> String? {
                guard let name = try text(field) else { return nil }
                let mapped = modelMap[name] ?? name
                guard key.models.contains(mapped) else {
                    throw fail(
                        "model \"\(VisibleText.line(name))\" (\(field)) is not in the study (its models: \(key.models.joined(separator: ", ")))",
                        "map it with --model-map \(name)=STUDY_NAME, or check the file")
                }
                return mapped
            }
            let fastChat = object["g1_winner"] != nil || object["question_id"] != nil
            if fastChat, object["g1_winner"] == nil, object["score"] != nil {
                throw fail(
                    "this is a single-answer grading line (a score for one model), not a pairwise verdict",
                    "import FastChat's pairwise file (model_judgment/*_pair.jsonl), whose lines have g1_winner and g2_winner")
            }
            guard let id = try text(fastChat ? "question_id" : "id"), !id.isEmpty else {
                throw fail(
                    "needs \(fastChat ? "question_id" : "id")",
                    "write FastChat pairwise lines (question_id, model_1, model_2, g1_winner, g2_winner) or {\"id\", \"winner\"}")
            }
            let models = fastChat ? (try model("model_1"), try model("model_2")) : (try model("model_a"), try model("model_b"))
            if fastChat, models.0 == nil || models.1 == nil { throw fail("needs model_1 and model_2", "keep FastChat's model_1 and model_2 fields") }
            if (models.0 == nil) != (models.1 == nil) { throw fail("model_a and model_b go together", "fill both, or neither") }
            guard let candidates = bySource[id] else {
                if skipMissing { summary.skippedMissing += 1; continue }
                throw fail(
                    "no pair with id \"\(VisibleText.line(id))\" in study \(study.name) (made with --sample, or from other inputs?)",
                    "pass --skip-missing to import the verdicts the study has pairs for, or remove the line")
            }
            // The pair and its responses in the file's order (model_1/a first).
            func order(_ pair: String) -> [String] { key.pairs[pair]?.inputOrder ?? [] }
            func modelsOf(_ pair: String) -> [String] { order(pair).map { key.model(pair: pair, response: $0) ?? "" } }
            var chosen: (pair: String, first: String, second: String)?
            if let a = models.0, let b = models.1 {
                guard a != b else { throw fail("the two models are both \(a)", "check the model names and --model-map") }
                for pair in candidates {
                    let names = modelsOf(pair), ids = order(pair)
                    guard ids.count == 2 else { continue }
                    if names == [a, b] { chosen = (pair, ids[0], ids[1]) } else if names == [b, a] { chosen = (pair, ids[1], ids[0]) }
                }
                guard chosen != nil else {
                    throw fail("id \"\(VisibleText.line(id))\" has no pair of \(a) and \(b)", "the study compares: \(candidates.map { modelsOf($0).joined(separator: " vs ") }.joined(separator: "; "))")
                }
            } else if candidates.count == 1, order(candidates[0]).count == 2 {
                let ids = order(candidates[0])
                chosen = (candidates[0], ids[0], ids[1])
            }
            guard let (pair, first, second) = chosen, inStudy.contains(pair) else {
                throw fail("id \"\(VisibleText.line(id))\" gave several pairs (three or more models)", "add model_a and model_b naming the two models")
            }
            let item = try items.item(id: pair)
            if fastChat, let turnText = try text("turn") {
                let shown = item.prompt.filter { $0.role == "user" }.count
                guard let turn = Int(turnText), turn >= 1 else { throw fail("turn \"\(turnText)\" is not a turn number", "write turn as 1, 2, ...") }
                guard turn == shown else {
                    throw fail(
                        "this verdict judges turn \(turn), but the study shows \(shown) turn\(shown == 1 ? "" : "s") of this prompt",
                        turn < shown ? "create the study with --turns \(turn), so people judge what the judge judged" : "use verdicts on turn \(shown)")
                }
            }
            let token = pair
            if let earlier = seen[token] {
                throw fail("a second verdict for prompt \(VisibleText.line(id)) (first on line \(earlier))", "keep one line per prompt and pair of models")
            }
            seen[token] = line.number
            pairs.insert(pair)
            // (field, response shown first, how to read a winner)
            let fields = fastChat ? [("g1_winner", first), ("g2_winner", second)] : [("winner", first), ("swapped_winner", second)]
            for (field, shownFirst) in fields {
                guard let winner = try text(field)?.lowercased() else {
                    if field == "g1_winner" || field == "g2_winner" || field == "winner" {
                        throw fail("needs \(field)", fastChat ? "keep FastChat's g1_winner and g2_winner" : "write winner: a, b, tie or error")
                    }
                    continue
                }
                var game = Game(line: line.number, pair: pair, firstShown: shownFirst)
                switch winner {
                case "model_1" where fastChat, "a" where !fastChat: game.favoured = first
                case "model_2" where fastChat, "b" where !fastChat: game.favoured = second
                case "tie": game.favoured = nil
                case "error":
                    let reason = try text("reason")
                    // Not naming the field: which game it was (model_1 first or not) is the key's knowledge.
                    game.error = fastChat ? "the judge's verdict could not be parsed (FastChat: error)" : (reason ?? "the judge gave no verdict (error)")
                default:
                    throw fail(
                        "\(field) \"\(VisibleText.line(winner))\" is not \(fastChat ? "model_1, model_2" : "a, b"), tie or error",
                        fastChat ? "use FastChat's pairwise judgment files as written" : "write a, b, tie or error (relative to the input's a and b)")
                }
                if !fastChat, field == "winner", let scores = object["scores"], !(scores is NSNull) {
                    guard let table = scores as? [String: Any] else { throw fail("scores is not an object", "write \"scores\": {\"accuracy\": [4, 3]}") }
                    for (criterionID, value) in table {
                        guard let criterion = study.rubric.criterion(criterionID) else {
                            throw fail("scores names \"\(VisibleText.line(criterionID))\", which is no rubric criterion", "use: \(study.rubric.criteria.map(\.id).joined(separator: ", "))")
                        }
                        guard let list = value as? [Any], list.count == 2 else { throw fail("scores.\(criterionID) is not [score_a, score_b]", "write two scores, the input's a first") }
                        for (response, raw) in zip([first, second], list) {
                            if raw is NSNull { continue }
                            guard let number = raw as? NSNumber, !InputFields.isBoolean(number), let score = Int(exactly: number.doubleValue),
                                criterion.scores.contains(score)
                            else { throw fail("scores.\(criterionID) has \(raw), not a score \(criterion.min)-\(criterion.max)", "correct the score") }
                            game.scores[response, default: [:]][criterion.id] = score
                        }
                    }
                }
                games.append(game)
            }
        }
        summary.pairs = pairs.count
        return games
    }
}
