//! Small value types shared by every part of the engine.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A partition of a topic, ordered by topic name then partition number (Kafka's
/// `TopicPartition`); printed `orders-2` as Kafka does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: u32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: u32) -> Self {
        Self {
            topic: topic.into(),
            partition,
        }
    }
}

impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// One record in a partition's log. Offsets never change, even after compaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub offset: i64,
    /// CreateTime, in simulated milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// `None` is a null key; `Some("")` is an empty key, which is a key.
    pub key: Option<Arc<str>>,
    /// `None` is a null value: a tombstone on a compacted topic.
    pub value: Option<Arc<str>>,
    pub headers: Vec<(Arc<str>, Arc<str>)>,
    /// Estimated size on disk, see [`record_size_bytes`].
    pub size_bytes: u32,
    /// Why the record sits on its partition, as decided when it was produced.
    #[serde(default)]
    pub placement: Placement,
}

/// How the producer chose a record's partition, kept with the record because the facts it
/// depended on (the partition count, the producer's sticky choice) change later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// The producer named the partition (`--partition`).
    Explicit,
    /// murmur2 of the key, modulo the topic's partition count at that moment.
    Keyed { n_partitions: u32 },
    /// No key: the sticky partitioner's current partition (Kafka ≥ 3.3).
    KeylessSticky,
    /// No key: the next partition in turn (Kafka < 2.4).
    KeylessRoundRobin,
    /// Appended by `records fill`, which writes to every partition alike.
    #[default]
    Synthetic,
}

/// The estimated size of a record in a v2 record batch, in bytes.
///
/// Kafka's exact size depends on varint widths and batching; the simulator uses a fixed
/// per-record overhead of 70 bytes (a one-record batch header is 61 bytes plus about 9 of
/// record framing) plus the UTF-8 lengths of key, value and every header key and value.
/// Retention by size and `segment.bytes` compare against this estimate.
pub fn record_size_bytes(
    key: Option<&str>,
    value: Option<&str>,
    headers: &[(Arc<str>, Arc<str>)],
) -> u32 {
    const OVERHEAD_BYTES: usize = 70;
    let body = key.map_or(0, str::len)
        + value.map_or(0, str::len)
        + headers
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>();
    u32::try_from(OVERHEAD_BYTES + body).unwrap_or(u32::MAX)
}
