//! Engine benchmarks (criterion): appends, polls, assignors at scale, timeline jumps, and
//! a memory report after ten million records with retention on.
//!
//! Run with `cargo bench --bench engine`; the memory report prints first.
// The counting allocator wraps the system one, which takes `unsafe` (the crate denies it).
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{BenchmarkId, Criterion, Throughput};
use kafka_sim::engine::assign::server::{self as server_assign, MemberSpec, ServerAssignor};
use kafka_sim::engine::assign::{assign, MemberSubscription, Strategy};
use kafka_sim::engine::{Command, Engine, TopicPartition};
use kafka_sim::timeline::Timeline;

/// Counts live heap bytes, for the memory report.
struct CountingAllocator;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn produce(topic: &str, key: Option<String>) -> Command {
    Command::Produce {
        producer: Some("p".into()),
        topic: topic.into(),
        partition: None,
        key,
        value: Some("order placed".into()),
        headers: vec![],
    }
}

fn engine_with_topic(partitions: i64, configs: Vec<(String, String)>) -> Engine {
    let mut e = Engine::new(1);
    let _ = e.apply(&Command::CreateTopic {
        name: "orders".into(),
        partitions,
        configs,
    });
    e
}

fn bench_appends(c: &mut Criterion) {
    let mut group = c.benchmark_group("append");
    group.throughput(Throughput::Elements(1));
    for keyed in [true, false] {
        let mut e = engine_with_topic(
            6,
            vec![
                ("retention.bytes".into(), "1000000".into()),
                ("segment.bytes".into(), "100000".into()),
            ],
        );
        let mut i = 0u64;
        group.bench_function(if keyed { "keyed" } else { "null-key" }, |b| {
            b.iter(|| {
                i += 1;
                let key = keyed.then(|| format!("customer-{}", i % 1000));
                let _ = black_box(e.apply(&produce("orders", key)));
            })
        });
    }
    group.finish();
}

/// Appends with `acks=all` on a cluster of three brokers, replication factor 3 against 1:
/// each iteration sends ten keyed records and runs one tick, in which the followers fetch
/// (so the replication's cost is in the figure).
fn bench_replicated_appends(c: &mut Criterion) {
    let mut group = c.benchmark_group("append-replicated");
    group.throughput(Throughput::Elements(10));
    for rf in [1u32, 3] {
        let mut e = Engine::new(1);
        let _ = e.apply(&Command::AddBroker);
        let _ = e.apply(&Command::AddBroker);
        let _ = e.apply(&Command::CreateTopicOnReplicas {
            name: "orders".into(),
            partitions: 6,
            replication_factor: Some(rf),
            assignment: None,
            configs: vec![
                ("retention.bytes".into(), "1000000".into()),
                ("segment.bytes".into(), "100000".into()),
            ],
        });
        let mut i = 0u64;
        group.bench_function(format!("acks=all, RF {rf}, 10 records + 1 tick"), |b| {
            b.iter(|| {
                for _ in 0..10 {
                    i += 1;
                    let key = Some(format!("customer-{}", i % 1000));
                    let _ = black_box(e.apply(&produce("orders", key)));
                }
                let _ = black_box(e.apply(&Command::Advance { ticks: 1 }));
            })
        });
    }
    group.finish();
}

fn bench_polls(c: &mut Criterion) {
    const BACKLOG: u64 = 50_000;
    let mut group = c.benchmark_group("poll");
    group.throughput(Throughput::Elements(BACKLOG));
    group.sample_size(10);
    let mut base = engine_with_topic(1, vec![]);
    for i in 0..BACKLOG {
        let _ = base.apply(&produce("orders", Some(format!("k{}", i % 100))));
    }
    let _ = base.apply(&Command::StartConsumer {
        client_id: "reader".into(),
        group: Some("g".into()),
        topics: vec![],
        assign: vec![TopicPartition::new("orders", 0)],
        config: vec![
            ("auto.offset.reset".into(), "earliest".into()),
            ("processing.rate".into(), "100000".into()),
        ],
    });
    group.bench_function("50k-record backlog, 500 per poll", |b| {
        b.iter(|| {
            let mut e = base.clone();
            while e.consumers["reader"].records_processed < BACKLOG {
                let _ = e.apply(&Command::Advance { ticks: 1 });
            }
            black_box(e.tick)
        })
    });
    group.finish();
}

fn uniform_members(n_members: usize, topics: &[String]) -> Vec<MemberSubscription> {
    (0..n_members)
        .map(|i| MemberSubscription {
            member_id: format!("consumer{i:04}"),
            group_instance_id: None,
            topics: topics.to_vec(),
            owned: vec![],
            generation: None,
        })
        .collect()
}

fn bench_assignors(c: &mut Criterion) {
    let mut group = c.benchmark_group("assign");
    group.sample_size(10);
    // 1,000 members × 2,000 partitions (10 topics of 200), fresh and after one member leaves.
    let topics: Vec<String> = (0..10).map(|t| format!("topic{t:02}")).collect();
    let counts: BTreeMap<String, u32> = topics.iter().map(|t| (t.clone(), 200)).collect();
    let fresh = uniform_members(1000, &topics);
    for strategy in [
        Strategy::Range,
        Strategy::RoundRobin,
        Strategy::Sticky,
        Strategy::CooperativeSticky,
    ] {
        group.bench_with_input(
            BenchmarkId::new(strategy.name(), "1000x2000 fresh"),
            &fresh,
            |b, members| b.iter(|| black_box(assign(strategy, &counts, members))),
        );
        let first = assign(strategy, &counts, &fresh);
        let rejoin: Vec<MemberSubscription> = fresh[1..]
            .iter()
            .map(|m| MemberSubscription {
                owned: first[&m.member_id].clone(),
                generation: Some(1),
                ..m.clone()
            })
            .collect();
        group.bench_with_input(
            BenchmarkId::new(strategy.name(), "1000x2000 one left"),
            &rejoin,
            |b, members| b.iter(|| black_box(assign(strategy, &counts, members))),
        );
    }
    // Kafka's largest: AbstractStickyAssignorTest.testLargeAssignmentAndGroupWithUniformSubscription,
    // 500 topics × 2,000 partitions (one million) and 2,000 consumers.
    let topics: Vec<String> = (0..500).map(|t| format!("topic{t:03}")).collect();
    let counts: BTreeMap<String, u32> = topics.iter().map(|t| (t.clone(), 2000)).collect();
    let members = uniform_members(2000, &topics);
    for strategy in [Strategy::Sticky, Strategy::CooperativeSticky] {
        group.bench_with_input(
            BenchmarkId::new(strategy.name(), "kafka-largest 2000x1M"),
            &members,
            |b, members| b.iter(|| black_box(assign(strategy, &counts, members))),
        );
    }
    group.finish();
}

/// A topic id as Kafka's `Uuid.toString()` prints `new Uuid(msb, lsb)`: URL-safe base64 of
/// the 16 bytes, unpadded (the Java harness makes the same ids).
fn kafka_uuid(msb: u64, lsb: u64) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bits = (u128::from(msb) << 64) | u128::from(lsb);
    (0..22)
        .map(|i| {
            let shift = 128i32 - 6 * (i + 1);
            let index = if shift >= 0 {
                (bits >> shift) & 0x3f
            } else {
                (bits << -shift) & 0x3f
            };
            ALPHABET[index as usize] as char
        })
        .collect()
}

/// The consumer protocol's server-side assignors at 2,000 members × one million partitions
/// (500 topics × 2,000), every member subscribed to every topic, nothing assigned yet: the
/// case `conformance/vectors/Assign848Bench.java` runs with Kafka's own classes
/// (`scripts/assign848-bench.sh` prints both).
fn bench_server_assignors(c: &mut Criterion) {
    let mut group = c.benchmark_group("assign848");
    group.sample_size(10);
    let topics: Vec<String> = (0..500u64).map(|t| kafka_uuid(t + 1, 0x5EED)).collect();
    let counts: BTreeMap<String, u32> = topics.iter().map(|t| (t.clone(), 2000)).collect();
    let members: Vec<MemberSpec> = (0..2000)
        .map(|i| MemberSpec {
            member_id: format!("member-{i:04}"),
            instance_id: None,
            topics: topics.clone(),
            assigned: vec![],
        })
        .collect();
    for assignor in [ServerAssignor::Uniform, ServerAssignor::Range] {
        group.bench_with_input(
            BenchmarkId::new(assignor.name(), "2000x1M fresh"),
            &members,
            |b, members| b.iter(|| black_box(server_assign::assign(assignor, members, &counts))),
        );
    }
    group.finish();
}

fn bench_timeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("timeline");
    let mut t = Timeline::new(3);
    t.apply(Command::CreateTopic {
        name: "orders".into(),
        partitions: 3,
        configs: vec![],
    });
    for client in ["c1", "c2"] {
        t.apply(Command::StartConsumer {
            client_id: client.into(),
            group: Some("g".into()),
            topics: vec!["orders".into()],
            assign: vec![],
            config: vec![],
        });
    }
    let mut i = 0u64;
    while t.len() < 100_000 {
        i += 1;
        if i % 4 == 0 {
            t.apply(produce("orders", Some(format!("k{}", i % 50))));
        } else {
            t.apply(Command::Advance { ticks: 1 });
        }
    }
    for target in [100usize, 100_000] {
        group.bench_with_input(
            BenchmarkId::new("jump from the other end to step", target),
            &target,
            |b, &target| {
                b.iter(|| {
                    t.jump(if target == 100 { 100_000 } else { 0 });
                    t.jump(target);
                    black_box(t.cursor())
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("step back at step", target),
            &target,
            |b, &target| {
                b.iter(|| {
                    t.jump(target);
                    t.step_back();
                    black_box(t.cursor())
                })
            },
        );
    }
    group.finish();
}

/// Prints live heap while ten million records are produced with retention on.
fn memory_report() {
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let mut e = engine_with_topic(
        3,
        vec![
            ("segment.bytes".into(), "1048576".into()),
            ("retention.bytes".into(), "4194304".into()),
        ],
    );
    let _ = e.apply(&Command::SetBrokerConfig {
        key: "log.retention.check.interval.ms".into(),
        value: "100".into(),
    });
    let mut produced = 0u64;
    for million in 1..=10u64 {
        while produced < million * 1_000_000 {
            produced += 1;
            let _ = e.apply(&produce(
                "orders",
                Some(format!("customer-{}", produced % 10_000)),
            ));
            if produced % 1000 == 0 {
                let _ = e.apply(&Command::Advance { ticks: 1 });
            }
        }
        if million == 1 || million == 5 || million == 10 {
            let held: usize = e.topics["orders"]
                .partitions
                .iter()
                .map(|p| p.record_count())
                .sum();
            println!(
                "memory: {million:>2}M records produced, {held} held by retention, live heap {:.1} MiB",
                (LIVE_BYTES.load(Ordering::Relaxed) - before) as f64 / (1024.0 * 1024.0)
            );
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let filter = args.iter().skip(1).find(|a| !a.starts_with('-'));
    if filter.is_none_or(|f| "memory".contains(f.as_str())) {
        memory_report();
    }
    let mut c = Criterion::default().configure_from_args();
    bench_appends(&mut c);
    bench_replicated_appends(&mut c);
    bench_polls(&mut c);
    bench_assignors(&mut c);
    bench_server_assignors(&mut c);
    bench_timeline(&mut c);
    c.final_summary();
}
