import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who may read a journal: on a shared host, annotators must not read each other's judgments (that would let
/// them follow the others' verdicts), while the lead must read them all.
///
/// A journal is created 0600 (its annotator only). When the journals folder has the set-group-ID bit (the
/// shared-host setup in the README: the folder's group is the lead's, mode 3733 so annotators can add files
/// but not list or delete others'), it is created 0640 instead, so that the lead's group can read it.
///
///     JournalPermissions.fileMode(in: store.journalsFolder)   // 0o600, or 0o640 in a set-group-ID folder
public enum JournalPermissions {
    /// Lock files hold only a PID; nobody else needs them.
    public static let lockMode: mode_t = 0o600

    public static func fileMode(in folder: URL) -> mode_t {
        var info = stat()
        guard stat(folder.path, &info) == 0 else { return 0o600 }
        return info.st_mode & S_ISGID != 0 ? 0o640 : 0o600
    }
}
