//! The simulator's own commands, for everything the diagram can do that Kafka's tools
//! cannot: starting and crashing consumers, producers' streams, the clock, time travel.
//! Each maps to engine [`Command`]s and prints the events it caused as sentences.

use super::args::{self, flag, value, OptSpec};
use super::clock;
use super::Console;
use crate::engine::command::ProducerStream;
use crate::engine::consumer::parse_thousandths;
use crate::engine::partitioner::NullKeyStrategy;
use crate::engine::replication::Acks;
use crate::engine::{Command, Event, SeekTarget, TopicPartition};
use crate::timeline::Timeline;

/// A simulator command by its first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SimCommand {
    Broker,
    Cleaner,
    Clock,
    Consumer,
    Help,
    Pipeline,
    Produce,
    Producer,
    Records,
    Reset,
    Retention,
    Seed,
    Step,
    Txn,
}

impl SimCommand {
    pub(super) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "broker" => Self::Broker,
            "cleaner" => Self::Cleaner,
            "clock" => Self::Clock,
            "consumer" => Self::Consumer,
            "help" => Self::Help,
            "pipeline" => Self::Pipeline,
            "produce" => Self::Produce,
            "producer" => Self::Producer,
            "records" => Self::Records,
            "reset" => Self::Reset,
            "retention" => Self::Retention,
            "seed" => Self::Seed,
            "step" => Self::Step,
            "txn" => Self::Txn,
            _ => return None,
        })
    }
}

/// Subcommands of `consumer`.
pub(super) const CONSUMER_SUBCOMMANDS: [&str; 12] = [
    "assign", "commit", "crash", "list", "pause", "remove", "restart", "resume", "seek", "set",
    "start", "stop",
];

pub(super) const PRODUCER_SUBCOMMANDS: [&str; 6] =
    ["acks", "add", "fault", "remove", "set", "stream"];

/// The subcommands of `broker`.
pub(super) const BROKER_SUBCOMMANDS: [&str; 6] = ["add", "crash", "set", "slow", "start", "stop"];

pub(super) const CONSUMER_OPTIONS: [OptSpec; 9] = [
    value("group"),
    value("topic"),
    value("partition"),
    value("config"),
    flag("to-beginning"),
    flag("to-end"),
    value("to-offset"),
    value("to-datetime"),
    flag("verbose"),
];

pub(super) const PRODUCER_OPTIONS: [OptSpec; 7] = [
    flag("round-robin"),
    value("topic"),
    value("rate"),
    value("keys"),
    value("key-prefix"),
    flag("stop"),
    flag("verbose"),
];

pub(super) const PRODUCE_OPTIONS: [OptSpec; 4] = [
    value("key"),
    value("partition"),
    value("producer"),
    value("header"),
];

pub(super) const RECORDS_OPTIONS: [OptSpec; 4] = [
    value("partition"),
    value("before-offset"),
    value("topic"),
    value("count"),
];

/// What a stream's keys start with unless `--key-prefix` says otherwise.
pub(super) const DEFAULT_KEY_PREFIX: &str = "key-";

/// The most a typed `clock advance` moves the clock: one hour.
const MAX_TYPED_ADVANCE: u32 = 36_000;

pub(super) const MISC_OPTIONS: [OptSpec; 3] = [value("topic"), value("seed"), flag("verbose")];

/// Events too frequent to narrate after every command unless `--verbose` is given.
fn is_routine(event: &Event) -> bool {
    matches!(
        event,
        Event::RecordsFetched { .. }
            | Event::RecordsProcessed { .. }
            | Event::RecordProduced { .. }
            | Event::OffsetsCommitted { .. }
            | Event::JoinRequested { .. }
            | Event::ClockAdvanced { .. }
            | Event::PositionRestored { .. }
    ) || matches!(event, Event::RecordFailed { producer, .. } if producer == super::clients::CONSOLE_PRODUCER)
}

/// The events as sentences, one a line; routine ones only when `verbose`.
pub(super) fn narrate(events: &[Event], verbose: bool) -> String {
    let mut out = String::new();
    for event in events {
        if let Event::Rejected { reason } = event {
            out.push_str(&format!("Error: {reason}\n"));
        } else if matches!(event, Event::ClockAdvanced { .. }) {
            // The command prints the time itself.
        } else if verbose || !is_routine(event) {
            out.push_str(&event.narrate());
            out.push('\n');
        }
    }
    out
}

/// `orders:0,1` → the partitions; `orders` → every partition of the topic.
fn parse_partitions(
    text: &str,
    partition_counts: impl Fn(&str) -> Option<u32>,
) -> Result<Vec<TopicPartition>, String> {
    let mut out = Vec::new();
    for spec in text.split(';').filter(|s| !s.is_empty()) {
        match spec.split_once(':') {
            Some((topic, list)) => {
                for part in list.split(',') {
                    let n: u32 = part
                        .trim()
                        .parse()
                        .map_err(|_| format!("Invalid partition '{part}' in '{spec}'"))?;
                    out.push(TopicPartition::new(topic, n));
                }
            }
            None => {
                let n = partition_counts(spec)
                    .ok_or_else(|| format!("Topic '{spec}' does not exist."))?;
                out.extend((0..n).map(|p| TopicPartition::new(spec, p)));
            }
        }
    }
    Ok(out)
}

fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("Expected key=value, got '{text}'")),
    }
}

/// What a `consumer …` line asks for.
pub(super) enum ConsumerLine {
    /// `consumer list`: a listing, no command.
    List,
    /// One engine command, narrated with every event when `verbose`.
    Command { command: Command, verbose: bool },
}

/// The two subcommands of `cleaner` and `retention`, and `broker set`.
fn subcommand(words: &[String]) -> (&str, &[String]) {
    words
        .split_first()
        .map_or(("", &[][..]), |(s, r)| (s.as_str(), r))
}

/// Parses `cleaner run [--topic t]` or `retention run [--topic t]`.
fn maintenance_parse(command: SimCommand, words: &[String]) -> Result<Command, String> {
    let (sub, rest) = subcommand(words);
    let cleaner = command == SimCommand::Cleaner;
    if sub != "run" {
        let name = if cleaner { "cleaner" } else { "retention" };
        return Err(format!("Usage: {name} run [--topic t]\n"));
    }
    let p = args::parse(rest, &MISC_OPTIONS).map_err(|e| format!("{e}\n"))?;
    let topic = p.value("topic").map(str::to_string);
    Ok(if cleaner {
        Command::RunCleaner { topic }
    } else {
        Command::RunRetention { topic }
    })
}

/// Parses `broker set key=value`.
fn broker_parse(words: &[String]) -> Result<Command, String> {
    const USAGE: &str = "Usage: broker set key=value | broker add | broker stop|crash|start N | broker slow N <factor>\n";
    let (sub, rest) = subcommand(words);
    let id = |text: &String| -> Result<i32, String> {
        text.parse::<i32>()
            .map_err(|_| format!("Not a broker id: {text}\n"))
    };
    match (sub, rest) {
        ("set", [pair]) => {
            let (key, value) = key_value(pair).map_err(|e| format!("{e}\n"))?;
            Ok(Command::SetBrokerConfig { key, value })
        }
        ("add", []) => Ok(Command::AddBroker),
        ("stop", [n]) => Ok(Command::StopBroker { broker: id(n)? }),
        ("crash", [n]) => Ok(Command::CrashBroker { broker: id(n)? }),
        ("start", [n]) => Ok(Command::StartBroker { broker: id(n)? }),
        ("slow", [n, factor]) => Ok(Command::SlowBroker {
            broker: id(n)?,
            factor: factor
                .parse::<u32>()
                .map_err(|_| format!("Not a slow-down factor: {factor}\n"))?,
        }),
        _ => Err(USAGE.into()),
    }
}

/// Parses `records delete --partition t:p --before-offset N` (what `kafka-delete-records`
/// does with its JSON file).
fn records_parse(words: &[String]) -> Result<Command, String> {
    const USAGE: &str = "Usage: records delete --partition t:p --before-offset N\n       records fill --topic t --count N\n";
    let (sub, rest) = subcommand(words);
    if sub != "delete" && sub != "fill" {
        return Err(USAGE.into());
    }
    let p = args::parse(rest, &RECORDS_OPTIONS).map_err(|e| format!("{e}\n"))?;
    if sub == "fill" {
        let (Some(topic), Some(count)) = (p.value("topic"), p.value("count")) else {
            return Err(USAGE.into());
        };
        if !p.positional.is_empty()
            || p.value("partition").is_some()
            || p.value("before-offset").is_some()
        {
            return Err(USAGE.into());
        }
        let records_per_partition = count
            .parse::<u64>()
            .map_err(|_| format!("Not a count: {count}\n"))?;
        return Ok(Command::FillTopic {
            topic: topic.to_string(),
            records_per_partition,
        });
    }
    if p.value("topic").is_some() || p.value("count").is_some() {
        return Err(USAGE.into());
    }
    let (Some(spec), Some(offset)) = (p.value("partition"), p.value("before-offset")) else {
        return Err(USAGE.into());
    };
    if !p.positional.is_empty() {
        return Err(USAGE.into());
    }
    let partition = topic_partition(spec)?;
    let before_offset = offset
        .parse::<i64>()
        .map_err(|_| format!("Not an offset: {offset}\n"))?;
    Ok(Command::DeleteRecords {
        partition,
        before_offset,
    })
}

/// `orders:2` → partition 2 of `orders` (the last colon separates them).
fn topic_partition(spec: &str) -> Result<TopicPartition, String> {
    match spec.rsplit_once(':').map(|(t, n)| (t, n.parse::<u32>())) {
        Some((topic, Ok(n))) => Ok(TopicPartition::new(topic, n)),
        _ => Err(format!("Expected topic:partition, got '{spec}'\n")),
    }
}

/// Parses the words after `clock advance`: the ticks and whether `--verbose` was given.
/// The one-hour limit is the console's policy for typed lines, checked by the caller.
fn advance_parse(words: &[String]) -> Result<(u32, bool), String> {
    let p = args::parse(words, &MISC_OPTIONS).map_err(|e| format!("{e}\n"))?;
    let Some(Some(ticks)) = p.positional.first().map(|t| clock::parse_ticks(t)) else {
        return Err("Usage: clock advance <ticks | 500ms | 5s | 2m | 1h> [--verbose]\n".into());
    };
    Ok((ticks, p.has("verbose")))
}

/// Parses `producer add|remove|stream …`.
fn producer_parse(words: &[String]) -> Result<Command, String> {
    let Some((sub, rest)) = words.split_first() else {
        return Err(sim_help(Some("producer")));
    };
    if !PRODUCER_SUBCOMMANDS.contains(&sub.as_str()) {
        return Err(match args::closest(sub, &PRODUCER_SUBCOMMANDS) {
            Some(best) => {
                format!("Unknown subcommand: producer {sub}. Did you mean producer {best}?\n")
            }
            None => format!("Unknown subcommand: producer {sub}. Try: help producer\n"),
        });
    }
    let p = args::parse(rest, &PRODUCER_OPTIONS).map_err(|e| format!("{e}\n"))?;
    let Some(name) = p.positional.first().cloned() else {
        return Err(format!(
            "Usage: producer {sub} <name> …  (see: help producer)\n"
        ));
    };
    Ok(match sub.as_str() {
        "acks" => {
            let acks = p
                .positional
                .get(1)
                .and_then(|a| Acks::parse(a))
                .filter(|_| p.positional.len() == 2)
                .ok_or_else(|| "Usage: producer acks <name> 0|1|all\n".to_string())?;
            Command::SetProducerAcks {
                producer: name,
                acks,
            }
        }
        "add" => Command::AddProducer {
            name,
            null_key: if p.has("round-robin") {
                NullKeyStrategy::RoundRobin
            } else {
                NullKeyStrategy::Sticky
            },
        },
        "remove" => Command::RemoveProducer { name },
        _ => {
            if p.has("stop") {
                return Ok(Command::SetProducerStream {
                    producer: name,
                    stream: None,
                });
            }
            let (Some(topic), Some(rate)) = (p.value("topic"), p.value("rate")) else {
                return Err("Usage: producer stream <name> --topic t --rate R [--keys N] [--key-prefix P] | producer stream <name> --stop\n".into());
            };
            let Some(millirecords_per_second) =
                parse_thousandths(rate).and_then(|r| u32::try_from(r).ok())
            else {
                return Err(format!("Not a rate in records per second: {rate}\n"));
            };
            let key_pool = match p.value("keys").map(str::parse::<u32>) {
                None => 0,
                Some(Ok(n)) => n,
                Some(Err(_)) => return Err("--keys takes a number of distinct keys\n".into()),
            };
            Command::SetProducerStream {
                producer: name,
                stream: Some(ProducerStream {
                    topic: topic.to_string(),
                    millirecords_per_second,
                    key_pool,
                    key_prefix: p.value("key-prefix").unwrap_or(DEFAULT_KEY_PREFIX).into(),
                }),
            }
        }
    })
}

/// Parses `produce <topic> [<value>...] [--key K] …`: one record per value, or one record
/// with a null value when no value is given.
fn produce_parse(words: &[String]) -> Result<Vec<Command>, String> {
    let p = args::parse(words, &PRODUCE_OPTIONS).map_err(|e| format!("{e}\n"))?;
    let Some((topic, values)) = p.positional.split_first() else {
        return Err("Usage: produce <topic> <value>... [--key K] [--partition P] [--producer NAME] [--header k=v]\n".into());
    };
    let partition = match p.value("partition").map(str::parse::<i64>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => return Err("--partition takes a partition number\n".into()),
    };
    let mut headers = Vec::new();
    for h in p.values("header") {
        headers.push(key_value(h).map_err(|e| format!("{e}\n"))?);
    }
    // No value: one record with a null value (a tombstone when it has a key).
    let values: Vec<Option<String>> = if values.is_empty() {
        vec![None]
    } else {
        values.iter().cloned().map(Some).collect()
    };
    Ok(values
        .into_iter()
        .map(|value| Command::Produce {
            producer: p.value("producer").map(str::to_string),
            topic: topic.clone(),
            partition,
            key: p.value("key").map(str::to_string),
            value,
            headers: headers.clone(),
        })
        .collect())
}

impl Console {
    /// The engine commands a simulator line stands for, without applying them: none for
    /// lines that only print (help, listings), the text the line would print otherwise.
    pub(super) fn sim_parse(
        &self,
        command: SimCommand,
        words: &[String],
    ) -> Result<Vec<Command>, String> {
        match command {
            SimCommand::Help | SimCommand::Seed => Ok(Vec::new()),
            SimCommand::Consumer => match self.consumer_parse(words)? {
                ConsumerLine::List => Ok(Vec::new()),
                ConsumerLine::Command { command, .. } => Ok(vec![command]),
            },
            SimCommand::Producer => super::transactions::producer_parse(words)
                .unwrap_or_else(|| producer_parse(words).map(|c| vec![c])),
            SimCommand::Txn => super::transactions::txn_parse(words).map(|c| vec![c]),
            SimCommand::Pipeline => super::pipeline::pipeline_parse(words),
            SimCommand::Produce => produce_parse(words),
            SimCommand::Clock => match words.first().map(String::as_str) {
                None | Some("show") => Ok(Vec::new()),
                Some("advance") => {
                    advance_parse(&words[1..]).map(|(ticks, _)| vec![Command::Advance { ticks }])
                }
                Some(other) => Err(format!(
                    "Unknown subcommand: clock {other}. Usage: clock [advance <duration>]\n"
                )),
            },
            SimCommand::Step | SimCommand::Reset => {
                Err("step and reset move along the timeline; they are not engine commands\n".into())
            }
            SimCommand::Cleaner | SimCommand::Retention => {
                maintenance_parse(command, words).map(|c| vec![c])
            }
            SimCommand::Broker => broker_parse(words).map(|c| vec![c]),
            SimCommand::Records => records_parse(words).map(|c| vec![c]),
        }
    }

    pub(super) fn sim_command(&mut self, command: SimCommand, words: &[String]) -> String {
        match command {
            SimCommand::Help => sim_help(words.first().map(String::as_str)),
            SimCommand::Consumer => self.consumer_command(words),
            SimCommand::Producer => match super::transactions::producer_parse(words) {
                Some(Ok(commands)) => self.txn_commands_output(commands),
                Some(Err(text)) => text,
                None => match producer_parse(words) {
                    Ok(command) => narrate(&self.apply(command), true),
                    Err(text) => text,
                },
            },
            SimCommand::Txn => match super::transactions::txn_parse(words) {
                Ok(command) => self.txn_commands_output(vec![command]),
                Err(text) => text,
            },
            SimCommand::Pipeline => self.pipeline_command(words),
            SimCommand::Produce => match produce_parse(words) {
                Ok(commands) => commands
                    .into_iter()
                    .map(|c| narrate(&self.apply(c), true))
                    .collect(),
                Err(text) => text,
            },
            SimCommand::Clock => self.clock_command(words),
            SimCommand::Step => self.step_command(words),
            SimCommand::Reset => {
                let p = match args::parse(words, &MISC_OPTIONS) {
                    Ok(p) => p,
                    Err(e) => return format!("{e}\n"),
                };
                let seed = match p.value("seed").map(str::parse::<u64>) {
                    None => self.timeline.seed(),
                    Some(Ok(s)) => s,
                    Some(Err(_)) => return "Usage: reset [--seed N]\n".into(),
                };
                *self = Console::with_timeline(Timeline::new(seed));
                format!("A new, empty cluster with seed {seed}.\n")
            }
            SimCommand::Seed => format!("{}\n", self.timeline.seed()),
            SimCommand::Cleaner | SimCommand::Retention => {
                match maintenance_parse(command, words) {
                    Ok(c) => self.maintenance_output(c),
                    Err(text) => text,
                }
            }
            SimCommand::Broker => match broker_parse(words) {
                Ok(c) => narrate(&self.apply(c), true),
                Err(text) => text,
            },
            SimCommand::Records => match records_parse(words) {
                Ok(c) => narrate(&self.apply(c), true),
                Err(text) => text,
            },
        }
    }

    /// Applies `cleaner run` or `retention run` and says what it did.
    pub(super) fn maintenance_output(&mut self, command: Command) -> String {
        let cleaner = matches!(command, Command::RunCleaner { .. });
        let out = narrate(&self.apply(command), true);
        if out.is_empty() {
            format!(
                "The {} found nothing to delete.\n",
                if cleaner {
                    "log cleaner"
                } else {
                    "retention check"
                }
            )
        } else {
            out
        }
    }

    /// Parses a `consumer …` line: what it asks for, or the text to print instead.
    pub(super) fn consumer_parse(&self, words: &[String]) -> Result<ConsumerLine, String> {
        let Some((sub, rest)) = words.split_first() else {
            return Err(sim_help(Some("consumer")));
        };
        if !CONSUMER_SUBCOMMANDS.contains(&sub.as_str()) {
            return Err(match args::closest(sub, &CONSUMER_SUBCOMMANDS) {
                Some(best) => {
                    format!("Unknown subcommand: consumer {sub}. Did you mean consumer {best}?\n")
                }
                None => format!("Unknown subcommand: consumer {sub}. Try: help consumer\n"),
            });
        }
        let p = args::parse(rest, &CONSUMER_OPTIONS).map_err(|e| format!("{e}\n"))?;
        let verbose = p.has("verbose");
        if sub == "list" {
            return Ok(ConsumerLine::List);
        }
        let Some(client_id) = p.positional.first().cloned() else {
            return Err(format!(
                "Usage: consumer {sub} <client-id> …  (see: help consumer)\n"
            ));
        };
        let simple = |make: fn(String) -> Command| make(client_id.clone());
        let command = match sub.as_str() {
            "start" | "assign" => {
                let mut config = Vec::new();
                for entry in p.values("config") {
                    config.push(key_value(entry).map_err(|e| format!("{e}\n"))?);
                }
                let group = p.value("group").map(str::to_string);
                if sub == "start" {
                    let Some(topics) = p.value("topic") else {
                        return Err("Usage: consumer start <client-id> --group g --topic t[,t2] [--config k=v]...\n".into());
                    };
                    if group.is_none() {
                        return Err("Usage: consumer start <client-id> --group g --topic t[,t2] [--config k=v]... (a group is needed to subscribe; use consumer assign without one)\n".into());
                    }
                    Command::StartConsumer {
                        client_id: client_id.clone(),
                        group,
                        topics: topics
                            .split(',')
                            .filter(|t| !t.is_empty())
                            .map(str::to_string)
                            .collect(),
                        assign: Vec::new(),
                        config,
                    }
                } else {
                    let Some(spec) = p.value("partition") else {
                        return Err("Usage: consumer assign <client-id> --partition t:0,1 [--group g] [--config k=v]...\n".into());
                    };
                    let state = self.timeline.state();
                    let assign =
                        parse_partitions(spec, |t| state.topics.get(t).map(|t| t.n_partitions()))
                            .map_err(|e| format!("Error: {e}\n"))?;
                    Command::StartConsumer {
                        client_id: client_id.clone(),
                        group,
                        topics: Vec::new(),
                        assign,
                        config,
                    }
                }
            }
            "stop" => simple(|client_id| Command::StopConsumer { client_id }),
            "crash" => simple(|client_id| Command::CrashConsumer { client_id }),
            "restart" => simple(|client_id| Command::RestartConsumer { client_id }),
            "remove" => simple(|client_id| Command::RemoveConsumer { client_id }),
            "pause" => simple(|client_id| Command::PauseConsumer { client_id }),
            "resume" => simple(|client_id| Command::ResumeConsumer { client_id }),
            "commit" => simple(|client_id| Command::CommitSync { client_id }),
            "set" => {
                let Some(Ok((key, value))) = p.positional.get(1).map(|kv| key_value(kv)) else {
                    return Err("Usage: consumer set <client-id> key=value\n".into());
                };
                Command::SetConsumerConfig {
                    client_id: client_id.clone(),
                    key,
                    value,
                }
            }
            _ => {
                let to = if p.has("to-beginning") {
                    SeekTarget::Beginning
                } else if p.has("to-end") {
                    SeekTarget::End
                } else if let Some(text) = p.value("to-offset") {
                    match text.parse::<i64>() {
                        Ok(n) => SeekTarget::Offset(n),
                        Err(_) => return Err(format!("Not an offset: {text}\n")),
                    }
                } else if let Some(text) = p.value("to-datetime") {
                    match clock::parse_datetime(text) {
                        Some(ms) => SeekTarget::Timestamp(ms),
                        None => {
                            return Err(format!("Not a date (YYYY-MM-DDTHH:mm:SS.sss): {text}\n"))
                        }
                    }
                } else {
                    return Err("Usage: consumer seek <client-id> [--partition t:p] (--to-beginning | --to-end | --to-offset N | --to-datetime YYYY-MM-DDTHH:mm:SS.sss)\n".into());
                };
                let partition = match p.value("partition") {
                    None => None,
                    Some(spec) => Some(topic_partition(spec)?),
                };
                Command::Seek {
                    client_id: client_id.clone(),
                    partition,
                    to,
                }
            }
        };
        Ok(ConsumerLine::Command { command, verbose })
    }

    fn consumer_command(&mut self, words: &[String]) -> String {
        let (command, verbose) = match self.consumer_parse(words) {
            Ok(ConsumerLine::List) => return self.list_consumers(),
            Ok(ConsumerLine::Command { command, verbose }) => (command, verbose),
            Err(text) => return text,
        };
        self.consumer_output(command, verbose)
    }

    /// Applies a consumer command and narrates it.
    pub(super) fn consumer_output(&mut self, command: Command, verbose: bool) -> String {
        let (stopping, crashing) = match &command {
            Command::StopConsumer { client_id } | Command::RemoveConsumer { client_id } => {
                (Some(client_id.clone()), false)
            }
            Command::CrashConsumer { client_id } => (Some(client_id.clone()), true),
            _ => (None, false),
        };
        let events = self.apply(command);
        let mut out = narrate(&events, verbose);
        if let Some(client_id) = stopping.filter(|_| super::rejection(&events).is_none()) {
            // A console consumer that is stopped prints no more records; stopped as Ctrl-C
            // stops it (not killed), Kafka's ConsoleConsumer prints its total as it ends.
            if let Some(running) = self.console_consumers.remove(&client_id) {
                if !crashing {
                    out.push_str(&format!(
                        "Processed a total of {} messages\n",
                        running.printed_records
                    ));
                }
            }
        }
        out
    }

    fn list_consumers(&self) -> String {
        let state = self.timeline.state();
        if state.consumers.is_empty() {
            return "No consumers.\n".into();
        }
        let mut out = String::new();
        for c in state.consumers.values() {
            let status = crate::read::reader_status(state, c).process.label();
            out.push_str(&format!(
                "{}\tgroup={}\t{}\towns={}\n",
                c.client_id,
                c.group.as_deref().unwrap_or("-"),
                status,
                super::groups::assignment_string(&c.assignment)
            ));
        }
        out
    }

    fn clock_command(&mut self, words: &[String]) -> String {
        match words.first().map(String::as_str) {
            None | Some("show") => self.clock_now(),
            Some("advance") => {
                let (ticks, verbose) = match advance_parse(&words[1..]) {
                    Ok(parsed) => parsed,
                    Err(text) => return text,
                };
                if ticks > MAX_TYPED_ADVANCE {
                    return "The simulator advances at most 1h (36000 ticks) at a time.\n".into();
                }
                self.advance_output(ticks, verbose)
            }
            Some(other) => {
                format!("Unknown subcommand: clock {other}. Usage: clock [advance <duration>]\n")
            }
        }
    }

    /// `The clock is at tick N (date).`
    fn clock_now(&self) -> String {
        let state = self.timeline.state();
        format!(
            "The clock is at tick {} ({}).\n",
            state.tick,
            clock::format_utc(state.now_ms())
        )
    }

    /// Advances the clock and says what happened and what time it is.
    pub(super) fn advance_output(&mut self, ticks: u32, verbose: bool) -> String {
        let events = self.apply(Command::Advance { ticks });
        let mut out = narrate(&events, verbose);
        out.push_str(&self.clock_now());
        out
    }

    fn step_command(&mut self, words: &[String]) -> String {
        let (direction, count) = match words {
            [d] => (d.as_str(), Some(1)),
            [d, n] => (d.as_str(), n.parse::<usize>().ok()),
            _ => ("", None),
        };
        let Some(count) = count.filter(|_| matches!(direction, "back" | "forward")) else {
            return "Usage: step back [N] | step forward [N]\n".into();
        };
        let mut moved = 0;
        for _ in 0..count {
            let ok = if direction == "back" {
                self.timeline.step_back()
            } else {
                self.timeline.step_forward()
            };
            if !ok {
                break;
            }
            moved += 1;
        }
        let state = self.timeline.state();
        format!(
            "Moved {direction} {moved} step(s): at step {} of {} (tick {}, {}).\n",
            self.timeline.cursor(),
            self.timeline.len(),
            state.tick,
            clock::format_utc(state.now_ms())
        )
    }
}

/// The help text: all commands, or one command in detail.
pub(super) fn sim_help(topic: Option<&str>) -> String {
    super::help::help(topic.map(super::tool_name))
}

#[cfg(test)]
mod tests {
    use super::super::Console;

    /// Kafka's console consumer prints its total when Ctrl-C stops it; killed, it prints nothing.
    #[test]
    fn a_stopped_console_consumer_prints_its_total_and_a_crashed_one_does_not() {
        let mut console = Console::new(42);
        for line in [
            "kafka-topics --create --topic chat --partitions 1",
            "kafka-console-consumer --topic chat",
            "clock advance 4s",
            "produce chat a b c",
            "clock advance 1s",
        ] {
            console.run_line(line);
        }
        let stopped = console.run_line("consumer stop console-consumer-1");
        assert!(
            stopped.ends_with("Processed a total of 3 messages\n"),
            "{stopped}"
        );
        console.run_line("kafka-console-consumer --topic chat --from-beginning");
        console.run_line("clock advance 4s");
        let crashed = console.run_line("consumer crash console-consumer-2");
        assert!(
            !crashed.is_empty() && !crashed.starts_with("Error"),
            "{crashed}"
        );
        assert!(!crashed.contains("Processed a total"), "{crashed}");
    }
}
