//! One segment of a partition's log, and the chunked record storage behind it.
//!
//! A segment holds a run of records in offset order. Offsets inside a segment increase
//! strictly but may have gaps after compaction. Closed segments are immutable and shared
//! by `Arc`; the active segment stores its records as full immutable chunks (also shared
//! by `Arc`) plus a short mutable tail, so that cloning a log for a snapshot copies at
//! most one tail's worth of records.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{CompactionOutcome, DroppedTombstone, LogConfig};
use crate::engine::types::Record;

/// The number of records in one full chunk of [`RecordChunks`].
const CHUNK_LEN: usize = 128;

/// Records in offset order: full chunks of exactly [`CHUNK_LEN`] records, shared by
/// `Arc`, followed by a tail of fewer than [`CHUNK_LEN`] records.
///
/// Serialized as a flat list of records; equality compares the records, not the chunking.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Record>", into = "Vec<Record>")]
pub(crate) struct RecordChunks {
    chunks: Vec<Arc<[Record]>>,
    tail: Vec<Record>,
}

impl RecordChunks {
    pub(crate) fn len(&self) -> usize {
        self.chunks.len() * CHUNK_LEN + self.tail.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.chunks.is_empty() && self.tail.is_empty()
    }

    /// The record at position `index` (not offset), in O(1).
    pub(crate) fn get(&self, index: usize) -> Option<&Record> {
        let chunk = index / CHUNK_LEN;
        match self.chunks.get(chunk) {
            Some(records) => records.get(index % CHUNK_LEN),
            None => self.tail.get(index - self.chunks.len() * CHUNK_LEN),
        }
    }

    pub(crate) fn push(&mut self, record: Record) {
        self.tail.push(record);
        if self.tail.len() >= CHUNK_LEN {
            let full = std::mem::take(&mut self.tail);
            self.chunks.push(Arc::from(full));
        }
    }

    /// The position of the first record whose offset is at least `offset`, by binary search.
    pub(crate) fn lower_bound(&self, offset: i64) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.get(mid) {
                Some(record) if record.offset < offset => low = mid + 1,
                _ => high = mid,
            }
        }
        low
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Record> + '_ {
        self.chunks
            .iter()
            .flat_map(|chunk| chunk.iter())
            .chain(self.tail.iter())
    }

    /// The records from position `start` (not offset) on.
    pub(crate) fn iter_from(&self, start: usize) -> impl Iterator<Item = &Record> + '_ {
        (start..self.len()).filter_map(move |index| self.get(index))
    }
}

#[cfg(test)]
impl RecordChunks {
    /// Whether both hold the same full chunks, shared rather than copied.
    pub(crate) fn shares_chunks_with(&self, other: &Self) -> bool {
        !self.chunks.is_empty()
            && self.chunks.len() == other.chunks.len()
            && self
                .chunks
                .iter()
                .zip(&other.chunks)
                .all(|(mine, theirs)| Arc::ptr_eq(mine, theirs))
    }
}

impl From<Vec<Record>> for RecordChunks {
    fn from(records: Vec<Record>) -> Self {
        let mut chunks = RecordChunks::default();
        for record in records {
            chunks.push(record);
        }
        chunks
    }
}

impl From<RecordChunks> for Vec<Record> {
    fn from(chunks: RecordChunks) -> Self {
        chunks.iter().cloned().collect()
    }
}

impl PartialEq for RecordChunks {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for RecordChunks {}

/// One segment: Kafka's `LogSegment` without files or indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Segment {
    /// The offset the segment was created at; no record in it has a lower offset.
    pub(crate) base_offset: i64,
    pub(crate) records: RecordChunks,
    pub(crate) size_bytes: u64,
    pub(crate) created_ms: i64,
    /// The simulated time of the last append (Kafka's file modification time), used as
    /// the largest timestamp of a segment without records.
    pub(crate) last_modified_ms: i64,
    /// The timestamp of the first record appended, which time-based rolling measures from.
    pub(crate) first_timestamp_ms: Option<i64>,
    /// The largest record timestamp held.
    pub(crate) max_timestamp_ms: Option<i64>,
    /// Tombstones the cleaner has already cleaned, as `(offset, delete_horizon_ms)` in
    /// offset order: each is removed by a cleaning run later than its horizon.
    pub(crate) tombstone_horizons_ms: Vec<(i64, i64)>,
}

impl Segment {
    pub(crate) fn new(base_offset: i64, now_ms: i64) -> Self {
        Self {
            base_offset,
            created_ms: now_ms,
            last_modified_ms: now_ms,
            ..Self::default()
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Kafka's `largestTimestamp`: the largest record timestamp, or the last modification
    /// time if the segment holds no record.
    pub(crate) fn largest_timestamp_ms(&self) -> i64 {
        self.max_timestamp_ms.unwrap_or(self.last_modified_ms)
    }

    /// Kafka's `LogSegment.shouldRoll`, without jitter, for a one-record batch. An empty
    /// segment never rolls: Kafka would replace it with an identical empty segment.
    pub(crate) fn should_roll(&self, incoming: &Record, config: &LogConfig) -> bool {
        if self.is_empty() {
            return false;
        }
        let size_bytes = i64::try_from(self.size_bytes).unwrap_or(i64::MAX);
        let full = size_bytes > config.effective_segment_bytes() - i64::from(incoming.size_bytes);
        let old = self.first_timestamp_ms.is_some_and(|first_ms| {
            incoming.timestamp_ms.saturating_sub(first_ms) > config.effective_segment_ms()
        });
        full || old
    }

    pub(crate) fn push(&mut self, record: Record, now_ms: i64) {
        self.size_bytes = self.size_bytes.saturating_add(u64::from(record.size_bytes));
        self.first_timestamp_ms.get_or_insert(record.timestamp_ms);
        self.max_timestamp_ms = Some(self.max_timestamp_ms.map_or(record.timestamp_ms, |max_ms| {
            max_ms.max(record.timestamp_ms)
        }));
        self.last_modified_ms = self.last_modified_ms.max(now_ms);
        self.records.push(record);
    }

    fn delete_horizon_ms(&self, offset: i64) -> Option<i64> {
        self.tombstone_horizons_ms
            .binary_search_by_key(&offset, |&(tombstone_offset, _)| tombstone_offset)
            .ok()
            .map(|index| self.tombstone_horizons_ms[index].1)
    }

    /// Whether a cleaning run at `now_ms` would remove one of this segment's tombstones.
    pub(crate) fn has_expired_tombstone(&self, now_ms: i64) -> bool {
        self.tombstone_horizons_ms
            .iter()
            .any(|&(_, horizon_ms)| now_ms > horizon_ms)
    }

    /// Cleans this segment against `latest` (the highest offset of each key in the
    /// dirty section), as Kafka's `LogCleaner.cleanInto` does. Returns `None` if nothing
    /// changes, so the caller can keep sharing the segment.
    ///
    /// A record is removed if it has no key, if a later record of its key is in the dirty
    /// section, or if it is a tombstone whose delete horizon has passed. A tombstone
    /// cleaned for the first time gets the horizon `new_horizon_ms`.
    pub(crate) fn clean(
        &self,
        latest: &BTreeMap<Arc<str>, i64>,
        now_ms: i64,
        new_horizon_ms: i64,
        outcome: &mut CompactionOutcome,
    ) -> Option<Segment> {
        let mut kept = Vec::new();
        let mut horizons_ms = Vec::new();
        let mut changed = false;
        for record in self.records.iter() {
            let superseded = match &record.key {
                None => true,
                Some(key) => latest
                    .get(key)
                    .is_some_and(|&latest_offset| latest_offset > record.offset),
            };
            if superseded {
                changed = true;
                outcome.records_removed += 1;
                outcome.bytes_removed += u64::from(record.size_bytes);
                continue;
            }
            if record.value.is_none() {
                match self.delete_horizon_ms(record.offset) {
                    Some(horizon_ms) if now_ms > horizon_ms => {
                        changed = true;
                        outcome.records_removed += 1;
                        outcome.bytes_removed += u64::from(record.size_bytes);
                        outcome.tombstones_dropped.push(DroppedTombstone {
                            offset: record.offset,
                            key: record.key.clone(),
                        });
                        continue;
                    }
                    Some(horizon_ms) => horizons_ms.push((record.offset, horizon_ms)),
                    None => {
                        changed = true;
                        horizons_ms.push((record.offset, new_horizon_ms));
                    }
                }
            }
            kept.push(record.clone());
        }
        if !changed {
            return None;
        }
        let size_bytes = kept.iter().map(|r| u64::from(r.size_bytes)).sum();
        let max_timestamp_ms = kept.iter().map(|r| r.timestamp_ms).max();
        Some(Segment {
            base_offset: self.base_offset,
            records: RecordChunks::from(kept),
            size_bytes,
            created_ms: self.created_ms,
            last_modified_ms: self.last_modified_ms,
            first_timestamp_ms: self.first_timestamp_ms,
            max_timestamp_ms,
            tombstone_horizons_ms: horizons_ms,
        })
    }
}
