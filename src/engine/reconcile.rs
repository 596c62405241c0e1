//! A consumer-protocol (KIP-848) member's reconciliation towards its group's target
//! assignment (SEMANTICS-4 §B.3), as Kafka's `CurrentAssignmentBuilder` computes it on each
//! heartbeat: partitions to keep, to revoke first, and to receive once their previous owner has
//! released them; the member's state and epoch follow.
//!
//! Pure: the caller gives the member, the target (its epoch and partitions), the topics the
//! member subscribes to (resolved to ids), which partitions another member still holds, and
//! what the member's last heartbeat said it owns. Test data from Kafka's own class:
//! `tests/data/reconcile848_vectors.json`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// `MemberState` of a consumer-protocol member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MemberState {
    /// Owns its target (or waits for nothing).
    Stable,
    /// Must revoke partitions before it gets anything new.
    UnrevokedPartitions,
    /// At the new epoch, waiting for partitions another member still holds.
    UnreleasedPartitions,
}

impl MemberState {
    /// Kafka's name, as `kafka-consumer-groups --members --verbose` does not print it but the
    /// coordinator's logs and records do.
    pub fn name(self) -> &'static str {
        match self {
            MemberState::Stable => "STABLE",
            MemberState::UnrevokedPartitions => "UNREVOKED_PARTITIONS",
            MemberState::UnreleasedPartitions => "UNRELEASED_PARTITIONS",
        }
    }
}

/// Per topic id, each partition with the epoch it was assigned in.
pub type EpochAssignment = BTreeMap<String, BTreeMap<u32, i32>>;

/// What reconciliation knows of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberAssignment {
    pub state: MemberState,
    pub member_epoch: i32,
    pub previous_member_epoch: i32,
    pub assigned: EpochAssignment,
    pub pending_revocation: EpochAssignment,
}

/// The rest of what one reconciliation step reads.
pub struct Step<'a> {
    pub target_epoch: i32,
    /// The member's target: per topic id its partitions.
    pub target: &'a BTreeMap<String, BTreeSet<u32>>,
    /// The topic ids the member subscribes to (names resolved; topics that do not exist are
    /// left out).
    pub subscribed: &'a BTreeSet<String>,
    /// The member's subscription changed in this heartbeat.
    pub subscription_changed: bool,
    /// What its heartbeat reported owning; `None` when it did not say.
    pub owned: Option<&'a BTreeMap<String, BTreeSet<u32>>>,
    /// Whether a partition is still held by some member (`currentPartitionEpoch != -1`).
    pub held: &'a dyn Fn(&str, u32) -> bool,
}

/// `CurrentAssignmentBuilder.build`: the member's next state.
pub fn reconcile(member: &MemberAssignment, step: &Step) -> MemberAssignment {
    match member.state {
        MemberState::Stable => {
            if member.member_epoch != step.target_epoch {
                next_assignment(member, step)
            } else if step.subscription_changed {
                drop_unsubscribed(member, step)
            } else {
                member.clone()
            }
        }
        MemberState::UnrevokedPartitions => {
            if owns_any(step, &member.pending_revocation) {
                if step.subscription_changed {
                    drop_unsubscribed(member, step)
                } else {
                    member.clone()
                }
            } else {
                next_assignment(member, step)
            }
        }
        MemberState::UnreleasedPartitions => next_assignment(member, step),
    }
}

/// `ownsRevokedPartitions`: the heartbeat still reports one of these (or reported nothing).
fn owns_any(step: &Step, partitions: &EpochAssignment) -> bool {
    let Some(owned) = step.owned else {
        return true;
    };
    owned.iter().any(|(topic, parts)| {
        partitions
            .get(topic)
            .is_some_and(|pending| parts.iter().any(|p| pending.contains_key(p)))
    })
}

/// `updateMemberEpoch`: the previous epoch is the one it had.
fn with_epoch(member: &MemberAssignment, epoch: i32) -> MemberAssignment {
    MemberAssignment {
        previous_member_epoch: member.member_epoch,
        member_epoch: epoch,
        ..member.clone()
    }
}

/// `updateCurrentAssignment`: the subscription changed under a current epoch: topics no longer
/// subscribed move to revocation.
fn drop_unsubscribed(member: &MemberAssignment, step: &Step) -> MemberAssignment {
    let mut assigned = member.assigned.clone();
    let mut pending = member.pending_revocation.clone();
    // Kafka compares the maps by reference: with nothing subscribed and nothing pending the
    // assignment counts as changed even when it was already empty.
    let mut changed = false;
    if step.subscribed.is_empty() && member.pending_revocation.is_empty() {
        pending = member.assigned.clone();
        assigned.clear();
        changed = true;
    } else {
        for (topic, parts) in &member.assigned {
            if !step.subscribed.contains(topic) {
                assigned.remove(topic);
                pending
                    .entry(topic.clone())
                    .or_default()
                    .extend(parts.iter().map(|(&p, &e)| (p, e)));
                changed = true;
            }
        }
    }
    if !changed {
        return member.clone();
    }
    let mut next = with_epoch(member, member.member_epoch);
    next.assigned = assigned;
    if !pending.is_empty() && owns_any(step, &pending) {
        next.state = MemberState::UnrevokedPartitions;
        next.pending_revocation = pending;
    }
    next
}

/// `computeNextAssignment`: per topic, keep `current ∩ target`, revoke `current − kept`, and
/// receive `target − kept` except what another member still holds.
fn next_assignment(member: &MemberAssignment, step: &Step) -> MemberAssignment {
    let mut topics: BTreeSet<&String> = step.target.keys().collect();
    topics.extend(member.assigned.keys());
    let empty_set = BTreeSet::new();
    let empty_map = BTreeMap::new();
    let mut assigned = EpochAssignment::new();
    let mut revoking = EpochAssignment::new();
    let mut receiving: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let mut unreleased = false;
    for topic in topics {
        let target = if step.subscribed.contains(topic) {
            step.target.get(topic).unwrap_or(&empty_set)
        } else {
            &empty_set
        };
        let current = member.assigned.get(topic).unwrap_or(&empty_map);
        let kept: BTreeMap<u32, i32> = current
            .iter()
            .filter(|(p, _)| target.contains(p))
            .map(|(&p, &e)| (p, e))
            .collect();
        let revoke: BTreeMap<u32, i32> = current
            .iter()
            .filter(|(p, _)| !kept.contains_key(p))
            .map(|(&p, &e)| (p, e))
            .collect();
        let pending_here = member.pending_revocation.get(topic);
        let mut receive: BTreeSet<u32> = target
            .iter()
            .copied()
            .filter(|p| !kept.contains_key(p))
            .collect();
        let before = receive.len();
        // Held by someone else, unless it is this member's own partition being revoked.
        let own_revoking = |p: &u32| pending_here.is_some_and(|m| m.contains_key(p));
        receive.retain(|p| !(step.held)(topic, *p) || own_revoking(p));
        unreleased |= receive.len() != before;
        if !kept.is_empty() {
            assigned.insert(topic.clone(), kept);
        }
        if !revoke.is_empty() {
            revoking.insert(topic.clone(), revoke);
        }
        if !receive.is_empty() {
            receiving.insert(topic.clone(), receive);
        }
    }
    if !revoking.is_empty() && owns_any(step, &revoking) {
        let mut next = with_epoch(member, member.member_epoch);
        next.state = MemberState::UnrevokedPartitions;
        next.assigned = assigned;
        next.pending_revocation = revoking;
        return next;
    }
    for (topic, parts) in receiving {
        let entry = assigned.entry(topic).or_default();
        for p in parts {
            entry.insert(p, step.target_epoch);
        }
    }
    let mut next = with_epoch(member, step.target_epoch);
    next.state = if unreleased {
        MemberState::UnreleasedPartitions
    } else {
        MemberState::Stable
    };
    next.assigned = assigned;
    next.pending_revocation = EpochAssignment::new();
    next
}
