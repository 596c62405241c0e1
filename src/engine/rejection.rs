//! A refused command: what [`crate::engine::Engine::apply`] returns instead of events
//! when a command is invalid. A refused command changes nothing (a property test checks
//! it), so a refusal is an outcome, not a fact in the history; the timeline records it as
//! one [`crate::engine::Event::Rejected`] so that the history still shows it.

use std::fmt;

/// What kind of refusal it is, for callers that answer differently by kind (the console
/// producer names a different Java exception for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectionKind {
    /// The topic is not in the cluster's metadata: a producer waits for it and times out
    /// (Kafka's `TimeoutException`).
    UnknownTopic,
    /// A record the broker refuses, such as a record without a key for a compacted topic
    /// (Kafka's `InvalidRecordException`).
    InvalidRecord,
    /// A record larger than `max.request.size` (Kafka's `RecordTooLargeException`).
    RecordTooLarge,
    /// Past one of the simulator's limits ([`crate::engine::limits`]).
    OverLimit,
    /// A topic of that name exists (Kafka's `TopicExistsException`).
    TopicExists,
    /// A topic name Kafka refuses, or one that collides with another topic's metric name
    /// (Kafka's `InvalidTopicException`).
    InvalidTopic,
    /// A partition count that is not an increase (Kafka's `InvalidPartitionsException`).
    InvalidPartitions,
    /// A config value its definition refuses (Kafka's `ConfigException`).
    InvalidConfigValue,
    /// A config name the topic does not have (Kafka's `InvalidConfigurationException`).
    UnknownConfig,
    /// Anything else invalid about the command.
    Invalid,
    /// The partition has no running leader: the producer retries until
    /// `delivery.timeout.ms` and expires the record (Kafka's `TimeoutException`).
    LeaderNotAvailable,
    /// `acks=all` while the ISR is below `min.insync.replicas` (`NotEnoughReplicasException`).
    NotEnoughReplicas,
    /// More replicas than brokers (`InvalidReplicationFactorException`).
    InvalidReplicationFactor,
    /// A `--replica-assignment` Kafka refuses (`InvalidReplicaAssignmentException`).
    InvalidReplicaAssignment,
}

/// A refused command: its kind and the message shown, Kafka's own where Kafka has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub kind: RejectionKind,
    pub reason: String,
}

impl Rejection {
    pub fn new(kind: RejectionKind, reason: impl Into<String>) -> Self {
        Self {
            kind,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Rejection {}
