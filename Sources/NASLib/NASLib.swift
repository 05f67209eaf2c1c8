/// NASLib: search spaces, benchmark data, tensors, GCN predictors, optimisers and searches
/// for hardware-aware NAS (the BRP-NAS paper). It knows nothing about the language.
public enum NASLib {
    public static let version = "0.1.0"
}
