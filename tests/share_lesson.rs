//! The "Queues for Kafka" lesson shows what its narration says, read from the facts the
//! diagram draws (`read::share`): five share consumers hold records of one partition at
//! once while a consumer group's four of five idle, records finish out of order, a crashed
//! member's records come back as their second delivery, and a poison record is archived
//! after its last try and copied to the dead-letter topic.

use kafka_sim::engine::TopicPartition;
use kafka_sim::lessons::{builtin_lessons, Lesson};
use kafka_sim::read::share::{share_group_facts, share_windows, ShareWindow};

fn lesson() -> Lesson {
    builtin_lessons()
        .into_iter()
        .find(|l| l.id == "queues-for-kafka")
        .expect("the lesson is built in")
}

fn window(windows: &[ShareWindow], group: &str, topic: &str) -> ShareWindow {
    windows
        .iter()
        .find(|w| w.group == group && w.partition == TopicPartition::new(topic, 0))
        .cloned()
        .unwrap_or_else(|| panic!("{group} has a share-partition on {topic}-0"))
}

#[test]
#[ignore]
fn dump_share_states() {
    let lesson = lesson();
    for step in 0..lesson.steps.len() {
        let console = lesson.console_at(step).expect("replay");
        let engine = console.timeline().state();
        println!("== step {} tick {}", step + 1, engine.tick);
        for w in share_windows(engine) {
            println!(
                "  {} {} spso {} speo {:?} lag {}",
                w.group, w.partition, w.start_offset, w.end_offset, w.lag
            );
            for r in &w.records {
                println!(
                    "    {} {} {:?} {:?} {}",
                    r.offset, r.state, r.holder, r.lock_left_ms, r.delivery_count
                );
            }
        }
        for g in share_group_facts(engine) {
            for m in &g.members {
                println!("  {} {}: {}", g.group, m.client_id, m.line);
            }
        }
    }
}

#[test]
fn five_share_consumers_work_on_one_partition_while_a_consumer_groups_four_idle() {
    let console = lesson().console_at(1).expect("replay");
    let engine = console.timeline().state();
    let jobs = window(&share_windows(engine), "crew", "jobs");
    let holders: std::collections::BTreeSet<String> = jobs
        .records
        .iter()
        .filter_map(|r| r.holder.clone())
        .collect();
    assert_eq!(holders.len(), 5, "{holders:?}");
    assert!(jobs.records.iter().all(|r| r.delivery_count <= 1));
    let idle = engine
        .consumers
        .values()
        .filter(|c| c.assignment.is_empty())
        .count();
    assert_eq!(idle, 4, "four workers own nothing");
    let facts = share_group_facts(engine);
    assert!(facts[0]
        .members
        .iter()
        .all(|m| m.line.starts_with("jobs-0 · holds ")));
}

#[test]
fn records_are_finished_out_of_order() {
    let console = lesson().console_at(2).expect("replay");
    let jobs = window(&share_windows(console.timeline().state()), "crew", "jobs");
    let first_open = jobs
        .records
        .iter()
        .find(|r| r.state == "ACQUIRED" || r.state == "AVAILABLE")
        .map(|r| r.offset)
        .expect("a record in flight");
    assert!(jobs
        .records
        .iter()
        .any(|r| r.state == "ACKNOWLEDGED" && r.offset > first_open));
    assert_eq!(
        jobs.start_offset, first_open,
        "the SPSO waits at the first unfinished record"
    );
}

#[test]
fn a_crashed_members_records_come_back_as_their_second_delivery() {
    let lesson = lesson();
    let console = lesson.console_at(3).expect("replay");
    let engine = console.timeline().state();
    let jobs = window(&share_windows(engine), "crew", "jobs");
    assert!(
        jobs.records
            .iter()
            .any(|r| r.delivery_count == 2 && r.state == "ACQUIRED"),
        "a redelivered record is being worked on again"
    );
    assert!(jobs
        .records
        .iter()
        .all(|r| r.holder.as_deref() != Some("crew-3")));
    let crew = &share_group_facts(engine)[0];
    let crashed = crew
        .members
        .iter()
        .find(|m| m.client_id == "crew-3")
        .expect("crew-3");
    assert!(
        crashed.crashed && crashed.removed_in_seconds.is_some(),
        "{}",
        crashed.line
    );
}

#[test]
fn a_poison_record_is_archived_after_its_last_try_and_dead_lettered() {
    let lesson = lesson();
    let before = lesson.console_at(4).expect("replay");
    let invoices = window(
        &share_windows(before.timeline().state()),
        "billing",
        "invoices",
    );
    assert_eq!(invoices.delivery_limit, 3);
    let poison = &invoices.records[0];
    assert_eq!((poison.offset, poison.delivery_count), (0, 3), "{poison:?}");
    let after = lesson.console_at(5).expect("replay");
    let engine = after.timeline().state();
    let invoices = window(&share_windows(engine), "billing", "invoices");
    assert_eq!(
        invoices.start_offset, 1,
        "the SPSO moved past the archived record"
    );
    let dlq = engine
        .partition_log(&TopicPartition::new("dlq.invoices", 0))
        .expect("the dead-letter topic");
    assert_eq!(dlq.record_count(), 1);
}
