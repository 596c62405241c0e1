//! The server-side `range` assignor (`org.apache.kafka.coordinator.group.assignor.RangeAssignor`):
//! members sorted by `group.instance.id` (static members first) then member id, and each
//! topic's partitions handed out in contiguous ranges in that order, the first
//! `partitions % members` members getting one more. Not sticky: the current target is not
//! read, so the same members and topics always give the same ranges (co-partitioning).

use std::collections::{BTreeMap, BTreeSet};

use super::{AssignError, MemberSpec, TargetAssignment};
use crate::engine::assign::java_hash::compare_strings;

/// The range assignment of a group (`assignHomogeneousGroup` / `assignHeterogeneousGroup`).
pub fn assign(
    members: &[MemberSpec],
    partitions: &BTreeMap<String, u32>,
    homogeneous: bool,
) -> Result<TargetAssignment, AssignError> {
    let sorted = sort_members(members);
    // Per topic: how many members subscribe, and the next range's start.
    let mut topics: BTreeMap<&String, (u32, u32, u32)> = BTreeMap::new();
    let subscribers = |m: &MemberSpec| -> Vec<String> {
        if homogeneous {
            sorted[0].topics.clone()
        } else {
            m.topics.clone()
        }
    };
    for m in &sorted {
        for topic in &m.topics {
            let count = *partitions.get(topic).ok_or_else(|| {
                AssignError("Member is subscribed to a non-existent topic".into())
            })?;
            let entry = topics.entry(topic).or_insert((count, 0, 0));
            entry.1 += 1;
        }
    }
    let mut quotas: BTreeMap<String, Quota> = topics
        .iter()
        .map(|(topic, &(count, members, _))| ((*topic).clone(), Quota::new(count, members)))
        .collect();
    let mut result = TargetAssignment::new();
    for m in &sorted {
        let target = result.entry(m.member_id.clone()).or_default();
        for topic in subscribers(m) {
            if let Some(quota) = quotas.get_mut(&topic) {
                let range: BTreeSet<u32> = quota.next_range().collect();
                target.insert(topic, range);
            }
        }
    }
    Ok(result)
}

/// `TopicMetadata`: a topic's quota and where the next range starts.
struct Quota {
    partitions: u32,
    min_quota: u32,
    extra: u32,
    next: u32,
}

impl Quota {
    fn new(partitions: u32, members: u32) -> Quota {
        let members = members.max(1);
        Quota {
            partitions,
            min_quota: partitions / members,
            extra: partitions % members,
            next: 0,
        }
    }

    /// `addPartitionsToAssignment`: the next contiguous range, empty once all are handed out.
    fn next_range(&mut self) -> std::ops::Range<u32> {
        if self.next >= self.partitions {
            return 0..0;
        }
        let start = self.next;
        let mut end = start.saturating_add(self.min_quota).min(self.partitions);
        if self.extra > 0 {
            end += 1;
            self.extra -= 1;
        }
        self.next = end;
        start..end
    }
}

/// `sortMemberIds`: static members first by instance id, then the others by member id.
fn sort_members(members: &[MemberSpec]) -> Vec<&MemberSpec> {
    let mut sorted: Vec<&MemberSpec> = members.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| match (&a.instance_id, &b.instance_id) {
        (Some(x), Some(y)) => compare_strings(x, y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => compare_strings(&a.member_id, &b.member_id),
    });
    sorted
}
