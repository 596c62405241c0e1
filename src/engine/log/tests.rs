//! Unit and property tests for the partition log.

use std::sync::Arc;

use proptest::prelude::*;

use super::*;
use crate::engine::types::{record_size_bytes, Placement};

/// A record of exactly 100 bytes, so that segment sizes are easy to count.
fn kv(key: Option<&str>, value: Option<&str>, timestamp_ms: i64) -> Record {
    Record {
        offset: -1,
        timestamp_ms,
        key: key.map(Arc::from),
        value: value.map(Arc::from),
        headers: Vec::new(),
        size_bytes: 100,
        placement: Placement::Synthetic,
    }
}

fn plain(timestamp_ms: i64) -> Record {
    kv(Some("k"), Some("v"), timestamp_ms)
}

/// Delete policy with retention off and segments of three 100-byte records.
fn three_per_segment() -> LogConfig {
    LogConfig {
        retention_ms: -1,
        retention_bytes: -1,
        segment_bytes: 300,
        ..LogConfig::default()
    }
}

fn compacted(records_per_segment: i64) -> LogConfig {
    LogConfig {
        cleanup_policy: CleanupPolicy::Compact,
        segment_bytes: 100 * records_per_segment,
        retention_ms: -1,
        retention_bytes: -1,
        delete_retention_ms: 1_000,
        min_compaction_lag_ms: 0,
        ..LogConfig::default()
    }
}

fn offsets<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<i64> {
    records.into_iter().map(|r| r.offset).collect()
}

fn visible(log: &PartitionLog) -> Vec<i64> {
    offsets(log.read(log.log_start_offset(), usize::MAX).unwrap())
}

fn bases(log: &PartitionLog) -> Vec<(i64, i64)> {
    log.segments()
        .iter()
        .map(|s| (s.base_offset, s.end_offset))
        .collect()
}

#[test]
fn offsets_are_dense_from_zero() {
    let mut log = PartitionLog::new();
    let config = LogConfig::default();
    for i in 0..10 {
        assert_eq!(log.append(plain(i), i, &config), i);
    }
    assert_eq!(log.log_start_offset(), 0);
    assert_eq!(log.log_end_offset(), 10);
    assert_eq!(log.high_watermark(), 10);
    assert_eq!(visible(&log), (0..10).collect::<Vec<_>>());
    assert_eq!(log.record_count(), 10);
    assert_eq!(log.size_bytes(), 1_000);
}

#[test]
fn rolls_by_size() {
    let mut log = PartitionLog::new();
    for i in 0..7 {
        log.append(plain(i), i, &three_per_segment());
    }
    assert_eq!(bases(&log), vec![(0, 3), (3, 6), (6, 7)]);
    let segments = log.segments();
    assert_eq!(segments[0].size_bytes, 300);
    assert_eq!(segments[0].record_count, 3);
    assert!(!segments[1].is_active);
    assert!(segments[2].is_active);
}

#[test]
fn a_record_larger_than_segment_bytes_gets_a_segment_of_its_own() {
    let mut log = PartitionLog::new();
    let config = LogConfig {
        segment_bytes: 50,
        ..three_per_segment()
    };
    for i in 0..3 {
        log.append(plain(i), i, &config);
    }
    assert_eq!(bases(&log), vec![(0, 1), (1, 2), (2, 3)]);
}

#[test]
fn rolls_by_time_measured_from_the_first_timestamp() {
    let mut log = PartitionLog::new();
    let config = LogConfig {
        segment_ms: 100,
        ..three_per_segment()
    };
    let config = LogConfig {
        segment_bytes: 1 << 30,
        ..config
    };
    for timestamp_ms in [0, 50, 100, 101, 150, 201, 202] {
        log.append(plain(timestamp_ms), timestamp_ms, &config);
    }
    // 101 − 0 > 100 rolls; 201 − 101 = 100 does not; 202 − 101 > 100 rolls.
    assert_eq!(bases(&log), vec![(0, 3), (3, 6), (6, 7)]);
    assert_eq!(log.segments()[1].largest_timestamp_ms, 201);
}

#[test]
fn reads_out_of_range_and_at_the_end() {
    let mut log = PartitionLog::new();
    for i in 0..5 {
        log.append(plain(i), i, &three_per_segment());
    }
    assert_eq!(log.read(-1, 10), Err(OffsetOutOfRange));
    assert_eq!(log.read(6, 10), Err(OffsetOutOfRange));
    assert_eq!(log.read(i64::MIN, 10), Err(OffsetOutOfRange));
    assert_eq!(log.read(i64::MAX, 10), Err(OffsetOutOfRange));
    assert_eq!(log.read(5, 10), Ok(Vec::new()));
    assert_eq!(log.read(0, 0), Ok(Vec::new()));
    assert_eq!(offsets(log.read(2, 2).unwrap()), vec![2, 3]);
    assert_eq!(offsets(log.read(1, 100).unwrap()), vec![1, 2, 3, 4]);

    log.delete_records_before(3);
    assert_eq!(log.read(2, 10), Err(OffsetOutOfRange));
    assert_eq!(offsets(log.read(3, 10).unwrap()), vec![3, 4]);
}

#[test]
fn retention_by_time_deletes_whole_old_segments_and_stops_at_the_first_young_one() {
    let mut log = PartitionLog::new();
    let config = three_per_segment();
    for timestamp_ms in [0, 1, 2, 1_000, 1_001, 1_002, 3, 4, 5, 2_000] {
        log.append(plain(timestamp_ms), timestamp_ms, &config);
    }
    let config = LogConfig {
        retention_ms: 100,
        ..config
    };
    let outcome = log.enforce_retention(1_050, &config);
    assert_eq!(outcome.segments_deleted(), 1);
    assert_eq!(outcome.records_deleted, 3);
    assert_eq!(outcome.bytes_deleted, 300);
    assert_eq!(outcome.old_log_start_offset, 0);
    assert_eq!(outcome.new_log_start_offset, 3);
    assert_eq!(
        outcome.deleted_segments[0].reason,
        DeletionReason::RetentionMs
    );
    // The third segment is old too, but the second one stops the scan.
    assert_eq!(bases(&log), vec![(3, 6), (6, 9), (9, 10)]);
    assert_eq!(log.log_start_offset(), 3);
    assert_eq!(log.read(2, 1), Err(OffsetOutOfRange));

    // Exactly retention.ms old is not older than retention.ms.
    let outcome = log.enforce_retention(1_102, &config);
    assert_eq!(outcome.segments_deleted(), 0);
    let outcome = log.enforce_retention(1_103, &config);
    assert_eq!(outcome.segments_deleted(), 2);
    assert_eq!(log.log_start_offset(), 9);
}

#[test]
fn retention_by_size_never_shrinks_below_retention_bytes() {
    let mut log = PartitionLog::new();
    for i in 0..10 {
        log.append(plain(i), i, &three_per_segment());
    }
    let config = LogConfig {
        retention_bytes: 450,
        ..three_per_segment()
    };
    let outcome = log.enforce_retention(10, &config);
    assert_eq!(outcome.segments_deleted(), 1);
    assert_eq!(
        outcome.deleted_segments[0].reason,
        DeletionReason::RetentionBytes
    );
    assert_eq!(log.size_bytes(), 700);
    assert_eq!(log.log_start_offset(), 3);

    let config = LogConfig {
        retention_bytes: 400,
        ..three_per_segment()
    };
    log.enforce_retention(10, &config);
    assert_eq!(log.size_bytes(), 400);
    assert_eq!(log.log_start_offset(), 6);
    log.enforce_retention(10, &config);
    assert_eq!(log.size_bytes(), 400);
}

#[test]
fn retention_runs_size_then_time() {
    let mut log = PartitionLog::new();
    for i in 0..9 {
        log.append(plain(i), i, &three_per_segment());
    }
    let config = LogConfig {
        retention_bytes: 500,
        retention_ms: 5,
        ..three_per_segment()
    };
    let outcome = log.enforce_retention(11, &config);
    let reasons: Vec<_> = outcome.deleted_segments.iter().map(|d| d.reason).collect();
    assert_eq!(
        reasons,
        vec![DeletionReason::RetentionBytes, DeletionReason::RetentionMs]
    );
    assert_eq!(log.log_start_offset(), 6);
}

#[test]
fn the_active_segment_is_deleted_when_everything_is_old() {
    let mut log = PartitionLog::new();
    let config = LogConfig {
        retention_ms: 10,
        ..LogConfig::default()
    };
    log.append(plain(0), 0, &config);
    log.append(plain(1), 1, &config);
    let outcome = log.enforce_retention(100, &config);
    assert_eq!(outcome.segments_deleted(), 1);
    assert!(outcome.deleted_segments[0].info.is_active);
    assert_eq!(outcome.new_log_start_offset, 2);
    assert_eq!(log.log_start_offset(), 2);
    assert_eq!(log.log_end_offset(), 2);
    assert_eq!(bases(&log), vec![(2, 2)]);
    assert!(log.segments()[0].is_active);
    assert_eq!(log.read(2, 10), Ok(Vec::new()));
    assert_eq!(log.read(1, 10), Err(OffsetOutOfRange));
    assert_eq!(log.record_count(), 0);

    // A last, empty segment is never deleted.
    let outcome = log.enforce_retention(1_000_000, &config);
    assert_eq!(outcome.segments_deleted(), 0);
    assert_eq!(log.append(plain(2_000), 2_000, &config), 2);
    assert_eq!(visible(&log), vec![2]);
}

#[test]
fn the_log_start_offset_only_moves_forward() {
    let mut log = PartitionLog::new();
    for i in 0..10 {
        log.append(plain(i), i, &three_per_segment());
    }
    assert_eq!(log.delete_records_before(4), 4);
    assert_eq!(log.delete_records_before(2), 4);
    assert_eq!(log.delete_records_before(-7), 4);
    assert_eq!(log.record_count(), 10);
    assert_eq!(visible(&log), vec![4, 5, 6, 7, 8, 9]);

    // Segments wholly below the log start go, whatever the policy; the log start stays.
    let outcome = log.enforce_retention(10, &three_per_segment());
    assert_eq!(outcome.segments_deleted(), 1);
    assert_eq!(
        outcome.deleted_segments[0].reason,
        DeletionReason::LogStartOffsetBreached
    );
    assert_eq!(log.log_start_offset(), 4);
    assert_eq!(bases(&log)[0], (3, 6));

    // DeleteRecords is clamped to the high watermark.
    assert_eq!(log.delete_records_before(i64::MAX), 10);
    let config = LogConfig {
        cleanup_policy: CleanupPolicy::Compact,
        ..three_per_segment()
    };
    let outcome = log.enforce_retention(10, &config);
    assert_eq!(outcome.segments_deleted(), 2);
    assert_eq!(log.log_start_offset(), 10);
    assert_eq!(bases(&log), vec![(9, 10)]);
    assert_eq!(log.read(10, 5), Ok(Vec::new()));
}

#[test]
fn compaction_keeps_the_latest_record_per_key_with_offsets_unchanged() {
    let config = compacted(3);
    let mut log = PartitionLog::new();
    for (key, value) in [
        ("a", "1"),
        ("b", "1"),
        ("a", "2"),
        ("c", "1"),
        ("b", "2"),
        ("a", "3"),
        ("d", "1"),
    ] {
        log.append(kv(Some(key), Some(value), 0), 0, &config);
    }
    let outcome = log.compact(10, &config);
    assert!(outcome.ran);
    assert_eq!(outcome.first_dirty_offset, 0);
    assert_eq!(outcome.first_uncleanable_offset, 6);
    assert_eq!(outcome.records_removed, 3);
    assert_eq!(outcome.bytes_removed, 300);
    assert_eq!(log.cleaner_checkpoint(), 6);

    let held: Vec<(i64, String, String)> = log
        .read(0, 100)
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.offset,
                r.key.as_deref().unwrap().to_string(),
                r.value.as_deref().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [(3, "c", "1"), (4, "b", "2"), (5, "a", "3"), (6, "d", "1")];
    let expected: Vec<(i64, String, String)> = expected
        .iter()
        .map(|&(o, k, v)| (o, k.to_string(), v.to_string()))
        .collect();
    assert_eq!(held, expected);
    // Offsets 0 to 2 are gaps now: reading there is valid and skips ahead.
    assert_eq!(offsets(log.read(1, 1).unwrap()), vec![3]);
    assert_eq!(log.log_start_offset(), 0);
    assert_eq!(log.log_end_offset(), 7);
    // The emptied first segment merged into the next one, which took its base offset.
    assert_eq!(bases(&log), vec![(0, 6), (6, 7)]);
    assert_eq!(log.append(kv(Some("e"), Some("1"), 0), 0, &config), 7);
}

#[test]
fn compaction_never_touches_the_active_segment() {
    let config = compacted(100);
    let mut log = PartitionLog::new();
    for _ in 0..5 {
        log.append(kv(Some("a"), Some("x"), 0), 0, &config);
    }
    let outcome = log.compact(10, &config);
    assert!(!outcome.ran);
    assert_eq!(log.record_count(), 5);

    // Kafka builds the key map from the dirty section only, so a closed record whose
    // key reappears in the active segment stays until that segment is cleanable.
    let config = compacted(2);
    let mut log = PartitionLog::new();
    for key in ["a", "b", "a"] {
        log.append(kv(Some(key), Some("x"), 0), 0, &config);
    }
    log.compact(10, &config);
    assert_eq!(visible(&log), vec![0, 1, 2]);
    log.append(kv(Some("c"), Some("x"), 0), 0, &config);
    log.append(kv(Some("c"), Some("x"), 0), 0, &config);
    log.compact(20, &config);
    assert_eq!(visible(&log), vec![1, 2, 3, 4]);
}

#[test]
fn tombstones_survive_delete_retention_ms_after_first_cleaning() {
    let config = compacted(2);
    let mut log = PartitionLog::new();
    log.append(kv(Some("a"), Some("1"), 0), 0, &config);
    log.append(kv(Some("a"), None, 0), 0, &config);
    log.append(kv(Some("x"), Some("1"), 0), 0, &config);
    log.append(kv(Some("y"), Some("1"), 0), 0, &config);
    log.append(kv(Some("z"), Some("1"), 0), 0, &config);

    let outcome = log.compact(100, &config);
    assert!(outcome.ran);
    assert!(outcome.tombstones_dropped.is_empty());
    assert_eq!(visible(&log), vec![1, 2, 3, 4]);
    assert!(log.read(1, 1).unwrap()[0].value.is_none());

    // Cleaned at 100 with delete.retention.ms 1000: kept through 1100.
    let outcome = log.compact(1_100, &config);
    assert!(!outcome.ran);
    assert_eq!(visible(&log), vec![1, 2, 3, 4]);

    let outcome = log.compact(1_101, &config);
    assert!(outcome.ran);
    assert_eq!(
        outcome.tombstones_dropped,
        vec![DroppedTombstone {
            offset: 1,
            key: Some(Arc::from("a")),
        }]
    );
    assert_eq!(visible(&log), vec![2, 3, 4]);
    assert_eq!(log.log_start_offset(), 0);
    assert_eq!(bases(&log), vec![(0, 4), (4, 5)]);
}

#[test]
fn a_tombstone_first_cleaned_later_gets_a_later_horizon() {
    let config = compacted(1);
    let mut log = PartitionLog::new();
    log.append(kv(Some("a"), None, 0), 0, &config);
    log.append(kv(Some("x"), Some("1"), 0), 0, &config);
    log.compact(0, &config);
    log.append(kv(Some("b"), None, 500), 500, &config);
    log.append(kv(Some("c"), Some("1"), 500), 500, &config);
    log.compact(500, &config);
    let outcome = log.compact(1_001, &config);
    assert_eq!(offsets_of_dropped(&outcome), vec![0]);
    assert_eq!(visible(&log), vec![1, 2, 3]);
    let outcome = log.compact(1_501, &config);
    assert_eq!(offsets_of_dropped(&outcome), vec![2]);
    assert_eq!(visible(&log), vec![1, 3]);
}

fn offsets_of_dropped(outcome: &CompactionOutcome) -> Vec<i64> {
    outcome
        .tombstones_dropped
        .iter()
        .map(|t| t.offset)
        .collect()
}

#[test]
fn min_compaction_lag_keeps_young_segments_dirty() {
    let config = LogConfig {
        min_compaction_lag_ms: 1_000,
        ..compacted(2)
    };
    let mut log = PartitionLog::new();
    log.append(kv(Some("a"), Some("1"), 0), 0, &config);
    log.append(kv(Some("b"), Some("1"), 0), 0, &config);
    log.append(kv(Some("a"), Some("2"), 900), 900, &config);
    log.append(kv(Some("b"), Some("2"), 900), 900, &config);
    log.append(kv(Some("c"), Some("1"), 950), 950, &config);

    // At 1500 the second segment (largest timestamp 900) is younger than the lag.
    let outcome = log.compact(1_500, &config);
    assert_eq!(outcome.first_uncleanable_offset, 2);
    assert_eq!(outcome.records_removed, 0);
    assert_eq!(visible(&log), vec![0, 1, 2, 3, 4]);
    assert_eq!(log.cleaner_checkpoint(), 2);

    let outcome = log.compact(2_000, &config);
    assert_eq!(outcome.first_dirty_offset, 2);
    assert_eq!(outcome.first_uncleanable_offset, 4);
    assert_eq!(outcome.records_removed, 2);
    assert_eq!(visible(&log), vec![2, 3, 4]);
}

#[test]
fn a_second_compaction_with_nothing_new_is_a_no_op() {
    let config = compacted(2);
    let mut log = PartitionLog::new();
    for key in ["a", "b", "a", "c", "a", "b", "d"] {
        log.append(kv(Some(key), Some("v"), 0), 0, &config);
    }
    assert!(log.compact(10, &config).ran);
    let before = log.clone();
    let outcome = log.compact(20, &config);
    assert!(!outcome.ran);
    assert_eq!(outcome.records_removed, 0);
    assert_eq!(log, before);
    for (mine, theirs) in log.closed.iter().zip(before.closed.iter()) {
        assert!(Arc::ptr_eq(mine, theirs));
    }
}

#[test]
fn compaction_removes_records_without_a_key_and_ignores_delete_policy() {
    let config = compacted(2);
    let mut log = PartitionLog::new();
    log.append(kv(None, Some("1"), 0), 0, &config);
    log.append(kv(Some("a"), Some("1"), 0), 0, &config);
    log.append(kv(Some("b"), Some("1"), 0), 0, &config);
    let delete_only = LogConfig {
        cleanup_policy: CleanupPolicy::Delete,
        ..config.clone()
    };
    assert_eq!(log.compact(10, &delete_only), CompactionOutcome::default());
    assert_eq!(log.record_count(), 3);
    let outcome = log.compact(10, &config);
    assert_eq!(outcome.records_removed, 1);
    assert_eq!(visible(&log), vec![1, 2]);
}

#[test]
fn compact_delete_does_both() {
    let config = LogConfig {
        cleanup_policy: CleanupPolicy::parse("compact,delete").unwrap(),
        retention_ms: 200,
        ..compacted(2)
    };
    let mut log = PartitionLog::new();
    for (i, key) in ["a", "a", "b", "b", "c"].into_iter().enumerate() {
        let timestamp_ms = i as i64 * 100;
        log.append(
            kv(Some(key), Some("v"), timestamp_ms),
            timestamp_ms,
            &config,
        );
    }
    log.compact(450, &config);
    assert_eq!(visible(&log), vec![1, 3, 4]);
    let outcome = log.enforce_retention(450, &config);
    // After cleaning, the first segment's newest record is at 100, the second's at 300.
    assert_eq!(outcome.segments_deleted(), 1);
    assert_eq!(log.log_start_offset(), 2);
    assert_eq!(visible(&log), vec![3, 4]);
}

#[test]
fn offset_for_timestamp_finds_the_earliest_offset_at_or_after_a_time() {
    let mut log = PartitionLog::new();
    for timestamp_ms in [10, 30, 20, 40, 25] {
        log.append(plain(timestamp_ms), 0, &three_per_segment());
    }
    let config = LogConfig {
        segment_bytes: 200,
        ..three_per_segment()
    };
    let mut two_per_segment = PartitionLog::new();
    for timestamp_ms in [10, 30, 20, 40, 25] {
        two_per_segment.append(plain(timestamp_ms), 0, &config);
    }
    for log in [&mut log, &mut two_per_segment] {
        assert_eq!(log.offset_for_timestamp(i64::MIN), Some(0));
        assert_eq!(log.offset_for_timestamp(5), Some(0));
        assert_eq!(log.offset_for_timestamp(15), Some(1));
        assert_eq!(log.offset_for_timestamp(20), Some(1));
        assert_eq!(log.offset_for_timestamp(35), Some(3));
        assert_eq!(log.offset_for_timestamp(40), Some(3));
        assert_eq!(log.offset_for_timestamp(41), None);
        log.delete_records_before(2);
        assert_eq!(log.offset_for_timestamp(5), Some(2));
        assert_eq!(log.offset_for_timestamp(26), Some(3));
    }
    assert_eq!(PartitionLog::new().offset_for_timestamp(0), None);
}

#[test]
fn records_in_range_returns_a_window() {
    let mut log = PartitionLog::new();
    for i in 0..10 {
        log.append(plain(i), i, &three_per_segment());
    }
    assert_eq!(offsets(log.records_in_range(2, 7)), vec![2, 3, 4, 5, 6]);
    assert_eq!(offsets(log.records_in_range(7, 2)), Vec::<i64>::new());
    assert_eq!(offsets(log.records_in_range(-5, 3)), vec![0, 1, 2]);
    assert_eq!(offsets(log.records_in_range(8, i64::MAX)), vec![8, 9]);
    assert_eq!(
        offsets(log.records_in_range(i64::MIN, i64::MIN)),
        Vec::<i64>::new()
    );
    log.delete_records_before(4);
    assert_eq!(offsets(log.records_in_range(0, 6)), vec![4, 5]);
}

#[test]
fn cloning_shares_closed_segments() {
    let mut log = PartitionLog::new();
    for i in 0..10 {
        log.append(plain(i), i, &three_per_segment());
    }
    let snapshot = log.clone();
    assert_eq!(snapshot.closed.len(), 3);
    for (mine, theirs) in log.closed.iter().zip(snapshot.closed.iter()) {
        assert!(Arc::ptr_eq(mine, theirs));
        assert_eq!(Arc::strong_count(mine), 2);
    }
    for i in 10..20 {
        log.append(plain(i), i, &three_per_segment());
    }
    assert_eq!(snapshot.log_end_offset(), 10);
    assert_eq!(visible(&snapshot), (0..10).collect::<Vec<_>>());
    assert!(Arc::ptr_eq(&log.closed[0], &snapshot.closed[0]));
}

#[test]
fn cloning_shares_the_full_chunks_of_a_large_active_segment() {
    let mut log = PartitionLog::new();
    for i in 0..1_000 {
        log.append(plain(i), i, &LogConfig::default());
    }
    let snapshot = log.clone();
    assert_eq!(log.closed.len(), 0);
    assert!(log
        .active
        .records
        .shares_chunks_with(&snapshot.active.records));
    assert_eq!(snapshot, log);
}

#[test]
fn memory_stays_bounded_by_retention() {
    let config = LogConfig {
        segment_bytes: 10_000,
        retention_bytes: 50_000,
        retention_ms: -1,
        ..LogConfig::default()
    };
    let key: Arc<str> = Arc::from("key");
    let value: Arc<str> = Arc::from("value");
    let mut log = PartitionLog::new();
    let mut max_records = 0;
    for i in 0..1_000_000_i64 {
        let record = Record {
            offset: 0,
            timestamp_ms: i,
            key: Some(Arc::clone(&key)),
            value: Some(Arc::clone(&value)),
            headers: Vec::new(),
            size_bytes: 100,
            placement: Placement::Synthetic,
        };
        log.append(record, i, &config);
        if i % 1_000 == 999 {
            log.enforce_retention(i, &config);
            max_records = max_records.max(log.record_count());
            assert!(log.segments().len() <= 20);
        }
    }
    // 50,000 bytes kept, plus at most one segment, plus 1,000 appends between checks.
    assert!(max_records <= 500 + 100 + 1_000, "held {max_records}");
    assert_eq!(log.log_end_offset(), 1_000_000);
    assert!(log.log_start_offset() > 998_000);
}

#[test]
fn nonsense_configs_and_extreme_inputs_do_not_panic() {
    let configs = [
        LogConfig {
            segment_bytes: 0,
            segment_ms: 0,
            retention_ms: i64::MIN,
            retention_bytes: i64::MIN,
            delete_retention_ms: -5,
            min_compaction_lag_ms: -5,
            cleanup_policy: CleanupPolicy::CompactDelete,
        },
        LogConfig {
            segment_bytes: -10,
            segment_ms: i64::MIN,
            retention_ms: 0,
            retention_bytes: 0,
            delete_retention_ms: i64::MAX,
            min_compaction_lag_ms: i64::MAX,
            cleanup_policy: CleanupPolicy::CompactDelete,
        },
        LogConfig {
            segment_bytes: i64::MAX,
            segment_ms: i64::MAX,
            retention_ms: i64::MAX,
            retention_bytes: i64::MAX,
            delete_retention_ms: i64::MIN,
            min_compaction_lag_ms: i64::MIN,
            cleanup_policy: CleanupPolicy::Compact,
        },
    ];
    for config in &configs {
        assert!(config.validate().is_err() || config.segment_bytes == i64::MAX);
        let mut log = PartitionLog::new();
        for (i, now_ms) in [i64::MIN, 0, i64::MAX, -1, 1, i64::MIN, i64::MAX]
            .into_iter()
            .enumerate()
        {
            let key = if i % 3 == 0 { None } else { Some("k") };
            let value = if i % 2 == 0 { None } else { Some("v") };
            let mut record = kv(key, value, now_ms);
            record.size_bytes = if i % 2 == 0 { u32::MAX } else { 0 };
            log.append(record, now_ms, config);
            log.compact(now_ms, config);
            log.enforce_retention(now_ms, config);
            log.delete_records_before(now_ms);
            let _ = log.read(now_ms, usize::MAX);
            let _ = log.offset_for_timestamp(now_ms);
            let _ = log.records_in_range(now_ms, i64::MAX).count();
            let _ = log.size_bytes();
            let _ = log.segments();
        }
    }
}

#[test]
fn cleanup_policy_parses_kafka_lists() {
    assert_eq!(CleanupPolicy::parse("delete"), Ok(CleanupPolicy::Delete));
    assert_eq!(CleanupPolicy::parse("compact"), Ok(CleanupPolicy::Compact));
    assert_eq!(
        CleanupPolicy::parse("compact,delete"),
        Ok(CleanupPolicy::CompactDelete)
    );
    assert_eq!(
        CleanupPolicy::parse("delete, compact"),
        Ok(CleanupPolicy::CompactDelete)
    );
    assert!(CleanupPolicy::parse("").is_err());
    assert!(CleanupPolicy::parse("Delete").is_err());
    assert!(CleanupPolicy::parse("compact,").is_err());
    for policy in [
        CleanupPolicy::Delete,
        CleanupPolicy::Compact,
        CleanupPolicy::CompactDelete,
    ] {
        assert_eq!(CleanupPolicy::parse(policy.as_str()), Ok(policy));
    }
    assert!(LogConfig::default().validate().is_ok());
}

#[test]
fn a_log_survives_a_serde_round_trip() {
    let config = compacted(2);
    let mut log = PartitionLog::new();
    for key in ["a", "b", "a", "c", "a"] {
        let value = if key == "c" { None } else { Some("v") };
        log.append(kv(Some(key), value, 0), 0, &config);
    }
    log.compact(5, &config);
    let text = serde_json::to_string(&log).unwrap();
    let back: PartitionLog = serde_json::from_str(&text).unwrap();
    assert_eq!(back, log);
}

#[test]
fn real_record_sizes_roll_as_expected() {
    let size = record_size_bytes(Some("k"), Some("v"), &[]);
    let config = LogConfig {
        segment_bytes: i64::from(size) * 2,
        ..three_per_segment()
    };
    let mut log = PartitionLog::new();
    for i in 0..4 {
        let mut record = plain(i);
        record.size_bytes = size;
        log.append(record, i, &config);
    }
    assert_eq!(bases(&log), vec![(0, 2), (2, 4)]);
}

// ---------------------------------------------------------------------------------------
// Property tests.

#[derive(Debug, Clone)]
enum Op {
    Append {
        key: u8,
        tombstone: bool,
        advance_ms: i64,
    },
    Retention {
        advance_ms: i64,
    },
    Compact {
        advance_ms: i64,
    },
    DeleteRecords {
        back_from_end: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..6, prop::bool::weighted(0.15), 0i64..50).prop_map(
            |(key, tombstone, advance_ms)| Op::Append { key, tombstone, advance_ms }
        ),
        1 => (0i64..500).prop_map(|advance_ms| Op::Retention { advance_ms }),
        1 => (0i64..500).prop_map(|advance_ms| Op::Compact { advance_ms }),
        1 => (-3i64..20).prop_map(|back_from_end| Op::DeleteRecords { back_from_end }),
    ]
}

fn policy() -> impl Strategy<Value = CleanupPolicy> {
    prop_oneof![
        Just(CleanupPolicy::Delete),
        Just(CleanupPolicy::Compact),
        Just(CleanupPolicy::CompactDelete),
    ]
}

fn config(policy: impl Strategy<Value = CleanupPolicy>) -> impl Strategy<Value = LogConfig> {
    (
        -1i64..2_000,
        -1i64..3_000,
        -5i64..1_000,
        -5i64..500,
        policy,
        0i64..600,
        0i64..300,
    )
        .prop_map(
            |(
                retention_ms,
                retention_bytes,
                segment_bytes,
                segment_ms,
                cleanup_policy,
                delete_retention_ms,
                min_compaction_lag_ms,
            )| LogConfig {
                retention_ms,
                retention_bytes,
                segment_bytes,
                segment_ms,
                cleanup_policy,
                delete_retention_ms,
                min_compaction_lag_ms,
            },
        )
}

/// Applies `op`, keeping `appended` (every record ever appended, by offset) and the clock.
fn apply(
    log: &mut PartitionLog,
    op: &Op,
    config: &LogConfig,
    now_ms: &mut i64,
    appended: &mut Vec<Record>,
) {
    match *op {
        Op::Append {
            key,
            tombstone,
            advance_ms,
        } => {
            *now_ms += advance_ms;
            let key = format!("k{key}");
            let value = format!("v{}", appended.len());
            let value = (!tombstone).then_some(value.as_str());
            let mut record = kv(Some(&key), value, *now_ms);
            record.size_bytes = record_size_bytes(Some(&key), value, &[]);
            let offset = log.append(record.clone(), *now_ms, config);
            record.offset = offset;
            assert_eq!(offset, appended.len() as i64);
            appended.push(record);
        }
        Op::Retention { advance_ms } => {
            *now_ms += advance_ms;
            log.enforce_retention(*now_ms, config);
        }
        Op::Compact { advance_ms } => {
            *now_ms += advance_ms;
            log.compact(*now_ms, config);
        }
        Op::DeleteRecords { back_from_end } => {
            log.delete_records_before(log.log_end_offset() - back_from_end);
        }
    }
}

fn check_structure(log: &PartitionLog, appended: &[Record]) -> Result<(), TestCaseError> {
    let held: Vec<&Record> = log.records_in_range(i64::MIN, i64::MAX).collect();
    let read = log.read(log.log_start_offset(), usize::MAX).unwrap();
    prop_assert_eq!(&held, &read);
    for pair in held.windows(2) {
        prop_assert!(pair[0].offset < pair[1].offset);
    }
    for record in &held {
        prop_assert!(record.offset >= log.log_start_offset());
        prop_assert!(record.offset < log.log_end_offset());
        prop_assert_eq!(*record, &appended[record.offset as usize]);
    }
    let segments = log.segments();
    prop_assert!(segments[0].base_offset <= log.log_start_offset());
    prop_assert_eq!(segments.last().unwrap().end_offset, log.log_end_offset());
    for pair in segments.windows(2) {
        prop_assert!(pair[0].base_offset < pair[1].base_offset);
        prop_assert_eq!(pair[0].end_offset, pair[1].base_offset);
    }
    prop_assert_eq!(
        segments.iter().map(|s| s.record_count).sum::<usize>(),
        log.record_count()
    );
    prop_assert_eq!(
        segments.iter().map(|s| s.size_bytes).sum::<u64>(),
        log.size_bytes()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn offsets_increase_strictly_and_stay_at_or_above_the_log_start(
        config in config(policy()),
        ops in prop::collection::vec(op(), 0..120),
    ) {
        let mut log = PartitionLog::new();
        let mut now_ms = 0;
        let mut appended = Vec::new();
        for op in &ops {
            let start_before = log.log_start_offset();
            let end_before = log.log_end_offset();
            apply(&mut log, op, &config, &mut now_ms, &mut appended);
            prop_assert!(log.log_start_offset() >= start_before);
            prop_assert!(log.log_end_offset() >= end_before);
            prop_assert!(log.log_start_offset() <= log.log_end_offset());
            check_structure(&log, &appended)?;
        }
    }

    #[test]
    fn every_keys_latest_record_survives_compaction(
        config in config(Just(CleanupPolicy::Compact)),
        ops in prop::collection::vec(op(), 0..120),
    ) {
        // Tombstones never expire here, so each key's latest record must stay.
        let config = LogConfig { delete_retention_ms: i64::MAX, ..config };
        let mut log = PartitionLog::new();
        let mut now_ms = 0;
        let mut appended: Vec<Record> = Vec::new();
        for op in &ops {
            if let Op::DeleteRecords { .. } = op {
                continue;
            }
            apply(&mut log, op, &config, &mut now_ms, &mut appended);
            check_structure(&log, &appended)?;
            let mut latest = BTreeMap::new();
            for record in &appended {
                latest.insert(record.key.clone(), record.offset);
            }
            for offset in latest.into_values() {
                let found = log.read(offset, 1).unwrap();
                prop_assert_eq!(found.first().map(|r| r.offset), Some(offset));
            }
        }
        // A second run with nothing new is a no-op.
        log.compact(now_ms, &config);
        let once = log.clone();
        prop_assert!(!log.compact(now_ms, &config).ran);
        prop_assert_eq!(&log, &once);
    }

    #[test]
    fn under_delete_only_records_leave_only_through_the_log_start(
        config in config(Just(CleanupPolicy::Delete)),
        ops in prop::collection::vec(op(), 0..120),
    ) {
        let mut log = PartitionLog::new();
        let mut now_ms = 0;
        let mut appended: Vec<Record> = Vec::new();
        for op in &ops {
            let start_before = log.log_start_offset();
            apply(&mut log, op, &config, &mut now_ms, &mut appended);
            if matches!(op, Op::Append { .. } | Op::Compact { .. }) {
                prop_assert_eq!(log.log_start_offset(), start_before);
            }
            let expected: Vec<i64> = (log.log_start_offset()..log.log_end_offset()).collect();
            prop_assert_eq!(visible(&log), expected);
            check_structure(&log, &appended)?;
        }
    }
}
