//! Small pieces of maps for the unit tests of the model and the views: a segment, a node in
//! one segment, a link named by its ends.

use super::{Link, LinkKind, Node, NodeKind, Segment};

/// A top segment of `tier`, named by its id.
pub fn segment(id: &str, tier: &str) -> Segment {
    Segment {
        id: id.into(),
        tier: tier.into(),
        parent: None,
        name: id.into(),
        name_zh: None,
        description: None,
        description_zh: None,
    }
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
