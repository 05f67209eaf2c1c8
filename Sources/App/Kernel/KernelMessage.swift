import Crypto
import Foundation

/// A Jupyter message (messaging protocol 5.3) and its wire form: routing identities, the `<IDS|MSG>` delimiter,
/// the HMAC-SHA256 signature (hex) of the four JSON frames, header, parent header, metadata, content, buffers.
struct KernelMessage {
    static let protocolVersion = "5.3"
    static let delimiter = Data("<IDS|MSG>".utf8)

    var identities: [Data] = []
    var header: [String: Any]
    var parentHeader: [String: Any]
    var metadata: [String: Any] = [:]
    var content: [String: Any]
    var buffers: [Data] = []

    var type: String { header["msg_type"] as? String ?? "" }
    var id: String { header["msg_id"] as? String ?? "" }

    /// Signs and verifies messages with the connection file's key (no key: no signatures, as Jupyter allows).
    struct Signer {
        let key: SymmetricKey?

        init(key: String) { self.key = key.isEmpty ? nil : SymmetricKey(data: Data(key.utf8)) }

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
            return HMAC<SHA256>.isValidAuthenticationCode(received, authenticating: frames.reduce(Data(), +), using: key)
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

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses and verifies the frames of a received message.
    static func decode(_ frames: [Data], _ signer: Signer) throws -> KernelMessage {
        guard let d = frames.firstIndex(of: delimiter), frames.count >= d + 6 else {
            throw Invalid(description: "a message without the <IDS|MSG> delimiter and its five frames")
        }
        let parts = Array(frames[(d + 2)..<(d + 6)])
        guard signer.verify(frames[d + 1], parts) else { throw Invalid(description: "a message with a wrong signature") }
        func object(_ data: Data) throws -> [String: Any] {
            guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw Invalid(description: "a message frame that is not a JSON object")
            }
            return o
        }
        return KernelMessage(identities: Array(frames[..<d]), header: try object(parts[0]), parentHeader: try object(parts[1]),
                             metadata: try object(parts[2]), content: try object(parts[3]), buffers: Array(frames[(d + 6)...]))
    }

    /// The frames to send.
    func encode(_ signer: Signer) throws -> [Data] {
        let parts = try [header, parentHeader, metadata, content].map {
            try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys])
        }
        return identities + [KernelMessage.delimiter, Data(signer.sign(parts).utf8)] + parts + buffers
    }

    /// A new message in reply to (or caused by) `parent`.
    static func make(_ type: String, content: [String: Any], parent: KernelMessage?, session: String,
                     identities: [Data] = []) -> KernelMessage {
        let header: [String: Any] = [
            "msg_id": UUID().uuidString.lowercased(), "session": session, "username": "brpsh", "date": timestamp(),
            "msg_type": type, "version": protocolVersion,
        ]
        return KernelMessage(identities: identities, header: header, parentHeader: parent?.header ?? [:], content: content)
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}
