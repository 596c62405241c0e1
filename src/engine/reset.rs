//! The rules of `kafka-consumer-groups --reset-offsets` (GroupOffsetsResetter and the
//! coordinator): which partitions a reset touches, and when it is refused. The engine's
//! `ResetOffsets` command and the console's tool both ask [`Engine::check_reset`]; the
//! console only formats the refusal as the tool prints it.

use std::fmt;

use super::{Engine, ResetScope, ResetSpec, TopicPartition};

/// Why a reset is refused; `Display` is Kafka's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetRefusal {
    /// Only an inactive group (Empty or Dead) can be reset.
    GroupActive { group: String, state: &'static str },
    /// A `--topic` the cluster does not have.
    UnknownTopic,
    /// `--topic t:N` partitions the topic does not have, in the order named.
    MissingPartitions(Vec<TopicPartition>),
    /// `--shift-by` of a partition without a committed offset.
    NothingToShift(TopicPartition),
}

impl fmt::Display for ResetRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResetRefusal::GroupActive { group, state } => write!(
                f,
                "Assignments can only be reset if the group '{group}' is inactive, but the current state is {state}."
            ),
            ResetRefusal::UnknownTopic => {
                f.write_str("This server does not host this topic-partition.")
            }
            ResetRefusal::MissingPartitions(list) => {
                let names: Vec<String> = list.iter().map(ToString::to_string).collect();
                write!(f, "The partitions \"{}\" do not exist", names.join(","))
            }
            ResetRefusal::NothingToShift(tp) => write!(
                f,
                "Cannot shift offset for partition {tp} since there is no current committed offset"
            ),
        }
    }
}

impl Engine {
    /// The partitions a reset of `group_id` touches (sorted, no repeats), or why Kafka
    /// refuses it: an active group, an unknown topic, missing partitions, a shift of a
    /// partition without a committed offset (checked in that order, as the tool does).
    pub fn check_reset(
        &self,
        group_id: &str,
        scope: &ResetScope,
        spec: ResetSpec,
    ) -> Result<Vec<TopicPartition>, ResetRefusal> {
        let group = self.groups.get(group_id);
        if let Some(g) = group.filter(|g| !g.is_inactive()) {
            return Err(ResetRefusal::GroupActive {
                group: group_id.to_string(),
                state: g.state_name(),
            });
        }
        let mut partitions: Vec<TopicPartition> = match scope {
            ResetScope::AllTopics => group
                .map(|g| g.committed.keys().cloned().collect())
                .unwrap_or_default(),
            ResetScope::Topics(list) => {
                let mut out = Vec::new();
                for (topic, parts) in list {
                    let Some(t) = self.topics.get(topic) else {
                        return Err(ResetRefusal::UnknownTopic);
                    };
                    match parts {
                        Some(ps) => {
                            out.extend(ps.iter().map(|p| TopicPartition::new(topic.clone(), *p)))
                        }
                        None => out.extend(
                            (0..t.n_partitions()).map(|p| TopicPartition::new(topic.clone(), p)),
                        ),
                    }
                }
                out
            }
        };
        let missing: Vec<TopicPartition> = partitions
            .iter()
            .filter(|tp| self.partition_log(tp).is_none())
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(ResetRefusal::MissingPartitions(missing));
        }
        if matches!(spec, ResetSpec::ShiftBy(_)) {
            if let Some(tp) = partitions
                .iter()
                .find(|tp| group.and_then(|g| g.committed.get(*tp)).is_none())
            {
                return Err(ResetRefusal::NothingToShift(tp.clone()));
            }
        }
        crate::sort::sort(&mut partitions);
        partitions.dedup();
        Ok(partitions)
    }
}
