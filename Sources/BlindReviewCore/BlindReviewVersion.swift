/// The program's version, as `--version` prints it and reports record it.
public enum BlindReviewVersion {
    public static let current = "0.2.0"
}
