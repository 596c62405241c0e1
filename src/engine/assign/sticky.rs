//! The sticky assignors, following Java's `AbstractStickyAssignor` (with its
//! `ConstrainedAssignmentBuilder` and `GeneralAssignmentBuilder`), `StickyAssignor` and
//! `CooperativeStickyAssignor`, without rack awareness (SEMANTICS.md §2.3).
//!
//! The steps are Java's:
//! 1. Validate the claimed ownership, scanning members in `HashMap` order: of two members
//!    claiming a partition, the higher generation keeps it; with equal generations neither
//!    does (`allSubscriptionsEqual`).
//! 2. If every member sent the same subscription, the constrained builder keeps owned
//!    partitions up to the quotas and deals out the rest round-robin. Otherwise the general
//!    builder keeps valid ownership, gives each free partition to the least-loaded eligible
//!    member, then moves partitions while that improves the balance.
//! 3. The cooperative variant then withholds every partition changing owner
//!    (`adjustAssignment`), so that its old owner can revoke it first.
//!
//! Java's `TreeSet<String>` of members ordered by (assignment size, member id) becomes a
//! `BTreeSet<(size, rank of the id)>`; the one `HashSet` whose iteration order decides
//! something (`PartitionMovements`, which partition to move back) is a [`JavaHashSet`].

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::java_hash::{topic_partition_hash, JavaHashSet};
use super::Group;

/// `AbstractStickyAssignor.DEFAULT_GENERATION`.
const DEFAULT_GENERATION: i32 = -1;

/// Partition indices per member (indexed like `group.members`).
pub(crate) fn assign(group: &Group, cooperative: bool) -> Vec<Vec<usize>> {
    if group.members.is_empty() {
        return Vec::new();
    }
    let claims = validate_claims(group);
    let mut result;
    let transferring: BTreeMap<usize, usize>;
    if claims.all_subscriptions_equal {
        let built = constrained_assign(group, &claims);
        result = built.assignment;
        transferring = built.transferring;
    } else {
        result = GeneralBuilder::new(group, &claims).build();
        transferring = if cooperative {
            partitions_transferring_ownership(group, &result)
        } else {
            BTreeMap::new()
        };
    }
    if cooperative {
        // `CooperativeStickyAssignor.adjustAssignment`: the new owner waits for a revocation.
        for (&partition, &member) in &transferring {
            if let Some(list) = result.get_mut(member) {
                list.retain(|&p| p != partition);
            }
        }
    }
    result
}

/// The outcome of `allSubscriptionsEqual`.
struct Claims {
    all_subscriptions_equal: bool,
    /// Each member's claimed partitions that survived validation, in claim order.
    owned: Vec<Vec<usize>>,
    /// Partitions claimed by two members of the same generation.
    multiple_owners: Vec<bool>,
    /// The highest generation any member reported (or `DEFAULT_GENERATION`).
    max_generation: i32,
}

/// `AbstractStickyAssignor.allSubscriptionsEqual`, members visited in `HashMap` order.
fn validate_claims(group: &Group) -> Claims {
    let mut all_equal = true;
    // Java seeds the reference subscription from the first member whose list is non-empty,
    // so an empty subscription seen first is "equal" to whatever follows.
    let mut reference: &[String] = &[];
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); group.members.len()];
    let mut multiple_owners = vec![false; group.partitions.len()];
    let mut previous_owner: Vec<Option<usize>> = vec![None; group.partitions.len()];
    let mut max_generation = DEFAULT_GENERATION;

    for &member_index in &group.hash_order {
        let member = &group.members[member_index];
        if reference.is_empty() {
            reference = &member.subscribed;
        } else if all_equal && member.subscribed.as_slice() != reference {
            all_equal = false;
        }
        let generation = member.generation.unwrap_or(DEFAULT_GENERATION);
        max_generation = max_generation.max(generation);

        for &partition in &member.owned {
            match previous_owner[partition] {
                None => {
                    owned[member_index].push(partition);
                    previous_owner[partition] = Some(member_index);
                }
                Some(other) => {
                    let other_generation = conflict_generation(group, other);
                    if generation == other_generation {
                        multiple_owners[partition] = true;
                        remove_first(&mut owned[other], partition);
                        previous_owner[partition] = Some(member_index);
                    } else if generation > other_generation {
                        owned[member_index].push(partition);
                        remove_first(&mut owned[other], partition);
                        previous_owner[partition] = Some(member_index);
                    }
                }
            }
        }
    }
    Claims {
        all_subscriptions_equal: all_equal,
        owned,
        multiple_owners,
        max_generation,
    }
}

/// The generation Java compares a new claim against: `subscriptions.get(other).generationId()`.
/// Since KIP-792 every consumer sends its generation in the subscription, and for the eager
/// `StickyAssignor` it equals the one in its `userData`, so both come from
/// [`Member::generation`](super::Member). (The vectors have no same-generation conflict for
/// the eager assignor, so they cannot tell this apart from a subscription without one.)
fn conflict_generation(group: &Group, member: usize) -> i32 {
    group.members[member]
        .generation
        .unwrap_or(DEFAULT_GENERATION)
}

fn remove_first(list: &mut Vec<usize>, value: usize) {
    if let Some(position) = list.iter().position(|&v| v == value) {
        list.remove(position);
    }
}

/// What the constrained builder returns.
struct Constrained {
    assignment: Vec<Vec<usize>>,
    /// partition -> its new owner, for partitions taken from another member.
    transferring: BTreeMap<usize, usize>,
}

/// `ConstrainedAssignmentBuilder.build` without racks.
fn constrained_assign(group: &Group, claims: &Claims) -> Constrained {
    let member_count = group.members.len();
    let total = group.partitions.len();
    let min_quota = total / member_count;
    let max_quota = total.div_ceil(member_count);
    let expected_over_min = total % member_count;
    let mut current_over_min = 0;

    let mut assignment: Vec<Vec<usize>> = vec![Vec::new(); member_count];
    let mut assigned = vec![false; total];
    let mut revoked = vec![false; total];
    let mut transferring = BTreeMap::new();
    // Members still below minQuota (a LinkedList in Java) and members at exactly minQuota
    // that may still take one more.
    let mut under_min: Vec<usize> = Vec::new();
    let mut exactly_min: VecDeque<usize> = VecDeque::new();

    for &member in &group.hash_order {
        let mut owned: Vec<usize> = claims.owned[member]
            .iter()
            .copied()
            .filter(|&p| !claims.multiple_owners[p])
            .collect();
        crate::sort::sort_by_key(&mut owned, |&p| {
            (group.partitions[p].number, group.partitions[p].topic)
        });

        let keep = if owned.len() < min_quota {
            under_min.push(member);
            owned.len()
        } else if owned.len() >= max_quota && current_over_min < expected_over_min {
            current_over_min += 1;
            if current_over_min == expected_over_min {
                exactly_min.clear();
            }
            max_quota
        } else {
            if current_over_min < expected_over_min {
                exactly_min.push_back(member);
            }
            min_quota
        };
        for &partition in &owned[..keep] {
            assignment[member].push(partition);
            assigned[partition] = true;
        }
        for &partition in &owned[keep..] {
            revoked[partition] = true;
        }
    }

    let unassigned: Vec<usize> = (0..total).filter(|&p| !assigned[p]).collect();
    crate::sort::sort_by_key(&mut under_min, |&m| group.id_rank[m]);
    crate::sort::sort_by_key(exactly_min.make_contiguous(), |&m| group.id_rank[m]);

    // `assignRoundRobin`, with Java's `LinkedList` iterator: `cursor` is the index of the
    // element `next()` would return.
    let mut cursor = 0;
    for &partition in &unassigned {
        let member;
        let mut from_iterator = false;
        if cursor < under_min.len() {
            member = under_min[cursor];
            cursor += 1;
            from_iterator = true;
        } else if under_min.is_empty() {
            match exactly_min.pop_front() {
                Some(next) => member = next,
                // Java throws here; it cannot happen once the quotas add up.
                None => break,
            }
        } else {
            cursor = 1;
            member = under_min[0];
            from_iterator = true;
        }

        assignment[member].push(partition);
        if revoked[partition] || claims.multiple_owners[partition] {
            transferring.insert(partition, member);
        }
        // Java also counts members reaching maxQuota here, but only to log an error.
        if assignment[member].len() == min_quota {
            if from_iterator && cursor > 0 {
                cursor -= 1;
                under_min.remove(cursor);
            }
            exactly_min.push_back(member);
        }
    }

    Constrained {
        assignment,
        transferring,
    }
}

/// `CooperativeStickyAssignor.computePartitionsTransferringOwnership`: partitions assigned
/// to a member that did not claim them while some member claimed them and lost them.
fn partitions_transferring_ownership(
    group: &Group,
    assignment: &[Vec<usize>],
) -> BTreeMap<usize, usize> {
    let total = group.partitions.len();
    let mut assigned_to: Vec<Option<usize>> = vec![None; total];
    for (member, list) in assignment.iter().enumerate() {
        for &partition in list {
            assigned_to[partition] = Some(member);
        }
    }
    let mut revoked = vec![false; total];
    let mut claimed_by_new_owner = vec![false; total];
    for (member_index, member) in group.members.iter().enumerate() {
        for &partition in &member.owned {
            if assigned_to[partition] == Some(member_index) {
                claimed_by_new_owner[partition] = true;
            } else {
                revoked[partition] = true;
            }
        }
    }
    let mut transferring = BTreeMap::new();
    for (member, list) in assignment.iter().enumerate() {
        for &partition in list {
            if !claimed_by_new_owner[partition] && revoked[partition] {
                transferring.insert(partition, member);
            }
        }
    }
    transferring
}

/// `AbstractStickyAssignor.PartitionMovements`: where partitions moved during balancing,
/// so that a partition moving back along a pair is preferred to a new movement.
struct PartitionMovements {
    /// partition -> (source member, destination member).
    by_partition: Vec<Option<(usize, usize)>>,
    /// topic -> (source, destination) -> partitions moved that way. An empty map stands for
    /// a topic Java removed from its map.
    by_topic: Vec<BTreeMap<(usize, usize), JavaHashSet>>,
}

impl PartitionMovements {
    fn new(group: &Group) -> Self {
        Self {
            by_partition: vec![None; group.partitions.len()],
            by_topic: vec![BTreeMap::new(); group.topics.len()],
        }
    }

    fn remove_record(&mut self, group: &Group, partition: usize) -> Option<(usize, usize)> {
        let pair = self.by_partition[partition].take()?;
        let topic = &mut self.by_topic[group.topic_of(partition)];
        if let Some(set) = topic.get_mut(&pair) {
            set.remove(partition);
            if set.is_empty() {
                topic.remove(&pair);
            }
        }
        Some(pair)
    }

    fn add_record(&mut self, group: &Group, partition: usize, pair: (usize, usize)) {
        self.by_partition[partition] = Some(pair);
        let reference = group.partitions[partition];
        let hash = topic_partition_hash(group.topics[reference.topic].hash, reference.number);
        self.by_topic[reference.topic]
            .entry(pair)
            .or_default()
            .insert(partition, hash);
    }

    fn move_partition(&mut self, group: &Group, partition: usize, old: usize, new: usize) {
        match self.remove_record(group, partition) {
            Some((source, _)) => {
                // The partition moved before; unless it is going back, record one movement
                // from its original owner.
                if source != new {
                    self.add_record(group, partition, (source, new));
                }
            }
            None => self.add_record(group, partition, (old, new)),
        }
    }

    /// `getTheActualPartitionToBeMoved`: prefers moving back a partition of the same topic
    /// that earlier moved from `new` to `old`.
    fn partition_to_move(&self, group: &Group, partition: usize, old: usize, new: usize) -> usize {
        let topic = &self.by_topic[group.topic_of(partition)];
        if topic.is_empty() {
            return partition;
        }
        let old = match self.by_partition[partition] {
            Some((source, _)) => source,
            None => old,
        };
        topic
            .get(&(new, old))
            .and_then(JavaHashSet::first)
            .unwrap_or(partition)
    }
}

/// `GeneralAssignmentBuilder` without racks.
struct GeneralBuilder<'a> {
    group: &'a Group,
    /// `topic2AllPotentialConsumers`, in `HashMap` order of the members.
    topic_consumers: Vec<Vec<usize>>,
    /// Total partitions of each member's subscribed topics (`getMaxAssignmentSize`).
    max_assignment_size: Vec<usize>,
    /// `currentAssignment`; `None` for a member set aside as fixed during balancing.
    current: Vec<Option<Vec<usize>>>,
    /// `currentPartitionConsumer`.
    owner: Vec<Option<usize>>,
    /// `sortedCurrentSubscriptions`: (assignment size, id rank).
    sorted: BTreeSet<(usize, usize)>,
    member_by_rank: Vec<usize>,
    /// `prevAssignment`: the owner of a lower generation, with that generation.
    previous: Vec<Option<(usize, i32)>>,
    movements: PartitionMovements,
    revocation_required: bool,
    /// `isBalanced()` of the current state, until the assignment changes.
    balanced_cache: Option<bool>,
}

impl<'a> GeneralBuilder<'a> {
    fn new(group: &'a Group, claims: &Claims) -> Self {
        let member_count = group.members.len();
        let mut topic_consumers = vec![Vec::new(); group.topics.len()];
        for &member in &group.hash_order {
            for &topic in &group.members[member].topics {
                topic_consumers[topic].push(member);
            }
        }
        let max_assignment_size = group
            .members
            .iter()
            .map(|m| {
                m.topics
                    .iter()
                    .map(|&t| group.topics[t].partition_count as usize)
                    .sum()
            })
            .collect();
        let mut owner = vec![None; group.partitions.len()];
        for (member, list) in claims.owned.iter().enumerate() {
            for &partition in list {
                owner[partition] = Some(member);
            }
        }
        let mut member_by_rank = vec![0; member_count];
        for (member, &rank) in group.id_rank.iter().enumerate() {
            member_by_rank[rank] = member;
        }

        // `prepopulateCurrentAssignments`: remember owners from older generations.
        let mut previous: Vec<Option<(usize, i32)>> = vec![None; group.partitions.len()];
        for &member in &group.hash_order {
            let generation = match group.members[member].generation {
                Some(g) if g < claims.max_generation => g,
                None if claims.max_generation > DEFAULT_GENERATION => DEFAULT_GENERATION,
                _ => continue,
            };
            for &partition in &group.members[member].owned {
                match previous[partition] {
                    Some((_, known)) if generation <= known => {}
                    _ => previous[partition] = Some((member, generation)),
                }
            }
        }

        Self {
            group,
            topic_consumers,
            max_assignment_size,
            current: claims.owned.iter().cloned().map(Some).collect(),
            owner,
            sorted: BTreeSet::new(),
            member_by_rank,
            previous,
            movements: PartitionMovements::new(group),
            revocation_required: false,
            balanced_cache: None,
        }
    }

    fn count(&self, member: usize) -> Option<usize> {
        self.current[member].as_ref().map(Vec::len)
    }

    fn key(&self, member: usize) -> (usize, usize) {
        (self.count(member).unwrap_or(0), self.group.id_rank[member])
    }

    fn build(mut self) -> Vec<Vec<usize>> {
        let group = self.group;

        // `assignOwnedPartitions`: drop claims on topics the member no longer subscribes to.
        // Java leaves those partitions' `currentPartitionConsumer` entries in place.
        let mut assigned = vec![false; group.partitions.len()];
        for member in 0..group.members.len() {
            if let Some(list) = self.current[member].as_mut() {
                let before = list.len();
                list.retain(|&p| group.members[member].subscribes(group.topic_of(p)));
                if list.len() != before {
                    self.revocation_required = true;
                }
                for &partition in list.iter() {
                    assigned[partition] = true;
                }
            }
        }

        // `sortedAllPartitions`: topics by number of potential consumers, then name.
        let mut topic_order: Vec<usize> = (0..group.topics.len()).collect();
        crate::sort::sort_by_key(&mut topic_order, |&t| (self.topic_consumers[t].len(), t));
        let mut sorted_all: Vec<usize> = topic_order
            .iter()
            .flat_map(|&t| {
                let first = group.topics[t].first_partition;
                first..first + group.topics[t].partition_count as usize
            })
            .collect();
        let mut unassigned: Vec<usize> = sorted_all
            .iter()
            .copied()
            .filter(|&p| !assigned[p])
            .collect();

        for member in 0..group.members.len() {
            let key = self.key(member);
            self.sorted.insert(key);
        }
        self.balance(&mut sorted_all, &mut unassigned);

        self.current
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect()
    }

    /// `GeneralAssignmentBuilder.balance`.
    fn balance(&mut self, sorted_all: &mut Vec<usize>, unassigned: &mut Vec<usize>) {
        let group = self.group;
        let initializing = match self.sorted.last() {
            Some(&(size, _)) => size == 0,
            None => return,
        };

        // `maybeAssign`: each free partition to the least-loaded member subscribed to it.
        for &partition in unassigned.iter() {
            let topic = group.topic_of(partition);
            if self.topic_consumers[topic].is_empty() {
                continue;
            }
            if let Some(member) = self.first_subscriber(topic) {
                self.give(partition, member);
            }
        }

        // Topics with a single potential consumer cannot move.
        let fixed_topic: Vec<bool> = self.topic_consumers.iter().map(|c| c.len() < 2).collect();
        sorted_all.retain(|&p| !fixed_topic[group.topic_of(p)]);
        unassigned.retain(|&p| !fixed_topic[group.topic_of(p)]);

        // Members that cannot take part are set aside.
        let mut fixed: Vec<(usize, Vec<usize>)> = Vec::new();
        for member in 0..group.members.len() {
            if !self.can_member_participate(member, &fixed_topic) {
                let key = self.key(member);
                self.sorted.remove(&key);
                if let Some(list) = self.current[member].take() {
                    fixed.push((member, list));
                }
            }
        }
        self.balanced_cache = None;

        let before_current = self.current.clone();
        let before_owner = self.owner.clone();

        if !self.revocation_required {
            self.perform_reassignments(unassigned);
        }
        let reassigned = self.perform_reassignments(sorted_all);

        if !initializing
            && reassigned
            && balance_score(&self.current) >= balance_score(&before_current)
        {
            self.current = before_current;
            self.owner = before_owner;
        }

        for (member, list) in fixed {
            self.current[member] = Some(list);
        }
    }

    /// The first member of `sortedCurrentSubscriptions` subscribed to `topic`.
    fn first_subscriber(&self, topic: usize) -> Option<usize> {
        self.sorted
            .iter()
            .map(|&(_, rank)| self.member_by_rank[rank])
            .find(|&m| self.group.members[m].subscribes(topic))
    }

    /// `maybeAssignPartition` once the member is chosen.
    fn give(&mut self, partition: usize, member: usize) {
        let key = self.key(member);
        self.sorted.remove(&key);
        if let Some(list) = self.current[member].as_mut() {
            list.push(partition);
        }
        self.owner[partition] = Some(member);
        let key = self.key(member);
        self.sorted.insert(key);
        self.balanced_cache = None;
    }

    fn can_member_participate(&self, member: usize, fixed_topic: &[bool]) -> bool {
        let Some(list) = self.current[member].as_ref() else {
            return false;
        };
        list.len() < self.max_assignment_size[member]
            || list.iter().any(|&p| !fixed_topic[self.group.topic_of(p)])
    }

    /// `performReassignments`: returns whether anything moved.
    fn perform_reassignments(&mut self, partitions: &[usize]) -> bool {
        let group = self.group;
        let mut reassigned = false;
        // Java loops until a pass moves nothing; the bound only guards against a cycle.
        let max_passes = 4 * (partitions.len() + group.members.len()) + 16;
        for _ in 0..max_passes {
            let mut modified = false;
            for &partition in partitions {
                if self.is_balanced() {
                    break;
                }
                let Some(consumer) = self.owner[partition] else {
                    continue;
                };
                let Some(consumer_count) = self.count(consumer) else {
                    continue;
                };

                if let Some((previous_owner, _)) = self.previous[partition] {
                    if let Some(previous_count) = self.count(previous_owner) {
                        if consumer_count > previous_count + 1 {
                            self.reassign(partition, previous_owner);
                            reassigned = true;
                            modified = true;
                            continue;
                        }
                    }
                }

                let topic = group.topic_of(partition);
                let better_exists = self.topic_consumers[topic]
                    .iter()
                    .any(|&other| self.count(other).is_some_and(|c| consumer_count > c + 1));
                if better_exists {
                    if let Some(new_owner) = self.first_subscriber(topic) {
                        self.reassign(partition, new_owner);
                        reassigned = true;
                        modified = true;
                    }
                }
            }
            if !modified {
                break;
            }
        }
        reassigned
    }

    /// `reassignPartition(partition, newConsumer)`.
    fn reassign(&mut self, partition: usize, new_owner: usize) {
        let Some(old_owner) = self.owner[partition] else {
            return;
        };
        let to_move = self
            .movements
            .partition_to_move(self.group, partition, old_owner, new_owner);
        self.process_partition_movement(to_move, new_owner);
    }

    /// `processPartitionMovement`.
    fn process_partition_movement(&mut self, partition: usize, new_owner: usize) {
        let Some(old_owner) = self.owner[partition] else {
            return;
        };
        if self.current[old_owner].is_none() || self.current[new_owner].is_none() {
            return;
        }
        let old_key = self.key(old_owner);
        let new_key = self.key(new_owner);
        self.sorted.remove(&old_key);
        self.sorted.remove(&new_key);

        self.movements
            .move_partition(self.group, partition, old_owner, new_owner);

        if let Some(list) = self.current[old_owner].as_mut() {
            remove_first(list, partition);
        }
        if let Some(list) = self.current[new_owner].as_mut() {
            list.push(partition);
        }
        self.owner[partition] = Some(new_owner);

        let new_key = self.key(new_owner);
        let old_key = self.key(old_owner);
        self.sorted.insert(new_key);
        self.sorted.insert(old_key);
        self.balanced_cache = None;
    }

    fn is_balanced(&mut self) -> bool {
        if let Some(balanced) = self.balanced_cache {
            return balanced;
        }
        let balanced = self.compute_is_balanced();
        self.balanced_cache = Some(balanced);
        balanced
    }

    /// `isBalanced`: sizes differ by at most one, or no member could take a partition of
    /// its topics from a member holding two more than it. Java checks every partition of
    /// every member's topics; comparing each topic's most loaded holder is equivalent.
    fn compute_is_balanced(&self) -> bool {
        let (Some(&(min, _)), Some(&(max, _))) = (self.sorted.first(), self.sorted.last()) else {
            return true;
        };
        if min + 1 >= max {
            return true;
        }
        let group = self.group;
        let mut most_loaded_holder = vec![0usize; group.topics.len()];
        for (partition, owner) in self.owner.iter().enumerate() {
            if let Some(count) = owner.and_then(|o| self.count(o)) {
                let topic = group.topic_of(partition);
                most_loaded_holder[topic] = most_loaded_holder[topic].max(count);
            }
        }
        for &(count, rank) in &self.sorted {
            let member = self.member_by_rank[rank];
            if count >= self.max_assignment_size[member] {
                continue;
            }
            if group.members[member]
                .topics
                .iter()
                .any(|&t| most_loaded_holder[t] > count + 1)
            {
                return false;
            }
        }
        true
    }
}

/// `getBalanceScore`: the sum over all pairs of members of their size difference.
fn balance_score(assignment: &[Option<Vec<usize>>]) -> i64 {
    let mut sizes: Vec<i64> = assignment
        .iter()
        .flatten()
        .map(|list| list.len() as i64)
        .collect();
    crate::sort::sort(&mut sizes);
    let n = sizes.len() as i64;
    sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| size * (2 * i as i64 - n + 1))
        .sum()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::{assign, MemberSubscription, Strategy, TopicPartition};

    fn member(
        id: &str,
        topics: &[&str],
        owned: &[(&str, u32)],
        generation: i32,
    ) -> MemberSubscription {
        MemberSubscription {
            member_id: id.to_string(),
            group_instance_id: None,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            owned: owned
                .iter()
                .map(|&(t, p)| TopicPartition::new(t, p))
                .collect(),
            generation: Some(generation),
        }
    }

    fn partitions(result: &BTreeMap<String, Vec<TopicPartition>>, id: &str) -> Vec<u32> {
        result[id].iter().map(|tp| tp.partition).collect()
    }

    /// SEMANTICS.md §2.3: with 7 partitions and three members, only one may keep 3. Java's
    /// HashMap visits alpha (bucket 7) before beta and gamma (bucket 14), so alpha keeps 3.
    #[test]
    fn constrained_alpha_beta_gamma_example() {
        let topics: BTreeMap<String, u32> = [("t0".to_string(), 7)].into_iter().collect();
        let members = [
            member("alpha", &["t0"], &[("t0", 0), ("t0", 1), ("t0", 2)], 5),
            member("beta", &["t0"], &[("t0", 3), ("t0", 4), ("t0", 5)], 5),
            member("gamma", &["t0"], &[("t0", 6)], 5),
        ];
        let result = assign(Strategy::Sticky, &topics, &members);
        assert_eq!(partitions(&result, "alpha"), vec![0, 1, 2]);
        assert_eq!(partitions(&result, "beta"), vec![3, 4]);
        assert_eq!(partitions(&result, "gamma"), vec![5, 6]);

        // The cooperative assignor withholds partition 5 until beta has revoked it.
        let result = assign(Strategy::CooperativeSticky, &topics, &members);
        assert_eq!(partitions(&result, "beta"), vec![3, 4]);
        assert_eq!(partitions(&result, "gamma"), vec![6]);
    }

    /// Two members of the same generation claiming a partition both lose it.
    #[test]
    fn same_generation_double_claim_is_dropped() {
        let topics: BTreeMap<String, u32> = [("t0".to_string(), 4)].into_iter().collect();
        let members = [
            member("a", &["t0"], &[("t0", 0), ("t0", 1)], 2),
            member("b", &["t0"], &[("t0", 1), ("t0", 2), ("t0", 3)], 2),
        ];
        let result = assign(Strategy::CooperativeSticky, &topics, &members);
        // a keeps 0, b keeps 2 and 3 (its first two, then stops at maxQuota); 1 goes to a
        // but is withheld because it was claimed twice.
        assert_eq!(partitions(&result, "a"), vec![0]);
        assert_eq!(partitions(&result, "b"), vec![2, 3]);
        let result = assign(Strategy::Sticky, &topics, &members);
        assert_eq!(partitions(&result, "a"), vec![0, 1]);
        assert_eq!(partitions(&result, "b"), vec![2, 3]);
    }

    /// A higher generation wins a double claim, in either scan order.
    #[test]
    fn higher_generation_wins_a_double_claim() {
        let topics: BTreeMap<String, u32> = [("t0".to_string(), 2)].into_iter().collect();
        for (old, new) in [("a", "b"), ("b", "a")] {
            let members = [
                member(old, &["t0"], &[("t0", 0)], 1),
                member(new, &["t0"], &[("t0", 0)], 2),
            ];
            let result = assign(Strategy::CooperativeSticky, &topics, &members);
            assert_eq!(partitions(&result, new), vec![0]);
            assert_eq!(partitions(&result, old), vec![1]);
        }
    }
}
