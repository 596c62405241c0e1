//! Export: a session (its seed and history of commands) as a bash script of Kafka's own
//! tools, to replay on a real cluster.
//!
//! Kafka's tools stand in where one exists: `kafka-topics.sh` for topics,
//! `kafka-configs.sh` for topic configs, `kafka-console-producer.sh` for the records (keys
//! and headers as its line reader takes them), `kafka-consumer-groups.sh` for offset resets,
//! offset deletions and group deletions, `kafka-delete-records.sh` for DeleteRecords. What
//! only the simulator has becomes the closest real command with a comment: what a consumer
//! (with its processing rate) read is read again with `kafka-console-consumer.sh
//! --partition --offset`, and the offsets its group committed are set with
//! `kafka-consumer-groups.sh --reset-offsets --to-offset`, since no consumer of the script
//! keeps running; clock advances become `sleep` where time-based log settings make time
//! matter, and a comment elsewhere. The script is replayed from the session here, so every
//! record and committed offset it writes is the one the simulator had.
//!
//! Every value in the script is single-quoted ([`shell_quote`]) and every comment is one
//! line ([`comment_text`]): nothing a topic name, key, value or header contains is run.

use std::collections::BTreeMap;

use crate::engine::{Command, Engine, Event, Placement, ResetScope, ResetSpec, TopicPartition};

/// The Kafka release the exported scripts were checked against (the conformance suite runs
/// them on it).
pub const CHECKED_AGAINST: &str = "Apache Kafka 4.4.0";

/// How long a console consumer of the script waits for records before it gives up.
const READ_TIMEOUT_MS: u32 = 10_000;

/// Quotes a word for bash: single quotes, each `'` written as `'\''`. Inside single quotes
/// bash expands nothing (`$`, backquotes, `\`, newlines and non-ASCII stay as they are).
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-:/,=+@%".contains(c));
    if plain {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Text for a `#` comment: on one line (line breaks and other control characters become
/// spaces), so that what follows a comment is never run.
pub fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The bash script that replays the session `commands` (from `seed`) on a real cluster.
pub fn export_script(seed: u64, commands: &[Command]) -> String {
    let mut exporter = Exporter::new(seed);
    for command in commands {
        exporter.step(command);
    }
    exporter.finish()
}

/// A record of the session, as the script writes it.
struct PendingRecord {
    topic: String,
    key: Option<String>,
    value: Option<String>,
    headers: Vec<(String, String)>,
    /// Where the simulator put it, when the real partitioner may put it elsewhere.
    placement_note: Option<String>,
}

/// The offsets a consumer read, per partition: the first and one past the last.
type Reads = BTreeMap<TopicPartition, (i64, i64)>;

/// Committed offsets, per group and partition.
type Committed = BTreeMap<String, BTreeMap<TopicPartition, i64>>;

struct Exporter {
    engine: Engine,
    out: String,
    records: Vec<PendingRecord>,
    /// What the real cluster's groups have committed once the script so far has run.
    script_committed: Committed,
    /// Simulated time not yet written as `sleep` or a comment.
    pending_sleep_ms: i64,
    reads: BTreeMap<String, Reads>,
}

fn committed_of(engine: &Engine) -> Committed {
    engine
        .groups
        .iter()
        .map(|(id, g)| {
            (
                id.clone(),
                g.committed
                    .iter()
                    .map(|(tp, c)| (tp.clone(), c.offset))
                    .collect(),
            )
        })
        .collect()
}

/// `key=value` pairs as `kafka-configs --add-config` takes them: a value with a comma
/// in square brackets.
fn config_list(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            if v.contains(',') {
                format!("{k}=[{v}]")
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn format_datetime(ms: i64) -> String {
    crate::console::format_datetime(ms)
}

impl Exporter {
    fn new(seed: u64) -> Self {
        let mut out = String::new();
        out.push_str("#!/usr/bin/env bash\n");
        out.push_str(
            "# Exported from kafka-sim: the session's commands as Kafka's own tools, to replay\n",
        );
        out.push_str(&format!(
            "# on a real cluster (checked against {CHECKED_AGAINST}; simulation seed {seed}).\n"
        ));
        out.push_str("# Needs Kafka's bin/ on PATH (kafka-topics.sh, kafka-configs.sh, ...). What only the\n");
        out.push_str("# simulator has (consumers with a processing rate, crashes, the clock) is the closest\n");
        out.push_str("# real command, with a comment. Run it against an empty cluster:\n");
        out.push_str("#   BOOTSTRAP=host:9092 bash this-script.sh\n");
        out.push_str("set -euo pipefail\n");
        out.push_str("BOOTSTRAP=${BOOTSTRAP:-localhost:9092}\n");
        Self {
            engine: Engine::new(seed),
            out,
            records: Vec::new(),
            script_committed: Committed::new(),
            pending_sleep_ms: 0,
            reads: BTreeMap::new(),
        }
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn comment(&mut self, text: &str) {
        let text = comment_text(text);
        self.line(&format!("# {text}"));
    }

    /// A tool with `--bootstrap-server "$BOOTSTRAP"` and its (already quoted) arguments.
    fn tool(&mut self, name: &str, args: &[String]) {
        self.line(&format!(
            "{name} --bootstrap-server \"$BOOTSTRAP\" {}",
            args.join(" ")
        ));
    }

    /// Whether simulated time changes what the log holds (time-based retention or rolling).
    fn time_matters(&self) -> bool {
        self.engine.topics.values().any(|t| {
            t.overrides
                .keys()
                .any(|k| matches!(k.as_str(), "retention.ms" | "segment.ms"))
        })
    }

    fn flush_sleep(&mut self) {
        if self.pending_sleep_ms <= 0 {
            return;
        }
        let ms = std::mem::take(&mut self.pending_sleep_ms);
        let seconds = format!("{}.{:03}", ms / 1000, ms % 1000);
        if self.time_matters() {
            self.comment(&format!("The simulation's clock advanced {seconds} s here (time-based log settings make it matter)."));
            self.line(&format!("sleep {seconds}"));
        } else {
            self.comment(&format!(
                "The simulation's clock advanced {seconds} s here."
            ));
        }
    }

    /// Everything the script owes the cluster before the next tool runs: time, records,
    /// and the offsets groups committed in the simulation since the script last set them.
    fn flush(&mut self, committed_now: &Committed) {
        self.flush_sleep();
        self.flush_records();
        self.flush_commits(committed_now);
    }

    fn flush_records(&mut self) {
        let records = std::mem::take(&mut self.records);
        let mut start = 0;
        while start < records.len() {
            let topic = &records[start].topic;
            let end = records[start..]
                .iter()
                .position(|r| {
                    &r.topic != topic || r.headers.is_empty() != records[start].headers.is_empty()
                })
                .map_or(records.len(), |n| start + n);
            self.produce_batch(&records[start..end]);
            start = end;
        }
    }

    /// One `kafka-console-producer.sh` for consecutive records to one topic: `printf` writes
    /// their lines (headers, key, value separated by tabs), each field a quoted argument.
    fn produce_batch(&mut self, batch: &[PendingRecord]) {
        let topic = batch[0].topic.clone();
        let mut typable: Vec<&PendingRecord> = Vec::new();
        for record in batch {
            let fields = record
                .key
                .iter()
                .chain(record.value.iter())
                .chain(record.headers.iter().flat_map(|(k, v)| [k, v]));
            let mut fields = fields;
            if fields.any(|f| f.contains(['\n', '\r', '\t'])) {
                self.comment(&format!(
                    "A record for {topic} has a line break or a tab in its key, value or a header, which kafka-console-producer.sh cannot read; it is left out."
                ));
            } else if record
                .headers
                .iter()
                .any(|(k, v)| k.contains([',', ':']) || v.contains(','))
            {
                self.comment(&format!(
                    "A record for {topic} has a header with ',' or ':' in it, which kafka-console-producer.sh cannot read; it is left out."
                ));
            } else {
                typable.push(record);
            }
        }
        if typable.is_empty() {
            return;
        }
        for note in typable.iter().filter_map(|r| r.placement_note.as_ref()) {
            self.comment(note);
        }
        let keyed = typable.iter().any(|r| r.key.is_some());
        let with_headers = typable.iter().any(|r| !r.headers.is_empty());
        let needs_null = typable
            .iter()
            .any(|r| (keyed && r.key.is_none()) || r.value.is_none());
        // A null marker that no key, value or header value equals.
        let mut marker = "<null>".to_string();
        while typable.iter().any(|r| {
            r.key.as_deref() == Some(&marker)
                || r.value.as_deref() == Some(&marker)
                || r.headers.iter().any(|(_, v)| *v == marker)
        }) {
            marker.insert(1, '_');
        }
        let mut format = String::new();
        if with_headers {
            format.push_str("%s\\t");
        }
        if keyed {
            format.push_str("%s\\t");
        }
        format.push_str("%s\\n");
        let mut args: Vec<String> = Vec::new();
        for record in &typable {
            if with_headers {
                let headers: Vec<String> = record
                    .headers
                    .iter()
                    .map(|(k, v)| format!("{k}:{v}"))
                    .collect();
                args.push(shell_quote(&headers.join(",")));
            }
            if keyed {
                args.push(shell_quote(record.key.as_deref().unwrap_or(&marker)));
            }
            args.push(shell_quote(record.value.as_deref().unwrap_or(&marker)));
        }
        let mut options = vec!["--topic".to_string(), shell_quote(&topic)];
        if keyed {
            options.extend(["--property".into(), "parse.key=true".into()]);
        }
        if with_headers {
            options.extend(["--property".into(), "parse.headers=true".into()]);
        }
        if needs_null {
            options.extend([
                "--property".into(),
                shell_quote(&format!("null.marker={marker}")),
            ]);
        }
        self.line(&format!(
            "printf '{format}' {} | kafka-console-producer.sh --bootstrap-server \"$BOOTSTRAP\" {}",
            args.join(" "),
            options.join(" ")
        ));
    }

    /// Sets, with `--reset-offsets --to-offset`, the offsets the simulation's groups
    /// committed that the script has not set yet, and deletes those they no longer have.
    fn flush_commits(&mut self, committed_now: &Committed) {
        let groups: Vec<String> = committed_now
            .keys()
            .chain(self.script_committed.keys())
            .cloned()
            .collect::<std::collections::BTreeSet<String>>()
            .into_iter()
            .collect();
        for group in groups {
            let empty = BTreeMap::new();
            let want = committed_now.get(&group).unwrap_or(&empty);
            let have = self.script_committed.get(&group).unwrap_or(&empty);
            if want == have {
                continue;
            }
            let changed: Vec<(TopicPartition, i64)> = want
                .iter()
                .filter(|(tp, o)| have.get(*tp) != Some(o))
                .map(|(tp, o)| (tp.clone(), *o))
                .collect();
            let gone: Vec<TopicPartition> = have
                .keys()
                .filter(|tp| !want.contains_key(*tp))
                .cloned()
                .collect();
            if !changed.is_empty() {
                self.comment(&format!(
                    "Group {group} committed these offsets in the simulation; no consumer of this script keeps running, so they are set directly."
                ));
            }
            for (tp, offset) in changed {
                self.tool(
                    "kafka-consumer-groups.sh",
                    &[
                        "--reset-offsets".into(),
                        "--group".into(),
                        shell_quote(&group),
                        "--topic".into(),
                        shell_quote(&format!("{}:{}", tp.topic, tp.partition)),
                        "--to-offset".into(),
                        offset.to_string(),
                        "--execute".into(),
                        ">/dev/null".into(),
                    ],
                );
            }
            if !gone.is_empty() && committed_now.contains_key(&group) {
                for tp in gone {
                    self.tool(
                        "kafka-consumer-groups.sh",
                        &[
                            "--delete-offsets".into(),
                            "--group".into(),
                            shell_quote(&group),
                            "--topic".into(),
                            shell_quote(&format!("{}:{}", tp.topic, tp.partition)),
                        ],
                    );
                }
            }
        }
        self.script_committed = committed_now.clone();
    }

    /// What a consumer read, read again by console consumers of its partitions.
    fn replay_reads(&mut self, client_id: &str) {
        let Some(reads) = self.reads.remove(client_id) else {
            return;
        };
        self.comment(&format!(
            "Consumer {client_id} read these records in the simulation; a console consumer reads them again (its group's commits follow below)."
        ));
        for (tp, (from, to)) in reads {
            let count = self
                .engine
                .partition_log(&tp)
                .map_or(0, |log| log.records_in_range(from, to).count());
            if count == 0 {
                continue;
            }
            self.tool(
                "kafka-console-consumer.sh",
                &[
                    "--topic".into(),
                    shell_quote(&tp.topic),
                    "--partition".into(),
                    tp.partition.to_string(),
                    "--offset".into(),
                    from.to_string(),
                    "--max-messages".into(),
                    count.to_string(),
                    "--timeout-ms".into(),
                    READ_TIMEOUT_MS.to_string(),
                    "--property".into(),
                    "print.key=true".into(),
                ],
            );
        }
    }

    fn note_events(&mut self, events: &[Event], command: &Command) {
        for event in events {
            match event {
                Event::RecordProduced {
                    producer,
                    partition,
                    offset,
                    ..
                } => {
                    let Some(record) = self
                        .engine
                        .partition_log(partition)
                        .and_then(|log| log.records_in_range(*offset, offset + 1).next())
                        .cloned()
                    else {
                        continue;
                    };
                    let n_partitions = self
                        .engine
                        .topics
                        .get(&partition.topic)
                        .map_or(1, |t| t.n_partitions());
                    let streamed = !matches!(command, Command::Produce { .. });
                    let placement_note = match record.placement {
                        Placement::Keyed { .. } => None,
                        _ if n_partitions <= 1 => None,
                        Placement::Explicit => Some(format!(
                            "The simulation wrote a record to {partition} by number; kafka-console-producer.sh cannot choose a partition, so the partitioner does."
                        )),
                        _ => Some(format!(
                            "A record without a key went to {partition} in the simulation; the real partitioner may choose another partition."
                        )),
                    };
                    if streamed {
                        self.comment(&format!(
                            "Producer {producer}'s stream wrote a record to {partition} in the simulation."
                        ));
                    }
                    self.records.push(PendingRecord {
                        topic: partition.topic.clone(),
                        key: record.key.as_deref().map(str::to_string),
                        value: record.value.as_deref().map(str::to_string),
                        headers: record
                            .headers
                            .iter()
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect(),
                        placement_note,
                    });
                }
                Event::RecordsFetched {
                    client_id,
                    partition,
                    from_offset,
                    to_offset,
                } => {
                    let range = self
                        .reads
                        .entry(client_id.clone())
                        .or_default()
                        .entry(partition.clone())
                        .or_insert((*from_offset, *to_offset));
                    range.0 = range.0.min(*from_offset);
                    range.1 = range.1.max(*to_offset);
                }
                _ => {}
            }
        }
    }

    fn step(&mut self, command: &Command) {
        let committed_before = committed_of(&self.engine);
        let outcome = self.engine.apply(command);
        let events = match outcome {
            Ok(events) => events,
            Err(rejection) => {
                self.comment(&format!(
                    "Refused in the simulation, left out: {} ({rejection})",
                    crate::console::command_line(command)
                ));
                return;
            }
        };
        match command {
            Command::CreateTopic {
                name,
                partitions,
                configs,
            } => {
                self.flush(&committed_before);
                let mut args = vec![
                    "--create".into(),
                    "--topic".into(),
                    shell_quote(name),
                    "--partitions".into(),
                    partitions.to_string(),
                ];
                for (k, v) in configs {
                    args.push("--config".into());
                    args.push(shell_quote(&format!("{k}={v}")));
                }
                self.tool("kafka-topics.sh", &args);
            }
            Command::DeleteTopic { name } => {
                self.flush(&committed_before);
                self.tool(
                    "kafka-topics.sh",
                    &["--delete".into(), "--topic".into(), shell_quote(name)],
                );
            }
            Command::AddPartitions { topic, total } => {
                self.flush(&committed_before);
                self.tool(
                    "kafka-topics.sh",
                    &[
                        "--alter".into(),
                        "--topic".into(),
                        shell_quote(topic),
                        "--partitions".into(),
                        total.to_string(),
                    ],
                );
            }
            Command::AlterTopicConfig { topic, set, delete } => {
                self.flush(&committed_before);
                let mut args = vec![
                    "--alter".into(),
                    "--entity-type".into(),
                    "topics".into(),
                    "--entity-name".into(),
                    shell_quote(topic),
                ];
                if !set.is_empty() {
                    args.push("--add-config".into());
                    args.push(shell_quote(&config_list(set)));
                }
                if !delete.is_empty() {
                    args.push("--delete-config".into());
                    args.push(shell_quote(&delete.join(",")));
                }
                self.tool("kafka-configs.sh", &args);
            }
            Command::ResetOffsets {
                group,
                scope,
                spec,
                execute,
            } => {
                self.flush(&committed_before);
                let mut args = vec![
                    "--reset-offsets".into(),
                    "--group".into(),
                    shell_quote(group),
                ];
                match scope {
                    ResetScope::AllTopics => args.push("--all-topics".into()),
                    ResetScope::Topics(list) => {
                        for (topic, parts) in list {
                            args.push("--topic".into());
                            args.push(shell_quote(&match parts {
                                None => topic.clone(),
                                Some(ps) => format!(
                                    "{topic}:{}",
                                    ps.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
                                ),
                            }));
                        }
                    }
                }
                match spec {
                    ResetSpec::ToEarliest => args.push("--to-earliest".into()),
                    ResetSpec::ToLatest => args.push("--to-latest".into()),
                    ResetSpec::ToCurrent => args.push("--to-current".into()),
                    ResetSpec::ToOffset(n) => {
                        args.extend(["--to-offset".into(), n.to_string()]);
                    }
                    ResetSpec::ShiftBy(n) => args.extend(["--shift-by".into(), n.to_string()]),
                    ResetSpec::ToDatetime(ms) => {
                        self.comment("The simulation's clock starts at 2024-01-01T00:00:00Z: on a real cluster this time picks other offsets.");
                        args.extend(["--to-datetime".into(), format_datetime(*ms)]);
                    }
                    ResetSpec::ByDuration(ms) => {
                        args.extend([
                            "--by-duration".into(),
                            crate::console::format_iso_duration(*ms),
                        ]);
                    }
                }
                args.push(if *execute { "--execute" } else { "--dry-run" }.into());
                self.tool("kafka-consumer-groups.sh", &args);
            }
            Command::DeleteGroup { group } => {
                self.flush(&committed_before);
                self.tool(
                    "kafka-consumer-groups.sh",
                    &["--delete".into(), "--group".into(), shell_quote(group)],
                );
            }
            Command::DeleteOffsets { group, partitions } => {
                self.flush(&committed_before);
                let mut args = vec!["--delete-offsets".into(), "--group".into(), shell_quote(group)];
                for tp in partitions {
                    args.push("--topic".into());
                    args.push(shell_quote(&format!("{}:{}", tp.topic, tp.partition)));
                }
                self.tool("kafka-consumer-groups.sh", &args);
            }
            Command::DeleteRecords {
                partition,
                before_offset,
            } => {
                self.flush(&committed_before);
                let json = serde_json::json!({
                    "partitions": [{"topic": partition.topic, "partition": partition.partition, "offset": before_offset}],
                    "version": 1,
                });
                self.line(&format!(
                    "kafka-delete-records.sh --bootstrap-server \"$BOOTSTRAP\" --offset-json-file <(printf '%s\\n' {})",
                    shell_quote(&json.to_string())
                ));
            }
            Command::Produce { .. } => {}
            Command::AddProducer { name, .. } => {
                self.comment(&format!(
                    "Producer {name} joins the diagram (its records are written with kafka-console-producer.sh)."
                ));
            }
            Command::RemoveProducer { name } => {
                self.comment(&format!("Producer {name} leaves the diagram."))
            }
            Command::SetProducerStream { producer, stream } => match stream {
                Some(s) => self.comment(&format!(
                    "Producer {producer} streams {}.{:03} records/s to {}; the records it wrote are written below as they came.",
                    s.millirecords_per_second / 1000,
                    s.millirecords_per_second % 1000,
                    s.topic
                )),
                None => self.comment(&format!("Producer {producer} stops its stream.")),
            },
            Command::StartConsumer {
                client_id,
                group,
                topics,
                assign,
                config,
            } => {
                self.flush_sleep();
                self.flush_records();
                let what = if assign.is_empty() {
                    format!("subscribes to {}", topics.join(","))
                } else {
                    let parts: Vec<String> = assign.iter().map(ToString::to_string).collect();
                    format!("reads {}", parts.join(","))
                };
                let group = group
                    .as_ref()
                    .map_or_else(String::new, |g| format!(" in group {g}"));
                let config: Vec<String> = config.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let config = if config.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", config.join(", "))
                };
                self.comment(&format!(
                    "Consumer {client_id}{group} {what}{config}: what it reads is read again when it stops."
                ));
            }
            Command::StopConsumer { client_id } | Command::CrashConsumer { client_id } => {
                let how = if matches!(command, Command::CrashConsumer { .. }) {
                    "crashed (no commit, no LeaveGroup)"
                } else {
                    "closed"
                };
                self.comment(&format!("Consumer {client_id} {how} in the simulation."));
                self.flush_sleep();
                self.flush_records();
                self.replay_reads(client_id);
                let committed_after = committed_of(&self.engine);
                self.flush_commits(&committed_after);
            }
            Command::Advance { ticks } => {
                self.pending_sleep_ms = self
                    .pending_sleep_ms
                    .saturating_add(i64::from(*ticks).saturating_mul(100));
            }
            Command::Share(_) => self.comment(&format!(
                "{} (share groups are not exported yet)",
                crate::console::command_line(command)
            )),
            Command::RunCleaner { .. } => self.comment(
                "The simulation ran the log cleaner now; a real broker runs it on its own schedule.",
            ),
            Command::RunRetention { .. } => self.comment(
                "The simulation ran the retention check now; a real broker runs it every log.retention.check.interval.ms.",
            ),
            Command::SetBrokerConfig { key, value } => self.comment(&format!(
                "Broker setting {key}={value}: a static broker config, set in server.properties before the broker starts."
            )),
            Command::FillTopic {
                topic,
                records_per_partition,
            } => {
                self.flush(&committed_before);
                let n_partitions = self.engine.topics.get(topic).map_or(1, |t| t.n_partitions());
                self.comment(&format!(
                    "The simulation filled every partition of {topic} with {records_per_partition} records; the producer perf test writes as many (spread by its partitioner)."
                ));
                self.line(&format!(
                    "kafka-producer-perf-test.sh --topic {} --num-records {} --record-size 100 --throughput -1 --producer-props bootstrap.servers=\"$BOOTSTRAP\"",
                    shell_quote(topic),
                    records_per_partition.saturating_mul(u64::from(n_partitions))
                ));
            }
            Command::SetProducerConfig { .. }
            | Command::SetProducerFault { .. }
            | Command::Transaction { .. }
            | Command::AbortHangingTransaction { .. }
            | Command::Pipeline(_) => {
                self.comment(&format!(
                    "{} (the simulator's own: a transactional or faulty producer is an application, not a tool)",
                    crate::console::command_line(command)
                ));
            }
            Command::RestartConsumer { client_id }
            | Command::RemoveConsumer { client_id }
            | Command::SetConsumerConfig { client_id, .. }
            | Command::PauseConsumer { client_id }
            | Command::ResumeConsumer { client_id }
            | Command::Seek { client_id, .. }
            | Command::CommitSync { client_id } => {
                self.comment(&format!(
                    "{} (consumer {client_id}: the simulator's own; its commits are set below)",
                    crate::console::command_line(command)
                ));
            }
            Command::CreateTopicOnReplicas { .. } | Command::ElectLeaders { .. } => {
                self.flush(&committed_before);
                // The console line, without the tool's name and the simulator's bootstrap.
                let line = crate::console::command_line(command);
                let mut words = line.split(' ').filter(|w| *w != "localhost:9092");
                let tool = words.next().unwrap_or_default().to_string();
                let args: Vec<String> = words
                    .filter(|w| *w != "--bootstrap-server")
                    .map(str::to_string)
                    .collect();
                self.tool(&format!("{tool}.sh"), &args);
            }
            Command::AddBroker
            | Command::StopBroker { .. }
            | Command::CrashBroker { .. }
            | Command::StartBroker { .. }
            | Command::SlowBroker { .. }
            | Command::SetProducerAcks { .. } => self.comment(&format!(
                "{} (the simulator's own: on a real cluster, stop, kill or start the broker's process, or set the producer's acks)",
                crate::console::command_line(command)
            )),
        }
        if matches!(
            command,
            Command::CreateTopic { .. }
                | Command::DeleteTopic { .. }
                | Command::AddPartitions { .. }
                | Command::AlterTopicConfig { .. }
                | Command::ResetOffsets { .. }
                | Command::DeleteGroup { .. }
                | Command::DeleteOffsets { .. }
                | Command::DeleteRecords { .. }
        ) {
            // The tool did on the cluster what the command did in the simulation.
            self.script_committed = committed_of(&self.engine);
        }
        self.note_events(&events, command);
    }

    fn finish(mut self) -> String {
        let running: Vec<String> = self.reads.keys().cloned().collect();
        for client_id in running {
            self.comment(&format!(
                "Consumer {client_id} was still running when the session was exported."
            ));
            self.replay_reads(&client_id);
        }
        let committed_now = committed_of(&self.engine);
        self.flush(&committed_now);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_bare_and_the_rest_is_single_quoted() {
        assert_eq!(shell_quote("orders"), "orders");
        assert_eq!(shell_quote("orders:0,1"), "orders:0,1");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(shell_quote("a\nb"), "'a\nb'");
        assert_eq!(shell_quote("é ☃"), "'é ☃'");
    }

    #[test]
    fn a_comment_stays_on_one_line() {
        assert_eq!(comment_text("a\nrm -rf /\r"), "a rm -rf / ");
    }
}
