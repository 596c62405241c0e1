//! A partition's log: segments of records with offsets that never change.
//!
//! Follows SEMANTICS.md §3 (offsets, log start offset, out-of-range fetches) and §4
//! (segments, retention, compaction). The log is a list of segments; only the last
//! (active) one takes appends. Closed segments are immutable and shared by `Arc`, so
//! cloning a log for a time-travel snapshot costs O(segments) plus one short chunk of
//! the active segment.
//!
//! With one replica and no transactions the high watermark equals the log end offset.

mod segment;
#[cfg(test)]
mod tests;
mod truncate;

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use self::segment::Segment;
use super::txn::{IsolationLevel, PartitionTxn};
use super::types::Record;

/// Topic configs that shape a partition's log (Kafka's `LogConfig`), in milliseconds and bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogConfig {
    /// `retention.ms`: segments older than this are deleted; −1 turns time retention off.
    pub retention_ms: i64,
    /// `retention.bytes`, per partition; −1 turns size retention off.
    pub retention_bytes: i64,
    /// `segment.bytes`: the size at which the active segment rolls.
    pub segment_bytes: i64,
    /// `segment.ms`: the age (by record timestamps) at which the active segment rolls.
    pub segment_ms: i64,
    pub cleanup_policy: CleanupPolicy,
    /// `delete.retention.ms`: how long a tombstone survives after it was first cleaned.
    pub delete_retention_ms: i64,
    /// `min.compaction.lag.ms`: records younger than this are not compacted.
    pub min_compaction_lag_ms: i64,
}

impl Default for LogConfig {
    /// Kafka's defaults (`LogConfig.java`).
    fn default() -> Self {
        Self {
            retention_ms: 7 * 24 * 3_600_000,
            retention_bytes: -1,
            segment_bytes: 1 << 30,
            segment_ms: 7 * 24 * 3_600_000,
            cleanup_policy: CleanupPolicy::Delete,
            delete_retention_ms: 24 * 3_600_000,
            min_compaction_lag_ms: 0,
        }
    }
}

impl LogConfig {
    /// Checks the configs against Kafka's lower bounds. The log itself never relies on
    /// this: it treats nonsense values defensively (see the `effective_` methods).
    pub fn validate(&self) -> Result<(), String> {
        let checks = [
            ("retention.ms", self.retention_ms, -1),
            ("retention.bytes", self.retention_bytes, -1),
            ("segment.bytes", self.segment_bytes, 1),
            ("segment.ms", self.segment_ms, 1),
            ("delete.retention.ms", self.delete_retention_ms, 0),
            ("min.compaction.lag.ms", self.min_compaction_lag_ms, 0),
        ];
        for (name, value, min) in checks {
            if value < min {
                return Err(format!(
                    "Invalid value {value} for configuration {name}: Value must be at least {min}"
                ));
            }
        }
        Ok(())
    }

    /// `segment.bytes`, at least 1.
    pub fn effective_segment_bytes(&self) -> i64 {
        self.segment_bytes.max(1)
    }

    /// `segment.ms`, at least 1.
    pub fn effective_segment_ms(&self) -> i64 {
        self.segment_ms.max(1)
    }

    /// `delete.retention.ms`, at least 0.
    pub fn effective_delete_retention_ms(&self) -> i64 {
        self.delete_retention_ms.max(0)
    }
}

/// `cleanup.policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CleanupPolicy {
    Delete,
    Compact,
    CompactDelete,
}

impl CleanupPolicy {
    /// Parses Kafka's list syntax: `delete`, `compact`, `compact,delete` or
    /// `delete,compact` (spaces around items allowed; a repeated item counts once).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (mut delete, mut compact) = (false, false);
        for item in text.split(',').map(str::trim) {
            match item {
                "delete" => delete = true,
                "compact" => compact = true,
                _ => {
                    return Err(format!(
                        "Invalid value {text} for configuration cleanup.policy: \
                         String must be one of: compact, delete"
                    ))
                }
            }
        }
        Ok(match (compact, delete) {
            (true, true) => Self::CompactDelete,
            (true, false) => Self::Compact,
            _ => Self::Delete,
        })
    }

    /// The config value as Kafka prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delete => "delete",
            Self::Compact => "compact",
            Self::CompactDelete => "compact,delete",
        }
    }

    /// Whether retention deletes old segments (`delete` or `compact,delete`).
    pub fn deletes(self) -> bool {
        matches!(self, Self::Delete | Self::CompactDelete)
    }

    /// Whether the cleaner compacts the log (`compact` or `compact,delete`); such a log
    /// must only be given records with keys.
    pub fn compacts(self) -> bool {
        matches!(self, Self::Compact | Self::CompactDelete)
    }
}

/// A fetch below the log start offset or above the log end offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetOutOfRange;

/// What the UI needs to know about one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentInfo {
    pub base_offset: i64,
    /// The next segment's base offset, or the log end offset for the active segment.
    pub end_offset: i64,
    /// Records held, which is fewer than `end_offset − base_offset` after compaction.
    pub record_count: usize,
    pub size_bytes: u64,
    pub created_ms: i64,
    pub largest_timestamp_ms: i64,
    pub is_active: bool,
}

/// Why retention deleted a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeletionReason {
    /// The whole segment is below the log start offset (after DeleteRecords).
    LogStartOffsetBreached,
    /// `retention.bytes`.
    RetentionBytes,
    /// `retention.ms`.
    RetentionMs,
}

/// One segment deleted by retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedSegment {
    pub info: SegmentInfo,
    pub reason: DeletionReason,
}

/// The result of [`PartitionLog::enforce_retention`]. Records in
/// `[old_log_start_offset, new_log_start_offset)` fell off the log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionOutcome {
    pub old_log_start_offset: i64,
    pub new_log_start_offset: i64,
    /// Deleted segments, oldest first.
    pub deleted_segments: Vec<DeletedSegment>,
    /// Records held by the deleted segments (including any already below the log start).
    pub records_deleted: u64,
    pub bytes_deleted: u64,
}

impl RetentionOutcome {
    pub fn segments_deleted(&self) -> usize {
        self.deleted_segments.len()
    }
}

/// A tombstone removed by the cleaner because its delete horizon had passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedTombstone {
    pub offset: i64,
    pub key: Option<Arc<str>>,
}

/// The result of [`PartitionLog::compact`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompactionOutcome {
    /// Whether the cleaner did anything at all; `false` leaves the log unchanged.
    pub ran: bool,
    /// The cleaned dirty section is `[first_dirty_offset, first_uncleanable_offset)`.
    pub first_dirty_offset: i64,
    pub first_uncleanable_offset: i64,
    /// Records removed: superseded records, records without a key, and dropped tombstones.
    pub records_removed: u64,
    pub bytes_removed: u64,
    pub tombstones_dropped: Vec<DroppedTombstone>,
}

/// The log of one partition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionLog {
    /// Closed segments, oldest first, with increasing base offsets.
    closed: VecDeque<Arc<Segment>>,
    /// The segment that takes appends; its base offset is above every closed one's.
    active: Segment,
    log_start_offset: i64,
    log_end_offset: i64,
    /// The cleaner checkpoint: the first offset not yet cleaned (Kafka's `firstDirtyOffset`).
    cleaner_checkpoint: i64,
    /// The leader's producer state and transaction index (see [`super::txn`]).
    #[serde(default)]
    pub txn: PartitionTxn,
    /// The leader's high watermark when the partition is replicated (`engine::cluster`);
    /// `None` with one replica, where it is the log end offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replicated_high_watermark: Option<i64>,
}

impl PartitionLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a record, giving it the next offset, and returns that offset. Rolls a new
    /// active segment first if the current one is full or old (SEMANTICS §4).
    pub fn append(&mut self, mut record: Record, now_ms: i64, config: &LogConfig) -> i64 {
        let offset = self.log_end_offset;
        record.offset = offset;
        if self.active.should_roll(&record, config) {
            self.roll(now_ms);
        }
        self.active.push(record, now_ms);
        self.log_end_offset = offset.saturating_add(1);
        offset
    }

    /// Appends a transaction marker (a control batch of one record): it takes the next
    /// offset and moves the log end offset, but holds no record a reader could return.
    /// Returns its offset.
    pub fn append_marker(&mut self) -> i64 {
        let offset = self.log_end_offset;
        self.log_end_offset = offset.saturating_add(1);
        offset
    }

    /// The last stable offset: the first offset of the oldest open transaction, at most
    /// the high watermark (SEMANTICS-4 §D.4).
    pub fn last_stable_offset(&self) -> i64 {
        self.txn.producers.last_stable_offset(self.high_watermark())
    }

    /// The end a reader may fetch to: the high watermark for `read_uncommitted`, the last
    /// stable offset for `read_committed`. The one place that decides it.
    pub fn fetch_end(&self, isolation: IsolationLevel) -> i64 {
        match isolation {
            IsolationLevel::ReadUncommitted => self.high_watermark(),
            IsolationLevel::ReadCommitted => self.last_stable_offset(),
        }
    }

    /// Closes the active segment and starts a new empty one at the log end offset.
    fn roll(&mut self, now_ms: i64) {
        let fresh = Segment::new(self.log_end_offset, now_ms);
        let closed = std::mem::replace(&mut self.active, fresh);
        self.closed.push_back(Arc::new(closed));
    }

    pub fn log_start_offset(&self) -> i64 {
        self.log_start_offset
    }

    pub fn log_end_offset(&self) -> i64 {
        self.log_end_offset
    }

    /// The high watermark: the log end offset with one replica, else what replication set
    /// (never above the log end).
    pub fn high_watermark(&self) -> i64 {
        self.replicated_high_watermark
            .map_or(self.log_end_offset, |hw| hw.min(self.log_end_offset))
    }

    /// The cleaner checkpoint: offsets below it have been compacted at least once.
    pub fn cleaner_checkpoint(&self) -> i64 {
        self.cleaner_checkpoint
    }

    fn segment_count(&self) -> usize {
        self.closed.len() + 1
    }

    fn segment(&self, index: usize) -> &Segment {
        self.closed.get(index).map_or(&self.active, |s| s)
    }

    /// The next segment's base offset, or the log end offset for the active segment.
    fn segment_end_offset(&self, index: usize) -> i64 {
        match index + 1 {
            next if next < self.closed.len() => self.closed[next].base_offset,
            next if next == self.closed.len() => self.active.base_offset,
            _ => self.log_end_offset,
        }
    }

    /// The index of the segment that would hold `offset`: the last one whose base offset
    /// is at most `offset`, or the first one. O(log segments).
    fn segment_index_for(&self, offset: i64) -> usize {
        let closed_at_or_below = self.closed.partition_point(|s| s.base_offset <= offset);
        let at_or_below =
            if closed_at_or_below == self.closed.len() && self.active.base_offset <= offset {
                closed_at_or_below + 1
            } else {
                closed_at_or_below
            };
        at_or_below.saturating_sub(1)
    }

    /// Every held record with an offset of at least `offset`, in offset order.
    fn iter_from(&self, offset: i64) -> impl Iterator<Item = &Record> + '_ {
        let first = self.segment_index_for(offset);
        (first..self.segment_count()).flat_map(move |index| {
            let records = &self.segment(index).records;
            records.iter_from(records.lower_bound(offset))
        })
    }

    /// Up to `max_records` records from `offset` (inclusive), as a consumer fetch sees
    /// them: offsets below the log start or above the log end are out of range; offsets
    /// from the high watermark to the log end are valid and give nothing.
    /// O(log segments + log records + records returned).
    pub fn read(&self, offset: i64, max_records: usize) -> Result<Vec<&Record>, OffsetOutOfRange> {
        if offset < self.log_start_offset || offset > self.log_end_offset {
            return Err(OffsetOutOfRange);
        }
        let high_watermark = self.high_watermark();
        Ok(self
            .iter_from(offset)
            .take_while(|r| r.offset < high_watermark)
            .take(max_records)
            .collect())
    }

    /// The record at `offset` if the log holds it, below the high watermark or not (a view
    /// names a record that just landed above it).
    pub fn record_at(&self, offset: i64) -> Option<&Record> {
        self.iter_from(offset.max(self.log_start_offset))
            .next()
            .filter(|r| r.offset == offset)
    }

    /// The visible records with offsets in `[from_offset, to_offset)`, for drawing a
    /// window of the log. O(log n + records returned).
    pub fn records_in_range(
        &self,
        from_offset: i64,
        to_offset: i64,
    ) -> impl Iterator<Item = &Record> + '_ {
        let end_offset = to_offset.min(self.high_watermark());
        self.iter_from(from_offset.max(self.log_start_offset))
            .take_while(move |r| r.offset < end_offset)
    }

    /// The earliest offset whose record has a timestamp at or after `timestamp_ms`
    /// (ListOffsets by timestamp, `offsetsForTimes`), or `None` if there is none.
    /// Skips whole segments by their largest timestamp, as Kafka's time index does.
    pub fn offset_for_timestamp(&self, timestamp_ms: i64) -> Option<i64> {
        let high_watermark = self.high_watermark();
        let first = self.segment_index_for(self.log_start_offset);
        (first..self.segment_count())
            .map(|index| self.segment(index))
            .filter(|s| {
                s.max_timestamp_ms
                    .is_some_and(|max_ms| max_ms >= timestamp_ms)
            })
            .find_map(|s| {
                s.records
                    .iter_from(s.records.lower_bound(self.log_start_offset))
                    .take_while(|r| r.offset < high_watermark)
                    .find(|r| r.timestamp_ms >= timestamp_ms)
                    .map(|r| r.offset)
            })
    }

    /// Bytes held by all segments.
    pub fn size_bytes(&self) -> u64 {
        self.closed
            .iter()
            .map(|s| s.size_bytes)
            .fold(self.active.size_bytes, u64::saturating_add)
    }

    /// Records actually held (fewer than `log_end_offset − log_start_offset` after
    /// compaction; possibly a few below the log start offset until retention runs).
    pub fn record_count(&self) -> usize {
        self.closed.iter().map(|s| s.records.len()).sum::<usize>() + self.active.records.len()
    }

    fn segment_info(&self, index: usize) -> SegmentInfo {
        let segment = self.segment(index);
        SegmentInfo {
            base_offset: segment.base_offset,
            end_offset: self.segment_end_offset(index),
            record_count: segment.records.len(),
            size_bytes: segment.size_bytes,
            created_ms: segment.created_ms,
            largest_timestamp_ms: segment.largest_timestamp_ms(),
            is_active: index == self.closed.len(),
        }
    }

    /// One entry per segment, oldest first; the last is the active segment.
    pub fn segments(&self) -> Vec<SegmentInfo> {
        (0..self.segment_count())
            .map(|index| self.segment_info(index))
            .collect()
    }

    /// Kafka's DeleteRecords: moves the log start offset forward to `offset`, clamped to
    /// the high watermark; never backward. Returns the new log start offset. Whole
    /// segments below it are freed by the next [`Self::enforce_retention`].
    pub fn delete_records_before(&mut self, offset: i64) -> i64 {
        let target = offset.min(self.high_watermark());
        if target > self.log_start_offset {
            self.log_start_offset = target;
        }
        self.log_start_offset
    }

    /// Whether the oldest segment may be deleted at all: it must end at or below the
    /// high watermark, and a last, empty segment is never deleted.
    fn oldest_is_deletable(&self) -> bool {
        let end_offset = self.segment_end_offset(0);
        let last_and_empty = self.closed.is_empty() && self.active.is_empty();
        end_offset <= self.high_watermark() && !last_and_empty
    }

    /// Deletes the oldest segment, rolling first if it is the active one.
    fn delete_oldest(
        &mut self,
        now_ms: i64,
        reason: DeletionReason,
        outcome: &mut RetentionOutcome,
    ) {
        let info = self.segment_info(0);
        if self.closed.is_empty() {
            self.roll(now_ms);
        }
        self.closed.pop_front();
        outcome.records_deleted += info.record_count as u64;
        outcome.bytes_deleted += info.size_bytes;
        outcome
            .deleted_segments
            .push(DeletedSegment { info, reason });
    }

    /// Kafka's `deleteOldSegments` (SEMANTICS §4): whole segments, oldest first, stopping
    /// at the first that fails the test. Segments wholly below the log start offset go
    /// under every policy; then, if the policy deletes, by `retention.bytes`, then by
    /// `retention.ms`. Afterwards the log start offset is the first remaining segment's
    /// base offset (it never moves backward).
    pub fn enforce_retention(&mut self, now_ms: i64, config: &LogConfig) -> RetentionOutcome {
        let mut outcome = RetentionOutcome {
            old_log_start_offset: self.log_start_offset,
            ..RetentionOutcome::default()
        };
        while !self.closed.is_empty() && self.segment_end_offset(0) <= self.log_start_offset {
            self.delete_oldest(now_ms, DeletionReason::LogStartOffsetBreached, &mut outcome);
        }
        if config.cleanup_policy.deletes() {
            if config.retention_bytes >= 0 {
                let size_bytes = i128::from(self.size_bytes());
                let mut diff_bytes = size_bytes - i128::from(config.retention_bytes);
                while self.oldest_is_deletable() {
                    let segment_bytes = i128::from(self.segment(0).size_bytes);
                    if diff_bytes - segment_bytes < 0 {
                        break;
                    }
                    diff_bytes -= segment_bytes;
                    self.delete_oldest(now_ms, DeletionReason::RetentionBytes, &mut outcome);
                }
            }
            if config.retention_ms >= 0 {
                while self.oldest_is_deletable()
                    && now_ms.saturating_sub(self.segment(0).largest_timestamp_ms())
                        > config.retention_ms
                {
                    self.delete_oldest(now_ms, DeletionReason::RetentionMs, &mut outcome);
                }
            }
        }
        if !outcome.deleted_segments.is_empty() {
            self.log_start_offset = self.log_start_offset.max(self.segment(0).base_offset);
        }
        outcome.new_log_start_offset = self.log_start_offset;
        outcome
    }

    /// Kafka's `firstUncleanableDirtyOffset` without transactions: the active segment's
    /// base offset, or the base offset of the first dirty segment whose largest timestamp
    /// is younger than `min.compaction.lag.ms`, whichever is lower.
    fn first_uncleanable_offset(&self, first_dirty_offset: i64, now_ms: i64, lag_ms: i64) -> i64 {
        if lag_ms <= 0 {
            return self.active.base_offset;
        }
        let youngest_allowed_ms = now_ms.saturating_sub(lag_ms);
        let first = self.segment_index_for(first_dirty_offset);
        self.closed
            .iter()
            .skip(first)
            .find(|s| s.largest_timestamp_ms() > youngest_allowed_ms)
            .map_or(self.active.base_offset, |s| s.base_offset)
    }

    /// Runs the log cleaner once (SEMANTICS §4), if the policy compacts.
    ///
    /// The dirty section is `[first dirty, first uncleanable)`. For each key the highest
    /// offset in the dirty section wins: every earlier record of that key in the closed
    /// segments below the first uncleanable offset is removed. Offsets never change and
    /// order is kept. Records without a key are removed. A tombstone gets a delete horizon
    /// of `now + delete.retention.ms` when first cleaned and is removed by a later run
    /// after that horizon. The active segment and the segments from the first uncleanable
    /// offset on are never touched, and the log start offset does not move. A run with no
    /// dirty records and no expired tombstone does nothing.
    pub fn compact(&mut self, now_ms: i64, config: &LogConfig) -> CompactionOutcome {
        let mut outcome = CompactionOutcome::default();
        if !config.cleanup_policy.compacts() {
            return outcome;
        }
        let first_dirty_offset = if self.cleaner_checkpoint < self.log_start_offset
            || self.cleaner_checkpoint > self.log_end_offset
        {
            self.log_start_offset
        } else {
            self.cleaner_checkpoint
        };
        let first_uncleanable_offset =
            self.first_uncleanable_offset(first_dirty_offset, now_ms, config.min_compaction_lag_ms);
        outcome.first_dirty_offset = first_dirty_offset;
        outcome.first_uncleanable_offset = first_uncleanable_offset;

        // The first uncleanable offset is a segment base, so these segments lie wholly below it.
        let cleanable_count = self
            .closed
            .partition_point(|s| s.base_offset < first_uncleanable_offset);
        let has_dirty = first_uncleanable_offset > first_dirty_offset;
        let has_expired_tombstone = self
            .closed
            .iter()
            .take(cleanable_count)
            .any(|s| s.has_expired_tombstone(now_ms));
        if !has_dirty && !has_expired_tombstone {
            return outcome;
        }
        outcome.ran = true;

        let mut latest: BTreeMap<Arc<str>, i64> = BTreeMap::new();
        if has_dirty {
            for record in self
                .iter_from(first_dirty_offset)
                .take_while(|r| r.offset < first_uncleanable_offset)
            {
                if let Some(key) = &record.key {
                    latest.insert(Arc::clone(key), record.offset);
                }
            }
        }
        let new_horizon_ms = now_ms.saturating_add(config.effective_delete_retention_ms());

        let mut cleaned: VecDeque<Arc<Segment>> = VecDeque::with_capacity(self.closed.len());
        // An emptied segment at the front is merged into the next cleaned segment, which
        // takes its base offset; an emptied segment after a kept one is dropped, and the
        // kept one's range extends over it (its end is the next segment's base).
        let mut leading_empty: Option<Arc<Segment>> = None;
        for (index, segment) in self.closed.iter().enumerate() {
            if index >= cleanable_count {
                if let Some(empty) = leading_empty.take() {
                    cleaned.push_back(empty);
                }
                cleaned.push_back(Arc::clone(segment));
                continue;
            }
            let mut segment = match segment.clean(&latest, now_ms, new_horizon_ms, &mut outcome) {
                Some(changed) => Arc::new(changed),
                None => Arc::clone(segment),
            };
            if segment.is_empty() {
                if cleaned.is_empty() && leading_empty.is_none() {
                    leading_empty = Some(segment);
                }
                continue;
            }
            if let Some(empty) = leading_empty.take() {
                Arc::make_mut(&mut segment).base_offset = empty.base_offset;
            }
            cleaned.push_back(segment);
        }
        if let Some(empty) = leading_empty {
            cleaned.push_back(empty);
        }
        self.closed = cleaned;
        if has_dirty {
            self.cleaner_checkpoint = first_uncleanable_offset;
        }
        outcome
    }
}
