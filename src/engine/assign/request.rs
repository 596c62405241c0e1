//! The JSON request format of `kafka-sim-cli assign` and of `tests/data/assign_vectors.json`.
//!
//! A request is `{op, strategy, topics: {topic: partitions}, members: {member_id: {topics,
//! owned: {topic: [partitions]}, generation, group_instance_id}}, rounds}`, members listed in
//! JoinGroup order (so their order in the JSON object matters and is kept). The answer is
//! `{"assignment": {member_id: {topic: [partitions]}}}`: every member appears, topics with
//! nothing assigned are left out, exactly as the Java vectors are written. With `rounds`
//! above 1 the group is run forward: each round, every member reports as owned what the
//! previous round gave it, with the next generation, and the answer adds
//! `"rounds": [<round 1>, <round 2>, ...]`.
//!
//! There is no Java class behind this file; it plays the part of the test harness that fed
//! Kafka's assignors (`ConsumerCoordinator.onLeaderElected` building the subscription map).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{assign, Assignment, MemberSubscription, Strategy, TopicPartition};

/// Requests larger than this many partitions in total are refused rather than attempted.
pub const MAX_TOTAL_PARTITIONS: u64 = 1_000_000;
/// Requests with more members than this are refused.
pub const MAX_MEMBERS: usize = 100_000;
/// The most rounds a request may ask for.
pub const MAX_ROUNDS: u32 = 1_000;

/// A parsed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignRequest {
    pub strategy: Strategy,
    pub topics: BTreeMap<String, u32>,
    /// In JoinGroup order.
    pub members: Vec<MemberSubscription>,
    /// How many rebalances to run (1 unless the request says otherwise).
    pub rounds: u32,
}

/// A JSON object read into a list, keeping the order of its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OrderedObject<T>(Vec<(String, T)>);

impl<T> Default for OrderedObject<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrderedObject<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
            type Value = OrderedObject<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = access.next_entry::<String, T>()? {
                    entries.push((key, value));
                }
                Ok(OrderedObject(entries))
            }
        }

        deserializer.deserialize_map(OrderedVisitor(PhantomData))
    }
}

#[derive(Debug, Deserialize)]
struct RawRequest {
    op: Option<String>,
    strategy: String,
    #[serde(default)]
    topics: OrderedObject<i64>,
    #[serde(default)]
    members: OrderedObject<RawMember>,
    rounds: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct RawMember {
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    owned: OrderedObject<Vec<i64>>,
    generation: Option<i32>,
    group_instance_id: Option<String>,
}

/// Parses a request. Partition counts of zero or less mean "no metadata"; owned partition
/// numbers outside 0..=u32::MAX are ignored.
pub fn parse_request(input: &str) -> Result<AssignRequest, String> {
    serde_json::from_str(input).map_err(|e| format!("invalid assign request: {e}"))
}

impl<'de> Deserialize<'de> for AssignRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawRequest::deserialize(deserializer)?;
        AssignRequest::from_raw(raw).map_err(serde::de::Error::custom)
    }
}

impl AssignRequest {
    fn from_raw(raw: RawRequest) -> Result<AssignRequest, String> {
        if let Some(op) = raw.op.as_deref() {
            if op != "assign" {
                return Err(format!("unknown op '{op}' (expected 'assign')"));
            }
        }
        let strategy = Strategy::parse(&raw.strategy).ok_or_else(|| {
            format!(
                "unknown strategy '{}' (expected range, roundrobin, sticky or cooperative-sticky)",
                raw.strategy
            )
        })?;

        let mut topics = BTreeMap::new();
        let mut total: u64 = 0;
        for (name, count) in raw.topics.0 {
            let count = u32::try_from(count.max(0))
                .map_err(|_| format!("topic '{name}' has too many partitions ({count})"))?;
            if let Some(previous) = topics.insert(name, count) {
                total -= u64::from(previous);
            }
            total += u64::from(count);
        }
        if total > MAX_TOTAL_PARTITIONS {
            return Err(format!(
                "too many partitions ({total}); the limit is {MAX_TOTAL_PARTITIONS}"
            ));
        }
        if raw.members.0.len() > MAX_MEMBERS {
            return Err(format!(
                "too many members ({}); the limit is {MAX_MEMBERS}",
                raw.members.0.len()
            ));
        }

        let members = raw
            .members
            .0
            .into_iter()
            .map(|(member_id, member)| MemberSubscription {
                member_id,
                group_instance_id: member.group_instance_id,
                topics: member.topics,
                owned: member
                    .owned
                    .0
                    .into_iter()
                    .flat_map(|(topic, partitions)| {
                        partitions.into_iter().filter_map(move |p| {
                            u32::try_from(p)
                                .ok()
                                .map(|p| TopicPartition::new(topic.clone(), p))
                        })
                    })
                    .collect(),
                generation: member.generation,
            })
            .collect();

        let rounds = match raw.rounds {
            None => 1,
            Some(n) if (1..=i64::from(MAX_ROUNDS)).contains(&n) => n as u32,
            Some(n) => {
                return Err(format!(
                    "rounds must be between 1 and {MAX_ROUNDS}, got {n}"
                ))
            }
        };

        Ok(AssignRequest {
            strategy,
            topics,
            members,
            rounds,
        })
    }
}

/// Runs the request's rounds and returns every round's assignment (at least one).
pub fn run_rounds(request: &AssignRequest) -> Vec<Assignment> {
    let mut members = request.members.clone();
    let mut results = Vec::new();
    for round in 0..request.rounds.max(1) {
        if round > 0 {
            let Some(previous) = results.last() else {
                break;
            };
            members = next_round_members(&members, previous);
        }
        results.push(assign(request.strategy, &request.topics, &members));
    }
    results
}

/// The members of the next rebalance: each reports as owned what it was just given, in
/// the generation after the highest one seen.
pub fn next_round_members(
    members: &[MemberSubscription],
    assignment: &Assignment,
) -> Vec<MemberSubscription> {
    let generation = members
        .iter()
        .filter_map(|m| m.generation)
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    members
        .iter()
        .map(|m| MemberSubscription {
            owned: assignment.get(&m.member_id).cloned().unwrap_or_default(),
            generation: Some(generation),
            ..m.clone()
        })
        .collect()
}

/// An assignment as JSON: every member, each with its non-empty topics.
pub fn assignment_to_json(assignment: &Assignment) -> Value {
    let mut members = Map::new();
    for (member, partitions) in assignment {
        let mut by_topic: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for tp in partitions {
            by_topic
                .entry(tp.topic.as_str())
                .or_default()
                .push(tp.partition);
        }
        let topics: Map<String, Value> = by_topic
            .into_iter()
            .map(|(topic, list)| (topic.to_string(), Value::from(list)))
            .collect();
        members.insert(member.clone(), Value::Object(topics));
    }
    Value::Object(members)
}

/// Parses `input`, runs it and renders the answer. Never panics; errors are plain text.
pub fn run_request_json(input: &str) -> Result<String, String> {
    let request = parse_request(input)?;
    let rounds = run_rounds(&request);
    let mut answer = Map::new();
    let last = rounds.last().map(assignment_to_json).unwrap_or_default();
    answer.insert("assignment".to_string(), last);
    if request.rounds > 1 {
        answer.insert(
            "rounds".to_string(),
            Value::Array(rounds.iter().map(assignment_to_json).collect()),
        );
    }
    serde_json::to_string(&Value::Object(answer)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_member_order_and_reads_owned() {
        let request = parse_request(
            r#"{"op":"assign","strategy":"CooperativeStickyAssignor","topics":{"t":2},
                "members":{"z":{"topics":["t"],"owned":{"t":[1,-3]},"generation":4},
                           "a":{"topics":["t"],"group_instance_id":"i"}}}"#,
        )
        .expect("valid request");
        assert_eq!(request.strategy, Strategy::CooperativeSticky);
        let ids: Vec<&str> = request
            .members
            .iter()
            .map(|m| m.member_id.as_str())
            .collect();
        assert_eq!(ids, vec!["z", "a"]);
        assert_eq!(request.members[0].owned, vec![TopicPartition::new("t", 1)]);
        assert_eq!(request.members[0].generation, Some(4));
        assert_eq!(request.members[1].group_instance_id.as_deref(), Some("i"));
        assert_eq!(request.rounds, 1);
    }

    #[test]
    fn renders_every_member_and_only_used_topics() {
        let out = run_request_json(
            r#"{"strategy":"range","topics":{"t0":1,"t1":0},
                "members":{"b":{"topics":["t0","t1"]},"a":{"topics":["t0"]}}}"#,
        )
        .expect("runs");
        assert_eq!(out, r#"{"assignment":{"a":{"t0":[0]},"b":{}}}"#);
    }

    #[test]
    fn errors_are_messages() {
        assert!(run_request_json("{").is_err());
        assert!(run_request_json(r#"{"strategy":"fair"}"#)
            .unwrap_err()
            .contains("unknown strategy"));
        assert!(run_request_json(r#"{"op":"x","strategy":"range"}"#).is_err());
        assert!(run_request_json(r#"{"strategy":"range","rounds":0}"#).is_err());
        assert!(run_request_json(r#"{"strategy":"range","topics":{"t":5000000000}}"#).is_err());
        assert!(run_request_json(r#"{"strategy":"range","members":[]}"#).is_err());
        assert_eq!(
            run_request_json(r#"{"strategy":"sticky"}"#).as_deref(),
            Ok(r#"{"assignment":{}}"#)
        );
    }

    #[test]
    fn rounds_hand_over_a_partition_in_two_steps() {
        let out = run_request_json(
            r#"{"strategy":"cooperative-sticky","topics":{"t0":2},"rounds":3,
                "members":{"C0":{"topics":["t0"],"owned":{"t0":[0,1]},"generation":1},
                           "C1":{"topics":["t0"]}}}"#,
        )
        .expect("runs");
        let value: Value = serde_json::from_str(&out).expect("json");
        let rounds = value["rounds"].as_array().expect("rounds");
        assert_eq!(rounds.len(), 3);
        assert_eq!(rounds[0]["C0"]["t0"], serde_json::json!([0]));
        assert_eq!(rounds[0]["C1"], serde_json::json!({}));
        assert_eq!(rounds[1]["C1"]["t0"], serde_json::json!([1]));
        assert_eq!(value["assignment"], rounds[2]);
    }
}
