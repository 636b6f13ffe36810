import BlindReviewCore
import Foundation
import XCTest

/// Attacks on the safe-file layer: symbolic links where files should be, temporary files prepared in advance.
final class SafeFileTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    func testReplaceIgnoresTemporaryFilesPreparedInAdvance() throws {
        // Finding 3: the old temporary name was `.NAME.tmp-<pid>`, opened without O_EXCL|O_NOFOLLOW; a link
        // planted there sent the secret into the attacker's file.
        let stolen = url("stolen")
        try write("", to: stolen)
        for name in [".key.json.tmp-\(getpid())", ".key.json.tmp"] {
            try FileManager.default.createSymbolicLink(at: url(name), withDestinationURL: stolen)
        }
        try SafeFile.replace(Data("secret".utf8), at: url("key.json"), mode: 0o600)
        XCTAssertEqual(try String(contentsOf: stolen, encoding: .utf8), "", "nothing written through a planted link")
        XCTAssertEqual(try String(contentsOf: url("key.json"), encoding: .utf8), "secret")
        let mode = try FileManager.default.attributesOfItem(atPath: url("key.json").path)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") && !$0.hasSuffix("\(getpid())") }
        XCTAssertEqual(left, [], "no temporary file left behind")
    }

    func testTemporaryNamesAreRandomAndExclusive() throws {
        let (fd1, first) = try SafeFile.createTemporary(beside: url("x"), mode: 0o600)
        let (fd2, second) = try SafeFile.createTemporary(beside: url("x"), mode: 0o600)
        close(fd1)
        close(fd2)
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(first.lastPathComponent.hasPrefix(".x.tmp-"))
        XCTAssertGreaterThanOrEqual(first.lastPathComponent.count - ".x.tmp-".count, 8, "a long random part")
    }

    func testOpenRefusesASymbolicLinkByName() throws {
        let target = url("target")
        try write("precious\n", to: target)
        try FileManager.default.createSymbolicLink(at: url("link"), withDestinationURL: target)
        assertThrowsBlindReviewError(try SafeFile.open(url("link"), flags: O_RDWR | O_CREAT, what: "journal"), contains: ["link", "journal is a symbolic link"])
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "precious\n")
    }

    func testCreateNewNeverOverwrites() throws {
        try SafeFile.createNew(Data("first".utf8), at: url("k"), mode: 0o600)
        assertThrowsBlindReviewError(try SafeFile.createNew(Data("second".utf8), at: url("k")), contains: ["already exists", "never overwrites"])
        XCTAssertEqual(try String(contentsOf: url("k"), encoding: .utf8), "first")
        try FileManager.default.createSymbolicLink(at: url("dangling"), withDestinationURL: url("nowhere"))
        XCTAssertThrowsError(try SafeFile.createNew(Data("x".utf8), at: url("dangling")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: url("nowhere").path), "not created through a dangling link")
    }

    func testInjectedWriteErrorsLeaveTheOldFile() throws {
        try SafeFile.replace(Data("old".utf8), at: url("f"))
        for code in [ENOSPC, EDQUOT, EFBIG, EIO] {
            let failing = FileIO(write: { _, _ in -Int(code) }, fsync: { _ in 0 })
            assertThrowsBlindReviewError(try SafeFile.replace(Data("new".utf8), at: url("f"), io: failing), contains: [SafeFile.reason(code)])
            let syncFails = FileIO(write: FileIO.system.write, fsync: { _ in code })
            XCTAssertThrowsError(try SafeFile.replace(Data("new".utf8), at: url("f"), io: syncFails))
            XCTAssertEqual(try String(contentsOf: url("f"), encoding: .utf8), "old")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["f"], "temporary files removed")
    }
}
