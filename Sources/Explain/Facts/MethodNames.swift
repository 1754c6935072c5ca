/// How the method codes of a record (`deep_ensemble`, `grad_cam`) are written in prose: the names the literature
/// uses, and for a code not listed, its words without underscores. Texts never show the raw code.
enum MethodNames {
    static let known: [String: String] = [
        "deep_ensemble": "deep ensemble", "mc_dropout": "Monte Carlo dropout", "test_time_augmentation": "test-time augmentation",
        "conformal": "conformal prediction", "quantile_regression": "quantile regression", "evidential": "evidential deep learning",
        "laplace": "Laplace approximation", "shap": "SHAP", "lime": "LIME", "grad_cam": "Grad-CAM", "gradcam": "Grad-CAM",
        "integrated_gradients": "integrated gradients", "occlusion": "occlusion", "entropy_map": "entropy map",
    ]

    static func name(_ code: String) -> String { known[code.lowercased()] ?? code.replacingOccurrences(of: "_", with: " ") }
}
