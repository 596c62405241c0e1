//! The engine's cluster of brokers (issue 12): scenarios a user plays (a leader crash with
//! `acks=1` loses acknowledged records, `acks=all` with `min.insync.replicas=2` survives one
//! failure and refuses writes with two brokers down, a slow follower leaves the ISR) and
//! property tests over random broker failures: with `acks=all`, unclean election off and at
//! most RF − min.insync.replicas brokers down, no acknowledged record is ever lost; a consumer
//! never sees a record above the high watermark; the high watermark never decreases on a
//! leader; leader epochs only grow.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use kafka_sim::engine::cluster::ElectionType;
use kafka_sim::engine::replication::{Acks, BrokerId};
use kafka_sim::engine::{Command, Engine, Event, RejectionKind, TopicPartition};
use proptest::prelude::*;

fn apply(e: &mut Engine, c: Command) {
    if let Err(r) = e.apply(&c) {
        panic!("{c:?} was refused: {}", r.reason);
    }
}

/// A cluster of `n` brokers with topic `t` of one partition on replicas 1,2,3.
fn cluster_with_topic(n: usize, min_isr: Option<u32>) -> Engine {
    let mut e = Engine::new(7);
    for _ in 1..n {
        apply(&mut e, Command::AddBroker);
    }
    let configs = min_isr
        .map(|m| vec![("min.insync.replicas".to_string(), m.to_string())])
        .unwrap_or_default();
    apply(
        &mut e,
        Command::CreateTopicOnReplicas {
            name: "t".into(),
            partitions: 1,
            replication_factor: None,
            assignment: Some(vec![vec![1, 2, 3]]),
            configs,
        },
    );
    e
}

fn produce(e: &mut Engine, producer: &str, value: &str) -> Result<(), RejectionKind> {
    e.apply(&Command::Produce {
        producer: Some(producer.into()),
        topic: "t".into(),
        partition: Some(0),
        key: None,
        value: Some(value.into()),
        headers: Vec::new(),
    })
    .map(|_| ())
    .map_err(|r| r.kind)
}

fn values(e: &Engine) -> Vec<String> {
    let log = e.partition_log(&TopicPartition::new("t", 0)).unwrap();
    log.read(log.log_start_offset(), 10_000)
        .unwrap()
        .iter()
        .map(|r| r.value.as_deref().unwrap_or_default().to_string())
        .collect()
}

fn replication(e: &Engine) -> &kafka_sim::engine::replication::PartitionReplication {
    &e.cluster.as_ref().unwrap().partitions["t"][0].replication
}

fn set_acks(e: &mut Engine, producer: &str, acks: Acks) {
    apply(
        e,
        Command::SetProducerAcks {
            producer: producer.into(),
            acks,
        },
    );
}

fn advance(e: &mut Engine, ticks: u32) {
    apply(e, Command::Advance { ticks });
}

#[test]
fn one_broker_stays_the_default_and_needs_no_cluster() {
    let mut e = Engine::new(1);
    apply(
        &mut e,
        Command::CreateTopic {
            name: "t".into(),
            partitions: 1,
            configs: Vec::new(),
        },
    );
    produce(&mut e, "p", "a").unwrap();
    advance(&mut e, 10);
    assert!(e.cluster.is_none());
    assert_eq!(e.broker_count(), 1);
    assert_eq!(values(&e), ["a"]);
}

#[test]
fn a_replication_factor_above_the_brokers_is_refused_with_kafkas_text() {
    let mut e = Engine::new(1);
    apply(&mut e, Command::AddBroker);
    let refused = e
        .apply(&Command::CreateTopicOnReplicas {
            name: "t".into(),
            partitions: 1,
            replication_factor: Some(3),
            assignment: None,
            configs: Vec::new(),
        })
        .unwrap_err();
    assert_eq!(refused.kind, RejectionKind::InvalidReplicationFactor);
    assert!(refused
        .reason
        .starts_with("Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 2 broker(s) are registered"));
    assert!(e.topic("t").is_none(), "a refused create makes nothing");
}

#[test]
fn records_become_readable_when_the_whole_isr_has_them() {
    let mut e = cluster_with_topic(3, None);
    produce(&mut e, "p", "a").unwrap();
    assert!(
        values(&e).is_empty(),
        "above the high watermark until followers fetch"
    );
    advance(&mut e, 2);
    assert_eq!(values(&e), ["a"]);
    assert_eq!(replication(&e).isr, vec![1, 2, 3]);
}

#[test]
fn a_leader_crash_with_acks_1_loses_acknowledged_records() {
    let mut e = cluster_with_topic(3, None);
    set_acks(&mut e, "p", Acks::Leader);
    produce(&mut e, "p", "a").unwrap();
    advance(&mut e, 2);
    // The leader acknowledges two more records alone and crashes before its followers,
    // still in the ISR, fetch them.
    produce(&mut e, "p", "b").unwrap();
    produce(&mut e, "p", "c").unwrap();
    apply(&mut e, Command::CrashBroker { broker: 1 });
    advance(&mut e, 100);
    let r = replication(&e);
    assert_eq!(r.leader, Some(2), "the first in-sync replica takes over");
    assert_eq!(r.leader_epoch, 1);
    produce(&mut e, "p", "d").unwrap();
    advance(&mut e, 2);
    apply(&mut e, Command::StartBroker { broker: 1 });
    advance(&mut e, 5);
    assert_eq!(
        values(&e),
        ["a", "d"],
        "b and c were acknowledged and are gone"
    );
    assert_eq!(replication(&e).logs[&1].log_end_offset, 2, "1 cut them too");
}

#[test]
fn acks_all_with_min_isr_2_survives_one_failure_and_refuses_writes_with_two_down() {
    let mut e = cluster_with_topic(3, Some(2));
    produce(&mut e, "p", "a").unwrap();
    advance(&mut e, 2);
    apply(&mut e, Command::StopBroker { broker: 1 });
    assert_eq!(replication(&e).leader, Some(2));
    assert_eq!(replication(&e).isr, vec![2, 3]);
    produce(&mut e, "p", "b").unwrap();
    advance(&mut e, 2);
    assert_eq!(values(&e), ["a", "b"]);
    apply(&mut e, Command::StopBroker { broker: 2 });
    assert_eq!(replication(&e).leader, Some(3));
    // NOT_ENOUGH_REPLICAS is retriable: w waits in p and is retried on the clock.
    produce(&mut e, "p", "w").unwrap();
    assert_eq!(e.producers["p"].waiting.len(), 1);
    // acks=1 is taken, and stays invisible while the ISR is below its minimum.
    set_acks(&mut e, "q", Acks::Leader);
    produce(&mut e, "q", "c").unwrap();
    advance(&mut e, 2);
    assert_eq!(values(&e), ["a", "b"]);
    assert!(
        e.producers["p"].waiting[0].attempts > 1,
        "retried meanwhile"
    );
    apply(&mut e, Command::StartBroker { broker: 2 });
    advance(&mut e, 3);
    assert_eq!(
        values(&e),
        ["a", "b", "c", "w"],
        "w lands once, when the ISR is two again"
    );
    assert!(e.producers["p"].waiting.is_empty());
}

#[test]
fn an_unclean_election_follows_the_topics_own_setting() {
    let mut e = cluster_with_topic(3, None);
    apply(
        &mut e,
        Command::CreateTopicOnReplicas {
            name: "u".into(),
            partitions: 1,
            replication_factor: None,
            assignment: Some(vec![vec![1, 2, 3]]),
            configs: Vec::new(),
        },
    );
    produce(&mut e, "p", "a").unwrap();
    advance(&mut e, 2);
    // The followers go; the leader alone takes b and c (min.insync.replicas=1), then goes too.
    apply(&mut e, Command::StopBroker { broker: 2 });
    apply(&mut e, Command::StopBroker { broker: 3 });
    produce(&mut e, "p", "b").unwrap();
    produce(&mut e, "p", "c").unwrap();
    advance(&mut e, 1);
    assert_eq!(values(&e), ["a", "b", "c"]);
    apply(&mut e, Command::StopBroker { broker: 1 });
    apply(&mut e, Command::StartBroker { broker: 2 });
    assert_eq!(
        replication(&e).leader,
        None,
        "2 was not in sync: no clean leader"
    );
    // Only t allows an unclean election. The change alone elects nothing (the real 4.4.0
    // controller leaves the partition offline until its periodic check); the next broker
    // event elects 2 for t, and u stays offline.
    apply(
        &mut e,
        Command::AlterTopicConfig {
            topic: "t".into(),
            set: vec![("unclean.leader.election.enable".into(), "true".into())],
            delete: Vec::new(),
        },
    );
    assert_eq!(
        replication(&e).leader,
        None,
        "a config change elects nothing"
    );
    apply(&mut e, Command::StartBroker { broker: 3 });
    assert_eq!(replication(&e).leader, Some(2));
    assert_eq!(replication(&e).isr, vec![2]);
    let u = &e.cluster.as_ref().unwrap().partitions["u"][0].replication;
    assert_eq!(u.leader, None, "u keeps the broker default (false)");
    // The elected replica's data wins: b and c are gone, and 1 cuts them when it returns.
    assert_eq!(values(&e), ["a"]);
    apply(&mut e, Command::StartBroker { broker: 1 });
    advance(&mut e, 5);
    assert_eq!(values(&e), ["a"]);
    assert_eq!(replication(&e).logs[&1].log_end_offset, 1);
}

#[test]
fn a_broker_event_elects_uncleanly_where_the_topic_allows_it() {
    let mut e = cluster_with_topic(3, None);
    apply(
        &mut e,
        Command::AlterTopicConfig {
            topic: "t".into(),
            set: vec![("unclean.leader.election.enable".into(), "true".into())],
            delete: Vec::new(),
        },
    );
    produce(&mut e, "p", "a").unwrap();
    advance(&mut e, 2);
    apply(&mut e, Command::StopBroker { broker: 2 });
    apply(&mut e, Command::StopBroker { broker: 3 });
    produce(&mut e, "p", "b").unwrap();
    apply(&mut e, Command::StopBroker { broker: 1 });
    assert_eq!(replication(&e).leader, None);
    // 3 registers again: the controller offers it the leaderless partition, uncleanly.
    apply(&mut e, Command::StartBroker { broker: 3 });
    assert_eq!(replication(&e).leader, Some(3));
    assert_eq!(values(&e), ["a"]);
}

#[test]
fn a_crashed_leader_is_noticed_when_its_session_expires() {
    let mut e = cluster_with_topic(3, None);
    apply(&mut e, Command::CrashBroker { broker: 1 });
    advance(&mut e, 89);
    assert_eq!(replication(&e).leader, Some(1), "not fenced before 9 s");
    // No leader to send to: the record waits in its producer, unsent.
    produce(&mut e, "p", "a").unwrap();
    assert_eq!(e.producers["p"].waiting[0].attempts, 0);
    advance(&mut e, 1);
    assert_eq!(replication(&e).leader, Some(2));
    assert_eq!(replication(&e).isr, vec![2, 3]);
    advance(&mut e, 5);
    assert_eq!(values(&e), ["a"], "sent to the new leader");
}

#[test]
fn a_slow_follower_leaves_the_isr_and_rejoins_when_it_catches_up() {
    let mut e = cluster_with_topic(3, None);
    apply(
        &mut e,
        Command::AddProducer {
            name: "p".into(),
            null_key: Default::default(),
        },
    );
    apply(
        &mut e,
        Command::SetProducerStream {
            producer: "p".into(),
            stream: Some(kafka_sim::engine::ProducerStream {
                topic: "t".into(),
                millirecords_per_second: 100_000,
                key_pool: 0,
                key_prefix: String::new(),
            }),
        },
    );
    apply(
        &mut e,
        Command::SlowBroker {
            broker: 3,
            factor: 1_000,
        },
    );
    advance(&mut e, 500);
    assert_eq!(
        replication(&e).isr,
        vec![1, 2],
        "3 fell behind for over 30 s"
    );
    apply(
        &mut e,
        Command::SlowBroker {
            broker: 3,
            factor: 1,
        },
    );
    advance(&mut e, 20);
    assert_eq!(
        replication(&e).isr,
        vec![1, 2, 3],
        "back in the ISR, in id order"
    );
}

#[test]
fn preferred_election_moves_leadership_back_by_tool_and_by_itself() {
    let mut e = cluster_with_topic(3, None);
    apply(&mut e, Command::StopBroker { broker: 1 });
    apply(&mut e, Command::StartBroker { broker: 1 });
    advance(&mut e, 2);
    assert_eq!(replication(&e).leader, Some(2));
    assert_eq!(
        replication(&e).isr,
        vec![1, 2, 3],
        "an expanded ISR is in id order"
    );
    let events = e
        .apply(&Command::ElectLeaders {
            election: ElectionType::Preferred,
            partitions: None,
        })
        .unwrap();
    assert!(events
        .iter()
        .any(|ev| matches!(ev, kafka_sim::engine::Event::LeadersElected { results, .. } if results.len() == 1)));
    assert_eq!(replication(&e).leader, Some(1));
    // Again, by the controller's own check every 300 s.
    apply(&mut e, Command::StopBroker { broker: 1 });
    apply(&mut e, Command::StartBroker { broker: 1 });
    advance(&mut e, 3_000);
    assert_eq!(replication(&e).leader, Some(1));
}

#[derive(Debug, Clone)]
enum Op {
    Produce(u8),
    Advance(u32),
    Crash(BrokerId),
    Stop(BrokerId),
    Start(BrokerId),
    Slow(BrokerId, u32),
    Preferred,
    /// Another topic (default replication factor), grown and filled: what the cluster must
    /// keep in step besides `t`.
    OtherTopic(u8),
    Unclean(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..3).prop_map(Op::Produce),
        4 => (1u32..120).prop_map(Op::Advance),
        1 => (1..4).prop_map(Op::Crash),
        1 => (1..4).prop_map(Op::Stop),
        2 => (1..4).prop_map(Op::Start),
        1 => (1..4, prop_oneof![Just(1u32), Just(100), Just(5_000)]).prop_map(|(b, f)| Op::Slow(b, f)),
        1 => Just(Op::Preferred),
        1 => (0u8..4).prop_map(Op::OtherTopic),
        1 => any::<bool>().prop_map(Op::Unclean),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64), ..ProptestConfig::default() })]

    #[test]
    fn acknowledged_records_survive_and_readers_stay_below_the_high_watermark(
        ops in proptest::collection::vec(op(), 1..80),
        min_isr in 1u32..3,
    ) {
        let mut e = cluster_with_topic(3, Some(min_isr));
        // A group reads t throughout: its positions and commits live through failovers.
        apply(&mut e, Command::StartConsumer {
            client_id: "c1".into(),
            group: Some("g".into()),
            topics: vec!["t".into(), "u".into()],
            assign: Vec::new(),
            config: Vec::new(),
        });
        let tolerated = 3 - min_isr as usize;
        let mut sent = 0u32;
        // Each acknowledged record (acks=all: below the high watermark) with its offset.
        let mut acknowledged: BTreeMap<i64, String> = BTreeMap::new();
        let mut lossy = false;
        let mut last_epoch = 0;
        let mut leader_hw: Option<(BrokerId, i32, i64)> = None;
        for op in &ops {
            let down = e.cluster.as_ref().unwrap().brokers.values().filter(|b| !b.is_running()).count();
            let command = match op {
                Op::Produce(acks) => {
                    sent += 1;
                    let producer = ["p0", "p1", "pall"][*acks as usize];
                    let acks = [Acks::None, Acks::Leader, Acks::All][*acks as usize];
                    let _ = e.apply(&Command::SetProducerAcks { producer: producer.into(), acks });
                    let _ = produce(&mut e, producer, &format!("{producer}-{sent}"));
                    None
                }
                Op::Advance(t) => Some(Command::Advance { ticks: *t }),
                // Failures beyond what min.insync.replicas tolerates are allowed, but then
                // losing records is allowed too.
                Op::Crash(b) => Some(Command::CrashBroker { broker: *b }),
                Op::Stop(b) => Some(Command::StopBroker { broker: *b }),
                Op::Start(b) => Some(Command::StartBroker { broker: *b }),
                Op::Slow(b, f) => Some(Command::SlowBroker { broker: *b, factor: *f }),
                Op::Preferred => Some(Command::ElectLeaders { election: ElectionType::Preferred, partitions: None }),
                Op::OtherTopic(0) => Some(Command::CreateTopic { name: "u".into(), partitions: 2, configs: Vec::new() }),
                Op::OtherTopic(1) => Some(Command::AddPartitions { topic: "u".into(), total: 4 }),
                Op::OtherTopic(2) => Some(Command::FillTopic { topic: "u".into(), records_per_partition: 50 }),
                Op::OtherTopic(_) => Some(Command::DeleteTopic { name: "u".into() }),
                Op::Unclean(on) => {
                    if *on {
                        lossy = true;
                    }
                    Some(Command::SetBrokerConfig {
                        key: "unclean.leader.election.enable".into(),
                        value: on.to_string(),
                    })
                }
            };
            if let Some(c) = command {
                let _ = e.apply(&c);
            }
            let down_now = e.cluster.as_ref().unwrap().brokers.values().filter(|b| !b.is_running()).count();
            if down.max(down_now) > tolerated {
                lossy = true;
            }
            let r = replication(&e);
            prop_assert!(r.leader_epoch >= last_epoch, "leader epochs only grow");
            last_epoch = r.leader_epoch;
            let log = e.partition_log(&TopicPartition::new("t", 0)).unwrap();
            let hw = log.high_watermark();
            prop_assert!(hw <= log.log_end_offset());
            if let Some(leader) = r.leader {
                if let Some((l, epoch, before)) = leader_hw {
                    if l == leader && epoch == r.leader_epoch {
                        prop_assert!(hw >= before, "the high watermark never decreases on a leader");
                    }
                }
                leader_hw = Some((leader, r.leader_epoch, hw));
            }
            // A reader sees exactly the records below the high watermark.
            let read = log.read(log.log_start_offset(), 100_000).unwrap();
            prop_assert!(read.iter().all(|rec| rec.offset < hw));
            for rec in &read {
                let value = rec.value.as_deref().unwrap_or_default();
                if value.starts_with("pall-") {
                    acknowledged.entry(rec.offset).or_insert_with(|| value.to_string());
                }
            }
            if !lossy {
                for (offset, value) in &acknowledged {
                    if *offset >= hw {
                        // A new leader starts from its own high watermark, which may trail
                        // the old leader's until its followers fetch (and a crashed leader,
                        // not yet fenced, never moves it): the record must still be in its
                        // log, and is checked again once it is readable.
                        prop_assert!(*offset < log.log_end_offset(), "acknowledged record at {} lost", offset);
                        continue;
                    }
                    let held = log.records_in_range(*offset, offset + 1).next();
                    prop_assert_eq!(
                        held.and_then(|r| r.value.as_deref()),
                        Some(value.as_str()),
                        "acknowledged record at {} lost", offset
                    );
                }
            }
        }
    }
}

#[test]
fn a_cluster_after_a_truncation_survives_a_json_round_trip() {
    let mut e = cluster_with_topic(3, None);
    set_acks(&mut e, "p", Acks::Leader);
    produce(&mut e, "p", "a").unwrap();
    advance(&mut e, 2);
    produce(&mut e, "p", "b").unwrap();
    apply(&mut e, Command::CrashBroker { broker: 1 });
    advance(&mut e, 100);
    // 1 returns and cuts b, which the new leader never had.
    apply(&mut e, Command::StartBroker { broker: 1 });
    advance(&mut e, 2);
    let json = serde_json::to_string(&e).expect("an engine serializes");
    let back: Engine = serde_json::from_str(&json).expect("and reads back");
    assert_eq!(back, e);
}

// ------------------------------------------------------------ the group coordinator

/// Three brokers, topic t on 1,2,3, and consumer c1 of group `group` reading it, Stable with
/// its first records committed.
fn cluster_with_group(group: &str) -> Engine {
    let mut e = cluster_with_topic(3, None);
    for v in ["a", "b", "c"] {
        produce(&mut e, "p", v).unwrap();
    }
    apply(
        &mut e,
        Command::StartConsumer {
            client_id: "c1".into(),
            group: Some(group.into()),
            topics: vec!["t".into()],
            assign: Vec::new(),
            config: Vec::new(),
        },
    );
    // The initial rebalance delay (3 s), then auto-commit (5 s).
    advance(&mut e, 100);
    assert_eq!(e.groups[group].state.name(), "Stable");
    e
}

fn committed(e: &Engine, group: &str) -> Option<i64> {
    e.groups[group]
        .committed
        .get(&TopicPartition::new("t", 0))
        .map(|c| c.offset)
}

#[test]
fn the_coordinator_is_the_leader_of_the_groups_offsets_partition() {
    let e = cluster_with_group("g");
    let cluster = e.cluster.as_ref().unwrap();
    let offsets = &cluster.internal["__consumer_offsets"];
    assert_eq!(offsets.len(), 50);
    assert!(
        offsets.iter().all(|p| p.replicas.len() == 3),
        "min(3, brokers) replicas"
    );
    // "g".hashCode() is 103: partition 3.
    let leader = offsets[3].leader;
    assert!(leader.is_some());
    assert_eq!(e.group_coordinator("g"), leader);
    // Leadership is spread over the brokers, as a striped placement spreads it.
    let leaders: std::collections::BTreeSet<_> = offsets.iter().filter_map(|p| p.leader).collect();
    assert_eq!(leaders.len(), 3);
}

#[test]
fn a_group_moves_with_its_coordinator_and_keeps_members_and_offsets() {
    let mut e = cluster_with_group("g");
    let old = e.group_coordinator("g").unwrap();
    let generation = e.groups["g"].generation;
    let offset = committed(&e, "g");
    assert_eq!(offset, Some(3));
    let events = e.apply(&Command::StopBroker { broker: old }).unwrap();
    let new = e
        .group_coordinator("g")
        .expect("another replica leads the partition");
    assert_ne!(new, old);
    assert!(
        events.iter().any(|ev| ev.narrate().contains(&format!(
            "Broker {new} now coordinates group g (it leads __consumer_offsets-3)"
        ))),
        "{events:?}"
    );
    // The new coordinator loaded the group: same generation, same member, offsets kept.
    advance(&mut e, 600);
    let g = &e.groups["g"];
    assert_eq!(g.state.name(), "Stable");
    assert_eq!(g.generation, generation, "no rebalance");
    assert_eq!(g.members.len(), 1);
    assert_eq!(committed(&e, "g"), Some(3));
    // It keeps committing through the new coordinator.
    produce(&mut e, "p", "d").unwrap();
    advance(&mut e, 100);
    assert_eq!(committed(&e, "g"), Some(4));
}

#[test]
fn a_crashed_coordinator_is_unavailable_until_the_controller_fences_it() {
    let mut e = cluster_with_group("g");
    let old = e.group_coordinator("g").unwrap();
    apply(&mut e, Command::CrashBroker { broker: old });
    assert_eq!(
        e.group_coordinator("g"),
        None,
        "its leader no longer answers"
    );
    // The member's consumer stops too: with nobody running the coordinator's timers its
    // session cannot expire before the group is loaded elsewhere.
    apply(
        &mut e,
        Command::CrashConsumer {
            client_id: "c1".into(),
        },
    );
    advance(&mut e, 80);
    assert_eq!(e.group_coordinator("g"), None);
    assert_eq!(e.groups["g"].members.len(), 1);
    // Fenced after 9 s: another replica leads, loads the group, and its session timer starts
    // from the load (45 s).
    advance(&mut e, 20);
    let new = e.group_coordinator("g").expect("a new coordinator");
    assert_ne!(new, old);
    advance(&mut e, 440);
    assert_eq!(
        e.groups["g"].members.len(),
        1,
        "45 s after the load, not before"
    );
    advance(&mut e, 20);
    assert_eq!(e.groups["g"].members.len(), 0);
    assert_eq!(committed(&e, "g"), Some(3), "committed offsets survive");
}

#[test]
fn describe_state_names_the_real_coordinator() {
    let script = "broker add\nbroker add\n\
kafka-topics --create --topic t --replica-assignment 1:2:3\n\
consumer start c1 --group g --topic t\nclock advance 5s\n";
    let before = kafka_sim::console::Console::new(5).run_script(&format!(
        "{script}kafka-consumer-groups --describe --group g --state\n"
    ));
    // Which broker leads __consumer_offsets-3 follows from the placement; read it back.
    let line = before
        .lines()
        .find(|l| l.starts_with("g "))
        .unwrap_or_else(|| panic!("{before}"));
    let id: u32 = line
        .split('(')
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        line.contains(&format!("localhost:{}  ({id})", 9091 + id)),
        "{line}"
    );
    let after = kafka_sim::console::Console::new(5).run_script(&format!(
        "{script}broker stop {id}\nkafka-consumer-groups --describe --group g --state\n"
    ));
    let moved = after
        .lines()
        .rfind(|l| l.starts_with("g "))
        .unwrap_or_else(|| panic!("{after}"));
    assert!(!moved.contains(&format!("({id})")), "{after}");
    assert!(moved.contains("Stable"), "{after}");
    let crashed = kafka_sim::console::Console::new(5).run_script(&format!(
        "{script}broker crash {id}\nkafka-consumer-groups --describe --group g --state\n"
    ));
    // A real tool retries FindCoordinator until a running replica of the offsets partition
    // has loaded the group (c3x_coordinator_away on Kafka 4.4): it prints the group.
    assert!(
        !crashed.contains("CoordinatorNotAvailableException")
            && crashed
                .lines()
                .any(|l| l.starts_with("g ") && !l.contains(&format!("({id})"))),
        "{crashed}"
    );
    // With every replica down nothing can take over: COORDINATOR_NOT_AVAILABLE.
    let all_down = kafka_sim::console::Console::new(5).run_script(&format!(
        "{script}broker crash 1\nbroker crash 2\nbroker crash 3\nkafka-consumer-groups --describe --group g --state\n"
    ));
    assert!(
        all_down.contains("CoordinatorNotAvailableException"),
        "{all_down}"
    );
}

#[test]
fn one_broker_coordinates_everything_as_before() {
    let out = kafka_sim::console::Console::new(5).run_script(
        "kafka-topics --create --topic t\nconsumer start c1 --group g --topic t\nclock advance 5s\nkafka-consumer-groups --describe --group g --state\n",
    );
    assert!(out.contains("localhost:9092  (1)"), "{out}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// With one broker of three down (stopped, or crashed and fenced), every group finds a
    /// running coordinator, and never the broker that is down.
    #[test]
    fn a_group_always_finds_a_live_coordinator_with_one_broker_down(
        groups in prop::collection::vec("[a-z0-9._-]{1,12}", 1..6),
        down in 1i32..=3,
        crash in any::<bool>(),
    ) {
        let mut e = cluster_with_topic(3, None);
        for (i, g) in groups.iter().enumerate() {
            let _ = e.apply(&Command::StartConsumer {
                client_id: format!("c{i}"),
                group: Some(g.clone()),
                topics: vec!["t".into()],
                assign: Vec::new(),
                config: Vec::new(),
            });
        }
        advance(&mut e, 10);
        if crash {
            apply(&mut e, Command::CrashBroker { broker: down });
            advance(&mut e, 95);
        } else {
            apply(&mut e, Command::StopBroker { broker: down });
        }
        for g in &groups {
            let coordinator = e.group_coordinator(g);
            prop_assert!(coordinator.is_some(), "group {g} has no coordinator");
            prop_assert_ne!(coordinator, Some(down));
        }
    }
}

#[derive(Debug, Clone)]
enum RetryOp {
    Produce,
    Advance(u32),
    Stop(BrokerId),
    Start(BrokerId),
}

fn retry_op() -> impl Strategy<Value = RetryOp> {
    prop_oneof![
        5 => Just(RetryOp::Produce),
        4 => (1u32..60).prop_map(RetryOp::Advance),
        2 => (2..4).prop_map(RetryOp::Stop),
        2 => (2..4).prop_map(RetryOp::Start),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64), ..ProptestConfig::default() })]

    /// acks=all, min.insync.replicas=2, an idempotent producer and followers stopping and
    /// starting: every record sent lands once or fails with an error, never both; the
    /// landed records keep their send order; and none that landed is lost.
    #[test]
    fn retried_records_land_once_in_order_or_fail(
        ops in proptest::collection::vec(retry_op(), 1..60),
        short_timeout in any::<bool>(),
    ) {
        let mut e = cluster_with_topic(3, Some(2));
        apply(&mut e, Command::AddProducer {
            name: "p".into(),
            null_key: kafka_sim::engine::partitioner::NullKeyStrategy::Sticky,
        });
        if short_timeout {
            for (k, v) in [("request.timeout.ms", "1000"), ("delivery.timeout.ms", "2000")] {
                apply(&mut e, Command::SetProducerConfig { producer: "p".into(), key: k.into(), value: v.into() });
            }
        }
        let mut sent: Vec<String> = Vec::new();
        let mut failed: Vec<String> = Vec::new();
        let mut events = Vec::new();
        for op in &ops {
            let command = match op {
                RetryOp::Produce => {
                    let value = format!("r{}", sent.len());
                    sent.push(value.clone());
                    Command::Produce {
                        producer: Some("p".into()),
                        topic: "t".into(),
                        partition: Some(0),
                        key: None,
                        value: Some(value),
                        headers: Vec::new(),
                    }
                }
                RetryOp::Advance(t) => Command::Advance { ticks: *t },
                RetryOp::Stop(b) => Command::StopBroker { broker: *b },
                RetryOp::Start(b) => Command::StartBroker { broker: *b },
            };
            match e.apply(&command) {
                Ok(evs) => events.extend(evs),
                Err(_) if matches!(op, RetryOp::Produce) => {
                    failed.push(sent.last().cloned().unwrap_or_default());
                }
                Err(_) => {}
            }
        }
        // Every broker back, and time for every waiting record to land or expire.
        for b in 2..4 {
            let _ = e.apply(&Command::StartBroker { broker: b });
        }
        if let Ok(evs) = e.apply(&Command::Advance { ticks: 1_300 }) {
            events.extend(evs);
        }
        prop_assert!(e.producers["p"].waiting.is_empty(), "nothing waits forever");
        let log = e.partition_log(&TopicPartition::new("t", 0)).unwrap();
        let landed: Vec<String> = log
            .read(log.log_start_offset(), 10_000)
            .unwrap()
            .iter()
            .map(|r| r.value.as_deref().unwrap_or_default().to_string())
            .collect();
        for ev in &events {
            if let kafka_sim::engine::Event::RecordFailed { value_bytes, .. } = ev {
                prop_assert!(*value_bytes > 0);
            }
        }
        let n_failed_events = events
            .iter()
            .filter(|ev| matches!(ev, kafka_sim::engine::Event::RecordFailed { .. }))
            .count();
        // In send order, each once.
        let mut positions = Vec::new();
        for v in &landed {
            let at = sent.iter().position(|s| s == v);
            prop_assert!(at.is_some(), "{v} was never sent");
            positions.push(at.unwrap_or_default());
        }
        prop_assert!(positions.windows(2).all(|w| w[0] < w[1]), "order kept, no duplicates: {landed:?}");
        prop_assert_eq!(
            landed.len() + failed.len() + n_failed_events,
            sent.len(),
            "every record landed or failed, exactly one of the two"
        );
        if !short_timeout {
            prop_assert_eq!(n_failed_events, 0, "120 s is time enough for every retry here");
        }
    }
}

/// While the group's `__consumer_offsets` leader is crashed and not yet fenced, a commit
/// fails with COORDINATOR_NOT_AVAILABLE and is not applied; the consumer finds the new
/// coordinator once the controller fences the old one, and its next commit
/// goes through (`cluster::away`).
#[test]
fn a_commit_while_the_coordinator_is_away_fails_and_the_next_one_lands() {
    let mut e = cluster_with_topic(3, None);
    for v in ["a", "b", "c"] {
        produce(&mut e, "p", v).unwrap();
    }
    apply(
        &mut e,
        Command::StartConsumer {
            client_id: "c1".into(),
            group: Some("g".into()),
            topics: vec!["t".into()],
            assign: Vec::new(),
            config: vec![("enable.auto.commit".into(), "false".into())],
        },
    );
    advance(&mut e, 50);
    let commit = |e: &mut Engine| {
        e.apply(&Command::CommitSync {
            client_id: "c1".into(),
        })
        .unwrap()
    };
    commit(&mut e);
    assert_eq!(committed(&e, "g"), Some(3));
    let old = e.group_coordinator("g").unwrap();
    apply(&mut e, Command::CrashBroker { broker: old });
    advance(&mut e, 3);
    let events = commit(&mut e);
    assert!(
        events.iter().any(|ev| matches!(ev,
            Event::CommitFailed { client_id, reason }
                if client_id == "c1" && reason == kafka_sim::engine::cluster::COMMIT_COORDINATOR_NOT_AVAILABLE)),
        "{events:?}"
    );
    // Fenced after the broker session timeout (9 s): the client finds the new coordinator.
    let mut found = false;
    for _ in 0..120 {
        let events = e.apply(&Command::Advance { ticks: 1 }).unwrap();
        found |= events
            .iter()
            .any(|ev| matches!(ev, Event::CoordinatorFound { client_id, .. } if client_id == "c1"));
        if found {
            break;
        }
    }
    assert!(found, "the consumer rediscovered its coordinator");
    assert_ne!(e.group_coordinator("g"), Some(old));
    produce(&mut e, "p", "d").unwrap();
    advance(&mut e, 10);
    assert_eq!(e.consumers["c1"].positions[&TopicPartition::new("t", 0)], 4);
    commit(&mut e);
    assert_eq!(
        committed(&e, "g"),
        Some(4),
        "the commit after rediscovery lands"
    );
}

/// A rebalance in progress is in no record: when the coordinator moves while a second
/// member joins, the new coordinator loads the last generation (Stable, one member), the
/// joining clients send JoinGroup again, and the group rebalances anew to two members
/// (`cluster::loaded`).
#[test]
fn a_rebalance_in_progress_starts_again_on_the_new_coordinator() {
    let mut e = cluster_with_group("g");
    let generation = e.groups["g"].generation;
    apply(
        &mut e,
        Command::StartConsumer {
            client_id: "c2".into(),
            group: Some("g".into()),
            topics: vec!["t".into()],
            assign: Vec::new(),
            config: Vec::new(),
        },
    );
    advance(&mut e, 2);
    assert_eq!(e.groups["g"].state.name(), "PreparingRebalance");
    let old = e.group_coordinator("g").unwrap();
    let events = e.apply(&Command::StopBroker { broker: old }).unwrap();
    assert!(
        events.iter().any(|ev| matches!(ev,
            Event::GroupRebalanceLost { group, generation: g, members: 1 }
                if group == "g" && *g == generation)),
        "{events:?}"
    );
    assert_eq!(
        e.groups["g"].state.name(),
        "PreparingRebalance",
        "the retried JoinGroups start the rebalance again"
    );
    advance(&mut e, 600);
    let g = &e.groups["g"];
    assert_eq!(g.state.name(), "Stable");
    assert_eq!(g.members.len(), 2);
    assert!(g.generation > generation);
    assert_eq!(
        committed(&e, "g"),
        Some(3),
        "offsets are records of their own"
    );
}

/// A consumer-protocol group keeps its epochs and assignment when its coordinator moves
/// (they are records), and the loading broker restarts the timers: every member's session,
/// and the rebalance timeout of a member still revoking (`onLoaded`).
#[test]
fn a_consumer_protocol_group_moves_with_its_records_and_fresh_timers() {
    let mut e = cluster_with_topic(3, None);
    apply(
        &mut e,
        Command::StartConsumer {
            client_id: "c1".into(),
            group: Some("m".into()),
            topics: vec!["t".into()],
            assign: Vec::new(),
            config: vec![("group.protocol".into(), "consumer".into())],
        },
    );
    advance(&mut e, 30);
    let epoch = |e: &Engine| e.groups["m"].modern.as_ref().unwrap().core.group_epoch;
    let before = epoch(&e);
    assert!(before > 0);
    let member = e.groups["m"].modern.as_ref().unwrap().core.members[0]
        .member_id
        .clone();
    // As if the member had been asked to revoke long ago: its deadline is almost due.
    let soon = e.tick + 2;
    e.groups
        .get_mut("m")
        .unwrap()
        .modern
        .as_mut()
        .unwrap()
        .clients
        .get_mut(&member)
        .unwrap()
        .revoke_deadline_tick = Some(soon);
    let old = e.group_coordinator("m").unwrap();
    apply(&mut e, Command::StopBroker { broker: old });
    assert_ne!(e.group_coordinator("m"), Some(old));
    let info = e.groups["m"].modern.as_ref().unwrap();
    assert_eq!(info.core.group_epoch, before, "the epoch is kept");
    assert_eq!(info.core.members.len(), 1);
    let deadline = info.clients[&member].revoke_deadline_tick.unwrap();
    assert_eq!(
        deadline,
        e.tick + kafka_sim::engine::time::ms_to_ticks(info.clients[&member].rebalance_timeout_ms),
        "the whole rebalance timeout again, from the load"
    );
}

/// A crashed broker started again before the controller fenced it is refused registration
/// while its old session is valid (`ClusterControlManager.registerBroker`): it serves
/// nothing, the controller fences it when the session expires (leadership moves), and only
/// then does it register, as a follower that must catch up to rejoin the ISR.
#[test]
fn a_broker_restarted_before_its_fence_registers_only_after_the_session_expires() {
    let mut e = cluster_with_topic(3, None);
    produce(&mut e, "p", "a").unwrap();
    advance(&mut e, 2);
    apply(&mut e, Command::CrashBroker { broker: 1 });
    advance(&mut e, 20);
    let events = e.apply(&Command::StartBroker { broker: 1 }).unwrap();
    assert!(
        events.iter().any(|ev| matches!(
            ev,
            Event::BrokerRegistrationRefused {
                broker: 1,
                in_ms: 7000
            }
        )),
        "{events:?}"
    );
    assert!(!e.cluster.as_ref().unwrap().brokers[&1].is_running());
    assert_eq!(
        replication(&e).leader,
        Some(1),
        "not fenced yet: still the leader"
    );
    assert!(
        e.apply(&Command::StartBroker { broker: 1 }).is_err(),
        "it is starting already"
    );
    advance(&mut e, 60);
    assert!(!e.cluster.as_ref().unwrap().brokers[&1].is_running());
    let mut registered = false;
    for _ in 0..20 {
        let events = e.apply(&Command::Advance { ticks: 1 }).unwrap();
        if events
            .iter()
            .any(|ev| matches!(ev, Event::BrokerStarted { broker: 1 }))
        {
            assert!(
                events
                    .iter()
                    .any(|ev| matches!(ev, Event::BrokerFenced { broker: 1 })),
                "fenced first, in the same moment: {events:?}"
            );
            registered = true;
            break;
        }
    }
    assert!(registered, "it registers once the old session expired");
    assert_eq!(
        replication(&e).leader,
        Some(2),
        "leadership moved at the fence"
    );
    advance(&mut e, 5);
    assert_eq!(
        replication(&e).isr,
        vec![1, 2, 3],
        "back in sync as a follower"
    );
    assert_eq!(replication(&e).leader, Some(2));
    produce(&mut e, "p", "b").unwrap();
    advance(&mut e, 2);
    assert_eq!(values(&e), ["a", "b"]);
}

/// Killed again while it waits to register, it stays down: the old session still expires
/// and it is fenced, and a later start registers at once.
#[test]
fn a_broker_crashed_while_registering_is_fenced_and_can_start_later() {
    let mut e = cluster_with_topic(3, None);
    apply(&mut e, Command::CrashBroker { broker: 3 });
    apply(&mut e, Command::StartBroker { broker: 3 });
    apply(&mut e, Command::CrashBroker { broker: 3 });
    advance(&mut e, 100);
    let b = &e.cluster.as_ref().unwrap().brokers[&3];
    assert!(b.fenced && !b.is_running());
    let events = e.apply(&Command::StartBroker { broker: 3 }).unwrap();
    assert!(events
        .iter()
        .any(|ev| matches!(ev, Event::BrokerStarted { broker: 3 })));
}
