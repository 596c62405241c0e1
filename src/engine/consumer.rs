//! Consumers: their configs, positions, fetched-but-unprocessed records, and the
//! client side of the group protocol (heartbeats, rejoin, revoke).

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::assign::Strategy;
use super::group::Ownership;
use super::types::TopicPartition;

/// `auto.offset.reset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OffsetReset {
    Earliest,
    Latest,
    None,
}

impl OffsetReset {
    pub fn as_str(self) -> &'static str {
        match self {
            OffsetReset::Earliest => "earliest",
            OffsetReset::Latest => "latest",
            OffsetReset::None => "none",
        }
    }
}

/// When the application commits, besides auto-commit (simulator setting `processing.commit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitMode {
    /// Only auto-commit (if enabled) and explicit commits.
    Never,
    /// `commitSync()` right after each poll, before processing: at-most-once.
    BeforeProcessing,
    /// `commitSync()` after each poll's records are processed: at-least-once.
    AfterProcessing,
}

impl CommitMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CommitMode::Never => "none",
            CommitMode::BeforeProcessing => "before",
            CommitMode::AfterProcessing => "after",
        }
    }
}

/// A consumer's configs, Kafka's defaults unless noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerConfig {
    pub max_poll_records: u32,
    pub enable_auto_commit: bool,
    pub auto_commit_interval_ms: i64,
    pub session_timeout_ms: i64,
    pub heartbeat_interval_ms: i64,
    pub max_poll_interval_ms: i64,
    pub metadata_max_age_ms: i64,
    pub auto_offset_reset: OffsetReset,
    /// `partition.assignment.strategy`, most preferred first.
    pub assignors: Vec<Strategy>,
    pub group_instance_id: Option<String>,
    /// Simulator: records the application processes per simulated second, in thousandths.
    pub processing_millirecords_per_second: u64,
    /// Simulator: when the application commits.
    pub commit_mode: CommitMode,
    /// `isolation.level`.
    #[serde(default)]
    pub isolation_level: super::txn::IsolationLevel,
    /// `group.protocol`: the classic protocol (the default) or KIP-848's consumer protocol.
    #[serde(default, skip_serializing_if = "GroupProtocol::is_classic")]
    pub group_protocol: GroupProtocol,
    /// `group.remote.assignor`: the server-side assignor a consumer-protocol member asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_assignor: Option<String>,
    /// The protocol-specific configs set explicitly, in the order Kafka checks them: the
    /// client refuses those of the other protocol when it is constructed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protocol_specific_set: Vec<String>,
}

/// `group.protocol`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupProtocol {
    #[default]
    Classic,
    Consumer,
}

impl GroupProtocol {
    pub fn is_classic(&self) -> bool {
        *self == GroupProtocol::Classic
    }

    /// The name Kafka's `ConfigException` prints (`GroupProtocol.name()`).
    pub fn name(self) -> &'static str {
        match self {
            GroupProtocol::Classic => "CLASSIC",
            GroupProtocol::Consumer => "CONSUMER",
        }
    }
}

/// Configs the consumer protocol refuses, in `CONSUMER_PROTOCOL_UNSUPPORTED_CONFIGS` order.
const CONSUMER_PROTOCOL_UNSUPPORTED: [&str; 3] = [
    "partition.assignment.strategy",
    "heartbeat.interval.ms",
    "session.timeout.ms",
];
/// Configs the classic protocol refuses (`CLASSIC_PROTOCOL_UNSUPPORTED_CONFIGS`).
const CLASSIC_PROTOCOL_UNSUPPORTED: [&str; 1] = ["group.remote.assignor"];

impl Default for ConsumerConfig {
    fn default() -> Self {
        Self {
            max_poll_records: 500,
            enable_auto_commit: true,
            auto_commit_interval_ms: 5_000,
            session_timeout_ms: 45_000,
            heartbeat_interval_ms: 3_000,
            max_poll_interval_ms: 300_000,
            metadata_max_age_ms: 300_000,
            auto_offset_reset: OffsetReset::Latest,
            assignors: vec![Strategy::Range, Strategy::CooperativeSticky],
            group_instance_id: None,
            processing_millirecords_per_second: 20_000,
            commit_mode: CommitMode::Never,
            isolation_level: super::txn::IsolationLevel::ReadUncommitted,
            group_protocol: GroupProtocol::Classic,
            remote_assignor: None,
            protocol_specific_set: Vec::new(),
        }
    }
}

/// The consumer config keys the simulator understands, for help and completion.
pub const CONSUMER_CONFIGS: [&str; 16] = [
    "auto.commit.interval.ms",
    "auto.offset.reset",
    "enable.auto.commit",
    "group.instance.id",
    "group.protocol",
    "group.remote.assignor",
    "heartbeat.interval.ms",
    "isolation.level",
    "max.poll.interval.ms",
    "max.poll.records",
    "metadata.max.age.ms",
    "partition.assignment.strategy",
    "processing.commit",
    "processing.rate",
    "session.timeout.ms",
    "client.id",
];

/// Configs a consumer takes only when it is constructed (`consumer start --config`), not
/// from `consumer set`: in the simulator `client.id` is the consumer's name.
pub const CONSTRUCTION_ONLY_CONFIGS: [&str; 1] = ["client.id"];

/// Why `client.id` cannot be set on an existing consumer.
pub const CLIENT_ID_IS_THE_NAME: &str = "client.id is set when a consumer is constructed: it is the name given to consumer start, and cannot change afterwards.";

impl ConsumerConfig {
    /// The rebalance protocol: COOPERATIVE only if every configured assignor supports it
    /// (ConsumerCoordinator's constructor), else EAGER.
    pub fn is_cooperative(&self) -> bool {
        !self.assignors.is_empty() && self.assignors.iter().all(|s| s.is_cooperative())
    }

    /// The consumer protocol is chosen.
    pub fn uses_consumer_protocol(&self) -> bool {
        self.group_protocol == GroupProtocol::Consumer
    }

    /// `ConsumerConfig.checkUnsupportedConfigsPostProcess`: the configs of the other protocol
    /// that were set, refused all together as the 4.4.0 client refuses them when it is made.
    pub fn check_group_protocol(&self) -> Result<(), String> {
        let unsupported: &[&str] = match self.group_protocol {
            GroupProtocol::Classic => &CLASSIC_PROTOCOL_UNSUPPORTED,
            GroupProtocol::Consumer => &CONSUMER_PROTOCOL_UNSUPPORTED,
        };
        let invalid: Vec<&str> = unsupported
            .iter()
            .copied()
            .filter(|k| self.protocol_specific_set.iter().any(|s| s == k))
            .collect();
        if invalid.is_empty() {
            return Ok(());
        }
        Err(format!(
            "{} cannot be set when group.protocol={}",
            invalid.join(", "),
            self.group_protocol.name()
        ))
    }

    /// Sets one config, with Kafka's `ConfigException` text on a bad value. All or
    /// nothing: the value is validated, with the configs it must agree with, before it
    /// changes anything.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let mut next = self.clone();
        next.assign(key, value)?;
        *self = next;
        Ok(())
    }

    /// Writes one config into `self`, then checks the whole; `self` may be half changed
    /// on an error, so [`Self::set`] works on a copy.
    fn assign(&mut self, key: &str, value: &str) -> Result<(), String> {
        let invalid = |why: &str| format!("Invalid value {value} for configuration {key}: {why}");
        let int = |min: i64| -> Result<i64, String> {
            let v: i64 = value
                .trim()
                .parse()
                .map_err(|_| invalid("Not a number of type INT"))?;
            if v < min {
                return Err(invalid(&format!("Value must be at least {min}")));
            }
            Ok(v)
        };
        let boolean = || match value.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(invalid("Expected value to be either true or false")),
        };
        match key {
            "max.poll.records" => self.max_poll_records = int(1)?.min(i64::from(i32::MAX)) as u32,
            "enable.auto.commit" => self.enable_auto_commit = boolean()?,
            "auto.commit.interval.ms" => self.auto_commit_interval_ms = int(0)?,
            "session.timeout.ms" => self.session_timeout_ms = int(1)?,
            "heartbeat.interval.ms" => self.heartbeat_interval_ms = int(1)?,
            "max.poll.interval.ms" => self.max_poll_interval_ms = int(1)?,
            "metadata.max.age.ms" => self.metadata_max_age_ms = int(0)?,
            "auto.offset.reset" => {
                self.auto_offset_reset = match value.trim() {
                    "earliest" => OffsetReset::Earliest,
                    "latest" => OffsetReset::Latest,
                    "none" => OffsetReset::None,
                    _ => return Err(invalid("String must be one of: latest, earliest, none")),
                }
            }
            "partition.assignment.strategy" => {
                let mut list = Vec::new();
                for name in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let strategy = Strategy::parse(name).ok_or_else(|| {
                        format!("Invalid value {name} for configuration {key}: Class {name} could not be found.")
                    })?;
                    if !list.contains(&strategy) {
                        list.push(strategy);
                    }
                }
                if list.is_empty() {
                    return Err(invalid("Empty list"));
                }
                self.assignors = list;
            }
            "isolation.level" => {
                self.isolation_level =
                    super::txn::IsolationLevel::parse(value).ok_or_else(|| {
                        invalid("String must be one of: read_committed, read_uncommitted")
                    })?
            }
            "group.instance.id" => {
                let v = value.trim();
                self.group_instance_id = (!v.is_empty()).then(|| v.to_string());
            }
            "processing.rate" => {
                let rate = parse_thousandths(value)
                    .filter(|r| {
                        (1..=super::limits::MAX_PROCESSING_MILLIRECORDS_PER_SECOND).contains(r)
                    })
                    .ok_or_else(|| {
                        invalid("a rate in records per second above 0 and at most 1,000,000, such as 20 or 0.5")
                    })?;
                self.processing_millirecords_per_second = rate;
            }
            "processing.commit" => {
                self.commit_mode = match value.trim() {
                    "none" => CommitMode::Never,
                    "before" => CommitMode::BeforeProcessing,
                    "after" => CommitMode::AfterProcessing,
                    _ => return Err(invalid("String must be one of: none, before, after")),
                }
            }
            "group.protocol" => {
                self.group_protocol = match value.trim().to_ascii_lowercase().as_str() {
                    "classic" => GroupProtocol::Classic,
                    "consumer" => GroupProtocol::Consumer,
                    _ => {
                        return Err(invalid(
                            "String must be one of (case insensitive): CONSUMER, CLASSIC",
                        ))
                    }
                }
            }
            "group.remote.assignor" => {
                let v = value.trim();
                self.remote_assignor = (!v.is_empty()).then(|| v.to_string());
            }
            "client.id" => return Err(CLIENT_ID_IS_THE_NAME.to_string()),
            _ => return Err(format!("Unknown consumer config: {key}")),
        }
        let protocol_specific = CONSUMER_PROTOCOL_UNSUPPORTED
            .iter()
            .chain(CLASSIC_PROTOCOL_UNSUPPORTED.iter())
            .any(|k| *k == key);
        if protocol_specific && !self.protocol_specific_set.iter().any(|k| k == key) {
            self.protocol_specific_set.push(key.to_string());
        }
        if self.heartbeat_interval_ms >= self.session_timeout_ms {
            // Kafka's check in GroupRebalanceConfig.
            let msg = "heartbeat.interval.ms must be set lower than session.timeout.ms".to_string();
            return Err(msg);
        }
        Ok(())
    }

    /// The value of a config as text (for `describe` and the inspector).
    pub fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "max.poll.records" => self.max_poll_records.to_string(),
            "enable.auto.commit" => self.enable_auto_commit.to_string(),
            "auto.commit.interval.ms" => self.auto_commit_interval_ms.to_string(),
            "session.timeout.ms" => self.session_timeout_ms.to_string(),
            "heartbeat.interval.ms" => self.heartbeat_interval_ms.to_string(),
            "max.poll.interval.ms" => self.max_poll_interval_ms.to_string(),
            "metadata.max.age.ms" => self.metadata_max_age_ms.to_string(),
            "auto.offset.reset" => self.auto_offset_reset.as_str().to_string(),
            "partition.assignment.strategy" => self
                .assignors
                .iter()
                .map(|s| s.name())
                .collect::<Vec<_>>()
                .join(","),
            "group.instance.id" => self.group_instance_id.clone().unwrap_or_default(),
            "processing.rate" => format_thousandths(self.processing_millirecords_per_second),
            "processing.commit" => self.commit_mode.as_str().to_string(),
            "isolation.level" => self.isolation_level.as_str().to_string(),
            "group.protocol" => match self.group_protocol {
                GroupProtocol::Classic => "classic".to_string(),
                GroupProtocol::Consumer => "consumer".to_string(),
            },
            "group.remote.assignor" => self.remote_assignor.clone().unwrap_or_default(),
            _ => return None,
        })
    }
}

/// Parses a decimal such as `20`, `0.5` or `2.125` into thousandths.
pub fn parse_thousandths(text: &str) -> Option<u64> {
    let text = text.trim();
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && frac.is_empty() || frac.len() > 3 {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac_digits: u64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    let frac_thousandths = frac_digits * 10u64.pow(3 - frac.len() as u32);
    whole.checked_mul(1000)?.checked_add(frac_thousandths)
}

/// Formats thousandths as a short decimal: 20000 → `20`, 500 → `0.5`.
pub fn format_thousandths(value: u64) -> String {
    let whole = value / 1000;
    let frac = value % 1000;
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// Whether a consumer's process is running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumerStatus {
    Running,
    Stopped,
    Crashed,
    /// Stopped with an exception (e.g. `NoOffsetForPartitionException`).
    Failed(String),
}

/// A consumer's membership of its group under the classic protocol, from the client's
/// side (`AbstractCoordinator`'s `MemberState` with its `Generation`). Each state holds
/// only what is valid in it: a member id comes with the states that have one, and a
/// generation only with a member id, so "a generation without a member id" or "syncing
/// without the generation the JoinGroup response gave" cannot be written. KIP-848's consumer
/// protocol (member epochs, reconciliation; SEMANTICS-4 §B) and share groups (§C) are
/// other protocols: they get sibling enums, chosen by the consumer's `group.protocol`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassicMembership {
    /// Not in a group: a standalone reader, a subscriber that has not joined yet, or one
    /// that forgot its membership (after close, or when the coordinator no longer knew
    /// it). A subscriber in this state joins at its next poll.
    Unjoined,
    /// A static member that gave up on `max.poll.interval.ms` without LeaveGroup: the
    /// coordinator keeps its membership until its session expires, and it rejoins under
    /// the same member id at its next poll.
    Lapsed { member_id: String },
    /// JoinGroup sent, waiting for the join phase to complete. `generation` is that of
    /// the assignment it still holds (what its JoinGroup reports owning), if it had one.
    Joining {
        member_id: String,
        generation: Option<i32>,
        rejoin_needed: bool,
    },
    /// JoinGroup answered with `generation`, waiting for SyncGroup.
    Syncing {
        member_id: String,
        generation: i32,
        rejoin_needed: bool,
    },
    /// Has its assignment for `generation`.
    Stable {
        member_id: String,
        generation: i32,
        rejoin_needed: bool,
    },
}

impl ClassicMembership {
    /// The member id the coordinator gave it, while it has one.
    pub fn member_id(&self) -> Option<&str> {
        match self {
            Self::Unjoined => None,
            Self::Lapsed { member_id }
            | Self::Joining { member_id, .. }
            | Self::Syncing { member_id, .. }
            | Self::Stable { member_id, .. } => Some(member_id),
        }
    }

    /// The generation it belongs to, if a JoinGroup response gave it one.
    pub fn generation(&self) -> Option<i32> {
        match self {
            Self::Unjoined | Self::Lapsed { .. } => None,
            Self::Joining { generation, .. } => *generation,
            Self::Syncing { generation, .. } | Self::Stable { generation, .. } => Some(*generation),
        }
    }

    /// Whether its next poll (re)joins the group: always when it is not in one.
    pub fn rejoin_needed(&self) -> bool {
        match self {
            Self::Unjoined | Self::Lapsed { .. } => true,
            Self::Joining { rejoin_needed, .. }
            | Self::Syncing { rejoin_needed, .. }
            | Self::Stable { rejoin_needed, .. } => *rejoin_needed,
        }
    }

    /// Asks for a rejoin at the next poll (a rebalance seen in a heartbeat, new metadata,
    /// a new assignor list).
    pub fn request_rejoin(&mut self) {
        self.set_rejoin_needed(true);
    }

    /// Forgets a requested rejoin: the poll is joining now (`onJoinPrepare`).
    pub fn clear_rejoin(&mut self) {
        self.set_rejoin_needed(false);
    }

    fn set_rejoin_needed(&mut self, value: bool) {
        match self {
            Self::Unjoined | Self::Lapsed { .. } => {}
            Self::Joining { rejoin_needed, .. }
            | Self::Syncing { rejoin_needed, .. }
            | Self::Stable { rejoin_needed, .. } => *rejoin_needed = value,
        }
    }

    /// Waiting for the join or the sync to complete.
    pub fn is_rebalancing(&self) -> bool {
        matches!(self, Self::Joining { .. } | Self::Syncing { .. })
    }

    /// In a generation with its assignment, no rejoin pending.
    pub fn is_settled(&self) -> bool {
        matches!(
            self,
            Self::Stable {
                rejoin_needed: false,
                ..
            }
        )
    }
}

/// Records a poll returned that the application has not processed yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchedRange {
    pub partition: TopicPartition,
    /// Offsets still to process, in order (compaction can leave gaps between them).
    pub offsets: VecDeque<i64>,
}

/// One consumer process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumer {
    pub client_id: String,
    pub group: Option<String>,
    /// Subscribed topics (group mode).
    pub topics: Vec<String>,
    /// Manually assigned partitions (standalone mode).
    pub manual: Vec<TopicPartition>,
    pub config: ConsumerConfig,
    pub status: ConsumerStatus,
    /// Its membership of `group` (classic protocol); `Unjoined` for a standalone reader.
    pub membership: ClassicMembership,
    /// Partitions it owns now, sorted.
    pub assignment: Vec<TopicPartition>,
    /// The last assignment and its generation (the eager sticky assignor's `userData`):
    /// kept when the membership is forgotten, as the assignor instance keeps it.
    pub last_assignment: Option<Ownership>,
    /// Fetch position per owned partition: the next offset a poll returns.
    pub positions: BTreeMap<TopicPartition, i64>,
    /// Next offset the application will process, per partition it has fetched from.
    pub processed: BTreeMap<TopicPartition, i64>,
    pub in_flight: VecDeque<FetchedRange>,
    /// Processing credit, in thousandths of a record.
    pub credit_millirecords: u64,
    pub paused: bool,
    pub last_poll_tick: u64,
    pub last_heartbeat_tick: u64,
    pub last_auto_commit_tick: u64,
    /// When it last refreshed its metadata; `None` until its first poll.
    pub last_metadata_tick: Option<u64>,
    /// Where the next poll starts, so partitions take turns.
    pub fetch_cursor: usize,
    pub records_processed: u64,
    /// The order in which it was first started among all consumers (kept across restarts
    /// and removals of others), so the diagram's colour for it never changes.
    #[serde(default)]
    pub started_rank: u64,
    /// Its membership of `group` under the consumer protocol (KIP-848), once it has sent a
    /// ConsumerGroupHeartbeat; `None` for a classic consumer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modern: Option<super::modern::ModernClient>,
    /// Where it believes its group's coordinator is (FindCoordinator's answer).
    #[serde(default)]
    pub coordinator: super::cluster::CoordinatorView,
}

impl Consumer {
    pub fn new(
        client_id: String,
        group: Option<String>,
        topics: Vec<String>,
        manual: Vec<TopicPartition>,
        config: ConsumerConfig,
        now_tick: u64,
    ) -> Self {
        Self {
            client_id,
            group,
            topics,
            manual,
            config,
            status: ConsumerStatus::Running,
            membership: ClassicMembership::Unjoined,
            assignment: Vec::new(),
            last_assignment: None,
            positions: BTreeMap::new(),
            processed: BTreeMap::new(),
            in_flight: VecDeque::new(),
            credit_millirecords: 0,
            paused: false,
            last_poll_tick: now_tick,
            last_heartbeat_tick: now_tick,
            last_auto_commit_tick: now_tick,
            last_metadata_tick: None,
            fetch_cursor: 0,
            records_processed: 0,
            started_rank: 0,
            modern: None,
            coordinator: super::cluster::CoordinatorView::default(),
        }
    }

    /// A group member (subscribe) rather than a standalone reader (assign).
    pub fn is_subscriber(&self) -> bool {
        self.group.is_some() && !self.topics.is_empty()
    }

    pub fn is_running(&self) -> bool {
        self.status == ConsumerStatus::Running
    }

    /// Records fetched and not yet processed.
    pub fn in_flight_records(&self) -> u64 {
        self.in_flight.iter().map(|r| r.offsets.len() as u64).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousandths_round_trip() {
        assert_eq!(parse_thousandths("20"), Some(20_000));
        assert_eq!(parse_thousandths("0.5"), Some(500));
        assert_eq!(parse_thousandths(".25"), Some(250));
        assert_eq!(parse_thousandths("1.2345"), None);
        assert_eq!(parse_thousandths("x"), None);
        assert_eq!(parse_thousandths(""), None);
        assert_eq!(format_thousandths(20_000), "20");
        assert_eq!(format_thousandths(500), "0.5");
        assert_eq!(format_thousandths(2_125), "2.125");
    }

    #[test]
    fn default_assignors_mean_eager_range() {
        let c = ConsumerConfig::default();
        assert!(!c.is_cooperative());
        assert_eq!(c.assignors[0], Strategy::Range);
        let mut c = c;
        c.set("partition.assignment.strategy", "cooperative-sticky")
            .unwrap();
        assert!(c.is_cooperative());
        assert!(c.set("partition.assignment.strategy", "nope").is_err());
        assert!(c.set("max.poll.records", "0").is_err());
        assert!(
            c.set("session.timeout.ms", "1000").is_err(),
            "heartbeat must stay below session timeout"
        );
    }

    #[test]
    fn a_refused_set_changes_nothing() {
        let mut c = ConsumerConfig::default();
        let before = c.clone();
        // Below heartbeat.interval.ms (3 s): refused after the value itself parsed.
        assert!(c.set("session.timeout.ms", "1000").is_err());
        assert_eq!(c, before);
        assert!(c.set("client.id", "other").is_err());
        assert_eq!(c, before);
        // A rate whose per-tick credit would overflow is refused, not multiplied.
        assert!(c.set("processing.rate", "18446744073709551").is_err());
        assert!(c.set("processing.rate", "1000001").is_err());
        assert!(c.set("processing.rate", "1000000").is_ok());
    }
}
