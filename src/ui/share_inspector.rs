//! The inspector of a share consumer (KIP-932): its settings, partitions and the records it
//! holds (delivery count, lock time left), with its actions, each a command the console
//! echoes as its `share-consumer` line. The facts come from `read::share`.

use yew::prelude::*;

use super::inspector::button;
use crate::engine::consumer::format_thousandths;
use crate::engine::share_group::{AcknowledgementMode, ShareCommand};
use crate::engine::{Command, Engine};
use crate::read::share::share_consumer_facts;

/// How many held records the table lists (the rest are counted).
const HELD_ROWS: usize = 12;

pub(crate) fn details(e: &Engine, id: &str, oc: &Callback<Command>) -> Html {
    let Some(f) = share_consumer_facts(e, id) else {
        return html! { <p class="hint">{format!("{id} is gone.")}</p> };
    };
    let running = f.status == "running";
    let share = |c: ShareCommand| Command::Share(c);
    let start = |rate: u64, release: u32, reject: u32| {
        let mode = if f.acknowledgement_mode == "explicit" || release > 0 || reject > 0 {
            AcknowledgementMode::Explicit
        } else {
            AcknowledgementMode::Implicit
        };
        share(ShareCommand::StartConsumer {
            client_id: f.client_id.clone(),
            group: f.group.clone(),
            topic: f.topic.clone(),
            millirecords_per_second: rate,
            release_per_mille: release,
            reject_per_mille: reject,
            max_messages: None,
            acknowledgement_mode: mode,
        })
    };
    let rate = f.millirecords_per_second;
    let partitions = if f.assignment.is_empty() {
        "-".to_string()
    } else {
        f.assignment
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows = f.held.iter().take(HELD_ROWS).map(|r| {
        html! { <tr data-offset={r.offset.to_string()} data-partition={r.partition.to_string()}>
        <td>{r.partition.to_string()}</td><td>{r.offset}</td>
        <td data-field="delivery">{r.delivery_count}</td>
        <td data-field="lock">{format!("{:.1} s", r.lock_left_ms as f64 / 1000.0)}</td>
        <td>{if r.finished { "done" } else { "working" }}</td></tr> }
    });
    let more = f.held.len().saturating_sub(HELD_ROWS);
    let set = |key: &str, value: u64| {
        share(ShareCommand::SetConsumer {
            client_id: f.client_id.clone(),
            key: key.to_string(),
            value: format_thousandths(value),
        })
    };
    let explicit = f.acknowledgement_mode == "explicit";
    let actions = if running {
        let slower = (rate / 2).max(10);
        let faster = rate.saturating_mul(2).min(10_000_000);
        let fail = if f.release_per_mille == 0 {
            200.min(1_000 - f.reject_per_mille.min(1_000))
        } else {
            0
        };
        html! { <div class="actions">
            { button("Stop", "share-inspect-stop", oc, share(ShareCommand::StopConsumer { client_id: f.client_id.clone() })) }
            { button("Crash", "share-inspect-crash", oc, share(ShareCommand::CrashConsumer { client_id: f.client_id.clone() })) }
            { button(&format!("Slow to {} rec/s", format_thousandths(slower)), "share-inspect-set-slower", oc, set("rate", slower)) }
            { button(&format!("Speed to {} rec/s", format_thousandths(faster)), "share-inspect-set-faster", oc, set("rate", faster)) }
            if explicit {
                { button(&if fail == 0 { "Stop failing".to_string() } else { format!("Fail {}", format_thousandths(u64::from(fail))) }, "share-inspect-set-fail", oc, set("fail-rate", u64::from(fail))) }
            }
        </div> }
    } else {
        let slower = (rate / 2).max(10);
        let faster = rate.saturating_mul(2).min(10_000_000);
        let fail = if f.release_per_mille == 0 { 200 } else { 0 };
        html! { <div class="actions">
            { button("Start", "share-inspect-start", oc, start(rate, f.release_per_mille, f.reject_per_mille)) }
            { button(&format!("Start at {} rec/s", format_thousandths(slower)), "share-inspect-slower", oc, start(slower, f.release_per_mille, f.reject_per_mille)) }
            { button(&format!("Start at {} rec/s", format_thousandths(faster)), "share-inspect-faster", oc, start(faster, f.release_per_mille, f.reject_per_mille)) }
            { button(&format!("Start failing {}", format_thousandths(u64::from(fail))), "share-inspect-fail", oc, start(rate, fail, f.reject_per_mille)) }
        </div> }
    };
    html! {
        <div class="share-consumer-details" data-share-consumer={f.client_id.clone()}>
            <h2>{format!("Share consumer {}", f.client_id)}</h2>
            <dl>
                <dt>{"Share group"}</dt><dd>{f.group.clone()}</dd>
                <dt>{"Topic"}</dt><dd>{f.topic.clone()}</dd>
                <dt>{"Status"}</dt><dd data-field="status">{f.status}</dd>
                <dt>{"share.acknowledgement.mode"}</dt><dd data-field="mode">{f.acknowledgement_mode}</dd>
                <dt>{"Processing rate"}</dt><dd data-field="rate">{format!("{} records/s", format_thousandths(rate))}</dd>
                <dt>{"Failure rate"}</dt><dd data-field="fail">{format!("{} released, {} rejected", format_thousandths(u64::from(f.release_per_mille)), format_thousandths(u64::from(f.reject_per_mille)))}</dd>
                <dt>{"Partitions"}</dt><dd data-field="partitions">{partitions}</dd>
                <dt>{"Processed"}</dt><dd data-field="processed">{f.processed}</dd>
            </dl>
            if f.held.is_empty() {
                <p class="hint" data-field="held">{"It holds no records."}</p>
            } else {
                <table class="share-held" data-field="held" data-count={f.held.len().to_string()}>
                    <caption>{format!("{} record(s) acquired by it (done: acknowledged at the next poll)", f.held.len())}</caption>
                    <thead><tr><th>{"Partition"}</th><th>{"Offset"}</th><th>{"Delivery"}</th><th>{"Lock left"}</th><th>{"State"}</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                if more > 0 { <p class="hint">{format!("…and {more} more.")}</p> }
            }
            { actions }
        </div>
    }
}
