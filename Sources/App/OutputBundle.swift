import Infra

/// Checks on the files a run writes, before it starts.
enum OutputBundle {
    /// Why the run must not start (a notebook that would overwrite the script), or nil.
    static func problem(script: String, _ settings: App.Settings) -> String? {
        guard let notebook = settings.notebook, !["-c", "<stdin>"].contains(script) else { return nil }
        if Paths.canonical(notebook) == Paths.canonical(script) {
            return
                "--notebook \(notebook) would overwrite the script \(script); give the notebook another name (.ipynb)"
        }
        return nil
    }
}
