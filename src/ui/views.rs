//! What the map view emphasises, computed from the map alone so that the window and the
//! command line agree: a trace (the selection's value chain), a thesis lens, a market's
//! shares, a filter;
//! and saved views, named sets of those kept beside the map (`.views.ron` in its folder)
//! for the window to return to and `export --view NAME` to draw.

use super::Filter;
pub use crate::io::views::{
    MAX_VIEWPORT_UNITS, SavedView, ViewsError, read_views, views_path, write_views,
};
use crate::layout;
use crate::model::Map;
use crate::model::market_lens::MarketLens;
pub use crate::model::thesis_lens::lens_nodes;
use crate::model::trace::{self, Trace};
use std::collections::BTreeSet;

/// The nodes a filter keeps.
pub fn filtered_nodes(map: &Map, filter: &Filter) -> BTreeSet<usize> {
    let tier = filter
        .tier
        .and_then(|t| map.tiers.get(t))
        .map(|t| t.id.as_str());
    let segment = filter
        .segment
        .and_then(|s| map.segments.get(s))
        .map(|s| s.id.as_str());
    // The segment and its children, found once rather than once per node.
    let in_segment: Option<std::collections::HashSet<&str>> = segment.map(|segment| {
        map.segments
            .iter()
            .filter(|s| s.id == segment || s.parent.as_deref() == Some(segment))
            .map(|s| s.id.as_str())
            .chain(std::iter::once(segment))
            .collect()
    });
    map.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| tier.is_none_or(|t| n.tier == t))
        .filter(|(_, n)| {
            in_segment
                .as_ref()
                .is_none_or(|ids| n.segments.iter().any(|s| ids.contains(s.as_str())))
        })
        .filter(|(_, n)| filter.tag.as_ref().is_none_or(|tag| n.tags.contains(tag)))
        .filter(|(_, n)| !filter.hidden_classes.contains(&n.kind.class()))
        .map(|(i, _)| i)
        .collect()
}

/// What a saved view shows of a map: the filter and selection as indices of this map,
/// and the nodes to emphasise. Ids the map no longer has are left out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResolvedView {
    pub filter: Filter,
    pub selected: Option<usize>,
    pub thesis_lens: Option<usize>,
    pub market: Option<MarketLens>,
    pub trace: Option<Trace>,
    pub emphasis: Option<BTreeSet<usize>>,
    pub viewport: Option<layout::Rect>,
}

impl SavedView {
    /// The view in this map's terms.
    pub fn resolve(&self, map: &Map) -> ResolvedView {
        let position = |ids: Vec<&str>, id: &Option<String>| {
            id.as_deref()
                .and_then(|id| ids.iter().position(|x| *x == id))
        };
        let filter = Filter {
            tier: position(
                map.tiers.iter().map(|t| t.id.as_str()).collect(),
                &self.tier,
            ),
            segment: position(
                map.segments.iter().map(|s| s.id.as_str()).collect(),
                &self.segment,
            ),
            tag: self.tag.clone(),
            hidden_kinds: self.hidden_kinds.iter().copied().collect(),
            hidden_classes: self.hidden_classes.iter().copied().collect(),
        };
        let selected = position(
            map.nodes.iter().map(|n| n.id.as_str()).collect(),
            &self.selected,
        );
        let thesis_lens = position(
            map.theses.iter().map(|t| t.id.as_str()).collect(),
            &self.thesis_lens,
        );
        let market = position(
            map.markets.iter().map(|m| m.id.as_str()).collect(),
            &self.market,
        )
        .and_then(|m| {
            let case = self.case.as_deref().unwrap_or(crate::model::BASE_CASE);
            MarketLens::of_case(map, m, case)
        });
        let trace = match (self.trace, selected) {
            (true, Some(node)) => trace::trace(map, node, &filter.hidden_kinds),
            _ => None,
        };
        // The same order of precedence as the window: a trace, else a thesis lens, else a
        // market, else a filter.
        let emphasis = if let Some(trace) = &trace {
            Some(trace.nodes())
        } else if let Some(thesis) = thesis_lens {
            Some(lens_nodes(map, thesis))
        } else if let Some(market) = &market {
            Some(market.lit.clone())
        } else if filter.picks_nodes() {
            Some(filtered_nodes(map, &filter))
        } else {
            None
        };
        // A part of the map that is no part (NaN, infinite, empty, absurdly large or
        // thin) is not shown; `export --view` refuses it with [`SavedView::viewport_problem`].
        let viewport = self
            .viewport
            .filter(|_| self.viewport_problem().is_none())
            .map(|(x, y, w, h)| layout::Rect { x, y, w, h });
        ResolvedView {
            filter,
            selected,
            thesis_lens,
            market,
            trace,
            emphasis,
            viewport,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NodeClass;
    use crate::model::test_maps::chain;

    #[test]
    fn hiding_ideas_dims_them() {
        let map = chain();
        let filter = Filter {
            hidden_classes: BTreeSet::from([NodeClass::Idea]),
            ..Filter::default()
        };
        assert!(filter.picks_nodes());
        // All but the idea (Technique) at 6.
        assert_eq!(
            filtered_nodes(&map, &filter),
            BTreeSet::from([0, 1, 2, 3, 4, 5, 7])
        );
    }
}
