//! Topics: names, partitions and configs, validated with Kafka's own error texts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::log::{CleanupPolicy, LogConfig, PartitionLog};
use super::rejection::{Rejection, RejectionKind};
use super::rng::SimRng;

/// A topic: its id, its partitions' logs and its configs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    /// Kafka's topic id: 16 random bytes in URL-safe base64 without padding.
    pub id: String,
    pub partitions: Vec<PartitionLog>,
    pub config: LogConfig,
    /// The configs set explicitly (`kafka-topics --describe` lists only these), by name.
    pub overrides: BTreeMap<String, String>,
}

impl Topic {
    pub fn n_partitions(&self) -> u32 {
        self.partitions.len() as u32
    }

    pub fn partition(&self, partition: u32) -> Option<&PartitionLog> {
        self.partitions.get(partition as usize)
    }

    /// `k=v` pairs of the non-default configs, joined by commas, as `--describe` prints them.
    pub fn configs_line(&self) -> String {
        self.overrides
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The topic configs the simulator knows, in Kafka's documentation order.
pub const TOPIC_CONFIGS: [&str; 12] = [
    "cleanup.policy",
    "compression.type",
    "delete.retention.ms",
    "errors.deadletterqueue.group.enable",
    "max.message.bytes",
    "min.compaction.lag.ms",
    "min.insync.replicas",
    "retention.bytes",
    "retention.ms",
    "segment.bytes",
    "segment.ms",
    "unclean.leader.election.enable",
];

/// Checks a topic name the way Kafka's `Topic.validate` does.
pub fn validate_topic_name(name: &str) -> Result<(), Rejection> {
    let illegal = |reason: String| Err(Rejection::new(RejectionKind::Invalid, reason));
    if name.is_empty() {
        return illegal("Topic name is illegal, it can't be empty".into());
    }
    if name == "." || name == ".." {
        return illegal("Topic name cannot be \".\" or \"..\"".into());
    }
    if name.len() > 249 {
        return illegal(format!(
            "Topic name is illegal, it can't be longer than 249 characters, topic name: {name}"
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
    {
        return Err(Rejection::new(
            RejectionKind::InvalidTopic,
            format!(
                "Topic name is invalid: '{name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
            ),
        ));
    }
    Ok(())
}

/// Applies one config to a `LogConfig`, validating it as Kafka's `ConfigDef` would.
pub fn apply_topic_config(config: &mut LogConfig, key: &str, value: &str) -> Result<(), Rejection> {
    let invalid = |why: &str| {
        Rejection::new(
            RejectionKind::InvalidConfigValue,
            format!("Invalid value {value} for configuration {key}: {why}"),
        )
    };
    let long_at_least = |min: i64| -> Result<i64, Rejection> {
        let v: i64 = value
            .trim()
            .parse()
            .map_err(|_| invalid("Not a number of type LONG"))?;
        if v < min {
            return Err(invalid(&format!("Value must be at least {min}")));
        }
        Ok(v)
    };
    match key {
        "retention.ms" => config.retention_ms = long_at_least(-1)?,
        "retention.bytes" => config.retention_bytes = long_at_least(i64::MIN)?,
        "segment.bytes" => {
            let v: i32 = value
                .trim()
                .parse()
                .map_err(|_| invalid("Not a number of type INT"))?;
            if v < 14 {
                return Err(invalid("Value must be at least 14"));
            }
            config.segment_bytes = i64::from(v);
        }
        "segment.ms" => config.segment_ms = long_at_least(1)?,
        "delete.retention.ms" => config.delete_retention_ms = long_at_least(0)?,
        "min.compaction.lag.ms" => config.min_compaction_lag_ms = long_at_least(0)?,
        "cleanup.policy" => {
            config.cleanup_policy = CleanupPolicy::parse(value)
                .map_err(|_| invalid("String must be one of: compact, delete"))?;
        }
        // Validated as Kafka does and kept among the topic's configs; the simulator's
        // records are not compressed, sized or replicated, so they change nothing else.
        "compression.type" => {
            const CODECS: [&str; 6] = ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"];
            if !CODECS.contains(&value.trim()) {
                return Err(invalid(
                    "String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer",
                ));
            }
        }
        // A share group may write its dead letters here (KIP-1191); an offline partition
        // of a topic that allows it elects any live replica (the cluster reads it).
        "errors.deadletterqueue.group.enable" | "unclean.leader.election.enable" => {
            if !matches!(value.trim().to_ascii_lowercase().as_str(), "true" | "false") {
                return Err(invalid("Expected value to be either true or false"));
            }
        }
        "max.message.bytes" | "min.insync.replicas" => {
            let v: i32 = value
                .trim()
                .parse()
                .map_err(|_| invalid("Not a number of type INT"))?;
            let min = if key == "min.insync.replicas" { 1 } else { 0 };
            if v < min {
                return Err(invalid(&format!("Value must be at least {min}")));
            }
        }
        _ => return Err(unknown_config(key)),
    }
    Ok(())
}

/// The config a topic has after `set` and `delete` are applied to its overrides, or the
/// first error. Nothing changes on error.
pub fn config_with_overrides(overrides: &BTreeMap<String, String>) -> Result<LogConfig, Rejection> {
    let mut config = LogConfig::default();
    for (k, v) in overrides {
        apply_topic_config(&mut config, k, v)?;
    }
    Ok(config)
}

/// The refusal of a config name topics do not have.
pub fn unknown_config(key: &str) -> Rejection {
    Rejection::new(
        RejectionKind::UnknownConfig,
        format!("Unknown topic config name: {key}"),
    )
}

/// A fresh Kafka-style topic id.
pub fn new_topic_id(rng: &mut SimRng) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bits = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
    (0..22)
        .map(|i| ALPHABET[((bits >> (i * 6)) & 63) as usize] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_kafka_rules() {
        assert!(validate_topic_name("orders.v1_x-2").is_ok());
        assert!(validate_topic_name("").is_err());
        assert!(validate_topic_name("..").is_err());
        let refused = validate_topic_name("a b").unwrap_err();
        assert!(refused.reason.contains("ASCII alphanumerics"));
        assert_eq!(refused.kind, RejectionKind::InvalidTopic);
        assert_eq!(
            validate_topic_name("").unwrap_err().kind,
            RejectionKind::Invalid
        );
        assert!(validate_topic_name(&"x".repeat(250)).is_err());
    }

    #[test]
    fn configs_are_validated_with_kafka_messages() {
        let mut c = LogConfig::default();
        assert_eq!(
            apply_topic_config(&mut c, "retention.ms", "abc").unwrap_err(),
            Rejection::new(
                RejectionKind::InvalidConfigValue,
                "Invalid value abc for configuration retention.ms: Not a number of type LONG"
            )
        );
        assert_eq!(
            apply_topic_config(&mut c, "segment.bytes", "10").unwrap_err(),
            Rejection::new(
                RejectionKind::InvalidConfigValue,
                "Invalid value 10 for configuration segment.bytes: Value must be at least 14"
            )
        );
        assert_eq!(
            apply_topic_config(&mut c, "foo", "1").unwrap_err(),
            Rejection::new(
                RejectionKind::UnknownConfig,
                "Unknown topic config name: foo"
            )
        );
        apply_topic_config(&mut c, "cleanup.policy", "delete,compact").unwrap();
        assert_eq!(c.cleanup_policy, CleanupPolicy::CompactDelete);
        apply_topic_config(&mut c, "retention.ms", "60000").unwrap();
        assert_eq!(c.retention_ms, 60_000);
    }

    #[test]
    fn topic_ids_look_like_kafkas() {
        let mut rng = SimRng::new(5);
        let id = new_topic_id(&mut rng);
        assert_eq!(id.len(), 22);
        assert_ne!(id, new_topic_id(&mut rng));
    }
}
