/// Annotator names become file names, so they are checked: letters, digits, `.`, `_`, `-`; 1 to 64 characters;
/// not starting with a dot.
///
///     try AnnotatorName.validate("alice")        // fine
///     try AnnotatorName.validate("../etc/passwd") // throws
public enum AnnotatorName {
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                        || scalar == "." || scalar == "_" || scalar == "-")
            }
    }

    public static func validate(_ name: String) throws {
        guard isValid(name) else {
            throw BlindReviewError(
                message: "annotator name \"\(name)\" is not allowed",
                fix: "use 1-64 letters, digits, '.', '_' or '-', not starting with '.'")
        }
    }

    public static func validate(_ names: [String]) throws {
        guard !names.isEmpty else {
            throw BlindReviewError(message: "no annotators", fix: "pass --annotators alice,bob")
        }
        var seen = Set<String>()
        for name in names {
            try validate(name)
            guard seen.insert(name).inserted else {
                throw BlindReviewError(message: "annotator \"\(name)\" is listed twice", fix: "list each annotator once")
            }
        }
    }
}
