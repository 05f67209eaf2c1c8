extension SafeUnpickler {
    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func execute(_ op: UInt8, at start: Int) throws {
        switch op {
        case 0x80:  // PROTO
            let p = try byte()
            guard p >= 2 && p <= 5 else { throw fail("unsupported pickle protocol \(p) (2 to 5 are read)", at: start) }
        case 0x95: _ = try take(8)  // FRAME: its length only groups opcodes
        case 0x28: marks.append(stack.count)  // MARK
        case 0x7D: stack.append(.dict([]))  // EMPTY_DICT
        case 0x5D: stack.append(.list([]))  // EMPTY_LIST
        case 0x29: stack.append(.tuple([]))  // EMPTY_TUPLE
        case 0x74: stack.append(.tuple(try popMark(at: start)))  // TUPLE
        case 0x85: stack.append(.tuple([try pop(at: start)]))  // TUPLE1
        case 0x86:  // TUPLE2
            let b = try pop(at: start), a = try pop(at: start)
            stack.append(.tuple([a, b]))
        case 0x87:  // TUPLE3
            let c = try pop(at: start), b = try pop(at: start), a = try pop(at: start)
            stack.append(.tuple([a, b, c]))
        case 0x6C: stack.append(.list(try popMark(at: start)))  // LIST
        case 0x64: stack.append(.dict(try pairs(try popMark(at: start), at: start)))  // DICT
        case 0x61: try append([try pop(at: start)], at: start)  // APPEND
        case 0x65: try append(try popMark(at: start), at: start)  // APPENDS
        case 0x73:  // SETITEM
            let v = try pop(at: start), k = try pop(at: start)
            try setItems([(k, v)], at: start)
        case 0x75: try setItems(try pairs(try popMark(at: start), at: start), at: start)  // SETITEMS
        case 0x4E: stack.append(.none)  // NONE
        case 0x88: stack.append(.bool(true))  // NEWTRUE
        case 0x89: stack.append(.bool(false))  // NEWFALSE
        case 0x4A: stack.append(.int(Int(Int32(bitPattern: UInt32(try unsigned(4))))))  // BININT
        case 0x4B: stack.append(.int(Int(try byte())))  // BININT1
        case 0x4D: stack.append(.int(Int(try unsigned(2))))  // BININT2
        case 0x8A: stack.append(.int(try long(Int(try byte()), at: start)))  // LONG1
        case 0x8B: stack.append(.int(try long(try length(4), at: start)))  // LONG4
        case 0x47:  // BINFLOAT (big-endian)
            var v: UInt64 = 0
            for b in try take(8) { v = v << 8 | UInt64(b) }
            stack.append(.float(Double(bitPattern: v)))
        case 0x58: stack.append(.string(try utf8(try length(4))))  // BINUNICODE
        case 0x8C: stack.append(.string(try utf8(Int(try byte()))))  // SHORT_BINUNICODE
        case 0x8D: stack.append(.string(try utf8(try length(8))))  // BINUNICODE8
        case 0x43: stack.append(.bytes(Array(try take(Int(try byte())))))  // SHORT_BINBYTES
        case 0x42: stack.append(.bytes(Array(try take(try length(4)))))  // BINBYTES
        case 0x8E: stack.append(.bytes(Array(try take(try length(8)))))  // BINBYTES8
        case 0x71: try memoize(Int(try byte()), at: start)  // BINPUT
        case 0x72: try memoize(Int(try unsigned(4)), at: start)  // LONG_BINPUT
        case 0x94: try memoize(memo.count, at: start)  // MEMOIZE
        case 0x68: try recall(Int(try byte()), at: start)  // BINGET
        case 0x6A: try recall(Int(try unsigned(4)), at: start)  // LONG_BINGET
        case 0x63:  // GLOBAL "module\nname\n"
            let module = try line(), name = try line()
            stack.append(try global(module, name, at: start))
        case 0x93:  // STACK_GLOBAL
            let n = try pop(at: start), m = try pop(at: start)
            guard case .string(let module) = m, case .string(let name) = n else {
                throw fail("STACK_GLOBAL needs two strings", at: start)
            }
            stack.append(try global(module, name, at: start))
        case 0x52:  // REDUCE
            let args = try pop(at: start), callable = try pop(at: start)
            stack.append(try reduce(callable, args, at: start))
        case 0x62:  // BUILD
            let state = try pop(at: start)
            let target = try pop(at: start)
            stack.append(try build(target, state, at: start))
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

    mutating func append(_ items: [PickleValue], at start: Int) throws {
        guard case .list(var xs) = try top(at: start) else { throw fail("APPEND to a non-list", at: start) }
        stack[stack.count - 1] = .none
        xs.append(contentsOf: items)
        stack[stack.count - 1] = .list(xs)
    }

    mutating func setItems(_ kv: [(PickleValue, PickleValue)], at start: Int) throws {
        guard case .dict(var d) = try top(at: start) else { throw fail("SETITEM on a non-dict", at: start) }
        stack[stack.count - 1] = .none
        d.append(contentsOf: kv)
        stack[stack.count - 1] = .dict(d)
    }

    func global(_ module: String, _ name: String, at start: Int) throws -> PickleValue {
        guard SafeUnpickler.allowedGlobals.contains("\(module) \(name)") else {
            throw fail("global '\(module).\(name)' is not allowed (only numpy scalars and dtypes are read)", at: start)
        }
        return .global(module: module, name: name)
    }

    func reduce(_ callable: PickleValue, _ args: PickleValue, at start: Int) throws -> PickleValue {
        guard case .global(_, let name) = callable, case .tuple(let a) = args else {
            throw fail("REDUCE of \(callable.kind) is not allowed", at: start)
        }
        switch name {
        case "dtype":
            guard let first = a.first, case .string(let code) = first else { throw fail("numpy.dtype needs a type code", at: start) }
            return .dtype(NumpyDType(code: code))
        case "scalar":
            guard a.count == 2, case .dtype(let dt) = a[0], case .bytes(let raw) = a[1] else {
                throw fail("numpy scalar needs (dtype, bytes)", at: start)
            }
            return .numpyScalar(try scalar(dt, raw, at: start))
        default:
            throw fail("REDUCE of \(name) is not allowed", at: start)
        }
    }

    /// BUILD is only accepted on a dtype; its state gives the byte order.
    func build(_ target: PickleValue, _ state: PickleValue, at start: Int) throws -> PickleValue {
        guard case .dtype(var dt) = target, case .tuple(let s) = state else {
            throw fail("BUILD on \(target.kind) is not allowed", at: start)
        }
        if s.count > 1, case .string(let order) = s[1] { dt.littleEndian = order != ">" }
        return .dtype(dt)
    }

    func scalar(_ dt: NumpyDType, _ raw: [UInt8], at start: Int) throws -> Double {
        let bytes = dt.littleEndian ? raw : raw.reversed()
        var v: UInt64 = 0
        for (i, b) in bytes.enumerated() where i < 8 { v |= UInt64(b) << (8 * UInt64(i)) }
        switch (dt.code, raw.count) {
        case ("f8", 8): return Double(bitPattern: v)
        case ("f4", 4): return Double(Float(bitPattern: UInt32(v)))
        case ("i8", 8): return Double(Int64(bitPattern: v))
        case ("i4", 4): return Double(Int32(bitPattern: UInt32(v)))
        case ("u8", 8): return Double(v)
        case ("u4", 4): return Double(UInt32(v))
        default: throw fail("numpy scalar of dtype '\(dt.code)' with \(raw.count) bytes is not supported", at: start)
        }
    }
}
