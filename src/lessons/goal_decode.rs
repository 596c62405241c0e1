//! How a lesson file's goal is read: by hand rather than by serde's derive, for the
//! download size (the derive compiles a visitor per variant; this is one visitor with the
//! fields as data). It reads what the derive read — an object with one key, the goal's
//! kind in snake case, whose value is an object of the kind's fields, or for `all`/`any`
//! a list of goals and for `not` one goal — and refuses what it refused with serde's own
//! messages: an unknown kind or field, a duplicate or missing field, a wrong type (the
//! tests hold the messages the derive gave). The rare list form of a kind's fields
//! (`{"group_state": ["g", "Stable"]}`) reads too.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, VariantAccess, Visitor,
};
use serde::Deserialize;

use super::goal::{Bound, Goal};

/// The kinds, as lesson files name them.
const KINDS: &[&str] = &[
    "every_partition_owned_once",
    "consumer_owns",
    "consumer_partitions",
    "consumer_position",
    "consumer_processed",
    "committed_offset",
    "group_state",
    "group_members",
    "idle_consumers",
    "topic_partitions",
    "log_start_offset",
    "records_in_partition",
    "partition_leader",
    "group_lag",
    "consumer_status",
    "consumer_config",
    "share_holders",
    "share_delivery_count",
    "share_start_offset",
    "share_finished_ahead",
    "share_members",
    "all",
    "any",
    "not",
];

/// Every field a kind may have: the text fields, then the bounds.
const TEXT_FIELDS: [&str; 8] = [
    "group",
    "topic",
    "consumer",
    "partition",
    "state",
    "status",
    "key",
    "value",
];
const BOUND_FIELDS: [&str; 3] = ["at_most", "at_least", "equals"];

/// The fields of each kind with fields, in the order the derive listed them.
fn fields_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "every_partition_owned_once" => &["group", "topic"],
        "consumer_owns" => &["consumer", "partition"],
        "consumer_partitions" => &["consumer", "at_most", "at_least", "equals"],
        "consumer_position" | "consumer_processed" => {
            &["consumer", "partition", "at_most", "at_least", "equals"]
        }
        "committed_offset" => &["group", "partition", "at_most", "at_least", "equals"],
        "group_state" => &["group", "state"],
        "group_members" | "idle_consumers" => &["group", "at_most", "at_least", "equals"],
        "topic_partitions" => &["topic", "at_most", "at_least", "equals"],
        "log_start_offset" | "records_in_partition" | "partition_leader" => {
            &["partition", "at_most", "at_least", "equals"]
        }
        "group_lag" => &["group", "topic", "at_most", "at_least", "equals"],
        "consumer_status" => &["consumer", "status"],
        "consumer_config" => &["consumer", "key", "value"],
        "share_holders"
        | "share_delivery_count"
        | "share_start_offset"
        | "share_finished_ahead" => &["group", "partition", "at_most", "at_least", "equals"],
        "share_members" => &["group", "at_most", "at_least", "equals"],
        _ => &[],
    }
}

/// The fields read from one goal's object.
#[derive(Default)]
struct Fields {
    /// By the index of [`TEXT_FIELDS`].
    text: [Option<String>; 8],
    /// By the index of [`BOUND_FIELDS`]; `Some(None)` for a bound given as `null`.
    bounds: [Option<Option<i64>>; 3],
}

impl Fields {
    fn text<E: de::Error>(&mut self, name: &'static str) -> Result<String, E> {
        let at = TEXT_FIELDS.iter().position(|f| *f == name).unwrap_or(0);
        self.text[at].take().ok_or_else(|| E::missing_field(name))
    }

    fn bound(&self, name: &str) -> Option<i64> {
        let at = BOUND_FIELDS.iter().position(|f| *f == name).unwrap_or(0);
        self.bounds[at].flatten()
    }
}

impl<'de> Deserialize<'de> for Goal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_enum("Goal", KINDS, GoalVisitor)
    }
}

struct GoalVisitor;

impl<'de> Visitor<'de> for GoalVisitor {
    type Value = Goal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("enum Goal")
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Goal, A::Error> {
        let (kind, variant) = data.variant_seed(Kind)?;
        match kind {
            "all" => variant.newtype_variant().map(Goal::All),
            "any" => variant.newtype_variant().map(Goal::Any),
            "not" => variant.newtype_variant::<Box<Goal>>().map(Goal::Not),
            kind => {
                let fields = fields_of(kind);
                let mut f = variant.struct_variant(fields, FieldsVisitor { fields })?;
                goal_of(kind, &mut f)
            }
        }
    }
}

/// Builds the goal of a kind with fields from what was read.
fn goal_of<E: de::Error>(kind: &str, f: &mut Fields) -> Result<Goal, E> {
    let bound = Bound {
        at_most: f.bound("at_most"),
        at_least: f.bound("at_least"),
        equals: f.bound("equals"),
    };
    Ok(match kind {
        "every_partition_owned_once" => Goal::EveryPartitionOwnedOnce {
            group: f.text("group")?,
            topic: f.text("topic")?,
        },
        "consumer_owns" => Goal::ConsumerOwns {
            consumer: f.text("consumer")?,
            partition: f.text("partition")?,
        },
        "consumer_partitions" => Goal::ConsumerPartitions {
            consumer: f.text("consumer")?,
            bound,
        },
        "consumer_position" => Goal::ConsumerPosition {
            consumer: f.text("consumer")?,
            partition: f.text("partition")?,
            bound,
        },
        "consumer_processed" => Goal::ConsumerProcessed {
            consumer: f.text("consumer")?,
            partition: f.text("partition")?,
            bound,
        },
        "committed_offset" => Goal::CommittedOffset {
            group: f.text("group")?,
            partition: f.text("partition")?,
            bound,
        },
        "group_state" => Goal::GroupState {
            group: f.text("group")?,
            state: f.text("state")?,
        },
        "group_members" => Goal::GroupMembers {
            group: f.text("group")?,
            bound,
        },
        "idle_consumers" => Goal::IdleConsumers {
            group: f.text("group")?,
            bound,
        },
        "topic_partitions" => Goal::TopicPartitions {
            topic: f.text("topic")?,
            bound,
        },
        "log_start_offset" => Goal::LogStartOffset {
            partition: f.text("partition")?,
            bound,
        },
        "records_in_partition" => Goal::RecordsInPartition {
            partition: f.text("partition")?,
            bound,
        },
        "partition_leader" => Goal::PartitionLeader {
            partition: f.text("partition")?,
            bound,
        },
        "group_lag" => Goal::GroupLag {
            group: f.text("group")?,
            topic: f.text("topic")?,
            bound,
        },
        "consumer_status" => Goal::ConsumerStatus {
            consumer: f.text("consumer")?,
            status: f.text("status")?,
        },
        "share_holders" => Goal::ShareHolders {
            group: f.text("group")?,
            partition: f.text("partition")?,
            bound,
        },
        "share_delivery_count" => Goal::ShareDeliveryCount {
            group: f.text("group")?,
            partition: f.text("partition")?,
            bound,
        },
        "share_start_offset" => Goal::ShareStartOffset {
            group: f.text("group")?,
            partition: f.text("partition")?,
            bound,
        },
        "share_finished_ahead" => Goal::ShareFinishedAhead {
            group: f.text("group")?,
            partition: f.text("partition")?,
            bound,
        },
        "share_members" => Goal::ShareMembers {
            group: f.text("group")?,
            bound,
        },
        _ => Goal::ConsumerConfig {
            consumer: f.text("consumer")?,
            key: f.text("key")?,
            value: f.text("value")?,
        },
    })
}

/// Reads a kind's name, refusing one that is not a kind.
struct Kind;

impl<'de> DeserializeSeed<'de> for Kind {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(Name {
            names: KINDS,
            kind: true,
        })
    }
}

/// Reads one name of `names`: a kind's (refused as an unknown variant) or a field's
/// (refused as an unknown field).
struct Name {
    names: &'static [&'static str],
    kind: bool,
}

impl<'de> Visitor<'de> for Name {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(if self.kind {
            "variant identifier"
        } else {
            "field identifier"
        })
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        match self.names.iter().find(|n| **n == value) {
            Some(name) => Ok(name),
            None if self.kind => Err(E::unknown_variant(value, self.names)),
            None => Err(E::unknown_field(value, self.names)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Name {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

/// Reads the object of a kind with fields.
struct FieldsVisitor {
    fields: &'static [&'static str],
}

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a goal's fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut read = Fields::default();
        while let Some(name) = map.next_key_seed(Name {
            names: self.fields,
            kind: false,
        })? {
            if let Some(at) = TEXT_FIELDS.iter().position(|f| *f == name) {
                if read.text[at].is_some() {
                    return Err(de::Error::duplicate_field(name));
                }
                read.text[at] = Some(map.next_value()?);
            } else if let Some(at) = BOUND_FIELDS.iter().position(|f| *f == name) {
                if read.bounds[at].is_some() {
                    return Err(de::Error::duplicate_field(name));
                }
                read.bounds[at] = Some(map.next_value()?);
            }
        }
        // Inside the kind's object, so the message names the kind as the derive's did.
        let missing = self.fields.iter().find(|name| {
            TEXT_FIELDS
                .iter()
                .position(|f| f == *name)
                .is_some_and(|at| read.text[at].is_none())
        });
        match missing {
            Some(name) => Err(de::Error::missing_field(name)),
            None => Ok(read),
        }
    }

    /// The fields in their order, as a list (the bounds may be left off the end).
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Fields, A::Error> {
        let mut read = Fields::default();
        for (i, name) in self.fields.iter().enumerate() {
            if let Some(at) = TEXT_FIELDS.iter().position(|f| f == name) {
                read.text[at] = Some(
                    seq.next_element()?
                        .ok_or_else(|| de::Error::invalid_length(i, &self))?,
                );
            } else if let Some(at) = BOUND_FIELDS.iter().position(|f| f == name) {
                read.bounds[at] = seq.next_element()?;
            }
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(json: &str) -> Result<Goal, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(&mut de).map_err(|e| e.to_string())
    }

    #[test]
    fn every_kind_reads_back_what_it_writes() {
        let goals = vec![
            Goal::EveryPartitionOwnedOnce {
                group: "g".into(),
                topic: "t".into(),
            },
            Goal::ConsumerOwns {
                consumer: "c".into(),
                partition: "t-0".into(),
            },
            Goal::ConsumerPartitions {
                consumer: "c".into(),
                bound: Bound {
                    at_most: Some(2),
                    at_least: None,
                    equals: None,
                },
            },
            Goal::ConsumerPosition {
                consumer: "c".into(),
                partition: "t-1".into(),
                bound: Bound {
                    at_most: None,
                    at_least: Some(3),
                    equals: None,
                },
            },
            Goal::ConsumerProcessed {
                consumer: "c".into(),
                partition: "t-1".into(),
                bound: Bound {
                    at_most: None,
                    at_least: None,
                    equals: Some(4),
                },
            },
            Goal::CommittedOffset {
                group: "g".into(),
                partition: "t-2".into(),
                bound: Bound {
                    at_most: Some(1),
                    at_least: Some(0),
                    equals: None,
                },
            },
            Goal::GroupState {
                group: "g".into(),
                state: "Stable".into(),
            },
            Goal::GroupMembers {
                group: "g".into(),
                bound: Bound {
                    at_most: None,
                    at_least: Some(3),
                    equals: None,
                },
            },
            Goal::IdleConsumers {
                group: "g".into(),
                bound: Bound {
                    at_most: None,
                    at_least: None,
                    equals: Some(0),
                },
            },
            Goal::TopicPartitions {
                topic: "t".into(),
                bound: Bound {
                    at_most: None,
                    at_least: Some(6),
                    equals: None,
                },
            },
            Goal::LogStartOffset {
                partition: "t-0".into(),
                bound: Bound {
                    at_most: None,
                    at_least: Some(1),
                    equals: None,
                },
            },
            Goal::RecordsInPartition {
                partition: "t-0".into(),
                bound: Bound {
                    at_most: Some(9),
                    at_least: None,
                    equals: None,
                },
            },
            Goal::PartitionLeader {
                partition: "t-0".into(),
                bound: Bound {
                    at_most: None,
                    at_least: None,
                    equals: Some(2),
                },
            },
            Goal::GroupLag {
                group: "g".into(),
                topic: "t".into(),
                bound: Bound {
                    at_most: Some(0),
                    at_least: None,
                    equals: None,
                },
            },
            Goal::ConsumerStatus {
                consumer: "c".into(),
                status: "crashed".into(),
            },
            Goal::ConsumerConfig {
                consumer: "c".into(),
                key: "processing.commit".into(),
                value: "after".into(),
            },
            Goal::ShareHolders {
                group: "g".into(),
                partition: "t-0".into(),
                bound: Bound {
                    at_most: None,
                    at_least: Some(5),
                    equals: None,
                },
            },
            Goal::ShareDeliveryCount {
                group: "g".into(),
                partition: "t-0".into(),
                bound: Bound {
                    at_most: None,
                    at_least: Some(2),
                    equals: None,
                },
            },
            Goal::ShareStartOffset {
                group: "g".into(),
                partition: "t-0".into(),
                bound: Bound {
                    at_most: None,
                    at_least: None,
                    equals: Some(1),
                },
            },
            Goal::ShareFinishedAhead {
                group: "g".into(),
                partition: "t-0".into(),
                bound: Bound {
                    at_most: None,
                    at_least: Some(1),
                    equals: None,
                },
            },
            Goal::ShareMembers {
                group: "g".into(),
                bound: Bound {
                    at_most: Some(6),
                    at_least: None,
                    equals: None,
                },
            },
        ];
        let nested = Goal::All(vec![
            Goal::Any(goals.clone()),
            Goal::Not(Box::new(goals[0].clone())),
        ]);
        for g in goals.iter().chain([&nested]) {
            let json = serde_json::to_string(g).expect("a goal writes");
            assert_eq!(goal(&json).as_ref(), Ok(g), "{json}");
        }
    }

    /// The messages serde's derived `Deserialize` gave for the same inputs (recorded from it).
    #[test]
    fn what_the_derive_refused_is_refused_with_its_messages() {
        let kinds = "`every_partition_owned_once`, `consumer_owns`, `consumer_partitions`, `consumer_position`, `consumer_processed`, `committed_offset`, `group_state`, `group_members`, `idle_consumers`, `topic_partitions`, `log_start_offset`, `records_in_partition`, `partition_leader`, `group_lag`, `consumer_status`, `consumer_config`, `share_holders`, `share_delivery_count`, `share_start_offset`, `share_finished_ahead`, `share_members`, `all`, `any`, `not`";
        for (json, message) in [
            (r#"{"group_members": {"group": "g", "at_leats": 3}}"#, "group_members.at_leats: unknown field `at_leats`, expected one of `group`, `at_most`, `at_least`, `equals` at line 1 column 43".to_string()),
            (r#"{"every_partition": {"group": "g"}}"#, format!("unknown variant `every_partition`, expected one of {kinds} at line 1 column 18")),
            (r#"{"group_state": {"group": "g"}}"#, "group_state: missing field `state` at line 1 column 30".to_string()),
            (r#"{"group_state": {"group": "g", "group": "h", "state": "Empty"}}"#, "group_state: duplicate field `group` at line 1 column 38".to_string()),
            (r#"{"topic_partitions": {"topic": "t", "equals": "3"}}"#, "topic_partitions.equals: invalid type: string \"3\", expected i64 at line 1 column 49".to_string()),
            (r#"{"not": {"all": [{"nope": {}}]}}"#, format!("not.all[0]: unknown variant `nope`, expected one of {kinds} at line 1 column 24")),
            (r#""all""#, "all: invalid type: unit variant, expected newtype variant".to_string()),
            (r#"{"all": {"group": "g"}}"#, "all: invalid type: map, expected a sequence at line 1 column 8".to_string()),
            (r#"{"group_state": {"group": "g", "state": "Stable"}, "x": 1}"#, "expected value at line 1 column 49".to_string()),
            (r#"{}"#, "expected value at line 1 column 2".to_string()),
            (r#"3"#, "expected value at line 1 column 1".to_string()),
        ] {
            assert_eq!(goal(json), Err(message), "{json}");
        }
    }

    #[test]
    fn a_goal_reads_from_a_list_of_its_fields_and_from_null_bounds_as_the_derive_did() {
        assert_eq!(
            goal(r#"{"group_state": ["g", "Stable"]}"#),
            Ok(Goal::GroupState {
                group: "g".into(),
                state: "Stable".into()
            })
        );
        assert_eq!(
            goal(r#"{"topic_partitions": {"topic": "t", "equals": null}}"#),
            Ok(Goal::TopicPartitions {
                topic: "t".into(),
                bound: Bound {
                    at_most: None,
                    at_least: None,
                    equals: None
                },
            })
        );
    }
}
