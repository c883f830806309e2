//! The thesis lens: the nodes a thesis is about, named directly or through a segment or
//! tier it names. The window, saved views, pictures and the web page all read this one
//! function.
//!
//! "Lens" names two things, each always with its word in code: this thesis lens
//! (`ViewState::thesis_lens`, `Action::ThesisLens`; written `lens` in a saved view's file
//! and the web page's URL, which keep their format) and the market lens
//! ([`super::market_lens`], drawn on the map by `ui::share_lens`). Neither is a filter,
//! which hides; a lens lights.

use super::Map;
use std::collections::BTreeSet;

/// The nodes a thesis is about: named directly, or in a segment or tier it names.
pub fn lens_nodes(map: &Map, thesis: usize) -> BTreeSet<usize> {
    let Some(thesis) = map.theses.get(thesis) else {
        return BTreeSet::new();
    };
    let about = |id: &str| thesis.about.iter().any(|a| a == id);
    // Each segment's parent, looked up once rather than once per node's segment.
    let parents: std::collections::HashMap<&str, &str> = map
        .segments
        .iter()
        .filter_map(|s| Some((s.id.as_str(), s.parent.as_deref()?)))
        .collect();
    let parent_of = |segment: &str| parents.get(segment).copied();
    map.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            about(&n.id)
                || about(&n.tier)
                || n.segments
                    .iter()
                    .any(|s| about(s) || parent_of(s).is_some_and(about))
        })
        .map(|(i, _)| i)
        .collect()
}
