//! Property tests of the loader on random and mutated input: whatever the bytes, loading
//! returns (no panic), and every problem it reports is placed inside the file.

use chainmap::io::{SourceFile, load_files};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

const REFERENCE: &str = include_str!("../maps/reference.ron");

fn load_text(text: String) -> chainmap::io::LoadedMap {
    let path = PathBuf::from("fuzz.ron");
    load_files(
        Path::new("fuzz.ron"),
        vec![SourceFile::new(path, Some(text))],
    )
}

fn assert_problems_inside(text: &str, loaded: &chainmap::io::LoadedMap) {
    let lines = text.split('\n').count();
    for diagnostic in &loaded.diagnostics {
        assert!(
            diagnostic.line >= 1 && diagnostic.line <= lines.max(1) && diagnostic.col >= 1,
            "{diagnostic} lies outside a {lines}-line file"
        );
    }
}

/// One edit a careless hand or a bad merge could make.
#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    Duplicate { at: usize, len: usize },
    Replace { at: usize, with: char },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let len = REFERENCE.len();
    prop_oneof![
        (0..len, 1..200usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (0..len, "[\\[\\](){}\",:a-z0-9 \n\\\\/*#-]{1,20}")
            .prop_map(|(at, text)| Mutation::Insert { at, text }),
        (0..len, 1..400usize).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (0..len, any::<char>()).prop_map(|(at, with)| Mutation::Replace { at, with }),
    ]
}

/// Applies mutations on character boundaries.
fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for mutation in mutations {
        let n = chars.len();
        match mutation {
            Mutation::Delete { at, len } => {
                let start = (*at).min(n);
                let end = (start + len).min(n);
                chars.drain(start..end);
            }
            Mutation::Insert { at, text } => {
                let at = (*at).min(n);
                chars.splice(at..at, text.chars());
            }
            Mutation::Duplicate { at, len } => {
                let start = (*at).min(n);
                let end = (start + len).min(n);
                let copy: Vec<char> = chars[start..end].to_vec();
                chars.splice(end..end, copy);
            }
            Mutation::Replace { at, with } => {
                if let Some(c) = chars.get_mut((*at).min(n.saturating_sub(1))) {
                    *c = *with;
                }
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        let loaded = load_text(text.clone());
        assert_problems_inside(&text, &loaded);
    }

    #[test]
    fn random_ron_like_tokens_never_panic(text in "[\\[\\](){}\",:a-zA-Z0-9 \n\\\\/*#r'-]{0,300}") {
        let loaded = load_text(text.clone());
        assert_problems_inside(&text, &loaded);
    }

    #[test]
    fn mutated_reference_map_never_panics(mutations in proptest::collection::vec(mutation(), 1..4)) {
        let text = apply(REFERENCE, &mutations);
        let loaded = load_text(text.clone());
        assert_problems_inside(&text, &loaded);
    }

    #[test]
    fn span_scan_never_panics(text in "\\PC{0,300}") {
        let _ = chainmap::io::spans::scan(&text);
    }
}

#[test]
fn the_unmutated_reference_map_loads_cleanly() {
    let loaded = load_text(REFERENCE.to_owned());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
}
