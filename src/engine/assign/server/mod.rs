//! The server-side assignors of the consumer group protocol (KIP-848, SEMANTICS-4 §B):
//! `uniform` (the default of `group.consumer.assignors`) and `range`, reproducing the pinned
//! Kafka's `UniformAssignor` and `RangeAssignor` of the group coordinator.
//!
//! The coordinator computes a group's target assignment from every member's subscription and
//! current target (`TargetAssignmentBuilder.build`). Where Kafka's result depends on the
//! iteration order of its `HashMap`s and `HashSet`s (member ids, topic ids, partitions), that
//! order is reproduced with [`super::java_hash`], taking each collection as the coordinator
//! builds it from the members in the order given. Test data from Kafka's own classes:
//! `tests/data/assign848_vectors.json` (`scripts/assign848-vectors.sh`).

pub mod range;
pub mod uniform;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The server-side assignors of `group.consumer.assignors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServerAssignor {
    Uniform,
    Range,
}

impl ServerAssignor {
    /// The name Kafka gives it (`PartitionAssignor.name()`).
    pub fn name(self) -> &'static str {
        match self {
            ServerAssignor::Uniform => "uniform",
            ServerAssignor::Range => "range",
        }
    }

    pub fn parse(name: &str) -> Option<ServerAssignor> {
        match name.trim() {
            "uniform" => Some(ServerAssignor::Uniform),
            "range" => Some(ServerAssignor::Range),
            _ => None,
        }
    }
}

/// One member as the assignor sees it (`MemberSubscriptionAndAssignmentImpl`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSpec {
    pub member_id: String,
    /// `group.instance.id` of a static member.
    pub instance_id: Option<String>,
    /// Subscribed topic ids, in the order the subscription lists them.
    pub topics: Vec<String>,
    /// The member's current target: per topic id its partitions, in insertion order.
    pub assigned: Vec<(String, Vec<u32>)>,
}

/// A target assignment: member id → topic id → partitions.
pub type TargetAssignment = BTreeMap<String, BTreeMap<String, BTreeSet<u32>>>;

/// Why an assignment cannot be computed (`PartitionAssignorException`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignError(pub String);

/// Computes the target assignment of a group whose members are given in the order the
/// coordinator holds them, for topics with these partition counts (topic id → count).
/// `homogeneous` is the group's subscription type: every member subscribes to the same topics.
pub fn assign(
    assignor: ServerAssignor,
    members: &[MemberSpec],
    partitions: &BTreeMap<String, u32>,
) -> Result<TargetAssignment, AssignError> {
    let members = dedup_members(members);
    if members.is_empty() {
        return Ok(TargetAssignment::new());
    }
    let homogeneous = is_homogeneous(&members);
    let mut result = match assignor {
        ServerAssignor::Uniform if homogeneous => uniform::homogeneous(&members, partitions)?,
        ServerAssignor::Uniform => uniform::heterogeneous(&members, partitions)?,
        ServerAssignor::Range => range::assign(&members, partitions, homogeneous)?,
    };
    // Every member has a target, empty if it gets nothing; empty topic entries are dropped.
    for m in &members {
        result.entry(m.member_id.clone()).or_default();
    }
    for target in result.values_mut() {
        target.retain(|_, set| !set.is_empty());
    }
    Ok(result)
}

/// The group's subscription type as `ModernGroup.subscriptionType` decides it.
pub fn is_homogeneous(members: &[MemberSpec]) -> bool {
    let first: BTreeSet<&String> = members
        .first()
        .map(|m| m.topics.iter().collect())
        .unwrap_or_default();
    members
        .iter()
        .all(|m| m.topics.iter().collect::<BTreeSet<_>>() == first)
}

/// Cleans what Java's maps would not hold twice: a member id given again keeps its first
/// position and its last spec (`HashMap.put`), topics and partitions are de-duplicated.
fn dedup_members(members: &[MemberSpec]) -> Vec<MemberSpec> {
    let mut out: Vec<MemberSpec> = Vec::with_capacity(members.len());
    for m in members {
        let mut m = m.clone();
        let mut seen = BTreeSet::new();
        m.topics.retain(|t| seen.insert(t.clone()));
        let mut seen_topics = BTreeSet::new();
        m.assigned.retain(|(t, _)| seen_topics.insert(t.clone()));
        for (_, parts) in &mut m.assigned {
            let mut seen = BTreeSet::new();
            parts.retain(|p| seen.insert(*p));
        }
        match out.iter_mut().find(|o| o.member_id == m.member_id) {
            Some(existing) => *existing = m,
            None => out.push(m),
        }
    }
    out
}
