import Interpreter
import Lang

/// Tab completion, independent of the line editor: given the line and the cursor, the
/// candidates for the word before the cursor.
///
/// - `:he` at the start of a line: REPL commands.
/// - `p.te`: fields and methods of the value `p` (records, NASLib objects, quantities).
/// - inside a call `gcn(dev`: the call's parameter names as `device:`, then names.
/// - otherwise: variables, builtins and keywords.
public struct Completer {
    public let session: Session

    public init(session: Session) { self.session = session }

    public struct Completion: Equatable {
        /// Byte offset in the line where the completed word starts.
        public let start: Int
        public let candidates: [String]
    }

    public func complete(line: String, cursor: Int) -> Completion {
        let bytes = Array(line.utf8.prefix(cursor))
        var start = bytes.count
        while start > 0, Completer.isWordByte(bytes[start - 1]) { start -= 1 }
        let word = String(decoding: bytes[start...], as: UTF8.self)
        let before = String(decoding: bytes[..<start], as: UTF8.self)

        if before.trimmingCharacters(in: .whitespaces) == ":" {
            return Completion(
                start: start - 1, candidates: session.allCommandNames.filter { $0.hasPrefix(":" + word) }.sorted())
        }
        if before.hasSuffix(".") {
            return Completion(
                start: start,
                candidates: members(of: Completer.trailingName(in: String(before.dropLast())))
                    .filter { $0.hasPrefix(word) }.sorted())
        }
        let names = Set(session.interpreter.globals.values.keys.filter { !$0.isNumberedResult })
            .union(session.interpreter.builtins.keys)
            .union(Keyword.allCases.map(\.rawValue))
        // At an argument's start, the called function's parameter names win (`gcn(dev` → `device:`,
        // not also the builtin `devices`); a name typed out in full stays a candidate, so Tab never
        // rewrites a complete variable into a label.
        if let callee = Completer.enclosingCall(before), Completer.atArgumentStart(before) {
            let labels = parameters(of: callee).map { $0 + ":" }.filter { $0.hasPrefix(word) }
            if !labels.isEmpty {
                return Completion(start: start, candidates: labels + (names.contains(word) ? [word] : []))
            }
        }
        return Completion(start: start, candidates: names.filter { $0.hasPrefix(word) }.sorted())
    }

    /// Whether the text before the word ends an argument list's opening or a comma.
    static func atArgumentStart(_ before: String) -> Bool {
        guard let last = before.last(where: { !$0.isWhitespace }) else { return false }
        return last == "(" || last == ","
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == UInt8(ascii: "_")
    }

    /// The identifier that ends `text`, before any spaces (`p` in `x = p`, `f` in `f `).
    static func trailingName(in text: String) -> String {
        let trimmed = text.reversed().drop { $0 == " " }
        return String(trimmed.prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
    }

    /// Whether a name is a function (completion then appends '(').
    public func isCallable(_ name: String) -> Bool {
        if let v = session.interpreter.globals.lookup(name) {
            if case .function = v { return true }
            return false
        }
        return session.interpreter.builtins[name] != nil
    }

    /// The name of the innermost call whose '(' is still open before the cursor.
    static func enclosingCall(_ text: String) -> String? {
        var depth = 0
        let chars = Array(text)
        var i = chars.count - 1
        var inString = false
        while i >= 0 {
            let c = chars[i]
            if c == "\"" { inString.toggle() }
            if !inString {
                if c == ")" || c == "]" { depth += 1 }
                if c == "[" { depth -= 1 }
                if c == "(" {
                    if depth == 0 {
                        let name = trailingName(in: String(chars[..<i]))
                        return name.isEmpty ? nil : name
                    }
                    depth -= 1
                }
            }
            i -= 1
        }
        return nil
    }

    func parameters(of name: String) -> [String] {
        if let v = session.interpreter.globals.lookup(name), case .function(let f) = v { return f.parameterNames }
        if let b = session.interpreter.builtins[name] { return b.parameters.map(\.name) }
        return []
    }

    func members(of name: String) -> [String] {
        guard let v = session.interpreter.globals.lookup(name) else { return [] }
        switch v {
        case .record(let r): return r.keys
        case .object(let o): return o.memberNames
        case .quantity(let q): return ["value", "unit"] + PhysicalUnit.units(of: q.unit.dimension).map(\.symbol)
        default: return []
        }
    }
}
