//! The value-chain model: tiers, segments, nodes, links, markets, figures, theses, sources
//! and case studies, plus the pure functions over them (validation, market concentration,
//! the difference between two versions).
//!
//! This module knows nothing of files or of the window: `io` reads the files into a draft
//! [`Map`] and [`validate`] turns it into a map whose references all resolve.
//! The entity types are also the on-disk shapes (they derive serde with unknown fields
//! denied), so that the file and the model cannot drift apart.

pub mod changes;
mod date;
pub mod diff;
pub mod edit;
pub mod generate;
pub mod kinds;
pub mod market_lens;
pub mod markets;
pub mod messages;
pub mod nearby;
mod problem;
pub mod spelling;
#[cfg(test)]
pub(crate) mod test_maps;
pub mod thesis_lens;
pub mod trace;
mod validate;

pub use date::{Date, DateError, IsoDate};
pub use edit::{Change, Draft, Edit, EditError, History, Place, Verdict};
pub use kinds::{Entity, EntityType, Map, Target};
pub use messages::{Msg, Worded};
pub use problem::{EntityKind, PathSeg, Problem, Severity, Subject};
pub use validate::{
    Validated, WrittenDecimals, asset_path_problem, decimals_of, is_kebab_case, url_problem,
    validate, validate_with,
};

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// A stable, human-chosen identifier: short kebab-case, unique across the map.
pub type Id = String;

/// The language a reader chose: for the texts the map gives in both ([`localized`]), and
/// for the interface's own words ([`Msg`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// Picks the text for `lang`, falling back to English where no Chinese is given.
pub fn localized<'a>(english: &'a str, chinese: Option<&'a str>, lang: Lang) -> &'a str {
    match (lang, chinese) {
        (Lang::Zh, Some(zh)) if !zh.is_empty() => zh,
        _ => english,
    }
}

/// What has a name in English and may have one in Chinese: tiers, segments, nodes,
/// markets, and the ghosts of a comparison.
pub trait Named {
    fn english_name(&self) -> &str;
    fn chinese_name(&self) -> Option<&str>;

    /// The name in the reader's language (English where no Chinese is given).
    fn name_in(&self, lang: Lang) -> &str {
        localized(self.english_name(), self.chinese_name(), lang)
    }
}

/// [`Named`] for structs whose names are the fields `name` and `name_zh`.
macro_rules! named_by_fields {
    ($($T:ty),*) => {$(
        impl $crate::model::Named for $T {
            fn english_name(&self) -> &str {
                &self.name
            }

            fn chinese_name(&self) -> Option<&str> {
                self.name_zh.as_deref()
            }
        }
    )*};
}

pub(crate) use named_by_fields;

named_by_fields!(Tier, Segment, Node, Market);

/// Map-wide settings: given once per map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapMeta {
    pub title: Option<String>,
    pub title_zh: Option<String>,
    pub description: Option<String>,
    pub description_zh: Option<String>,
    pub as_of: Option<IsoDate>,
}

impl MapMeta {
    /// The names of the settings given, as the files write them.
    pub fn given_fields(&self) -> Vec<&'static str> {
        [
            ("title", self.title.is_some()),
            ("title_zh", self.title_zh.is_some()),
            ("description", self.description.is_some()),
            ("description_zh", self.description_zh.is_some()),
            ("as_of", self.as_of.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }

    /// The map's title in the reader's language (English where no Chinese is given), if
    /// it has one.
    pub fn title_in(&self, lang: Lang) -> Option<&str> {
        let title = self.title.as_deref()?;
        Some(localized(title, self.title_zh.as_deref(), lang))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: Id,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<IsoDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Source {
    /// A source with only what every source needs; the optional fields empty.
    pub fn new(id: impl Into<Id>, title: impl Into<String>) -> Source {
        Source {
            id: id.into(),
            title: title.into(),
            title_zh: None,
            author: None,
            publisher: None,
            date: None,
            url: None,
        }
    }
}

/// A band of the value chain; the order of tiers is bottom to top.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
}

impl Tier {
    /// A tier with only a name; no description.
    pub fn new(id: impl Into<Id>, name: impl Into<String>) -> Tier {
        Tier {
            id: id.into(),
            name: name.into(),
            name_zh: None,
            description: None,
            description_zh: None,
        }
    }
}

/// A group of nodes inside one tier, optionally inside a parent segment of that tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub id: Id,
    pub tier: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Id>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
}

impl Segment {
    /// A top-level segment of `tier` with only a name; no description.
    pub fn new(id: impl Into<Id>, tier: impl Into<Id>, name: impl Into<String>) -> Segment {
        Segment {
            id: id.into(),
            tier: tier.into(),
            parent: None,
            name: name.into(),
            name_zh: None,
            description: None,
            description_zh: None,
        }
    }
}

/// What a node is. Market participants (companies, labs, funds, products, groups of
/// companies) trade along the chain; ideas (techniques, benchmarks, concepts) and parts of an
/// organisation (teams, research projects) are context, drawn apart and never traced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NodeKind {
    Company,
    Product,
    /// A technology offered on a market (a chip architecture, a protocol, a platform).
    Technology,
    Group,
    Lab,
    Fund,
    /// A method or technique (in-context learning, RLHF, the Transformer).
    Technique,
    /// A benchmark or a metric (GLUE, HELM, perplexity).
    Benchmark,
    /// An idea or an observation (scaling laws, a data flywheel).
    Concept,
    /// A team inside an organisation.
    Team,
    /// A research project of an organisation (OpenAI Five, the sentiment neuron).
    Project,
}

/// The three families of [`NodeKind`]: what trades on the chain, what is known about it,
/// and who inside an organisation does the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NodeClass {
    Participant,
    Idea,
    OrganisationPart,
}

impl Worded for NodeClass {
    /// Its words in the message catalogue: a plural, as a filter names the family.
    fn word(self) -> Msg {
        match self {
            NodeClass::Participant => Msg::ClassParticipant,
            NodeClass::Idea => Msg::ClassIdea,
            NodeClass::OrganisationPart => Msg::ClassOrganisationPart,
        }
    }
}

impl NodeClass {
    pub const ALL: [NodeClass; 3] = [
        NodeClass::Participant,
        NodeClass::Idea,
        NodeClass::OrganisationPart,
    ];
}

impl Worded for NodeKind {
    /// Its words in the message catalogue.
    fn word(self) -> Msg {
        match self {
            NodeKind::Company => Msg::NodeKindCompany,
            NodeKind::Product => Msg::NodeKindProduct,
            NodeKind::Technology => Msg::NodeKindTechnology,
            NodeKind::Group => Msg::NodeKindGroup,
            NodeKind::Lab => Msg::NodeKindLab,
            NodeKind::Fund => Msg::NodeKindFund,
            NodeKind::Technique => Msg::NodeKindTechnique,
            NodeKind::Benchmark => Msg::NodeKindBenchmark,
            NodeKind::Concept => Msg::NodeKindConcept,
            NodeKind::Team => Msg::NodeKindTeam,
            NodeKind::Project => Msg::NodeKindProject,
        }
    }
}

impl NodeKind {
    /// The family of the kind: market participant, idea, or part of an organisation.
    pub fn class(self) -> NodeClass {
        match self {
            NodeKind::Company
            | NodeKind::Product
            | NodeKind::Technology
            | NodeKind::Group
            | NodeKind::Lab
            | NodeKind::Fund => NodeClass::Participant,
            NodeKind::Technique | NodeKind::Benchmark | NodeKind::Concept => NodeClass::Idea,
            NodeKind::Team | NodeKind::Project => NodeClass::OrganisationPart,
        }
    }

    /// Whether nodes of this kind take part in the market (and so in a value-chain trace).
    pub fn is_market_participant(self) -> bool {
        self.class() == NodeClass::Participant
    }

    pub const ALL: [NodeKind; 11] = [
        NodeKind::Company,
        NodeKind::Product,
        NodeKind::Technology,
        NodeKind::Group,
        NodeKind::Lab,
        NodeKind::Fund,
        NodeKind::Technique,
        NodeKind::Benchmark,
        NodeKind::Concept,
        NodeKind::Team,
        NodeKind::Project,
    ];
}

/// A company, product, technology or group, placed in one tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    pub kind: NodeKind,
    pub tier: Id,
    /// Segments of the node's tier; the first one places the node in the diagram.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<Id>,
    /// A key shared by the nodes that name one organisation in several tiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A path relative to the map's folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// A position a person pinned, in map units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<(f32, f32)>,
}

impl Node {
    /// A node with only what every node needs; the optional fields empty.
    pub fn new(
        id: impl Into<Id>,
        name: impl Into<String>,
        kind: NodeKind,
        tier: impl Into<Id>,
    ) -> Node {
        Node {
            id: id.into(),
            name: name.into(),
            name_zh: None,
            kind,
            tier: tier.into(),
            segments: Vec::new(),
            organisation: None,
            description: None,
            description_zh: None,
            tags: Vec::new(),
            url: None,
            logo: None,
            pin: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LinkKind {
    Supplies,
    Hosts,
    Integrates,
    Partners,
    Invests,
    Owns,
    Competes,
    Talent,
    Influences,
}

impl Worded for LinkKind {
    /// Its words in the message catalogue.
    fn word(self) -> Msg {
        match self {
            LinkKind::Supplies => Msg::LinkKindSupplies,
            LinkKind::Hosts => Msg::LinkKindHosts,
            LinkKind::Integrates => Msg::LinkKindIntegrates,
            LinkKind::Partners => Msg::LinkKindPartners,
            LinkKind::Invests => Msg::LinkKindInvests,
            LinkKind::Owns => Msg::LinkKindOwns,
            LinkKind::Competes => Msg::LinkKindCompetes,
            LinkKind::Talent => Msg::LinkKindTalent,
            LinkKind::Influences => Msg::LinkKindInfluences,
        }
    }
}

impl LinkKind {
    pub const ALL: [LinkKind; 9] = [
        LinkKind::Supplies,
        LinkKind::Hosts,
        LinkKind::Integrates,
        LinkKind::Partners,
        LinkKind::Invests,
        LinkKind::Owns,
        LinkKind::Competes,
        LinkKind::Talent,
        LinkKind::Influences,
    ];

    /// Kinds that make a value chain (suppliers, customers and owners of what is sold):
    /// what a trace follows, and what only market participants should be joined by.
    pub fn is_value_flow(self) -> bool {
        matches!(
            self,
            LinkKind::Supplies | LinkKind::Hosts | LinkKind::Integrates | LinkKind::Owns
        )
    }

    /// Kinds along which value flows up the chain: they should not run down the tiers.
    pub fn flows_up(self) -> bool {
        matches!(self, LinkKind::Supplies | LinkKind::Hosts)
    }
}

/// A quoted passage of a source that supports a link or a thesis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub source: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Where in the source: a page, a line ("L663") or a section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A relationship between two nodes, two segments, or a segment and a node: `from` gives
/// to `to`. A segment end stands for the segment's market participants, where the source
/// speaks of a whole level of the chain rather than of named companies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub id: Id,
    pub from: Id,
    pub to: Id,
    pub kind: LinkKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// A whole that market-share figures divide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Market {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
}

impl Market {
    /// A market with only a name; no description.
    pub fn new(id: impl Into<Id>, name: impl Into<String>) -> Market {
        Market {
            id: id.into(),
            name: name.into(),
            name_zh: None,
            description: None,
            description_zh: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Qualifier {
    Exact,
    Approx,
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
    Within,
    Range,
    Estimate,
}

impl Worded for Qualifier {
    /// Its words in the message catalogue.
    fn word(self) -> Msg {
        match self {
            Qualifier::Exact => Msg::QualifierExact,
            Qualifier::Approx => Msg::QualifierApprox,
            Qualifier::AtLeast => Msg::QualifierAtLeast,
            Qualifier::MoreThan => Msg::QualifierMoreThan,
            Qualifier::AtMost => Msg::QualifierAtMost,
            Qualifier::LessThan => Msg::QualifierLessThan,
            Qualifier::Within => Msg::QualifierWithin,
            Qualifier::Range => Msg::QualifierRange,
            Qualifier::Estimate => Msg::QualifierEstimate,
        }
    }
}

impl Qualifier {
    /// Whether the figure's number is about (`Approx`) or an estimate (`Estimate`): what
    /// is computed from it is about as well, and says so ("≈").
    pub fn is_approximate(self) -> bool {
        matches!(self, Qualifier::Approx | Qualifier::Estimate)
    }

    /// Every qualifier, in the order of the reference.
    pub const ALL: [Qualifier; 9] = [
        Qualifier::Exact,
        Qualifier::Approx,
        Qualifier::AtLeast,
        Qualifier::MoreThan,
        Qualifier::AtMost,
        Qualifier::LessThan,
        Qualifier::Within,
        Qualifier::Range,
        Qualifier::Estimate,
    ];
}

/// The case a figure belongs to when it names none.
pub const BASE_CASE: &str = "base";

/// The cases with a meaning of their own; any other name is a scenario.
pub const NAMED_CASES: [&str; 3] = [BASE_CASE, "upside", "downside"];

/// A quantitative annotation: a value or a range, open on either side, with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: Id,
    /// A node, segment or tier.
    pub subject: Id,
    /// Who holds a share jointly, where the source gives one figure for several named
    /// participants ("the top four hold 70%"): the share belongs to them together, and
    /// nothing is known of how they split it. Empty when the subject holds it alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<Id>,
    /// The case the figure belongs to: "base" (also when left out), "upside", "downside",
    /// or the name of a scenario. Views use the base case unless asked for another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    pub metric: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub qualifier: Qualifier,
    /// The value in the source's words, for values that are not numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<IsoDate>,
    pub source: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Figure {
    /// A market share of `subject` from `low` to `high` percent, taken from `source`, with
    /// nothing else set: the figure most tests need.
    #[cfg(test)]
    pub(crate) fn test_share(
        id: &str,
        subject: &str,
        low: Option<f64>,
        high: Option<f64>,
        source: &str,
    ) -> Figure {
        Figure {
            metric: "market share".into(),
            low,
            high,
            unit: Some("%".into()),
            ..Figure::new(id, subject, Qualifier::Range, source)
        }
    }

    /// A figure with only what every figure needs: no market, metric, values, unit, date
    /// or quote yet.
    pub fn new(
        id: impl Into<Id>,
        subject: impl Into<Id>,
        qualifier: Qualifier,
        source: impl Into<Id>,
    ) -> Figure {
        Figure {
            id: id.into(),
            subject: subject.into(),
            holders: Vec::new(),
            market: None,
            case: None,
            metric: String::new(),
            metric_zh: None,
            low: None,
            high: None,
            unit: None,
            qualifier,
            value: None,
            scope: None,
            as_of: None,
            source: source.into(),
            quote: None,
            locator: None,
            note: None,
        }
    }

    /// Who holds the figure's share: its joint holders, or else its subject alone.
    pub fn share_holders(&self) -> &[Id] {
        if self.holders.is_empty() {
            std::slice::from_ref(&self.subject)
        } else {
            &self.holders
        }
    }

    /// The figure's case as written, "base" when it names none.
    pub fn case_name(&self) -> &str {
        self.case.as_deref().unwrap_or(BASE_CASE)
    }

    pub fn is_percentage(&self) -> bool {
        self.unit.as_deref() == Some("%")
    }

    /// The figure's value as a reader would say it: "55–75%", "≥ 60%", "> 50%", "≈ 90%",
    /// "9:1".
    pub fn display_value(&self) -> String {
        let unit = match self.unit.as_deref() {
            Some("%") => "%".to_owned(),
            Some(unit) => format!(" {unit}"),
            None => String::new(),
        };
        let number = |value: f64| format_number(value);
        // "About 90%" stays about: the number alone would read as exact. One number keeps
        // any sign its qualifier gives it ("more than 50%": > 50%).
        let about = if self.qualifier.is_approximate() {
            "≈ "
        } else {
            ""
        };
        let sign = match self.qualifier {
            Qualifier::AtLeast => "≥ ",
            Qualifier::MoreThan => "> ",
            Qualifier::AtMost => "≤ ",
            Qualifier::LessThan => "< ",
            _ => about,
        };
        let above = if self.qualifier == Qualifier::MoreThan {
            ">"
        } else {
            "≥"
        };
        let below = if self.qualifier == Qualifier::LessThan {
            "<"
        } else {
            "≤"
        };
        match (self.low, self.high) {
            (Some(low), Some(high)) if low == high => format!("{sign}{}{unit}", number(low)),
            (Some(low), Some(high)) => format!("{about}{}–{}{unit}", number(low), number(high)),
            (Some(low), None) => format!("{above} {}{unit}", number(low)),
            (None, Some(high)) => format!("{below} {}{unit}", number(high)),
            (None, None) => self.value.clone().unwrap_or_default(),
        }
    }
}

/// [`format_rounded_range`], marked "≈" where a number it is computed from is about.
pub fn format_bounds(bounds: (f64, f64), approximate: bool) -> String {
    let range = format_rounded_range(bounds.0, bounds.1);
    if approximate {
        format!("≈ {range}")
    } else {
        range
    }
}

/// Bounds rounded outward to whole numbers, "55–75" (17.5 to 70 reads "17–70": a bound
/// rounded inward would claim more than is known), or one number when both ends round
/// alike.
pub fn format_rounded_range(low: f64, high: f64) -> String {
    // A hair of tolerance, so that 55.000000001 from arithmetic stays 55.
    let low = (low + 1e-9).floor();
    // Never below the low, and never "-0" (adding 0 turns −0 into 0).
    let high = (high - 1e-9).ceil().max(low) + 0.0;
    let (low, high) = (format_number(low + 0.0), format_number(high));
    if low == high {
        low
    } else {
        format!("{low}–{high}")
    }
}

/// The position of each item by its id: one pass, for the lookups that follow (the
/// first of two items with one id wins, as the checker keeps the first).
pub fn index_by_id<'a, T>(
    items: &'a [T],
    id: impl Fn(&'a T) -> &'a String,
) -> std::collections::HashMap<&'a str, usize> {
    let mut index = std::collections::HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        index.entry(id(item).as_str()).or_insert(i);
    }
    index
}

/// Formats a figure's number without a trailing ".0".
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// How many decimals a figure's `low` and `high` were written with (`80.0` → 1), which the
/// `f64` forgets: a share written `80.0` claims a tenth, one written `80` a unit. The
/// precision belongs to the figure wherever it goes (a file, a table, an edit), so that
/// the rounding rule of market totals reads the figure as it was published.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WrittenPrecision {
    pub low: Option<u32>,
    pub high: Option<u32>,
}

/// Each figure's written precision, by figure id (figures written in their shortest
/// form need no entry).
pub type Precisions = std::collections::BTreeMap<Id, WrittenPrecision>;

/// `value` written with `decimals` decimals when that many say the same number (`80` with
/// 1 → "80.0"); its shortest form otherwise (too few decimals would round it).
pub fn format_decimals(value: f64, decimals: Option<u32>) -> String {
    let shortest = format_number(value);
    match decimals {
        Some(d) if d > validate::decimals_of(value) && d <= 15 => {
            let written = format!("{value:.*}", d as usize);
            if written.parse::<f64>() == Ok(value) {
                written
            } else {
                shortest
            }
        }
        _ => shortest,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stance {
    Bullish,
    Bearish,
    Neutral,
    Mixed,
}

impl Worded for Stance {
    /// Its words in the message catalogue.
    fn word(self) -> Msg {
        match self {
            Stance::Bullish => Msg::StanceBullish,
            Stance::Bearish => Msg::StanceBearish,
            Stance::Neutral => Msg::StanceNeutral,
            Stance::Mixed => Msg::StanceMixed,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ThesisStatus {
    Active,
    Watching,
    Confirmed,
    Refuted,
    Retired,
}

impl Worded for ThesisStatus {
    /// Its words in the message catalogue.
    fn word(self) -> Msg {
        match self {
            ThesisStatus::Active => Msg::StatusActive,
            ThesisStatus::Watching => Msg::StatusWatching,
            ThesisStatus::Confirmed => Msg::StatusConfirmed,
            ThesisStatus::Refuted => Msg::StatusRefuted,
            ThesisStatus::Retired => Msg::StatusRetired,
        }
    }
}

/// The lowest and highest conviction a thesis may state.
pub const CONVICTION_RANGE: std::ops::RangeInclusive<u8> = 1..=5;

/// An investment thesis: a claim about nodes, segments or tiers, with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thesis {
    pub id: Id,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_zh: Option<String>,
    pub claim: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_zh: Option<String>,
    pub stance: Stance,
    pub conviction: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<IsoDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_by: Option<IsoDate>,
    pub status: ThesisStatus,
    /// Node, segment or tier ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub about: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub period: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<IsoDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<IsoDate>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
}

/// A longer profile of one node: its people, its history and what comes next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseStudy {
    pub id: Id,
    pub subject: Id,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<Person>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outlook: Vec<Step>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Id>,
}

impl CaseStudy {
    /// A case study with only what every case study needs; the optional parts empty.
    pub fn new(id: impl Into<Id>, subject: impl Into<Id>, title: impl Into<String>) -> CaseStudy {
        CaseStudy {
            id: id.into(),
            subject: subject.into(),
            title: title.into(),
            title_zh: None,
            summary: None,
            summary_zh: None,
            people: Vec::new(),
            phases: Vec::new(),
            outlook: Vec::new(),
            source: None,
        }
    }
}

impl Link {
    /// A link with only what every link needs: no label and no evidence.
    pub fn new(id: impl Into<Id>, from: impl Into<Id>, to: impl Into<Id>, kind: LinkKind) -> Link {
        Link {
            id: id.into(),
            from: from.into(),
            to: to.into(),
            kind,
            label: None,
            label_zh: None,
            evidence: Vec::new(),
        }
    }
}

impl Thesis {
    /// A thesis with only what every thesis needs: neutral, conviction 3, active, about
    /// nothing yet, and no dates, figures, tags or evidence.
    pub fn new(id: impl Into<Id>, title: impl Into<String>, claim: impl Into<String>) -> Thesis {
        Thesis {
            id: id.into(),
            title: title.into(),
            title_zh: None,
            claim: claim.into(),
            claim_zh: None,
            stance: Stance::Neutral,
            conviction: 3,
            horizon: None,
            as_of: None,
            review_by: None,
            status: ThesisStatus::Active,
            about: Vec::new(),
            figures: Vec::new(),
            tags: Vec::new(),
            evidence: Vec::new(),
        }
    }
}

/// Every id of a map and what it names (see [`Map::index`]).
pub type IdIndex<'a> = HashMap<&'a str, Target>;

impl Map {
    /// Every id of the map and what it names. Where an id is given twice (an invalid map),
    /// the first one wins.
    pub fn index(&self) -> IdIndex<'_> {
        let mut index = HashMap::default();
        for (id, target) in self.ids() {
            index.entry(id).or_insert(target);
        }
        index
    }

    /// The nodes of a segment, including those of its sub-segments, by position in
    /// `self.nodes`.
    pub fn segment_members(&self, segment: &str) -> Vec<usize> {
        let mut inside: Vec<&str> = vec![segment];
        // Segments nest a few levels at most; grow the set until no child is added.
        loop {
            let before = inside.len();
            for s in &self.segments {
                if s.parent.as_deref().is_some_and(|p| inside.contains(&p))
                    && !inside.contains(&s.id.as_str())
                {
                    inside.push(&s.id);
                }
            }
            if inside.len() == before {
                break;
            }
        }
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.segments.iter().any(|s| inside.contains(&s.as_str())))
            .map(|(i, _)| i)
            .collect()
    }

    /// The market participants a link end stands for: the node itself when it is one, the
    /// participants of the segment when the end names a segment, nothing otherwise.
    pub fn end_participants(&self, end: &str) -> Vec<usize> {
        if let Some(i) = self.nodes.iter().position(|n| n.id == end) {
            let participant = self
                .nodes
                .get(i)
                .is_some_and(|n| n.kind.is_market_participant());
            return if participant { vec![i] } else { Vec::new() };
        }
        self.segment_members(end)
            .into_iter()
            .filter(|&i| {
                self.nodes
                    .get(i)
                    .is_some_and(|n| n.kind.is_market_participant())
            })
            .collect()
    }

    pub fn tier_index(&self, id: &str) -> Option<usize> {
        self.tiers.iter().position(|tier| tier.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value says what its qualifier says: "about", and a strict or inclusive bound.
    #[test]
    fn a_figures_value_keeps_its_qualifier() {
        let value = |qualifier, low, high| {
            Figure {
                qualifier,
                ..Figure::test_share("f", "s", low, high, "src")
            }
            .display_value()
        };
        assert_eq!(value(Qualifier::Exact, Some(90.0), Some(90.0)), "90%");
        assert_eq!(value(Qualifier::Approx, Some(90.0), Some(90.0)), "≈ 90%");
        assert_eq!(value(Qualifier::Estimate, Some(5.0), Some(8.0)), "≈ 5–8%");
        assert_eq!(value(Qualifier::Range, Some(55.0), Some(75.0)), "55–75%");
        assert_eq!(value(Qualifier::AtLeast, Some(60.0), None), "≥ 60%");
        assert_eq!(value(Qualifier::MoreThan, Some(50.0), None), "> 50%");
        assert_eq!(value(Qualifier::AtMost, None, Some(10.0)), "≤ 10%");
        assert_eq!(value(Qualifier::LessThan, None, Some(10.0)), "< 10%");
        // One number written as both ends keeps its qualifier's sign too.
        assert_eq!(value(Qualifier::MoreThan, Some(50.0), Some(50.0)), "> 50%");
        assert_eq!(value(Qualifier::AtLeast, Some(60.0), Some(60.0)), "≥ 60%");
        // An open end is its sign: "about at least" adds nothing a reader can use.
        assert_eq!(value(Qualifier::Approx, Some(60.0), None), "≥ 60%");
        assert_eq!(format_bounds((17.5, 70.0), false), "17–70");
        assert_eq!(format_bounds((90.0, 90.0), true), "≈ 90");
    }
}
