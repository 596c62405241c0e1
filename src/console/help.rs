//! The console's help, as data: the overview `help` prints, and one entry per command
//! for `help <command>` (a command's names, then its text). A test checks that every
//! tool and command the console knows has an entry.

/// `help`: the list of tools and commands.
pub(super) const OVERVIEW: &str =
    "Kafka's tools (with or without .sh; --bootstrap-server is accepted and ignored):
  kafka-topics            create, list, describe, alter and delete topics
  kafka-configs           change and show topic configs
  kafka-console-producer  type records, one per line; Ctrl-D ends
  kafka-console-consumer  read records
  kafka-consumer-groups   list, describe, delete groups; reset or delete their offsets
  kafka-get-offsets       earliest, latest or by-time offsets of partitions
The simulator's commands:
  consumer start|assign|stop|crash|restart|remove|pause|resume|set|seek|commit|list
  producer add|remove|stream
  produce <topic> <value>... [--key K]
  clock [advance <duration>]
  step back [N] | step forward [N]
  reset [--seed N] | seed
  cleaner run [--topic t] | retention run [--topic t]
  broker set k=v
  records delete --partition t:p --before-offset N
Type help <command> for details.
";

/// One entry of `help <command>`: the names it answers to, and the text.
pub(super) struct HelpEntry {
    pub names: &'static [&'static str],
    pub text: &'static str,
}

/// Every entry of `help <command>`.
pub(super) const ENTRIES: &[HelpEntry] = &[
    HelpEntry {
        names: &["kafka-topics"],
        text: "kafka-topics --create --topic t [--partitions N] [--replication-factor 1] [--config k=v]... [--if-not-exists]\nkafka-topics --list | --describe [--topic t] | --alter --topic t --partitions N | --delete --topic t [--if-exists]\n",
    },
    HelpEntry {
        names: &["kafka-configs"],
        text: "kafka-configs --alter --entity-type topics --entity-name t [--add-config k=v[,k2=v2]] [--delete-config k[,k2]]\nkafka-configs --describe --entity-type topics [--entity-name t] [--all]\n",
    },
    HelpEntry {
        names: &["kafka-console-producer"],
        text: "kafka-console-producer --topic t [--property parse.key=true] [--property key.separator=:]\n  then one record per line (an empty line is an empty record); Ctrl-D ends the producer\n  (Esc too, on the page; a script writes ^D on a line of its own).\n",
    },
    HelpEntry {
        names: &["kafka-console-consumer"],
        text: "kafka-console-consumer --topic t [--group g] [--from-beginning] [--partition p --offset earliest|latest|N]\n    [--max-messages N] [--property print.key=true|print.partition=true|print.offset=true|print.timestamp=true|key.separator=...]\n  With --max-messages it reads until N records or caught up, then closes; without, it keeps\n  running as console-consumer-<n> (stop it with: consumer stop console-consumer-<n>).\n",
    },
    HelpEntry {
        names: &["kafka-consumer-groups"],
        text: "kafka-consumer-groups --list [--state [S]]\nkafka-consumer-groups --describe (--group g | --all-groups) [--members [--verbose] | --state | --offsets]\nkafka-consumer-groups --delete --group g\nkafka-consumer-groups --delete-offsets --group g --topic t[:0,1]\nkafka-consumer-groups --reset-offsets --group g (--all-topics | --topic t[:0,1])\n    (--to-earliest | --to-latest | --to-current | --to-offset N | --shift-by N | --to-datetime YYYY-MM-DDTHH:mm:SS.sss | --by-duration PnDTnHnMnS)\n    (--dry-run | --execute)\n",
    },
    HelpEntry {
        names: &["kafka-get-offsets"],
        text: "kafka-get-offsets [--topic t] [--partitions 0,1] [--time -1|latest|-2|earliest|<ms>]\n",
    },
    HelpEntry {
        names: &["consumer"],
        text: "consumer start <client-id> --group g --topic t[,t2] [--config k=v]...   subscribe as a group member\nconsumer assign <client-id> --partition t:0,1 [--group g] [--config k=v]... read partitions without joining\nconsumer stop <id>        close gracefully: commit (auto-commit), leave the group\nconsumer crash <id>       kill it: no commit, no LeaveGroup; the group waits session.timeout.ms\nconsumer restart <id>     start a stopped or crashed consumer again\nconsumer remove <id>      remove a stopped consumer from the diagram\nconsumer pause <id> | consumer resume <id>\nconsumer set <id> k=v     e.g. max.poll.records=10, processing.rate=2, partition.assignment.strategy=cooperative-sticky\nconsumer seek <id> [--partition t:p] (--to-beginning | --to-end | --to-offset N | --to-datetime YYYY-MM-DDTHH:mm:SS.sss)\nconsumer commit <id>      commitSync() of its positions\nconsumer list             every consumer with its group, status and partitions\nAdd --verbose to see every event.\n",
    },
    HelpEntry {
        names: &["producer"],
        text: "producer add <name> [--round-robin]       a producer box; --round-robin spreads null-key records one by one (Kafka < 2.4)\nproducer remove <name>\nproducer stream <name> --topic t --rate R [--keys N] [--key-prefix P]   R records per second, keys key-0..key-(N-1) (none without --keys; P replaces key-)\nproducer stream <name> --stop\n",
    },
    HelpEntry {
        names: &["produce"],
        text: "produce <topic> <value>... [--key K] [--partition P] [--producer NAME] [--header k=v]\n  one record per value (quote values with spaces); without a value, a null value (a tombstone).\n",
    },
    HelpEntry {
        names: &["clock"],
        text: "clock                      the simulated time\nclock advance <duration>   30 (ticks of 100 ms), 500ms, 5s, 2m, 1h; --verbose lists every event\n",
    },
    HelpEntry {
        names: &["step"],
        text: "step back [N]      undo the last N commands (time travel; nothing is lost until you act)\nstep forward [N]   redo them\n",
    },
    HelpEntry {
        names: &["reset", "seed"],
        text: "reset [--seed N]   start again with an empty cluster\nseed               the seed of this session (same seed and commands, same result)\n",
    },
    HelpEntry {
        names: &["cleaner", "retention"],
        text: "cleaner run [--topic t]     compact now (cleanup.policy=compact)\nretention run [--topic t]   delete old segments now (Kafka checks every log.retention.check.interval.ms)\n",
    },
    HelpEntry {
        names: &["broker"],
        text: "broker set log.retention.check.interval.ms=N | group.initial.rebalance.delay.ms=N\n",
    },
    HelpEntry {
        names: &["records", "kafka-delete-records"],
        text: "records delete --partition t:p --before-offset N   move the log start offset of t-p to N (what kafka-delete-records does)\n",
    },
];

/// `help` (no topic) or `help <command>`; `topic` is a tool name without `.sh`.
pub(super) fn help(topic: Option<&str>) -> String {
    let Some(topic) = topic else {
        return OVERVIEW.to_string();
    };
    match ENTRIES.iter().find(|e| e.names.contains(&topic)) {
        Some(entry) => entry.text.to_string(),
        None => format!("No help for {topic}. Type help for the list of commands.\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::{KAFKA_TOOLS, SIM_COMMANDS};

    #[test]
    fn every_tool_and_command_has_help() {
        for name in KAFKA_TOOLS.iter().chain(SIM_COMMANDS.iter()) {
            if *name == "help" {
                continue;
            }
            assert!(
                ENTRIES.iter().any(|e| e.names.contains(name)),
                "no help for {name}"
            );
            assert!(OVERVIEW.contains(name), "the overview does not name {name}");
        }
    }
}
