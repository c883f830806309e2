//! The bundled AI value-chain map, compiled into the binary so that `chainmap` opens it on
//! any machine, from any folder.

use super::{LoadedMap, SourceFile, load_files};
use std::path::{Path, PathBuf};

/// Where the bundled map lives in the source tree; shown in problems and titles.
pub const BUNDLED_ROOT: &str = "maps/ai-value-chain";

/// The bundled map's files, in name order.
pub const BUNDLED_FILES: [(&str, &str); 8] = [
    (
        "applications.ron",
        include_str!("../../maps/ai-value-chain/applications.ron"),
    ),
    (
        "figures.ron",
        include_str!("../../maps/ai-value-chain/figures.ron"),
    ),
    (
        "foundation-models.ron",
        include_str!("../../maps/ai-value-chain/foundation-models.ron"),
    ),
    (
        "hardware.ron",
        include_str!("../../maps/ai-value-chain/hardware.ron"),
    ),
    (
        "infra-cloud.ron",
        include_str!("../../maps/ai-value-chain/infra-cloud.ron"),
    ),
    ("map.ron", include_str!("../../maps/ai-value-chain/map.ron")),
    (
        "openai-case-study.ron",
        include_str!("../../maps/ai-value-chain/openai-case-study.ron"),
    ),
    (
        "theses.ron",
        include_str!("../../maps/ai-value-chain/theses.ron"),
    ),
];

/// Loads the bundled map from the texts compiled in.
pub fn load_bundled() -> LoadedMap {
    let files = BUNDLED_FILES
        .iter()
        .map(|(name, text)| {
            SourceFile::new(
                PathBuf::from(BUNDLED_ROOT).join(name),
                Some((*text).to_owned()),
            )
        })
        .collect();
    load_files(Path::new(BUNDLED_ROOT), files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_bundled_folder_is_compiled_in() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(BUNDLED_ROOT);
        let on_disk: Vec<String> = super::super::map_files(&folder)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| Some(p.file_name()?.to_str()?.to_owned()))
            .collect();
        let compiled: Vec<&str> = BUNDLED_FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, compiled);
        let loaded = load_bundled();
        assert_eq!(loaded.error_count(), 0);
        assert_eq!(loaded.map.nodes.len(), 121);
    }
}
