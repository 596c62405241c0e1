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
  kafka-transactions      list, describe, describe-producers, find-hanging, abort
  kafka-share-groups      list, describe, delete share groups; reset or delete their offsets
  kafka-console-share-consumer  read records as a share group member (--max-messages N)
  kafka-leader-election   move leaders back to their preferred replica, or elect uncleanly
The simulator's commands:
  consumer start|assign|stop|crash|restart|remove|pause|resume|set|seek|commit|list
  share-consumer start|set|stop|crash  a share group member (KIP-932) at a rate
  producer acks|add|remove|stream|set|fault
  txn init|begin|send-offsets|commit|abort <producer>
  pipeline add|crash|start|stop|list  a consume-transform-produce processor
  produce <topic> <value>... [--key K]
  clock [advance <duration>]
  step back [N] | step forward [N]
  reset [--seed N] | seed
  cleaner run [--topic t] | retention run [--topic t]
  broker set k=v | broker add | broker stop|crash|start N | broker slow N <factor>
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
        text: "kafka-topics --create --topic t [--partitions N] [--replication-factor R | --replica-assignment 1:2:3,2:3:1] [--config k=v]... [--if-not-exists]\nkafka-topics --describe [--topic t] [--under-replicated-partitions] [--under-min-isr-partitions] [--at-min-isr-partitions] [--unavailable-partitions]\nkafka-topics --list | --describe [--topic t] | --alter --topic t --partitions N | --delete --topic t [--if-exists]\n",
    },
    HelpEntry {
        names: &["kafka-configs"],
        text: "kafka-configs --alter --entity-type topics --entity-name t [--add-config k=v[,k2=v2]] [--delete-config k[,k2]]\nkafka-configs --describe --entity-type topics [--entity-name t] [--all]\nkafka-configs --alter --entity-type groups --entity-name g --add-config share.auto.offset.reset=earliest\n    (also share.record.lock.duration.ms, share.delivery.count.limit, share.session.timeout.ms, share.heartbeat.interval.ms)\nkafka-configs --describe --entity-type groups --entity-name g [--all]\n",
    },
    HelpEntry {
        names: &["kafka-console-producer"],
        text: "kafka-console-producer --topic t [--property parse.key=true] [--property key.separator=:]\n  [--request-required-acks 0|1|all] [--producer-property acks=0|1|all]\n  then one record per line (an empty line is an empty record); Ctrl-D ends the producer\n  (Esc too, on the page; a script writes ^D on a line of its own).\n",
    },
    HelpEntry {
        names: &["kafka-console-consumer"],
        text: "kafka-console-consumer --topic t [--group g] [--from-beginning] [--partition p --offset earliest|latest|N]\n    [--max-messages N] [--isolation-level read_committed|read_uncommitted] [--property print.key=true|print.partition=true|print.offset=true|print.timestamp=true|key.separator=...]\n  With --max-messages it reads until N records or caught up, then closes; without, it keeps\n  running as console-consumer-<n> (stop it with: consumer stop console-consumer-<n>).\n",
    },
    HelpEntry {
        names: &["kafka-consumer-groups"],
        text: "kafka-consumer-groups --list [--state [S]]\nkafka-consumer-groups --describe (--group g | --all-groups) [--members [--verbose] | --state | --offsets]\nkafka-consumer-groups --delete --group g\nkafka-consumer-groups --delete-offsets --group g --topic t[:0,1]\nkafka-consumer-groups --validate-regex R\nkafka-consumer-groups --reset-offsets --group g (--all-topics | --topic t[:0,1])\n    (--to-earliest | --to-latest | --to-current | --to-offset N | --shift-by N | --to-datetime YYYY-MM-DDTHH:mm:SS.sss | --by-duration PnDTnHnMnS)\n    (--dry-run | --execute)\n",
    },
    HelpEntry {
        names: &["kafka-share-groups"],
        text: "kafka-share-groups --list [--state]\nkafka-share-groups --describe (--group g | --all-groups) [--members | --state | --offsets] [--verbose]\nkafka-share-groups --delete --group g\nkafka-share-groups --delete-offsets --group g --topic t\nkafka-share-groups --reset-offsets --group g (--all-topics | --topic t) (--to-earliest | --to-latest | --to-offset N | --to-datetime YYYY-MM-DDTHH:mm:SS.sss) (--dry-run | --execute)\n  Only an empty group's offsets can be reset, deleted, or the group itself deleted.\n",
    },
    HelpEntry {
        names: &["kafka-console-share-consumer"],
        text: "kafka-console-share-consumer --topic t [--group g] --max-messages N [--command-property k=v]\n  joins share group g (default console-share-consumer), prints up to N records it acquired,\n  accepts them and closes (what it acquired beyond N is released). It always runs with\n  share.acknowledgement.mode=explicit, whatever the properties say.\n",
    },
    HelpEntry {
        names: &["share-consumer"],
        text: "share-consumer start <name> --group g --topic t [--rate R]\n    [--config share.acknowledgement.mode=implicit|explicit] [--fail-rate F] [--reject-rate F]\n  a share group member: R records per second (default 20). In implicit mode (the default) its\n  next poll ACCEPTs the whole batch. In explicit mode it acknowledges each record: a fraction F\n  fails and is RELEASEd (redelivered, archived after share.delivery.count.limit deliveries), a\n  fraction is REJECTed (archived at once), the others are ACCEPTed; --fail-rate and --reject-rate\n  need explicit mode.\nshare-consumer set <name> rate=R|fail-rate=F|reject-rate=F\n  changes a running share consumer's rate or failure rates (the failure rates need explicit mode).\nshare-consumer stop <name>    close(): explicit mode acknowledges what it finished and releases the\n  rest; implicit mode releases the whole last batch, finished or not. Then it leaves.\nshare-consumer crash <name>   kill it: its records stay acquired until their locks expire\n  (share.record.lock.duration.ms, 30 s); the group removes it after share.session.timeout.ms (45 s)\n",
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
        text: "producer acks <name> 0|1|all             the acks its records are sent with (all: Kafka's default)\nproducer add <name> [--round-robin]       a producer box; --round-robin spreads null-key records one by one (Kafka < 2.4)\nproducer remove <name>\nproducer stream <name> --topic t --rate R [--keys N] [--key-prefix P]   R records per second, keys key-0..key-(N-1) (none without --keys; P replaces key-)\nproducer stream <name> --stop\nproducer add <name> --transactional-id T [--config k=v]...   a transactional producer (then: txn init <name>)\nproducer set <name> k=v    enable.idempotence, acks, retries, max.in.flight.requests.per.connection, delivery.timeout.ms,\n    request.timeout.ms, linger.ms, transactional.id, transaction.timeout.ms (the producer starts again as a new instance)\nproducer fault <name> lose-ack|lose-request|none [--once]   lose the broker's acknowledgements or the requests, so sends are retried\n",
    },
    HelpEntry {
        names: &["txn"],
        text: "txn init <producer>      initTransactions(): a producer id and a new epoch, fencing an older instance with the same transactional.id\ntxn begin <producer>     beginTransaction()\ntxn send-offsets <producer> --consumer <client-id>   sendOffsetsToTransaction(the consumer's positions, its group): committed with the transaction\ntxn commit <producer>    commitTransaction(): a COMMIT marker (one offset) on every partition written\ntxn abort <producer>     abortTransaction(): an ABORT marker; read_committed readers skip the records\n",
    },
    HelpEntry {
        names: &["pipeline"],
        text: "pipeline add <name> --from T --to U --group G [--exactly-once] [--rate R]\n  a consume-transform-produce processor: reads T in group G, writes each record's value in capitals\n  to U (header source=T-p@offset), R records per second. At least once (the default): it writes,\n  then commits the offsets; --exactly-once: read_committed, and each batch is a transaction with\n  sendOffsetsToTransaction (transactional.id = the name).\npipeline crash <name>   kill it mid-batch: an open transaction stays open, uncommitted inputs are read again\npipeline start <name>   a new instance: initTransactions fences the old one and aborts what it left open\npipeline stop <name>    close it: an open transaction is aborted, the consumer leaves the group\npipeline list           every pipeline with its status and counts\n",
    },
    HelpEntry {
        names: &["kafka-transactions"],
        text: "kafka-transactions --bootstrap-server localhost:9092 list\nkafka-transactions --bootstrap-server localhost:9092 describe --transactional-id T\nkafka-transactions --bootstrap-server localhost:9092 describe-producers --topic t --partition p\nkafka-transactions --bootstrap-server localhost:9092 find-hanging (--topic t [--partition p] | --broker-id 1) [--max-transaction-timeout 15]\nkafka-transactions --bootstrap-server localhost:9092 abort --topic t --partition p --start-offset o\n",
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
        names: &["kafka-leader-election"],
        text: "kafka-leader-election --election-type preferred|unclean (--all-topic-partitions | --topic t --partition p)\n",
    },
    HelpEntry {
        names: &["broker"],
        text: "broker set log.retention.check.interval.ms=N | log.initial.task.delay.ms=N | group.initial.rebalance.delay.ms=N\nbroker set min.insync.replicas=N | unclean.leader.election.enable=true|false | auto.leader.rebalance.enable=true|false\n           | leader.imbalance.check.interval.seconds=N | replica.lag.time.max.ms=N | default.replication.factor=N\nbroker add              one more broker (node ids 1, 2, 3, … as Kafka's quickstart numbers them)\nbroker stop N           a controlled shutdown: N leaves every ISR and hands over what it leads\nbroker crash N          kill N: the controller fences it when its session expires (9 s)\nbroker start N          start N again: it truncates what the leader never had, then catches up\nbroker slow N <factor>  N's followers copy at 1/factor of the normal rate (1 is normal)\n",
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
