/// A bounded reader for the zip archives PyTorch writes (`torch.save`): members are stored, not compressed, and
/// every size and offset is checked against the archive's own length before it is used, so a crafted archive is an
/// error, never a huge allocation, a trap or a loop. Each member's CRC-32 is checked. Zip64 archives (PyTorch
/// writes them only past 4 GiB), compressed or encrypted members and symbolic-link entries are rejected.
public struct StoredZip {
    public struct Member: Equatable {
        public let name: String
        let crc: UInt32
        let size: Int
        let localHeader: Int
    }

    /// Most members an archive may list (a `.pt` of plain data has a handful).
    public static let maxMembers = 65_536

    public let bytes: [UInt8]
    public let source: String
    public let members: [Member]

    public init(bytes: [UInt8], source: String) throws {
        self.bytes = bytes
        self.source = source
        members = try StoredZip.centralDirectory(bytes, source)
    }

    func fail(_ what: String) -> NASLibError { NASLibError("\(source): not a PyTorch zip archive (\(what))") }

    static func u16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> Int { u16(b, at) | u16(b, at + 2) << 16 }

    /// The end-of-central-directory record: the last 22+ bytes, found by its signature.
    static func endRecord(_ b: [UInt8], _ source: String) throws -> Int {
        let earliest = max(0, b.count - 22 - 65_535)
        var at = b.count - 22
        while at >= earliest {
            if u32(b, at) == 0x0605_4B50 { return at }
            at -= 1
        }
        throw NASLibError("\(source): not a PyTorch zip archive (no end-of-central-directory record)")
    }

    static func centralDirectory(_ b: [UInt8], _ source: String) throws -> [Member] {
        func fail(_ what: String) -> NASLibError { NASLibError("\(source): not a PyTorch zip archive (\(what))") }
        guard b.count >= 22 else { throw fail("\(b.count) bytes is too short") }
        let end = try endRecord(b, source)
        let count = u16(b, end + 10)
        let size = u32(b, end + 12)
        let offset = u32(b, end + 16)
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            throw fail("zip64 archive: archives over 4 GiB are not supported")
        }
        guard u16(b, end + 4) == 0, u16(b, end + 6) == 0, u16(b, end + 8) == count else {
            throw fail("multi-disk archive")
        }
        guard count <= maxMembers else { throw fail("\(count) members, more than \(maxMembers)") }
        guard offset <= end, size <= end - offset else { throw fail("the central directory lies outside the file") }
        var members: [Member] = []
        var at = offset
        for _ in 0..<count {
            guard at + 46 <= offset + size, u32(b, at) == 0x0201_4B50 else {
                throw fail("bad central directory entry at byte \(at)")
            }
            let flags = u16(b, at + 8)
            let method = u16(b, at + 10)
            let crc = UInt32(u32(b, at + 16))
            let packed = u32(b, at + 20)
            let unpacked = u32(b, at + 24)
            let nameLength = u16(b, at + 28)
            let extraLength = u16(b, at + 30)
            let commentLength = u16(b, at + 32)
            let mode = u32(b, at + 38) >> 16
            let local = u32(b, at + 42)
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= offset + size else { throw fail("a central directory entry runs past the directory") }
            let name = String(decoding: b[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            guard flags & 1 == 0 else { throw fail("member \(name) is encrypted") }
            guard method == 0 else {
                throw fail("member \(name) is compressed (method \(method)); torch.save stores members")
            }
            guard packed == unpacked else { throw fail("member \(name) is stored with two different sizes") }
            guard mode & 0o170000 != 0o120000 else { throw fail("member \(name) is a symbolic link") }
            guard local < offset, unpacked <= offset - local else { throw fail("member \(name) lies outside the file") }
            members.append(Member(name: name, crc: crc, size: unpacked, localHeader: local))
            at = next
        }
        return members
    }

    /// A member's bytes, after checking its local header and CRC-32.
    public func contents(_ member: Member) throws -> ArraySlice<UInt8> {
        let b = bytes
        let at = member.localHeader
        guard at + 30 <= b.count, StoredZip.u32(b, at) == 0x0403_4B50 else {
            throw fail("bad local header of \(member.name) at byte \(at)")
        }
        let start = at + 30 + StoredZip.u16(b, at + 26) + StoredZip.u16(b, at + 28)
        guard start <= b.count, member.size <= b.count - start else {
            throw fail("member \(member.name) runs past the end of the file")
        }
        let data = b[start..<(start + member.size)]
        let crc = CRC32.checksum(data)
        guard crc == member.crc else {
            throw NASLibError(
                """
                \(source): member \(member.name) is corrupt (CRC-32 \(String(crc, radix: 16)), the archive records \
                \(String(member.crc, radix: 16)))
                """)
        }
        return data
    }
}
