//! The range assignor, following Java's `RangeAssignor` without rack awareness
//! (SEMANTICS.md §2.1).
//!
//! Each topic is handled on its own: its subscribers, in `MemberInfo` order, receive
//! contiguous ranges of `partitions / subscribers` partitions, and the first
//! `partitions % subscribers` of them one extra.

use super::Group;

/// Partition indices per member (indexed like `group.members`).
pub(crate) fn assign(group: &Group) -> Vec<Vec<usize>> {
    let order = group.members_in_member_info_order();
    let mut result = vec![Vec::new(); group.members.len()];
    for (topic_index, topic) in group.topics.iter().enumerate() {
        let subscribers: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&m| group.members[m].subscribes(topic_index))
            .collect();
        if subscribers.is_empty() {
            continue;
        }
        let count = topic.partition_count as usize;
        let per_member = count / subscribers.len();
        let with_extra = count % subscribers.len();
        let mut next = topic.first_partition;
        for (position, &member) in subscribers.iter().enumerate() {
            let length = per_member + usize::from(position < with_extra);
            result[member].extend(next..next + length);
            next += length;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::{assign, Assignment, MemberSubscription, Strategy, TopicPartition};

    fn tps(list: &[(&str, u32)]) -> Vec<TopicPartition> {
        list.iter()
            .map(|&(t, p)| TopicPartition::new(t, p))
            .collect()
    }

    fn member(id: &str, topics: &[&str], instance: Option<&str>) -> MemberSubscription {
        MemberSubscription {
            member_id: id.to_string(),
            group_instance_id: instance.map(str::to_string),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            owned: Vec::new(),
            generation: None,
        }
    }

    #[test]
    fn javadoc_example_two_members_two_topics() {
        let topics: BTreeMap<String, u32> = [("t0".to_string(), 3), ("t1".to_string(), 3)]
            .into_iter()
            .collect();
        let members = [
            member("C1", &["t0", "t1"], None),
            member("C0", &["t0", "t1"], None),
        ];
        let expected: Assignment = [
            (
                "C0".to_string(),
                tps(&[("t0", 0), ("t0", 1), ("t1", 0), ("t1", 1)]),
            ),
            ("C1".to_string(), tps(&[("t0", 2), ("t1", 2)])),
        ]
        .into_iter()
        .collect();
        assert_eq!(assign(Strategy::Range, &topics, &members), expected);
    }

    #[test]
    fn static_members_come_first() {
        let topics: BTreeMap<String, u32> = [("t0".to_string(), 3)].into_iter().collect();
        let members = [
            member("a", &["t0"], None),
            member("z", &["t0"], Some("instance-1")),
        ];
        let result = assign(Strategy::Range, &topics, &members);
        assert_eq!(result["z"], tps(&[("t0", 0), ("t0", 1)]));
        assert_eq!(result["a"], tps(&[("t0", 2)]));
    }
}
