//! Market concentration computed from share figures: each market's shares (one per
//! subject), the unclaimed rest, the top-1 share and the Herfindahl–Hirschman index, all
//! as ranges because the figures themselves are ranges, often open.

use super::{Date, Figure, IsoDate, Lang, Map, Market, localized};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// One subject's share of a market, as a closed range in percent.
#[derive(Clone, Debug, PartialEq)]
pub struct Share<'a> {
    pub figure: &'a Figure,
    pub low: f64,
    /// The figure's upper bound, or for an open range what the other shares leave.
    pub high: f64,
    pub open_high: bool,
}

/// A market's shares, largest first, and what they say about its concentration.
#[derive(Clone, Debug, PartialEq)]
pub struct Concentration<'a> {
    pub market: &'a Market,
    pub shares: Vec<Share<'a>>,
    /// What no share claims: between 100 minus the highs and 100 minus the lows.
    pub unclaimed: (f64, f64),
    pub top1: (f64, f64),
    /// Herfindahl–Hirschman index (0–10,000) bounds: the claimed shares alone, and the
    /// claimed shares at their highs with the rest held by one more firm.
    pub hhi: (f64, f64),
}

/// The share figures of a market: one per subject, its latest figure (and of those the
/// largest lower bound), in the order the figures appear. Two estimates of one subject's
/// share are alternatives, not parts of the whole. A figure of the market in another unit
/// than "%" is its size (see [`market_size`]), not a share.
pub fn market_shares<'a>(figures: &'a [Figure], market_id: &str) -> Vec<&'a Figure> {
    latest_per_subject(
        figures
            .iter()
            .filter(|f| f.market.as_deref() == Some(market_id) && !is_size(f)),
    )
}

/// Whether a figure of a market gives its size: a number in a unit other than "%".
fn is_size(figure: &Figure) -> bool {
    figure.unit.is_some() && !figure.is_percentage()
}

/// Of the given figures (of one market), one per subject: its latest with a number (and of
/// those the largest lower bound), in the order given.
fn latest_per_subject<'a>(figures: impl Iterator<Item = &'a Figure>) -> Vec<&'a Figure> {
    let mut chosen: BTreeMap<&str, (usize, &Figure)> = BTreeMap::new();
    for (order, figure) in figures.enumerate() {
        if figure.low.is_none() && figure.high.is_none() {
            continue;
        }
        let key = |f: &Figure| (date_of(f), f.low);
        match chosen.get(figure.subject.as_str()) {
            Some((_, old)) if key(old) >= key(figure) => {}
            _ => {
                chosen.insert(&figure.subject, (order, figure));
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

/// Every market's concentration, in the map's order of markets.
pub fn concentrations(map: &Map) -> Vec<Concentration<'_>> {
    let by_market = figures_by_market(&map.figures);
    map.markets
        .iter()
        .map(|market| {
            let figures = by_market
                .get(market.id.as_str())
                .map_or(&[][..], |f| &f[..]);
            concentration_of(market, figures)
        })
        .collect()
}

/// One market's concentration from the whole map's figures.
pub fn concentration<'a>(map: &'a Map, market: &'a Market) -> Concentration<'a> {
    let figures: Vec<&Figure> = map
        .figures
        .iter()
        .filter(|f| f.market.as_deref() == Some(market.id.as_str()))
        .collect();
    concentration_of(market, &figures)
}

/// One market's concentration from the figures of that market; the shares come largest
/// first (see [`order_shares`]).
pub fn concentration_of<'a>(market: &'a Market, figures: &[&'a Figure]) -> Concentration<'a> {
    let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
    let figures: Vec<&Figure> = latest_per_subject(figures.iter().copied())
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
    let top1 = (
        shares.iter().map(|s| s.low).fold(0.0, f64::max),
        shares
            .iter()
            .map(|s| s.high)
            .fold(unclaimed.1.min(100.0), f64::max),
    );
    let hhi_low: f64 = shares.iter().map(|s| s.low * s.low).sum();
    let hhi_high: f64 =
        shares.iter().map(|s| s.high * s.high).sum::<f64>() + unclaimed.0 * unclaimed.0;
    Concentration {
        market,
        shares,
        unclaimed,
        top1,
        hhi: (hhi_low, hhi_high.max(hhi_low)),
    }
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
            Self::Name => lang.pick("name", "名称"),
            Self::Hhi => "HHI",
            Self::Top1 => lang.pick("top-1 share", "第一名份额"),
            Self::Unclaimed => lang.pick("unclaimed share", "未覆盖份额"),
        }
    }
}

/// Sorts markets by `key`, ranges compared by their midpoint (see [`midpoint`]); ties, and
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
        MarketSort::Hhi => midpoint(c.hhi),
        MarketSort::Top1 => midpoint(c.top1),
        MarketSort::Unclaimed => midpoint(c.unclaimed),
    };
    let mut keyed: Vec<(f64, String, Concentration)> = std::mem::take(markets)
        .into_iter()
        .map(|c| {
            let name = localized(&c.market.name, c.market.name_zh.as_deref(), lang).to_lowercase();
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

/// The markets ranked by HHI, highest first (by the midpoint of the HHI range), for
/// `stats` and the memo.
pub fn ranked_by_hhi(map: &Map) -> Vec<Concentration<'_>> {
    let mut markets = concentrations(map);
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
            .any(|s| found(&s.figure.subject) || names(&s.figure.subject).into_iter().any(found))
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
pub fn share_history<'a>(figures: &[&'a Figure]) -> Vec<DatedShares<'a>> {
    let mut by_date: BTreeMap<(Option<Date>, &str), DatedShares<'a>> = BTreeMap::new();
    for figure in figures.iter().copied() {
        if !figure.is_percentage() || (figure.low.is_none() && figure.high.is_none()) {
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
        let mut shares = latest_per_subject(dated.shares.iter().copied());
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

/// Every share `subject` holds, in the map's order of markets, with its rank.
pub fn subject_shares<'a>(markets: &[Concentration<'a>], subject: &str) -> Vec<RankedShare<'a>> {
    markets
        .iter()
        .filter_map(|c| {
            let at = c.shares.iter().position(|s| s.figure.subject == subject)?;
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
    use crate::model::IsoDate;

    fn share(id: &str, subject: &str, low: Option<f64>, high: Option<f64>) -> Figure {
        Figure {
            market: Some("m".into()),
            as_of: Some(IsoDate::new("2023-03")),
            ..Figure::test_share(id, subject, low, high, "s")
        }
    }

    fn map_with(figures: Vec<Figure>) -> Map {
        Map {
            markets: vec![Market {
                id: "m".into(),
                name: "M".into(),
                name_zh: None,
                description: None,
                description_zh: None,
            }],
            figures,
            ..Map::default()
        }
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
        assert_eq!(c.hhi.0, 55.0 * 55.0 + 10.0 * 10.0);
        assert_eq!(c.hhi.1, 75.0 * 75.0 + 20.0 * 20.0 + 5.0 * 5.0);
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

    #[test]
    fn one_subject_counts_once_with_its_largest_low() {
        let map = map_with(vec![
            share("base", "x", Some(60.0), None),
            share("upside", "x", Some(80.0), Some(90.0)),
        ]);
        let shares = market_shares(&map.figures, "m");
        assert_eq!(shares.len(), 1);
        assert_eq!(shares[0].id, "upside");
    }

    fn dated(id: &str, subject: &str, low: f64, as_of: Option<&str>) -> Figure {
        let mut figure = share(id, subject, Some(low), Some(low));
        figure.as_of = as_of.map(IsoDate::new);
        figure
    }

    fn market(id: &str, name: &str) -> Market {
        Market {
            id: id.into(),
            name: name.into(),
            name_zh: None,
            description: None,
            description_zh: None,
        }
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
        let ranked: Vec<&str> = ranked_by_hhi(&map)
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
        let history = share_history(&refs);
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
}
