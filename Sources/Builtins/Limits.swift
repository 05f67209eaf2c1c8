/// Upper bounds on size arguments (docs/reliability.md): far above anything the paper or a real search uses, low
/// enough that no argument can overflow an integer or ask for memory the machine does not have.
enum Limits {
    /// Models a baseline search may train (NB201 has 15,625; the paper's budgets are at most a few hundred).
    static let budget = 1_000_000
    /// Repeated runs of a search or training.
    static let runs = 10_000
    /// Epochs, patience, warm-up and iterations.
    static let epochs = 100_000
    /// Training batch size.
    static let batch = 1_000_000
}
