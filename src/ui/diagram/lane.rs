//! One partition drawn in full: its record cells (a window of the log, with gaps for what
//! lies between), its log start and end, and under the cells a track per reader with
//! ▲ processed, ┃ fetched and ▼ its group's committed offset. A component whose props are
//! plain values, so a lane whose records and readers did not change is not drawn again.

use yew::prelude::*;

use super::super::palette::{key_colour, short};
use super::super::state::Selection;
use super::{
    label_width, AXIS_SIZES, AXIS_W, CELLS_TOP, CELL_GAP, CELL_H, CELL_W, LANE_LABEL_W, TOPIC_W,
    TOPIC_X, TRACKS_TOP, TRACK_H,
};
use crate::engine::TopicPartition;
use crate::read::lane::{label_room, place_label, short_count, LaneAxis, Piece};
use crate::read::scene::Track;

/// One record cell of a lane.
#[derive(Clone, PartialEq)]
pub struct CellView {
    pub offset: i64,
    pub key: Option<std::sync::Arc<str>>,
    pub value: Option<std::sync::Arc<str>>,
    /// Written by the step shown.
    pub fresh: bool,
    /// A waiting record that reached the log recently (`read::producer_retry::landings`).
    pub landed: bool,
    /// Fetched in the step shown, by this client.
    pub read_by: Option<String>,
    /// The colour of the reader that just fetched it, or the cell's usual stroke.
    pub stroke: &'static str,
    pub selected: bool,
}

/// One reader's track with the colour of its consumer.
#[derive(Clone, PartialEq)]
pub struct TrackView {
    pub track: Track,
    /// Its reader's colour (the page's text colour for a track without a reader).
    pub colour: &'static str,
    /// Its reader's `isolation.level`, shown on a lane that transactions wrote to.
    pub isolation: Option<&'static str>,
}

#[derive(Properties, PartialEq)]
pub struct LaneProps {
    pub tp: TopicPartition,
    /// The lane's top.
    pub y: i64,
    pub height: i64,
    pub start: i64,
    pub end: i64,
    /// Records the log holds between its start and its end.
    pub held: usize,
    pub axis: LaneAxis,
    pub cells: Vec<CellView>,
    pub tracks: Vec<TrackView>,
    pub selected: bool,
    pub highlighted: bool,
    /// What retention, the cleaner or DeleteRecords just removed.
    pub removed: Option<String>,
    /// Where the user has scrolled the lane to, if they have.
    pub focus: Option<i64>,
    pub onselect: Callback<Option<Selection>>,
    /// Scrolls the lane to an offset, or back to following its readers (`None`).
    pub onfocus: Callback<(TopicPartition, Option<i64>)>,
    /// Markers, open and aborted records and the LSO, when transactions wrote here.
    #[prop_or_default]
    pub txn: Option<crate::read::txn::LaneTxn>,
    /// The share groups reading the partition (KIP-932), drawn under the reader tracks.
    #[prop_or_default]
    pub share: Vec<super::share::ShareLaneView>,
    /// The partition's replicas, when a cluster of brokers is drawn.
    #[prop_or_default]
    pub replicas: Option<super::brokers::LaneReplicas>,
    /// Records a truncation just cut from this partition, drawn leaving the lane.
    #[prop_or_default]
    pub departures: Vec<crate::read::cluster::Departure>,
}

/// What a track's label says: the long form when it fits the lane, else the short one.
fn track_label(track: &Track, isolation: Option<&str>, room_px: f64) -> String {
    let mut long = Vec::new();
    let mut brief = Vec::new();
    let who = match &track.reader {
        Some((c, _)) if *c != track.name => format!("{c} ({})", track.name),
        Some((c, _)) => c.clone(),
        None => track.name.clone(),
    };
    let who = match isolation {
        Some(level) => format!("{who} [{level}]"),
        None => who,
    };
    if let Some(ticks) = track.unowned_ticks {
        let seconds = ticks as f64 * crate::engine::time::MS_PER_TICK as f64 / 1000.0;
        long.push(format!("no owner for {seconds:.1} s"));
        brief.push(format!("⚠{seconds:.1}s"));
    }
    if let Some((_, o)) = &track.reader {
        long.push(format!("processed {}", o.processed_to));
        long.push(format!("fetched {}", o.fetched_to));
        brief.push(format!("▲{}", o.processed_to));
        brief.push(format!("┃{}", o.fetched_to));
    }
    if let (Some(c), true) = (track.committed, track.group.is_some()) {
        long.push(format!("committed {c}"));
        brief.push(format!("▼{c}"));
    }
    let long = format!("{who}: {}", long.join(" · "));
    if label_width(&long) <= room_px {
        long
    } else {
        let name = track.reader.as_ref().map_or(&track.name, |(c, _)| c);
        let level = match isolation {
            Some("read_committed") => " [RC]",
            Some(_) => " [RU]",
            None => "",
        };
        format!("{}{level} {}", short(name, 12), brief.join(" "))
    }
}

/// A short label for a key that fits its record's cell: whole if short, else its start and
/// its last `-` part (`customer-42` becomes `cus…42`, `order-1001` becomes `…1001`).
fn key_label(key: Option<&str>) -> String {
    match key {
        None => "∅".into(),
        Some(k) if k.chars().count() <= 6 => k.to_string(),
        Some(k) => match k.rsplit_once('-') {
            Some((head, tail)) if !tail.is_empty() && tail.chars().count() <= 4 => {
                let head_chars = 5 - tail.chars().count();
                let head = if head_chars < 2 { "" } else { head };
                format!(
                    "{}…{tail}",
                    head.chars().take(head_chars).collect::<String>()
                )
            }
            _ => short(k, 6),
        },
    }
}

#[function_component(Lane)]
pub fn lane(props: &LaneProps) -> Html {
    let LaneProps {
        tp,
        y,
        height: lane_h,
        start,
        end,
        held,
        axis,
        focus,
        ..
    } = props;
    let (y, lane_h, start, end, held, focus) = (*y, *lane_h, *start, *end, *held, *focus);
    let select = |s: Selection| {
        let onselect = props.onselect.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            onselect.emit(Some(s.clone()));
        })
    };
    let scroll_step = (AXIS_W / (CELL_W + CELL_GAP) / 2).max(1);
    let onlanekey = {
        let (onselect, onfocus, tp) = (props.onselect.clone(), props.onfocus.clone(), tp.clone());
        let here = focus.unwrap_or((end - 2 * scroll_step).max(start));
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" | " " => {
                e.prevent_default();
                e.stop_propagation();
                onselect.emit(Some(Selection::Partition(tp.clone())));
            }
            "ArrowLeft" | "ArrowRight" => {
                e.prevent_default();
                e.stop_propagation();
                let step = if e.key() == "ArrowLeft" {
                    -scroll_step
                } else {
                    scroll_step
                };
                onfocus.emit((tp.clone(), Some((here + step).clamp(start, end))));
            }
            "Escape" if focus.is_some() => {
                e.stop_propagation();
                onfocus.emit((tp.clone(), None));
            }
            _ => {}
        })
    };
    let onfollow = {
        let (onfocus, tp) = (props.onfocus.clone(), tp.clone());
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            onfocus.emit((tp.clone(), None));
        })
    };
    let cells_x = (TOPIC_X + LANE_LABEL_W) as f64;
    let x_of = |offset: i64| cells_x + axis.x_of(offset);
    let cell_w = axis.cell_w_px;
    let narrow = cell_w < (CELL_W + CELL_GAP) as f64 * 0.75;
    let cells = props.cells.iter().map(|r| {
        let key = r.key.as_deref();
        let tombstone = r.value.is_none();
        let w = (cell_w - CELL_GAP as f64).max(4.0);
        html! {
            <g key={r.offset} class={classes!("record", r.fresh.then_some("fresh"), r.landed.then_some("landed"), r.read_by.is_some().then_some("just-read"), tombstone.then_some("tombstone"), r.selected.then_some("selected"), narrow.then_some("narrow"))}
               data-offset={r.offset.to_string()} data-key={key.unwrap_or("").to_string()}
               transform={format!("translate({:.1},{})", x_of(r.offset) + CELL_GAP as f64 / 2.0, y + CELLS_TOP)} onclick={select(Selection::Record(tp.clone(), r.offset))}>
                <title>{format!("{tp} offset {}: key {}, value {}", r.offset, key.unwrap_or("null"), r.value.as_deref().unwrap_or("null (tombstone)"))}</title>
                <rect width={format!("{w:.1}")} height={CELL_H.to_string()} rx="6" style={format!("fill:{};stroke:{}", key_colour(key), r.stroke)} />
                <text x={format!("{:.1}", w / 2.0)} y="17" class={classes!("offset", (r.offset >= 10_000).then_some("long"), (r.offset >= 1_000_000).then_some("longer"))}>{r.offset}</text>
                if !narrow {
                    <text x={format!("{:.1}", w / 2.0)} y="33" class="key">{key_label(key)}</text>
                }
            </g>
        }
    });
    // The records a broken axis leaves out, one gap each.
    let gaps = axis
        .pieces
        .iter()
        .filter_map(|piece| match *piece {
            Piece::Gap { from, to } => Some((from, to)),
            Piece::Cells { .. } => None,
        })
        .map(|(from, to)| {
            let x = x_of(from);
            let onclick = {
                let (onfocus, tp) = (props.onfocus.clone(), tp.clone());
                Callback::from(move |e: MouseEvent| {
                    e.stop_propagation();
                    onfocus.emit((tp.clone(), Some(from + (to - from) / 2)));
                })
            };
            html! {
                <g key={format!("gap-{from}")} class="gap" data-gap-from={from.to_string()} data-gap-to={to.to_string()} transform={format!("translate({x:.1},{})", y + CELLS_TOP)} {onclick}>
                    <title>{format!("Offsets {from} to {}: {} record(s) not drawn. Click to look inside; ← → on the lane scroll it.", to - 1, to - from)}</title>
                    <rect x="3" width={(AXIS_SIZES.gap_w_px - 6.0).to_string()} height={CELL_H.to_string()} rx="6" />
                    <text x={(AXIS_SIZES.gap_w_px / 2.0).to_string()} y="18" class="gap-dots">{"⋯"}</text>
                    <text x={(AXIS_SIZES.gap_w_px / 2.0).to_string()} y="33" class="gap-count">{short_count(to - from)}</text>
                </g>
            }
        });
    // One track per reader: ▲ processed, ┃ fetched (its position), ▼ its group's commit.
    let left = cells_x;
    let right = (TOPIC_X + TOPIC_W - 6) as f64;
    let track_rows = props.tracks.iter().enumerate().map(|(i, TrackView { track, colour, isolation })| {
        let ty = y + TRACKS_TOP + TRACK_H * i as i64;
        let colour = *colour;
        let mut xs: Vec<f64> = Vec::new();
        let reader_marks = track.reader.as_ref().map(|(c, o)| {
            let (xp, xf) = (x_of(o.processed_to), x_of(o.fetched_to));
            xs.extend([xp, xf]);
            html! {
                <>
                <rect class="in-flight" x={format!("{:.1}", xp.min(xf))} y={(ty + 8).to_string()} width={format!("{:.1}", (xf - xp).abs())} height="4" />
                <g key={format!("processed-{c}")} class="mark processed" data-kind="processed" data-offset={o.processed_to.to_string()} transform={format!("translate({xp:.1},{ty})")}>
                    <title>{format!("{c} has processed {tp} up to offset {} ({} fetched and waiting)", o.processed_to, o.fetched_unprocessed())}</title>
                    <path d="M -6 18 L 6 18 L 0 9 Z" />
                </g>
                <g key={format!("fetched-{c}")} class="mark fetched" data-kind="fetched" data-offset={o.fetched_to.to_string()} transform={format!("translate({xf:.1},{ty})")}>
                    <title>{format!("{c} position on {tp}: {} (the next offset a poll returns)", o.fetched_to)}</title>
                    <rect x="-1.5" y="0" width="3" height="18" />
                </g>
                </>
            }
        });
        let committed_mark = track.committed.filter(|_| track.group.is_some()).map(|offset| {
            let x = x_of(offset);
            xs.push(x);
            let group = track.group.clone().unwrap_or_default();
            html! {
                <g key={format!("committed-{group}")} class="mark committed" data-kind="committed" data-group={group.clone()} data-committed={offset.to_string()} data-offset={offset.to_string()} transform={format!("translate({x:.1},{ty})")}>
                    <title>{format!("Group {group} committed offset {offset} on {tp}")}</title>
                    <path d="M -6 0 L 6 0 L 0 9 Z" />
                </g>
            }
        });
        if xs.is_empty() {
            xs.push(left);
        }
        let text = track_label(track, *isolation, label_room(left, right, &xs, 10.0));
        let width = label_width(&text);
        let label_x = place_label(left, right, &xs, width, 10.0);
        let consumer = track.reader.as_ref().map(|(c, _)| c.clone()).unwrap_or_default();
        let position = track.reader.as_ref().map(|(_, o)| o.fetched_to.to_string());
        let processed = track.reader.as_ref().map(|(_, o)| o.processed_to.to_string());
        let orphan = track.unowned_ticks.is_some();
        html! {
            <g key={format!("track-{}", track.name)} class={classes!("track", orphan.then_some("unowned"))} data-track={track.name.clone()} data-consumer={consumer} data-group={track.group.clone().unwrap_or_default()}
               data-position={position} data-processed={processed} data-committed={track.committed.map(|c| c.to_string())}
               data-unowned-ticks={track.unowned_ticks.map(|t| t.to_string())} style={format!("--c:{colour}")}>
                <line class="track-line" x1={format!("{left:.1}")} x2={format!("{:.1}", x_of(end))} y1={(ty + 10).to_string()} y2={(ty + 10).to_string()} />
                <g class="marks">{ for reader_marks }{ for committed_mark }</g>
                <g class="label-pos" transform={format!("translate({label_x:.1},{})", ty + 14)}>
                    <rect class="label-bg" x="-3" y="-11" width={format!("{:.1}", width + 6.0)} height="14" rx="3" />
                    <text class="marker-label" textLength={format!("{width:.1}")} lengthAdjust="spacingAndGlyphs">{text}</text>
                </g>
            </g>
        }
    });
    let p = tp.partition;
    html! {
        <g class={classes!("lane", props.selected.then_some("selected"), props.highlighted.then_some("highlight"))} data-partition={tp.to_string()}
           data-log-start-offset={start.to_string()} data-log-end-offset={end.to_string()}>
            <rect class="lane-bg" x={TOPIC_X.to_string()} y={y.to_string()} width={TOPIC_W.to_string()} height={lane_h.to_string()} rx="8"
                  onclick={select(Selection::Partition(tp.clone()))} tabindex="0" role="button"
                  aria-label={format!("Partition {tp}: log start {start}, log end {end}; arrow keys scroll its records")} onkeydown={onlanekey} />
            <text x={(TOPIC_X + 10).to_string()} y={(y + 30).to_string()} class="lane-label">{format!("P{p}")}</text>
            <text x={(TOPIC_X + 8).to_string()} y={(y + 46).to_string()} class="lane-meta lane-start">{format!("from {}", if start < 1_000 { start.to_string() } else { short_count(start) })}<title>{format!("Log start offset {start}")}</title></text>
            <g class="gaps">{ for gaps }</g>
            <g class="cells">{ for cells }</g>
            if let Some(txn) = props.txn.as_ref() {
                { super::txn::lane_overlay(txn, &x_of, y, lane_h, cell_w) }
            }
            if let Some(text) = props.removed.clone().filter(|_| props.departures.is_empty()) {
                <text class="removed-note" x={(TOPIC_X + LANE_LABEL_W + 8).to_string()} y={(y + 34).to_string()}>{text}</text>
            }
            <g class="log-end" transform={format!("translate({:.1},{})", x_of(end), y)}>
                <line x1="-2" y1={CELLS_TOP.to_string()} x2="-2" y2={(CELLS_TOP + CELL_H).to_string()} />
                <title>{format!("Log end offset {end}; {held} record(s) held")}</title>
                <text x="4" y="26" class="lane-meta">{format!("end {}", if end < 100_000 { end.to_string() } else { short_count(end) })}</text>
                <text x="4" y="42" class="lane-meta">{format!("{} rec", short_count(held as i64))}</text>
            </g>
            <g class="tracks">{ for track_rows }</g>
            if !props.share.is_empty() {
                { super::share::lane_rows(&props.share, tp, axis, cells_x, y, TRACKS_TOP + TRACK_H * props.tracks.len() as i64) }
            }
            if let Some(r) = &props.replicas {
                { super::brokers::lane_overlay(r, y, lane_h, end, &x_of) }
            }
            { departures(&props.departures, tp, x_of(end), cell_w, y) }
            if let Some(f) = focus {
                <g class="lane-focus" data-focus={f.to_string()} onclick={onfollow} transform={format!("translate({},{})", TOPIC_X + 8, y + lane_h - 10)}>
                    <title>{"Back to following the readers and the log end (Esc)"}</title>
                    <text class="follow">{"⟲ follow"}</text>
                </g>
            }
        </g>
    }
}

/// The records the latest truncation cut, drawn as struck-through ghosts in a row just after
/// the log end and its label (they fly up and fade where motion is allowed; the static form
/// stays under reduced motion), with a line under them naming them and who cut them.
fn departures(
    departures: &[crate::read::cluster::Departure],
    tp: &TopicPartition,
    end_x: f64,
    cell_w: f64,
    y: i64,
) -> Html {
    /// Room for the log end's `end N` beside its line.
    const END_LABEL_W: f64 = 44.0;
    /// The note's characters are 13 px monospace.
    const NOTE_CHAR_W: f64 = 7.9;
    let Some(d) = departures.last() else {
        return html! {};
    };
    let left = (TOPIC_X + LANE_LABEL_W) as f64;
    let right = (TOPIC_X + TOPIC_W) as f64 - 6.0;
    let w = (cell_w - CELL_GAP as f64).max(4.0);
    let n = d.records.len().min(((right - left) / cell_w) as usize);
    // After the log end, pulled left as far as the lane needs to hold them.
    let first_x = (end_x + END_LABEL_W)
        .min(right - n as f64 * cell_w)
        .max(left);
    let ghosts = d.records.iter().take(n).enumerate().map(|(i, r)| {
        let key = r.key.as_deref();
        let x = first_x + i as f64 * cell_w;
        html! {
            <g key={r.offset} class="leaving-record" data-offset={r.offset.to_string()} data-key={key.unwrap_or("").to_string()}
               data-value={r.value.as_deref().unwrap_or("").to_string()} transform={format!("translate({x:.1},{})", y + CELLS_TOP)}>
                <title>{format!("{tp} offset {} ({}) left the log", r.offset, crate::read::cluster::Departure::record_name(r))}</title>
                <g class="leaving-body" style={format!("animation-delay:{}ms", i * 120)}>
                    <rect width={format!("{w:.1}")} height={CELL_H.to_string()} rx="6" style={format!("fill:{}", key_colour(key))} />
                    <text x={format!("{:.1}", w / 2.0)} y="17" class="offset">{r.offset}</text>
                    <text x={format!("{:.1}", w / 2.0)} y="33" class="key">{key_label(key)}</text>
                    <line class="strike" x1="3" y1={(CELL_H - 6).to_string()} x2={format!("{:.1}", w - 3.0)} y2="6" pathLength="1" />
                </g>
            </g>
        }
    });
    let cause = match d.cause {
        crate::read::cluster::DepartureCause::ReplicaCut { .. } => "replica-cut",
        crate::read::cluster::DepartureCause::NewLeader { .. } => "new-leader",
    };
    // Under the cells, from the ghosts on, or ending at the lane's edge when it is long.
    let label = d.label();
    let width = (label.chars().count() as f64 * NOTE_CHAR_W).min(right - left);
    let x = first_x.min(right - width).max(left);
    let ny = y + TRACKS_TOP + 2;
    html! {
        <g key={format!("departure-{}-{cause}", d.step)} class="departure" data-partition={tp.to_string()} data-cause={cause}
           data-from={d.offsets.0.to_string()} data-to={d.offsets.1.to_string()}>
            { for ghosts }
            <g class="lost-note" transform={format!("translate({x:.1},{ny})")}>
                <rect class="note-bg" x="-4" y="0" width={format!("{:.1}", width + 8.0)} height="19" rx="4" />
                <text x="0" y="14" textLength={format!("{width:.1}")} lengthAdjust="spacingAndGlyphs">{label}</text>
            </g>
        </g>
    }
}
