//! The cluster drawn as one SVG: producers on the left, topics and their partitions as
//! lanes of records in the middle, consumer groups on the right, and a coloured link from
//! every partition to the consumer that owns it. Only a window of each lane is drawn, so
//! the cost of a frame does not grow with the log.

use std::collections::BTreeMap;

use yew::prelude::*;

use super::palette::{consumer_colour, key_colour, short};
use super::state::Selection;
use crate::engine::{Consumer, Engine, Event, TopicPartition};
use crate::read::lane::{
    label_room, lane_axis, place_label, short_count, AxisSizes, LaneAxis, Piece,
};
use crate::read::{
    group_lag_total, group_phase, reader_offsets, reader_status, unowned_for_ticks, Membership,
    ProcessState, ReaderOffsets, RebalanceProtocol,
};

const WIDTH: i64 = 1120;
const PRODUCER_X: i64 = 8;
const PRODUCER_W: i64 = 136;
const TOPIC_X: i64 = 176;
const TOPIC_W: i64 = 640;
const LANE_LABEL_W: i64 = 58;
const LANE_END_W: i64 = 64;
/// A lane's height without reader tracks; each reader track adds [`TRACK_H`].
const LANE_H: i64 = 84;
/// The record cells' top, from the lane's top.
const CELLS_TOP: i64 = 8;
const CELL_H: i64 = 42;
/// The first reader track's top, from the lane's top.
const TRACKS_TOP: i64 = CELLS_TOP + CELL_H + 6;
const TRACK_H: i64 = 20;
/// Marker labels are monospace at this size, and `textLength` holds each to its estimate.
const LABEL_CHAR_W: f64 = 6.8;
const LANE_GAP: i64 = 6;
const TOPIC_HEADER_H: i64 = 34;
const TOPIC_GAP: i64 = 26;
const CELL_W: i64 = 50;
const CELL_GAP: i64 = 4;
const GROUP_X: i64 = 862;
const GROUP_W: i64 = 254;
const GROUP_HEADER_H: i64 = 52;
const CONSUMER_H: i64 = 44;
const GROUP_GAP: i64 = 22;
/// When the groups would make the drawing taller than its lanes do, each consumer is one
/// line (name and status side by side) and groups sit closer, so the drawing is scaled
/// down less and its text stays legible.
const DENSE_CONSUMER_H: i64 = 30;
const DENSE_GROUP_GAP: i64 = 12;
const TOP: i64 = 16;

/// A scene with more partitions than this, or more consumers, is drawn as an overview:
/// thin lanes in two columns, topics that collapse to one row, consumers as chips.
const COMPACT_PARTITIONS: usize = 16;
const COMPACT_CONSUMERS: usize = 16;
/// A thin lane's height and the step from one to the next.
const THIN_H: i64 = 14;
const THIN_STEP: i64 = 15;
const COMPACT_HEADER_H: i64 = 25;
const SUMMARY_H: i64 = 22;
const COMPACT_TOPIC_GAP: i64 = 8;
const COMPACT_GROUP_HEADER_H: i64 = 20;
const CHIP_H: i64 = 17;
const CHIP_STEP: i64 = 19;
const CHIPS_PER_ROW: i64 = 3;
const COMPACT_GROUP_GAP: i64 = 5;

/// The width of a lane's axis, where record cells and gaps go.
const AXIS_W: i64 = TOPIC_W - LANE_LABEL_W - LANE_END_W;

/// How a lane's axis is fitted.
const AXIS_SIZES: AxisSizes = AxisSizes {
    width_px: AXIS_W as f64,
    cell_w_px: (CELL_W + CELL_GAP) as f64,
    min_cell_w_px: 26.0,
    gap_w_px: 34.0,
};

/// One row under a lane's cells: a group's reader (or a standalone reader) on that
/// partition, with its three offsets.
struct Track<'a> {
    /// The group, or the standalone reader's client id.
    name: String,
    /// The running consumer reading the partition for it, with its offsets.
    reader: Option<(&'a Consumer, ReaderOffsets)>,
    /// The group's committed offset on the partition.
    committed: Option<i64>,
    group: Option<String>,
    /// How long the group has had no reader on the partition (during a rebalance or a crash).
    unowned_ticks: Option<u64>,
}

/// The tracks of one partition: every group with an owner or a committed offset there,
/// then every standalone reader of it.
fn lane_tracks<'a>(engine: &'a Engine, tp: &TopicPartition) -> Vec<Track<'a>> {
    let offsets_of = |c: &'a Consumer| {
        reader_offsets(engine, c)
            .into_iter()
            .find(|o| o.partition == *tp)
            .map(|o| (c, o))
    };
    let mut tracks: Vec<Track<'a>> = engine
        .groups
        .values()
        .filter_map(|g| {
            let reader = engine
                .consumers
                .values()
                .filter(|c| c.group.as_deref() == Some(g.id.as_str()) && c.is_subscriber())
                .find_map(offsets_of);
            let committed = g.committed.get(tp).map(|c| c.offset);
            let unowned_ticks = unowned_for_ticks(engine, g, tp);
            (reader.is_some() || committed.is_some() || unowned_ticks.is_some()).then(|| Track {
                name: g.id.clone(),
                reader,
                committed,
                group: Some(g.id.clone()),
                unowned_ticks,
            })
        })
        .collect();
    tracks.extend(
        engine
            .consumers
            .values()
            .filter(|c| !c.is_subscriber())
            .filter_map(offsets_of)
            .map(|(c, o)| Track {
                name: c.client_id.clone(),
                committed: o.committed,
                group: c.group.clone(),
                reader: Some((c, o)),
                unowned_ticks: None,
            }),
    );
    tracks
}

/// The height of a lane with `tracks` reader tracks.
fn lane_height(tracks: usize) -> i64 {
    LANE_H.max(TRACKS_TOP + TRACK_H * tracks as i64 + 6)
}

/// What a track's label says: the long form when it fits the lane, else the short one.
fn track_label(track: &Track, room_px: f64) -> String {
    let mut long = Vec::new();
    let mut brief = Vec::new();
    let who = match &track.reader {
        Some((c, _)) if c.client_id != track.name => format!("{} ({})", c.client_id, track.name),
        Some((c, _)) => c.client_id.clone(),
        None => track.name.clone(),
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
        let name = track
            .reader
            .as_ref()
            .map_or(&track.name, |(c, _)| &c.client_id);
        format!("{} {}", short(name, 12), brief.join(" "))
    }
}

fn label_width(text: &str) -> f64 {
    text.chars().count() as f64 * LABEL_CHAR_W
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    /// Changes whenever the state does.
    pub version: u64,
    pub engine: std::rc::Rc<Engine>,
    /// The events of the step that led to the state shown (animated).
    pub events: std::rc::Rc<Vec<Event>>,
    pub selection: Option<Selection>,
    pub onselect: Callback<Option<Selection>>,
    /// Partitions travelling in a rebalance (`read::rebalance::handovers_in_flight`).
    #[prop_or_default]
    pub handovers: std::rc::Rc<Vec<crate::read::rebalance::Handover>>,
    /// Lesson highlights: `partition:orders-1`, `consumer:c1`, `group:g`, `topic:t`, `producer:p`.
    #[prop_or_default]
    pub highlight: std::rc::Rc<Vec<String>>,
}

/// A colour per consumer that stays for the session: from the order consumers were first
/// started, so removing one changes no other's colour.
pub fn consumer_colours(engine: &Engine) -> BTreeMap<String, &'static str> {
    engine
        .consumers
        .values()
        .map(|c| {
            (
                c.client_id.clone(),
                consumer_colour(c.started_rank as usize),
            )
        })
        .collect()
}

struct Layout {
    /// The top of every lane drawn in full (in an overview, only the partition selected).
    lane_y: BTreeMap<TopicPartition, i64>,
    /// Where links, flights and handovers meet a partition.
    anchor_y: BTreeMap<TopicPartition, i64>,
    /// The thin lanes of an overview: each partition's top-left corner.
    thin: BTreeMap<TopicPartition, (i64, i64)>,
    /// The baseline of each topic's header.
    header_y: BTreeMap<String, i64>,
    /// Where a collapsed topic's summary row sits.
    summary_y: BTreeMap<String, i64>,
    /// Each consumer's box: its top-left corner and width.
    consumer_box: BTreeMap<String, (i64, i64, i64)>,
    /// Each row of the groups column: its top and height.
    group_box: BTreeMap<String, (i64, i64)>,
    producer_y: BTreeMap<String, i64>,
    height: i64,
    compact: bool,
    /// Consumers drawn one line each (see [`DENSE_CONSUMER_H`]).
    dense: bool,
}

/// Whether the scene is large enough to be drawn as an overview. The scenes lessons use
/// are small and keep the full drawing.
fn is_compact(engine: &Engine) -> bool {
    let partitions: usize = engine
        .topics
        .values()
        .map(|t| t.n_partitions() as usize)
        .sum();
    partitions > COMPACT_PARTITIONS || engine.consumers.len() > COMPACT_CONSUMERS
}

/// How many rows a topic's thin lanes take: two columns from seven partitions on.
fn thin_rows(partitions: u32) -> i64 {
    let partitions = i64::from(partitions);
    if partitions > 6 {
        (partitions + 1) / 2
    } else {
        partitions
    }
}

/// The groups column: real groups plus standalone readers.
fn group_rows(engine: &Engine) -> Vec<(String, Vec<String>)> {
    let mut rows: BTreeMap<String, Vec<String>> =
        crate::sort::collect_map(engine.groups.keys().map(|g| (g.clone(), Vec::new())));
    let mut standalone = Vec::new();
    for c in engine.consumers.values() {
        match (&c.group, c.is_subscriber()) {
            (Some(g), true) => rows.entry(g.clone()).or_default().push(c.client_id.clone()),
            _ => standalone.push(c.client_id.clone()),
        }
    }
    let mut out: Vec<(String, Vec<String>)> = rows.into_iter().collect();
    if !standalone.is_empty() {
        out.push((String::new(), standalone));
    }
    out
}

fn layout(
    engine: &Engine,
    collapsed: &std::collections::BTreeSet<String>,
    detail: Option<&TopicPartition>,
) -> Layout {
    let compact = is_compact(engine);
    let mut y = TOP;
    let mut lane_y = BTreeMap::new();
    let mut anchor_y = BTreeMap::new();
    let mut thin = BTreeMap::new();
    let mut header_y = BTreeMap::new();
    let mut summary_y = BTreeMap::new();
    for topic in engine.topics.values() {
        if !compact {
            y += TOPIC_HEADER_H;
            header_y.insert(topic.name.clone(), y - TOPIC_HEADER_H + 22);
            for p in 0..topic.n_partitions() {
                let tp = TopicPartition::new(topic.name.clone(), p);
                let height = lane_height(lane_tracks(engine, &tp).len());
                anchor_y.insert(tp.clone(), y + LANE_H / 2);
                lane_y.insert(tp, y);
                y += height + LANE_GAP;
            }
            y += TOPIC_GAP;
            continue;
        }
        header_y.insert(topic.name.clone(), y + 18);
        y += COMPACT_HEADER_H;
        if collapsed.contains(&topic.name) {
            summary_y.insert(topic.name.clone(), y);
            for p in 0..topic.n_partitions() {
                anchor_y.insert(
                    TopicPartition::new(topic.name.clone(), p),
                    y + SUMMARY_H / 2,
                );
            }
            y += SUMMARY_H + COMPACT_TOPIC_GAP;
            continue;
        }
        let rows = thin_rows(topic.n_partitions());
        for p in 0..topic.n_partitions() {
            let tp = TopicPartition::new(topic.name.clone(), p);
            let (column, row) = (i64::from(p) / rows, i64::from(p) % rows);
            let top = y + row * THIN_STEP;
            thin.insert(tp.clone(), (TOPIC_X + column * (TOPIC_W / 2), top));
            anchor_y.insert(tp, top + THIN_H / 2);
        }
        y += rows * THIN_STEP;
        if let Some(tp) = detail.filter(|tp| tp.topic == topic.name && thin.contains_key(tp)) {
            y += 4;
            anchor_y.insert(tp.clone(), y + LANE_H / 2);
            lane_y.insert(tp.clone(), y);
            y += lane_height(lane_tracks(engine, tp).len());
        }
        y += COMPACT_TOPIC_GAP;
    }
    let topics_bottom = y;
    let rows = group_rows(engine);
    let full_height: i64 = rows
        .iter()
        .map(|(_, c)| GROUP_HEADER_H + c.len() as i64 * CONSUMER_H + GROUP_GAP)
        .sum();
    let dense = !compact && TOP + full_height > topics_bottom.max(200) + 40;
    let (consumer_h, group_gap) = if dense {
        (DENSE_CONSUMER_H, DENSE_GROUP_GAP)
    } else {
        (CONSUMER_H, GROUP_GAP)
    };
    // In an overview the groups start a little lower, clear of the column's title.
    let mut y = if compact { TOP + 6 } else { TOP };
    let mut consumer_box = BTreeMap::new();
    let mut group_box = BTreeMap::new();
    for (group, consumers) in rows {
        let top = y;
        if compact {
            y += COMPACT_GROUP_HEADER_H;
            let chip_w = (GROUP_W - 20 - 4 * (CHIPS_PER_ROW - 1)) / CHIPS_PER_ROW;
            let n = consumers.len() as i64;
            for (i, c) in consumers.into_iter().enumerate() {
                let (row, column) = (i as i64 / CHIPS_PER_ROW, i as i64 % CHIPS_PER_ROW);
                consumer_box.insert(
                    c,
                    (
                        GROUP_X + 10 + column * (chip_w + 4),
                        y + row * CHIP_STEP,
                        chip_w,
                    ),
                );
            }
            y += (n + CHIPS_PER_ROW - 1) / CHIPS_PER_ROW * CHIP_STEP;
            group_box.insert(group, (top, y - top));
            y += COMPACT_GROUP_GAP;
        } else {
            y += GROUP_HEADER_H;
            for c in consumers {
                consumer_box.insert(c, (GROUP_X + 10, y, GROUP_W - 20));
                y += consumer_h;
            }
            group_box.insert(group, (top, y - top));
            y += group_gap;
        }
    }
    let groups_bottom = y;
    let mut y = TOP + TOPIC_HEADER_H;
    let mut producer_y = BTreeMap::new();
    for name in engine.producers.keys() {
        producer_y.insert(name.clone(), y);
        y += 66;
    }
    Layout {
        lane_y,
        anchor_y,
        thin,
        header_y,
        summary_y,
        consumer_box,
        group_box,
        producer_y,
        height: topics_bottom.max(groups_bottom).max(y).max(200),
        compact,
        dense,
    }
}

/// Where a link meets a consumer's box.
fn consumer_anchor(layout: &Layout, client: &str) -> Option<(i64, i64)> {
    let (x, y, _) = layout.consumer_box.get(client)?;
    let h = if layout.compact {
        CHIP_H
    } else if layout.dense {
        DENSE_CONSUMER_H - 6
    } else {
        CONSUMER_H - 6
    };
    Some((*x, y + h / 2))
}

/// The lag of each group that reads `topic`, as `kafka-consumer-groups --describe` sums it
/// over the topic's partitions: log end minus committed offset; `None` before any commit.
fn topic_lags(engine: &Engine, topic: &crate::engine::Topic) -> Vec<(String, Option<i64>)> {
    engine
        .groups
        .values()
        .filter_map(|g| {
            let reads = engine.consumers.values().any(|c| {
                c.group.as_deref() == Some(g.id.as_str())
                    && c.assignment.iter().any(|tp| tp.topic == topic.name)
            });
            let mut lag: Option<i64> = None;
            for (p, log) in topic.partitions.iter().enumerate() {
                let tp = TopicPartition::new(topic.name.clone(), p as u32);
                if let Some(c) = g.committed.get(&tp) {
                    let behind = (log.log_end_offset() - c.offset).max(0);
                    lag = Some(lag.unwrap_or(0).saturating_add(behind));
                }
            }
            (reads || lag.is_some()).then(|| (g.id.clone(), lag))
        })
        .collect()
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let engine = &*props.engine;
    // The topics folded to one summary row (only in an overview of a large scene).
    let collapsed = use_reducer(FoldedTopics::default);
    let detail = match &props.selection {
        Some(Selection::Partition(tp)) | Some(Selection::Record(tp, _)) => Some(tp.clone()),
        _ => None,
    };
    let layout = layout(engine, &collapsed.0, detail.as_ref());
    // Where the user has scrolled a lane to (a gap clicked, arrow keys on a lane); a lane
    // without one follows its readers and its end.
    let lane_focus = use_state(BTreeMap::<TopicPartition, i64>::new);
    let set_focus = {
        let lane_focus = lane_focus.clone();
        move |tp: TopicPartition, offset: Option<i64>| {
            let mut next = (*lane_focus).clone();
            match offset {
                Some(o) => next.insert(tp, o),
                None => next.remove(&tp),
            };
            lane_focus.set(next);
        }
    };
    let lit = |kind: &str, name: &str| {
        props
            .highlight
            .iter()
            .any(|h| h.strip_prefix(kind).and_then(|r| r.strip_prefix(':')) == Some(name))
    };
    let colours = consumer_colours(engine);
    let select = |s: Selection| {
        let onselect = props.onselect.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            onselect.emit(Some(s.clone()));
        })
    };
    // Enter or space on a focused element selects it, as a click does.
    let select_key = |s: Selection| {
        let onselect = props.onselect.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                onselect.emit(Some(s.clone()));
            }
        })
    };

    // Which records the current step just wrote or read.
    let mut produced: Vec<(String, TopicPartition, i64)> = Vec::new();
    let mut just_read: BTreeMap<TopicPartition, Vec<(i64, i64, String)>> = BTreeMap::new();
    // What retention or the cleaner just removed, per partition.
    let mut removed: BTreeMap<TopicPartition, String> = BTreeMap::new();
    for event in props.events.iter() {
        match event {
            Event::RecordProduced {
                producer,
                partition,
                offset,
                ..
            } => produced.push((producer.clone(), partition.clone(), *offset)),
            Event::SegmentsDeleted {
                partition,
                records,
                new_log_start_offset,
                ..
            } => {
                removed.insert(partition.clone(), format!("✂ retention deleted {records} record(s): the log now starts at {new_log_start_offset}"));
            }
            Event::LogCompacted {
                partition,
                records_removed,
            } => {
                removed.insert(
                    partition.clone(),
                    format!("✂ compaction removed {records_removed} superseded record(s)"),
                );
            }
            Event::RecordsDeleted {
                partition,
                new_log_start_offset,
            } => {
                removed.insert(
                    partition.clone(),
                    format!("✂ records before {new_log_start_offset} deleted"),
                );
            }
            Event::RecordsFetched {
                client_id,
                partition,
                from_offset,
                to_offset,
            } => just_read.entry(partition.clone()).or_default().push((
                *from_offset,
                *to_offset,
                client_id.clone(),
            )),
            _ => {}
        }
    }

    let producers = engine.producers.values().map(|p| {
        let y = layout.producer_y[&p.name];
        let selected = props.selection == Some(Selection::Producer(p.name.clone()));
        let rate = p.stream.as_ref().map(|s| format!("{}/s → {}", crate::engine::consumer::format_thousandths(u64::from(s.millirecords_per_second)), s.topic));
        let meta = rate.unwrap_or_else(|| format!("{} sent", p.records_sent));
        // The accessible name starts with the text shown, so speech input can say what it sees.
        let label = format!("{} {meta}: producer {}", short(&p.name, 14), p.name);
        html! {
            <g key={format!("producer-{}", p.name)} class={classes!("producer", selected.then_some("selected"), lit("producer", &p.name).then_some("highlight"))} data-producer={p.name.clone()}
               transform={format!("translate({PRODUCER_X},{y})")} onclick={select(Selection::Producer(p.name.clone()))}
               tabindex="0" role="button" aria-label={label} onkeydown={select_key(Selection::Producer(p.name.clone()))}>
                <title>{format!("Producer {}: {} record(s) sent", p.name, p.records_sent)}</title>
                <rect width={PRODUCER_W.to_string()} height="56" rx="10" />
                // The space after the name separates it from the line below for assistive
                // technology, which reads the two lines as one text.
                <text x="12" y="22" class="name">{short(&p.name, 14)}{" "}</text>
                <text x="12" y="42" class="meta">{meta}</text>
            </g>
        }
    });

    let topics = engine.topics.values().map(|topic| {
        let header_y = layout.header_y.get(&topic.name).copied().unwrap_or(TOP + 22);
        let configs = topic.configs_line();
        let lanes = topic.partitions.iter().enumerate().map(|(p, log)| {
            let tp = TopicPartition::new(topic.name.clone(), p as u32);
            let Some(&y) = layout.lane_y.get(&tp) else { return html! {} };
            let start = log.log_start_offset();
            let end = log.log_end_offset();
            let tracks = lane_tracks(engine, &tp);
            let held = log.record_count().min((end - start).max(0) as usize);
            let lane_h = lane_height(tracks.len());
            // The axis keeps cells around every reader's and group's offsets and the log end.
            let mut interests: Vec<i64> = tracks
                .iter()
                .flat_map(|t| {
                    let reader = t.reader.as_ref().map(|(_, o)| [o.processed_to, o.fetched_to]);
                    reader.into_iter().flatten().chain(t.committed)
                })
                .collect();
            if let Some(Selection::Record(selected_tp, offset)) = &props.selection {
                if *selected_tp == tp {
                    interests.push(*offset);
                }
            }
            let focus = lane_focus.get(&tp).map(|o| (*o).clamp(start, end));
            if let Some(f) = focus {
                interests.extend([f - 2, f, f + 2]);
            }
            let axis: LaneAxis = lane_axis(start, end, &interests, AXIS_SIZES);
            let scroll_step = (AXIS_W / (CELL_W + CELL_GAP) / 2).max(1);
            let onlanekey = {
                let (onselect, set_focus, tp) = (props.onselect.clone(), set_focus.clone(), tp.clone());
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
                        let step = if e.key() == "ArrowLeft" { -scroll_step } else { scroll_step };
                        set_focus(tp.clone(), Some((here + step).clamp(start, end)));
                    }
                    "Escape" if focus.is_some() => {
                        e.stop_propagation();
                        set_focus(tp.clone(), None);
                    }
                    _ => {}
                })
            };
            let onfollow = {
                let (set_focus, tp) = (set_focus.clone(), tp.clone());
                Callback::from(move |e: MouseEvent| {
                    e.stop_propagation();
                    set_focus(tp.clone(), None);
                })
            };
            let cells_x = (TOPIC_X + LANE_LABEL_W) as f64;
            let x_of = |offset: i64| cells_x + axis.x_of(offset);
            let cell_w = axis.cell_w_px;
            let narrow = cell_w < (CELL_W + CELL_GAP) as f64 * 0.75;
            let read_ranges = just_read.get(&tp);
            let cells = axis.cell_runs().flat_map(|(from, to)| log.records_in_range(from, to)).map(|r| {
                let key = r.key.as_deref();
                let fresh = produced.iter().any(|(_, ptp, o)| *ptp == tp && *o == r.offset);
                let read_by = read_ranges.and_then(|rs| rs.iter().find(|(f, t, _)| r.offset >= *f && r.offset < *t)).map(|(_, _, c)| c.clone());
                let tombstone = r.value.is_none();
                let selected = props.selection == Some(Selection::Record(tp.clone(), r.offset));
                let stroke = read_by.as_ref().and_then(|c| colours.get(c)).copied().unwrap_or("var(--cell-stroke)");
                let w = (cell_w - CELL_GAP as f64).max(4.0);
                html! {
                    <g key={r.offset} class={classes!("record", fresh.then_some("fresh"), read_by.is_some().then_some("just-read"), tombstone.then_some("tombstone"), selected.then_some("selected"), narrow.then_some("narrow"))}
                       data-offset={r.offset.to_string()} data-key={key.unwrap_or("").to_string()}
                       transform={format!("translate({:.1},{})", x_of(r.offset) + CELL_GAP as f64 / 2.0, y + CELLS_TOP)} onclick={select(Selection::Record(tp.clone(), r.offset))}>
                        <title>{format!("{tp} offset {}: key {}, value {}", r.offset, key.unwrap_or("null"), r.value.as_deref().unwrap_or("null (tombstone)"))}</title>
                        <rect width={format!("{w:.1}")} height={CELL_H.to_string()} rx="6" style={format!("fill:{};stroke:{stroke}", key_colour(key))} />
                        <text x={format!("{:.1}", w / 2.0)} y="17" class={classes!("offset", (r.offset >= 10_000).then_some("long"), (r.offset >= 1_000_000).then_some("longer"))}>{r.offset}</text>
                        if !narrow {
                            <text x={format!("{:.1}", w / 2.0)} y="33" class="key">{key_label(key)}</text>
                        }
                    </g>
                }
            });
            // The records a broken axis leaves out, one gap each.
            let gaps = axis.pieces.iter().filter_map(|piece| match *piece {
                Piece::Gap { from, to } => Some((from, to)),
                Piece::Cells { .. } => None,
            }).map(|(from, to)| {
                let x = x_of(from);
                let onclick = {
                    let (set_focus, tp) = (set_focus.clone(), tp.clone());
                    Callback::from(move |e: MouseEvent| {
                        e.stop_propagation();
                        set_focus(tp.clone(), Some(from + (to - from) / 2));
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
            let track_rows = tracks.iter().enumerate().map(|(i, track)| {
                let ty = y + TRACKS_TOP + TRACK_H * i as i64;
                let colour = track.reader.as_ref().and_then(|(c, _)| colours.get(&c.client_id)).copied().unwrap_or("var(--fg)");
                let mut xs: Vec<f64> = Vec::new();
                let reader_marks = track.reader.as_ref().map(|(c, o)| {
                    let (xp, xf) = (x_of(o.processed_to), x_of(o.fetched_to));
                    xs.extend([xp, xf]);
                    html! {
                        <>
                        <rect class="in-flight" x={format!("{:.1}", xp.min(xf))} y={(ty + 8).to_string()} width={format!("{:.1}", (xf - xp).abs())} height="4" />
                        <g key={format!("processed-{}", c.client_id)} class="mark processed" data-kind="processed" data-offset={o.processed_to.to_string()} transform={format!("translate({xp:.1},{ty})")}>
                            <title>{format!("{} has processed {tp} up to offset {} ({} fetched and waiting)", c.client_id, o.processed_to, o.fetched_unprocessed())}</title>
                            <path d="M -6 18 L 6 18 L 0 9 Z" />
                        </g>
                        <g key={format!("fetched-{}", c.client_id)} class="mark fetched" data-kind="fetched" data-offset={o.fetched_to.to_string()} transform={format!("translate({xf:.1},{ty})")}>
                            <title>{format!("{} position on {tp}: {} (the next offset a poll returns)", c.client_id, o.fetched_to)}</title>
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
                let from_x = xs.iter().copied().fold(f64::INFINITY, f64::min);
                let to_x = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let text = track_label(track, label_room(left, right, from_x, to_x, 10.0));
                let width = label_width(&text);
                let label_x = place_label(left, right, from_x, to_x, width, 10.0);
                let consumer = track.reader.as_ref().map(|(c, _)| c.client_id.clone()).unwrap_or_default();
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
            let selected = props.selection == Some(Selection::Partition(tp.clone()));
            html! {
                <g key={tp.to_string()} class={classes!("lane", selected.then_some("selected"), (lit("partition", &tp.to_string()) || lit("topic", &tp.topic)).then_some("highlight"))} data-partition={tp.to_string()}
                   data-log-start-offset={start.to_string()} data-log-end-offset={end.to_string()}>
                    <rect class="lane-bg" x={TOPIC_X.to_string()} y={y.to_string()} width={TOPIC_W.to_string()} height={lane_h.to_string()} rx="8"
                          onclick={select(Selection::Partition(tp.clone()))} tabindex="0" role="button"
                          aria-label={format!("Partition {tp}: log start {start}, log end {end}; arrow keys scroll its records")} onkeydown={onlanekey} />
                    <text x={(TOPIC_X + 10).to_string()} y={(y + 30).to_string()} class="lane-label">{format!("P{p}")}</text>
                    <text x={(TOPIC_X + 8).to_string()} y={(y + 46).to_string()} class="lane-meta lane-start">{format!("from {}", if start < 1_000 { start.to_string() } else { short_count(start) })}<title>{format!("Log start offset {start}")}</title></text>
                    // Lists in groups of their own, so elements beside them are kept (see the svg's).
                    <g class="gaps">{ for gaps }</g>
                    <g class="cells">{ for cells }</g>
                    if let Some(text) = removed.get(&tp) {
                        <text class="removed-note" x={(TOPIC_X + LANE_LABEL_W + 8).to_string()} y={(y + 34).to_string()}>{text.clone()}</text>
                    }
                    <g class="log-end" transform={format!("translate({:.1},{})", x_of(end), y)}>
                        <line x1="-2" y1={CELLS_TOP.to_string()} x2="-2" y2={(CELLS_TOP + CELL_H).to_string()} />
                        <title>{format!("Log end offset {end}; {held} record(s) held")}</title>
                        <text x="4" y="26" class="lane-meta">{format!("end {}", if end < 100_000 { end.to_string() } else { short_count(end) })}</text>
                        <text x="4" y="42" class="lane-meta">{format!("{} rec", short_count(held as i64))}</text>
                    </g>
                    <g class="tracks">{ for track_rows }</g>
                    if let Some(f) = focus {
                        <g class="lane-focus" data-focus={f.to_string()} onclick={onfollow} transform={format!("translate({},{})", TOPIC_X + 8, y + lane_h - 10)}>
                            <title>{"Back to following the readers and the log end (Esc)"}</title>
                            <text class="follow">{"⟲ follow"}</text>
                        </g>
                    }
                </g>
            }
        });
        if layout.compact {
            return overview_topic(OverviewTopic {
                engine,
                topic,
                layout: &layout,
                header_y,
                collapsed: collapsed.0.contains(&topic.name),
                ontoggle: {
                    let (collapsed, name) = (collapsed.dispatcher(), topic.name.clone());
                    Callback::from(move |()| collapsed.dispatch(name.clone()))
                },
                onselect: props.onselect.clone(),
                selection: props.selection.as_ref(),
                colours: &colours,
                highlighted: lit("topic", &topic.name),
                detail: html! { <>{ for lanes }</> },
            });
        }
        html! {
            <g key={format!("topic-{}", topic.name)} class="topic" data-topic={topic.name.clone()}>
                <text x={TOPIC_X.to_string()} y={header_y.to_string()} class="topic-name">{topic.name.clone()}
                    <tspan class="topic-meta" dx="12">
                        {format!("{} partition(s){}", topic.n_partitions(), if configs.is_empty() { String::new() } else { format!(" · {configs}") })}
                    </tspan>
                </text>
                { for lanes }
            </g>
        }
    });

    let groups = group_rows(engine).into_iter().map(|(group_id, members)| {
        let (header_y, height) = layout.group_box.get(&group_id).copied().unwrap_or((TOP, GROUP_HEADER_H));
        let compact = layout.compact;
        let dense = layout.dense;
        let consumer_h = if dense { DENSE_CONSUMER_H } else { CONSUMER_H };
        let (name_max, status_max) = if dense { (14, 14) } else { (16, 30) };
        let group = engine.groups.get(&group_id);
        let state = group.map(|g| g.state);
        let title = if group_id.is_empty() { "standalone readers".to_string() } else { group_id.clone() };
        let state_class = state.map(|s| s.name().to_string()).unwrap_or_else(|| "Standalone".into());
        // The LAG column of `kafka-consumer-groups --describe`, summed; `-` before any commit.
        let lag = group.and_then(|g| group_lag_total(engine, g)).map_or_else(|| "-".to_string(), |l| l.to_string());
        let phase = group.map(|g| group_phase(engine, g));
        let rebalancing = phase.is_some_and(|p| p.rebalancing);
        let subtitle = match group {
            Some(_) if rebalancing => String::new(),
            Some(g) => g.protocol.map(|p| format!(" · {}", p.name())).unwrap_or_default(),
            None => " · assign(), no rebalancing".into(),
        };
        // While it rebalances, the protocol says what moves: eager revokes every partition,
        // cooperative only those that change hands.
        let generation = group
            .map(|g| match phase.and_then(|p| p.protocol.filter(|_| p.rebalancing)) {
                Some(RebalanceProtocol::Cooperative) => format!("cooperative · gen {}", g.generation),
                Some(RebalanceProtocol::Eager) => format!("eager · gen {}", g.generation),
                None => format!("gen {} · lag {lag}", g.generation),
            })
            .unwrap_or_default();
        let rows = members.iter().map(|client| {
            let Some(c) = engine.consumers.get(client) else { return html! {} };
            let Some(&(x, y, chip_w)) = layout.consumer_box.get(client) else { return html! {} };
            let colour = colours.get(client).copied().unwrap_or("#64748b");
            let status = status_line(&reader_status(engine, c));
            let dead = !c.is_running();
            let idle = c.is_running() && c.assignment.is_empty() && c.phase == crate::engine::consumer::MemberPhase::Stable;
            let selected = props.selection == Some(Selection::Consumer(client.clone()));
            if compact {
                // In an overview a consumer is a chip with its name; its status is its tooltip
                // and its accessible name, and the inspector shows the rest.
                return html! {
                    <g key={format!("consumer-{client}")} class={classes!("consumer", "chip", lit("consumer", client).then_some("highlight"), dead.then_some("dead"), idle.then_some("idle"), c.paused.then_some("paused"), selected.then_some("selected"))}
                       data-consumer={client.clone()} data-status={status.clone()} data-owned={c.assignment.iter().map(|tp| tp.to_string()).collect::<Vec<_>>().join(",")}
                       transform={format!("translate({x},{y})")} onclick={select(Selection::Consumer(client.clone()))}
                       tabindex="0" role="button" aria-label={format!("{}: consumer {client}, {status}", short(client, 9))} onkeydown={select_key(Selection::Consumer(client.clone()))}>
                        <title>{format!("Consumer {client}: {status}")}</title>
                        <rect width={chip_w.to_string()} height={CHIP_H.to_string()} rx="5" style={format!("--c:{colour}")} />
                        <circle cx="9" cy={(CHIP_H / 2).to_string()} r="5" style={format!("fill:{colour}")} />
                        <text x="18" y="13" class="name">{short(client, 9)}</text>
                    </g>
                };
            }
            html! {
                <g key={format!("consumer-{client}")} class={classes!("consumer", lit("consumer", client).then_some("highlight"), dead.then_some("dead"), idle.then_some("idle"), c.paused.then_some("paused"), selected.then_some("selected"))}
                   data-consumer={client.clone()} data-status={status.clone()} data-owned={c.assignment.iter().map(|tp| tp.to_string()).collect::<Vec<_>>().join(",")}
                   transform={format!("translate({x},{y})")} onclick={select(Selection::Consumer(client.clone()))}
                   tabindex="0" role="button" aria-label={format!("{} {}: consumer {client}, {status}", short(client, name_max), short(&status, status_max))} onkeydown={select_key(Selection::Consumer(client.clone()))}>
                    <title>{format!("Consumer {client}: {status}")}</title>
                    <rect width={(GROUP_W - 20).to_string()} height={(consumer_h - 6).to_string()} rx="8" style={format!("--c:{colour}")} />
                    <circle cx="16" cy={((consumer_h - 6) / 2).to_string()} r="7" style={format!("fill:{colour}")} />
                    if dense {
                        // One line: the name, and the status right-aligned beside it.
                        <text x="30" y="17" class="name">{short(client, name_max)}{" "}</text>
                        <text x={(GROUP_W - 30).to_string()} y="17" text-anchor="end" class="meta">{short(&status, status_max)}</text>
                    } else {
                        <text x="30" y="16" class="name">{short(client, name_max)}{" "}</text>
                        <text x="30" y="32" class="meta">{short(&status, status_max)}</text>
                    }
                </g>
            }
        });
        let selected = props.selection == Some(Selection::Group(group_id.clone()));
        if compact {
            let state_word = match state {
                Some(crate::engine::GroupState::PreparingRebalance) => "⟳ joining",
                Some(crate::engine::GroupState::CompletingRebalance) => "⟳ syncing",
                Some(s) => s.name(),
                None => "assign()",
            };
            let meta = if group.is_some() { format!("{state_word} · lag {lag}") } else { state_word.to_string() };
            return html! {
                <g key={format!("group-{group_id}")} class={classes!("group", "compact", selected.then_some("selected"), lit("group", &group_id).then_some("highlight"))} data-group={group_id.clone()} data-state={state_class.clone()}
                   onclick={select(Selection::Group(group_id.clone()))}
                   data-generation={group.map(|g| g.generation.to_string()).unwrap_or_default()}>
                    <rect class="group-bg" x={GROUP_X.to_string()} y={header_y.to_string()} width={GROUP_W.to_string()} height={(height + 3).to_string()} rx="8"
                          tabindex="0" role="button" aria-label={format!("Group {title}: {state_class}")} onkeydown={select_key(Selection::Group(group_id.clone()))} />
                    <title>{format!("Group {title}: {state_class}, generation {}, lag {lag}", group.map(|g| g.generation).unwrap_or(0))}</title>
                    <text x={(GROUP_X + 10).to_string()} y={(header_y + 15).to_string()} class="group-name">{short(&title, 12)}</text>
                    <text x={(GROUP_X + GROUP_W - 8).to_string()} y={(header_y + 15).to_string()} text-anchor="end" class={classes!("group-meta", rebalancing.then_some("rebalancing"))}>{meta}</text>
                    <g class="members">{ for rows }</g>
                </g>
            };
        }
        html! {
            <g key={format!("group-{group_id}")} class={classes!("group", selected.then_some("selected"), lit("group", &group_id).then_some("highlight"))} data-group={group_id.clone()} data-state={state_class.clone()}
               onclick={select(Selection::Group(group_id.clone()))}
               data-generation={group.map(|g| g.generation.to_string()).unwrap_or_default()}>
                // The focusable control is the group's box, not the whole group: the group
                // holds its consumers, which are controls of their own (none nested in another).
                <rect class="group-bg" x={GROUP_X.to_string()} y={header_y.to_string()} width={GROUP_W.to_string()} height={(height + 8).to_string()} rx="12"
                      tabindex="0" role="button" aria-label={format!("Group {title}: {state_class}")} onkeydown={select_key(Selection::Group(group_id.clone()))} />
                <text x={(GROUP_X + 14).to_string()} y={(header_y + 22).to_string()} class="group-name">{short(&title, if rebalancing { 11 } else { 20 })}</text>
                <text x={(GROUP_X + GROUP_W - 12).to_string()} y={(header_y + 22).to_string()} text-anchor="end" class="group-meta">{generation}</text>
                <text x={(GROUP_X + 14).to_string()} y={(header_y + 41).to_string()} class="group-meta">
                    <tspan class={classes!("state-badge", state_class.clone())}>{state_class.clone()}</tspan>{subtitle}
                </text>
                <g class="members">{ for rows }</g>
            </g>
        }
    });

    // A link from every partition to the running consumer that owns it.
    // In an overview every link is thin, and those of what is selected stand out.
    let lit_link = |client: &str, tp: &TopicPartition| match &props.selection {
        Some(Selection::Consumer(c)) => c == client,
        Some(Selection::Partition(p)) | Some(Selection::Record(p, _)) => p == tp,
        Some(Selection::Group(g)) => engine
            .consumers
            .get(client)
            .is_some_and(|c| c.group.as_deref() == Some(g.as_str())),
        _ => false,
    };
    let layout_ref = &layout;
    let links = engine.consumers.values().filter(|c| c.is_running()).flat_map(|c| {
        let colour = colours.get(&c.client_id).copied().unwrap_or("#64748b");
        let anchor = consumer_anchor(layout_ref, &c.client_id);
        c.assignment.iter().filter_map(move |tp| {
            let y1 = *layout_ref.anchor_y.get(tp)?;
            let (x2, y2) = anchor?;
            let x1 = TOPIC_X + TOPIC_W;
            let mid = (x1 + x2) / 2;
            let class = classes!("link", layout_ref.compact.then_some("thin"), (layout_ref.compact && lit_link(&c.client_id, tp)).then_some("lit"));
            Some(html! {
                <path key={format!("link-{}-{tp}", c.client_id)} {class} data-link={format!("{tp}>{}", c.client_id)}
                      d={format!("M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}")} style={format!("stroke:{colour}")} />
            })
        })
    });

    // A dot flying from a producer to the lane for each record written in this step.
    let flights = produced.iter().filter_map(|(producer, tp, offset)| {
        let py = layout.producer_y.get(producer)? + 28;
        let ly = *layout.anchor_y.get(tp)?;
        let (x1, x2) = (PRODUCER_X + PRODUCER_W, TOPIC_X + LANE_LABEL_W);
        Some(html! {
            <circle key={format!("flight-{tp}-{offset}")} class="flight" r="6">
                <animateMotion dur="0.45s" fill="freeze" path={format!("M {x1} {py} C {} {py}, {} {ly}, {x2} {ly}", x1 + 40, x2 - 40)} />
                <animate attributeName="opacity" from="1" to="0" begin="0.4s" dur="0.1s" fill="freeze" />
            </circle>
        })
    });

    // Partitions travelling in a rebalance: a revoked one flies from its old owner back to
    // its lane, an assigned one from its lane to its new owner (eager revokes all, then
    // assigns all; cooperative moves only what changes hands).
    // Each is placed by how far it has flown in simulated time, so it moves with the
    // clock (slowly in slow motion) and glides between ticks by a CSS transition.
    let handovers = props.handovers.iter().filter_map(|h| {
        let kind = if h.revoke { "revoke" } else { "assign" };
        let colour = colours.get(&h.client_id).copied().unwrap_or("#64748b");
        let (cx, cy) = consumer_anchor(&layout, &h.client_id)?;
        let ly = *layout.anchor_y.get(&h.partition)?;
        // In the full drawing a partition travels between its owner and the start of its
        // lane, across the lane, so the class sees it go; an overview's lanes are too thin.
        let lx = if layout.compact { TOPIC_X + TOPIC_W } else { TOPIC_X + LANE_LABEL_W };
        let mid = (lx + cx) / 2;
        let (from, to) = if h.revoke { ((cx, cy), (lx, ly)) } else { ((lx, ly), (cx, cy)) };
        let (x, y) = bezier_point(from, (mid, from.1), (mid, to.1), to, h.progress());
        let tp = &h.partition;
        Some(html! {
            <g key={format!("handover-{kind}-{}-{tp}-{}", h.client_id, h.step)} class={classes!("handover", kind)}
               data-handover={format!("{kind}:{tp}:{}", h.client_id)} data-since-step={h.step.to_string()}
               data-progress={format!("{:.3}", h.progress())} style={format!("transform:translate({x:.1}px,{y:.1}px)")}>
                <rect x="-17" y="-11" width="34" height="22" rx="7" style={format!("stroke:{colour};fill:{}", if h.revoke { "var(--panel)" } else { colour })} />
                <text y="5" text-anchor="middle" style={format!("fill:{}", if h.revoke { colour } else { "#fff" })}>{format!("P{}", tp.partition)}</text>
            </g>
        })
    }).collect::<Vec<_>>();

    let height = layout.height;
    let onbackground = {
        let onselect = props.onselect.clone();
        Callback::from(move |_| onselect.emit(None))
    };
    html! {
        <svg class={classes!("diagram", layout.compact.then_some("overview"))} viewBox={format!("0 0 {WIDTH} {height}")} role="group" aria-labelledby="diagram-title" onclick={onbackground}
             style={format!("--diagram-w:{WIDTH};--diagram-h:{height}")}>
            <title id="diagram-title">{format!(
                "Cluster at tick {}: {} topic(s), {} producer(s), {} consumer(s) in {} group(s)",
                engine.tick, engine.topics.len(), engine.producers.len(), engine.consumers.len(), engine.groups.len()
            )}</title>
            <text x={PRODUCER_X.to_string()} y={(TOP + 10).to_string()} class="column-title">{"Producers"}</text>
            <text x={GROUP_X.to_string()} y={(TOP - 2).to_string()} class="column-title">{"Consumer groups"}</text>
            if !engine.topics.is_empty() && !layout.compact {
                <text x={(TOPIC_X + TOPIC_W).to_string()} y={(TOP - 2).to_string()} text-anchor="end" class="pace-legend">{"under each lane, per reader: ▲ processed · ┃ fetched (position) · ▼ committed (group)"}</text>
            }
            // Every list sits in its own group: Yew matches unkeyed siblings from the end, so a
            // list that grows or shrinks among them (a flight taking off) would make it rebuild
            // every element before it, and a focused control would lose the focus each tick.
            <g class="links">{ for links }</g>
            <g class="producers">{ for producers }</g>
            <g class="topics">{ for topics }</g>
            <g class="groups">{ for groups }</g>
            <g class="flights">{ for flights }</g>
            <g class="handovers">{ for handovers }</g>
            if engine.topics.is_empty() {
                <text x={(TOPIC_X + 20).to_string()} y="90" class="empty-hint">{"No topics yet: create one with the form or type kafka-topics --create --topic orders --partitions 3"}</text>
            }
        </svg>
    }
}

/// How long a partition's flight takes in a rebalance, in ticks (0.8 s at 1×).
pub const FLIGHT_TICKS: u64 = 8;

/// The point at `t` (0 to 1) along the cubic Bézier curve from `p0` to `p3`.
fn bezier_point(
    p0: (i64, i64),
    p1: (i64, i64),
    p2: (i64, i64),
    p3: (i64, i64),
    t: f64,
) -> (f64, f64) {
    let u = 1.0 - t;
    let at = |a: i64, b: i64, c: i64, d: i64| {
        u * u * u * a as f64
            + 3.0 * u * u * t * b as f64
            + 3.0 * u * t * t * c as f64
            + t * t * t * d as f64
    };
    (at(p0.0, p1.0, p2.0, p3.0), at(p0.1, p1.1, p2.1, p3.1))
}

/// A consumer's line in its group box.
fn status_line(status: &crate::read::ReaderStatus) -> String {
    match (&status.process, &status.membership) {
        (ProcessState::Paused, _) => "paused".into(),
        (ProcessState::Running, Membership::Joining) => "joining…".into(),
        (ProcessState::Running, Membership::Syncing) => "syncing…".into(),
        (ProcessState::Running, Membership::Idle) => "idle".into(),
        (ProcessState::Running, _) => status
            .owned
            .iter()
            .map(|tp| {
                if tp.topic.len() > 8 {
                    format!("P{}", tp.partition)
                } else {
                    tp.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        (ProcessState::Crashed, _) => match status.session_expires_in_seconds() {
            Some(s) => format!("crashed · removed in {s} s"),
            None => "crashed".into(),
        },
        (ProcessState::Failed(_), _) => "failed".into(),
        (ProcessState::Stopped, _) => "stopped".into(),
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

/// The topics an overview shows folded. A topic's name, dispatched, folds or unfolds it
/// from the state current when it is applied, so quick clicks and keys never act on a stale one.
#[derive(Default, PartialEq)]
struct FoldedTopics(std::collections::BTreeSet<String>);

impl Reducible for FoldedTopics {
    type Action = String;

    fn reduce(self: std::rc::Rc<Self>, topic: String) -> std::rc::Rc<Self> {
        let mut folded = self.0.clone();
        if !folded.remove(&topic) {
            folded.insert(topic);
        }
        std::rc::Rc::new(Self(folded))
    }
}

/// What the overview needs to draw one topic.
struct OverviewTopic<'a> {
    engine: &'a Engine,
    topic: &'a crate::engine::Topic,
    layout: &'a Layout,
    header_y: i64,
    collapsed: bool,
    ontoggle: Callback<()>,
    onselect: Callback<Option<Selection>>,
    selection: Option<&'a Selection>,
    colours: &'a BTreeMap<String, &'static str>,
    highlighted: bool,
    /// The full lane of the partition selected, drawn under the thin ones.
    detail: Html,
}

/// One topic of an overview: a header that folds it (click, Enter or space), then either a
/// summary row (partitions, records, each group's lag) or one thin lane per partition with
/// its log start and end and each group's committed offset.
fn overview_topic(t: OverviewTopic) -> Html {
    let OverviewTopic {
        engine,
        topic,
        layout,
        header_y,
        collapsed,
        ontoggle,
        onselect,
        selection,
        colours,
        highlighted,
        detail,
    } = t;
    let records: i64 = topic
        .partitions
        .iter()
        .map(|log| (log.log_end_offset() - log.log_start_offset()).max(0))
        .sum();
    let lags = topic_lags(engine, topic);
    let lag_text = lags
        .iter()
        .map(|(g, lag)| {
            format!(
                "{} {}",
                short(g, 10),
                lag.map_or("-".into(), |l| l.to_string())
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let onclick = {
        let ontoggle = ontoggle.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            ontoggle.emit(());
        })
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            e.stop_propagation();
            ontoggle.emit(());
        }
    });
    let summary = format!(
        "{} partitions · {} records",
        topic.n_partitions(),
        short_count(records)
    );
    let header = html! {
        <g key="header" class="topic-header" data-topic-header={topic.name.clone()} tabindex="0" role="button"
           aria-expanded={(!collapsed).to_string()} aria-label={format!("{} {} {summary}: {} topic {}", if collapsed { "▸" } else { "▾" }, topic.name, if collapsed { "expand" } else { "collapse" }, topic.name)}
           {onclick} {onkeydown}>
            <rect class="topic-header-bg" x={TOPIC_X.to_string()} y={(header_y - 17).to_string()} width={TOPIC_W.to_string()} height="23" rx="5" />
            <text x={(TOPIC_X + 6).to_string()} y={header_y.to_string()} class="topic-name">{format!("{} {}", if collapsed { "▸" } else { "▾" }, topic.name)}
                <tspan class="topic-meta" dx="10">{summary.clone()}</tspan>
            </text>
        </g>
    };
    if collapsed {
        let y = layout
            .summary_y
            .get(&topic.name)
            .copied()
            .unwrap_or(header_y);
        return html! {
            <g key={format!("topic-{}", topic.name)} class={classes!("topic", "collapsed", highlighted.then_some("highlight"))} data-topic={topic.name.clone()}>
                { header }
                // The same shape as an unfolded topic (the header, then one group), so the
                // header is kept when it folds and keeps the keyboard focus.
                <g class="topic-summary" data-summary={topic.name.clone()}>
                    <rect class="lane-bg" x={TOPIC_X.to_string()} y={y.to_string()} width={TOPIC_W.to_string()} height={SUMMARY_H.to_string()} rx="5" />
                    <text x={(TOPIC_X + 8).to_string()} y={(y + 15).to_string()} class="summary-text">
                        {format!("lag: {}", if lag_text.is_empty() { "no group reads it".to_string() } else { lag_text })}
                    </text>
                </g>
            </g>
        };
    }
    // One scale for the topic's thin lanes, so their lengths compare.
    let widest_end = topic
        .partitions
        .iter()
        .map(|log| log.log_end_offset())
        .max()
        .unwrap_or(0)
        .max(1);
    let lane_w = TOPIC_W / 2 - 4;
    let thin = topic.partitions.iter().enumerate().filter_map(|(p, log)| {
        let tp = TopicPartition::new(topic.name.clone(), p as u32);
        let &(x, y) = layout.thin.get(&tp)?;
        let (start, end) = (log.log_start_offset(), log.log_end_offset());
        let (bar_from, bar_to) = ((x + 36) as f64, (x + lane_w - 58) as f64);
        let x_of = |offset: i64| bar_from + (bar_to - bar_from) * offset.clamp(0, widest_end) as f64 / widest_end as f64;
        let committed = engine.groups.values().filter_map(|g| {
            let offset = g.committed.get(&tp)?.offset;
            let owner = engine.consumers.values().find(|c| c.group.as_deref() == Some(g.id.as_str()) && c.assignment.contains(&tp));
            let colour = owner.and_then(|c| colours.get(&c.client_id)).copied().unwrap_or("var(--muted)");
            Some(html! {
                <rect key={g.id.clone()} class="thin-committed" data-group={g.id.clone()} data-committed={offset.to_string()}
                      x={format!("{:.1}", x_of(offset) - 1.5)} y={(y + 1).to_string()} width="3" height={(THIN_H - 2).to_string()} style={format!("fill:{colour}")}>
                    <title>{format!("Group {} committed offset {offset} on {tp}", g.id)}</title>
                </rect>
            })
        });
        let selected = selection == Some(&Selection::Partition(tp.clone()));
        let onclick = {
            let (onselect, tp) = (onselect.clone(), tp.clone());
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                onselect.emit(Some(Selection::Partition(tp.clone())));
            })
        };
        let onkeydown = {
            let (onselect, tp) = (onselect.clone(), tp.clone());
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    e.stop_propagation();
                    onselect.emit(Some(Selection::Partition(tp.clone())));
                }
            })
        };
        Some(html! {
            <g key={format!("thin-{tp}")} class={classes!("thin-lane", selected.then_some("selected"))} data-partition={tp.to_string()}
               data-log-start-offset={start.to_string()} data-log-end-offset={end.to_string()}>
                <rect class="lane-bg" x={x.to_string()} y={y.to_string()} width={lane_w.to_string()} height={THIN_H.to_string()} rx="4"
                      {onclick} {onkeydown} tabindex="0" role="button"
                      aria-label={format!("P{p} {start} to {end}: partition {tp}, log start {start}, log end {end}; Enter shows its records")} />
                <text x={(x + 5).to_string()} y={(y + 12).to_string()} class="lane-label thin">{format!("P{p}")}</text>
                <rect class="thin-log" x={format!("{:.1}", x_of(start))} y={(y + 5).to_string()} width={format!("{:.1}", (x_of(end) - x_of(start)).max(1.0))} height={(THIN_H - 10).to_string()} />
                { for committed }
                <text x={(x + lane_w - 5).to_string()} y={(y + 12).to_string()} text-anchor="end" class="lane-meta thin">
                    {format!("{}–{}", short_count(start), short_count(end))}
                </text>
            </g>
        })
    });
    html! {
        <g key={format!("topic-{}", topic.name)} class={classes!("topic", "overview", highlighted.then_some("highlight"))} data-topic={topic.name.clone()}>
            { header }
            <g class="thin-lanes">
                { for thin }
                <g class="topic-detail">{ detail }</g>
            </g>
        </g>
    }
}
