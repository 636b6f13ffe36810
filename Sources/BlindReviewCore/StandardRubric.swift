/// The seed protocol's rubric: four criteria on 1-5 with anchors, then A / B / Tie.
extension Rubric {
    public static let standard = Rubric(
        name: "standard",
        criteria: [
            Criterion(
                id: "accuracy", name: "Accuracy",
                description: "Is what the response says true and correct for this prompt?",
                anchors: [
                    "1": "Wrong or misleading on the main point",
                    "2": "Major errors; partly usable at best",
                    "3": "Mostly correct, with a notable error or gap",
                    "4": "Correct, with only minor slips",
                    "5": "Fully correct and complete",
                ]),
            Criterion(
                id: "relevance", name: "Relevance",
                description: "Does it answer what was asked, without drifting?",
                anchors: [
                    "1": "Does not address the request",
                    "2": "Touches the request but mostly misses it",
                    "3": "Addresses it, with padding or a missed part",
                    "4": "On point, a little extra or a small omission",
                    "5": "Exactly what was asked, nothing missing",
                ]),
            Criterion(
                id: "format", name: "Format compliance",
                description: "Does it follow the requested format, length and structure?",
                anchors: [
                    "1": "Ignores the requested format",
                    "2": "Follows little of the format",
                    "3": "Follows the format with clear lapses",
                    "4": "Follows the format, minor lapses",
                    "5": "Follows every format instruction",
                ]),
            Criterion(
                id: "fluency", name: "Fluency",
                description: "Is it clear, well written and easy to read?",
                anchors: [
                    "1": "Hard to read or incoherent",
                    "2": "Awkward; meaning often unclear",
                    "3": "Readable, with clumsy passages",
                    "4": "Clear and natural, small flaws",
                    "5": "Polished, clear and natural",
                ]),
        ],
        preference: PreferenceQuestion(
            question: "Which response is better overall?",
            options: [
                PreferenceOption(id: "a", label: "A is better", key: "a", favours: .a),
                PreferenceOption(id: "b", label: "B is better", key: "b", favours: .b),
                PreferenceOption(id: "tie", label: "Tie", key: "t", favours: nil),
            ]))
}
