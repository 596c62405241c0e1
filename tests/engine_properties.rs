//! Property tests: random command sequences against the engine's invariants, checked after
//! every step (the style of sled's model tests).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use kafka_sim::engine::consumer::ClassicMembership;
use kafka_sim::engine::{
    Command, Engine, GroupState, ResetScope, ResetSpec, SeekTarget, TopicPartition,
};
use kafka_sim::timeline::Timeline;
use proptest::prelude::*;

const TOPICS: [&str; 2] = ["a", "b"];
const GROUPS: [&str; 2] = ["g1", "g2"];
const CLIENTS: [&str; 4] = ["c1", "c2", "c3", "c4"];
const STRATEGIES: [&str; 5] = [
    "range",
    "roundrobin",
    "sticky",
    "cooperative-sticky",
    "range,cooperative-sticky",
];

fn name<'a>(list: &[&'a str]) -> impl Strategy<Value = String> + use<'a> {
    let list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    proptest::sample::select(list)
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        1 => (name(&TOPICS), -1i64..5, any::<bool>(), any::<bool>()).prop_map(|(n, p, small, compact)| {
            let mut configs = vec![];
            if small {
                configs.push(("segment.bytes".to_string(), "300".to_string()));
                configs.push(("retention.ms".to_string(), "2000".to_string()));
            }
            if compact {
                configs.push(("cleanup.policy".to_string(), "compact,delete".to_string()));
            }
            Command::CreateTopic { name: n, partitions: p, configs }
        }),
        1 => name(&TOPICS).prop_map(|n| Command::DeleteTopic { name: n }),
        1 => (name(&TOPICS), 0i64..7).prop_map(|(t, n)| Command::AddPartitions { topic: t, total: n }),
        4 => (name(&TOPICS), proptest::option::of(0u8..6), proptest::option::of(-1i64..4)).prop_map(|(t, k, p)| Command::Produce {
            producer: Some("p1".into()),
            topic: t,
            partition: p,
            key: k.map(|k| format!("k{k}")),
            value: Some("v".into()),
            headers: vec![],
        }),
        3 => (name(&CLIENTS), name(&GROUPS), name(&STRATEGIES), proptest::option::of(name(&["i1", "i2"])), any::<bool>(), 0usize..3).prop_map(
            |(c, g, s, instance, standalone, topics)| {
                let mut config = vec![
                    ("partition.assignment.strategy".to_string(), s),
                    ("session.timeout.ms".to_string(), "6000".to_string()),
                    ("max.poll.interval.ms".to_string(), "20000".to_string()),
                    ("auto.commit.interval.ms".to_string(), "1000".to_string()),
                ];
                if let Some(i) = instance {
                    config.push(("group.instance.id".to_string(), i));
                }
                let topic_list: Vec<String> = TOPICS[..topics.min(2)].iter().map(|t| t.to_string()).collect();
                if standalone {
                    Command::StartConsumer { client_id: c, group: Some(g), topics: vec![], assign: vec![TopicPartition::new("a", 0)], config }
                } else {
                    Command::StartConsumer { client_id: c, group: Some(g), topics: topic_list, assign: vec![], config }
                }
            }
        ),
        1 => name(&CLIENTS).prop_map(|c| Command::StopConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::CrashConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::RestartConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::RemoveConsumer { client_id: c }),
        1 => (name(&CLIENTS), prop_oneof![Just(("processing.rate", "0.5")), Just(("processing.rate", "50")), Just(("max.poll.records", "2")), Just(("partition.assignment.strategy", "cooperative-sticky")), Just(("processing.commit", "after")), Just(("auto.offset.reset", "none"))])
            .prop_map(|(c, (k, v))| Command::SetConsumerConfig { client_id: c, key: k.into(), value: v.into() }),
        1 => name(&CLIENTS).prop_map(|c| Command::PauseConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::ResumeConsumer { client_id: c }),
        1 => (name(&CLIENTS), prop_oneof![Just(SeekTarget::Beginning), Just(SeekTarget::End), (-1i64..8).prop_map(SeekTarget::Offset)])
            .prop_map(|(c, to)| Command::Seek { client_id: c, partition: None, to }),
        1 => name(&CLIENTS).prop_map(|c| Command::CommitSync { client_id: c }),
        1 => (name(&GROUPS), any::<bool>(), -3i64..3).prop_map(|(g, execute, shift)| Command::ResetOffsets {
            group: g,
            scope: ResetScope::AllTopics,
            spec: ResetSpec::ShiftBy(shift),
            execute,
        }),
        1 => name(&GROUPS).prop_map(|g| Command::DeleteGroup { group: g }),
        1 => (name(&GROUPS), name(&TOPICS), 0u32..3).prop_map(|(g, t, p)| Command::DeleteOffsets { group: g, partitions: vec![TopicPartition::new(t, p)] }),
        1 => Just(Command::RunCleaner { topic: None }),
        1 => Just(Command::RunRetention { topic: None }),
        1 => (0i64..4).prop_map(|o| Command::DeleteRecords { partition: TopicPartition::new("a", 0), before_offset: o }),
        4 => (1u32..40).prop_map(|t| Command::Advance { ticks: t }),
    ]
}

/// Every invariant the issue names, checked on one state (the engine's own check, which
/// `apply` also runs in test builds).
fn check_invariants(e: &Engine) -> Result<(), String> {
    kafka_sim::engine::invariants::check(e)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64), ..ProptestConfig::default() })]

    #[test]
    fn random_commands_keep_every_invariant(seed in 0u64..1000, commands in proptest::collection::vec(command(), 1..120)) {
        let mut timeline = Timeline::new(seed);
        for command in &commands {
            timeline.apply(command.clone());
            if let Err(why) = check_invariants(timeline.state()) {
                prop_assert!(false, "after {:?}: {}", command, why);
            }
        }
        // Replaying the same seed and commands gives an identical state.
        let replay = Timeline::from_commands(seed, commands.iter().cloned());
        prop_assert_eq!(replay.state(), timeline.state());
        // Step back, then forward: identical.
        let end = timeline.state().clone();
        let back = commands.len().min(7);
        for _ in 0..back { timeline.step_back(); }
        for _ in 0..back { timeline.step_forward(); }
        prop_assert_eq!(timeline.state(), &end);
    }
}

/// Whether every group has settled and every running reader has read its partitions to
/// the end: what must hold once the faults stop and time runs. `Err` says what is not yet.
fn settled_and_read(e: &Engine) -> Result<(), String> {
    for c in e.consumers.values().filter(|c| c.is_running()) {
        if c.is_subscriber() {
            let Some(group) = c.group.as_deref().and_then(|g| e.groups.get(g)) else {
                return Err(format!("{} is in no group", c.client_id));
            };
            let member_settled = matches!(
                c.membership,
                ClassicMembership::Stable { generation, rejoin_needed: false, .. }
                    if generation == group.generation
            );
            if group.state != GroupState::Stable || !member_settled {
                return Err(format!(
                    "{} not settled: group {} is {:?} at generation {}, member {:?}",
                    c.client_id, group.id, group.state, group.generation, c.membership
                ));
            }
        }
        for tp in &c.assignment {
            let Some(log) = e.partition_log(tp) else {
                continue;
            };
            let position = c.positions.get(tp).copied();
            if position != Some(log.high_watermark()) {
                return Err(format!(
                    "{} has read {tp} to {position:?} of {}",
                    c.client_id,
                    log.high_watermark()
                ));
            }
        }
    }
    // Every partition of a topic that a running member subscribes to has an owner.
    for group in e.groups.values() {
        let members: Vec<_> = e
            .consumers
            .values()
            .filter(|c| {
                c.is_running() && c.is_subscriber() && c.group.as_deref() == Some(&group.id)
            })
            .collect();
        let subscribed: BTreeSet<&String> = members.iter().flat_map(|c| c.topics.iter()).collect();
        for topic in subscribed.iter().filter_map(|t| e.topics.get(*t)) {
            for p in 0..topic.n_partitions() {
                let tp = TopicPartition::new(topic.name.clone(), p);
                if !members.iter().any(|c| c.assignment.contains(&tp)) {
                    return Err(format!("{tp} has no owner in group {}", group.id));
                }
            }
        }
    }
    Ok(())
}

/// Ends the faults: every consumer that is not running is restarted, paused ones resume,
/// and each processes fast and commits after processing, so nothing holds a group back.
fn stop_faults(timeline: &mut Timeline) {
    let ids: Vec<String> = timeline.state().consumers.keys().cloned().collect();
    for id in ids {
        timeline.apply(Command::RestartConsumer {
            client_id: id.clone(),
        });
        timeline.apply(Command::ResumeConsumer {
            client_id: id.clone(),
        });
        for (key, value) in [
            ("processing.rate", "1000"),
            ("auto.offset.reset", "earliest"),
        ] {
            timeline.apply(Command::SetConsumerConfig {
                client_id: id.clone(),
                key: key.into(),
                value: value.into(),
            });
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48), ..ProptestConfig::default() })]

    /// A command the engine rejects leaves its state exactly as it was.
    #[test]
    fn a_rejected_command_changes_nothing(seed in 0u64..1000, commands in proptest::collection::vec(command(), 1..120)) {
        let mut engine = Engine::new(seed);
        for command in &commands {
            let before = engine.clone();
            if let Err(refusal) = engine.apply(command) {
                prop_assert!(engine == before, "{:?} was rejected ({}) but changed the state", command, refusal);
            }
        }
    }

    /// Liveness: after random commands and faults, once the faults stop and time runs,
    /// every group settles and every record is read.
    #[test]
    fn once_faults_stop_every_group_settles_and_reads_everything(seed in 0u64..1000, commands in proptest::collection::vec(command(), 1..120)) {
        let mut timeline = Timeline::from_commands(seed, commands.iter().cloned());
        stop_faults(&mut timeline);
        let mut outcome = settled_and_read(timeline.state());
        // 6,000 ticks is ten minutes: twice `metadata.max.age.ms`, the longest a client takes
        // to notice partitions added to a topic it reads.
        for _ in 0..120 {
            if outcome.is_ok() {
                break;
            }
            timeline.apply(Command::Advance { ticks: 50 });
            outcome = settled_and_read(timeline.state());
        }
        prop_assert!(outcome.is_ok(), "after 6,000 ticks: {}", outcome.unwrap_err());
    }
}
