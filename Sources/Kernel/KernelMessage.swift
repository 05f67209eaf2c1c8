import Crypto
import Foundation

/// A Jupyter message (messaging protocol 5.3) and its wire form: routing identities, the `<IDS|MSG>` delimiter,
/// the HMAC-SHA256 signature (hex) of the four JSON frames, header, parent header, metadata, content, buffers.
public struct KernelMessage {
    public static let protocolVersion = "5.3"
    static let delimiter = Data("<IDS|MSG>".utf8)

    public var identities: [Data] = []
    public var header: [String: Any]
    public var parentHeader: [String: Any]
    public var metadata: [String: Any] = [:]
    public var content: [String: Any]
    public var buffers: [Data] = []

    public var type: String { header["msg_type"] as? String ?? "" }
    public var id: String { header["msg_id"] as? String ?? "" }

    /// Signs and verifies messages with the connection file's key (no key: no signatures, as Jupyter allows), and
    /// refuses a signed message it has seen before: a replayed `execute_request` must not run twice. As
    /// jupyter_client's `Session`, it keeps the signatures of the last 65,536 messages (the oldest tenth is dropped
    /// when that is reached).
    // Sendable, unchecked: the history is read and written under `lock` (the shell and control threads share it).
    public final class Signer: @unchecked Sendable {
        let key: SymmetricKey?
        public static let historySize = 65_536
        private var seen: Set<Data> = []
        private var order: [Data] = []
        private let lock = NSLock()

        public init(key: String) { self.key = key.isEmpty ? nil : SymmetricKey(data: Data(key.utf8)) }

        /// Whether `signature` is new (and records it); with no key, every message is new.
        func isFresh(_ signature: Data) -> Bool {
            guard key != nil else { return true }
            return lock.withLock {
                guard seen.insert(signature).inserted else { return false }
                order.append(signature)
                if order.count > Self.historySize {
                    let drop = Self.historySize / 10
                    for d in order.prefix(drop) { seen.remove(d) }
                    order.removeFirst(drop)
                }
                return true
            }
        }

        func sign(_ frames: [Data]) -> String {
            guard let key else { return "" }
            var mac = HMAC<SHA256>(key: key)
            for f in frames { mac.update(data: f) }
            return Data(mac.finalize()).map { String(format: "%02x", $0) }.joined()
        }

        /// Constant-time comparison of the received signature with the expected one.
        func verify(_ signature: Data, _ frames: [Data]) -> Bool {
            guard let key else { return true }
            guard let received = Signer.hexBytes(signature) else { return false }
            return HMAC<SHA256>.isValidAuthenticationCode(
                received, authenticating: frames.reduce(Data(), +), using: key)
        }

        static func hexBytes(_ hex: Data) -> Data? {
            let s = Array(hex)
            guard s.count % 2 == 0 else { return nil }
            var out = Data()
            var i = 0
            while i < s.count {
                guard let hi = hexValue(s[i]), let lo = hexValue(s[i + 1]) else { return nil }
                out.append(hi << 4 | lo)
                i += 2
            }
            return out
        }

        static func hexValue(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses and verifies the frames of a received message (signature, then that it is not a replay).
    public static func decode(_ frames: [Data], _ signer: Signer) throws -> KernelMessage {
        guard let d = frames.firstIndex(of: delimiter), frames.count >= d + 6 else {
            throw Invalid(description: "a message without the <IDS|MSG> delimiter and its five frames")
        }
        let parts = Array(frames[(d + 2)..<(d + 6)])
        guard signer.verify(frames[d + 1], parts) else {
            throw Invalid(description: "a message with a wrong signature")
        }
        guard signer.isFresh(frames[d + 1]) else {
            throw Invalid(description: "a replayed message (its signature was seen before)")
        }
        func object(_ data: Data) throws -> [String: Any] {
            guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw Invalid(description: "a message frame that is not a JSON object")
            }
            return o
        }
        return KernelMessage(
            identities: Array(frames[..<d]), header: try object(parts[0]), parentHeader: try object(parts[1]),
            metadata: try object(parts[2]), content: try object(parts[3]), buffers: Array(frames[(d + 6)...]))
    }

    /// The frames to send.
    public func encode(_ signer: Signer) throws -> [Data] {
        let parts = try [header, parentHeader, metadata, content].map {
            try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys])
        }
        return identities + [KernelMessage.delimiter, Data(signer.sign(parts).utf8)] + parts + buffers
    }

    /// A new message in reply to (or caused by) `parent`.
    public static func make(
        _ type: String, content: [String: Any], parent: KernelMessage?, session: String,
        identities: [Data] = []
    ) -> KernelMessage {
        let header: [String: Any] = [
            "msg_id": UUID().uuidString.lowercased(), "session": session, "username": "brpsh", "date": timestamp(),
            "msg_type": type, "version": protocolVersion,
        ]
        return KernelMessage(
            identities: identities, header: header, parentHeader: parent?.header ?? [:], content: content)
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}
