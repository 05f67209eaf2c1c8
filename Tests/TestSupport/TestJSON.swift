import Foundation

/// A JSON file as Foundation's plain shapes, for tests that check what a file says on disk (as a Python reader
/// sees it), not what brpsh's typed readers make of it.
public enum TestJSON {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func object(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "\(path) is not a JSON object")
        }
        return o
    }
}
