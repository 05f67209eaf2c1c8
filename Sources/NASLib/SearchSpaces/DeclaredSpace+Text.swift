import Foundation

/// Declared spaces' text forms (docs/formats.md, "Declared spaces"): what `{arch}` hands an evaluator.
extension DeclaredSpace {
    // MARK: Text form

    /// The text form (`{arch}` hands it to evaluators): edges `|op~0|+|op~0|op~1|+...` (NAS-Bench-201's format),
    /// inputs `normal=op~0,op~1|op~0,op~2;reduce=...`, choices `key=value,key=value|key=value,...` (a block per `|`).
    public func text(_ a: DeclaredArch) -> String {
        let c = a.codes
        switch kind {
        case .edges(let nodes):
            var e = 0
            var groups: [String] = []
            for j in 1..<nodes {
                groups.append(
                    "|"
                        + (0..<j).map { i in
                            defer { e += 1 }
                            return "\(ops[c[e]])~\(i)|"
                        }.joined())
            }
            return groups.joined(separator: "+")
        case .inputs(let nodes, let k, _, let cells):
            var p = 0
            return cells.map { name in
                name + "="
                    + (0..<nodes).map { _ in
                        (0..<k).map { _ in
                            defer { p += 2 }
                            return "\(ops[c[p + 1]])~\(c[p])"
                        }.joined(separator: ",")
                    }.joined(separator: "|")
            }.joined(separator: ";")
        case .nodes:
            return cellText(a)
        case .choices(let keys, let values, let blocks):
            return (0..<blocks).map { b in
                keys.indices.map { "\(keys[$0])=\(values[$0][c[b * keys.count + $0]])" }.joined(separator: ",")
            }.joined(separator: "|")
        }
    }

    /// Parses the text form back; errors name what is wrong and where.
    public func parse(_ s: String) throws -> DeclaredArch {
        let text = s.trimmingCharacters(in: .whitespaces)
        func index(_ name: Substring, in names: [String], _ what: String) throws -> Int {
            guard let i = names.firstIndex(of: String(name)) else {
                throw NASLibError(
                    "unknown \(what) \"\(name)\" in \"\(text)\" (the space's: \(names.joined(separator: ", ")))")
            }
            return i
        }
        switch kind {
        case .edges(let nodes):
            let groups = text.split(separator: "+", omittingEmptySubsequences: false)
            guard groups.count == nodes - 1 else {
                throw NASLibError("\"\(text)\": \(nodes - 1) groups separated by + expected, got \(groups.count)")
            }
            var codes: [Int] = []
            for (g, group) in groups.enumerated() {
                let j = g + 1
                guard group.hasPrefix("|") && group.hasSuffix("|") && group.count >= 2 else {
                    throw NASLibError("\"\(text)\": group \(j) is not of the form |op~0|op~1|")
                }
                let items = group.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
                guard items.count == j else {
                    throw NASLibError("\"\(text)\": node \(j) has \(j) incoming edges, got \(items.count)")
                }
                for (i, item) in items.enumerated() {
                    let parts = item.split(separator: "~", omittingEmptySubsequences: false)
                    guard parts.count == 2, Int(parts[1]) == i else {
                        throw NASLibError("\"\(text)\": edge \(i)→\(j) must read op~\(i), got \"\(item)\"")
                    }
                    codes.append(try index(parts[0], in: ops, "op"))
                }
            }
            return DeclaredArch(self, codes)
        case .inputs(let nodes, let k, let cellInputs, let cells):
            let parts = text.split(separator: ";", omittingEmptySubsequences: false)
            guard parts.count == cells.count else {
                throw NASLibError("\"\(text)\": \(cells.count) cells separated by ; expected, got \(parts.count)")
            }
            var codes: [Int] = []
            for (name, part) in zip(cells, parts) {
                guard part.hasPrefix(name + "=") else { throw NASLibError("\"\(text)\": the cell \(name)= expected") }
                let nodeTexts = part.dropFirst(name.count + 1).split(separator: "|", omittingEmptySubsequences: false)
                guard nodeTexts.count == nodes else {
                    throw NASLibError("\"\(text)\": the \(name) cell has \(nodes) nodes, got \(nodeTexts.count)")
                }
                for (n, nodeText) in nodeTexts.enumerated() {
                    let reads = nodeText.split(separator: ",", omittingEmptySubsequences: false)
                    guard reads.count == k else {
                        throw NASLibError(
                            "\"\(text)\": node \(n) of the \(name) cell reads \(k) inputs, got \(reads.count)")
                    }
                    var seen: Set<Int> = []
                    for r in reads {
                        let p = r.split(separator: "~", omittingEmptySubsequences: false)
                        guard p.count == 2, let input = Int(p[1]) else {
                            throw NASLibError("\"\(text)\": a read is op~input, got \"\(r)\"")
                        }
                        guard input >= 0 && input < cellInputs + n else {
                            throw NASLibError(
                                "\"\(text)\": node \(n) of the \(name) cell can read 0...\(cellInputs + n - 1), got \(input)"
                            )
                        }
                        guard seen.insert(input).inserted else {
                            throw NASLibError("\"\(text)\": node \(n) of the \(name) cell reads \(input) twice")
                        }
                        codes += [input, try index(p[0], in: ops, "op")]
                    }
                }
            }
            return DeclaredArch(self, codes)
        case .nodes:
            return try parseCell(text)
        case .choices(let keys, let values, let blocks):
            let parts = text.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == blocks else {
                throw NASLibError("\"\(text)\": \(blocks) blocks separated by | expected, got \(parts.count)")
            }
            var codes: [Int] = []
            for (b, part) in parts.enumerated() {
                let pairs = part.split(separator: ",", omittingEmptySubsequences: false)
                guard pairs.count == keys.count else {
                    throw NASLibError(
                        "\"\(text)\": block \(b + 1) has \(keys.count) key=value pairs, got \(pairs.count)")
                }
                for (i, pair) in pairs.enumerated() {
                    let kv = pair.split(separator: "=", omittingEmptySubsequences: false)
                    guard kv.count == 2, kv[0] == keys[i] else {
                        throw NASLibError(
                            "\"\(text)\": block \(b + 1) must give \(keys[i])=value next, got \"\(pair)\"")
                    }
                    codes.append(try index(kv[1], in: values[i], "value of \(keys[i])"))
                }
            }
            return DeclaredArch(self, codes)
        }
    }
}
