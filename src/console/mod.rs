//! The console: Kafka's command-line tools (`kafka-topics`, `kafka-consumer-groups`, …)
//! and the simulator's own commands (`consumer start`, `clock advance`, …), parsed from
//! text lines, applied to a [`Timeline`], answered with the text the real tools print
//! (kafka/CLI.md).
//!
//! Pure and deterministic: no web crate, no wall clock. The same code serves the page's
//! console, the native `kafka-sim-cli` binary and the transcript tests in
//! `tests/console/`.
//!
//! Map: [`shell`] splits lines into words, [`args`] parses options as joptsimple does,
//! [`clock`] reads and writes dates and durations, `topics` holds `kafka-topics`,
//! `kafka-configs` and `kafka-get-offsets`, `groups` holds `kafka-consumer-groups`,
//! `clients` the console producer and consumer, `sim` the simulator's commands, `help`
//! the help text (as data), `complete` the completion of partial lines, `lines` the line that stands
//! for a command (what the page prints for a mouse action) and the parse-only reading of
//! lines.

pub mod args;
mod broker_configs;
mod clients;
pub mod clock;
mod complete;
mod groups;
mod help;
mod leader_election;
mod lines;
mod pipeline;
mod producer_retry;
mod share_groups;
pub mod shell;
mod sim;
mod topics;
mod transactions;

use std::collections::BTreeMap;

use crate::engine::{Command, Event, Rejection};
use crate::timeline::Timeline;

pub use self::clients::RecordFormat;
pub use self::complete::{tab_outcome, TabOutcome};
pub use self::lines::{command_line, format_datetime, format_iso_duration, BOOTSTRAP_SERVER};

/// The seed a console starts with unless told otherwise.
pub const DEFAULT_SEED: u64 = 42;

/// Kafka's tools the console speaks, by their script names without `.sh`.
pub const KAFKA_TOOLS: [&str; 10] = [
    "kafka-configs",
    "kafka-console-consumer",
    "kafka-console-producer",
    "kafka-console-share-consumer",
    "kafka-consumer-groups",
    "kafka-get-offsets",
    "kafka-leader-election",
    "kafka-share-groups",
    "kafka-topics",
    "kafka-transactions",
];

/// The simulator's own commands.
pub const SIM_COMMANDS: [&str; 15] = [
    "broker",
    "cleaner",
    "clock",
    "consumer",
    "help",
    "pipeline",
    "produce",
    "producer",
    "records",
    "reset",
    "retention",
    "seed",
    "share-consumer",
    "step",
    "txn",
];

/// How scripts and transcripts write Ctrl-D, the end of input: inside
/// `kafka-console-producer` a script line `^D` closes the producer (its standard input ends).
pub const END_OF_INPUT: &str = "^D";

/// An open `kafka-console-producer`: the lines that follow are records.
#[derive(Debug, Clone)]
struct ProducerSession {
    topic: String,
    parse_key: bool,
    key_separator: String,
    /// `parse.headers=true`: a line starts with `h1:v1,h2:v2` and a tab.
    parse_headers: bool,
    /// Lines read so far, for Kafka's "line number N" in errors.
    line_number: u64,
    /// Producer configs this run gives the console producer before its first record.
    configs: Vec<(String, String)>,
}

/// The console: a timeline and what the console remembers between lines.
/// A console consumer started without `--max-messages`: how it prints its records and how
/// many it has printed (its total when it is stopped, as Ctrl-C prints it).
#[derive(Debug, Clone)]
pub struct LongRunningConsumer {
    pub format: RecordFormat,
    pub printed_records: u64,
}

#[derive(Debug, Clone)]
pub struct Console {
    timeline: Timeline,
    producer_session: Option<ProducerSession>,
    /// Long-running console consumers (started without `--max-messages`) and how each
    /// prints its records.
    console_consumers: BTreeMap<String, LongRunningConsumer>,
    next_console_consumer: u32,
    /// Lines long-running console consumers printed, not yet handed out.
    background: Vec<String>,
    /// How many commands this console applied, to tell whether a line applied one.
    applied: u64,
}

impl Default for Console {
    fn default() -> Self {
        Self::new(DEFAULT_SEED)
    }
}

impl Console {
    pub fn new(seed: u64) -> Self {
        Self::with_timeline(Timeline::new(seed))
    }

    /// A console driving an existing timeline (for example one restored from a link).
    pub fn with_timeline(timeline: Timeline) -> Self {
        Self {
            timeline,
            producer_session: None,
            console_consumers: BTreeMap::new(),
            next_console_consumer: 1,
            background: Vec::new(),
            applied: 0,
        }
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The timeline, for callers that navigate it directly (the page's step buttons).
    pub fn timeline_mut(&mut self) -> &mut Timeline {
        &mut self.timeline
    }

    /// Whether the console is inside `kafka-console-producer`, reading records.
    pub fn is_reading_records(&self) -> bool {
        self.producer_session.is_some()
    }

    /// The topic the open `kafka-console-producer` writes to, if one is open.
    pub fn producer_topic(&self) -> Option<&str> {
        self.producer_session.as_ref().map(|s| s.topic.as_str())
    }

    /// Ctrl-D: the end of input. Inside `kafka-console-producer` it closes the producer, as
    /// end of file on its standard input does (the real tool prints nothing); elsewhere it
    /// does nothing. Returns what it prints.
    pub fn end_input(&mut self) -> String {
        if self.producer_session.take().is_some() {
            self.close_console_producer();
        }
        let mut out = String::new();
        for printed in self.drain_output() {
            out.push_str(&printed);
            out.push('\n');
        }
        out
    }

    /// The prompt to show before the next line: `>` inside the console producer.
    pub fn prompt(&self) -> &'static str {
        if self.producer_session.is_some() {
            ">"
        } else {
            "$ "
        }
    }

    /// Applies a command (from the page's buttons, say) and collects what long-running
    /// console consumers print as a result; see [`Self::drain_output`].
    pub fn apply(&mut self, command: Command) -> Vec<Event> {
        let events = self.timeline.apply(command).to_vec();
        self.applied += 1;
        self.collect_console_records(&events);
        self.collect_producer_failures(&events);
        events
    }

    /// The lines long-running console consumers printed since the last call.
    pub fn drain_output(&mut self) -> Vec<String> {
        std::mem::take(&mut self.background)
    }

    /// Runs one line and returns what it prints (possibly nothing), each line ending in
    /// a newline. Inside `kafka-console-producer` the line is a record (an empty line is
    /// a record with an empty value, as in Kafka; [`Self::end_input`] closes the producer).
    /// Records that long-running console consumers read while the command ran follow the
    /// command's own output.
    pub fn run_line(&mut self, line: &str) -> String {
        let mut out = if self.producer_session.is_some() {
            self.producer_line(line)
        } else {
            self.run_command_line(line)
        };
        for printed in self.drain_output() {
            out.push_str(&printed);
            out.push('\n');
        }
        out
    }

    /// Runs a script and returns the transcript: each command after `$ `, each record
    /// line of a console producer after `>`, comments (`#`) as they are, then the output.
    /// Blank lines outside a producer are skipped; inside one, [`END_OF_INPUT`] (`^D`)
    /// closes it.
    pub fn run_script(&mut self, script: &str) -> String {
        let mut transcript = String::new();
        for line in script.lines() {
            if self.producer_session.is_some() {
                transcript.push('>');
                transcript.push_str(line);
                transcript.push('\n');
                if line == END_OF_INPUT {
                    transcript.push_str(&self.end_input());
                    continue;
                }
            } else if line.trim().is_empty() {
                continue;
            } else if line.trim_start().starts_with('#') {
                transcript.push_str(line);
                transcript.push('\n');
                continue;
            } else {
                transcript.push_str("$ ");
                transcript.push_str(line);
                transcript.push('\n');
            }
            transcript.push_str(&self.run_line(line));
        }
        transcript
    }

    /// Runs one command line (not a record of the console producer).
    fn run_command_line(&mut self, line: &str) -> String {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return String::new();
        }
        let words = match shell::split_words(trimmed) {
            Ok(w) => w,
            Err(e) => return format!("bash: {e}\n"),
        };
        let Some((program, rest)) = words.split_first() else {
            return String::new();
        };
        let tool = tool_name(program);
        match tool {
            "kafka-topics" => self.kafka_topics(rest),
            "kafka-configs" => self.kafka_configs(rest),
            "kafka-get-offsets" => self.kafka_get_offsets(rest),
            "kafka-leader-election" => self.kafka_leader_election(rest),
            "kafka-consumer-groups" => self.kafka_consumer_groups(rest),
            "kafka-console-producer" => self.kafka_console_producer(rest),
            "kafka-console-consumer" => self.kafka_console_consumer(rest),
            "kafka-transactions" => self.kafka_transactions(rest),
            "kafka-share-groups" => self.kafka_share_groups(rest),
            "kafka-console-share-consumer" => self.kafka_console_share_consumer(rest),
            "share-consumer" => self.share_consumer_command(rest),
            other => match sim::SimCommand::from_name(other) {
                Some(command) => self.sim_command(command, rest),
                None => command_not_found(program),
            },
        }
    }

    /// Applies a command and returns its events, or why it was refused.
    fn apply_checked(&mut self, command: Command) -> Result<Vec<Event>, Rejection> {
        let events = self.timeline.try_apply(command).map(<[Event]>::to_vec);
        self.applied += 1;
        if let Ok(events) = &events {
            self.collect_console_records(events);
            self.collect_producer_failures(events);
        }
        events
    }
}

/// `bin/kafka-topics.sh` → `kafka-topics`.
fn tool_name(program: &str) -> &str {
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    base.strip_suffix(".sh")
        .or_else(|| base.strip_suffix(".bat"))
        .unwrap_or(base)
}

fn command_not_found(program: &str) -> String {
    let name = tool_name(program);
    let known: Vec<&str> = KAFKA_TOOLS
        .iter()
        .chain(SIM_COMMANDS.iter())
        .copied()
        .collect();
    match args::closest(name, &known) {
        Some(best) => format!("{name}: command not found. Did you mean {best}?\n"),
        None => format!("{name}: command not found. Type help for the list of commands.\n"),
    }
}

/// The reason of the first rejection among events.
fn rejection(events: &[Event]) -> Option<String> {
    events.iter().find_map(|e| match e {
        Event::Rejected { reason } => Some(reason.clone()),
        _ => None,
    })
}

/// Whether printed text is laid out in columns (a tool's table, such as
/// `kafka-consumer-groups --describe`, or `kafka-topics --describe` with its tabs): the
/// page scrolls such text sideways rather than wrapping it into nonsense.
pub fn is_tabular(text: &str) -> bool {
    text.lines().any(|line| {
        let body = line.trim_start();
        body.contains('\t') || body.trim_end().contains("  ")
    })
}

/// Joins lines with newlines, each line ending in one.
fn lines(text: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    for line in text {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_names_accept_paths_and_suffixes() {
        assert_eq!(tool_name("bin/kafka-topics.sh"), "kafka-topics");
        assert_eq!(tool_name("/opt/kafka/bin/kafka-topics"), "kafka-topics");
        assert_eq!(tool_name("kafka-topics"), "kafka-topics");
    }

    #[test]
    fn the_console_producer_sends_empty_lines_and_ends_on_ctrl_d() {
        let mut console = Console::default();
        console.run_line("kafka-topics --create --topic t --partitions 1");
        console.run_line("kafka-console-producer --topic t");
        assert_eq!(console.producer_topic(), Some("t"));
        assert_eq!(console.run_line(""), "");
        assert!(
            console.is_reading_records(),
            "an empty line is a record, not the end"
        );
        assert_eq!(console.run_line("^D"), "", "typed ^D is only text");
        assert_eq!(console.end_input(), "");
        assert!(!console.is_reading_records());
        assert_eq!(console.prompt(), "$ ");
        assert_eq!(console.run_line("kafka-get-offsets --topic t"), "t:0:2\n");
    }

    #[test]
    fn tables_are_told_from_prose() {
        let mut console = Console::default();
        console.run_script(
            "kafka-topics --create --topic t --partitions 2\nconsumer start c --group g --topic t\nclock advance 5s\n",
        );
        assert!(is_tabular(
            &console.run_line("kafka-consumer-groups --describe --group g")
        ));
        assert!(is_tabular(&console.run_line(
            "kafka-consumer-groups --describe --group g --members --verbose"
        )));
        assert!(is_tabular(
            &console.run_line("kafka-topics --describe --topic t")
        ));
        assert!(!is_tabular(&console.run_line("kafka-topics --list")));
        assert!(!is_tabular("Created topic t."));
        assert!(!is_tabular(
            "ERROR Error when sending message to topic nope with key: null, value: 4 bytes"
        ));
    }

    #[test]
    fn unknown_commands_suggest_the_closest() {
        let mut console = Console::default();
        assert_eq!(
            console.run_line("kafka-topic --list"),
            "kafka-topic: command not found. Did you mean kafka-topics?\n"
        );
        assert_eq!(
            console.run_line("zzzzzzzz"),
            "zzzzzzzz: command not found. Type help for the list of commands.\n"
        );
    }
}
