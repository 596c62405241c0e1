//! An overview's topics: a header that folds a topic (click, Enter or space), then either a
//! summary row (partitions, records, each group's lag) or one thin lane per partition with
//! its log start and end and each group's committed offset. A thin lane is a component with
//! plain-value props, so the lanes no record reached are not drawn again.

use yew::prelude::*;

use super::super::palette::short;
use super::super::state::Selection;
use super::{Layout, SUMMARY_H, THIN_H, TOPIC_W, TOPIC_X};
use crate::engine::TopicPartition;
use crate::read::lane::short_count;

/// One group's committed mark on a thin lane.
#[derive(Clone, PartialEq)]
pub struct CommittedView {
    pub group: String,
    pub offset: i64,
    /// The colour of the member that owns the partition, or a muted one.
    pub colour: &'static str,
}

#[derive(Properties, PartialEq)]
pub struct ThinLaneProps {
    pub tp: TopicPartition,
    /// The lane's top-left corner.
    pub x: i64,
    pub y: i64,
    pub start: i64,
    pub end: i64,
    /// The largest log end of the topic: one scale for its lanes, so their lengths compare.
    pub widest_end: i64,
    pub committed: Vec<CommittedView>,
    pub selected: bool,
    pub onselect: Callback<Option<Selection>>,
    /// The partition's replicas, when a cluster of brokers is drawn.
    #[prop_or_default]
    pub replicas: Option<super::brokers::LaneReplicas>,
}

/// A thin lane's width: half the topic's.
const LANE_W: i64 = TOPIC_W / 2 - 4;

#[function_component(ThinLane)]
pub fn thin_lane(props: &ThinLaneProps) -> Html {
    let ThinLaneProps {
        tp,
        x,
        y,
        start,
        end,
        widest_end,
        ..
    } = props;
    let (x, y, start, end, widest_end) = (*x, *y, *start, *end, *widest_end);
    let p = tp.partition;
    let lane_w = LANE_W;
    let replicas_w = if props.replicas.is_some() {
        super::brokers::THIN_REPLICAS_W
    } else {
        0
    };
    let (bar_from, bar_to) = ((x + 36) as f64, (x + lane_w - 58 - replicas_w) as f64);
    let x_of = |offset: i64| {
        bar_from + (bar_to - bar_from) * offset.clamp(0, widest_end) as f64 / widest_end as f64
    };
    let committed = props.committed.iter().map(|CommittedView { group, offset, colour }| {
        html! {
            <rect key={group.clone()} class="thin-committed" data-group={group.clone()} data-committed={offset.to_string()}
                  x={format!("{:.1}", x_of(*offset) - 1.5)} y={(y + 1).to_string()} width="3" height={(THIN_H - 2).to_string()} style={format!("fill:{colour}")}>
                <title>{format!("Group {group} committed offset {offset} on {tp}")}</title>
            </rect>
        }
    });
    let onclick = super::select_click(&props.onselect, Selection::Partition(tp.clone()));
    let onkeydown = super::select_key(&props.onselect, Selection::Partition(tp.clone()));
    html! {
        <g class={classes!("thin-lane", props.selected.then_some("selected"))} data-partition={tp.to_string()}
           data-log-start-offset={start.to_string()} data-log-end-offset={end.to_string()}>
            <rect class="lane-bg" x={x.to_string()} y={y.to_string()} width={lane_w.to_string()} height={THIN_H.to_string()} rx="4"
                  {onclick} {onkeydown} tabindex="0" role="button"
                  aria-label={format!("P{p} {start} to {end}: partition {tp}, log start {start}, log end {end}; Enter shows its records")} />
            <text x={(x + 5).to_string()} y={(y + 12).to_string()} class="lane-label thin">{format!("P{p}")}</text>
            <rect class="thin-log" x={format!("{:.1}", x_of(start))} y={(y + 5).to_string()} width={format!("{:.1}", (x_of(end) - x_of(start)).max(1.0))} height={(THIN_H - 10).to_string()} />
            <>{ for committed }</>
            if let Some(r) = &props.replicas {
                { super::brokers::thin_replicas(r, x + lane_w - 58, y) }
            }
            <text x={(x + lane_w - 5).to_string()} y={(y + 12).to_string()} text-anchor="end" class="lane-meta thin">
                {format!("{}–{}", short_count(start), short_count(end))}
            </text>
        </g>
    }
}

/// What the overview needs to draw one topic.
pub struct OverviewTopic<'a> {
    pub topic: &'a crate::engine::Topic,
    pub layout: &'a Layout,
    pub header_y: i64,
    pub collapsed: bool,
    /// Each group that reads the topic, with its lag over the topic's partitions.
    pub lags: &'a [(String, Option<i64>)],
    pub ontoggle: Callback<()>,
    pub highlighted: bool,
    /// The thin lanes, one fragment (drawn when the topic is unfolded).
    pub thin: Html,
    /// The full lane of the partition selected, drawn under the thin ones.
    pub detail: Html,
}

/// One topic of an overview.
pub fn overview_topic(t: OverviewTopic) -> Html {
    let OverviewTopic {
        topic,
        layout,
        header_y,
        collapsed,
        lags,
        ontoggle,
        highlighted,
        thin,
        detail,
    } = t;
    let records: i64 = topic
        .partitions
        .iter()
        .map(|log| (log.log_end_offset() - log.log_start_offset()).max(0))
        .sum();
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
    html! {
        <g key={format!("topic-{}", topic.name)} class={classes!("topic", "overview", highlighted.then_some("highlight"))} data-topic={topic.name.clone()}>
            { header }
            <g class="thin-lanes">
                { thin }
                <g class="topic-detail">{ detail }</g>
            </g>
        </g>
    }
}
