import NASLib
import Testing

@Suite struct NB201ArchTests {
    static let index0 =
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"

    @Test func encodingsOfIndexZero() throws {
        let a = try NB201Arch(string: Self.index0)
        #expect(a.vector == [4, 2, 1, 2, 1, 1])
        #expect(a.naslib == [4, 3, 3, 0, 0, 0])  // from the data README
        #expect(a.string == Self.index0)
        #expect(try NB201Arch(naslib: [4, 3, 3, 0, 0, 0]) == a)
        #expect(try NB201Arch(vector: [4, 2, 1, 2, 1, 1]) == a)
    }

    @Test func everyArchRoundTrips() throws {
        var strings = Set<String>()
        for a in NB201Arch.all {
            #expect(try NB201Arch(string: a.string) == a)
            #expect(try NB201Arch(vector: a.vector) == a)
            #expect(try NB201Arch(naslib: a.naslib) == a)
            #expect(NB201Arch(ops: a.ops) == a)
            strings.insert(a.string)
        }
        #expect(strings.count == 15625)
    }

    @Test func connectedArchsAreTheOnesLatBenchMeasured() {
        #expect(NB201Arch.all.filter(\.connected).count == 15284)
        #expect(!(try! NB201Arch(vector: [3, 3, 3, 0, 0, 0])).connected)
        #expect((try! NB201Arch(vector: [0, 0, 0, 1, 0, 0])).connected)
    }

    @Test func isomorphismClasses() {
        #expect(Set(NB201Arch.all.map(\.uniqueString)).count == 6466)
        #expect(
            (try! NB201Arch(string: Self.index0)).uniqueString
                == "(0)@avg_pool_3x3+(0)@avg_pool_3x3+(0)@nor_conv_1x1+(0)@nor_conv_1x1")
    }

    @Test func neighborsDifferInOneEdge() {
        for a in NB201Arch.all where a.code % 37 == 0 {
            let ns = a.neighbors
            #expect(ns.count == 24)
            #expect(Set(ns).count == 24)
            for n in ns {
                #expect(zip(n.ops, a.ops).filter { $0 != $1 }.count == 1)
                #expect(n.neighbors.contains(a))
            }
        }
    }

    @Test func invalidInputIsAClearError() {
        #expect(throws: NASLibError.self) {
            try NB201Arch(string: "|nor_conv_5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|")
        }
        #expect(throws: NASLibError.self) { try NB201Arch(string: "|none~0|+|none~0|") }
        #expect(throws: NASLibError.self) { try NB201Arch(string: "|none~0|+|none~0|none~1|+|none~0|none~2|none~1|") }
        #expect(throws: NASLibError.self) { try NB201Arch(vector: [0, 1, 2]) }
        #expect(throws: NASLibError.self) { try NB201Arch(vector: [0, 1, 2, 3, 4, 5]) }
        #expect(throws: NASLibError.self) { try NB201Arch(naslib: [9, 0, 0, 0, 0, 0]) }
        do {
            _ = try NB201Arch(string: "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|")
        } catch let e as NASLibError {
            #expect(e.message.hasPrefix("unknown NB201 op 'conv'"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func seededSamplingIsReproducible() {
        var r1 = SeededRandom(seed: 42)
        var r2 = SeededRandom(seed: 42)
        var r3 = SeededRandom(seed: 43)
        let a = (0..<10).map { _ in NB201Arch.random(&r1) }
        #expect(a == (0..<10).map { _ in NB201Arch.random(&r2) })
        #expect(a != (0..<10).map { _ in NB201Arch.random(&r3) })
    }
}
