//! A consumer group on Kafka 4's consumer protocol (KIP-848, SEMANTICS-4 §B): the group
//! epoch, the target assignment the coordinator computes with a server-side assignor, and each
//! member reconciling towards it on its own heartbeats (no group-wide barrier: a member gives
//! partitions up before another receives them).
//!
//! Pure and driven by heartbeats: the caller says who heartbeats, with which epoch, what it
//! subscribes to and what it owns, and the topics as they are (name → id and partition count).
//! The pieces it composes are checked against Kafka's own classes:
//! [`super::assign::server`] and [`super::reconcile`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::assign::server::{assign, MemberSpec, ServerAssignor};
use super::reconcile::{reconcile, EpochAssignment, MemberAssignment, MemberState, Step};

/// `group.consumer.session.timeout.ms` (45 s).
pub const SESSION_TIMEOUT_MS: i64 = 45_000;
/// `group.consumer.heartbeat.interval.ms` (5 s).
pub const HEARTBEAT_INTERVAL_MS: i64 = 5_000;

/// The member epoch a leaving member sends.
pub const LEAVE_EPOCH: i32 = -1;
/// The member epoch a static member sends for a temporary leave.
pub const STATIC_LEAVE_EPOCH: i32 = -2;

/// A topic as the coordinator's metadata image has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicInfo {
    pub id: String,
    pub partitions: u32,
}

/// One member of a consumer-protocol group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModernMember {
    pub member_id: String,
    pub instance_id: Option<String>,
    pub subscribed: BTreeSet<String>,
    pub assignment: MemberAssignment,
    pub last_heartbeat_ms: i64,
    /// A static member between its temporary leave and its return.
    pub away: bool,
}

/// The group's state as `kafka-consumer-groups --state` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModernGroupState {
    Empty,
    Assigning,
    Reconciling,
    Stable,
}

impl ModernGroupState {
    pub fn name(self) -> &'static str {
        match self {
            ModernGroupState::Empty => "Empty",
            ModernGroupState::Assigning => "Assigning",
            ModernGroupState::Reconciling => "Reconciling",
            ModernGroupState::Stable => "Stable",
        }
    }
}

/// A heartbeat the coordinator refuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HeartbeatError {
    /// `FENCED_MEMBER_EPOCH`: the member must drop everything and rejoin at epoch 0.
    FencedMemberEpoch,
    /// `UNKNOWN_MEMBER_ID`.
    UnknownMemberId,
    /// `UNRELEASED_INSTANCE_ID`: another member holds this `group.instance.id`.
    UnreleasedInstanceId,
}

impl HeartbeatError {
    pub fn code(&self) -> &'static str {
        match self {
            HeartbeatError::FencedMemberEpoch => "FENCED_MEMBER_EPOCH",
            HeartbeatError::UnknownMemberId => "UNKNOWN_MEMBER_ID",
            HeartbeatError::UnreleasedInstanceId => "UNRELEASED_INSTANCE_ID",
        }
    }
}

/// What a member sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heartbeat<'a> {
    pub member_id: &'a str,
    pub member_epoch: i32,
    pub instance_id: Option<&'a str>,
    /// The subscription, when the member sends it (on join and when it changes).
    pub subscribed: Option<&'a BTreeSet<String>>,
    /// The partitions it owns (topic id → partitions), when it reports them.
    pub owned: Option<&'a BTreeMap<String, BTreeSet<u32>>>,
}

/// What the coordinator answers: the member's epoch and the partitions it may own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeartbeatResponse {
    pub member_epoch: i32,
    pub assigned: BTreeMap<String, BTreeSet<u32>>,
}

/// A consumer-protocol group at the coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModernGroup {
    pub group_id: String,
    pub group_epoch: i32,
    pub target_epoch: i32,
    /// Member id → topic id → partitions.
    pub target: BTreeMap<String, BTreeMap<String, BTreeSet<u32>>>,
    /// Members in the order they joined (the coordinator's map order).
    pub members: Vec<ModernMember>,
    pub assignor: ServerAssignor,
    /// The subscribed topics' ids and partition counts the target was computed with.
    pub metadata: BTreeMap<String, u32>,
    pub session_timeout_ms: i64,
}

impl ModernGroup {
    pub fn new(group_id: &str, assignor: ServerAssignor) -> Self {
        Self {
            group_id: group_id.to_string(),
            group_epoch: 0,
            target_epoch: 0,
            target: BTreeMap::new(),
            members: Vec::new(),
            assignor,
            metadata: BTreeMap::new(),
            session_timeout_ms: SESSION_TIMEOUT_MS,
        }
    }

    pub fn member(&self, member_id: &str) -> Option<&ModernMember> {
        self.members.iter().find(|m| m.member_id == member_id)
    }

    /// `ConsumerGroup.state`.
    pub fn state(&self) -> ModernGroupState {
        if self.members.is_empty() {
            ModernGroupState::Empty
        } else if self.group_epoch > self.target_epoch {
            ModernGroupState::Assigning
        } else if self.members.iter().any(|m| {
            m.assignment.member_epoch != self.target_epoch
                || m.assignment.state != MemberState::Stable
        }) {
            ModernGroupState::Reconciling
        } else {
            ModernGroupState::Stable
        }
    }

    /// The subscribed topics' ids and partition counts, as the image has them now.
    pub(crate) fn subscription_metadata(
        &self,
        topics: &BTreeMap<String, TopicInfo>,
    ) -> BTreeMap<String, u32> {
        self.members
            .iter()
            .flat_map(|m| m.subscribed.iter())
            .filter_map(|name| topics.get(name))
            .map(|t| (t.id.clone(), t.partitions))
            .collect()
    }

    /// `ConsumerGroupHeartbeat`.
    pub fn heartbeat(
        &mut self,
        hb: &Heartbeat,
        topics: &BTreeMap<String, TopicInfo>,
        now_ms: i64,
    ) -> Result<HeartbeatResponse, HeartbeatError> {
        if hb.member_epoch == LEAVE_EPOCH || hb.member_epoch == STATIC_LEAVE_EPOCH {
            self.leave(hb.member_id, hb.member_epoch == STATIC_LEAVE_EPOCH);
            return Ok(HeartbeatResponse {
                member_epoch: hb.member_epoch,
                assigned: BTreeMap::new(),
            });
        }
        let mut bump = false;
        match self
            .members
            .iter()
            .position(|m| m.member_id == hb.member_id)
        {
            None if hb.member_epoch == 0 => {
                // A static member returning under a new member id takes over the old one.
                let replaced = hb.instance_id.and_then(|id| {
                    self.members
                        .iter()
                        .position(|m| m.instance_id.as_deref() == Some(id))
                });
                match replaced {
                    Some(index) if !self.members[index].away => {
                        return Err(HeartbeatError::UnreleasedInstanceId)
                    }
                    Some(index) => {
                        let old = self.members.remove(index);
                        let member = ModernMember {
                            member_id: hb.member_id.to_string(),
                            away: false,
                            last_heartbeat_ms: now_ms,
                            ..old.clone()
                        };
                        if let Some(target) = self.target.remove(&old.member_id) {
                            self.target.insert(hb.member_id.to_string(), target);
                        }
                        self.members.insert(index, member);
                    }
                    None => {
                        self.members.push(ModernMember {
                            member_id: hb.member_id.to_string(),
                            instance_id: hb.instance_id.map(str::to_string),
                            subscribed: hb.subscribed.cloned().unwrap_or_default(),
                            assignment: MemberAssignment {
                                state: MemberState::Stable,
                                member_epoch: 0,
                                previous_member_epoch: -1,
                                assigned: EpochAssignment::new(),
                                pending_revocation: EpochAssignment::new(),
                            },
                            last_heartbeat_ms: now_ms,
                            away: false,
                        });
                        bump = true;
                    }
                }
            }
            None => return Err(HeartbeatError::UnknownMemberId),
            Some(index) => {
                let member = &self.members[index];
                let epoch = member.assignment.member_epoch;
                if hb.member_epoch == 0 && epoch != 0 {
                    // Rejoining: it dropped what it had.
                    let m = &mut self.members[index];
                    m.assignment.assigned.clear();
                    m.assignment.pending_revocation.clear();
                    m.assignment.state = MemberState::Stable;
                    m.assignment.previous_member_epoch = m.assignment.member_epoch;
                    m.assignment.member_epoch = 0;
                } else if hb.member_epoch > epoch {
                    return Err(HeartbeatError::FencedMemberEpoch);
                } else if hb.member_epoch < epoch {
                    // Only the previous epoch, owning nothing beyond what it is given.
                    let previous = member.assignment.previous_member_epoch;
                    let owns_only_assigned = hb.owned.is_none_or(|owned| {
                        owned.iter().all(|(t, ps)| {
                            ps.iter().all(|p| {
                                member
                                    .assignment
                                    .assigned
                                    .get(t)
                                    .is_some_and(|a| a.contains_key(p))
                            })
                        })
                    });
                    if hb.member_epoch != previous || !owns_only_assigned {
                        return Err(HeartbeatError::FencedMemberEpoch);
                    }
                }
                let m = &mut self.members[index];
                m.last_heartbeat_ms = now_ms;
            }
        }
        // A changed subscription bumps the group epoch.
        let index = self
            .members
            .iter()
            .position(|m| m.member_id == hb.member_id)
            .ok_or(HeartbeatError::UnknownMemberId)?;
        let mut subscription_changed = false;
        if let Some(subscribed) = hb.subscribed {
            if &self.members[index].subscribed != subscribed {
                self.members[index].subscribed = subscribed.clone();
                subscription_changed = true;
                bump = true;
            }
        }
        // New topics or partitions in the subscription bump it too.
        if self.subscription_metadata(topics) != self.metadata {
            bump = true;
        }
        if bump {
            self.group_epoch += 1;
        }
        if self.group_epoch > self.target_epoch {
            self.compute_target(topics);
        }
        self.reconcile_member(index, topics, hb.owned, subscription_changed);
        let m = &self.members[index];
        Ok(HeartbeatResponse {
            member_epoch: m.assignment.member_epoch,
            assigned: m
                .assignment
                .assigned
                .iter()
                .map(|(t, ps)| (t.clone(), ps.keys().copied().collect()))
                .collect(),
        })
    }

    /// A member leaves (or, static, steps away keeping its place): the group epoch goes up.
    fn leave(&mut self, member_id: &str, temporary: bool) {
        let Some(index) = self.members.iter().position(|m| m.member_id == member_id) else {
            return;
        };
        if temporary && self.members[index].instance_id.is_some() {
            self.members[index].away = true;
            return;
        }
        self.remove_member(index);
    }

    fn remove_member(&mut self, index: usize) {
        let member = self.members.remove(index);
        self.target.remove(&member.member_id);
        self.group_epoch += 1;
    }

    /// The session check: members silent for the session timeout are removed.
    pub fn expire_sessions(&mut self, now_ms: i64) -> Vec<String> {
        let mut removed = Vec::new();
        while let Some(index) = self
            .members
            .iter()
            .position(|m| now_ms.saturating_sub(m.last_heartbeat_ms) > self.session_timeout_ms)
        {
            removed.push(self.members[index].member_id.clone());
            self.remove_member(index);
        }
        removed
    }

    /// The target for the group epoch, from the assignor over every member's subscription
    /// and current target (`TargetAssignmentBuilder`).
    fn compute_target(&mut self, topics: &BTreeMap<String, TopicInfo>) {
        let specs: Vec<MemberSpec> = self
            .members
            .iter()
            .map(|m| MemberSpec {
                member_id: m.member_id.clone(),
                instance_id: m.instance_id.clone(),
                topics: m
                    .subscribed
                    .iter()
                    .filter_map(|name| topics.get(name).map(|t| t.id.clone()))
                    .collect(),
                assigned: self
                    .target
                    .get(&m.member_id)
                    .map(|t| {
                        t.iter()
                            .map(|(topic, ps)| (topic.clone(), ps.iter().copied().collect()))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        let counts: BTreeMap<String, u32> = topics
            .values()
            .map(|t| (t.id.clone(), t.partitions))
            .collect();
        if let Ok(target) = assign(self.assignor, &specs, &counts) {
            self.target = target;
        }
        self.target_epoch = self.group_epoch;
        self.metadata = self.subscription_metadata(topics);
    }

    /// One member's reconciliation step towards its target.
    fn reconcile_member(
        &mut self,
        index: usize,
        topics: &BTreeMap<String, TopicInfo>,
        owned: Option<&BTreeMap<String, BTreeSet<u32>>>,
        subscription_changed: bool,
    ) {
        let member_id = self.members[index].member_id.clone();
        // Partitions someone else still has assigned or is revoking.
        let mut held: BTreeSet<(String, u32)> = BTreeSet::new();
        for (i, m) in self.members.iter().enumerate() {
            if i == index {
                continue;
            }
            for map in [&m.assignment.assigned, &m.assignment.pending_revocation] {
                for (t, ps) in map {
                    for p in ps.keys() {
                        held.insert((t.clone(), *p));
                    }
                }
            }
        }
        let subscribed: BTreeSet<String> = self.members[index]
            .subscribed
            .iter()
            .filter_map(|name| topics.get(name).map(|t| t.id.clone()))
            .collect();
        let empty = BTreeMap::new();
        let target = self.target.get(&member_id).unwrap_or(&empty);
        let held_fn = |t: &str, p: u32| held.contains(&(t.to_string(), p));
        let step = Step {
            target_epoch: self.target_epoch,
            target,
            subscribed: &subscribed,
            subscription_changed,
            owned,
            held: &held_fn,
        };
        let next = reconcile(&self.members[index].assignment, &step);
        self.members[index].assignment = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(partitions: u32) -> BTreeMap<String, TopicInfo> {
        [(
            "orders".to_string(),
            TopicInfo {
                id: "AAAAAAAAAAAAAAAAAAAAAQ".into(),
                partitions,
            },
        )]
        .into_iter()
        .collect()
    }

    fn subscription() -> BTreeSet<String> {
        ["orders".to_string()].into_iter().collect()
    }

    fn owned(r: &HeartbeatResponse) -> BTreeMap<String, BTreeSet<u32>> {
        r.assigned.clone()
    }

    /// A member's regular heartbeat: its epoch and what it owns, no subscription.
    fn beat<'a>(
        member_id: &'a str,
        member_epoch: i32,
        owned: &'a BTreeMap<String, BTreeSet<u32>>,
    ) -> Heartbeat<'a> {
        Heartbeat {
            member_id,
            member_epoch,
            instance_id: None,
            subscribed: None,
            owned: Some(owned),
        }
    }

    #[test]
    fn a_second_member_gets_partitions_only_after_the_first_revokes_them() {
        let t = topics(4);
        let sub = subscription();
        let mut g = ModernGroup::new("g", ServerAssignor::Uniform);
        let join = |id| Heartbeat {
            member_id: id,
            member_epoch: 0,
            instance_id: None,
            subscribed: Some(&sub),
            owned: None,
        };
        let a = g.heartbeat(&join("a"), &t, 0).unwrap();
        assert_eq!(a.member_epoch, 1);
        assert_eq!(a.assigned.values().map(|s| s.len()).sum::<usize>(), 4);
        assert_eq!(g.state(), ModernGroupState::Stable);
        // b joins: the group epoch goes to 2; b's partitions are still a's.
        let b = g.heartbeat(&join("b"), &t, 100).unwrap();
        assert_eq!(g.group_epoch, 2);
        assert!(b.assigned.is_empty(), "nothing until a releases");
        assert_eq!(g.state(), ModernGroupState::Reconciling);
        // a heartbeats: it must revoke two, and keeps epoch 1 until it has.
        let owned_a = owned(&a);
        let a2 = g.heartbeat(&beat("a", 1, &owned_a), &t, 200).unwrap();
        assert_eq!(a2.member_epoch, 1);
        assert_eq!(
            g.member("a").unwrap().assignment.state,
            MemberState::UnrevokedPartitions
        );
        // a reports it revoked them: it reaches epoch 2.
        let owned_a2 = owned(&a2);
        let a3 = g.heartbeat(&beat("a", 1, &owned_a2), &t, 300).unwrap();
        assert_eq!(a3.member_epoch, 2);
        // Now b gets the released partitions.
        let b2 = g
            .heartbeat(&beat("b", b.member_epoch, &BTreeMap::new()), &t, 400)
            .unwrap();
        assert_eq!(b2.member_epoch, 2);
        assert_eq!(b2.assigned.values().map(|s| s.len()).sum::<usize>(), 2);
        assert_eq!(g.state(), ModernGroupState::Stable);
    }

    #[test]
    fn a_silent_member_is_removed_and_a_future_epoch_is_fenced() {
        let t = topics(2);
        let sub = subscription();
        let mut g = ModernGroup::new("g", ServerAssignor::Range);
        let hb = Heartbeat {
            member_id: "a",
            member_epoch: 0,
            instance_id: None,
            subscribed: Some(&sub),
            owned: None,
        };
        g.heartbeat(&hb, &t, 0).unwrap();
        let too_new = Heartbeat {
            member_epoch: 9,
            subscribed: None,
            ..hb.clone()
        };
        assert_eq!(
            g.heartbeat(&too_new, &t, 10),
            Err(HeartbeatError::FencedMemberEpoch)
        );
        assert!(g.expire_sessions(45_000).is_empty());
        assert_eq!(g.expire_sessions(45_001), vec!["a".to_string()]);
        assert_eq!(g.state(), ModernGroupState::Empty);
        assert_eq!(
            g.heartbeat(&too_new, &t, 45_100),
            Err(HeartbeatError::UnknownMemberId)
        );
    }

    #[test]
    fn new_partitions_bump_the_group_epoch() {
        let sub = subscription();
        let mut g = ModernGroup::new("g", ServerAssignor::Uniform);
        let hb = Heartbeat {
            member_id: "a",
            member_epoch: 0,
            instance_id: None,
            subscribed: Some(&sub),
            owned: None,
        };
        g.heartbeat(&hb, &topics(2), 0).unwrap();
        assert_eq!(g.group_epoch, 1);
        let again = Heartbeat {
            member_epoch: 1,
            subscribed: None,
            ..hb
        };
        let r = g.heartbeat(&again, &topics(3), 5_000).unwrap();
        assert_eq!(g.group_epoch, 2);
        assert_eq!(r.member_epoch, 2);
        assert_eq!(r.assigned.values().map(|s| s.len()).sum::<usize>(), 3);
    }
}
