//! The server-side `uniform` assignor (`UniformAssignor`), the default of
//! `group.consumer.assignors`: balance first (member sizes differ by at most one), then
//! stickiness (a member keeps what it owns within its quota). Homogeneous groups follow
//! `UniformHomogeneousAssignmentBuilder`, heterogeneous ones
//! `UniformHeterogeneousAssignmentBuilder`.

use std::collections::{BTreeMap, BTreeSet};

use super::{AssignError, MemberSpec, TargetAssignment};
use crate::engine::assign::java_hash::{
    capacity_grown, copy_capacity, int_hash, iteration_order_at, string_hash, uuid_hash,
    DEFAULT_CAPACITY,
};

/// The order `groupSpec.memberIds()` iterates: the coordinator's `HashMap<memberId, spec>`
/// filled in the members' order.
pub(super) fn member_order(members: &[MemberSpec]) -> Vec<usize> {
    let hashes: Vec<i32> = members.iter().map(|m| string_hash(&m.member_id)).collect();
    iteration_order_at(&hashes, capacity_grown(DEFAULT_CAPACITY, hashes.len()))
}

/// The order a `HashSet<Uuid>` copied from a member's subscription iterates.
pub(super) fn topic_order(topics: &[String]) -> Vec<String> {
    let hashes: Vec<i32> = topics.iter().map(|t| uuid_hash(t)).collect();
    iteration_order_at(&hashes, copy_capacity(topics.len()))
        .into_iter()
        .map(|i| topics[i].clone())
        .collect()
}

/// The order a member's current target iterates: its `HashMap<Uuid, Set<Integer>>` filled in
/// the given order, each set a `HashSet<Integer>` filled in the given order.
pub(super) fn assigned_order(assigned: &[(String, Vec<u32>)]) -> Vec<(String, Vec<u32>)> {
    let hashes: Vec<i32> = assigned.iter().map(|(t, _)| uuid_hash(t)).collect();
    iteration_order_at(&hashes, capacity_grown(DEFAULT_CAPACITY, hashes.len()))
        .into_iter()
        .map(|i| {
            let (topic, parts) = &assigned[i];
            (topic.clone(), int_set_order(parts))
        })
        .collect()
}

/// The order a `HashSet<Integer>` filled in this order iterates.
pub(super) fn int_set_order(values: &[u32]) -> Vec<u32> {
    let hashes: Vec<i32> = values.iter().map(|&v| int_hash(v)).collect();
    iteration_order_at(&hashes, capacity_grown(DEFAULT_CAPACITY, hashes.len()))
        .into_iter()
        .map(|i| values[i])
        .collect()
}

/// The partitions some member currently holds, per topic id (the group's current target).
fn owned(members: &[MemberSpec]) -> BTreeMap<&str, BTreeSet<u32>> {
    let mut owned: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
    for m in members {
        for (topic, parts) in &m.assigned {
            owned
                .entry(topic)
                .or_default()
                .extend(parts.iter().copied());
        }
    }
    owned
}

/// `UniformHomogeneousAssignmentBuilder.build`: in member order, each member keeps its current
/// partitions up to its quota (in its sets' iteration order) and gives back the rest; the
/// `total % members` extra partitions go to members that already hold more than the minimum,
/// else to the last ones; then the members below their quota take the partitions nobody
/// holds, in order. Partitions are handled as (subscribed topic number, partition), so no
/// topic id is copied or compared per partition.
pub fn homogeneous(
    members: &[MemberSpec],
    partitions: &BTreeMap<String, u32>,
) -> Result<TargetAssignment, AssignError> {
    let order = member_order(members);
    let first = &members[order[0]];
    let subscribed = topic_order(&first.topics);
    let mut result = TargetAssignment::new();
    if subscribed.is_empty() {
        return Ok(result);
    }
    let owned = owned(members);
    let nobody = BTreeSet::new();
    // Partitions nobody holds: (position in `subscribed`, partition).
    let mut unassigned: Vec<(usize, u32)> = Vec::new();
    let mut total: u64 = 0;
    for (number, topic) in subscribed.iter().enumerate() {
        let count = *partitions.get(topic).ok_or_else(|| {
            AssignError(format!(
                "Members are subscribed to topic {topic} which doesn't exist in the topic metadata."
            ))
        })?;
        let held = owned.get(topic.as_str()).unwrap_or(&nobody);
        unassigned.extend(
            (0..count)
                .filter(|p| !held.contains(p))
                .map(|p| (number, p)),
        );
        total += u64::from(count);
    }
    let number_of: BTreeMap<&String, usize> = subscribed
        .iter()
        .enumerate()
        .map(|(number, topic)| (topic, number))
        .collect();
    let count = order.len() as u64;
    let min_quota = total / count;
    let mut extra = total % count;
    let mut unfilled: Vec<(usize, u64)> = Vec::new();
    let count_members = order.len() as u64;
    for (position, &index) in order.iter().enumerate() {
        let m = &members[index];
        let mut quota = min_quota;
        // The member is offered one of the extra partitions; it keeps the offer only if it
        // filled its minimum from what it owns, or if too few members are left to take the
        // extras otherwise.
        let mut offered = extra > 0;
        if offered {
            quota += 1;
        }
        let mut target: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        for (topic, parts) in assigned_order(&m.assigned) {
            let Some(&number) = number_of.get(&topic) else {
                continue;
            };
            let size = parts.len() as u64;
            if size <= quota {
                quota -= size;
                target.insert(topic, parts.into_iter().collect());
            } else {
                let mut kept = BTreeSet::new();
                for p in parts {
                    if quota > 0 {
                        quota -= 1;
                        kept.insert(p);
                    } else {
                        unassigned.push((number, p));
                    }
                }
                target.insert(topic, kept);
            }
        }
        if quota > 0 && offered && count_members - position as u64 > extra {
            quota -= 1;
            offered = false;
        }
        if quota > 0 {
            unfilled.push((index, quota));
        }
        if offered {
            extra -= 1;
        }
        result.insert(m.member_id.clone(), target);
    }
    let mut next = 0;
    for (index, quota) in unfilled {
        let target = result.entry(members[index].member_id.clone()).or_default();
        let quota = usize::try_from(quota).unwrap_or(usize::MAX);
        let end = next + quota.min(unassigned.len() - next);
        // The member's share, a run of partitions of one topic at a time.
        let mut share = &unassigned[next..end];
        while let Some(&(number, _)) = share.first() {
            let run = share.iter().take_while(|(n, _)| *n == number).count();
            let parts = share[..run].iter().map(|&(_, p)| p);
            match target.get_mut(&subscribed[number]) {
                Some(set) => set.extend(parts),
                None => {
                    target.insert(subscribed[number].clone(), parts.collect());
                }
            }
            share = &share[run..];
        }
        next = end;
    }
    if next < unassigned.len() {
        return Err(AssignError("Partitions were left unassigned".into()));
    }
    Ok(result)
}

/// `UniformHeterogeneousAssignmentBuilder.build`: members numbered in `memberIds()` order;
/// each keeps its current partitions of topics it still subscribes to; the partitions nobody
/// holds go, topic by topic (most partitions per subscriber first), to the least loaded
/// subscriber; then each topic shared by two or more members is balanced by moving partitions
/// from its most loaded subscribers to its least loaded ones, for at most 16 passes.
pub fn heterogeneous(
    members: &[MemberSpec],
    partitions: &BTreeMap<String, u32>,
) -> Result<TargetAssignment, AssignError> {
    Heterogeneous::new(members, partitions)?.build()
}

/// `MAX_ITERATION_COUNT` of the balancing phase.
const MAX_ITERATION_COUNT: usize = 16;

struct Heterogeneous<'a> {
    /// Members in index order (`memberIds`).
    members: Vec<&'a MemberSpec>,
    partitions: &'a BTreeMap<String, u32>,
    /// Subscribed topics and, per topic, its subscribers' indices in ascending order.
    subscribers: BTreeMap<String, Vec<usize>>,
    /// Per topic, each partition's owner in the target (`None`: unassigned).
    owners: BTreeMap<String, Vec<Option<usize>>>,
    /// Partitions each member holds in the target.
    sizes: Vec<i64>,
}

impl<'a> Heterogeneous<'a> {
    fn new(
        members: &'a [MemberSpec],
        partitions: &'a BTreeMap<String, u32>,
    ) -> Result<Self, AssignError> {
        let ordered: Vec<&MemberSpec> = member_order(members)
            .into_iter()
            .map(|i| &members[i])
            .collect();
        let mut subscribers: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, m) in ordered.iter().enumerate() {
            for topic in &m.topics {
                if !partitions.contains_key(topic) {
                    return Err(AssignError(format!(
                        "Members are subscribed to topic {topic} which doesn't exist in the topic metadata."
                    )));
                }
                subscribers.entry(topic.clone()).or_default().push(index);
            }
        }
        let owners = subscribers
            .keys()
            .map(|t| {
                let count = partitions.get(t).copied().unwrap_or(0) as usize;
                (t.clone(), vec![None; count])
            })
            .collect();
        let sizes = vec![0; ordered.len()];
        Ok(Heterogeneous {
            members: ordered,
            partitions,
            subscribers,
            owners,
            sizes,
        })
    }

    fn count(&self, topic: &str) -> u32 {
        self.partitions.get(topic).copied().unwrap_or(0)
    }

    fn build(mut self) -> Result<TargetAssignment, AssignError> {
        if self.subscribers.is_empty() {
            return Ok(TargetAssignment::new());
        }
        // maybeRevokePartitions: keep what a member owns of the topics it still subscribes to.
        for index in 0..self.members.len() {
            let m = self.members[index];
            for (topic, parts) in &m.assigned {
                if !m.topics.contains(topic) {
                    continue;
                }
                let Some(owners) = self.owners.get_mut(topic) else {
                    continue;
                };
                for &p in parts {
                    if let Some(slot) = owners.get_mut(p as usize) {
                        if slot.is_none() {
                            *slot = Some(index);
                            self.sizes[index] += 1;
                        }
                    }
                }
            }
        }
        // assignRemainingPartitions.
        let unassigned: Vec<(String, Vec<u32>)> = self
            .owners
            .iter()
            .map(|(t, owners)| {
                let free: Vec<u32> = (0..owners.len() as u32)
                    .filter(|&p| owners[p as usize].is_none())
                    .collect();
                (t.clone(), free)
            })
            .filter(|(_, free)| !free.is_empty())
            .collect();
        let topics: Vec<String> = unassigned.iter().map(|(t, _)| t.clone()).collect();
        let free: BTreeMap<String, Vec<u32>> = unassigned.into_iter().collect();
        for topic in self.sort_topics(topics) {
            let mut balancer = Balancer::new(self.subscribers[&topic].clone(), &self.sizes);
            for &p in &free[&topic] {
                let member = balancer.next_least_loaded(&self.sizes);
                self.assign(&topic, p, member);
            }
        }
        // balance: topics with two or more subscribers.
        let shared: Vec<String> = self
            .subscribers
            .iter()
            .filter(|(_, s)| s.len() >= 2)
            .map(|(t, _)| t.clone())
            .collect();
        if !shared.is_empty() {
            self.balance_topics(shared);
        }
        Ok(self.target())
    }

    /// The target assignment the owner table describes, every member with an entry. Each
    /// member's partitions of a topic are gathered first, so a topic id is copied once per
    /// member that gets some of it, not once per partition. Member ids are distinct.
    fn target(&self) -> TargetAssignment {
        let mut targets: Vec<BTreeMap<String, BTreeSet<u32>>> =
            vec![BTreeMap::new(); self.members.len()];
        let mut gathered: Vec<Vec<u32>> = vec![Vec::new(); self.members.len()];
        let mut holders: Vec<usize> = Vec::new();
        for (topic, owners) in &self.owners {
            for (p, owner) in owners.iter().enumerate() {
                if let Some(&index) = owner.as_ref() {
                    if gathered[index].is_empty() {
                        holders.push(index);
                    }
                    gathered[index].push(p as u32);
                }
            }
            for index in holders.drain(..) {
                let parts = std::mem::take(&mut gathered[index]);
                targets[index].insert(topic.clone(), parts.into_iter().collect());
            }
        }
        let mut result = TargetAssignment::new();
        for (m, target) in self.members.iter().zip(targets) {
            result.insert(m.member_id.clone(), target);
        }
        result
    }

    /// The target as first ported, one partition at a time: the reference for [`Self::target`].
    #[cfg(test)]
    fn target_per_partition(&self) -> TargetAssignment {
        let mut result = TargetAssignment::new();
        for m in &self.members {
            result.entry(m.member_id.clone()).or_default();
        }
        for (topic, owners) in &self.owners {
            for (p, owner) in owners.iter().enumerate() {
                if let Some(index) = owner {
                    result
                        .entry(self.members[*index].member_id.clone())
                        .or_default()
                        .entry(topic.clone())
                        .or_default()
                        .insert(p as u32);
                }
            }
        }
        result
    }

    /// `topicComparator`: partitions per subscriber descending, then subscribers ascending,
    /// then topic id ascending (`Uuid.compareTo`).
    fn sort_topics(&self, mut topics: Vec<String>) -> Vec<String> {
        use crate::engine::assign::java_hash::compare_uuids;
        crate::sort::sort_by(&mut topics, |a, b| {
            let (pa, sa) = (f64::from(self.count(a)), self.subscribers[a].len());
            let (pb, sb) = (f64::from(self.count(b)), self.subscribers[b].len());
            (pb / sb as f64)
                .partial_cmp(&(pa / sa as f64))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(sa.cmp(&sb))
                .then_with(|| compare_uuids(a, b))
        });
        topics
    }

    fn assign(&mut self, topic: &str, partition: u32, member: usize) {
        let Some(slot) = self
            .owners
            .get_mut(topic)
            .and_then(|o| o.get_mut(partition as usize))
        else {
            return;
        };
        if let Some(old) = slot.replace(member) {
            self.sizes[old] -= 1;
        }
        self.sizes[member] += 1;
    }

    /// `balanceTopics`: passes over the sorted topics until a whole pass moves nothing.
    fn balance_topics(&mut self, topics: Vec<String>) {
        let sorted = self.sort_topics(topics);
        let mut last_rebalanced: Option<usize> = None;
        for _ in 0..MAX_ITERATION_COUNT {
            for (index, topic) in sorted.iter().enumerate() {
                if last_rebalanced == Some(index) {
                    return;
                }
                let moved = self.balance_topic(topic);
                if moved > 0 || last_rebalanced.is_none() {
                    last_rebalanced = Some(index);
                }
            }
        }
    }

    /// `balanceTopic`: moves the topic's partitions from its most loaded subscribers (their
    /// highest-numbered first) to its least loaded ones until they differ by one or less.
    fn balance_topic(&mut self, topic: &str) -> usize {
        let mut moved = 0;
        let mut balancer = Balancer::new(self.subscribers[topic].clone(), &self.sizes);
        if balancer.imbalance(&self.sizes) <= 1 {
            return moved;
        }
        let owners = self.owners[topic].clone();
        let key = |p: &u32| (owners[*p as usize].map_or(-1, |o| o as i64), *p);
        let mut order: Vec<u32> = (0..owners.len() as u32).collect();
        crate::sort::sort_by_key(&mut order, key);
        let mut start: BTreeMap<i64, usize> = BTreeMap::new();
        let mut end: BTreeMap<i64, usize> = BTreeMap::new();
        for (i, p) in order.iter().enumerate() {
            let owner = key(p).0;
            start.entry(owner).or_insert(i);
            end.insert(owner, i + 1);
        }
        while !balancer.is_balanced() {
            let mut most = None;
            while let Some(member) = balancer.next_most_loaded(&self.sizes) {
                let owner = member as i64;
                let has = match (start.get(&owner), end.get(&owner)) {
                    (Some(s), Some(e)) => e > s,
                    _ => false,
                };
                if has {
                    most = Some(member);
                    break;
                }
                balancer.exclude_most_loaded();
            }
            let Some(most) = most else {
                break;
            };
            let owner = most as i64;
            let e = end[&owner];
            let partition = order[e - 1];
            end.insert(owner, e - 1);
            let least = balancer.next_least_loaded(&self.sizes);
            if balancer.is_balanced() {
                break;
            }
            self.assign(topic, partition, least);
            moved += 1;
        }
        moved
    }
}

/// `MemberAssignmentBalancer`: the least and the most loaded ranges of a topic's subscribers
/// sorted by how many partitions they hold (ties by index).
struct Balancer {
    sorted: Vec<usize>,
    least_end: usize,
    least_count: i64,
    next_least: usize,
    most_start: usize,
    most_end: usize,
    most_count: i64,
    /// The next member of the most loaded range to take from; -1 when none is left.
    next_most: i64,
}

impl Balancer {
    /// `initialize`.
    fn new(mut members: Vec<usize>, sizes: &[i64]) -> Balancer {
        crate::sort::sort_by_key(&mut members, |&m| (sizes[m], m));
        let n = members.len();
        let first = members.first().map_or(0, |&m| sizes[m]);
        let last = members.last().map_or(0, |&m| sizes[m]);
        Balancer {
            sorted: members,
            least_end: 0,
            least_count: first - 1,
            next_least: 0,
            most_start: n,
            most_end: n,
            most_count: last + 1,
            next_most: n as i64 - 1,
        }
    }

    /// The value `initialize` returns: most loaded minus least loaded.
    fn imbalance(&self, sizes: &[i64]) -> i64 {
        match (self.sorted.first(), self.sorted.last()) {
            (Some(&a), Some(&b)) => sizes[b] - sizes[a],
            _ => 0,
        }
    }

    /// `nextLeastLoadedMember`.
    fn next_least_loaded(&mut self, sizes: &[i64]) -> usize {
        if self.next_least >= self.least_end {
            self.least_count += 1;
            while self.least_end < self.sorted.len()
                && sizes[self.sorted[self.least_end]] == self.least_count
            {
                self.least_end += 1;
            }
            self.next_least = 0;
        }
        let member = self.sorted[self.next_least.min(self.sorted.len().saturating_sub(1))];
        self.next_least += 1;
        member
    }

    /// `nextMostLoadedMember`: `None` when no member can give a partition up.
    fn next_most_loaded(&mut self, sizes: &[i64]) -> Option<usize> {
        if self.next_most < self.most_start as i64 {
            if self.most_end <= self.most_start && self.most_start > 0 {
                self.most_count = sizes[self.sorted[self.most_start - 1]];
            } else {
                self.most_count -= 1;
            }
            while self.most_start > 0 && sizes[self.sorted[self.most_start - 1]] == self.most_count
            {
                self.most_start -= 1;
            }
            self.next_most = self.most_end as i64 - 1;
        }
        if self.next_most < 0 {
            return None;
        }
        let member = self.sorted[self.next_most as usize];
        self.next_most -= 1;
        Some(member)
    }

    /// `excludeMostLoadedMember`: swaps the last returned member out of the most loaded range.
    fn exclude_most_loaded(&mut self) {
        let at = (self.next_most + 1) as usize;
        let last = self.most_end - 1;
        self.sorted.swap(at, last);
        self.most_end -= 1;
    }

    fn is_balanced(&self) -> bool {
        self.most_count - self.least_count <= 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heterogeneous_target_gathers_each_members_partitions_as_one_by_one() {
        let topics = ["a", "b", "c"];
        let members: Vec<MemberSpec> = (0..5)
            .map(|i| MemberSpec {
                member_id: format!("m{i}"),
                instance_id: None,
                topics: topics[..1 + i % 3].iter().map(|t| t.to_string()).collect(),
                assigned: vec![],
            })
            .collect();
        let partitions: BTreeMap<String, u32> = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.to_string(), 2 + 3 * i as u32))
            .collect();
        let mut state: u64 = 13;
        for _ in 0..500 {
            let mut group = Heterogeneous::new(&members, &partitions).expect("group");
            for owners in group.owners.values_mut() {
                for slot in owners.iter_mut() {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    let pick = (state >> 33) % 7;
                    *slot = (pick < 5).then_some(pick as usize);
                }
            }
            assert_eq!(group.target(), group.target_per_partition());
        }
    }
}
