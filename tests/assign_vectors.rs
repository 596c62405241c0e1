//! Every case of `tests/data/assign_vectors.json` (the output of Kafka's Java assignors)
//! must come out of `engine::assign` exactly the same.

use std::collections::BTreeMap;

use kafka_sim::engine::assign::request::{
    assignment_to_json, next_round_members, run_rounds, AssignRequest,
};
use kafka_sim::engine::assign::{assign, run_request_json, Strategy};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct VectorFile {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    request: AssignRequest,
    java: Value,
    kind: Option<String>,
}

fn load() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/assign_vectors.json"
    );
    let text = std::fs::read_to_string(path).expect("tests/data/assign_vectors.json is readable");
    let file: VectorFile = serde_json::from_str(&text).expect("the vectors parse");
    file.cases
}

#[test]
fn every_vector_matches_java() {
    let cases = load();
    assert_eq!(cases.len(), 138);
    let mut passed: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut total: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let request = &case.request;
        let ours = assign(request.strategy, &request.topics, &request.members);
        let ours = assignment_to_json(&ours);
        *total.entry(request.strategy.name()).or_default() += 1;
        if ours == case.java {
            *passed.entry(request.strategy.name()).or_default() += 1;
        } else {
            failures.push(format!(
                "case {index} ({}): {:?}\n  request: {:?}\n  java: {}\n  ours: {}",
                case.kind.as_deref().unwrap_or("example"),
                request.strategy,
                request,
                case.java,
                ours
            ));
        }
    }
    for (strategy, count) in &total {
        println!(
            "{strategy}: {}/{count} cases match Java",
            passed.get(strategy).copied().unwrap_or(0)
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Java:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The `*-round2` cases are the second cooperative round of the case just before them:
/// running that case for two rounds must reach the same result.
#[test]
fn cooperative_rounds_reach_the_round2_vectors() {
    let cases = load();
    let mut checked = 0;
    for pair in cases.windows(2) {
        let (first, second) = (&pair[0], &pair[1]);
        let is_round2 = second
            .kind
            .as_deref()
            .is_some_and(|kind| kind.ends_with("-round2"));
        if !is_round2 || first.request.strategy != Strategy::CooperativeSticky {
            continue;
        }
        // The round-2 request is what round 1 produced, reported back.
        let round1 = assign(
            first.request.strategy,
            &first.request.topics,
            &first.request.members,
        );
        let reported = next_round_members(&first.request.members, &round1);
        assert_eq!(
            reported, second.request.members,
            "round-2 request of {:?}",
            first.kind
        );

        let mut two_rounds = first.request.clone();
        two_rounds.rounds = 2;
        let results = run_rounds(&two_rounds);
        assert_eq!(results.len(), 2);
        assert_eq!(assignment_to_json(&results[1]), second.java);
        checked += 1;
    }
    assert_eq!(checked, 12);
}

#[test]
fn run_request_json_matches_the_vectors_and_reports_rounds() {
    let request = r#"{"op":"assign","strategy":"cooperative-sticky","topics":{"t0":3},
        "members":{"C0":{"topics":["t0"],"owned":{"t0":[0,1,2]},"generation":1},
                   "C1":{"topics":["t0"]}},"rounds":2}"#;
    let out = run_request_json(request).expect("the request runs");
    let value: Value = serde_json::from_str(&out).expect("the answer is JSON");
    let rounds = value["rounds"].as_array().expect("rounds are listed");
    assert_eq!(rounds.len(), 2);
    // Round 1 is case 5 of the vectors: C1's partition is withheld until C0 revokes it.
    assert_eq!(
        rounds[0],
        serde_json::json!({"C0": {"t0": [0, 1]}, "C1": {}})
    );
    assert_eq!(
        value["assignment"],
        serde_json::json!({"C0": {"t0": [0, 1]}, "C1": {"t0": [2]}})
    );

    let single = run_request_json(&request.replace(r#","rounds":2"#, "")).expect("runs");
    assert_eq!(
        single,
        r#"{"assignment":{"C0":{"t0":[0,1]},"C1":{}}}"#.to_string()
    );
    assert!(run_request_json("not json").is_err());
}
