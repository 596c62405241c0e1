//! Leader elections asked for (`kafka-leader-election`) and the controller's automatic
//! preferred election (`auto.leader.rebalance.enable`), SEMANTICS-4 §A.6 and §A.11.

use serde::{Deserialize, Serialize};

use super::{leader_event, replication_config_for};
use crate::engine::event::Event;
use crate::engine::rejection::{Rejection, RejectionKind};
use crate::engine::replication::ElectionError;
use crate::engine::types::TopicPartition;
use crate::engine::{Engine, Outcome};

/// `--election-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectionType {
    Preferred,
    Unclean,
}

impl ElectionType {
    /// As the tool prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            ElectionType::Preferred => "PREFERRED",
            ElectionType::Unclean => "UNCLEAN",
        }
    }
}

/// What an election did for one partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectionResult {
    /// The leader moved.
    Elected,
    /// A valid leader was already there (`ELECTION_NOT_NEEDED`).
    NotNeeded,
    /// Kafka's exception, as the tool prints it.
    Failed(String),
}

impl Engine {
    /// `kafka-leader-election`: on `partitions`, or on every partition (`None`), where
    /// `--all-topic-partitions` leaves out those that need nothing.
    pub(crate) fn elect_leaders(
        &mut self,
        election: ElectionType,
        partitions: Option<&[TopicPartition]>,
    ) -> Outcome {
        let now_ms = self.now_ms();
        self.cluster_mut();
        let Some(cluster) = self.cluster.as_mut() else {
            return Err(Rejection::new(RejectionKind::Invalid, "no cluster"));
        };
        let live = cluster.live();
        let asked: Vec<TopicPartition> = match partitions {
            Some(list) => list.to_vec(),
            None => cluster
                .partitions
                .iter()
                .flat_map(|(t, parts)| {
                    (0..parts.len()).map(move |p| TopicPartition::new(t.clone(), p as u32))
                })
                .collect(),
        };
        let mut results = Vec::new();
        let mut events = Vec::new();
        for tp in asked {
            let config = replication_config_for(&cluster.config, self.topics.get(&tp.topic));
            let Some(rp) = cluster
                .partitions
                .get_mut(&tp.topic)
                .and_then(|parts| parts.get_mut(tp.partition as usize))
            else {
                results.push((
                    tp,
                    ElectionResult::Failed(
                        "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.".into(),
                    ),
                ));
                continue;
            };
            let outcome = match election {
                ElectionType::Preferred => rp.replication.elect_preferred(&live, &config, now_ms),
                ElectionType::Unclean => rp.replication.elect_unclean(&live, &config, now_ms),
            };
            let result = match outcome {
                Ok(true) => {
                    events.push(leader_event(tp.clone(), &rp.replication));
                    ElectionResult::Elected
                }
                Ok(false) => ElectionResult::NotNeeded,
                Err(ElectionError::PreferredLeaderNotAvailable) => ElectionResult::Failed(
                    "org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: The preferred leader was not available.".into(),
                ),
                Err(ElectionError::EligibleLeadersNotAvailable) => ElectionResult::Failed(
                    "org.apache.kafka.common.errors.EligibleLeadersNotAvailableException: Eligible topic partition leaders are not available.".into(),
                ),
            };
            if partitions.is_some() || result != ElectionResult::NotNeeded {
                results.push((tp, result));
            }
        }
        events.push(Event::LeadersElected { election, results });
        events.extend(self.sync_logs());
        Ok(events)
    }

    /// The automatic preferred election: every partition not led by its first replica moves
    /// there when that replica is alive and in sync (at most 1000 a pass).
    pub(crate) fn rebalance_leaders(&mut self) -> Vec<Event> {
        let now_ms = self.now_ms();
        let Some(cluster) = self.cluster.as_mut() else {
            return Vec::new();
        };
        let live = cluster.live();
        let mut events = Vec::new();
        let mut moved = 0;
        for (topic, parts) in &mut cluster.partitions {
            let config = replication_config_for(&cluster.config, self.topics.get(topic));
            for (p, rp) in parts.iter_mut().enumerate() {
                if moved >= 1000
                    || rp.replication.leader == rp.replication.replicas.first().copied()
                {
                    continue;
                }
                if rp.replication.elect_preferred(&live, &config, now_ms) == Ok(true) {
                    moved += 1;
                    events.push(leader_event(
                        TopicPartition::new(topic.clone(), p as u32),
                        &rp.replication,
                    ));
                }
            }
        }
        events
    }
}
