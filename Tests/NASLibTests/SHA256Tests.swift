import NASLib
import TestSupport
import Testing

/// FIPS 180-4 test vectors, and a data file's hash against the data's SHA256SUMS.
@Suite struct SHA256Tests {
    @Test func vectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var s = SHA256()
        for _ in 0..<1000 { s.update(String(repeating: "a", count: 1000)) }
        #expect(s.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(.needsData) func dataFileMatchesItsPublishedSum() throws {
        let path = try TestData.directory!.locate(DataFile("help-latency/fpga.pt", origin: ""))
        #expect(try SHA256.file(path) == "6a0333c1476a3ab039d8c39e5d42ac99efe9e7f3ff521289569013fa84233b28")
    }
}
