//! New maps from outside: `chainmap new`, `import landscape`, `import csv` and
//! `export --format csv -o DIR`, each written map checked by the loader the window uses.

mod common;

use common::{chainmap, stderr, stdout};
use std::path::Path;

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

#[test]
fn new_writes_a_starter_map_that_check_passes_and_refuses_to_overwrite_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("my-map");
    let output = chainmap(&["new", path(&out)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for file in [
        "map.ron",
        "01-inputs.ron",
        "02-products.ron",
        "theses.ron",
        "figures.ron",
    ] {
        let text = std::fs::read_to_string(out.join(file)).expect("the file is written");
        assert!(
            text.contains("maps/reference.ron"),
            "{file} points to the reference"
        );
    }
    let check = chainmap(&["check", path(&out)]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(
        stderr(&check).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&check)
    );
    let loaded = chainmap::io::load(&out).expect("loads");
    assert_eq!(loaded.map.theses.len(), 1);
    assert_eq!(loaded.map.case_studies.len(), 1);

    // A second `new` into the same folder changes nothing.
    let before = std::fs::read(out.join("map.ron")).expect("reads");
    let again = chainmap(&["new", path(&out)]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already holds a map"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read(out.join("map.ron")).expect("reads"), before);
}
