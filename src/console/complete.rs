//! Completion of a partial line for the page: tool and command names, the options of the
//! tool being typed, and names from the state (topics, groups, consumers, producers);
//! and what the Tab key does with the candidates ([`tab_outcome`]).

use super::args::OptSpec;
use super::{
    clients, groups, shell, sim, topics, transactions, Console, KAFKA_TOOLS, SIM_COMMANDS,
};
use crate::engine::consumer::{CONSTRUCTION_ONLY_CONFIGS, CONSUMER_CONFIGS};
use crate::engine::topic::TOPIC_CONFIGS;

fn options_of(tool: &str) -> &'static [OptSpec] {
    match tool {
        "kafka-topics" => &topics::TOPICS_OPTIONS,
        "kafka-configs" => &topics::CONFIGS_OPTIONS,
        "kafka-get-offsets" => &topics::GET_OFFSETS_OPTIONS,
        "kafka-leader-election" => &super::leader_election::LEADER_ELECTION_OPTIONS,
        "kafka-consumer-groups" => &groups::GROUPS_OPTIONS,
        "kafka-console-producer" => &clients::PRODUCER_OPTIONS,
        "kafka-console-consumer" => &clients::CONSUMER_OPTIONS,
        "kafka-share-groups" => &super::share_groups::SHARE_GROUPS_OPTIONS,
        "kafka-console-share-consumer" => &super::share_groups::CONSOLE_SHARE_OPTIONS,
        "share-consumer" => &super::share_groups::SHARE_CONSUMER_OPTIONS,
        "consumer" => &sim::CONSUMER_OPTIONS,
        "producer" => &sim::PRODUCER_OPTIONS,
        "produce" => &sim::PRODUCE_OPTIONS,
        "records" => &sim::RECORDS_OPTIONS,
        "txn" => &transactions::TXN_OPTIONS,
        "pipeline" => &super::pipeline::PIPELINE_OPTIONS,
        "kafka-transactions" => &transactions::TRANSACTIONS_OPTIONS,
        _ => &sim::MISC_OPTIONS,
    }
}

impl Console {
    /// Candidates for the word at the end of `line` (the empty word after a space), sorted.
    /// Each candidate is the whole word, quoted if needed.
    pub fn complete(&self, line: &str) -> Vec<String> {
        if self.producer_session.is_some() {
            return Vec::new();
        }
        // An unterminated quote: complete nothing rather than guess.
        let Ok(mut words) = shell::split_words(line) else {
            return Vec::new();
        };
        let ends_with_space = line.ends_with(char::is_whitespace);
        let current = if ends_with_space || words.is_empty() {
            String::new()
        } else {
            words.pop().unwrap_or_default()
        };
        let state = self.timeline.state();
        let mut candidates: Vec<String> = Vec::new();
        match words.first() {
            None => {
                candidates.extend(KAFKA_TOOLS.iter().map(|t| t.to_string()));
                candidates.extend(KAFKA_TOOLS.iter().map(|t| format!("{t}.sh")));
                candidates.extend(SIM_COMMANDS.iter().map(|t| t.to_string()));
            }
            Some(first) => {
                let tool = super::tool_name(first);
                let previous = words.last().map(String::as_str).unwrap_or("");
                let topic_names = || state.topics.keys().cloned().collect::<Vec<_>>();
                let consumer_names = || state.consumers.keys().cloned().collect::<Vec<_>>();
                if words.len() == 1 && tool == "consumer" {
                    candidates.extend(sim::CONSUMER_SUBCOMMANDS.iter().map(|s| s.to_string()));
                } else if words.len() == 1 && tool == "share-consumer" {
                    candidates.extend(
                        ["crash", "set", "start", "stop"]
                            .iter()
                            .map(|s| s.to_string()),
                    );
                } else if words.len() == 2 && tool == "share-consumer" && !current.starts_with('-')
                {
                    candidates.extend(state.share.consumers.keys().cloned());
                } else if words.len() == 1 && tool == "producer" {
                    candidates.extend(sim::PRODUCER_SUBCOMMANDS.iter().map(|s| s.to_string()));
                } else if words.len() == 1 && tool == "pipeline" {
                    candidates.extend(
                        super::pipeline::PIPELINE_SUBCOMMANDS
                            .iter()
                            .map(|s| s.to_string()),
                    );
                } else if words.len() == 2
                    && tool == "pipeline"
                    && words[1] != "add"
                    && words[1] != "list"
                    && !current.starts_with('-')
                {
                    candidates.extend(state.pipelines.keys().cloned());
                } else if tool == "pipeline" && matches!(previous, "--from" | "--to") {
                    candidates.extend(topic_names());
                } else if words.len() == 1 && tool == "txn" {
                    candidates.extend(transactions::TXN_SUBCOMMANDS.iter().map(|s| s.to_string()));
                } else if words.len() == 2 && tool == "txn" && !current.starts_with('-') {
                    candidates.extend(state.producers.keys().cloned());
                } else if words.len() == 3 && tool == "producer" && words[1] == "fault" {
                    candidates.extend(["lose-ack", "lose-request", "none"].map(String::from));
                } else if words.len() == 3
                    && tool == "producer"
                    && words[1] == "set"
                    && !current.starts_with('-')
                {
                    candidates.extend(
                        crate::engine::txn::config::PRODUCER_CONFIGS
                            .iter()
                            .map(|c| format!("{c}=")),
                    );
                } else if tool == "kafka-transactions"
                    && !current.starts_with('-')
                    && !previous.starts_with("--")
                    && !words
                        .iter()
                        .any(|w| transactions::TRANSACTIONS_SUBCOMMANDS.contains(&w.as_str()))
                {
                    candidates.extend(
                        transactions::TRANSACTIONS_SUBCOMMANDS
                            .iter()
                            .map(|s| s.to_string()),
                    );
                } else if words.len() == 1 && tool == "clock" {
                    candidates.push("advance".into());
                } else if words.len() == 1 && tool == "step" {
                    candidates.extend(["back".to_string(), "forward".to_string()]);
                } else if words.len() == 1 && matches!(tool, "cleaner" | "retention") {
                    candidates.push("run".into());
                } else if words.len() == 1 && tool == "broker" {
                    candidates.extend(sim::BROKER_SUBCOMMANDS.iter().map(|s| s.to_string()));
                } else if words.len() == 1 && tool == "help" {
                    candidates.extend(
                        KAFKA_TOOLS
                            .iter()
                            .chain(SIM_COMMANDS.iter())
                            .map(|s| s.to_string()),
                    );
                } else if words.len() == 1 && tool == "produce" {
                    candidates.extend(topic_names());
                } else if words.len() == 2 && tool == "consumer" && !current.starts_with('-') {
                    candidates.extend(consumer_names());
                } else if words.len() == 2 && tool == "producer" && !current.starts_with('-') {
                    candidates.extend(state.producers.keys().cloned());
                } else if current.starts_with("--")
                    || current.is_empty()
                        && !matches!(
                            previous,
                            "--topic"
                                | "--group"
                                | "--entity-name"
                                | "--config"
                                | "--add-config"
                                | "--delete-config"
                                | "--property"
                        )
                {
                    candidates.extend(options_of(tool).iter().map(|o| format!("--{}", o.name)));
                    if words.len() == 2 && tool == "consumer" && words[1] == "set" {
                        candidates.extend(settable_configs());
                    }
                } else {
                    match previous {
                        "--topic" | "--entity-name" => candidates.extend(topic_names()),
                        "--group"
                            if tool == "kafka-share-groups"
                                || tool == "share-consumer"
                                || tool == "kafka-console-share-consumer" =>
                        {
                            candidates.extend(state.share.groups.keys().cloned())
                        }
                        "--group" => candidates.extend(state.groups.keys().cloned()),
                        "--add-config" if words.iter().any(|w| w == "groups") => candidates.extend(
                            crate::engine::share_group::config::GROUP_CONFIGS
                                .iter()
                                .map(|c| format!("{}=", c.name)),
                        ),
                        "--config" | "--add-config" if tool == "consumer" => {
                            candidates.extend(CONSUMER_CONFIGS.iter().map(|c| format!("{c}=")))
                        }
                        "--config" | "--add-config" => {
                            candidates.extend(TOPIC_CONFIGS.iter().map(|c| format!("{c}=")))
                        }
                        "--delete-config" => {
                            candidates.extend(TOPIC_CONFIGS.iter().map(|c| c.to_string()))
                        }
                        "--property" => candidates.extend(
                            [
                                "parse.key=true",
                                "key.separator=",
                                "print.key=true",
                                "print.partition=true",
                                "print.offset=true",
                                "print.timestamp=true",
                            ]
                            .iter()
                            .map(|s| s.to_string()),
                        ),
                        _ if tool == "consumer" && words.get(1).is_some_and(|s| s == "set") => {
                            candidates.extend(settable_configs())
                        }
                        _ => {}
                    }
                }
            }
        }
        let mut out: Vec<String> = candidates
            .into_iter()
            .filter(|c| c.starts_with(current.as_str()))
            .map(|c| {
                if c.ends_with('=') {
                    c
                } else {
                    shell::quote_if_needed(&c)
                }
            })
            .collect();
        crate::sort::sort(&mut out);
        out.dedup();
        out
    }
}

/// Where the last word of `line` starts: after its last whitespace character (any width,
/// such as a no-break space), so the index is always a char boundary.
pub fn last_word_start(line: &str) -> usize {
    line.char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Replaces the last word of `line` with `word`.
pub fn replace_last_word(line: &str, word: &str) -> String {
    format!("{}{word}", &line[..last_word_start(line)])
}

/// What Tab does with a line, given its completion candidates ([`Console::complete`]) and
/// the line whose candidates the previous Tab listed. A Tab that would change nothing
/// leaves the console, so the keyboard is never trapped (WCAG 2.1.2).
#[derive(Debug, PartialEq, Eq)]
pub enum TabOutcome {
    /// The input becomes this line.
    Complete(String),
    /// The candidates are listed in the scrollback.
    List,
    /// Nothing to complete: focus moves on, as Tab does anywhere else.
    Leave,
}

pub fn tab_outcome(line: &str, candidates: &[String], listed_before: Option<&str>) -> TabOutcome {
    if line.trim().is_empty() || candidates.is_empty() {
        return TabOutcome::Leave;
    }
    if let [only] = candidates {
        let completed = format!("{} ", replace_last_word(line, only));
        return if completed == line {
            TabOutcome::Leave
        } else {
            TabOutcome::Complete(completed)
        };
    }
    let prefix = common_prefix(candidates);
    let last = &line[last_word_start(line)..];
    if prefix.len() > last.len() {
        TabOutcome::Complete(replace_last_word(line, &prefix))
    } else if listed_before == Some(line) {
        TabOutcome::Leave
    } else {
        TabOutcome::List
    }
}

/// The longest prefix every candidate shares.
pub fn common_prefix(candidates: &[String]) -> String {
    let Some(first) = candidates.first() else {
        return String::new();
    };
    let mut len = first.len();
    for c in &candidates[1..] {
        len = len.min(
            first
                .bytes()
                .zip(c.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    while !first.is_char_boundary(len) {
        len -= 1;
    }
    first[..len].to_string()
}

/// The configs `consumer set` takes, as `key=` completions: every consumer config but
/// those taken only at construction (`client.id`), which `set` refuses.
fn settable_configs() -> impl Iterator<Item = String> {
    CONSUMER_CONFIGS
        .iter()
        .filter(|c| !CONSTRUCTION_ONLY_CONFIGS.contains(c))
        .map(|c| format!("{c}="))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_tools_options_and_names() {
        let mut console = Console::default();
        console.run_line("kafka-topics --create --topic orders --partitions 3");
        console.run_line("kafka-topics --create --topic payments");
        assert_eq!(
            console.complete("kafka-t"),
            [
                "kafka-topics",
                "kafka-topics.sh",
                "kafka-transactions",
                "kafka-transactions.sh"
            ]
        );
        assert!(console
            .complete("kafka-topics --cr")
            .contains(&"--create".to_string()));
        assert_eq!(
            console.complete("kafka-topics --describe --topic o"),
            ["orders"]
        );
        assert_eq!(
            console.complete("kafka-topics --describe --topic "),
            ["orders", "payments"]
        );
        assert_eq!(console.complete("consumer st"), ["start", "stop"]);
        assert!(console.complete("say 'unterminated").is_empty());
    }

    #[test]
    fn completion_helpers() {
        assert_eq!(
            replace_last_word("kafka-top", "kafka-topics"),
            "kafka-topics"
        );
        assert_eq!(
            replace_last_word("kafka-topics --cr", "--create"),
            "kafka-topics --create"
        );
        assert_eq!(
            common_prefix(&["--describe".into(), "--delete".into()]),
            "--de"
        );
    }

    #[test]
    fn wide_whitespace_never_splits_a_character() {
        // A no-break space is two bytes and a word separator for the shell.
        assert_eq!(last_word_start("\u{a0}"), 2);
        assert_eq!(replace_last_word("\u{a0}", "--help"), "\u{a0}--help");
        assert_eq!(replace_last_word("a\u{3000}kaf", "kafka"), "a\u{3000}kafka");
        let candidates: Vec<String> = vec!["--bootstrap-server".into(), "--help".into()];
        assert_eq!(
            tab_outcome("x\u{a0}", &candidates, None),
            TabOutcome::Complete("x\u{a0}--".into())
        );
        // The line that crashed the page: a no-break space, then Tab.
        let console = Console::default();
        for line in ["\u{a0}", "\u{a0}-", "x\u{a0}", "\u{a0}\u{a0}k"] {
            let _ = tab_outcome(line, &console.complete(line), None);
        }
        let one = vec!["--help".to_string()];
        assert_eq!(
            tab_outcome("x\u{a0}--h", &one, None),
            TabOutcome::Complete("x\u{a0}--help ".into())
        );
    }

    #[test]
    fn tab_moves_on_when_there_is_nothing_to_complete() {
        let many: Vec<String> = vec!["kafka-topics".into(), "kafka-configs".into()];
        assert_eq!(tab_outcome("", &many, None), TabOutcome::Leave);
        assert_eq!(tab_outcome("zzz", &[], None), TabOutcome::Leave);
        assert_eq!(tab_outcome("kafka-", &many, None), TabOutcome::List);
        assert_eq!(
            tab_outcome("kafka-", &many, Some("kafka-")),
            TabOutcome::Leave
        );
    }

    #[test]
    fn consumer_set_offers_only_what_it_accepts() {
        let mut console = Console::default();
        console.run_line("kafka-topics --create --topic orders");
        console.run_line("consumer start c1 --group g --topic orders");
        let offered = console.complete("consumer set c1 ");
        assert!(!offered.is_empty());
        assert!(!offered.iter().any(|c| c.starts_with("client.id")));
        // Every key offered is one `set` accepts (its value may still be wrong).
        for key in &offered {
            let out = console.run_line(&format!("consumer set c1 {key}x"));
            assert!(!out.contains("Unknown consumer config"), "{key}: {out}");
            assert!(!out.contains("client.id is set"), "{key}: {out}");
        }
        // At construction client.id is offered and means the consumer's name.
        let at_start = console.complete("consumer start c2 --group g --topic orders --config ");
        assert!(at_start.contains(&"client.id=".to_string()));
        assert_eq!(
            console.run_line("consumer set c1 client.id=other"),
            "Error: client.id is set when a consumer is constructed: it is the name given to consumer start, and cannot change afterwards.\n"
        );
        assert!(console
            .run_line("consumer start c3 --group g --topic orders --config client.id=c4")
            .contains("differs from the consumer's name c3"));
        assert!(!console
            .run_line("consumer start c3 --group g --topic orders --config client.id=c3")
            .contains("Error"));
    }
}
