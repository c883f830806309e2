//! Validation: every rule a map must obey, each problem naming the entity and field at
//! fault. All problems are reported, not only the first; entities that cannot be placed
//! (an unknown tier, a link to a missing node, a second use of an id) are left out of the
//! validated map so that the rest still opens.

use super::{
    CONVICTION_RANGE, CaseStudy, EntityKind, EntityType, Evidence, Figure, Id, IsoDate, Link,
    LinkKind, Map, MapMeta, Market, Node, NodeClass, NodeKind, PathSeg, Problem, Segment, Severity,
    Subject, Thesis, Worded, format_number,
};
// Ids are hashed by the hundred thousand on a big map: a fast hasher (FxHash) matters here.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// What makes two share figures one and the same claim: market, holders, case, date.
type ShareKey<'a> = (&'a str, &'a [Id], &'a str, Option<&'a str>);

/// A validated map and what was wrong with the draft it came from. Problems index the
/// draft's entities, so that `io` can point at them in the files.
#[derive(Clone, Debug)]
pub struct Validated {
    pub map: Map,
    pub problems: Vec<Problem>,
}

impl Validated {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// Image formats a logo may use.
const LOGO_EXTENSIONS: [&str; 4] = ["png", "jpg", "jpeg", "svg"];

/// Validates a draft map. `incomplete` says that some file of the map could not be read:
/// references into it cannot be checked, so unknown references are only warnings.
pub fn validate(draft: Map, incomplete: bool) -> Validated {
    validate_with(draft, incomplete, &|_| None)
}

/// How many decimals the `low` of the draft's `index`-th figure was written with, when the
/// caller has the file's text (`None`: not known, see [`decimals_of`]).
pub type WrittenDecimals<'a> = &'a dyn Fn(usize) -> Option<u32>;

/// Like [`validate`], told how precisely each share was written, for the rounding rule of
/// market totals: a share written "74" may stand for anything from 73.5 to 74.5, one written
/// "74.0" only for 73.95 to 74.05. The model keeps numbers as `f64`, which forgets a
/// trailing zero, so the loader (which has the text) says; where no text is known (an edit
/// in memory, a generated map) the shortest form of the number is used, which is how the
/// writer writes it.
pub fn validate_with(draft: Map, incomplete: bool, low_decimals: WrittenDecimals<'_>) -> Validated {
    let repeated = repeated_ids(&draft);
    let mut checker = Checker {
        problems: Vec::new(),
        incomplete,
        left_out: HashMap::default(),
        repeated,
        low_decimals,
    };
    let map = checker.check(draft);
    Validated {
        map,
        problems: checker.problems,
    }
}

/// The most that rounding may put a market's shares over 100%, in percentage points.
const MAX_ROUNDING_POINTS: f64 = 1.0;

/// The decimals of a number in its shortest form (`74.5` → 1, `74` → 0): how the writer
/// writes it, and the precision assumed where the file's text is not known.
pub fn decimals_of(value: f64) -> u32 {
    let text = format!("{value}");
    text.split_once('.')
        .map_or(0, |(_, fraction)| fraction.len() as u32)
}

/// Checks that `id` is short kebab-case: lowercase letters and digits in words joined by `-`.
pub fn is_kebab_case(id: &str) -> bool {
    // One pass over the bytes (every id of a map is asked, by the hundred thousand): a `-`
    // may not start or end the id, nor follow another.
    let mut after_dash = true;
    for b in id.bytes() {
        match b {
            b'-' if after_dash => return false,
            b'-' => after_dash = true,
            b if b.is_ascii_lowercase() || b.is_ascii_digit() => after_dash = false,
            _ => return false,
        }
    }
    !after_dash
}

/// Says what is wrong with a link's address, if anything: only http and https open.
pub fn url_problem(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !url.chars().any(char::is_whitespace) => None,
        Some(_) => Some(format!("malformed url \"{url}\"")),
        None => Some(format!("url \"{url}\" must start with http:// or https://")),
    }
}

/// Says what is wrong with an asset path, if anything: assets stay inside the map's folder.
pub fn asset_path_problem(path: &str) -> Option<String> {
    let normalized = path.replace('\\', "/");
    if normalized.is_empty() {
        return Some("empty asset path".to_owned());
    }
    if normalized.starts_with('/') || normalized.contains(':') {
        return Some(format!(
            "asset \"{path}\" must be a relative path inside the map's folder"
        ));
    }
    if normalized.split('/').any(|part| part == "..") {
        return Some(format!(
            "asset \"{path}\" must stay inside the map's folder (no \"..\")"
        ));
    }
    let extension = normalized
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension {
        Some(ext) if LOGO_EXTENSIONS.contains(&ext.as_str()) => None,
        _ => Some(format!("asset \"{path}\" must be a PNG, JPEG or SVG image")),
    }
}

/// What a link's end may name, once nodes and segments are checked: a node (its tier and
/// kind) or a segment (its tier).
struct LinkEnds<'a> {
    nodes: HashMap<&'a str, (End<'a>, &'a [Id])>,
    segments: HashMap<&'a str, (End<'a>, Option<&'a str>)>,
}

/// One resolved end of a link: the id of what it names (borrowed from the map's own
/// list, which outlives the link), its tier and that tier's rank, and its kind when it is
/// a node. Resolved once per node and segment, not once per link.
#[derive(Clone, Copy)]
struct End<'a> {
    id: &'a str,
    tier: &'a str,
    rank: usize,
    kind: Option<NodeKind>,
}

impl<'a> LinkEnds<'a> {
    fn new(
        nodes: &'a [Node],
        segments: &'a [Segment],
        tier_rank: &'a HashMap<&'a str, usize>,
    ) -> Self {
        let end = |id: &'a str, tier: &'a str, kind: Option<NodeKind>| End {
            id,
            tier,
            rank: tier_rank.get(tier).copied().unwrap_or_default(),
            kind,
        };
        LinkEnds {
            nodes: nodes
                .iter()
                .map(|n| {
                    let node_end = end(&n.id, &n.tier, Some(n.kind));
                    (n.id.as_str(), (node_end, n.segments.as_slice()))
                })
                .collect(),
            segments: segments
                .iter()
                .map(|s| {
                    let segment_end = end(&s.id, &s.tier, None);
                    (s.id.as_str(), (segment_end, s.parent.as_deref()))
                })
                .collect(),
        }
    }

    fn end(&self, id: &str) -> Option<End<'a>> {
        match self.nodes.get(id) {
            Some(&(end, _)) => Some(end),
            None => self.segments.get(id).map(|&(end, _)| end),
        }
    }

    /// Whether segment `outer` contains `inner`: a node listed in it or in one of its
    /// sub-segments, or one of those sub-segments.
    fn contains(&self, outer: &str, inner: &str) -> bool {
        if !self.segments.contains_key(outer) {
            return false;
        }
        let within = |segment: &str| {
            let mut current = Some(segment);
            // A parent chain is acyclic once segments are checked; the bound is a guard.
            for _ in 0..=self.segments.len() {
                match current {
                    Some(s) if s == outer => return true,
                    Some(s) => current = self.segments.get(s).and_then(|&(_, parent)| parent),
                    None => return false,
                }
            }
            false
        };
        match self.nodes.get(inner) {
            Some(&(_, segments)) => segments.iter().any(|s| within(s)),
            None => self
                .segments
                .get(inner)
                .and_then(|&(_, parent)| parent)
                .is_some_and(within),
        }
    }
}

struct Checker<'w> {
    problems: Vec<Problem>,
    low_decimals: WrittenDecimals<'w>,
    incomplete: bool,
    /// The ids of the entities left out for a problem of their own (each the first to
    /// declare its id), with their kind. A reference is checked against what was kept of
    /// the kinds it may name, and each of those kinds is checked before the kinds that
    /// refer to it (sources and tiers first, figures before theses…), so a reference that
    /// does not resolve names one of these or nothing the draft declares. (A segment's
    /// parent, the one reference within a kind, is looked up in the whole draft list.)
    left_out: HashMap<Id, EntityKind>,
    /// The entities whose id an earlier one declares, by kind and index, with that earlier
    /// one's kind, found before the check so that it asks no table per entity.
    repeated: HashMap<(EntityKind, usize), EntityKind>,
}

/// What a thesis or a figure may be about.
const SUBJECT_KINDS: &[EntityKind] = &[EntityKind::Node, EntityKind::Segment, EntityKind::Tier];

/// Where, inside the draft, a rule applies.
#[derive(Clone, Copy)]
struct At<'a> {
    kind: EntityKind,
    index: usize,
    id: &'a str,
}

impl At<'_> {
    fn name(&self) -> String {
        format!("{} \"{}\"", self.kind.noun(), self.id)
    }
}

impl Checker<'_> {
    fn report(&mut self, severity: Severity, at: At<'_>, path: &[PathSeg], message: String) {
        self.problems.push(Problem {
            severity,
            subject: Subject::Entity {
                kind: at.kind,
                index: at.index,
                path: path.to_vec(),
            },
            message: format!("{}: {message}", at.name()),
        });
    }

    fn error(&mut self, at: At<'_>, path: &[PathSeg], message: String) {
        self.report(Severity::Error, at, path, message);
    }

    fn warning(&mut self, at: At<'_>, path: &[PathSeg], message: String) {
        self.report(Severity::Warning, at, path, message);
    }

    /// A reference that does not resolve. When the id is declared with the right kind but
    /// was left out of the model (its own problem is reported where it is declared), the
    /// reference is dropped quietly instead of reporting the same fault twice. When part of
    /// the map could not be read, references into it cannot be checked: only a warning.
    fn unknown(&mut self, at: At<'_>, path: &[PathSeg], kinds: &[EntityKind], id: &str) {
        if self
            .left_out
            .get(id)
            .is_some_and(|kind| kinds.contains(kind))
        {
            return;
        }
        let nouns: Vec<&str> = kinds.iter().map(|kind| kind.noun()).collect();
        let what = match nouns.as_slice() {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        };
        if self.incomplete {
            self.warning(
                at,
                path,
                format!(
                    "unknown {what} \"{id}\" (not checked: a file of the map could not be read)"
                ),
            );
        } else {
            self.error(at, path, format!("unknown {what} \"{id}\""));
        }
    }

    fn required_text(&mut self, at: At<'_>, field: &'static str, text: &str) {
        if text.trim().is_empty() {
            self.error(at, &[PathSeg::Field(field)], format!("`{field}` is empty"));
        }
    }

    fn date(&mut self, at: At<'_>, path: &[PathSeg], date: Option<&IsoDate>) {
        if let Some(Err(error)) = date.map(IsoDate::parse) {
            self.error(at, path, error.to_string());
        }
    }

    fn url(&mut self, at: At<'_>, url: Option<&String>) {
        if let Some(problem) = url.and_then(|url| url_problem(url)) {
            self.error(at, &[PathSeg::Field("url")], problem);
        }
    }

    /// The kind of an earlier entity with the same id, if the `index`-th of `kind` is not the
    /// first to use it.
    fn earlier_use(&self, kind: EntityKind, index: usize) -> Option<EntityKind> {
        self.repeated.get(&(kind, index)).copied()
    }

    fn check(&mut self, draft: Map) -> Map {
        let Map {
            meta,
            sources,
            tiers,
            segments,
            nodes,
            links,
            markets,
            figures,
            theses,
            case_studies,
        } = draft;

        self.check_meta(&meta);

        let sources = self.keep_unique(sources, |checker, at, source| {
            checker.required_text(at, "title", &source.title);
            checker.date(at, &[PathSeg::Field("date")], source.date.as_ref());
            checker.url(at, source.url.as_ref());
            true
        });
        let source_ids: HashSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();

        let tiers = self.keep_unique(tiers, |checker, at, tier| {
            checker.required_text(at, "name", &tier.name);
            true
        });
        let tier_rank: HashMap<&str, usize> = tiers
            .iter()
            .enumerate()
            .map(|(rank, tier)| (tier.id.as_str(), rank))
            .collect();

        let segments = self.keep_segments(segments, &tier_rank);
        let segment_tier: HashMap<&str, &str> = segments
            .iter()
            .map(|s| (s.id.as_str(), s.tier.as_str()))
            .collect();

        let nodes = self.keep_unique(nodes, |checker, at, node| {
            checker.check_node(at, node, &tier_rank, &segment_tier)
        });
        let node_tier: HashMap<&str, &str> = nodes
            .iter()
            .map(|n| (n.id.as_str(), n.tier.as_str()))
            .collect();

        let ends = LinkEnds::new(&nodes, &segments, &tier_rank);
        let mut seen_links = HashMap::with_capacity_and_hasher(links.len(), Default::default());
        let links = self.keep_unique(links, |checker, at, link| {
            checker.check_link(at, link, &ends, &source_ids, &mut seen_links)
        });

        // Where each market id first appears in the draft, to report market-wide problems
        // against the entity the file holds (dropped duplicates shift the kept list).
        let market_draft_index = first_index_by_id(markets.iter().map(|m| &m.id));
        let markets = self.keep_unique(markets, |checker, at, market| {
            checker.required_text(at, "name", &market.name);
            true
        });
        let market_ids: HashSet<&str> = markets.iter().map(|m| m.id.as_str()).collect();

        let subjects: HashSet<&str> = tier_rank
            .keys()
            .chain(segment_tier.keys())
            .chain(node_tier.keys())
            .copied()
            .collect();

        // The kept figures are each the first of their id in the draft.
        let figure_draft_index = first_index_by_id(figures.iter().map(|f| &f.id));
        let figures = self.keep_unique(figures, |checker, at, figure| {
            checker.check_figure(at, figure, &subjects, &market_ids, &source_ids)
        });
        self.check_share_claims(&figures, &figure_draft_index);
        self.check_markets(
            &markets,
            &market_draft_index,
            &figures,
            &figure_draft_index,
            &nodes,
        );
        let figure_ids: HashSet<&str> = figures.iter().map(|f| f.id.as_str()).collect();

        let theses = self.keep_unique(theses, |checker, at, thesis| {
            checker.check_thesis(at, thesis, &subjects, &figure_ids, &source_ids)
        });

        let case_studies = self.keep_unique(case_studies, |checker, at, case_study| {
            checker.check_case_study(at, case_study, &node_tier, &source_ids)
        });

        Map {
            meta,
            sources,
            tiers,
            segments,
            nodes,
            links,
            markets,
            figures,
            theses,
            case_studies,
        }
    }

    fn check_meta(&mut self, meta: &MapMeta) {
        if let Some(Err(error)) = meta.as_of.as_ref().map(IsoDate::parse) {
            self.problems.push(Problem {
                severity: Severity::Error,
                subject: Subject::Map,
                message: format!("map `as_of`: {error}"),
            });
        }
        // Required, as the reference says: pictures, memos and the window's title show it.
        // With a file unread, the title may well be in it.
        let untitled = meta.title.as_deref().is_none_or(|t| t.trim().is_empty());
        if !self.incomplete && untitled {
            self.problems.push(Problem {
                severity: Severity::Error,
                subject: Subject::Map,
                message: "the map has no `title`".to_owned(),
            });
        }
    }

    /// Keeps the segments that pass their rules, then drops parents left dangling by the
    /// segments left out. Parents are checked against the whole draft list, so a segment
    /// may come before its parent.
    fn keep_segments(
        &mut self,
        segments: Vec<Segment>,
        tier_rank: &HashMap<&str, usize>,
    ) -> Vec<Segment> {
        let segment_draft: HashMap<Id, Segment> = segments
            .iter()
            .rev()
            .map(|s| (s.id.clone(), s.clone()))
            .collect();
        let segments = self.keep_unique(segments, |checker, at, segment| {
            checker.check_segment(at, segment, tier_rank, &segment_draft)
        });
        without_dangling_parents(segments)
    }

    /// The checks of each market as a whole (its shares in every case, its concentration),
    /// which need the kept figures and nodes and so run after both are kept. Problems are
    /// reported against the market where the draft holds it.
    fn check_markets(
        &mut self,
        markets: &[Market],
        market_draft_index: &HashMap<Id, usize>,
        figures: &[Figure],
        figure_draft_index: &HashMap<Id, usize>,
        nodes: &[Node],
    ) {
        let firms: HashSet<&str> = nodes
            .iter()
            .filter(|n| super::markets::is_firm(n.kind))
            .map(|n| n.id.as_str())
            .collect();
        let by_market = super::markets::figures_by_market(figures);
        for (kept_index, market) in markets.iter().enumerate() {
            let at = At {
                kind: EntityKind::Market,
                index: market_draft_index
                    .get(&market.id)
                    .copied()
                    .unwrap_or(kept_index),
                id: &market.id,
            };
            let of_market = by_market
                .get(market.id.as_str())
                .map_or(&[][..], |f| &f[..]);
            self.check_market(at, of_market, figure_draft_index, &firms);
        }
    }

    /// Checks each entity of one list: its id (well-formed, unused so far) and then
    /// `rules`, which may fix the entity up and says whether to keep it. A second use of
    /// an id is checked by the rules as well, and never kept; a first use the rules leave
    /// out is noted in `left_out`.
    fn keep_unique<T: EntityType>(
        &mut self,
        items: Vec<T>,
        mut rules: impl FnMut(&mut Self, At<'_>, &mut T) -> bool,
    ) -> Vec<T> {
        let kind = T::KIND;
        let mut kept = Vec::with_capacity(items.len());
        for (index, mut item) in items.into_iter().enumerate() {
            let id = item.id().to_owned();
            let at = At {
                kind,
                index,
                id: &id,
            };
            if !is_kebab_case(&id) {
                self.error(
                    at,
                    &[PathSeg::Field("id")],
                    "ids are short kebab-case: lowercase letters and digits joined by \"-\""
                        .to_owned(),
                );
            }
            if let Some(first) = self.earlier_use(kind, index) {
                self.error(
                    at,
                    &[PathSeg::Field("id")],
                    format!(
                        "duplicate id: \"{id}\" is already used by a {}",
                        first.noun()
                    ),
                );
                // Its other faults are told too (the editor fixes them all at once), but
                // it is left out: references to the id mean the first.
                rules(self, at, &mut item);
                continue;
            }
            if rules(self, at, &mut item) {
                kept.push(item);
            } else {
                self.left_out.insert(id, kind);
            }
        }
        kept
    }

    fn check_segment(
        &mut self,
        at: At<'_>,
        segment: &mut Segment,
        tier_rank: &HashMap<&str, usize>,
        all_segments: &HashMap<Id, Segment>,
    ) -> bool {
        self.required_text(at, "name", &segment.name);
        if !tier_rank.contains_key(segment.tier.as_str()) {
            self.unknown(
                at,
                &[PathSeg::Field("tier")],
                &[EntityKind::Tier],
                &segment.tier.clone(),
            );
            return false;
        }
        let Some(parent_id) = segment.parent.clone() else {
            return true;
        };
        let path = [PathSeg::Field("parent")];
        match all_segments.get(&parent_id) {
            None => {
                self.unknown(at, &path, &[EntityKind::Segment], &parent_id);
                segment.parent = None;
            }
            Some(_) if parent_id == segment.id => {
                self.error(at, &path, "a segment cannot be its own parent".to_owned());
                segment.parent = None;
            }
            Some(parent) if parent.tier != segment.tier => {
                self.error(
                    at,
                    &path,
                    format!(
                        "parent segment \"{parent_id}\" is in tier \"{}\", not in \"{}\"",
                        parent.tier, segment.tier
                    ),
                );
                segment.parent = None;
            }
            Some(parent) if parent.parent.is_some() => {
                self.error(
                    at,
                    &path,
                    format!(
                        "parent segment \"{parent_id}\" is itself nested: segments nest one level deep at most"
                    ),
                );
                segment.parent = None;
            }
            Some(_) => {}
        }
        true
    }

    fn check_node(
        &mut self,
        at: At<'_>,
        node: &mut Node,
        tier_rank: &HashMap<&str, usize>,
        segment_tier: &HashMap<&str, &str>,
    ) -> bool {
        self.required_text(at, "name", &node.name);
        self.url(at, node.url.as_ref());
        if let Some(problem) = node.logo.as_deref().and_then(asset_path_problem) {
            self.error(at, &[PathSeg::Field("logo")], problem);
        }
        if let Some((x, y)) = node.pin
            && !(x.is_finite() && y.is_finite())
        {
            self.error(
                at,
                &[PathSeg::Field("pin")],
                "`pin` must be two finite numbers".to_owned(),
            );
            node.pin = None;
        }
        if !tier_rank.contains_key(node.tier.as_str()) {
            self.unknown(
                at,
                &[PathSeg::Field("tier")],
                &[EntityKind::Tier],
                &node.tier.clone(),
            );
            return false;
        }
        let mut seen = HashSet::default();
        let mut kept = Vec::with_capacity(node.segments.len());
        for (i, segment) in node.segments.iter().enumerate() {
            let path = [PathSeg::Field("segments"), PathSeg::Item(i)];
            match segment_tier.get(segment.as_str()) {
                None => self.unknown(at, &path, &[EntityKind::Segment], segment),
                Some(tier) if *tier != node.tier => self.error(
                    at,
                    &path,
                    format!(
                        "segment \"{segment}\" is in tier \"{tier}\", not in the node's tier \"{}\"",
                        node.tier
                    ),
                ),
                Some(_) if !seen.insert(segment.clone()) => {
                    self.warning(at, &path, format!("segment \"{segment}\" is listed twice"));
                }
                Some(_) => kept.push(segment.clone()),
            }
        }
        node.segments = kept;
        true
    }

    fn check_evidence(&mut self, at: At<'_>, evidence: &[Evidence], source_ids: &HashSet<&str>) {
        for (i, item) in evidence.iter().enumerate() {
            if !source_ids.contains(item.source.as_str()) {
                let path = [
                    PathSeg::Field("evidence"),
                    PathSeg::Item(i),
                    PathSeg::Field("source"),
                ];
                self.unknown(at, &path, &[EntityKind::Source], &item.source);
            }
        }
    }

    fn check_link<'e>(
        &mut self,
        at: At<'_>,
        link: &mut Link,
        ends: &LinkEnds<'e>,
        source_ids: &HashSet<&str>,
        seen: &mut HashMap<(&'e str, &'e str, LinkKind), Id>,
    ) -> bool {
        self.check_evidence(at, &link.evidence, source_ids);
        let from = ends.end(&link.from);
        let to = ends.end(&link.to);
        for (field, end, id) in [("from", from, &link.from), ("to", to, &link.to)] {
            if end.is_none() {
                self.unknown(
                    at,
                    &[PathSeg::Field(field)],
                    &[EntityKind::Node, EntityKind::Segment],
                    id,
                );
            }
        }
        let (Some(from), Some(to)) = (from, to) else {
            return false;
        };
        if link.from == link.to {
            let noun = if from.kind.is_some() {
                "node"
            } else {
                "segment"
            };
            self.error(
                at,
                &[PathSeg::Field("to")],
                format!("a link cannot join a {noun} to itself"),
            );
            return false;
        }
        // Only a segment contains anything: a link between two nodes needs no look.
        let between_nodes = from.kind.is_some() && to.kind.is_some();
        if !between_nodes
            && (ends.contains(&link.from, &link.to) || ends.contains(&link.to, &link.from))
        {
            self.warning(
                at,
                &[PathSeg::Field("to")],
                format!(
                    "\"{}\" and \"{}\": a link between a segment and what it contains says nothing",
                    link.from, link.to
                ),
            );
        }
        if link.kind.flows_up() && from.rank > to.rank {
            self.warning(
                at,
                &[PathSeg::Field("kind")],
                format!(
                    "a {} link runs down the tiers, from \"{}\" to \"{}\"",
                    link.kind.label(),
                    from.tier,
                    to.tier
                ),
            );
        }
        if link.kind.is_value_flow() {
            for (field, end, id) in [("from", from, &link.from), ("to", to, &link.to)] {
                if let Some(kind) = end.kind.filter(|k| k.class() == NodeClass::Idea) {
                    self.warning(
                        at,
                        &[PathSeg::Field(field)],
                        format!(
                            "\"{id}\" is a {}, not a market participant: \"{}\" links belong between participants (an idea goes in a description, or a thesis is about it)",
                            kind.label(),
                            link.kind.label()
                        ),
                    );
                }
            }
        }
        // Competing and partnering run both ways: B competes with A repeats A competes with B.
        let symmetric = matches!(link.kind, LinkKind::Competes | LinkKind::Partners);
        // Keyed by the ends' ids as the nodes and segments hold them: no copy per link.
        let key = if symmetric && to.id < from.id {
            (to.id, from.id, link.kind)
        } else {
            (from.id, to.id, link.kind)
        };
        if let Some(first) = seen.get(&key) {
            self.warning(
                at,
                &[PathSeg::Field("kind")],
                format!(
                    "repeats link \"{first}\" (same ends and kind): give both quotes as evidence of one link"
                ),
            );
        } else {
            seen.insert(key, link.id.clone());
        }
        true
    }

    fn check_figure(
        &mut self,
        at: At<'_>,
        figure: &mut Figure,
        subjects: &HashSet<&str>,
        market_ids: &HashSet<&str>,
        source_ids: &HashSet<&str>,
    ) -> bool {
        self.required_text(at, "metric", &figure.metric);
        self.date(at, &[PathSeg::Field("as_of")], figure.as_of.as_ref());
        if !source_ids.contains(figure.source.as_str()) {
            self.unknown(
                at,
                &[PathSeg::Field("source")],
                &[EntityKind::Source],
                &figure.source.clone(),
            );
        }
        if let Some(market) = figure.market.clone()
            && !market_ids.contains(market.as_str())
        {
            self.unknown(
                at,
                &[PathSeg::Field("market")],
                &[EntityKind::Market],
                &market,
            );
            figure.market = None;
        }
        // Decided before non-finite numbers are dropped below, which are reported on their own.
        let no_value = figure.low.is_none()
            && figure.high.is_none()
            && figure.value.as_deref().is_none_or(|v| v.trim().is_empty());
        for (field, value) in [("low", figure.low), ("high", figure.high)] {
            let Some(value) = value else { continue };
            let path = [PathSeg::Field(field)];
            if !value.is_finite() {
                self.error(at, &path, format!("`{field}` must be a finite number"));
                // Left out of the model: nothing downstream has to guard against NaN.
                if field == "low" {
                    figure.low = None;
                } else {
                    figure.high = None;
                }
            } else if figure.is_percentage() && !(0.0..=100.0).contains(&value) {
                self.error(at, &path, format!("`{field}` is {value}%, outside 0–100%"));
            }
        }
        if let (Some(low), Some(high)) = (figure.low, figure.high)
            && low > high
        {
            self.error(
                at,
                &[PathSeg::Field("low")],
                format!("`low` ({low}) is above `high` ({high})"),
            );
        }
        if no_value {
            self.error(
                at,
                &[PathSeg::Field("metric")],
                "gives no value: set `low` and/or `high`, or `value` in words".to_owned(),
            );
        }
        self.check_holders(at, figure, subjects);
        self.check_case(at, figure);
        if !subjects.contains(figure.subject.as_str()) {
            self.unknown(
                at,
                &[PathSeg::Field("subject")],
                SUBJECT_KINDS,
                &figure.subject.clone(),
            );
            return false;
        }
        true
    }

    /// A joint share's holders: each a node, segment or tier of the map, named once, and
    /// more than one (one holder is the subject's job). Unknown holders are left out of the
    /// model, as an unknown market is.
    fn check_holders(&mut self, at: At<'_>, figure: &mut Figure, subjects: &HashSet<&str>) {
        let mut seen: HashSet<String> = HashSet::default();
        let mut kept = Vec::with_capacity(figure.holders.len());
        for (i, holder) in figure.holders.iter().enumerate() {
            let path = [PathSeg::Field("holders"), PathSeg::Item(i)];
            if !subjects.contains(holder.as_str()) {
                self.unknown(at, &path, SUBJECT_KINDS, holder);
            } else if !seen.insert(holder.clone()) {
                self.error(at, &path, format!("holder \"{holder}\" is named twice"));
            } else {
                kept.push(holder.clone());
            }
        }
        if figure.holders.len() == 1 {
            self.warning(
                at,
                &[PathSeg::Field("holders")],
                "one holder is no joint share: make it the figure's `subject` and leave `holders` out".to_owned(),
            );
        }
        figure.holders = kept;
    }

    /// A case is "base", "upside", "downside" or a scenario's name; a name one or two
    /// letters from a named case is taken for a misspelling, which would silently move the
    /// figure out of the base case.
    fn check_case(&mut self, at: At<'_>, figure: &Figure) {
        let Some(case) = figure.case.as_deref() else {
            return;
        };
        let path = [PathSeg::Field("case")];
        if case.trim().is_empty() {
            self.error(
                at,
                &path,
                "`case` is empty: leave it out for the base case".to_owned(),
            );
            return;
        }
        if super::NAMED_CASES.contains(&case) {
            return;
        }
        let close = super::spelling::near_misses(case, super::NAMED_CASES, 1);
        if let Some(meant) = close.first() {
            self.error(
                at,
                &path,
                format!(
                    "case \"{case}\" looks like a misspelling of \"{meant}\" (the cases are base, upside, downside, or a scenario's name)"
                ),
            );
        }
    }

    /// The shares of one market in one case cannot claim more than the whole (each holder
    /// counted once, see [`super::markets::shares_in_case`]), except by what their rounding allows:
    /// published shares are rounded to their last digit, so that shares given to one
    /// decimal often add up to 100.1–100.4%. Each share may be over by half a unit of its
    /// last digit; over by no more than the sum of those (at most one percentage point) is
    /// a warning, beyond it an error.
    ///
    /// Each case's holders are checked too (see [`Self::check_case_holders`]), and the
    /// scenario names of the market (see [`Self::check_scenario_names`]).
    fn check_market(
        &mut self,
        at: At<'_>,
        of_market: &[&Figure],
        figure_draft_index: &HashMap<Id, usize>,
        firms: &HashSet<&str>,
    ) {
        let cases = super::markets::market_cases(of_market.iter().copied());
        for case in &cases {
            self.check_case_total(at, case, of_market, figure_draft_index);
            self.check_case_holders(at, case, of_market, firms);
        }
        self.check_scenario_names(at, &cases);
        // A share is in "%" and a size names its unit: a figure without one is neither.
        let unitless = of_market
            .iter()
            .filter(|f| f.unit.is_none() && (f.low.is_some() || f.high.is_some()));
        for figure in unitless {
            self.warning(
                at,
                &[PathSeg::Field("id")],
                format!(
                    "figure \"{}\" is in this market but has no unit: a share is in \"%\", the market's size names its unit (say \"USD bn\")",
                    figure.id
                ),
            );
        }
    }

    /// The shares of one market in one case add up to no more than the whole.
    fn check_case_total(
        &mut self,
        at: At<'_>,
        case: &str,
        figures: &[&Figure],
        figure_draft_index: &HashMap<Id, usize>,
    ) {
        {
            let shares = super::markets::shares_in_case(figures, case);
            let in_case = if case == super::BASE_CASE {
                String::new()
            } else {
                format!(" in the {case} case")
            };
            let total: f64 = shares.iter().filter_map(|f| f.low).sum();
            if total > 100.0 + 1e-9 {
                let parts: Vec<String> = shares
                    .iter()
                    .filter_map(|f| Some(format!("{} {}%", f.id, format_number(f.low?))))
                    .collect();
                let rounding = self.rounding_allowance(&shares, figure_draft_index);
                let total_text = format_number((total * 1e6).round() / 1e6);
                if total <= 100.0 + rounding + 1e-9 {
                    self.warning(
                        at,
                        &[PathSeg::Field("id")],
                        format!(
                            "the shares' lower bounds{in_case} add up to {total_text}%, over 100% by no more than their rounding (up to {} points, half the last digit of each share): kept as published",
                            format_number((rounding * 1e6).round() / 1e6)
                        ),
                    );
                } else {
                    self.error(
                        at,
                        &[PathSeg::Field("id")],
                        format!(
                            "the shares' lower bounds{in_case} add up to {total_text}%, more than 100% ({})",
                            parts.join(", ")
                        ),
                    );
                }
            }
        }
    }

    /// Two figures that give one holder's share of one market in one case at one date
    /// leave the market two numbers where it may keep one: the larger would win silently.
    fn check_share_claims(&mut self, figures: &[Figure], figure_draft_index: &HashMap<Id, usize>) {
        let mut seen: HashMap<ShareKey<'_>, &str> = HashMap::default();
        for (kept_index, figure) in figures.iter().enumerate() {
            let Some(market) = figure.market.as_deref() else {
                continue;
            };
            let share = figure.unit.is_none() || figure.is_percentage();
            if !share || (figure.low.is_none() && figure.high.is_none()) {
                continue;
            }
            let key = (
                market,
                figure.share_holders(),
                figure.case_name(),
                figure.as_of.as_ref().map(IsoDate::as_str),
            );
            if let Some(first) = seen.get(&key) {
                let at = At {
                    kind: EntityKind::Figure,
                    index: figure_draft_index
                        .get(&figure.id)
                        .copied()
                        .unwrap_or(kept_index),
                    id: &figure.id,
                };
                let case = figure.case_name();
                self.error(
                    at,
                    &[PathSeg::Field("case")],
                    format!(
                        "gives the same share of market \"{market}\" in the {case} case, at the same date, as figure \"{first}\": give the other estimate the case it belongs to (`case: \"upside\"`, \"downside\" or a scenario's name), or its own date"
                    ),
                );
            } else {
                seen.insert(key, &figure.id);
            }
        }
    }

    /// Scenario names one or two letters apart in one market: one name was meant.
    fn check_scenario_names(&mut self, at: At<'_>, cases: &[String]) {
        let scenarios: Vec<&str> = cases
            .iter()
            .map(String::as_str)
            .filter(|c| !super::NAMED_CASES.contains(c))
            .collect();
        for (i, a) in scenarios.iter().enumerate() {
            let others = scenarios.iter().skip(i + 1).copied();
            if let Some(b) = super::spelling::near_misses(a, others, 1).first() {
                self.warning(
                    at,
                    &[PathSeg::Field("id")],
                    format!(
                        "its figures name the scenarios \"{a}\" and \"{b}\": one name was meant for both?"
                    ),
                );
            }
        }
    }

    /// The shares of one case divide the market among distinct holders: a holder counted
    /// alone and again in a joint share would be counted twice. A market whose holders mix
    /// firms with kinds of company (a segment, a group) can have no HHI: warned about, as
    /// it looks like a market of firms with a kind among them.
    fn check_case_holders(
        &mut self,
        at: At<'_>,
        case: &str,
        of_market: &[&Figure],
        firms: &HashSet<&str>,
    ) {
        let shares = super::markets::shares_in_case(of_market, case);
        let mut holder_of: HashMap<&str, &str> = HashMap::default();
        for figure in &shares {
            for holder in figure.share_holders() {
                if let Some(first) = holder_of.insert(holder, &figure.id)
                    && first != figure.id
                {
                    self.error(
                        at,
                        &[PathSeg::Field("id")],
                        format!(
                            "\"{holder}\" holds a share of it in figure \"{first}\" and again in \"{}\" ({case} case): a holder is counted once; give the joint share for the others only",
                            figure.id
                        ),
                    );
                }
            }
        }
        let holders = shares.iter().flat_map(|f| f.share_holders());
        let (firm, kind): (Vec<&Id>, Vec<&Id>) = holders.partition(|h| firms.contains(h.as_str()));
        if !firm.is_empty() && !kind.is_empty() {
            let kinds: Vec<&str> = kind.iter().map(|k| k.as_str()).collect();
            self.warning(
                at,
                &[PathSeg::Field("id")],
                format!(
                    "its shares ({case} case) are held by firms and by {} ({}): no HHI can be given for it",
                    if kinds.len() == 1 {
                        "a holder that is not a firm"
                    } else {
                        "holders that are not firms"
                    },
                    kinds.join(", ")
                ),
            );
        }
    }

    /// How far over 100% the shares may add up from rounding alone: half a unit of each
    /// share's last written digit, summed, at most one percentage point.
    fn rounding_allowance(
        &self,
        shares: &[&Figure],
        figure_draft_index: &HashMap<Id, usize>,
    ) -> f64 {
        let allowance: f64 = shares
            .iter()
            .filter_map(|figure| {
                let low = figure.low?;
                let decimals = figure_draft_index
                    .get(&figure.id)
                    .and_then(|&i| (self.low_decimals)(i))
                    .unwrap_or_else(|| decimals_of(low));
                Some(0.5 * 10f64.powi(-(decimals.min(15) as i32)))
            })
            .sum();
        allowance.min(MAX_ROUNDING_POINTS)
    }

    fn check_thesis(
        &mut self,
        at: At<'_>,
        thesis: &mut Thesis,
        subjects: &HashSet<&str>,
        figure_ids: &HashSet<&str>,
        source_ids: &HashSet<&str>,
    ) -> bool {
        self.required_text(at, "title", &thesis.title);
        self.required_text(at, "claim", &thesis.claim);
        if !CONVICTION_RANGE.contains(&thesis.conviction) {
            self.error(
                at,
                &[PathSeg::Field("conviction")],
                format!(
                    "conviction {} is outside {}–{}",
                    thesis.conviction,
                    CONVICTION_RANGE.start(),
                    CONVICTION_RANGE.end()
                ),
            );
        }
        self.date(at, &[PathSeg::Field("as_of")], thesis.as_of.as_ref());
        self.date(
            at,
            &[PathSeg::Field("review_by")],
            thesis.review_by.as_ref(),
        );
        let as_of = thesis.as_of.as_ref().and_then(|d| d.parse().ok());
        let review_by = thesis.review_by.as_ref().and_then(|d| d.parse().ok());
        if let (Some(as_of), Some(review_by)) = (as_of, review_by)
            && review_by < as_of
        {
            self.warning(
                at,
                &[PathSeg::Field("review_by")],
                "`review_by` comes before `as_of`".to_owned(),
            );
        }
        self.check_evidence(at, &thesis.evidence, source_ids);
        let listed_subjects = !thesis.about.is_empty();
        thesis.about = self.known_refs(at, "about", &thesis.about, subjects, SUBJECT_KINDS);
        thesis.figures = self.known_refs(
            at,
            "figures",
            &thesis.figures,
            figure_ids,
            &[EntityKind::Figure],
        );
        if !listed_subjects {
            self.warning(
                at,
                &[PathSeg::Field("about")],
                "is about no node, segment or tier".to_owned(),
            );
        }
        true
    }

    /// Keeps the references of a list field that resolve, reporting the others.
    fn known_refs(
        &mut self,
        at: At<'_>,
        field: &'static str,
        refs: &[Id],
        known: &HashSet<&str>,
        kinds: &[EntityKind],
    ) -> Vec<Id> {
        let mut kept = Vec::with_capacity(refs.len());
        for (i, id) in refs.iter().enumerate() {
            if known.contains(id.as_str()) {
                kept.push(id.clone());
            } else {
                self.unknown(at, &[PathSeg::Field(field), PathSeg::Item(i)], kinds, id);
            }
        }
        kept
    }

    fn check_case_study(
        &mut self,
        at: At<'_>,
        case_study: &mut CaseStudy,
        node_tier: &HashMap<&str, &str>,
        source_ids: &HashSet<&str>,
    ) -> bool {
        self.required_text(at, "title", &case_study.title);
        if let Some(source) = case_study.source.clone()
            && !source_ids.contains(source.as_str())
        {
            self.unknown(
                at,
                &[PathSeg::Field("source")],
                &[EntityKind::Source],
                &source,
            );
        }
        for (i, phase) in case_study.phases.iter().enumerate() {
            let field = |name| {
                [
                    PathSeg::Field("phases"),
                    PathSeg::Item(i),
                    PathSeg::Field(name),
                ]
            };
            self.date(at, &field("start"), phase.start.as_ref());
            self.date(at, &field("end"), phase.end.as_ref());
            let start = phase.start.as_ref().and_then(|d| d.parse().ok());
            let end = phase.end.as_ref().and_then(|d| d.parse().ok());
            if let (Some(start), Some(end)) = (start, end)
                && start > end
            {
                self.error(
                    at,
                    &field("end"),
                    format!("phase \"{}\" ends before it starts", phase.period),
                );
            }
        }
        for (i, person) in case_study.people.iter().enumerate() {
            if person.name.trim().is_empty() {
                let path = [
                    PathSeg::Field("people"),
                    PathSeg::Item(i),
                    PathSeg::Field("name"),
                ];
                self.error(at, &path, "a person's `name` is empty".to_owned());
            }
        }
        if !node_tier.contains_key(case_study.subject.as_str()) {
            self.unknown(
                at,
                &[PathSeg::Field("subject")],
                &[EntityKind::Node],
                &case_study.subject.clone(),
            );
            return false;
        }
        true
    }
}

/// Where each id first appears in a draft list: the entity a kept one stands for, since
/// duplicates left out shift the kept list.
fn first_index_by_id<'a>(ids: impl Iterator<Item = &'a Id>) -> HashMap<Id, usize> {
    let mut first: HashMap<Id, usize> = HashMap::default();
    for (i, id) in ids.enumerate() {
        first.entry(id.clone()).or_insert(i);
    }
    first
}

/// A parent left out of the model (its own problem is reported) leaves no dangling
/// reference behind: its children become top segments.
fn without_dangling_parents(mut segments: Vec<Segment>) -> Vec<Segment> {
    let kept: HashSet<String> = segments.iter().map(|s| s.id.clone()).collect();
    for segment in &mut segments {
        if segment.parent.as_ref().is_some_and(|p| !kept.contains(p)) {
            segment.parent = None;
        }
    }
    segments
}

/// The entities whose id an earlier one declares, by kind and index, with the kind of the
/// first; "earlier" in the order the checker visits the lists, so that of two entities
/// sharing an id, the second is the duplicate.
fn repeated_ids(draft: &Map) -> HashMap<(EntityKind, usize), EntityKind> {
    let count = EntityKind::ALL.iter().map(|&kind| draft.count(kind)).sum();
    let mut first: HashMap<&str, EntityKind> =
        HashMap::with_capacity_and_hasher(count, Default::default());
    let mut repeated = HashMap::default();
    for (id, target) in draft.ids() {
        match first.entry(id) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(target.kind());
            }
            std::collections::hash_map::Entry::Occupied(earlier) => {
                repeated.insert((target.kind(), target.index()), *earlier.get());
            }
        }
    }
    repeated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Evidence, Figure, LinkKind, Market, NodeKind, Source, Stance, Tier};

    fn tier(id: &str) -> Tier {
        Tier::new(id, id)
    }

    fn segment(id: &str, tier: &str, parent: Option<&str>) -> Segment {
        Segment {
            parent: parent.map(Into::into),
            ..Segment::new(id, tier, id)
        }
    }

    fn node(id: &str, tier: &str, segments: &[&str]) -> Node {
        Node {
            segments: segments.iter().map(|s| (*s).into()).collect(),
            ..Node::new(id, id, NodeKind::Company, tier)
        }
    }

    fn link(id: &str, from: &str, to: &str, kind: LinkKind) -> Link {
        Link::new(id, from, to, kind)
    }

    fn figure(id: &str, subject: &str, low: Option<f64>, high: Option<f64>) -> Figure {
        Figure::test_share(id, subject, low, high, "src")
    }

    fn thesis(id: &str, about: &[&str]) -> Thesis {
        Thesis {
            stance: Stance::Bullish,
            about: about.iter().map(|s| (*s).into()).collect(),
            ..Thesis::new(id, "Title", "Claim")
        }
    }

    /// A small valid map: two tiers, a segment each, three nodes, a link, a figure, a thesis.
    fn valid_map() -> Map {
        Map {
            meta: crate::model::MapMeta {
                title: Some("Test".into()),
                ..Default::default()
            },
            sources: vec![Source {
                date: Some(IsoDate::new("2023-03")),
                ..Source::new("src", "A report")
            }],
            tiers: vec![tier("low"), tier("high")],
            segments: vec![segment("chips", "low", None), segment("apps", "high", None)],
            nodes: vec![
                node("a", "low", &["chips"]),
                node("b", "high", &["apps"]),
                node("c", "high", &[]),
            ],
            links: vec![link("a-b", "a", "b", LinkKind::Supplies)],
            markets: vec![Market::new("m", "Market")],
            figures: vec![figure("f", "a", Some(10.0), Some(20.0))],
            theses: vec![thesis("t", &["a"])],
            case_studies: Vec::new(),
        }
    }

    fn messages(map: Map) -> Vec<String> {
        validate(map, false)
            .problems
            .into_iter()
            .map(|p| format!("{}: {}", p.severity, p.message))
            .collect()
    }

    #[test]
    fn valid_map_has_no_problems() {
        assert_eq!(messages(valid_map()), Vec::<String>::new());
    }

    #[test]
    fn duplicate_id_is_an_error_across_kinds_and_the_second_is_dropped() {
        let mut map = valid_map();
        map.nodes.push(node("chips", "low", &[]));
        let validated = validate(map, false);
        assert_eq!(
            validated.problems[0].message,
            "node \"chips\": duplicate id: \"chips\" is already used by a segment"
        );
        assert_eq!(validated.map.nodes.len(), 3);
    }

    #[test]
    fn an_entity_whose_id_is_duplicated_still_has_its_other_faults_told() {
        let mut map = valid_map();
        let mut second = thesis("t", &["nowhere"]);
        second.conviction = 9;
        map.theses.push(second);
        let texts = messages(map);
        let has = |part: &str| texts.iter().any(|t| t.contains(part));
        assert!(has("duplicate id: \"t\""), "{texts:?}");
        assert!(
            has("unknown node, segment or tier \"nowhere\""),
            "{texts:?}"
        );
        assert!(has("conviction"), "{texts:?}");
    }

    #[test]
    fn ids_must_be_kebab_case() {
        let mut map = valid_map();
        map.nodes.push(node("Bad_Id", "low", &[]));
        assert_eq!(
            messages(map),
            [
                "error: node \"Bad_Id\": ids are short kebab-case: lowercase letters and digits joined by \"-\""
            ]
        );
        for id in ["gpt-4", "a", "a1-b2-c3", "openai"] {
            assert!(is_kebab_case(id), "{id}");
        }
        for id in ["", "-", "-a", "a-", "a--b", "A", "a_b", "a b", "é"] {
            assert!(!is_kebab_case(id), "{id:?}");
        }
    }

    #[test]
    fn unknown_tier_drops_the_node_and_its_links_quietly() {
        let mut map = valid_map();
        map.nodes[0].tier = "middle".into();
        let validated = validate(map, false);
        let texts: Vec<&str> = validated
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(texts, ["node \"a\": unknown tier \"middle\""]);
        assert!(validated.map.links.is_empty());
        assert!(validated.map.figures.is_empty());
    }

    #[test]
    fn unknown_segment_and_segment_of_another_tier_are_errors() {
        let mut map = valid_map();
        map.nodes[0].segments = vec!["nope".into(), "apps".into()];
        assert_eq!(
            messages(map),
            [
                "error: node \"a\": unknown segment \"nope\"",
                "error: node \"a\": segment \"apps\" is in tier \"high\", not in the node's tier \"low\"",
            ]
        );
    }

    #[test]
    fn segment_rules_tier_parent_and_nesting() {
        let mut map = valid_map();
        map.segments.push(segment("gpu", "low", Some("chips")));
        map.segments.push(segment("deep", "low", Some("gpu")));
        map.segments.push(segment("cross", "high", Some("chips")));
        map.segments.push(segment("lost", "nowhere", None));
        assert_eq!(
            messages(map),
            [
                "error: segment \"deep\": parent segment \"gpu\" is itself nested: segments nest one level deep at most",
                "error: segment \"cross\": parent segment \"chips\" is in tier \"low\", not in \"high\"",
                "error: segment \"lost\": unknown tier \"nowhere\"",
            ]
        );
    }

    #[test]
    fn a_segment_whose_parent_is_dropped_becomes_a_top_segment() {
        let mut map = valid_map();
        // "low" is a tier: the segment that reuses the id is a duplicate and dropped.
        map.segments.push(segment("low", "low", None));
        map.segments.push(segment("child", "low", Some("low")));
        let validated = validate(map, false);
        let child = validated
            .map
            .segments
            .iter()
            .find(|s| s.id == "child")
            .expect("kept");
        assert_eq!(child.parent, None);
    }

    #[test]
    fn link_to_unknown_node_and_self_link_are_errors() {
        let mut map = valid_map();
        map.links.push(link("x", "a", "ghost", LinkKind::Partners));
        map.links.push(link("y", "b", "b", LinkKind::Partners));
        assert_eq!(
            messages(map),
            [
                "error: link \"x\": unknown node or segment \"ghost\"",
                "error: link \"y\": a link cannot join a node to itself",
            ]
        );
    }

    #[test]
    fn links_may_join_segments_and_are_checked_like_node_links() {
        let mut map = valid_map();
        map.links
            .push(link("seg-seg", "chips", "apps", LinkKind::Supplies));
        map.links
            .push(link("seg-node", "chips", "c", LinkKind::Supplies));
        map.links
            .push(link("down", "apps", "chips", LinkKind::Hosts));
        map.links.push(link("inside", "chips", "a", LinkKind::Owns));
        map.links
            .push(link("loop", "apps", "apps", LinkKind::Integrates));
        assert_eq!(
            messages(map),
            [
                "warning: link \"down\": a hosts link runs down the tiers, from \"high\" to \"low\"",
                "warning: link \"inside\": \"chips\" and \"a\": a link between a segment and what it contains says nothing",
                "error: link \"loop\": a link cannot join a segment to itself",
            ]
        );
    }

    #[test]
    fn a_value_link_to_an_idea_and_a_repeated_link_are_warnings() {
        let mut map = valid_map();
        map.nodes
            .push(Node::new("rlhf", "RLHF", NodeKind::Technique, "high"));
        map.nodes
            .push(Node::new("team", "A team", NodeKind::Team, "high"));
        map.links
            .push(link("uses", "rlhf", "b", LinkKind::Integrates));
        map.links.push(link("has", "b", "team", LinkKind::Owns));
        map.links
            .push(link("idea", "rlhf", "b", LinkKind::Influences));
        map.links.push(link("again", "a", "b", LinkKind::Supplies));
        map.links.push(link("rivals", "a", "c", LinkKind::Competes));
        map.links
            .push(link("rivals-back", "c", "a", LinkKind::Competes));
        assert_eq!(
            messages(map),
            [
                "warning: link \"uses\": \"rlhf\" is a technique, not a market participant: \"integrates\" links belong between participants (an idea goes in a description, or a thesis is about it)",
                "warning: link \"again\": repeats link \"a-b\" (same ends and kind): give both quotes as evidence of one link",
                "warning: link \"rivals-back\": repeats link \"rivals\" (same ends and kind): give both quotes as evidence of one link",
            ]
        );
    }

    #[test]
    fn supply_link_running_down_the_tiers_is_only_a_warning() {
        let mut map = valid_map();
        map.links.push(link("down", "b", "a", LinkKind::Supplies));
        map.links.push(link("rivals", "b", "a", LinkKind::Competes));
        let validated = validate(map, false);
        assert!(!validated.has_errors());
        assert_eq!(
            validated.problems[0].message,
            "link \"down\": a supplies link runs down the tiers, from \"high\" to \"low\""
        );
        assert_eq!(validated.problems.len(), 1);
    }

    #[test]
    fn low_above_high_is_an_error() {
        let mut map = valid_map();
        map.figures[0].low = Some(30.0);
        assert_eq!(
            messages(map),
            ["error: figure \"f\": `low` (30) is above `high` (20)"]
        );
    }

    #[test]
    fn percentage_outside_0_to_100_is_an_error() {
        let mut map = valid_map();
        map.figures[0].high = Some(120.0);
        map.figures.push(figure("g", "b", Some(-5.0), None));
        assert_eq!(
            messages(map),
            [
                "error: figure \"f\": `high` is 120%, outside 0–100%",
                "error: figure \"g\": `low` is -5%, outside 0–100%",
            ]
        );
    }

    #[test]
    fn non_finite_numbers_are_errors_and_left_out_of_the_model() {
        let mut map = valid_map();
        map.figures[0].low = Some(f64::NAN);
        map.figures[0].market = Some("m".into());
        let validated = validate(map, false);
        let texts: Vec<&str> = validated
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(texts, ["figure \"f\": `low` must be a finite number"]);
        assert_eq!(validated.map.figures[0].low, None);
        // Concentration over the market no longer sees the NaN.
        let market = &validated.map.markets[0];
        let c = crate::model::markets::concentration(&validated.map, market);
        assert!(c.top1.0.is_finite() && c.top1.1.is_finite());
        assert!(
            c.hhi
                .is_none_or(|(low, high)| low.is_finite() && high.is_finite())
        );
    }

    #[test]
    fn figure_without_any_value_is_an_error() {
        let mut map = valid_map();
        map.figures[0].low = None;
        map.figures[0].high = None;
        assert_eq!(
            messages(map),
            ["error: figure \"f\": gives no value: set `low` and/or `high`, or `value` in words"]
        );
    }

    /// Shares of market "m" for the rules on cases and holders.
    fn shares_map(shares: Vec<Figure>) -> Map {
        let mut map = valid_map();
        map.figures = shares
            .into_iter()
            .map(|f| Figure {
                market: Some("m".into()),
                ..f
            })
            .collect();
        map
    }

    #[test]
    fn two_base_cases_for_one_holder_at_one_date_are_an_error() {
        let map = shares_map(vec![
            figure("base", "a", Some(60.0), None),
            figure("again", "a", Some(80.0), Some(90.0)),
        ]);
        let problems = messages(map);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with(
                "error: figure \"again\": gives the same share of market \"m\" in the base case"
            ),
            "{problems:?}"
        );
        let mut upside = figure("again", "a", Some(80.0), Some(90.0));
        upside.case = Some("upside".into());
        let map = shares_map(vec![figure("base", "a", Some(60.0), None), upside]);
        assert_eq!(messages(map), Vec::<String>::new());
    }

    #[test]
    fn a_misspelt_case_is_an_error_and_a_scenario_is_not() {
        let mut misspelt = figure("f", "a", Some(10.0), Some(20.0));
        misspelt.case = Some("upsdie".into());
        assert_eq!(
            messages(shares_map(vec![misspelt])),
            [
                "error: figure \"f\": case \"upsdie\" looks like a misspelling of \"upside\" (the cases are base, upside, downside, or a scenario's name)"
            ]
        );
        let mut scenario = figure("f", "a", Some(10.0), Some(20.0));
        scenario.case = Some("cloud endgame".into());
        assert_eq!(messages(shares_map(vec![scenario])), Vec::<String>::new());
    }

    #[test]
    fn joint_holders_must_exist_and_be_counted_once() {
        let mut joint = figure("j", "chips", Some(70.0), Some(70.0));
        joint.holders = vec!["a".into(), "nobody".into()];
        let problems = messages(shares_map(vec![joint]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("\"nobody\""), "{problems:?}");
        // Counted alone and again in a joint share.
        let mut joint = figure("j", "chips", Some(70.0), Some(70.0));
        joint.holders = vec!["a".into(), "b".into()];
        let alone = figure("alone", "a", Some(20.0), Some(20.0));
        assert_eq!(
            messages(shares_map(vec![joint, alone])),
            [
                "error: market \"m\": \"a\" holds a share of it in figure \"j\" and again in \"alone\" (base case): a holder is counted once; give the joint share for the others only"
            ]
        );
    }

    #[test]
    fn firms_mixed_with_kinds_of_company_are_warned_about() {
        let map = shares_map(vec![
            figure("firm", "a", Some(40.0), Some(40.0)),
            figure("kind", "apps", Some(20.0), Some(20.0)),
        ]);
        assert_eq!(
            messages(map),
            [
                "warning: market \"m\": its shares (base case) are held by firms and by a holder that is not a firm (apps): no HHI can be given for it"
            ]
        );
    }

    #[test]
    fn market_shares_adding_up_to_more_than_100_percent_is_an_error() {
        let mut map = valid_map();
        let mut a = figure("sa", "a", Some(70.0), None);
        a.market = Some("m".into());
        let mut b = figure("sb", "b", Some(40.0), Some(50.0));
        b.market = Some("m".into());
        // A second estimate for the same subject in another case is not a part.
        let mut a2 = figure("sa2", "a", Some(60.0), None);
        a2.market = Some("m".into());
        a2.case = Some("downside".into());
        map.figures.extend([a, b, a2]);
        assert_eq!(
            messages(map),
            [
                "error: market \"m\": the shares' lower bounds add up to 110%, more than 100% (sa 70%, sb 40%)"
            ]
        );
    }

    /// A map whose market "m" holds one share per value, each of its own node.
    fn market_of(lows: &[f64]) -> Map {
        let mut map = valid_map();
        for (i, low) in lows.iter().enumerate() {
            map.nodes.push(node(&format!("n{i}"), "low", &[]));
            let mut share = figure(&format!("s{i}"), &format!("n{i}"), Some(*low), None);
            share.market = Some("m".into());
            map.figures.push(share);
        }
        map
    }

    #[test]
    fn fifteen_one_decimal_shares_over_by_rounding_are_a_warning() {
        // 14 × 6.7 + 6.5 = 100.3: within 15 × 0.05 = 0.75 points of rounding.
        let mut lows = vec![6.7; 14];
        lows.push(6.5);
        assert_eq!(
            messages(market_of(&lows)),
            [
                "warning: market \"m\": the shares' lower bounds add up to 100.3%, over 100% by no more than their rounding (up to 0.75 points, half the last digit of each share): kept as published"
            ]
        );
    }

    #[test]
    fn a_market_s_size_is_not_a_share_and_a_figure_without_unit_is_named() {
        // Two shares of 60 and 30%, and the market's size, 200 USD bn, held by the first
        // share's subject: neither over 100% nor a warning.
        let mut map = market_of(&[60.0, 30.0, 5.0]);
        let mut size = figure("size", "n0", Some(200.0), None);
        size.market = Some("m".into());
        size.unit = Some("USD bn".into());
        map.figures.push(size);
        assert_eq!(messages(map.clone()), Vec::<String>::new());
        let bare = map.figures.len() - 2;
        map.figures[bare].unit = None;
        assert_eq!(
            messages(map),
            [
                "warning: market \"m\": figure \"s2\" is in this market but has no unit: a share is in \"%\", the market's size names its unit (say \"USD bn\")"
            ]
        );
    }

    #[test]
    fn fifteen_one_decimal_shares_at_101_5_percent_are_an_error() {
        // 14 × 6.8 + 6.3 = 101.5: beyond 0.75 points of rounding.
        let mut lows = vec![6.8; 14];
        lows.push(6.3);
        let problems = messages(market_of(&lows));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with(
                "error: market \"m\": the shares' lower bounds add up to 101.5%, more than 100%"
            ),
            "{problems:?}"
        );
    }

    #[test]
    fn three_whole_shares_at_102_percent_are_an_error() {
        // Three whole numbers may be over by 1.5 points of rounding, capped at one point.
        let problems = messages(market_of(&[50.0, 30.0, 22.0]));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("error: "), "{problems:?}");
        // Within the one-point cap, whole numbers are a warning.
        let problems = messages(market_of(&[50.0, 30.0, 21.0]));
        assert!(
            problems.len() == 1 && problems[0].starts_with("warning: "),
            "{problems:?}"
        );
    }

    #[test]
    fn the_written_precision_is_used_when_the_caller_knows_it() {
        // 33 + 33 + 34.5 = 100.5: as shortest numbers, 0.5 + 0.5 + 0.05 points of rounding
        // (a warning); written "33.0", they allow 0.05 each, 0.15 in all (an error).
        let map = market_of(&[33.0, 33.0, 34.5]);
        let first = map.figures.len() - 3;
        let shortest = validate(map.clone(), false);
        assert!(!shortest.has_errors());
        let written = |i: usize| (i >= first).then_some(1);
        assert!(validate_with(map, false, &written).has_errors());
        assert_eq!(
            (decimals_of(74.0), decimals_of(74.5), decimals_of(0.25)),
            (0, 1, 2)
        );
    }

    #[test]
    fn market_problems_point_at_the_market_the_file_holds() {
        let mut map = valid_map();
        let market = map.markets[0].clone();
        map.markets.push(market.clone()); // a duplicate, dropped
        map.markets.push(Market {
            id: "m2".into(),
            ..market
        });
        for (id, low) in [("x1", 60.0), ("x2", 50.0)] {
            let mut share = figure(id, if id == "x1" { "a" } else { "b" }, Some(low), None);
            share.market = Some("m2".into());
            map.figures.push(share);
        }
        let validated = validate(map, false);
        let overflow = validated
            .problems
            .iter()
            .find(|p| p.message.starts_with("market \"m2\""))
            .expect("the overflow is reported");
        assert!(matches!(
            overflow.subject,
            Subject::Entity {
                kind: EntityKind::Market,
                index: 2,
                ..
            }
        ));
    }

    #[test]
    fn malformed_dates_are_errors() {
        let mut map = valid_map();
        map.figures[0].as_of = Some(IsoDate::new("March 2023"));
        map.theses[0].review_by = Some(IsoDate::new("2023-13"));
        map.meta.as_of = Some(IsoDate::new("2023-3"));
        assert_eq!(
            messages(map),
            [
                "error: map `as_of`: malformed date \"2023-3\": expected YYYY, YYYY-MM or YYYY-MM-DD",
                "error: figure \"f\": malformed date \"March 2023\": expected YYYY, YYYY-MM or YYYY-MM-DD",
                "error: thesis \"t\": malformed date \"2023-13\": expected YYYY, YYYY-MM or YYYY-MM-DD",
            ]
        );
    }

    #[test]
    fn thesis_rules_conviction_references_and_evidence() {
        let mut map = valid_map();
        map.theses[0].conviction = 7;
        map.theses[0].about.push("nobody".into());
        map.theses[0].figures.push("q99".into());
        map.theses[0].evidence.push(Evidence {
            source: "unknown-report".into(),
            quote: None,
            locator: None,
            note: None,
        });
        assert_eq!(
            messages(map),
            [
                "error: thesis \"t\": conviction 7 is outside 1–5",
                "error: thesis \"t\": unknown source \"unknown-report\"",
                "error: thesis \"t\": unknown node, segment or tier \"nobody\"",
                "error: thesis \"t\": unknown figure \"q99\"",
            ]
        );
    }

    #[test]
    fn a_figure_id_is_not_a_thesis_subject() {
        let mut map = valid_map();
        map.theses[0].about = vec!["f".into()];
        assert_eq!(
            messages(map),
            ["error: thesis \"t\": unknown node, segment or tier \"f\""]
        );
    }

    #[test]
    fn unknown_references_are_warnings_when_a_file_could_not_be_read() {
        let mut map = valid_map();
        map.links.push(link("x", "a", "ghost", LinkKind::Partners));
        let validated = validate(map, true);
        assert!(!validated.has_errors());
        assert_eq!(validated.problems[0].severity, Severity::Warning);
    }

    #[test]
    fn urls_must_be_http_or_https() {
        let mut map = valid_map();
        map.nodes[0].url = Some("javascript:alert(1)".into());
        map.nodes[1].url = Some("https://example.com".into());
        assert_eq!(
            messages(map),
            ["error: node \"a\": url \"javascript:alert(1)\" must start with http:// or https://"]
        );
    }

    #[test]
    fn asset_paths_stay_inside_the_map_folder() {
        assert!(asset_path_problem("logos/a.png").is_none());
        assert!(asset_path_problem("../secret.png").is_some());
        assert!(asset_path_problem("/etc/passwd.png").is_some());
        assert!(asset_path_problem("C:\\logo.png").is_some());
        assert!(asset_path_problem("logos/a.exe").is_some());
    }

    #[test]
    fn missing_title_is_an_error() {
        let mut map = valid_map();
        map.meta.title = None;
        assert_eq!(messages(map), ["error: the map has no `title`"]);
    }
}
