//! The exporter: a session becomes the exact bash script a user runs against a real cluster,
//! and no value in the session can make that script run anything. (The conformance suite
//! runs exported scripts on a real broker; see `scripts/export-roundtrip.sh`.)

use kafka_sim::console::Console;
use kafka_sim::export::{export_script, shell_quote};

const HEADER: &str = "#!/usr/bin/env bash
# Exported from kafka-sim: the session's commands as Kafka's own tools, to replay
# on a real cluster (checked against Apache Kafka 4.4.0; simulation seed 42).
# Needs Kafka's bin/ on PATH (kafka-topics.sh, kafka-configs.sh, ...). What only the
# simulator has (consumers with a processing rate, crashes, the clock) is the closest
# real command, with a comment. Run it against an empty cluster:
#   BOOTSTRAP=host:9092 bash this-script.sh
set -euo pipefail
BOOTSTRAP=${BOOTSTRAP:-localhost:9092}
";

/// The script exported from a console script's session.
fn exported(script: &str) -> String {
    let mut console = Console::default();
    console.run_script(script);
    export_script(console.timeline().seed(), &console.timeline().commands())
}

/// The script's lines after the header.
fn body(script: &str) -> String {
    script
        .strip_prefix(HEADER)
        .expect("the script starts with the header")
        .to_string()
}

#[test]
fn topics_configs_and_keyed_records_become_kafkas_tools() {
    let script = exported(
        "kafka-topics --create --topic orders --partitions 3 --config retention.ms=60000\n\
         kafka-configs --alter --entity-type topics --entity-name orders --add-config cleanup.policy=[compact,delete]\n\
         produce orders o1 --key alice\n\
         produce orders o2 --key bob\n",
    );
    assert_eq!(
        body(&script),
        "kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --topic orders --partitions 3 --config retention.ms=60000\n\
         kafka-configs.sh --bootstrap-server \"$BOOTSTRAP\" --alter --entity-type topics --entity-name orders --add-config 'cleanup.policy=[compact,delete]'\n\
         printf '%s\\t%s\\n' alice o1 bob o2 | kafka-console-producer.sh --bootstrap-server \"$BOOTSTRAP\" --topic orders --property parse.key=true\n"
    );
}

#[test]
fn a_consumer_is_read_again_and_its_commits_are_set() {
    let script = exported(
        "kafka-topics --create --topic t --partitions 1\n\
         produce t a b\n\
         consumer start c1 --group g --topic t --config auto.offset.reset=earliest\n\
         clock advance 5s\n\
         consumer stop c1\n\
         kafka-consumer-groups --reset-offsets --group g --topic t --shift-by -1 --execute\n",
    );
    assert_eq!(
        body(&script),
        "kafka-topics.sh --bootstrap-server \"$BOOTSTRAP\" --create --topic t --partitions 1\n\
         printf '%s\\n' a b | kafka-console-producer.sh --bootstrap-server \"$BOOTSTRAP\" --topic t\n\
         # Consumer c1 in group g subscribes to t (auto.offset.reset=earliest): what it reads is read again when it stops.\n\
         # Consumer c1 closed in the simulation.\n\
         # The simulation's clock advanced 5.000 s here.\n\
         # Consumer c1 read these records in the simulation; a console consumer reads them again (its group's commits follow below).\n\
         kafka-console-consumer.sh --bootstrap-server \"$BOOTSTRAP\" --topic t --partition 0 --offset 0 --max-messages 2 --timeout-ms 10000 --property print.key=true\n\
         # Group g committed these offsets in the simulation; no consumer of this script keeps running, so they are set directly.\n\
         kafka-consumer-groups.sh --bootstrap-server \"$BOOTSTRAP\" --reset-offsets --group g --topic t:0 --to-offset 2 --execute >/dev/null\n\
         kafka-consumer-groups.sh --bootstrap-server \"$BOOTSTRAP\" --reset-offsets --group g --topic t --shift-by -1 --execute\n"
    );
}

#[test]
fn a_refused_command_is_left_out_with_its_reason() {
    let script = exported("kafka-topics --create --topic t --partitions 1\nproduce nope x\n");
    let body = body(&script);
    assert!(
        body.contains("# Refused in the simulation, left out: produce nope x"),
        "{body}"
    );
    assert_eq!(
        body.lines().filter(|l| !l.starts_with('#')).count(),
        1,
        "{body}"
    );
}

#[test]
fn odd_values_are_quoted_so_that_bash_runs_none_of_them() {
    let values = [
        "two words",
        "it's",
        "\"double\"",
        "$HOME",
        "`id`",
        "$(touch /tmp/pwned)",
        "a;b|c&d>e",
        "né ☃",
        "back\\slash",
        "",
    ];
    for value in values {
        let quoted = shell_quote(value);
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("printf '%s' {quoted}"))
            .output()
            .expect("bash runs");
        assert_eq!(String::from_utf8_lossy(&output.stdout), value, "{quoted}");
    }
}

#[test]
fn a_session_full_of_odd_values_exports_a_script_bash_reads_as_they_are() {
    let script = exported(
        "kafka-topics --create --topic t --partitions 1\n\
         produce t 'it'\\''s $HOME `id` $(touch /tmp/kafka-sim-pwned)' --key 'k ; rm'\n\
         produce t 'né ☃'\n",
    );
    // Run only the printf of the producer line, with a fake producer that echoes stdin.
    let line = script
        .lines()
        .find(|l| l.starts_with("printf"))
        .expect("a producer line");
    let printf = line.split(" | ").next().expect("the printf part");
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(printf)
        .output()
        .expect("bash runs");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "k ; rm\tit's $HOME `id` $(touch /tmp/kafka-sim-pwned)\n<null>\tné ☃\n"
    );
    assert!(line.contains("--property 'null.marker=<null>'"), "{line}");
    assert!(!std::path::Path::new("/tmp/kafka-sim-pwned").exists());
}

#[test]
fn a_line_break_in_a_value_is_left_out_and_comments_stay_on_one_line() {
    let mut console = Console::default();
    console.run_script("kafka-topics --create --topic t --partitions 1\n");
    console.apply(kafka_sim::engine::Command::Produce {
        producer: None,
        topic: "t".into(),
        partition: None,
        key: None,
        value: Some("line one\nrm -rf /".into()),
        headers: Vec::new(),
    });
    console.apply(kafka_sim::engine::Command::CreateTopic {
        name: "bad\nname".into(),
        partitions: 1,
        configs: Vec::new(),
    });
    let script = export_script(console.timeline().seed(), &console.timeline().commands());
    assert!(
        script.lines().all(|l| l.is_empty()
            || l.starts_with('#')
            || l.starts_with("set ")
            || l.starts_with("BOOTSTRAP=")
            || l.starts_with("kafka-")
            || l.starts_with("printf ")),
        "{script}"
    );
    assert!(!script.lines().any(|l| l.starts_with("rm")), "{script}");
    assert!(script.contains("cannot read; it is left out"), "{script}");
}

#[test]
fn a_saved_session_file_exports_the_same_script_as_the_session() {
    let mut console = Console::default();
    console.run_script(
        "kafka-topics --create --topic t --partitions 2\nproduce t a --key k\nconsumer start c --group g --topic t --config auto.offset.reset=earliest\nclock advance 10s\n",
    );
    let timeline = console.timeline();
    let file =
        kafka_sim::share::to_json(&kafka_sim::share::Scenario::from_timeline(timeline, None));
    let loaded = kafka_sim::share::from_json(&file)
        .and_then(|s| s.to_timeline())
        .expect("the saved file loads");
    assert_eq!(
        export_script(loaded.seed(), &loaded.commands()),
        export_script(timeline.seed(), &timeline.commands())
    );
    // The consumer still running at the end: what it read is read again, its commits set.
    let script = export_script(timeline.seed(), &timeline.commands());
    assert!(
        script.contains("# Consumer c was still running when the session was exported."),
        "{script}"
    );
}
