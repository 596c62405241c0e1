//! `kafka-console-producer` (LineMessageReader) and `kafka-console-consumer`
//! (ConsoleConsumer with DefaultMessageFormatter).
//!
//! The producer reads the lines that follow, one record each (an empty line is an empty
//! record, as LineMessageReader makes it), until the end of input (Ctrl-D,
//! [`Console::end_input`]). The consumer with
//! `--max-messages` runs the simulated clock until it has read that many records or has
//! caught up (giving up after [`MAX_WAIT_TICKS`]), then closes; without it, it keeps
//! running as `console-consumer-<n>` and its records are printed as the clock advances.

use super::args::{self, flag, value, OptSpec};
use super::{Console, ProducerSession};
use crate::engine::consumer::ClassicMembership;
use crate::engine::replication::Acks;
use crate::engine::{Command, Engine, Event, RejectionKind, SeekTarget, TopicPartition};

/// The producer name of the console producer's records.
pub(super) const CONSOLE_PRODUCER: &str = "console-producer";

pub(super) const PRODUCER_OPTIONS: [OptSpec; 10] = [
    value("bootstrap-server"),
    value("command-config"),
    value("topic"),
    value("request-required-acks"),
    value("property"),
    value("reader-property"),
    value("producer-property"),
    value("message-send-max-retries"),
    value("retry-backoff-ms"),
    flag("help"),
];

pub(super) const CONSUMER_OPTIONS: [OptSpec; 15] = [
    value("bootstrap-server"),
    value("command-config"),
    value("topic"),
    value("include"),
    value("group"),
    flag("from-beginning"),
    value("partition"),
    value("offset"),
    value("max-messages"),
    value("property"),
    value("formatter-property"),
    value("consumer-property"),
    flag("skip-message-on-error"),
    value("isolation-level"),
    flag("help"),
];

/// How long a bounded console consumer waits for records: 60 simulated seconds.
pub const MAX_WAIT_TICKS: u32 = 600;

/// How a console consumer prints a record (DefaultMessageFormatter's properties).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFormat {
    pub print_timestamp: bool,
    pub print_partition: bool,
    pub print_offset: bool,
    pub print_headers: bool,
    pub print_key: bool,
    pub print_value: bool,
    pub key_separator: String,
}

impl Default for RecordFormat {
    fn default() -> Self {
        Self {
            print_timestamp: false,
            print_partition: false,
            print_offset: false,
            print_headers: false,
            print_key: false,
            print_value: true,
            key_separator: "\t".into(),
        }
    }
}

impl RecordFormat {
    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let on = value.trim().eq_ignore_ascii_case("true");
        match key {
            "print.timestamp" => self.print_timestamp = on,
            "print.partition" => self.print_partition = on,
            "print.offset" => self.print_offset = on,
            "print.headers" => self.print_headers = on,
            "print.key" => self.print_key = on,
            "print.value" => self.print_value = on,
            "key.separator" => self.key_separator = unescape(value),
            "line.separator" | "headers.separator" | "null.literal" => {}
            _ => return Err(format!("Unknown formatter property: {key}")),
        }
        Ok(())
    }

    /// One record as DefaultMessageFormatter writes it, without the final newline.
    pub fn format(&self, engine: &Engine, tp: &TopicPartition, offset: i64) -> Option<String> {
        let log = engine.partition_log(tp)?;
        let record = log.records_in_range(offset, offset + 1).next()?;
        let mut fields: Vec<String> = Vec::new();
        if self.print_timestamp {
            fields.push(format!("CreateTime:{}", record.timestamp_ms));
        }
        if self.print_partition {
            fields.push(format!("Partition:{}", tp.partition));
        }
        if self.print_offset {
            fields.push(format!("Offset:{offset}"));
        }
        if self.print_headers {
            fields.push(if record.headers.is_empty() {
                "NO_HEADERS".into()
            } else {
                record
                    .headers
                    .iter()
                    .map(|(k, v)| format!("{k}:{v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            });
        }
        if self.print_key {
            fields.push(record.key.as_deref().unwrap_or("null").to_string());
        }
        if self.print_value {
            fields.push(record.value.as_deref().unwrap_or("null").to_string());
        }
        Some(fields.join(&self.key_separator))
    }
}

/// `\t` and `\n` written in a property value mean a tab and a newline.
fn unescape(text: &str) -> String {
    text.replace("\\t", "\t").replace("\\n", "\n")
}

/// The records a list of events says a consumer fetched, printed in the order read.
fn fetched_lines(
    engine: &Engine,
    events: &[Event],
    client: &str,
    format: &RecordFormat,
) -> Vec<String> {
    let mut out = Vec::new();
    for event in events {
        if let Event::RecordsFetched {
            client_id,
            partition,
            from_offset,
            to_offset,
        } = event
        {
            if client_id != client {
                continue;
            }
            let Some(log) = engine.partition_log(partition) else {
                continue;
            };
            let offsets: Vec<i64> = log
                .records_in_range(*from_offset, *to_offset)
                .map(|r| r.offset)
                .collect();
            out.extend(
                offsets
                    .into_iter()
                    .filter_map(|o| format.format(engine, partition, o)),
            );
        }
    }
    out
}

/// Whether a consumer has its partitions and has read everything up to the high watermark.
fn caught_up(engine: &Engine, client: &str) -> bool {
    let Some(c) = engine.consumers.get(client) else {
        return true;
    };
    if !c.is_running() {
        return true;
    }
    let settled = matches!(
        c.membership,
        ClassicMembership::Stable { generation, rejoin_needed: false, .. } if generation >= 1
    );
    if c.is_subscriber() && !settled {
        return false;
    }
    c.in_flight.is_empty()
        && c.assignment.iter().all(|tp| {
            let end = engine
                .partition_log(tp)
                .map_or(0, |l| l.fetch_end(c.config.isolation_level));
            c.positions.get(tp) == Some(&end)
        })
}

/// What Kafka 4.x's console consumer prints when it joins a group with the classic protocol.
const KIP_848_BANNER: &str = "The consumer rebalance protocol (KIP-848) is production-ready! Set group.protocol=consumer to try it out. See https://kafka.apache.org/documentation/#consumer_rebalance_protocol\n";

impl Console {
    pub(super) fn kafka_console_producer(&mut self, words: &[String]) -> String {
        let p = match args::parse(words, &PRODUCER_OPTIONS) {
            Ok(p) => p,
            Err(e) => return format!("{}\n", args::jopt_error(&e).0),
        };
        if let Some(extra) = p.positional.first() {
            return format!("Found non argument parameters: {extra}\n");
        }
        let Some(topic) = p.value("topic") else {
            return "Missing required argument \"[topic]\"\n".into();
        };
        let mut session = ProducerSession {
            topic: topic.to_string(),
            parse_key: false,
            key_separator: "\t".into(),
            parse_headers: false,
            line_number: 0,
            configs: Vec::new(),
        };
        for prop in p
            .values("property")
            .into_iter()
            .chain(p.values("reader-property"))
        {
            let Some((k, v)) = prop.split_once('=') else {
                return format!(
                    "Invalid property: {prop}. Properties must be in the format key=value.\n"
                );
            };
            match k {
                "parse.key" => session.parse_key = v.trim().eq_ignore_ascii_case("true"),
                "parse.headers" => session.parse_headers = v.trim().eq_ignore_ascii_case("true"),
                "key.separator" => session.key_separator = unescape(v),
                _ => {}
            }
        }
        if session.key_separator.is_empty() {
            return "key.separator must not be empty\n".into();
        }
        // `acks`: `--producer-property acks=…` wins over `--request-required-acks` (whose
        // default is -1, all), as ConsoleProducer merges them.
        let mut acks_text = p.value("request-required-acks").map(str::to_string);
        for prop in p.values("producer-property") {
            if let Some(("acks", v)) = prop.split_once('=') {
                acks_text = Some(v.to_string());
            }
        }
        let acks = match acks_text.as_deref().map(Acks::parse) {
            None => Acks::All,
            Some(Some(acks)) => acks,
            Some(None) => {
                return format!(
                    "org.apache.kafka.common.config.ConfigException: Invalid value {} for configuration acks: String must be one of: all, -1, 0, 1\n",
                    acks_text.unwrap_or_default()
                )
            }
        };
        session.configs = match super::producer_retry::console_producer_configs(
            p.value("message-send-max-retries"),
            p.value("retry-backoff-ms"),
            &p.values("producer-property"),
        ) {
            Ok(configs) => configs,
            Err(text) => return text,
        };
        let current = self.timeline.state().producer_acks(CONSOLE_PRODUCER);
        if acks != current {
            let _ = self.apply_checked(Command::SetProducerAcks {
                producer: CONSOLE_PRODUCER.into(),
                acks,
            });
        }
        self.producer_session = Some(session);
        let mut warnings = String::new();
        if !p.values("property").is_empty() {
            warnings.push_str("Warning: --property is deprecated and will be removed in a future version. Use --reader-property instead.\n");
        }
        if !p.values("producer-property").is_empty() {
            warnings.push_str("Warning: --producer-property is deprecated and will be removed in a future version. Use --command-property instead.\n");
        }
        warnings
    }

    /// One line typed into the console producer.
    pub(super) fn producer_line(&mut self, line: &str) -> String {
        let Some(session) = self.producer_session.as_mut() else {
            return String::new();
        };
        session.line_number += 1;
        // LineMessageReader: headers first (up to headers.delimiter, a tab), then the key.
        let mut headers = Vec::new();
        let mut line = line;
        if session.parse_headers {
            let Some((header_text, rest)) = line.split_once('\t') else {
                let message = format!(
                    "org.apache.kafka.common.KafkaException: No headers delimiter found on line number {}: '{line}'\n",
                    session.line_number
                );
                self.producer_session = None;
                return message;
            };
            for header in header_text.split(',').filter(|h| !h.is_empty()) {
                let (k, v) = header.split_once(':').unwrap_or((header, ""));
                headers.push((k.to_string(), v.to_string()));
            }
            line = rest;
        }
        let (key, value) = if session.parse_key {
            match line.split_once(session.key_separator.as_str()) {
                Some((k, v)) => (Some(k.to_string()), v.to_string()),
                None => {
                    let message = format!(
                        "org.apache.kafka.common.KafkaException: No key separator found on line number {}: '{line}'\n",
                        session.line_number
                    );
                    // LineMessageReader throws: the tool stops.
                    self.producer_session = None;
                    return message;
                }
            }
        } else {
            (None, line.to_string())
        };
        let topic = session.topic.clone();
        let configs = std::mem::take(&mut session.configs);
        self.give_console_producer_configs(&configs);
        let value_bytes = value.len();
        match self.apply_checked(Command::Produce {
            producer: Some(CONSOLE_PRODUCER.into()),
            topic: topic.clone(),
            partition: None,
            key: key.clone(),
            value: Some(value),
            headers,
        }) {
            Ok(_) => String::new(),
            Err(reason) => {
                let exception = match reason.kind {
                    RejectionKind::UnknownTopic | RejectionKind::LeaderNotAvailable => {
                        "org.apache.kafka.common.errors.TimeoutException"
                    }
                    RejectionKind::NotEnoughReplicas => {
                        "org.apache.kafka.common.errors.NotEnoughReplicasException"
                    }
                    RejectionKind::RecordTooLarge => {
                        "org.apache.kafka.common.errors.RecordTooLargeException"
                    }
                    _ => "org.apache.kafka.common.InvalidRecordException",
                };
                let key_text = key.map_or("null".to_string(), |k| format!("{} bytes", k.len()));
                format!(
                    "ERROR Error when sending message to topic {topic} with key: {key_text}, value: {value_bytes} bytes with error: (org.apache.kafka.clients.producer.internals.ErrorLoggingCallback)\n{exception}: {reason}\n"
                )
            }
        }
    }

    pub(super) fn kafka_console_consumer(&mut self, words: &[String]) -> String {
        let p = match args::parse(words, &CONSUMER_OPTIONS) {
            Ok(p) => p,
            Err(e) => return format!("{}\n", args::jopt_error(&e).0),
        };
        if let Some(extra) = p.positional.first() {
            return format!("Found non argument parameters: {extra}\n");
        }
        if p.has("topic") == p.has("include") {
            return "Exactly one of the following arguments is required: [topic], [include]\n"
                .into();
        }
        let Some(topic) = p.value("topic").map(str::to_string) else {
            return "The simulator's console consumer reads one --topic; --include is not supported.\n".into();
        };
        if p.has("offset") && !p.has("partition") {
            return "The partition is required when offset is specified.\n".into();
        }
        if p.has("from-beginning") && p.has("offset") {
            return "Options from-beginning and offset cannot be specified together.\n".into();
        }
        if p.has("group") && p.has("partition") {
            return "Options group and partition cannot be specified together.\n".into();
        }
        let mut format = RecordFormat::default();
        for prop in p
            .values("property")
            .into_iter()
            .chain(p.values("formatter-property"))
        {
            let Some((k, v)) = prop.split_once('=') else {
                return format!(
                    "Invalid property: {prop}. Properties must be in the format key=value.\n"
                );
            };
            if let Err(e) = format.set(k, v) {
                return format!("{e}\n");
            }
        }
        let max_messages = match p.value("max-messages").map(str::parse::<u64>) {
            None => None,
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => {
                // ConsoleConsumer reads --max-messages only once it runs: it starts, stops,
                // and logs joptsimple's exception.
                let banner = if p.has("partition") {
                    ""
                } else {
                    KIP_848_BANNER
                };
                return format!(
                    "{banner}Processed a total of 0 messages\nERROR Unknown error when running consumer:  (org.apache.kafka.tools.consumer.ConsoleConsumer)\njoptsimple.OptionArgumentConversionException: Cannot parse argument '{}' of option max-messages\n",
                    p.value("max-messages").unwrap_or_default()
                );
            }
        };
        let partition = match p.value("partition").map(str::parse::<u32>) {
            None => None,
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => {
                return format!(
                    "Cannot parse argument '{}' of option partition\n",
                    p.value("partition").unwrap_or_default()
                )
            }
        };
        // Where to start: --from-beginning, or --offset earliest|latest|N.
        let mut start = if p.has("from-beginning") {
            "earliest"
        } else {
            "latest"
        };
        let mut seek_to = None;
        if let Some(offset) = p.value("offset") {
            match offset {
                "earliest" | "latest" => start = if offset == "earliest" { "earliest" } else { "latest" },
                number => match number.parse::<i64>() {
                    Ok(n) if n >= 0 => seek_to = Some(n),
                    _ => {
                        return format!(
                            "The provided offset value '{number}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.\n"
                        )
                    }
                },
            }
        }
        let client_id = format!("console-consumer-{}", self.next_console_consumer);
        let state = self.timeline.state();
        let Some(n_partitions) = state.topics.get(&topic).map(|t| t.n_partitions()) else {
            return format!(
                "WARN [Consumer clientId={client_id}] Error while fetching metadata: {{{topic}=UNKNOWN_TOPIC_OR_PARTITION}}\nProcessed a total of 0 messages\n"
            );
        };
        if let Some(part) = partition {
            if part >= n_partitions {
                return format!(
                    "Error: partition {part} does not exist in topic {topic} (it has {n_partitions} partition(s)).\n"
                );
            }
        }
        self.next_console_consumer += 1;
        let mut config = vec![
            ("auto.offset.reset".to_string(), start.to_string()),
            // The console consumer prints as fast as it reads.
            ("processing.rate".to_string(), "10000".to_string()),
        ];
        let isolation = p.value("isolation-level").map(str::to_string).or_else(|| {
            p.values("consumer-property")
                .into_iter()
                .find_map(|kv| kv.strip_prefix("isolation.level=").map(str::to_string))
        });
        if let Some(level) = isolation {
            if crate::engine::txn::IsolationLevel::parse(&level).is_none() {
                // ConsoleConsumer makes its KafkaConsumer, which refuses the value.
                return format!("ERROR Unknown error when running consumer:  (org.apache.kafka.tools.consumer.ConsoleConsumer)\norg.apache.kafka.common.config.ConfigException: Invalid value {level} for configuration isolation.level: String must be one of: read_committed, read_uncommitted\n");
            }
            config.push(("isolation.level".into(), level));
        }
        let group = p.value("group").map(str::to_string);
        if group.is_none() {
            config.push(("enable.auto.commit".into(), "false".into()));
        }
        // Kafka 4.4.0 warns about --consumer-property before anything else.
        let deprecated_consumer_property = if p.has("consumer-property") {
            "Option --consumer-property is deprecated and will be removed in a future version. Use --command-property instead.\n"
        } else {
            ""
        };
        let protocol_configs = group_protocol_properties(&p.values("consumer-property"));
        let consumer_protocol = protocol_configs
            .iter()
            .any(|(k, v)| k == "group.protocol" && v.trim().eq_ignore_ascii_case("consumer"));
        config.extend(protocol_configs);
        if let Some(n) = max_messages {
            config.push(("max.poll.records".into(), n.clamp(1, 500).to_string()));
        }
        let subscribe = partition.is_none() && (group.is_some() || max_messages.is_none());
        let (group_for_start, topics, assign) = if subscribe {
            let g = group.clone().unwrap_or_else(|| client_id.clone());
            (Some(g), vec![topic.clone()], Vec::new())
        } else {
            let partitions: Vec<TopicPartition> = match partition {
                Some(part) => vec![TopicPartition::new(topic.clone(), part)],
                None => (0..n_partitions)
                    .map(|q| TopicPartition::new(topic.clone(), q))
                    .collect(),
            };
            (None, Vec::new(), partitions)
        };
        let group_name = group_for_start.clone();
        if let Err(reason) = self.apply_checked(Command::StartConsumer {
            client_id: client_id.clone(),
            group: group_for_start,
            topics,
            assign: assign.clone(),
            config,
        }) {
            if reason.reason.contains("cannot be set when group.protocol=") {
                // KafkaConsumer's constructor throws the ConfigException: the tool stops.
                return format!(
                    "{deprecated_consumer_property}ERROR Unknown error when running consumer:  (org.apache.kafka.tools.consumer.ConsoleConsumer)\norg.apache.kafka.common.config.ConfigException: {}\n",
                    reason.reason
                );
            }
            return format!("Error: {reason}\n");
        }
        if let Some(offset) = seek_to {
            let tp = assign.first().cloned();
            if let Err(reason) = self.apply_checked(Command::Seek {
                client_id: client_id.clone(),
                partition: tp,
                to: SeekTarget::Offset(offset),
            }) {
                let _ = self.apply(Command::RemoveConsumer {
                    client_id: client_id.clone(),
                });
                return format!("Error: {reason}\n");
            }
        }
        // Kafka 4 warns about --property once, and a consumer that subscribes with the
        // classic protocol prints the KIP-848 banner (ConsoleConsumer).
        let mut preamble = deprecated_consumer_property.to_string();
        if !p.values("property").is_empty() {
            preamble.push_str("Option --property is deprecated and will be removed in a future version. Use --formatter-property instead.\n");
        }
        if partition.is_none() && !consumer_protocol {
            preamble.push_str(KIP_848_BANNER);
        }
        let Some(max) = max_messages else {
            self.console_consumers.insert(
                client_id.clone(),
                super::LongRunningConsumer {
                    format,
                    printed_records: 0,
                },
            );
            let group_text = group_name
                .map(|g| format!(" in group {g}"))
                .unwrap_or_default();
            return format!(
                "{preamble}Started {client_id}{group_text} (it keeps reading; stop it with: consumer stop {client_id})\n"
            );
        };
        preamble + &self.run_bounded_consumer(&client_id, max, &format, group.is_some())
    }

    /// Advances the clock until the consumer has read `max` records or caught up, prints
    /// them, commits (with a group) and closes the consumer.
    fn run_bounded_consumer(
        &mut self,
        client_id: &str,
        max: u64,
        format: &RecordFormat,
        commits: bool,
    ) -> String {
        // Find how many ticks are needed on a copy, then advance the timeline once.
        let mut probe = self.timeline.state().clone();
        let mut read: u64 = 0;
        let mut ticks: u32 = 0;
        while ticks < MAX_WAIT_TICKS && read < max {
            let events = probe
                .apply(&Command::Advance { ticks: 1 })
                .unwrap_or_default();
            ticks += 1;
            read += events
                .iter()
                .map(|e| match e {
                    Event::RecordsFetched {
                        client_id: c,
                        partition,
                        from_offset,
                        to_offset,
                    } if c == client_id => probe.partition_log(partition).map_or(0, |l| {
                        l.records_in_range(*from_offset, *to_offset).count() as u64
                    }),
                    _ => 0,
                })
                .sum::<u64>();
            if read >= max || caught_up(&probe, client_id) {
                break;
            }
        }
        let mut printed: Vec<String> = Vec::new();
        if max > 0 && ticks > 0 {
            let events = self.apply(Command::Advance { ticks });
            printed = fetched_lines(self.timeline.state(), &events, client_id, format);
        }
        printed.truncate(max as usize);
        if commits {
            let _ = self.apply(Command::CommitSync {
                client_id: client_id.to_string(),
            });
        }
        let _ = self.apply(Command::StopConsumer {
            client_id: client_id.to_string(),
        });
        let _ = self.apply(Command::RemoveConsumer {
            client_id: client_id.to_string(),
        });
        let mut out = String::new();
        for line in &printed {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&format!(
            "Processed a total of {} messages\n",
            printed.len()
        ));
        out
    }

    /// Formats the records long-running console consumers fetched in these events.
    pub(super) fn collect_console_records(&mut self, events: &[Event]) {
        if self.console_consumers.is_empty() {
            return;
        }
        let engine = self.timeline.state();
        for (client, running) in &mut self.console_consumers {
            let lines = fetched_lines(engine, events, client, &running.format);
            running.printed_records += lines.len() as u64;
            self.background.extend(lines);
        }
    }
}

/// The `--consumer-property` settings the simulator's console consumer passes on: the group
/// protocol's own (`group.protocol`, `group.remote.assignor`) and, under the consumer
/// protocol, the classic-only settings its client refuses.
fn group_protocol_properties(properties: &[&str]) -> Vec<(String, String)> {
    let pairs: Vec<(String, String)> = properties
        .iter()
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .collect();
    let consumer = pairs
        .iter()
        .any(|(k, v)| k == "group.protocol" && v.trim().eq_ignore_ascii_case("consumer"));
    let classic_only = [
        "partition.assignment.strategy",
        "heartbeat.interval.ms",
        "session.timeout.ms",
    ];
    pairs
        .into_iter()
        .filter(|(k, _)| {
            k == "group.protocol"
                || k == "group.remote.assignor"
                || (consumer && classic_only.contains(&k.as_str()))
        })
        .collect()
}
