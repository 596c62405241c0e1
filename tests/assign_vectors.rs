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

/// 1,000 members and 2,000 partitions, fresh and then rebalanced after 100 members leave
/// and 100 join, with identical and with different subscriptions. Checks that every
/// partition lands on a subscriber exactly once and prints the time taken.
#[test]
fn large_groups_assign_every_partition_once() {
    use kafka_sim::engine::assign::{Assignment, MemberSubscription};
    use std::time::Instant;

    let topics: BTreeMap<String, u32> = (0..20).map(|t| (format!("topic-{t:02}"), 100)).collect();
    let names: Vec<String> = topics.keys().cloned().collect();
    let subscriptions =
        |identical: bool, range: std::ops::Range<usize>| -> Vec<MemberSubscription> {
            range
                .map(|i| MemberSubscription {
                    member_id: format!(
                        "consumer-{i}-{:08x}",
                        (i as u32).wrapping_mul(2_654_435_761)
                    ),
                    group_instance_id: None,
                    topics: if identical {
                        names.clone()
                    } else {
                        [i % 20, (i * 7 + 3) % 20, (i * 13 + 5) % 20]
                            .iter()
                            .map(|&t| names[t].clone())
                            .collect()
                    },
                    owned: Vec::new(),
                    generation: None,
                })
                .collect()
        };
    let check = |members: &[MemberSubscription], result: &Assignment, strategy: Strategy| {
        let mut seen = std::collections::BTreeSet::new();
        for member in members {
            for tp in &result[&member.member_id] {
                assert!(
                    member.topics.contains(&tp.topic),
                    "{strategy:?}: {tp} to a non-subscriber"
                );
                assert!(seen.insert(tp.clone()), "{strategy:?}: {tp} assigned twice");
            }
        }
        if strategy != Strategy::CooperativeSticky {
            assert_eq!(
                seen.len(),
                2_000,
                "{strategy:?}: every partition is assigned"
            );
        }
    };
    for identical in [true, false] {
        for strategy in Strategy::ALL {
            let members = subscriptions(identical, 0..1_000);
            let started = Instant::now();
            let first = assign(strategy, &topics, &members);
            let fresh = started.elapsed();
            check(&members, &first, strategy);

            let mut next = next_round_members(&members, &first);
            next.drain(0..100);
            next.extend(subscriptions(identical, 1_000..1_100));
            let started = Instant::now();
            let second = assign(strategy, &topics, &next);
            let rebalance = started.elapsed();
            check(&next, &second, strategy);
            println!(
                "{:>18} identical={identical}: fresh {fresh:?}, rebalance {rebalance:?}",
                strategy.name()
            );
        }
    }
}
