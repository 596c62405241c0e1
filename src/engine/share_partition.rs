//! A share-partition (KIP-932, SEMANTICS-4 §C): one share group's view of one topic-partition,
//! where many consumers take records one by one. Each record in flight is Available,
//! Acquired by one member under a time lock, Acknowledged or Archived, and counts its
//! deliveries; the share-partition start offset (SPSO) slides over the finished prefix.
//!
//! Pure: the caller gives the partition's log start and high watermark, the time, and which
//! member asks. Nothing here holds records; offsets name them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `group.share.delivery.count.limit` (5).
pub const DELIVERY_COUNT_LIMIT: u32 = 5;
/// `group.share.record.lock.duration.ms` (30 s).
pub const RECORD_LOCK_DURATION_MS: i64 = 30_000;
/// `group.share.partition.max.record.locks` (2000).
pub const MAX_RECORD_LOCKS: u32 = 2_000;

/// The settings a share-partition follows (broker defaults, overridable per group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareConfig {
    pub delivery_count_limit: u32,
    pub record_lock_duration_ms: i64,
    pub max_record_locks: u32,
}

impl Default for ShareConfig {
    fn default() -> Self {
        Self {
            delivery_count_limit: DELIVERY_COUNT_LIMIT,
            record_lock_duration_ms: RECORD_LOCK_DURATION_MS,
            max_record_locks: MAX_RECORD_LOCKS,
        }
    }
}

/// `share.auto.offset.reset`: where a share-partition starts when first used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareReset {
    Earliest,
    /// The default.
    Latest,
}

/// `RecordState`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordState {
    Available,
    /// Held by one member until its lock expires.
    Acquired {
        member: String,
        lock_expires_ms: i64,
    },
    Acknowledged,
    Archived,
}

impl RecordState {
    pub fn is_terminal(&self) -> bool {
        matches!(self, RecordState::Acknowledged | RecordState::Archived)
    }

    /// Kafka's name.
    pub fn name(&self) -> &'static str {
        match self {
            RecordState::Available => "AVAILABLE",
            RecordState::Acquired { .. } => "ACQUIRED",
            RecordState::Acknowledged => "ACKNOWLEDGED",
            RecordState::Archived => "ARCHIVED",
        }
    }
}

/// A record in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    pub state: RecordState,
    pub delivery_count: u32,
}

/// `AcknowledgeType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AckType {
    /// Processed: done.
    Accept,
    /// Give it back for another delivery.
    Release,
    /// Unprocessable: archive it.
    Reject,
}

/// Why an acknowledgement failed (`InvalidRecordStateException`): nothing of the batch
/// changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidRecordState {
    pub offset: i64,
}

/// What happened to a record, for the diagram and the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub offset: i64,
    pub state: RecordState,
    pub delivery_count: u32,
}

/// One share group's state on one partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharePartition {
    /// The SPSO: everything below is finished.
    pub start_offset: i64,
    /// The next offset never fetched yet (the SPEO is one below).
    pub next_new_offset: i64,
    /// The records in flight, from the SPSO on.
    pub records: BTreeMap<i64, InFlight>,
}

impl SharePartition {
    /// A share-partition first used: `share.auto.offset.reset` against the log.
    pub fn initialize(reset: ShareReset, log_start: i64, high_watermark: i64) -> Self {
        let start = match reset {
            ShareReset::Earliest => log_start,
            ShareReset::Latest => high_watermark,
        };
        Self {
            start_offset: start,
            next_new_offset: start,
            records: BTreeMap::new(),
        }
    }

    /// Records in `[SPSO, SPEO]`: what the lock cap counts.
    pub fn in_flight(&self) -> u64 {
        self.next_new_offset
            .saturating_sub(self.start_offset)
            .max(0) as u64
    }

    /// A share fetch by `member`: redeliveries (the lowest Available records) first, then new
    /// records up to the high watermark while the window has room; each acquired record counts
    /// a delivery and is locked to the member.
    pub fn acquire(
        &mut self,
        member: &str,
        max_records: u32,
        high_watermark: i64,
        now_ms: i64,
        config: &ShareConfig,
    ) -> Vec<Transition> {
        let mut out = Vec::new();
        let lock = RecordState::Acquired {
            member: member.to_string(),
            lock_expires_ms: now_ms.saturating_add(config.record_lock_duration_ms),
        };
        for (&offset, record) in self.records.iter_mut() {
            if out.len() >= max_records as usize {
                return out;
            }
            if record.state == RecordState::Available && offset < high_watermark {
                record.state = lock.clone();
                record.delivery_count += 1;
                out.push(Transition {
                    offset,
                    state: record.state.clone(),
                    delivery_count: record.delivery_count,
                });
            }
        }
        while out.len() < max_records as usize
            && self.next_new_offset < high_watermark
            && self.in_flight() < u64::from(config.max_record_locks)
        {
            let offset = self.next_new_offset;
            self.records.insert(
                offset,
                InFlight {
                    state: lock.clone(),
                    delivery_count: 1,
                },
            );
            self.next_new_offset += 1;
            out.push(Transition {
                offset,
                state: lock.clone(),
                delivery_count: 1,
            });
        }
        out
    }

    /// A member's acknowledgement of a batch: all of it, or nothing if one record is not
    /// acquired by this member (its lock expired, or another holds it).
    pub fn acknowledge(
        &mut self,
        member: &str,
        batch: &[(i64, AckType)],
        config: &ShareConfig,
    ) -> Result<Vec<Transition>, InvalidRecordState> {
        for &(offset, _) in batch {
            let held = self.records.get(&offset).is_some_and(
                |r| matches!(&r.state, RecordState::Acquired { member: m, .. } if m == member),
            );
            if !held {
                return Err(InvalidRecordState { offset });
            }
        }
        let mut out = Vec::new();
        for &(offset, ack) in batch {
            if let Some(record) = self.records.get_mut(&offset) {
                record.state = match ack {
                    AckType::Accept => RecordState::Acknowledged,
                    AckType::Reject => RecordState::Archived,
                    AckType::Release => available_or_archived(record.delivery_count, config),
                };
                out.push(Transition {
                    offset,
                    state: record.state.clone(),
                    delivery_count: record.delivery_count,
                });
            }
        }
        self.advance_start();
        Ok(out)
    }

    /// Locks that expired by `now_ms` give their records back (archived at the delivery
    /// limit) (`releaseAcquisitionLockOnTimeout`).
    pub fn expire_locks(&mut self, now_ms: i64, config: &ShareConfig) -> Vec<Transition> {
        let mut out = Vec::new();
        for (&offset, record) in self.records.iter_mut() {
            if let RecordState::Acquired {
                lock_expires_ms, ..
            } = record.state
            {
                if lock_expires_ms <= now_ms {
                    record.state = available_or_archived(record.delivery_count, config);
                    out.push(Transition {
                        offset,
                        state: record.state.clone(),
                        delivery_count: record.delivery_count,
                    });
                }
            }
        }
        self.advance_start();
        out
    }

    /// A member left or was removed: what it held goes back, and the attempt does not count
    /// (`releaseAcquiredRecords` with `DeliveryCountOps.DECREASE`).
    pub fn release_member(&mut self, member: &str) -> Vec<Transition> {
        let mut out = Vec::new();
        for (&offset, record) in self.records.iter_mut() {
            if matches!(&record.state, RecordState::Acquired { member: m, .. } if m == member) {
                record.delivery_count = record.delivery_count.saturating_sub(1);
                record.state = RecordState::Available;
                out.push(Transition {
                    offset,
                    state: RecordState::Available,
                    delivery_count: record.delivery_count,
                });
            }
        }
        out
    }

    /// Retention or DeleteRecords moved the log start: records below it are archived and the
    /// SPSO follows.
    pub fn log_start_moved(&mut self, log_start: i64) {
        if log_start <= self.start_offset {
            return;
        }
        self.records.retain(|&offset, _| offset >= log_start);
        self.start_offset = log_start;
        self.next_new_offset = self.next_new_offset.max(log_start);
        self.advance_start();
    }

    /// The SPSO slides over the finished prefix; when everything in flight is finished it
    /// jumps past the last fetched offset (`maybeUpdateCachedStateAndOffsets`).
    fn advance_start(&mut self) {
        while let Some((&offset, record)) = self.records.first_key_value() {
            if offset != self.start_offset || !record.state.is_terminal() {
                break;
            }
            self.records.remove(&offset);
            self.start_offset += 1;
        }
        if self.records.values().all(|r| r.state.is_terminal()) {
            self.records.clear();
            self.start_offset = self.next_new_offset;
        }
    }

    /// `kafka-share-groups --describe`'s LAG: the unfinished records from the SPSO up to the
    /// high watermark.
    pub fn lag(&self, high_watermark: i64) -> i64 {
        if high_watermark <= self.start_offset {
            return 0;
        }
        let never_fetched = (high_watermark - self.next_new_offset).max(0);
        let unfinished = self
            .records
            .range(self.start_offset..high_watermark)
            .filter(|(_, r)| !r.state.is_terminal())
            .count() as i64;
        never_fetched + unfinished
    }

    /// The state of one offset, as the diagram draws it: `None` below the SPSO (finished) or
    /// never fetched.
    pub fn state_of(&self, offset: i64) -> Option<&InFlight> {
        self.records.get(&offset)
    }
}

/// Back to Available, unless the record has used all its deliveries.
fn available_or_archived(delivery_count: u32, config: &ShareConfig) -> RecordState {
    if delivery_count >= config.delivery_count_limit {
        RecordState::Archived
    } else {
        RecordState::Available
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acquired_by(p: &SharePartition, offset: i64) -> Option<&str> {
        match &p.records.get(&offset)?.state {
            RecordState::Acquired { member, .. } => Some(member),
            _ => None,
        }
    }

    #[test]
    fn five_consumers_share_one_partition() {
        let c = ShareConfig::default();
        let mut p = SharePartition::initialize(ShareReset::Earliest, 0, 10);
        for (i, m) in ["a", "b", "c", "d", "e"].iter().enumerate() {
            let got = p.acquire(m, 2, 10, 0, &c);
            let offsets: Vec<i64> = got.iter().map(|t| t.offset).collect();
            assert_eq!(
                offsets,
                vec![2 * i as i64, 2 * i as i64 + 1],
                "{m} takes the next two"
            );
        }
        assert_eq!(acquired_by(&p, 9), Some("e"));
        // Nobody can acknowledge another's record.
        assert_eq!(
            p.acknowledge("a", &[(2, AckType::Accept)], &c),
            Err(InvalidRecordState { offset: 2 })
        );
        assert_eq!(p.lag(10), 10);
        p.acknowledge("a", &[(0, AckType::Accept), (1, AckType::Accept)], &c)
            .unwrap();
        assert_eq!(
            p.start_offset, 2,
            "the SPSO slides over the finished prefix"
        );
        assert_eq!(p.lag(10), 8);
    }

    #[test]
    fn order_is_not_kept_a_released_record_comes_back_first() {
        let c = ShareConfig::default();
        let mut p = SharePartition::initialize(ShareReset::Earliest, 0, 4);
        p.acquire("a", 1, 4, 0, &c);
        p.acquire("b", 2, 4, 0, &c);
        // a gives offset 0 back while b finishes 1 and 2.
        p.acknowledge("a", &[(0, AckType::Release)], &c).unwrap();
        p.acknowledge("b", &[(1, AckType::Accept), (2, AckType::Accept)], &c)
            .unwrap();
        let next: Vec<i64> = p
            .acquire("c", 2, 4, 10, &c)
            .iter()
            .map(|t| t.offset)
            .collect();
        assert_eq!(
            next,
            vec![0, 3],
            "the redelivery first, then the new record"
        );
        assert_eq!(p.records[&0].delivery_count, 2);
        assert_eq!(
            p.start_offset, 0,
            "offset 0 is not finished: the SPSO waits"
        );
    }

    #[test]
    fn a_poison_record_is_archived_after_its_last_delivery() {
        let c = ShareConfig::default();
        let mut p = SharePartition::initialize(ShareReset::Earliest, 0, 1);
        for attempt in 1..=5 {
            let got = p.acquire("a", 1, 1, attempt * 100, &c);
            assert_eq!(got.len(), 1, "delivery {attempt}");
            assert_eq!(got[0].delivery_count, attempt as u32);
            let done = p.acknowledge("a", &[(0, AckType::Release)], &c).unwrap();
            let expected = if attempt == 5 {
                RecordState::Archived
            } else {
                RecordState::Available
            };
            assert_eq!(done[0].state, expected);
        }
        assert!(p.acquire("a", 1, 1, 1_000, &c).is_empty());
        assert_eq!(p.start_offset, 1, "archived is finished");
        assert_eq!(p.lag(1), 0);
    }

    #[test]
    fn an_expired_lock_redelivers_and_the_late_ack_fails() {
        let c = ShareConfig::default();
        let mut p = SharePartition::initialize(ShareReset::Earliest, 0, 2);
        p.acquire("slow", 2, 2, 0, &c);
        assert!(p.expire_locks(29_999, &c).is_empty());
        let released = p.expire_locks(30_000, &c);
        assert_eq!(released.len(), 2);
        assert!(released.iter().all(|t| t.state == RecordState::Available));
        assert_eq!(
            p.acknowledge("slow", &[(0, AckType::Accept)], &c),
            Err(InvalidRecordState { offset: 0 })
        );
        let again = p.acquire("fast", 2, 2, 30_100, &c);
        assert!(
            again.iter().all(|t| t.delivery_count == 2),
            "the expired attempt counted"
        );
    }

    #[test]
    fn a_removed_member_gives_records_back_without_counting_the_attempt() {
        let c = ShareConfig::default();
        let mut p = SharePartition::initialize(ShareReset::Earliest, 0, 3);
        p.acquire("crashed", 3, 3, 0, &c);
        let back = p.release_member("crashed");
        assert_eq!(back.len(), 3);
        assert!(back.iter().all(|t| t.delivery_count == 0));
        let again = p.acquire("other", 3, 3, 100, &c);
        assert!(again.iter().all(|t| t.delivery_count == 1));
    }

    #[test]
    fn latest_starts_at_the_high_watermark_and_the_lock_cap_bounds_the_window() {
        let c = ShareConfig {
            max_record_locks: 100,
            ..ShareConfig::default()
        };
        let mut p = SharePartition::initialize(ShareReset::Latest, 0, 50);
        assert_eq!(p.start_offset, 50);
        assert!(p.acquire("a", 500, 50, 0, &c).is_empty(), "nothing new yet");
        let got = p.acquire("a", 500, 1_000, 0, &c);
        assert_eq!(got.len(), 100, "at most 100 records in flight");
        assert!(
            p.acquire("b", 500, 1_000, 0, &c).is_empty(),
            "the window is full"
        );
        let batch: Vec<(i64, AckType)> = got.iter().map(|t| (t.offset, AckType::Accept)).collect();
        p.acknowledge("a", &batch, &c).unwrap();
        assert_eq!(p.start_offset, 150);
        assert_eq!(p.acquire("b", 500, 1_000, 0, &c).len(), 100);
    }

    #[test]
    fn retention_past_the_start_archives_what_was_in_flight() {
        let c = ShareConfig::default();
        let mut p = SharePartition::initialize(ShareReset::Earliest, 0, 10);
        p.acquire("a", 10, 10, 0, &c);
        p.log_start_moved(6);
        assert_eq!(p.start_offset, 6);
        assert!(p.state_of(5).is_none());
        assert_eq!(acquired_by(&p, 6), Some("a"));
        assert_eq!(p.lag(10), 4);
    }
}
