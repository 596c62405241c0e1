//! Events: what happened, in the past tense. The UI animates them and narrates each in one
//! plain sentence ([`Event::narrate`]).

use serde::{Deserialize, Serialize};

use super::group::GroupState;
use super::types::TopicPartition;

/// Why a member left a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveReason {
    /// It sent LeaveGroup (a graceful close).
    Left,
    /// No heartbeat for `session.timeout.ms`.
    SessionTimeout,
    /// No poll for `max.poll.interval.ms`: the client left on its own.
    PollTimeout,
    /// It did not rejoin before the rebalance timeout.
    JoinTimeout,
    /// Its group or topic was deleted.
    Removed,
}

impl LeaveReason {
    pub fn describe(self) -> &'static str {
        match self {
            LeaveReason::Left => "it left the group",
            LeaveReason::SessionTimeout => {
                "its session timed out (no heartbeat for session.timeout.ms)"
            }
            LeaveReason::PollTimeout => "it did not poll within max.poll.interval.ms",
            LeaveReason::JoinTimeout => "it did not rejoin before the rebalance timeout",
            LeaveReason::Removed => "it was removed",
        }
    }
}

/// Why a consumer's position was reset with `auto.offset.reset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetCause {
    NoCommittedOffset,
    OutOfRange,
}

/// What `--delete-offsets` did to one partition (the OffsetDelete response's error code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffsetDeletion {
    /// The committed offset is gone (or there was none): Kafka's NONE.
    Deleted,
    /// The topic or the partition does not exist: UNKNOWN_TOPIC_OR_PARTITION.
    UnknownTopicOrPartition,
    /// A member of the group subscribes to the topic: GROUP_SUBSCRIBED_TO_TOPIC.
    GroupSubscribedToTopic,
}

impl OffsetDeletion {
    /// The exception the admin client reports for the partition, as
    /// `kafka-consumer-groups --delete-offsets` prints it; `None` for a success.
    pub fn exception(self) -> Option<&'static str> {
        match self {
            OffsetDeletion::Deleted => None,
            OffsetDeletion::UnknownTopicOrPartition => Some(UNKNOWN_TOPIC_OR_PARTITION),
            OffsetDeletion::GroupSubscribedToTopic => Some(
                "org.apache.kafka.common.errors.GroupSubscribedToTopicException: Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.",
            ),
        }
    }
}

/// The admin client's exception for a topic or partition the cluster does not have.
pub const UNKNOWN_TOPIC_OR_PARTITION: &str = "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.";

/// The coordinator's answer for a group it does not know (GROUP_ID_NOT_FOUND).
pub const GROUP_ID_NOT_FOUND: &str = "The group id does not exist.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    TopicCreated {
        topic: String,
        partitions: u32,
    },
    TopicDeleted {
        topic: String,
    },
    PartitionsAdded {
        topic: String,
        from: u32,
        to: u32,
    },
    TopicConfigChanged {
        topic: String,
        key: String,
        value: Option<String>,
    },
    ProducerAdded {
        producer: String,
    },
    ProducerRemoved {
        producer: String,
    },
    ProducerStreamChanged {
        producer: String,
        running: bool,
    },
    RecordProduced {
        producer: String,
        partition: TopicPartition,
        offset: i64,
        key: Option<String>,
    },
    ConsumerStarted {
        client_id: String,
        group: Option<String>,
    },
    ConsumerStopped {
        client_id: String,
    },
    ConsumerCrashed {
        client_id: String,
    },
    ConsumerRemoved {
        client_id: String,
    },
    ConsumerConfigChanged {
        client_id: String,
        key: String,
        value: String,
    },
    ConsumerPaused {
        client_id: String,
    },
    ConsumerResumed {
        client_id: String,
    },
    /// A poll returned records `[from_offset, to_offset)` of a partition.
    RecordsFetched {
        client_id: String,
        partition: TopicPartition,
        from_offset: i64,
        to_offset: i64,
    },
    /// The application finished processing records `[from_offset, to_offset)`.
    RecordsProcessed {
        client_id: String,
        partition: TopicPartition,
        from_offset: i64,
        to_offset: i64,
    },
    /// Records fetched but not processed when the consumer crashed or lost the partition.
    RecordsDropped {
        client_id: String,
        partition: TopicPartition,
        from_offset: i64,
        to_offset: i64,
    },
    OffsetsCommitted {
        group: String,
        client_id: Option<String>,
        offsets: Vec<(TopicPartition, i64)>,
    },
    CommitFailed {
        client_id: String,
        reason: String,
    },
    PositionReset {
        client_id: String,
        partition: TopicPartition,
        offset: i64,
        cause: ResetCause,
        policy: String,
    },
    PositionRestored {
        client_id: String,
        partition: TopicPartition,
        offset: i64,
    },
    Seeked {
        client_id: String,
        partition: TopicPartition,
        offset: i64,
    },
    /// `auto.offset.reset=none` and nothing to start from: the consumer stopped with an error.
    ConsumerFailed {
        client_id: String,
        error: String,
    },
    /// A member sent JoinGroup.
    JoinRequested {
        group: String,
        client_id: String,
        member_id: String,
    },
    RebalanceStarted {
        group: String,
        generation: i32,
        reason: String,
    },
    PartitionsRevoked {
        group: String,
        client_id: String,
        partitions: Vec<TopicPartition>,
    },
    JoinCompleted {
        group: String,
        generation: i32,
        leader: String,
        protocol: String,
        members: Vec<String>,
    },
    PartitionsAssigned {
        group: String,
        client_id: String,
        generation: i32,
        partitions: Vec<TopicPartition>,
        added: Vec<TopicPartition>,
    },
    GroupStateChanged {
        group: String,
        from: GroupState,
        to: GroupState,
    },
    MemberRemoved {
        group: String,
        client_id: String,
        member_id: String,
        reason: LeaveReason,
    },
    /// A static member came back with the same `group.instance.id`: no rebalance.
    StaticMemberRejoined {
        group: String,
        client_id: String,
        group_instance_id: String,
    },
    GroupDeleted {
        group: String,
    },
    OffsetsReset {
        group: String,
        offsets: Vec<(TopicPartition, i64)>,
        executed: bool,
    },
    /// `kafka-consumer-groups --delete-offsets`: what happened to each requested partition.
    OffsetsDeleted {
        group: String,
        results: Vec<(TopicPartition, OffsetDeletion)>,
    },
    SegmentsDeleted {
        partition: TopicPartition,
        segments: usize,
        records: u64,
        old_log_start_offset: i64,
        new_log_start_offset: i64,
    },
    LogCompacted {
        partition: TopicPartition,
        records_removed: u64,
    },
    RecordsDeleted {
        partition: TopicPartition,
        new_log_start_offset: i64,
    },
    TopicFilled {
        topic: String,
        records_per_partition: u64,
    },
    BrokerConfigChanged {
        key: String,
        value: String,
    },
    ClockAdvanced {
        tick: u64,
    },
    Rejected {
        reason: String,
    },
}

impl Event {
    /// One plain sentence for the event log.
    pub fn narrate(&self) -> String {
        match self {
            Event::TopicCreated { topic, partitions } => {
                format!("Topic {topic} was created with {partitions} partition(s).")
            }
            Event::TopicDeleted { topic } => format!("Topic {topic} was deleted."),
            Event::PartitionsAdded { topic, from, to } => format!(
                "Topic {topic} grew from {from} to {to} partitions; keys now hash over {to} partitions."
            ),
            Event::TopicConfigChanged { topic, key, value } => match value {
                Some(v) => format!("Topic {topic}: {key} set to {v}."),
                None => format!("Topic {topic}: {key} back to its default."),
            },
            Event::ProducerAdded { producer } => format!("Producer {producer} was added."),
            Event::ProducerRemoved { producer } => format!("Producer {producer} was removed."),
            Event::ProducerStreamChanged { producer, running } => {
                if *running {
                    format!("Producer {producer} started a steady stream of records.")
                } else {
                    format!("Producer {producer} stopped its stream.")
                }
            }
            Event::RecordProduced { producer, partition, offset, key } => format!(
                "{producer} wrote a record{} to {partition} at offset {offset}.",
                key.as_ref().map(|k| format!(" with key {k}")).unwrap_or_else(|| " without a key".into())
            ),
            Event::ConsumerStarted { client_id, group } => match group {
                Some(g) => format!("Consumer {client_id} started in group {g}."),
                None => format!("Consumer {client_id} started without a group."),
            },
            Event::ConsumerStopped { client_id } => format!("Consumer {client_id} was closed."),
            Event::ConsumerCrashed { client_id } => format!(
                "Consumer {client_id} crashed: it stops heartbeating, and its group notices only after session.timeout.ms."
            ),
            Event::ConsumerRemoved { client_id } => format!("Consumer {client_id} was removed."),
            Event::ConsumerConfigChanged { client_id, key, value } => {
                format!("Consumer {client_id}: {key} = {value}.")
            }
            Event::ConsumerPaused { client_id } => format!("Consumer {client_id} paused fetching."),
            Event::ConsumerResumed { client_id } => format!("Consumer {client_id} resumed fetching."),
            Event::RecordsFetched { client_id, partition, from_offset, to_offset } => format!(
                "{client_id} polled {} record(s) from {partition} (offsets {from_offset}–{}); its position is now {to_offset}.",
                to_offset - from_offset,
                to_offset - 1
            ),
            Event::RecordsProcessed { client_id, partition, from_offset, to_offset } => format!(
                "{client_id} processed offsets {from_offset}–{} of {partition}.",
                to_offset - 1
            ),
            Event::RecordsDropped { client_id, partition, from_offset, to_offset } => format!(
                "{client_id} never processed offsets {from_offset}–{} of {partition}.",
                to_offset - 1
            ),
            Event::OffsetsCommitted { group, client_id, offsets } => {
                let list = offsets
                    .iter()
                    .map(|(tp, o)| format!("{tp}@{o}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                match client_id {
                    Some(c) => format!("{c} committed {list} for group {group}."),
                    None => format!("Group {group} now has committed offsets {list}."),
                }
            }
            Event::CommitFailed { client_id, reason } => {
                format!("{client_id} could not commit: {reason}")
            }
            Event::PositionReset { client_id, partition, offset, cause, policy } => format!(
                "{client_id} had {} for {partition}: auto.offset.reset={policy} moved it to {offset}.",
                match cause {
                    ResetCause::NoCommittedOffset => "no committed offset",
                    ResetCause::OutOfRange => "an offset out of range",
                }
            ),
            Event::PositionRestored { client_id, partition, offset } => format!(
                "{client_id} starts {partition} at the group's committed offset {offset}."
            ),
            Event::Seeked { client_id, partition, offset } => {
                format!("{client_id} seeked {partition} to offset {offset}.")
            }
            Event::ConsumerFailed { client_id, error } => {
                format!("Consumer {client_id} stopped with an error: {error}")
            }
            Event::JoinRequested { group, client_id, .. } => {
                format!("{client_id} sent JoinGroup to group {group}.")
            }
            Event::RebalanceStarted { group, generation, reason } => format!(
                "Group {group} started a rebalance after generation {generation}: {reason}."
            ),
            Event::PartitionsRevoked { client_id, partitions, .. } => format!(
                "{client_id} revoked {} and stopped reading {}.",
                list_partitions(partitions),
                if partitions.len() == 1 { "it" } else { "them" }
            ),
            Event::JoinCompleted { group, generation, leader, protocol, members } => format!(
                "Group {group} formed generation {generation} with {} member(s); leader {leader} assigns with {protocol}.",
                members.len()
            ),
            Event::PartitionsAssigned { client_id, generation, partitions, .. } => {
                if partitions.is_empty() {
                    format!("{client_id} got no partitions in generation {generation}: it is idle.")
                } else {
                    format!(
                        "{client_id} owns {} in generation {generation}.",
                        list_partitions(partitions)
                    )
                }
            }
            Event::GroupStateChanged { group, from, to } => {
                format!("Group {group}: {} → {}.", from.name(), to.name())
            }
            Event::MemberRemoved { group, client_id, reason, .. } => format!(
                "{client_id} left group {group}: {}.",
                reason.describe()
            ),
            Event::StaticMemberRejoined { group, client_id, group_instance_id } => format!(
                "{client_id} rejoined group {group} as static member {group_instance_id}: same partitions, no rebalance."
            ),
            Event::GroupDeleted { group } => format!("Group {group} was deleted."),
            Event::OffsetsDeleted { group, results } => {
                let deleted: Vec<String> = results
                    .iter()
                    .filter(|(_, r)| *r == OffsetDeletion::Deleted)
                    .map(|(tp, _)| tp.to_string())
                    .collect();
                if deleted.is_empty() {
                    format!("No committed offset of group {group} was deleted.")
                } else {
                    format!("Group {group} forgot its committed offsets of {}.", deleted.join(", "))
                }
            }
            Event::OffsetsReset { group, offsets, executed } => format!(
                "{} of group {group} {}: {}.",
                if offsets.len() == 1 { "The offset" } else { "Offsets" },
                if *executed { "were reset" } else { "would be reset (dry run)" },
                offsets.iter().map(|(tp, o)| format!("{tp}→{o}")).collect::<Vec<_>>().join(", ")
            ),
            Event::SegmentsDeleted { partition, records, new_log_start_offset, .. } => format!(
                "Retention deleted {records} old record(s) of {partition}; the log now starts at offset {new_log_start_offset}."
            ),
            Event::LogCompacted { partition, records_removed } => format!(
                "Compaction removed {records_removed} superseded record(s) from {partition}; offsets did not change."
            ),
            Event::RecordsDeleted { partition, new_log_start_offset } => format!(
                "Records of {partition} before offset {new_log_start_offset} were deleted."
            ),
            Event::TopicFilled { topic, records_per_partition } => format!(
                "{records_per_partition} synthetic record(s) were appended to every partition of {topic}."
            ),
            Event::BrokerConfigChanged { key, value } => format!("Broker config {key} = {value}."),
            Event::ClockAdvanced { tick } => format!("The clock is at tick {tick}."),
            Event::Rejected { reason } => format!("Rejected: {reason}"),
        }
    }
}

fn list_partitions(partitions: &[TopicPartition]) -> String {
    if partitions.is_empty() {
        return "nothing".into();
    }
    partitions
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
