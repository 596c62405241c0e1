//! Property tests: random command sequences against the engine's invariants, checked after
//! every step (the style of sled's model tests).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use kafka_sim::engine::consumer::MemberPhase;
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
        1 => Just(Command::RunCleaner { topic: None }),
        1 => Just(Command::RunRetention { topic: None }),
        1 => (0i64..4).prop_map(|o| Command::DeleteRecords { partition: TopicPartition::new("a", 0), before_offset: o }),
        4 => (1u32..40).prop_map(|t| Command::Advance { ticks: t }),
    ]
}

/// Every invariant the issue names, checked on one state.
fn check_invariants(e: &Engine) -> Result<(), String> {
    // Offsets are dense-or-gapped but strictly increasing from the log start; committed ≤ HW.
    for topic in e.topics.values() {
        for (p, log) in topic.partitions.iter().enumerate() {
            let mut last = log.log_start_offset() - 1;
            for r in log.records_in_range(log.log_start_offset(), log.log_end_offset()) {
                if r.offset <= last {
                    return Err(format!(
                        "{}-{p}: offset {} after {last}",
                        topic.name, r.offset
                    ));
                }
                last = r.offset;
            }
            if log.log_start_offset() > log.high_watermark() {
                return Err(format!(
                    "{}-{p}: log start above the high watermark",
                    topic.name
                ));
            }
        }
    }
    for group in e.groups.values() {
        for (tp, c) in &group.committed {
            if let Some(log) = e.partition_log(tp) {
                if c.offset > log.high_watermark() {
                    return Err(format!(
                        "group {} committed {} above HW {} on {tp}",
                        group.id,
                        c.offset,
                        log.high_watermark()
                    ));
                }
            }
        }
        // No partition has two running owners within a group.
        let mut owners: BTreeMap<&TopicPartition, &str> = BTreeMap::new();
        for c in e.consumers.values().filter(|c| {
            c.is_running() && c.is_subscriber() && c.group.as_deref() == Some(&group.id)
        }) {
            for tp in &c.assignment {
                if let Some(other) = owners.insert(tp, &c.client_id) {
                    return Err(format!(
                        "{tp} owned by both {other} and {} in group {}",
                        c.client_id, group.id
                    ));
                }
            }
        }
        // A settled stable group covers every subscribed partition exactly once.
        let settled = group.state == GroupState::Stable
            && group.members.iter().all(|m| {
                e.consumers.get(&m.client_id).is_some_and(|c| {
                    c.is_running()
                        && c.member_id.as_deref() == Some(m.member_id.as_str())
                        && c.phase == MemberPhase::Stable
                        && !c.rejoin_needed
                        && c.generation == group.generation
                })
            })
            && !group.members.is_empty();
        if settled {
            let subscribed: BTreeSet<&String> =
                group.members.iter().flat_map(|m| m.topics.iter()).collect();
            let expected: BTreeSet<TopicPartition> = subscribed
                .iter()
                .filter_map(|t| e.topics.get(*t))
                .flat_map(|t| (0..t.n_partitions()).map(|p| TopicPartition::new(t.name.clone(), p)))
                .collect();
            let mut seen = BTreeSet::new();
            for m in &group.members {
                for tp in &m.assignment {
                    if !seen.insert(tp.clone()) {
                        return Err(format!("{tp} assigned twice in stable group {}", group.id));
                    }
                }
            }
            let leader_snapshot_current = group.assigned_partition_counts
                == subscribed
                    .iter()
                    .filter_map(|t| e.topics.get(*t).map(|x| ((*t).clone(), x.n_partitions())))
                    .collect::<BTreeMap<String, u32>>();
            if leader_snapshot_current && seen != expected {
                return Err(format!(
                    "stable group {} covers {seen:?}, expected {expected:?}",
                    group.id
                ));
            }
        }
    }
    Ok(())
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
