//! Small pieces of maps for the unit tests of the model and the views: a segment, a node in
//! one segment, a link named by its ends, and a small value chain.

use super::{Link, LinkKind, Map, Node, NodeKind, Segment};

/// A top segment of `tier`, named by its id.
pub fn segment(id: &str, tier: &str) -> Segment {
    Segment::new(id, tier, id)
}

/// A node of `kind` in `tier`, in one segment, named by its id.
pub fn node(id: &str, kind: NodeKind, tier: &str, segment: &str) -> Node {
    Node {
        segments: vec![segment.into()],
        ..Node::new(id, id, kind, tier)
    }
}

/// A link of `kind` from `from` to `to`, its id "FROM-TO".
pub fn link(from: &str, to: &str, kind: LinkKind) -> Link {
    Link::new(format!("{from}-{to}"), from, to, kind)
}

/// A value chain in miniature, the one whose trace lit Anthropic upstream of OpenAI: the labs'
/// segment integrates into the big-tech segment, where BigCo sits; BigCo owns the
/// cloud that hosts the lab. Chips supply clouds as segments.
pub fn chain() -> Map {
    Map {
        segments: vec![
            segment("chips", "hw"),
            segment("clouds", "cloud"),
            segment("labs", "models"),
            segment("big-tech", "apps"),
            segment("apps", "apps"),
        ],
        nodes: vec![
            node("chipco", NodeKind::Company, "hw", "chips"),
            node("cloud", NodeKind::Product, "cloud", "clouds"),
            node("lab", NodeKind::Lab, "models", "labs"),
            node("rival-lab", NodeKind::Lab, "models", "labs"),
            node("bigco", NodeKind::Company, "apps", "big-tech"),
            node("app", NodeKind::Product, "apps", "apps"),
            node("idea", NodeKind::Technique, "models", "labs"),
            node("other-app", NodeKind::Product, "apps", "apps"),
        ],
        links: vec![
            link("chips", "clouds", LinkKind::Supplies),
            link("cloud", "lab", LinkKind::Hosts),
            link("bigco", "cloud", LinkKind::Owns),
            link("labs", "big-tech", LinkKind::Integrates),
            link("lab", "app", LinkKind::Integrates),
            link("lab", "other-app", LinkKind::Integrates),
            link("idea", "lab", LinkKind::Integrates),
            link("rival-lab", "lab", LinkKind::Competes),
        ],
        ..Map::default()
    }
}
