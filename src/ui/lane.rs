//! One partition drawn as a lane of record cells, with the consumer's position marked.

use yew::prelude::*;

use crate::engine::log::PartitionLog;
use crate::engine::TopicPartition;

const CELL_WIDTH: i64 = 64;
const CELL_GAP: i64 = 6;
const LANE_HEIGHT: i64 = 64;
/// How many of the newest records a lane draws.
const WINDOW_RECORDS: i64 = 14;

#[derive(Properties, PartialEq)]
pub struct LaneProps {
    pub partition: TopicPartition,
    pub log: PartitionLog,
    pub position: Option<i64>,
    pub consumer: AttrValue,
}

#[function_component(Lane)]
pub fn lane(props: &LaneProps) -> Html {
    let log = &props.log;
    let end = log.log_end_offset();
    let first = (end - WINDOW_RECORDS).max(log.log_start_offset());
    let x_of = |offset: i64| (offset - first) * (CELL_WIDTH + CELL_GAP) + 90;
    let cells = log
        .read(first, WINDOW_RECORDS as usize)
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let key = r.key.as_deref().unwrap_or("null").to_string();
            let title = format!("offset {}: key {}, value {}", r.offset, key, r.value.as_deref().unwrap_or("null"));
            let read = props.position.is_some_and(|p| r.offset < p);
            html! {
                <g key={r.offset} class={classes!("record", read.then_some("read"))} data-offset={r.offset.to_string()} data-key={key.clone()}
                   transform={format!("translate({},8)", x_of(r.offset))}>
                    <title>{title}</title>
                    <rect width={CELL_WIDTH.to_string()} height="48" rx="6" />
                    <text x="32" y="20" class="offset">{r.offset}</text>
                    <text x="32" y="38" class="key">{truncate(&key, 8)}</text>
                </g>
            }
        })
        .collect::<Html>();
    let marker = props.position.map(|p| {
        let x = x_of(p) - CELL_GAP / 2;
        html! {
            <g class="position" data-consumer={props.consumer.clone()} data-position={p.to_string()} transform={format!("translate({x},0)")}>
                <title>{format!("{} position: {}", props.consumer, p)}</title>
                <line x1="0" y1="2" x2="0" y2={(LANE_HEIGHT - 2).to_string()} />
                <text x="4" y={(LANE_HEIGHT - 2).to_string()}>{format!("{} @{}", props.consumer, p)}</text>
            </g>
        }
    });
    let width = 90 + WINDOW_RECORDS * (CELL_WIDTH + CELL_GAP) + 120;
    html! {
        <svg class="lane" data-partition={props.partition.to_string()} data-log-end-offset={end.to_string()}
             viewBox={format!("0 0 {width} {LANE_HEIGHT}")} role="img" aria-label={format!("Partition {}", props.partition)}>
            <title>{format!("Partition {} — {} records, log end offset {}", props.partition, end - log.log_start_offset(), end)}</title>
            <text x="8" y="38" class="lane-label">{format!("P{}", props.partition.partition)}</text>
            { cells }
            { marker.unwrap_or_default() }
        </svg>
    }
}

fn truncate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max_chars - 1).collect();
        t.push('…');
        t
    }
}
