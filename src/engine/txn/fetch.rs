//! What a consumer's fetch returns under its `isolation.level` (SEMANTICS-4 §D.4): up to
//! the high watermark for `read_uncommitted`, up to the last stable offset for
//! `read_committed`, which also drops the records of aborted transactions. Markers are never
//! returned, and the position moves past them (and past dropped records) even when nothing
//! is returned, as `CompletedFetch` and `FetchCollector` move it.

use super::super::log::{OffsetOutOfRange, PartitionLog};
use super::IsolationLevel;

/// A fetch's result.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fetched {
    /// The offsets of the records returned, in order.
    pub offsets: Vec<i64>,
    /// The consumer's position afterwards.
    pub next_position: i64,
    /// The returned records as runs `[from, to)` without a dropped record inside (markers
    /// may sit inside a run: they hold no record); the first starts at the fetch position
    /// and the last ends at the new position. Empty when nothing was returned.
    pub runs: Vec<(i64, i64)>,
}

/// Fetches up to `max_records` from `position`. Offsets below the log start or above the
/// log end are out of range.
pub fn fetch(
    log: &PartitionLog,
    position: i64,
    max_records: usize,
    isolation: IsolationLevel,
) -> Result<Fetched, OffsetOutOfRange> {
    if position < log.log_start_offset() || position > log.log_end_offset() {
        return Err(OffsetOutOfRange);
    }
    let end = log.fetch_end(isolation);
    let committed_only = isolation == IsolationLevel::ReadCommitted;
    let mut fetched = Fetched {
        next_position: position,
        ..Fetched::default()
    };
    let mut run_start = position;
    for record in log.records_in_range(position, end) {
        if fetched.offsets.len() >= max_records {
            break;
        }
        if committed_only && !log.txn.visible_committed(record.offset) {
            if fetched
                .offsets
                .last()
                .is_some_and(|&last| last >= run_start)
            {
                fetched.runs.push((run_start, record.offset));
            }
            run_start = record.offset + 1;
            fetched.next_position = record.offset + 1;
            continue;
        }
        fetched.offsets.push(record.offset);
        fetched.next_position = record.offset + 1;
    }
    // Markers after the last record are passed too.
    while fetched.next_position < end && log.txn.is_marker(fetched.next_position) {
        fetched.next_position += 1;
    }
    if fetched
        .offsets
        .last()
        .is_some_and(|&last| last >= run_start)
    {
        fetched.runs.push((run_start, fetched.next_position));
    }
    Ok(fetched)
}
