/// An error from the infrastructure (a file, a lock, a journal, a child process, Slurm): what failed, with the path
/// or command involved. It describes itself by its message, as brpsh's other errors do.
public struct InfraError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
