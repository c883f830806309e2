//! Routes through the gaps: a route leaves a card (or a box) upwards or downwards, passes
//! each row of cards or boxes through a free stretch between them, crosses the gaps
//! between rows (and between bands) where nothing is drawn, and enters its other end the
//! same way. Consecutive points are either on one vertical line inside a free stretch, or
//! span one gap from side to side, so that the curve a renderer draws between them (leaving
//! and entering vertically) never crosses a card.
//!
//! Frame and lane indices come from `pack` and stay in range.

use super::Rect;
use super::pack::{Lane, Packed, Slot};

/// One end of a route: a card or a box, and where it sits.
#[derive(Clone, Copy, Debug)]
pub struct End {
    pub rect: Rect,
    pub slot: Slot,
    pub tier: usize,
}

/// Keeps a route this far inside a free stretch, where there is room.
const INSET: f32 = 4.0;
/// Routes that enter one stretch spread over at most this width of it (each by its own
/// share), so that they do not all run on one line.
const SPREAD: f32 = 24.0;
/// How far above a row a route between two things of that row runs, at most.
const RISE: f32 = 6.0;

/// The x nearest `x` inside one of the lane's free stretches; a route that has to move
/// goes `spread` (0 to 1) of the way into the stretch's first [`SPREAD`] units.
fn nearest_free(lane: &Lane, x: f32, spread: f32) -> f32 {
    let i = lane.free.partition_point(|&(a, _)| a <= x);
    let mut best = (f32::INFINITY, x);
    for k in [i.saturating_sub(1), i] {
        if let Some(&(a, b)) = lane.free.get(k) {
            let inset = ((b - a) / 2.0).min(INSET);
            let room = (b - a - 2.0 * inset).clamp(0.0, SPREAD) * spread;
            let cx = if x < a + inset {
                a + inset + room
            } else if x > b - inset {
                b - inset - room
            } else {
                x
            };
            let d = (cx - x).abs();
            if d < best.0 {
                best = (d, cx);
            }
        }
    }
    best.1
}

/// The path out of `from`: from the middle of its top (`up`) or bottom edge, out through
/// the lanes beyond its own and out of each frame in turn, until the frame `stop` is
/// reached or a band's edge; with the x it ends at.
fn climb(
    packed: &Packed,
    spread: f32,
    from: End,
    up: bool,
    stop: Option<usize>,
) -> (Vec<[f32; 2]>, f32) {
    let mut x = from.rect.center_x();
    let edge = if up { from.rect.y } else { from.rect.bottom() };
    let mut points = vec![[x, edge]];
    let mut slot = from.slot;
    while Some(slot.frame) != stop {
        let Some(frame) = packed.frames.get(slot.frame) else {
            break;
        };
        if up {
            for lane in frame.lanes.iter().take(slot.lane).rev() {
                x = nearest_free(lane, x, spread);
                points.push([x, lane.bottom]);
                points.push([x, lane.top]);
            }
            points.push([x, frame.rect.y]);
        } else {
            for lane in frame.lanes.iter().skip(slot.lane + 1) {
                x = nearest_free(lane, x, spread);
                points.push([x, lane.top]);
                points.push([x, lane.bottom]);
            }
            points.push([x, frame.rect.bottom()]);
        }
        let Some((frame, lane)) = frame.parent else {
            break;
        };
        slot = Slot { frame, lane };
    }
    (points, x)
}

/// The path into `to`, the way [`climb`] leaves it, the other way round.
fn arrive(packed: &Packed, spread: f32, to: End, up: bool, stop: Option<usize>) -> Vec<[f32; 2]> {
    let (mut points, _) = climb(packed, spread, to, up, stop);
    points.reverse();
    points
}

/// Up through the lanes `range` of a frame, the lowest (last) first.
fn cross_lanes(
    spread: f32,
    lanes: &[Lane],
    range: std::ops::Range<usize>,
    mut x: f32,
    points: &mut Vec<[f32; 2]>,
) -> f32 {
    for lane in lanes.get(range).unwrap_or_default().iter().rev() {
        x = nearest_free(lane, x, spread);
        points.push([x, lane.bottom]);
        points.push([x, lane.top]);
    }
    x
}

/// The frames from `slot`'s up to its band.
fn ancestry(packed: &Packed, slot: Slot) -> Vec<(usize, usize)> {
    let mut chain = vec![(slot.frame, slot.lane)];
    let mut frame = slot.frame;
    while let Some((parent, lane)) = packed.frames.get(frame).and_then(|f| f.parent) {
        chain.push((parent, lane));
        frame = parent;
        if chain.len() > 64 {
            break;
        }
    }
    chain
}

/// The route from `a` to `b`, through the gaps; `spread` (0 to 1) places it among the
/// routes that share a stretch.
pub fn route(packed: &Packed, a: End, b: End, spread: f32) -> Vec<[f32; 2]> {
    let mut points = if a.tier == b.tier {
        route_in_band(packed, spread, a, b)
    } else if a.tier < b.tier {
        route_up(packed, spread, a, b)
    } else {
        let mut points = route_up(packed, spread, b, a);
        points.reverse();
        points
    };
    simplify(&mut points);
    points
}

/// From `low` up to `high`, a tier above it.
fn route_up(packed: &Packed, spread: f32, low: End, high: End) -> Vec<[f32; 2]> {
    let (mut points, mut x) = climb(packed, spread, low, true, None);
    for tier in low.tier + 1..high.tier {
        let Some(frame) = packed
            .bands
            .get(tier)
            .and_then(|&(_, f)| packed.frames.get(f))
        else {
            continue;
        };
        x = cross_lanes(spread, &frame.lanes, 0..frame.lanes.len(), x, &mut points);
        points.push([x, frame.rect.y]);
    }
    points.extend(arrive(packed, spread, high, false, None));
    points
}

/// Between two things of one band: up to the frame that holds both, across its rows, and
/// into the other.
fn route_in_band(packed: &Packed, spread: f32, a: End, b: End) -> Vec<[f32; 2]> {
    let chain_a = ancestry(packed, a.slot);
    let chain_b = ancestry(packed, b.slot);
    let common = chain_a
        .iter()
        .find(|(f, _)| chain_b.iter().any(|(g, _)| g == f))
        .map(|&(f, _)| f);
    let Some(common) = common else {
        return vec![[a.rect.center_x(), a.rect.y], [b.rect.center_x(), b.rect.y]];
    };
    let lane_in = |chain: &[(usize, usize)]| {
        chain
            .iter()
            .find(|(f, _)| *f == common)
            .map_or(0, |&(_, l)| l)
    };
    let (lane_a, lane_b) = (lane_in(&chain_a), lane_in(&chain_b));
    if lane_a < lane_b {
        let mut points = route_in_band(packed, spread, b, a);
        points.reverse();
        return points;
    }
    let (mut points, x) = climb(packed, spread, a, true, Some(common));
    let Some(frame) = packed.frames.get(common) else {
        return points;
    };
    if lane_a == lane_b {
        // Over the row, in the gap above it.
        let (other, xb) = climb(packed, spread, b, true, Some(common));
        let top = frame.lanes.get(lane_a).map_or(a.rect.y, |l| l.top);
        let above = match lane_a.checked_sub(1).and_then(|l| frame.lanes.get(l)) {
            Some(lane) => lane.bottom,
            None => frame.rect.y,
        };
        let y = top - ((top - above) / 2.0).min(RISE);
        points.push([x, y]);
        points.push([xb, y]);
        points.extend(other.into_iter().rev());
    } else {
        cross_lanes(spread, &frame.lanes, lane_b + 1..lane_a, x, &mut points);
        points.extend(arrive(packed, spread, b, false, Some(common)));
    }
    points
}

/// Drops points in the middle of a vertical run, and repeated points.
fn simplify(points: &mut Vec<[f32; 2]>) {
    let mut out: Vec<[f32; 2]> = Vec::with_capacity(points.len());
    for &p in points.iter() {
        if out.last() == Some(&p) {
            continue;
        }
        if let [.., a, b] = out[..]
            && a[0] == b[0]
            && b[0] == p[0]
            && (b[1] - a[1]) * (p[1] - b[1]) >= 0.0
        {
            out.pop();
        }
        out.push(p);
    }
    *points = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_free_stays_or_moves_into_a_gap() {
        let lane = Lane {
            top: 0.0,
            bottom: 10.0,
            free: vec![(0.0, 10.0), (50.0, 60.0), (100.0, 200.0)],
        };
        assert_eq!(nearest_free(&lane, 150.0, 0.0), 150.0);
        assert_eq!(nearest_free(&lane, 40.0, 0.0), 54.0);
        assert_eq!(nearest_free(&lane, 70.0, 0.0), 56.0);
        assert_eq!(nearest_free(&lane, 95.0, 0.0), 104.0);
        // Spread over the stretch's first units, never out of it.
        assert_eq!(nearest_free(&lane, 95.0, 0.5), 116.0);
        assert_eq!(nearest_free(&lane, 40.0, 1.0), 56.0);
    }

    #[test]
    fn simplify_merges_vertical_runs_only() {
        let mut points = vec![
            [0.0, 0.0],
            [0.0, -5.0],
            [0.0, -9.0],
            [3.0, -12.0],
            [3.0, -12.0],
        ];
        simplify(&mut points);
        assert_eq!(points, vec![[0.0, 0.0], [0.0, -9.0], [3.0, -12.0]]);
    }
}
