//! Transactions and producer faults in the console: the simulator's `producer add p
//! --transactional-id t`, `producer set p k=v`, `producer fault p lose-ack|lose-request|none
//! [--once]` and `txn init|begin|send-offsets|commit|abort p`, and Kafka's
//! `kafka-transactions` (list, describe, describe-producers, find-hanging, abort) with
//! 4.4.0's output (`tools/TransactionsCommand.java`, `ToolsUtils.prettyPrintTable`).

use super::args::{self, flag, value, OptSpec};
use super::sim::narrate;
use super::Console;
use crate::engine::partitioner::NullKeyStrategy;
use crate::engine::txn::ProduceFault;
use crate::engine::{Command, TopicPartition, TxnAction};
use crate::read::txn as facts;

/// Subcommands of `txn`.
pub(super) const TXN_SUBCOMMANDS: [&str; 5] = ["abort", "begin", "commit", "init", "send-offsets"];

/// Subcommands of `kafka-transactions`.
pub(super) const TRANSACTIONS_SUBCOMMANDS: [&str; 5] = [
    "abort",
    "describe",
    "describe-producers",
    "find-hanging",
    "list",
];

pub(super) const TXN_OPTIONS: [OptSpec; 2] = [value("consumer"), flag("verbose")];

const PRODUCER_EXTRA_OPTIONS: [OptSpec; 5] = [
    flag("round-robin"),
    value("transactional-id"),
    value("config"),
    flag("once"),
    flag("verbose"),
];

pub(super) const TRANSACTIONS_OPTIONS: [OptSpec; 10] = [
    value("bootstrap-server"),
    value("command-config"),
    value("transactional-id"),
    value("topic"),
    value("partition"),
    value("start-offset"),
    value("broker-id"),
    value("max-transaction-timeout"),
    value("duration-filter"),
    value("transactional-id-pattern"),
];

/// The id of the broker coordinating `transactional.id` `id`: the leader of its
/// `__transaction_state` partition (node 1 on one broker; node 1 too while none runs, where
/// Kafka's tool would fail to find a coordinator).
fn coordinator_id(engine: &crate::engine::Engine, id: &str) -> String {
    engine.transaction_coordinator(id).unwrap_or(1).to_string()
}

const TXN_USAGE: &str = "Usage: txn init|begin|commit|abort <producer> | txn send-offsets <producer> --consumer <client-id>\n";

/// Parses `txn …`.
pub(super) fn txn_parse(words: &[String]) -> Result<Command, String> {
    let Some((sub, rest)) = words.split_first() else {
        return Err(TXN_USAGE.into());
    };
    if !TXN_SUBCOMMANDS.contains(&sub.as_str()) {
        return Err(match args::closest(sub, &TXN_SUBCOMMANDS) {
            Some(best) => format!("Unknown subcommand: txn {sub}. Did you mean txn {best}?\n"),
            None => format!("Unknown subcommand: txn {sub}. Try: help txn\n"),
        });
    }
    let p = args::parse(rest, &TXN_OPTIONS).map_err(|e| format!("{e}\n"))?;
    let Some(producer) = p.positional.first().cloned() else {
        return Err(TXN_USAGE.into());
    };
    if p.positional.len() > 1 {
        return Err(TXN_USAGE.into());
    }
    let action = match sub.as_str() {
        "init" => TxnAction::Init,
        "begin" => TxnAction::Begin,
        "commit" => TxnAction::Commit,
        "abort" => TxnAction::Abort,
        _ => {
            let Some(consumer) = p.value("consumer") else {
                return Err(TXN_USAGE.into());
            };
            TxnAction::SendOffsets {
                consumer: consumer.to_string(),
            }
        }
    };
    Ok(Command::Transaction { producer, action })
}

/// Parses the `producer` lines this module adds: `producer set`, `producer fault`, and
/// `producer add` with `--transactional-id` or `--config` (a producer, then its configs).
/// `None` for the other `producer` lines.
pub(super) fn producer_parse(words: &[String]) -> Option<Result<Vec<Command>, String>> {
    let (sub, rest) = words.split_first()?;
    let extended_add = sub == "add"
        && rest
            .iter()
            .any(|w| w.starts_with("--transactional-id") || w.starts_with("--config"));
    if sub != "set" && sub != "fault" && !extended_add {
        return None;
    }
    Some(producer_parse_extended(sub, rest))
}

fn producer_parse_extended(sub: &str, rest: &[String]) -> Result<Vec<Command>, String> {
    let p = args::parse(rest, &PRODUCER_EXTRA_OPTIONS).map_err(|e| format!("{e}\n"))?;
    let usage = match sub {
        "set" => "Usage: producer set <name> key=value\n",
        "fault" => "Usage: producer fault <name> lose-ack|lose-request|none [--once]\n",
        _ => {
            "Usage: producer add <name> [--round-robin] [--transactional-id T] [--config k=v]...\n"
        }
    };
    let Some(name) = p.positional.first().cloned() else {
        return Err(usage.into());
    };
    let pair = |text: &str| -> Result<(String, String), String> {
        match text.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(format!("Expected key=value, got '{text}'\n")),
        }
    };
    match sub {
        "set" => {
            let (Some(kv), 2) = (p.positional.get(1), p.positional.len()) else {
                return Err(usage.into());
            };
            let (key, value) = pair(kv)?;
            Ok(vec![Command::SetProducerConfig {
                producer: name,
                key,
                value,
            }])
        }
        "fault" => {
            let (Some(what), 2) = (p.positional.get(1), p.positional.len()) else {
                return Err(usage.into());
            };
            let fault = match what.as_str() {
                "none" => None,
                other => Some(ProduceFault::parse(other).ok_or_else(|| usage.to_string())?),
            };
            Ok(vec![Command::SetProducerFault {
                producer: name,
                fault,
                once: p.has("once"),
            }])
        }
        _ => {
            if p.positional.len() > 1 {
                return Err(usage.into());
            }
            let mut commands = vec![Command::AddProducer {
                name: name.clone(),
                null_key: if p.has("round-robin") {
                    NullKeyStrategy::RoundRobin
                } else {
                    NullKeyStrategy::Sticky
                },
            }];
            // A KafkaProducer's constructor refuses a bad config: no producer is made.
            let mut configs = crate::engine::txn::ProducerConfigs::default();
            for entry in p.values("config") {
                let (key, value) = pair(entry)?;
                configs
                    .set(&key, &value)
                    .map_err(|why| format!("Error: {why}\n"))?;
                commands.push(Command::SetProducerConfig {
                    producer: name.clone(),
                    key,
                    value,
                });
            }
            if let Some(id) = p.value("transactional-id") {
                configs
                    .set("transactional.id", id)
                    .map_err(|why| format!("Error: {why}\n"))?;
                commands.push(Command::SetProducerConfig {
                    producer: name,
                    key: "transactional.id".into(),
                    value: id.to_string(),
                });
            }
            Ok(commands)
        }
    }
}

/// `ToolsUtils.prettyPrintTable`: every cell, headers too, left-aligned to its column's
/// widest value and followed by a tab.
pub fn pretty_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        for (cell, w) in cells.iter().zip(&widths) {
            out.push_str(&format!("{cell:<w$}\t"));
        }
        out.push('\n');
    };
    line(headers.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

impl Console {
    /// Applies the commands of a `producer …` or `txn …` line and narrates them; the first
    /// refusal stops the rest.
    pub(super) fn txn_commands_output(&mut self, commands: Vec<Command>) -> String {
        let mut out = String::new();
        for command in commands {
            match self.apply_checked(command) {
                Ok(events) => out.push_str(&narrate(&events, true)),
                Err(refusal) => {
                    out.push_str(&format!("Error: {}\n", refusal.reason));
                    break;
                }
            }
        }
        out
    }

    /// `kafka-transactions`.
    pub(super) fn kafka_transactions(&mut self, words: &[String]) -> String {
        const USAGE: &str = "usage: kafka-transactions.sh [-h] [-v] [--command-config FILE]\n                             --bootstrap-server host:port COMMAND ...\n";
        let p = match args::parse(words, &TRANSACTIONS_OPTIONS) {
            Ok(p) => p,
            Err(e) => return format!("{USAGE}kafka-transactions.sh: error: {e}\n"),
        };
        if !p.has("bootstrap-server") {
            return format!(
                "{USAGE}kafka-transactions.sh: error: argument --bootstrap-server is required\n"
            );
        }
        let Some(sub) = p.positional.first().map(String::as_str) else {
            return format!("{USAGE}kafka-transactions.sh: error: too few arguments\n");
        };
        if !TRANSACTIONS_SUBCOMMANDS.contains(&sub) {
            // argparse4j wraps and justifies this message to 80 columns; the simulator
            // prints it on one line.
            return format!("{USAGE}kafka-transactions.sh: error: invalid choice: '{sub}' (choose from 'list', 'describe', 'describe-producers', 'abort', 'find-hanging', 'forceTerminateTransaction')\n");
        }
        let engine = self.timeline.state();
        match sub {
            "list" => {
                let rows: Vec<Vec<String>> = facts::transactions(engine)
                    .into_iter()
                    .map(|t| {
                        let coordinator = coordinator_id(engine, &t.transactional_id);
                        vec![
                            t.transactional_id,
                            coordinator,
                            t.producer_id.to_string(),
                            t.state.name().to_string(),
                        ]
                    })
                    .collect();
                pretty_table(
                    &[
                        "TransactionalId",
                        "Coordinator",
                        "ProducerId",
                        "TransactionState",
                    ],
                    &rows,
                )
            }
            "describe" => {
                let Some(id) = p.value("transactional-id") else {
                    return "usage: kafka-transactions.sh --bootstrap-server host:port describe [-h]\n                             --transactional-id TRANSACTIONAL_ID\nkafka-transactions.sh: error: argument --transactional-id is required\n".into();
                };
                let Some(t) = facts::transactions(engine)
                    .into_iter()
                    .find(|t| t.transactional_id == id)
                else {
                    return format!("Failed to describe transaction state of transactional-id `{id}`: DescribeTransactions request for transactionalId `{id}` failed because the ID could not be found. Enable debug logging for additional detail.\n");
                };
                let none = || "None".to_string();
                let row = vec![
                    coordinator_id(engine, &t.transactional_id),
                    t.transactional_id,
                    t.producer_id.to_string(),
                    t.producer_epoch.to_string(),
                    t.state.name().to_string(),
                    t.timeout_ms.to_string(),
                    t.start_ms.map_or_else(none, |s| s.to_string()),
                    t.duration_ms.map_or_else(none, |d| d.to_string()),
                    t.partitions
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                ];
                pretty_table(
                    &[
                        "CoordinatorId",
                        "TransactionalId",
                        "ProducerId",
                        "ProducerEpoch",
                        "TransactionState",
                        "TransactionTimeoutMs",
                        "CurrentTransactionStartTimeMs",
                        "TransactionDurationMs",
                        "TopicPartitions",
                    ],
                    &[row],
                )
            }
            "describe-producers" => {
                let tp = match self.transactions_partition(&p, USAGE) {
                    Ok(tp) => tp,
                    Err(text) => return text,
                };
                let rows: Vec<Vec<String>> = facts::producers(engine, &tp)
                    .into_iter()
                    .map(|f| {
                        vec![
                            f.producer_id.to_string(),
                            f.producer_epoch.to_string(),
                            f.coordinator_epoch.unwrap_or(-1).to_string(),
                            f.last_sequence.to_string(),
                            f.last_timestamp_ms.to_string(),
                            f.current_transaction_start_offset
                                .map_or_else(|| "None".into(), |o| o.to_string()),
                        ]
                    })
                    .collect();
                pretty_table(
                    &[
                        "ProducerId",
                        "ProducerEpoch",
                        "LatestCoordinatorEpoch",
                        "LastSequence",
                        "LastTimestamp",
                        "CurrentTransactionStartOffset",
                    ],
                    &rows,
                )
            }
            "find-hanging" => self.find_hanging(&p, USAGE),
            _ => {
                let tp = match self.transactions_partition(&p, USAGE) {
                    Ok(tp) => tp,
                    Err(text) => return text,
                };
                let Some(start) = p.value("start-offset") else {
                    return "The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)\n".into();
                };
                let Ok(start_offset) = start.parse::<i64>() else {
                    return format!("{USAGE}kafka-transactions.sh: error: argument --start-offset: could not convert '{start}' to Long\n");
                };
                match self.apply_checked(Command::AbortHangingTransaction {
                    partition: tp,
                    start_offset,
                }) {
                    Ok(_) => String::new(),
                    Err(refusal) => format!("{}\n", refusal.reason),
                }
            }
        }
    }

    /// `--topic t --partition p`, both required; `usage` is the top-level one, replaced by
    /// `describe-producers`' own when that subcommand is missing an argument (argparse4j
    /// prints the subparser's usage).
    fn transactions_partition(
        &self,
        p: &args::Parsed,
        usage: &str,
    ) -> Result<TopicPartition, String> {
        const DESCRIBE_PRODUCERS_USAGE: &str = "usage: kafka-transactions.sh --bootstrap-server host:port\n                             describe-producers [-h]\n                             [--broker-id BROKER_ID] --topic TOPIC\n                             --partition PARTITION\n";
        let usage = if p.positional.first().map(String::as_str) == Some("describe-producers") {
            DESCRIBE_PRODUCERS_USAGE
        } else {
            usage
        };
        let Some(topic) = p.value("topic") else {
            return Err(format!(
                "{usage}kafka-transactions.sh: error: argument --topic is required\n"
            ));
        };
        let Some(partition) = p.value("partition") else {
            return Err(format!(
                "{usage}kafka-transactions.sh: error: argument --partition is required\n"
            ));
        };
        let Ok(partition) = partition.parse::<u32>() else {
            return Err(format!("{usage}kafka-transactions.sh: error: argument --partition: could not convert '{partition}' to Integer\n"));
        };
        Ok(TopicPartition::new(topic, partition))
    }

    /// `find-hanging`: transactions open on a partition longer than the maximum timeout
    /// (15 minutes unless `--max-transaction-timeout`) that the coordinator no longer has
    /// open.
    fn find_hanging(&self, p: &args::Parsed, usage: &str) -> String {
        if p.value("topic").is_none() && p.value("broker-id").is_none() {
            return "The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search\n".into();
        }
        if p.value("partition").is_some() && p.value("topic").is_none() {
            return "The --partition argument requires --topic to be provided\n".into();
        }
        let max_minutes = match p.value("max-transaction-timeout").map(str::parse::<i64>) {
            None => 15,
            Some(Ok(m)) => m,
            Some(Err(_)) => {
                return format!("{usage}kafka-transactions.sh: error: argument --max-transaction-timeout: could not convert to Long\n")
            }
        };
        let engine = self.timeline.state();
        let now_ms = engine.now_ms();
        let mut partitions: Vec<TopicPartition> = Vec::new();
        for (name, topic) in &engine.topics {
            if p.value("topic").is_some_and(|t| t != name) {
                continue;
            }
            for q in 0..topic.n_partitions() {
                if p.value("partition")
                    .is_some_and(|want| want.parse::<u32>().ok() != Some(q))
                {
                    continue;
                }
                partitions.push(TopicPartition::new(name.clone(), q));
            }
        }
        let mut rows = Vec::new();
        for tp in partitions {
            for f in facts::producers(engine, &tp) {
                let Some(start) = f.current_transaction_start_offset else {
                    continue;
                };
                let open_minutes = (now_ms - f.last_timestamp_ms) / 60_000;
                if open_minutes < max_minutes {
                    continue;
                }
                let tracked = engine.transactions.transactions.values().any(|m| {
                    m.producer.producer_id == f.producer_id
                        && m.state == crate::engine::transactions::TxnState::Ongoing
                        && m.partitions.contains(&(tp.topic.clone(), tp.partition))
                });
                if tracked {
                    continue;
                }
                rows.push(vec![
                    tp.topic.clone(),
                    tp.partition.to_string(),
                    f.producer_id.to_string(),
                    f.producer_epoch.to_string(),
                    f.coordinator_epoch.unwrap_or(-1).to_string(),
                    start.to_string(),
                    f.last_timestamp_ms.to_string(),
                    open_minutes.to_string(),
                ]);
            }
        }
        pretty_table(
            &[
                "Topic",
                "Partition",
                "ProducerId",
                "ProducerEpoch",
                "CoordinatorEpoch",
                "StartOffset",
                "LastTimestamp",
                "Duration(min)",
            ],
            &rows,
        )
    }
}
