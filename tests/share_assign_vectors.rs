//! The share groups' `simple` assignor against Kafka's own: every case of
//! `tests/data/share_assign_vectors.json`, written by the pinned Kafka's `SimpleAssignor`
//! (`conformance/vectors/ShareAssignVectors.java`, `scripts/assign848-vectors.sh`), must give
//! the same target assignment.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use kafka_sim::engine::assign::server::MemberSpec;
use kafka_sim::engine::share_group::assignor::{assign, assign_heterogeneous, assign_homogeneous};
use serde_json::Value;

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

fn partitions_of(value: &Value) -> BTreeMap<String, BTreeSet<u32>> {
    value
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(topic, parts)| {
                    let set: BTreeSet<u32> = numbers(parts).into_iter().collect();
                    (topic.clone(), set)
                })
                .filter(|(_, set): &(String, BTreeSet<u32>)| !set.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_case_matches_kafkas_simple_assignor() {
    let text = std::fs::read_to_string("tests/data/share_assign_vectors.json").expect("vectors");
    let data: Value = serde_json::from_str(&text).expect("json");
    let cases = data["cases"].as_array().expect("cases");
    assert!(cases.len() >= 300, "the vectors hold {} cases", cases.len());
    let mut failures = Vec::new();
    // Cases with more members than partitions (shared partitions) and with fewer.
    let mut seen: BTreeMap<bool, usize> = BTreeMap::new();
    // Homogeneous and heterogeneous subscriptions.
    let mut kinds: BTreeMap<bool, usize> = BTreeMap::new();
    for (index, case) in cases.iter().enumerate() {
        assert_eq!(case["assignor"], "simple");
        let heterogeneous = case["subscription"] == "heterogeneous";
        assert!(heterogeneous || case["subscription"] == "homogeneous");
        *kinds.entry(heterogeneous).or_default() += 1;
        let shared = case["members"].as_array().map_or(0, Vec::len)
            > case["topics"].as_array().map_or(0, |t| {
                t.iter()
                    .map(|t| t["partitions"].as_u64().unwrap_or(0))
                    .sum::<u64>() as usize
            });
        *seen.entry(shared).or_default() += 1;
        let partitions: BTreeMap<String, u32> = case["topics"]
            .as_array()
            .expect("topics")
            .iter()
            .map(|t| {
                (
                    t["id"].as_str().unwrap_or("").to_string(),
                    t["partitions"].as_u64().unwrap_or(0) as u32,
                )
            })
            .collect();
        let members: Vec<MemberSpec> = case["members"]
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
            .collect();
        let expected: BTreeMap<String, BTreeMap<String, BTreeSet<u32>>> = case["target"]
            .as_object()
            .expect("target")
            .iter()
            .map(|(member, target)| (member.clone(), partitions_of(target)))
            .collect();
        let builder = if heterogeneous {
            assign_heterogeneous
        } else {
            assign_homogeneous
        };
        // The entry point the engine calls must pick the same builder as Kafka did.
        assert_eq!(
            assign(&members, &partitions),
            builder(&members, &partitions)
        );
        match builder(&members, &partitions) {
            Ok(actual) if actual == expected => {}
            Ok(actual) => failures.push(format!(
                "case {index}:\n  kafka: {expected:?}\n  ours:  {actual:?}"
            )),
            Err(e) => failures.push(format!("case {index}: refused: {e:?}")),
        }
    }
    assert_eq!(seen.len(), 2, "both kinds of group: {seen:?}");
    assert_eq!(kinds.len(), 2, "both kinds of subscription: {kinds:?}");
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Kafka's SimpleAssignor:\n{}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
