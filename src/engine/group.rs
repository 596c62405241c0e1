//! Consumer groups as the group coordinator keeps them (classic protocol): state,
//! generation, members in JoinGroup order, and committed offsets.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::assign::Strategy;
use super::types::TopicPartition;

/// The classic group states (`ClassicGroupState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupState {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

impl GroupState {
    /// The name `kafka-consumer-groups` prints.
    pub fn name(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
            GroupState::Dead => "Dead",
        }
    }
}

/// Partitions a member owned and the generation it owned them in (a JoinGroup's
/// `ownedPartitions` with its generation, or the eager sticky assignor's `userData`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ownership {
    pub partitions: Vec<TopicPartition>,
    pub generation: i32,
}

/// Where a member is in the current rebalance, as the coordinator sees it (classic
/// protocol: JoinGroup is the barrier; KIP-848's members reconcile one by one instead and
/// will carry their member epoch in a sibling type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberJoin {
    /// A rebalance started and its JoinGroup has not come yet: it is removed if it does
    /// not come before the rebalance timeout.
    Awaited,
    /// It sent JoinGroup in the current (or, once the group is stable, the last)
    /// rebalance, with what it reported owning; the assignor reads these at SyncGroup.
    Joined {
        /// `ownedPartitions` and their generation; `None` for a member that owned nothing
        /// in any generation.
        owned: Option<Ownership>,
        /// The eager sticky assignor's `userData`: its last assignment and that generation.
        sticky_user_data: Option<Ownership>,
    },
}

impl MemberJoin {
    pub fn is_joined(&self) -> bool {
        matches!(self, MemberJoin::Joined { .. })
    }
}

/// A member as the coordinator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub member_id: String,
    pub client_id: String,
    pub host: String,
    pub group_instance_id: Option<String>,
    /// Subscribed topics, from its JoinGroup.
    pub topics: Vec<String>,
    /// Supported assignors, most preferred first.
    pub assignors: Vec<Strategy>,
    /// Whether it has sent JoinGroup in the current rebalance, and what that carried.
    pub join: MemberJoin,
    /// Its assignment in the current generation.
    pub assignment: Vec<TopicPartition>,
    pub last_heartbeat_tick: u64,
    pub session_timeout_ms: i64,
    /// `max.poll.interval.ms`, which the classic protocol uses as the rebalance timeout.
    pub rebalance_timeout_ms: i64,
}

/// A committed offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommittedOffset {
    pub offset: i64,
    pub commit_ms: i64,
}

/// The rebalance in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rebalance {
    pub reason: String,
    pub started_tick: u64,
    /// The join phase ends at this tick at the latest (the longest rebalance timeout).
    pub deadline_tick: u64,
    /// `group.initial.rebalance.delay.ms`: a new group waits for more members until then.
    pub not_before_tick: u64,
    /// A new member joined a new group (generation 0) during the initial delay: when the
    /// delay ends, Kafka waits one more whole delay period (InitialDelayedJoin).
    #[serde(default)]
    pub new_member_added: bool,
}

/// Lag of one group at one moment, for the lag chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LagSample {
    pub tick: u64,
    /// High watermark − committed offset, summed over partitions with a committed offset.
    pub committed_lag: i64,
    /// Per partition: (partition, committed lag).
    pub partitions: Vec<(TopicPartition, i64)>,
    /// High watermark − position, summed over the partitions the running members own
    /// (the consumer's own `records-lag` metric).
    pub position_lag: i64,
}

/// How many lag samples a group keeps (one every [`LAG_SAMPLE_EVERY_TICKS`]).
pub const LAG_HISTORY_LEN: usize = 600;
pub const LAG_SAMPLE_EVERY_TICKS: u64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub state: GroupState,
    pub generation: i32,
    /// The assignor chosen for the current generation.
    pub protocol: Option<Strategy>,
    pub leader: Option<String>,
    /// Members in JoinGroup order.
    pub members: Vec<Member>,
    pub committed: BTreeMap<TopicPartition, CommittedOffset>,
    pub rebalance: Option<Rebalance>,
    /// The tick the join phase completed; SyncGroup follows on a later tick.
    pub join_completed_tick: Option<u64>,
    pub lag_history: VecDeque<LagSample>,
    /// Partition counts of the subscribed topics at the last assignment; the leader
    /// rejoins when its metadata differs.
    pub assigned_partition_counts: BTreeMap<String, u32>,
    /// Partitions no running member reads, and the tick their last reader gave them up
    /// (revoked, stopped or crashed); cleared when a member is assigned them again.
    #[serde(default)]
    pub unowned_since_tick: BTreeMap<TopicPartition, u64>,
    /// Partition-ticks without a reader since a consumer last started in the group: each
    /// tick adds the partitions of `unowned_since_tick` (what a rebalance costs the group).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unowned_ticks_since_join: u64,
    /// The group's consumer-protocol (KIP-848) side, when it is a consumer group; its
    /// committed offsets stay in `committed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modern: Option<super::modern::ModernGroupInfo>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Group {
    pub fn new(id: String) -> Self {
        Self {
            id,
            state: GroupState::Empty,
            generation: 0,
            protocol: None,
            leader: None,
            members: Vec::new(),
            committed: BTreeMap::new(),
            rebalance: None,
            join_completed_tick: None,
            lag_history: VecDeque::new(),
            assigned_partition_counts: BTreeMap::new(),
            unowned_since_tick: BTreeMap::new(),
            unowned_ticks_since_join: 0,
            modern: None,
        }
    }

    /// Its state's name by the protocol it uses (Assigning and Reconciling are the consumer
    /// protocol's).
    pub fn state_name(&self) -> &'static str {
        match &self.modern {
            Some(m) => m.state().name(),
            None => self.state.name(),
        }
    }

    /// Whether it is a consumer-protocol group with members.
    pub fn has_modern_members(&self) -> bool {
        self.modern
            .as_ref()
            .is_some_and(|m| !m.core.members.is_empty())
    }

    pub fn member(&self, member_id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.member_id == member_id)
    }

    pub fn member_mut(&mut self, member_id: &str) -> Option<&mut Member> {
        self.members.iter_mut().find(|m| m.member_id == member_id)
    }

    /// Which member owns a partition in the current generation.
    pub fn owner_of(&self, tp: &TopicPartition) -> Option<&Member> {
        self.members.iter().find(|m| m.assignment.contains(tp))
    }

    /// Inactive groups (Empty or Dead) are the only ones whose offsets can be reset.
    pub fn is_inactive(&self) -> bool {
        matches!(self.state, GroupState::Empty | GroupState::Dead) && !self.has_modern_members()
    }

    /// Chooses the assignor as `ClassicGroup.selectProtocol`: only those every member
    /// supports; each member votes for its most preferred; most votes wins (ties go to the
    /// candidate listed first by the first member).
    pub fn select_protocol(&self) -> Option<Strategy> {
        let first = self.members.first()?;
        let candidates: Vec<Strategy> = first
            .assignors
            .iter()
            .copied()
            .filter(|s| self.members.iter().all(|m| m.assignors.contains(s)))
            .collect();
        let mut votes: BTreeMap<Strategy, usize> = BTreeMap::new();
        for m in &self.members {
            if let Some(vote) = m.assignors.iter().find(|s| candidates.contains(s)) {
                *votes.entry(*vote).or_default() += 1;
            }
        }
        let best = votes.values().copied().max()?;
        candidates.into_iter().find(|s| votes.get(s) == Some(&best))
    }
}
