/// Errors from NASLib: each says what was wrong, with the file, value or position involved.
public struct NASLibError: Error, CustomStringConvertible, Equatable {
    public let message: String
    /// For an unknown name: the name, and the names that would have been accepted (callers
    /// may suggest one).
    public let unknown: String?
    /// What kind of name it is (`device`, `dataset`, `space`, `metric`).
    public let unknownKind: String
    public let candidates: [String]

    public init(_ message: String, unknown: String? = nil, kind: String = "name", candidates: [String] = []) {
        self.message = message
        self.unknown = unknown
        self.unknownKind = kind
        self.candidates = candidates
    }

    public var description: String { message }
}
