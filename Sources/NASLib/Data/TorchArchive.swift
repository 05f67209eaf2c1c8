import Foundation
import ZIPFoundation

/// Reads a PyTorch `.pt` file that holds plain pickled data (no tensors): a zip archive whose
/// `<name>/data.pkl` member is the pickle (HELP's latency lists).
public enum TorchArchive {
    public static func load(path: String) throws -> PickleValue {
        let url = URL(fileURLWithPath: path)
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw NASLibError("\(path): not a PyTorch zip archive (\(error))")
        }
        guard let entry = archive.first(where: { $0.path.hasSuffix("/data.pkl") || $0.path == "data.pkl" }) else {
            throw NASLibError("\(path): the archive has no data.pkl member")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in data.append(chunk) }
        } catch {
            throw NASLibError("\(path): cannot read \(entry.path) (\(error))")
        }
        let value = try SafeUnpickler.load([UInt8](data), source: "\(path) (\(entry.path))")
        if case .list(let items) = value, items.contains(where: { if case .global = $0 { return true } else { return false } }) {
            throw NASLibError("\(path): data.pkl holds objects, not plain data")
        }
        return value
    }
}
