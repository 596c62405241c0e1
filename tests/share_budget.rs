//! One budget for the history and the share decoder: whatever the app saves (a link, a
//! file, the autosave; full and compact) loads back, and a history never grows past what
//! a decoder reads.
#![cfg(not(target_arch = "wasm32"))]

use kafka_sim::engine::limits;
use kafka_sim::engine::{Command, Event, ProducerStream};
use kafka_sim::share::{self, Encoding, Scenario};
use kafka_sim::timeline::Timeline;
use proptest::prelude::*;

fn produce(topic: &str, key: Option<String>, value: String) -> Command {
    Command::Produce {
        producer: None,
        topic: topic.into(),
        partition: None,
        key,
        value: Some(value),
        headers: vec![],
    }
}

fn is_rejected(events: &[Event]) -> bool {
    events.iter().any(|e| matches!(e, Event::Rejected { .. }))
}

/// Every form the app writes for `timeline`, decoded and replayed, must give the same
/// history (full forms) or the same state at the cursor (compact forms). With
/// `replay_each` false (a long history), the full forms are compared by their commands
/// and only the file is replayed: the same seed and commands give the same state.
fn assert_saved_forms_load_back(timeline: &Timeline, replay_each: bool) {
    let scenario = Scenario::from_timeline(timeline, Some("a session".into()));
    let full = [
        ("file", share::from_json(&share::to_json(&scenario))),
        (
            "autosave",
            share::from_storage(&share::to_storage(&scenario)),
        ),
        (
            "full link",
            share::from_url_fragment(&share::to_url_fragment_with(&scenario, Encoding::Full)),
        ),
    ];
    for (form, decoded) in full {
        let decoded = decoded.unwrap_or_else(|e| panic!("the {form} does not load: {e}"));
        assert_eq!(decoded.commands, scenario.commands, "the {form}'s commands");
        assert_eq!(decoded.cursor, scenario.cursor, "the {form}'s cursor");
        if !replay_each && form != "file" {
            continue;
        }
        let replayed = decoded
            .to_timeline()
            .unwrap_or_else(|e| panic!("the {form} does not replay: {e}"));
        assert_eq!(replayed.len(), timeline.len(), "the {form}'s steps");
        assert_eq!(replayed.state(), timeline.state(), "the {form}'s state");
    }
    if !replay_each {
        return;
    }
    let compact_link = share::to_url_fragment_with(&scenario, Encoding::Compact);
    let compact = share::from_url_fragment(&compact_link)
        .unwrap_or_else(|e| panic!("the compact link does not load: {e}"));
    let replayed = compact
        .to_timeline()
        .unwrap_or_else(|e| panic!("the compact link does not replay: {e}"));
    assert_eq!(
        replayed.state(),
        timeline.state(),
        "the compact link's state"
    );
    let shared = share::from_url_fragment(&share::to_url_fragment(&scenario))
        .unwrap_or_else(|e| panic!("the shared link does not load: {e}"));
    assert_eq!(
        shared
            .to_timeline()
            .map(|t| t.state().clone())
            .ok()
            .as_ref(),
        Some(timeline.state()),
        "the shared link's state"
    );
}

#[test]
fn a_history_at_the_step_limit_refuses_one_more_and_still_loads() {
    let mut timeline = Timeline::new(3);
    timeline.apply(Command::CreateTopic {
        name: "orders".into(),
        partitions: 2,
        configs: vec![],
    });
    timeline.apply(produce("orders", Some("k".into()), "v".into()));
    while timeline.len() < limits::MAX_STEPS {
        timeline.apply(Command::Advance { ticks: 1 });
    }
    let end = timeline.state().clone();
    let refused = timeline.apply(Command::Advance { ticks: 1 }).to_vec();
    assert_eq!(
        refused,
        vec![Event::Rejected {
            reason: "The simulator allows at most 200,000 steps in one history (step back to \
                     branch, or reset)."
                .into()
        }]
    );
    assert_eq!(
        timeline.len(),
        limits::MAX_STEPS,
        "the refused step is not recorded"
    );
    assert_eq!(timeline.state(), &end, "and changed nothing");
    assert_eq!(timeline.cursor(), limits::MAX_STEPS);
    assert_saved_forms_load_back(&timeline, false);
    // Stepping back and branching frees room again.
    timeline.step_back();
    assert!(!is_rejected(timeline.apply(Command::Advance { ticks: 2 })));
    assert_eq!(timeline.len(), limits::MAX_STEPS);
}

#[test]
fn a_history_at_the_tick_limit_refuses_more_time() {
    let mut timeline = Timeline::new(3);
    let almost = u32::try_from(limits::MAX_TOTAL_TICKS).unwrap() - 1;
    // Past the limit in one go: refused by the timeline before the engine runs it.
    assert!(is_rejected(
        timeline.apply(Command::Advance { ticks: almost + 2 })
    ));
    assert_eq!(timeline.len(), 0);
    assert!(!is_rejected(
        timeline.apply(Command::Advance { ticks: almost })
    ));
    assert!(!is_rejected(timeline.apply(Command::Advance { ticks: 1 })));
    let refused = timeline.apply(Command::Advance { ticks: 1 }).to_vec();
    assert!(is_rejected(&refused), "{refused:?}");
    assert_eq!(timeline.state().tick, limits::MAX_TOTAL_TICKS);
    assert_saved_forms_load_back(&timeline, false);
}

#[test]
fn a_history_at_the_byte_limit_refuses_more_and_still_loads() {
    let mut timeline = Timeline::new(3);
    timeline.apply(Command::CreateTopic {
        name: "orders".into(),
        partitions: 1,
        configs: vec![],
    });
    // A record larger than max.request.size is refused with Kafka's message.
    let too_big = timeline
        .apply(produce("orders", None, "x".repeat(1_048_576)))
        .to_vec();
    assert_eq!(
        too_big,
        vec![Event::Rejected {
            reason: "The message is 1048646 bytes when serialized which is larger than 1048576, \
                     which is the value of the max.request.size configuration."
                .into()
        }]
    );
    // Records just under the limit fill the history's bytes in about sixteen steps.
    let mut refused = None;
    for i in 0..40 {
        let events = timeline
            .apply(produce(
                "orders",
                None,
                format!("{i}{}", "x".repeat(1_000_000)),
            ))
            .to_vec();
        if is_rejected(&events) {
            refused = Some((i, events));
            break;
        }
    }
    let (at, events) = refused.expect("the byte budget refuses a step");
    assert!(at >= 14, "refused at record {at}: {events:?}");
    assert_eq!(
        events,
        vec![Event::Rejected {
            reason: "The simulator allows at most 16,777,216 bytes of commands in one history."
                .into()
        }]
    );
    assert_saved_forms_load_back(&timeline, true);
}

#[test]
fn a_keyless_stream_into_a_compacted_topic_is_refused_once() {
    let mut timeline = Timeline::new(3);
    timeline.apply(Command::CreateTopic {
        name: "users".into(),
        partitions: 1,
        configs: vec![],
    });
    timeline.apply(Command::AddProducer {
        name: "p".into(),
        null_key: Default::default(),
    });
    let stream = |key_pool| Command::SetProducerStream {
        producer: "p".into(),
        stream: Some(ProducerStream {
            topic: "users".into(),
            millirecords_per_second: 10_000,
            key_pool,
            key_prefix: String::new(),
        }),
    };
    assert!(!is_rejected(timeline.apply(stream(0))));
    // The topic becomes compacted under the running stream: one refusal, then it stops.
    timeline.apply(Command::AlterTopicConfig {
        topic: "users".into(),
        set: vec![("cleanup.policy".into(), "compact".into())],
        delete: vec![],
    });
    let events = timeline.apply(Command::Advance { ticks: 50 }).to_vec();
    let rejections = events
        .iter()
        .filter(|e| matches!(e, Event::Rejected { .. }))
        .count();
    assert_eq!(rejections, 1, "{events:?}");
    assert!(events.contains(&Event::ProducerStreamChanged {
        producer: "p".into(),
        running: false
    }));
    assert!(timeline.state().producers["p"].stream.is_none());
    // Starting a keyless stream on a compacted topic is refused at once, with Kafka's text.
    assert_eq!(
        timeline.apply(stream(0)).to_vec(),
        vec![Event::Rejected {
            reason: "Compacted topic cannot accept message without key in topic partition users-0"
                .into()
        }]
    );
    assert!(!is_rejected(timeline.apply(stream(4))));
}

#[test]
fn records_fill_is_bounded_in_total() {
    let mut timeline = Timeline::new(3);
    timeline.apply(Command::CreateTopic {
        name: "wide".into(),
        partitions: 256,
        configs: vec![],
    });
    let events = timeline
        .apply(Command::FillTopic {
            topic: "wide".into(),
            records_per_partition: 2_000_000,
        })
        .to_vec();
    assert_eq!(
        events,
        vec![Event::Rejected {
            reason: "The simulator allows at most 4,000,000 records in one fill (all partitions \
                     together)."
                .into()
        }]
    );
    assert_eq!(timeline.state().records_total(), 0);
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        1 => (1i64..4, any::<bool>()).prop_map(|(p, compact)| Command::CreateTopic {
            name: "t".into(),
            partitions: p,
            configs: if compact { vec![("cleanup.policy".into(), "compact".into())] } else { vec![] },
        }),
        3 => (proptest::option::of("[a-z]{0,3}"), "\\PC{0,40}").prop_map(|(k, v)| produce("t", k, v)),
        1 => (0u32..6).prop_map(|pool| Command::SetProducerStream {
            producer: "p".into(),
            stream: Some(ProducerStream { topic: "t".into(), millirecords_per_second: 3_000, key_pool: pool, key_prefix: "k".into() }),
        }),
        1 => Just(Command::AddProducer { name: "p".into(), null_key: Default::default() }),
        1 => Just(Command::StartConsumer { client_id: "c".into(), group: Some("g".into()), topics: vec!["t".into()], assign: vec![], config: vec![] }),
        1 => Just(Command::CrashConsumer { client_id: "c".into() }),
        4 => (1u32..3).prop_map(|t| Command::Advance { ticks: t }),
        1 => (1u32..400).prop_map(|t| Command::Advance { ticks: t }),
        1 => Just(Command::Advance { ticks: u32::MAX }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48), ..ProptestConfig::default() })]

    /// Whatever a session holds, with the cursor anywhere, every saved form loads back.
    #[test]
    fn every_saved_form_loads_back(seed in 0u64..100, commands in proptest::collection::vec(command(), 0..60), back in 0usize..10) {
        let mut timeline = Timeline::from_commands(seed, commands);
        for _ in 0..back {
            timeline.step_back();
        }
        assert_saved_forms_load_back(&timeline, true);
    }
}
