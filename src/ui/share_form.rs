//! The share consumers' form (KIP-932, queues for Kafka): add a share consumer to a share
//! group on a topic with a processing rate and a failure rate, and stop or crash one. Each
//! action is an engine command, echoed in the console as the `share-consumer` line it
//! stands for.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::state::{Action, Shown, Sim};
use crate::engine::share_group::{AcknowledgementMode, ShareCommand, ShareConsumerStatus};
use crate::engine::Command;

fn node_value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .or_else(|| node.cast::<HtmlSelectElement>().map(|s| s.value()))
        .unwrap_or_default()
}

/// Records per second in thousandths, from what was typed (`2`, `0.5`; empty: 2); `None` if
/// it is not a positive number.
fn rate_millis(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return Some(2_000);
    }
    let rate: f64 = text.parse().ok()?;
    (rate.is_finite() && rate > 0.0 && rate <= 1_000_000.0)
        .then(|| ((rate * 1000.0).round() as u64).max(1))
}

/// A fraction between 0 and 1 in thousandths (`0.2` is 200); `None` outside.
fn fraction_per_mille(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return Some(0);
    }
    let f: f64 = text.parse().ok()?;
    (f.is_finite() && (0.0..=1.0).contains(&f)).then(|| (f * 1000.0).round() as u32)
}

#[derive(Properties, PartialEq)]
pub struct ShareFormProps {
    /// The engine at the cursor (topics, share consumers).
    pub state: Shown,
    pub sim: UseReducerDispatcher<Sim>,
}

#[function_component(ShareForm)]
pub fn share_form(props: &ShareFormProps) -> Html {
    let group_ref = use_node_ref();
    let topic_ref = use_node_ref();
    let rate_ref = use_node_ref();
    let fail_ref = use_node_ref();
    let target_ref = use_node_ref();
    let engine = props.state.engine();
    let topics: Vec<String> = engine.topics.keys().cloned().collect();
    let running: Vec<String> = engine
        .share
        .consumers
        .values()
        .filter(|c| c.status == ShareConsumerStatus::Running)
        .map(|c| c.client_id.clone())
        .collect();
    let groups: Vec<String> = engine.share.groups.keys().cloned().collect();
    drop(engine);
    let onadd = {
        let (sim, state) = (props.sim.clone(), props.state.clone());
        let (group_ref, topic_ref, rate_ref, fail_ref) = (
            group_ref.clone(),
            topic_ref.clone(),
            rate_ref.clone(),
            fail_ref.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let group = node_value(&group_ref).trim().to_string();
            let group = if group.is_empty() {
                "crew".to_string()
            } else {
                group
            };
            let topic = node_value(&topic_ref);
            let rate = node_value(&rate_ref);
            let fail = node_value(&fail_ref);
            let (Some(millis), Some(release)) = (rate_millis(&rate), fraction_per_mille(&fail))
            else {
                sim.dispatch(Action::ShowError(format!(
                    "A share consumer needs a rate above 0 records per second (not {rate:?}) and a failure rate between 0 and 1 (not {fail:?})."
                )));
                return;
            };
            let client_id = {
                let engine = state.engine();
                (1..)
                    .map(|i| format!("{group}-{i}"))
                    .find(|n| {
                        !engine.share.consumers.contains_key(n) && !engine.consumers.contains_key(n)
                    })
                    .unwrap_or_else(|| group.clone())
            };
            sim.dispatch(Action::Do(Command::Share(ShareCommand::StartConsumer {
                client_id,
                group,
                topic,
                millirecords_per_second: millis,
                release_per_mille: release,
                reject_per_mille: 0,
                max_messages: None,
                // A consumer that fails records RELEASEs them, which needs explicit mode.
                acknowledgement_mode: if release > 0 {
                    AcknowledgementMode::Explicit
                } else {
                    AcknowledgementMode::Implicit
                },
            })));
        })
    };
    let act = |crash: bool| {
        let (sim, target_ref) = (props.sim.clone(), target_ref.clone());
        Callback::from(move |_: MouseEvent| {
            let client_id = node_value(&target_ref);
            if client_id.is_empty() {
                return;
            }
            let command = if crash {
                ShareCommand::CrashConsumer { client_id }
            } else {
                ShareCommand::StopConsumer { client_id }
            };
            sim.dispatch(Action::Do(Command::Share(command)));
        })
    };
    let none_running = running.is_empty();
    html! {
        <details class="panel share-form">
            <summary><h2>{"Share consumers (queues)"}</h2></summary>
            <form onsubmit={onadd} aria-label="Add a share consumer">
                <div class="row">
                    <label>{"Share group"}<input ref={group_ref} id="share-group" list="share-group-names" placeholder="crew" autocomplete="off" /></label>
                    <datalist id="share-group-names">{ for groups.iter().map(|g| html! { <option value={g.clone()} /> }) }</datalist>
                    <label>{"Topic"}<select ref={topic_ref} id="share-topic" aria-label="Topic">
                        { for topics.iter().enumerate().map(|(i, t)| html! { <option value={t.clone()} selected={i == 0}>{t.clone()}</option> }) }
                    </select></label>
                </div>
                <div class="row">
                    <label>{"Rate (records/s)"}<input ref={rate_ref} id="share-rate" placeholder="2" inputmode="decimal" autocomplete="off" /></label>
                    <label>{"Failure rate (0–1)"}<input ref={fail_ref} id="share-fail-rate" placeholder="0" inputmode="decimal" autocomplete="off" /></label>
                </div>
                <div class="row buttons"><button type="submit" id="add-share-consumer" class="primary" disabled={topics.is_empty()}>{"Add share consumer"}</button></div>
            </form>
            <div class="row">
                <label>{"Share consumer"}<select ref={target_ref.clone()} id="share-target" aria-label="Share consumer">
                    { for running.iter().map(|c| html! { <option value={c.clone()}>{c.clone()}</option> }) }
                </select></label>
            </div>
            <div class="row buttons">
                <button type="button" id="stop-share-consumer" onclick={act(false)} disabled={none_running}>{"Stop"}</button>
                <button type="button" id="crash-share-consumer" onclick={act(true)} disabled={none_running}>{"Crash"}</button>
            </div>
        </details>
    }
}
