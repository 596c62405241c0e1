//! A partition's log: an append-only sequence of records with dense offsets.
//!
//! Walking-skeleton version: one vector of records. Segments, retention and compaction
//! (SEMANTICS.md §4) replace it behind the same API.

use serde::{Deserialize, Serialize};

use super::types::Record;

/// Topic configs that shape a partition's log (Kafka's `LogConfig`), in milliseconds and bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogConfig {
    pub retention_ms: i64,
    pub retention_bytes: i64,
    pub segment_bytes: i64,
    pub segment_ms: i64,
    pub cleanup_policy: CleanupPolicy,
    pub delete_retention_ms: i64,
    pub min_compaction_lag_ms: i64,
}

/// `cleanup.policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CleanupPolicy {
    Delete,
    Compact,
    CompactDelete,
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

/// A fetch below the log start offset or above the log end offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetOutOfRange;

/// The log of one partition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionLog {
    records: Vec<Record>,
    log_start_offset: i64,
    log_end_offset: i64,
}

impl PartitionLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a record, giving it the next offset, and returns that offset.
    pub fn append(&mut self, mut record: Record, _now_ms: i64, _config: &LogConfig) -> i64 {
        record.offset = self.log_end_offset;
        self.records.push(record);
        self.log_end_offset += 1;
        self.log_end_offset - 1
    }

    pub fn log_start_offset(&self) -> i64 {
        self.log_start_offset
    }

    pub fn log_end_offset(&self) -> i64 {
        self.log_end_offset
    }

    /// With one replica and no transactions, the high watermark is the log end offset.
    pub fn high_watermark(&self) -> i64 {
        self.log_end_offset
    }

    /// Up to `max_records` records from `offset` (inclusive), as a consumer fetch sees them.
    pub fn read(&self, offset: i64, max_records: usize) -> Result<Vec<&Record>, OffsetOutOfRange> {
        if offset < self.log_start_offset || offset > self.log_end_offset {
            return Err(OffsetOutOfRange);
        }
        Ok(self
            .records
            .iter()
            .skip_while(|r| r.offset < offset)
            .take(max_records)
            .collect())
    }
}
