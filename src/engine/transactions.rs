//! Idempotent and transactional producers (SEMANTICS-4 §D): a partition leader's producer
//! state (duplicate detection by sequence, order and epoch checks), its transaction index (open
//! transactions, markers, the last stable offset, aborted ranges and what a `read_committed`
//! reader sees), and the transaction coordinator's state per `transactional.id` (init with an
//! epoch bump that fences an older instance, commit and abort, the timeout).
//!
//! Pure: offsets are the caller's log's; this module decides what is appended and what is
//! visible.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

/// `NUM_BATCHES_TO_RETAIN`: the batches a leader remembers per producer for duplicates.
pub const BATCHES_RETAINED: usize = 5;
/// `transaction.timeout.ms` (60 s).
pub const TRANSACTION_TIMEOUT_MS: i64 = 60_000;
/// `transaction.abort.timed.out.transaction.cleanup.interval.ms` (10 s).
pub const TIMEOUT_CHECK_INTERVAL_MS: i64 = 10_000;

/// A producer id with its epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProducerIdEpoch {
    pub producer_id: i64,
    pub epoch: i16,
}

/// A batch the leader remembers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchMetadata {
    pub first_sequence: i32,
    pub last_sequence: i32,
    pub first_offset: i64,
    pub last_offset: i64,
}

/// What the leader makes of a produce batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppendCheck {
    /// Append it.
    Append,
    /// Already in the log: answer with its original offsets, append nothing.
    Duplicate { first_offset: i64, last_offset: i64 },
    /// `OUT_OF_ORDER_SEQUENCE_NUMBER`: a gap before this batch.
    OutOfOrder { expected: i32 },
    /// `INVALID_PRODUCER_EPOCH`: an older epoch (a fenced producer).
    InvalidEpoch { current: i16 },
}

/// One producer's state on one partition (`ProducerStateEntry`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerEntry {
    pub epoch: i16,
    pub batches: VecDeque<BatchMetadata>,
    /// The first offset of its open transaction here, if one is open.
    pub transaction_first_offset: Option<i64>,
    pub last_timestamp_ms: i64,
}

/// A transaction whose ABORT marker was written: readers in `read_committed` drop its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbortedTxn {
    pub producer_id: i64,
    pub first_offset: i64,
    pub last_offset: i64,
}

/// A partition leader's producer and transaction state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PartitionProducers {
    pub producers: BTreeMap<i64, ProducerEntry>,
    pub aborted: Vec<AbortedTxn>,
    /// Offsets that hold a commit or abort marker.
    pub markers: BTreeSet<i64>,
}

impl PartitionProducers {
    /// `analyzeAndValidateProducerState` for a batch of `count` records from `sequence` on.
    pub fn check(&self, producer: ProducerIdEpoch, sequence: i32, count: i32) -> AppendCheck {
        let Some(entry) = self.producers.get(&producer.producer_id) else {
            return if sequence == 0 {
                AppendCheck::Append
            } else {
                AppendCheck::OutOfOrder { expected: 0 }
            };
        };
        if producer.epoch < entry.epoch {
            return AppendCheck::InvalidEpoch {
                current: entry.epoch,
            };
        }
        if producer.epoch > entry.epoch {
            // A new epoch starts its sequences again at 0.
            return if sequence == 0 {
                AppendCheck::Append
            } else {
                AppendCheck::OutOfOrder { expected: 0 }
            };
        }
        let last = sequence.saturating_add(count.max(1) - 1);
        if let Some(b) = entry
            .batches
            .iter()
            .find(|b| b.first_sequence == sequence && b.last_sequence == last)
        {
            return AppendCheck::Duplicate {
                first_offset: b.first_offset,
                last_offset: b.last_offset,
            };
        }
        let expected = entry
            .batches
            .back()
            .map_or(0, |b| b.last_sequence.wrapping_add(1));
        if sequence != expected {
            return AppendCheck::OutOfOrder { expected };
        }
        AppendCheck::Append
    }

    /// Records an appended batch (after [`check`](Self::check) said `Append`).
    pub fn appended(
        &mut self,
        producer: ProducerIdEpoch,
        sequence: i32,
        first_offset: i64,
        last_offset: i64,
        transactional: bool,
        now_ms: i64,
    ) {
        let entry = self
            .producers
            .entry(producer.producer_id)
            .or_insert(ProducerEntry {
                epoch: producer.epoch,
                batches: VecDeque::new(),
                transaction_first_offset: None,
                last_timestamp_ms: now_ms,
            });
        if producer.epoch > entry.epoch {
            entry.epoch = producer.epoch;
            entry.batches.clear();
        }
        let count = (last_offset - first_offset).clamp(0, i64::from(i32::MAX - 1)) as i32;
        entry.batches.push_back(BatchMetadata {
            first_sequence: sequence,
            last_sequence: sequence.saturating_add(count),
            first_offset,
            last_offset,
        });
        while entry.batches.len() > BATCHES_RETAINED {
            entry.batches.pop_front();
        }
        if transactional && entry.transaction_first_offset.is_none() {
            entry.transaction_first_offset = Some(first_offset);
        }
        entry.last_timestamp_ms = now_ms;
    }

    /// A commit or abort marker written at `offset` for `producer`: its open transaction here
    /// ends. Returns whether one was open.
    pub fn marker(&mut self, producer: ProducerIdEpoch, offset: i64, commit: bool) -> bool {
        self.markers.insert(offset);
        let Some(entry) = self.producers.get_mut(&producer.producer_id) else {
            return false;
        };
        if producer.epoch > entry.epoch {
            // `maybeUpdateProducerHigherEpoch`: the older epoch's batches are forgotten, so a
            // new epoch's sequence 0 is not taken for a retry of the old one's.
            entry.epoch = producer.epoch;
            entry.batches.clear();
        }
        let Some(first) = entry.transaction_first_offset.take() else {
            return false;
        };
        if !commit {
            self.aborted.push(AbortedTxn {
                producer_id: producer.producer_id,
                first_offset: first,
                last_offset: offset,
            });
        }
        true
    }

    /// `lastStableOffset`: the first offset of the oldest open transaction, at most the HW.
    pub fn last_stable_offset(&self, high_watermark: i64) -> i64 {
        self.producers
            .values()
            .filter_map(|e| e.transaction_first_offset)
            .min()
            .map_or(high_watermark, |first| first.min(high_watermark))
    }

    /// Open transactions on this partition: producer id and first offset.
    pub fn open_transactions(&self) -> Vec<(i64, i64)> {
        self.producers
            .iter()
            .filter_map(|(&pid, e)| e.transaction_first_offset.map(|f| (pid, f)))
            .collect()
    }

    /// Whether a `read_committed` reader returns the record at `offset` written by
    /// `producer_id` (`None` for a non-transactional record): not a marker, not aborted.
    pub fn visible_committed(&self, offset: i64, producer_id: Option<i64>) -> bool {
        if self.markers.contains(&offset) {
            return false;
        }
        let Some(pid) = producer_id else {
            return true;
        };
        !self
            .aborted
            .iter()
            .any(|a| a.producer_id == pid && a.first_offset <= offset && offset <= a.last_offset)
    }
}

/// `TransactionState` at the coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TxnState {
    Empty,
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
    PrepareEpochFence,
    Dead,
}

impl TxnState {
    /// The name `kafka-transactions` prints.
    pub fn name(self) -> &'static str {
        match self {
            TxnState::Empty => "Empty",
            TxnState::Ongoing => "Ongoing",
            TxnState::PrepareCommit => "PrepareCommit",
            TxnState::PrepareAbort => "PrepareAbort",
            TxnState::CompleteCommit => "CompleteCommit",
            TxnState::CompleteAbort => "CompleteAbort",
            TxnState::PrepareEpochFence => "PrepareEpochFence",
            TxnState::Dead => "Dead",
        }
    }
}

/// A coordinator's refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TxnError {
    /// `PRODUCER_FENCED`: an older epoch of a producer a newer instance replaced.
    ProducerFenced,
    /// `CONCURRENT_TRANSACTIONS`: the previous transaction is still completing.
    ConcurrentTransactions,
    /// `INVALID_TXN_STATE`: e.g. commit with no transaction.
    InvalidTxnState,
}

impl TxnError {
    pub fn code(self) -> &'static str {
        match self {
            TxnError::ProducerFenced => "PRODUCER_FENCED",
            TxnError::ConcurrentTransactions => "CONCURRENT_TRANSACTIONS",
            TxnError::InvalidTxnState => "INVALID_TXN_STATE",
        }
    }
}

/// The coordinator's record of one `transactional.id` (`TransactionMetadata`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionMetadata {
    pub transactional_id: String,
    pub producer: ProducerIdEpoch,
    pub state: TxnState,
    pub timeout_ms: i64,
    /// When the current transaction began (its first partition).
    pub start_ms: Option<i64>,
    /// The partitions the current transaction wrote to (topic, partition).
    pub partitions: BTreeSet<(String, u32)>,
    /// Offsets sent to the transaction for this group.
    pub offsets_group: Option<String>,
}

/// The markers an `EndTxn` writes: to each partition, for this producer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndTxn {
    pub producer: ProducerIdEpoch,
    pub commit: bool,
    pub partitions: BTreeSet<(String, u32)>,
    pub offsets_group: Option<String>,
}

impl TransactionMetadata {
    /// `InitProducerId` for a new id.
    pub fn new(transactional_id: &str, producer_id: i64, timeout_ms: i64) -> Self {
        Self {
            transactional_id: transactional_id.to_string(),
            producer: ProducerIdEpoch {
                producer_id,
                epoch: 0,
            },
            state: TxnState::Empty,
            timeout_ms,
            start_ms: None,
            partitions: BTreeSet::new(),
            offsets_group: None,
        }
    }

    /// `InitProducerId` by a new instance: the epoch goes up, fencing the old one; a
    /// transaction the old one left open is aborted first, its markers written with the
    /// fencing epoch, and the new instance gets the epoch after that (as the 4.4.0 broker
    /// answers under TV2: two bumps when a transaction was open).
    pub fn init(&mut self) -> (ProducerIdEpoch, Option<EndTxn>) {
        let open = matches!(self.state, TxnState::Ongoing).then(|| {
            self.bump();
            self.end_markers(false)
        });
        self.bump();
        self.state = TxnState::Empty;
        self.start_ms = None;
        self.partitions.clear();
        self.offsets_group = None;
        (self.producer, open)
    }

    fn bump(&mut self) {
        self.producer.epoch = self.producer.epoch.saturating_add(1);
    }

    fn check_epoch(&self, producer: ProducerIdEpoch) -> Result<(), TxnError> {
        if producer.producer_id != self.producer.producer_id || producer.epoch < self.producer.epoch
        {
            return Err(TxnError::ProducerFenced);
        }
        Ok(())
    }

    /// A write to a partition inside the transaction (TV2: the leader adds it).
    pub fn add_partition(
        &mut self,
        producer: ProducerIdEpoch,
        topic: &str,
        partition: u32,
        now_ms: i64,
    ) -> Result<(), TxnError> {
        self.check_epoch(producer)?;
        match self.state {
            TxnState::Empty | TxnState::CompleteCommit | TxnState::CompleteAbort => {
                self.state = TxnState::Ongoing;
                self.start_ms = Some(now_ms);
                self.partitions.clear();
                self.offsets_group = None;
            }
            TxnState::Ongoing => {}
            TxnState::PrepareCommit | TxnState::PrepareAbort | TxnState::PrepareEpochFence => {
                return Err(TxnError::ConcurrentTransactions)
            }
            TxnState::Dead => return Err(TxnError::InvalidTxnState),
        }
        self.partitions.insert((topic.to_string(), partition));
        Ok(())
    }

    /// `sendOffsetsToTransaction`: the group's offsets count only if the transaction commits.
    pub fn add_offsets(
        &mut self,
        producer: ProducerIdEpoch,
        group: &str,
        now_ms: i64,
    ) -> Result<(), TxnError> {
        self.check_epoch(producer)?;
        if self.state != TxnState::Ongoing {
            if matches!(self.state, TxnState::PrepareCommit | TxnState::PrepareAbort) {
                return Err(TxnError::ConcurrentTransactions);
            }
            self.state = TxnState::Ongoing;
            self.start_ms = Some(now_ms);
            self.partitions.clear();
        }
        self.offsets_group = Some(group.to_string());
        Ok(())
    }

    /// `EndTxn`: the markers to write; the state completes and, under TV2, the epoch goes up.
    pub fn end(&mut self, producer: ProducerIdEpoch, commit: bool) -> Result<EndTxn, TxnError> {
        self.check_epoch(producer)?;
        match self.state {
            TxnState::Ongoing => {}
            // An empty transaction ends with nothing to write.
            TxnState::Empty | TxnState::CompleteCommit | TxnState::CompleteAbort if !commit => {
                return Ok(EndTxn {
                    producer: self.producer,
                    commit,
                    partitions: BTreeSet::new(),
                    offsets_group: None,
                })
            }
            _ => return Err(TxnError::InvalidTxnState),
        }
        // TV2: the epoch goes up and the markers carry the new one.
        self.bump();
        let markers = self.end_markers(commit);
        self.state = if commit {
            TxnState::CompleteCommit
        } else {
            TxnState::CompleteAbort
        };
        // The completed transaction keeps its start time (`describe` still shows it); its
        // partitions are cleared.
        self.partitions.clear();
        Ok(markers)
    }

    fn end_markers(&self, commit: bool) -> EndTxn {
        EndTxn {
            producer: self.producer,
            commit,
            partitions: self.partitions.clone(),
            offsets_group: self.offsets_group.clone(),
        }
    }

    /// The coordinator's periodic check: a transaction open longer than its timeout is
    /// aborted with an epoch bump, fencing the producer that opened it.
    pub fn abort_if_timed_out(&mut self, now_ms: i64) -> Option<EndTxn> {
        let started = self.start_ms?;
        if self.state != TxnState::Ongoing || now_ms.saturating_sub(started) <= self.timeout_ms {
            return None;
        }
        let markers = EndTxn {
            producer: ProducerIdEpoch {
                epoch: self.producer.epoch.saturating_add(1),
                ..self.producer
            },
            ..self.end_markers(false)
        };
        // The fence bump, then TV2's bump for the completed transaction.
        self.bump();
        self.bump();
        self.state = TxnState::CompleteAbort;
        self.partitions.clear();
        Some(markers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ProducerIdEpoch = ProducerIdEpoch {
        producer_id: 7,
        epoch: 0,
    };

    #[test]
    fn a_retried_batch_is_recognised_and_answered_with_its_first_offsets() {
        let mut state = PartitionProducers::default();
        assert_eq!(state.check(P, 0, 3), AppendCheck::Append);
        state.appended(P, 0, 10, 12, false, 0);
        // The acknowledgement was lost; the producer sends the same batch again.
        assert_eq!(
            state.check(P, 0, 3),
            AppendCheck::Duplicate {
                first_offset: 10,
                last_offset: 12
            }
        );
        assert_eq!(state.check(P, 3, 1), AppendCheck::Append);
        assert_eq!(
            state.check(P, 5, 1),
            AppendCheck::OutOfOrder { expected: 3 }
        );
    }

    #[test]
    fn only_the_last_five_batches_are_remembered() {
        let mut state = PartitionProducers::default();
        for i in 0..6 {
            state.appended(P, i, i64::from(i), i64::from(i), false, 0);
        }
        assert_eq!(
            state.check(P, 0, 1),
            AppendCheck::OutOfOrder { expected: 6 }
        );
        assert!(matches!(
            state.check(P, 1, 1),
            AppendCheck::Duplicate { .. }
        ));
    }

    #[test]
    fn an_older_epoch_is_refused_and_a_new_one_starts_at_zero() {
        let mut state = PartitionProducers::default();
        let new = ProducerIdEpoch { epoch: 1, ..P };
        state.appended(new, 0, 0, 0, false, 0);
        assert_eq!(
            state.check(P, 1, 1),
            AppendCheck::InvalidEpoch { current: 1 }
        );
        let newer = ProducerIdEpoch { epoch: 2, ..P };
        assert_eq!(state.check(newer, 0, 1), AppendCheck::Append);
        assert_eq!(
            state.check(newer, 1, 1),
            AppendCheck::OutOfOrder { expected: 0 }
        );
    }

    #[test]
    fn the_last_stable_offset_waits_for_the_oldest_open_transaction() {
        let mut state = PartitionProducers::default();
        let other = ProducerIdEpoch {
            producer_id: 8,
            epoch: 0,
        };
        state.appended(P, 0, 0, 2, true, 0);
        state.appended(other, 0, 3, 3, true, 0);
        assert_eq!(state.last_stable_offset(4), 0);
        // P commits (marker at 4), the other aborts (marker at 5).
        assert!(state.marker(P, 4, true));
        assert_eq!(state.last_stable_offset(5), 3);
        assert!(state.marker(other, 5, false));
        assert_eq!(state.last_stable_offset(6), 6);
        // read_committed: P's records and the plain ones are seen; markers and the aborted
        // record are not.
        assert!(state.visible_committed(1, Some(7)));
        assert!(!state.visible_committed(3, Some(8)));
        assert!(!state.visible_committed(4, Some(7)));
        assert!(state.visible_committed(6, None));
    }

    #[test]
    fn a_new_instance_fences_the_old_and_aborts_what_it_left_open() {
        let mut txn = TransactionMetadata::new("etl", 7, TRANSACTION_TIMEOUT_MS);
        let (first, none) = txn.init();
        assert_eq!(first.epoch, 1);
        assert!(none.is_none());
        txn.add_partition(first, "out", 0, 0).unwrap();
        txn.add_partition(first, "out", 1, 0).unwrap();
        assert_eq!(txn.state, TxnState::Ongoing);
        // A second instance starts: the open transaction is aborted, the epoch goes up.
        let (second, aborted) = txn.init();
        assert_eq!(second.epoch, 3, "the fence's bump, then the new instance's");
        let aborted = aborted.expect("the open transaction");
        assert!(!aborted.commit);
        assert_eq!(aborted.partitions.len(), 2);
        // The zombie is fenced.
        assert_eq!(
            txn.add_partition(first, "out", 0, 10),
            Err(TxnError::ProducerFenced)
        );
        assert_eq!(txn.end(first, true), Err(TxnError::ProducerFenced));
    }

    #[test]
    fn every_transaction_bumps_the_epoch_and_a_commit_needs_an_open_one() {
        let mut txn = TransactionMetadata::new("etl", 7, TRANSACTION_TIMEOUT_MS);
        let (mut producer, _) = txn.init();
        assert_eq!(txn.end(producer, true), Err(TxnError::InvalidTxnState));
        txn.add_partition(producer, "out", 0, 0).unwrap();
        txn.add_offsets(producer, "g", 0).unwrap();
        let end = txn.end(producer, true).unwrap();
        assert!(end.commit);
        assert_eq!(end.offsets_group.as_deref(), Some("g"));
        assert_eq!(txn.state, TxnState::CompleteCommit);
        assert_eq!(
            txn.producer.epoch,
            producer.epoch + 1,
            "TV2 bumps after every transaction"
        );
        producer = txn.producer;
        txn.add_partition(producer, "out", 0, 100).unwrap();
        assert_eq!(txn.state, TxnState::Ongoing);
    }

    #[test]
    fn a_transaction_open_too_long_is_aborted_by_the_coordinator() {
        let mut txn = TransactionMetadata::new("etl", 7, 60_000);
        let (producer, _) = txn.init();
        txn.add_partition(producer, "out", 0, 1_000).unwrap();
        assert!(txn.abort_if_timed_out(61_000).is_none());
        let aborted = txn.abort_if_timed_out(61_001).expect("timed out");
        assert!(!aborted.commit);
        assert_eq!(txn.state, TxnState::CompleteAbort);
        assert_eq!(txn.end(producer, true), Err(TxnError::ProducerFenced));
    }
}
