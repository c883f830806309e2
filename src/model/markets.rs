//! Market concentration computed from share figures: each market's shares in one case
//! (the base case unless another is asked for), the unclaimed rest, the top-1 share and
//! the Herfindahl–Hirschman index, all as bounds over every split of the market that the
//! figures allow. A share may be held jointly by several named participants ("the top four
//! hold 70%"): nothing is known of how they split it, so the bounds range over every split.
//! HHI is a sum over firms: where a holder is not a firm (a segment, a tier, a group
//! standing for a kind of company), there is no HHI, only the split and its top-1.

use super::{BASE_CASE, Date, Figure, Id, IsoDate, Lang, Map, Market, Msg, Named, NodeKind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// One share of a market, as a closed range in percent, held by its figure's subject or
/// jointly by its figure's holders.
#[derive(Clone, Debug, PartialEq)]
pub struct Share<'a> {
    pub figure: &'a Figure,
    pub low: f64,
    /// The figure's upper bound, or for an open range what the other shares leave.
    pub high: f64,
    pub open_high: bool,
}

impl<'a> Share<'a> {
    /// Who holds the share: its figure's holders jointly, or its subject alone.
    pub fn holders(&self) -> &'a [Id] {
        self.figure.share_holders()
    }

    /// Whether several participants hold it together.
    pub fn is_joint(&self) -> bool {
        self.holders().len() > 1
    }
}

/// The ids of a map's firms: the nodes HHI may be summed over. Borrowed from the map, or
/// owned ([`Firms::into_owned`]) to be kept beside it from frame to frame.
#[derive(Clone, Debug, Default)]
pub struct Firms<'a> {
    ids: HashSet<Cow<'a, str>>,
}

impl<'a> Firms<'a> {
    pub fn of(map: &'a Map) -> Firms<'a> {
        Firms {
            ids: map
                .nodes
                .iter()
                .filter(|n| is_firm(n.kind))
                .map(|n| Cow::Borrowed(n.id.as_str()))
                .collect(),
        }
    }

    pub fn into_owned(self) -> Firms<'static> {
        Firms {
            ids: self
                .ids
                .into_iter()
                .map(|id| Cow::Owned(id.into_owned()))
                .collect(),
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }
}

/// Whether a node of this kind is one firm, whose share can be squared into an HHI: a
/// company, a lab, a fund, or a product (sold by one firm). A group, a technology, a
/// segment or a tier stands for many firms or for a kind of thing.
pub fn is_firm(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Company | NodeKind::Lab | NodeKind::Fund | NodeKind::Product
    )
}

/// A market's shares in one case, and what they say about its concentration.
#[derive(Clone, Debug, PartialEq)]
pub struct Concentration<'a> {
    pub market: &'a Market,
    /// The case these shares are of.
    pub case: String,
    /// Every case the market's shares are given in, the base case first.
    pub cases: Vec<String>,
    /// Largest first (see [`order_shares`]).
    pub shares: Vec<Share<'a>>,
    /// What no share claims: between 100 minus the highs and 100 minus the lows.
    pub unclaimed: (f64, f64),
    /// The largest single holder's share, over every split the figures allow.
    pub top1: (f64, f64),
    /// Herfindahl–Hirschman index (0–10,000) bounds over every split: at least the shares
    /// at their lows, each joint share split evenly, the rest held by many small firms; at
    /// most the largest the figures allow, each joint share held by one of its holders and
    /// the rest by one more firm. `None` where a holder is not a firm.
    pub hhi: Option<(f64, f64)>,
    /// The holders that are not firms, which leave the market without an HHI.
    pub not_firms: Vec<&'a str>,
    /// Whether a share is about or an estimate ("about 90%"): the bounds are then about
    /// too, and say so (see [`super::format_bounds`]).
    pub approximate: bool,
}

/// What a market's summary line says: its bounds, and whether they are about.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub unclaimed: (f64, f64),
    pub top1: (f64, f64),
    /// `None` where a holder is not a firm.
    pub hhi: Option<(f64, f64)>,
    pub approximate: bool,
}

impl Concentration<'_> {
    /// What its summary line shows.
    pub fn bounds(&self) -> Bounds {
        Bounds {
            unclaimed: self.unclaimed,
            top1: self.top1,
            hhi: self.hhi,
            approximate: self.approximate,
        }
    }

    /// Whether the market gives no share in its case while it gives some in others (no
    /// base case, say): then its numbers say nothing.
    pub fn lacks_case(&self) -> bool {
        self.shares.is_empty() && !self.cases.is_empty()
    }

    /// "top-1 18–70% · HHI 1225–5800", or "… · no HHI (not firms)" in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        concentration_text(self.top1, self.hhi, self.approximate, lang)
    }
}

/// "top-1 18–70% · HHI 1225–5800": a market's concentration as ranges, in `lang`, each
/// marked "≈" when `approximate`; a market whose holders are not all firms says it has no
/// HHI.
pub fn concentration_text(
    top1: (f64, f64),
    hhi: Option<(f64, f64)>,
    approximate: bool,
    lang: Lang,
) -> String {
    let hhi = match hhi {
        Some(hhi) => format!(
            "{} {}",
            Msg::Hhi.in_lang(lang),
            super::format_bounds(hhi, approximate)
        ),
        None => Msg::NoHhiNotFirms.in_lang(lang).to_owned(),
    };
    let top1 = Msg::top1(lang, super::format_bounds(top1, approximate));
    format!("{top1} · {hhi}")
}

/// Of the figures of one market, its shares in `case`: one per holder (or set of joint
/// holders), its latest with a number, in the order given. A figure of the market in
/// another unit than "%" is its size (see [`market_size`]), not a share.
pub fn shares_in_case<'a>(figures: &[&'a Figure], case: &str) -> Vec<&'a Figure> {
    latest_per_holder(
        figures
            .iter()
            .copied()
            .filter(|f| !is_size(f) && f.case_name() == case),
    )
}

/// Every case the share figures of a market are given in, the base case first, then by
/// name.
pub fn market_cases<'a>(figures: impl IntoIterator<Item = &'a Figure>) -> Vec<String> {
    let mut cases: Vec<String> = Vec::new();
    for figure in figures {
        if !is_size(figure) && (figure.low.is_some() || figure.high.is_some()) {
            let case = figure.case_name();
            if !cases.iter().any(|c| c == case) {
                cases.push(case.to_owned());
            }
        }
    }
    cases.sort_by(|a, b| (a != BASE_CASE, a).cmp(&(b != BASE_CASE, b)));
    cases
}

/// Whether a figure of a market gives its size: a number in a unit other than "%".
fn is_size(figure: &Figure) -> bool {
    figure.unit.is_some() && !figure.is_percentage()
}

/// Of the given figures (of one market and case), one per holder: its latest with a
/// number, in the order given. Two figures of one holder at one date are an error the
/// checker reports; the first is kept.
fn latest_per_holder<'a>(figures: impl Iterator<Item = &'a Figure>) -> Vec<&'a Figure> {
    let mut chosen: BTreeMap<&[Id], (usize, &Figure)> = BTreeMap::new();
    for (order, figure) in figures.enumerate() {
        if figure.low.is_none() && figure.high.is_none() {
            continue;
        }
        match chosen.get(figure.share_holders()) {
            Some((_, old)) if date_of(old) >= date_of(figure) => {}
            _ => {
                chosen.insert(figure.share_holders(), (order, figure));
            }
        }
    }
    let mut figures: Vec<(usize, &Figure)> = chosen.into_values().collect();
    figures.sort_by_key(|(order, _)| *order);
    figures.into_iter().map(|(_, figure)| figure).collect()
}

/// A figure's `as_of`, parsed; a missing or malformed date sorts before every date.
fn date_of(figure: &Figure) -> Option<Date> {
    figure.as_of.as_ref().and_then(|d| d.parse().ok())
}

/// The figures of each market, by market id, in file order: one pass over the figures,
/// so that the panel can afford every market's concentration each frame.
pub fn figures_by_market(figures: &[Figure]) -> HashMap<&str, Vec<&Figure>> {
    let mut by_market: HashMap<&str, Vec<&Figure>> = HashMap::default();
    for figure in figures {
        if let Some(market) = figure.market.as_deref() {
            by_market.entry(market).or_default().push(figure);
        }
    }
    by_market
}

/// Every market's concentration in the base case, in the map's order of markets.
pub fn concentrations(map: &Map) -> Vec<Concentration<'_>> {
    concentrations_in(map, BASE_CASE)
}

/// Every market's concentration in `case`, in the map's order of markets.
pub fn concentrations_in<'a>(map: &'a Map, case: &str) -> Vec<Concentration<'a>> {
    concentrations_of(map, map.markets.iter(), case)
}

/// The base-case concentrations of the markets where `subject` holds a share (alone or
/// jointly), in the map's order of markets: what one node's inspector ranks it in, without
/// working out every market of the map each frame.
pub fn concentrations_holding<'a>(map: &'a Map, subject: &str) -> Vec<Concentration<'a>> {
    let held: std::collections::HashSet<&str> = map
        .figures
        .iter()
        .filter(|f| f.share_holders().iter().any(|h| h == subject))
        .filter_map(|f| f.market.as_deref())
        .collect();
    if held.is_empty() {
        return Vec::new();
    }
    let holding = map
        .markets
        .iter()
        .filter(|market| held.contains(market.id.as_str()));
    concentrations_of(map, holding, BASE_CASE)
}

/// The concentrations of `markets`, markets of `map`, in `case`, in the order given.
fn concentrations_of<'a>(
    map: &'a Map,
    markets: impl Iterator<Item = &'a Market>,
    case: &str,
) -> Vec<Concentration<'a>> {
    let by_market = figures_by_market(&map.figures);
    let firms = Firms::of(map);
    markets
        .map(|market| {
            let figures = by_market
                .get(market.id.as_str())
                .map_or(&[][..], |f| &f[..]);
            concentration_of(market, figures, case, &firms)
        })
        .collect()
}

/// One market's concentration in the base case, from the whole map's figures.
pub fn concentration<'a>(map: &'a Map, market: &'a Market) -> Concentration<'a> {
    let figures: Vec<&Figure> = map
        .figures
        .iter()
        .filter(|f| f.market.as_deref() == Some(market.id.as_str()))
        .collect();
    concentration_of(market, &figures, BASE_CASE, &Firms::of(map))
}

/// One market's concentration in `case` from the figures of that market; the shares come
/// largest first (see [`order_shares`]).
pub fn concentration_of<'a>(
    market: &'a Market,
    figures: &[&'a Figure],
    case: &str,
    firms: &Firms<'_>,
) -> Concentration<'a> {
    let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
    let cases = market_cases(figures.iter().copied());
    let figures: Vec<&Figure> = shares_in_case(figures, case)
        .into_iter()
        .filter(|f| f.is_percentage() && finite(f.low) && finite(f.high))
        .collect();
    let low_total: f64 = figures.iter().map(|f| f.low.unwrap_or(0.0)).sum();
    let mut shares: Vec<Share> = figures
        .iter()
        .map(|figure| {
            let low = figure.low.unwrap_or(0.0).clamp(0.0, 100.0);
            let room = (100.0 - (low_total - low)).clamp(low, 100.0);
            let high = figure.high.map_or(room, |high| high.min(room).max(low));
            Share {
                figure,
                low,
                high,
                open_high: figure.high.is_none(),
            }
        })
        .collect();
    order_shares(&mut shares);
    let high_total: f64 = shares.iter().map(|s| s.high).sum();
    let unclaimed = ((100.0 - high_total).max(0.0), (100.0 - low_total).max(0.0));
    let bounds = bounds_over_splits(&shares, unclaimed);
    let not_firms: Vec<&str> = shares
        .iter()
        .flat_map(|s| s.holders())
        .map(String::as_str)
        .filter(|id| !firms.contains(id))
        .collect();
    let approximate = shares.iter().any(|s| s.figure.qualifier.is_approximate());
    Concentration {
        market,
        case: case.to_owned(),
        cases,
        shares,
        unclaimed,
        top1: bounds.top1,
        hhi: not_firms.is_empty().then_some(bounds.hhi),
        not_firms,
        approximate,
    }
}

/// The bounds of a split of the whole into firms' shares that the figures allow.
#[derive(Clone, Copy, Debug, PartialEq)]
struct SplitBounds {
    top1: (f64, f64),
    hhi: (f64, f64),
}

/// Beyond this many shares with a range, the HHI's upper bound is taken from the ranges
/// one by one (still a bound, no longer the least one): the exact search doubles with each.
const EXACT_HHI_RANGES: usize = 10;

/// Top-1 and HHI bounds over every split: each share's total anywhere in its range (the
/// totals within the whole), a joint share split any way among its holders, the rest
/// (what no share claims) held by any number of unnamed firms.
fn bounds_over_splits(shares: &[Share<'_>], unclaimed: (f64, f64)) -> SplitBounds {
    let holders = |s: &Share| s.holders().len().max(1) as f64;
    // The smallest largest holder: every share at its low, a joint one split evenly, the
    // rest spread thin. The largest: one holder with a whole share at its high, or the
    // whole rest in one firm.
    let top1_low = shares
        .iter()
        .map(|s| s.low / holders(s))
        .fold(0.0, f64::max);
    let top1_high = shares
        .iter()
        .map(|s| s.high)
        .fold(unclaimed.1.min(100.0), f64::max);
    let hhi_low: f64 = shares.iter().map(|s| s.low * s.low / holders(s)).sum();
    let hhi_high = largest_hhi(shares).max(hhi_low);
    SplitBounds {
        top1: (top1_low, top1_high),
        hhi: (hhi_low, hhi_high),
    }
}

/// The largest HHI the shares allow: each share held whole by one holder, at a total in
/// its range, the totals within 100, the rest held by one more firm. The sum of squares is
/// convex, so its largest is at a vertex of the set of totals: every total at an end of
/// its range, or all but one, that one taking what makes the whole exactly 100.
fn largest_hhi(shares: &[Share<'_>]) -> f64 {
    let lows: f64 = shares.iter().map(|s| s.low).sum();
    let ranged: Vec<(f64, f64)> = shares
        .iter()
        .filter(|s| s.high > s.low)
        .map(|s| (s.low, s.high))
        .collect();
    let fixed: f64 = shares
        .iter()
        .filter(|s| s.high <= s.low)
        .map(|s| s.low * s.low)
        .sum();
    if ranged.len() > EXACT_HHI_RANGES {
        // A bound from each part alone: no total above its high, the rest no more than
        // what the lows leave.
        let highs: f64 = shares.iter().map(|s| s.high * s.high).sum();
        let rest = (100.0 - lows).max(0.0);
        return (highs + rest * rest).min(10_000.0);
    }
    let fixed_total: f64 = shares
        .iter()
        .filter(|s| s.high <= s.low)
        .map(|s| s.low)
        .sum();
    let score = |totals: &[f64]| -> Option<f64> {
        let sum: f64 = fixed_total + totals.iter().sum::<f64>();
        let rest = 100.0 - sum;
        (rest >= -1e-9)
            .then(|| fixed + totals.iter().map(|t| t * t).sum::<f64>() + rest.max(0.0).powi(2))
    };
    let mut best = 0.0_f64;
    let mut totals = vec![0.0; ranged.len()];
    for mask in 0..(1_u32 << ranged.len()) {
        for (k, (low, high)) in ranged.iter().enumerate() {
            if let Some(total) = totals.get_mut(k) {
                *total = if mask & (1 << k) != 0 { *high } else { *low };
            }
        }
        if let Some(value) = score(&totals) {
            best = best.max(value);
        }
        // The vertices on the whole: one total takes what the others leave of 100.
        for k in 0..ranged.len() {
            let (Some(&(low, high)), Some(&own)) = (ranged.get(k), totals.get(k)) else {
                continue;
            };
            let others: f64 = fixed_total + totals.iter().sum::<f64>() - own;
            let free = 100.0 - others;
            if free >= low && free <= high {
                let mut moved = totals.clone();
                if let Some(total) = moved.get_mut(k) {
                    *total = free;
                }
                if let Some(value) = score(&moved) {
                    best = best.max(value);
                }
            }
        }
    }
    best
}

/// The middle of a range: what the orderings below compare. The midpoint rather than the
/// low, so that "55–75%" ranks above "≥ 60%" capped at 62 by the others, and an open share
/// (whose high is what the others leave) counts for part of its room.
fn midpoint((low, high): (f64, f64)) -> f64 {
    (low + high) / 2.0
}

/// Shares largest first: by the midpoint of each share's range, then by its low, then by
/// subject id so that equal shares keep one order.
pub fn order_shares(shares: &mut [Share<'_>]) {
    shares.sort_by(|a, b| {
        midpoint((b.low, b.high))
            .total_cmp(&midpoint((a.low, a.high)))
            .then(b.low.total_cmp(&a.low))
            .then_with(|| a.figure.subject.cmp(&b.figure.subject))
    });
}

/// What the markets panel sorts markets by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MarketSort {
    /// The market's name in the reading language, then its id.
    #[default]
    Name,
    Hhi,
    Top1,
    Unclaimed,
}

impl MarketSort {
    pub const ALL: [MarketSort; 4] = [Self::Name, Self::Hhi, Self::Top1, Self::Unclaimed];

    pub fn label_in(self, lang: Lang) -> &'static str {
        match self {
            Self::Name => Msg::SortName.in_lang(lang),
            Self::Hhi => Msg::Hhi.in_lang(lang),
            Self::Top1 => Msg::SortTop1.in_lang(lang),
            Self::Unclaimed => Msg::SortUnclaimed.in_lang(lang),
        }
    }
}

/// Sorts markets by `key`, ranges compared by their midpoint (see `midpoint`); ties, and
/// the name sort, go by the name in `lang` (case-folded), then by id. `descending` reverses
/// the key only, never the tie-break.
pub fn sort_markets(
    markets: &mut Vec<Concentration<'_>>,
    key: MarketSort,
    descending: bool,
    lang: Lang,
) {
    let value = |c: &Concentration| match key {
        MarketSort::Name => 0.0,
        // A market without an HHI (its holders are not firms) sorts below every HHI.
        MarketSort::Hhi => c.hhi.map_or(-1.0, midpoint),
        MarketSort::Top1 => midpoint(c.top1),
        MarketSort::Unclaimed => midpoint(c.unclaimed),
    };
    let mut keyed: Vec<(f64, String, Concentration)> = std::mem::take(markets)
        .into_iter()
        .map(|c| {
            let name = c.market.name_in(lang).to_lowercase();
            (value(&c), name, c)
        })
        .collect();
    keyed.sort_by(|(va, na, a), (vb, nb, b)| {
        let primary = match key {
            MarketSort::Name => na.cmp(nb),
            _ => va.total_cmp(vb),
        };
        let primary = if descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| na.cmp(nb))
            .then_with(|| a.market.id.cmp(&b.market.id))
    });
    markets.extend(keyed.into_iter().map(|(_, _, c)| c));
}

/// The markets in `case` ranked by HHI, highest first (by the midpoint of the HHI range;
/// those without one last, by name), for `stats` and the memo.
pub fn ranked_by_hhi<'a>(map: &'a Map, case: &str) -> Vec<Concentration<'a>> {
    let mut markets = concentrations_in(map, case);
    sort_markets(&mut markets, MarketSort::Hhi, true, Lang::En);
    markets
}

/// Whether a market answers a search: `query` (any case) in its id, its names, or the id
/// or a name of one of its participants (`names` gives a subject's names).
pub fn market_matches<'a>(
    c: &Concentration<'a>,
    query: &str,
    names: impl Fn(&str) -> Vec<&'a str>,
) -> bool {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return true;
    }
    let found = |text: &str| text.to_lowercase().contains(&query);
    let market = c.market;
    found(&market.id)
        || found(&market.name)
        || market.name_zh.as_deref().is_some_and(found)
        || c.shares
            .iter()
            .flat_map(Share::holders)
            .any(|holder| found(holder) || names(holder).into_iter().any(found))
}

/// The shares of one market given at one date.
#[derive(Clone, Debug, PartialEq)]
pub struct DatedShares<'a> {
    /// `None` for the figures that give no date (or a malformed one).
    pub as_of: Option<&'a IsoDate>,
    /// One per subject (the largest low), largest first by midpoint; an open high counts
    /// as its low.
    pub shares: Vec<&'a Figure>,
}

/// A market's shares grouped by their `as_of`, newest first, the undated last: how the
/// market moved. Only percentage figures with a number count.
pub fn share_history<'a>(figures: &[&'a Figure], case: &str) -> Vec<DatedShares<'a>> {
    let mut by_date: BTreeMap<(Option<Date>, &str), DatedShares<'a>> = BTreeMap::new();
    for figure in figures.iter().copied() {
        if !figure.is_percentage()
            || (figure.low.is_none() && figure.high.is_none())
            || figure.case_name() != case
        {
            continue;
        }
        let date = date_of(figure);
        let as_of = figure.as_of.as_ref().filter(|_| date.is_some());
        let text = as_of.map_or("", IsoDate::as_str);
        by_date
            .entry((date, text))
            .or_insert_with(|| DatedShares {
                as_of,
                shares: Vec::new(),
            })
            .shares
            .push(figure);
    }
    let mut history: Vec<DatedShares> = by_date.into_values().rev().collect();
    for dated in &mut history {
        let mut shares = latest_per_holder(dated.shares.iter().copied());
        let size = |f: &Figure| {
            let low = f.low.unwrap_or(0.0);
            midpoint((low, f.high.unwrap_or(low)))
        };
        shares.sort_by(|a, b| {
            size(b)
                .total_cmp(&size(a))
                .then_with(|| a.subject.cmp(&b.subject))
        });
        dated.shares = shares;
    }
    history
}

/// A market's size: of its figures (`market` set to it) the latest with a number and a
/// unit other than "%" (say "USD bn"). The model links a figure to a market only through
/// `market`, and a figure's subject is a node, segment or tier, so this is the one place a
/// size can live; the shares and their total leave it out.
pub fn market_size<'a>(figures: &[&'a Figure]) -> Option<&'a Figure> {
    figures
        .iter()
        .copied()
        .filter(|f| is_size(f) && (f.low.is_some() || f.high.is_some()))
        .max_by_key(|f| date_of(f))
}

/// A subject's share in one market, with its place among that market's shares.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedShare<'a> {
    pub market: &'a Market,
    pub share: Share<'a>,
    /// 1 for the largest share (the order of [`order_shares`]).
    pub rank: usize,
    /// How many shares the market has.
    pub of: usize,
}

/// Every share `subject` holds, alone or jointly, in the map's order of markets, with its
/// rank.
pub fn subject_shares<'a>(markets: &[Concentration<'a>], subject: &str) -> Vec<RankedShare<'a>> {
    markets
        .iter()
        .filter_map(|c| {
            let at = c
                .shares
                .iter()
                .position(|s| s.holders().iter().any(|h| h == subject))?;
            Some(RankedShare {
                market: c.market,
                share: c.shares.get(at)?.clone(),
                rank: at + 1,
                of: c.shares.len(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IsoDate, Node, Qualifier};

    #[test]
    fn a_subjects_markets_rank_it_as_every_market_does() {
        for map in [
            crate::io::bundled::load_bundled().map,
            crate::model::generate::generate(400, 5),
        ] {
            let all = concentrations(&map);
            let ids = map
                .nodes
                .iter()
                .map(|n| n.id.as_str())
                .chain(map.segments.iter().map(|s| s.id.as_str()));
            for id in ids {
                let some = concentrations_holding(&map, id);
                let (from_all, from_some) = (subject_shares(&all, id), subject_shares(&some, id));
                let key = |r: &RankedShare<'_>| {
                    (r.market.id.clone(), r.share.figure.id.clone(), r.rank, r.of)
                };
                assert_eq!(
                    from_all.iter().map(key).collect::<Vec<_>>(),
                    from_some.iter().map(key).collect::<Vec<_>>(),
                    "{id}"
                );
            }
        }
    }

    fn share(id: &str, subject: &str, low: Option<f64>, high: Option<f64>) -> Figure {
        Figure {
            market: Some("m".into()),
            as_of: Some(IsoDate::new("2023-03")),
            ..Figure::test_share(id, subject, low, high, "s")
        }
    }

    /// A company node for every holder of `figures`: HHI is summed over firms.
    fn firms_for(figures: &[Figure]) -> Vec<Node> {
        let mut ids: Vec<&str> = figures
            .iter()
            .flat_map(|f| f.share_holders())
            .map(String::as_str)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|id| Node::new(id, id, NodeKind::Company, "t"))
            .collect()
    }

    fn map_with(figures: Vec<Figure>) -> Map {
        Map {
            markets: vec![Market::new("m", "M")],
            nodes: firms_for(&figures),
            figures,
            ..Map::default()
        }
    }

    fn hhi(c: &Concentration<'_>) -> (f64, f64) {
        c.hhi.expect("every holder is a firm")
    }

    #[test]
    fn concentration_bounds_hhi_and_top1_from_ranges() {
        let map = map_with(vec![
            share("a", "x", Some(55.0), Some(75.0)),
            share("b", "y", Some(10.0), Some(20.0)),
        ]);
        let c = concentration(&map, &map.markets[0]);
        assert_eq!(c.top1, (55.0, 75.0));
        assert_eq!(c.unclaimed, (5.0, 35.0));
        assert_eq!(hhi(&c).0, 55.0 * 55.0 + 10.0 * 10.0);
        assert_eq!(hhi(&c).1, 75.0 * 75.0 + 20.0 * 20.0 + 5.0 * 5.0);
    }

    /// The report's cloud market: the top four hold 70% together, and nothing says how.
    #[test]
    fn a_joint_share_bounds_top1_and_hhi_over_every_split() {
        let mut top_four = share("q63", "cloud", Some(70.0), Some(70.0));
        top_four.holders = ["aws", "azure", "gcp", "alibaba"]
            .map(String::from)
            .to_vec();
        let map = map_with(vec![top_four]);
        let c = concentration(&map, &map.markets[0]);
        assert_eq!(c.shares.len(), 1);
        assert!(c.shares[0].is_joint());
        // Four equal shares of 17.5, up to one firm holding all 70.
        assert_eq!(c.top1, (17.5, 70.0));
        // 4 × 17.5² with the rest spread thin; 70² + 30² with the rest in one firm.
        assert_eq!(hhi(&c), (1225.0, 5800.0));
        assert_eq!(c.unclaimed, (30.0, 30.0));
    }

    #[test]
    fn holders_that_are_not_firms_get_a_split_but_no_hhi() {
        let mut map = map_with(vec![
            share("chips", "chips", Some(55.0), Some(75.0)),
            share("memory", "memory", Some(10.0), Some(20.0)),
        ]);
        map.nodes.clear();
        map.segments = ["chips", "memory"]
            .map(|id| crate::model::Segment::new(id, "t", id))
            .to_vec();
        let c = concentration(&map, &map.markets[0]);
        assert_eq!(c.hhi, None);
        assert_eq!(c.not_firms, ["chips", "memory"]);
        assert_eq!(c.top1, (55.0, 75.0));
        assert!(
            c.text(Lang::En).ends_with("no HHI (not firms)"),
            "{}",
            c.text(Lang::En)
        );
        // A group of companies is no firm either.
        let mut groups = map_with(vec![share("trad", "trad", Some(75.0), Some(75.0))]);
        groups.nodes[0].kind = NodeKind::Group;
        assert_eq!(concentration(&groups, &groups.markets[0]).hhi, None);
    }

    /// The report's "about 90%" (q02): the bounds are the number as written, and say they
    /// are about; a share given as a range beside it does not make them exact.
    #[test]
    fn an_approximate_share_makes_the_bounds_approximate_and_says_so() {
        let mut about = share("q02", "openai", Some(90.0), Some(90.0));
        about.qualifier = Qualifier::Approx;
        let map = map_with(vec![about, share("b", "rival", Some(5.0), Some(5.0))]);
        let c = concentration(&map, &map.markets[0]);
        assert!(c.approximate);
        assert_eq!(c.top1, (90.0, 90.0));
        assert_eq!(c.text(Lang::En), "top-1 ≈ 90% · HHI ≈ 8125–8150");
        assert_eq!(c.text(Lang::Zh), "第一名 ≈ 90% · HHI ≈ 8125–8150");
        assert_eq!(c.bounds().unclaimed, (5.0, 5.0));
        let as_written = map_with(vec![share("q02", "openai", Some(90.0), Some(90.0))]);
        let c = concentration(&as_written, &as_written.markets[0]);
        assert!(!c.approximate);
        assert_eq!(c.text(Lang::En), "top-1 90% · HHI 8100–8200");
        // An estimate is about as well; a floor ("at least") is a bound, not about.
        for (qualifier, approximate) in [
            (Qualifier::Estimate, true),
            (Qualifier::AtLeast, false),
            (Qualifier::Range, false),
        ] {
            let mut figure = share("f", "openai", Some(60.0), Some(70.0));
            figure.qualifier = qualifier;
            let map = map_with(vec![figure]);
            let c = concentration(&map, &map.markets[0]);
            assert_eq!(c.approximate, approximate, "{qualifier:?}");
        }
        // Only the shares the bounds are made of count: an upside case given about, or an
        // older share given about, leaves the base case's latest shares as written.
        let mut upside = share("up", "openai", Some(95.0), Some(95.0));
        upside.qualifier = Qualifier::Approx;
        upside.case = Some("upside".into());
        let mut older = share("old", "openai", Some(80.0), Some(80.0));
        older.qualifier = Qualifier::Approx;
        older.as_of = Some(IsoDate::new("2021"));
        let latest = share("new", "openai", Some(90.0), Some(90.0));
        let map = map_with(vec![upside, older, latest]);
        let base = concentration(&map, &map.markets[0]);
        assert_eq!(base.top1, (90.0, 90.0));
        assert!(!base.approximate);
        let up = concentration_of(
            &map.markets[0],
            &map.figures.iter().collect::<Vec<_>>(),
            "upside",
            &Firms::of(&map),
        );
        assert_eq!(up.top1, (95.0, 95.0));
        assert!(up.approximate);
    }

    #[test]
    fn open_share_is_capped_by_what_the_others_leave() {
        let map = map_with(vec![
            share("a", "x", Some(60.0), None),
            share("b", "y", Some(30.0), Some(30.0)),
        ]);
        let c = concentration(&map, &map.markets[0]);
        assert!(c.shares[0].open_high);
        assert_eq!(c.shares[0].high, 70.0);
    }

    /// The report's OpenAI overseas: at least 60% is the judgement, 80–90% the upside.
    #[test]
    fn the_base_case_is_shown_never_the_largest_estimate() {
        let mut upside = share("upside", "x", Some(80.0), Some(90.0));
        upside.case = Some("upside".into());
        let map = map_with(vec![share("base", "x", Some(60.0), None), upside]);
        let c = concentration(&map, &map.markets[0]);
        assert_eq!(c.shares.len(), 1);
        assert_eq!(c.shares[0].figure.id, "base");
        assert_eq!(c.top1, (60.0, 100.0));
        assert_eq!(c.cases, ["base", "upside"]);
        let other = &concentrations_in(&map, "upside")[0];
        assert_eq!(other.shares[0].figure.id, "upside");
        assert_eq!(other.top1, (80.0, 90.0));
    }

    #[test]
    fn a_market_without_a_base_case_says_so() {
        let mut upside = share("upside", "x", Some(80.0), Some(90.0));
        upside.case = Some("upside".into());
        let map = map_with(vec![upside]);
        let c = concentration(&map, &map.markets[0]);
        assert!(c.lacks_case());
        assert!(c.shares.is_empty());
        let text = crate::model::market_lens::no_case_text(&c.case, &c.cases, Lang::En);
        assert_eq!(text, "no base case (only upside case)");
    }

    fn dated(id: &str, subject: &str, low: f64, as_of: Option<&str>) -> Figure {
        let mut figure = share(id, subject, Some(low), Some(low));
        figure.as_of = as_of.map(IsoDate::new);
        figure
    }

    fn market(id: &str, name: &str) -> Market {
        Market::new(id, name)
    }

    #[test]
    fn shares_come_largest_first_by_midpoint() {
        let map = map_with(vec![
            share("a", "small", Some(5.0), Some(10.0)),
            // Open: capped at what the others leave (100 − 5 − 20 = 75), midpoint 47.5.
            share("b", "open", Some(20.0), None),
            share("c", "range", Some(10.0), Some(70.0)),
            share("d", "tie", Some(5.0), Some(10.0)),
        ]);
        let c = concentration(&map, &map.markets[0]);
        let order: Vec<&str> = c.shares.iter().map(|s| s.figure.subject.as_str()).collect();
        assert_eq!(order, ["open", "range", "small", "tie"]);
    }

    fn three_markets(map: &mut Map) {
        map.markets = vec![
            market("b", "beta"),
            market("a", "Alpha"),
            market("c", "gamma"),
        ];
        let mut f = |id: &str, m: &str, subject: &str, low: f64| {
            let mut figure = share(id, subject, Some(low), Some(low));
            figure.market = Some(m.into());
            map.figures.push(figure);
        };
        // a: one firm at 90 (HHI 8100, unclaimed 10); b: 40 + 40 (HHI 3200, unclaimed 20);
        // c: 30 (HHI 900, unclaimed 70).
        f("a1", "a", "x", 90.0);
        f("b1", "b", "x", 40.0);
        f("b2", "b", "y", 40.0);
        f("c1", "c", "z", 30.0);
        map.nodes = firms_for(&map.figures);
    }

    fn sorted(map: &Map, key: MarketSort, descending: bool) -> Vec<String> {
        let mut markets = concentrations(map);
        sort_markets(&mut markets, key, descending, Lang::En);
        markets.iter().map(|c| c.market.id.clone()).collect()
    }

    #[test]
    fn markets_sort_by_each_key_both_ways() {
        let mut map = Map::default();
        three_markets(&mut map);
        // Names fold case: Alpha, beta, gamma.
        assert_eq!(sorted(&map, MarketSort::Name, false), ["a", "b", "c"]);
        assert_eq!(sorted(&map, MarketSort::Name, true), ["c", "b", "a"]);
        assert_eq!(sorted(&map, MarketSort::Hhi, true), ["a", "b", "c"]);
        assert_eq!(sorted(&map, MarketSort::Hhi, false), ["c", "b", "a"]);
        // c's top-1 is 30–70 (the unclaimed 70 may be one firm), b's 40.
        assert_eq!(sorted(&map, MarketSort::Top1, true), ["a", "c", "b"]);
        assert_eq!(sorted(&map, MarketSort::Unclaimed, true), ["c", "b", "a"]);
        let ranked: Vec<&str> = ranked_by_hhi(&map, BASE_CASE)
            .iter()
            .map(|c| c.market.id.as_str())
            .collect();
        assert_eq!(ranked, ["a", "b", "c"]);
    }

    #[test]
    fn equal_keys_fall_back_to_the_name() {
        let mut map = Map::default();
        three_markets(&mut map);
        map.figures.retain(|f| f.market.as_deref() != Some("b"));
        // b now holds exactly what c holds.
        let mut copy = map
            .figures
            .iter()
            .find(|f| f.id == "c1")
            .cloned()
            .expect("c1");
        copy.id = "b1".into();
        copy.market = Some("b".into());
        map.figures.push(copy);
        assert_eq!(sorted(&map, MarketSort::Hhi, true), ["a", "b", "c"]);
        assert_eq!(sorted(&map, MarketSort::Hhi, false), ["b", "c", "a"]);
    }

    #[test]
    fn search_matches_names_ids_and_participants() {
        let mut map = Map::default();
        three_markets(&mut map);
        map.markets[0].name_zh = Some("贝塔".into());
        let markets = concentrations(&map);
        let names = |id: &str| if id == "z" { vec!["Zeta Corp"] } else { vec![] };
        let found = |q: &str| -> Vec<&str> {
            markets
                .iter()
                .filter(|c| market_matches(c, q, names))
                .map(|c| c.market.id.as_str())
                .collect()
        };
        assert_eq!(found("ALPHA"), ["a"]);
        assert_eq!(found("贝塔"), ["b"]);
        assert_eq!(found("zeta"), ["c"]);
        assert_eq!(found("y"), ["b"]);
        assert_eq!(found(" "), ["b", "a", "c"]);
        assert!(found("nothing").is_empty());
    }

    #[test]
    fn history_groups_by_date_newest_first_largest_first() {
        let figures = [
            dated("old-x", "x", 50.0, Some("2022")),
            dated("old-y", "y", 30.0, Some("2022")),
            dated("new-x", "x", 40.0, Some("2024-06")),
            dated("new-y", "y", 45.0, Some("2024-06")),
            dated("undated", "z", 5.0, None),
            dated("mid", "x", 42.0, Some("2023-01")),
        ];
        let refs: Vec<&Figure> = figures.iter().collect();
        let history = share_history(&refs, BASE_CASE);
        let dates: Vec<Option<&str>> = history
            .iter()
            .map(|d| d.as_of.map(IsoDate::as_str))
            .collect();
        assert_eq!(
            dates,
            [Some("2024-06"), Some("2023-01"), Some("2022"), None]
        );
        let first: Vec<&str> = history[0].shares.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(first, ["new-y", "new-x"]);
        let oldest: Vec<&str> = history[2].shares.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(oldest, ["old-x", "old-y"]);
    }

    #[test]
    fn size_is_the_latest_non_percent_figure_of_the_market() {
        let mut old = dated("size-2022", "seg", 40.0, Some("2022"));
        old.unit = Some("USD bn".into());
        let mut new = dated("size-2024", "seg", 60.0, Some("2024"));
        new.unit = Some("USD bn".into());
        let pct = dated("share", "x", 50.0, Some("2025"));
        let figures = [old, new, pct];
        let refs: Vec<&Figure> = figures.iter().collect();
        assert_eq!(market_size(&refs).map(|f| f.id.as_str()), Some("size-2024"));
        assert_eq!(market_size(&refs[2..]), None);
        // The size is no share.
        let map = map_with(figures.to_vec());
        let c = concentration(&map, &map.markets[0]);
        assert_eq!(c.shares.len(), 1);
    }

    #[test]
    fn a_subject_s_shares_carry_their_rank() {
        let mut map = Map::default();
        three_markets(&mut map);
        let markets = concentrations(&map);
        let shares = subject_shares(&markets, "y");
        assert_eq!(shares.len(), 1);
        assert_eq!(
            (shares[0].market.id.as_str(), shares[0].rank, shares[0].of),
            ("b", 2, 2)
        );
        let x: Vec<(&str, usize)> = subject_shares(&markets, "x")
            .iter()
            .map(|s| (s.market.id.as_str(), s.rank))
            .collect();
        assert_eq!(x, [("b", 1), ("a", 1)]);
    }

    /// Every split of a market the shares allow, on a 5-point grid: for each share a total
    /// within its range (the totals within 100) split among its holders, the rest held by
    /// many small firms (adding nothing to the HHI) or by one (adding its square). Returns
    /// the extremes (top-1 low, top-1 high, HHI low, HHI high).
    fn brute_force(shares: &[(f64, Option<f64>, usize)]) -> (f64, f64, f64, f64) {
        // Per share: every (total, sum of squares, largest part) on the grid.
        let splits: Vec<Vec<(f64, f64, f64)>> = shares
            .iter()
            .map(|&(low, high, holders)| {
                let mut out = Vec::new();
                let mut total = low;
                while total <= high.unwrap_or(100.0) + 1e-9 {
                    if holders == 1 {
                        out.push((total, total * total, total));
                    } else {
                        let mut part = 0.0;
                        while part <= total + 1e-9 {
                            let other = total - part;
                            out.push((total, part * part + other * other, part.max(other)));
                            part += 5.0;
                        }
                    }
                    total += 5.0;
                }
                out
            })
            .collect();
        let mut extremes = (f64::MAX, 0.0_f64, f64::MAX, 0.0_f64);
        let mut pick = vec![0_usize; splits.len()];
        loop {
            let chosen: Vec<(f64, f64, f64)> = pick
                .iter()
                .zip(&splits)
                .map(|(&i, options)| options[i])
                .collect();
            let total: f64 = chosen.iter().map(|c| c.0).sum();
            if total <= 100.0 + 1e-9 {
                let rest = 100.0 - total;
                let squares: f64 = chosen.iter().map(|c| c.1).sum();
                let largest = chosen.iter().map(|c| c.2).fold(0.0, f64::max);
                extremes.0 = extremes.0.min(largest);
                extremes.1 = extremes.1.max(largest.max(rest));
                extremes.2 = extremes.2.min(squares);
                extremes.3 = extremes.3.max(squares + rest * rest);
            }
            // The next combination, like an odometer.
            let mut k = 0;
            loop {
                if k == pick.len() {
                    return extremes;
                }
                pick[k] += 1;
                if pick[k] < splits[k].len() {
                    break;
                }
                pick[k] = 0;
                k += 1;
            }
        }
    }

    proptest::proptest! {
        // Failures found are kept beside this file (`markets.proptest-regressions`), not in
        // a folder at the top of the project.
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 96,
            failure_persistence: Some(Box::new(
                proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
            )),
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// The bounds hold every split the figures allow and are reached by one: checked
        /// against brute force over the splits, with joint shares and open ranges.
        #[test]
        fn concentration_bounds_are_those_of_brute_force_over_splits(
            raw in proptest::collection::vec(
                (0_u8..=6, proptest::option::of(0_u8..=4), 1_usize..=2),
                1..=3,
            )
        ) {
            let shares: Vec<(f64, Option<f64>, usize)> = raw
                .iter()
                .map(|&(low, width, holders)| {
                    let low = f64::from(low) * 10.0;
                    let high = width.map(|w| (low + f64::from(w) * 10.0).min(100.0));
                    (low, high, holders)
                })
                .collect();
            let lows: f64 = shares.iter().map(|s| s.0).sum();
            let holders: usize = shares.iter().map(|s| s.2).sum();
            proptest::prop_assume!(lows <= 100.0 && holders <= 4);
            let figures: Vec<Figure> = shares
                .iter()
                .enumerate()
                .map(|(k, &(low, high, n))| Figure {
                    holders: if n > 1 {
                        (0..n).map(|j| format!("h{k}-{j}")).collect()
                    } else {
                        Vec::new()
                    },
                    ..share(&format!("f{k}"), &format!("h{k}-0"), Some(low), high)
                })
                .collect();
            let map = map_with(figures);
            let c = concentration(&map, &map.markets[0]);
            let (top1_low, top1_high, hhi_low, hhi_high) = brute_force(&shares);
            let (low, high) = hhi(&c);
            let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
            proptest::prop_assert!(close(c.top1.0, top1_low), "top-1 low {:?} vs {top1_low}", c.top1);
            proptest::prop_assert!(close(c.top1.1, top1_high), "top-1 high {:?} vs {top1_high}", c.top1);
            proptest::prop_assert!(close(low, hhi_low), "HHI low {low} vs {hhi_low}");
            proptest::prop_assert!(close(high, hhi_high), "HHI high {high} vs {hhi_high}");
        }
    }
}
