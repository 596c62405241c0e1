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

use std::borrow::Cow;
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
        // Range leaves no empty set and gives every member a target.
        ServerAssignor::Range => return range::assign(&members, partitions, homogeneous),
    };
    // Every member has a target, empty if it gets nothing; empty topic entries are dropped.
    for m in members.iter() {
        result.entry(m.member_id.clone()).or_default();
    }
    for target in result.values_mut() {
        target.retain(|_, set| !set.is_empty());
    }
    Ok(result)
}

/// The group's subscription type as `ModernGroup.subscriptionType` decides it: homogeneous
/// when every member's topics form the same set as the first member's. A member whose list
/// is the same as the last list found equal needs no comparison as a set.
pub fn is_homogeneous(members: &[MemberSpec]) -> bool {
    let Some(first) = members.first() else {
        return true;
    };
    let mut first_set: Option<Vec<&str>> = None;
    let mut same_set: &[String] = &first.topics;
    for m in members {
        if m.topics[..] == *same_set {
            continue;
        }
        let first_set = first_set.get_or_insert_with(|| sorted_set(&first.topics));
        if sorted_set(&m.topics) != *first_set {
            return false;
        }
        same_set = &m.topics;
    }
    true
}

/// Strings as a sorted list without repeats (a set's elements in order).
fn sorted_set(strings: &[String]) -> Vec<&str> {
    let mut set: Vec<&str> = strings.iter().map(String::as_str).collect();
    crate::sort::sort(&mut set);
    set.dedup();
    set
}

/// Cleans what Java's maps would not hold twice: a member id given again keeps its first
/// position and its last spec (`HashMap.put`), topics and partitions are de-duplicated.
/// Members that need no cleaning (the usual case) are used as they are.
fn dedup_members(members: &[MemberSpec]) -> Cow<'_, [MemberSpec]> {
    if is_clean(members) {
        return Cow::Borrowed(members);
    }
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
    Cow::Owned(out)
}

/// Whether no member id, no topic of a member's subscription, no topic of its current
/// target and no partition of one of those topics appears twice. A subscription that is
/// the same list as the member before's was checked with it.
fn is_clean(members: &[MemberSpec]) -> bool {
    let ids: Vec<&String> = members.iter().map(|m| &m.member_id).collect();
    if has_repeats(&ids) {
        return false;
    }
    let mut previous: Option<&[String]> = None;
    for m in members {
        if previous != Some(&m.topics[..]) {
            if has_repeats(&m.topics.iter().collect::<Vec<_>>()) {
                return false;
            }
            previous = Some(&m.topics);
        }
        if has_repeats(&m.assigned.iter().map(|(t, _)| t).collect::<Vec<_>>()) {
            return false;
        }
        for (_, parts) in &m.assigned {
            let ascending = parts.windows(2).all(|w| w[0] < w[1]);
            if !ascending && has_repeats(&parts.iter().collect::<Vec<_>>()) {
                return false;
            }
        }
    }
    true
}

/// Whether a value appears twice in the list.
fn has_repeats<T: Ord>(values: &[&T]) -> bool {
    if values.len() < 2 {
        return false;
    }
    let mut sorted = values.to_vec();
    crate::sort::sort(&mut sorted);
    sorted.windows(2).any(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    //! The fast paths against the straightforward port they replaced, on random groups with
    //! what a user could type: repeated member ids and topics, unknown topics, topics without
    //! partitions, more members than partitions, static members, shared and distinct lists.

    use super::*;

    /// The range assignor and the group's cleaning as first ported, kept as the reference.
    mod reference {
        use super::super::{AssignError, MemberSpec, TargetAssignment};
        use crate::engine::assign::java_hash::compare_strings;
        use std::collections::{BTreeMap, BTreeSet};

        pub fn assign(
            assignor: super::ServerAssignor,
            members: &[MemberSpec],
            partitions: &BTreeMap<String, u32>,
        ) -> Result<TargetAssignment, AssignError> {
            let members = dedup_members(members);
            if members.is_empty() {
                return Ok(TargetAssignment::new());
            }
            let homogeneous = is_homogeneous(&members);
            let mut result = match assignor {
                super::ServerAssignor::Uniform if homogeneous => {
                    uniform_homogeneous(&members, partitions)?
                }
                super::ServerAssignor::Uniform => {
                    super::uniform::heterogeneous(&members, partitions)?
                }
                super::ServerAssignor::Range => range(&members, partitions, homogeneous)?,
            };
            for m in &members {
                result.entry(m.member_id.clone()).or_default();
            }
            for target in result.values_mut() {
                target.retain(|_, set| !set.is_empty());
            }
            Ok(result)
        }

        /// Which member currently owns each partition (the group's inverted target assignment).
        fn owners(members: &[MemberSpec]) -> BTreeMap<(String, u32), usize> {
            let mut owners = BTreeMap::new();
            for (index, m) in members.iter().enumerate() {
                for (topic, parts) in &m.assigned {
                    for &p in parts {
                        owners.insert((topic.clone(), p), index);
                    }
                }
            }
            owners
        }

        /// `UniformHomogeneousAssignmentBuilder.build`: in member order, each member keeps its current
        /// partitions up to its quota (in its sets' iteration order) and gives back the rest; the
        /// `total % members` extra partitions go to members that already hold more than the minimum,
        /// else to the last ones; then the members below their quota take the partitions nobody
        /// holds, in order.
        pub fn uniform_homogeneous(
            members: &[MemberSpec],
            partitions: &BTreeMap<String, u32>,
        ) -> Result<TargetAssignment, AssignError> {
            let order = super::super::uniform::member_order(members);
            let first = &members[order[0]];
            let subscribed = super::super::uniform::topic_order(&first.topics);
            let subscribed_set: BTreeSet<&String> = subscribed.iter().collect();
            let mut result = TargetAssignment::new();
            if subscribed.is_empty() {
                return Ok(result);
            }
            let owners = owners(members);
            let mut unassigned: Vec<(String, u32)> = Vec::new();
            let mut total: u64 = 0;
            for topic in &subscribed {
                let count = *partitions.get(topic).ok_or_else(|| {
                    AssignError(format!(
                        "Members are subscribed to topic {topic} which doesn't exist in the topic metadata."
                    ))
                })?;
                for p in 0..count {
                    if !owners.contains_key(&(topic.clone(), p)) {
                        unassigned.push((topic.clone(), p));
                    }
                }
                total += u64::from(count);
            }
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
                for (topic, parts) in super::super::uniform::assigned_order(&m.assigned) {
                    if !subscribed_set.contains(&topic) {
                        continue;
                    }
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
                                unassigned.push((topic.clone(), p));
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
                let mut given = 0;
                while given < quota && next < unassigned.len() {
                    let (topic, p) = &unassigned[next];
                    target.entry(topic.clone()).or_default().insert(*p);
                    next += 1;
                    given += 1;
                }
            }
            if next < unassigned.len() {
                return Err(AssignError("Partitions were left unassigned".into()));
            }
            Ok(result)
        }

        fn is_homogeneous(members: &[MemberSpec]) -> bool {
            let first: BTreeSet<&String> = members
                .first()
                .map(|m| m.topics.iter().collect())
                .unwrap_or_default();
            members
                .iter()
                .all(|m| m.topics.iter().collect::<BTreeSet<_>>() == first)
        }

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

        fn range(
            members: &[MemberSpec],
            partitions: &BTreeMap<String, u32>,
            homogeneous: bool,
        ) -> Result<TargetAssignment, AssignError> {
            let mut sorted: Vec<&MemberSpec> = members.iter().collect();
            sorted.sort_by(|a, b| match (&a.instance_id, &b.instance_id) {
                (Some(x), Some(y)) => compare_strings(x, y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => compare_strings(&a.member_id, &b.member_id),
            });
            let mut topics: BTreeMap<&String, u32> = BTreeMap::new();
            for m in &sorted {
                for topic in &m.topics {
                    partitions.get(topic).ok_or_else(|| {
                        AssignError("Member is subscribed to a non-existent topic".into())
                    })?;
                    *topics.entry(topic).or_default() += 1;
                }
            }
            // Per topic: (partitions, min quota, extra, next).
            let mut quotas: BTreeMap<String, (u32, u32, u32, u32)> = topics
                .iter()
                .map(|(topic, &members)| {
                    let count = partitions[*topic];
                    let members = members.max(1);
                    (
                        (*topic).clone(),
                        (count, count / members, count % members, 0),
                    )
                })
                .collect();
            let mut result = TargetAssignment::new();
            for m in &sorted {
                let target = result.entry(m.member_id.clone()).or_default();
                let subscribed = if homogeneous {
                    sorted[0].topics.clone()
                } else {
                    m.topics.clone()
                };
                for topic in subscribed {
                    if let Some((count, min_quota, extra, next)) = quotas.get_mut(&topic) {
                        let mut range = BTreeSet::new();
                        if *next < *count {
                            let start = *next;
                            let mut end = start.saturating_add(*min_quota).min(*count);
                            if *extra > 0 {
                                end += 1;
                                *extra -= 1;
                            }
                            *next = end;
                            range.extend(start..end);
                        }
                        target.insert(topic, range);
                    }
                }
            }
            Ok(result)
        }
    }

    /// A small deterministic generator (SplitMix64).
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    /// A random group and its topics' partition counts. Topic `t5` has no metadata.
    fn random_group(random: &mut Random) -> (Vec<MemberSpec>, BTreeMap<String, u32>) {
        let names: Vec<String> = (0..6).map(|t| format!("t{t}")).collect();
        let partitions: BTreeMap<String, u32> = names[..5]
            .iter()
            .map(|t| (t.clone(), random.below(9) as u32))
            .collect();
        let known = if random.chance(85) { 5 } else { 6 };
        let same_set = random.chance(40);
        let shared: Vec<String> = names[..known]
            .iter()
            .filter(|_| random.chance(60))
            .cloned()
            .collect();
        let count = random.below(12) as usize;
        let mut members: Vec<MemberSpec> = Vec::new();
        for _ in 0..count {
            let mut topics: Vec<String> = if same_set {
                shared.clone()
            } else {
                names[..known]
                    .iter()
                    .filter(|_| random.chance(50))
                    .cloned()
                    .collect()
            };
            // Shuffle, and now and then repeat a topic.
            for i in (1..topics.len()).rev() {
                let j = random.below(i as u64 + 1) as usize;
                topics.swap(i, j);
            }
            if !topics.is_empty() && random.chance(10) {
                let again = topics[random.below(topics.len() as u64) as usize].clone();
                topics.push(again);
            }
            if let (Some(last), true) = (members.last(), random.chance(30)) {
                topics = last.topics.clone();
            }
            let mut assigned: Vec<(String, Vec<u32>)> = Vec::new();
            for t in &names[..5] {
                if random.chance(20) {
                    let parts = (0..random.below(4)).map(|_| random.below(9) as u32);
                    assigned.push((t.clone(), parts.collect()));
                }
            }
            if let (Some(first), true) = (assigned.first().cloned(), random.chance(10)) {
                assigned.push(first);
            }
            members.push(MemberSpec {
                member_id: format!("m{}", random.below(14)),
                instance_id: random.chance(25).then(|| format!("i{}", random.below(6))),
                topics,
                assigned,
            });
        }
        (members, partitions)
    }

    #[test]
    fn every_group_gets_the_target_the_first_port_gave() {
        let mut random = Random(848);
        for case in 0..20_000 {
            let (members, partitions) = random_group(&mut random);
            for assignor in [ServerAssignor::Range, ServerAssignor::Uniform] {
                let expected = reference::assign(assignor, &members, &partitions);
                let actual = assign(assignor, &members, &partitions);
                assert_eq!(
                    actual,
                    expected,
                    "case {case}, {}: {members:?} over {partitions:?}",
                    assignor.name()
                );
            }
        }
    }

    #[test]
    fn the_subscription_type_compares_topic_sets_not_lists() {
        let member = |id: &str, topics: &[&str]| MemberSpec {
            member_id: id.into(),
            instance_id: None,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            assigned: vec![],
        };
        let same = [
            member("a", &["x", "y"]),
            member("b", &["x", "y"]),
            member("c", &["y", "x"]),
            member("d", &["y", "x", "x"]),
        ];
        assert!(is_homogeneous(&same));
        let differs = [
            member("a", &["x", "y"]),
            member("b", &["y", "x"]),
            member("c", &["y", "x"]),
            member("d", &["y"]),
        ];
        assert!(!is_homogeneous(&differs));
        assert!(is_homogeneous(&[]));
    }

    #[test]
    fn a_repeated_member_keeps_its_first_place_and_its_last_subscription() {
        let member = |id: &str, topics: &[&str]| MemberSpec {
            member_id: id.into(),
            instance_id: None,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            assigned: vec![],
        };
        let partitions: BTreeMap<String, u32> = [("x".to_string(), 4), ("y".to_string(), 2)].into();
        let members = [
            member("b", &["x"]),
            member("a", &["x", "x"]),
            member("b", &["y"]),
        ];
        let target = assign(ServerAssignor::Range, &members, &partitions).expect("assigned");
        let of = |id: &str| target[id].clone();
        assert_eq!(of("a"), [("x".to_string(), (0..4).collect())].into());
        assert_eq!(of("b"), [("y".to_string(), (0..2).collect())].into());
    }
}
