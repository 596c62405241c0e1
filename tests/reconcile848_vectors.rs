//! KIP-848 member reconciliation against Kafka's own: every case of
//! `tests/data/reconcile848_vectors.json`, written by the pinned Kafka's
//! `CurrentAssignmentBuilder` (`scripts/assign848-vectors.sh`), must give the same next state,
//! epochs, assigned partitions (with their epochs) and partitions pending revocation.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use kafka_sim::engine::reconcile::{
    reconcile, EpochAssignment, MemberAssignment, MemberState, Step,
};
use serde_json::Value;

fn state(name: &str) -> MemberState {
    match name {
        "STABLE" => MemberState::Stable,
        "UNREVOKED_PARTITIONS" => MemberState::UnrevokedPartitions,
        "UNRELEASED_PARTITIONS" => MemberState::UnreleasedPartitions,
        other => panic!("unknown state {other}"),
    }
}

/// `{"topic": [[partition, epoch], ...]}`.
fn epochs(value: &Value) -> EpochAssignment {
    let mut out = EpochAssignment::new();
    for (topic, pairs) in value.as_object().into_iter().flatten() {
        let parts: BTreeMap<u32, i32> = pairs
            .as_array()
            .into_iter()
            .flatten()
            .map(|pair| {
                (
                    pair[0].as_u64().unwrap_or(0) as u32,
                    pair[1].as_i64().unwrap_or(0) as i32,
                )
            })
            .collect();
        if !parts.is_empty() {
            out.insert(topic.clone(), parts);
        }
    }
    out
}

/// `{"topic": [partition, ...]}`.
fn sets(value: &Value) -> BTreeMap<String, BTreeSet<u32>> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(topic, parts)| {
            let set = parts
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_u64())
                .map(|p| p as u32)
                .collect();
            (topic.clone(), set)
        })
        .collect()
}

#[test]
fn every_case_matches_kafkas_current_assignment_builder() {
    let text = std::fs::read_to_string("tests/data/reconcile848_vectors.json").expect("vectors");
    let data: Value = serde_json::from_str(&text).expect("json");
    let ids: BTreeMap<String, String> = data["topics"]
        .as_object()
        .expect("topics")
        .iter()
        .map(|(name, id)| (name.clone(), id.as_str().unwrap_or("").to_string()))
        .collect();
    let cases = data["cases"].as_array().expect("cases");
    assert!(cases.len() >= 300);
    let mut failures = Vec::new();
    let mut outcomes: BTreeSet<MemberState> = BTreeSet::new();
    for (index, case) in cases.iter().enumerate() {
        let epoch = case["epoch"].as_i64().unwrap_or(0) as i32;
        let member = MemberAssignment {
            state: state(case["state"].as_str().unwrap_or("")),
            member_epoch: epoch,
            previous_member_epoch: epoch - 1,
            assigned: epochs(&case["assigned"]),
            pending_revocation: epochs(&case["pending"]),
        };
        let subscribed: BTreeSet<String> = case["subscribed"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str())
            .filter_map(|n| ids.get(n).cloned())
            .collect();
        let target = sets(&case["target"]);
        let others = sets(&case["others"]);
        let owned = (!case["owned"].is_null()).then(|| sets(&case["owned"]));
        let held = |topic: &str, p: u32| others.get(topic).is_some_and(|s| s.contains(&p));
        let step = Step {
            target_epoch: case["target_epoch"].as_i64().unwrap_or(0) as i32,
            target: &target,
            subscribed: &subscribed,
            subscription_changed: case["subscription_changed"].as_bool().unwrap_or(false),
            owned: owned.as_ref(),
            held: &held,
        };
        let next = reconcile(&member, &step);
        let expected = &case["next"];
        let want = MemberAssignment {
            state: state(expected["state"].as_str().unwrap_or("")),
            member_epoch: expected["epoch"].as_i64().unwrap_or(0) as i32,
            previous_member_epoch: expected["previous_epoch"].as_i64().unwrap_or(0) as i32,
            assigned: epochs(&expected["assigned"]),
            pending_revocation: epochs(&expected["pending"]),
        };
        outcomes.insert(want.state);
        if next != want {
            failures.push(format!(
                "case {index}:\n  kafka: {want:?}\n  ours:  {next:?}"
            ));
        }
    }
    assert_eq!(outcomes.len(), 3, "the cases reach every member state");
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Kafka's CurrentAssignmentBuilder:\n{}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .take(4)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
