//! Share groups (KIP-932, SEMANTICS-4 §C): groups of type "share" whose members share
//! partitions and take records one by one from each share-partition. The coordinator's side
//! (membership by heartbeats, epochs, the `simple` assignor's target, sessions, the admin
//! operations) is in `coordinator.rs`; the share consumer's (heartbeats, ShareFetch,
//! processing at a rate, acknowledgements) in `consumer.rs`; group configs in `config.rs`.
//! Everything lives in [`ShareGroups`], apart from the classic groups.

pub mod ack_mode;
pub mod assignor;
pub mod command;
pub mod config;
mod consumer;
mod coordinator;
pub mod dlq;
pub mod event;
pub mod java_map;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use self::ack_mode::AcknowledgementMode;
pub use self::command::{ShareCommand, ShareResetSpec};
pub use self::config::ShareGroupConfig;
pub use self::event::ShareEvent;
use super::share_partition::SharePartition;
use super::types::TopicPartition;

/// The share groups, their configs and the share consumers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareGroups {
    pub groups: BTreeMap<String, ShareGroup>,
    /// Group configs set with `kafka-configs --entity-type groups`, by group id (a group
    /// need not exist to have them).
    pub configs: BTreeMap<String, BTreeMap<String, String>>,
    pub consumers: BTreeMap<String, ShareConsumer>,
    /// How many share consumers have been started (for ids that never repeat).
    pub started: u64,
}

impl ShareGroups {
    /// A group's effective configs.
    pub fn config_of(&self, group: &str) -> ShareGroupConfig {
        ShareGroupConfig::from_overrides(self.configs.get(group))
    }
}

/// `ShareGroup.ShareGroupState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareGroupState {
    Empty,
    Stable,
}

impl ShareGroupState {
    /// Kafka's name (`GroupState.toString`).
    pub fn name(self) -> &'static str {
        match self {
            ShareGroupState::Empty => "Empty",
            ShareGroupState::Stable => "Stable",
        }
    }
}

/// A member at the coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareMember {
    pub member_id: String,
    pub client_id: String,
    /// The subscribed topic (the simulator's share consumers subscribe to one).
    pub topic: String,
    pub member_epoch: i32,
    /// The assignment the member was last given (its target, without revocation).
    pub assignment: Vec<TopicPartition>,
    pub last_heartbeat_tick: u64,
}

/// One share-partition of a group and the start offset its state was last written with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareOffsets {
    pub partition: SharePartition,
    /// The start offset the share coordinator holds, which `kafka-share-groups --describe`
    /// shows: `None` (`-`) until the state is first written. The broker writes a change of
    /// record states with the start offset as it stood before the change, so a start offset
    /// that moves shows at the next write (Kafka 4.4.0, seen in the conformance suite).
    pub written_start_offset: Option<i64>,
}

/// A share group at the coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareGroup {
    pub group_id: String,
    pub group_epoch: i32,
    pub assignment_epoch: i32,
    /// Members in the order they joined.
    pub members: Vec<ShareMember>,
    /// The target assignment, by member id.
    pub target: BTreeMap<String, Vec<TopicPartition>>,
    /// The share-partitions, once first fetched (or set by `--reset-offsets`).
    pub partitions: BTreeMap<TopicPartition, ShareOffsets>,
    /// Topics whose share state the group has initialized, with the partition count the
    /// target was last computed for.
    pub subscribed_partitions: BTreeMap<String, u32>,
}

impl ShareGroup {
    pub fn state(&self) -> ShareGroupState {
        if self.members.is_empty() {
            ShareGroupState::Empty
        } else {
            ShareGroupState::Stable
        }
    }

    pub fn member(&self, member_id: &str) -> Option<&ShareMember> {
        self.members.iter().find(|m| m.member_id == member_id)
    }

    /// The topics its members subscribe to (each member to one; members may differ).
    pub fn topics(&self) -> std::collections::BTreeSet<&str> {
        self.members.iter().map(|m| m.topic.as_str()).collect()
    }
}

/// A share consumer's process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareConsumerStatus {
    Running,
    Stopped,
    Crashed,
}

/// A record the application holds: acquired by a fetch, not yet acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldRecord {
    pub partition: TopicPartition,
    pub offset: i64,
    pub delivery_count: u32,
}

/// A `KafkaShareConsumer` and the application around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareConsumer {
    pub client_id: String,
    pub group: String,
    pub topic: String,
    pub member_id: String,
    pub status: ShareConsumerStatus,
    /// Records per second the application processes, in thousandths.
    pub processing_millirecords_per_second: u64,
    /// Of every thousand records, how many the application fails and RELEASEs.
    pub release_per_mille: u32,
    /// Of every thousand records, how many it cannot process and REJECTs.
    pub reject_per_mille: u32,
    /// `max.poll.records`.
    pub max_poll_records: u32,
    /// `share.acknowledgement.mode`.
    #[serde(default)]
    pub acknowledgement_mode: AcknowledgementMode,
    /// The assignment its last heartbeat returned.
    pub assignment: Vec<TopicPartition>,
    pub member_epoch: i32,
    pub next_heartbeat_tick: u64,
    /// What the last poll returned and the application has not finished.
    pub in_hand: Vec<HeldRecord>,
    /// Finished records, acknowledged with the next poll.
    pub pending_acks: Vec<(TopicPartition, i64, super::share_partition::AckType)>,
    pub credit_millirecords: u64,
    /// Which assigned partition the next fetch starts with (fetches take partitions in turn).
    pub next_partition: usize,
    /// A console share consumer's `--max-messages`; it stops after that many.
    pub max_messages: Option<u64>,
    /// Records it processed (the console share consumer's total).
    pub processed: u64,
    /// Order of start, for a colour that stays.
    pub rank: u64,
}

impl ShareConsumer {
    pub fn is_running(&self) -> bool {
        self.status == ShareConsumerStatus::Running
    }
}

#[cfg(test)]
mod tests;
