//! The share consumer (`KafkaShareConsumer`, SEMANTICS-4 §C.4) and its application: it
//! heartbeats every `share.heartbeat.interval.ms`, and when it has finished what its last
//! poll returned it polls again: the poll carries the acknowledgements of the finished
//! records (ACCEPT, or RELEASE and REJECT at the configured failure rates) and fetches new
//! ones, up to `max.poll.records`, from its partitions in turn. The application processes
//! at a rate; a record it holds past its lock is redelivered to someone else and its late
//! acknowledgement fails.

use std::collections::BTreeMap;

use super::ack_mode::{AcknowledgementMode, ACKNOWLEDGEMENT_MODE, IMPLICIT_ACKNOWLEDGE};
use super::coordinator::{archived_of, share};
use super::dlq::ArchiveCause;
use super::event::ShareEvent;
use super::{HeldRecord, ShareConsumer, ShareConsumerStatus, ShareOffsets};
use crate::engine::limits;
use crate::engine::share_partition::{AckType, RecordState, SharePartition};
use crate::engine::time::MS_PER_TICK;
use crate::engine::topic::new_topic_id;
use crate::engine::types::TopicPartition;
use crate::engine::{Engine, Event, Outcome, Rejection, RejectionKind};

/// `max.poll.records` (500).
pub const MAX_POLL_RECORDS: u32 = 500;

/// A rate that stands for "as fast as records come" (the console share consumer).
pub const INSTANT_MILLIRECORDS_PER_SECOND: u64 = 1_000_000_000;

fn refused(reason: impl Into<String>) -> Outcome {
    Err(Rejection::new(RejectionKind::Invalid, reason))
}

impl Engine {
    pub(super) fn start_share_consumer(
        &mut self,
        client_id: &str,
        group: &str,
        topic: &str,
        millirecords_per_second: u64,
        (release_per_mille, reject_per_mille): (u32, u32),
        (max_messages, acknowledgement_mode): (Option<u64>, AcknowledgementMode),
    ) -> Outcome {
        if client_id.is_empty() {
            return refused("A share consumer needs a name.");
        }
        if group.is_empty() {
            return refused("The share group id must not be empty.");
        }
        if self.consumers.contains_key(client_id)
            || self
                .share
                .consumers
                .get(client_id)
                .is_some_and(ShareConsumer::is_running)
        {
            return refused(format!("A consumer named {client_id} already exists."));
        }
        if self.groups.contains_key(group)
            || self
                .consumers
                .values()
                .any(|c| c.group.as_deref() == Some(group))
        {
            return refused(format!(
                "Group {group} is a consumer group, not a share group."
            ));
        }
        if !acknowledgement_mode.is_explicit() && (release_per_mille > 0 || reject_per_mille > 0) {
            // The application RELEASEs and REJECTs with `acknowledge`, which throws in
            // implicit mode.
            return refused(format!(
                "java.lang.IllegalStateException: {IMPLICIT_ACKNOWLEDGE} A share consumer releases or rejects records only with {ACKNOWLEDGEMENT_MODE}=explicit; in implicit mode its next poll accepts every record."
            ));
        }
        if u64::from(release_per_mille) + u64::from(reject_per_mille) > 1_000 {
            return refused("The failure rates add up to more than 1.");
        }
        let running = self.consumers.len()
            + self
                .share
                .consumers
                .values()
                .filter(|c| c.is_running())
                .count();
        if running >= limits::MAX_CONSUMERS {
            return Err(Rejection::new(
                RejectionKind::OverLimit,
                limits::over("consumers", limits::MAX_CONSUMERS as u64),
            ));
        }
        if !self.share.groups.contains_key(group)
            && self.group_count() + self.share.groups.len() >= limits::MAX_GROUPS
        {
            return Err(Rejection::new(
                RejectionKind::OverLimit,
                limits::over("consumer groups", limits::MAX_GROUPS as u64),
            ));
        }
        let member_id = new_topic_id(&mut self.rng);
        self.share.started += 1;
        let consumer = ShareConsumer {
            client_id: client_id.to_string(),
            group: group.to_string(),
            topic: topic.to_string(),
            member_id,
            status: ShareConsumerStatus::Running,
            processing_millirecords_per_second: millirecords_per_second
                .clamp(1, INSTANT_MILLIRECORDS_PER_SECOND),
            release_per_mille,
            reject_per_mille,
            max_poll_records: MAX_POLL_RECORDS,
            acknowledgement_mode,
            assignment: Vec::new(),
            member_epoch: 0,
            next_heartbeat_tick: self.tick,
            in_hand: Vec::new(),
            pending_acks: Vec::new(),
            credit_millirecords: 0,
            next_partition: 0,
            max_messages,
            processed: 0,
            rank: self.share.started,
        };
        self.share.consumers.insert(client_id.to_string(), consumer);
        let mut events = vec![share(ShareEvent::ConsumerStarted {
            client_id: client_id.to_string(),
            group: group.to_string(),
        })];
        events.extend(self.share_join(group, client_id));
        events.extend(self.share_poll(client_id));
        if max_messages.is_some() {
            // The console share consumer prints what it got at once.
            events.extend(self.process_share_records(client_id));
        }
        Ok(events)
    }

    pub(super) fn stop_share_consumer(&mut self, client_id: &str) -> Outcome {
        match self.share.consumers.get(client_id) {
            Some(c) if c.is_running() => Ok(self.close_share_consumer(client_id)),
            Some(_) => refused(format!("Share consumer {client_id} is not running.")),
            None => refused(format!("There is no share consumer named {client_id}.")),
        }
    }

    /// `close()`: in explicit mode the finished records are acknowledged and the rest
    /// released; in implicit mode nothing of the last batch was acknowledged yet (only a
    /// poll does that), so all of it is released, finished or not. Then the member leaves
    /// the group.
    fn close_share_consumer(&mut self, client_id: &str) -> Vec<Event> {
        let Some(c) = self.share.consumers.get_mut(client_id) else {
            return Vec::new();
        };
        if !c.acknowledgement_mode.is_explicit() {
            let mut release: Vec<HeldRecord> = std::mem::take(&mut c.pending_acks)
                .into_iter()
                .map(|(partition, offset, _)| HeldRecord {
                    partition,
                    offset,
                    delivery_count: 0,
                })
                .collect();
            release.append(&mut c.in_hand);
            c.in_hand = release;
        }
        let held = std::mem::take(&mut c.in_hand);
        // The finished records' acknowledgements go first, then the release of the rest:
        // two writes of the share-partition's state, as the real client's close makes them.
        let mut events = self.send_share_acks(client_id);
        let Some(c) = self.share.consumers.get_mut(client_id) else {
            return events;
        };
        c.pending_acks.extend(
            held.into_iter()
                .map(|r| (r.partition, r.offset, AckType::Release)),
        );
        events.extend(self.send_share_acks(client_id));
        let Some(c) = self.share.consumers.get_mut(client_id) else {
            return events;
        };
        c.status = ShareConsumerStatus::Stopped;
        c.assignment.clear();
        let (group, member) = (c.group.clone(), c.member_id.clone());
        events.push(share(ShareEvent::ConsumerStopped {
            client_id: client_id.to_string(),
        }));
        events.extend(self.share_remove_member(&group, &member, false));
        events
    }

    /// `share-consumer set NAME key=value`: `rate` (records/s, more than 0), `fail-rate` or
    /// `reject-rate` (fractions, explicit mode only, adding up to at most 1).
    pub(super) fn set_share_consumer(
        &mut self,
        client_id: &str,
        key: &str,
        value: &str,
    ) -> Outcome {
        let Some(c) = self.share.consumers.get_mut(client_id) else {
            return refused(format!("There is no share consumer named {client_id}."));
        };
        if !c.is_running() {
            return refused(format!("Share consumer {client_id} is not running."));
        }
        let parsed = crate::engine::consumer::parse_thousandths(value.trim());
        let fraction = |name: &str| match parsed {
            Some(v) if v <= 1_000 => Ok(v as u32),
            _ => Err(format!("{name} is a fraction between 0 and 1, not {value}")),
        };
        let (mut rate, mut release, mut reject) = (
            c.processing_millirecords_per_second,
            c.release_per_mille,
            c.reject_per_mille,
        );
        match key.trim() {
            "rate" => match parsed {
                Some(v) if v > 0 => rate = v,
                _ => {
                    return refused(format!(
                        "rate is records per second, more than 0, not {value}"
                    ))
                }
            },
            "fail-rate" => match fraction("fail-rate") {
                Ok(v) => release = v,
                Err(e) => return refused(e),
            },
            "reject-rate" => match fraction("reject-rate") {
                Ok(v) => reject = v,
                Err(e) => return refused(e),
            },
            other => {
                return refused(format!(
                    "A share consumer's settings are rate, fail-rate and reject-rate, not {other}."
                ))
            }
        }
        if !c.acknowledgement_mode.is_explicit() && (release > 0 || reject > 0) {
            return refused(format!(
                "java.lang.IllegalStateException: {IMPLICIT_ACKNOWLEDGE} A share consumer releases or rejects records only with {ACKNOWLEDGEMENT_MODE}=explicit; in implicit mode its next poll accepts every record."
            ));
        }
        if u64::from(release) + u64::from(reject) > 1_000 {
            return refused("The failure rates add up to more than 1.");
        }
        c.processing_millirecords_per_second = rate;
        c.release_per_mille = release;
        c.reject_per_mille = reject;
        let shown = match key.trim() {
            "rate" => rate,
            "fail-rate" => u64::from(release),
            _ => u64::from(reject),
        };
        Ok(vec![share(ShareEvent::ConsumerSettingChanged {
            client_id: client_id.to_string(),
            key: key.trim().to_string(),
            value: crate::engine::consumer::format_thousandths(shown),
        })])
    }

    pub(super) fn crash_share_consumer(&mut self, client_id: &str) -> Outcome {
        let Some(c) = self.share.consumers.get_mut(client_id) else {
            return refused(format!("There is no share consumer named {client_id}."));
        };
        if !c.is_running() {
            return refused(format!("Share consumer {client_id} is not running."));
        }
        c.status = ShareConsumerStatus::Crashed;
        c.in_hand.clear();
        c.pending_acks.clear();
        c.assignment.clear();
        Ok(vec![share(ShareEvent::ConsumerCrashed {
            client_id: client_id.to_string(),
        })])
    }

    /// Every running share consumer's tick: heartbeat when due, process, poll when done.
    pub(super) fn tick_share_consumers(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let ids: Vec<String> = self
            .share
            .consumers
            .iter()
            .filter(|(_, c)| c.is_running())
            .map(|(id, _)| id.clone())
            .collect();
        for id in ids {
            if self
                .share
                .consumers
                .get(&id)
                .is_some_and(|c| self.tick >= c.next_heartbeat_tick)
            {
                events.extend(self.share_heartbeat(&id));
            }
            if let Some(c) = self.share.consumers.get_mut(&id) {
                let per_tick = c
                    .processing_millirecords_per_second
                    .saturating_mul(MS_PER_TICK as u64)
                    / 1_000;
                c.credit_millirecords = c.credit_millirecords.saturating_add(per_tick);
            }
            events.extend(self.process_share_records(&id));
            let idle = self
                .share
                .consumers
                .get(&id)
                .is_some_and(|c| c.is_running() && c.in_hand.is_empty());
            if idle {
                events.extend(self.share_poll(&id));
            }
        }
        events
    }

    /// The application works through what it holds as its credit allows; each record is
    /// accepted, or released or rejected at the configured rates. A console share consumer
    /// stops at its `--max-messages`.
    fn process_share_records(&mut self, client_id: &str) -> Vec<Event> {
        let mut decisions = Vec::new();
        let mut done = false;
        {
            let Some(c) = self.share.consumers.get(client_id) else {
                return Vec::new();
            };
            let instant = c.max_messages.is_some()
                || c.processing_millirecords_per_second >= INSTANT_MILLIRECORDS_PER_SECOND;
            let mut credit = c.credit_millirecords;
            let mut processed = c.processed;
            for _ in &c.in_hand {
                if c.max_messages.is_some_and(|max| processed >= max) {
                    done = true;
                    break;
                }
                if !instant && credit < 1_000 {
                    break;
                }
                credit = credit.saturating_sub(1_000);
                processed += 1;
                decisions.push(());
            }
            if c.max_messages.is_some_and(|max| processed >= max) {
                done = true;
            }
        }
        let count = decisions.len();
        let mut outcomes = Vec::with_capacity(count);
        let (release, reject) = self.share.consumers.get(client_id).map_or((0, 0), |c| {
            (
                u64::from(c.release_per_mille),
                u64::from(c.reject_per_mille),
            )
        });
        for _ in 0..count {
            let ack = if release + reject == 0 {
                AckType::Accept
            } else {
                let draw = self.rng.below(1_000);
                if draw < release {
                    AckType::Release
                } else if draw < release + reject {
                    AckType::Reject
                } else {
                    AckType::Accept
                }
            };
            outcomes.push(ack);
        }
        if let Some(c) = self.share.consumers.get_mut(client_id) {
            let finished: Vec<HeldRecord> = c.in_hand.drain(..count).collect();
            for (record, ack) in finished.into_iter().zip(outcomes) {
                c.pending_acks.push((record.partition, record.offset, ack));
            }
            c.processed += count as u64;
            c.credit_millirecords = c.credit_millirecords.saturating_sub(count as u64 * 1_000);
            if c.in_hand.is_empty() {
                c.credit_millirecords = 0;
            }
        }
        if done {
            return self.close_share_consumer(client_id);
        }
        Vec::new()
    }

    /// Sends the finished records' acknowledgements, one batch per partition: a batch with
    /// a record whose lock expired fails whole (`InvalidRecordStateException`).
    fn send_share_acks(&mut self, client_id: &str) -> Vec<Event> {
        let Some(c) = self.share.consumers.get_mut(client_id) else {
            return Vec::new();
        };
        let acks = std::mem::take(&mut c.pending_acks);
        let (group_id, member_id) = (c.group.clone(), c.member_id.clone());
        let mut by_partition: BTreeMap<TopicPartition, Vec<(i64, AckType)>> = BTreeMap::new();
        for (tp, offset, ack) in acks {
            by_partition.entry(tp).or_default().push((offset, ack));
        }
        let config = self.share.config_of(&group_id);
        let mut events = Vec::new();
        let mut dead_letters = Vec::new();
        let Some(group) = self.share.groups.get_mut(&group_id) else {
            return events;
        };
        for (tp, batch) in by_partition {
            let Some(offsets) = group.partitions.get_mut(&tp) else {
                continue;
            };
            let before = offsets.partition.start_offset;
            match offsets
                .partition
                .acknowledge(&member_id, &batch, &config.share)
            {
                Ok(transitions) => {
                    offsets.written_start_offset = Some(before);
                    let archived: Vec<(i64, u32, ArchiveCause)> = transitions
                        .iter()
                        .filter(|t| t.state == RecordState::Archived)
                        .map(|t| {
                            let rejected = batch
                                .iter()
                                .any(|(o, a)| *o == t.offset && *a == AckType::Reject);
                            let cause = if rejected {
                                ArchiveCause::Rejected
                            } else {
                                ArchiveCause::DeliveryLimit
                            };
                            (t.offset, t.delivery_count, cause)
                        })
                        .collect();
                    if !archived.is_empty() {
                        dead_letters.push((tp.clone(), archived));
                    }
                    events.push(share(ShareEvent::RecordsAcknowledged {
                        group: group_id.clone(),
                        client_id: client_id.to_string(),
                        partition: tp,
                        acks: batch,
                        archived: archived_of(&transitions),
                    }));
                }
                Err(invalid) => events.push(share(ShareEvent::AcknowledgementFailed {
                    group: group_id.clone(),
                    client_id: client_id.to_string(),
                    partition: tp,
                    offset: invalid.offset,
                })),
            }
        }
        for (tp, archived) in dead_letters {
            events.extend(self.dead_letter(&group_id, &tp, &archived));
        }
        events
    }

    /// A poll: the acknowledgements go, then a ShareFetch acquires records from the assigned
    /// partitions in turn (a share-partition starts at `share.auto.offset.reset` when first
    /// fetched).
    fn share_poll(&mut self, client_id: &str) -> Vec<Event> {
        let mut events = self.send_share_acks(client_id);
        let Some(c) = self.share.consumers.get(client_id) else {
            return events;
        };
        if c.assignment.is_empty() {
            return events;
        }
        let (group_id, member_id) = (c.group.clone(), c.member_id.clone());
        let assignment = c.assignment.clone();
        let start = c.next_partition % assignment.len();
        let mut remaining = c.max_poll_records;
        let config = self.share.config_of(&group_id);
        let now_ms = self.now_ms();
        let mut acquired: Vec<HeldRecord> = Vec::new();
        for k in 0..assignment.len() {
            if remaining == 0 {
                break;
            }
            let tp = &assignment[(start + k) % assignment.len()];
            let Some(log) = self.partition_log(tp) else {
                continue;
            };
            let (log_start, high_watermark) = (log.log_start_offset(), log.high_watermark());
            let Some(group) = self.share.groups.get_mut(&group_id) else {
                return events;
            };
            if !group.partitions.contains_key(tp) {
                let partition =
                    SharePartition::initialize(config.auto_offset_reset, log_start, high_watermark);
                events.push(share(ShareEvent::PartitionInitialized {
                    group: group_id.clone(),
                    partition: tp.clone(),
                    start_offset: partition.start_offset,
                }));
                group.partitions.insert(
                    tp.clone(),
                    ShareOffsets {
                        partition,
                        written_start_offset: None,
                    },
                );
            }
            let Some(offsets) = group.partitions.get_mut(tp) else {
                continue;
            };
            let got = offsets.partition.acquire(
                &member_id,
                remaining,
                high_watermark,
                now_ms,
                &config.share,
            );
            if got.is_empty() {
                continue;
            }
            remaining = remaining.saturating_sub(got.len() as u32);
            events.push(share(ShareEvent::RecordsAcquired {
                group: group_id.clone(),
                client_id: client_id.to_string(),
                partition: tp.clone(),
                records: got.iter().map(|t| (t.offset, t.delivery_count)).collect(),
            }));
            acquired.extend(got.iter().map(|t| HeldRecord {
                partition: tp.clone(),
                offset: t.offset,
                delivery_count: t.delivery_count,
            }));
        }
        if let Some(c) = self.share.consumers.get_mut(client_id) {
            c.in_hand.extend(acquired);
            c.next_partition = (start + 1) % assignment.len();
        }
        events
    }
}
