//! What producers' idempotence and transactions did, as events (carried by
//! [`super::super::Event::Txn`]).

use serde::{Deserialize, Serialize};

use super::super::types::TopicPartition;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "txn_event", rename_all = "snake_case")]
pub enum TxnEvent {
    ProducerConfigChanged {
        producer: String,
        key: String,
        value: String,
    },
    /// A fault was set or cleared (`fault: None`).
    ProducerFaultSet {
        producer: String,
        fault: Option<String>,
        once: bool,
    },
    /// InitProducerId answered: a producer id and epoch.
    ProducerIdAssigned {
        producer: String,
        producer_id: i64,
        epoch: i16,
        transactional_id: Option<String>,
    },
    /// One attempt of a send was lost: the request (nothing appended) or the
    /// acknowledgement (appended, but the producer does not know).
    SendAttemptLost {
        producer: String,
        partition: TopicPartition,
        attempt: u32,
        request_lost: bool,
    },
    /// The broker recognised a retried batch by its sequence number and kept one copy.
    DuplicateIgnored {
        producer: String,
        partition: TopicPartition,
        offset: i64,
        sequence: i32,
    },
    /// A send failed for good: its callback gets this exception.
    SendFailed {
        producer: String,
        partition: TopicPartition,
        error: String,
    },
    TransactionBegun {
        producer: String,
    },
    OffsetsSentToTransaction {
        producer: String,
        group: String,
        offsets: Vec<(TopicPartition, i64)>,
    },
    /// A transaction ended: a marker at each of these offsets.
    TransactionEnded {
        producer: Option<String>,
        transactional_id: String,
        commit: bool,
        markers: Vec<(TopicPartition, i64)>,
        /// Who ended it: the producer, a new instance's init, or the coordinator's timeout.
        cause: EndCause,
    },
    /// A producer learnt it was fenced: it can do nothing more.
    ProducerFenced {
        producer: String,
        transactional_id: String,
    },
    /// A consume-transform-produce pipeline's step.
    Pipeline(super::pipeline::PipelineEvent),
}

/// Why a transaction ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndCause {
    Producer,
    NewInstance,
    Timeout,
    Admin,
}

impl TxnEvent {
    /// One plain sentence for the event log.
    pub fn narrate(&self) -> String {
        match self {
            TxnEvent::ProducerConfigChanged { producer, key, value } => {
                format!("Producer {producer}: {key} = {value}.")
            }
            TxnEvent::ProducerFaultSet { producer, fault, once } => match fault {
                Some(f) if *once => format!("Producer {producer} will {} once.", describe_fault(f)),
                Some(f) => format!("Producer {producer} will {} on every send.", describe_fault(f)),
                None => format!("Producer {producer} no longer loses anything."),
            },
            TxnEvent::ProducerIdAssigned { producer, producer_id, epoch, transactional_id } => {
                match transactional_id {
                    Some(t) => format!("Producer {producer} (transactional.id {t}) has producer id {producer_id}, epoch {epoch}."),
                    None => format!("Producer {producer} has producer id {producer_id}, epoch {epoch}."),
                }
            }
            TxnEvent::SendAttemptLost { producer, partition, attempt, request_lost } => {
                if *request_lost {
                    format!("{producer}'s request to {partition} was lost (attempt {attempt}): nothing was written; it will retry.")
                } else {
                    format!("The broker's acknowledgement to {producer} for {partition} was lost (attempt {attempt}): the record is in the log, but {producer} does not know and will retry.")
                }
            }
            TxnEvent::DuplicateIgnored { producer, partition, offset, sequence } => format!(
                "{partition} recognised {producer}'s retry by sequence {sequence}: it is already at offset {offset}, so no second copy was written."
            ),
            TxnEvent::SendFailed { producer, partition, error } => {
                format!("{producer}'s send to {partition} failed: {error}")
            }
            TxnEvent::TransactionBegun { producer } => {
                format!("Producer {producer} began a transaction.")
            }
            TxnEvent::OffsetsSentToTransaction { producer, group, offsets } => format!(
                "{producer} added group {group}'s offsets {} to its transaction: they count only if it commits.",
                offsets.iter().map(|(tp, o)| format!("{tp}@{o}")).collect::<Vec<_>>().join(", ")
            ),
            TxnEvent::TransactionEnded { producer, transactional_id, commit, markers, cause } => {
                let what = if *commit { "committed" } else { "aborted" };
                let by = match cause {
                    EndCause::Producer => producer.clone().unwrap_or_else(|| transactional_id.clone()),
                    EndCause::NewInstance => "a new instance's initTransactions".into(),
                    EndCause::Timeout => "the coordinator (transaction.timeout.ms passed)".into(),
                    EndCause::Admin => "kafka-transactions abort".into(),
                };
                let list = markers.iter().map(|(tp, o)| format!("{tp}@{o}")).collect::<Vec<_>>().join(", ");
                if markers.is_empty() {
                    format!("Transaction {transactional_id} was {what} by {by}; it had written nothing.")
                } else {
                    format!("Transaction {transactional_id} was {what} by {by}: {} marker takes an offset at {list}.", if *commit { "a COMMIT" } else { "an ABORT" })
                }
            }
            TxnEvent::ProducerFenced { producer, transactional_id } => format!(
                "Producer {producer} was fenced: a newer producer with transactional.id {transactional_id} replaced it."
            ),
            TxnEvent::Pipeline(event) => event.narrate(),
        }
    }
}

fn describe_fault(fault: &str) -> &'static str {
    match fault {
        "lose-request" => "lose its produce request",
        _ => "lose the broker's acknowledgement",
    }
}
