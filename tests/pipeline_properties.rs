//! Property tests of the consume-transform-produce pipeline (`engine::txn::pipeline`,
//! SEMANTICS-4 §D.3): with exactly-once, a downstream `read_committed` reader sees the
//! result of every input exactly once, whatever crashes, restarts and stops happen in
//! between; with at-least-once it sees every result at least once, and a crash between the
//! writes and the offset commit makes duplicates.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use kafka_sim::engine::txn::fetch::fetch;
use kafka_sim::engine::txn::pipeline::{
    Guarantee, PipelineCommand, PipelineSpec, PipelineStatus, SOURCE_HEADER,
};
use kafka_sim::engine::txn::IsolationLevel;
use kafka_sim::engine::{Command, Engine, TopicPartition};
use proptest::prelude::*;

const PIPELINE: &str = "upper";

fn apply(e: &mut Engine, command: Command) {
    let _ = e.apply(&command);
}

fn produce_input(e: &mut Engine, n: usize, first: usize) {
    for i in first..first + n {
        apply(
            e,
            Command::Produce {
                producer: Some("source".into()),
                topic: "in".into(),
                partition: None,
                key: Some(format!("k{}", i % 5)),
                value: Some(format!("v{i}")),
                headers: vec![],
            },
        );
    }
}

fn setup(e: &mut Engine, guarantee: Guarantee, rate_per_second: u64, inputs: usize) {
    for (name, partitions) in [("in", 2), ("out", 2)] {
        apply(
            e,
            Command::CreateTopic {
                name: name.into(),
                partitions,
                configs: vec![],
            },
        );
    }
    produce_input(e, inputs, 0);
    let added = e.apply(&Command::Pipeline(PipelineCommand::Add(PipelineSpec {
        name: PIPELINE.into(),
        from_topic: "in".into(),
        to_topic: "out".into(),
        group: "g".into(),
        guarantee,
        millirecords_per_second: Some(rate_per_second * 1000),
    })));
    assert!(added.is_ok(), "pipeline add: {added:?}");
}

/// How many times each input (`in-p@o`) has a result that a reader with this isolation
/// level is given, reading the output topic from the start.
fn results_seen(e: &Engine, isolation: IsolationLevel) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for partition in 0..2 {
        let tp = TopicPartition::new("out", partition);
        let Some(log) = e.partition_log(&tp) else {
            continue;
        };
        let fetched = fetch(log, log.log_start_offset(), usize::MAX, isolation).expect("in range");
        for offset in fetched.offsets {
            let record = log
                .read(offset, 1)
                .ok()
                .and_then(|r| r.first().copied().cloned())
                .expect("a fetched offset holds a record");
            let source = record
                .headers
                .iter()
                .find(|(k, _)| &**k == SOURCE_HEADER)
                .map(|(_, v)| v.to_string())
                .expect("every output names its input");
            *seen.entry(source).or_insert(0) += 1;
        }
    }
    seen
}

/// Every input record, as the `source` header names it.
fn inputs(e: &Engine) -> Vec<String> {
    let mut all = Vec::new();
    for partition in 0..2 {
        let tp = TopicPartition::new("in", partition);
        let log = e.partition_log(&tp).expect("input partition");
        for record in log.records_in_range(0, log.high_watermark()) {
            all.push(format!("{tp}@{}", record.offset));
        }
    }
    all
}

/// Starts the pipeline if it is not running, then lets it run until its group has committed
/// every input (at most ten simulated minutes).
fn run_to_the_end(e: &mut Engine) {
    let running = e.pipelines.get(PIPELINE).is_some_and(|p| p.is_running());
    if !running {
        apply(
            e,
            Command::Pipeline(PipelineCommand::Start {
                name: PIPELINE.into(),
            }),
        );
    }
    for _ in 0..60 {
        apply(e, Command::Advance { ticks: 100 });
        let done = (0..2).all(|p| {
            let tp = TopicPartition::new("in", p);
            let end = e.partition_log(&tp).map_or(0, |l| l.high_watermark());
            e.groups
                .get("g")
                .and_then(|g| g.committed.get(&tp))
                .map_or(end == 0, |c| c.offset >= end)
        });
        if done {
            return;
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Wait(u32),
    Crash,
    Start,
    Stop,
    MoreInput(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u32..80).prop_map(Op::Wait),
        (1u32..80).prop_map(Op::Wait),
        (1u32..600).prop_map(Op::Wait),
        Just(Op::Crash),
        Just(Op::Start),
        Just(Op::Stop),
        (1usize..8).prop_map(Op::MoreInput),
    ]
}

fn play(e: &mut Engine, ops: &[Op], inputs: &mut usize) {
    for op in ops {
        let command = match op {
            Op::Wait(ticks) => Command::Advance { ticks: *ticks },
            Op::Crash => Command::Pipeline(PipelineCommand::Crash {
                name: PIPELINE.into(),
            }),
            Op::Start => Command::Pipeline(PipelineCommand::Start {
                name: PIPELINE.into(),
            }),
            Op::Stop => Command::Pipeline(PipelineCommand::Stop {
                name: PIPELINE.into(),
            }),
            Op::MoreInput(n) => {
                produce_input(e, *n, *inputs);
                *inputs += n;
                continue;
            }
        };
        apply(e, command);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(32), ..ProptestConfig::default() })]

    /// Exactly once: at every moment no input has two committed results, and once the
    /// pipeline has caught up every input has exactly one.
    #[test]
    fn exactly_once_across_crashes(
        ops in proptest::collection::vec(op(), 1..24),
        rate in 1u64..30,
        first_inputs in 1usize..30,
        seed in 0u64..100,
    ) {
        let mut e = Engine::new(seed);
        setup(&mut e, Guarantee::ExactlyOnce, rate, first_inputs);
        let mut produced = first_inputs;
        for chunk in ops.chunks(1) {
            play(&mut e, chunk, &mut produced);
            let seen = results_seen(&e, IsolationLevel::ReadCommitted);
            for (source, count) in &seen {
                prop_assert_eq!(*count, 1, "{} has {} committed results", source, count);
            }
        }
        run_to_the_end(&mut e);
        let status = e.pipelines.get(PIPELINE).map(|p| p.status.clone());
        prop_assert_eq!(status, Some(PipelineStatus::Running));
        let seen = results_seen(&e, IsolationLevel::ReadCommitted);
        let expected: BTreeMap<String, usize> = inputs(&e).into_iter().map(|s| (s, 1)).collect();
        prop_assert_eq!(seen, expected);
    }

    /// At least once: no input's result is ever lost.
    #[test]
    fn at_least_once_loses_nothing(
        ops in proptest::collection::vec(op(), 1..24),
        rate in 1u64..30,
        first_inputs in 1usize..30,
        seed in 0u64..100,
    ) {
        let mut e = Engine::new(seed);
        setup(&mut e, Guarantee::AtLeastOnce, rate, first_inputs);
        let mut produced = first_inputs;
        play(&mut e, &ops, &mut produced);
        run_to_the_end(&mut e);
        let seen = results_seen(&e, IsolationLevel::ReadCommitted);
        for source in inputs(&e) {
            prop_assert!(seen.get(&source).copied().unwrap_or(0) >= 1, "{} was lost", source);
        }
    }
}

/// A crash after some outputs were written but before their offsets were committed: under
/// at-least-once the new instance reads those inputs again and writes their results twice;
/// under exactly-once the crashed instance's transaction is aborted and each result is seen
/// once.
#[test]
fn a_crash_duplicates_only_at_least_once() {
    for (guarantee, duplicated) in [
        (Guarantee::AtLeastOnce, true),
        (Guarantee::ExactlyOnce, false),
    ] {
        let mut e = Engine::new(7);
        setup(&mut e, guarantee, 2, 8);
        // The first rebalance settles after 3 s; then two records a second.
        apply(&mut e, Command::Advance { ticks: 50 });
        let written_before_crash: usize = (0..2)
            .map(|p| {
                e.partition_log(&TopicPartition::new("out", p))
                    .map_or(0, |l| l.high_watermark() as usize)
            })
            .sum();
        assert!(
            written_before_crash > 0,
            "{guarantee:?}: some outputs before the crash"
        );
        let committed_before_crash = e.groups.get("g").map_or(0, |g| g.committed.len());
        assert_eq!(
            committed_before_crash, 0,
            "{guarantee:?}: nothing committed yet"
        );
        apply(
            &mut e,
            Command::Pipeline(PipelineCommand::Crash {
                name: PIPELINE.into(),
            }),
        );
        run_to_the_end(&mut e);
        let seen = results_seen(&e, IsolationLevel::ReadCommitted);
        let twice = seen.values().filter(|&&n| n > 1).count();
        assert_eq!(twice > 0, duplicated, "{guarantee:?}: {seen:?}");
        assert_eq!(seen.len(), 8, "{guarantee:?}: every input has a result");
        if guarantee == Guarantee::ExactlyOnce {
            let pipeline = e.pipelines.get(PIPELINE).expect("pipeline");
            assert!(pipeline.commits > 0);
        }
    }
}

/// The new instance's `initTransactions` fences the crashed one: the epoch goes up and the
/// transaction it left open is aborted with a marker.
#[test]
fn a_restart_fences_the_old_instance_and_aborts_its_transaction() {
    let mut e = Engine::new(3);
    setup(&mut e, Guarantee::ExactlyOnce, 2, 8);
    apply(&mut e, Command::Advance { ticks: 50 });
    let epoch_before = e.producers[PIPELINE]
        .txn
        .identity
        .expect("initialised")
        .epoch;
    apply(
        &mut e,
        Command::Pipeline(PipelineCommand::Crash {
            name: PIPELINE.into(),
        }),
    );
    let events = e
        .apply(&Command::Pipeline(PipelineCommand::Start {
            name: PIPELINE.into(),
        }))
        .expect("start");
    let aborted = events.iter().any(|ev| {
        matches!(
            ev,
            kafka_sim::engine::Event::Txn(kafka_sim::engine::txn::TxnEvent::TransactionEnded {
                commit: false,
                cause: kafka_sim::engine::txn::event::EndCause::NewInstance,
                ..
            })
        )
    });
    assert!(aborted, "{events:?}");
    let epoch_after = e.producers[PIPELINE]
        .txn
        .identity
        .expect("initialised")
        .epoch;
    assert!(epoch_after > epoch_before);
}
