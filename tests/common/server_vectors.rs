//! Reading one case of the server-side assignors' vectors (`tests/data/assign848_vectors.json`
//! and `tests/data/share_assign_vectors.json`, both written by `scripts/assign848-vectors.sh`
//! from the pinned Kafka's own assignors): the topics with their partition counts, the
//! members with their subscriptions and current assignments, and Kafka's target.

use std::collections::{BTreeMap, BTreeSet};

use kafka_sim::engine::assign::server::MemberSpec;
use serde_json::Value;

/// A member's target: partitions by topic.
pub type Target = BTreeMap<String, BTreeSet<u32>>;

/// A JSON array of partition numbers.
fn numbers(value: &Value) -> Vec<u32> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_u64())
                .map(|p| p as u32)
                .collect()
        })
        .unwrap_or_default()
}

/// A target as Kafka wrote it, without the topics it gave no partition.
fn partitions_of(value: &Value) -> Target {
    value
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(topic, parts)| (topic.clone(), numbers(parts).into_iter().collect()))
                .filter(|(_, set): &(String, BTreeSet<u32>)| !set.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The case's topics and their partition counts.
pub fn topics(case: &Value) -> BTreeMap<String, u32> {
    case["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap_or("").to_string(),
                t["partitions"].as_u64().unwrap_or(0) as u32,
            )
        })
        .collect()
}

/// The case's members, in the order Kafka was given them.
pub fn members(case: &Value) -> Vec<MemberSpec> {
    case["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| MemberSpec {
            member_id: m["id"].as_str().unwrap_or("").to_string(),
            instance_id: m["instance"].as_str().map(str::to_string),
            topics: m["topics"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            assigned: m["assigned"]
                .as_array()
                .map(|pairs| {
                    pairs
                        .iter()
                        .map(|pair| {
                            let topic = pair[0].as_str().unwrap_or("").to_string();
                            (topic, numbers(&pair[1]))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// Kafka's target assignment of the case, by member id.
pub fn target(case: &Value) -> BTreeMap<String, Target> {
    case["target"]
        .as_object()
        .expect("target")
        .iter()
        .map(|(member, target)| (member.clone(), partitions_of(target)))
        .collect()
}

/// The cases of a vectors file.
pub fn cases(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("vectors");
    let mut data: Value = serde_json::from_str(&text).expect("json");
    match data["cases"].take() {
        Value::Array(cases) => cases,
        _ => panic!("{path} holds no cases"),
    }
}
