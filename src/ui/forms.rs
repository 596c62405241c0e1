//! The side column's forms: produce (one record, a burst, a producer, a stream), add a
//! consumer, create a topic. Each turns what was filled in into engine commands.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::state::{Action, Shown, Sim};
use crate::engine::{Command, ProducerStream};

fn node_value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .or_else(|| node.cast::<HtmlSelectElement>().map(|s| s.value()))
        .unwrap_or_default()
}

/// The value of the field with this id (the consumer form reads the produce form's topic).
fn field_value(id: &str) -> String {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    element
        .as_ref()
        .and_then(|e| e.dyn_ref::<HtmlSelectElement>().map(|s| s.value()))
        .or_else(|| {
            element
                .as_ref()
                .and_then(|e| e.dyn_ref::<HtmlInputElement>().map(|i| i.value()))
        })
        .unwrap_or_default()
}

/// The first `prefix-N` not used by an existing name.
fn next_name(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|i| format!("{prefix}-{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| prefix.to_string())
}

#[derive(Properties, PartialEq)]
pub struct ProduceFormProps {
    /// The engine at the cursor (producer names, streams).
    pub state: Shown,
    pub topics: Vec<String>,
    pub producers: Vec<String>,
    pub stream_running: bool,
    pub sim: UseReducerDispatcher<Sim>,
}

#[function_component(ProduceForm)]
pub fn produce_form(props: &ProduceFormProps) -> Html {
    let key_ref = use_node_ref();
    let value_ref = use_node_ref();
    let topic_ref = use_node_ref();
    let producer_ref = use_node_ref();
    let acks_ref = use_node_ref();
    // With more than one broker the form offers `acks` (the producer's current setting first).
    let cluster_acks = {
        let engine = props.state.engine();
        engine
            .cluster
            .as_ref()
            .filter(|c| c.brokers.len() > 1)
            .map(|c| {
                let name = props
                    .producers
                    .first()
                    .map_or("console-producer", String::as_str);
                c.acks_of(name)
            })
    };
    let produce = |count: usize| {
        let (sim, state, key_ref, value_ref, topic_ref, producer_ref, acks_ref) = (
            props.sim.clone(),
            props.state.clone(),
            key_ref.clone(),
            value_ref.clone(),
            topic_ref.clone(),
            producer_ref.clone(),
            acks_ref.clone(),
        );
        move || {
            let key = node_value(&key_ref);
            let value = node_value(&value_ref);
            let topic = node_value(&topic_ref);
            let producer = node_value(&producer_ref);
            // A different `acks` is set first, as `producer acks NAME 0|1|all` in the console.
            let acks = crate::engine::replication::Acks::parse(&node_value(&acks_ref));
            let name = if producer.is_empty() {
                "console-producer".to_string()
            } else {
                producer.clone()
            };
            let set_acks = acks
                .filter(|&a| {
                    state
                        .engine()
                        .cluster
                        .as_ref()
                        .is_some_and(|c| c.brokers.len() > 1 && c.acks_of(&name) != a)
                })
                .map(|acks| Command::SetProducerAcks {
                    producer: name.clone(),
                    acks,
                });
            let commands = set_acks
                .into_iter()
                .chain((0..count).map(|i| Command::Produce {
                    producer: (!producer.is_empty()).then(|| producer.clone()),
                    topic: topic.clone(),
                    partition: None,
                    key: (!key.is_empty()).then(|| {
                        if count > 1 {
                            format!("{key}-{i}")
                        } else {
                            key.clone()
                        }
                    }),
                    value: Some(if value.is_empty() {
                        "order placed".to_string()
                    } else {
                        value.clone()
                    }),
                    headers: Vec::new(),
                }))
                .collect();
            sim.dispatch(Action::DoAll(commands));
        }
    };
    let onproduce = {
        let send = produce(1);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send();
        })
    };
    let onburst = {
        let send = produce(10);
        Callback::from(move |_: MouseEvent| send())
    };
    let onaddproducer = {
        let (sim, state) = (props.sim.clone(), props.state.clone());
        Callback::from(move |_: MouseEvent| {
            let name = next_name("producer", |n| state.engine().producers.contains_key(n));
            sim.dispatch(Action::Do(Command::AddProducer {
                name,
                null_key: Default::default(),
            }));
        })
    };
    let onstream = {
        let (sim, state, producer_ref, topic_ref) = (
            props.sim.clone(),
            props.state.clone(),
            producer_ref.clone(),
            topic_ref.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let producer = node_value(&producer_ref);
            let topic = node_value(&topic_ref);
            if producer.is_empty() || topic.is_empty() {
                return;
            }
            let running = state
                .engine()
                .producers
                .get(&producer)
                .is_some_and(|p| p.stream.is_some());
            let stream = (!running).then(|| ProducerStream {
                topic,
                millirecords_per_second: 2_000,
                key_pool: 8,
                key_prefix: "customer-".into(),
            });
            sim.dispatch(Action::Do(Command::SetProducerStream { producer, stream }));
        })
    };
    let (topics, producers) = (&props.topics, &props.producers);
    html! {
        <form class="panel produce-form" onsubmit={onproduce} aria-label="Produce a record">
            <h2>{"Produce"}</h2>
            <div class="row">
                <label>{"Topic"}<select ref={topic_ref} id="produce-topic" aria-label="Topic">
                    { for topics.iter().enumerate().map(|(i, t)| html! { <option value={t.clone()} selected={i == 0}>{t.clone()}</option> }) }
                </select></label>
                <label>{"Producer"}<select ref={producer_ref} id="produce-producer" aria-label="Producer">
                    <>{ for producers.iter().enumerate().map(|(i, p)| html! { <option value={p.clone()} selected={i == 0}>{p.clone()}</option> }) }</>
                    <option value="">{"console-producer"}</option>
                </select></label>
            </div>
            <div class="row">
                <label>{"Key"}<input ref={key_ref} id="produce-key" placeholder="customer-42 (empty: none)" autocomplete="off" /></label>
                <label>{"Value"}<input ref={value_ref} id="produce-value" placeholder="order placed" autocomplete="off" /></label>
            </div>
            if let Some(current) = cluster_acks {
                <div class="row">
                    <label>{"acks"}<select ref={acks_ref} id="produce-acks" aria-label="acks" title="How many replicas must have a record before the producer is told it is written">
                        { for [("0", crate::engine::replication::Acks::None, "0: no answer"), ("1", crate::engine::replication::Acks::Leader, "1: the leader"), ("all", crate::engine::replication::Acks::All, "all: the ISR")].into_iter().map(|(v, a, text)| html! {
                            <option value={v} selected={a == current}>{text}</option>
                        }) }
                    </select></label>
                </div>
            }
            <div class="row buttons">
                <button type="submit" id="produce-button" class="primary">{"Produce"}</button>
                <button type="button" id="burst-button" onclick={onburst} disabled={topics.is_empty()}>{"Burst ×10"}</button>
                <button type="button" id="add-producer" onclick={onaddproducer}>{"+ Producer"}</button>
                <button type="button" id="stream-button" onclick={onstream} disabled={producers.is_empty() || topics.is_empty()}>
                    { if props.stream_running { "Start/stop stream" } else { "Start stream" } }
                </button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsumerFormProps {
    /// The engine at the cursor (to name a new consumer).
    pub state: Shown,
    pub groups: Vec<String>,
    pub sim: UseReducerDispatcher<Sim>,
}

/// Adds a consumer to a group (`payment` by default) on the topic the produce form names.
#[function_component(ConsumerForm)]
pub fn consumer_form(props: &ConsumerFormProps) -> Html {
    let group_ref = use_node_ref();
    let assignor_ref = use_node_ref();
    let onaddconsumer = {
        let (sim, state, group_ref, assignor_ref) = (
            props.sim.clone(),
            props.state.clone(),
            group_ref.clone(),
            assignor_ref.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let group = node_value(&group_ref);
            let group = if group.trim().is_empty() {
                "payment".to_string()
            } else {
                group.trim().to_string()
            };
            let topic = field_value("produce-topic");
            let client_id = next_name(&group, |n| state.engine().consumers.contains_key(n));
            let assignor = node_value(&assignor_ref);
            let mut config = vec![("processing.rate".to_string(), "5".to_string())];
            if !assignor.is_empty() {
                config.push(("partition.assignment.strategy".into(), assignor));
            }
            sim.dispatch(Action::Do(Command::StartConsumer {
                client_id,
                group: Some(group),
                topics: vec![topic],
                assign: Vec::new(),
                config,
            }));
        })
    };
    html! {
        <form class="panel" onsubmit={onaddconsumer} aria-label="Add a consumer">
            <h2>{"Consumers"}</h2>
            <div class="row">
                <label>{"Group"}<input ref={group_ref} id="consumer-group" list="group-names" placeholder="payment" autocomplete="off" /></label>
                <datalist id="group-names">{ for props.groups.iter().map(|g| html! { <option value={g.clone()} /> }) }</datalist>
                <label>{"Assignor"}<select ref={assignor_ref} id="consumer-assignor" aria-label="Assignor">
                    <option value="" selected=true>{"default (range)"}</option>
                    <option value="range">{"range"}</option>
                    <option value="roundrobin">{"roundrobin"}</option>
                    <option value="sticky">{"sticky"}</option>
                    <option value="cooperative-sticky">{"cooperative-sticky"}</option>
                </select></label>
            </div>
            <div class="row buttons"><button type="submit" id="add-consumer" class="primary">{"Add consumer"}</button></div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct TopicFormProps {
    pub sim: UseReducerDispatcher<Sim>,
    /// The brokers in the cluster: with more than one the form asks for a replication
    /// factor (`kafka-topics --create ... --replication-factor N`).
    #[prop_or(1)]
    pub brokers: usize,
}

#[function_component(TopicForm)]
pub fn topic_form(props: &TopicFormProps) -> Html {
    let name_ref = use_node_ref();
    let partitions_ref = use_node_ref();
    let rf_ref = use_node_ref();
    let replicated = props.brokers > 1;
    let oncreatetopic = {
        let (sim, name_ref, partitions_ref, rf_ref) = (
            props.sim.clone(),
            name_ref.clone(),
            partitions_ref.clone(),
            rf_ref.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = node_value(&name_ref).trim().to_string();
            let partitions = node_value(&partitions_ref)
                .trim()
                .parse::<i64>()
                .unwrap_or(0);
            let command = if replicated {
                // Kafka's own check refuses 0 and more than the brokers, with its words.
                let replication_factor = node_value(&rf_ref).trim().parse::<u32>().unwrap_or(0);
                Command::CreateTopicOnReplicas {
                    name,
                    partitions,
                    replication_factor: Some(replication_factor),
                    assignment: None,
                    configs: Vec::new(),
                }
            } else {
                Command::CreateTopic {
                    name,
                    partitions,
                    configs: Vec::new(),
                }
            };
            sim.dispatch(Action::Do(command));
        })
    };
    let rf_field = if replicated {
        let default_rf = props.brokers.min(3).to_string();
        html! {
            <label class="one-line" title="kafka-topics --create ... --replication-factor N: copies of each partition, on different brokers">{"Replication factor"}<input ref={rf_ref} id="topic-replication-factor" type="number" min="1" max="9" value={default_rf} /></label>
        }
    } else {
        Html::default()
    };
    let onaddbroker = {
        let sim = props.sim.clone();
        Callback::from(move |_: MouseEvent| sim.dispatch(Action::Do(Command::AddBroker)))
    };
    html! {
        <form class="panel" onsubmit={oncreatetopic} aria-label="Create a topic">
            <h2>{"Topics"}</h2>
            <div class="row">
                <label>{"Name"}<input ref={name_ref} id="topic-name" placeholder="payments" autocomplete="off" /></label>
                <label>{"Partitions"}<input ref={partitions_ref} id="topic-partitions" type="number" min="1" max="24" value="3" /></label>
                {rf_field}
            </div>
            <div class="row buttons"><button type="submit" id="create-topic">{"Create topic"}</button>
                <button type="button" id="add-broker" onclick={onaddbroker} title="broker add: one more broker, so topics can be replicated">{"+ Broker"}</button></div>
        </form>
    }
}
