import CZMQ
import Foundation

/// A ZeroMQ socket: the only file that imports libzmq. One socket is used by one thread at a time (the kernel's
/// IOPub socket is shared under a lock).
// Sendable, unchecked: each socket is handed to one thread (IOPub's sends are serialised by the kernel's lock).
public final class ZMQSocket: @unchecked Sendable {
    /// The kernel's sockets (router, pub, rep) and a client's (dealer, sub, req: the tests' stand-in frontend).
    public enum Kind {
        case router, pub, rep, dealer, sub, req

        var raw: Int32 {
            switch self {
            case .router: return ZMQ_ROUTER
            case .pub: return ZMQ_PUB
            case .rep: return ZMQ_REP
            case .dealer: return ZMQ_DEALER
            case .sub: return ZMQ_SUB
            case .req: return ZMQ_REQ
            }
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The process's context (created once; ZeroMQ contexts are thread-safe).
    nonisolated(unsafe) static let context: UnsafeMutableRawPointer = zmq_ctx_new()  // thread-safe by libzmq's contract

    let handle: UnsafeMutableRawPointer
    public let endpoint: String

    /// A socket bound to `endpoint` (the kernel's side).
    public convenience init(_ kind: Kind, bind endpoint: String) throws {
        try self.init(kind, endpoint: endpoint, connect: false)
    }

    /// A socket connected to `endpoint` (a frontend's side); a SUB socket subscribes to everything.
    public convenience init(_ kind: Kind, connect endpoint: String) throws {
        try self.init(kind, endpoint: endpoint, connect: true)
    }

    private init(_ kind: Kind, endpoint: String, connect: Bool) throws {
        guard let s = zmq_socket(ZMQSocket.context, kind.raw) else { throw ZMQSocket.failure("cannot create a socket") }
        handle = s
        self.endpoint = endpoint
        var linger: Int32 = 0
        zmq_setsockopt(s, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
        if kind == .sub { zmq_setsockopt(s, ZMQ_SUBSCRIBE, "", 0) }
        guard (connect ? zmq_connect(s, endpoint) : zmq_bind(s, endpoint)) == 0 else {
            let f = ZMQSocket.failure("cannot \(connect ? "connect to" : "bind") \(endpoint)")
            zmq_close(s)
            throw f
        }
    }

    deinit { zmq_close(handle) }

    static func failure(_ what: String) -> Failure {
        Failure(description: "\(what): \(String(cString: zmq_strerror(zmq_errno())))")
    }

    /// Sends the frames of one message.
    public func send(_ frames: [Data]) throws {
        for (i, frame) in frames.enumerated() {
            let flags = i < frames.count - 1 ? ZMQ_SNDMORE : 0
            let n = frame.withUnsafeBytes { buf in zmq_send(handle, buf.baseAddress, buf.count, flags) }
            if n < 0 { throw ZMQSocket.failure("cannot send on \(endpoint)") }
        }
    }

    /// Receives the frames of one message (blocks).
    public func receive() throws -> [Data] {
        var frames: [Data] = []
        while true {
            var msg = zmq_msg_t()
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            if zmq_msg_recv(&msg, handle, 0) < 0 {
                if zmq_errno() == EINTR { continue }
                throw ZMQSocket.failure("cannot receive on \(endpoint)")
            }
            frames.append(Data(bytes: zmq_msg_data(&msg), count: zmq_msg_size(&msg)))
            if zmq_msg_more(&msg) == 0 { return frames }
        }
    }

    /// Waits up to `milliseconds` for a message on any of `sockets`; returns the indices that have one.
    public static func poll(_ sockets: [ZMQSocket], milliseconds: Int) -> [Int] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let n = zmq_poll(&items, Int32(items.count), milliseconds)
        guard n > 0 else { return [] }
        return items.indices.filter { items[$0].revents & Int16(ZMQ_POLLIN) != 0 }
    }

    /// Echoes every message back (the heartbeat); runs until the context ends.
    public func echoForever() {
        _ = zmq_proxy(handle, handle, nil)
    }
}
