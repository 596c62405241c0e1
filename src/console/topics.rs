//! `kafka-topics` (TopicCommand), `kafka-configs` (ConfigCommand, topics only) and
//! `kafka-get-offsets` (GetOffsetShell), printing what Kafka 4.x prints.

use super::args::{self, flag, value, OptSpec};
use super::{lines, Console};
use crate::engine::topic::TOPIC_CONFIGS;
use crate::engine::{Command, TopicPartition};

pub(super) const TOPICS_OPTIONS: [OptSpec; 14] = [
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
    value("config"),
    flag("if-exists"),
    flag("if-not-exists"),
    flag("help"),
];

pub(super) const CONFIGS_OPTIONS: [OptSpec; 13] = [
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
    value("entity-default"),
    value("broker"),
];

pub(super) const GET_OFFSETS_OPTIONS: [OptSpec; 6] = [
    value("bootstrap-server"),
    value("command-config"),
    value("topic"),
    value("partitions"),
    value("time"),
    flag("help"),
];

const TOPIC_ERROR: &str = "Error while executing topic command : ";

const MISSING_TOPIC: &str = "Missing required argument \"[topic]\"\n";

/// Parses a `kafka-topics` line and checks that it has exactly one action.
pub(super) fn topics_args(words: &[String]) -> Result<args::Parsed, String> {
    let p = args::parse(words, &TOPICS_OPTIONS).map_err(|e| format!("{e}\n"))?;
    if let Some(extra) = p.positional.first() {
        return Err(format!("Found non argument parameters: {extra}\n"));
    }
    let actions = ["list", "describe", "create", "alter", "delete"];
    if actions.iter().filter(|a| p.has(a)).count() != 1 {
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
        match p.value("replication-factor").map(str::parse::<i64>) {
            None | Some(Ok(1)) => {}
            Some(Ok(n)) if n < 1 => {
                return Err(format!(
                    "{TOPIC_ERROR}Replication factor must be larger than 0.\n"
                ))
            }
            Some(Ok(n)) => {
                return Err(format!(
                    "{TOPIC_ERROR}Replication factor: {n} larger than available brokers: 1.\n"
                ))
            }
            Some(Err(_)) => {
                return Err(format!(
                    "Cannot parse argument '{}' of option replication-factor\n",
                    p.value("replication-factor").unwrap_or_default()
                ))
            }
        }
        let mut configs = Vec::new();
        for entry in p.values("config") {
            match entry.split_once('=') {
                Some((k, v)) if !k.is_empty() => configs.push((k.to_string(), v.to_string())),
                _ => {
                    return Err(format!(
                        "{TOPIC_ERROR}Invalid topic config: all configs to be added must be in the format \"key=val\".\n"
                    ))
                }
            }
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
    let p = args::parse(words, &CONFIGS_OPTIONS).map_err(|e| format!("{e}\n"))?;
    if let Some(extra) = p.positional.first() {
        return Err(format!("Found non argument parameters: {extra}\n"));
    }
    if p.has("alter") == p.has("describe") {
        return Err("Command must include exactly one action: --describe, --alter\n".into());
    }
    if p.value("topic").is_none() {
        match p.value("entity-type") {
            Some("topics") => {}
            Some(other) => {
                return Err(format!(
                    "The simulator's kafka-configs handles --entity-type topics only, not {other}. Broker settings: broker set k=v.\n"
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
    if p.has("describe") {
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
                    return Err("requirement failed: Invalid entity config: all configs to be added must be in the format \"key=val\".\n".into())
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
            "At least one of --add-config or --delete-config must be specified with --alter\n"
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

/// The broker config each topic config falls back to, with Kafka's default, as
/// `kafka-configs --describe` lists it among the synonyms.
fn broker_default(topic_config: &str) -> Option<(&'static str, &'static str)> {
    Some(match topic_config {
        "cleanup.policy" => ("log.cleanup.policy", "delete"),
        "delete.retention.ms" => ("log.cleaner.delete.retention.ms", "86400000"),
        "min.compaction.lag.ms" => ("log.cleaner.min.compaction.lag.ms", "0"),
        "retention.bytes" => ("log.retention.bytes", "-1"),
        "retention.ms" => ("log.retention.hours", "168"),
        "segment.bytes" => ("log.segment.bytes", "1073741824"),
        "segment.ms" => ("log.roll.hours", "168"),
        _ => return None,
    })
}

/// The default value of a topic config, in the topic config's own unit.
fn topic_default(topic_config: &str) -> &'static str {
    match topic_config {
        "cleanup.policy" => "delete",
        "delete.retention.ms" => "86400000",
        "min.compaction.lag.ms" => "0",
        "retention.bytes" => "-1",
        "retention.ms" => "604800000",
        "segment.bytes" => "1073741824",
        "segment.ms" => "604800000",
        _ => "",
    }
}

impl Console {
    pub(super) fn kafka_topics(&mut self, words: &[String]) -> String {
        let p = match topics_args(words) {
            Ok(p) => p,
            Err(text) => return text,
        };
        let topic = p.value("topic").map(str::to_string);
        if p.has("list") {
            return lines(
                self.timeline
                    .state()
                    .topics
                    .keys()
                    .filter(|t| topic.as_deref().is_none_or(|only| only == t.as_str()))
                    .cloned(),
            );
        }
        if p.has("describe") {
            return self.describe_topics(topic.as_deref(), p.has("if-exists"));
        }
        let Some(topic) = topic else {
            return MISSING_TOPIC.into();
        };
        let exists = self.timeline.state().topics.contains_key(&topic);
        if !p.has("create") && !exists {
            return if p.has("if-exists") {
                String::new()
            } else {
                format!("{TOPIC_ERROR}Topic '{topic}' does not exist as expected\n")
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
            Command::CreateTopic { name, .. } => Some(name.clone()),
            _ => None,
        };
        match (self.apply_checked(command), created) {
            (Ok(_), Some(topic)) => format!("Created topic {topic}.\n"),
            (Ok(_), None) => String::new(),
            (Err(reason), _) => format!("{TOPIC_ERROR}{reason}\n"),
        }
    }

    fn describe_topics(&self, only: Option<&str>, if_exists: bool) -> String {
        let state = self.timeline.state();
        if let Some(name) = only {
            if !state.topics.contains_key(name) {
                return if if_exists {
                    String::new()
                } else {
                    format!("{TOPIC_ERROR}Topic '{name}' does not exist as expected\n")
                };
            }
        }
        let mut out = String::new();
        for topic in state
            .topics
            .values()
            .filter(|t| only.is_none_or(|o| o == t.name))
        {
            out.push_str(&format!(
                "Topic: {}\tTopicId: {}\tPartitionCount: {}\tReplicationFactor: 1\tConfigs: {}\n",
                topic.name,
                topic.id,
                topic.n_partitions(),
                topic.configs_line()
            ));
            for p in 0..topic.n_partitions() {
                out.push_str(&format!(
                    "\tTopic: {}\tPartition: {p}\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: \n",
                    topic.name
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
                    for key in sorted_topic_configs() {
                        let (value, synonyms) = match topic.overrides.get(key) {
                            Some(v) => (v.clone(), dynamic_synonyms(key, v)),
                            None => (topic_default(key).to_string(), default_synonym(key)),
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
        let failed = |message: &str| {
            format!("Error while executing config command with args '{command_text}'\n{message}\n")
        };
        let Some(topic) = self.timeline.state().topics.get(&name) else {
            return failed(&format!(
                "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: The topic '{name}' does not exist."
            ));
        };
        let command = match configs_command(&p) {
            Ok(Some(command)) => command,
            Ok(None) => return String::new(),
            Err(text) => return text,
        };
        if let Command::AlterTopicConfig { delete, .. } = &command {
            let not_set: Vec<&str> = delete
                .iter()
                .filter(|k| !topic.overrides.contains_key(k.as_str()))
                .map(String::as_str)
                .collect();
            if !not_set.is_empty() {
                return failed(&format!(
                    "org.apache.kafka.common.errors.InvalidConfigurationException: Invalid config(s): {}",
                    not_set.join(",")
                ));
            }
        }
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
            Err(e) => return format!("{e}\n"),
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

fn sorted_topic_configs() -> Vec<&'static str> {
    let mut keys = TOPIC_CONFIGS.to_vec();
    crate::sort::sort(&mut keys);
    keys
}

fn default_synonym(key: &str) -> String {
    broker_default(key)
        .map(|(name, value)| format!("DEFAULT_CONFIG:{name}={value}"))
        .unwrap_or_default()
}

fn dynamic_synonyms(key: &str, value: &str) -> String {
    let mut synonyms = format!("DYNAMIC_TOPIC_CONFIG:{key}={value}");
    let fallback = default_synonym(key);
    if !fallback.is_empty() {
        synonyms.push_str(", ");
        synonyms.push_str(&fallback);
    }
    synonyms
}
