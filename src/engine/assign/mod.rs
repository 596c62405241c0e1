//! The client-side partition assignors of the classic group protocol (SEMANTICS.md §2):
//! range, roundrobin, sticky and cooperative-sticky, reproducing Kafka's Java output.
//! (Temporary stand-in with the final API; the real assignors replace it.)

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::types::TopicPartition;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Strategy {
    Range,
    RoundRobin,
    Sticky,
    CooperativeSticky,
}

impl Strategy {
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Range => "range",
            Strategy::RoundRobin => "roundrobin",
            Strategy::Sticky => "sticky",
            Strategy::CooperativeSticky => "cooperative-sticky",
        }
    }
    pub fn parse(s: &str) -> Option<Strategy> {
        match s {
            "range" => Some(Strategy::Range),
            "roundrobin" => Some(Strategy::RoundRobin),
            "sticky" => Some(Strategy::Sticky),
            "cooperative-sticky" => Some(Strategy::CooperativeSticky),
            _ => None,
        }
    }
    pub fn is_cooperative(self) -> bool {
        self == Strategy::CooperativeSticky
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSubscription {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub topics: Vec<String>,
    pub owned: Vec<TopicPartition>,
    pub generation: Option<i32>,
}

pub type Assignment = BTreeMap<String, Vec<TopicPartition>>;

pub fn assign(
    _strategy: Strategy,
    partitions_per_topic: &BTreeMap<String, u32>,
    members: &[MemberSubscription],
) -> Assignment {
    let mut out: Assignment = members
        .iter()
        .map(|m| (m.member_id.clone(), Vec::new()))
        .collect();
    let mut sorted: Vec<&MemberSubscription> = members.iter().collect();
    sorted.sort_by(|a, b| {
        (
            a.group_instance_id.is_none(),
            &a.group_instance_id,
            &a.member_id,
        )
            .cmp(&(
                b.group_instance_id.is_none(),
                &b.group_instance_id,
                &b.member_id,
            ))
    });
    for (topic, &n) in partitions_per_topic {
        let subs: Vec<&&MemberSubscription> =
            sorted.iter().filter(|m| m.topics.contains(topic)).collect();
        if subs.is_empty() {
            continue;
        }
        let c = subs.len() as u32;
        let mut next = 0;
        for (i, m) in subs.iter().enumerate() {
            let count = n / c + u32::from((i as u32) < n % c);
            if let Some(list) = out.get_mut(&m.member_id) {
                list.extend((next..next + count).map(|p| TopicPartition::new(topic.clone(), p)));
            }
            next += count;
        }
    }
    for list in out.values_mut() {
        list.sort();
    }
    out
}
