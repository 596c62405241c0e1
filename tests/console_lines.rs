//! Round trips between engine commands and console lines: the line the page prints for a
//! mouse action ([`command_line`]) must read back, through a fresh console's parser, as
//! exactly the same command, and [`Console::apply_command`] must apply it exactly once
//! and print what typing the line prints.
#![cfg(not(target_arch = "wasm32"))]

use kafka_sim::console::{command_line, Console};
use kafka_sim::engine::cluster::ElectionType;
use kafka_sim::engine::command::ProducerStream;
use kafka_sim::engine::partitioner::NullKeyStrategy;
use kafka_sim::engine::replication::Acks;
use kafka_sim::engine::share_group::{AcknowledgementMode, ShareCommand, ShareResetSpec};
use kafka_sim::engine::txn::pipeline::{Guarantee, PipelineCommand, PipelineSpec};
use kafka_sim::engine::txn::ProduceFault;
use kafka_sim::engine::{Command, ResetScope, ResetSpec, SeekTarget, TopicPartition, TxnAction};
use proptest::prelude::*;

fn s(text: &str) -> String {
    text.to_string()
}

fn kv(k: &str, v: &str) -> (String, String) {
    (s(k), s(v))
}

fn tp(topic: &str, partition: u32) -> TopicPartition {
    TopicPartition::new(topic, partition)
}

fn produce(
    producer: Option<&str>,
    partition: Option<i64>,
    key: Option<&str>,
    value: Option<&str>,
    headers: Vec<(String, String)>,
) -> Command {
    Command::Produce {
        producer: producer.map(s),
        topic: s("orders"),
        partition,
        key: key.map(s),
        value: value.map(s),
        headers,
    }
}

fn stream(topic: &str, millis: u32, key_pool: u32, key_prefix: &str) -> Option<ProducerStream> {
    Some(ProducerStream {
        topic: s(topic),
        millirecords_per_second: millis,
        key_pool,
        key_prefix: s(key_prefix),
    })
}

fn reset(scope: ResetScope, spec: ResetSpec, execute: bool) -> Command {
    Command::ResetOffsets {
        group: s("payments"),
        scope,
        spec,
        execute,
    }
}

fn seek(partition: Option<TopicPartition>, to: SeekTarget) -> Command {
    Command::Seek {
        client_id: s("c1"),
        partition,
        to,
    }
}

/// Every variant, with the awkward arguments students and the page can produce.
fn hand_written() -> Vec<Command> {
    let topics = |list: &[(&str, Option<&[u32]>)]| {
        ResetScope::Topics(
            list.iter()
                .map(|(t, ps)| (s(t), ps.map(<[u32]>::to_vec)))
                .collect(),
        )
    };
    let c = |client_id: &str| s(client_id);
    vec![
        Command::CreateTopic {
            name: s("orders"),
            partitions: 3,
            configs: Vec::new(),
        },
        Command::CreateTopic {
            name: s("compacted"),
            partitions: 1,
            configs: vec![
                kv("cleanup.policy", "compact"),
                kv("retention.ms", "60000"),
                kv("x.note", "two words, and 'quotes' \"too\""),
            ],
        },
        Command::CreateTopic {
            name: s("bad"),
            partitions: -1,
            configs: vec![kv("segment.ms", "")],
        },
        Command::DeleteTopic { name: s("orders") },
        Command::DeleteTopic {
            name: s("--weird topic"),
        },
        Command::AddPartitions {
            topic: s("orders"),
            total: 6,
        },
        Command::AlterTopicConfig {
            topic: s("orders"),
            set: vec![kv("retention.ms", "1000"), kv("segment.bytes", "1024")],
            delete: Vec::new(),
        },
        Command::AlterTopicConfig {
            topic: s("orders"),
            set: vec![kv("cleanup.policy", "compact,delete")],
            delete: vec![s("retention.ms"), s("segment.ms")],
        },
        Command::AlterTopicConfig {
            topic: s("orders"),
            set: Vec::new(),
            delete: vec![s("retention.ms")],
        },
        Command::AlterTopicConfig {
            topic: s("orders"),
            set: vec![kv("a", "[x]"), kv("b", "y["), kv("c", "it's a value")],
            delete: Vec::new(),
        },
        Command::AddProducer {
            name: s("p1"),
            null_key: NullKeyStrategy::Sticky,
        },
        Command::AddProducer {
            name: s("old producer"),
            null_key: NullKeyStrategy::RoundRobin,
        },
        Command::RemoveProducer { name: s("p1") },
        produce(None, None, None, Some("hello"), Vec::new()),
        produce(None, None, Some("k1"), None, Vec::new()),
        produce(None, None, None, None, Vec::new()),
        produce(
            Some("p1"),
            Some(2),
            Some("user 42's \"key\""),
            Some("a value with spaces"),
            vec![kv("trace-id", "abc"), kv("note", "x=y, z")],
        ),
        produce(None, Some(-1), Some(""), Some(""), Vec::new()),
        produce(None, None, Some("--key"), Some("--value"), Vec::new()),
        produce(None, None, None, Some("--"), Vec::new()),
        produce(None, None, None, Some("é ☃ $HOME `x` \\n"), Vec::new()),
        Command::SetProducerStream {
            producer: s("p1"),
            stream: stream("orders", 2000, 0, "key-"),
        },
        Command::SetProducerStream {
            producer: s("p1"),
            stream: stream("orders", 500, 3, "key-"),
        },
        Command::SetProducerStream {
            producer: s("p1"),
            stream: stream("orders", 1, 10, "user "),
        },
        Command::SetProducerStream {
            producer: s("p1"),
            stream: stream("orders", 0, 0, ""),
        },
        Command::SetProducerStream {
            producer: s("p1"),
            stream: None,
        },
        Command::StartConsumer {
            client_id: c("c1"),
            group: Some(s("payments")),
            topics: vec![s("orders")],
            assign: Vec::new(),
            config: Vec::new(),
        },
        Command::StartConsumer {
            client_id: c("c 2"),
            group: Some(s("payments")),
            topics: vec![s("orders"), s("refunds")],
            assign: Vec::new(),
            config: vec![
                kv("max.poll.records", "10"),
                kv("partition.assignment.strategy", "range,cooperative-sticky"),
                kv("group.instance.id", "static one"),
            ],
        },
        Command::StartConsumer {
            client_id: c("reader"),
            group: None,
            topics: Vec::new(),
            assign: vec![
                tp("orders", 0),
                tp("orders", 2),
                tp("refunds", 1),
                tp("orders", 1),
            ],
            config: vec![kv("enable.auto.commit", "false")],
        },
        Command::StartConsumer {
            client_id: c("reader"),
            group: Some(s("manual")),
            topics: Vec::new(),
            assign: vec![tp("orders", 0)],
            config: Vec::new(),
        },
        Command::StartConsumer {
            client_id: c("idle"),
            group: None,
            topics: Vec::new(),
            assign: Vec::new(),
            config: Vec::new(),
        },
        Command::StopConsumer { client_id: c("c1") },
        Command::CrashConsumer { client_id: c("c1") },
        Command::RestartConsumer { client_id: c("c1") },
        Command::RemoveConsumer {
            client_id: c("--c1"),
        },
        Command::PauseConsumer { client_id: c("c1") },
        Command::ResumeConsumer { client_id: c("c1") },
        Command::CommitSync { client_id: c("c1") },
        Command::SetConsumerConfig {
            client_id: c("c1"),
            key: s("processing.rate"),
            value: s("0.5"),
        },
        Command::SetConsumerConfig {
            client_id: c("c1"),
            key: s("client.rack"),
            value: s("rack a=b"),
        },
        seek(None, SeekTarget::Beginning),
        seek(Some(tp("orders", 1)), SeekTarget::End),
        seek(Some(tp("orders", 2)), SeekTarget::Offset(42)),
        seek(None, SeekTarget::Offset(-1)),
        seek(
            Some(tp("orders", 0)),
            SeekTarget::Timestamp(1_700_000_000_123),
        ),
        seek(None, SeekTarget::Timestamp(0)),
        reset(ResetScope::AllTopics, ResetSpec::ToEarliest, true),
        reset(topics(&[("orders", None)]), ResetSpec::ToLatest, false),
        reset(
            topics(&[("orders", Some(&[0, 1])), ("refunds", None)]),
            ResetSpec::ToCurrent,
            true,
        ),
        reset(ResetScope::AllTopics, ResetSpec::ToOffset(5), true),
        reset(ResetScope::AllTopics, ResetSpec::ShiftBy(-3), false),
        reset(ResetScope::AllTopics, ResetSpec::ShiftBy(2), true),
        reset(
            ResetScope::AllTopics,
            ResetSpec::ToDatetime(1_700_000_000_500),
            true,
        ),
        reset(
            ResetScope::AllTopics,
            ResetSpec::ByDuration(90_061_001),
            true,
        ),
        reset(ResetScope::AllTopics, ResetSpec::ByDuration(0), false),
        Command::DeleteGroup {
            group: s("payments"),
        },
        Command::DeleteGroup {
            group: s("my group"),
        },
        Command::DeleteOffsets {
            group: s("my group"),
            partitions: vec![
                TopicPartition::new(s("orders"), 2),
                TopicPartition::new(s("orders"), 0),
                TopicPartition::new(s("payments"), 0),
                TopicPartition::new(s("orders"), 2),
            ],
        },
        Command::CreateTopicOnReplicas {
            name: s("orders"),
            partitions: 3,
            replication_factor: Some(3),
            assignment: None,
            configs: vec![kv("min.insync.replicas", "2")],
        },
        Command::CreateTopicOnReplicas {
            name: s("audit"),
            partitions: 2,
            replication_factor: None,
            assignment: Some(vec![vec![1, 2, 3], vec![2, 3, 1]]),
            configs: Vec::new(),
        },
        Command::AddBroker,
        Command::StopBroker { broker: 2 },
        Command::CrashBroker { broker: 1 },
        Command::StartBroker { broker: 3 },
        Command::SlowBroker {
            broker: 2,
            factor: 10,
        },
        Command::ElectLeaders {
            election: ElectionType::Preferred,
            partitions: None,
        },
        Command::ElectLeaders {
            election: ElectionType::Unclean,
            partitions: Some(vec![tp("orders", 1)]),
        },
        Command::SetProducerAcks {
            producer: s("billing"),
            acks: Acks::Leader,
        },
        Command::SetProducerAcks {
            producer: s("billing"),
            acks: Acks::None,
        },
        Command::RunCleaner { topic: None },
        Command::RunCleaner {
            topic: Some(s("compacted")),
        },
        Command::RunRetention { topic: None },
        Command::RunRetention {
            topic: Some(s("orders")),
        },
        Command::DeleteRecords {
            partition: tp("orders", 1),
            before_offset: 7,
        },
        Command::SetBrokerConfig {
            key: s("log.retention.check.interval.ms"),
            value: s("1000"),
        },
        Command::FillTopic {
            topic: s("orders"),
            records_per_partition: 1_000_000,
        },
        Command::Advance { ticks: 1 },
        Command::Advance { ticks: 50_000 },
        Command::SetProducerConfig {
            producer: s("etl"),
            key: s("transactional.id"),
            value: s("etl-1"),
        },
        Command::SetProducerConfig {
            producer: s("plain"),
            key: s("enable.idempotence"),
            value: s("false"),
        },
        Command::SetProducerFault {
            producer: s("etl"),
            fault: Some(ProduceFault::LoseAck),
            once: true,
        },
        Command::SetProducerFault {
            producer: s("etl"),
            fault: Some(ProduceFault::LoseRequest),
            once: false,
        },
        Command::SetProducerFault {
            producer: s("etl"),
            fault: None,
            once: false,
        },
        Command::Transaction {
            producer: s("etl"),
            action: TxnAction::Init,
        },
        Command::Transaction {
            producer: s("etl"),
            action: TxnAction::Begin,
        },
        Command::Transaction {
            producer: s("etl"),
            action: TxnAction::SendOffsets { consumer: c("c1") },
        },
        Command::Transaction {
            producer: s("etl"),
            action: TxnAction::Commit,
        },
        Command::Transaction {
            producer: s("etl"),
            action: TxnAction::Abort,
        },
        Command::AbortHangingTransaction {
            partition: tp("orders", 0),
            start_offset: 3,
        },
        Command::Pipeline(PipelineCommand::Add(PipelineSpec {
            name: s("upper"),
            from_topic: s("orders"),
            to_topic: s("shipped"),
            group: s("etl"),
            guarantee: Guarantee::ExactlyOnce,
            millirecords_per_second: Some(2_500),
        })),
        Command::Pipeline(PipelineCommand::Add(PipelineSpec {
            name: s("copy"),
            from_topic: s("orders"),
            to_topic: s("copies"),
            group: s("copy"),
            guarantee: Guarantee::AtLeastOnce,
            millirecords_per_second: None,
        })),
        Command::Pipeline(PipelineCommand::Crash { name: s("upper") }),
        Command::Pipeline(PipelineCommand::Start { name: s("upper") }),
        Command::Pipeline(PipelineCommand::Stop { name: s("upper") }),
        Command::Share(ShareCommand::StartConsumer {
            client_id: s("worker-1"),
            group: s("workers"),
            topic: s("jobs"),
            millirecords_per_second: 2_500,
            release_per_mille: 100,
            reject_per_mille: 50,
            max_messages: None,
            acknowledgement_mode: AcknowledgementMode::Explicit,
        }),
        Command::Share(ShareCommand::StartConsumer {
            client_id: s("worker-2"),
            group: s("workers"),
            topic: s("jobs"),
            millirecords_per_second: 2_500,
            release_per_mille: 0,
            reject_per_mille: 0,
            max_messages: None,
            acknowledgement_mode: AcknowledgementMode::Implicit,
        }),
        Command::Share(ShareCommand::StartConsumer {
            client_id: s("console-share-consumer"),
            group: s("workers"),
            topic: s("jobs"),
            millirecords_per_second: 1_000_000_000,
            release_per_mille: 0,
            reject_per_mille: 0,
            max_messages: Some(3),
            acknowledgement_mode: AcknowledgementMode::Explicit,
        }),
        Command::Share(ShareCommand::StopConsumer {
            client_id: s("worker-1"),
        }),
        Command::Share(ShareCommand::CrashConsumer {
            client_id: s("worker-1"),
        }),
        Command::Share(ShareCommand::SetConsumer {
            client_id: s("worker-1"),
            key: s("rate"),
            value: s("2.5"),
        }),
        Command::Share(ShareCommand::SetConsumer {
            client_id: s("worker-1"),
            key: s("fail-rate"),
            value: s("0.2"),
        }),
        Command::Share(ShareCommand::ResetOffsets {
            group: s("workers"),
            topics: vec![s("jobs")],
            spec: ShareResetSpec::ToOffset(4),
            execute: true,
        }),
        Command::Share(ShareCommand::ResetOffsets {
            group: s("workers"),
            topics: Vec::new(),
            spec: ShareResetSpec::ToDatetime(1_704_067_260_000),
            execute: false,
        }),
        Command::Share(ShareCommand::DeleteOffsets {
            group: s("workers"),
            topics: vec![s("jobs"), s("other")],
        }),
        Command::Share(ShareCommand::DeleteGroup {
            group: s("workers"),
        }),
        Command::Share(ShareCommand::AlterGroupConfig {
            group: s("workers"),
            set: vec![(s("share.auto.offset.reset"), s("earliest"))],
            delete: vec![s("share.record.lock.duration.ms")],
        }),
    ]
}

/// `command_line(c)` read by a fresh console: exactly `[c]`.
fn round_trip(command: &Command) -> Result<(), String> {
    let line = command_line(command);
    match Console::default().parse_command(&line) {
        Ok(parsed) if parsed.as_slice() == std::slice::from_ref(command) => Ok(()),
        other => Err(format!(
            "{command:?}\n  line: {line}\n  read back: {other:?}"
        )),
    }
}

#[test]
fn every_hand_written_command_reads_back() {
    let failures: Vec<String> = hand_written()
        .iter()
        .filter_map(|c| round_trip(c).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The variant's position; the match has no wildcard, so a new variant fails to compile
/// here until the list covers it.
fn variant(command: &Command) -> usize {
    match command {
        Command::CreateTopic { .. } => 0,
        Command::DeleteTopic { .. } => 1,
        Command::AddPartitions { .. } => 2,
        Command::AlterTopicConfig { .. } => 3,
        Command::AddProducer { .. } => 4,
        Command::RemoveProducer { .. } => 5,
        Command::Produce { .. } => 6,
        Command::SetProducerStream { .. } => 7,
        Command::StartConsumer { .. } => 8,
        Command::StopConsumer { .. } => 9,
        Command::CrashConsumer { .. } => 10,
        Command::RestartConsumer { .. } => 11,
        Command::RemoveConsumer { .. } => 12,
        Command::SetConsumerConfig { .. } => 13,
        Command::PauseConsumer { .. } => 14,
        Command::ResumeConsumer { .. } => 15,
        Command::Seek { .. } => 16,
        Command::CommitSync { .. } => 17,
        Command::ResetOffsets { .. } => 18,
        Command::DeleteGroup { .. } => 19,
        Command::RunCleaner { .. } => 20,
        Command::RunRetention { .. } => 21,
        Command::DeleteRecords { .. } => 22,
        Command::SetBrokerConfig { .. } => 23,
        Command::Advance { .. } => 24,
        Command::FillTopic { .. } => 25,
        Command::DeleteOffsets { .. } => 26,
        Command::SetProducerConfig { .. } => 27,
        Command::SetProducerFault { .. } => 28,
        Command::Transaction { .. } => 29,
        Command::AbortHangingTransaction { .. } => 30,
        Command::Share(_) => 31,
        Command::CreateTopicOnReplicas { .. } => 32,
        Command::AddBroker => 33,
        Command::StopBroker { .. } => 34,
        Command::CrashBroker { .. } => 35,
        Command::StartBroker { .. } => 36,
        Command::SlowBroker { .. } => 37,
        Command::ElectLeaders { .. } => 38,
        Command::SetProducerAcks { .. } => 39,
        Command::Pipeline(_) => 40,
    }
}

#[test]
fn the_hand_written_list_covers_every_variant() {
    let mut seen: Vec<usize> = hand_written().iter().map(variant).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen, (0..41).collect::<Vec<_>>());
}

#[test]
fn lines_read_as_students_type_them() {
    let cases: [(Command, &str); 4] = [
        (
            Command::DeleteGroup {
                group: s("payments"),
            },
            "kafka-consumer-groups --bootstrap-server localhost:9092 --delete --group payments",
        ),
        (
            reset(
                ResetScope::Topics(vec![(s("orders"), Some(vec![0, 1]))]),
                ResetSpec::ToEarliest,
                true,
            ),
            "kafka-consumer-groups --bootstrap-server localhost:9092 --reset-offsets --group payments --topic orders:0,1 --to-earliest --execute",
        ),
        (
            Command::AlterTopicConfig {
                topic: s("orders"),
                set: vec![kv("retention.ms", "1000"), kv("cleanup.policy", "compact,delete")],
                delete: vec![s("segment.ms")],
            },
            "kafka-configs --bootstrap-server localhost:9092 --alter --entity-type topics --entity-name orders --add-config 'retention.ms=1000,cleanup.policy=[compact,delete]' --delete-config segment.ms",
        ),
        (
            produce(None, None, Some("user 1"), Some("hello world"), vec![kv("h", "v")]),
            "produce orders 'hello world' --key 'user 1' --header h=v",
        ),
    ];
    for (command, line) in cases {
        assert_eq!(command_line(&command), line);
    }
}

#[test]
fn apply_command_applies_once_and_prints_what_typing_prints() {
    let script = [
        Command::CreateTopic {
            name: s("orders"),
            partitions: 3,
            configs: Vec::new(),
        },
        Command::AddProducer {
            name: s("p1"),
            null_key: NullKeyStrategy::Sticky,
        },
        produce(Some("p1"), None, Some("k"), Some("v 1"), Vec::new()),
        Command::StartConsumer {
            client_id: s("c1"),
            group: Some(s("g")),
            topics: vec![s("orders")],
            assign: Vec::new(),
            config: Vec::new(),
        },
        Command::Advance { ticks: 30 },
        Command::StopConsumer { client_id: s("c1") },
        reset(ResetScope::AllTopics, ResetSpec::ToEarliest, true),
        Command::DeleteTopic { name: s("nope") },
        Command::Advance { ticks: 40_000 },
    ];
    let mut clicked = Console::default();
    let mut typed = Console::default();
    for command in script.iter().cloned() {
        let (line, out) = clicked.apply_command(command.clone());
        let last = clicked.timeline().commands().last().cloned();
        assert_eq!(last.as_ref(), Some(&command), "{line}");
        if !matches!(
            command,
            Command::DeleteTopic { .. } | Command::Advance { ticks: 40_000 }
        ) {
            // Typing the line prints the same and leaves the same cluster.
            assert_eq!(typed.run_line(&line), out, "{line}");
        } else {
            typed.apply(command);
        }
    }
    assert_eq!(clicked.timeline().commands(), script.to_vec());
    assert_eq!(clicked.timeline().commands(), typed.timeline().commands());
    assert_eq!(clicked.timeline().state(), typed.timeline().state());
}

/// Printable text, with the characters shells and the console treat specially.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z0-9._-]{1,8}",
        2 => "[ -~]{0,10}",
        1 => proptest::sample::select(vec![
            s(""), s("--"), s("--x"), s("-1"), s("it's"), s("a \"b\""), s("é ☃"), s("#x"), s("a\\b"),
        ]),
    ]
}

/// Config and header keys: what `key=value` can carry.
fn key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9.-]{0,10}"
}

/// Topic names as Kafka allows them, for the places that list topics.
fn topic() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9._-]{1,8}"
}

fn configs() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec((key(), text()), 0..3)
}

/// `kafka-configs` values: a comma and a bracket cannot share one.
fn topic_config_value() -> impl Strategy<Value = String> {
    text().prop_filter("comma and bracket", |v| {
        !(v.contains(',') && v.contains(['[', ']']))
    })
}

fn seek_target() -> impl Strategy<Value = SeekTarget> {
    prop_oneof![
        Just(SeekTarget::Beginning),
        Just(SeekTarget::End),
        any::<i64>().prop_map(SeekTarget::Offset),
        (-60_000_000_000_000i64..250_000_000_000_000).prop_map(SeekTarget::Timestamp),
    ]
}

fn reset_spec() -> impl Strategy<Value = ResetSpec> {
    prop_oneof![
        Just(ResetSpec::ToEarliest),
        Just(ResetSpec::ToLatest),
        Just(ResetSpec::ToCurrent),
        any::<i64>().prop_map(ResetSpec::ToOffset),
        any::<i64>().prop_map(ResetSpec::ShiftBy),
        (-60_000_000_000_000i64..250_000_000_000_000).prop_map(ResetSpec::ToDatetime),
        ((i64::MIN + 1)..=i64::MAX).prop_map(ResetSpec::ByDuration),
    ]
}

fn reset_scope() -> impl Strategy<Value = ResetScope> {
    prop_oneof![
        Just(ResetScope::AllTopics),
        proptest::collection::vec(
            (
                topic(),
                proptest::option::of(proptest::collection::vec(any::<u32>(), 1..4))
            ),
            1..3
        )
        .prop_map(ResetScope::Topics),
    ]
}

fn partitions() -> impl Strategy<Value = Vec<TopicPartition>> {
    proptest::collection::vec(
        (topic(), any::<u32>()).prop_map(|(t, p)| TopicPartition::new(t, p)),
        0..4,
    )
}

fn command() -> impl Strategy<Value = Command> {
    let client = text;
    prop_oneof![
        (
            text(),
            any::<i64>(),
            proptest::collection::vec((key(), text()), 0..3)
        )
            .prop_map(|(name, partitions, configs)| Command::CreateTopic {
                name,
                partitions,
                configs
            }),
        text().prop_map(|name| Command::DeleteTopic { name }),
        (text(), any::<i64>()).prop_map(|(topic, total)| Command::AddPartitions { topic, total }),
        (
            text(),
            proptest::collection::vec((key(), topic_config_value()), 0..3),
            proptest::collection::vec(key(), 0..3)
        )
            .prop_filter("something to alter", |(_, set, delete)| {
                !set.is_empty() || !delete.is_empty()
            })
            .prop_map(|(topic, set, delete)| Command::AlterTopicConfig { topic, set, delete }),
        (text(), any::<bool>()).prop_map(|(name, rr)| Command::AddProducer {
            name,
            null_key: if rr {
                NullKeyStrategy::RoundRobin
            } else {
                NullKeyStrategy::Sticky
            },
        }),
        text().prop_map(|name| Command::RemoveProducer { name }),
        (
            proptest::option::of(text()),
            text(),
            proptest::option::of(any::<i64>()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::collection::vec((key(), text()), 0..3),
        )
            .prop_map(|(producer, topic, partition, key, value, headers)| {
                Command::Produce {
                    producer,
                    topic,
                    partition,
                    key,
                    value,
                    headers,
                }
            }),
        (
            text(),
            proptest::option::of((text(), any::<u32>(), any::<u32>(), text()))
        )
            .prop_map(|(producer, stream)| Command::SetProducerStream {
                producer,
                stream: stream.map(|(topic, millis, key_pool, key_prefix)| ProducerStream {
                    topic,
                    millirecords_per_second: millis,
                    key_pool,
                    key_prefix,
                }),
            }),
        (
            client(),
            text(),
            proptest::collection::vec(topic(), 1..3),
            configs()
        )
            .prop_map(
                |(client_id, group, topics, config)| Command::StartConsumer {
                    client_id,
                    group: Some(group),
                    topics,
                    assign: Vec::new(),
                    config,
                }
            ),
        (
            client(),
            proptest::option::of(text()),
            partitions(),
            configs()
        )
            .prop_map(
                |(client_id, group, assign, config)| Command::StartConsumer {
                    client_id,
                    group,
                    topics: Vec::new(),
                    assign,
                    config,
                }
            ),
        (client(), 0..7u8).prop_map(|(client_id, which)| match which {
            0 => Command::StopConsumer { client_id },
            1 => Command::CrashConsumer { client_id },
            2 => Command::RestartConsumer { client_id },
            3 => Command::RemoveConsumer { client_id },
            4 => Command::PauseConsumer { client_id },
            5 => Command::ResumeConsumer { client_id },
            _ => Command::CommitSync { client_id },
        }),
        (client(), key(), text()).prop_map(|(client_id, key, value)| {
            Command::SetConsumerConfig {
                client_id,
                key,
                value,
            }
        }),
        (
            client(),
            proptest::option::of((text(), any::<u32>())),
            seek_target()
        )
            .prop_map(|(client_id, partition, to)| Command::Seek {
                client_id,
                partition: partition.map(|(t, p)| TopicPartition::new(t, p)),
                to,
            }),
        (text(), reset_scope(), reset_spec(), any::<bool>()).prop_map(
            |(group, scope, spec, execute)| Command::ResetOffsets {
                group,
                scope,
                spec,
                execute
            }
        ),
        text().prop_map(|group| Command::DeleteGroup { group }),
        (
            text(),
            proptest::collection::vec((topic(), any::<u32>()), 1..5)
        )
            .prop_map(|(group, partitions)| Command::DeleteOffsets {
                group,
                partitions: partitions
                    .into_iter()
                    .map(|(t, p)| TopicPartition::new(t, p))
                    .collect(),
            }),
        proptest::option::of(text()).prop_map(|topic| Command::RunCleaner { topic }),
        proptest::option::of(text()).prop_map(|topic| Command::RunRetention { topic }),
        (text(), any::<u32>(), any::<i64>()).prop_map(|(t, p, before_offset)| {
            Command::DeleteRecords {
                partition: TopicPartition::new(t, p),
                before_offset,
            }
        }),
        (key(), text()).prop_map(|(key, value)| Command::SetBrokerConfig { key, value }),
        any::<u32>().prop_map(|ticks| Command::Advance { ticks }),
        (text(), any::<u64>()).prop_map(|(topic, records_per_partition)| Command::FillTopic {
            topic,
            records_per_partition
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_commands_read_back(command in command()) {
        prop_assert_eq!(round_trip(&command), Ok(()));
    }

    #[test]
    fn apply_command_applies_exactly_once(commands in proptest::collection::vec(command(), 1..8)) {
        // Long advances would only make the test slow.
        let commands: Vec<Command> = commands
            .into_iter()
            .map(|c| match c {
                Command::Advance { ticks } => Command::Advance { ticks: ticks % 50 },
                other => other,
            })
            .collect();
        let mut console = Console::default();
        for (i, command) in commands.iter().enumerate() {
            let _ = console.apply_command(command.clone());
            prop_assert_eq!(console.timeline().len(), i + 1);
        }
        prop_assert_eq!(console.timeline().commands(), commands);
    }
}
