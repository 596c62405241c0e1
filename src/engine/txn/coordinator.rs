//! The engine's side of transactions (SEMANTICS-4 §D.3): a producer's configs and faults,
//! `initTransactions` (the epoch bump that fences an older instance and aborts what it left
//! open), `beginTransaction`, `sendOffsetsToTransaction`, commit and abort with their markers
//! (one offset each), the coordinator's timeout, and `kafka-transactions abort`.

use std::collections::BTreeMap;

use super::super::command::TxnAction;
use super::super::event::Event;
use super::super::group::{CommittedOffset, Group};
use super::super::limits;
use super::super::rejection::{Rejection, RejectionKind};
use super::super::transactions::{
    EndTxn, ProducerIdEpoch, TransactionMetadata, TxnState, TIMEOUT_CHECK_INTERVAL_MS,
};
use super::super::types::TopicPartition;
use super::super::{Engine, Outcome};
use super::config::TRANSACTION_MAX_TIMEOUT_MS;
use super::event::EndCause;
use super::send::{fenced_message, PRODUCER_FENCED};
use super::{ClientTxnState, ProduceFault, TxnEvent};

fn refuse(text: impl Into<String>) -> Outcome {
    Err(Rejection::new(RejectionKind::Invalid, text))
}

fn invalid_transition(from: ClientTxnState, to: &str) -> Outcome {
    refuse(format!(
        "Invalid transition attempted from state {} to state {to}",
        from.name()
    ))
}

impl Engine {
    /// `producer set p k=v`: a producer config. Kafka fixes configs when a `KafkaProducer`
    /// is made, so the producer starts again as a new instance (a new producer id on its
    /// next send, `initTransactions` again if transactional).
    pub(in crate::engine) fn set_producer_config(
        &mut self,
        name: &str,
        key: &str,
        value: &str,
    ) -> Outcome {
        let Some(producer) = self.producers.get_mut(name) else {
            return refuse(format!("Producer {name} does not exist."));
        };
        let mut configs = producer.txn.configs.clone();
        configs
            .set(key, value)
            .map_err(|why| Rejection::new(RejectionKind::Invalid, why))?;
        producer.txn.configs = configs;
        producer.txn.identity = None;
        producer.txn.sequences.clear();
        producer.txn.state = ClientTxnState::Uninitialized;
        Ok(vec![Event::Txn(TxnEvent::ProducerConfigChanged {
            producer: name.to_string(),
            key: key.to_string(),
            value: value.to_string(),
        })])
    }

    /// `producer fault p lose-ack|lose-request|none [--once]`.
    pub(in crate::engine) fn set_producer_fault(
        &mut self,
        name: &str,
        fault: Option<ProduceFault>,
        once: bool,
    ) -> Outcome {
        let Some(producer) = self.producers.get_mut(name) else {
            return refuse(format!("Producer {name} does not exist."));
        };
        if once {
            producer.txn.fault_once = fault;
        } else {
            producer.txn.fault = fault;
            producer.txn.fault_once = None;
        }
        Ok(vec![Event::Txn(TxnEvent::ProducerFaultSet {
            producer: name.to_string(),
            fault: fault.map(|f| f.as_str().to_string()),
            once,
        })])
    }

    /// `txn init|begin|send-offsets|commit|abort p`.
    pub(in crate::engine) fn transaction(&mut self, name: &str, action: &TxnAction) -> Outcome {
        let Some(producer) = self.producers.get(name) else {
            return refuse(format!("Producer {name} does not exist."));
        };
        let Some(tid) = producer.txn.configs.transactional_id.clone() else {
            return refuse("Transactional method invoked on a non-transactional producer.");
        };
        let state = producer.txn.state;
        if state == ClientTxnState::FatalError {
            return refuse(fenced_message(&tid, producer.txn.identity));
        }
        match action {
            TxnAction::Init => self.init_transactions(name, &tid, state),
            TxnAction::Begin => match state {
                ClientTxnState::Ready => {
                    self.set_client_state(name, ClientTxnState::InTransaction);
                    Ok(vec![Event::Txn(TxnEvent::TransactionBegun {
                        producer: name.to_string(),
                    })])
                }
                other => invalid_transition(other, "IN_TRANSACTION"),
            },
            TxnAction::SendOffsets { consumer } => {
                if state != ClientTxnState::InTransaction {
                    return refuse(format!(
                        "Cannot send offsets if a transaction is not in progress (currentState= {})",
                        state.name()
                    ));
                }
                self.send_offsets_to_transaction(name, &tid, consumer)
            }
            TxnAction::Commit => match state {
                ClientTxnState::InTransaction => self.end_transaction(name, &tid, true),
                ClientTxnState::AbortableError => refuse(
                    self.producers
                        .get(name)
                        .and_then(|p| p.txn.last_error.clone())
                        .unwrap_or_else(|| {
                            "Cannot execute transactional method because we are in an error state"
                                .into()
                        }),
                ),
                other => invalid_transition(other, "COMMITTING_TRANSACTION"),
            },
            TxnAction::Abort => match state {
                ClientTxnState::InTransaction | ClientTxnState::AbortableError => {
                    self.end_transaction(name, &tid, false)
                }
                other => invalid_transition(other, "ABORTING_TRANSACTION"),
            },
        }
    }

    fn set_client_state(&mut self, name: &str, state: ClientTxnState) {
        if let Some(p) = self.producers.get_mut(name) {
            p.txn.state = state;
        }
    }

    fn init_transactions(&mut self, name: &str, tid: &str, state: ClientTxnState) -> Outcome {
        if state != ClientTxnState::Uninitialized {
            return invalid_transition(state, "INITIALIZING");
        }
        let timeout_ms = self
            .producers
            .get(name)
            .map_or(0, |p| p.txn.configs.transaction_timeout_ms);
        if timeout_ms <= 0 || timeout_ms > TRANSACTION_MAX_TIMEOUT_MS {
            return refuse("org.apache.kafka.common.errors.InvalidTxnTimeoutException: The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms).");
        }
        let coordinator = &mut self.transactions;
        if !coordinator.transactions.contains_key(tid)
            && coordinator.transactions.len() >= limits::MAX_PRODUCERS
        {
            return Err(Rejection::new(
                RejectionKind::OverLimit,
                limits::over("transactional ids", limits::MAX_PRODUCERS as u64),
            ));
        }
        if !coordinator.transactions.contains_key(tid) {
            let pid = coordinator.allocate_producer_id();
            let mut meta = TransactionMetadata::new(tid, pid, timeout_ms);
            // A new id has no epoch yet: its first InitProducerId gives epoch 0.
            meta.producer.epoch = -1;
            coordinator.transactions.insert(tid.to_string(), meta);
        }
        let Some(meta) = coordinator.transactions.get_mut(tid) else {
            return refuse("internal: transaction metadata vanished");
        };
        meta.timeout_ms = timeout_ms;
        let (identity, left_open) = meta.init();
        coordinator.owners.insert(tid.to_string(), name.to_string());
        let mut events = Vec::new();
        if let Some(end) = left_open {
            events.extend(self.write_markers(tid, None, end, EndCause::NewInstance));
        }
        if let Some(p) = self.producers.get_mut(name) {
            p.txn.identity = Some(identity);
            p.txn.sequences.clear();
            p.txn.state = ClientTxnState::Ready;
        }
        events.push(Event::Txn(TxnEvent::ProducerIdAssigned {
            producer: name.to_string(),
            producer_id: identity.producer_id,
            epoch: identity.epoch,
            transactional_id: Some(tid.to_string()),
        }));
        Ok(events)
    }

    /// The producer's identity, or the fence it learns of now.
    fn fence(&mut self, name: &str, tid: &str) -> Vec<Event> {
        self.set_client_state(name, ClientTxnState::FatalError);
        vec![Event::Txn(TxnEvent::ProducerFenced {
            producer: name.to_string(),
            transactional_id: tid.to_string(),
        })]
    }

    fn identity(&self, name: &str) -> Option<ProducerIdEpoch> {
        self.producers.get(name).and_then(|p| p.txn.identity)
    }

    fn send_offsets_to_transaction(&mut self, name: &str, tid: &str, consumer: &str) -> Outcome {
        let Some(c) = self.consumers.get(consumer) else {
            return refuse(format!("Consumer {consumer} does not exist."));
        };
        let Some(group) = c.group.clone() else {
            return refuse(format!(
                "Consumer {consumer} has no group.id: sendOffsetsToTransaction needs its groupMetadata()."
            ));
        };
        let member_ok = self.groups.get(&group).is_some_and(|g| {
            c.membership
                .member_id()
                .is_some_and(|m| g.member(m).is_some())
                && c.membership.generation() == Some(g.generation)
        });
        if c.is_subscriber() && !member_ok {
            return refuse("org.apache.kafka.clients.consumer.CommitFailedException: Transaction offset Commit failed due to consumer group metadata mismatch: The coordinator is not aware of this member.");
        }
        let offsets: BTreeMap<TopicPartition, i64> = c
            .assignment
            .iter()
            .filter_map(|tp| Some((tp.clone(), *c.positions.get(tp)?)))
            .collect();
        let Some(identity) = self.identity(name) else {
            return refuse("internal: a transactional producer in a transaction has an identity");
        };
        let now_ms = self.now_ms();
        let added = self
            .transactions
            .transactions
            .get_mut(tid)
            .map(|meta| meta.add_offsets(identity, &group, now_ms));
        if !matches!(added, Some(Ok(()))) {
            let mut events = self.fence(name, tid);
            events.push(Event::Rejected {
                reason: PRODUCER_FENCED.into(),
            });
            return Ok(events);
        }
        let pending = self
            .transactions
            .pending_offsets
            .entry(tid.to_string())
            .or_insert_with(|| (group.clone(), BTreeMap::new()));
        if pending.0 != group {
            *pending = (group.clone(), BTreeMap::new());
        }
        pending.1.extend(offsets.clone());
        Ok(vec![Event::Txn(TxnEvent::OffsetsSentToTransaction {
            producer: name.to_string(),
            group,
            offsets: offsets.into_iter().collect(),
        })])
    }

    fn end_transaction(&mut self, name: &str, tid: &str, commit: bool) -> Outcome {
        let Some(identity) = self.identity(name) else {
            return refuse("internal: a transactional producer in a transaction has an identity");
        };
        let Some(meta) = self.transactions.transactions.get_mut(tid) else {
            return refuse("internal: no coordinator state for an initialised transactional.id");
        };
        if identity.epoch < meta.producer.epoch || identity.producer_id != meta.producer.producer_id
        {
            let mut events = self.fence(name, tid);
            events.push(Event::Rejected {
                reason: PRODUCER_FENCED.into(),
            });
            return Ok(events);
        }
        let mut events = Vec::new();
        if meta.state != TxnState::Ongoing {
            // Nothing was sent: the client ends the transaction without asking anyone.
            events.push(Event::Txn(TxnEvent::TransactionEnded {
                producer: Some(name.to_string()),
                transactional_id: tid.to_string(),
                commit,
                markers: Vec::new(),
                cause: EndCause::Producer,
            }));
        } else {
            let end = match meta.end(identity, commit) {
                Ok(end) => end,
                Err(_) => {
                    let mut events = self.fence(name, tid);
                    events.push(Event::Rejected {
                        reason: PRODUCER_FENCED.into(),
                    });
                    return Ok(events);
                }
            };
            let next = meta.producer;
            events.extend(self.write_markers(tid, Some(name), end, EndCause::Producer));
            if let Some(p) = self.producers.get_mut(name) {
                p.txn.identity = Some(next);
            }
        }
        if let Some(p) = self.producers.get_mut(name) {
            p.txn.sequences.clear();
            p.txn.state = ClientTxnState::Ready;
        }
        Ok(events)
    }

    /// Writes an `EndTxn`'s markers (one offset each) and, on a commit, the group offsets
    /// sent to the transaction.
    fn write_markers(
        &mut self,
        tid: &str,
        producer: Option<&str>,
        end: EndTxn,
        cause: EndCause,
    ) -> Vec<Event> {
        let mut markers = Vec::new();
        for (topic, partition) in &end.partitions {
            let Some(log) = self
                .topics
                .get_mut(topic)
                .and_then(|t| t.partitions.get_mut(*partition as usize))
            else {
                continue;
            };
            let offset = log.append_marker();
            log.txn.record_marker(end.producer, offset, end.commit);
            markers.push((TopicPartition::new(topic.clone(), *partition), offset));
        }
        let mut events = vec![Event::Txn(TxnEvent::TransactionEnded {
            producer: producer.map(str::to_string),
            transactional_id: tid.to_string(),
            commit: end.commit,
            markers,
            cause,
        })];
        let pending = self.transactions.pending_offsets.remove(tid);
        if let (true, Some((group, offsets))) = (end.commit, pending) {
            let now_ms = self.now_ms();
            let g = self
                .groups
                .entry(group.clone())
                .or_insert_with(|| Group::new(group.clone()));
            for (tp, offset) in &offsets {
                g.committed.insert(
                    tp.clone(),
                    CommittedOffset {
                        offset: *offset,
                        commit_ms: now_ms,
                    },
                );
            }
            events.push(Event::OffsetsCommitted {
                group,
                client_id: producer.map(str::to_string),
                offsets: offsets.into_iter().collect(),
            });
        }
        events
    }

    /// The coordinator's periodic check (every 10 s): transactions open longer than their
    /// `transaction.timeout.ms` are aborted, fencing the producer that opened them.
    pub(in crate::engine) fn tick_transactions(&mut self) -> Vec<Event> {
        let now_ms = self.now_ms();
        let last = *self
            .transactions
            .last_timeout_check_ms
            .get_or_insert(now_ms);
        if now_ms - last < TIMEOUT_CHECK_INTERVAL_MS {
            return Vec::new();
        }
        self.transactions.last_timeout_check_ms = Some(now_ms);
        let timed_out: Vec<(String, EndTxn)> = self
            .transactions
            .transactions
            .iter_mut()
            .filter_map(|(tid, meta)| Some((tid.clone(), meta.abort_if_timed_out(now_ms)?)))
            .collect();
        let mut events = Vec::new();
        for (tid, end) in timed_out {
            let owner = self.transactions.owners.get(&tid).cloned();
            events.extend(self.write_markers(&tid, owner.as_deref(), end, EndCause::Timeout));
        }
        events
    }

    /// `kafka-transactions abort --topic t --partition p --start-offset o`: an ABORT marker
    /// for the transaction open at `start_offset` (for hanging transactions; the coordinator
    /// is not told).
    pub(in crate::engine) fn abort_hanging(
        &mut self,
        tp: &TopicPartition,
        start_offset: i64,
    ) -> Outcome {
        let Some(log) = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partitions.get_mut(tp.partition as usize))
        else {
            return refuse(
                "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.",
            );
        };
        let open = log
            .txn
            .producers
            .open_transactions()
            .into_iter()
            .find(|&(_, first)| first == start_offset);
        let Some((pid, _)) = open else {
            return refuse(format!(
                "Could not find any open transactions starting at offset {start_offset} on partition {tp}"
            ));
        };
        let epoch = log.txn.producers.producers.get(&pid).map_or(0, |e| e.epoch);
        let producer = ProducerIdEpoch {
            producer_id: pid,
            epoch,
        };
        let offset = log.append_marker();
        log.txn.record_marker(producer, offset, false);
        let tid = self
            .transactions
            .transactions
            .iter()
            .find(|(_, m)| m.producer.producer_id == pid)
            .map_or_else(|| format!("producer {pid}"), |(t, _)| t.clone());
        Ok(vec![Event::Txn(TxnEvent::TransactionEnded {
            producer: None,
            transactional_id: tid,
            commit: false,
            markers: vec![(tp.clone(), offset)],
            cause: EndCause::Admin,
        })])
    }
}
