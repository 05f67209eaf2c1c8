extension SafeUnpickler {
    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func execute(_ op: UInt8, at start: Int) throws {
        switch op {
        case 0x80:  // PROTO
            let p = try byte()
            guard p >= 2 && p <= 5 else { throw fail("unsupported pickle protocol \(p) (2 to 5 are read)", at: start) }
        case 0x95: _ = try take(8)  // FRAME: its length only groups opcodes
        case 0x28: marks.append(stack.count)  // MARK
        case 0x7D: try push(.dict([]), depth: 1, at: start)  // EMPTY_DICT
        case 0x5D: try push(.list([]), depth: 1, at: start)  // EMPTY_LIST
        case 0x29: try push(.tuple([]), depth: 1, at: start)  // EMPTY_TUPLE
        case 0x74:  // TUPLE
            let (items, d) = try popMarkWithDepths(at: start)
            try push(container: .tuple(items), itemDepths: d, at: start)
        case 0x85, 0x86, 0x87:  // TUPLE1, TUPLE2, TUPLE3
            var items: [(value: PickleValue, depth: Int)] = []
            for _ in 0..<Int(op - 0x84) { items.insert(try popWithDepth(at: start), at: 0) }
            try push(container: .tuple(items.map(\.value)), itemDepths: items.map(\.depth), at: start)
        case 0x6C:  // LIST
            let (items, d) = try popMarkWithDepths(at: start)
            try push(container: .list(items), itemDepths: d, at: start)
        case 0x64:  // DICT
            let (items, d) = try popMarkWithDepths(at: start)
            try push(container: .dict(try pairs(items, at: start)), itemDepths: d, at: start)
        case 0x61:  // APPEND
            let item = try popWithDepth(at: start)
            try append([item.value], depths: [item.depth], at: start)
        case 0x65:  // APPENDS
            let (items, d) = try popMarkWithDepths(at: start)
            try append(items, depths: d, at: start)
        case 0x73:  // SETITEM
            let v = try popWithDepth(at: start)
            let k = try popWithDepth(at: start)
            try setItems([(k.value, v.value)], depths: [k.depth, v.depth], at: start)
        case 0x75:  // SETITEMS
            let (items, d) = try popMarkWithDepths(at: start)
            try setItems(try pairs(items, at: start), depths: d, at: start)
        case 0x4E: try push(.none, depth: 0, at: start)  // NONE
        case 0x88: try push(.bool(true), depth: 0, at: start)  // NEWTRUE
        case 0x89: try push(.bool(false), depth: 0, at: start)  // NEWFALSE
        case 0x4A: try push(.int(Int(Int32(bitPattern: UInt32(try unsigned(4))))), depth: 0, at: start)  // BININT
        case 0x4B: try push(.int(Int(try byte())), depth: 0, at: start)  // BININT1
        case 0x4D: try push(.int(Int(try unsigned(2))), depth: 0, at: start)  // BININT2
        case 0x8A: try push(.int(try long(Int(try byte()), at: start)), depth: 0, at: start)  // LONG1
        case 0x8B: try push(.int(try long(try length(4), at: start)), depth: 0, at: start)  // LONG4
        case 0x47:  // BINFLOAT (big-endian)
            var v: UInt64 = 0
            for b in try take(8) { v = v << 8 | UInt64(b) }
            try push(.float(Double(bitPattern: v)), depth: 0, at: start)
        case 0x58: try push(.string(try utf8(try length(4))), depth: 0, at: start)  // BINUNICODE
        case 0x8C: try push(.string(try utf8(Int(try byte()))), depth: 0, at: start)  // SHORT_BINUNICODE
        case 0x8D: try push(.string(try utf8(try length(8))), depth: 0, at: start)  // BINUNICODE8
        case 0x43: try push(.bytes(Array(try take(Int(try byte())))), depth: 0, at: start)  // SHORT_BINBYTES
        case 0x42: try push(.bytes(Array(try take(try length(4)))), depth: 0, at: start)  // BINBYTES
        case 0x8E: try push(.bytes(Array(try take(try length(8)))), depth: 0, at: start)  // BINBYTES8
        case 0x71: try memoize(Int(try byte()), at: start)  // BINPUT
        case 0x72: try memoize(Int(try unsigned(4)), at: start)  // LONG_BINPUT
        case 0x94: try memoize(nextMemoIndex, at: start)  // MEMOIZE
        case 0x68: try recall(Int(try byte()), at: start)  // BINGET
        case 0x6A: try recall(Int(try unsigned(4)), at: start)  // LONG_BINGET
        case 0x63:  // GLOBAL "module\nname\n"
            let module = try line()
            let name = try line()
            try push(try global(module, name, at: start), depth: 0, at: start)
        case 0x93:  // STACK_GLOBAL
            let n = try pop(at: start)
            let m = try pop(at: start)
            guard case .string(let module) = m, case .string(let name) = n else {
                throw fail("STACK_GLOBAL needs two strings", at: start)
            }
            try push(try global(module, name, at: start), depth: 0, at: start)
        case 0x52:  // REDUCE
            let args = try pop(at: start)
            let callable = try pop(at: start)
            try push(try reduce(callable, args, at: start), depth: 0, at: start)
        case 0x62:  // BUILD
            let state = try pop(at: start)
            let target = try pop(at: start)
            try push(try build(target, state, at: start), depth: 0, at: start)
        default:
            let printable = op >= 0x20 && op < 0x7F ? " ('\(Character(UnicodeScalar(op))))'" : ""
            throw fail("unsupported pickle opcode 0x\(String(op, radix: 16))\(printable)", at: start)
        }
    }

    /// A little-endian two's-complement integer of `n` bytes (at most 8).
    mutating func long(_ n: Int, at start: Int) throws -> Int {
        guard n <= 8 else { throw fail("integer of \(n) bytes is too large", at: start) }
        if n == 0 { return 0 }
        let raw = try take(n)
        var v: UInt64 = 0
        for (i, b) in raw.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        if n < 8, raw.last! & 0x80 != 0 { v |= ~0 << (8 * UInt64(n)) }
        return Int(Int64(bitPattern: v))
    }

    func pairs(_ items: [PickleValue], at start: Int) throws -> [(PickleValue, PickleValue)] {
        guard items.count % 2 == 0 else { throw fail("odd number of items for a dict", at: start) }
        return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    mutating func append(_ items: [PickleValue], depths itemDepths: [Int], at start: Int) throws {
        guard case .list(var xs) = try top(at: start) else { throw fail("APPEND to a non-list", at: start) }
        try deepen(itemDepths, at: start)
        stack[stack.count - 1] = .none
        xs.append(contentsOf: items)
        stack[stack.count - 1] = .list(xs)
    }

    mutating func setItems(_ kv: [(PickleValue, PickleValue)], depths itemDepths: [Int], at start: Int) throws {
        guard case .dict(var d) = try top(at: start) else { throw fail("SETITEM on a non-dict", at: start) }
        try deepen(itemDepths, at: start)
        stack[stack.count - 1] = .none
        d.append(contentsOf: kv)
        stack[stack.count - 1] = .dict(d)
    }

    /// The container on top of the stack receives items nesting `itemDepths` deep.
    mutating func deepen(_ itemDepths: [Int], at start: Int) throws {
        let depth = max(depths[depths.count - 1], 1 + (itemDepths.max() ?? 0))
        guard depth <= SafeUnpickler.maxDepth else {
            throw fail("the pickle nests values more than \(SafeUnpickler.maxDepth) deep", at: start)
        }
        depths[depths.count - 1] = depth
    }

    func global(_ module: String, _ name: String, at start: Int) throws -> PickleValue {
        guard SafeUnpickler.allowedGlobals.contains("\(module) \(name)") else {
            if module == "numpy" || module.hasPrefix("numpy.") {
                throw fail(
                    """
                    global '\(module).\(name)' is not read: brpsh reads numpy scalars, not numpy arrays or other numpy \
                    objects (store plain Python numbers: float(x), or x.tolist() for an array)
                    """, at: start)
            }
            throw fail("global '\(module).\(name)' is not allowed (only numpy scalars and dtypes are read)", at: start)
        }
        return .global(module: module, name: name)
    }

    func reduce(_ callable: PickleValue, _ args: PickleValue, at start: Int) throws -> PickleValue {
        guard case .global(let module, let name) = callable, case .tuple(let a) = args else {
            throw fail("REDUCE of \(callable.kind) is not allowed", at: start)
        }
        switch (module, name) {
        case ("numpy", "dtype"):
            guard let first = a.first, case .string(let code) = first else {
                throw fail("numpy.dtype needs a type code", at: start)
            }
            return .dtype(NumpyDType(code: code))
        case (_, "scalar"):
            guard a.count == 2, case .dtype(let dt) = a[0], case .bytes(let raw) = a[1] else {
                throw fail("numpy scalar needs (dtype, bytes)", at: start)
            }
            return .numpyScalar(try scalar(dt, raw, at: start))
        case ("__builtin__", "bytes"), ("builtins", "bytes"):
            // Protocol 2 writes an empty bytes object as bytes().
            guard a.isEmpty else {
                throw fail("bytes(...) is read only without arguments, as protocol 2 writes b''", at: start)
            }
            return .bytes([])
        case ("_codecs", "encode"):
            // Protocol 2 has no bytes opcode: Python writes bytes as _codecs.encode(text, "latin1"), one code point
            // (0...255) per byte.
            guard a.count == 2, case .string(let text) = a[0], case .string(let encoding) = a[1],
                ["latin1", "latin-1", "iso-8859-1"].contains(encoding.lowercased())
            else {
                throw fail(
                    "_codecs.encode is read only as (text, 'latin1'), the form protocol 2 writes bytes in", at: start)
            }
            var raw: [UInt8] = []
            for u in text.unicodeScalars {
                guard u.value <= 0xFF else {
                    throw fail("_codecs.encode: a character beyond latin-1 in the bytes", at: start)
                }
                raw.append(UInt8(u.value))
            }
            return .bytes(raw)
        default:
            throw fail("REDUCE of \(module).\(name) is not allowed", at: start)
        }
    }

    /// BUILD is only accepted on a dtype; its state gives the byte order. Python sets the state on the object itself,
    /// so memo entries that hold the dtype (stored between its REDUCE and this BUILD) see the new state too.
    mutating func build(_ target: PickleValue, _ state: PickleValue, at start: Int) throws -> PickleValue {
        guard case .dtype(var dt) = target, case .tuple(let s) = state else {
            throw fail("BUILD on \(target.kind) is not allowed", at: start)
        }
        if s.count > 1, case .string(let order) = s[1] { dt.littleEndian = order != ">" }
        let built = PickleValue.dtype(dt)
        for (index, value) in memo where value == target { memo[index] = built }
        return built
    }

    func scalar(_ dt: NumpyDType, _ raw: [UInt8], at start: Int) throws -> Double {
        let bytes = dt.littleEndian ? raw : raw.reversed()
        var v: UInt64 = 0
        for (i, b) in bytes.enumerated() where i < 8 { v |= UInt64(b) << (8 * UInt64(i)) }
        switch (dt.code, raw.count) {
        case ("f8", 8): return Double(bitPattern: v)
        case ("f4", 4): return Double(Float(bitPattern: UInt32(v)))
        case ("f2", 2): return Double(Float16(bitPattern: UInt16(v)))
        case ("i8", 8): return Double(Int64(bitPattern: v))
        case ("i4", 4): return Double(Int32(bitPattern: UInt32(v)))
        case ("i2", 2): return Double(Int16(bitPattern: UInt16(v)))
        case ("i1", 1): return Double(Int8(bitPattern: UInt8(v)))
        case ("u8", 8): return Double(v)
        case ("u4", 4), ("u2", 2), ("u1", 1): return Double(v)
        default:
            throw fail(
                "numpy scalar of dtype '\(dt.code)' with \(raw.count) bytes is not supported (floats and integers are)",
                at: start)
        }
    }
}
