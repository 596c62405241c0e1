//! Share group configs (`GroupConfig`, SEMANTICS-4 §C), as `kafka-configs --entity-type
//! groups` sets them: the broker's defaults (`group.share.*`), overridden per group.

use std::collections::BTreeMap;

use crate::engine::share_partition::{ShareConfig, ShareReset};

/// A group config Kafka 4.4.0 knows: its name, the broker default it falls back to (the
/// synonym `kafka-configs --describe --all` shows) and its default value.
pub struct GroupConfigDef {
    pub name: &'static str,
    pub synonym: &'static str,
    pub default: &'static str,
}

/// The group configs of Kafka 4.4.0, in the order `kafka-configs --describe --all` lists them.
pub const GROUP_CONFIGS: &[GroupConfigDef] = &[
    def(
        "consumer.assignment.interval.ms",
        "group.consumer.assignment.interval.ms",
        "1000",
    ),
    def(
        "consumer.heartbeat.interval.ms",
        "group.consumer.heartbeat.interval.ms",
        "5000",
    ),
    def(
        "consumer.session.timeout.ms",
        "group.consumer.session.timeout.ms",
        "45000",
    ),
    def(
        "errors.deadletterqueue.copy.record.enable",
        "errors.deadletterqueue.copy.record.enable",
        "false",
    ),
    def(
        "errors.deadletterqueue.topic.name",
        "errors.deadletterqueue.topic.name",
        "",
    ),
    def(
        "share.assignment.interval.ms",
        "group.share.assignment.interval.ms",
        "1000",
    ),
    def(
        "share.auto.offset.reset",
        "share.auto.offset.reset",
        "latest",
    ),
    def(
        "share.delivery.count.limit",
        "group.share.delivery.count.limit",
        "5",
    ),
    def(
        "share.heartbeat.interval.ms",
        "group.share.heartbeat.interval.ms",
        "5000",
    ),
    def(
        "share.isolation.level",
        "share.isolation.level",
        "read_uncommitted",
    ),
    def(
        "share.partition.max.record.locks",
        "group.share.partition.max.record.locks",
        "2000",
    ),
    def(
        "share.record.lock.duration.ms",
        "group.share.record.lock.duration.ms",
        "30000",
    ),
    def(
        "share.renew.acknowledge.enable",
        "share.renew.acknowledge.enable",
        "true",
    ),
    def(
        "share.session.timeout.ms",
        "group.share.session.timeout.ms",
        "45000",
    ),
    def(
        "streams.assignment.interval.ms",
        "group.streams.assignment.interval.ms",
        "1000",
    ),
    def("streams.assignor.name", "group.streams.assignors", "sticky"),
    def(
        "streams.heartbeat.interval.ms",
        "group.streams.heartbeat.interval.ms",
        "5000",
    ),
    def(
        "streams.initial.rebalance.delay.ms",
        "group.streams.initial.rebalance.delay.ms",
        "3000",
    ),
    def(
        "streams.num.standby.replicas",
        "group.streams.num.standby.replicas",
        "0",
    ),
    def(
        "streams.rack.aware.assignment.tags",
        "group.streams.rack.aware.assignment.tags",
        "",
    ),
    def(
        "streams.session.timeout.ms",
        "group.streams.session.timeout.ms",
        "45000",
    ),
];

const fn def(name: &'static str, synonym: &'static str, default: &'static str) -> GroupConfigDef {
    GroupConfigDef {
        name,
        synonym,
        default,
    }
}

pub fn group_config_def(name: &str) -> Option<&'static GroupConfigDef> {
    GROUP_CONFIGS.iter().find(|d| d.name == name)
}

/// Checks a value for a group config the simulator acts on (the others take any value Kafka
/// would take as their type; numbers must be numbers), with Kafka's message.
pub fn validate_group_config(name: &str, value: &str) -> Result<(), String> {
    let Some(def) = group_config_def(name) else {
        return Err(format!("Unknown group config name: {name}"));
    };
    let invalid = |why: &str| {
        Err(format!(
            "Invalid value {value} for configuration {name}: {why}"
        ))
    };
    match name {
        "share.auto.offset.reset" => {
            let v = value.trim().to_ascii_lowercase();
            if v == "earliest" || v == "latest" || v.starts_with("by_duration:") {
                Ok(())
            } else {
                invalid("[latest, earliest, by_duration:PnDTnHnMn.nS]")
            }
        }
        "share.isolation.level" => match value {
            "read_committed" | "read_uncommitted" => Ok(()),
            _ => invalid("String must be one of: read_committed, read_uncommitted"),
        },
        "share.renew.acknowledge.enable" | "errors.deadletterqueue.copy.record.enable" => {
            match value.to_ascii_lowercase().as_str() {
                "true" | "false" => Ok(()),
                _ => invalid("Expected value to be either true or false"),
            }
        }
        "errors.deadletterqueue.topic.name"
        | "streams.assignor.name"
        | "streams.rack.aware.assignment.tags" => Ok(()),
        _ => {
            let _ = def;
            match value.trim().parse::<i64>() {
                Ok(n) if (i64::from(i32::MIN)..=i64::from(i32::MAX)).contains(&n) => Ok(()),
                _ => invalid("Not a number of type INT"),
            }
        }
    }
}

/// The configs a share group follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareGroupConfig {
    pub auto_offset_reset: ShareReset,
    pub session_timeout_ms: i64,
    pub heartbeat_interval_ms: i64,
    pub share: ShareConfig,
}

impl ShareGroupConfig {
    pub fn from_overrides(overrides: Option<&BTreeMap<String, String>>) -> Self {
        let get = |name: &str| -> String {
            overrides
                .and_then(|o| o.get(name).cloned())
                .or_else(|| group_config_def(name).map(|d| d.default.to_string()))
                .unwrap_or_default()
        };
        let number =
            |name: &str, fallback: i64| get(name).trim().parse::<i64>().unwrap_or(fallback);
        Self {
            auto_offset_reset: if get("share.auto.offset.reset")
                .trim()
                .eq_ignore_ascii_case("earliest")
            {
                ShareReset::Earliest
            } else {
                ShareReset::Latest
            },
            session_timeout_ms: number("share.session.timeout.ms", 45_000).max(1),
            heartbeat_interval_ms: number("share.heartbeat.interval.ms", 5_000).max(1),
            share: ShareConfig {
                delivery_count_limit: number("share.delivery.count.limit", 5).clamp(1, 1_000)
                    as u32,
                record_lock_duration_ms: number("share.record.lock.duration.ms", 30_000).max(1),
                max_record_locks: number("share.partition.max.record.locks", 2_000)
                    .clamp(1, 100_000) as u32,
            },
        }
    }
}
