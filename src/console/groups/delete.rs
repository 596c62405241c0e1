//! `kafka-consumer-groups --delete` and `--delete-offsets`.

use super::super::args;
use super::super::Console;
use super::*;
use crate::engine::{
    Command, Event, OffsetDeletion, TopicPartition, GROUP_ID_NOT_FOUND, UNKNOWN_TOPIC_OR_PARTITION,
};

impl Console {
    /// The partitions `--delete-offsets` asks the coordinator about (in the order given; the
    /// coordinator sorts them and drops repeats), and the topics named
    /// without partitions that the cluster does not have (the admin client reports those
    /// itself, partition `-`, and leaves them out of the request).
    pub(super) fn delete_offsets_partitions(
        &self,
        topics: &[(String, Option<Vec<u32>>)],
    ) -> (Vec<TopicPartition>, Vec<String>) {
        let state = self.timeline.state();
        let mut partitions = Vec::new();
        let mut unknown = Vec::new();
        for (topic, parts) in topics {
            match (parts, state.topics.get(topic)) {
                (Some(ps), _) => {
                    partitions.extend(ps.iter().map(|p| TopicPartition::new(topic.clone(), *p)))
                }
                (None, Some(t)) => partitions
                    .extend((0..t.n_partitions()).map(|p| TopicPartition::new(topic.clone(), p))),
                (None, None) => unknown.push(topic.clone()),
            }
        }
        crate::sort::sort(&mut unknown);
        unknown.dedup();
        (partitions, unknown)
    }

    /// `kafka-consumer-groups --delete-offsets --group g --topic t[:0,1]…`: the outcome,
    /// then a table of every partition with its status, as `ConsumerGroupCommand` prints it.
    pub(super) fn delete_offsets(&mut self, p: &args::Parsed) -> String {
        let topics = match delete_offsets_topics(p) {
            Ok(topics) => topics,
            Err(text) => return text,
        };
        let group = p.value("group").unwrap_or_default().to_string();
        let (partitions, unknown) = self.delete_offsets_partitions(&topics);
        // Rows: (topic, partition or None for "-", the exception or None for a success).
        let mut rows: Vec<(String, Option<u32>, Option<String>)> = unknown
            .into_iter()
            .map(|t| (t, None, Some(UNKNOWN_TOPIC_OR_PARTITION.to_string())))
            .collect();
        let mut out = match self.apply_checked(Command::DeleteOffsets {
            group: group.clone(),
            partitions: partitions.clone(),
        }) {
            Ok(events) => {
                let results = events.iter().find_map(|e| match e {
                    Event::OffsetsDeleted { results, .. } => Some(results.clone()),
                    _ => None,
                });
                let results = results.unwrap_or_default();
                let failed = results.iter().any(|(_, r)| *r != OffsetDeletion::Deleted);
                rows.extend(results.into_iter().map(|(tp, r)| {
                    (
                        tp.topic,
                        Some(tp.partition),
                        r.exception().map(str::to_string),
                    )
                }));
                if failed {
                    error("Encountered some partition-level error, see the follow-up details.")
                } else {
                    format!("Request succeeded for deleting offsets from group {group}.\n")
                }
            }
            Err(rejection) if rejection.reason == GROUP_ID_NOT_FOUND => {
                let exception = format!(
                    "org.apache.kafka.common.errors.GroupIdNotFoundException: {GROUP_ID_NOT_FOUND}"
                );
                rows.extend(
                    partitions
                        .into_iter()
                        .map(|tp| (tp.topic, Some(tp.partition), Some(exception.clone()))),
                );
                error(GROUP_ID_NOT_FOUND)
            }
            Err(rejection) => return error(&rejection.reason),
        };
        // ConsumerGroupCommand sorts by the string topic + partition (-1 for a topic it
        // could not find), so orders10 comes before orders2.
        let key = |(topic, partition, _): &(String, Option<u32>, Option<String>)| {
            format!("{topic}{}", partition.map_or(-1, i64::from))
        };
        crate::sort::sort_by(&mut rows, |a, b| key(a).cmp(&key(b)));
        let width = rows
            .iter()
            .map(|(topic, _, _)| topic.chars().count())
            .max()
            .unwrap_or(0)
            .max(15);
        out.push_str(&format!(
            "\n{} {} {}",
            pad("TOPIC", width),
            pad("PARTITION", 10),
            pad("STATUS", 15)
        ));
        for (topic, partition, exception) in rows {
            let status =
                exception.map_or_else(|| "Successful".to_string(), |e| format!("Error: {e}"));
            out.push_str(&format!(
                "\n{} {} {}",
                pad(&topic, width),
                pad(
                    &partition.map_or_else(|| "-".to_string(), |n| n.to_string()),
                    10
                ),
                pad(&status, 15)
            ));
        }
        out.push('\n');
        out
    }

    pub(super) fn delete_groups(&mut self, groups: &[String]) -> String {
        let mut succeeded = Vec::new();
        let mut failed = Vec::new();
        for group in groups {
            match self.apply_checked(Command::DeleteGroup {
                group: group.clone(),
            }) {
                Ok(_) => succeeded.push(format!("'{group}'")),
                Err(reason) => failed.push(reason),
            }
        }
        if failed.is_empty() {
            return format!(
                "Deletion of requested consumer groups ({}) was successful.\n",
                succeeded.join(", ")
            );
        }
        let mut out = error("Deletion of some consumer groups failed:");
        for reason in failed {
            out.push_str(&format!("* {reason}\n"));
        }
        if !succeeded.is_empty() {
            out.push_str(&format!(
                "\nThese consumer groups were deleted successfully: {}\n",
                succeeded.join(", ")
            ));
        }
        out
    }
}
