//! Market concentration computed from share figures: each market's shares (one per
//! subject), the unclaimed rest, the top-1 share and the Herfindahl–Hirschman index, all
//! as ranges because the figures themselves are ranges, often open.

use super::{Figure, Map, Market};
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
/// share are alternatives, not parts of the whole.
pub fn market_shares<'a>(figures: &'a [Figure], market_id: &str) -> Vec<&'a Figure> {
    let mut chosen: BTreeMap<&str, (usize, &Figure)> = BTreeMap::new();
    for (order, figure) in figures.iter().enumerate() {
        if figure.market.as_deref() != Some(market_id) {
            continue;
        }
        if figure.low.is_none() && figure.high.is_none() {
            continue;
        }
        let key = |f: &Figure| (f.as_of.as_ref().and_then(|d| d.parse().ok()), f.low);
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

pub fn concentration<'a>(map: &'a Map, market: &'a Market) -> Concentration<'a> {
    let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
    let figures: Vec<&Figure> = market_shares(&map.figures, &market.id)
        .into_iter()
        .filter(|f| f.is_percentage() && finite(f.low) && finite(f.high))
        .collect();
    let low_total: f64 = figures.iter().map(|f| f.low.unwrap_or(0.0)).sum();
    let shares: Vec<Share> = figures
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IsoDate, Qualifier};

    fn share(id: &str, subject: &str, low: Option<f64>, high: Option<f64>) -> Figure {
        Figure {
            id: id.into(),
            subject: subject.into(),
            market: Some("m".into()),
            metric: "market share".into(),
            metric_zh: None,
            low,
            high,
            unit: Some("%".into()),
            qualifier: Qualifier::Range,
            value: None,
            scope: None,
            as_of: Some(IsoDate::new("2023-03")),
            source: "s".into(),
            quote: None,
            locator: None,
            note: None,
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
}
