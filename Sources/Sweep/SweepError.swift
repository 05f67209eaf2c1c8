/// A failure of a sweep the user must hear about (a grid that cannot be read, a directory that is another sweep's,
/// a merge with nothing to merge): its message, printed by the front end as `brpsh: message` with exit status 1.
public struct SweepError: Error, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
