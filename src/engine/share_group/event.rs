//! What happened in share groups, in the past tense (inside [`crate::engine::Event::Share`]).

use serde::{Deserialize, Serialize};

use crate::engine::share_partition::AckType;
use crate::engine::types::TopicPartition;

/// Why acquired records went back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseCause {
    /// Their acquisition lock expired (the attempt counts).
    LockExpired,
    /// Their member left or was removed (the attempt does not count).
    MemberRemoved,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "share_event", rename_all = "snake_case")]
pub enum ShareEvent {
    ConsumerStarted {
        client_id: String,
        group: String,
    },
    ConsumerStopped {
        client_id: String,
    },
    ConsumerCrashed {
        client_id: String,
    },
    /// `share-consumer set`: one of its application's rates changed.
    ConsumerSettingChanged {
        client_id: String,
        key: String,
        value: String,
    },
    /// A member joined (its first ShareGroupHeartbeat).
    MemberJoined {
        group: String,
        client_id: String,
        member_id: String,
    },
    MemberLeft {
        group: String,
        client_id: String,
        /// True when its session expired, false when it left.
        session_expired: bool,
    },
    /// The coordinator computed a new target assignment.
    GroupEpochBumped {
        group: String,
        group_epoch: i32,
    },
    /// A heartbeat gave a member its (new) assignment.
    AssignmentReceived {
        group: String,
        client_id: String,
        member_epoch: i32,
        partitions: Vec<TopicPartition>,
    },
    /// A share fetch acquired records for a member.
    RecordsAcquired {
        group: String,
        client_id: String,
        partition: TopicPartition,
        /// (offset, delivery count).
        records: Vec<(i64, u32)>,
    },
    /// A member's acknowledgement of records.
    RecordsAcknowledged {
        group: String,
        client_id: String,
        partition: TopicPartition,
        acks: Vec<(i64, AckType)>,
        /// Offsets archived by this acknowledgement (rejected, or released at the limit).
        archived: Vec<i64>,
    },
    /// An acknowledgement failed (`InvalidRecordStateException`): the lock had expired.
    AcknowledgementFailed {
        group: String,
        client_id: String,
        partition: TopicPartition,
        offset: i64,
    },
    /// Acquired records went back to Available (or were archived at the delivery limit).
    RecordsReleased {
        group: String,
        partition: TopicPartition,
        offsets: Vec<i64>,
        archived: Vec<i64>,
        cause: ReleaseCause,
    },
    /// A share-partition started (`share.auto.offset.reset`).
    PartitionInitialized {
        group: String,
        partition: TopicPartition,
        start_offset: i64,
    },
    OffsetsReset {
        group: String,
        offsets: Vec<(TopicPartition, i64)>,
        executed: bool,
    },
    /// `--delete-offsets`: each topic and whether it was deleted (false: unknown topic).
    OffsetsDeleted {
        group: String,
        topics: Vec<(String, bool)>,
    },
    GroupDeleted {
        group: String,
    },
    /// An archived record was written to the group's dead-letter topic.
    DeadLettered {
        group: String,
        source: TopicPartition,
        offset: i64,
        dlq: TopicPartition,
        dlq_offset: i64,
    },
    GroupConfigChanged {
        group: String,
        key: String,
        value: Option<String>,
    },
}

impl ShareEvent {
    /// One plain sentence for the event log.
    pub fn narrate(&self) -> String {
        match self {
            ShareEvent::ConsumerStarted { client_id, group } => {
                format!("Share consumer {client_id} started in share group {group}.")
            }
            ShareEvent::ConsumerStopped { client_id } => {
                format!("Share consumer {client_id} was closed: it released what it still held.")
            }
            ShareEvent::ConsumerSettingChanged { client_id, key, value } => match key.as_str() {
                "rate" => format!("Share consumer {client_id} now processes {value} records/s."),
                "fail-rate" => format!("Share consumer {client_id} now releases a fraction {value} of its records."),
                _ => format!("Share consumer {client_id} now rejects a fraction {value} of its records."),
            },
            ShareEvent::ConsumerCrashed { client_id } => format!(
                "Share consumer {client_id} crashed: its records stay acquired until their locks expire."
            ),
            ShareEvent::MemberJoined { group, client_id, .. } => {
                format!("{client_id} joined share group {group}.")
            }
            ShareEvent::MemberLeft { group, client_id, session_expired } => {
                if *session_expired {
                    format!("{client_id} was removed from share group {group}: its session expired.")
                } else {
                    format!("{client_id} left share group {group}.")
                }
            }
            ShareEvent::GroupEpochBumped { group, group_epoch } => {
                format!("Share group {group} is at epoch {group_epoch}: a new target assignment.")
            }
            ShareEvent::AssignmentReceived { client_id, member_epoch, partitions, .. } => {
                let list: Vec<String> = partitions.iter().map(ToString::to_string).collect();
                if list.is_empty() {
                    format!("{client_id} has no partitions at member epoch {member_epoch}.")
                } else {
                    format!("{client_id} shares {} at member epoch {member_epoch}.", list.join(", "))
                }
            }
            ShareEvent::RecordsAcquired { client_id, partition, records, .. } => {
                let redelivered = records.iter().filter(|(_, d)| *d > 1).count();
                format!(
                    "{client_id} acquired {} record(s) of {partition}{}.",
                    records.len(),
                    if redelivered > 0 { format!(", {redelivered} of them redelivered") } else { String::new() }
                )
            }
            ShareEvent::RecordsAcknowledged { client_id, partition, acks, archived, .. } => {
                let count = |t: AckType| acks.iter().filter(|(_, a)| *a == t).count();
                format!(
                    "{client_id} acknowledged {partition}: {} accepted, {} released, {} rejected{}.",
                    count(AckType::Accept),
                    count(AckType::Release),
                    count(AckType::Reject),
                    if archived.is_empty() { String::new() } else { format!("; {} archived", archived.len()) }
                )
            }
            ShareEvent::AcknowledgementFailed { client_id, partition, offset, .. } => format!(
                "{client_id} could not acknowledge {partition} offset {offset}: its lock had expired."
            ),
            ShareEvent::RecordsReleased { partition, offsets, archived, cause, .. } => format!(
                "{} record(s) of {partition} went back for redelivery ({}){}.",
                offsets.len() - archived.len(),
                match cause {
                    ReleaseCause::LockExpired => "their locks expired",
                    ReleaseCause::MemberRemoved => "their member left",
                },
                if archived.is_empty() { String::new() } else { format!("; {} archived after their last delivery", archived.len()) }
            ),
            ShareEvent::PartitionInitialized { group, partition, start_offset } => format!(
                "Share group {group} starts {partition} at offset {start_offset}."
            ),
            ShareEvent::OffsetsReset { group, offsets, executed } => format!(
                "The start offsets of share group {group} {}: {}.",
                if *executed { "were reset" } else { "would be reset (dry run)" },
                offsets.iter().map(|(tp, o)| format!("{tp}→{o}")).collect::<Vec<_>>().join(", ")
            ),
            ShareEvent::OffsetsDeleted { group, topics } => format!(
                "Share group {group} forgot its offsets of {}.",
                topics.iter().filter(|(_, ok)| *ok).map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(", ")
            ),
            ShareEvent::GroupDeleted { group } => format!("Share group {group} was deleted."),
            ShareEvent::DeadLettered { group, source, offset, dlq, dlq_offset } => format!(
                "Share group {group} wrote archived offset {offset} of {source} to its dead-letter topic at {dlq} offset {dlq_offset}."
            ),
            ShareEvent::GroupConfigChanged { group, key, value } => match value {
                Some(v) => format!("Group {group}: {key} set to {v}."),
                None => format!("Group {group}: {key} back to its default."),
            },
        }
    }
}
