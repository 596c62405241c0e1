//! The round-robin assignor, following Java's `RoundRobinAssignor` (SEMANTICS.md §2.2).
//!
//! All partitions of all subscribed topics, topics by name and partitions by number, are
//! dealt one by one to the members in `MemberInfo` order by a circular iterator that skips
//! members not subscribed to the partition's topic. The iterator's position carries over
//! from one topic to the next.

use super::Group;

/// Partition indices per member (indexed like `group.members`).
pub(crate) fn assign(group: &Group) -> Vec<Vec<usize>> {
    let order = group.members_in_member_info_order();
    let mut result = vec![Vec::new(); group.members.len()];
    if order.is_empty() {
        return result;
    }
    let mut position = 0;
    for (partition, reference) in group.partitions.iter().enumerate() {
        // Every topic in the group has a subscriber, so this finds one within a full turn.
        let receiver = (0..order.len())
            .map(|step| (position + step) % order.len())
            .find(|&slot| group.members[order[slot]].subscribes(reference.topic));
        if let Some(slot) = receiver {
            result[order[slot]].push(partition);
            position = (slot + 1) % order.len();
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::{assign, MemberSubscription, Strategy, TopicPartition};

    fn member(id: &str, topics: &[&str]) -> MemberSubscription {
        MemberSubscription {
            member_id: id.to_string(),
            group_instance_id: None,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            owned: Vec::new(),
            generation: None,
        }
    }

    #[test]
    fn javadoc_example_with_different_subscriptions() {
        let topics: BTreeMap<String, u32> = [
            ("t0".to_string(), 1),
            ("t1".to_string(), 2),
            ("t2".to_string(), 3),
        ]
        .into_iter()
        .collect();
        let members = [
            member("C0", &["t0"]),
            member("C1", &["t0", "t1"]),
            member("C2", &["t0", "t1", "t2"]),
        ];
        let result = assign(Strategy::RoundRobin, &topics, &members);
        let tp = TopicPartition::new;
        assert_eq!(result["C0"], vec![tp("t0", 0)]);
        assert_eq!(result["C1"], vec![tp("t1", 0)]);
        assert_eq!(
            result["C2"],
            vec![tp("t1", 1), tp("t2", 0), tp("t2", 1), tp("t2", 2)]
        );
    }
}
