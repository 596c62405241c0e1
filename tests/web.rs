//! Component tests in a real browser (wasm-bindgen-test, headless Chromium).
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use kafka_sim::engine::event::Event;
use kafka_sim::engine::partitioner::partition_for_key;
use kafka_sim::engine::{Command, Engine};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The engine gives the same partitions on wasm as natively (murmur2 with 32-bit wasm).
/// toPositive(murmur2("a-little-bit-long-string")) = 1161502112, and 1161502112 % 200 = 112.
#[wasm_bindgen_test]
fn murmur2_partitions_match_kafka_vectors_in_the_browser() {
    assert_eq!(partition_for_key(b"21", 1000), 340);
    assert_eq!(partition_for_key(b"foobar", 1000), 166);
    let mut engine = Engine::new(3);
    engine
        .apply(&Command::CreateTopic {
            name: "orders".into(),
            partitions: 200,
            configs: vec![],
        })
        .expect("the topic is created");
    let events = engine
        .apply(&Command::Produce {
            producer: None,
            topic: "orders".into(),
            partition: None,
            key: Some("a-little-bit-long-string".into()),
            value: None,
            headers: vec![],
        })
        .expect("the record is produced");
    assert!(events.iter().any(|e| matches!(e, Event::RecordProduced { partition, offset: 0, .. } if partition.partition == 112)));
}

/// The app mounts and draws one lane per partition, each with its data attributes.
#[wasm_bindgen_test]
async fn the_app_draws_a_lane_per_partition() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<kafka_sim::ui::App>::with_root(root.clone()).render();
    TimeoutFuture::new(50).await;
    let lanes = root.query_selector_all("g.lane").unwrap();
    assert_eq!(lanes.length(), 3);
    assert!(root
        .query_selector("[data-partition=\"orders-2\"]")
        .unwrap()
        .is_some());
    assert!(root.query_selector("#produce-button").unwrap().is_some());
}

/// The diagram links each owned partition to its consumer, one colour per consumer, and
/// shows an idle consumer as idle.
#[wasm_bindgen_test]
async fn the_diagram_links_partitions_to_their_owners() {
    use std::rc::Rc;

    use kafka_sim::ui::diagram::{Diagram, DiagramProps};

    let mut commands = vec![Command::CreateTopic {
        name: "orders".into(),
        partitions: 2,
        configs: vec![],
    }];
    for client in ["c1", "c2", "c3"] {
        commands.push(Command::StartConsumer {
            client_id: client.into(),
            group: Some("g".into()),
            topics: vec!["orders".into()],
            assign: vec![],
            config: vec![],
        });
    }
    commands.push(Command::Advance { ticks: 80 });
    let timeline = kafka_sim::timeline::Timeline::from_commands(5, commands);
    assert!(
        timeline.steps().iter().all(|s| !s
            .events
            .iter()
            .any(|e| matches!(e, kafka_sim::engine::Event::Rejected { .. }))),
        "every command applies"
    );
    let console = kafka_sim::console::Console::with_timeline(timeline);
    let scene = Rc::new(kafka_sim::read::scene::Scene::of(
        console.timeline().state(),
    ));
    let props = DiagramProps {
        state: kafka_sim::ui::state::Shown::new(Rc::new(std::cell::RefCell::new(console)), 1),
        scene,
        events: Rc::new(Vec::new()),
        selection: None,
        onselect: yew::Callback::noop(),
        highlight: Rc::new(Vec::new()),
        handovers: Rc::new(Vec::new()),
    };
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Diagram>::with_root_and_props(root.clone(), props).render();
    TimeoutFuture::new(50).await;
    assert_eq!(
        root.query_selector_all("path.link").unwrap().length(),
        2,
        "one link per owned partition"
    );
    let group = root
        .query_selector("g.group[data-group=\"g\"]")
        .unwrap()
        .unwrap();
    assert_eq!(group.get_attribute("data-state").as_deref(), Some("Stable"));
    let idle = root.query_selector_all("g.consumer.idle").unwrap().length();
    assert_eq!(idle, 1, "three consumers, two partitions: one idle");
}
