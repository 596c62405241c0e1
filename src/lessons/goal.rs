//! Goals: conditions on the engine's state that the app checks itself, so a learner's
//! task ("make every partition of orders owned by exactly one consumer of payment") is
//! marked done the moment the simulator reaches it, however the learner got there.

use serde::{Deserialize, Serialize};

use crate::engine::share_partition::RecordState;
use crate::engine::{Engine, GroupState, TopicPartition};

/// A condition on the engine's state.
///
/// In a lesson file a goal is an object with one key, its kind:
/// `{"group_members": {"group": "payment", "count": 3}}`. Numbers are compared with
/// `at_most`, `at_least` and `equals`; at least one of them must be given.
///
/// It is read by hand (`goal_decode.rs`), for the download size; it is written by serde.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// Every partition of the topic is owned by exactly one running consumer of the
    /// group, and the group is Stable.
    EveryPartitionOwnedOnce { group: String, topic: String },
    /// The consumer owns the partition now.
    ConsumerOwns { consumer: String, partition: String },
    /// How many partitions the consumer owns now (none while it is stopped).
    ConsumerPartitions {
        consumer: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The consumer's fetch position on a partition (the next offset a poll returns).
    ConsumerPosition {
        consumer: String,
        partition: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The next offset the consumer's application will process on a partition.
    ConsumerProcessed {
        consumer: String,
        partition: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The offset the group has committed for a partition.
    CommittedOffset {
        group: String,
        partition: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The group's state, by the name `kafka-consumer-groups` prints ("Stable", "Empty", …).
    GroupState { group: String, state: String },
    /// How many members the group coordinator counts (a crashed consumer stays a member
    /// until its session times out).
    GroupMembers {
        group: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// How many members of a Stable group own no partition.
    IdleConsumers {
        group: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The topic's partition count.
    TopicPartitions {
        topic: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The first offset still in a partition's log.
    LogStartOffset {
        partition: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// How many records a partition's log holds now.
    RecordsInPartition {
        partition: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The node id of the broker leading a partition (not met while it has no leader; one
    /// broker, node 1, leads everything without a cluster).
    PartitionLeader {
        partition: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The group's lag: the high watermark minus the committed offset, summed over the
    /// partitions of the topic (a partition without a committed offset counts its whole
    /// log).
    GroupLag {
        group: String,
        topic: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The consumer's process: "running", "stopped", "crashed" or "failed".
    ConsumerStatus { consumer: String, status: String },
    /// A consumer config has a value, as `consumer set` writes it
    /// (`processing.commit` = `after`).
    ConsumerConfig {
        consumer: String,
        key: String,
        value: String,
    },
    /// Share groups (KIP-932): how many share consumers of the group hold records of the
    /// partition acquired now.
    ShareHolders {
        group: String,
        partition: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The highest delivery count among the share-partition's records in flight.
    ShareDeliveryCount {
        group: String,
        partition: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// The share-partition start offset (SPSO): everything before it is finished.
    ShareStartOffset {
        group: String,
        partition: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// Records acknowledged or archived beyond the SPSO, so finished while an earlier
    /// record is not (a share group does not keep a partition's order).
    ShareFinishedAhead {
        group: String,
        partition: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// How many members the share group's coordinator counts.
    ShareMembers {
        group: String,
        #[serde(flatten)]
        bound: Bound,
    },
    /// Every goal holds.
    All(Vec<Goal>),
    /// At least one goal holds.
    Any(Vec<Goal>),
    /// The goal does not hold.
    Not(Box<Goal>),
}

/// Bounds on a number: each given bound must hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<i64>,
}

impl Bound {
    /// Whether `value` satisfies every given bound.
    pub fn holds(&self, value: i64) -> bool {
        self.at_most.is_none_or(|m| value <= m)
            && self.at_least.is_none_or(|m| value >= m)
            && self.equals.is_none_or(|m| value == m)
    }

    fn is_empty(&self) -> bool {
        self.at_most.is_none() && self.at_least.is_none() && self.equals.is_none()
    }

    /// "at least 3", "exactly 0", "between 2 and 5".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(v) = self.equals {
            parts.push(format!("exactly {v}"));
        }
        match (self.at_least, self.at_most) {
            (Some(lo), Some(hi)) => parts.push(format!("between {lo} and {hi}")),
            (Some(lo), None) => parts.push(format!("at least {lo}")),
            (None, Some(hi)) => parts.push(format!("at most {hi}")),
            (None, None) => {}
        }
        parts.join(" and ")
    }
}

/// The names a consumer status has in lesson files.
pub const CONSUMER_STATUSES: [&str; 4] = ["running", "stopped", "crashed", "failed"];

/// The group state names a lesson file may use (Assigning and Reconciling are the consumer
/// protocol's).
pub const GROUP_STATES: [&str; 7] = [
    "Empty",
    "PreparingRebalance",
    "CompletingRebalance",
    "Stable",
    "Dead",
    "Assigning",
    "Reconciling",
];

/// `orders-2` → the topic `orders`, partition 2.
pub fn parse_partition(text: &str) -> Option<TopicPartition> {
    let (topic, number) = text.rsplit_once('-')?;
    if topic.is_empty() || number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(TopicPartition::new(topic, number.parse().ok()?))
}

impl Goal {
    /// The bounds of a goal that compares a number, if it is one.
    pub fn bound(&self) -> Option<Bound> {
        match self {
            Goal::ConsumerPosition { bound, .. }
            | Goal::ConsumerProcessed { bound, .. }
            | Goal::CommittedOffset { bound, .. }
            | Goal::ConsumerPartitions { bound, .. }
            | Goal::GroupMembers { bound, .. }
            | Goal::IdleConsumers { bound, .. }
            | Goal::TopicPartitions { bound, .. }
            | Goal::LogStartOffset { bound, .. }
            | Goal::RecordsInPartition { bound, .. }
            | Goal::PartitionLeader { bound, .. }
            | Goal::GroupLag { bound, .. }
            | Goal::ShareHolders { bound, .. }
            | Goal::ShareDeliveryCount { bound, .. }
            | Goal::ShareStartOffset { bound, .. }
            | Goal::ShareFinishedAhead { bound, .. }
            | Goal::ShareMembers { bound, .. } => Some(*bound),
            _ => None,
        }
    }

    /// The partition a goal names, if it names one.
    fn partition(&self) -> Option<&str> {
        match self {
            Goal::ConsumerOwns { partition, .. }
            | Goal::ConsumerPosition { partition, .. }
            | Goal::ConsumerProcessed { partition, .. }
            | Goal::CommittedOffset { partition, .. }
            | Goal::LogStartOffset { partition, .. }
            | Goal::RecordsInPartition { partition, .. }
            | Goal::ShareHolders { partition, .. }
            | Goal::ShareDeliveryCount { partition, .. }
            | Goal::ShareStartOffset { partition, .. }
            | Goal::ShareFinishedAhead { partition, .. }
            | Goal::PartitionLeader { partition, .. } => Some(partition),
            _ => None,
        }
    }

    /// Whether the engine's state satisfies the goal. A goal naming something that does
    /// not exist (yet) is not met.
    pub fn check(&self, engine: &Engine) -> bool {
        self.value(engine).unwrap_or(false)
    }

    /// The goal's truth, or `None` when what it names does not exist.
    fn value(&self, engine: &Engine) -> Option<bool> {
        let bound = self.bound().unwrap_or_default();
        let tp = self.partition().and_then(parse_partition);
        Some(match self {
            Goal::EveryPartitionOwnedOnce { group, topic } => {
                let topic = engine.topic(topic)?;
                if engine.groups.get(group)?.state_name() != GroupState::Stable.name() {
                    return Some(false);
                }
                (0..topic.n_partitions()).all(|p| {
                    let tp = TopicPartition::new(topic.name.clone(), p);
                    engine
                        .consumers
                        .values()
                        .filter(|c| c.is_running() && c.group.as_deref() == Some(group))
                        .filter(|c| c.assignment.contains(&tp))
                        .count()
                        == 1
                })
            }
            Goal::ConsumerOwns { consumer, .. } => {
                let c = engine.consumers.get(consumer)?;
                c.is_running() && c.assignment.contains(&tp?)
            }
            Goal::ConsumerPartitions { consumer, .. } => {
                let c = engine.consumers.get(consumer)?;
                let owned = if c.is_running() {
                    c.assignment.len()
                } else {
                    0
                };
                bound.holds(owned as i64)
            }
            Goal::ConsumerPosition { consumer, .. } => {
                bound.holds(*engine.consumers.get(consumer)?.positions.get(&tp?)?)
            }
            Goal::ConsumerProcessed { consumer, .. } => {
                bound.holds(*engine.consumers.get(consumer)?.processed.get(&tp?)?)
            }
            Goal::CommittedOffset { group, .. } => {
                bound.holds(engine.groups.get(group)?.committed.get(&tp?)?.offset)
            }
            Goal::GroupState { group, state } => engine.groups.get(group)?.state_name() == state,
            Goal::GroupMembers { group, .. } => {
                bound.holds(engine.groups.get(group)?.members.len() as i64)
            }
            Goal::IdleConsumers { group, .. } => {
                let g = engine.groups.get(group)?;
                let idle = g.members.iter().filter(|m| m.assignment.is_empty()).count();
                g.state == GroupState::Stable && bound.holds(idle as i64)
            }
            Goal::TopicPartitions { topic, .. } => {
                bound.holds(i64::from(engine.topic(topic)?.n_partitions()))
            }
            Goal::LogStartOffset { .. } => {
                bound.holds(engine.partition_log(&tp?)?.log_start_offset())
            }
            Goal::RecordsInPartition { .. } => {
                bound.holds(engine.partition_log(&tp?)?.record_count() as i64)
            }
            Goal::PartitionLeader { .. } => {
                let leader = crate::read::cluster::partition(engine, &tp?)?.leader;
                leader.is_some_and(|l| bound.holds(i64::from(l)))
            }
            Goal::GroupLag { group, topic, .. } => {
                let g = engine.groups.get(group)?;
                let t = engine.topic(topic)?;
                let mut lag = 0;
                for p in 0..t.n_partitions() {
                    let tp = TopicPartition::new(t.name.clone(), p);
                    let log = engine.partition_log(&tp)?;
                    let from = g
                        .committed
                        .get(&tp)
                        .map_or(log.log_start_offset(), |c| c.offset);
                    lag += (log.high_watermark() - from).max(0);
                }
                bound.holds(lag)
            }
            Goal::ConsumerStatus { consumer, status } => {
                crate::read::reader_status(engine, engine.consumers.get(consumer)?)
                    .process
                    .name()
                    == status
            }
            Goal::ConsumerConfig {
                consumer,
                key,
                value,
            } => engine.consumers.get(consumer)?.config.get(key)? == *value,
            Goal::ShareHolders { group, .. } => {
                let tp = tp?;
                let sp = share_partition(engine, group, &tp)?;
                let holders: std::collections::BTreeSet<&str> = sp
                    .records
                    .values()
                    .filter_map(|r| match &r.state {
                        RecordState::Acquired { member, .. } => Some(member.as_str()),
                        _ => None,
                    })
                    .collect();
                bound.holds(holders.len() as i64)
            }
            Goal::ShareDeliveryCount { group, .. } => {
                let sp = share_partition(engine, group, &tp?)?;
                let highest = sp.records.values().map(|r| r.delivery_count).max();
                bound.holds(i64::from(highest.unwrap_or(0)))
            }
            Goal::ShareStartOffset { group, .. } => {
                let sp = share_partition(engine, group, &tp?)?;
                bound.holds(sp.start_offset)
            }
            Goal::ShareFinishedAhead { group, .. } => {
                let sp = share_partition(engine, group, &tp?)?;
                let finished = sp
                    .records
                    .values()
                    .filter(|r| r.state.is_terminal())
                    .count();
                bound.holds(finished as i64)
            }
            Goal::ShareMembers { group, .. } => {
                bound.holds(engine.share.groups.get(group)?.members.len() as i64)
            }
            Goal::All(goals) => goals.iter().all(|g| g.check(engine)),
            Goal::Any(goals) => goals.iter().any(|g| g.check(engine)),
            Goal::Not(goal) => !goal.check(engine),
        })
    }

    /// The goal in plain English, for the lesson player.
    pub fn describe(&self) -> String {
        let bound = self.bound().unwrap_or_default().describe();
        let partition = self.partition().unwrap_or_default();
        match self {
            Goal::EveryPartitionOwnedOnce { group, topic } => {
                format!("every partition of {topic} is owned by exactly one consumer of {group}")
            }
            Goal::ConsumerOwns { consumer, .. } => format!("{consumer} owns {partition}"),
            Goal::ConsumerPartitions { consumer, .. } => {
                format!("{consumer} owns {bound} partition(s)")
            }
            Goal::ConsumerPosition { consumer, .. } => {
                format!("{consumer}'s position on {partition} is {bound}")
            }
            Goal::ConsumerProcessed { consumer, .. } => {
                format!("the next offset {consumer} processes on {partition} is {bound}")
            }
            Goal::CommittedOffset { group, .. } => {
                format!("the offset {group} committed for {partition} is {bound}")
            }
            Goal::GroupState { group, state } => format!("group {group} is {state}"),
            Goal::GroupMembers { group, .. } => format!("group {group} has {bound} member(s)"),
            Goal::IdleConsumers { group, .. } => {
                format!("group {group} is stable with {bound} idle member(s)")
            }
            Goal::TopicPartitions { topic, .. } => {
                format!("topic {topic} has {bound} partition(s)")
            }
            Goal::LogStartOffset { .. } => {
                format!("the log of {partition} starts at offset {bound}")
            }
            Goal::RecordsInPartition { .. } => format!("{partition} holds {bound} record(s)"),
            Goal::PartitionLeader {
                bound: Bound {
                    equals: Some(broker),
                    ..
                },
                ..
            } => format!("broker {broker} leads {partition}"),
            Goal::PartitionLeader { .. } => format!("the leader of {partition} is broker {bound}"),
            Goal::GroupLag { group, topic, .. } => {
                format!("group {group}'s lag on {topic} is {bound}")
            }
            Goal::ConsumerStatus { consumer, status } => format!("{consumer} is {status}"),
            Goal::ConsumerConfig {
                consumer,
                key,
                value,
            } => format!("{consumer} has {key}={value}"),
            Goal::ShareHolders { group, .. } => {
                format!("{bound} consumer(s) of share group {group} hold records of {partition}")
            }
            Goal::ShareDeliveryCount { group, .. } => format!(
                "a record of {partition} in flight for share group {group} has been delivered {bound} time(s)"
            ),
            Goal::ShareStartOffset { group, .. } => {
                format!("share group {group}'s start offset on {partition} is {bound}")
            }
            Goal::ShareFinishedAhead { group, .. } => format!(
                "{bound} record(s) of {partition} are finished for share group {group} before an earlier one"
            ),
            Goal::ShareMembers { group, .. } => {
                format!("share group {group} has {bound} member(s)")
            }
            Goal::All(goals) => goals
                .iter()
                .map(Goal::describe)
                .collect::<Vec<_>>()
                .join(", and "),
            Goal::Any(goals) => goals
                .iter()
                .map(Goal::describe)
                .collect::<Vec<_>>()
                .join(", or "),
            Goal::Not(goal) => format!("not: {}", goal.describe()),
        }
    }

    /// Checks what serde cannot: partitions look like `topic-N`, bounds are given, names
    /// of states and statuses are known, `all` and `any` are not empty. `path` names the
    /// goal in the error ("steps[2].task.do.goal").
    pub fn validate(&self, path: &str) -> Result<(), String> {
        if let Some(p) = self.partition() {
            if parse_partition(p).is_none() {
                return Err(format!(
                    "{path}: partition \"{p}\" should look like topic-N, e.g. orders-0"
                ));
            }
        }
        if self.bound().is_some_and(|b| b.is_empty()) {
            return Err(format!(
                "{path}: give at least one of at_most, at_least, equals"
            ));
        }
        match self {
            Goal::GroupState { state, .. } if !GROUP_STATES.contains(&state.as_str()) => {
                Err(format!(
                    "{path}: unknown group state \"{state}\", expected one of {}",
                    GROUP_STATES.join(", ")
                ))
            }
            Goal::ConsumerStatus { status, .. }
                if !CONSUMER_STATUSES.contains(&status.as_str()) =>
            {
                Err(format!(
                    "{path}: unknown consumer status \"{status}\", expected one of {}",
                    CONSUMER_STATUSES.join(", ")
                ))
            }
            Goal::ConsumerConfig { key, .. }
                if crate::engine::ConsumerConfig::default().get(key).is_none() =>
            {
                Err(format!("{path}: unknown consumer config \"{key}\""))
            }
            Goal::All(goals) | Goal::Any(goals) => {
                if goals.is_empty() {
                    return Err(format!("{path}: an empty list of goals"));
                }
                goals
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, g)| g.validate(&format!("{path}[{i}]")))
            }
            Goal::Not(goal) => goal.validate(&format!("{path}.not")),
            _ => Ok(()),
        }
    }
}

/// The share-partition of a share group on a partition, if both exist.
fn share_partition<'a>(
    engine: &'a Engine,
    group: &str,
    tp: &crate::engine::TopicPartition,
) -> Option<&'a crate::engine::share_partition::SharePartition> {
    Some(
        &engine
            .share
            .groups
            .get(group)?
            .partitions
            .get(tp)?
            .partition,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;

    fn goal(json: &str) -> Goal {
        serde_json::from_str(json).expect("a valid goal")
    }

    #[test]
    fn partitions_parse_from_their_printed_names() {
        assert_eq!(
            parse_partition("ORDER_EVENTS-2"),
            Some(TopicPartition::new("ORDER_EVENTS", 2))
        );
        assert_eq!(
            parse_partition("my-topic-10"),
            Some(TopicPartition::new("my-topic", 10))
        );
        assert_eq!(parse_partition("orders"), None);
        assert_eq!(parse_partition("-1"), None);
        assert_eq!(parse_partition("orders-x"), None);
    }

    #[test]
    fn bounds_combine() {
        let b = Bound {
            at_least: Some(2),
            at_most: Some(4),
            equals: None,
        };
        assert!(!b.holds(1) && b.holds(2) && b.holds(4) && !b.holds(5));
        assert_eq!(b.describe(), "between 2 and 4");
    }

    #[test]
    fn goals_follow_the_engine() {
        let mut console = Console::new(7);
        for line in [
            "kafka-topics --create --topic orders --partitions 2",
            "consumer start a --group g --topic orders",
            "consumer start b --group g --topic orders",
            "consumer start c --group g --topic orders",
            "produce orders x y z --key k",
        ] {
            console.run_line(line);
        }
        let owned = goal(r#"{"every_partition_owned_once": {"group": "g", "topic": "orders"}}"#);
        let idle = goal(r#"{"idle_consumers": {"group": "g", "equals": 1}}"#);
        let members = goal(r#"{"group_members": {"group": "g", "at_least": 3}}"#);
        assert!(!owned.check(console.timeline().state()));
        assert!(!idle.check(console.timeline().state()));
        console.run_line("clock advance 7s");
        let engine = console.timeline().state();
        assert!(owned.check(engine));
        assert!(idle.check(engine));
        assert!(members.check(engine));
        let stored = goal(r#"{"records_in_partition": {"partition": "orders-0", "equals": 3}}"#);
        let other = goal(r#"{"records_in_partition": {"partition": "orders-1", "equals": 3}}"#);
        assert!(
            goal(r#"{"any": [{"records_in_partition": {"partition": "orders-0", "equals": 3}}, {"records_in_partition": {"partition": "orders-1", "equals": 3}}]}"#)
                .check(engine)
        );
        assert_ne!(stored.check(engine), other.check(engine));
        assert!(
            goal(r#"{"not": {"consumer_status": {"consumer": "a", "status": "crashed"}}}"#)
                .check(engine)
        );
        assert!(!goal(r#"{"group_state": {"group": "nope", "state": "Stable"}}"#).check(engine));
    }

    #[test]
    fn validation_catches_what_serde_cannot() {
        let bad = goal(r#"{"committed_offset": {"group": "g", "partition": "orders"}}"#);
        let err = bad.validate("goal").unwrap_err();
        assert!(err.contains("topic-N"), "{err}");
        let bad = goal(r#"{"group_members": {"group": "g"}}"#);
        assert!(bad.validate("goal").unwrap_err().contains("at_least"));
        let bad = goal(r#"{"group_state": {"group": "g", "state": "stable"}}"#);
        assert!(bad.validate("goal").unwrap_err().contains("Stable"));
        let bad = goal(r#"{"all": []}"#);
        assert!(bad.validate("goal").is_err());
        assert_eq!(
            goal(r#"{"topic_partitions": {"topic": "t", "at_least": 6}}"#).describe(),
            "topic t has at least 6 partition(s)"
        );
    }
}
