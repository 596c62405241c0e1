//! The client-side partition assignors of the classic group protocol (SEMANTICS.md §2):
//! range, roundrobin, sticky and cooperative-sticky, reproducing Kafka's Java output.
//!
//! The group leader runs the assignor over the members' subscriptions. This module follows
//! `AbstractPartitionAssignor.assign(Cluster, GroupSubscription)`: it keeps only the topics
//! someone subscribes to and that have metadata, then hands the group to one of
//! [`range`], [`roundrobin`] or [`sticky`]. Where Java's result depends on the iteration
//! order of the leader's `HashMap<memberId, Subscription>` (built in JoinGroup order), the
//! order is reproduced by [`java_hash`].
//!
//! Inputs Java would reject or mishandle are cleaned first, so nothing here panics:
//! a member id given twice keeps its first position and its last subscription (as a
//! `HashMap.put` would), subscribed topics and owned partitions are de-duplicated, and owned
//! partitions of unknown topics or beyond a topic's partition count are ignored.

pub mod java_hash;
pub mod range;
pub mod request;
pub mod roundrobin;
pub mod server;
pub mod sticky;

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use crate::engine::types::TopicPartition;
pub use request::run_request_json;

/// The assignors of `partition.assignment.strategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Strategy {
    Range,
    RoundRobin,
    Sticky,
    CooperativeSticky,
}

impl Strategy {
    /// All strategies, in the order Kafka documents them.
    pub const ALL: [Strategy; 4] = [
        Strategy::Range,
        Strategy::RoundRobin,
        Strategy::Sticky,
        Strategy::CooperativeSticky,
    ];

    /// The protocol name the assignor reports in JoinGroup (`ConsumerPartitionAssignor.name()`).
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Range => "range",
            Strategy::RoundRobin => "roundrobin",
            Strategy::Sticky => "sticky",
            Strategy::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// The simple name of the Java class implementing the assignor.
    pub fn java_class(self) -> &'static str {
        match self {
            Strategy::Range => "RangeAssignor",
            Strategy::RoundRobin => "RoundRobinAssignor",
            Strategy::Sticky => "StickyAssignor",
            Strategy::CooperativeSticky => "CooperativeStickyAssignor",
        }
    }

    /// Accepts the protocol names and the Java class names, simple or fully qualified
    /// (`org.apache.kafka.clients.consumer.RangeAssignor`).
    pub fn parse(s: &str) -> Option<Strategy> {
        let s = s.trim();
        let simple = s
            .strip_prefix("org.apache.kafka.clients.consumer.")
            .unwrap_or(s);
        Strategy::ALL
            .into_iter()
            .find(|strategy| simple == strategy.name() || simple == strategy.java_class())
    }

    /// Whether the assignor supports the COOPERATIVE rebalance protocol.
    pub fn is_cooperative(self) -> bool {
        self == Strategy::CooperativeSticky
    }
}

/// One member's JoinGroup subscription, as the group leader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSubscription {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    /// Subscribed topics.
    pub topics: Vec<String>,
    /// What it reports owning when it joins (sticky strategies use it).
    pub owned: Vec<TopicPartition>,
    /// Generation of that ownership, if any.
    pub generation: Option<i32>,
}

/// member_id -> assigned partitions sorted by (topic, partition); every member present (possibly empty).
pub type Assignment = BTreeMap<String, Vec<TopicPartition>>;

/// Runs the assignor of `strategy`. `members` come in JoinGroup order;
/// `partitions_per_topic` maps a topic to its partition count (topics absent from it, or
/// with no partitions, have no metadata and are skipped).
///
/// For [`Strategy::CooperativeSticky`] the result is what Java's `CooperativeStickyAssignor`
/// returns: partitions that change owner are left out of this round.
pub fn assign(
    strategy: Strategy,
    partitions_per_topic: &BTreeMap<String, u32>,
    members: &[MemberSubscription],
) -> Assignment {
    let group = Group::new(partitions_per_topic, members);
    let per_member = match strategy {
        Strategy::Range => range::assign(&group),
        Strategy::RoundRobin => roundrobin::assign(&group),
        Strategy::Sticky => sticky::assign(&group, false),
        Strategy::CooperativeSticky => sticky::assign(&group, true),
    };
    group.to_assignment(&per_member)
}

/// A topic that has metadata and at least one subscriber.
#[derive(Debug, Clone)]
pub(crate) struct TopicMeta {
    pub name: String,
    pub partition_count: u32,
    /// `String.hashCode()` of the name.
    pub hash: i32,
    /// Index of partition 0 in [`Group::partitions`].
    pub first_partition: usize,
}

/// A partition, by topic index and number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PartitionRef {
    pub topic: usize,
    pub number: u32,
}

/// One member after cleaning.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub id: String,
    pub instance_id: Option<String>,
    /// The subscription as sent, de-duplicated and sorted (Java compares these as sets).
    pub subscribed: Vec<String>,
    /// Subscribed topics that have metadata, as indices into [`Group::topics`], ascending.
    pub topics: Vec<usize>,
    /// Claimed partitions of known topics, as indices into [`Group::partitions`], in the
    /// order reported, without repeats.
    pub owned: Vec<usize>,
    pub generation: Option<i32>,
}

impl Member {
    pub fn subscribes(&self, topic: usize) -> bool {
        self.topics.binary_search(&topic).is_ok()
    }
}

/// The group as every assignor sees it, with topics, partitions and members numbered.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// Topics in Java `String` order.
    pub topics: Vec<TopicMeta>,
    /// All partitions sorted by (topic, partition): this is the `TreeSet` order Java uses.
    pub partitions: Vec<PartitionRef>,
    /// Members in JoinGroup order.
    pub members: Vec<Member>,
    /// Member indices in the iteration order of Java's `HashMap<memberId, …>`.
    pub hash_order: Vec<usize>,
    /// For each member, its rank when member ids are sorted as Java strings.
    pub id_rank: Vec<usize>,
}

impl Group {
    pub fn new(
        partitions_per_topic: &BTreeMap<String, u32>,
        subscriptions: &[MemberSubscription],
    ) -> Self {
        // A repeated member id keeps its first position and its last subscription.
        let mut position_of: BTreeMap<&str, usize> = BTreeMap::new();
        let mut latest: Vec<&MemberSubscription> = Vec::new();
        for subscription in subscriptions {
            match position_of.get(subscription.member_id.as_str()) {
                Some(&position) => latest[position] = subscription,
                None => {
                    position_of.insert(&subscription.member_id, latest.len());
                    latest.push(subscription);
                }
            }
        }

        let subscribed_anywhere: BTreeSet<&str> = crate::sort::collect_set(
            latest
                .iter()
                .flat_map(|s| s.topics.iter().map(String::as_str)),
        );
        let mut topic_names: Vec<(&str, u32)> = partitions_per_topic
            .iter()
            .filter(|(name, &count)| count > 0 && subscribed_anywhere.contains(name.as_str()))
            .map(|(name, &count)| (name.as_str(), count))
            .collect();
        crate::sort::sort_by(&mut topic_names, |a, b| {
            java_hash::compare_strings(a.0, b.0)
        });

        let mut topics = Vec::with_capacity(topic_names.len());
        let mut partitions = Vec::new();
        for (index, &(name, count)) in topic_names.iter().enumerate() {
            topics.push(TopicMeta {
                name: name.to_string(),
                partition_count: count,
                hash: java_hash::string_hash(name),
                first_partition: partitions.len(),
            });
            partitions.extend((0..count).map(|number| PartitionRef {
                topic: index,
                number,
            }));
        }
        let topic_index: BTreeMap<&str, usize> = crate::sort::collect_map(
            topic_names
                .iter()
                .enumerate()
                .map(|(index, &(name, _))| (name, index)),
        );

        let members: Vec<Member> = latest
            .iter()
            .map(|s| {
                let subscribed: Vec<String> = crate::sort::collect_set(s.topics.iter().cloned())
                    .into_iter()
                    .collect();
                let member_topics: Vec<usize> = subscribed
                    .iter()
                    .filter_map(|t| topic_index.get(t.as_str()).copied())
                    .collect::<BTreeSet<usize>>()
                    .into_iter()
                    .collect();
                let mut seen = BTreeSet::new();
                let owned = s
                    .owned
                    .iter()
                    .filter_map(|tp| {
                        let &topic = topic_index.get(tp.topic.as_str())?;
                        let meta = &topics[topic];
                        (tp.partition < meta.partition_count)
                            .then(|| meta.first_partition + tp.partition as usize)
                    })
                    .filter(|&p| seen.insert(p))
                    .collect();
                Member {
                    id: s.member_id.clone(),
                    instance_id: s.group_instance_id.clone(),
                    subscribed,
                    topics: member_topics,
                    owned,
                    generation: s.generation,
                }
            })
            .collect();

        let hashes: Vec<i32> = members
            .iter()
            .map(|m| java_hash::string_hash(&m.id))
            .collect();
        let hash_order = java_hash::iteration_order(&hashes);
        let mut by_id: Vec<usize> = (0..members.len()).collect();
        crate::sort::sort_by(&mut by_id, |&a, &b| {
            java_hash::compare_strings(&members[a].id, &members[b].id)
        });
        let mut id_rank = vec![0; members.len()];
        for (rank, &member) in by_id.iter().enumerate() {
            id_rank[member] = rank;
        }

        Group {
            topics,
            partitions,
            members,
            hash_order,
            id_rank,
        }
    }

    /// The topic index of a partition index.
    pub fn topic_of(&self, partition: usize) -> usize {
        self.partitions[partition].topic
    }

    /// Members in `AbstractPartitionAssignor.MemberInfo` order (SEMANTICS.md §2.0): static
    /// members first by `group.instance.id`, then dynamic members by member id. Java sorts
    /// a list built in `HashMap` order with a stable sort, so ties keep that order.
    pub fn members_in_member_info_order(&self) -> Vec<usize> {
        let mut order = self.hash_order.clone();
        crate::sort::sort_by(&mut order, |&a, &b| {
            compare_member_info(&self.members[a], &self.members[b])
        });
        order
    }

    /// Turns per-member partition indices into the public [`Assignment`].
    pub fn to_assignment(&self, per_member: &[Vec<usize>]) -> Assignment {
        let mut assignment = Assignment::new();
        for (member, partitions) in self.members.iter().zip(per_member) {
            let mut list: Vec<TopicPartition> = partitions
                .iter()
                .filter_map(|&p| self.partitions.get(p))
                .map(|p| TopicPartition::new(self.topics[p.topic].name.clone(), p.number))
                .collect();
            crate::sort::sort(&mut list);
            list.dedup();
            assignment.insert(member.id.clone(), list);
        }
        for member in self.members.iter().skip(per_member.len()) {
            assignment.insert(member.id.clone(), Vec::new());
        }
        assignment
    }
}

/// `AbstractPartitionAssignor.MemberInfo.compareTo`.
fn compare_member_info(a: &Member, b: &Member) -> Ordering {
    match (&a.instance_id, &b.instance_id) {
        (Some(x), Some(y)) => java_hash::compare_strings(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => java_hash::compare_strings(&a.id, &b.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn member(id: &str, topics: &[&str]) -> MemberSubscription {
        MemberSubscription {
            member_id: id.to_string(),
            group_instance_id: None,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            owned: Vec::new(),
            generation: None,
        }
    }

    #[test]
    fn strategy_names_round_trip() {
        for strategy in Strategy::ALL {
            assert_eq!(Strategy::parse(strategy.name()), Some(strategy));
            assert_eq!(Strategy::parse(strategy.java_class()), Some(strategy));
            let qualified = format!(
                "org.apache.kafka.clients.consumer.{}",
                strategy.java_class()
            );
            assert_eq!(Strategy::parse(&qualified), Some(strategy));
        }
        assert_eq!(Strategy::parse("sticky-ish"), None);
        assert!(Strategy::CooperativeSticky.is_cooperative());
        assert!(!Strategy::Sticky.is_cooperative());
    }

    #[test]
    fn empty_and_odd_groups_do_not_panic() {
        let topics: BTreeMap<String, u32> = [("t0".to_string(), 3), ("empty".to_string(), 0)]
            .into_iter()
            .collect();
        let mut odd = member("a", &["t0", "t0", "unknown", "empty"]);
        odd.owned = vec![
            TopicPartition::new("t0", 7),
            TopicPartition::new("gone", 0),
            TopicPartition::new("t0", 1),
            TopicPartition::new("t0", 1),
        ];
        odd.generation = Some(3);
        let mut twin = odd.clone();
        twin.member_id = "b".to_string();
        let lonely = member("c", &["unknown"]);
        for strategy in Strategy::ALL {
            assert!(assign(strategy, &topics, &[]).is_empty());
            let result = assign(
                strategy,
                &topics,
                &[odd.clone(), twin.clone(), lonely.clone(), odd.clone()],
            );
            assert_eq!(result.len(), 3, "{strategy:?}");
            assert!(result["c"].is_empty());
        }
    }
}
