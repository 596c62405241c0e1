//! Component tests in a real browser (wasm-bindgen-test, headless Chromium).
#![cfg(target_arch = "wasm32")]

use kafka_sim::engine::{Command, Engine, Event};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The engine gives the same partitions on wasm as natively (murmur2 on 32-bit wasm).
#[wasm_bindgen_test]
fn murmur2_partitions_match_native_vectors_in_the_browser() {
    assert_eq!(
        kafka_sim::engine::partitioner::partition_for_key(b"21", 1000),
        340
    );
    assert_eq!(
        kafka_sim::engine::partitioner::partition_for_key(b"foobar", 1000),
        166
    );
    let mut engine = Engine::new(3);
    engine.apply(&Command::CreateTopic {
        name: "orders".into(),
        partitions: 1000,
    });
    let events = engine.apply(&Command::Produce {
        topic: "orders".into(),
        key: Some("a-little-bit-long-string".into()),
        value: None,
    });
    assert!(matches!(
        events.as_slice(),
        [Event::RecordAppended {
            partition: 112,
            offset: 0,
            ..
        }]
    ));
}
