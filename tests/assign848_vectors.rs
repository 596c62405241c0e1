//! The KIP-848 server-side assignors against Kafka's own: every case of
//! `tests/data/assign848_vectors.json`, written by the pinned Kafka's `UniformAssignor` and
//! `RangeAssignor` (`scripts/assign848-vectors.sh`), must give the same target assignment.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::server_vectors;

use std::collections::BTreeMap;

use kafka_sim::engine::assign::server::{assign, ServerAssignor};

#[test]
fn every_case_matches_kafkas_server_side_assignors() {
    let cases = server_vectors::cases("tests/data/assign848_vectors.json");
    assert!(cases.len() >= 300, "the vectors hold {} cases", cases.len());
    let mut failures = Vec::new();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (index, case) in cases.iter().enumerate() {
        let assignor =
            ServerAssignor::parse(case["assignor"].as_str().unwrap_or("")).expect("assignor");
        let subscription = case["subscription"].as_str().unwrap_or("").to_string();
        *seen
            .entry((assignor.name().to_string(), subscription.clone()))
            .or_default() += 1;
        let partitions = server_vectors::topics(case);
        let members = server_vectors::members(case);
        let expected = server_vectors::target(case);
        match assign(assignor, &members, &partitions) {
            Ok(actual) if actual == expected => {}
            Ok(actual) => failures.push(format!(
                "case {index} ({} {subscription}):\n  kafka: {expected:?}\n  ours:  {actual:?}",
                assignor.name()
            )),
            Err(e) => failures.push(format!("case {index}: refused: {e:?}")),
        }
    }
    // Every assignor meets both subscription types.
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Kafka's assignors:\n{}",
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
