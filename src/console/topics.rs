//! `kafka-topics` (TopicCommand), `kafka-configs` (ConfigCommand, topics only) and
//! `kafka-get-offsets` (GetOffsetShell), printing what Kafka 4.x prints.

use super::args::{self, flag, value, OptSpec};
use super::{lines, Console};
use crate::engine::{Command, Rejection, RejectionKind, TopicPartition};
use crate::read::cluster::{self as read_cluster, PartitionFacts};

pub(super) const TOPICS_OPTIONS: [OptSpec; 22] = [
    value("bootstrap-server"),
    value("command-config"),
    flag("create"),
    flag("list"),
    flag("describe"),
    flag("alter"),
    flag("delete"),
    value("topic"),
    value("partitions"),
    value("replication-factor"),
    value("replica-assignment"),
    value("config"),
    flag("if-exists"),
    flag("if-not-exists"),
    flag("help"),
    flag("exclude-internal"),
    flag("topics-with-overrides"),
    flag("under-replicated-partitions"),
    flag("unavailable-partitions"),
    flag("under-min-isr-partitions"),
    flag("at-min-isr-partitions"),
    value("partition-size-limit-per-response"),
];

pub(super) const CONFIGS_OPTIONS: [OptSpec; 14] = [
    value("bootstrap-server"),
    value("command-config"),
    flag("alter"),
    flag("describe"),
    value("entity-type"),
    value("entity-name"),
    value("topic"),
    value("add-config"),
    value("delete-config"),
    flag("all"),
    flag("help"),
    flag("entity-default"),
    value("broker"),
    flag("broker-defaults"),
];

pub(super) const GET_OFFSETS_OPTIONS: [OptSpec; 7] = [
    value("bootstrap-server"),
    value("command-config"),
    value("topic"),
    value("topic-partitions"),
    value("partitions"),
    value("time"),
    flag("help"),
];

const TOPIC_ERROR: &str = "Error while executing topic command : ";

/// TopicCommand's own refusals of its arguments.
const ILLEGAL_ARGUMENT: &str = "java.lang.IllegalArgumentException";

/// What `kafka-topics` prints when a command fails: its error line, then the ERROR line its
/// logger writes to standard error (Kafka's tools-log4j2 pattern; the simulator leaves out the
/// timestamp and stack trace) with the exception the message came from.
fn topic_error(exception: &str, message: &str) -> String {
    format!("{TOPIC_ERROR}{message}\nERROR {exception}: {message}\n (org.apache.kafka.tools.TopicCommand)\n")
}

/// [`topic_error`] for a command the engine refused: the exception follows its kind.
fn topic_rejection(rejection: &Rejection) -> String {
    let exception = match rejection.kind {
        RejectionKind::TopicExists => "org.apache.kafka.common.errors.TopicExistsException",
        RejectionKind::InvalidPartitions => {
            "org.apache.kafka.common.errors.InvalidPartitionsException"
        }
        RejectionKind::InvalidTopic => "org.apache.kafka.common.errors.InvalidTopicException",
        RejectionKind::InvalidConfigValue => "org.apache.kafka.common.config.ConfigException",
        RejectionKind::UnknownConfig => {
            "org.apache.kafka.common.errors.InvalidConfigurationException"
        }
        RejectionKind::InvalidReplicationFactor => {
            "org.apache.kafka.common.errors.InvalidReplicationFactorException"
        }
        RejectionKind::InvalidReplicaAssignment => {
            "org.apache.kafka.common.errors.InvalidReplicaAssignmentException"
        }
        RejectionKind::UnknownTopic
        | RejectionKind::LeaderNotAvailable
        | RejectionKind::NotEnoughReplicas
        | RejectionKind::InvalidRecord
        | RejectionKind::RecordTooLarge
        | RejectionKind::OverLimit
        | RejectionKind::Invalid => ILLEGAL_ARGUMENT,
    };
    topic_error(exception, &rejection.reason)
}

/// The cluster-wide dynamic default a Kafka 4 cluster gets when it is formatted.
const CLUSTER_MIN_INSYNC: &str = "min.insync.replicas=1";

/// One entry of `kafka-get-offsets --topic-partitions`: a topic, and a partition range
/// (inclusive) when the entry names one.
type TopicPartitionFilter = (String, Option<(u32, u32)>);

const MISSING_TOPIC: &str = "Missing required argument \"[topic]\"\n";

/// Parses a `kafka-topics` line and checks that it has exactly one action.
pub(super) fn topics_args(words: &[String]) -> Result<args::Parsed, String> {
    // TopicCommand prints the message, then the exception's stack trace and a blank line.
    let p = args::parse_tool_line(words, &TOPICS_OPTIONS, |message, exception| {
        format!("{message}\n{exception}: {message}\n\n")
    })?;
    let actions = ["list", "describe", "create", "alter", "delete"];
    if !args::one_action(&p, &actions) {
        return Err("Command must include exactly one action: --list, --describe, --create, --alter or --delete\n".into());
    }
    Ok(p)
}

/// The command of a `kafka-topics --create`, `--alter` or `--delete` line, read without
/// looking at the cluster; `None` when the line changes nothing (`--list`, `--describe`,
/// `--alter` without `--partitions`).
pub(super) fn topics_command(p: &args::Parsed) -> Result<Option<Command>, String> {
    if p.has("list") || p.has("describe") {
        return Ok(None);
    }
    let Some(topic) = p.value("topic").map(str::to_string) else {
        return Err(MISSING_TOPIC.into());
    };
    if p.has("create") {
        let partitions = match p.value("partitions").map(str::parse::<i64>) {
            None => 1,
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                return Err(format!(
                    "Cannot parse argument '{}' of option partitions\n",
                    p.value("partitions").unwrap_or_default()
                ))
            }
        };
        let replication_factor = match p.value("replication-factor").map(str::parse::<i64>) {
            None | Some(Ok(1)) => None,
            Some(Ok(n)) if n < 1 => {
                return Err(topic_error(
                    ILLEGAL_ARGUMENT,
                    "Replication factor must be larger than 0.",
                ))
            }
            Some(Ok(n)) => Some(u32::try_from(n).unwrap_or(u32::MAX)),
            Some(Err(_)) => {
                return Err(format!(
                    "Cannot parse argument '{}' of option replication-factor\n",
                    p.value("replication-factor").unwrap_or_default()
                ))
            }
        };
        let assignment = match p.value("replica-assignment") {
            None => None,
            Some(_) if p.has("partitions") => {
                return Err(
                    "Option \"[replica-assignment]\" can't be used with option \"[partitions]\"\n"
                        .into(),
                )
            }
            Some(_) if p.has("replication-factor") => {
                return Err("Option \"[replica-assignment]\" can't be used with option \"[replication-factor]\"\n".into())
            }
            Some(text) => Some(parse_replica_assignment(text)?),
        };
        let mut configs = Vec::new();
        for entry in p.values("config") {
            match entry.split_once('=') {
                Some((k, v)) if !k.is_empty() => configs.push((k.to_string(), v.to_string())),
                _ => {
                    return Err(topic_error(
                        ILLEGAL_ARGUMENT,
                        "requirement failed: Invalid topic config: all configs to be added must be in the format \"key=val\".",
                    ))
                }
            }
        }
        if replication_factor.is_some() || assignment.is_some() {
            return Ok(Some(Command::CreateTopicOnReplicas {
                name: topic,
                partitions: assignment.as_ref().map_or(partitions, |a| a.len() as i64),
                replication_factor,
                assignment,
                configs,
            }));
        }
        return Ok(Some(Command::CreateTopic {
            name: topic,
            partitions,
            configs,
        }));
    }
    if p.has("alter") {
        if p.has("config") {
            return Err("Option \"[alter]\" can't be used with option \"[config]\"\n".into());
        }
        let Some(text) = p.value("partitions") else {
            return Ok(None);
        };
        let Ok(total) = text.parse::<i64>() else {
            return Err(format!(
                "Cannot parse argument '{text}' of option partitions\n"
            ));
        };
        return Ok(Some(Command::AddPartitions { topic, total }));
    }
    Ok(Some(Command::DeleteTopic { name: topic }))
}

/// Parses a `kafka-configs` line and checks its action and entity type.
pub(super) fn configs_args(words: &[String]) -> Result<args::Parsed, String> {
    let p = args::parse(words, &CONFIGS_OPTIONS)
        .map_err(|e| format!("{}\n", args::jopt_error(&e).0))?;
    if let Some(extra) = p.positional.first() {
        return Err(format!("Found non argument parameters: {extra}\n"));
    }
    if p.has("alter") == p.has("describe") {
        return Err("Command must include exactly one action: --describe, --alter\n".into());
    }
    if p.value("topic").is_none() && !super::broker_configs::names_brokers(&p) {
        match p.value("entity-type") {
            Some("topics" | "groups") => {}
            Some(other @ ("broker-loggers" | "clients" | "users" | "ips" | "client-metrics")) => {
                return Err(format!(
                    "The simulator's kafka-configs handles --entity-type topics only, not {other}. Broker settings: broker set k=v.\n"
                ))
            }
            Some(other) => {
                return Err(format!(
                    "Invalid entity type {other}, the entity type must be one of broker-loggers, topics, clients, users, brokers, ips, client-metrics, groups with a --bootstrap-server or --bootstrap-controller argument\n"
                ))
            }
            None => {
                return Err("At least one of --entity-type or any of --topic, --broker, --group must be specified\n".into())
            }
        }
    }
    Ok(p)
}

/// The topic a `kafka-configs` line names, if any.
fn configs_entity(p: &args::Parsed) -> Option<String> {
    p.value("topic")
        .or(p.value("entity-name"))
        .map(str::to_string)
}

/// The command of a `kafka-configs --alter` line, read without looking at the cluster;
/// `None` for `--describe`.
pub(super) fn configs_command(p: &args::Parsed) -> Result<Option<Command>, String> {
    if super::share_groups::names_groups(p) {
        return super::share_groups::group_configs_command(p);
    }
    if p.has("describe") || super::broker_configs::names_brokers(p) {
        return Ok(None);
    }
    let Some(topic) = configs_entity(p) else {
        return Err("An entity name must be specified with --alter of topics\n".into());
    };
    let mut set = Vec::new();
    for entry in p.values("add-config") {
        for pair in split_config_list(entry) {
            match pair.split_once('=') {
                Some((k, v)) if !k.is_empty() => {
                    set.push((k.to_string(), unbracket(v).to_string()))
                }
                _ => {
                    return Err("Invalid entity config: all configs to be added must be in the format \"key=val\" or  \"key=[val1,val2]\" to group values which contain commas.\n".into())
                }
            }
        }
    }
    let delete: Vec<String> = p
        .values("delete-config")
        .iter()
        .flat_map(|d| d.split(','))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if set.is_empty() && delete.is_empty() {
        return Err(
            "At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter\n"
                .into(),
        );
    }
    Ok(Some(Command::AlterTopicConfig { topic, set, delete }))
}

/// Splits `--add-config` text at the commas outside square brackets, as ConfigCommand
/// does, so a list value is written `cleanup.policy=[compact,delete]`. Empty entries are
/// dropped.
pub(super) fn split_config_list(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out.retain(|s| !s.is_empty());
    out
}

/// A bracketed list value without its brackets: `[compact,delete]` → `compact,delete`.
fn unbracket(value: &str) -> &str {
    value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(value)
}

/// Every topic config Kafka 4.4 lists in `kafka-configs --describe --all`, in its order, with
/// the default and the default's synonyms as the broker reports them (some have none).
const ALL_TOPIC_CONFIGS: [(&str, &str, &str); 37] = [
    (
        "cleanup.policy",
        "delete",
        "DEFAULT_CONFIG:log.cleanup.policy=delete",
    ),
    (
        "compression.gzip.level",
        "-1",
        "DEFAULT_CONFIG:compression.gzip.level=-1",
    ),
    (
        "compression.lz4.level",
        "9",
        "DEFAULT_CONFIG:compression.lz4.level=9",
    ),
    (
        "compression.type",
        "producer",
        "DEFAULT_CONFIG:compression.type=producer",
    ),
    (
        "compression.zstd.level",
        "3",
        "DEFAULT_CONFIG:compression.zstd.level=3",
    ),
    (
        "delete.retention.ms",
        "86400000",
        "DEFAULT_CONFIG:log.cleaner.delete.retention.ms=86400000",
    ),
    ("errors.deadletterqueue.group.enable", "false", ""),
    (
        "file.delete.delay.ms",
        "60000",
        "DEFAULT_CONFIG:log.segment.delete.delay.ms=60000",
    ),
    (
        "flush.messages",
        "9223372036854775807",
        "DEFAULT_CONFIG:log.flush.interval.messages=9223372036854775807",
    ),
    ("flush.ms", "9223372036854775807", ""),
    ("follower.replication.throttled.replicas", "", ""),
    (
        "index.interval.bytes",
        "4096",
        "DEFAULT_CONFIG:log.index.interval.bytes=4096",
    ),
    ("leader.replication.throttled.replicas", "", ""),
    (
        "local.retention.bytes",
        "-2",
        "DEFAULT_CONFIG:log.local.retention.bytes=-2",
    ),
    (
        "local.retention.ms",
        "-2",
        "DEFAULT_CONFIG:log.local.retention.ms=-2",
    ),
    (
        "max.compaction.lag.ms",
        "9223372036854775807",
        "DEFAULT_CONFIG:log.cleaner.max.compaction.lag.ms=9223372036854775807",
    ),
    (
        "max.decompressed.message.bytes",
        "2147483639",
        "DEFAULT_CONFIG:max.decompressed.message.bytes=2147483639",
    ),
    (
        "max.message.bytes",
        "1048588",
        "DEFAULT_CONFIG:message.max.bytes=1048588",
    ),
    (
        "message.timestamp.after.max.ms",
        "3600000",
        "DEFAULT_CONFIG:log.message.timestamp.after.max.ms=3600000",
    ),
    (
        "message.timestamp.before.max.ms",
        "9223372036854775807",
        "DEFAULT_CONFIG:log.message.timestamp.before.max.ms=9223372036854775807",
    ),
    (
        "message.timestamp.type",
        "CreateTime",
        "DEFAULT_CONFIG:log.message.timestamp.type=CreateTime",
    ),
    (
        "min.cleanable.dirty.ratio",
        "0.5",
        "DEFAULT_CONFIG:log.cleaner.min.cleanable.ratio=0.5",
    ),
    (
        "min.compaction.lag.ms",
        "0",
        "DEFAULT_CONFIG:log.cleaner.min.compaction.lag.ms=0",
    ),
    (
        "min.insync.replicas",
        "1",
        "DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=1, DEFAULT_CONFIG:min.insync.replicas=1",
    ),
    (
        "preallocate",
        "false",
        "DEFAULT_CONFIG:log.preallocate=false",
    ),
    (
        "remote.copy.lag.bytes",
        "-1",
        "DEFAULT_CONFIG:log.remote.copy.lag.bytes=-1",
    ),
    (
        "remote.copy.lag.ms",
        "0",
        "DEFAULT_CONFIG:log.remote.copy.lag.ms=0",
    ),
    ("remote.log.copy.disable", "false", ""),
    ("remote.log.delete.on.disable", "false", ""),
    ("remote.storage.enable", "false", ""),
    (
        "retention.bytes",
        "-1",
        "DEFAULT_CONFIG:log.retention.bytes=-1",
    ),
    ("retention.ms", "604800000", ""),
    (
        "segment.bytes",
        "1073741824",
        "DEFAULT_CONFIG:log.segment.bytes=1073741824",
    ),
    (
        "segment.index.bytes",
        "10485760",
        "DEFAULT_CONFIG:log.index.size.max.bytes=10485760",
    ),
    ("segment.jitter.ms", "0", ""),
    ("segment.ms", "604800000", ""),
    (
        "unclean.leader.election.enable",
        "false",
        "DEFAULT_CONFIG:unclean.leader.election.enable=false",
    ),
];

/// The synonyms of a topic config's default, as `kafka-configs --describe` lists them.
fn default_synonyms(key: &str) -> &'static str {
    ALL_TOPIC_CONFIGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or("", |(_, _, synonyms)| synonyms)
}

/// The synonyms of a topic's own value of a config: its override, then the defaults.
fn dynamic_synonyms(key: &str, value: &str) -> String {
    let mut synonyms = format!("DYNAMIC_TOPIC_CONFIG:{key}={value}");
    let fallback = default_synonyms(key);
    if !fallback.is_empty() {
        synonyms.push_str(", ");
        synonyms.push_str(fallback);
    }
    synonyms
}

impl Console {
    pub(super) fn kafka_topics(&mut self, words: &[String]) -> String {
        let p = match topics_args(words) {
            Ok(p) => p,
            Err(text) => return text,
        };
        let topic = p.value("topic").map(str::to_string);
        if p.has("list") {
            let listed = lines(
                self.timeline
                    .state()
                    .topics
                    .keys()
                    .filter(|t| topic.as_deref().is_none_or(|only| only == t.as_str()))
                    .cloned(),
            );
            // TopicCommand prints the joined names with println: a blank line for none.
            return if listed.is_empty() {
                "\n".into()
            } else {
                listed
            };
        }
        if p.has("describe") {
            let filters = DescribeFilters {
                under_replicated: p.has("under-replicated-partitions"),
                unavailable: p.has("unavailable-partitions"),
                under_min_isr: p.has("under-min-isr-partitions"),
                at_min_isr: p.has("at-min-isr-partitions"),
            };
            let described = self.describe_topics(topic.as_deref(), p.has("if-exists"), filters);
            if p.has("topics-with-overrides") && !filters.any() {
                // Only the topic lines; min.insync.replicas=1 makes every topic count.
                return lines(
                    described
                        .lines()
                        .filter(|l| l.starts_with("Topic: "))
                        .map(str::to_string),
                );
            }
            return described;
        }
        let Some(topic) = topic else {
            return MISSING_TOPIC.into();
        };
        let exists = self.timeline.state().topics.contains_key(&topic);
        if !p.has("create") && !exists {
            return if p.has("if-exists") {
                String::new()
            } else {
                topic_error(
                    ILLEGAL_ARGUMENT,
                    &format!("Topic '{topic}' does not exist as expected"),
                )
            };
        }
        let command = match topics_command(&p) {
            Ok(Some(command)) => command,
            Ok(None) => return String::new(),
            Err(text) => return text,
        };
        if p.has("if-not-exists") && exists {
            return String::new();
        }
        self.topics_output(command)
    }

    /// Applies a `kafka-topics` command and prints what the tool prints.
    pub(super) fn topics_output(&mut self, command: Command) -> String {
        let created = match &command {
            Command::CreateTopic { name, .. } | Command::CreateTopicOnReplicas { name, .. } => {
                Some(name.clone())
            }
            _ => None,
        };
        let warning = match &created {
            Some(name) if name.contains('.') || name.contains('_') => "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n",
            _ => "",
        };
        let result = match (self.apply_checked(command), created) {
            (Ok(_), Some(topic)) => format!("Created topic {topic}.\n"),
            (Ok(_), None) => String::new(),
            (Err(rejection), _) => topic_rejection(&rejection),
        };
        format!("{warning}{result}")
    }

    fn describe_topics(
        &self,
        only: Option<&str>,
        if_exists: bool,
        filters: DescribeFilters,
    ) -> String {
        let state = self.timeline.state();
        if let Some(name) = only {
            if !state.topics.contains_key(name) {
                return if if_exists {
                    String::new()
                } else {
                    topic_error(
                        ILLEGAL_ARGUMENT,
                        &format!("Topic '{name}' does not exist as expected"),
                    )
                };
            }
        }
        let cluster_min_insync = state
            .cluster
            .as_ref()
            .map_or(CLUSTER_MIN_INSYNC.to_string(), |c| {
                format!("min.insync.replicas={}", c.config.min_insync_replicas)
            });
        let mut out = String::new();
        for topic in state
            .topics
            .values()
            .filter(|t| only.is_none_or(|o| o == t.name))
        {
            if !filters.any() {
                // A Kafka 4 cluster is formatted with min.insync.replicas=1 as a cluster-wide
                // dynamic default (eligible leader replicas need it), so every topic lists it
                // among its non-default configs, before the topic's own.
                // The topic's own min.insync.replicas takes the cluster default's place.
                let min_insync = topic
                    .overrides
                    .get("min.insync.replicas")
                    .map_or(cluster_min_insync.clone(), |v| {
                        format!("min.insync.replicas={v}")
                    });
                let configs: Vec<String> = std::iter::once(min_insync)
                    .chain(
                        topic
                            .overrides
                            .iter()
                            .filter(|(k, _)| k.as_str() != "min.insync.replicas")
                            .map(|(k, v)| format!("{k}={v}")),
                    )
                    .collect();
                let configs = configs.join(",");
                out.push_str(&format!(
                    "Topic: {}\tTopicId: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {configs}\n",
                    topic.name,
                    topic.id,
                    topic.n_partitions(),
                    read_cluster::replication_factor(state, &topic.name),
                ));
            }
            for facts in read_cluster::topic_partitions(state, &topic.name) {
                if filters.any() && !filters.select(&facts) {
                    continue;
                }
                let ids = |list: &[i32]| {
                    list.iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                };
                out.push_str(&format!(
                    "\tTopic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}\tElr: {}\tLastKnownElr: {}\n",
                    topic.name,
                    facts.partition.partition,
                    facts.leader.map_or("none".to_string(), |l| l.to_string()),
                    ids(&facts.replicas),
                    ids(&facts.isr),
                    ids(&facts.elr),
                    ids(&facts.last_known_elr),
                ));
            }
        }
        out
    }

    pub(super) fn kafka_configs(&mut self, words: &[String]) -> String {
        let p = match configs_args(words) {
            Ok(p) => p,
            Err(text) => return text,
        };
        let name = configs_entity(&p);
        let command_text = words.join(" ");
        if super::broker_configs::names_brokers(&p) {
            return self.broker_configs(&p, &command_text);
        }
        if super::share_groups::names_groups(&p) {
            return self.group_configs(&p);
        }
        if p.has("describe") {
            let state = self.timeline.state();
            let names: Vec<String> = match &name {
                Some(n) => {
                    if !state.topics.contains_key(n) {
                        return format!(
                            "Error while executing config command with args '{command_text}'\norg.apache.kafka.common.errors.UnknownTopicOrPartitionException: The topic '{n}' does not exist.\n"
                        );
                    }
                    vec![n.clone()]
                }
                None => state.topics.keys().cloned().collect(),
            };
            let mut out = String::new();
            for n in names {
                let Some(topic) = state.topics.get(&n) else {
                    continue;
                };
                if p.has("all") {
                    out.push_str(&format!("All configs for topic {n} are:\n"));
                    for (key, default, synonyms) in ALL_TOPIC_CONFIGS {
                        let (value, synonyms) = match topic.overrides.get(key) {
                            Some(v) => (v.clone(), dynamic_synonyms(key, v)),
                            None => (default.to_string(), synonyms.to_string()),
                        };
                        out.push_str(&format!(
                            "  {key}={value} sensitive=false synonyms={{{synonyms}}}\n"
                        ));
                    }
                } else {
                    out.push_str(&format!("Dynamic configs for topic {n} are:\n"));
                    for (key, value) in &topic.overrides {
                        out.push_str(&format!(
                            "  {key}={value} sensitive=false synonyms={{{}}}\n",
                            dynamic_synonyms(key, value)
                        ));
                    }
                }
            }
            return out;
        }
        let Some(name) = name else {
            return "An entity name must be specified with --alter of topics\n".into();
        };
        // The admin client's future fails: ConfigCommand prints the ExecutionException.
        let failed = |message: &str| {
            format!("Error while executing config command with args '{command_text}'\njava.util.concurrent.ExecutionException: {message}\n")
        };
        if !self.timeline.state().topics.contains_key(&name) {
            return failed(&format!(
                "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: The topic '{name}' does not exist."
            ));
        }
        let command = match configs_command(&p) {
            Ok(Some(command)) => command,
            Ok(None) => return String::new(),
            Err(text) => return text,
        };
        // Deleting a config the topic does not override changes nothing and succeeds.
        match self.apply_checked(command) {
            Ok(_) => format!("Completed updating config for topic {name}.\n"),
            Err(reason) => failed(&format!(
                "org.apache.kafka.common.errors.InvalidConfigurationException: {reason}"
            )),
        }
    }

    pub(super) fn kafka_get_offsets(&mut self, words: &[String]) -> String {
        let p = match args::parse(words, &GET_OFFSETS_OPTIONS) {
            Ok(p) => p,
            Err(e) => return format!("{}\n", args::jopt_error(&e).0),
        };
        if let Some(extra) = p.positional.first() {
            return format!("Found non argument parameters: {extra}\n");
        }
        let time_text = p.value("time").unwrap_or("-1");
        let spec = match time_text {
            "-1" | "latest" => OffsetQuery::Latest,
            "-2" | "earliest" => OffsetQuery::Earliest,
            other => match other.parse::<i64>() {
                Ok(ms) if ms >= 0 => OffsetQuery::Timestamp(ms),
                _ => {
                    return format!(
                        "Error occurred: Malformed time argument {other}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered / -6 or earliest-pending-upload, or a specified long format timestamp\n"
                    )
                }
            },
        };
        let wanted_partitions = match p.value("partitions").map(parse_partition_list) {
            None => None,
            Some(Ok(list)) => Some(list),
            Some(Err(e)) => return format!("Error occurred: {e}\n"),
        };
        // --topic-partitions t1:0,t2:1-3,t3: topics with an optional partition or range.
        let topic_partitions: Option<Vec<TopicPartitionFilter>> =
            p.value("topic-partitions").map(|text| {
                text.split(',')
                    .filter(|e| !e.is_empty())
                    .map(|entry| match entry.split_once(':') {
                        None => (entry.to_string(), None),
                        Some((t, range)) => {
                            let (low, high) = range.split_once('-').unwrap_or((range, range));
                            let bounds = low.parse().ok().zip(high.parse().ok());
                            (t.to_string(), Some(bounds.unwrap_or((u32::MAX, 0))))
                        }
                    })
                    .collect()
            });
        let state = self.timeline.state();
        let mut rows: Vec<(String, String)> = Vec::new();
        for topic in state
            .topics
            .values()
            .filter(|t| p.value("topic").is_none_or(|only| only == t.name))
        {
            for partition in 0..topic.n_partitions() {
                if wanted_partitions
                    .as_ref()
                    .is_some_and(|w| !w.contains(&partition))
                {
                    continue;
                }
                if topic_partitions.as_ref().is_some_and(|list| {
                    !list.iter().any(|(t, range)| {
                        *t == topic.name
                            && range.is_none_or(|(low, high)| (low..=high).contains(&partition))
                    })
                }) {
                    continue;
                }
                let tp = TopicPartition::new(topic.name.clone(), partition);
                let Some(log) = topic.partition(partition) else {
                    continue;
                };
                let offset = match spec {
                    OffsetQuery::Latest => Some(log.high_watermark()),
                    OffsetQuery::Earliest => Some(log.log_start_offset()),
                    OffsetQuery::Timestamp(ms) => log.offset_for_timestamp(ms),
                };
                rows.push((
                    tp.to_string(),
                    offset.map_or(String::new(), |o| format!("{}:{partition}:{o}", topic.name)),
                ));
            }
        }
        if rows.is_empty() {
            return "Error occurred: Could not match any topic-partitions with the specified filters\n"
                .into();
        }
        // GetOffsetShell sorts by TopicPartition.toString(), so orders-10 comes before orders-2.
        crate::sort::sort(&mut rows);
        lines(
            rows.into_iter()
                .filter(|(_, line)| !line.is_empty())
                .map(|(_, line)| line),
        )
    }
}

#[derive(Debug, Clone, Copy)]
enum OffsetQuery {
    Latest,
    Earliest,
    Timestamp(i64),
}

/// `0,2,4-6` → [0, 2, 4, 5, 6].
fn parse_partition_list(text: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim) {
        let bad = || format!("Invalid partition id '{part}'");
        match part.split_once('-') {
            Some((a, b)) => {
                let from: u32 = a.parse().map_err(|_| bad())?;
                let to: u32 = b.parse().map_err(|_| bad())?;
                if to < from || to - from > 10_000 {
                    return Err(bad());
                }
                out.extend(from..=to);
            }
            None => out.push(part.parse().map_err(|_| bad())?),
        }
    }
    Ok(out)
}

/// `--replica-assignment 1:2:3,2:3:1`: each partition's brokers, partitions by comma.
fn parse_replica_assignment(text: &str) -> Result<Vec<Vec<i32>>, String> {
    text.split(',')
        .map(|partition| {
            partition
                .split(':')
                .map(|b| {
                    b.trim().parse::<i32>().map_err(|_| {
                        topic_error(
                            "java.lang.NumberFormatException",
                            &format!("For input string: \"{}\"", b.trim()),
                        )
                    })
                })
                .collect()
        })
        .collect()
}

/// `kafka-topics --describe`'s partition filters; several combine with OR, and with any of
/// them the topic lines are left out (`TopicCommand.DescribeOptions`).
#[derive(Debug, Clone, Copy)]
struct DescribeFilters {
    under_replicated: bool,
    unavailable: bool,
    under_min_isr: bool,
    at_min_isr: bool,
}

impl DescribeFilters {
    fn any(self) -> bool {
        self.under_replicated || self.unavailable || self.under_min_isr || self.at_min_isr
    }

    fn select(self, facts: &PartitionFacts) -> bool {
        (self.under_replicated && facts.under_replicated())
            || (self.unavailable && facts.unavailable)
            || (self.under_min_isr && facts.under_min_isr())
            || (self.at_min_isr && facts.at_min_isr())
    }
}
