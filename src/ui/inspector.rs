//! The inspector: details of the selected partition, consumer, group, producer or record,
//! with the actions that apply to it: one function per kind of selection.

use std::rc::Rc;

use yew::prelude::*;

use super::state::{Selection, Shown};
use crate::engine::consumer::format_thousandths;
use crate::engine::{Command, Engine, SeekTarget, TopicPartition};
use crate::read::scene::Scene;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The engine at the cursor.
    pub state: Shown,
    /// The step's derived facts.
    pub scene: Rc<crate::read::scene::Scene>,
    pub selection: Option<Selection>,
    pub oncommand: Callback<Command>,
    /// For a group: what `kafka-consumer-groups --describe` prints.
    #[prop_or_default]
    pub describe: Option<String>,
}

pub(crate) fn button(
    label: &str,
    id: &str,
    oncommand: &Callback<Command>,
    command: Command,
) -> Html {
    let oncommand = oncommand.clone();
    html! { <button type="button" id={id.to_string()} onclick={Callback::from(move |_| oncommand.emit(command.clone()))}>{label.to_string()}</button> }
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let engine = props.state.engine();
    let e: &Engine = &engine;
    let oc = &props.oncommand;
    let seek = SeekRefs {
        partition: use_node_ref(),
        offset: use_node_ref(),
        mode: use_node_ref(),
    };
    let reset = ResetRefs {
        spec: use_node_ref(),
        value: use_node_ref(),
    };
    let body = match &props.selection {
        None => {
            html! { <p class="hint">{"Click anything on the diagram to inspect it and act on it."}</p> }
        }
        Some(Selection::Consumer(id)) => consumer_details(e, &props.scene, id, oc, &seek),
        Some(Selection::Group(id)) => group_details(e, id, props.describe.clone(), oc, &reset),
        Some(Selection::Partition(tp)) => partition_details(e, tp, oc),
        Some(Selection::Record(tp, offset)) => record_details(e, tp, *offset),
        Some(Selection::Producer(name)) => producer_details(e, name, oc),
        Some(Selection::Broker(id)) => {
            super::diagram::brokers::broker_details(&props.scene, *id, oc)
        }
        Some(Selection::Pipeline(name)) => pipeline_details(e, name, oc),
        Some(Selection::ShareConsumer(id)) => super::share_inspector::details(e, id, oc),
    };
    html! { <section class="panel inspector" aria-label="Inspector" aria-live="polite">{ body }</section> }
}

/// The fields of the consumer's seek form.
struct SeekRefs {
    partition: NodeRef,
    offset: NodeRef,
    mode: NodeRef,
}

/// The fields of the group's reset form.
struct ResetRefs {
    spec: NodeRef,
    value: NodeRef,
}

/// A consumer: its status, its offsets per owned partition, its actions and the seek form.
fn consumer_details(
    e: &Engine,
    scene: &Scene,
    id: &String,
    oc: &Callback<Command>,
    seek: &SeekRefs,
) -> Html {
    let SeekRefs {
        partition: seek_partition_ref,
        offset: seek_offset_ref,
        mode: seek_mode_ref,
    } = seek;
    match e.consumers.get(id) {
        None => html! { <p class="hint">{format!("{id} is gone.")}</p> },
        Some(c) => {
            let rate = c.config.processing_millirecords_per_second;
            let running = c.is_running();
            let reader = scene
                .statuses
                .get(id)
                .cloned()
                .unwrap_or_else(|| crate::read::reader_status(e, c));
            let status = match (&reader.process, reader.session_expires_in_seconds()) {
                (crate::read::ProcessState::Paused, _) => "running, paused".to_string(),
                (crate::read::ProcessState::Crashed, Some(s)) => {
                    format!("crashed: the coordinator removes it in {s} s")
                }
                (process, _) => process.label(),
            };
            let offsets = scene.offsets.get(id).cloned().unwrap_or_default();
            let rows = offsets.into_iter().map(|o| {
                html! { <tr data-partition={o.partition.to_string()}><td>{o.partition.to_string()}</td><td data-field="fetched">{o.fetched_to}</td><td data-field="processed">{o.processed_to}</td>
                    <td data-field="committed">{o.committed.map_or("-".into(), |p| p.to_string())}</td><td>{o.log_end}</td>
                    <td data-field="lag">{o.committed.map_or("-".into(), |p| (o.log_end - p).to_string())}</td></tr> }
            });
            let set_rate = |factor: f64| Command::SetConsumerConfig {
                client_id: id.clone(),
                key: "processing.rate".into(),
                value: format_thousandths(
                    ((rate as f64 * factor).round() as u64).clamp(10, 10_000_000),
                ),
            };
            html! {
                <>
                <h2>{format!("Consumer {id}")}</h2>
                <dl class="facts">
                    <dt>{"Status"}</dt><dd data-field="status">{status}</dd>
                    <dt>{"Group"}</dt><dd>{c.group.clone().unwrap_or_else(|| "none".into())}</dd>
                    <dt>{"Member id"}</dt><dd class="mono">{c.membership.member_id().unwrap_or("-").to_string()}</dd>
                    <dt>{"Generation"}</dt><dd>{c.membership.generation().unwrap_or(-1)}</dd>
                    <dt>{"Processing"}</dt><dd>{format!("{} records/s, {} fetched waiting", format_thousandths(rate), c.in_flight_records())}</dd>
                    <dt>{"Assignor"}</dt><dd>{c.config.get("partition.assignment.strategy").unwrap_or_default()}</dd>
                </dl>
                <table class="mini reader-offsets"><thead><tr><th>{"partition"}</th><th title="fetched to: the position, the next offset a poll returns">{"fetched"}</th><th title="processed to: the next offset the application handles">{"processed"}</th><th title="the group's committed offset">{"commit"}</th><th title="log end offset">{"end"}</th><th title="log end − committed, as kafka-consumer-groups --describe counts it">{"lag"}</th></tr></thead>
                    <tbody>{ for rows }</tbody></table>
                <div class="actions">
                    if running {
                        { button("Crash", "consumer-crash", oc, Command::CrashConsumer { client_id: id.clone() }) }
                        { button("Stop", "consumer-stop", oc, Command::StopConsumer { client_id: id.clone() }) }
                        { if c.paused { button("Resume", "consumer-resume", oc, Command::ResumeConsumer { client_id: id.clone() }) }
                          else { button("Pause", "consumer-pause", oc, Command::PauseConsumer { client_id: id.clone() }) } }
                        { button("Slower ÷2", "consumer-slower", oc, set_rate(0.5)) }
                        { button("Faster ×2", "consumer-faster", oc, set_rate(2.0)) }
                        { button("Rewind to start", "consumer-rewind", oc, Command::Seek { client_id: id.clone(), partition: None, to: SeekTarget::Beginning }) }
                        { button("Commit now", "consumer-commit", oc, Command::CommitSync { client_id: id.clone() }) }
                    } else {
                        { button("Restart", "consumer-restart", oc, Command::RestartConsumer { client_id: id.clone() }) }
                    }
                    { button("Remove", "consumer-remove", oc, Command::RemoveConsumer { client_id: id.clone() }) }
                </div>
                if running && !c.assignment.is_empty() {
                    <form class="row seek-form" aria-label="Seek to an offset" onsubmit={{
                        let (oc, id, part_ref, off_ref, assignment) = (oc.clone(), id.clone(), seek_partition_ref.clone(), seek_offset_ref.clone(), c.assignment.clone());
                        let mode_ref = seek_mode_ref.clone();
                        Callback::from(move |ev: SubmitEvent| {
                            ev.prevent_default();
                            let part = part_ref.cast::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
                            let offset = off_ref.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
                            let Ok(offset) = offset.trim().parse::<i64>() else { return };
                            let partition = assignment.iter().find(|tp| tp.to_string() == part).cloned();
                            let by_time = mode_ref.cast::<web_sys::HtmlSelectElement>().is_some_and(|s| s.value() == "time");
                            let to = if by_time {
                                SeekTarget::Timestamp(crate::engine::time::ms_at_seconds(offset as f64))
                            } else {
                                SeekTarget::Offset(offset)
                            };
                            oc.emit(Command::Seek { client_id: id.clone(), partition, to });
                        })
                    }}>
                        <label>{"Partition"}<select ref={seek_partition_ref.clone()} id="seek-partition">
                            <option value="" selected=true>{"all owned"}</option>
                            { for c.assignment.iter().map(|tp| html! { <option value={tp.to_string()}>{tp.to_string()}</option> }) }
                        </select></label>
                        <label>{"To"}<select ref={seek_mode_ref.clone()} id="seek-mode">
                            <option value="offset" selected=true>{"offset"}</option>
                            <option value="time">{"time t (s)"}</option>
                        </select></label>
                        <label>{"Value"}<input ref={seek_offset_ref.clone()} id="seek-offset" type="number" min="0" value="0" /></label>
                        <button type="submit" id="consumer-seek">{"Seek"}</button>
                    </form>
                }
                </>
            }
        }
    }
}

/// A group: its state, what `--describe` prints, the assignors, and resetting its offsets.
fn group_details(
    e: &Engine,
    id: &String,
    describe: Option<String>,
    oc: &Callback<Command>,
    reset: &ResetRefs,
) -> Html {
    let ResetRefs {
        spec: reset_spec_ref,
        value: reset_value_ref,
    } = reset;
    match e.groups.get(id) {
        None if id.is_empty() => {
            html! { <p class="hint">{"Standalone readers use assign(): no group, no rebalance."}</p> }
        }
        None => html! { <p class="hint">{format!("Group {id} no longer exists.")}</p> },
        Some(g) => {
            let inactive = g.is_inactive();
            html! {
                <>
                <h2>{format!("Group {id}")}</h2>
                <dl class="facts">
                    <dt>{"State"}</dt><dd data-field="state">{g.state.name()}</dd>
                    <dt>{"Generation"}</dt><dd>{g.generation}</dd>
                    <dt>{"Assignor"}</dt><dd>{g.protocol.map(|p| p.name()).unwrap_or("-")}</dd>
                    <dt>{"Members"}</dt><dd>{g.members.len()}</dd>
                </dl>
                <pre class="describe" aria-label="kafka-consumer-groups --describe">{describe.clone().unwrap_or_default()}</pre>
                <div class="actions">
                    { for [crate::engine::assign::Strategy::Range, crate::engine::assign::Strategy::RoundRobin, crate::engine::assign::Strategy::Sticky, crate::engine::assign::Strategy::CooperativeSticky].into_iter().map(|strategy| {
                        let clients: Vec<String> = g.members.iter().map(|m| m.client_id.clone()).collect();
                        let oc = oc.clone();
                        let label = format!("Use {}", strategy.name());
                        let current = g.protocol == Some(strategy);
                        html! { <button type="button" disabled={current || clients.is_empty()} id={format!("group-assignor-{}", strategy.name())}
                            onclick={Callback::from(move |_| for client in &clients {
                                oc.emit(Command::SetConsumerConfig { client_id: client.clone(), key: "partition.assignment.strategy".into(), value: strategy.name().into() });
                            })}>{label}</button> }
                    }) }
                    if inactive {
                        { button("Reset offsets to earliest", "group-reset", oc, Command::ResetOffsets { group: id.clone(), scope: crate::engine::ResetScope::AllTopics, spec: crate::engine::ResetSpec::ToEarliest, execute: true }) }
                        { button("Delete group", "group-delete", oc, Command::DeleteGroup { group: id.clone() }) }
                    } else {
                        <p class="hint">{"Offsets can be reset only while the group is inactive (Empty): stop its consumers first."}</p>
                    }
                </div>
                if inactive {
                    <form class="row seek-form" aria-label="Reset the group's offsets" onsubmit={{
                        let (oc, id, spec_ref, value_ref) = (oc.clone(), id.clone(), reset_spec_ref.clone(), reset_value_ref.clone());
                        Callback::from(move |ev: SubmitEvent| {
                            ev.prevent_default();
                            let spec = spec_ref.cast::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
                            let value = value_ref.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
                            let number = value.trim().parse::<f64>().unwrap_or(0.0);
                            let spec = match spec.as_str() {
                                "latest" => crate::engine::ResetSpec::ToLatest,
                                "offset" => crate::engine::ResetSpec::ToOffset(number as i64),
                                "shift" => crate::engine::ResetSpec::ShiftBy(number as i64),
                                "time" => crate::engine::ResetSpec::ToDatetime(crate::engine::time::ms_at_seconds(number)),
                                _ => crate::engine::ResetSpec::ToEarliest,
                            };
                            oc.emit(Command::ResetOffsets { group: id.clone(), scope: crate::engine::ResetScope::AllTopics, spec, execute: true });
                        })
                    }}>
                        <label>{"Reset to"}<select ref={reset_spec_ref.clone()} id="reset-spec">
                            <option value="earliest" selected=true>{"earliest"}</option>
                            <option value="latest">{"latest"}</option>
                            <option value="offset">{"offset N"}</option>
                            <option value="shift">{"shift by N"}</option>
                            <option value="time">{"time t = N s"}</option>
                        </select></label>
                        <label>{"N"}<input ref={reset_value_ref.clone()} id="reset-value" type="number" value="0" /></label>
                        <button type="submit" id="group-reset-spec">{"Reset"}</button>
                    </form>
                }
                </>
            }
        }
    }
}

/// A partition: its log's offsets and segments, and the topic's actions.
fn partition_details(e: &Engine, tp: &TopicPartition, oc: &Callback<Command>) -> Html {
    match e.topics.get(&tp.topic) {
        None => html! { <p class="hint">{"That topic is gone."}</p> },
        Some(t) => {
            let log = t.partition(tp.partition);
            let (start, end, held, segments) = log.map_or((0, 0, 0, 0), |l| {
                (
                    l.log_start_offset(),
                    l.log_end_offset(),
                    l.record_count(),
                    l.segments().len(),
                )
            });
            html! {
                <>
                <h2>{format!("Partition {tp}")}</h2>
                <dl class="facts">
                    <dt>{"Log start offset"}</dt><dd data-field="log-start">{start}</dd>
                    <dt>{"Log end offset (HW)"}</dt><dd data-field="log-end">{end}</dd>
                    <dt>{"Records held"}</dt><dd>{held}</dd>
                    <dt>{"Segments"}</dt><dd>{segments}</dd>
                    <dt>{"Topic configs"}</dt><dd>{ if t.overrides.is_empty() { "defaults".to_string() } else { t.configs_line() } }</dd>
                </dl>
                <div class="actions">
                    { button("Add a partition", "topic-add-partition", oc, Command::AddPartitions { topic: tp.topic.clone(), total: i64::from(t.n_partitions()) + 1 }) }
                    { button("Keep 1 minute (retention.ms)", "topic-retention", oc, Command::AlterTopicConfig { topic: tp.topic.clone(), set: vec![("retention.ms".into(), "60000".into()), ("segment.bytes".into(), "1000".into())], delete: vec![] }) }
                    { button("Run retention now", "topic-run-retention", oc, Command::RunRetention { topic: Some(tp.topic.clone()) }) }
                    { button("Compact this topic (cleanup.policy)", "topic-compact-policy", oc, Command::AlterTopicConfig { topic: tp.topic.clone(), set: vec![("cleanup.policy".into(), "compact".into()), ("segment.bytes".into(), "1000".into())], delete: vec![] }) }
                    { button("Run the log cleaner", "topic-run-cleaner", oc, Command::RunCleaner { topic: Some(tp.topic.clone()) }) }
                    { button("Delete topic", "topic-delete", oc, Command::DeleteTopic { name: tp.topic.clone() }) }
                </div>
                </>
            }
        }
    }
}

/// A record: its key, value, time, size, and why it sits on its partition.
fn record_details(e: &Engine, tp: &TopicPartition, offset: i64) -> Html {
    {
        let record = e
            .partition_log(tp)
            .and_then(|l| l.records_in_range(offset, offset + 1).next().cloned());
        match record {
            None => {
                html! { <p class="hint">{format!("Offset {offset} of {tp} is no longer in the log.")}</p> }
            }
            Some(r) => html! {
                <>
                <h2>{format!("Record {tp}@{offset}")}</h2>
                <dl class="facts">
                    <dt>{"Key"}</dt><dd>{r.key.as_deref().unwrap_or("null")}</dd>
                    <dt>{"Value"}</dt><dd>{r.value.as_deref().unwrap_or("null (tombstone)")}</dd>
                    <dt>{"Timestamp"}</dt><dd>{format!("CreateTime {} (t = {:.1}s)", r.timestamp_ms, (r.timestamp_ms - crate::engine::time::EPOCH_MS) as f64 / 1000.0)}</dd>
                    <dt>{"Size"}</dt><dd>{format!("{} bytes (estimated)", r.size_bytes)}</dd>
                    <dt>{"Partition"}</dt><dd data-field="placement">{ match crate::read::placement_reason(&r) {
                        crate::read::PlacementReason::Keyed { n_partitions, murmur2_partition } => format!(
                            "murmur2(\"{}\") mod {n_partitions} partition(s) (the count when it was produced) → partition {murmur2_partition}",
                            r.key.as_deref().unwrap_or_default()
                        ),
                        crate::read::PlacementReason::Explicit => format!("the producer named partition {} (--partition)", tp.partition),
                        crate::read::PlacementReason::KeylessSticky => "no key: the producer's sticky partitioner chose it".into(),
                        crate::read::PlacementReason::KeylessRoundRobin => "no key: the round-robin partitioner's turn".into(),
                        crate::read::PlacementReason::Synthetic => "records fill wrote it to every partition".into(),
                    } }</dd>
                </dl>
                </>
            },
        }
    }
}

/// A producer: what it sent, its stream, and its actions.
fn producer_details(e: &Engine, name: &String, oc: &Callback<Command>) -> Html {
    match e.producers.get(name) {
        None => html! { <p class="hint">{format!("{name} is gone.")}</p> },
        Some(p) => html! {
            <>
            <h2>{format!("Producer {name}")}</h2>
            <dl class="facts">
                <dt>{"Records sent"}</dt><dd>{p.records_sent}</dd>
                <dt>{"Stream"}</dt><dd>{p.stream.as_ref().map(|s| format!("{} records/s to {}", format_thousandths(u64::from(s.millirecords_per_second)), s.topic)).unwrap_or_else(|| "off".into())}</dd>
                <dt>{"Keyless records"}</dt><dd>{format!("{:?}", p.null_key)}</dd>
            </dl>
            <div class="actions">
                if p.stream.is_some() {
                    { button("Stop stream", "producer-stop", oc, Command::SetProducerStream { producer: name.clone(), stream: None }) }
                }
                { button("Remove", "producer-remove", oc, Command::RemoveProducer { name: name.clone() }) }
            </div>
            </>
        },
    }
}

/// A pipeline: what it reads and writes, its counts, and crash / start / stop.
fn pipeline_details(e: &Engine, name: &String, oc: &Callback<Command>) -> Html {
    use crate::engine::txn::pipeline::{PipelineCommand, PipelineStatus};
    let Some(p) = e.pipelines.get(name) else {
        return html! { <p class="hint">{format!("{name} is gone.")}</p> };
    };
    let status = match &p.status {
        PipelineStatus::Failed(reason) => format!("failed: {reason}"),
        s => s.name().to_string(),
    };
    let command = |c: PipelineCommand| Command::Pipeline(c);
    let name = name.clone();
    html! {
        <>
        <h2>{format!("Pipeline {name}")}</h2>
        <dl class="facts">
            <dt>{"Status"}</dt><dd id="pipeline-status">{status}</dd>
            <dt>{"Reads"}</dt><dd>{format!("{} in group {}", p.spec.from_topic, p.spec.group)}</dd>
            <dt>{"Writes"}</dt><dd>{p.spec.to_topic.clone()}</dd>
            <dt>{"Guarantee"}</dt><dd>{p.spec.guarantee.as_str()}</dd>
            <dt>{"Processed"}</dt><dd>{p.records_processed}</dd>
            <dt>{"Not yet committed"}</dt><dd>{p.uncommitted.len()}</dd>
            <dt>{"Commits · aborts"}</dt><dd>{format!("{} · {}", p.commits, p.aborts)}</dd>
        </dl>
        <div class="actions">
            if p.is_running() {
                { button("Crash", "pipeline-crash", oc, command(PipelineCommand::Crash { name: name.clone() })) }
                { button("Stop", "pipeline-stop", oc, command(PipelineCommand::Stop { name: name.clone() })) }
            } else {
                { button("Start", "pipeline-start", oc, command(PipelineCommand::Start { name: name.clone() })) }
            }
        </div>
        </>
    }
}
