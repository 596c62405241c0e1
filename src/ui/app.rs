//! The top-level component: the simulation state, the produce form and the lanes.

use std::rc::Rc;

use gloo_timers::callback::Interval;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::lane::Lane;
use crate::engine::{Command, Engine, TopicPartition};

/// The demo topic of the walking skeleton.
const TOPIC: &str = "orders";
const CONSUMER: &str = "consumer-1";
/// Milliseconds of real time between two simulated ticks while playing.
const TICK_INTERVAL_MS: u32 = 700;

/// The app's state; `reduce` is the only place it changes.
#[derive(Clone, PartialEq)]
pub struct Sim {
    pub engine: Engine,
    pub last_error: Option<String>,
}

pub enum Action {
    Produce { key: Option<String>, value: String },
    Tick,
}

impl Default for Sim {
    fn default() -> Self {
        let mut engine = Engine::new(1);
        engine.apply(&Command::CreateTopic {
            name: TOPIC.into(),
            partitions: 3,
            configs: Vec::new(),
        });
        engine.apply(&Command::StartConsumer {
            client_id: CONSUMER.into(),
            group: None,
            topics: Vec::new(),
            assign: (0..3).map(|p| TopicPartition::new(TOPIC, p)).collect(),
            config: vec![("auto.offset.reset".into(), "earliest".into())],
        });
        Self {
            engine,
            last_error: None,
        }
    }
}

impl Reducible for Sim {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let command = match action {
            Action::Produce { key, value } => Command::Produce {
                producer: Some("producer-1".into()),
                topic: TOPIC.into(),
                partition: None,
                key,
                value: Some(value),
                headers: Vec::new(),
            },
            Action::Tick => Command::Advance { ticks: 1 },
        };
        let events = next.engine.apply(&command);
        next.last_error = events.iter().find_map(|e| match e {
            crate::engine::Event::Rejected { reason } => Some(reason.clone()),
            _ => None,
        });
        Rc::new(next)
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let sim = use_reducer(Sim::default);
    let key_ref = use_node_ref();
    let value_ref = use_node_ref();
    let counter = use_mut_ref(|| 0u32);

    {
        let sim = sim.clone();
        use_effect_with((), move |_| {
            let interval = Interval::new(TICK_INTERVAL_MS, move || sim.dispatch(Action::Tick));
            move || drop(interval)
        });
    }

    let onsubmit = {
        let sim = sim.clone();
        let key_ref = key_ref.clone();
        let value_ref = value_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let key = key_ref
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let mut value = value_ref
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            if value.is_empty() {
                let mut n = counter.borrow_mut();
                *n += 1;
                value = format!("order-{}", *n);
            }
            let key = (!key.is_empty()).then_some(key);
            sim.dispatch(Action::Produce { key, value });
        })
    };

    let engine = &sim.engine;
    let consumer = engine.consumers.get(CONSUMER);
    let lanes = engine.topics.get(TOPIC).map(|topic| {
        topic
            .partitions
            .iter()
            .enumerate()
            .map(|(p, log)| {
                let tp = TopicPartition::new(TOPIC, p as u32);
                let position = consumer.and_then(|c| c.positions.get(&tp).copied());
                let key = tp.to_string();
                html! { <Lane {key} partition={tp} log={log.clone()} {position} consumer={CONSUMER} /> }
            })
            .collect::<Html>()
    });

    html! {
        <main class="app">
            <header class="app-header">
                <h1>{"kafka-sim"}</h1>
                <p class="tagline">{"Topic "}<code>{TOPIC}</code>{" with 3 partitions. A key always lands in the same partition (murmur2)."}</p>
            </header>
            <form class="produce-form" {onsubmit} aria-label="Produce a record">
                <label>{"Key "}<input ref={key_ref} id="produce-key" name="key" placeholder="e.g. customer-42 (empty: no key)" /></label>
                <label>{"Value "}<input ref={value_ref} id="produce-value" name="value" placeholder="e.g. order placed" /></label>
                <button type="submit" id="produce-button">{"Produce"}</button>
            </form>
            if let Some(error) = &sim.last_error {
                <p class="error" role="alert">{error}</p>
            }
            <section class="topic" data-topic={TOPIC} aria-label={format!("Topic {TOPIC}")}>
                { lanes.unwrap_or_default() }
            </section>
            <p class="tick" data-tick={engine.tick.to_string()}>{format!("tick {}", engine.tick)}</p>
        </main>
    }
}
