//! Kafka 4's consumer group protocol (KIP-848, SEMANTICS-4 §B) wired into the engine: a
//! consumer with `group.protocol=consumer` sends ConsumerGroupHeartbeat requests at the
//! broker's `group.consumer.heartbeat.interval.ms`; the coordinator answers each with the
//! member's epoch and the partitions it may own, computed by the pure, Kafka-checked
//! [`super::consumer_group::ModernGroup`]; the member gives up revoked partitions (committing
//! them first with auto-commit) and acknowledges at once, so no partition has two owners.
//!
//! `member.rs` is the client's side (heartbeat, reconcile, leave, poll), `coordinator.rs` the
//! group coordinator's (the heartbeat handler, session and rebalance timeouts, offset commits
//! checked against the member epoch, a group id used by the other protocol). This file holds
//! the state both keep and the narration of each step.

mod coordinator;
mod member;
mod migration;

pub use migration::MigrationPolicy;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::assign::server::ServerAssignor;
use super::consumer_group::{ModernGroup, ModernGroupState};
use super::reconcile::MemberState;
use super::topic::Topic;
use super::types::TopicPartition;

/// A consumer-protocol member as its client keeps it (`ConsumerMembershipManager`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModernClient {
    /// The member id the client made itself (a UUID in Kafka's base64 form).
    pub member_id: String,
    /// The epoch the coordinator last gave it: 0 while it joins.
    pub member_epoch: i32,
    pub last_heartbeat_tick: u64,
    /// Its next heartbeat goes at the next tick: to join, or to acknowledge a reconciliation.
    pub heartbeat_soon: bool,
    /// It left on `max.poll.interval.ms` and rejoins at its next poll.
    pub waiting_for_poll: bool,
}

/// What the coordinator keeps of a member beside its assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModernMemberInfo {
    pub client_id: String,
    pub host: String,
    /// `max.poll.interval.ms`, sent as the rebalance timeout.
    pub rebalance_timeout_ms: i64,
    /// The tick by which it must have revoked what it was asked to revoke, or be fenced.
    pub revoke_deadline_tick: Option<u64>,
    /// `group.remote.assignor`, if it asked for one.
    pub server_assignor: Option<ServerAssignor>,
    /// A classic member of the group (it joined with JoinGroup, or was there when the group
    /// was upgraded): what its JoinGroup said, kept for the downgrade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classic: Option<super::group::Member>,
}

/// A consumer group on the consumer protocol, at the coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModernGroupInfo {
    pub core: ModernGroup,
    /// Member id → what the coordinator knows of its client.
    pub clients: BTreeMap<String, ModernMemberInfo>,
}

/// One member as `kafka-consumer-groups --describe --members --verbose` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModernMemberView {
    pub member_id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    pub host: String,
    pub member_epoch: i32,
    pub state: MemberState,
    /// What it owns now (its assigned partitions, not those pending revocation), sorted.
    pub assignment: Vec<TopicPartition>,
    /// Its target, sorted.
    pub target: Vec<TopicPartition>,
    pub subscribed: BTreeSet<String>,
    /// It uses the classic protocol (JoinGroup, SyncGroup, Heartbeat) in this consumer group.
    pub classic: bool,
}

impl ModernGroupInfo {
    pub fn new(group_id: &str, assignor: ServerAssignor) -> Self {
        Self {
            core: ModernGroup::new(group_id, assignor),
            clients: BTreeMap::new(),
        }
    }

    pub fn state(&self) -> ModernGroupState {
        self.core.state()
    }

    /// The members in the coordinator's order, with topic ids turned back into names.
    pub fn member_views(&self, topics: &BTreeMap<String, Topic>) -> Vec<ModernMemberView> {
        let names = topic_names(topics);
        self.core
            .members
            .iter()
            .map(|m| {
                let info = self.clients.get(&m.member_id);
                let assignment = partitions_by_name(
                    m.assignment
                        .assigned
                        .iter()
                        .map(|(t, ps)| (t, ps.keys().copied().collect::<Vec<_>>())),
                    &names,
                );
                let target = partitions_by_name(
                    self.core
                        .target
                        .get(&m.member_id)
                        .into_iter()
                        .flatten()
                        .map(|(t, ps)| (t, ps.iter().copied().collect::<Vec<_>>())),
                    &names,
                );
                ModernMemberView {
                    member_id: m.member_id.clone(),
                    instance_id: m.instance_id.clone(),
                    client_id: info.map(|i| i.client_id.clone()).unwrap_or_default(),
                    host: info
                        .map(|i| i.host.clone())
                        .unwrap_or_else(|| "/127.0.0.1".into()),
                    member_epoch: m.assignment.member_epoch,
                    state: m.assignment.state,
                    assignment,
                    target,
                    subscribed: m.subscribed.clone(),
                    classic: info.is_some_and(|i| i.classic.is_some()),
                }
            })
            .collect()
    }

    /// The assignor the group uses now: the one most members ask for, else the broker's
    /// first (`ConsumerGroup.computePreferredServerAssignor`).
    fn preferred_assignor(&self, broker_default: ServerAssignor) -> ServerAssignor {
        let mut votes: BTreeMap<ServerAssignor, usize> = BTreeMap::new();
        for info in self.clients.values() {
            if let Some(a) = info.server_assignor {
                *votes.entry(a).or_default() += 1;
            }
        }
        let best = votes.values().copied().max().unwrap_or(0);
        if best == 0 {
            return broker_default;
        }
        // A tie goes to the broker's default when it is among the best.
        if votes.get(&broker_default) == Some(&best) {
            return broker_default;
        }
        votes
            .into_iter()
            .find(|(_, n)| *n == best)
            .map_or(broker_default, |(a, _)| a)
    }
}

/// Topic id → name.
pub(crate) fn topic_names(topics: &BTreeMap<String, Topic>) -> BTreeMap<String, String> {
    topics
        .values()
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect()
}

/// Per topic id its partitions, as sorted `TopicPartition`s by name (unknown ids dropped).
fn partitions_by_name<'a>(
    by_id: impl Iterator<Item = (&'a String, Vec<u32>)>,
    names: &BTreeMap<String, String>,
) -> Vec<TopicPartition> {
    let mut out: Vec<TopicPartition> = by_id
        .filter_map(|(id, ps)| names.get(id).map(|n| (n, ps)))
        .flat_map(|(name, ps)| ps.into_iter().map(move |p| TopicPartition::new(name, p)))
        .collect();
    crate::sort::sort(&mut out);
    out
}

/// One step of a consumer-protocol group, narrated in the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ModernStep {
    /// A member sent its first heartbeat (epoch 0).
    Joined {
        client_id: String,
        member_id: String,
    },
    /// The group epoch went up and the coordinator computed a new target assignment.
    TargetComputed {
        epoch: i32,
        assignor: String,
        /// Per member's client id, its target.
        targets: Vec<(String, Vec<TopicPartition>)>,
    },
    /// A member's epoch or reconciliation state changed.
    MemberReconciled {
        client_id: String,
        epoch: i32,
        state: MemberState,
        /// What it must give up first (UNREVOKED_PARTITIONS).
        revoking: Vec<TopicPartition>,
        /// What it waits for while another member still holds it (UNRELEASED_PARTITIONS).
        waiting_for: Vec<TopicPartition>,
    },
    /// The group's state changed.
    StateChanged { from: String, to: String },
    /// The coordinator refused a heartbeat; the member drops everything and rejoins.
    HeartbeatRefused { client_id: String, error: String },
    /// A static member left temporarily (epoch -2): its assignment waits for it.
    StaticMemberLeft {
        client_id: String,
        instance_id: String,
    },
    /// A member did not revoke within its rebalance timeout and was fenced.
    RevocationTimedOut { client_id: String },
    /// A classic group became a consumer group when a consumer-protocol member joined it.
    Upgraded {
        generation: i32,
        classic_members: usize,
        from_state: String,
    },
    /// A consumer group whose last consumer-protocol member left became classic again.
    Downgraded {
        generation: i32,
        classic_members: usize,
    },
}

impl ModernStep {
    pub fn narrate(&self, group: &str) -> String {
        let list = |ps: &[TopicPartition]| {
            if ps.is_empty() {
                "nothing".to_string()
            } else {
                ps.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        match self {
            ModernStep::Joined { client_id, .. } => format!(
                "{client_id} joined consumer group {group} with a ConsumerGroupHeartbeat at member epoch 0."
            ),
            ModernStep::TargetComputed { epoch, assignor, targets } => format!(
                "{group}: target assignment epoch {epoch} computed with the {assignor} assignor: {}.",
                targets
                    .iter()
                    .map(|(c, ps)| format!("{c} → {}", list(ps)))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            ModernStep::MemberReconciled { client_id, epoch, state, revoking, waiting_for } => match state {
                MemberState::UnrevokedPartitions => format!(
                    "{client_id} must revoke {} before it reaches the new epoch (it stays at member epoch {epoch}).",
                    list(revoking)
                ),
                MemberState::UnreleasedPartitions => format!(
                    "{client_id} is at member epoch {epoch} and waits for {}, which another member still holds.",
                    list(waiting_for)
                ),
                MemberState::Stable => format!("{client_id} is at member epoch {epoch} and owns its target."),
            },
            ModernStep::StateChanged { from, to } => format!("Consumer group {group}: {from} → {to}."),
            ModernStep::HeartbeatRefused { client_id, error } => format!(
                "The coordinator refused {client_id}'s heartbeat with {error}: it drops its partitions and rejoins at member epoch 0."
            ),
            ModernStep::StaticMemberLeft { client_id, instance_id } => format!(
                "{client_id} left {group} for now as static member {instance_id} (epoch -2): its partitions wait for it until the session times out."
            ),
            ModernStep::Upgraded { generation, classic_members, from_state } => format!(
                "Classic group {group} ({from_state}, generation {generation}) was upgraded online to a consumer group: its {classic_members} classic member(s) stay at member epoch {generation} with their partitions and keep using JoinGroup/SyncGroup."
            ),
            ModernStep::Downgraded { generation, classic_members } => format!(
                "Consumer group {group} lost its last consumer-protocol member and was downgraded to a classic group (generation {generation}) with its {classic_members} classic member(s)."
            ),
            ModernStep::RevocationTimedOut { client_id } => format!(
                "{client_id} did not revoke its partitions within its rebalance timeout (max.poll.interval.ms): the coordinator fenced it."
            ),
        }
    }
}

/// The broker's settings for consumer-protocol groups (`GroupCoordinatorConfig`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerGroupBrokerConfig {
    /// `group.consumer.heartbeat.interval.ms` (5 s; 5–15 s).
    pub heartbeat_interval_ms: i64,
    /// `group.consumer.session.timeout.ms` (45 s; 45–60 s).
    pub session_timeout_ms: i64,
    /// `group.consumer.assignors`, the first the default (`uniform,range`).
    pub assignors: Vec<ServerAssignor>,
    /// `group.consumer.migration.policy` (`bidirectional`).
    #[serde(default)]
    pub migration_policy: MigrationPolicy,
}

impl Default for ConsumerGroupBrokerConfig {
    fn default() -> Self {
        Self {
            heartbeat_interval_ms: super::consumer_group::HEARTBEAT_INTERVAL_MS,
            session_timeout_ms: super::consumer_group::SESSION_TIMEOUT_MS,
            assignors: vec![ServerAssignor::Uniform, ServerAssignor::Range],
            migration_policy: MigrationPolicy::default(),
        }
    }
}

impl ConsumerGroupBrokerConfig {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The assignor a group uses when no member asks for one.
    pub fn default_assignor(&self) -> ServerAssignor {
        self.assignors
            .first()
            .copied()
            .unwrap_or(ServerAssignor::Uniform)
    }
}
