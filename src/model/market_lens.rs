//! One market laid over the map: who holds how much of it and where they are drawn (a
//! node's card, a segment's box, a tier's band), where the market sits (the boxes that
//! carry its concentration), which nodes stay lit, and the theses that rest on its figures.
//! Owned, by indices of the map, so that the window keeps it across frames and a picture
//! draws the same thing. The window draws it with `ui::share_lens`; the other lens is the
//! thesis lens ([`super::thesis_lens`]).

use super::markets::{Firms, concentration_of, concentration_text, figures_by_market, market_size};
use super::{BASE_CASE, Figure, Id, Lang, Map, Msg, format_bounds, index_by_id};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;

/// What a share is drawn on: a node's card, a segment's box or a tier's band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Holder {
    Node(usize),
    Segment(usize),
    Tier(usize),
}

/// One participant's share, as the lens draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct LensShare {
    pub holder: Holder,
    /// The figure that gives it, to edit it from the map.
    pub figure: Id,
    /// The range drawn, in percent; an open high is what the other shares leave.
    pub low: f64,
    pub high: f64,
    pub open_high: bool,
    /// Its place among the market's shares, 0 for the largest: the panel's colour for it.
    pub rank: usize,
    /// The value as the figure gives it: "38%", "≥ 60%", "55–75%".
    pub text: String,
    /// How many hold the share jointly (0 when one holds it alone): this holder's own part
    /// is anywhere from 0 to the whole share (`low` is 0), and the share is edited in its
    /// figure, not dragged.
    pub joint_holders: usize,
    /// Where the value's pill is drawn: on the holder for a share held alone; for a joint
    /// share once, on the box its holders sit in (a pill on one holder's card would read
    /// as that holder's share); `None` on the other entries of a joint share.
    pub pill_at: Option<Holder>,
}

impl LensShare {
    /// Whether several holders hold the share together.
    pub fn is_joint(&self) -> bool {
        self.joint_holders > 1
    }

    /// The value as a pill shows it: "38%", or "70% · 4 jointly" for a joint share.
    pub fn label(&self, lang: Lang) -> String {
        if self.is_joint() {
            Msg::held_jointly_by(lang, &self.text, self.joint_holders)
        } else {
            self.text.clone()
        }
    }
}

/// A market over the map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MarketLens {
    /// The market's index in the map.
    pub market: usize,
    pub market_id: Id,
    /// The case shown ("base" unless another was asked for), and every case the market's
    /// shares are given in.
    pub case: String,
    pub cases: Vec<String>,
    /// Largest first, as in the markets panel; a joint share once for each holder.
    pub shares: Vec<LensShare>,
    /// How many shares the market has (a joint share counts once).
    pub share_count: usize,
    pub top1: (f64, f64),
    /// `None` where a holder is not a firm.
    pub hhi: Option<(f64, f64)>,
    pub unclaimed: (f64, f64),
    /// Whether a share is about or an estimate: the bounds are about too (see
    /// [`Concentration::approximate`](super::markets::Concentration::approximate)).
    pub approximate: bool,
    /// The segments and tiers whose boxes carry the market's concentration: where its
    /// participants sit (a node's segment, a segment's parent, else their tier).
    pub homes: Vec<Holder>,
    /// The nodes left lit: the participants, and the nodes of a participating segment or
    /// tier. Every other node is dimmed.
    pub lit: BTreeSet<usize>,
    /// The theses that cite a figure of the market, in the map's order.
    pub theses: Vec<usize>,
    /// The market's size, when the map gives one (see [`market_size`]).
    pub size: Option<Figure>,
    by_holder: HashMap<Holder, usize>,
}

impl MarketLens {
    /// The lens of the market at `market` in `map`, in the base case; `None` when there is
    /// no such market.
    pub fn of(map: &Map, market: usize) -> Option<MarketLens> {
        MarketLens::of_case(map, market, BASE_CASE)
    }

    /// The lens of the market at `market` in `case`.
    pub fn of_case(map: &Map, market: usize, case: &str) -> Option<MarketLens> {
        MarketLens::indexed(map, &MarketIndex::of(map), market, case)
    }

    /// [`MarketLens::of_case`] with the map's `index`, for the lenses of many markets.
    pub fn indexed(
        map: &Map,
        index: &MarketIndex<'_>,
        market: usize,
        case: &str,
    ) -> Option<MarketLens> {
        let chosen = map.markets.get(market)?;
        let figures: &[&Figure] = index
            .by_market
            .get(chosen.id.as_str())
            .map_or(&[][..], |f| &f[..]);
        let concentration = concentration_of(chosen, figures, case, &index.firms);
        let holders = &index.holders;
        let mut lens = MarketLens {
            market,
            market_id: chosen.id.clone(),
            case: concentration.case.clone(),
            cases: concentration.cases.clone(),
            share_count: concentration.shares.len(),
            top1: concentration.top1,
            hhi: concentration.hhi,
            unclaimed: concentration.unclaimed,
            approximate: concentration.approximate,
            ..MarketLens::default()
        };
        for (rank, share) in concentration.shares.iter().enumerate() {
            let joint = share.is_joint();
            let mut first = true;
            for holder in share.holders().iter().filter_map(|id| holders.of(id)) {
                let pill_at = match (joint, first) {
                    (false, _) => Some(holder),
                    (true, true) => Some(holders.home(map, holder).unwrap_or(holder)),
                    (true, false) => None,
                };
                lens.by_holder.insert(holder, lens.shares.len());
                lens.shares.push(LensShare {
                    holder,
                    figure: share.figure.id.clone(),
                    // A joint holder's own part: anything from nothing to the whole share.
                    low: if joint { 0.0 } else { share.low },
                    high: share.high,
                    open_high: share.open_high,
                    rank,
                    text: share.figure.display_value(),
                    joint_holders: if joint { share.holders().len() } else { 0 },
                    pill_at,
                });
                first = false;
                let home = holders.home(map, holder);
                if let Some(home) = home
                    && !lens.homes.contains(&home)
                {
                    lens.homes.push(home);
                }
                lens.lit.extend(holders.nodes_of(map, holder));
            }
        }
        lens.size = market_size(figures).cloned();
        let cited: BTreeSet<&str> = figures.iter().map(|f| f.id.as_str()).collect();
        lens.theses = map
            .theses
            .iter()
            .enumerate()
            .filter(|(_, t)| t.figures.iter().any(|f| cited.contains(f.as_str())))
            .map(|(i, _)| i)
            .collect();
        Some(lens)
    }

    /// The share drawn on `holder`, if it holds one.
    pub fn share_of(&self, holder: Holder) -> Option<&LensShare> {
        self.shares.get(*self.by_holder.get(&holder)?)
    }

    /// "top-1 18–70% · HHI 1225–5800": the market's concentration, as ranges, in `lang`;
    /// "no base case" where the market gives shares only in other cases.
    pub fn concentration_text(&self, lang: Lang) -> String {
        self.in_case(lang, || {
            concentration_text(self.top1, self.hhi, self.approximate, lang)
        })
    }

    /// The concentration where a box is too narrow for the whole: the top-1 alone, with
    /// the case when it is not the base case (an upside never reads as the estimate).
    pub fn top1_text(&self, lang: Lang) -> String {
        self.in_case(lang, || {
            Msg::top1(lang, format_bounds(self.top1, self.approximate))
        })
    }

    /// `text` with the lens's case named after it when that is not the base case, or what
    /// says the market has no share in the case.
    fn in_case(&self, lang: Lang, text: impl FnOnce() -> String) -> String {
        if self.share_count == 0 && !self.cases.is_empty() {
            return no_case_text(&self.case, &self.cases, lang);
        }
        let text = text();
        if self.case == BASE_CASE {
            text
        } else {
            format!("{text} · {}", case_label(&self.case, lang))
        }
    }

    /// "unclaimed 0–25%": what no share claims, in `lang`.
    pub fn unclaimed_text(&self, lang: Lang) -> String {
        Msg::unclaimed(lang, format_bounds(self.unclaimed, self.approximate))
    }

    /// The shares whose value pill is drawn on `holder`: its own, and a joint share of
    /// the cards inside it.
    pub fn pills_at(&self, holder: Holder) -> impl Iterator<Item = &LensShare> {
        self.shares
            .iter()
            .filter(move |s| s.pill_at == Some(holder))
    }

    /// Whether `holder`'s box carries the market's concentration.
    pub fn is_home(&self, holder: Holder) -> bool {
        self.homes.contains(&holder)
    }
}

/// A case's name as a reader reads it: "upside case", "情景:cloud endgame".
pub fn case_label(case: &str, lang: Lang) -> String {
    let named = match case {
        "base" => Msg::BaseCase,
        "upside" => Msg::UpsideCase,
        "downside" => Msg::DownsideCase,
        scenario => return Msg::scenario(lang, scenario),
    };
    named.in_lang(lang).to_owned()
}

/// "no base case (only upside)": a market that gives no share in `case`.
pub fn no_case_text(case: &str, cases: &[String], lang: Lang) -> String {
    let others: Vec<String> = cases.iter().map(|c| case_label(c, lang)).collect();
    Msg::no_case(
        lang,
        case_label(case, lang),
        others.join(Msg::ListSeparator.in_lang(lang)),
    )
}

/// What a lens looks up in its map: each market's figures, the firms, and the holder each
/// id names. Made once for the lenses of every market of a map (the web page), rather than
/// once per lens.
pub struct MarketIndex<'a> {
    by_market: HashMap<&'a str, Vec<&'a Figure>>,
    firms: Firms<'a>,
    holders: Holders<'a>,
}

impl<'a> MarketIndex<'a> {
    pub fn of(map: &'a Map) -> MarketIndex<'a> {
        MarketIndex {
            by_market: figures_by_market(&map.figures),
            firms: Firms::of(map),
            holders: Holders::new(map),
        }
    }
}

/// The map's nodes, segments and tiers by id, to find what a figure's subject is.
struct Holders<'a> {
    nodes: std::collections::HashMap<&'a str, usize>,
    segments: std::collections::HashMap<&'a str, usize>,
    tiers: std::collections::HashMap<&'a str, usize>,
}

impl<'a> Holders<'a> {
    fn new(map: &'a Map) -> Self {
        Holders {
            nodes: index_by_id(&map.nodes, |n| &n.id),
            segments: index_by_id(&map.segments, |s| &s.id),
            tiers: index_by_id(&map.tiers, |t| &t.id),
        }
    }

    fn of(&self, subject: &str) -> Option<Holder> {
        self.nodes
            .get(subject)
            .map(|&i| Holder::Node(i))
            .or_else(|| self.segments.get(subject).map(|&i| Holder::Segment(i)))
            .or_else(|| self.tiers.get(subject).map(|&i| Holder::Tier(i)))
    }

    /// Where a participant sits: a node in its first segment, a segment in its parent;
    /// either in its tier when it has no such box. A tier sits nowhere further.
    fn home(&self, map: &Map, holder: Holder) -> Option<Holder> {
        let (container, tier) = match holder {
            Holder::Node(i) => {
                let node = map.nodes.get(i)?;
                (node.segments.first(), &node.tier)
            }
            Holder::Segment(i) => {
                let segment = map.segments.get(i)?;
                (segment.parent.as_ref(), &segment.tier)
            }
            Holder::Tier(_) => return None,
        };
        container
            .and_then(|id| self.segments.get(id.as_str()))
            .map(|&s| Holder::Segment(s))
            .or_else(|| self.tiers.get(tier.as_str()).map(|&t| Holder::Tier(t)))
    }

    /// The nodes a participant stands for.
    fn nodes_of(&self, map: &Map, holder: Holder) -> Vec<usize> {
        match holder {
            Holder::Node(i) => vec![i],
            Holder::Segment(s) => map
                .segments
                .get(s)
                .map(|segment| map.segment_members(&segment.id))
                .unwrap_or_default(),
            Holder::Tier(t) => {
                let Some(tier) = map.tiers.get(t) else {
                    return Vec::new();
                };
                (0..map.nodes.len())
                    .filter(|&i| map.nodes[i].tier == tier.id)
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Market, Node, NodeKind, Segment, Thesis, Tier};

    fn map() -> Map {
        let segment = |id: &str, parent: Option<&str>| Segment {
            parent: parent.map(Into::into),
            ..Segment::new(id, "hw", id)
        };
        let node = |id: &str, segment: &str| Node {
            segments: vec![segment.into()],
            ..Node::new(id, id, NodeKind::Company, "hw")
        };
        let share = |id: &str, market: &str, subject: &str, low: f64, high: Option<f64>| Figure {
            market: Some(market.into()),
            ..Figure::test_share(id, subject, Some(low), high, "src")
        };
        Map {
            tiers: vec![Tier::new("hw", "Hardware")],
            segments: vec![
                segment("chips", None),
                segment("gpus", Some("chips")),
                segment("memory", None),
            ],
            nodes: vec![
                node("nvidia", "gpus"),
                node("amd", "gpus"),
                node("hynix", "memory"),
                node("intel", "chips"),
            ],
            markets: vec![
                Market::new("gpu", "GPUs"),
                Market::new("value", "Hardware value"),
            ],
            figures: vec![
                share("f-amd", "gpu", "amd", 10.0, Some(15.0)),
                share("f-nvidia", "gpu", "nvidia", 80.0, None),
                share("f-chips", "value", "chips", 55.0, Some(75.0)),
                share("f-memory", "value", "memory", 10.0, Some(20.0)),
            ],
            theses: vec![
                Thesis {
                    figures: vec!["f-memory".into()],
                    ..Thesis::new("t-memory", "Memory", "")
                },
                Thesis {
                    figures: vec!["f-nvidia".into()],
                    ..Thesis::new("t-nvidia", "NVIDIA", "")
                },
            ],
            ..Map::default()
        }
    }

    /// The lens's holders, in its order (largest share first).
    fn holders(lens: &MarketLens) -> Vec<Holder> {
        lens.shares.iter().map(|s| s.holder).collect()
    }

    #[test]
    fn node_shares_sit_on_their_cards_largest_first_and_light_only_the_participants() {
        let map = map();
        let lens = MarketLens::of(&map, 0).expect("market 0");
        assert_eq!(holders(&lens), [Holder::Node(0), Holder::Node(1)]);
        let nvidia = lens
            .share_of(Holder::Node(0))
            .expect("nvidia holds a share");
        assert_eq!((nvidia.rank, nvidia.text.as_str()), (0, "≥ 80%"));
        // An open high is what AMD's share leaves.
        assert_eq!(
            (nvidia.low, nvidia.high, nvidia.open_high),
            (80.0, 90.0, true)
        );
        assert_eq!(lens.share_of(Holder::Node(2)), None);
        assert_eq!(lens.lit, BTreeSet::from([0, 1]));
        assert_eq!(lens.homes, [Holder::Segment(1)]);
        assert!(lens.is_home(Holder::Segment(1)) && !lens.is_home(Holder::Segment(0)));
        assert_eq!(lens.theses, [1]);
        assert_eq!(lens.top1, (80.0, 90.0));
        assert_eq!(
            lens.concentration_text(Lang::En),
            // NVIDIA at 90 leaves AMD its low of 10: the two highs cannot hold at once.
            "top-1 80–90% · HHI 6500–8200"
        );
        assert_eq!(lens.unclaimed_text(Lang::Zh), "未覆盖 0–10%");
    }

    #[test]
    fn segment_shares_light_their_nodes_and_carry_the_concentration_to_parent_or_tier() {
        let map = map();
        let lens = MarketLens::of(&map, 1).expect("market 1");
        assert_eq!(holders(&lens), [Holder::Segment(0), Holder::Segment(2)]);
        // The chips segment holds its nested GPU segment's nodes too.
        assert_eq!(lens.lit, BTreeSet::from([0, 1, 2, 3]));
        // Neither segment has a parent: the tier carries the concentration, once.
        assert_eq!(lens.homes, [Holder::Tier(0)]);
        assert_eq!(lens.theses, [0]);
        // Segments are kinds of company, not firms: a split and a top-1, no HHI.
        assert_eq!(lens.hhi, None);
        assert_eq!(lens.top1.0, 55.0);
        assert!(
            lens.concentration_text(Lang::En)
                .ends_with("· no HHI (not firms)"),
            "{}",
            lens.concentration_text(Lang::En)
        );
    }

    #[test]
    fn a_joint_share_is_drawn_on_each_holder_with_one_pill_on_their_box() {
        let mut map = map();
        let joint = map
            .figures
            .iter_mut()
            .find(|f| f.id == "f-nvidia")
            .expect("f-nvidia");
        joint.holders = vec!["nvidia".into(), "amd".into()];
        map.figures.retain(|f| f.id != "f-amd");
        let lens = MarketLens::of(&map, 0).expect("market 0");
        assert_eq!(lens.share_count, 1);
        let drawn: Vec<(Holder, Option<Holder>, f64)> = lens
            .shares
            .iter()
            .map(|s| (s.holder, s.pill_at, s.low))
            .collect();
        // Each holder's own part is anything from nothing to the whole: low 0. The value
        // once, on the box they sit in, never on one holder's card.
        assert_eq!(
            drawn,
            [
                (Holder::Node(0), Some(Holder::Segment(1)), 0.0),
                (Holder::Node(1), None, 0.0)
            ]
        );
        assert_eq!(lens.pills_at(Holder::Segment(1)).count(), 1);
        assert_eq!(lens.shares[0].label(Lang::En), "≥ 80% · 2 jointly");
        assert_eq!(lens.top1.0, 40.0);
    }

    /// Where a box is narrow, the top-1 alone; in another case than the base case, with
    /// the case, so that an upside never reads as the estimate; a market without the case
    /// says so in both texts.
    #[test]
    fn the_top_1_alone_keeps_the_case() {
        let mut map = map();
        let mut upside = map.figures[1].clone();
        upside.id = "f-nvidia-up".into();
        upside.low = Some(90.0);
        upside.case = Some("upside".into());
        map.figures.push(upside);
        let base = MarketLens::of(&map, 0).expect("the base case");
        assert_eq!(base.top1_text(Lang::En), "top-1 80–90%");
        assert!(
            base.concentration_text(Lang::En)
                .starts_with("top-1 80–90% · HHI")
        );
        let up = MarketLens::of_case(&map, 0, "upside").expect("the upside");
        assert_eq!(up.top1_text(Lang::En), "top-1 90–100% · upside case");
        let none = MarketLens::of_case(&map, 0, "downside").expect("no downside");
        assert_eq!(none.top1_text(Lang::En), none.concentration_text(Lang::En));
    }

    #[test]
    fn no_such_market_is_no_lens() {
        assert_eq!(MarketLens::of(&map(), 7), None);
    }
}
