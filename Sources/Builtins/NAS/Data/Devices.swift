import Interpreter
import NASLib

extension NASContext {
    /// A device argument: a device name or alias, or a latency table (`measure`, `latency_table`).
    func device(_ c: BuiltinCall, _ name: String) throws -> Device {
        try device(c[name], c, name)
    }

    func device(_ v: Value, _ c: BuiltinCall, _ name: String) throws -> Device {
        switch v {
        case .string(let s): return try nas { try DeviceCatalog.resolve(s) }
        case .object(let t as MeasuredTableObject): return try t.registered()
        default:
            throw c.fail(
                name, "a device name or a latency table (measure, latency_table) expected, got \(v.describeForError)")
        }
    }
}
