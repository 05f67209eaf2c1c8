/// Reads Python pickles (protocols 2–5) without executing anything.
///
/// Only data opcodes are understood (dict/list/tuple building, ints, floats, strings, bytes,
/// memo, marks, frames), plus an allow-list of globals: `numpy.core.multiarray.scalar` (also
/// `numpy._core.multiarray.scalar`) and `numpy.dtype`, which REDUCE turns into plain numbers, and `_codecs.encode`
/// with latin-1, the form protocol 2 writes bytes in.
/// Anything else — another global, an unknown opcode, a truncated or inconsistent stream — is
/// an error naming the opcode or global and its byte offset. It never traps.
public struct SafeUnpickler {
    let bytes: [UInt8]
    var pos = 0
    var stack: [PickleValue] = []
    /// How deeply the value at each stack position nests (0 for a scalar, 1 for a container of scalars).
    var depths: [Int] = []
    var marks: [Int] = []
    var memo: [Int: PickleValue] = [:]
    var memoDepths: [Int: Int] = [:]
    /// Lists and dicts memoized while still on the stack (being filled by APPEND/SETITEMS): stack position →
    /// memo indices. Their memo entries are written when they leave the stack, so filling them never copies
    /// (a memo-held copy made every APPEND quadratic).
    var pendingMemo: [Int: [Int]] = [:]
    var pendingIndices: Set<Int> = []
    /// The most values the stack may hold. Nesting needs the stack (each level is on it while the next is
    /// built), so this also bounds how deeply values nest: tearing down a deeper value would overflow the
    /// thread's stack. CPython's pickler batches 1000 items, so its streams need about 2000.
    public static let maxStack = 10_000
    /// The deepest nesting read. Values are torn down and compared recursively, so an unbounded depth (a stream of
    /// 3 million TUPLE1 opcodes keeps one value on the stack while nesting it 3 million deep) would overflow the
    /// thread's stack. The published tables nest 3 deep.
    public static let maxDepth = 100
    /// Where the data came from, for messages.
    let source: String

    public static let allowedGlobals: Set<String> = [
        "numpy.core.multiarray scalar", "numpy._core.multiarray scalar", "numpy dtype", "_codecs encode",
        "__builtin__ bytes", "builtins bytes",
    ]

    public init(_ bytes: [UInt8], source: String = "pickle") {
        self.bytes = bytes
        self.source = source
    }

    public static func load(_ bytes: [UInt8], source: String = "pickle") throws -> PickleValue {
        var u = SafeUnpickler(bytes, source: source)
        return try u.run()
    }

    func fail(_ message: String, at offset: Int) -> NASLibError {
        NASLibError("\(source): \(message) at byte \(offset)")
    }

    mutating func run() throws -> PickleValue {
        guard bytes.first == 0x80 else {
            throw fail("not a pickle of protocol 2 to 5 (it must start with the PROTO opcode 0x80)", at: 0)
        }
        while true {
            let start = pos
            let op = try byte()
            if op == 0x2E {  // STOP
                guard stack.count == 1, marks.isEmpty else {
                    throw fail("malformed pickle (STOP with \(stack.count) values on the stack)", at: start)
                }
                return stack[0]
            }
            try execute(op, at: start)
            if stack.count > SafeUnpickler.maxStack {
                throw fail("the pickle nests or stacks more than \(SafeUnpickler.maxStack) values", at: start)
            }
        }
    }

    // MARK: Reading

    mutating func byte() throws -> UInt8 {
        guard pos < bytes.count else { throw fail("truncated pickle (no STOP)", at: pos) }
        defer { pos += 1 }
        return bytes[pos]
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - pos else {
            throw fail("truncated pickle (needs \(n) more bytes, \(bytes.count - pos) left)", at: pos)
        }
        defer { pos += n }
        return bytes[pos..<(pos + n)]
    }

    mutating func unsigned(_ n: Int) throws -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(n).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    mutating func length(_ n: Int) throws -> Int {
        let v = try unsigned(n)
        guard v <= UInt64(Int32.max) else { throw fail("length \(v) is too large", at: pos - n) }
        return Int(v)
    }

    mutating func line() throws -> String {
        guard let nl = bytes[pos...].firstIndex(of: 0x0A) else {
            throw fail("truncated pickle (unterminated line)", at: pos)
        }
        defer { pos = nl + 1 }
        return String(decoding: bytes[pos..<nl], as: UTF8.self)
    }

    mutating func utf8(_ n: Int) throws -> String {
        let start = pos
        let slice = try take(n)
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw fail("invalid UTF-8 in a string", at: start)
        }
        return s
    }

    // MARK: Stack

    mutating func pop(at offset: Int) throws -> PickleValue { try popWithDepth(at: offset).value }

    mutating func popWithDepth(at offset: Int) throws -> (value: PickleValue, depth: Int) {
        guard stack.count > (marks.last ?? 0), let v = stack.popLast(), let d = depths.popLast() else {
            throw fail("malformed pickle (stack underflow)", at: offset)
        }
        settle(stack.count, v, depth: d)
        return (v, d)
    }

    /// A value leaves stack position `position`: memo entries waiting for it get it.
    mutating func settle(_ position: Int, _ value: PickleValue, depth: Int) {
        guard let indices = pendingMemo.removeValue(forKey: position) else { return }
        for i in indices {
            memo[i] = value
            memoDepths[i] = depth
            pendingIndices.remove(i)
        }
    }

    /// Pushes a value that nests `depth` deep.
    mutating func push(_ value: PickleValue, depth: Int, at offset: Int) throws {
        guard depth <= SafeUnpickler.maxDepth else {
            throw fail("the pickle nests values more than \(SafeUnpickler.maxDepth) deep", at: offset)
        }
        stack.append(value)
        depths.append(depth)
    }

    /// Pushes a container built from `items` (whose depths are `itemDepths`).
    mutating func push(container: PickleValue, itemDepths: [Int], at offset: Int) throws {
        try push(container, depth: 1 + (itemDepths.max() ?? 0), at: offset)
    }

    /// The values pushed since the last MARK, removing the mark.
    mutating func popMark(at offset: Int) throws -> [PickleValue] { try popMarkWithDepths(at: offset).items }

    mutating func popMarkWithDepths(at offset: Int) throws -> (items: [PickleValue], depths: [Int]) {
        guard let m = marks.popLast(), m <= stack.count else { throw fail("malformed pickle (no MARK)", at: offset) }
        let items = Array(stack[m...])
        let itemDepths = Array(depths[m...])
        for (k, v) in items.enumerated() { settle(m + k, v, depth: itemDepths[k]) }
        stack.removeSubrange(m...)
        depths.removeSubrange(m...)
        return (items, itemDepths)
    }

    mutating func top(at offset: Int) throws -> PickleValue {
        guard let v = stack.last, stack.count > (marks.last ?? 0) else {
            throw fail("malformed pickle (stack underflow)", at: offset)
        }
        return v
    }

    /// The index MEMOIZE stores at: Python's `len(memo)`, the number of distinct indices stored so far, including
    /// those of lists and dicts still being filled.
    var nextMemoIndex: Int { memo.count + pendingIndices.count }

    mutating func memoize(_ index: Int, at offset: Int) throws {
        let v = try top(at: offset)
        // Storing again at an index replaces what was there, a value still being filled included.
        if pendingIndices.remove(index) != nil {
            for (position, indices) in pendingMemo where indices.contains(index) {
                let rest = indices.filter { $0 != index }
                pendingMemo[position] = rest.isEmpty ? nil : rest
            }
        }
        switch v {
        case .list, .dict:
            pendingMemo[stack.count - 1, default: []].append(index)
            pendingIndices.insert(index)
            memo[index] = nil
            memoDepths[index] = nil
        default:
            memo[index] = v
            memoDepths[index] = depths[depths.count - 1]
        }
    }

    mutating func recall(_ index: Int, at offset: Int) throws {
        if pendingIndices.contains(index), let position = pendingMemo.first(where: { $0.value.contains(index) })?.key {
            // A list or dict still on the stack (a second reference within one SETITEMS or APPENDS batch): a copy
            // of it as it is now (values, not shared references).
            try push(stack[position], depth: depths[position], at: offset)
            return
        }
        guard let v = memo[index], let d = memoDepths[index] else {
            throw fail("memo entry \(index) was never stored", at: offset)
        }
        try push(v, depth: d, at: offset)
    }
}
