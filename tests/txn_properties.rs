//! Property tests of idempotent and transactional producers driving the engine
//! (SEMANTICS-4 §D): with idempotence, no lost acknowledgement or lost request ever leaves a
//! retried record twice in the log; a `read_committed` reader never sees a record of an
//! aborted transaction and sees every committed one; markers never reach an application, yet
//! a reader's position ends past them, at the log end offset.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use kafka_sim::engine::txn::{ProduceFault, TxnEvent};
use kafka_sim::engine::{Command, Engine, Event, TopicPartition, TxnAction};
use proptest::prelude::*;

fn apply(e: &mut Engine, command: Command) -> Vec<Event> {
    e.apply(&command).unwrap_or_default()
}

fn setup(e: &mut Engine) {
    for (name, partitions) in [("t", 2), ("u", 1)] {
        apply(
            e,
            Command::CreateTopic {
                name: name.into(),
                partitions,
                configs: vec![],
            },
        );
    }
}

fn produce(producer: &str, topic: &str, partition: i64, value: &str) -> Command {
    Command::Produce {
        producer: Some(producer.into()),
        topic: topic.into(),
        partition: Some(partition),
        key: None,
        value: Some(value.into()),
        headers: vec![],
    }
}

fn all_partitions() -> Vec<TopicPartition> {
    vec![
        TopicPartition::new("t", 0),
        TopicPartition::new("t", 1),
        TopicPartition::new("u", 0),
    ]
}

/// Every value a reader with this isolation level is given, reading everything from the
/// start, and its positions afterwards.
fn read_all(
    e: &mut Engine,
    id: &str,
    isolation: &str,
) -> (Vec<String>, BTreeMap<TopicPartition, i64>) {
    let events = apply(
        e,
        Command::StartConsumer {
            client_id: id.into(),
            group: None,
            topics: vec![],
            assign: all_partitions(),
            config: vec![
                ("auto.offset.reset".into(), "earliest".into()),
                ("isolation.level".into(), isolation.into()),
                ("processing.rate".into(), "1000000".into()),
            ],
        },
    );
    let mut fetched = events;
    for _ in 0..30 {
        fetched.extend(apply(e, Command::Advance { ticks: 1 }));
    }
    let mut values = Vec::new();
    for event in &fetched {
        if let Event::RecordsFetched {
            client_id,
            partition,
            from_offset,
            to_offset,
        } = event
        {
            if client_id != id {
                continue;
            }
            let log = e.partition_log(partition).expect("the partition");
            values.extend(
                log.records_in_range(*from_offset, *to_offset)
                    .filter_map(|r| r.value.as_deref().map(str::to_string)),
            );
        }
    }
    let positions = e.consumers[id].positions.clone();
    (values, positions)
}

#[derive(Debug, Clone)]
enum Op {
    Init(usize),
    Begin(usize),
    Send(usize, usize),
    Commit(usize),
    Abort(usize),
    LoseAckOnce(usize),
    LoseRequestOnce(usize),
    Wait(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..3).prop_map(Op::Init),
        (0usize..3).prop_map(Op::Begin),
        ((0usize..3), (0usize..3)).prop_map(|(p, tp)| Op::Send(p, tp)),
        ((0usize..3), (0usize..3)).prop_map(|(p, tp)| Op::Send(p, tp)),
        ((0usize..3), (0usize..3)).prop_map(|(p, tp)| Op::Send(p, tp)),
        (0usize..3).prop_map(Op::Commit),
        (0usize..3).prop_map(Op::Abort),
        (0usize..3).prop_map(Op::LoseAckOnce),
        (0usize..3).prop_map(Op::LoseRequestOnce),
        (1u32..800).prop_map(Op::Wait),
    ]
}

/// Producers p0 and p2 share `transactional.id` a (p2 is a newer instance that fences p0 when
/// it inits); p1 has b.
const PRODUCERS: [(&str, &str); 3] = [("p0", "a"), ("p1", "b"), ("p2", "a")];

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48), ..ProptestConfig::default() })]

    /// An idempotent producer sends values 0..n; some requests and acknowledgements are
    /// lost, once or on every attempt for a while. No value is ever in the log twice, and
    /// every send that was acknowledged is in the log.
    #[test]
    fn with_idempotence_no_retry_duplicates(faults in proptest::collection::vec(0u8..6, 1..60), seed in 0u64..100) {
        let mut e = Engine::new(seed);
        setup(&mut e);
        apply(&mut e, Command::AddProducer { name: "p".into(), null_key: Default::default() });
        let mut acknowledged = BTreeSet::new();
        for (i, &f) in faults.iter().enumerate() {
            let (fault, once) = match f {
                0 => (Some(ProduceFault::LoseAck), true),
                1 => (Some(ProduceFault::LoseRequest), true),
                2 => (Some(ProduceFault::LoseAck), false),
                3 => (Some(ProduceFault::LoseRequest), false),
                _ => (None, false),
            };
            apply(&mut e, Command::SetProducerFault { producer: "p".into(), fault, once });
            let value = format!("v{i}");
            let events = apply(&mut e, produce("p", "t", (i % 2) as i64, &value));
            let failed = events.iter().any(|ev| matches!(ev, Event::Txn(TxnEvent::SendFailed { .. })));
            if !failed {
                acknowledged.insert(value);
            }
        }
        let (values, _) = read_all(&mut e, "reader", "read_uncommitted");
        let distinct: BTreeSet<&String> = values.iter().collect();
        prop_assert_eq!(distinct.len(), values.len(), "a value twice in {:?}", values);
        for v in &acknowledged {
            prop_assert!(values.contains(v), "acknowledged {} missing", v);
        }
    }

    /// Transactions of two ids (one with a zombie instance) interleave with faults and
    /// timeouts. A read_committed reader gets exactly the records of committed
    /// transactions; a read_uncommitted reader gets every record once and no marker; both end
    /// at the log end offset.
    #[test]
    fn read_committed_never_sees_an_aborted_record(ops in proptest::collection::vec(op(), 1..80), seed in 0u64..100) {
        let mut e = Engine::new(seed);
        setup(&mut e);
        for (name, tid) in PRODUCERS {
            apply(&mut e, Command::AddProducer { name: name.into(), null_key: Default::default() });
            apply(&mut e, Command::SetProducerConfig { producer: name.into(), key: "transactional.id".into(), value: tid.into() });
        }
        let tid_of: BTreeMap<&str, &str> = PRODUCERS.into_iter().collect();
        let mut open: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut committed = BTreeSet::new();
        let mut aborted = BTreeSet::new();
        let mut written = 0usize;
        let mut value_at: BTreeMap<(TopicPartition, i64), String> = BTreeMap::new();
        let mut track = |events: &[Event], value: Option<&str>, open: &mut BTreeMap<String, Vec<String>>| {
            for event in events {
                match event {
                    Event::RecordProduced { producer, partition, offset, .. } => {
                        let v = value.expect("only sends write records").to_string();
                        value_at.insert((partition.clone(), *offset), v.clone());
                        open.entry(tid_of[producer.as_str()].to_string()).or_default().push(v);
                        written += 1;
                    }
                    Event::Txn(TxnEvent::TransactionEnded { transactional_id, commit, .. }) => {
                        let values = open.remove(transactional_id).unwrap_or_default();
                        if *commit { committed.extend(values) } else { aborted.extend(values) }
                    }
                    _ => {}
                }
            }
        };
        let tps = all_partitions();
        for (i, op) in ops.iter().enumerate() {
            let name = |p: usize| PRODUCERS[p].0.to_string();
            let value = format!("r{i}");
            let command = match op {
                Op::Init(p) => Command::Transaction { producer: name(*p), action: TxnAction::Init },
                Op::Begin(p) => Command::Transaction { producer: name(*p), action: TxnAction::Begin },
                Op::Commit(p) => Command::Transaction { producer: name(*p), action: TxnAction::Commit },
                Op::Abort(p) => Command::Transaction { producer: name(*p), action: TxnAction::Abort },
                Op::Send(p, tp) => produce(&name(*p), &tps[*tp].topic, i64::from(tps[*tp].partition), &value),
                Op::LoseAckOnce(p) => Command::SetProducerFault { producer: name(*p), fault: Some(ProduceFault::LoseAck), once: true },
                Op::LoseRequestOnce(p) => Command::SetProducerFault { producer: name(*p), fault: Some(ProduceFault::LoseRequest), once: true },
                Op::Wait(ticks) => Command::Advance { ticks: *ticks },
            };
            let is_send = matches!(op, Op::Send(..));
            let events = apply(&mut e, command);
            if is_send && !events.iter().any(|ev| matches!(ev, Event::Txn(TxnEvent::SendFailed { .. }))) && !events.is_empty() {
                let copies = events.iter().filter(|ev| matches!(ev, Event::RecordProduced { .. })).count();
                prop_assert_eq!(copies, 1, "an acknowledged send is in the log once: {:?}", events);
            }
            track(&events, Some(&value), &mut open);
        }
        // End everything: each producer aborts what it has open, and the coordinator's
        // timeout ends what a fenced one left.
        for (name, _) in PRODUCERS {
            let events = apply(&mut e, Command::Transaction { producer: name.into(), action: TxnAction::Abort });
            track(&events, None, &mut open);
        }
        let events = apply(&mut e, Command::Advance { ticks: 800 });
        track(&events, None, &mut open);
        prop_assert!(open.values().all(Vec::is_empty), "still open: {:?}", open);
        for tp in &tps {
            prop_assert_eq!(e.partition_log(tp).unwrap().last_stable_offset(), e.partition_log(tp).unwrap().log_end_offset());
        }

        let (seen, positions) = read_all(&mut e, "committed-reader", "read_committed");
        let seen_set: BTreeSet<String> = seen.iter().cloned().collect();
        for v in &seen {
            prop_assert!(!aborted.contains(v), "read_committed saw aborted {}", v);
        }
        prop_assert_eq!(&seen_set, &committed);
        prop_assert_eq!(seen.len(), seen_set.len());
        let (all, all_positions) = read_all(&mut e, "uncommitted-reader", "read_uncommitted");
        prop_assert_eq!(all.len(), written, "markers are never given to an application");
        for tp in &tps {
            let end = e.partition_log(tp).unwrap().log_end_offset();
            prop_assert_eq!(positions.get(tp).copied().unwrap_or(0), end, "read_committed position on {}", tp);
            prop_assert_eq!(all_positions.get(tp).copied().unwrap_or(0), end, "read_uncommitted position on {}", tp);
        }
        prop_assert_eq!(value_at.len(), written);
    }
}

/// Without idempotence a lost acknowledgement makes the retry write a second copy; with it
/// the broker keeps one.
#[test]
fn a_lost_ack_duplicates_only_without_idempotence() {
    let mut e = Engine::new(1);
    setup(&mut e);
    for name in ["plain", "idem"] {
        apply(
            &mut e,
            Command::AddProducer {
                name: name.into(),
                null_key: Default::default(),
            },
        );
        apply(
            &mut e,
            Command::SetProducerFault {
                producer: name.into(),
                fault: Some(ProduceFault::LoseAck),
                once: true,
            },
        );
    }
    apply(
        &mut e,
        Command::SetProducerConfig {
            producer: "plain".into(),
            key: "enable.idempotence".into(),
            value: "false".into(),
        },
    );
    let plain = apply(&mut e, produce("plain", "t", 0, "once"));
    let idem = apply(&mut e, produce("idem", "t", 1, "once"));
    let written = |events: &[Event]| {
        events
            .iter()
            .filter(|ev| matches!(ev, Event::RecordProduced { .. }))
            .count()
    };
    assert_eq!(written(&plain), 2, "the retry wrote a duplicate: {plain:?}");
    assert_eq!(
        written(&idem),
        1,
        "the broker recognised the retry: {idem:?}"
    );
    assert!(idem
        .iter()
        .any(|ev| matches!(ev, Event::Txn(TxnEvent::DuplicateIgnored { offset: 0, .. }))));
}

/// An engine with the topic of `setup` and two producers, `old` and `new`, both with
/// `transactional.id=etl` (two instances of one application).
fn two_instances_of_one_transactional_id() -> Engine {
    let mut e = Engine::new(1);
    setup(&mut e);
    for name in ["old", "new"] {
        apply(
            &mut e,
            Command::AddProducer {
                name: name.into(),
                null_key: Default::default(),
            },
        );
        apply(
            &mut e,
            Command::SetProducerConfig {
                producer: name.into(),
                key: "transactional.id".into(),
                value: "etl".into(),
            },
        );
    }
    e
}

fn txn(producer: &str, action: TxnAction) -> Command {
    Command::Transaction {
        producer: producer.into(),
        action,
    }
}

/// Three transactional records and a commit move the log end offset by 4; a read_committed
/// reader waits at the transaction's first offset while it is open, and a new instance
/// fences the old one.
#[test]
fn markers_take_offsets_and_a_zombie_is_fenced() {
    let mut e = two_instances_of_one_transactional_id();
    apply(&mut e, txn("old", TxnAction::Init));
    apply(&mut e, txn("old", TxnAction::Begin));
    for v in ["a", "b", "c"] {
        apply(&mut e, produce("old", "u", 0, v));
    }
    let tp = TopicPartition::new("u", 0);
    assert_eq!(e.partition_log(&tp).unwrap().last_stable_offset(), 0);
    let (seen, positions) = read_all(&mut e, "early", "read_committed");
    assert!(seen.is_empty());
    assert_eq!(
        positions[&tp], 0,
        "waits at the open transaction's first offset"
    );
    apply(&mut e, txn("old", TxnAction::Commit));
    assert_eq!(e.partition_log(&tp).unwrap().log_end_offset(), 4);
    assert_eq!(e.partition_log(&tp).unwrap().last_stable_offset(), 4);

    apply(&mut e, txn("old", TxnAction::Begin));
    apply(&mut e, produce("old", "u", 0, "zombie"));
    apply(&mut e, txn("new", TxnAction::Init));
    // The new instance's init aborted the old one's open transaction (a marker at 5).
    assert_eq!(e.partition_log(&tp).unwrap().log_end_offset(), 6);
    let refused = e.apply(&produce("old", "u", 0, "late"));
    let events = refused.unwrap_or_default();
    assert!(
        events
            .iter()
            .any(|ev| matches!(ev, Event::Txn(TxnEvent::ProducerFenced { .. }))),
        "{events:?}"
    );
    assert!(e.apply(&txn("old", TxnAction::Commit)).is_err());
    let (seen, positions) = read_all(&mut e, "late", "read_committed");
    assert_eq!(seen, ["a", "b", "c"]);
    assert_eq!(positions[&tp], 6);
}

/// A new instance whose init aborted the old one's transaction numbers its first batch 0
/// again, and the leader writes it: it is not taken for a retry of the old instance's
/// batch 0.
#[test]
fn a_new_instance_first_send_is_written_after_the_fence() {
    let mut e = two_instances_of_one_transactional_id();
    apply(&mut e, txn("old", TxnAction::Init));
    apply(&mut e, txn("old", TxnAction::Begin));
    apply(&mut e, produce("old", "u", 0, "left open"));
    apply(&mut e, txn("new", TxnAction::Init));
    apply(&mut e, txn("new", TxnAction::Begin));
    let sent = apply(&mut e, produce("new", "u", 0, "fresh"));
    assert!(
        sent.iter()
            .any(|ev| matches!(ev, Event::RecordProduced { offset: 2, .. })),
        "{sent:?}"
    );
    apply(&mut e, txn("new", TxnAction::Commit));
    let (seen, _) = read_all(&mut e, "reader", "read_committed");
    assert_eq!(seen, ["fresh"]);
}

fn transactional(e: &mut Engine, name: &str, id: &str) {
    apply(
        e,
        Command::AddProducer {
            name: name.into(),
            null_key: Default::default(),
        },
    );
    apply(
        e,
        Command::SetProducerConfig {
            producer: name.into(),
            key: "transactional.id".into(),
            value: id.into(),
        },
    );
    apply(
        e,
        Command::Transaction {
            producer: name.into(),
            action: TxnAction::Init,
        },
    );
}

/// A transaction left open longer than `transaction.timeout.ms` is aborted by the
/// coordinator (checked every 10 s), and the producer can no longer commit it.
#[test]
fn the_coordinator_aborts_a_transaction_past_its_timeout() {
    let mut e = Engine::new(1);
    setup(&mut e);
    transactional(&mut e, "slow", "slow-1");
    let txn = |action| Command::Transaction {
        producer: "slow".into(),
        action,
    };
    apply(&mut e, txn(TxnAction::Begin));
    apply(&mut e, produce("slow", "u", 0, "late"));
    let tp = TopicPartition::new("u", 0);
    // 60 s is not past the timeout yet.
    let early = apply(&mut e, Command::Advance { ticks: 600 });
    assert!(!early
        .iter()
        .any(|ev| matches!(ev, Event::Txn(TxnEvent::TransactionEnded { .. }))));
    let later = apply(&mut e, Command::Advance { ticks: 100 });
    assert!(later.iter().any(|ev| matches!(
        ev,
        Event::Txn(TxnEvent::TransactionEnded {
            commit: false,
            cause: kafka_sim::engine::txn::event::EndCause::Timeout,
            ..
        })
    )));
    let log = e.partition_log(&tp).unwrap();
    assert_eq!((log.log_end_offset(), log.last_stable_offset()), (2, 2));
    // The producer learns it was fenced when it tries to commit.
    let commit = apply(&mut e, txn(TxnAction::Commit));
    assert!(
        commit
            .iter()
            .any(|ev| matches!(ev, Event::Txn(TxnEvent::ProducerFenced { .. }))),
        "{commit:?}"
    );
    let (seen, positions) = read_all(&mut e, "reader", "read_committed");
    assert!(seen.is_empty());
    assert_eq!(positions[&tp], 2);
}

/// Offsets sent to a transaction are the group's committed offsets only once it commits.
#[test]
fn offsets_sent_to_a_transaction_count_only_on_commit() {
    let mut e = Engine::new(1);
    setup(&mut e);
    for v in ["x", "y", "z"] {
        apply(&mut e, produce("upstream", "u", 0, v));
    }
    apply(
        &mut e,
        Command::StartConsumer {
            client_id: "worker".into(),
            group: Some("pipeline".into()),
            topics: vec!["u".into()],
            assign: vec![],
            config: vec![
                ("auto.offset.reset".into(), "earliest".into()),
                ("enable.auto.commit".into(), "false".into()),
            ],
        },
    );
    apply(&mut e, Command::Advance { ticks: 60 });
    let tp = TopicPartition::new("u", 0);
    assert_eq!(e.consumers["worker"].positions.get(&tp), Some(&3));
    transactional(&mut e, "etl", "etl-1");
    let txn = |action| Command::Transaction {
        producer: "etl".into(),
        action,
    };
    apply(&mut e, txn(TxnAction::Begin));
    apply(&mut e, produce("etl", "t", 0, "X"));
    apply(
        &mut e,
        txn(TxnAction::SendOffsets {
            consumer: "worker".into(),
        }),
    );
    apply(&mut e, txn(TxnAction::Abort));
    assert!(!e.groups["pipeline"].committed.contains_key(&tp));
    apply(&mut e, txn(TxnAction::Begin));
    apply(&mut e, produce("etl", "t", 0, "X"));
    apply(
        &mut e,
        txn(TxnAction::SendOffsets {
            consumer: "worker".into(),
        }),
    );
    let committed = apply(&mut e, txn(TxnAction::Commit));
    assert!(committed
        .iter()
        .any(|ev| matches!(ev, Event::OffsetsCommitted { .. })));
    assert_eq!(e.groups["pipeline"].committed[&tp].offset, 3);
}
