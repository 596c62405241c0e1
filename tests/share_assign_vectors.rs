//! The share groups' `simple` assignor against Kafka's own: every case of
//! `tests/data/share_assign_vectors.json`, written by the pinned Kafka's `SimpleAssignor`
//! (`conformance/vectors/ShareAssignVectors.java`, `scripts/assign848-vectors.sh`), must give
//! the same target assignment.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::server_vectors;

use std::collections::BTreeMap;

use kafka_sim::engine::share_group::assignor::{assign, assign_heterogeneous, assign_homogeneous};

#[test]
fn every_case_matches_kafkas_simple_assignor() {
    let cases = server_vectors::cases("tests/data/share_assign_vectors.json");
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
        let partitions = server_vectors::topics(case);
        let members = server_vectors::members(case);
        let expected = server_vectors::target(case);
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
