//! The brokers of a cluster, drawn only when there are two or more: a column of broker boxes
//! under the producers (node id and state: up, stopped, crashed, fenced, slow), and on every
//! lane a row of its replicas (one chip per broker holding one, the leader's marked by a
//! badge that slides to the new leader, each chip in sync, out of sync or offline, with its
//! log end offset), the high watermark as a dashed line across the records, and the records
//! above it faded and hatched: written, not yet readable. The facts come from
//! [`crate::read::cluster::ClusterPicture`]; this module only places and formats them.

use yew::prelude::*;

use super::super::inspector::button;
use super::super::state::Selection;
use super::{CELLS_TOP, CELL_H, LANE_LABEL_W, PRODUCER_W, PRODUCER_X, THIN_H, TOPIC_X};
use crate::engine::replication::BrokerId;
use crate::engine::{Command, TopicPartition};
use crate::read::cluster::{
    BrokerFacts, BrokerState, ClusterPicture, PartitionFacts, ReplicaState,
};
use crate::read::scene::Scene;

/// The height the replica row adds at the bottom of a full lane.
pub const REPLICA_ROW_H: i64 = 24;
const CHIP_W: i64 = 104;
const CHIP_H: i64 = 18;
const CHIP_GAP: i64 = 6;
/// A broker box's height and the step from one to the next.
const BROKER_H: i64 = 40;
const BROKER_STEP: i64 = 46;
/// The column's title and its legend.
const TITLE_H: i64 = 18;
const LEGEND_H: i64 = 58;
/// A replica's box on a thin lane.
const THIN_REPLICA_W: i64 = 15;
/// The room a thin lane gives its replicas, at its right end.
pub const THIN_REPLICAS_W: i64 = 3 * THIN_REPLICA_W + 6;

/// The extra height of a full lane: the replica row, when the cluster is drawn.
pub fn replica_row_h(cluster: &ClusterPicture) -> i64 {
    if cluster.shown() {
        REPLICA_ROW_H
    } else {
        0
    }
}

/// The offsets a lane's axis keeps cells around: the high watermark and each replica's end.
pub fn lane_interests(cluster: &ClusterPicture, tp: &TopicPartition) -> Vec<i64> {
    cluster.partitions.get(tp).map_or_else(Vec::new, |f| {
        std::iter::once(f.high_watermark)
            .chain(f.replica_logs.iter().map(|r| r.log_end_offset))
            .collect()
    })
}

/// One partition's replicas as its lane draws them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneReplicas {
    pub facts: PartitionFacts,
    /// Each replica's state, in replica order.
    pub states: Vec<ReplicaState>,
}

/// The replicas of a partition, when the cluster is drawn.
pub fn lane_replicas(cluster: &ClusterPicture, tp: &TopicPartition) -> Option<LaneReplicas> {
    let facts = cluster.partitions.get(tp)?.clone();
    let states = facts
        .replicas
        .iter()
        .map(|&b| cluster.replica_state(&facts, b))
        .collect();
    Some(LaneReplicas { facts, states })
}

/// The bottom of the broker column that starts at `top` (`top` when nothing is drawn).
pub fn column_bottom(cluster: &ClusterPicture, top: i64) -> i64 {
    if !cluster.shown() {
        return top;
    }
    top + TITLE_H + cluster.brokers.len() as i64 * BROKER_STEP + LEGEND_H
}

/// What a broker box's second line says.
fn broker_meta(b: &BrokerFacts) -> String {
    let state = match b.state {
        BrokerState::Running if b.slow_factor > 1 => format!("slow ÷{}", b.slow_factor),
        BrokerState::Running => "up".to_string(),
        // A broker that is down leads nothing: its state alone fits the box.
        BrokerState::Stopped => return "stopped".to_string(),
        BrokerState::Crashed => return "crashed".to_string(),
        BrokerState::Fenced => return "crashed, fenced".to_string(),
        BrokerState::Registering => return "restarting…".to_string(),
    };
    format!("{state} · leads {}", b.leads)
}

fn state_class(state: BrokerState) -> &'static str {
    match state {
        BrokerState::Running => "up",
        BrokerState::Stopped => "stopped",
        BrokerState::Crashed => "crashed",
        BrokerState::Fenced => "fenced",
        BrokerState::Registering => "registering",
    }
}

#[derive(Properties, PartialEq)]
pub struct BrokerColumnProps {
    pub brokers: Vec<BrokerFacts>,
    /// The column's top.
    pub top: i64,
    pub selected: Option<BrokerId>,
    pub onselect: Callback<Option<Selection>>,
}

/// The column of broker boxes, with the hatch the lanes use above the high watermark and a
/// legend of the replica chips.
#[function_component(BrokerColumn)]
pub fn broker_column(props: &BrokerColumnProps) -> Html {
    let top = props.top;
    let boxes = props.brokers.iter().enumerate().map(|(i, b)| {
        let y = top + TITLE_H + i as i64 * BROKER_STEP;
        let id = b.id;
        let onclick = super::select_click(&props.onselect, Selection::Broker(id));
        let onkeydown = super::select_key(&props.onselect, Selection::Broker(id));
        let meta = broker_meta(b);
        let class = classes!(
            "broker",
            state_class(b.state),
            (b.slow_factor > 1).then_some("slow"),
            (props.selected == Some(id)).then_some("selected")
        );
        html! {
            <g key={format!("broker-{id}")} {class} data-broker={id.to_string()} data-state={state_class(b.state)}
               transform={format!("translate({PRODUCER_X},{y})")} {onclick} {onkeydown} tabindex="0" role="button"
               aria-label={format!("Broker {id} {meta}: broker {id}")}>
                <title>{format!("Broker {id}: {meta}. Click to stop, crash, start or slow it.")}</title>
                <rect width={PRODUCER_W.to_string()} height={BROKER_H.to_string()} rx="8" />
                <text x="10" y="17" class="name">{format!("Broker {id}")}{" "}</text>
                <text x="10" y="33" class="meta">{meta}</text>
            </g>
        }
    });
    let legend_y = top + TITLE_H + props.brokers.len() as i64 * BROKER_STEP + 4;
    let legend = [
        ("in-sync", "replica in sync (ISR)"),
        ("out-of-sync", "out of sync"),
        ("offline", "offline (broker down)"),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (class, text))| {
        let y = legend_y + i as i64 * 17;
        html! {
            <g class={classes!("replica", class)} transform={format!("translate({PRODUCER_X},{y})")}>
                <rect width="16" height="12" rx="3" />
                <text x="22" y="10" class="legend-text">{text}</text>
            </g>
        }
    });
    html! {
        <g class="brokers">
            <defs>
                <pattern id="above-hw-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect width="2.5" height="6" class="hatch-stroke" />
                </pattern>
            </defs>
            <text x={PRODUCER_X.to_string()} y={(top + 12).to_string()} class="column-title">{"Brokers"}</text>
            { for boxes }
            <g class="replica-legend">{ for legend }</g>
        </g>
    }
}

/// A full lane's replica row, high watermark and records above it. `x_of` places an offset
/// on the lane; `end` is the lane's log end.
pub fn lane_overlay(
    r: &LaneReplicas,
    y: i64,
    lane_h: i64,
    end: i64,
    x_of: &dyn Fn(i64) -> f64,
) -> Html {
    let f = &r.facts;
    let tp = &f.partition;
    let hw = f.high_watermark.min(end);
    let (x_hw, x_end) = (x_of(hw), x_of(end));
    let above = end - hw;
    let cells_top = y + CELLS_TOP;
    let above_hw = (above > 0).then(|| {
        let width = (x_end - x_hw).max(2.0);
        html! {
            <g class="above-hw" data-above-hw={above.to_string()}>
                <title>{format!("{tp}: offsets {hw} to {} are written on the leader but above the high watermark: no consumer reads them until every in-sync replica has them", end - 1)}</title>
                <rect class="above-hw-fade" x={format!("{x_hw:.1}")} y={cells_top.to_string()} width={format!("{width:.1}")} height={CELL_H.to_string()} />
                <rect class="above-hw-hatch" x={format!("{x_hw:.1}")} y={cells_top.to_string()} width={format!("{width:.1}")} height={CELL_H.to_string()} />
                if width >= 52.0 {
                    <text class="above-hw-label" x={format!("{:.1}", x_hw + width / 2.0)} y={(cells_top + CELL_H - 4).to_string()}>{"above HW"}</text>
                }
            </g>
        }
    });
    let row_y = y + lane_h - REPLICA_ROW_H + 2;
    let x0 = TOPIC_X + LANE_LABEL_W;
    let chip_x = |i: usize| x0 + i as i64 * (CHIP_W + CHIP_GAP);
    let chips = f.replica_logs.iter().zip(&r.states).enumerate().map(|(i, (replica, state))| {
        let b = replica.broker;
        let leader = f.leader == Some(b);
        let behind = f.replica_logs.iter().map(|l| l.log_end_offset).max().unwrap_or(0) - replica.log_end_offset;
        let text = format!("B{b}{} LEO {}", if leader { " ★" } else { "" }, replica.log_end_offset);
        html! {
            <g key={format!("replica-{b}")} class={classes!("replica", state.name(), leader.then_some("leader"))}
               data-replica={b.to_string()} data-state={state.name()} data-leader={leader.to_string()} data-log-end-offset={replica.log_end_offset.to_string()}
               transform={format!("translate({},{row_y})", chip_x(i))}>
                <title>{format!("{tp} on broker {b}: {}{}, log end offset {}{}",
                    if leader { "leader, " } else { "" }, state.name(), replica.log_end_offset,
                    if behind > 0 { format!(" ({behind} behind)") } else { String::new() })}</title>
                <rect width={CHIP_W.to_string()} height={CHIP_H.to_string()} rx="5" />
                <text x="7" y="13" class="replica-text">{text}</text>
            </g>
        }
    });
    // The leader's badge: one element that slides from chip to chip when leadership moves.
    let leader_index = f
        .leader
        .and_then(|l| f.replicas.iter().position(|&b| b == l));
    let badge_x = leader_index.map_or(
        chip_x(f.replicas.len().saturating_sub(1)) + CHIP_W + 8,
        chip_x,
    );
    let leader_mark = html! {
        <g class={classes!("leader-mark", leader_index.is_none().then_some("none"))} data-leader={f.leader.map(|l| l.to_string()).unwrap_or_default()}
           style={format!("transform:translate({}px,{}px)", badge_x - 3, row_y - 3)}>
            <rect width={(CHIP_W + 6).to_string()} height={(CHIP_H + 6).to_string()} rx="7" />
        </g>
    };
    let notes_x = chip_x(f.replicas.len()) + if leader_index.is_none() { 0 } else { 4 };
    let note = match (f.leader, above) {
        (None, _) => format!("no leader: offline · HW {}", f.high_watermark),
        (Some(_), 0) => format!("HW {hw}: all readable"),
        (Some(_), n) => format!("HW {hw} · {n} not yet readable"),
    };
    html! {
        <g class="lane-replicas" data-partition={tp.to_string()} data-high-watermark={f.high_watermark.to_string()}
           data-leader={f.leader.map(|l| l.to_string()).unwrap_or_default()} data-isr={f.isr.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(",")}>
            { for above_hw }
            <g class="hw-mark" transform={format!("translate({x_hw:.1},{})", cells_top - 4)}>
                <title>{format!("High watermark {}: consumers read below it", f.high_watermark)}</title>
                <line x1="0" y1="0" x2="0" y2={(CELL_H + 8).to_string()} />
            </g>
            { leader_mark }
            { for chips }
            <text class={classes!("replica-note", (above > 0).then_some("pending"), f.leader.is_none().then_some("offline"))} x={(notes_x + 6).to_string()} y={(row_y + 13).to_string()}>{note}</text>
        </g>
    }
}

/// A thin lane's replicas: one small box per replica, its broker's id inside, the leader's
/// filled. `right` is where the boxes end.
pub fn thin_replicas(r: &LaneReplicas, right: i64, y: i64) -> Html {
    let f = &r.facts;
    let n = f.replicas.len() as i64;
    let boxes = f.replicas.iter().zip(&r.states).enumerate().map(|(i, (&b, state))| {
        let leader = f.leader == Some(b);
        let x = right - (n - i as i64) * THIN_REPLICA_W;
        html! {
            <g key={format!("thin-replica-{b}")} class={classes!("replica", "thin", state.name(), leader.then_some("leader"))}
               data-replica={b.to_string()} data-state={state.name()} data-leader={leader.to_string()} transform={format!("translate({x},{})", y + 1)}>
                <title>{format!("{} on broker {b}: {}{}, log end offset {}", f.partition, if leader { "leader, " } else { "" }, state.name(),
                    f.replica_logs.get(i).map_or(0, |l| l.log_end_offset))}</title>
                <rect width={(THIN_REPLICA_W - 2).to_string()} height={(THIN_H - 2).to_string()} rx="3" />
                <text x={((THIN_REPLICA_W - 2) / 2).to_string()} y="10" class="thin-replica-text">{b}</text>
            </g>
        }
    });
    html! {
        <g class="thin-replicas" data-partition={f.partition.to_string()} data-leader={f.leader.map(|l| l.to_string()).unwrap_or_default()}>
            { for boxes }
        </g>
    }
}

/// The inspector's view of a broker: its state, what it leads and holds, and its actions,
/// each echoed as the console command it stands for.
pub fn broker_details(scene: &Scene, id: BrokerId, oc: &Callback<Command>) -> Html {
    let cluster = &scene.cluster;
    let Some(b) = cluster.brokers.iter().find(|b| b.id == id) else {
        return html! { <p class="hint">{format!("Broker {id} is not in the cluster.")}</p> };
    };
    let held: Vec<&PartitionFacts> = cluster
        .partitions
        .values()
        .filter(|f| f.replicas.contains(&id))
        .collect();
    let in_sync = held.iter().filter(|f| f.isr.contains(&id)).count();
    let running = b.state == BrokerState::Running;
    let state = match b.state {
        BrokerState::Running => "running",
        BrokerState::Stopped => "stopped (controlled shutdown)",
        BrokerState::Crashed => "crashed: the controller fences it when its session expires",
        BrokerState::Fenced => "crashed and fenced by the controller",
        BrokerState::Registering => {
            "restarted: its registration waits until the controller expires its old session"
        }
    };
    let led: Vec<String> = held
        .iter()
        .filter(|f| f.leader == Some(id))
        .map(|f| f.partition.to_string())
        .collect();
    html! {
        <>
        <h2>{format!("Broker {id}")}</h2>
        <dl class="facts">
            <dt>{"State"}</dt><dd data-field="broker-state">{state}</dd>
            <dt>{"Speed"}</dt><dd data-field="broker-speed">{ if b.slow_factor > 1 { format!("followers copy at 1/{}", b.slow_factor) } else { "normal".to_string() } }</dd>
            <dt>{"Leads"}</dt><dd data-field="broker-leads">{ if led.is_empty() { "nothing".to_string() } else { led.join(", ") } }</dd>
            <dt>{"Replicas"}</dt><dd>{format!("{} held, {in_sync} in sync", held.len())}</dd>
        </dl>
        <div class="actions">
            if running {
                { button("Stop", "broker-stop", oc, Command::StopBroker { broker: id }) }
                { button("Crash", "broker-crash", oc, Command::CrashBroker { broker: id }) }
                { button("Slow ÷2", "broker-slow", oc, Command::SlowBroker { broker: id, factor: b.slow_factor.saturating_mul(2).min(1024) }) }
                if b.slow_factor > 1 {
                    { button("Normal speed", "broker-normal", oc, Command::SlowBroker { broker: id, factor: 1 }) }
                }
            } else if b.state == BrokerState::Registering {
                { button("Crash", "broker-crash", oc, Command::CrashBroker { broker: id }) }
            } else {
                { button("Start", "broker-start", oc, Command::StartBroker { broker: id }) }
            }
            if cluster.brokers.len() < crate::engine::cluster::MAX_BROKERS {
                { button("+ Broker", "broker-add", oc, Command::AddBroker) }
            }
        </div>
        </>
    }
}
