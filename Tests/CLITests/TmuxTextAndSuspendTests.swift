import Foundation
import XCTest

@_silgen_name("wcwidth") private func libcWcwidth(_ character: Int32) -> Int32

/// Real-terminal checks for the second edition of the annotation UI: grapheme clusters keep borders aligned,
/// bracketed paste cannot become commands, Ctrl-Z suspends and `fg` resumes.
extension TmuxEndToEndTests {
    static let corpus = [
        "ZWJ: 👩‍💻 👨‍👩‍👧‍👦 🧑‍🤝‍🧑 🏳️‍🌈 ❤️‍🔥 end",
        "Flags: 🇯🇵 🇫🇷 🇧🇷 🇮🇳 end",
        "Skin tones: 👍🏽 👋🏿 🙏🏻 🧑🏾‍💻 end",
        "Devanagari: हिन्दी किताब क्षत्रिय end",
        "Thai: ภาษาไทย น้ำ กำลัง end",
        "Arabic: مرحبا بالعالم end",
        "Combining: e\u{301} a\u{308}\u{304} n\u{303} end",
        "CJK: 日本語のテキスト 漢字 한국어 end",
        "Hidden: soft\u{AD}hyphen tag\u{E0061}\u{E0062} c1\u{85} end",
    ]

    /// A two-model study whose responses are the corpus, with annotator `ann`.
    func makeCorpusStudy() throws {
        let joined = Self.corpus.joined(separator: "\n")
        for model in ["m1", "m2"] {
            let line = try JSONSerialization.data(withJSONObject: ["id": "c1", "prompt": Self.corpus[0], "response": joined + "\n" + model.uppercased()])
            try (line + Data("\n".utf8)).write(to: folder.appendingPathComponent("\(model).jsonl"))
        }
        let created = try runBlindReview(["create", "corpus", "--model", "m1=m1.jsonl", "--model", "m2=m2.jsonl", "--annotators", "ann", "--seed", "1"], in: folder)
        XCTAssertEqual(created.status, 0, created.stderr)
    }

    /// Columns a captured line takes in the terminal, by the same wcwidth tmux uses.
    func terminalColumns(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { $0 + max(0, Int(libcWcwidth(Int32(bitPattern: $1.value)))) }
    }

    func testGraphemeCorpusKeepsEveryLineAndBorderAlignedAtEveryWidth() throws {
        _ = setlocale(LC_ALL, "C.UTF-8")
        try makeCorpusStudy()
        for width in [60, 80, 120, 200] {
            let session = "w\(width)"
            start("annotate corpus --annotator ann", width: width, height: 40, session: session)
            _ = waitFor(session) { $0.contains("Rubric") && $0.contains("CJK: 日本語") }
            let captured = tmux(["capture-pane", "-p", "-t", session]).output
            let lines = captured.split(separator: "\n", omittingEmptySubsequences: false).prefix(40)
            XCTAssertEqual(lines.count, 40)
            // tmux trims blank cells at the end of a row, so: no row is wider than the pane, and every border
            // row (the panels' title lines, drawn edge to edge) is exactly as wide.
            for (row, line) in lines.enumerated() {
                XCTAssertLessThanOrEqual(terminalColumns(line), width, "\(width) columns, row \(row): \(line)")
                if line.hasPrefix("─") { XCTAssertEqual(terminalColumns(line), width, "\(width) columns, border row \(row): \(line)") }
            }
            // No line of the corpus was pushed into the next row: each starts in the panel's margin.
            for text in ["Devanagari:", "Thai:", "Arabic:", "Combining:", "CJK:", "Skin tones:", "Flags:"] {
                XCTAssertTrue(lines.contains { $0.hasPrefix(" " + text) }, "\(width): \(text) starts in column 1\n\(captured)")
            }
            if width >= 120 {
                let divider = (width - 1) / 2
                let rows = lines.filter { $0.contains("Devanagari:") || $0.contains("CJK:") || $0.contains("Skin tones:") || $0.contains("Flags:") || $0.contains("Thai:") || $0.contains("Arabic:") }
                XCTAssertEqual(rows.count, 6, captured)
                for line in rows {
                    guard let index = line.firstIndex(of: "│") else { XCTFail("no divider: \(line)"); continue }
                    XCTAssertEqual(terminalColumns(line[..<index]), divider, "\(width): divider column on \(line)")
                }
            }
            XCTAssertTrue(captured.contains("⟨SHY⟩") && captured.contains("⟨TAG a⟩") && captured.contains("⟨U+0085⟩"), captured)
            tmux(["send-keys", "-t", session, "q"])
            let deadline = Date().addingTimeInterval(10)
            while !paneDead(session) && Date() < deadline { usleep(100_000) }
        }
    }

    func testPasteGoesIntoTheNoteOnlyAndNeverBecomesKeys() throws {
        start("demo", width: 100, height: 30)
        _ = waitFor { $0.contains("Rubric") && $0.contains("pair 1/22") }
        let buffer = folder.appendingPathComponent("paste.txt")
        try Data("a 5 4\nq\nmore text\n".utf8).write(to: buffer)
        tmux(["load-buffer", buffer.path])
        tmux(["paste-buffer", "-p", "-t", "s"])
        _ = waitFor { $0.contains("Paste ignored") }
        XCTAssertFalse(paneDead(), "the pasted q did not quit")
        XCTAssertTrue(try journal().allSatisfy { !["rating", "preference", "note"].contains($0["type"] as? String ?? "") })
        tmux(["send-keys", "-t", "s", "e"])
        _ = waitFor { $0.contains("Enter save") }
        tmux(["paste-buffer", "-p", "-t", "s"])
        _ = waitFor { $0.contains("a 5 4 q more text") }
        tmux(["send-keys", "-t", "s", "Enter"])
        _ = waitFor { $0.contains("saved ✓") }
        let notes = try journal().filter { $0["type"] as? String == "note" }
        XCTAssertEqual(notes.count, 1)
        XCTAssertEqual((notes.first?["text"] as? String)?.trimmingCharacters(in: .whitespaces), "a 5 4 q more text")
        XCTAssertTrue(try journal().allSatisfy { !["rating", "preference"].contains($0["type"] as? String ?? "") })
        tmux(["send-keys", "-t", "s", "q"])
    }

    func testCtrlZSuspendsAndFgResumesWithARedraw() throws {
        let binary = productsFolder.appendingPathComponent("blindreview").path
        tmux(["new-session", "-d", "-s", "sh", "-x", "100", "-y", "30", "-c", folder.path, "env PS1='shell> ' TERM=xterm-256color bash --norc --noprofile -i"])
        _ = waitFor("sh") { $0.contains("shell>") }
        tmux(["send-keys", "-t", "sh", "\(binary) demo", "Enter"])
        _ = waitFor("sh") { $0.contains("Rubric") && $0.contains("pair 1/22") }
        tmux(["send-keys", "-t", "sh", "C-z"])
        let suspended = waitFor("sh") { $0.contains("Stopped") }
        XCTAssertFalse(suspended.contains("Rubric"), "the shell's screen is back:\n\(suspended)")
        XCTAssertEqual(tmux(["display-message", "-p", "-t", "sh", "#{alternate_on}"]).output.trimmingCharacters(in: .whitespacesAndNewlines), "0")
        tmux(["send-keys", "-t", "sh", "4", ""])  // typed at the shell, not a score
        tmux(["send-keys", "-t", "sh", "C-u", "fg", "Enter"])
        let resumed = waitFor("sh") { $0.contains("Rubric") && $0.contains("pair 1/22") && $0.contains("Accuracy") }
        XCTAssertFalse(resumed.contains("[4]"))
        tmux(["send-keys", "-t", "sh", "3"])
        _ = waitFor("sh") { $0.contains("[3]") && $0.contains("saved ✓") }
        tmux(["send-keys", "-t", "sh", "q"])
        _ = waitFor("sh") { $0.contains("pairs done") }
        let ratings = try journal().filter { $0["type"] as? String == "rating" }
        XCTAssertEqual(ratings.map { $0["value"] as? Int }, [3])
    }
}
