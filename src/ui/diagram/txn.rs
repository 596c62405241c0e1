//! Transactions on the diagram (SEMANTICS-4 §D.4): on a lane, each commit or abort marker in
//! the offset it takes (a tag, not a record: "C commit" or "A abort"), the records of an open
//! transaction outlined and aborted ones struck through, and the last stable offset (LSO)
//! as a line across the lane; and each consume-transform-produce pipeline as a box on its
//! output topic's header with an arrow from its input topic. Drawn only when transactions
//! or pipelines are in use.

use std::collections::BTreeMap;

use yew::prelude::*;

use super::{CELLS_TOP, CELL_GAP, CELL_H, TOPIC_W, TOPIC_X};
use crate::engine::txn::pipeline::{Guarantee, PipelineStatus};
use crate::engine::Engine;
use crate::read::txn::{LaneTxn, RecordTxnState};
use crate::ui::state::Selection;

/// A lane's transactional overlay; `x_of` places an offset's cell.
pub fn lane_overlay(
    txn: &LaneTxn,
    x_of: &dyn Fn(i64) -> f64,
    y: i64,
    lane_h: i64,
    cell_w: f64,
) -> Html {
    let w = (cell_w - CELL_GAP as f64).max(4.0);
    let narrow = w < 40.0;
    let top = y + CELLS_TOP;
    let records = txn.records.iter().map(|&(offset, state)| {
        let x = x_of(offset) + CELL_GAP as f64 / 2.0;
        match state {
            RecordTxnState::Open => html! {
                <g key={format!("open-{offset}")} class="txn-record open" data-offset={offset.to_string()} transform={format!("translate({x:.1},{top})")}>
                    <title>{format!("Offset {offset}: in an open transaction. read_uncommitted readers get it now; read_committed readers wait at the LSO until it commits or aborts.")}</title>
                    <rect x="-1" y="-1" width={format!("{:.1}", w + 2.0)} height={(CELL_H + 2).to_string()} rx="7" />
                    if !narrow {
                        <rect class="txn-pill" x="4" y={(CELL_H - 7).to_string()} width={format!("{:.1}", w - 8.0)} height="14" rx="7" />
                        <text x={format!("{:.1}", w / 2.0)} y={(CELL_H + 4).to_string()} class="txn-tag" textLength={format!("{:.1}", (w - 14.0).min(28.0))} lengthAdjust="spacingAndGlyphs">{"open"}</text>
                    }
                </g>
            },
            RecordTxnState::Aborted => html! {
                <g key={format!("aborted-{offset}")} class="txn-record aborted" data-offset={offset.to_string()} transform={format!("translate({x:.1},{top})")}>
                    <title>{format!("Offset {offset}: its transaction was aborted. read_committed readers skip it forever; read_uncommitted readers still get it.")}</title>
                    <rect class="veil" width={format!("{w:.1}")} height={CELL_H.to_string()} rx="6" />
                    <line x1="3" y1={(CELL_H - 3).to_string()} x2={format!("{:.1}", w - 3.0)} y2="3" />
                    if !narrow {
                        <rect class="txn-pill" x="1" y={(CELL_H - 7).to_string()} width={format!("{:.1}", w - 2.0)} height="14" rx="7" />
                        <text x={format!("{:.1}", w / 2.0)} y={(CELL_H + 4).to_string()} class="txn-tag" textLength={format!("{:.1}", w - 6.0)} lengthAdjust="spacingAndGlyphs">{"aborted"}</text>
                    }
                </g>
            },
        }
    });
    let markers = txn.markers.iter().map(|m| {
        let x = x_of(m.offset) + CELL_GAP as f64 / 2.0;
        let (kind, letter, word) = if m.commit { ("commit", "C", "commit") } else { ("abort", "A", "abort") };
        // A tag with a notched bottom: no record has this shape.
        let shape = format!("M 0 4 Q 0 0 4 0 L {r:.1} 0 Q {w:.1} 0 {w:.1} 4 L {w:.1} {h} L {mid:.1} {n} L 0 {h} Z", r = w - 4.0, h = CELL_H, mid = w / 2.0, n = CELL_H - 8);
        html! {
            <g key={format!("marker-{}", m.offset)} class={classes!("txn-marker", kind)} data-offset={m.offset.to_string()} data-kind={kind} transform={format!("translate({x:.1},{top})")}>
                <title>{format!("Offset {}: a {} marker. It takes an offset but is no record: no application ever gets it, and readers' positions pass it.", m.offset, word.to_uppercase())}</title>
                <path d={shape} />
                <text x={format!("{:.1}", w / 2.0)} y="16" class="txn-marker-letter">{if narrow { letter.to_string() } else { format!("{letter} {}", m.offset) }}</text>
                if !narrow {
                    <text x={format!("{:.1}", w / 2.0)} y="30" class="txn-marker-word" textLength={format!("{:.1}", (w - 6.0).min(if m.commit { 44.0 } else { 36.0 }))} lengthAdjust="spacingAndGlyphs">{word}</text>
                }
            </g>
        }
    });
    let lso = txn.last_stable_offset;
    let lx = x_of(lso) - 2.0;
    let pinned = lso < txn.high_watermark;
    html! {
        <g class="txn-overlay">
            <g class="txn-records">{ for records }</g>
            <g class="txn-markers">{ for markers }</g>
            <g class={classes!("txn-lso", pinned.then_some("pinned"))} data-lso={lso.to_string()} transform={format!("translate({lx:.1},{y})")}>
                <title>{format!("Last stable offset {lso}: read_committed readers get records below it only{}", if pinned { "; an open transaction holds it back" } else { " (no open transaction: it equals the high watermark)" })}</title>
                <line x1="0" y1="0" x2="0" y2={(lane_h - 4).to_string()} />
                <g transform="translate(0,0)">
                    <rect class="txn-lso-bg" x="-27" y="-8" width="54" height="15" rx="4" />
                    <text class="txn-lso-label" y="4">{format!("LSO {lso}")}</text>
                </g>
            </g>
        </g>
    }
}

/// Each pipeline as a box on its output topic's header, with an arrow from its input
/// topic's header along the lanes' right edge. `header_y` is each drawn topic's header top.
/// A box is a button: a click, Enter or space selects it (the inspector then shows its
/// crash, start and stop actions).
pub fn pipelines(
    engine: &Engine,
    header_y: &BTreeMap<String, i64>,
    selection: Option<&Selection>,
    onselect: &Callback<Option<Selection>>,
) -> Html {
    let boxes = engine.pipelines.values().filter_map(|p| {
        let to_y = *header_y.get(&p.spec.to_topic)?;
        let from_y = header_y.get(&p.spec.from_topic).copied();
        let guarantee = match p.spec.guarantee {
            Guarantee::ExactlyOnce => "exactly-once",
            Guarantee::AtLeastOnce => "at-least-once",
        };
        let status = match &p.status {
            PipelineStatus::Running => "running".to_string(),
            PipelineStatus::Stopped => "stopped".to_string(),
            PipelineStatus::Crashed => "crashed".to_string(),
            PipelineStatus::Failed(_) => "failed".to_string(),
        };
        let text = format!("⚙ {} ← {} · {guarantee} · {status}", p.spec.name, p.spec.from_topic);
        let box_w = (super::label_width(&text) + 16.0).min(TOPIC_W as f64 - 120.0);
        let box_x = (TOPIC_X + TOPIC_W) as f64 - box_w - 6.0;
        let edge = (TOPIC_X + TOPIC_W + 10) as f64;
        let arrow = from_y.map(|fy| {
            let (y1, y2) = (fy - 6, to_y - 6);
            html! {
                <path class="pipeline-arrow" d={format!("M {:.1} {y1} L {edge:.1} {y1} L {edge:.1} {y2} L {:.1} {y2}", (TOPIC_X + TOPIC_W) as f64 - 4.0, box_x + box_w + 2.0)} marker-end="url(#pipeline-head)" />
            }
        });
        let me = Selection::Pipeline(p.spec.name.clone());
        let selected = selection == Some(&me);
        let onclick = super::select_click(onselect, me.clone());
        let onkeydown = super::select_key(onselect, me);
        // The accessible name starts with the text shown, so speech input can say what it sees.
        let label = format!("{text}: pipeline {}, writes {}", p.spec.name, p.spec.to_topic);
        Some(html! {
            <g key={format!("pipeline-{}", p.spec.name)} class={classes!("pipeline", status.clone(), selected.then_some("selected"))} data-pipeline={p.spec.name.clone()}
               data-from={p.spec.from_topic.clone()} data-to={p.spec.to_topic.clone()} data-guarantee={guarantee} data-status={status.clone()}
               tabindex="0" role="button" aria-label={label} {onclick} {onkeydown}>
                <title>{format!("Pipeline {}: reads {} in group {}, writes each record in capitals to {} ({guarantee}); {} processed, {} commits, {} aborts.", p.spec.name, p.spec.from_topic, p.spec.group, p.spec.to_topic, p.records_processed, p.commits, p.aborts)}</title>
                { for arrow }
                <rect class="pipeline-box" x={format!("{box_x:.1}")} y={(to_y - 18).to_string()} width={format!("{box_w:.1}")} height="24" rx="6" />
                <text class="pipeline-text" x={format!("{:.1}", box_x + 8.0)} y={(to_y - 2).to_string()} textLength={format!("{:.1}", box_w - 16.0)} lengthAdjust="spacingAndGlyphs">{text}</text>
            </g>
        })
    }).collect::<Vec<_>>();
    if boxes.is_empty() {
        return html! {};
    }
    html! {
        <g class="pipelines">
            <defs>
                <marker id="pipeline-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" />
                </marker>
            </defs>
            { for boxes }
        </g>
    }
}
