/// A value read from a Python pickle by `SafeUnpickler`.
public indirect enum PickleValue: Equatable, Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([PickleValue])
    case tuple([PickleValue])
    case dict([(PickleValue, PickleValue)])
    /// A numpy scalar (`numpy.core.multiarray.scalar(dtype, raw bytes)`), as a double.
    case numpyScalar(Double)
    /// A numpy dtype under construction (only ever an argument of `scalar`).
    case dtype(NumpyDType)
    /// An allow-listed global, only usable as the callable of REDUCE.
    case global(module: String, name: String)

    public static func == (a: PickleValue, b: PickleValue) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)): return x == y
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.numpyScalar(let x), .numpyScalar(let y)): return x == y
        case (.dtype(let x), .dtype(let y)): return x == y
        case (.global(let m1, let n1), .global(let m2, let n2)): return m1 == m2 && n1 == n2
        default: return false
        }
    }

    /// The value as a number (ints, floats, numpy scalars).
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d), .numpyScalar(let d): return d
        default: return nil
        }
    }

    public var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .numpyScalar: return "numpy scalar"
        case .dtype: return "numpy dtype"
        case .global(let m, let n): return "\(m).\(n)"
        }
    }
}

/// A numpy dtype as pickled: its type code (`f8`, `i4`, ...) and byte order.
public struct NumpyDType: Equatable, Sendable {
    public var code: String
    public var littleEndian = true
}
