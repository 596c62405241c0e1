//! Events: what happened, in the past tense. The UI animates them and narrates each in one
//! plain sentence ([`Event::narrate`]).

use serde::{Deserialize, Serialize};

use super::cluster::{ElectionResult, ElectionType};
use super::group::GroupState;
use super::replication::{Acks, BrokerId};
use super::types::TopicPartition;

/// A record that left a log in a truncation: its offset, key and value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostRecord {
    pub offset: i64,
    pub key: Option<std::sync::Arc<str>>,
    pub value: Option<std::sync::Arc<str>>,
}

impl LostRecord {
    pub fn of(record: &super::types::Record) -> Self {
        Self {
            offset: record.offset,
            key: record.key.clone(),
            value: record.value.clone(),
        }
    }
}

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
    /// The partition's leader could not take a record now: it waits in its producer and is
    /// retried until `delivery.timeout.ms` (`reason`: Kafka's error code, or that earlier
    /// records wait for the same partition).
    RecordWaiting {
        producer: String,
        partition: TopicPartition,
        reason: String,
        delivery_timeout_ms: i64,
    },
    /// A waiting record reached its partition's log after `attempts` sends.
    WaitingRecordLanded {
        producer: String,
        partition: TopicPartition,
        offset: i64,
        attempts: u32,
        waited_ms: i64,
    },
    /// A waiting record failed: its delivery timeout expired or its retries ran out. The
    /// producer's callback gets `error` (`exception: message`).
    RecordFailed {
        producer: String,
        partition: TopicPartition,
        key_bytes: Option<u32>,
        value_bytes: u32,
        error: String,
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
    /// Something in a share group (KIP-932).
    Share(Box<super::share_group::ShareEvent>),
    Rejected {
        reason: String,
    },
    /// Idempotent and transactional producers (see [`super::txn`]).
    Txn(super::txn::TxnEvent),
    /// A step of a consumer-protocol (KIP-848) group: a join, a new target, a member's
    /// reconciliation, a state change, a refused heartbeat.
    ModernGroupStep {
        group: String,
        step: super::modern::ModernStep,
    },
    BrokerAdded {
        broker: BrokerId,
    },
    /// A controlled shutdown, or a crash (`crashed`).
    BrokerStopped {
        broker: BrokerId,
        crashed: bool,
    },
    BrokerStarted {
        broker: BrokerId,
    },
    /// A crashed broker started again before the controller fenced it: its new incarnation's
    /// registration is refused until the old session expires (`in_ms` from now).
    BrokerRegistrationRefused {
        broker: BrokerId,
        in_ms: i64,
    },
    /// The controller fenced a crashed broker whose session expired.
    BrokerFenced {
        broker: BrokerId,
    },
    BrokerSlowed {
        broker: BrokerId,
        factor: u32,
    },
    /// A partition's leader changed (`None`: offline).
    LeaderChanged {
        partition: TopicPartition,
        leader: Option<BrokerId>,
        leader_epoch: i32,
        isr: Vec<BrokerId>,
    },
    /// The ISR shrank or grew, the leader staying.
    IsrChanged {
        partition: TopicPartition,
        isr: Vec<BrokerId>,
    },
    /// A returning replica cut the offsets `[to_offset, from_offset)` the leader never had;
    /// `lost` names the records it held there (those the simulator still knows).
    ReplicaTruncated {
        partition: TopicPartition,
        broker: BrokerId,
        from_offset: i64,
        to_offset: i64,
        #[serde(default)]
        lost: Vec<LostRecord>,
    },
    /// The log readers see followed a new leader that never had `lost`: it now ends at
    /// `to_offset` (before the new leader's own records, if any, were filled in).
    LeaderLogTruncated {
        partition: TopicPartition,
        leader: BrokerId,
        to_offset: i64,
        lost: Vec<LostRecord>,
    },
    /// `kafka-leader-election`'s outcome per partition.
    LeadersElected {
        election: ElectionType,
        results: Vec<(TopicPartition, ElectionResult)>,
    },
    ProducerAcksSet {
        producer: String,
        acks: Acks,
    },
    /// A group's coordinator changed with the leader of its `__consumer_offsets` partition:
    /// `Some` broker loaded the group (members and committed offsets kept), `None`: no
    /// running broker leads the partition, so the group's coordinator is not available.
    GroupCoordinatorMoved {
        group: String,
        partition: u32,
        coordinator: Option<BrokerId>,
    },
    /// A consumer's request to its group's coordinator `was` failed: `NOT_COORDINATOR` when
    /// another broker coordinates the group now (`now`, which FindCoordinator found at
    /// once), `COORDINATOR_NOT_AVAILABLE` when no running broker does (`now` is `None`).
    CoordinatorLost {
        client_id: String,
        group: String,
        partition: u32,
        was: BrokerId,
        now: Option<BrokerId>,
    },
    /// A new coordinator loaded a classic group whose rebalance was in progress: it has the
    /// last generation written to `__consumer_offsets`, the rebalance is lost.
    GroupRebalanceLost {
        group: String,
        generation: i32,
        members: usize,
    },
    /// A consumer that had lost its coordinator found it again with FindCoordinator.
    CoordinatorFound {
        client_id: String,
        group: String,
        broker: BrokerId,
    },
}

impl Event {
    /// The share-group event this is, if it is one.
    pub fn share(&self) -> Option<&super::share_group::ShareEvent> {
        match self {
            Event::Share(event) => Some(event),
            _ => None,
        }
    }

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
            Event::RecordWaiting { producer, partition, reason, delivery_timeout_ms } => format!(
                "{producer}'s record for {partition} waits in the producer ({reason}); it retries until delivery.timeout.ms ({delivery_timeout_ms} ms) has passed."
            ),
            Event::WaitingRecordLanded { producer, partition, offset, attempts, waited_ms } => format!(
                "{producer}'s waiting record reached {partition} at offset {offset}, {waited_ms} ms after it was sent ({attempts} attempt(s))."
            ),
            Event::RecordFailed { producer, partition, error, .. } => format!(
                "{producer}'s record for {partition} failed: {error}"
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
            Event::Share(event) => event.narrate(),
            Event::Rejected { reason } => format!("Rejected: {reason}"),
            Event::Txn(event) => event.narrate(),
            Event::ModernGroupStep { group, step } => step.narrate(group),
            Event::BrokerAdded { broker } => format!("Broker {broker} joined the cluster."),
            Event::BrokerStopped { broker, crashed: false } => format!(
                "Broker {broker} shut down: it left every ISR and handed over what it led."
            ),
            Event::BrokerStopped { broker, crashed: true } => format!(
                "Broker {broker} crashed: the controller notices when its session expires (9 s)."
            ),
            Event::BrokerStarted { broker } => format!("Broker {broker} started."),
            Event::BrokerRegistrationRefused { broker, in_ms } => format!(
                "Broker {broker} restarted, but the controller still counts its old session: its registration is refused (DuplicateBrokerRegistrationException: Another broker is registered with that broker id.) until that session expires in {} s; it registers then, as a follower out of every ISR.",
                *in_ms as f64 / 1000.0
            ),
            Event::GroupCoordinatorMoved { group, partition, coordinator: Some(b) } => format!(
                "Broker {b} now coordinates group {group} (it leads __consumer_offsets-{partition}): it loaded the group from the log, members and committed offsets kept."
            ),
            Event::CoordinatorLost { client_id, group, partition, was, now: Some(b) } => format!(
                "{client_id}: broker {was} no longer coordinates group {group} (NOT_COORDINATOR); FindCoordinator found broker {b}, the leader of __consumer_offsets-{partition} now."
            ),
            Event::CoordinatorLost { client_id, group, partition, was, now: None } => format!(
                "{client_id} lost the coordinator of group {group}: broker {was} does not answer and no running broker leads __consumer_offsets-{partition} (COORDINATOR_NOT_AVAILABLE). It marks the coordinator unknown and asks FindCoordinator again; its heartbeats, commits and joins wait."
            ),
            Event::GroupRebalanceLost { group, generation, members } => format!(
                "The rebalance of group {group} was in no record: the new coordinator has generation {generation} with {members} member(s), the last written to __consumer_offsets; the members' JoinGroup and SyncGroup go to it again."
            ),
            Event::CoordinatorFound { client_id, group, broker } => format!(
                "{client_id} found the coordinator of group {group} again with FindCoordinator: broker {broker}."
            ),
            Event::GroupCoordinatorMoved { group, partition, coordinator: None } => format!(
                "The coordinator of group {group} is not available: no running broker leads __consumer_offsets-{partition}."
            ),
            Event::BrokerFenced { broker } => format!(
                "The controller fenced broker {broker}: its session expired."
            ),
            Event::BrokerSlowed { broker, factor } => format!(
                "Broker {broker} now replicates at 1/{factor} of the normal speed."
            ),
            Event::LeaderChanged { partition, leader: Some(l), leader_epoch, .. } => format!(
                "Broker {l} leads {partition} (leader epoch {leader_epoch})."
            ),
            Event::LeaderChanged { partition, leader: None, .. } => {
                format!("{partition} has no leader: it is offline.")
            }
            Event::IsrChanged { partition, isr } => format!(
                "The ISR of {partition} is now [{}].",
                isr.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(",")
            ),
            Event::ReplicaTruncated { partition, broker, from_offset, to_offset, .. } => format!(
                "Broker {broker} cut offsets {to_offset}..{} of {partition}: the leader never had them.",
                from_offset - 1
            ),
            Event::LeaderLogTruncated { partition, leader, to_offset, lost } => format!(
                "{partition} now ends at {to_offset} with its new leader, broker {leader}: {} record(s) it never had are lost.",
                lost.len()
            ),
            Event::LeadersElected { election, results } => format!(
                "A {} leader election ran on {} partition(s).",
                election.as_str(),
                results.len()
            ),
            Event::ProducerAcksSet { producer, acks } => format!(
                "Producer {producer} sends with acks={}.",
                match acks {
                    Acks::None => "0",
                    Acks::Leader => "1",
                    Acks::All => "all",
                }
            ),
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
