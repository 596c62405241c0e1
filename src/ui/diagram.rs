//! The cluster drawn as one SVG: producers on the left, topics and their partitions as
//! lanes of records in the middle, consumer groups on the right, and a coloured link from
//! every partition to the consumer that owns it. Only a window of each lane is drawn, so
//! the cost of a frame does not grow with the log.

use std::collections::BTreeMap;

use yew::prelude::*;

use super::palette::{consumer_colour, key_colour, short};
use super::state::Selection;
use crate::engine::consumer::{ConsumerStatus, MemberPhase};
use crate::engine::{Engine, Event, TopicPartition};

const WIDTH: i64 = 1120;
const PRODUCER_X: i64 = 8;
const PRODUCER_W: i64 = 136;
const TOPIC_X: i64 = 176;
const TOPIC_W: i64 = 640;
const LANE_LABEL_W: i64 = 58;
const LANE_END_W: i64 = 64;
const LANE_H: i64 = 84;
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
const TOP: i64 = 16;

/// How many record cells fit in a lane.
pub const WINDOW_CELLS: i64 = (TOPIC_W - LANE_LABEL_W - LANE_END_W) / (CELL_W + CELL_GAP);

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    /// Changes whenever the state does.
    pub version: u64,
    pub engine: std::rc::Rc<Engine>,
    /// The events of the step that led to the state shown (animated).
    pub events: std::rc::Rc<Vec<Event>>,
    pub selection: Option<Selection>,
    pub onselect: Callback<Option<Selection>>,
    /// Lesson highlights: `partition:orders-1`, `consumer:c1`, `group:g`, `topic:t`, `producer:p`.
    #[prop_or_default]
    pub highlight: std::rc::Rc<Vec<String>>,
}

/// Stable colour index per consumer: its rank among all client ids.
pub fn consumer_colours(engine: &Engine) -> BTreeMap<String, &'static str> {
    engine
        .consumers
        .keys()
        .enumerate()
        .map(|(i, id)| (id.clone(), consumer_colour(i)))
        .collect()
}

struct Layout {
    lane_y: BTreeMap<TopicPartition, i64>,
    consumer_y: BTreeMap<String, i64>,
    producer_y: BTreeMap<String, i64>,
    height: i64,
}

/// The groups column: real groups plus standalone readers.
fn group_rows(engine: &Engine) -> Vec<(String, Vec<String>)> {
    let mut rows: BTreeMap<String, Vec<String>> = engine
        .groups
        .keys()
        .map(|g| (g.clone(), Vec::new()))
        .collect();
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

fn layout(engine: &Engine) -> Layout {
    let mut y = TOP;
    let mut lane_y = BTreeMap::new();
    for topic in engine.topics.values() {
        y += TOPIC_HEADER_H;
        for p in 0..topic.n_partitions() {
            lane_y.insert(TopicPartition::new(topic.name.clone(), p), y);
            y += LANE_H + LANE_GAP;
        }
        y += TOPIC_GAP;
    }
    let topics_bottom = y;
    let mut y = TOP;
    let mut consumer_y = BTreeMap::new();
    for (_, consumers) in group_rows(engine) {
        y += GROUP_HEADER_H;
        for c in consumers {
            consumer_y.insert(c, y);
            y += CONSUMER_H;
        }
        y += GROUP_GAP;
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
        consumer_y,
        producer_y,
        height: topics_bottom.max(groups_bottom).max(y).max(200),
    }
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let engine = &*props.engine;
    let layout = layout(engine);
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
        let first_lane = layout.lane_y.get(&TopicPartition::new(topic.name.clone(), 0)).copied().unwrap_or(TOP + TOPIC_HEADER_H);
        let header_y = first_lane - TOPIC_HEADER_H + 22;
        let configs = topic.configs_line();
        let lanes = topic.partitions.iter().enumerate().map(|(p, log)| {
            let tp = TopicPartition::new(topic.name.clone(), p as u32);
            let y = layout.lane_y[&tp];
            let start = log.log_start_offset();
            let end = log.log_end_offset();
            // The window ends at the log end; markers behind it are pinned to its left edge.
            let first = (end - WINDOW_CELLS).max(start);
            let cells_x = TOPIC_X + LANE_LABEL_W;
            let x_of = |offset: i64| cells_x + (offset - first).clamp(0, WINDOW_CELLS) * (CELL_W + CELL_GAP);
            let read_ranges = just_read.get(&tp);
            let cells = log.records_in_range(first, end).map(|r| {
                let key = r.key.as_deref();
                let fresh = produced.iter().any(|(_, ptp, o)| *ptp == tp && *o == r.offset);
                let read_by = read_ranges.and_then(|rs| rs.iter().find(|(f, t, _)| r.offset >= *f && r.offset < *t)).map(|(_, _, c)| c.clone());
                let tombstone = r.value.is_none();
                let selected = props.selection == Some(Selection::Record(tp.clone(), r.offset));
                let stroke = read_by.as_ref().and_then(|c| colours.get(c)).copied().unwrap_or("var(--cell-stroke)");
                html! {
                    <g key={r.offset} class={classes!("record", fresh.then_some("fresh"), read_by.is_some().then_some("just-read"), tombstone.then_some("tombstone"), selected.then_some("selected"))}
                       data-offset={r.offset.to_string()} data-key={key.unwrap_or("").to_string()}
                       transform={format!("translate({},{})", x_of(r.offset), y + 16)} onclick={select(Selection::Record(tp.clone(), r.offset))}>
                        <title>{format!("{tp} offset {}: key {}, value {}", r.offset, key.unwrap_or("null"), r.value.as_deref().unwrap_or("null (tombstone)"))}</title>
                        <rect width={CELL_W.to_string()} height="42" rx="6" style={format!("fill:{};stroke:{stroke}", key_colour(key))} />
                        <text x={(CELL_W / 2).to_string()} y="17" class="offset">{r.offset}</text>
                        <text x={(CELL_W / 2).to_string()} y="33" class="key">{key_label(key)}</text>
                    </g>
                }
            });
            // Committed offsets of every group with one on this partition.
            // Committed offsets of every group; groups at the same place share one label.
            let marks: Vec<(&str, i64, i64)> =
                engine.groups.values().filter_map(|g| g.committed.get(&tp).map(|c| (g.id.as_str(), c.offset, x_of(c.offset)))).collect();
            let committed = marks.iter().map(|(group, offset, x)| {
                let (offset, x) = (*offset, *x);
                let behind = offset < first;
                let here: Vec<&str> = marks.iter().filter(|(_, _, other)| *other == x).map(|(g, _, _)| *g).collect();
                let first_here = here.first() == Some(group);
                let names = match here.len() {
                    1 => short(group, 12),
                    2 => format!("{}, {}", short(here[0], 8), short(here[1], 8)),
                    n => format!("{n} groups"),
                };
                let label = if behind { format!("{names} @{offset}") } else { names };
                html! {
                    <g key={format!("committed-{group}")} class="committed" data-group={group.to_string()} data-committed={offset.to_string()} transform={format!("translate({},{y})", x - CELL_GAP / 2)}>
                        <title>{format!("Group {group} committed offset {offset} on {tp}{}", if behind { " (before the window)" } else { "" })}</title>
                        <path d="M -6 3 L 6 3 L 0 13 Z" />
                        if first_here {
                            <text x="8" y="12" class="marker-label">{label}</text>
                        }
                    </g>
                }
            });
            // Readers at the same place share one label, so names never pile up.
            let placed: Vec<(&crate::engine::Consumer, i64, i64)> = engine
                .consumers
                .values()
                .filter(|c| c.assignment.contains(&tp) && c.is_running())
                .filter_map(|c| c.positions.get(&tp).map(|pos| (c, *pos, x_of(*pos))))
                .collect();
            let mut spots: Vec<i64> = placed.iter().map(|(_, _, x)| *x).collect();
            spots.sort_unstable();
            spots.dedup();
            let readers = placed.iter().map(|(c, pos, x)| {
                let (pos, x) = (*pos, *x);
                let colour = colours.get(&c.client_id).copied().unwrap_or("#64748b");
                let here: Vec<&str> = placed.iter().filter(|(_, _, other)| *other == x).map(|(o, _, _)| o.client_id.as_str()).collect();
                let row = spots.iter().position(|s| *s == x).unwrap_or(0) as i64 % 2;
                let first_here = here.first() == Some(&c.client_id.as_str());
                let names = match here.len() {
                    1 => short(&c.client_id, 12),
                    2 => format!("{}, {}", short(here[0], 8), short(here[1], 8)),
                    n => format!("{n} readers"),
                };
                let label = if pos < first { format!("{names} @{pos} ←") } else { format!("{names} @{pos}") };
                html! {
                    <g key={format!("position-{}", c.client_id)} class="position" data-consumer={c.client_id.clone()} data-position={pos.to_string()}
                       transform={format!("translate({},{y})", x - CELL_GAP / 2)} style={format!("--c:{colour}")}>
                        <title>{format!("{} position on {tp}: {pos} (next record it will fetch)", c.client_id)}</title>
                        <line x1="0" y1="14" x2="0" y2={(LANE_H - 12 + 11 * row).to_string()} />
                        if first_here {
                            <text x="4" y={(LANE_H - 13 + 11 * row).to_string()} class="marker-label">{label}</text>
                        }
                    </g>
                }
            });
            let selected = props.selection == Some(Selection::Partition(tp.clone()));
            html! {
                <g key={tp.to_string()} class={classes!("lane", selected.then_some("selected"), (lit("partition", &tp.to_string()) || lit("topic", &tp.topic)).then_some("highlight"))} data-partition={tp.to_string()}
                   data-log-start-offset={start.to_string()} data-log-end-offset={end.to_string()}>
                    <rect class="lane-bg" x={TOPIC_X.to_string()} y={y.to_string()} width={TOPIC_W.to_string()} height={LANE_H.to_string()} rx="8"
                          onclick={select(Selection::Partition(tp.clone()))} tabindex="0" role="button"
                          aria-label={format!("Partition {tp}: log start {start}, log end {end}")} onkeydown={select_key(Selection::Partition(tp.clone()))} />
                    <text x={(TOPIC_X + 10).to_string()} y={(y + 38).to_string()} class="lane-label">{format!("P{p}")}</text>
                    <text x={(TOPIC_X + 10).to_string()} y={(y + 56).to_string()} class="lane-meta">{format!("from {start}")}</text>
                    { for cells }
                    if let Some(text) = removed.get(&tp) {
                        <text class="removed-note" x={(TOPIC_X + LANE_LABEL_W + 8).to_string()} y={(y + 44).to_string()}>{text.clone()}</text>
                    }
                    <g class="log-end" transform={format!("translate({},{})", x_of(end), y)}>
                        <line x1="-2" y1="14" x2="-2" y2={(LANE_H - 26).to_string()} />
                        <text x="4" y="36" class="lane-meta">{format!("end {end}")}</text>
                        <text x="4" y="52" class="lane-meta">{format!("{} rec", log.record_count().min((end - start).max(0) as usize))}</text>
                    </g>
                    { for committed }
                    { for readers }
                </g>
            }
        });
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
        let first_y = members.first().and_then(|m| layout.consumer_y.get(m)).copied();
        let header_y = match first_y {
            Some(y) => y - GROUP_HEADER_H,
            None => {
                // An empty group: place it after the previous rows (computed like layout).
                let mut y = TOP;
                for (g, ms) in group_rows(engine) {
                    if g == group_id {
                        break;
                    }
                    y += GROUP_HEADER_H + CONSUMER_H * ms.len() as i64 + GROUP_GAP;
                }
                y
            }
        };
        let group = engine.groups.get(&group_id);
        let state = group.map(|g| g.state);
        let height = GROUP_HEADER_H + CONSUMER_H * members.len() as i64;
        let title = if group_id.is_empty() { "standalone readers".to_string() } else { group_id.clone() };
        let state_class = state.map(|s| s.name().to_string()).unwrap_or_else(|| "Standalone".into());
        let lag: i64 = group.map(|g| g.committed.keys().filter_map(|tp| engine.committed_lag(g, tp)).sum()).unwrap_or(0);
        let subtitle = match group {
            Some(g) => g.protocol.map(|p| format!(" · {}", p.name())).unwrap_or_default(),
            None => " · assign(), no rebalancing".into(),
        };
        let generation = group.map(|g| format!("gen {} · lag {lag}", g.generation)).unwrap_or_default();
        let rows = members.iter().map(|client| {
            let Some(c) = engine.consumers.get(client) else { return html! {} };
            let y = layout.consumer_y[client];
            let colour = colours.get(client).copied().unwrap_or("#64748b");
            let status = match &c.status {
                ConsumerStatus::Running if c.paused => "paused".to_string(),
                ConsumerStatus::Running => match c.phase {
                    MemberPhase::Joining => "joining…".into(),
                    MemberPhase::Syncing => "syncing…".into(),
                    _ if c.assignment.is_empty() && c.is_subscriber() => "idle".into(),
                    _ => c.assignment.iter().map(|tp| if tp.topic.len() > 8 { format!("P{}", tp.partition) } else { tp.to_string() }).collect::<Vec<_>>().join(", "),
                },
                ConsumerStatus::Stopped => "stopped".into(),
                ConsumerStatus::Crashed => {
                    let expires = group.and_then(|g| g.members.iter().find(|m| m.client_id == *client)).map(|m| {
                        let deadline = m.last_heartbeat_tick + crate::engine::time::ms_to_ticks(m.session_timeout_ms);
                        deadline.saturating_sub(engine.tick) as f64 / 10.0
                    });
                    match expires {
                        Some(s) => format!("crashed · session ends in {s:.1}s"),
                        None => "crashed".into(),
                    }
                }
                ConsumerStatus::Failed(_) => "failed".into(),
            };
            let dead = !c.is_running();
            let idle = c.is_running() && c.assignment.is_empty() && c.phase == MemberPhase::Stable;
            let selected = props.selection == Some(Selection::Consumer(client.clone()));
            html! {
                <g key={format!("consumer-{client}")} class={classes!("consumer", lit("consumer", client).then_some("highlight"), dead.then_some("dead"), idle.then_some("idle"), c.paused.then_some("paused"), selected.then_some("selected"))}
                   data-consumer={client.clone()} data-status={status.clone()} data-owned={c.assignment.iter().map(|tp| tp.to_string()).collect::<Vec<_>>().join(",")}
                   transform={format!("translate({},{y})", GROUP_X + 10)} onclick={select(Selection::Consumer(client.clone()))}
                   tabindex="0" role="button" aria-label={format!("{} {}: consumer {client}, {status}", short(client, 16), short(&status, 30))} onkeydown={select_key(Selection::Consumer(client.clone()))}>
                    <title>{format!("Consumer {client}: {status}")}</title>
                    <rect width={(GROUP_W - 20).to_string()} height={(CONSUMER_H - 6).to_string()} rx="8" style={format!("--c:{colour}")} />
                    <circle cx="16" cy={((CONSUMER_H - 6) / 2).to_string()} r="7" style={format!("fill:{colour}")} />
                    <text x="30" y="16" class="name">{short(client, 16)}{" "}</text>
                    <text x="30" y="32" class="meta">{short(&status, 30)}</text>
                </g>
            }
        });
        let selected = props.selection == Some(Selection::Group(group_id.clone()));
        html! {
            <g key={format!("group-{group_id}")} class={classes!("group", selected.then_some("selected"), lit("group", &group_id).then_some("highlight"))} data-group={group_id.clone()} data-state={state_class.clone()}
               onclick={select(Selection::Group(group_id.clone()))}
               data-generation={group.map(|g| g.generation.to_string()).unwrap_or_default()}>
                // The focusable control is the group's box, not the whole group: the group
                // holds its consumers, which are controls of their own (none nested in another).
                <rect class="group-bg" x={GROUP_X.to_string()} y={header_y.to_string()} width={GROUP_W.to_string()} height={(height + 8).to_string()} rx="12"
                      tabindex="0" role="button" aria-label={format!("Group {title}: {state_class}")} onkeydown={select_key(Selection::Group(group_id.clone()))} />
                <text x={(GROUP_X + 14).to_string()} y={(header_y + 22).to_string()} class="group-name">{short(&title, 20)}</text>
                <text x={(GROUP_X + GROUP_W - 12).to_string()} y={(header_y + 22).to_string()} text-anchor="end" class="group-meta">{generation}</text>
                <text x={(GROUP_X + 14).to_string()} y={(header_y + 41).to_string()} class="group-meta">
                    <tspan class={classes!("state-badge", state_class.clone())}>{state_class.clone()}</tspan>{subtitle}
                </text>
                { for rows }
            </g>
        }
    });

    // A link from every partition to the running consumer that owns it.
    let lane_y = &layout.lane_y;
    let links = engine.consumers.values().filter(|c| c.is_running()).flat_map(|c| {
        let colour = colours.get(&c.client_id).copied().unwrap_or("#64748b");
        let cy = layout.consumer_y.get(&c.client_id).copied();
        c.assignment.iter().filter_map(move |tp| {
            let ly = lane_y.get(tp)?;
            let cy = cy?;
            let (x1, y1) = (TOPIC_X + TOPIC_W, ly + LANE_H / 2);
            let (x2, y2) = (GROUP_X + 10, cy + (CONSUMER_H - 6) / 2);
            let mid = (x1 + x2) / 2;
            Some(html! {
                <path key={format!("link-{}-{tp}", c.client_id)} class="link" data-link={format!("{tp}>{}", c.client_id)}
                      d={format!("M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}")} style={format!("stroke:{colour}")} />
            })
        })
    });

    // A dot flying from a producer to the lane for each record written in this step.
    let flights = produced.iter().filter_map(|(producer, tp, offset)| {
        let py = layout.producer_y.get(producer)? + 28;
        let ly = layout.lane_y.get(tp)? + LANE_H / 2;
        let (x1, x2) = (PRODUCER_X + PRODUCER_W, TOPIC_X + LANE_LABEL_W);
        Some(html! {
            <circle key={format!("flight-{tp}-{offset}")} class="flight" r="6">
                <animateMotion dur="0.45s" fill="freeze" path={format!("M {x1} {py} C {} {py}, {} {ly}, {x2} {ly}", x1 + 40, x2 - 40)} />
                <animate attributeName="opacity" from="1" to="0" begin="0.4s" dur="0.1s" fill="freeze" />
            </circle>
        })
    });

    let height = layout.height;
    let onbackground = {
        let onselect = props.onselect.clone();
        Callback::from(move |_| onselect.emit(None))
    };
    html! {
        <svg class="diagram" viewBox={format!("0 0 {WIDTH} {height}")} role="group" aria-labelledby="diagram-title" onclick={onbackground}
             style={format!("--diagram-h:{height}")}>
            <title id="diagram-title">{format!(
                "Cluster at tick {}: {} topic(s), {} producer(s), {} consumer(s) in {} group(s)",
                engine.tick, engine.topics.len(), engine.producers.len(), engine.consumers.len(), engine.groups.len()
            )}</title>
            <text x={PRODUCER_X.to_string()} y={(TOP + 10).to_string()} class="column-title">{"Producers"}</text>
            <text x={GROUP_X.to_string()} y={(TOP - 2).to_string()} class="column-title">{"Consumer groups"}</text>
            <g class="links">{ for links }</g>
            { for producers }
            { for topics }
            { for groups }
            { for flights }
            if engine.topics.is_empty() {
                <text x={(TOPIC_X + 20).to_string()} y="90" class="empty-hint">{"No topics yet: create one with the form or type kafka-topics --create --topic orders --partitions 3"}</text>
            }
        </svg>
    }
}

/// A short label for a key: whole if short, else its start and its last `-` part
/// (`customer-42` becomes `cust…42`).
fn key_label(key: Option<&str>) -> String {
    match key {
        None => "∅".into(),
        Some(k) if k.chars().count() <= 7 => k.to_string(),
        Some(k) => match k.rsplit_once('-') {
            Some((head, tail)) if !tail.is_empty() && tail.chars().count() <= 4 => {
                format!(
                    "{}…{tail}",
                    head.chars()
                        .take(6 - tail.chars().count().min(4))
                        .collect::<String>()
                )
            }
            _ => short(k, 7),
        },
    }
}
