//! The pipelines' form: add a consume-transform-produce pipeline (its name, the topic it
//! reads, the topic it writes, its group, exactly-once or at-least-once, and a rate). The
//! add is the engine's `pipeline add` command, echoed in the console as the line it stands
//! for; a pipeline is crashed, started and stopped from its box (the inspector's actions).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::state::{Action, Shown, Sim};
use crate::engine::consumer::parse_thousandths;
use crate::engine::txn::pipeline::{Guarantee, PipelineCommand, PipelineSpec};
use crate::engine::Command;

fn node_value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .or_else(|| node.cast::<HtmlSelectElement>().map(|s| s.value()))
        .unwrap_or_default()
}

/// The pipeline the form adds from what was typed: `Err` says what is wrong. An empty name
/// is the first free `pipe-N`, an empty group the pipeline's name, an empty rate the
/// pipeline's default.
pub fn pipeline_spec(
    name: &str,
    from: &str,
    to: &str,
    group: &str,
    exactly_once: bool,
    rate: &str,
    taken: &dyn Fn(&str) -> bool,
) -> Result<PipelineSpec, String> {
    let name = match name.trim() {
        "" => (1..)
            .map(|i| format!("pipe-{i}"))
            .find(|n| !taken(n))
            .unwrap_or_else(|| "pipe".into()),
        n => n.to_string(),
    };
    if from.is_empty() || to.is_empty() {
        return Err(
            "A pipeline reads one topic and writes another: create two topics first.".into(),
        );
    }
    let group = match group.trim() {
        "" => name.clone(),
        g => g.to_string(),
    };
    let millirecords_per_second = match rate.trim() {
        "" => None,
        r => match parse_thousandths(r) {
            Some(v) if v > 0 => Some(v),
            _ => {
                return Err(format!(
                    "The rate is records per second, more than 0, not {r:?}."
                ))
            }
        },
    };
    Ok(PipelineSpec {
        name,
        from_topic: from.to_string(),
        to_topic: to.to_string(),
        group,
        guarantee: if exactly_once {
            Guarantee::ExactlyOnce
        } else {
            Guarantee::AtLeastOnce
        },
        millirecords_per_second,
    })
}

#[derive(Properties, PartialEq)]
pub struct PipelineFormProps {
    /// The engine at the cursor (topics, pipelines).
    pub state: Shown,
    pub sim: UseReducerDispatcher<Sim>,
}

#[function_component(PipelineForm)]
pub fn pipeline_form(props: &PipelineFormProps) -> Html {
    let name_ref = use_node_ref();
    let from_ref = use_node_ref();
    let to_ref = use_node_ref();
    let group_ref = use_node_ref();
    let guarantee_ref = use_node_ref();
    let rate_ref = use_node_ref();
    let engine = props.state.engine();
    let topics: Vec<String> = engine.topics.keys().cloned().collect();
    let pipelines = engine.pipelines.len();
    drop(engine);
    let onadd = {
        let (sim, state) = (props.sim.clone(), props.state.clone());
        let refs = [
            name_ref.clone(),
            from_ref.clone(),
            to_ref.clone(),
            group_ref.clone(),
            guarantee_ref.clone(),
            rate_ref.clone(),
        ];
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let [name, from, to, group, guarantee, rate] = refs.each_ref().map(node_value);
            let spec = {
                let engine = state.engine();
                let taken = |n: &str| {
                    engine.pipelines.contains_key(n)
                        || engine.producers.contains_key(n)
                        || engine.consumers.contains_key(n)
                };
                pipeline_spec(
                    &name,
                    &from,
                    &to,
                    &group,
                    guarantee == "exactly-once",
                    &rate,
                    &taken,
                )
            };
            match spec {
                Ok(spec) => sim.dispatch(Action::Do(Command::Pipeline(PipelineCommand::Add(spec)))),
                Err(text) => sim.dispatch(Action::ShowError(text)),
            }
        })
    };
    // The output topic defaults to another topic than the input.
    let second = usize::from(topics.len() > 1);
    html! {
        <details class="panel pipeline-form" open={pipelines > 0}>
            <summary><h2>{"Pipelines (consume, transform, produce)"}</h2></summary>
            <form onsubmit={onadd} aria-label="Add a pipeline">
                <div class="row">
                    <label>{"Name"}<input ref={name_ref} id="pipeline-name" placeholder="pipe-1" autocomplete="off" /></label>
                    <label>{"Group"}<input ref={group_ref} id="pipeline-group" placeholder="its name" autocomplete="off" /></label>
                </div>
                <div class="row">
                    <label>{"From topic"}<select ref={from_ref} id="pipeline-from">
                        { for topics.iter().enumerate().map(|(i, t)| html! { <option value={t.clone()} selected={i == 0}>{t.clone()}</option> }) }
                    </select></label>
                    <label>{"To topic"}<select ref={to_ref} id="pipeline-to">
                        { for topics.iter().enumerate().map(|(i, t)| html! { <option value={t.clone()} selected={i == second}>{t.clone()}</option> }) }
                    </select></label>
                </div>
                <div class="row">
                    <label>{"Guarantee"}<select ref={guarantee_ref} id="pipeline-guarantee">
                        <option value="exactly-once" selected=true>{"exactly-once"}</option>
                        <option value="at-least-once">{"at-least-once"}</option>
                    </select></label>
                    <label>{"Rate (records/s)"}<input ref={rate_ref} id="pipeline-rate" placeholder="default" inputmode="decimal" autocomplete="off" /></label>
                </div>
                <div class="row buttons"><button type="submit" id="add-pipeline" class="primary" disabled={topics.len() < 2}>{"Add pipeline"}</button></div>
                <p class="hint">{"Click a pipeline's box on the diagram to crash, start or stop it."}</p>
            </form>
        </details>
    }
}
