/// The paper's numbers that the documentation judges recorded results against, each as the paper's mean and
/// standard deviation. A recorded block names a table (`judge=table_s2:...`); its rows are looked up by the row's
/// own columns (Table S2: `predictor` and `device`, as `scripts/table_s2.brp` writes them).
public enum PaperReference {
    public struct Value: Equatable, Sendable {
        public let mean: Double, sd: Double
    }

    /// Table S2 of the BRP-NAS supplement (mean ± std over 100 trainings), share of test models within 1 / 5 / 10 %,
    /// per predictor and device. The OCR of the supplement is decoded in SPEC §3 for the GCN 900 row; the GCN 100 and
    /// layer-wise rows are decoded here the same way (the paper gives the layer-wise baseline for three devices).
    static let tableS2: [String: [String: [Value]]] = [
        "gcn 900": [
            "d-cpu": [.init(mean: 36.0, sd: 4.3), .init(mean: 85.2, sd: 1.8), .init(mean: 96.4, sd: 0.7)],
            "d-gpu": [.init(mean: 36.7, sd: 4.0), .init(mean: 85.9, sd: 1.9), .init(mean: 96.4, sd: 0.7)],
            "e-gpu": [.init(mean: 24.3, sd: 1.4), .init(mean: 82.5, sd: 1.5), .init(mean: 96.3, sd: 0.5)],
            "e-tpu": [.init(mean: 16.2, sd: 3.6), .init(mean: 64.0, sd: 5.7), .init(mean: 87.4, sd: 2.7)],
            "m-gpu": [.init(mean: 17.5, sd: 2.8), .init(mean: 67.5, sd: 7.4), .init(mean: 90.5, sd: 5.5)],
            "m-dsp": [.init(mean: 21.3, sd: 1.9), .init(mean: 77.5, sd: 2.6), .init(mean: 94.2, sd: 0.4)],
        ],
        "gcn 100": [
            "d-cpu": [.init(mean: 6.1, sd: 1.7), .init(mean: 27.9, sd: 5.5), .init(mean: 51.5, sd: 8.3)],
            "d-gpu": [.init(mean: 5.9, sd: 1.3), .init(mean: 28.7, sd: 3.6), .init(mean: 52.9, sd: 5.0)],
            "e-gpu": [.init(mean: 9.9, sd: 1.3), .init(mean: 44.6, sd: 4.0), .init(mean: 71.8, sd: 3.5)],
            "e-tpu": [.init(mean: 6.2, sd: 1.0), .init(mean: 30.0, sd: 3.6), .init(mean: 54.6, sd: 5.7)],
            "m-gpu": [.init(mean: 5.2, sd: 0.9), .init(mean: 24.9, sd: 3.4), .init(mean: 46.3, sd: 4.1)],
            "m-dsp": [.init(mean: 10.3, sd: 1.1), .init(mean: 48.0, sd: 3.8), .init(mean: 78.4, sd: 3.6)],
        ],
        "layerwise 900": [
            "d-cpu": [.init(mean: 3.5, sd: 0.2), .init(mean: 18.2, sd: 1.5), .init(mean: 29.6, sd: 1.1)],
            "d-gpu": [.init(mean: 4.2, sd: 0.2), .init(mean: 17.1, sd: 0.3), .init(mean: 32.6, sd: 1.2)],
            "e-gpu": [.init(mean: 6.1, sd: 0.3), .init(mean: 29.7, sd: 0.8), .init(mean: 54.0, sd: 0.8)],
        ],
    ]

    /// The tables a block can be judged against: name and title.
    public static let tables = ["table_s2": "Table S2"]

    /// The paper's value for a row's `index`-th judged column, or nil where the paper gives none.
    public static func value(table: String, row: [String: String], index: Int) -> Value? {
        switch table {
        case "table_s2":
            guard let p = row["predictor"], let d = row["device"], let cells = tableS2[p]?[d], index < cells.count
            else { return nil }
            return cells[index]
        default: return nil
        }
    }

    /// The status words of docs/reproducing.md applied to judged cells: every cell within one of the paper's
    /// standard deviations is "reproduced", none "not reproduced", the rest "partly".
    public static func status(within: Int, of total: Int) -> String {
        within == total ? "reproduced" : within == 0 ? "not reproduced" : "partly"
    }
}
