//! A producer's retries on the simulated clock (Kafka 4.4.0's `RecordAccumulator` and
//! `Sender`): a record the partition's leader cannot take now (no running leader;
//! `acks=all` below `min.insync.replicas`, `NOT_ENOUGH_REPLICAS`) waits in its producer, per
//! partition and in send order, and is tried again.
//!
//! - With no leader the record is not sent at all: it waits until metadata names a running
//!   leader (checked every tick) and counts no attempt.
//! - `NOT_ENOUGH_REPLICAS` is retriable: after the n-th refused send the partition's records
//!   wait `retry.backoff.ms` × 2ⁿ⁻¹, at most `retry.backoff.max.ms` (KIP-580, no jitter here),
//!   then go again, together and in order. `Sender.canRetry` retries while the delivery
//!   timeout has not passed and the record has been retried fewer than `retries` times;
//!   past that the record fails with the broker's error (`NotEnoughReplicasException`).
//! - Whatever the reason, a record still waiting `delivery.timeout.ms` after it was sent
//!   fails with the accumulator's `TimeoutException` ("Expiring 1 record(s) …").
//! - A record sent to a partition where earlier records of the same producer wait, waits
//!   behind them, so the order within a partition holds; a record reaches the log once (a
//!   refused send was never appended, so nothing is written twice).

use serde::{Deserialize, Serialize};

use crate::engine::event::Event;
use crate::engine::rejection::{Rejection, RejectionKind};
use crate::engine::types::{Record, TopicPartition};
use crate::engine::{txn, Engine, Outcome};

/// The most records one producer keeps waiting (`buffer.memory` in a real client).
pub const MAX_WAITING_PER_PRODUCER: usize = 1_000;

/// The `TimeoutException` of a record that waited `delivery.timeout.ms`
/// (`Sender.sendProducerData`, 4.4.0's text).
pub fn expiry_message(tp: &TopicPartition, waited_ms: i64) -> String {
    format!(
        "Expiring 1 record(s) for {tp}:{waited_ms} ms has passed since batch creation. The request has not been sent, or no server response has been received yet."
    )
}

/// The broker's `NOT_ENOUGH_REPLICAS` message.
pub const NOT_ENOUGH_REPLICAS_MESSAGE: &str =
    "Messages are rejected since there are fewer in-sync replicas than required.";

/// Why a record waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitReason {
    /// No running leader: the record is not sent until there is one.
    LeaderNotAvailable,
    /// The leader refused it: `acks=all` while the ISR is below `min.insync.replicas`.
    NotEnoughReplicas,
    /// Earlier records of the same producer wait for this partition.
    BehindEarlierRecords,
}

impl WaitReason {
    /// Kafka's error code, or what the record waits for.
    pub fn label(self) -> &'static str {
        match self {
            Self::LeaderNotAvailable => "LEADER_NOT_AVAILABLE",
            Self::NotEnoughReplicas => "NOT_ENOUGH_REPLICAS",
            Self::BehindEarlierRecords => "behind earlier records",
        }
    }
}

/// One record waiting in its producer to be retried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingRecord {
    pub partition: TopicPartition,
    /// The record as it will be appended (its timestamp is its creation time).
    pub record: Record,
    /// When `send()` was called, simulated ms.
    pub created_ms: i64,
    /// Produce requests sent with it so far, each refused.
    pub attempts: u32,
    /// The earliest moment of its next try.
    pub next_attempt_ms: i64,
    pub reason: WaitReason,
}

impl WaitingRecord {
    /// Milliseconds until `delivery.timeout.ms` expires it (0 when due).
    pub fn time_left_ms(&self, now_ms: i64, delivery_timeout_ms: i64) -> i64 {
        (self.created_ms + delivery_timeout_ms - now_ms).max(0)
    }
}

impl Engine {
    /// Whether `producer` has records waiting for `tp`.
    pub(crate) fn has_waiting(&self, producer: &str, tp: &TopicPartition) -> bool {
        self.producers
            .get(producer)
            .is_some_and(|p| p.waiting.iter().any(|w| &w.partition == tp))
    }

    /// Keeps a record the leader cannot take now in its producer (or refuses it at once
    /// when `retries=0` leaves no retry for `NOT_ENOUGH_REPLICAS`).
    pub(crate) fn hold_record(
        &mut self,
        producer_name: &str,
        tp: TopicPartition,
        record: Record,
        refusal: Option<Rejection>,
        mut events: Vec<Event>,
    ) -> Outcome {
        let now_ms = self.now_ms();
        let Some(producer) = self.producers.get_mut(producer_name) else {
            return Err(Rejection::new(
                RejectionKind::Invalid,
                "internal: producer vanished",
            ));
        };
        let reason = match refusal.as_ref().map(|r| r.kind) {
            _ if producer.waiting.iter().any(|w| w.partition == tp) => {
                WaitReason::BehindEarlierRecords
            }
            Some(RejectionKind::NotEnoughReplicas) => WaitReason::NotEnoughReplicas,
            _ => WaitReason::LeaderNotAvailable,
        };
        let configs = &producer.txn.configs;
        let delivery_timeout_ms = configs.delivery_timeout().unwrap_or(120_000);
        if reason == WaitReason::NotEnoughReplicas && configs.retries == 0 {
            return Err(Rejection::new(
                RejectionKind::NotEnoughReplicas,
                NOT_ENOUGH_REPLICAS_MESSAGE,
            ));
        }
        if producer.waiting.len() >= MAX_WAITING_PER_PRODUCER {
            return Err(Rejection::new(
                RejectionKind::OverLimit,
                format!(
                    "Producer {producer_name} already holds {MAX_WAITING_PER_PRODUCER} records waiting to be retried (the simulator's buffer.memory)."
                ),
            ));
        }
        let (attempts, next_attempt_ms) = match reason {
            WaitReason::NotEnoughReplicas => (1, now_ms + configs.retry_backoff(1)),
            WaitReason::LeaderNotAvailable => (0, now_ms),
            // It goes with the records before it, at their next try.
            WaitReason::BehindEarlierRecords => (0, now_ms),
        };
        producer.waiting.push(WaitingRecord {
            partition: tp.clone(),
            record,
            created_ms: now_ms,
            attempts,
            next_attempt_ms,
            reason,
        });
        events.push(Event::RecordWaiting {
            producer: producer_name.to_string(),
            partition: tp,
            reason: reason.label().to_string(),
            delivery_timeout_ms,
        });
        Ok(events)
    }

    /// One tick of every producer's retries: expired records fail, due partitions are
    /// tried again and their records land in order when the leader takes them.
    pub(crate) fn tick_retries(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let names: Vec<String> = self
            .producers
            .iter()
            .filter(|(_, p)| !p.waiting.is_empty())
            .map(|(n, _)| n.clone())
            .collect();
        for name in names {
            events.extend(self.expire_waiting(&name));
            let mut partitions: Vec<TopicPartition> = Vec::new();
            if let Some(p) = self.producers.get(&name) {
                for w in &p.waiting {
                    if !partitions.contains(&w.partition) {
                        partitions.push(w.partition.clone());
                    }
                }
            }
            for tp in partitions {
                events.extend(self.retry_partition(&name, &tp));
            }
        }
        events
    }

    /// Fails the records of `name` that waited `delivery.timeout.ms`.
    fn expire_waiting(&mut self, name: &str) -> Vec<Event> {
        let now_ms = self.now_ms();
        let Some(producer) = self.producers.get_mut(name) else {
            return Vec::new();
        };
        let timeout = producer.txn.configs.delivery_timeout().unwrap_or(120_000);
        let mut events = Vec::new();
        producer.waiting.retain(|w| {
            let waited = now_ms - w.created_ms;
            if waited < timeout {
                return true;
            }
            events.push(failed(
                name,
                w,
                "org.apache.kafka.common.errors.TimeoutException",
                expiry_message(&w.partition, waited),
            ));
            false
        });
        events
    }

    /// Tries the waiting records of `name` for `tp` when their time has come.
    fn retry_partition(&mut self, name: &str, tp: &TopicPartition) -> Vec<Event> {
        let now_ms = self.now_ms();
        let Some(producer) = self.producers.get(name) else {
            return Vec::new();
        };
        let Some(head) = producer.waiting.iter().find(|w| &w.partition == tp) else {
            return Vec::new();
        };
        if head.next_attempt_ms > now_ms {
            return Vec::new();
        }
        match self.cluster_refuses_produce(&tp.topic, tp.partition, name) {
            None => self.land_waiting(name, tp),
            Some(refusal) if refusal.kind == RejectionKind::NotEnoughReplicas => {
                self.refused_again(name, tp)
            }
            // No leader yet: nothing is sent; look again next tick.
            Some(_) => Vec::new(),
        }
    }

    /// The leader refused the partition's records once more: each counts the attempt;
    /// those retried `retries` times fail with the broker's error, the rest back off.
    fn refused_again(&mut self, name: &str, tp: &TopicPartition) -> Vec<Event> {
        let now_ms = self.now_ms();
        let Some(producer) = self.producers.get_mut(name) else {
            return Vec::new();
        };
        let configs = producer.txn.configs.clone();
        let retries = u32::try_from(configs.retries).unwrap_or(0);
        let mut events = Vec::new();
        producer.waiting.retain_mut(|w| {
            if &w.partition != tp {
                return true;
            }
            w.attempts += 1;
            w.reason = WaitReason::NotEnoughReplicas;
            // `Sender.canRetry`: attempts so far (retries made) below `retries`.
            if w.attempts > retries {
                events.push(failed(
                    name,
                    w,
                    "org.apache.kafka.common.errors.NotEnoughReplicasException",
                    NOT_ENOUGH_REPLICAS_MESSAGE.to_string(),
                ));
                return false;
            }
            w.next_attempt_ms = now_ms + configs.retry_backoff(w.attempts);
            true
        });
        // Later records go with the first at its next try.
        let next = producer
            .waiting
            .iter()
            .find(|w| &w.partition == tp)
            .map(|w| w.next_attempt_ms);
        if let Some(next) = next {
            for w in producer.waiting.iter_mut().filter(|w| &w.partition == tp) {
                w.next_attempt_ms = next;
            }
        }
        events
    }

    /// The leader takes the partition's waiting records: each is appended once, in order.
    fn land_waiting(&mut self, name: &str, tp: &TopicPartition) -> Vec<Event> {
        let now_ms = self.now_ms();
        let Some(producer) = self.producers.get_mut(name) else {
            return Vec::new();
        };
        let (landing, rest): (Vec<WaitingRecord>, Vec<WaitingRecord>) =
            std::mem::take(&mut producer.waiting)
                .into_iter()
                .partition(|w| &w.partition == tp);
        producer.waiting = rest;
        let mut events = Vec::new();
        for w in landing {
            let Some(producer) = self.producers.get_mut(name) else {
                break;
            };
            if let Err(why) = txn::send::check_send(producer, &tp.to_string()) {
                events.push(failed(
                    name,
                    &w,
                    "org.apache.kafka.common.KafkaException",
                    why.to_string(),
                ));
                continue;
            }
            let Some(topic) = self.topics.get_mut(&tp.topic) else {
                events.push(failed(
                    name,
                    &w,
                    "org.apache.kafka.common.errors.UnknownTopicOrPartitionException",
                    "This server does not host this topic-partition.".into(),
                ));
                continue;
            };
            let config = topic.config.clone();
            let Some(log) = topic.partitions.get_mut(tp.partition as usize) else {
                continue;
            };
            producer.records_sent += 1;
            let delivered = txn::send::deliver(
                producer,
                &mut self.transactions,
                log,
                tp,
                w.record.clone(),
                now_ms,
                &config,
            );
            let offset = delivered.iter().find_map(|e| match e {
                Event::RecordProduced { offset, .. } => Some(*offset),
                _ => None,
            });
            events.extend(delivered);
            if let Some(offset) = offset {
                events.push(Event::WaitingRecordLanded {
                    producer: name.to_string(),
                    partition: tp.clone(),
                    offset,
                    attempts: w.attempts + 1,
                    waited_ms: now_ms - w.created_ms,
                });
            }
        }
        events
    }
}

/// The event of a waiting record that failed.
fn failed(name: &str, w: &WaitingRecord, exception: &str, message: String) -> Event {
    let bytes = |text: &str| u32::try_from(text.len()).unwrap_or(u32::MAX);
    Event::RecordFailed {
        producer: name.to_string(),
        partition: w.partition.clone(),
        key_bytes: w.record.key.as_deref().map(bytes),
        value_bytes: w.record.value.as_deref().map_or(0, bytes),
        error: format!("{exception}: {message}"),
    }
}
