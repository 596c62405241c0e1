//! Read-model facts about idempotent and transactional producers (SEMANTICS-4 §D): per
//! partition the last stable offset, the open transactions and the markers; per
//! `transactional.id` the coordinator's view; per partition the producers a leader remembers
//! (what `kafka-transactions describe-producers` lists). The console, the diagram and the
//! lessons format these; nothing is derived twice.

use crate::engine::transactions::TxnState;
use crate::engine::{Engine, TopicPartition};

/// A marker in a partition's log: it takes an offset but holds no record a reader gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    pub offset: i64,
    pub commit: bool,
}

/// A partition's transactional facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionTxnFacts {
    pub last_stable_offset: i64,
    pub high_watermark: i64,
    /// Open transactions: producer id and first offset, oldest first.
    pub open: Vec<(i64, i64)>,
    pub markers: Vec<Marker>,
}

/// The facts of one partition, or `None` if it does not exist.
pub fn partition_facts(engine: &Engine, tp: &TopicPartition) -> Option<PartitionTxnFacts> {
    let log = engine.partition_log(tp)?;
    let mut open = log.txn.producers.open_transactions();
    open.sort_by_key(|&(pid, first)| (first, pid));
    Some(PartitionTxnFacts {
        last_stable_offset: log.last_stable_offset(),
        high_watermark: log.high_watermark(),
        open,
        markers: log
            .txn
            .marker_kinds
            .iter()
            .map(|(&offset, &commit)| Marker { offset, commit })
            .collect(),
    })
}

/// The markers of a partition with offsets in `[from, to)`, for drawing a window of a lane.
pub fn markers_in_range(engine: &Engine, tp: &TopicPartition, from: i64, to: i64) -> Vec<Marker> {
    engine.partition_log(tp).map_or_else(Vec::new, |log| {
        log.txn
            .marker_kinds
            .range(from..to.max(from))
            .map(|(&offset, &commit)| Marker { offset, commit })
            .collect()
    })
}

/// A `transactional.id` as the coordinator sees it (`kafka-transactions describe`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionFacts {
    pub transactional_id: String,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub state: TxnState,
    pub timeout_ms: i64,
    pub start_ms: Option<i64>,
    pub duration_ms: Option<i64>,
    /// The partitions of the open transaction, in order.
    pub partitions: Vec<TopicPartition>,
}

/// Every `transactional.id` the coordinator knows, by id.
pub fn transactions(engine: &Engine) -> Vec<TransactionFacts> {
    let now_ms = engine.now_ms();
    engine
        .transactions
        .transactions
        .values()
        .map(|meta| TransactionFacts {
            transactional_id: meta.transactional_id.clone(),
            producer_id: meta.producer.producer_id,
            producer_epoch: meta.producer.epoch,
            state: meta.state,
            timeout_ms: meta.timeout_ms,
            start_ms: meta.start_ms,
            duration_ms: meta.start_ms.map(|s| now_ms - s),
            partitions: meta
                .partitions
                .iter()
                .map(|(t, p)| TopicPartition::new(t.clone(), *p))
                .collect(),
        })
        .collect()
}

/// A producer a partition leader remembers (`kafka-transactions describe-producers`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerFacts {
    pub producer_id: i64,
    pub producer_epoch: i16,
    /// The coordinator epoch of the last marker written for it (`None`: none yet).
    pub coordinator_epoch: Option<i32>,
    pub last_sequence: i32,
    pub last_timestamp_ms: i64,
    pub current_transaction_start_offset: Option<i64>,
}

/// The producers a partition's leader remembers, by producer id.
pub fn producers(engine: &Engine, tp: &TopicPartition) -> Vec<ProducerFacts> {
    let Some(log) = engine.partition_log(tp) else {
        return Vec::new();
    };
    log.txn
        .producers
        .producers
        .iter()
        .map(|(&pid, entry)| ProducerFacts {
            producer_id: pid,
            producer_epoch: entry.epoch,
            // One coordinator, never moved: epoch 0 once a marker was written.
            coordinator_epoch: log.txn.marked_producers.contains(&pid).then_some(0),
            last_sequence: entry.batches.back().map_or(-1, |b| b.last_sequence),
            last_timestamp_ms: entry.last_timestamp_ms,
            current_transaction_start_offset: entry.transaction_first_offset,
        })
        .collect()
}

/// How a lane draws a transactional record: still in an open transaction, or aborted (a
/// committed one, or one written without a transaction, is drawn as usual).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordTxnState {
    Open,
    Aborted,
}

/// What a lane draws of transactions in its window: the last stable offset, the markers,
/// and the records of open and aborted transactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneTxn {
    pub last_stable_offset: i64,
    pub high_watermark: i64,
    pub markers: Vec<Marker>,
    /// Records of open or aborted transactions, by offset.
    pub records: Vec<(i64, RecordTxnState)>,
}

/// The transactional facts of a lane's drawn offsets (`runs`, each `[from, to)`), or `None`
/// when no transaction ever wrote to the partition (the lane is then drawn as before).
/// O(markers and transactional records in the runs + open transactions).
pub fn lane_txn(engine: &Engine, tp: &TopicPartition, runs: &[(i64, i64)]) -> Option<LaneTxn> {
    let log = engine.partition_log(tp)?;
    let txn = &log.txn;
    if txn.transactional_writers.is_empty() && txn.marker_kinds.is_empty() {
        return None;
    }
    let open = txn.producers.open_transactions();
    let mut markers = Vec::new();
    let mut records = Vec::new();
    for &(from, to) in runs {
        let to = to.max(from);
        markers.extend(
            txn.marker_kinds
                .range(from..to)
                .map(|(&offset, &commit)| Marker { offset, commit }),
        );
        for (&offset, &writer) in txn.transactional_writers.range(from..to) {
            if open
                .iter()
                .any(|&(pid, first)| pid == writer && offset >= first)
            {
                records.push((offset, RecordTxnState::Open));
            } else if !txn.visible_committed(offset) {
                records.push((offset, RecordTxnState::Aborted));
            }
        }
    }
    Some(LaneTxn {
        last_stable_offset: log.last_stable_offset(),
        high_watermark: log.high_watermark(),
        markers,
        records,
    })
}
