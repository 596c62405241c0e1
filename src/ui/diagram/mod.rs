//! The cluster drawn as one SVG: producers on the left, topics and their partitions as
//! lanes of records in the middle, consumer groups on the right, and a coloured link from
//! every partition to the consumer that owns it. Only a window of each lane is drawn, so
//! the cost of a frame does not grow with the log.
//!
//! The pieces are components whose props are plain values derived from the step's
//! [`Scene`]: a full lane (`lane.rs`), an overview's thin lanes and topic headers
//! (`overview.rs`), the groups and their consumers (`groups.rs`), the links. A step
//! redraws only the pieces whose values changed; this module lays them out and draws
//! what moves (flights of new records, partitions handed over in a rebalance).

use std::collections::BTreeMap;

use yew::prelude::*;

pub mod brokers;
mod groups;
mod lane;
mod overview;
mod reconcile;
mod share;
mod txn;

use std::rc::Rc;

use super::palette::{consumer_colour, short};
use super::state::{Selection, Shown};
use crate::engine::{Engine, Event, TopicPartition};
use crate::read::lane::{lane_axis, AxisSizes, LaneAxis};
use crate::read::scene::Scene;
use crate::read::{Membership, ProcessState};
use groups::{status_line, ConsumerView, GroupBox, GroupView};
use lane::{CellView, Lane, TrackView};
use overview::{overview_topic, CommittedView, OverviewTopic, ThinLane};

/// A click on an element of the drawing selects it (and not the drawing behind it).
pub(crate) fn select_click(
    onselect: &Callback<Option<Selection>>,
    s: Selection,
) -> Callback<MouseEvent> {
    let onselect = onselect.clone();
    Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        onselect.emit(Some(s.clone()));
    })
}

/// Enter or space on a focused element selects it, as a click does.
pub(crate) fn select_key(
    onselect: &Callback<Option<Selection>>,
    s: Selection,
) -> Callback<KeyboardEvent> {
    let onselect = onselect.clone();
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            e.stop_propagation();
            onselect.emit(Some(s.clone()));
        }
    })
}

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

/// The height of a lane with `tracks` reader tracks.
fn lane_height(tracks: usize) -> i64 {
    LANE_H.max(TRACKS_TOP + TRACK_H * tracks as i64 + 6)
}

pub(crate) fn label_width(text: &str) -> f64 {
    text.chars().count() as f64 * LABEL_CHAR_W
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

pub struct Layout {
    /// The top of every lane drawn in full (in an overview, only the partition selected).
    lane_y: BTreeMap<TopicPartition, i64>,
    /// Where links, flights and handovers meet a partition.
    anchor_y: BTreeMap<TopicPartition, i64>,
    /// The thin lanes of an overview: each partition's top-left corner.
    thin: BTreeMap<TopicPartition, (i64, i64)>,
    /// The baseline of each topic's header.
    header_y: BTreeMap<String, i64>,
    /// Where a collapsed topic's summary row sits.
    pub summary_y: BTreeMap<String, i64>,
    /// Each consumer's box: its top-left corner and width.
    consumer_box: BTreeMap<String, (i64, i64, i64)>,
    /// Each row of the groups column: its top and height.
    group_box: BTreeMap<String, (i64, i64)>,
    producer_y: BTreeMap<String, i64>,
    /// The top of the protocol comparison, under the producers.
    comparison_y: i64,
    height: i64,
    compact: bool,
    /// The top of the broker column, under the producers.
    brokers_top: i64,
    /// Consumers drawn one line each (see [`DENSE_CONSUMER_H`]).
    dense: bool,
    /// The share groups' boxes, below the consumer groups.
    share: share::ShareLayout,
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
    scene: &Scene,
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
                let height =
                    lane_height(scene.tracks_of(&tp).len() + share::extra_tracks(scene, &tp))
                        + brokers::replica_row_h(&scene.cluster);
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
            y += lane_height(scene.tracks_of(tp).len() + share::extra_tracks(scene, tp))
                + brokers::replica_row_h(&scene.cluster);
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
    let mut share_layout = share::ShareLayout::default();
    let y = share::layout_groups(scene, y, dense, &mut share_layout);
    let groups_bottom = y;
    let mut y = TOP + TOPIC_HEADER_H;
    let mut producer_y = BTreeMap::new();
    for name in engine.producers.keys() {
        producer_y.insert(name.clone(), y);
        y += 66;
    }
    // The protocol comparison sits under the producers.
    let comparison_y = y + 14;
    if !scene.comparison.is_empty() {
        y = y.max(comparison_y + reconcile::comparison_height(scene.comparison.len()));
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
        comparison_y,
        height: topics_bottom
            .max(groups_bottom)
            .max(y)
            .max(brokers::column_bottom(&scene.cluster, y + 10))
            .max(200),
        brokers_top: y + 10,
        compact,
        dense,
        share: share_layout,
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

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    /// The engine at the cursor (changes whenever the state does).
    pub state: Shown,
    /// The step's derived facts.
    pub scene: Rc<Scene>,
    /// The events of the step that led to the state shown (animated).
    pub events: Rc<Vec<Event>>,
    pub selection: Option<Selection>,
    /// Takes a new selection. Kept the same from render to render, so the pieces that
    /// hold it compare equal when nothing else changed.
    pub onselect: Callback<Option<Selection>>,
    /// Partitions travelling in a rebalance (`read::rebalance::handovers_in_flight`).
    #[prop_or_default]
    pub handovers: Rc<Vec<crate::read::rebalance::Handover>>,
    /// Lesson highlights: `partition:orders-1`, `consumer:c1`, `group:g`, `topic:t`, `producer:p`.
    #[prop_or_default]
    pub highlight: Rc<Vec<String>>,
}

/// Where the user has scrolled each lane to (a gap clicked, arrow keys on a lane); a lane
/// without one follows its readers and its end.
#[derive(Default, PartialEq)]
struct LaneFocus(BTreeMap<TopicPartition, i64>);

impl Reducible for LaneFocus {
    type Action = (TopicPartition, Option<i64>);

    fn reduce(self: Rc<Self>, (tp, offset): Self::Action) -> Rc<Self> {
        let mut next = self.0.clone();
        match offset {
            Some(o) => next.insert(tp, o),
            None => next.remove(&tp),
        };
        Rc::new(Self(next))
    }
}

/// What the step shown just did to the records, for the cells to show it.
#[derive(Default)]
struct StepMarks {
    /// Records written: (producer, partition, offset).
    produced: Vec<(String, TopicPartition, i64)>,
    /// Fetches per partition: (from, to, client).
    just_read: BTreeMap<TopicPartition, Vec<(i64, i64, String)>>,
    /// What retention or the cleaner just removed, per partition.
    removed: BTreeMap<TopicPartition, String>,
}

fn step_marks(events: &[Event]) -> StepMarks {
    let mut marks = StepMarks::default();
    for event in events {
        match event {
            Event::RecordProduced {
                producer,
                partition,
                offset,
                ..
            } => marks
                .produced
                .push((producer.clone(), partition.clone(), *offset)),
            Event::SegmentsDeleted {
                partition,
                records,
                new_log_start_offset,
                ..
            } => {
                marks.removed.insert(partition.clone(), format!("✂ retention deleted {records} record(s): the log now starts at {new_log_start_offset}"));
            }
            Event::LogCompacted {
                partition,
                records_removed,
            } => {
                marks.removed.insert(
                    partition.clone(),
                    format!("✂ compaction removed {records_removed} superseded record(s)"),
                );
            }
            Event::RecordsDeleted {
                partition,
                new_log_start_offset,
            } => {
                marks.removed.insert(
                    partition.clone(),
                    format!("✂ records before {new_log_start_offset} deleted"),
                );
            }
            Event::RecordsFetched {
                client_id,
                partition,
                from_offset,
                to_offset,
            } => marks.just_read.entry(partition.clone()).or_default().push((
                *from_offset,
                *to_offset,
                client_id.clone(),
            )),
            _ => {}
        }
    }
    marks
}

/// One link from a partition to the consumer that owns it.
#[derive(Clone, PartialEq)]
struct LinkView {
    client: String,
    tp: TopicPartition,
    from: (i64, i64),
    to: (i64, i64),
    colour: &'static str,
    thin: bool,
    lit: bool,
}

#[derive(Properties, PartialEq)]
struct LinksProps {
    links: Vec<LinkView>,
}

/// Every link, under the boxes.
#[function_component(Links)]
fn links(props: &LinksProps) -> Html {
    let links = props.links.iter().map(|l| {
        let ((x1, y1), (x2, y2)) = (l.from, l.to);
        let mid = (x1 + x2) / 2;
        let class = classes!("link", l.thin.then_some("thin"), l.lit.then_some("lit"));
        html! {
            <path key={format!("link-{}-{}", l.client, l.tp)} {class} data-link={format!("{}>{}", l.tp, l.client)}
                  d={format!("M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}")} style={format!("stroke:{}", l.colour)} />
        }
    });
    html! { <g class="links">{ for links }</g> }
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let engine = props.state.engine();
    let engine: &Engine = &engine;
    let scene = &*props.scene;
    // The topics folded to one summary row (only in an overview of a large scene).
    let collapsed = use_reducer(FoldedTopics::default);
    let detail = match &props.selection {
        Some(Selection::Partition(tp)) | Some(Selection::Record(tp, _)) => Some(tp.clone()),
        _ => None,
    };
    let layout = layout(engine, scene, &collapsed.0, detail.as_ref());
    let lane_focus = use_reducer(LaneFocus::default);
    let onfocus = {
        let lane_focus = lane_focus.dispatcher();
        use_callback((), move |action: (TopicPartition, Option<i64>), _| {
            lane_focus.dispatch(action)
        })
    };
    let lit = |kind: &str, name: &str| {
        props
            .highlight
            .iter()
            .any(|h| h.strip_prefix(kind).and_then(|r| r.strip_prefix(':')) == Some(name))
    };
    let colours = consumer_colours(engine);
    let select = |s: Selection| select_click(&props.onselect, s);
    let select_key = |s: Selection| select_key(&props.onselect, s);
    let marks = step_marks(&props.events);

    let producers = engine.producers.values().map(|p| {
        let y = layout.producer_y[&p.name];
        let selected = props.selection == Some(Selection::Producer(p.name.clone()));
        let rate = p.stream.as_ref().map(|s| format!("{}/s → {}", crate::engine::consumer::format_thousandths(u64::from(s.millirecords_per_second)), s.topic));
        let waiting = crate::read::producer_retry::waiting(engine, &p.name);
        let meta = match &waiting {
            Some(w) => w.short_text(),
            None => rate.unwrap_or_else(|| format!("{} sent", p.records_sent)),
        };
        let title = match &waiting {
            Some(w) => format!("Producer {}: {} record(s) sent, {}", p.name, p.records_sent, w.long_text()),
            None => format!("Producer {}: {} record(s) sent", p.name, p.records_sent),
        };
        // The accessible name starts with the text shown, so speech input can say what it sees.
        let label = format!("{} {meta}: producer {}", short(&p.name, 14), p.name);
        html! {
            <g key={format!("producer-{}", p.name)} class={classes!("producer", selected.then_some("selected"), waiting.is_some().then_some("waiting"), lit("producer", &p.name).then_some("highlight"))} data-producer={p.name.clone()}
               transform={format!("translate({PRODUCER_X},{y})")} onclick={select(Selection::Producer(p.name.clone()))}
               tabindex="0" role="button" aria-label={label} onkeydown={select_key(Selection::Producer(p.name.clone()))}>
                <title>{title}</title>
                <rect width={PRODUCER_W.to_string()} height="56" rx="10" />
                // The space after the name separates it from the line below for assistive
                // technology, which reads the two lines as one text.
                <text x="12" y="22" class="name">{short(&p.name, 14)}{" "}</text>
                <text x="12" y="42" class="meta">{meta}</text>
            </g>
        }
    });

    // A partition's full lane, with the values its component draws.
    let full_lane = |tp: &TopicPartition, log: &crate::engine::log::PartitionLog, y: i64| {
        let start = log.log_start_offset();
        let end = log.log_end_offset();
        let tracks = scene.tracks_of(tp);
        let held = log.record_count().min((end - start).max(0) as usize);
        // The axis keeps cells around every reader's and group's offsets and the log end.
        let mut interests: Vec<i64> = tracks
            .iter()
            .flat_map(|t| {
                let reader = t
                    .reader
                    .as_ref()
                    .map(|(_, o)| [o.processed_to, o.fetched_to]);
                reader.into_iter().flatten().chain(t.committed)
            })
            .collect();
        if let Some(Selection::Record(selected_tp, offset)) = &props.selection {
            if selected_tp == tp {
                interests.push(*offset);
            }
        }
        interests.extend(share::interests(scene, tp));
        interests.extend(brokers::lane_interests(&scene.cluster, tp));
        let focus = lane_focus.0.get(tp).map(|o| (*o).clamp(start, end));
        if let Some(f) = focus {
            interests.extend([f - 2, f, f + 2]);
        }
        let axis: LaneAxis = lane_axis(start, end, &interests, AXIS_SIZES);
        let txn = crate::read::txn::lane_txn(engine, tp, &axis.cell_runs().collect::<Vec<_>>());
        let read_ranges = marks.just_read.get(tp);
        let cells: Vec<CellView> = axis
            .cell_runs()
            .flat_map(|(from, to)| log.records_in_range(from, to))
            .map(|r| {
                let read_by = read_ranges
                    .and_then(|rs| rs.iter().find(|(f, t, _)| r.offset >= *f && r.offset < *t))
                    .map(|(_, _, c)| c.clone());
                CellView {
                    offset: r.offset,
                    key: r.key.clone(),
                    value: r.value.clone(),
                    fresh: marks
                        .produced
                        .iter()
                        .any(|(_, ptp, o)| ptp == tp && *o == r.offset),
                    landed: scene
                        .landings
                        .iter()
                        .any(|l| l.partition == *tp && l.offset == r.offset),
                    stroke: read_by
                        .as_ref()
                        .and_then(|c| colours.get(c))
                        .copied()
                        .unwrap_or("var(--cell-stroke)"),
                    read_by,
                    selected: props.selection == Some(Selection::Record(tp.clone(), r.offset)),
                }
            })
            .collect();
        let tracks = tracks
            .iter()
            .map(|track| TrackView {
                colour: track
                    .reader
                    .as_ref()
                    .and_then(|(c, _)| colours.get(c))
                    .copied()
                    .unwrap_or("var(--fg)"),
                isolation: txn.as_ref().and_then(|_| {
                    let (c, _) = track.reader.as_ref()?;
                    Some(engine.consumers.get(c)?.config.isolation_level.as_str())
                }),
                track: track.clone(),
            })
            .collect::<Vec<_>>();
        html! {
            <Lane key={tp.to_string()} tp={tp.clone()} {y} height={lane_height(tracks.len() + share::extra_tracks(scene, tp)) + brokers::replica_row_h(&scene.cluster)} replicas={brokers::lane_replicas(&scene.cluster, tp)} {start} {end} {held} {axis} {cells} {tracks}
                  share={share::lane_views(scene, tp)}
                  selected={props.selection == Some(Selection::Partition(tp.clone()))}
                  highlighted={lit("partition", &tp.to_string()) || lit("topic", &tp.topic)}
                  removed={marks.removed.get(tp).cloned()} {focus} {txn}
                  departures={scene.departures.iter().filter(|d| d.partition == *tp).cloned().collect::<Vec<_>>()}
                  onselect={props.onselect.clone()} onfocus={onfocus.clone()} />
        }
    };

    let topics = engine.topics.values().map(|topic| {
        let header_y = layout.header_y.get(&topic.name).copied().unwrap_or(TOP + 22);
        let lanes = topic.partitions.iter().enumerate().map(|(p, log)| {
            let tp = TopicPartition::new(topic.name.clone(), p as u32);
            match layout.lane_y.get(&tp) {
                Some(&y) => full_lane(&tp, log, y),
                None => html! {},
            }
        });
        if layout.compact {
            let collapsed_now = collapsed.0.contains(&topic.name);
            // One scale for the topic's thin lanes, so their lengths compare.
            let widest_end = topic.partitions.iter().map(|log| log.log_end_offset()).max().unwrap_or(0).max(1);
            let thin = topic.partitions.iter().enumerate().filter_map(|(p, log)| {
                let tp = TopicPartition::new(topic.name.clone(), p as u32);
                let &(x, y) = layout.thin.get(&tp)?;
                let committed = scene.committed.get(&tp).into_iter().flatten().map(|m| CommittedView {
                    group: m.group.clone(),
                    offset: m.offset,
                    colour: m.owner.as_ref().and_then(|c| colours.get(c)).copied().unwrap_or("var(--muted)"),
                }).collect::<Vec<_>>();
                let selected = props.selection == Some(Selection::Partition(tp.clone()));
                Some(html! {
                    <ThinLane key={format!("thin-{tp}")} tp={tp.clone()} {x} {y} start={log.log_start_offset()} end={log.log_end_offset()}
                              {widest_end} {committed} {selected} replicas={brokers::lane_replicas(&scene.cluster, &tp)} onselect={props.onselect.clone()} />
                })
            });
            return overview_topic(OverviewTopic {
                topic,
                layout: &layout,
                header_y,
                collapsed: collapsed_now,
                lags: scene.topic_lags.get(&topic.name).map_or(&[], Vec::as_slice),
                ontoggle: {
                    let (collapsed, name) = (collapsed.dispatcher(), topic.name.clone());
                    Callback::from(move |()| collapsed.dispatch(name.clone()))
                },
                highlighted: lit("topic", &topic.name),
                thin: html! { <>{ for thin }</> },
                detail: html! { <>{ for lanes }</> },
            });
        }
        let configs = topic.configs_line();
        html! {
            <g key={format!("topic-{}", topic.name)} class="topic" data-topic={topic.name.clone()}>
                <text x={TOPIC_X.to_string()} y={header_y.to_string()} class="topic-name">{topic.name.clone()}
                    <tspan class="topic-meta" dx="12">
                        {format!("{} partition(s){}", topic.n_partitions(), if configs.is_empty() { String::new() } else { format!(" · {configs}") })}
                    </tspan>
                </text>
                <>{ for lanes }</>
            </g>
        }
    });

    let groups = group_rows(engine).into_iter().map(|(group_id, members)| {
        let (top, height) = layout.group_box.get(&group_id).copied().unwrap_or((TOP, GROUP_HEADER_H));
        let group = engine.groups.get(&group_id);
        let phase = scene.group_phase.get(&group_id);
        let rebalancing = phase.is_some_and(|p| p.rebalancing);
        let members = members.iter().filter_map(|client| {
            engine.consumers.get(client)?;
            let &(x, y, width) = layout.consumer_box.get(client)?;
            // Every fact of the box from the one scene of this engine version, so its line, its
            // ownership and its style always describe the same moment.
            let reader = scene.statuses.get(client);
            let status = reader.map(status_line).unwrap_or_default();
            Some(ConsumerView {
                client: client.clone(),
                x,
                y,
                width,
                colour: colours.get(client).copied().unwrap_or("#64748b"),
                status,
                dead: reader.is_none_or(|r| !matches!(r.process, ProcessState::Running | ProcessState::Paused)),
                idle: reader.is_some_and(|r| r.process == ProcessState::Running && r.membership == Membership::Idle),
                paused: reader.is_some_and(|r| r.process == ProcessState::Paused),
                selected: props.selection == Some(Selection::Consumer(client.clone())),
                highlighted: lit("consumer", client),
                owned: reader.map(|r| r.owned.iter().map(|tp| tp.to_string()).collect::<Vec<_>>().join(",")).unwrap_or_default(),
                modern: scene.modern.get(&group_id).and_then(|g| {
                    Some(reconcile::MemberLine { member: g.members.get(client)?.clone(), target_epoch: g.target_epoch, colour: colours.get(client).copied().unwrap_or("#64748b") })
                }),
            })
        }).collect();
        let view = GroupView {
            top,
            height,
            state: group.map(|g| g.state),
            generation: group.map(|g| g.generation),
            lag: scene.group_lag.get(&group_id).copied().flatten().map_or_else(|| "-".to_string(), |l| l.to_string()),
            rebalancing,
            moving: phase.and_then(|p| p.protocol.filter(|_| p.rebalancing)),
            protocol: group.and_then(|g| g.protocol).map(|p| p.name()),
            selected: props.selection == Some(Selection::Group(group_id.clone())),
            highlighted: lit("group", &group_id),
            members,
            modern: scene.modern.get(&group_id).map(|g| (g.group_epoch, g.target_epoch, g.state)),
            coordinator: scene.cluster.coordinators.get(&group_id).map(|c| (*c, scene.coordinators_moved.contains(&group_id))),
            id: group_id,
        };
        let key = format!("group-{}", view.id);
        html! { <GroupBox {key} {view} compact={layout.compact} dense={layout.dense} onselect={props.onselect.clone()} /> }
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
    let links = engine
        .consumers
        .values()
        .filter(|c| c.is_running())
        .flat_map(|c| {
            let colour = colours.get(&c.client_id).copied().unwrap_or("#64748b");
            let anchor = consumer_anchor(&layout, &c.client_id);
            let (layout, lit_link) = (&layout, &lit_link);
            c.assignment.iter().filter_map(move |tp| {
                let y1 = *layout.anchor_y.get(tp)?;
                Some(LinkView {
                    client: c.client_id.clone(),
                    tp: tp.clone(),
                    from: (TOPIC_X + TOPIC_W, y1),
                    to: anchor?,
                    colour,
                    thin: layout.compact,
                    lit: layout.compact && lit_link(&c.client_id, tp),
                })
            })
        })
        .chain(share::links(scene, &layout))
        .collect::<Vec<_>>();

    // A dot flying from a producer to the lane for each record written in this step.
    let flights = marks.produced.iter().filter_map(|(producer, tp, offset)| {
        let py = layout.producer_y.get(producer)? + 28;
        let ly = *layout.anchor_y.get(tp)?;
        let (x1, x2) = (PRODUCER_X + PRODUCER_W, TOPIC_X + LANE_LABEL_W);
        Some(html! {
            <circle key={format!("flight-{tp}-{offset}")} class="flight" r="6" style={flight_path(x1, py, x2, ly)} />
        })
    });

    // A waiting record reaching its lane at last: a chip with its name flies from the
    // producer, slowly enough to follow (1.2 s), and the cell keeps a ring while it is recent.
    let landings = scene.landings.iter().filter_map(|l| {
        let py = layout.producer_y.get(&l.producer)? + 28;
        let ly = *layout.anchor_y.get(&l.partition)?;
        let (x1, x2) = (PRODUCER_X + PRODUCER_W, TOPIC_X + LANE_LABEL_W);
        let label = super::palette::short(&l.name, 10);
        let w = label.chars().count() as i64 * 8 + 14;
        Some(html! {
            <g key={format!("landing-{}-{}-{}", l.partition, l.offset, l.step)} class="landing" style={flight_path(x1, py, x2, ly)} data-partition={l.partition.to_string()} data-offset={l.offset.to_string()} data-producer={l.producer.clone()}>
                <rect x={(-w / 2).to_string()} y="-11" width={w.to_string()} height="22" rx="11" />
                <text y="5">{label}</text>
            </g>
        })
    });

    // Partitions travelling in a rebalance: a revoked one flies from its old owner back to
    // its lane, an assigned one from its lane to its new owner (eager revokes all, then
    // assigns all; cooperative moves only what changes hands). Each is placed by how far it
    // has flown in simulated time, so it moves with the clock (slowly in slow motion) and
    // glides between ticks by a CSS transition.
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
            <Links {links} />
            // Every list sits in its own group: Yew matches unkeyed siblings from the end, so a
            // list that grows or shrinks among them (a flight taking off) would make it rebuild
            // every element before it, and a focused control would lose the focus each tick.
            <g class="producers">{ for producers }</g>
            if scene.cluster.shown() {
                <brokers::BrokerColumn brokers={scene.cluster.brokers.clone()} top={layout.brokers_top} selected={match props.selection { Some(Selection::Broker(b)) => Some(b), _ => None }} onselect={props.onselect.clone()} />
            }
            <g class="topics">{ for topics }</g>
            { txn::pipelines(engine, &layout.header_y, props.selection.as_ref(), &props.onselect) }
            <g class="groups">{ for groups }</g>
            { share::group_boxes(scene, &layout, props.selection.as_ref(), &props.onselect) }
            <g class="flights">{ for flights }{ for landings }</g>
            <g class="handovers">{ for handovers }</g>
            if !scene.comparison.is_empty() && !layout.compact {
                <reconcile::Comparison costs={scene.comparison.clone()} x={PRODUCER_X} y={layout.comparison_y} width={TOPIC_X - PRODUCER_X - 16} />
            }
            if engine.topics.is_empty() {
                <text x={(TOPIC_X + 20).to_string()} y="90" class="empty-hint">{"No topics yet: create one with the form or type kafka-topics --create --topic orders --partitions 3"}</text>
            }
        </svg>
    }
}

/// The topics an overview shows folded. A topic's name, dispatched, folds or unfolds it
/// from the state current when it is applied, so quick clicks and keys never act on a stale one.
#[derive(Default, PartialEq)]
struct FoldedTopics(std::collections::BTreeSet<String>);

impl Reducible for FoldedTopics {
    type Action = String;

    fn reduce(self: Rc<Self>, topic: String) -> Rc<Self> {
        let mut folded = self.0.clone();
        if !folded.remove(&topic) {
            folded.insert(topic);
        }
        Rc::new(Self(folded))
    }
}

/// Where a CSS flight (`.flight`, `.landing`) starts and ends, as the custom properties its
/// keyframes move between. A CSS animation starts when its element appears; SVG's
/// `animateMotion` would count from the page's load and be over before it was seen.
fn flight_path(x1: i64, y1: i64, x2: i64, y2: i64) -> String {
    format!(
        "--x1:{x1}px;--y1:{y1}px;--x2:{x2}px;--y2:{y2}px;--ym:{}px",
        (y1 + y2) / 2
    )
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
