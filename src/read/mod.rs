//! The read model: plain facts derived from the engine's state, each computed once and next
//! to the engine rule that defines it, for the console, the diagram, the inspector and the
//! lessons' goals to format. Nothing here changes the engine or imports a web crate.
//!
//! - [`reader_status`]: what a consumer is doing (its process, its place in the group, the
//!   time until the coordinator gives up on a crashed member).
//! - [`reader_offsets`]: per owned partition, where a reader has fetched to, where its
//!   application has processed to, and where its group has committed.
//! - [`group_lag_rows`]: the rows `kafka-consumer-groups --describe` prints, with LAG as
//!   the tool counts it (log end offset − committed offset).
//! - [`group_phase`]: a group's state, whether it rebalances, and eager or cooperative.
//! - [`unowned_for_ticks`]: how long a partition has gone without a reader in a group.
//! - [`placement_reason`]: why a record sits on its partition, from facts kept at produce time.
//! - [`scene`]: all of the above for one state at once, indexed for the views (one per step).
//! - [`cluster`]: the brokers, and per partition its leader, replicas, ISR, ELR, each
//!   replica's log end and high watermark, and what `--describe`'s filters select.
//! - [`lane`]: which offsets a partition's lane draws and where its labels go.
//! - [`rebalance`]: when a group's last rebalance began and ended in the history, and the
//!   partitions travelling between owners at a point of it.
//! - [`reconcile`]: consumer-protocol (KIP-848) groups' epochs, owned, revoking and waiting
//!   partitions per member, and what a rebalance costs each protocol in partition-seconds.
//! - [`txn`]: transactions: each partition's last stable offset, open transactions and
//!   markers, each `transactional.id` at the coordinator, the producers a leader remembers.

pub mod cluster;
pub mod lane;
pub mod producer_retry;
pub mod rebalance;
pub mod reconcile;
pub mod scene;
pub mod share;
pub mod txn;

use crate::engine::consumer::ClassicMembership;
use crate::engine::group::Member;
use crate::engine::partitioner::partition_for_key;
use crate::engine::time::MS_PER_TICK;
use crate::engine::{
    session_expiry_tick, Consumer, ConsumerStatus, Engine, Group, GroupState, Placement, Record,
    TopicPartition,
};

/// Whether a consumer's process runs, from the user's point of view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessState {
    Running,
    /// Running, with fetching paused (`pause()`).
    Paused,
    Stopped,
    Crashed,
    /// Stopped by an exception, with its text.
    Failed(String),
}

impl ProcessState {
    /// `running`, `stopped`, `crashed` or `failed`: the words of the lessons' `consumer_status`
    /// goal (a paused consumer is running).
    pub fn name(&self) -> &'static str {
        match self {
            ProcessState::Running | ProcessState::Paused => "running",
            ProcessState::Stopped => "stopped",
            ProcessState::Crashed => "crashed",
            ProcessState::Failed(_) => "failed",
        }
    }

    /// As `consumer list` prints it: `paused` for a paused consumer, `failed: <error>`.
    pub fn label(&self) -> String {
        match self {
            ProcessState::Paused => "paused".into(),
            ProcessState::Failed(error) => format!("failed: {error}"),
            other => other.name().into(),
        }
    }
}

/// A running consumer's place in its group, as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// A standalone reader (`assign()`): no group protocol.
    Standalone,
    /// JoinGroup sent, waiting for the join phase to end.
    Joining,
    /// Waiting for its assignment (SyncGroup).
    Syncing,
    /// A member with no partitions (more members than partitions, or not joined yet).
    Idle,
    /// A member that owns partitions.
    Owner,
    /// Not running: no membership.
    None,
}

/// What a consumer is doing: one value that every view formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderStatus {
    pub process: ProcessState,
    pub membership: Membership,
    /// The partitions it owns now, sorted.
    pub owned: Vec<TopicPartition>,
    /// For a crashed group member the coordinator still counts: ticks until its session
    /// expires and the coordinator removes it.
    pub session_expires_in_ticks: Option<u64>,
}

impl ReaderStatus {
    /// The session countdown in whole seconds, rounded up (a member removed in 0.1 s shows 1 s).
    pub fn session_expires_in_seconds(&self) -> Option<u64> {
        let ticks_per_second = (1000 / MS_PER_TICK) as u64;
        self.session_expires_in_ticks
            .map(|ticks| ticks.div_ceil(ticks_per_second))
    }
}

/// The status of one consumer.
pub fn reader_status(engine: &Engine, consumer: &Consumer) -> ReaderStatus {
    let process = match &consumer.status {
        ConsumerStatus::Running if consumer.paused => ProcessState::Paused,
        ConsumerStatus::Running => ProcessState::Running,
        ConsumerStatus::Stopped => ProcessState::Stopped,
        ConsumerStatus::Crashed => ProcessState::Crashed,
        ConsumerStatus::Failed(error) => ProcessState::Failed(error.clone()),
    };
    let membership = if !consumer.is_running() {
        Membership::None
    } else if !consumer.is_subscriber() {
        Membership::Standalone
    } else {
        match consumer.membership {
            ClassicMembership::Joining { .. } => Membership::Joining,
            ClassicMembership::Syncing { .. } => Membership::Syncing,
            _ if consumer.assignment.is_empty() => Membership::Idle,
            _ => Membership::Owner,
        }
    };
    let session_expires_in_ticks = (process == ProcessState::Crashed)
        .then(|| coordinator_member(engine, consumer))
        .flatten()
        .map(|member| session_expiry_tick(member).saturating_sub(engine.tick));
    ReaderStatus {
        process,
        membership,
        owned: if consumer.is_running() {
            consumer.assignment.clone()
        } else {
            Vec::new()
        },
        session_expires_in_ticks,
    }
}

/// The coordinator's record of a consumer, while the coordinator still has one.
fn coordinator_member<'a>(engine: &'a Engine, consumer: &Consumer) -> Option<&'a Member> {
    let group = engine.groups.get(consumer.group.as_ref()?)?;
    match consumer.membership.member_id() {
        Some(id) => group.member(id),
        None => group
            .members
            .iter()
            .find(|m| m.client_id == consumer.client_id),
    }
}

/// One reader's three offsets on one partition it owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderOffsets {
    pub partition: TopicPartition,
    /// The position: the next offset a poll returns (everything before it was fetched).
    pub fetched_to: i64,
    /// The next offset the application processes: records before it were handled.
    /// Never past `fetched_to` (after a rewind the application starts over too).
    pub processed_to: i64,
    /// The offset its group has committed, if any (standalone readers without a group have none).
    pub committed: Option<i64>,
    /// The partition's log end offset (the high watermark: one replica).
    pub log_end: i64,
}

impl ReaderOffsets {
    /// Records the application has been given and not processed yet.
    pub fn fetched_unprocessed(&self) -> i64 {
        (self.fetched_to - self.processed_to).max(0)
    }

    /// The consumer's own `records-lag`: log end offset − position.
    pub fn position_lag(&self) -> i64 {
        (self.log_end - self.fetched_to).max(0)
    }
}

/// A running reader's offsets on every partition it owns and has a position on, sorted.
pub fn reader_offsets(engine: &Engine, consumer: &Consumer) -> Vec<ReaderOffsets> {
    if !consumer.is_running() {
        return Vec::new();
    }
    let group = consumer.group.as_ref().and_then(|g| engine.groups.get(g));
    consumer
        .assignment
        .iter()
        .filter_map(|tp| {
            let fetched_to = *consumer.positions.get(tp)?;
            let log_end = engine.partition_log(tp).map_or(0, |l| l.high_watermark());
            // The next record to process is the first one fetched and waiting; with none
            // waiting, the one after the last processed.
            let waiting = consumer
                .in_flight
                .iter()
                .filter(|r| r.partition == *tp)
                .find_map(|r| r.offsets.front().copied());
            let processed_to = waiting
                .or_else(|| consumer.processed.get(tp).copied())
                .unwrap_or(fetched_to)
                .min(fetched_to);
            Some(ReaderOffsets {
                partition: tp.clone(),
                fetched_to,
                processed_to,
                committed: group.and_then(|g| g.committed.get(tp)).map(|c| c.offset),
                log_end,
            })
        })
        .collect()
}

/// One row of `kafka-consumer-groups --describe --offsets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LagRow<'a> {
    pub partition: TopicPartition,
    pub committed: Option<i64>,
    pub log_end: Option<i64>,
    /// Log end offset − committed offset, as the tool counts it.
    pub lag: Option<i64>,
    /// The member that owns the partition in the current generation.
    pub owner: Option<&'a Member>,
}

/// The rows `--describe` prints: members with partitions, most partitions first (join
/// order among equals), each partition sorted; then committed partitions nobody owns.
pub fn group_lag_rows<'a>(engine: &Engine, group: &'a Group) -> Vec<LagRow<'a>> {
    let row = |tp: &TopicPartition, owner: Option<&'a Member>| {
        let committed = group.committed.get(tp).map(|c| c.offset);
        let log_end = engine.partition_log(tp).map(|l| l.high_watermark());
        LagRow {
            partition: tp.clone(),
            committed,
            log_end,
            lag: committed.zip(log_end).map(|(c, e)| e - c),
            owner,
        }
    };
    let mut owners: Vec<&Member> = group
        .members
        .iter()
        .filter(|m| !m.assignment.is_empty())
        .collect();
    crate::sort::sort_by_key(&mut owners, |m| std::cmp::Reverse(m.assignment.len()));
    let mut rows = Vec::new();
    for member in owners {
        let mut owned = member.assignment.clone();
        crate::sort::sort(&mut owned);
        rows.extend(owned.iter().map(|tp| row(tp, Some(member))));
    }
    rows.extend(
        group
            .committed
            .keys()
            .filter(|tp| group.owner_of(tp).is_none())
            .map(|tp| row(tp, None)),
    );
    rows
}

/// A group's total lag: the sum of the LAG column of `--describe`; `None` when no row has
/// one (nothing committed yet, which the tool prints as `-`).
pub fn group_lag_total(engine: &Engine, group: &Group) -> Option<i64> {
    group_lag_rows(engine, group)
        .iter()
        .filter_map(|r| r.lag)
        .fold(None, |total, lag| Some(total.unwrap_or(0) + lag))
}

/// How long a partition has gone unread by a group that has members: from the moment its
/// last reader gave it up (revoked in a rebalance, stopped, crashed) until a member is
/// assigned it. `None` while a running member reads it, or when the group has no members.
pub fn unowned_for_ticks(engine: &Engine, group: &Group, tp: &TopicPartition) -> Option<u64> {
    if group.members.is_empty() && !group.has_modern_members() {
        return None;
    }
    let read = engine.consumers.values().any(|c| {
        c.is_running()
            && c.is_subscriber()
            && c.group.as_deref() == Some(group.id.as_str())
            && c.assignment.contains(tp)
    });
    let since = group.unowned_since_tick.get(tp)?;
    (!read).then(|| engine.tick.saturating_sub(*since))
}

/// How a group's rebalance moves partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RebalanceProtocol {
    /// Every member revokes everything before the new assignment.
    Eager,
    /// Only the partitions that change hands are revoked (KIP-429).
    Cooperative,
}

/// Where a group is in its life, for the diagram's badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupPhase {
    pub state: GroupState,
    /// PreparingRebalance or CompletingRebalance.
    pub rebalancing: bool,
    /// The protocol of the assignor the group chose (none before its first generation).
    pub protocol: Option<RebalanceProtocol>,
    /// How long the rebalance in progress has run.
    pub rebalancing_for_ticks: Option<u64>,
}

/// The phase of one group.
pub fn group_phase(engine: &Engine, group: &Group) -> GroupPhase {
    let rebalancing = matches!(
        group.state,
        GroupState::PreparingRebalance | GroupState::CompletingRebalance
    );
    GroupPhase {
        state: group.state,
        rebalancing,
        protocol: group.protocol.map(|p| {
            if p.is_cooperative() {
                RebalanceProtocol::Cooperative
            } else {
                RebalanceProtocol::Eager
            }
        }),
        rebalancing_for_ticks: group
            .rebalance
            .as_ref()
            .filter(|_| rebalancing)
            .map(|r| engine.tick.saturating_sub(r.started_tick)),
    }
}

/// Why a record sits on its partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlacementReason {
    /// The producer named the partition.
    Explicit,
    /// murmur2 of the key over the partition count the topic had when the record was produced.
    Keyed {
        n_partitions: u32,
        murmur2_partition: u32,
    },
    KeylessSticky,
    KeylessRoundRobin,
    /// Appended by `records fill` to every partition.
    Synthetic,
}

/// Why `record` sits where it does, from its own facts.
pub fn placement_reason(record: &Record) -> PlacementReason {
    match (record.placement, record.key.as_deref()) {
        (Placement::Keyed { n_partitions }, Some(key)) => PlacementReason::Keyed {
            n_partitions,
            murmur2_partition: partition_for_key(key.as_bytes(), n_partitions),
        },
        (Placement::Keyed { .. }, None) => PlacementReason::KeylessSticky,
        (Placement::Explicit, _) => PlacementReason::Explicit,
        (Placement::KeylessSticky, _) => PlacementReason::KeylessSticky,
        (Placement::KeylessRoundRobin, _) => PlacementReason::KeylessRoundRobin,
        (Placement::Synthetic, _) => PlacementReason::Synthetic,
    }
}

#[cfg(test)]
mod tests;
