/// Text from data files made safe to print: control characters (terminal escape sequences among them) and
/// invalid bytes are shown escaped, and very long values are cut.
public enum Printable {
    public static func escaped(_ s: String, limit: Int = 80) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            if out.count >= limit {
                out += "…"
                break
            }
            switch scalar.value {
            case 0x20..<0x7F, 0xA0...: out.unicodeScalars.append(scalar)
            default: out += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return out
    }
}
