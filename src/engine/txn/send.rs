//! One send of a producer, with its retries (SEMANTICS-4 §D.2): an idempotent producer
//! numbers its batches per partition and the leader keeps one copy of a retried batch; a
//! producer without idempotence writes a second copy when it retries after a lost
//! acknowledgement. A transactional producer's first write to a partition adds the
//! partition to its transaction (TV2: the leader does it).
//!
//! Simplification: the attempts of one send happen in the same moment; a real producer
//! waits `request.timeout.ms` for each answer, and gives up after `delivery.timeout.ms`
//! (the number of attempts here is what fits in it, see [`super::config::ProducerConfigs::attempts`]).

use super::super::event::Event;
use super::super::log::{LogConfig, PartitionLog};
use super::super::rejection::{Rejection, RejectionKind};
use super::super::transactions::{AppendCheck, ProducerIdEpoch, TxnError};
use super::super::types::{Record, TopicPartition};
use super::super::Producer;
use super::{ClientTxnState, ProduceFault, TxnCoordinator, TxnEvent};

/// The exception of a producer fenced by a newer instance with the same `transactional.id`.
pub const PRODUCER_FENCED: &str = "org.apache.kafka.common.errors.ProducerFencedException: There is a newer producer with the same transactionalId which fences the current one.";

/// What a partition leader answers a fenced instance (an abortable error for the client).
pub const INVALID_PRODUCER_EPOCH: &str = "org.apache.kafka.common.errors.InvalidProducerEpochException: Producer attempted to produce with an old epoch.";

/// Refuses a send before anything changes, as `KafkaProducer.send` throws: a transactional
/// producer sends only inside a transaction. `partition` names the partition in the
/// message.
pub fn check_send(producer: &Producer, partition: &str) -> Result<(), Rejection> {
    let txn = &producer.txn;
    let Some(id) = txn.configs.transactional_id.as_deref() else {
        return Ok(());
    };
    let refuse = |text: String| Err(Rejection::new(RejectionKind::Invalid, text));
    match txn.state {
        ClientTxnState::InTransaction => Ok(()),
        ClientTxnState::Uninitialized => refuse(format!(
            "Cannot add partition {partition} to transaction before completing a call to initTransactions"
        )),
        ClientTxnState::Ready => refuse(format!(
            "Cannot add partition {partition} to transaction while in state  READY"
        )),
        ClientTxnState::AbortableError => refuse(
            "Cannot perform send because at least one previous transactional or idempotent request has failed with errors.".into(),
        ),
        ClientTxnState::FatalError => refuse(fenced_message(id, txn.identity)),
    }
}

/// The client's message when a fenced producer tries again.
pub fn fenced_message(transactional_id: &str, identity: Option<ProducerIdEpoch>) -> String {
    let (pid, epoch) = identity.map_or((-1, -1), |i| (i.producer_id, i.epoch));
    format!(
        "Producer with transactionalId '{transactional_id}' and ProducerIdAndEpoch(producerId={pid}, epoch={epoch}) has been fenced by another producer with the same transactionalId"
    )
}

/// Delivers one record to `log` (partition `tp`) for `producer`, with the attempts its
/// configs and faults make, and returns what happened.
pub fn deliver(
    producer: &mut Producer,
    coordinator: &mut TxnCoordinator,
    log: &mut PartitionLog,
    tp: &TopicPartition,
    record: Record,
    now_ms: i64,
    config: &LogConfig,
) -> Vec<Event> {
    let name = producer.name.clone();
    let mut events = Vec::new();
    let txn = &mut producer.txn;
    let idempotent = txn.configs.idempotence().unwrap_or(false);
    let transactional_id = txn.configs.transactional_id.clone();
    if idempotent && txn.identity.is_none() && transactional_id.is_none() {
        // The idempotent producer's InitProducerId before its first send: kept on the
        // producer (the inspector shows it), not narrated with every first record.
        txn.identity = Some(ProducerIdEpoch {
            producer_id: coordinator.allocate_producer_id(),
            epoch: 0,
        });
    }
    let identity = if idempotent { txn.identity } else { None };
    if let (Some(tid), Some(id)) = (transactional_id.as_deref(), identity) {
        let added = coordinator
            .transactions
            .get_mut(tid)
            .map_or(Err(TxnError::InvalidTxnState), |meta| {
                meta.add_partition(id, &tp.topic, tp.partition, now_ms)
            });
        if added.is_err() {
            // A newer epoch fenced this instance: the leader (TV2: verifying with the
            // coordinator) refuses the old epoch, an abortable error for the client.
            txn.state = ClientTxnState::AbortableError;
            txn.last_error = Some(INVALID_PRODUCER_EPOCH.into());
            events.push(Event::Txn(TxnEvent::ProducerFenced {
                producer: name.clone(),
                transactional_id: tid.to_string(),
            }));
            events.push(Event::Txn(TxnEvent::SendFailed {
                producer: name,
                partition: tp.clone(),
                error: INVALID_PRODUCER_EPOCH.into(),
            }));
            return events;
        }
    }
    let sequence = txn.sequences.get(tp).copied().unwrap_or(0);
    let attempts = txn.configs.attempts();
    let acks_expected = txn.configs.acks != 0;
    let mut acknowledged = false;
    for attempt in 1..=attempts {
        let lost = if attempt == 1 {
            txn.fault_once.take().or(txn.fault)
        } else {
            txn.fault
        };
        if attempt > 1 {
            txn.retries_total += 1;
        }
        if lost == Some(ProduceFault::LoseRequest) {
            events.push(Event::Txn(TxnEvent::SendAttemptLost {
                producer: name.clone(),
                partition: tp.clone(),
                attempt,
                request_lost: true,
            }));
            continue;
        }
        match identity.map(|id| (id, log.txn.producers.check(id, sequence, 1))) {
            None | Some((_, AppendCheck::Append)) => {
                let offset = log.append(record.clone(), now_ms, config);
                if let Some(id) = identity {
                    let transactional = transactional_id.is_some();
                    log.txn
                        .producers
                        .appended(id, sequence, offset, offset, transactional, now_ms);
                    if transactional {
                        log.txn.transactional_writers.insert(offset, id.producer_id);
                    }
                }
                events.push(Event::RecordProduced {
                    producer: name.clone(),
                    partition: tp.clone(),
                    offset,
                    key: record.key.as_deref().map(str::to_string),
                });
            }
            Some((_, AppendCheck::Duplicate { first_offset, .. })) => {
                txn.duplicates_dropped += 1;
                events.push(Event::Txn(TxnEvent::DuplicateIgnored {
                    producer: name.clone(),
                    partition: tp.clone(),
                    offset: first_offset,
                    sequence,
                }));
            }
            Some((_, AppendCheck::InvalidEpoch { .. })) => {
                if let Some(tid) = transactional_id.as_deref() {
                    txn.state = ClientTxnState::AbortableError;
                    txn.last_error = Some(INVALID_PRODUCER_EPOCH.into());
                    events.push(Event::Txn(TxnEvent::ProducerFenced {
                        producer: name.clone(),
                        transactional_id: tid.to_string(),
                    }));
                }
                events.push(Event::Txn(TxnEvent::SendFailed {
                    producer: name,
                    partition: tp.clone(),
                    error: INVALID_PRODUCER_EPOCH.into(),
                }));
                return events;
            }
            Some((_, AppendCheck::OutOfOrder { expected })) => {
                events.push(Event::Txn(TxnEvent::SendFailed {
                    producer: name,
                    partition: tp.clone(),
                    error: format!("org.apache.kafka.common.errors.OutOfOrderSequenceException: Out of order sequence number for producer: found {sequence}, expected {expected}."),
                }));
                return events;
            }
        }
        if lost == Some(ProduceFault::LoseAck) && acks_expected {
            events.push(Event::Txn(TxnEvent::SendAttemptLost {
                producer: name.clone(),
                partition: tp.clone(),
                attempt,
                request_lost: false,
            }));
            continue;
        }
        acknowledged = true;
        break;
    }
    if acknowledged {
        if identity.is_some() {
            txn.sequences
                .insert(tp.clone(), sequence.wrapping_add(1).max(0));
        }
        return events;
    }
    let delivery_ms = txn.configs.delivery_timeout().unwrap_or(120_000);
    let error = if attempts == 1 && txn.configs.retries == 0 {
        format!("org.apache.kafka.common.errors.TimeoutException: Expiring 1 record(s) for {tp}:{} ms has passed since batch creation", txn.configs.request_timeout_ms)
    } else {
        format!("org.apache.kafka.common.errors.TimeoutException: Expiring 1 record(s) for {tp}:{delivery_ms} ms has passed since batch creation")
    };
    if transactional_id.is_some() {
        // A failed send inside a transaction: the application must abort it.
        txn.state = ClientTxnState::AbortableError;
        txn.last_error = Some(error.clone());
    } else if let Some(id) = txn.identity.as_mut() {
        // KIP-360: an idempotent producer whose batch's fate is unknown bumps its epoch and
        // numbers from 0 again.
        id.epoch = id.epoch.saturating_add(1);
        txn.sequences.clear();
    }
    events.push(Event::Txn(TxnEvent::SendFailed {
        producer: name,
        partition: tp.clone(),
        error,
    }));
    events
}
