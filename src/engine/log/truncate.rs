//! Cutting a partition's log back, for a replica that becomes leader without the records its
//! predecessor had (SEMANTICS-4 §A.8), and the high watermark replication sets.

use super::segment::{RecordChunks, Segment};
use super::PartitionLog;
use crate::engine::types::Record;

impl PartitionLog {
    /// Removes every record from `offset` on and returns them in offset order; the log end
    /// offset becomes `offset` (never below the log start). Segments wholly above are
    /// dropped; the one that straddles `offset` keeps its records below it and takes the
    /// appends from now on.
    pub fn truncate_to(&mut self, offset: i64, now_ms: i64) -> Vec<Record> {
        let offset = offset.max(self.log_start_offset);
        if offset >= self.log_end_offset {
            return Vec::new();
        }
        let removed: Vec<Record> = self.iter_from(offset).cloned().collect();
        while self.active.base_offset > offset {
            match self.closed.pop_back() {
                Some(segment) => self.active = std::sync::Arc::unwrap_or_clone(segment),
                None => {
                    self.active = Segment::new(offset, now_ms);
                    break;
                }
            }
        }
        let kept: Vec<Record> = self
            .active
            .records
            .iter()
            .filter(|r| r.offset < offset)
            .cloned()
            .collect();
        self.active.size_bytes = kept.iter().map(|r| u64::from(r.size_bytes)).sum();
        self.active.max_timestamp_ms = kept.iter().map(|r| r.timestamp_ms).max();
        if kept.is_empty() {
            self.active.first_timestamp_ms = None;
        }
        self.active
            .tombstone_horizons_ms
            .retain(|&(o, _)| o < offset);
        self.active.records = RecordChunks::from(kept);
        self.log_end_offset = offset;
        self.cleaner_checkpoint = self.cleaner_checkpoint.min(offset);
        if let Some(hw) = self.replicated_high_watermark.as_mut() {
            *hw = (*hw).min(offset);
        }
        removed
    }

    /// Sets the high watermark replication computed (`None`: one replica, the log end).
    pub fn set_replicated_high_watermark(&mut self, high_watermark: Option<i64>) {
        self.replicated_high_watermark = high_watermark;
    }
}
