//! Every map shipped in `maps/` loads without errors, and survives a round trip: load,
//! write as RON, load again gives an equal model.

use chainmap::io::{self, SourceFile};
use std::path::{Path, PathBuf};

fn shipped_maps() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps");
    let mut maps: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("maps/ exists")
        .map(|entry| entry.expect("reads maps/").path())
        .filter(|path| path.is_dir() || path.extension().is_some_and(|ext| ext == "ron"))
        .collect();
    maps.sort();
    maps
}

#[test]
fn maps_folder_holds_the_reference_and_the_bundled_map() {
    let names: Vec<String> = shipped_maps()
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(str::to_owned))
        .collect();
    assert!(names.contains(&"reference.ron".to_owned()), "{names:?}");
    assert!(names.contains(&"ai-value-chain".to_owned()), "{names:?}");
}

/// The errors among the map's diagnostics, as the checker prints them.
fn errors(loaded: &io::LoadedMap) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == chainmap::model::Severity::Error)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_shipped_map_loads_without_errors() {
    for path in shipped_maps() {
        let loaded = io::load(&path).expect("the map can be read");
        let errors = errors(&loaded);
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            path.display(),
            errors.join("\n")
        );
        assert!(!loaded.map.nodes.is_empty(), "{} has nodes", path.display());
    }
}

#[test]
fn every_shipped_map_round_trips_through_ron() {
    for path in shipped_maps() {
        let loaded = io::load(&path).expect("the map can be read");
        let text = io::write::to_ron(&io::write::map_file(&loaded.map)).expect("serializes");
        let again = io::load_files(
            Path::new("round-trip.ron"),
            vec![SourceFile::new(PathBuf::from("round-trip.ron"), Some(text))],
        );
        let errors = errors(&again);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
        assert_eq!(
            again.map,
            loaded.map,
            "{} changed in the round trip",
            path.display()
        );
    }
}

#[test]
fn the_bundled_map_has_the_whole_report() {
    let loaded = io::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/ai-value-chain"))
        .expect("the bundled map can be read");
    let map = &loaded.map;
    let tiers: Vec<&str> = map.tiers.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        tiers,
        [
            "hardware",
            "infra-cloud",
            "foundation-models",
            "applications"
        ]
    );
    assert!(map.nodes.len() >= 90, "{} nodes", map.nodes.len());
    assert!(map.links.len() >= 70, "{} links", map.links.len());
    assert!(map.theses.len() >= 50, "{} theses", map.theses.len());
    assert!(map.figures.len() >= 70, "{} figures", map.figures.len());
    let openai_case = map
        .case_studies
        .iter()
        .find(|c| c.subject == "openai")
        .expect("the OpenAI case study hangs off the OpenAI node");
    assert!(openai_case.people.len() >= 10);
    assert_eq!(openai_case.phases.len(), 3);
    assert_eq!(openai_case.outlook.len(), 5);
    for node in &map.nodes {
        assert!(
            node.description.is_some(),
            "node {} has a description",
            node.id
        );
    }
}
