//! Commands as console lines, and console lines as commands.
//!
//! Every mouse action on the page is an engine [`Command`]; the page prints the console
//! line that does the same, so students learn the commands by watching. [`command_line`]
//! writes that line, preferring Kafka's own tools (`kafka-topics`, `kafka-configs`,
//! `kafka-consumer-groups`) and the simulator's commands for the rest;
//! [`Console::parse_command`] reads a line back into the commands it stands for without
//! applying them, and [`Console::apply_command`] applies a command exactly once and
//! returns the line with what typing it prints.
//!
//! Kafka's tools are written with `--bootstrap-server localhost:9092`, as the real tools
//! require it (the console accepts and ignores it). Words are quoted with the console's
//! shell rules only when needed; an option value that starts with `--` is written as
//! `--name=value`, and positional words that start with `--` come after a lone `--`.
//!
//! A few commands have no exact line, because no console syntax can carry them: a config
//! key containing `=` or wrapped in spaces, a `kafka-configs` value with both a comma and
//! a square bracket, topic names containing `,`, `:` or `;` where the syntax lists topics,
//! a consumer subscribing without a group or both subscribing and assigning, an empty
//! `--topic t:` partition list, and an `--alter` that changes nothing. For those the line
//! is the closest one, and `apply_command` applies the command itself.

use super::shell::quote_if_needed;
use super::sim::{self, DEFAULT_KEY_PREFIX};
use super::{clock, groups, rejection, shell, tool_name, topics, Console};
use crate::engine::command::ProducerStream;
use crate::engine::consumer::format_thousandths;
use crate::engine::partitioner::NullKeyStrategy;
use crate::engine::replication::Acks;
use crate::engine::{Command, ResetScope, ResetSpec, SeekTarget, TopicPartition, TxnAction};

/// The broker every Kafka tool line names.
pub const BOOTSTRAP_SERVER: &str = "localhost:9092";

/// A console line being written: the program (and subcommand), positional words and
/// options, each word unquoted until [`LineBuilder::build`].
pub(super) struct LineBuilder {
    head: Vec<String>,
    positional: Vec<String>,
    options: Vec<String>,
}

impl LineBuilder {
    pub(super) fn new(head: &[&str]) -> Self {
        Self {
            head: head.iter().map(|w| w.to_string()).collect(),
            positional: Vec::new(),
            options: Vec::new(),
        }
    }

    /// One of Kafka's tools, with `--bootstrap-server`.
    pub(super) fn kafka_tool(tool: &str) -> Self {
        Self::new(&[tool]).opt("bootstrap-server", BOOTSTRAP_SERVER)
    }

    pub(super) fn positional(mut self, word: &str) -> Self {
        self.positional.push(word.to_string());
        self
    }

    pub(super) fn flag(mut self, name: &str) -> Self {
        self.options.push(format!("--{name}"));
        self
    }

    /// `--name value`, or `--name=value` when the value would read as an option.
    pub(super) fn opt(mut self, name: &str, value: &str) -> Self {
        if value.starts_with("--") {
            self.options.push(format!("--{name}={value}"));
        } else {
            self.options.push(format!("--{name}"));
            self.options.push(value.to_string());
        }
        self
    }

    pub(super) fn opt_if(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.opt(name, v),
            None => self,
        }
    }

    /// The line, each word quoted as needed. Positional words come first, unless one of
    /// them starts with `--`: then they follow the options after a lone `--`.
    fn build(self) -> String {
        let guarded = self.positional.iter().any(|w| w.starts_with("--"));
        let mut words = self.head;
        if guarded {
            words.extend(self.options);
            words.push("--".into());
            words.extend(self.positional);
        } else {
            words.extend(self.positional);
            words.extend(self.options);
        }
        words
            .iter()
            .map(|w| quote_if_needed(w))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `key=value`.
pub(super) fn pair(key: &str, value: &str) -> String {
    format!("{key}={value}")
}

/// `orders:0,1;payments:2`: consecutive partitions of the same topic share an entry, so
/// the list reads back in the same order.
fn partition_list(assign: &[TopicPartition]) -> String {
    let mut entries: Vec<(String, Vec<String>)> = Vec::new();
    for tp in assign {
        match entries.last_mut() {
            Some((topic, parts)) if *topic == tp.topic => parts.push(tp.partition.to_string()),
            _ => entries.push((tp.topic.clone(), vec![tp.partition.to_string()])),
        }
    }
    entries
        .into_iter()
        .map(|(topic, parts)| format!("{topic}:{}", parts.join(",")))
        .collect::<Vec<_>>()
        .join(";")
}

/// `orders:2`.
fn topic_partition(tp: &TopicPartition) -> String {
    format!("{}:{}", tp.topic, tp.partition)
}

/// A date as `--to-datetime` takes it: `2024-01-01T00:00:05.000`, in UTC.
pub fn format_datetime(ms: i64) -> String {
    let utc = clock::format_utc(ms);
    utc.strip_suffix('Z').map(str::to_string).unwrap_or(utc)
}

/// Milliseconds as an ISO-8601 duration, as `--by-duration` takes it: `P1DT2H3M4.5S`,
/// `PT0S`, `-PT1M`.
pub fn format_iso_duration(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let abs = ms.unsigned_abs();
    let days = abs / 86_400_000;
    let rest = abs % 86_400_000;
    let (hours, minutes) = (rest / 3_600_000, rest / 60_000 % 60);
    let (seconds, millis) = (rest / 1000 % 60, rest % 1000);
    let mut out = format!("{sign}P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    let mut time = String::new();
    if hours > 0 {
        time.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        time.push_str(&format!("{minutes}M"));
    }
    if millis > 0 {
        let fraction = format!("{millis:03}");
        time.push_str(&format!("{seconds}.{}S", fraction.trim_end_matches('0')));
    } else if seconds > 0 || (days == 0 && time.is_empty()) {
        time.push_str(&format!("{seconds}S"));
    }
    if !time.is_empty() {
        out.push('T');
        out.push_str(&time);
    }
    out
}

/// `--add-config` values: one option with `k=v,k2=v2`, list values in square brackets;
/// one option per pair when a value holds a bracket, so brackets cannot swallow the
/// commas between pairs.
fn add_config_options(mut line: LineBuilder, set: &[(String, String)]) -> LineBuilder {
    let written: Vec<String> = set
        .iter()
        .map(|(k, v)| {
            let bracketed = v.contains(',') || (v.starts_with('[') && v.ends_with(']'));
            if bracketed {
                pair(k, &format!("[{v}]"))
            } else {
                pair(k, v)
            }
        })
        .collect();
    let separate = set.iter().any(|(_, v)| v.contains(['[', ']']));
    if separate {
        for entry in &written {
            line = line.opt("add-config", entry);
        }
        line
    } else {
        line.opt("add-config", &written.join(","))
    }
}

/// The console line that produces exactly `command`: Kafka's tool where one exists, the
/// simulator's command otherwise. See the module documentation for the few commands no
/// line expresses exactly.
pub fn command_line(command: &Command) -> String {
    let line = match command {
        Command::CreateTopic {
            name,
            partitions,
            configs,
        } => {
            let mut line = LineBuilder::kafka_tool("kafka-topics")
                .flag("create")
                .opt("topic", name)
                .opt("partitions", &partitions.to_string());
            for (k, v) in configs {
                line = line.opt("config", &pair(k, v));
            }
            line
        }
        Command::DeleteTopic { name } => LineBuilder::kafka_tool("kafka-topics")
            .flag("delete")
            .opt("topic", name),
        Command::AddPartitions { topic, total } => LineBuilder::kafka_tool("kafka-topics")
            .flag("alter")
            .opt("topic", topic)
            .opt("partitions", &total.to_string()),
        Command::AlterTopicConfig { topic, set, delete } => {
            let mut line = LineBuilder::kafka_tool("kafka-configs")
                .flag("alter")
                .opt("entity-type", "topics")
                .opt("entity-name", topic);
            if !set.is_empty() {
                line = add_config_options(line, set);
            }
            if !delete.is_empty() {
                line = line.opt("delete-config", &delete.join(","));
            }
            line
        }
        Command::AddProducer { name, null_key } => {
            let line = LineBuilder::new(&["producer", "add"]).positional(name);
            match null_key {
                NullKeyStrategy::Sticky => line,
                NullKeyStrategy::RoundRobin => line.flag("round-robin"),
            }
        }
        Command::RemoveProducer { name } => {
            LineBuilder::new(&["producer", "remove"]).positional(name)
        }
        Command::Produce {
            producer,
            topic,
            partition,
            key,
            value,
            headers,
        } => {
            let mut line = LineBuilder::new(&["produce"]).positional(topic);
            if let Some(value) = value {
                line = line.positional(value);
            }
            line = line
                .opt_if("key", key.as_deref())
                .opt_if("partition", partition.map(|p| p.to_string()).as_deref())
                .opt_if("producer", producer.as_deref());
            for (k, v) in headers {
                line = line.opt("header", &pair(k, v));
            }
            line
        }
        Command::SetProducerStream { producer, stream } => {
            let line = LineBuilder::new(&["producer", "stream"]).positional(producer);
            match stream {
                None => line.flag("stop"),
                Some(ProducerStream {
                    topic,
                    millirecords_per_second,
                    key_pool,
                    key_prefix,
                }) => {
                    let mut line = line.opt("topic", topic).opt(
                        "rate",
                        &format_thousandths(u64::from(*millirecords_per_second)),
                    );
                    if *key_pool > 0 {
                        line = line.opt("keys", &key_pool.to_string());
                    }
                    if key_prefix != DEFAULT_KEY_PREFIX {
                        line = line.opt("key-prefix", key_prefix);
                    }
                    line
                }
            }
        }
        Command::StartConsumer {
            client_id,
            group,
            topics,
            assign,
            config,
        } => {
            let mut line = match group {
                Some(group) if !topics.is_empty() => LineBuilder::new(&["consumer", "start"])
                    .positional(client_id)
                    .opt("group", group)
                    .opt("topic", &topics.join(",")),
                _ => LineBuilder::new(&["consumer", "assign"])
                    .positional(client_id)
                    .opt("partition", &partition_list(assign))
                    .opt_if("group", group.as_deref()),
            };
            for (k, v) in config {
                line = line.opt("config", &pair(k, v));
            }
            line
        }
        Command::StopConsumer { client_id } => consumer("stop", client_id),
        Command::CrashConsumer { client_id } => consumer("crash", client_id),
        Command::RestartConsumer { client_id } => consumer("restart", client_id),
        Command::RemoveConsumer { client_id } => consumer("remove", client_id),
        Command::PauseConsumer { client_id } => consumer("pause", client_id),
        Command::ResumeConsumer { client_id } => consumer("resume", client_id),
        Command::CommitSync { client_id } => consumer("commit", client_id),
        Command::SetConsumerConfig {
            client_id,
            key,
            value,
        } => consumer("set", client_id).positional(&pair(key, value)),
        Command::Seek {
            client_id,
            partition,
            to,
        } => {
            let line = consumer("seek", client_id).opt_if(
                "partition",
                partition.as_ref().map(topic_partition).as_deref(),
            );
            match to {
                SeekTarget::Beginning => line.flag("to-beginning"),
                SeekTarget::End => line.flag("to-end"),
                SeekTarget::Offset(n) => line.opt("to-offset", &n.to_string()),
                SeekTarget::Timestamp(ms) => line.opt("to-datetime", &format_datetime(*ms)),
            }
        }
        Command::ResetOffsets {
            group,
            scope,
            spec,
            execute,
        } => {
            let mut line = LineBuilder::kafka_tool("kafka-consumer-groups")
                .flag("reset-offsets")
                .opt("group", group);
            match scope {
                ResetScope::AllTopics => line = line.flag("all-topics"),
                ResetScope::Topics(list) => {
                    for (topic, partitions) in list {
                        line = line.opt(
                            "topic",
                            &match partitions {
                                None => topic.clone(),
                                Some(ps) => {
                                    let ps: Vec<String> = ps.iter().map(u32::to_string).collect();
                                    format!("{topic}:{}", ps.join(","))
                                }
                            },
                        );
                    }
                }
            }
            line = match spec {
                ResetSpec::ToEarliest => line.flag("to-earliest"),
                ResetSpec::ToLatest => line.flag("to-latest"),
                ResetSpec::ToCurrent => line.flag("to-current"),
                ResetSpec::ToOffset(n) => line.opt("to-offset", &n.to_string()),
                ResetSpec::ShiftBy(n) => line.opt("shift-by", &n.to_string()),
                ResetSpec::ToDatetime(ms) => line.opt("to-datetime", &format_datetime(*ms)),
                ResetSpec::ByDuration(ms) => line.opt("by-duration", &format_iso_duration(*ms)),
            };
            line.flag(if *execute { "execute" } else { "dry-run" })
        }
        Command::Share(share) => super::share_groups::share_line(share),
        Command::DeleteGroup { group } => LineBuilder::kafka_tool("kafka-consumer-groups")
            .flag("delete")
            .opt("group", group),
        Command::DeleteOffsets { group, partitions } => {
            let mut line = LineBuilder::kafka_tool("kafka-consumer-groups")
                .flag("delete-offsets")
                .opt("group", group);
            let mut by_topic: Vec<(&str, Vec<String>)> = Vec::new();
            for tp in partitions {
                match by_topic.last_mut() {
                    Some((topic, numbers)) if *topic == tp.topic => {
                        numbers.push(tp.partition.to_string())
                    }
                    _ => by_topic.push((&tp.topic, vec![tp.partition.to_string()])),
                }
            }
            for (topic, numbers) in by_topic {
                line = line.opt("topic", &format!("{topic}:{}", numbers.join(",")));
            }
            line
        }
        Command::RunCleaner { topic } => {
            LineBuilder::new(&["cleaner", "run"]).opt_if("topic", topic.as_deref())
        }
        Command::RunRetention { topic } => {
            LineBuilder::new(&["retention", "run"]).opt_if("topic", topic.as_deref())
        }
        Command::DeleteRecords {
            partition,
            before_offset,
        } => LineBuilder::new(&["records", "delete"])
            .opt("partition", &topic_partition(partition))
            .opt("before-offset", &before_offset.to_string()),
        Command::FillTopic {
            topic,
            records_per_partition,
        } => LineBuilder::new(&["records", "fill"])
            .opt("topic", topic)
            .opt("count", &records_per_partition.to_string()),
        Command::SetBrokerConfig { key, value } => {
            LineBuilder::new(&["broker", "set"]).positional(&pair(key, value))
        }
        Command::CreateTopicOnReplicas {
            name,
            partitions,
            replication_factor,
            assignment,
            configs,
        } => {
            let mut line = LineBuilder::kafka_tool("kafka-topics")
                .flag("create")
                .opt("topic", name);
            line = match assignment {
                Some(a) => line.opt(
                    "replica-assignment",
                    &a.iter()
                        .map(|r| r.iter().map(i32::to_string).collect::<Vec<_>>().join(":"))
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                None => line.opt("partitions", &partitions.to_string()).opt_if(
                    "replication-factor",
                    replication_factor.map(|r| r.to_string()).as_deref(),
                ),
            };
            for (k, v) in configs {
                line = line.opt("config", &pair(k, v));
            }
            line
        }
        Command::AddBroker => LineBuilder::new(&["broker", "add"]),
        Command::StopBroker { broker } => {
            LineBuilder::new(&["broker", "stop"]).positional(&broker.to_string())
        }
        Command::CrashBroker { broker } => {
            LineBuilder::new(&["broker", "crash"]).positional(&broker.to_string())
        }
        Command::StartBroker { broker } => {
            LineBuilder::new(&["broker", "start"]).positional(&broker.to_string())
        }
        Command::SlowBroker { broker, factor } => LineBuilder::new(&["broker", "slow"])
            .positional(&broker.to_string())
            .positional(&factor.to_string()),
        Command::ElectLeaders {
            election,
            partitions,
        } => {
            let line = LineBuilder::kafka_tool("kafka-leader-election")
                .opt("election-type", election.as_str());
            match partitions.as_deref() {
                None => line.flag("all-topic-partitions"),
                Some([tp]) => line
                    .opt("topic", &tp.topic)
                    .opt("partition", &tp.partition.to_string()),
                // The tool names several partitions only in a JSON file.
                Some(_) => line.flag("all-topic-partitions"),
            }
        }
        Command::SetProducerAcks { producer, acks } => LineBuilder::new(&["producer", "acks"])
            .positional(producer)
            .positional(match acks {
                Acks::None => "0",
                Acks::Leader => "1",
                Acks::All => "all",
            }),
        Command::Advance { ticks } => {
            LineBuilder::new(&["clock", "advance"]).positional(&ticks.to_string())
        }
        Command::SetProducerConfig {
            producer,
            key,
            value,
        } => LineBuilder::new(&["producer", "set"])
            .positional(producer)
            .positional(&pair(key, value)),
        Command::SetProducerFault {
            producer,
            fault,
            once,
        } => {
            let line = LineBuilder::new(&["producer", "fault"])
                .positional(producer)
                .positional(fault.map_or("none", |f| f.as_str()));
            if *once {
                line.flag("once")
            } else {
                line
            }
        }
        Command::Transaction { producer, action } => match action {
            TxnAction::Init => LineBuilder::new(&["txn", "init"]).positional(producer),
            TxnAction::Begin => LineBuilder::new(&["txn", "begin"]).positional(producer),
            TxnAction::Commit => LineBuilder::new(&["txn", "commit"]).positional(producer),
            TxnAction::Abort => LineBuilder::new(&["txn", "abort"]).positional(producer),
            TxnAction::SendOffsets { consumer } => LineBuilder::new(&["txn", "send-offsets"])
                .positional(producer)
                .opt("consumer", consumer),
        },
        Command::AbortHangingTransaction {
            partition,
            start_offset,
        } => LineBuilder::kafka_tool("kafka-transactions")
            .positional("abort")
            .opt("topic", &partition.topic)
            .opt("partition", &partition.partition.to_string())
            .opt("start-offset", &start_offset.to_string()),
        Command::Pipeline(pipeline) => super::pipeline::pipeline_line(pipeline),
    };
    line.build()
}

/// `consumer <sub> <client-id>`.
fn consumer(sub: &str, client_id: &str) -> LineBuilder {
    LineBuilder::new(&["consumer", sub]).positional(client_id)
}

/// The command a `kafka-transactions` line stands for: only `abort` changes anything.
fn transactions_abort_command(words: &[String]) -> Option<Command> {
    let p = super::args::parse(words, &super::transactions::TRANSACTIONS_OPTIONS).ok()?;
    if p.positional.first().map(String::as_str) != Some("abort") {
        return None;
    }
    Some(Command::AbortHangingTransaction {
        partition: TopicPartition::new(p.value("topic")?, p.value("partition")?.parse().ok()?),
        start_offset: p.value("start-offset")?.parse().ok()?,
    })
}

impl Console {
    /// The engine commands a line stands for, read without applying them and, but for
    /// `--all-groups` and `consumer assign --partition t` (every partition of `t`),
    /// without looking at the cluster: whether the topic or group exists is the engine's
    /// business. Lines that only print (`--list`, `--describe`, `help`) stand for no
    /// command. `Err` holds what the console prints instead: a usage or parse error, or
    /// why the line is not a sequence of commands (`kafka-console-producer`, `step`, …).
    pub fn parse_command(&self, line: &str) -> Result<Vec<Command>, String> {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return Ok(Vec::new());
        }
        let words = shell::split_words(trimmed).map_err(|e| format!("bash: {e}"))?;
        let Some((program, rest)) = words.split_first() else {
            return Ok(Vec::new());
        };
        let parsed = match tool_name(program) {
            "kafka-topics" => topics::topics_args(rest)
                .and_then(|p| topics::topics_command(&p))
                .map(|c| c.into_iter().collect()),
            "kafka-configs" => topics::configs_args(rest)
                .and_then(|p| topics::configs_command(&p))
                .map(|c| c.into_iter().collect()),
            "kafka-get-offsets" => Ok(Vec::new()),
            "kafka-transactions" => Ok(transactions_abort_command(rest).into_iter().collect()),
            "kafka-leader-election" => {
                super::leader_election::leader_election_command(rest).map(|c| vec![c])
            }
            "kafka-consumer-groups" => self.groups_commands(rest),
            "kafka-share-groups" => self.share_groups_commands(rest),
            "kafka-console-share-consumer" => {
                super::share_groups::console_share_command(rest).map(|c| vec![c])
            }
            "share-consumer" => super::share_groups::share_consumer_parse(rest).map(|c| vec![c]),
            tool @ ("kafka-console-producer" | "kafka-console-consumer") => Err(format!(
                "{tool} runs interactively; what it does depends on what it reads\n"
            )),
            other => match sim::SimCommand::from_name(other) {
                Some(command) => self.sim_parse(command, rest),
                None => Err(super::command_not_found(program)),
            },
        };
        parsed.map_err(|text| text.trim_end().to_string())
    }

    /// Applies a command from the page (a mouse action) exactly once and returns the
    /// console line that does the same with what typing it prints, for the page to echo
    /// as `$ line` and output. When the line stands for exactly this command it runs as
    /// if typed; otherwise (a command no line expresses, or a tool that refuses before
    /// asking the engine) the command is applied directly and its events narrated.
    pub fn apply_command(&mut self, command: Command) -> (String, String) {
        let line = command_line(&command);
        let exact = self
            .parse_command(&line)
            .is_ok_and(|parsed| parsed.as_slice() == std::slice::from_ref(&command));
        let before = self.applied;
        let mut out = if exact {
            self.run_command_line(&line)
        } else {
            String::new()
        };
        if self.applied == before {
            out = self.narrated_apply(command);
        }
        for printed in self.drain_output() {
            out.push_str(&printed);
            out.push('\n');
        }
        (line, out)
    }

    /// Applies a command and narrates its events as the simulator's commands do.
    fn narrated_apply(&mut self, command: Command) -> String {
        match command {
            Command::Advance { ticks } => self.advance_output(ticks, false),
            Command::RunCleaner { .. } | Command::RunRetention { .. } => {
                self.maintenance_output(command)
            }
            Command::StartConsumer { .. }
            | Command::StopConsumer { .. }
            | Command::CrashConsumer { .. }
            | Command::RestartConsumer { .. }
            | Command::RemoveConsumer { .. }
            | Command::SetConsumerConfig { .. }
            | Command::PauseConsumer { .. }
            | Command::ResumeConsumer { .. }
            | Command::Seek { .. }
            | Command::CommitSync { .. } => self.consumer_output(command, false),
            Command::ResetOffsets { .. }
            | Command::DeleteGroup { .. }
            | Command::DeleteOffsets { .. } => {
                let events = self.apply(command);
                match rejection(&events) {
                    Some(reason) => groups::error(&reason),
                    None => sim::narrate(&events, true),
                }
            }
            other => {
                let events = self.apply(other);
                sim::narrate(&events, true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_back() {
        for ms in [0, 1, 500, 1000, 61_000, 3_600_000, 86_400_001, -90_000] {
            let text = format_iso_duration(ms);
            assert_eq!(clock::parse_iso_duration(&text), Some(ms), "{text}");
        }
        assert_eq!(format_iso_duration(0), "PT0S");
        assert_eq!(format_iso_duration(93_784_500), "P1DT2H3M4.5S");
        assert_eq!(format_iso_duration(-60_000), "-PT1M");
    }

    #[test]
    fn dates_read_back() {
        for ms in [0, 1_700_000_000_123, 5] {
            assert_eq!(clock::parse_datetime(&format_datetime(ms)), Some(ms));
        }
        assert_eq!(format_datetime(5_000), "1970-01-01T00:00:05.000");
    }

    #[test]
    fn kafka_tools_name_the_bootstrap_server() {
        let line = command_line(&Command::CreateTopic {
            name: "orders".into(),
            partitions: 3,
            configs: vec![("cleanup.policy".into(), "compact".into())],
        });
        assert_eq!(
            line,
            "kafka-topics --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --config cleanup.policy=compact"
        );
    }

    #[test]
    fn awkward_words_are_guarded() {
        let line = command_line(&Command::Produce {
            producer: None,
            topic: "t".into(),
            partition: None,
            key: Some("--k".into()),
            value: Some("--v it's".into()),
            headers: Vec::new(),
        });
        assert_eq!(line, r"produce --key=--k -- t '--v it'\''s'");
    }
}
