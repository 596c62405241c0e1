//! Which offsets a partition's lane draws, and where a reader's label fits.
//!
//! A lane has a fixed width. When everything that matters (every reader's and group's
//! offsets, and the log end) fits in a run of record cells, the lane shows that run, ending
//! at the log end. When it does not, the axis is broken: a few cells around each point of
//! interest, and between them a gap of fixed width that stands for the records not drawn
//! (offsets inside a gap map into it linearly, so every marker still has a place). The log
//! start is always the axis's left end. Only cells are drawn record by record, and there
//! are at most `width / min_cell_w` of them, so a frame's cost does not grow with the log.

/// A stretch of the axis: `[from, to)` offsets drawn as cells or squeezed into a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Cells { from: i64, to: i64 },
    Gap { from: i64, to: i64 },
}

/// The sizes a lane's axis is fitted to, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisSizes {
    pub width_px: f64,
    /// The width of a cell when there is room (the cell and its spacing).
    pub cell_w_px: f64,
    /// The narrowest cell before stretches of cells are folded into gaps.
    pub min_cell_w_px: f64,
    pub gap_w_px: f64,
}

/// A lane's axis: its pieces from the log start to the log end, and the cell width.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneAxis {
    pub pieces: Vec<Piece>,
    pub cell_w_px: f64,
    pub gap_w_px: f64,
}

/// Cells kept on each side of a point of interest.
const CONTEXT_CELLS: i64 = 1;
/// Cells kept before the log end.
const END_CELLS: i64 = 2;
/// Gaps shorter than this many records are drawn as cells instead.
const MIN_GAP_RECORDS: i64 = 2;

impl LaneAxis {
    /// The x of the boundary just before `offset` (a marker for offset `o` stands at the
    /// left edge of cell `o`), relative to the axis's left end.
    pub fn x_of(&self, offset: i64) -> f64 {
        let mut x = 0.0;
        for piece in &self.pieces {
            match *piece {
                Piece::Cells { from, to } => {
                    if offset < to {
                        return x + (offset - from).max(0) as f64 * self.cell_w_px;
                    }
                    x += (to - from) as f64 * self.cell_w_px;
                }
                Piece::Gap { from, to } => {
                    if offset < to {
                        let share = (offset - from).max(0) as f64 / (to - from).max(1) as f64;
                        return x + share * self.gap_w_px;
                    }
                    x += self.gap_w_px;
                }
            }
        }
        x
    }

    /// The width the pieces take.
    pub fn width_px(&self) -> f64 {
        self.pieces
            .iter()
            .map(|p| match *p {
                Piece::Cells { from, to } => (to - from) as f64 * self.cell_w_px,
                Piece::Gap { .. } => self.gap_w_px,
            })
            .sum()
    }

    /// The `[from, to)` runs drawn as cells.
    pub fn cell_runs(&self) -> impl Iterator<Item = (i64, i64)> + '_ {
        self.pieces.iter().filter_map(|p| match *p {
            Piece::Cells { from, to } => Some((from, to)),
            Piece::Gap { .. } => None,
        })
    }

    /// Whether `offset`'s record is drawn as a cell.
    pub fn shows_cell(&self, offset: i64) -> bool {
        self.cell_runs()
            .any(|(from, to)| offset >= from && offset < to)
    }
}

/// Fits a lane's axis over `[log_start, log_end)` so that every offset in `interests` has
/// cells around it where there is room.
pub fn lane_axis(log_start: i64, log_end: i64, interests: &[i64], sizes: AxisSizes) -> LaneAxis {
    let log_end = log_end.max(log_start);
    let fit = |pieces: Vec<Piece>, cell_w_px: f64| LaneAxis {
        pieces,
        cell_w_px,
        gap_w_px: sizes.gap_w_px,
    };
    let mut points: Vec<i64> = interests
        .iter()
        .map(|o| (*o).clamp(log_start, log_end))
        .collect();
    crate::sort::sort(&mut points);
    points.dedup();
    let lowest = points.first().copied().unwrap_or(log_end).min(log_end);
    // Everything fits in one run of cells that ends at the log end.
    let all_cells = (sizes.width_px / sizes.cell_w_px).floor() as i64;
    if log_end - log_start <= all_cells {
        return fit(
            vec![Piece::Cells {
                from: log_start,
                to: log_end,
            }],
            sizes.cell_w_px,
        );
    }
    let after_gap = ((sizes.width_px - sizes.gap_w_px) / sizes.cell_w_px).floor() as i64;
    if log_end - lowest <= after_gap {
        let from = log_end - after_gap;
        return fit(
            vec![
                Piece::Gap {
                    from: log_start,
                    to: from,
                },
                Piece::Cells { from, to: log_end },
            ],
            sizes.cell_w_px,
        );
    }
    // Windows around every point and before the end, merged where they nearly touch.
    let mut windows: Vec<(i64, i64)> = points
        .iter()
        .map(|p| {
            (
                (p - CONTEXT_CELLS).max(log_start),
                (p + CONTEXT_CELLS).min(log_end),
            )
        })
        .chain(std::iter::once((
            (log_end - END_CELLS).max(log_start),
            log_end,
        )))
        .filter(|(from, to)| to > from)
        .collect();
    crate::sort::sort(&mut windows);
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for (from, to) in windows {
        match merged.last_mut() {
            Some((_, last_to)) if from - *last_to < MIN_GAP_RECORDS => {
                *last_to = (*last_to).max(to)
            }
            _ => merged.push((from, to)),
        }
    }
    // Too many windows for the narrowest cells: fold the oldest into the gap before them.
    loop {
        let (cells, gaps) = units(&merged, log_start);
        if merged.len() <= 1
            || sizes.width_px - gaps as f64 * sizes.gap_w_px >= cells as f64 * sizes.min_cell_w_px
        {
            break;
        }
        merged.remove(0);
    }
    // Spare room widens the windows leftwards, the newest first.
    loop {
        let (cells, gaps) = units(&merged, log_start);
        let room =
            ((sizes.width_px - gaps as f64 * sizes.gap_w_px) / sizes.cell_w_px).floor() as i64;
        let mut spare = room - cells;
        if spare <= 0 {
            break;
        }
        let mut grew = false;
        for i in (0..merged.len()).rev() {
            let floor = if i == 0 { log_start } else { merged[i - 1].1 };
            let take = spare.min(merged[i].0 - floor);
            if take > 0 {
                merged[i].0 -= take;
                spare -= take;
                grew = true;
            }
            if spare == 0 {
                break;
            }
        }
        // Windows that now touch become one (which frees a gap's width for the next round).
        let before = merged.len();
        let mut joined: Vec<(i64, i64)> = Vec::new();
        for (from, to) in merged.drain(..) {
            match joined.last_mut() {
                Some((_, last_to)) if from <= *last_to => *last_to = (*last_to).max(to),
                _ => joined.push((from, to)),
            }
        }
        merged = joined;
        if !grew && merged.len() == before {
            break;
        }
    }
    let (cells, gaps) = units(&merged, log_start);
    let cell_w_px = ((sizes.width_px - gaps as f64 * sizes.gap_w_px) / cells.max(1) as f64)
        .clamp(sizes.min_cell_w_px.min(sizes.cell_w_px), sizes.cell_w_px);
    let mut pieces = Vec::new();
    let mut cursor = log_start;
    for (from, to) in merged {
        if from > cursor {
            pieces.push(Piece::Gap {
                from: cursor,
                to: from,
            });
        }
        pieces.push(Piece::Cells { from, to });
        cursor = to;
    }
    if cursor < log_end {
        pieces.push(Piece::Gap {
            from: cursor,
            to: log_end,
        });
    }
    fit(pieces, cell_w_px)
}

/// The cells and gaps the windows need (a gap before each window that does not start at
/// the previous one's end or at the log start).
fn units(windows: &[(i64, i64)], log_start: i64) -> (i64, i64) {
    let cells = windows.iter().map(|(from, to)| to - from).sum();
    let mut gaps = 0;
    let mut cursor = log_start;
    for (from, to) in windows {
        if *from > cursor {
            gaps += 1;
        }
        cursor = *to;
    }
    (cells, gaps)
}

/// The free spans of a track `[left, right]` with marks at `marks` (x positions), each kept
/// `pad_px` clear of the marks: after the last mark, before the first, then between each two
/// neighbours, in that order of preference.
fn free_spans(left: f64, right: f64, marks: &[f64], pad_px: f64) -> Vec<(f64, f64)> {
    let mut xs: Vec<f64> = marks.iter().copied().filter(|x| x.is_finite()).collect();
    xs.sort_by(|a, b| a.total_cmp(b));
    let (Some(&first), Some(&last)) = (xs.first(), xs.last()) else {
        return vec![(left, right)];
    };
    let mut spans = vec![(last + pad_px, right), (left, first - pad_px)];
    spans.extend(xs.windows(2).map(|w| (w[0] + pad_px, w[1] - pad_px)));
    spans
}

/// Where a label of `label_w_px` goes on a track `[left, right]` with marks at `marks`:
/// after the marks if it fits, else before them, else in the widest space between two
/// neighbouring marks that holds it (centred there), else as far left as the track allows.
/// Returns the label's left x.
pub fn place_label(left: f64, right: f64, marks: &[f64], label_w_px: f64, pad_px: f64) -> f64 {
    let spans = free_spans(left, right, marks, pad_px);
    if let Some(&(from, to)) = spans
        .get(..2)
        .into_iter()
        .flatten()
        .find(|(from, to)| to - from >= label_w_px)
    {
        // After the marks the label starts at them; before them it ends at them.
        return if spans.first() == Some(&(from, to)) {
            from
        } else {
            to - label_w_px
        };
    }
    let between = spans
        .iter()
        .skip(2)
        .filter(|(from, to)| to - from >= label_w_px)
        .max_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)));
    match between {
        Some(&(from, to)) => (from + to - label_w_px) / 2.0,
        None => {
            let first = spans.get(1).map_or(left, |s| s.1 + pad_px);
            (first + pad_px).min(right - label_w_px).max(left)
        }
    }
}

/// The widest label [`place_label`] can fit without covering a mark.
pub fn label_room(left: f64, right: f64, marks: &[f64], pad_px: f64) -> f64 {
    free_spans(left, right, marks, pad_px)
        .iter()
        .map(|(from, to)| to - from)
        .fold(0.0, f64::max)
}

/// A short count for a gap: `7`, `950`, `12k`, `3.4M`.
pub fn short_count(n: i64) -> String {
    match n {
        n if n < 1_000 => n.to_string(),
        n if n < 10_000 => format!("{:.1}k", n as f64 / 1_000.0),
        n if n < 1_000_000 => format!("{}k", n / 1_000),
        n => format!("{:.1}M", n as f64 / 1_000_000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZES: AxisSizes = AxisSizes {
        width_px: 540.0,
        cell_w_px: 54.0,
        min_cell_w_px: 24.0,
        gap_w_px: 36.0,
    };

    fn is_monotonic(axis: &LaneAxis, from: i64, to: i64) -> bool {
        (from..to).all(|o| axis.x_of(o) <= axis.x_of(o + 1))
    }

    #[test]
    fn a_short_log_is_drawn_whole() {
        let axis = lane_axis(0, 7, &[0, 3, 7], SIZES);
        assert_eq!(axis.pieces, vec![Piece::Cells { from: 0, to: 7 }]);
        assert_eq!(axis.x_of(3), 3.0 * 54.0);
    }

    #[test]
    fn readers_near_the_end_see_the_last_cells_and_the_start_as_a_gap() {
        let axis = lane_axis(0, 100, &[95, 99], SIZES);
        assert_eq!(axis.pieces[0], Piece::Gap { from: 0, to: 91 });
        assert_eq!(axis.pieces[1], Piece::Cells { from: 91, to: 100 });
        assert!(axis.width_px() <= SIZES.width_px);
    }

    #[test]
    fn a_rewound_reader_keeps_cells_around_it_and_the_end_stays_in_view() {
        let axis = lane_axis(0, 400, &[3, 400], SIZES);
        assert!(
            axis.shows_cell(2) && axis.shows_cell(3),
            "{:?}",
            axis.pieces
        );
        assert!(axis.shows_cell(399), "{:?}", axis.pieces);
        assert!(axis.pieces.iter().any(|p| matches!(p, Piece::Gap { .. })));
        assert!(axis.width_px() <= SIZES.width_px + 1e-9);
        assert!(is_monotonic(&axis, 0, 400));
        assert!(axis.x_of(3) < axis.x_of(200) && axis.x_of(200) < axis.x_of(399));
    }

    #[test]
    fn the_log_start_after_retention_is_the_left_end() {
        let axis = lane_axis(1_000, 1_500, &[1_200], SIZES);
        assert_eq!(axis.x_of(1_000), 0.0);
        assert!(matches!(axis.pieces[0], Piece::Gap { from: 1_000, .. }));
        assert!(axis.shows_cell(1_200) && axis.shows_cell(1_499));
    }

    #[test]
    fn many_scattered_readers_never_overflow_the_lane() {
        let points: Vec<i64> = (0..40).map(|i| i * 25_000).collect();
        let axis = lane_axis(0, 1_000_000, &points, SIZES);
        assert!(
            axis.width_px() <= SIZES.width_px + 1e-9,
            "{}",
            axis.width_px()
        );
        assert!(axis.cell_w_px >= SIZES.min_cell_w_px);
        assert!(axis.shows_cell(999_999), "the log end stays drawn");
        let drawn: i64 = axis.cell_runs().map(|(f, t)| t - f).sum();
        assert!(drawn <= (SIZES.width_px / SIZES.min_cell_w_px) as i64);
        assert!(is_monotonic(&axis, 0, 1_000_000));
    }

    #[test]
    fn offsets_past_the_log_are_clamped_to_its_ends() {
        let axis = lane_axis(10, 20, &[-5, 50], SIZES);
        assert_eq!(axis.x_of(5), 0.0);
        assert_eq!(axis.x_of(25), axis.x_of(20));
        let empty = lane_axis(0, 0, &[], SIZES);
        assert_eq!(empty.width_px(), 0.0);
        assert_eq!(empty.x_of(0), 0.0);
    }

    #[test]
    fn a_label_goes_after_the_marks_then_before_them_then_inside() {
        assert_eq!(place_label(0.0, 500.0, &[100.0, 120.0], 80.0, 6.0), 126.0);
        assert_eq!(place_label(0.0, 500.0, &[440.0, 480.0], 80.0, 6.0), 354.0);
        let between = place_label(0.0, 200.0, &[10.0, 190.0], 150.0, 6.0);
        assert_eq!(between, 25.0);
        assert_eq!(label_room(0.0, 200.0, &[10.0, 190.0], 6.0), 168.0);
        let cramped = place_label(0.0, 200.0, &[10.0, 190.0], 190.0, 6.0);
        assert!(cramped >= 0.0 && cramped + 190.0 <= 200.0);
    }

    #[test]
    fn a_label_between_marks_never_covers_the_one_in_the_middle() {
        // Committed and processed close together, fetched far ahead (a fast poll, a slow
        // application): the label goes into the wide space between them, clear of all three.
        let marks = [20.0, 150.0, 190.0];
        let x = place_label(0.0, 200.0, &marks, 100.0, 6.0);
        assert!(
            marks.iter().all(|&m| m < x - 1.0 || m > x + 101.0),
            "label at {x}"
        );
        assert_eq!(label_room(0.0, 200.0, &marks, 6.0), 118.0);
        // Marks in any order.
        assert_eq!(
            place_label(0.0, 200.0, &[190.0, 20.0, 150.0], 100.0, 6.0),
            x
        );
    }

    #[test]
    fn gap_counts_are_short() {
        assert_eq!(short_count(950), "950");
        assert_eq!(short_count(1_200), "1.2k");
        assert_eq!(short_count(45_000), "45k");
        assert_eq!(short_count(3_400_000), "3.4M");
    }
}
