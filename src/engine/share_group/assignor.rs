//! The share groups' `simple` assignor (`group.share.assignors`, SEMANTICS-4 §C.5), as the
//! pinned Kafka's `SimpleAssignor` computes it for a group whose members all subscribe to
//! the same topics (`SimpleHomogeneousAssignmentBuilder`): each partition is shared by
//! `ceil(members / partitions)` members, balance before stickiness; and, for a group whose
//! members subscribe to different topics, `SimpleHeterogeneousAssignmentBuilder`, which
//! does the same for each topic among its subscribers. The steps walk Java
//! `HashMap`s and `HashSet`s, whose order decides ties, so they run on [`JavaMap`].
//! Test data from Kafka's own class: `tests/data/share_assign_vectors.json`
//! (`conformance/vectors/ShareAssignVectors.java`, `scripts/assign848-vectors.sh`).

use std::collections::{BTreeMap, BTreeSet};

use super::java_map::{JavaMap, JavaSet, TopicId, TopicIdPartition};
use crate::engine::assign::java_hash::{capacity_grown, iteration_order_at, string_hash};
use crate::engine::assign::server::{AssignError, MemberSpec, TargetAssignment};

/// A member's assignment as the coordinator hands it over: topic id → partitions.
type MemberPartitions = JavaMap<TopicId, JavaSet<u32>>;

/// `AssignorHelpers.deepCopyAssignment`.
fn deep_copy(assignment: &MemberPartitions) -> MemberPartitions {
    let mut copy = JavaMap::with_capacity(assignment.len());
    for (topic, partitions) in assignment.iter() {
        let mut set = JavaSet::for_copy_of(partitions.len());
        for p in partitions.keys() {
            set.add(p);
        }
        copy.insert(topic.clone(), set);
    }
    copy
}

/// A member's current assignment as a fresh `HashMap` of fresh `HashSet`s filled in the
/// given order (how the simulator and the test data hand it over).
fn current_of(member: &MemberSpec) -> MemberPartitions {
    let mut map = JavaMap::new();
    for (topic, partitions) in &member.assigned {
        let mut set = JavaSet::new();
        for &p in partitions {
            set.add(p);
        }
        map.insert(TopicId(topic.clone()), set);
    }
    map
}

/// `groupSpec.memberIds()`: the members in the iteration order of the coordinator's
/// `HashMap<memberId, spec>`, which decides the builders' ties.
fn member_ids(members: &[MemberSpec]) -> Vec<&MemberSpec> {
    let hashes: Vec<i32> = members.iter().map(|m| string_hash(&m.member_id)).collect();
    let order = iteration_order_at(&hashes, capacity_grown(16, hashes.len()));
    order.iter().map(|&i| &members[i]).collect()
}

/// The target assignment of a share group whose members (given in the order the coordinator
/// holds them) subscribe to the same topics, for topics with these partition counts
/// (topic id → count). A member missing from the result gets nothing.
pub fn assign_homogeneous(
    members: &[MemberSpec],
    partitions: &BTreeMap<String, u32>,
) -> Result<TargetAssignment, AssignError> {
    if members.is_empty() {
        return Ok(TargetAssignment::new());
    }
    let member_ids = member_ids(members);
    let count = member_ids.len();

    let mut subscribed: JavaSet<TopicId> = JavaSet::for_copy_of(member_ids[0].topics.len());
    for t in &member_ids[0].topics {
        subscribed.add(TopicId(t.clone()));
    }
    let mut builder = Builder {
        desired_sharing: 0,
        desired_count: vec![0; count],
        old: member_ids.iter().map(|m| current_of(m)).collect(),
        new: BTreeMap::new(),
        by_partition: JavaMap::kafka_sized(0),
        by_member: BTreeMap::new(),
        unfilled: BTreeSet::new(),
        overfilled: BTreeSet::new(),
        subscribed,
    };
    if builder.subscribed.is_empty() {
        return Ok(TargetAssignment::new());
    }
    let mut targets: Vec<TopicIdPartition> = Vec::new();
    for topic in builder.subscribed.keys() {
        let n = *partitions.get(&topic.0).ok_or_else(|| {
            AssignError(format!(
                "Members are subscribed to topic {} which doesn't exist in the topic metadata.",
                topic.0
            ))
        })?;
        targets.extend((0..n).map(|partition| TopicIdPartition {
            topic: topic.clone(),
            partition,
        }));
    }
    builder.by_partition = JavaMap::kafka_sized(targets.len());
    if !targets.is_empty() {
        builder.desired_sharing = count.div_ceil(targets.len());
    }
    let precise = (builder.desired_sharing * targets.len()) as f64 / count as f64;
    for i in 0..count {
        builder.desired_count[i] =
            (precise * (i + 1) as f64).ceil() as usize - (precise * i as f64).ceil() as usize;
    }

    builder.revoke_unassignable();
    builder.revoke_overfilled();
    builder.revoke_overshared();
    for tp in &targets {
        builder
            .by_partition
            .entry_or_insert_with(tp.clone(), JavaSet::new);
    }
    builder.assign_remaining()?;

    Ok(target_assignment(&member_ids, &builder.old, &builder.new))
}

/// `SimpleHomogeneousAssignmentBuilder`'s state; members are indices into the member order.
struct Builder {
    subscribed: JavaSet<TopicId>,
    desired_sharing: usize,
    desired_count: Vec<usize>,
    old: Vec<MemberPartitions>,
    new: BTreeMap<usize, MemberPartitions>,
    by_partition: JavaMap<TopicIdPartition, JavaSet<u32>>,
    by_member: BTreeMap<usize, JavaSet<TopicIdPartition>>,
    // Sets of member indices below their table size iterate in ascending order.
    unfilled: BTreeSet<usize>,
    overfilled: BTreeSet<usize>,
}

impl Builder {
    /// `new` of a member, deep-copied from its old assignment on first use.
    fn new_of(&mut self, member: usize) -> &mut MemberPartitions {
        if !self.new.contains_key(&member) {
            let copy = deep_copy(&self.old[member]);
            self.new.insert(member, copy);
        }
        self.new.entry(member).or_default()
    }

    /// `revokeUnassignablePartitions`.
    fn revoke_unassignable(&mut self) {
        for member in 0..self.old.len() {
            let desired = self.desired_count[member];
            let mut assigned = 0usize;
            let mut copy: Option<MemberPartitions> = None;
            let entries: Vec<(TopicId, Vec<u32>)> = self.old[member]
                .iter()
                .map(|(t, s)| (t.clone(), s.keys()))
                .collect();
            for (topic, parts) in entries {
                if self.subscribed.contains_key(&topic) {
                    for partition in parts {
                        let tp = TopicIdPartition {
                            topic: topic.clone(),
                            partition,
                        };
                        assigned += 1;
                        self.by_partition
                            .entry_or_insert_with(tp.clone(), JavaSet::new)
                            .add(member as u32);
                        self.by_member.entry(member).or_default().add(tp);
                        if assigned >= desired && copy.is_none() {
                            copy = Some(deep_copy(&self.old[member]));
                        }
                    }
                } else {
                    let map = copy.get_or_insert_with(|| deep_copy(&self.old[member]));
                    map.remove(&topic);
                }
            }
            if let Some(map) = copy {
                self.new.insert(member, map);
            }
            if assigned < desired {
                self.unfilled.insert(member);
            } else if assigned > desired {
                self.overfilled.insert(member);
            }
        }
    }

    /// `revokeOverfilledMembers`: each overfilled member gives back what it holds beyond its
    /// desired count, in its set's order.
    fn revoke_overfilled(&mut self) {
        let overfilled: Vec<usize> = self.overfilled.iter().copied().collect();
        for member in overfilled {
            let desired = self.desired_count[member];
            let Some(held) = self.by_member.get(&member).map(|s| s.keys()) else {
                continue;
            };
            if held.len() <= desired {
                continue;
            }
            for tp in held {
                if let Some(set) = self.new.get_mut(&member).and_then(|m| m.get_mut(&tp.topic)) {
                    set.remove(&tp.partition);
                }
                if let Some(set) = self.by_partition.get_mut(&tp) {
                    set.remove(&(member as u32));
                }
                let size = self.by_member.get_mut(&member).map_or(0, |set| {
                    set.remove(&tp);
                    set.len()
                });
                if size == desired {
                    break;
                }
            }
        }
    }

    /// `revokeOversharedPartitions`: a partition shared by more members than desired is
    /// taken from its members in its set's order until it is not.
    fn revoke_overshared(&mut self) {
        for tp in self.by_partition.keys() {
            let mut shared = self.by_partition.get(&tp).map_or(0, |s| s.len());
            if shared <= self.desired_sharing {
                continue;
            }
            let members = self
                .by_partition
                .get(&tp)
                .map(|s| s.keys())
                .unwrap_or_default();
            for member in members {
                let member = member as usize;
                let removed = self
                    .new_of(member)
                    .get_mut(&tp.topic)
                    .is_some_and(|set| set.remove(&tp.partition));
                if removed {
                    shared -= 1;
                    if let Some(set) = self.by_partition.get_mut(&tp) {
                        set.remove(&(member as u32));
                    }
                    if let Some(set) = self.by_member.get_mut(&member) {
                        set.remove(&tp);
                    }
                    self.unfilled.insert(member);
                }
                if shared <= self.desired_sharing {
                    break;
                }
            }
        }
    }

    /// `assignRemainingPartitions`: the unfilled members, round and round, take the
    /// partitions shared less than desired.
    fn assign_remaining(&mut self) -> Result<(), AssignError> {
        if self.unfilled.is_empty() {
            return Ok(());
        }
        let mut round: Vec<usize> = self.unfilled.iter().copied().collect();
        let mut cursor = 0usize;
        let mut assigned_this_round = false;
        for tp in self.by_partition.keys() {
            let holders = self
                .by_partition
                .get(&tp)
                .map(|s| s.keys())
                .unwrap_or_default();
            if holders.len() < self.desired_sharing {
                let mut to_make = self.desired_sharing - holders.len();
                while to_make > 0 {
                    if cursor >= round.len() {
                        if !assigned_this_round {
                            break;
                        }
                        round = self.unfilled.iter().copied().collect();
                        cursor = 0;
                        assigned_this_round = false;
                        if round.is_empty() {
                            // Java's iterator would throw NoSuchElementException here.
                            return Err(AssignError(
                                "the simple assignor ran out of unfilled members".into(),
                            ));
                        }
                    }
                    let member = round[cursor];
                    cursor += 1;
                    if holders.contains(&(member as u32)) {
                        continue;
                    }
                    self.new_of(member)
                        .entry_or_insert_with(tp.topic.clone(), JavaSet::new)
                        .add(tp.partition);
                    let held = self.by_member.entry(member).or_default();
                    held.add(tp.clone());
                    let size = held.len();
                    to_make -= 1;
                    assigned_this_round = true;
                    if size >= self.desired_count[member] {
                        self.unfilled.remove(&member);
                    }
                }
            }
            if self.unfilled.is_empty() {
                break;
            }
        }
        Ok(())
    }
}

/// The target assignment of a share group, as `SimpleAssignor.assign` computes it: the
/// homogeneous builder when every member subscribes to the same topics (as
/// `ModernGroup.subscriptionType` decides), the heterogeneous one otherwise.
pub fn assign(
    members: &[MemberSpec],
    partitions: &BTreeMap<String, u32>,
) -> Result<TargetAssignment, AssignError> {
    let first: Option<BTreeSet<&String>> = members.first().map(|m| m.topics.iter().collect());
    let homogeneous = members
        .iter()
        .all(|m| Some(m.topics.iter().collect::<BTreeSet<_>>()) == first);
    if homogeneous {
        assign_homogeneous(members, partitions)
    } else {
        assign_heterogeneous(members, partitions)
    }
}

/// The target assignment of a share group whose members (in the order the coordinator holds
/// them) may subscribe to different topics (`SimpleHeterogeneousAssignmentBuilder`): each
/// topic is balanced on its own among the members subscribed to it.
pub fn assign_heterogeneous(
    members: &[MemberSpec],
    partitions: &BTreeMap<String, u32>,
) -> Result<TargetAssignment, AssignError> {
    if members.is_empty() {
        return Ok(TargetAssignment::new());
    }
    let member_ids = member_ids(members);
    let count = member_ids.len();

    // subscribedTopicIds: a HashSet filled member by member.
    let mut subscribed: JavaSet<TopicId> = JavaSet::new();
    for m in &member_ids {
        for t in &m.topics {
            subscribed.add(TopicId(t.clone()));
        }
    }
    if subscribed.is_empty() {
        return Ok(TargetAssignment::new());
    }
    // computeTargetPartitions (every partition is assignable in the simulator).
    let mut targets: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for topic in subscribed.keys() {
        let n = *partitions.get(&topic.0).ok_or_else(|| {
            AssignError(format!(
                "Members are subscribed to topic {} which doesn't exist in the topic metadata.",
                topic.0
            ))
        })?;
        targets.insert(topic.0.clone(), (0..n).collect());
    }
    // computeSubscribedMembers: member indices in member order, per topic.
    let mut subscribers: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (index, m) in member_ids.iter().enumerate() {
        for t in &m.topics {
            subscribers.entry(t.clone()).or_default().push(index as u32);
        }
    }
    let mut state = Hetero {
        subscribed,
        count,
        old: member_ids.iter().map(|m| current_of(m)).collect(),
        new: BTreeMap::new(),
    };
    for topic in state.subscribed.keys() {
        let targets = targets.get(&topic.0).cloned().unwrap_or_default();
        let subscribers = subscribers.get(&topic.0).cloned().unwrap_or_default();
        state.build_topic(&topic, &targets, &subscribers)?;
    }
    Ok(target_assignment(&member_ids, &state.old, &state.new))
}

/// Each member's new partitions (its old ones where the builder gave it none), by topic
/// name, without empty sets.
fn target_assignment(
    member_ids: &[&MemberSpec],
    old: &[MemberPartitions],
    new: &BTreeMap<usize, MemberPartitions>,
) -> TargetAssignment {
    let mut result = TargetAssignment::new();
    for (index, m) in member_ids.iter().enumerate() {
        let target = new.get(&index).unwrap_or(&old[index]);
        let mut out: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        for (topic, set) in target.iter() {
            if !set.is_empty() {
                out.insert(topic.0.clone(), set.keys().into_iter().collect());
            }
        }
        result.insert(m.member_id.clone(), out);
    }
    result
}

/// `SimpleHeterogeneousAssignmentBuilder`'s state shared by its topics; members are indices
/// into the member order.
struct Hetero {
    subscribed: JavaSet<TopicId>,
    count: usize,
    old: Vec<MemberPartitions>,
    new: BTreeMap<usize, MemberPartitions>,
}

impl Hetero {
    /// `new` of a member, deep-copied from its old assignment on first use.
    fn new_of(&mut self, member: usize) -> &mut MemberPartitions {
        if !self.new.contains_key(&member) {
            let copy = deep_copy(&self.old[member]);
            self.new.insert(member, copy);
        }
        self.new.entry(member).or_default()
    }

    /// `TopicAssignmentPartialBuilder.build` for one topic.
    fn build_topic(
        &mut self,
        topic: &TopicId,
        targets: &[u32],
        subscribers: &[u32],
    ) -> Result<(), AssignError> {
        let mut by_partition: JavaMap<u32, JavaSet<u32>> = JavaMap::kafka_sized(targets.len());
        let mut by_member: JavaMap<u32, JavaSet<u32>> = JavaMap::kafka_sized(subscribers.len());
        let desired_sharing = if targets.is_empty() {
            0
        } else {
            subscribers.len().div_ceil(targets.len())
        };
        let mut desired = vec![0usize; self.count];
        if !subscribers.is_empty() {
            let precise = (desired_sharing * targets.len()) as f64 / subscribers.len() as f64;
            for (i, &m) in subscribers.iter().enumerate() {
                desired[m as usize] = (precise * (i + 1) as f64).ceil() as usize
                    - (precise * i as f64).ceil() as usize;
            }
        }

        // revokeUnassignablePartitions: oldGroupAssignment walks members in index order.
        // (Kafka checks the topic against the group's subscriptions, not the member's; a
        // member that left the topic has a desired count of 0 and loses it next.)
        for member in 0..self.count {
            if self.old[member].is_empty() {
                continue;
            }
            let Some(parts) = self.old[member].get(topic).map(|s| s.keys()) else {
                continue;
            };
            if self.subscribed.contains_key(topic) {
                for p in parts {
                    by_partition
                        .entry_or_insert_with(p, JavaSet::new)
                        .add(member as u32);
                    by_member
                        .entry_or_insert_with(member as u32, JavaSet::new)
                        .add(p);
                }
            } else {
                let mut copy = deep_copy(&self.old[member]);
                copy.remove(topic);
                self.new.insert(member, copy);
            }
        }

        // revokeOverfilledMembers.
        for member in by_member.keys() {
            let want = desired[member as usize];
            let held = by_member.get(&member).map(|s| s.keys()).unwrap_or_default();
            let mut size = held.len();
            if size <= want {
                continue;
            }
            for p in held {
                if size <= want {
                    break;
                }
                if let Some(set) = by_partition.get_mut(&p) {
                    set.remove(&member);
                }
                if let Some(set) = by_member.get_mut(&member) {
                    set.remove(&p);
                }
                size -= 1;
                if let Some(set) = self.new_of(member as usize).get_mut(topic) {
                    set.remove(&p);
                }
            }
        }

        // revokeOversharedPartitions.
        for p in by_partition.keys() {
            let holders = by_partition.get(&p).map(|s| s.keys()).unwrap_or_default();
            let mut shared = holders.len();
            if shared <= desired_sharing {
                continue;
            }
            for member in holders {
                let removed = self
                    .new_of(member as usize)
                    .get_mut(topic)
                    .is_some_and(|set| set.remove(&p));
                if removed {
                    shared -= 1;
                    if let Some(set) = by_partition.get_mut(&p) {
                        set.remove(&member);
                    }
                    if let Some(set) = by_member.get_mut(&member) {
                        set.remove(&p);
                    }
                }
                if shared <= desired_sharing {
                    break;
                }
            }
        }

        for &p in targets {
            by_partition.entry_or_insert_with(p, || JavaSet::kafka_sized(subscribers.len()));
        }

        // assignRemainingPartitions.
        let mut unfilled: JavaSet<u32> = JavaSet::kafka_sized(self.count);
        for &m in subscribers {
            let held = by_member.get(&m).map_or(0, |s| s.len());
            if held < desired[m as usize] {
                unfilled.add(m);
            }
        }
        let mut round: Vec<u32> = unfilled.keys();
        let mut cursor = 0usize;
        let mut assigned_this_round = false;
        for p in by_partition.keys() {
            let holders = by_partition.get(&p).map(|s| s.keys()).unwrap_or_default();
            if holders.len() < desired_sharing {
                let mut to_make = desired_sharing - holders.len();
                while to_make > 0 {
                    if cursor >= round.len() {
                        if !assigned_this_round {
                            break;
                        }
                        round = unfilled.keys();
                        cursor = 0;
                        assigned_this_round = false;
                        if round.is_empty() {
                            // Java's iterator would throw NoSuchElementException here.
                            return Err(AssignError(
                                "the simple assignor ran out of unfilled members".into(),
                            ));
                        }
                    }
                    let member = round[cursor];
                    cursor += 1;
                    if holders.contains(&member) {
                        continue;
                    }
                    self.new_of(member as usize)
                        .entry_or_insert_with(topic.clone(), JavaSet::new)
                        .add(p);
                    let held = by_member.entry_or_insert_with(member, JavaSet::new);
                    held.add(p);
                    let size = held.len();
                    to_make -= 1;
                    assigned_this_round = true;
                    if size >= desired[member as usize] {
                        unfilled.remove(&member);
                    }
                }
            }
            if unfilled.is_empty() {
                break;
            }
        }
        Ok(())
    }
}
