import Foundation

/// Numbers in values JSONSerialization returns. On Linux `v is Bool` holds for the numbers 0 and 1 too, so a JSON
/// boolean is told apart by its NSNumber type ("c"), never by `is Bool`.
public enum JSONNumber {
    /// The value as a number, nil for booleans and everything else.
    public static func of(_ v: Any?) -> Double? {
        guard let n = v as? NSNumber, !isBoolean(n) else { return nil }
        return n.doubleValue
    }

    public static func isBoolean(_ v: Any?) -> Bool {
        guard let n = v as? NSNumber else { return false }
        return String(cString: n.objCType) == "c"
    }
}
