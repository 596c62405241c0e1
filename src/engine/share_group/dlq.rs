//! The share groups' dead-letter queue (KIP-1191, in Kafka 4.4.0): with the group config
//! `errors.deadletterqueue.topic.name` set, a record archived because the application
//! rejected it, or because it used its last delivery, is also written to that topic, when the
//! topic exists, its name starts with the broker's `errors.deadletterqueue.topic.name.prefix`
//! (`dlq.`) and it has the topic config `errors.deadletterqueue.group.enable=true`. The copy
//! has a null key and value (the record itself with `errors.deadletterqueue.copy.record.enable`)
//! and headers naming where it came from and why, as the 4.4.0 broker writes them. Otherwise
//! the record is archived all the same.

use std::sync::Arc;

use super::coordinator::share;
use super::event::ShareEvent;
use crate::engine::types::{record_size_bytes, Placement, Record};
use crate::engine::{limits, Engine, Event, TopicPartition};

/// The broker's `errors.deadletterqueue.topic.name.prefix` (its default).
pub const DLQ_TOPIC_PREFIX: &str = "dlq.";

/// Why a record was archived, as the DLQ's `__dlq.errors.message` header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveCause {
    Rejected,
    DeliveryLimit,
}

impl ArchiveCause {
    fn message(self) -> &'static str {
        match self {
            ArchiveCause::Rejected => "Offset rejected by client.",
            ArchiveCause::DeliveryLimit => "Offset delivery count exceeded the threshold.",
        }
    }
}

impl Engine {
    /// Writes archived records of `source` to the group's DLQ topic, if it has a usable one.
    pub(super) fn dead_letter(
        &mut self,
        group: &str,
        source: &TopicPartition,
        archived: &[(i64, u32, ArchiveCause)],
    ) -> Vec<Event> {
        let overrides = self.share.configs.get(group);
        let get = |name: &str| overrides.and_then(|o| o.get(name)).cloned();
        let Some(dlq) = get("errors.deadletterqueue.topic.name").filter(|t| !t.is_empty()) else {
            return Vec::new();
        };
        let copy = get("errors.deadletterqueue.copy.record.enable")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let usable = dlq.starts_with(DLQ_TOPIC_PREFIX)
            && self.topics.get(&dlq).is_some_and(|t| {
                t.overrides
                    .get("errors.deadletterqueue.group.enable")
                    .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            });
        if !usable {
            return Vec::new();
        }
        let now_ms = self.now_ms();
        let mut events = Vec::new();
        for &(offset, delivery_count, cause) in archived {
            if self.records_total() >= limits::MAX_RECORDS_TOTAL {
                break;
            }
            let (key, value) = if copy {
                self.partition_log(source)
                    .and_then(|log| log.read(offset, 1).ok())
                    .and_then(|r| r.first().map(|r| (r.key.clone(), r.value.clone())))
                    .unwrap_or((None, None))
            } else {
                (None, None)
            };
            let headers: Vec<(Arc<str>, Arc<str>)> = [
                ("__dlq.errors.topic", source.topic.clone()),
                ("__dlq.errors.partition", source.partition.to_string()),
                ("__dlq.errors.offset", offset.to_string()),
                ("__dlq.errors.group", group.to_string()),
                ("__dlq.errors.delivery.count", delivery_count.to_string()),
                ("__dlq.errors.message", cause.message().to_string()),
            ]
            .into_iter()
            .map(|(k, v)| (Arc::from(k), Arc::from(v.as_str())))
            .collect();
            let Some(topic) = self.topics.get_mut(&dlq) else {
                break;
            };
            // The simulator writes to the partition of the source's number, modulo the DLQ's.
            let partition = source.partition % topic.n_partitions().max(1);
            let config = topic.config.clone();
            let size_bytes = record_size_bytes(key.as_deref(), value.as_deref(), &headers);
            let Some(log) = topic.partitions.get_mut(partition as usize) else {
                break;
            };
            let record = Record {
                offset: 0,
                timestamp_ms: now_ms,
                key,
                value,
                headers,
                size_bytes,
                placement: Placement::Explicit,
            };
            let dlq_offset = log.append(record, now_ms, &config);
            events.push(share(ShareEvent::DeadLettered {
                group: group.to_string(),
                source: source.clone(),
                offset,
                dlq: TopicPartition::new(&dlq, partition),
                dlq_offset,
            }));
        }
        events
    }
}
