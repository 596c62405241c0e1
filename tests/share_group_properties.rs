//! Property tests of share groups driving the engine (KIP-932): random share consumers
//! (rates, release and reject rates) start, stop and crash while records arrive and time
//! passes. Checked throughout: a record is acquired by at most one member at a time (a
//! model built from the events alone), and no delivery count exceeds the group's limit.
//! At the end, once every consumer is healthy, every record ends acknowledged or archived.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use kafka_sim::engine::share_group::{AcknowledgementMode, ShareCommand, ShareEvent};
use kafka_sim::engine::{Command, Engine, Event, TopicPartition};
use proptest::prelude::*;

const GROUPS: [&str; 2] = ["g1", "g2"];
const NAMES: [&str; 4] = ["a", "b", "c", "d"];

#[derive(Debug, Clone)]
enum Op {
    /// Name, group, rate, release and reject rates, explicit acknowledgement (implicit
    /// consumers accept everything).
    Start(usize, usize, u64, u32, u32, bool),
    Stop(usize),
    Crash(usize),
    Produce(u32, u8),
    Advance(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0usize..4, 0usize..2, 500u64..50_000, 0u32..600, 0u32..300, any::<bool>())
            .prop_map(|(n, g, r, rel, rej, explicit)| if explicit {
                Op::Start(n, g, r, rel, rej, true)
            } else {
                Op::Start(n, g, r, 0, 0, false)
            }),
        1 => (0usize..4).prop_map(Op::Stop),
        1 => (0usize..4).prop_map(Op::Crash),
        3 => (0u32..2, 1u8..6).prop_map(|(p, n)| Op::Produce(p, n)),
        4 => (1u32..400).prop_map(Op::Advance),
    ]
}

/// Who holds each record, from the events only.
type Holders = BTreeMap<(String, TopicPartition, i64), String>;

fn follow(holders: &mut Holders, events: &[Event]) -> Result<(), String> {
    for event in events {
        let Some(e) = event.share() else { continue };
        match e {
            ShareEvent::RecordsAcquired {
                group,
                client_id,
                partition,
                records,
            } => {
                for (offset, _) in records {
                    let key = (group.clone(), partition.clone(), *offset);
                    if let Some(other) = holders.get(&key) {
                        return Err(format!("{client_id} acquired {key:?}, which {other} holds"));
                    }
                    holders.insert(key, client_id.clone());
                }
            }
            ShareEvent::RecordsAcknowledged {
                group,
                partition,
                acks,
                ..
            } => {
                for (offset, _) in acks {
                    holders.remove(&(group.clone(), partition.clone(), *offset));
                }
            }
            ShareEvent::RecordsReleased {
                group,
                partition,
                offsets,
                ..
            } => {
                for offset in offsets {
                    holders.remove(&(group.clone(), partition.clone(), *offset));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn check_counts(engine: &Engine) -> Result<(), String> {
    for (id, group) in &engine.share.groups {
        let limit = engine.share.config_of(id).share.delivery_count_limit;
        for (tp, offsets) in &group.partitions {
            for (offset, r) in &offsets.partition.records {
                if r.delivery_count > limit {
                    return Err(format!(
                        "{id} {tp} offset {offset} delivered {} times",
                        r.delivery_count
                    ));
                }
            }
        }
    }
    Ok(())
}

fn apply(
    engine: &mut Engine,
    holders: &mut Holders,
    command: Command,
) -> Result<(), TestCaseError> {
    if let Ok(events) = engine.apply(&command) {
        follow(holders, &events).map_err(TestCaseError::fail)?;
    }
    check_counts(engine).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48), ..ProptestConfig::default() })]

    #[test]
    fn records_have_one_holder_counts_stay_in_the_limit_and_all_finish(
        ops in proptest::collection::vec(op(), 1..40),
        limit in 2u32..6,
        seed in any::<u64>(),
    ) {
        let mut engine = Engine::new(seed);
        let mut holders = Holders::new();
        engine.apply(&Command::CreateTopic { name: "jobs".into(), partitions: 2, configs: Vec::new() }).unwrap();
        for g in GROUPS {
            engine.apply(&Command::Share(ShareCommand::AlterGroupConfig {
                group: g.into(),
                set: vec![
                    ("share.auto.offset.reset".into(), "earliest".into()),
                    ("share.delivery.count.limit".into(), limit.to_string()),
                    ("share.record.lock.duration.ms".into(), "15000".into()),
                ],
                delete: Vec::new(),
            })).unwrap();
        }
        for op in &ops {
            let command = match *op {
                Op::Start(n, g, rate, release, reject, explicit) => Command::Share(ShareCommand::StartConsumer {
                    client_id: NAMES[n].into(),
                    group: GROUPS[g].into(),
                    topic: "jobs".into(),
                    millirecords_per_second: rate,
                    release_per_mille: release,
                    reject_per_mille: reject,
                    max_messages: None,
                    acknowledgement_mode: if explicit { AcknowledgementMode::Explicit } else { AcknowledgementMode::Implicit },
                }),
                Op::Stop(n) => Command::Share(ShareCommand::StopConsumer { client_id: NAMES[n].into() }),
                Op::Crash(n) => Command::Share(ShareCommand::CrashConsumer { client_id: NAMES[n].into() }),
                Op::Produce(p, count) => {
                    for i in 0..count {
                        apply(&mut engine, &mut holders, Command::Produce {
                            producer: None,
                            topic: "jobs".into(),
                            partition: Some(i64::from(p)),
                            key: None,
                            value: Some(format!("v{i}")),
                            headers: Vec::new(),
                        })?;
                    }
                    continue;
                }
                Op::Advance(ticks) => Command::Advance { ticks },
            };
            apply(&mut engine, &mut holders, command)?;
        }
        // Healthy consumers: every consumer is stopped, then one per group accepts all.
        for n in NAMES {
            apply(&mut engine, &mut holders, Command::Share(ShareCommand::StopConsumer { client_id: n.into() }))?;
        }
        for g in GROUPS {
            apply(&mut engine, &mut holders, Command::Share(ShareCommand::StartConsumer {
                client_id: format!("healthy-{g}"),
                group: g.into(),
                topic: "jobs".into(),
                millirecords_per_second: 1_000_000,
                release_per_mille: 0,
                reject_per_mille: 0,
                max_messages: None,
                acknowledgement_mode: AcknowledgementMode::Implicit,
            }))?;
        }
        // Past every crashed member's locks (15 s) and session (45 s).
        apply(&mut engine, &mut holders, Command::Advance { ticks: 600 })?;
        for g in GROUPS {
            let Some(group) = engine.share.groups.get(g) else { continue };
            for (tp, offsets) in &group.partitions {
                let hw = engine.partition_log(tp).map_or(0, |l| l.high_watermark());
                prop_assert_eq!(offsets.partition.lag(hw), 0, "{} {} left records unfinished: {:?}", g, tp, offsets.partition);
                prop_assert_eq!(offsets.partition.start_offset, hw);
            }
        }
    }
}
