//! Idempotent and transactional producers wired into the engine (SEMANTICS-4 §D): a
//! producer's configs and the cases where Kafka's client turns idempotence off or refuses a
//! config ([`config`]), its producer id, epoch and sequence numbers, lost requests and lost
//! acknowledgements with retries ([`send`]), transactions at the coordinator with their
//! markers, offsets sent to a transaction and the timeout ([`coordinator`]), and what a
//! `read_committed` or `read_uncommitted` fetch returns ([`fetch`]).
//!
//! The pure rules (sequence checks, the last stable offset, aborted ranges, the
//! coordinator's states) are in [`super::transactions`]; this module applies them to the
//! engine's logs, producers and groups.

pub mod config;
pub mod coordinator;
pub mod event;
pub mod fetch;
pub mod pipeline;
pub mod send;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use self::config::ProducerConfigs;
pub use self::event::TxnEvent;
use super::transactions::{PartitionProducers, ProducerIdEpoch, TransactionMetadata};
use super::types::TopicPartition;

/// A consumer's `isolation.level` (the Java client's default is `read_uncommitted`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IsolationLevel {
    #[default]
    ReadUncommitted,
    ReadCommitted,
}

impl IsolationLevel {
    /// Parses Kafka's config value.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "read_uncommitted" => Some(Self::ReadUncommitted),
            "read_committed" => Some(Self::ReadCommitted),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadUncommitted => "read_uncommitted",
            Self::ReadCommitted => "read_committed",
        }
    }
}

/// A partition leader's transactional state: the pure producer state and, for each
/// transactional record, which producer wrote it (so an abort drops only that producer's
/// records).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PartitionTxn {
    pub producers: PartitionProducers,
    /// Offset → producer id, for records written inside a transaction.
    pub transactional_writers: BTreeMap<i64, i64>,
    /// Offset → whether the marker there commits (true) or aborts.
    pub marker_kinds: BTreeMap<i64, bool>,
    /// Producers a marker was written for here (their coordinator epoch is known).
    pub marked_producers: BTreeSet<i64>,
}

impl PartitionTxn {
    /// Whether a `read_committed` reader is given the record at `offset`.
    pub fn visible_committed(&self, offset: i64) -> bool {
        let writer = self.transactional_writers.get(&offset).copied();
        self.producers.visible_committed(offset, writer)
    }

    /// Notes a commit or abort marker written at `offset` for `producer`.
    pub fn record_marker(&mut self, producer: ProducerIdEpoch, offset: i64, commit: bool) {
        self.producers.marker(producer, offset, commit);
        self.marker_kinds.insert(offset, commit);
        self.marked_producers.insert(producer.producer_id);
    }

    /// Whether `offset` holds a commit or abort marker.
    pub fn is_marker(&self, offset: i64) -> bool {
        self.producers.markers.contains(&offset)
    }
}

/// What a producer loses on its next sends (the simulator's fault injection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProduceFault {
    /// The produce request never reaches the broker: nothing is appended.
    LoseRequest,
    /// The broker appends, but its acknowledgement never reaches the producer.
    LoseAck,
}

impl ProduceFault {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "lose-request" => Some(Self::LoseRequest),
            "lose-ack" => Some(Self::LoseAck),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LoseRequest => "lose-request",
            Self::LoseAck => "lose-ack",
        }
    }
}

/// The client's `TransactionManager.State`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ClientTxnState {
    #[default]
    Uninitialized,
    Ready,
    InTransaction,
    /// A send failed inside the transaction: only an abort is possible.
    AbortableError,
    /// Fenced by a newer instance (or by the coordinator's timeout): the producer is dead.
    FatalError,
}

impl ClientTxnState {
    /// The name Kafka's messages use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Uninitialized => "UNINITIALIZED",
            Self::Ready => "READY",
            Self::InTransaction => "IN_TRANSACTION",
            Self::AbortableError => "ABORTABLE_ERROR",
            Self::FatalError => "FATAL_ERROR",
        }
    }
}

/// A producer's idempotence and transaction state, kept on the producer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProducerTxn {
    pub configs: ProducerConfigs,
    /// The producer id and epoch from InitProducerId (`None` before the first send of an
    /// idempotent producer, or before `initTransactions`).
    pub identity: Option<ProducerIdEpoch>,
    /// The next sequence number per partition.
    pub sequences: BTreeMap<TopicPartition, i32>,
    pub state: ClientTxnState,
    /// Lost on every send until cleared.
    pub fault: Option<ProduceFault>,
    /// Lost on the next send's first attempt only.
    pub fault_once: Option<ProduceFault>,
    /// Sends retried, and copies the broker recognised as duplicates, so far.
    pub retries_total: u64,
    pub duplicates_dropped: u64,
    /// The exception that put a transactional producer in its abortable error state.
    #[serde(default)]
    pub last_error: Option<String>,
}

/// The transaction coordinator and the producer id allocator of the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TxnCoordinator {
    pub next_producer_id: i64,
    /// Per `transactional.id`.
    pub transactions: BTreeMap<String, TransactionMetadata>,
    /// Offsets sent to the open transaction of a `transactional.id`: the group and its
    /// offsets, committed only with the transaction.
    pub pending_offsets: BTreeMap<String, (String, BTreeMap<TopicPartition, i64>)>,
    /// The producer (on the diagram) that last initialised each `transactional.id`.
    pub owners: BTreeMap<String, String>,
    /// When the coordinator last looked for timed-out transactions.
    pub last_timeout_check_ms: Option<i64>,
}

impl TxnCoordinator {
    /// A fresh producer id (Kafka's controller hands them out in blocks from 0).
    pub fn allocate_producer_id(&mut self) -> i64 {
        let id = self.next_producer_id;
        self.next_producer_id = self.next_producer_id.saturating_add(1);
        id
    }
}
