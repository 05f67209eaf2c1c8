/// Reads a PyTorch `.pt` file that holds plain pickled data (no tensors): a zip archive whose
/// `<name>/data.pkl` member is the pickle (HELP's latency lists).
public enum TorchArchive {
    public static func load(bytes: [UInt8], source: String) throws -> PickleValue {
        let zip = try StoredZip(bytes: bytes, source: source)
        guard let entry = zip.members.first(where: { $0.name.hasSuffix("/data.pkl") || $0.name == "data.pkl" }) else {
            throw NASLibError("\(source): the archive has no data.pkl member")
        }
        let data = try zip.contents(entry)
        let value = try SafeUnpickler.load(Array(data), source: "\(source) (\(entry.name))")
        if case .list(let items) = value,
            items.contains(where: { if case .global = $0 { return true } else { return false } })
        {
            throw NASLibError("\(source): data.pkl holds objects, not plain data")
        }
        return value
    }
}
