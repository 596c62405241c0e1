//! The server-side `range` assignor (`org.apache.kafka.coordinator.group.assignor.RangeAssignor`):
//! members sorted by `group.instance.id` (static members first) then member id, and each
//! topic's partitions handed out in contiguous ranges in that order, the first
//! `partitions % members` members getting one more. Not sticky: the current target is not
//! read, so the same members and topics always give the same ranges (co-partitioning).
//!
//! Built for a million partitions: topics are numbered by their place in the partition
//! counts, each distinct subscription is resolved to topic numbers once (members with the
//! same list as the member before them share it), and each member's target is a copy of its
//! subscription's map of topic ids, its sets then filled in key order. No topic id is looked
//! up or compared per member and partition.

use std::collections::{BTreeMap, BTreeSet};

use super::{AssignError, MemberSpec, TargetAssignment};
use crate::engine::assign::java_hash::compare_strings;

/// The range assignment of a group (`assignHomogeneousGroup` / `assignHeterogeneousGroup`).
/// Members are distinct and so are each member's topics (`super::assign` cleans them). No
/// member's target holds an empty set: a topic whose partitions ran out is left out.
pub fn assign(
    members: &[MemberSpec],
    partitions: &BTreeMap<String, u32>,
    homogeneous: bool,
) -> Result<TargetAssignment, AssignError> {
    let sorted = sort_members(members);
    let catalog = Catalog::new(partitions);
    // Every member's subscription must exist; in a homogeneous group every member has the
    // first one's topics, so its list serves them all.
    let mut subscriptions: Vec<Subscription> = Vec::new();
    let mut subscription_of: Vec<usize> = Vec::with_capacity(sorted.len());
    let mut previous: Option<&[String]> = None;
    for m in &sorted {
        let list: &[String] = if homogeneous {
            &sorted[0].topics
        } else {
            &m.topics
        };
        if previous != Some(list) {
            subscriptions.push(Subscription::new(list, &catalog)?);
            previous = Some(list);
        }
        let index = subscriptions.len() - 1;
        subscriptions[index].members += 1;
        subscription_of.push(index);
    }
    // Per topic: how many members subscribe, hence its quota.
    let mut subscribers = vec![0u32; catalog.counts.len()];
    for subscription in &subscriptions {
        for &topic in &subscription.topics {
            subscribers[topic] += subscription.members;
        }
    }
    let mut quotas: Vec<Quota> = catalog
        .counts
        .iter()
        .zip(&subscribers)
        .map(|(&count, &members)| Quota::new(count, members))
        .collect();
    let mut result = TargetAssignment::new();
    for (m, &index) in sorted.iter().zip(&subscription_of) {
        let subscription = &subscriptions[index];
        let mut target = subscription.template.clone();
        let mut ran_out = false;
        // The template's keys iterate in topic id order, which is topic number order.
        for (set, &topic) in target.values_mut().zip(&subscription.topics) {
            let range = quotas[topic].next_range();
            if range.is_empty() {
                ran_out = true;
            } else {
                *set = range_set(range);
            }
        }
        if ran_out {
            target.retain(|_, set| !set.is_empty());
        }
        result.insert(m.member_id.clone(), target);
    }
    Ok(result)
}

/// The topics with their partition counts, numbered in topic id order.
struct Catalog<'a> {
    ids: Vec<&'a String>,
    counts: Vec<u32>,
}

impl<'a> Catalog<'a> {
    fn new(partitions: &'a BTreeMap<String, u32>) -> Catalog<'a> {
        Catalog {
            ids: partitions.keys().collect(),
            counts: partitions.values().copied().collect(),
        }
    }

    /// The number of a topic id, `None` for a topic without metadata.
    fn number(&self, topic: &str) -> Option<usize> {
        self.ids.binary_search_by(|id| id.as_str().cmp(topic)).ok()
    }
}

/// One distinct subscription: its topic numbers ascending, how many members hold it, and
/// the map a member's target starts from (every topic id with an empty set).
struct Subscription {
    topics: Vec<usize>,
    members: u32,
    template: BTreeMap<String, BTreeSet<u32>>,
}

impl Subscription {
    fn new(list: &[String], catalog: &Catalog) -> Result<Subscription, AssignError> {
        let mut topics = Vec::with_capacity(list.len());
        for topic in list {
            let number = catalog.number(topic).ok_or_else(|| {
                AssignError("Member is subscribed to a non-existent topic".into())
            })?;
            topics.push(number);
        }
        crate::sort::sort(&mut topics);
        topics.dedup();
        let mut template = BTreeMap::new();
        for &topic in &topics {
            template.insert(catalog.ids[topic].clone(), BTreeSet::new());
        }
        Ok(Subscription {
            topics,
            members: 0,
            template,
        })
    }
}

/// The set of a contiguous range of partitions.
fn range_set(range: std::ops::Range<u32>) -> BTreeSet<u32> {
    if range.len() == 1 {
        let mut set = BTreeSet::new();
        set.insert(range.start);
        set
    } else {
        range.collect()
    }
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
