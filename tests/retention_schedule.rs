//! When the broker's log manager checks retention: `log.initial.task.delay.ms` (30 s) after the
//! broker starts, then every `log.retention.check.interval.ms` (5 min) after that, as Kafka's
//! `LogManager.startup` schedules it. A student who sets `retention.ms=10000` sees old segments
//! go at the first check, not five minutes later.

use kafka_sim::console::Console;

fn earliest_after(script: &str) -> String {
    let mut console = Console::new(7);
    let out = console.run_script(script);
    out.lines()
        .rev()
        .find(|line| line.starts_with("logs:0:"))
        .unwrap_or_else(|| panic!("no offsets line in:\n{out}"))
        .to_string()
}

const SETUP: &str = "kafka-topics --create --topic logs --partitions 1 --config segment.bytes=200 --config retention.ms=10000\n\
produce logs a b c d\n\
clock advance 25s\n\
produce logs e\n";

#[test]
fn the_first_retention_check_comes_after_the_initial_task_delay() {
    let before =
        format!("{SETUP}clock advance 4s\nkafka-get-offsets --topic logs --time earliest\n");
    assert_eq!(
        earliest_after(&before),
        "logs:0:0",
        "nothing is checked before 30 s"
    );
    let after =
        format!("{SETUP}clock advance 6s\nkafka-get-offsets --topic logs --time earliest\n");
    assert_eq!(
        earliest_after(&after),
        "logs:0:4",
        "the check at 30 s deletes the old segment"
    );
}

#[test]
fn after_the_first_check_retention_runs_every_check_interval() {
    // The first check (30 s) finds nothing old enough; the next is 5 minutes later, when the
    // first four records are 330 s old and the fifth 30 s.
    let script = "kafka-topics --create --topic logs --partitions 1 --config segment.bytes=200 --config retention.ms=60000\n\
produce logs a b c d\n\
clock advance 300s\n\
produce logs e\n";
    let early =
        format!("{script}clock advance 20s\nkafka-get-offsets --topic logs --time earliest\n");
    assert_eq!(
        earliest_after(&early),
        "logs:0:0",
        "no check between 30 s and 330 s"
    );
    let late =
        format!("{script}clock advance 31s\nkafka-get-offsets --topic logs --time earliest\n");
    assert_eq!(
        earliest_after(&late),
        "logs:0:4",
        "the check at 330 s deletes"
    );
}

#[test]
fn the_initial_delay_is_a_broker_setting() {
    let script = format!(
        "broker set log.initial.task.delay.ms=0\nbroker set log.retention.check.interval.ms=1000\n{SETUP}clock advance 2s\nkafka-get-offsets --topic logs --time earliest\n"
    );
    assert_eq!(earliest_after(&script), "logs:0:4");
}
