//! `kafka-leader-election` (LeaderElectionCommand, SEMANTICS-4 §A.11): a preferred or unclean
//! election on one partition or on all, printing what Kafka 4.4.0 prints.

use super::args::{self, flag, value, OptSpec};
use super::Console;
use crate::engine::cluster::{ElectionResult, ElectionType};
use crate::engine::{Command, Event, TopicPartition};

pub(super) const LEADER_ELECTION_OPTIONS: [OptSpec; 8] = [
    value("bootstrap-server"),
    value("command-config"),
    value("admin.config"),
    value("election-type"),
    value("topic"),
    value("partition"),
    flag("all-topic-partitions"),
    value("path-to-json-file"),
];

/// The command a `kafka-leader-election` line stands for, or what the tool prints instead.
pub(super) fn leader_election_command(words: &[String]) -> Result<Command, String> {
    let p = args::parse(words, &LEADER_ELECTION_OPTIONS)
        .map_err(|e| format!("{}\n", args::jopt_error(&e).0))?;
    let election = match p
        .value("election-type")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("preferred") => ElectionType::Preferred,
        Some("unclean") => ElectionType::Unclean,
        Some(other) => {
            return Err(format!(
                "Unknown election type: {other}. The options are preferred and unclean.\n"
            ))
        }
        None => return Err("Missing required option(s) [election-type]\n".into()),
    };
    if p.has("path-to-json-file") {
        return Err("The simulator reads no JSON file: name --topic and --partition, or --all-topic-partitions.\n".into());
    }
    let all = p.has("all-topic-partitions");
    match (all, p.value("topic"), p.value("partition")) {
        (true, None, None) => Ok(Command::ElectLeaders {
            election,
            partitions: None,
        }),
        (false, Some(topic), Some(partition)) => {
            let partition = partition
                .parse::<u32>()
                .map_err(|_| format!("Cannot parse argument '{partition}' of option partition\n"))?;
            Ok(Command::ElectLeaders {
                election,
                partitions: Some(vec![TopicPartition::new(topic, partition)]),
            })
        }
        (false, Some(_), None) | (false, None, Some(_)) => Err(
            "Missing required option(s) [topic, partition]\n".into(),
        ),
        _ => Err("One and only one of the following options is required: all-topic-partitions, topic, path-to-json-file\n".into()),
    }
}

/// What the tool prints for an election's results.
pub(super) fn leader_election_output(
    election: ElectionType,
    results: &[(TopicPartition, ElectionResult)],
) -> String {
    let names = |wanted: fn(&ElectionResult) -> bool| -> Vec<String> {
        results
            .iter()
            .filter(|(_, r)| wanted(r))
            .map(|(tp, _)| tp.to_string())
            .collect()
    };
    let mut out = String::new();
    let elected = names(|r| *r == ElectionResult::Elected);
    if !elected.is_empty() {
        out.push_str(&format!(
            "Successfully completed leader election ({}) for partitions {}\n",
            election.as_str(),
            elected.join(", ")
        ));
    }
    let noop = names(|r| *r == ElectionResult::NotNeeded);
    if !noop.is_empty() {
        out.push_str(&format!(
            "Valid replica already elected for partitions {}\n",
            noop.join(", ")
        ));
    }
    let failed: Vec<(&TopicPartition, &String)> = results
        .iter()
        .filter_map(|(tp, r)| match r {
            ElectionResult::Failed(why) => Some((tp, why)),
            _ => None,
        })
        .collect();
    for (tp, why) in &failed {
        out.push_str(&format!(
            "Error completing leader election ({}) for partition: {tp}: {why}\n",
            election.as_str()
        ));
    }
    if !failed.is_empty() {
        out.push_str(&format!(
            "Error: {} replica(s) could not be elected\n",
            failed.len()
        ));
    }
    out
}

impl Console {
    pub(super) fn kafka_leader_election(&mut self, words: &[String]) -> String {
        let command = match leader_election_command(words) {
            Ok(c) => c,
            Err(text) => return text,
        };
        let events = self.apply(command);
        events
            .iter()
            .find_map(|e| match e {
                Event::LeadersElected { election, results } => {
                    Some(leader_election_output(*election, results))
                }
                Event::Rejected { reason } => Some(format!("Error: {reason}\n")),
                _ => None,
            })
            .unwrap_or_default()
    }
}
