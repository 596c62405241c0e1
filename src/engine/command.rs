//! Commands: what a user, a console line, a lesson or a URL asks the simulator to do.
//!
//! Commands are imperative and serializable, so a scenario is `(seed, Vec<Command>)`.

use serde::{Deserialize, Serialize};

use super::assign::Strategy;
use super::cluster::ElectionType;
use super::partitioner::NullKeyStrategy;
use super::replication::{Acks, BrokerId};
use super::txn::ProduceFault;
use super::types::TopicPartition;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Command {
    /// `kafka-topics --create`. `configs` are topic configs such as `retention.ms`.
    CreateTopic {
        name: String,
        partitions: i64,
        #[serde(default)]
        configs: Vec<(String, String)>,
    },
    /// `kafka-topics --delete`.
    DeleteTopic {
        name: String,
    },
    /// `kafka-topics --alter --partitions N`: the new total, which must be larger.
    AddPartitions {
        topic: String,
        total: i64,
    },
    /// `kafka-configs --alter`: set some configs and return others to their defaults.
    AlterTopicConfig {
        topic: String,
        #[serde(default)]
        set: Vec<(String, String)>,
        #[serde(default)]
        delete: Vec<String>,
    },
    /// Adds a named producer (a box on the diagram).
    AddProducer {
        name: String,
        #[serde(default)]
        null_key: NullKeyStrategy,
    },
    RemoveProducer {
        name: String,
    },
    /// Sends one record. Without a producer name the record comes from `console-producer`.
    Produce {
        #[serde(default)]
        producer: Option<String>,
        topic: String,
        #[serde(default)]
        partition: Option<i64>,
        #[serde(default)]
        key: Option<String>,
        #[serde(default)]
        value: Option<String>,
        #[serde(default)]
        headers: Vec<(String, String)>,
    },
    /// Starts or stops a producer's steady stream of records.
    SetProducerStream {
        producer: String,
        stream: Option<ProducerStream>,
    },
    /// Starts a consumer: a group member when `group` is set and `topics` is not empty
    /// (subscribe), a standalone reader of `assign` otherwise.
    StartConsumer {
        client_id: String,
        #[serde(default)]
        group: Option<String>,
        #[serde(default)]
        topics: Vec<String>,
        #[serde(default)]
        assign: Vec<TopicPartition>,
        #[serde(default)]
        config: Vec<(String, String)>,
    },
    /// Closes a consumer gracefully: commits (with auto-commit) and leaves its group
    /// (a static member does not send LeaveGroup).
    StopConsumer {
        client_id: String,
    },
    /// Kills a consumer's process: no commit, no LeaveGroup; the coordinator notices only
    /// after `session.timeout.ms` without heartbeats.
    CrashConsumer {
        client_id: String,
    },
    /// Starts a stopped or crashed consumer again with the same settings.
    RestartConsumer {
        client_id: String,
    },
    /// Removes a stopped or crashed consumer from the diagram.
    RemoveConsumer {
        client_id: String,
    },
    /// Sets a consumer config (`max.poll.records`, `enable.auto.commit`,
    /// `partition.assignment.strategy`, …) or the simulator's `processing.rate`.
    SetConsumerConfig {
        client_id: String,
        key: String,
        value: String,
    },
    PauseConsumer {
        client_id: String,
    },
    ResumeConsumer {
        client_id: String,
    },
    /// `consumer.seek…`: on one partition, or on every assigned partition when `None`.
    Seek {
        client_id: String,
        #[serde(default)]
        partition: Option<TopicPartition>,
        to: SeekTarget,
    },
    /// `consumer.commitSync()` of the current positions.
    CommitSync {
        client_id: String,
    },
    /// `kafka-consumer-groups --reset-offsets`; `execute: false` is a dry run.
    ResetOffsets {
        group: String,
        scope: ResetScope,
        spec: ResetSpec,
        execute: bool,
    },
    /// `kafka-consumer-groups --delete`.
    DeleteGroup {
        group: String,
    },
    /// `kafka-consumer-groups --delete-offsets`: removes the group's committed offsets of
    /// these partitions (the tool has already turned a bare `--topic t` into its partitions).
    DeleteOffsets {
        group: String,
        partitions: Vec<TopicPartition>,
    },
    /// Runs the log cleaner (compaction) now on one topic or on every compacted topic.
    RunCleaner {
        #[serde(default)]
        topic: Option<String>,
    },
    /// Runs the retention check now (Kafka runs it every `log.retention.check.interval.ms`).
    RunRetention {
        #[serde(default)]
        topic: Option<String>,
    },
    /// `kafka-delete-records`: moves the log start offset forward.
    DeleteRecords {
        partition: TopicPartition,
        before_offset: i64,
    },
    /// Appends `records_per_partition` synthetic records to every partition of a topic at
    /// once (for benchmarks and big demos): keys from a pool of 64, one shared value.
    FillTopic {
        topic: String,
        records_per_partition: u64,
    },
    /// Sets a broker config: `log.retention.check.interval.ms`,
    /// `group.initial.rebalance.delay.ms`.
    SetBrokerConfig {
        key: String,
        value: String,
    },
    /// Share groups and share consumers (KIP-932).
    Share(super::share_group::ShareCommand),
    /// Advances the simulated clock by `ticks` ticks (one tick is 100 ms).
    Advance {
        ticks: u32,
    },
    /// Sets a producer config (`enable.idempotence`, `acks`, `transactional.id`, …); the
    /// producer starts again as a new instance.
    SetProducerConfig {
        producer: String,
        key: String,
        value: String,
    },
    /// Makes a producer lose its requests or the broker's acknowledgements (`None`: no
    /// more), on every send or only on the next one (`once`).
    SetProducerFault {
        producer: String,
        fault: Option<ProduceFault>,
        #[serde(default)]
        once: bool,
    },
    /// A transactional producer's `initTransactions`, `beginTransaction`,
    /// `sendOffsetsToTransaction`, `commitTransaction` or `abortTransaction`.
    Transaction {
        producer: String,
        action: TxnAction,
    },
    /// `kafka-transactions abort`: an ABORT marker for the transaction open at
    /// `start_offset` on a partition.
    AbortHangingTransaction {
        partition: TopicPartition,
        start_offset: i64,
    },
    /// `kafka-topics --create` with `--replication-factor` or `--replica-assignment`
    /// (each partition's broker list, which sets the partition count).
    CreateTopicOnReplicas {
        name: String,
        partitions: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replication_factor: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assignment: Option<Vec<Vec<BrokerId>>>,
        #[serde(default)]
        configs: Vec<(String, String)>,
    },
    /// `broker add`: one more broker, with the next node id.
    AddBroker,
    /// `broker stop N`: a controlled shutdown.
    StopBroker {
        broker: BrokerId,
    },
    /// `broker crash N`: the process dies; the controller fences it after its session.
    CrashBroker {
        broker: BrokerId,
    },
    /// `broker start N`.
    StartBroker {
        broker: BrokerId,
    },
    /// `broker slow N f`: its followers copy at 1/f of the normal rate.
    SlowBroker {
        broker: BrokerId,
        factor: u32,
    },
    /// `kafka-leader-election`: on these partitions, or on all (`None`).
    ElectLeaders {
        election: ElectionType,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        partitions: Option<Vec<TopicPartition>>,
    },
    /// A producer's `acks` (`--producer-property acks=…`, `--request-required-acks`).
    SetProducerAcks {
        producer: String,
        acks: Acks,
    },
    /// A consume-transform-produce pipeline: add, crash, start, stop.
    Pipeline(super::txn::pipeline::PipelineCommand),
}

/// What a transactional producer does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TxnAction {
    Init,
    Begin,
    /// The consumer's positions, for its group, count when the transaction commits.
    SendOffsets {
        consumer: String,
    },
    Commit,
    Abort,
}

/// A producer's steady stream: `records_per_second` records to `topic`, keys drawn from
/// `key_pool` (`None`: no key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerStream {
    pub topic: String,
    /// Records per simulated second, in thousandths (1000 = one record a second).
    pub millirecords_per_second: u32,
    /// Keys are `key-prefix` + a number below this; 0 means records have no key.
    pub key_pool: u32,
    #[serde(default)]
    pub key_prefix: String,
}

/// Where a seek goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeekTarget {
    Beginning,
    End,
    Offset(i64),
    /// The earliest offset whose timestamp is at or after this simulated time (ms).
    Timestamp(i64),
}

/// Which partitions `--reset-offsets` touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetScope {
    /// `--all-topics`: every topic the group has committed offsets for.
    AllTopics,
    /// `--topic t` or `--topic t:0,1`.
    Topics(Vec<(String, Option<Vec<u32>>)>),
}

/// `--reset-offsets` specs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetSpec {
    ToEarliest,
    ToLatest,
    ToCurrent,
    ToOffset(i64),
    ShiftBy(i64),
    /// `--to-datetime`, as simulated milliseconds.
    ToDatetime(i64),
    /// `--by-duration`: now minus this many milliseconds.
    ByDuration(i64),
}

/// The assignor list a consumer is configured with, as `partition.assignment.strategy`.
pub type AssignorList = Vec<Strategy>;
