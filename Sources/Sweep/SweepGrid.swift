/// One `--over name=values` of a sweep: the name of a script's top-level assignment and the values (brpsh
/// literal texts, as `--set` takes them) it runs with.
public struct SweepVariable: Codable, Equatable {
    public let name: String
    public let values: [String]

    /// The variable whose values are repeats of one experiment rather than settings: merged over, not grouped by.
    public static let replicate = "seed"

    /// The most points one sweep may have.
    public static let maxPoints = 100_000

    /// Reads `name=1..100` (integers, both ends included) or `name=a,b,c` (commas outside quotes and brackets
    /// separate values: `device="m-gpu","m-dsp"`, `K=[1, 2],[3]`).
    public init(parsing spec: String) throws {
        guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
            throw SweepError("--over needs name=values (name=1..10 or name=a,b,c), got '\(spec)'")
        }
        let name = String(spec[..<eq])
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !(name.first?.isNumber ?? true) else {
            throw SweepError("--over: '\(name)' is not a name")
        }
        let text = String(spec[spec.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        self.name = name
        values = try SweepVariable.values(text, name: name)
    }

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }

    public static func values(_ text: String, name: String) throws -> [String] {
        let parts = text.components(separatedBy: "..")
        if parts.count == 2, let a = Int(parts[0].trimmingCharacters(in: .whitespaces)),
            let b = Int(parts[1].trimmingCharacters(in: .whitespaces))
        {
            guard a <= b else { throw SweepError("--over \(name)=\(text): the range is empty (\(a) > \(b))") }
            guard !b.subtractingReportingOverflow(a).overflow, b - a < maxPoints else {
                throw SweepError("--over \(name)=\(text): more than \(maxPoints) values")
            }
            return (a...b).map(String.init)
        }
        var values: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        var escaped = false
        for ch in text {
            if let q = quote {
                current.append(ch)
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == q { quote = nil }
                continue
            }
            switch ch {
            case "\"":
                quote = ch
                current.append(ch)
            case "[", "{", "(":
                depth += 1
                current.append(ch)
            case "]", "}", ")":
                depth -= 1
                current.append(ch)
            case "," where depth == 0:
                values.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            default: current.append(ch)
            }
        }
        values.append(current.trimmingCharacters(in: .whitespaces))
        guard quote == nil, depth == 0 else {
            throw SweepError("--over \(name)=\(text): unbalanced quotes or brackets")
        }
        if let i = values.firstIndex(where: \.isEmpty) {
            throw SweepError("--over \(name)=\(text): value \(i + 1) is empty")
        }
        var seen = Set<String>()
        if let dup = values.first(where: { !seen.insert($0).inserted }) {
            throw SweepError("--over \(name)=\(text): '\(dup)' is given twice")
        }
        return values
    }
}

/// The points of a sweep: every combination of the variables' values, the first variable varying slowest
/// (the order of the tasks, their numbers and of every merged list).
public enum SweepGrid {
    public static func points(_ variables: [SweepVariable]) throws -> [[Assignment]] {
        var names = Set<String>()
        for v in variables where !names.insert(v.name).inserted {
            throw SweepError("--over \(v.name) is given twice")
        }
        // Multiplied with a cap, never wrapped: four variables of 65,536 values make 2^64 points, which wraps to 0.
        let count = variables.reduce(1) {
            Swift.min($0, SweepVariable.maxPoints + 1) * Swift.min($1.values.count, SweepVariable.maxPoints + 1)
        }
        guard count <= SweepVariable.maxPoints, variables.allSatisfy({ $0.values.count <= SweepVariable.maxPoints })
        else {
            throw SweepError("the sweep has more than \(SweepVariable.maxPoints) points")
        }
        var points: [[Assignment]] = [[]]
        for v in variables {
            points = points.flatMap { p in v.values.map { p + [Assignment(name: v.name, value: $0)] } }
        }
        return points
    }

    /// A task's directory name: its number and its assignments, with characters other than letters, digits and
    /// `.-+=,` replaced (the number keeps names unique whatever the values are).
    public static func taskName(index: Int, _ point: [Assignment]) -> String {
        let number = String(repeating: "0", count: max(0, 4 - String(index).count)) + String(index)
        let body = point.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        let safe = String(
            body.map { $0.isASCII && ($0.isLetter || $0.isNumber || ".-+=,".contains($0)) ? $0 : "_" }.prefix(80))
        return safe.isEmpty ? number : number + "_" + safe
    }
}

/// `name = value` for one task.
public struct Assignment: Codable, Equatable, Hashable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
