import Foundation

/// File paths as brpsh compares them.
public enum Paths {
    /// An absolute path with `.` and `..` removed and links resolved (as far as the file exists): two names of one
    /// file give one string.
    public static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
