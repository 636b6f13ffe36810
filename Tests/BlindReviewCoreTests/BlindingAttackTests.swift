import BlindReviewCore
import Foundation
import SeededRandom
import XCTest

/// Plays the curious annotator who has the study folder, the binary and the source (issue: blinding).
final class BlindingAttackTests: XCTestCase {
    /// Every response id in a study's items.
    func responseIDs(_ built: BuiltStudy) -> Set<String> {
        Set(built.items.flatMap { $0.responses.map(\.id) })
    }

    /// The seed search that broke wave 1: try each seed in a window and look for the id it would give first.
    /// Both the old derivation (SplitMix64, 28 bits) and the current one for `--seed` are tried.
    func searchSeed(in ids: Set<String>, window: Range<UInt64>) -> UInt64? {
        for seed in window {
            var old = SplitMix64(seed: seed, stream: "response-ids")
            let oldHex = String(old.next() & 0xFFF_FFFF, radix: 16)
            let oldID = "r" + String(repeating: "0", count: 7 - oldHex.count) + oldHex
            let newID = "r" + StudySecret.hex64(StudySecret(seed: seed).identifier("response", 0, 0))
            if ids.contains(newID) || ids.contains(oldID) { return seed }
        }
        return nil
    }

    func testSeedSearchFindsASeededStudyButNotAnUnseededOne() throws {
        let pairs = samplePairs(12)
        let seeded = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 1_234, annotators: ["a", "b"]))
        // The documented caveat: a seed is enough to unblind; the search finds it and regenerates the study.
        let found = try XCTUnwrap(searchSeed(in: responseIDs(seeded), window: 0..<4_096))
        XCTAssertEqual(found, 1_234)
        let regenerated = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "s", seed: found, annotators: ["a", "b"]))
        XCTAssertEqual(regenerated.keyData, seeded.keyData)

        let unseeded = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "s", secret: .random(), annotators: ["a", "b"]))
        XCTAssertNil(searchSeed(in: responseIDs(unseeded), window: 0..<4_096))
        XCTAssertFalse(unseeded.key.seeded)
        XCTAssertNil(unseeded.key.seed)
        XCTAssertTrue(seeded.key.seeded)
    }

    func testNoValueInAnUnseededKeyPassedAsASeedReproducesItsIdsOrSides() throws {
        let pairs = samplePairs(40)
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "s", secret: .random(), annotators: ["a", "b"]))
        // Every number in the key, and every 64-bit chunk of every hex string in it, tried as --seed.
        var candidates = Set<UInt64>()
        func collect(_ value: Any) {
            switch value {
            case let number as NSNumber: candidates.insert(number.uint64Value)
            case let text as String:
                let hex = text.filter(\.isHexDigit)
                var start = hex.startIndex
                while hex.distance(from: start, to: hex.endIndex) >= 16 {
                    let end = hex.index(start, offsetBy: 16)
                    if let value = UInt64(hex[start..<end], radix: 16) { candidates.insert(value) }
                    start = end
                }
            case let array as [Any]: array.forEach(collect)
            case let object as [String: Any]: object.forEach { collect($0.key); collect($0.value) }
            default: break
            }
        }
        collect(try JSONSerialization.jsonObject(with: built.keyData))
        XCTAssertGreaterThan(candidates.count, 4)
        let ids = responseIDs(built)
        let queues = built.study.annotators.map { $0.queue.map { [$0.a, $0.b] } }
        for seed in candidates {
            let attempt = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "s", seed: seed, annotators: ["a", "b"]))
            XCTAssertTrue(responseIDs(attempt).isDisjoint(with: ids), "seed \(seed)")
            XCTAssertNotEqual(attempt.study.annotators.map { $0.queue.map { [$0.a, $0.b] } }, queues)
        }
    }

    func testTwoUnseededStudiesOfTheSameInputsShareNoIdAndNoSidePattern() throws {
        let pairs = samplePairs(10_000)
        func build() throws -> BuiltStudy {
            try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "s", secret: .random(), annotators: ["a"]))
        }
        let one = try build(), two = try build()
        XCTAssertTrue(responseIDs(one).isDisjoint(with: responseIDs(two)))
        XCTAssertTrue(Set(one.items.map(\.id)).isDisjoint(with: two.items.map(\.id)))
        XCTAssertNotEqual(one.study.studyID, two.study.studyID)
        // Which model is on the left, per source prompt: as alike as two coin-flip sequences, no more.
        func baseOnLeft(_ built: BuiltStudy) -> [String: Bool] {
            Dictionary(uniqueKeysWithValues: built.study.annotators[0].queue.map {
                (built.key.pairs[$0.item]!.sourceID, built.key.model(pair: $0.item, response: $0.a) == "base")
            })
        }
        let left1 = baseOnLeft(one), left2 = baseOnLeft(two)
        let same = left1.filter { left2[$0.key] == $0.value }.count
        XCTAssertEqual(Double(same) / 10_000, 0.5, accuracy: 0.03, "side patterns must be independent")
        let order1 = one.study.annotators[0].queue.map { one.key.pairs[$0.item]!.sourceID }
        let order2 = two.study.annotators[0].queue.map { two.key.pairs[$0.item]!.sourceID }
        XCTAssertNotEqual(order1, order2)
    }

    func testNothingInTheStudyFolderIsDerivedFromTheKeyFile() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let built = try StudyBuilder.build(
            pairs: samplePairs(20), models: ["base", "tuned"], options: StudyOptions(name: "s", secret: .random(), annotators: ["a", "b"], repeats: 3))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let keyBytes = try Data(contentsOf: store.defaultKeyFile)
        let key = try JSONDecoder().decode(StudyKey.self, from: keyBytes)
        var secrets = [SHA256Digest.hex(of: keyBytes), SHA256Digest.hex(of: CanonicalJSON.encode(key)), try XCTUnwrap(key.secret)]
        secrets.append(SHA256Digest.hex(of: Data(try XCTUnwrap(key.secret).utf8)))
        for file in try FileManager.default.subpathsOfDirectory(atPath: store.folder.path) {
            let text = (try? String(contentsOf: store.folder.appendingPathComponent(file), encoding: .utf8)) ?? ""
            for secret in secrets {
                XCTAssertFalse(text.contains(secret.prefix(12)), "\(file) holds something derived from the key")
            }
            XCTAssertFalse(text.contains("key_sha256"), file)
            XCTAssertFalse(text.contains("seed"), file)
        }
    }

    func testRepeatsLookLikeEveryOtherPair() throws {
        let built = try StudyBuilder.build(
            pairs: samplePairs(30), models: ["base", "tuned"], options: StudyOptions(name: "s", secret: .random(), annotators: ["a", "b", "c"], repeats: 5))
        let studyText = String(decoding: built.studyData, as: UTF8.self)
        let itemsText = String(decoding: built.itemsData, as: UTF8.self)
        XCTAssertFalse(studyText.contains("repeat"), "no field marks a repeat")
        XCTAssertFalse(itemsText.contains("source_id") || itemsText.contains("\"p1\""), "prompt ids live in the key")
        let idShape = try NSRegularExpression(pattern: "^p[0-9a-f]{16}$")
        for plan in built.study.annotators {
            XCTAssertEqual(Set(plan.queue.map(\.item)).count, plan.queue.count, "no queue lists an item twice")
            XCTAssertEqual(plan.queue.count, 35)
        }
        for item in built.items {
            XCTAssertEqual(idShape.numberOfMatches(in: item.id, range: NSRange(item.id.startIndex..., in: item.id)), 1, item.id)
            // Everyone rates everything here, so every pair, repeat or not, is in all three queues.
            XCTAssertEqual(built.study.annotators.filter { $0.queue.contains { $0.item == item.id } }.count, 3)
        }
        XCTAssertEqual(built.items.map(\.id), built.items.map(\.id).sorted(), "items in id order: position says nothing")
        let repeats = RepeatMap(study: built.study, key: built.key)
        XCTAssertEqual(repeats.origins.count, 5)
        for (copy, origin) in repeats.origins {
            let copyItem = built.items.first { $0.id == copy }!
            let originalItem = built.items.first { $0.id == origin.item }!
            XCTAssertEqual(Set(copyItem.responses.map(\.turns)), Set(originalItem.responses.map(\.turns)), "the same text under fresh ids")
        }
        // Without the key, a repeat cannot be told apart.
        XCTAssertFalse(RepeatMap(study: built.study, key: nil).isKnown)
    }

    func testPerItemRepeatsGiveEveryAnnotatorEnoughAndKeepSidesBalanced() throws {
        let built = try StudyBuilder.build(
            pairs: samplePairs(60), models: ["base", "tuned"],
            options: StudyOptions(name: "s", secret: .random(), annotators: ["a", "b", "c", "d"], perItem: 2, repeats: 4))
        let repeats = RepeatMap(study: built.study, key: built.key)
        for plan in built.study.annotators {
            XCTAssertGreaterThanOrEqual(repeats.count(in: plan.queue) ?? 0, 4, plan.name)
            let baseOnA = plan.queue.filter { built.key.model(pair: $0.item, response: $0.a) == "base" }.count
            _ = baseOnA
            for (position, shown) in plan.queue.enumerated() where repeats.isRepeat(shown) {
                let original = repeats.original(of: shown)
                let first = try XCTUnwrap(plan.queue.firstIndex { $0.item == original.item })
                XCTAssertGreaterThanOrEqual(abs(position - first), StudyBuilder.repeatGap)
                XCTAssertEqual([plan.queue[first].a, plan.queue[first].b], [original.b, original.a], "sides swapped")
            }
        }
    }

    /// The adversarial finding: with sides balanced by model, every queue in study.json balanced only under the
    /// true mapping, so an annotator could test guesses offline (with 40 annotators only the truth and its
    /// mirror survived). With independent coins the truth is no more "balanced" than any guess.
    func testQueuesDoNotSingleOutTheTrueMapping() throws {
        let annotators = (0..<40).map { "a\($0)" }
        let built = try StudyBuilder.build(pairs: samplePairs(12), models: ["base", "tuned"], options: StudyOptions(name: "s", secret: .random(), annotators: annotators))
        // The attacker's check: under a mapping (for each pair, which response is "base"), is every queue balanced
        // within one?
        func balanced(_ isBase: (String, String) -> Bool) -> Bool {
            built.study.annotators.allSatisfy { plan in
                abs(2 * plan.queue.filter { isBase($0.item, $0.a) }.count - plan.queue.count) <= 1
            }
        }
        XCTAssertFalse(balanced { built.key.model(pair: $0, response: $1) == "base" }, "the truth fails the balance check like any guess")
        // And the sides an annotator sees are not a function of the model: flipping the truth on one pair
        // leaves the per-annotator left counts just as plausible (binomial), which the check above cannot use.
    }

    /// The adversarial finding: the copy always came after its original, so "seen late in every queue" picked out
    /// repeats (AUC about 0.9). Which of the two identical items comes first is now a coin.
    func testTheRepeatIsNotAlwaysTheLaterShowing() throws {
        let annotators = (0..<30).map { "a\($0)" }
        let built = try StudyBuilder.build(
            pairs: samplePairs(30), models: ["base", "tuned"], options: StudyOptions(name: "s", secret: .random(), annotators: annotators, repeats: 3))
        let repeats = RepeatMap(study: built.study, key: built.key)
        var copyFirst = 0, total = 0
        for plan in built.study.annotators {
            for (position, entry) in plan.queue.enumerated() where repeats.isRepeat(entry) {
                let original = repeats.original(of: entry).item
                let other = plan.queue.firstIndex { $0.item == original }!
                total += 1
                if position < other { copyFirst += 1 }
            }
        }
        XCTAssertEqual(Double(copyFirst) / Double(total), 0.5, accuracy: 0.15, "\(copyFirst) of \(total)")
    }

    func testAKeyIsCheckedByTheStudyIdentifierNotByItsHash() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let built = try StudyBuilder.build(pairs: samplePairs(5), models: ["base", "tuned"], options: StudyOptions(name: "s", secret: .random(), annotators: ["a"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let study = try store.load().study
        XCTAssertEqual(try StudyStore.loadKey(at: store.defaultKeyFile, for: study).studyID, study.studyID)
        var other = built.key
        other.studyID = StudySecret.randomIdentifier()
        let otherURL = folder.appendingPathComponent("other.json")
        try CanonicalJSON.encode(other, pretty: true).write(to: otherURL)
        assertThrowsBlindReviewError(try StudyStore.loadKey(at: otherURL, for: study), contains: [other.studyID!, study.studyID!, "does not belong"])
    }

    /// A study written by wave 1 (schema 1: key hash, repeats marked, prompt ids as item ids) still opens.
    func testAVersionOneStudyStillOpensWithItsRepeatsAndKey() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/old"))
        let built = try StudyBuilder.build(pairs: samplePairs(10), models: ["base", "tuned"], options: StudyOptions(name: "old", seed: 3, annotators: ["a"]))
        var key = built.key
        key.schemaVersion = 1
        key.studyID = nil
        key.secret = nil
        let keyData = CanonicalJSON.encode(key, pretty: true)
        var study = built.study
        study.schemaVersion = 1
        study.studyID = nil
        study.legacyKeySHA256 = SHA256Digest.hex(of: keyData)
        var queue = study.annotators[0].queue
        var repeated = QueueEntry(item: queue[0].item, a: queue[0].b, b: queue[0].a)
        repeated.legacyRepeat = true
        queue.append(repeated)
        study.annotators[0].queue = queue
        try FileManager.default.createDirectory(at: store.journalsFolder, withIntermediateDirectories: true)
        try built.itemsData.write(to: store.itemsFile)
        try CanonicalJSON.encode(study, pretty: true).write(to: store.studyFile)
        try FileManager.default.createDirectory(at: store.defaultKeyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try keyData.write(to: store.defaultKeyFile)

        let loaded = try store.load().study
        XCTAssertEqual(loaded.schemaVersion, 1)
        XCTAssertNotNil(try StudyStore.loadKey(at: store.defaultKeyFile, for: loaded))
        let map = RepeatMap(study: loaded, key: nil)
        XCTAssertTrue(map.isKnown, "version 1 marked repeats in the study")
        XCTAssertEqual(map.count(in: loaded.annotators[0].queue), 1)
        // A tampered key is still refused by its hash.
        try (keyData + Data(" ".utf8)).write(to: store.defaultKeyFile)
        assertThrowsBlindReviewError(try StudyStore.loadKey(at: store.defaultKeyFile, for: loaded), contains: ["does not belong", "SHA-256"])
    }

    func testJournalsAreReadableByTheirAnnotatorOnly() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let built = try StudyBuilder.build(pairs: samplePairs(5), models: ["base", "tuned"], options: StudyOptions(name: "s", secret: .random(), annotators: ["a", "b"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let (study, hash) = try store.load()
        func mode(_ url: URL) throws -> Int { try (FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as! NSNumber).intValue }
        let lock = try AnnotatorLock.acquire(store: store, annotator: "a")
        _ = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "a")
        lock.release()
        XCTAssertEqual(try mode(store.journalFile(for: "a")), 0o600)
        XCTAssertEqual(try mode(store.lockFile(for: "a")), 0o600)
        // The shared-host setup: a set-group-ID journals folder lets the lead's group read new journals.
        XCTAssertEqual(chmod(store.journalsFolder.path, 0o3733), 0)
        _ = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "b")
        XCTAssertEqual(try mode(store.journalFile(for: "b")), 0o640)
    }
}
