//! Scenario tests of the engine's consumer groups: joins, leaves, crashes, both rebalance
//! protocols, offsets and resets, as a student would see them on a real cluster.

use kafka_sim::engine::event::{Event, LeaveReason};
use kafka_sim::engine::{
    Command, Engine, GroupState, ResetScope, ResetSpec, SeekTarget, TopicPartition,
};

fn apply_ok(engine: &mut Engine, command: Command) -> Vec<Event> {
    engine
        .apply(&command)
        .unwrap_or_else(|refusal| panic!("{command:?} was rejected: {refusal}"))
}

fn topic(engine: &mut Engine, name: &str, partitions: i64) {
    apply_ok(
        engine,
        Command::CreateTopic {
            name: name.into(),
            partitions,
            configs: vec![],
        },
    );
}

fn start(engine: &mut Engine, client: &str, group: &str, topics: &[&str], config: &[(&str, &str)]) {
    apply_ok(
        engine,
        Command::StartConsumer {
            client_id: client.into(),
            group: Some(group.into()),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            assign: vec![],
            config: config
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        },
    );
}

fn advance(engine: &mut Engine, ticks: u32) -> Vec<Event> {
    apply_ok(engine, Command::Advance { ticks })
}

/// Advances until the group is Stable with every running member in the latest generation.
fn settle(engine: &mut Engine, group: &str) -> Vec<Event> {
    let mut events = Vec::new();
    for _ in 0..2000 {
        events.extend(advance(engine, 1));
        let g = &engine.groups[group];
        let running_members = engine
            .consumers
            .values()
            .filter(|c| c.is_running() && c.group.as_deref() == Some(group) && c.is_subscriber())
            .all(|c| {
                c.membership.generation() == Some(g.generation) && !c.membership.rejoin_needed()
            });
        if g.state == GroupState::Stable && running_members {
            return events;
        }
    }
    panic!(
        "group {group} did not settle: {:?}",
        engine.groups[group].state
    );
}

fn owned(engine: &Engine, client: &str) -> Vec<String> {
    engine.consumers[client]
        .assignment
        .iter()
        .map(|tp| tp.to_string())
        .collect()
}

fn produce(engine: &mut Engine, topic: &str, key: &str, n: usize) {
    for i in 0..n {
        apply_ok(
            engine,
            Command::Produce {
                producer: Some("producer-1".into()),
                topic: topic.into(),
                partition: None,
                key: Some(format!("{key}-{i}")),
                value: Some(format!("v{i}")),
                headers: vec![],
            },
        );
    }
}

#[test]
fn three_consumers_share_three_partitions_with_range() {
    let mut e = Engine::new(1);
    topic(&mut e, "orders", 3);
    for c in ["consumer-1", "consumer-2", "consumer-3"] {
        start(&mut e, c, "payment", &["orders"], &[]);
    }
    let events = settle(&mut e, "payment");
    assert_eq!(
        e.groups["payment"].generation, 1,
        "one rebalance thanks to the initial delay"
    );
    assert_eq!(owned(&e, "consumer-1"), ["orders-0"]);
    assert_eq!(owned(&e, "consumer-2"), ["orders-1"]);
    assert_eq!(owned(&e, "consumer-3"), ["orders-2"]);
    assert!(events
        .iter()
        .any(|ev| matches!(ev, Event::JoinCompleted { protocol, .. } if protocol == "range")));
}

#[test]
fn five_consumers_on_three_partitions_leave_two_idle() {
    let mut e = Engine::new(2);
    topic(&mut e, "orders", 3);
    for i in 1..=5 {
        start(&mut e, &format!("consumer-{i}"), "g", &["orders"], &[]);
    }
    settle(&mut e, "g");
    let idle = (1..=5)
        .filter(|i| owned(&e, &format!("consumer-{i}")).is_empty())
        .count();
    assert_eq!(idle, 2);
    let total: usize = (1..=5)
        .map(|i| owned(&e, &format!("consumer-{i}")).len())
        .sum();
    assert_eq!(total, 3);
}

#[test]
fn every_group_reads_every_record_and_commits() {
    let mut e = Engine::new(3);
    topic(&mut e, "orders", 3);
    start(&mut e, "pay-1", "payment", &["orders"], &[]);
    start(
        &mut e,
        "inv-1",
        "inventory",
        &["orders"],
        &[("auto.offset.reset", "earliest")],
    );
    settle(&mut e, "payment");
    settle(&mut e, "inventory");
    produce(&mut e, "orders", "customer", 30);
    advance(&mut e, 100);
    for group in ["payment", "inventory"] {
        let committed: i64 = e.groups[group].committed.values().map(|c| c.offset).sum();
        assert_eq!(
            committed, 30,
            "group {group} committed every record (pub/sub: each group sees all)"
        );
    }
}

#[test]
fn a_crash_is_noticed_only_after_the_session_timeout() {
    let mut e = Engine::new(4);
    topic(&mut e, "orders", 2);
    start(
        &mut e,
        "c1",
        "g",
        &["orders"],
        &[("session.timeout.ms", "10000")],
    );
    start(
        &mut e,
        "c2",
        "g",
        &["orders"],
        &[("session.timeout.ms", "10000")],
    );
    settle(&mut e, "g");
    let generation = e.groups["g"].generation;
    apply_ok(
        &mut e,
        Command::CrashConsumer {
            client_id: "c2".into(),
        },
    );
    advance(&mut e, 95);
    assert_eq!(
        e.groups["g"].state,
        GroupState::Stable,
        "still stable before the session times out"
    );
    assert_eq!(e.groups["g"].members.len(), 2);
    let events = advance(&mut e, 10);
    assert!(events.iter().any(|ev| matches!(ev, Event::MemberRemoved { client_id, reason: LeaveReason::SessionTimeout, .. } if client_id == "c2")));
    settle(&mut e, "g");
    assert!(e.groups["g"].generation > generation);
    assert_eq!(owned(&e, "c1"), ["orders-0", "orders-1"]);
}

#[test]
fn a_graceful_leave_rebalances_at_once() {
    let mut e = Engine::new(5);
    topic(&mut e, "orders", 2);
    start(&mut e, "c1", "g", &["orders"], &[]);
    start(&mut e, "c2", "g", &["orders"], &[]);
    settle(&mut e, "g");
    let events = apply_ok(
        &mut e,
        Command::StopConsumer {
            client_id: "c2".into(),
        },
    );
    assert!(events
        .iter()
        .any(|ev| matches!(ev, Event::RebalanceStarted { .. })));
    settle(&mut e, "g");
    assert_eq!(owned(&e, "c1"), ["orders-0", "orders-1"]);
}

#[test]
fn eager_revokes_everything_cooperative_only_what_moves() {
    for (strategy, expect_revoke_all) in [("range", true), ("cooperative-sticky", false)] {
        let mut e = Engine::new(6);
        topic(&mut e, "orders", 4);
        let cfg = [("partition.assignment.strategy", strategy)];
        start(&mut e, "c1", "g", &["orders"], &cfg);
        settle(&mut e, "g");
        assert_eq!(owned(&e, "c1").len(), 4);
        start(&mut e, "c2", "g", &["orders"], &cfg);
        let events = settle(&mut e, "g");
        let revoked: Vec<&Vec<TopicPartition>> = events
            .iter()
            .filter_map(|ev| match ev {
                Event::PartitionsRevoked {
                    client_id,
                    partitions,
                    ..
                } if client_id == "c1" => Some(partitions),
                _ => None,
            })
            .collect();
        let revoked_count: usize = revoked.iter().map(|r| r.len()).sum();
        if expect_revoke_all {
            assert_eq!(
                revoked_count, 4,
                "eager: c1 revokes all four before rejoining"
            );
        } else {
            assert_eq!(
                revoked_count, 2,
                "cooperative: c1 revokes only the two that move"
            );
            let rebalances = events
                .iter()
                .filter(|ev| matches!(ev, Event::RebalanceStarted { .. }))
                .count();
            assert_eq!(
                rebalances, 2,
                "cooperative: a moving partition takes two rebalances"
            );
        }
        assert_eq!(owned(&e, "c1").len(), 2);
        assert_eq!(owned(&e, "c2").len(), 2);
    }
}

#[test]
fn a_slow_consumer_lags_while_the_others_keep_up() {
    let mut e = Engine::new(7);
    topic(&mut e, "orders", 2);
    start(
        &mut e,
        "fast",
        "g",
        &["orders"],
        &[("max.poll.records", "5")],
    );
    start(
        &mut e,
        "slow",
        "g",
        &["orders"],
        &[("max.poll.records", "5"), ("processing.rate", "1")],
    );
    settle(&mut e, "g");
    produce(&mut e, "orders", "k", 60);
    advance(&mut e, 80);
    let fast = &e.consumers["fast"];
    let slow = &e.consumers["slow"];
    let lag = |c: &kafka_sim::engine::Consumer| -> i64 {
        c.assignment
            .iter()
            .map(|tp| {
                e.partition_log(tp).unwrap().high_watermark()
                    - c.processed.get(tp).copied().unwrap_or(0)
            })
            .sum()
    };
    assert_eq!(lag(fast), 0, "the fast reader is caught up");
    assert!(lag(slow) > 10, "the slow reader is behind: {}", lag(slow));
}

#[test]
fn rewinding_a_reader_replays_history() {
    let mut e = Engine::new(8);
    topic(&mut e, "orders", 1);
    start(&mut e, "c1", "g", &["orders"], &[]);
    settle(&mut e, "g");
    produce(&mut e, "orders", "k", 5);
    advance(&mut e, 20);
    assert_eq!(
        e.consumers["c1"].positions[&TopicPartition::new("orders", 0)],
        5
    );
    apply_ok(
        &mut e,
        Command::Seek {
            client_id: "c1".into(),
            partition: None,
            to: SeekTarget::Beginning,
        },
    );
    let events = advance(&mut e, 20);
    assert!(events.iter().any(|ev| matches!(
        ev,
        Event::RecordsFetched {
            from_offset: 0,
            to_offset: 5,
            ..
        }
    )));
    let past_end = e.apply(&Command::Seek {
        client_id: "c1".into(),
        partition: None,
        to: SeekTarget::Offset(99),
    });
    assert!(past_end.is_err(), "{past_end:?}");
}

#[test]
fn reset_offsets_needs_an_inactive_group() {
    let mut e = Engine::new(9);
    topic(&mut e, "orders", 1);
    start(&mut e, "c1", "g", &["orders"], &[]);
    settle(&mut e, "g");
    produce(&mut e, "orders", "k", 5);
    advance(&mut e, 60);
    let reset = Command::ResetOffsets {
        group: "g".into(),
        scope: ResetScope::AllTopics,
        spec: ResetSpec::ToEarliest,
        execute: true,
    };
    let refused = e.apply(&reset);
    assert!(
        matches!(&refused, Err(r) if r.reason.contains("inactive, but the current state is Stable"))
    );
    apply_ok(
        &mut e,
        Command::StopConsumer {
            client_id: "c1".into(),
        },
    );
    advance(&mut e, 5);
    assert_eq!(e.groups["g"].state, GroupState::Empty);
    apply_ok(&mut e, reset);
    assert_eq!(
        e.groups["g"].committed[&TopicPartition::new("orders", 0)].offset,
        0
    );
}

#[test]
fn retention_deleting_the_committed_offset_triggers_auto_offset_reset() {
    let mut e = Engine::new(10);
    apply_ok(
        &mut e,
        Command::CreateTopic {
            name: "events".into(),
            partitions: 1,
            configs: vec![
                ("segment.bytes".into(), "200".into()),
                ("retention.ms".into(), "1000".into()),
            ],
        },
    );
    start(
        &mut e,
        "c1",
        "g",
        &["events"],
        &[("auto.offset.reset", "earliest")],
    );
    settle(&mut e, "g");
    produce(&mut e, "events", "k", 3);
    advance(&mut e, 60);
    apply_ok(
        &mut e,
        Command::StopConsumer {
            client_id: "c1".into(),
        },
    );
    assert_eq!(
        e.groups["g"].committed[&TopicPartition::new("events", 0)].offset,
        3
    );
    produce(&mut e, "events", "k", 10);
    advance(&mut e, 30);
    produce(&mut e, "events", "z", 1);
    let events = apply_ok(&mut e, Command::RunRetention { topic: None });
    assert!(events
        .iter()
        .any(|ev| matches!(ev, Event::SegmentsDeleted { .. })));
    let start_offset = e
        .partition_log(&TopicPartition::new("events", 0))
        .unwrap()
        .log_start_offset();
    assert!(
        start_offset > 3,
        "the committed offset 3 is gone (log starts at {start_offset})"
    );
    apply_ok(
        &mut e,
        Command::RestartConsumer {
            client_id: "c1".into(),
        },
    );
    let events = settle(&mut e, "g");
    let events: Vec<Event> = events.into_iter().chain(advance(&mut e, 5)).collect();
    assert!(
        events
            .iter()
            .any(|ev| matches!(ev, Event::PositionReset { offset, .. } if *offset == start_offset)),
        "{events:#?}"
    );
}

#[test]
fn same_seed_and_commands_give_the_same_state() {
    let run = || {
        let mut e = Engine::new(42);
        topic(&mut e, "orders", 3);
        for i in 1..=3 {
            start(&mut e, &format!("c{i}"), "g", &["orders"], &[]);
        }
        apply_ok(
            &mut e,
            Command::AddProducer {
                name: "p".into(),
                null_key: Default::default(),
            },
        );
        for _ in 0..20 {
            apply_ok(
                &mut e,
                Command::Produce {
                    producer: Some("p".into()),
                    topic: "orders".into(),
                    partition: None,
                    key: None,
                    value: Some("x".into()),
                    headers: vec![],
                },
            );
        }
        apply_ok(&mut e, Command::Advance { ticks: 200 });
        e
    };
    assert_eq!(run(), run());
}

#[test]
fn static_member_returning_in_time_causes_no_rebalance() {
    let mut e = Engine::new(11);
    topic(&mut e, "orders", 2);
    start(
        &mut e,
        "c1",
        "g",
        &["orders"],
        &[("group.instance.id", "node-a")],
    );
    start(
        &mut e,
        "c2",
        "g",
        &["orders"],
        &[("group.instance.id", "node-b")],
    );
    settle(&mut e, "g");
    let generation = e.groups["g"].generation;
    let before = owned(&e, "c2");
    apply_ok(
        &mut e,
        Command::StopConsumer {
            client_id: "c2".into(),
        },
    );
    advance(&mut e, 50);
    apply_ok(
        &mut e,
        Command::RestartConsumer {
            client_id: "c2".into(),
        },
    );
    let events = advance(&mut e, 20);
    assert!(events
        .iter()
        .any(|ev| matches!(ev, Event::StaticMemberRejoined { .. })));
    assert_eq!(e.groups["g"].generation, generation, "no new generation");
    assert_eq!(owned(&e, "c2"), before);
}

#[test]
fn the_last_member_leaving_empties_the_group_at_once() {
    let mut e = Engine::new(11);
    topic(&mut e, "orders", 2);
    start(&mut e, "c1", "g", &["orders"], &[]);
    settle(&mut e, "g");
    let generation = e.groups["g"].generation;
    let events = apply_ok(
        &mut e,
        Command::StopConsumer {
            client_id: "c1".into(),
        },
    );
    assert_eq!(e.groups["g"].state, GroupState::Empty, "no tick needed");
    assert_eq!(e.groups["g"].generation, generation + 1);
    assert!(events.iter().any(|ev| matches!(
        ev,
        Event::GroupStateChanged {
            to: GroupState::Empty,
            ..
        }
    )));
}

/// A JoinGroup response is addressed to a member id on its own client: a static member
/// whose client crashed and was removed after it rejoined stays in the join, and a new
/// client that reuses its client id in another group is not pulled into that generation.
#[test]
fn a_join_response_reaches_only_the_member_it_names() {
    let mut e = Engine::new(5);
    topic(&mut e, "orders", 2);
    start(
        &mut e,
        "c1",
        "g1",
        &["orders"],
        &[("group.instance.id", "node-a")],
    );
    settle(&mut e, "g1");
    start(&mut e, "c2", "g1", &["orders"], &[]);
    let mut rejoined = false;
    for _ in 0..200 {
        let events = advance(&mut e, 1);
        rejoined = events.iter().any(|ev| {
            matches!(ev, Event::JoinRequested { client_id, group, .. } if client_id == "c1" && group == "g1")
        });
        if rejoined {
            break;
        }
    }
    assert!(rejoined, "c1 never rejoined g1");
    assert_eq!(e.groups["g1"].state, GroupState::PreparingRebalance);
    for command in [
        Command::CrashConsumer {
            client_id: "c1".into(),
        },
        Command::RemoveConsumer {
            client_id: "c1".into(),
        },
    ] {
        apply_ok(&mut e, command);
    }
    start(&mut e, "c1", "g2", &["orders"], &[]);
    let events = advance(&mut e, 1);
    let g1_generation = e.groups["g1"].generation;
    assert!(
        events.iter().any(|ev| matches!(ev,
            Event::JoinCompleted { group, members, .. } if group == "g1" && members.iter().any(|m| m == "c1"))),
        "the removed static member is still in g1's join: {events:?}"
    );
    assert_ne!(
        e.consumers["c1"].membership.generation(),
        Some(g1_generation),
        "the new c1 took g1's JoinGroup response: {:?}",
        e.consumers["c1"].membership
    );
    settle(&mut e, "g2");
    assert_eq!(owned(&e, "c1"), ["orders-0", "orders-1"]);
    // The static member's session expires and c2 takes everything in g1.
    advance(&mut e, 500);
    settle(&mut e, "g1");
    assert_eq!(owned(&e, "c2"), ["orders-0", "orders-1"]);
}

/// A static member whose poll loop takes longer than `max.poll.interval.ms` gives up its
/// partitions without LeaveGroup, and its next poll rejoins under the same member id.
#[test]
fn a_static_member_past_the_poll_interval_rejoins_under_its_member_id() {
    let mut e = Engine::new(8);
    topic(&mut e, "orders", 1);
    produce(&mut e, "orders", "k", 10);
    start(
        &mut e,
        "c1",
        "g",
        &["orders"],
        &[
            ("group.instance.id", "node-a"),
            ("max.poll.interval.ms", "5000"),
            ("session.timeout.ms", "10000"),
            ("processing.rate", "0.5"),
            ("auto.offset.reset", "earliest"),
        ],
    );
    settle(&mut e, "g");
    let member_id = e.consumers["c1"]
        .membership
        .member_id()
        .expect("a member id once settled")
        .to_string();
    let mut events = Vec::new();
    for _ in 0..100 {
        events.extend(advance(&mut e, 1));
        if !e.consumers["c1"].membership.is_settled() {
            break;
        }
    }
    assert!(
        events.iter().any(
            |ev| matches!(ev, Event::PartitionsRevoked { client_id, .. } if client_id == "c1")
        ),
        "it gives up its partition: {events:?}"
    );
    assert!(
        !events
            .iter()
            .any(|ev| matches!(ev, Event::MemberRemoved { .. })),
        "no LeaveGroup from a static member"
    );
    assert_eq!(
        e.consumers["c1"].membership.member_id(),
        Some(member_id.as_str())
    );
    let events = settle(&mut e, "g");
    assert!(
        events.iter().any(|ev| matches!(ev,
            Event::JoinRequested { client_id, member_id: id, .. } if client_id == "c1" && *id == member_id)),
        "it rejoins as {member_id}: {events:?}"
    );
    assert!(!events
        .iter()
        .any(|ev| matches!(ev, Event::MemberRemoved { .. })));
    assert_eq!(owned(&e, "c1"), ["orders-0"]);
}
