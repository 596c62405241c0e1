//! Share groups driven through the engine: five consumers on one partition, a crash that
//! redelivers after the lock, a poison record archived after its last delivery, the group
//! epochs Kafka 4.4.0 shows, and the admin operations' refusals.

use super::{AcknowledgementMode, ShareCommand, ShareEvent};
use crate::engine::share_partition::RecordState;
use crate::engine::{Command, Engine, Event, TopicPartition};

fn engine_with(partitions: i64, records: usize) -> Engine {
    let mut e = Engine::new(7);
    e.apply(&Command::CreateTopic {
        name: "jobs".into(),
        partitions,
        configs: Vec::new(),
    })
    .unwrap();
    e.apply(&Command::Share(ShareCommand::AlterGroupConfig {
        group: "workers".into(),
        set: vec![("share.auto.offset.reset".into(), "earliest".into())],
        delete: Vec::new(),
    }))
    .unwrap();
    for i in 0..records {
        e.apply(&Command::Produce {
            producer: None,
            topic: "jobs".into(),
            partition: Some(0),
            key: None,
            value: Some(format!("job-{i}")),
            headers: Vec::new(),
        })
        .unwrap();
    }
    e
}

fn start(e: &mut Engine, name: &str, rate: u64, release: u32, reject: u32) -> Vec<Event> {
    e.apply(&Command::Share(ShareCommand::StartConsumer {
        client_id: name.into(),
        group: "workers".into(),
        topic: "jobs".into(),
        millirecords_per_second: rate,
        release_per_mille: release,
        reject_per_mille: reject,
        max_messages: None,
        acknowledgement_mode: AcknowledgementMode::Explicit,
    }))
    .unwrap()
}

fn acquired_by(events: &[Event], name: &str) -> usize {
    events
        .iter()
        .map(|e| match e.share() {
            Some(ShareEvent::RecordsAcquired {
                client_id, records, ..
            }) if client_id == name => records.len(),
            _ => 0,
        })
        .sum()
}

fn window(e: &Engine) -> &crate::engine::share_partition::SharePartition {
    &e.share.groups["workers"].partitions[&TopicPartition::new("jobs", 0)].partition
}

#[test]
fn five_consumers_on_one_partition_all_work() {
    let mut e = engine_with(1, 0);
    let names = ["w1", "w2", "w3", "w4", "w5"];
    for n in names {
        start(&mut e, n, 1_000, 0, 0);
    }
    // Every member shares the one partition (the simple assignor: ceil(5 / 1) per partition).
    e.apply(&Command::Advance { ticks: 60 }).unwrap();
    for n in names {
        assert_eq!(
            e.share.consumers[n].assignment,
            vec![TopicPartition::new("jobs", 0)],
            "{n}"
        );
    }
    // Records arrive one every 200 ms; each takes a consumer a second: one alone falls behind.
    let mut events = Vec::new();
    for i in 0..50 {
        e.apply(&Command::Produce {
            producer: None,
            topic: "jobs".into(),
            partition: Some(0),
            key: None,
            value: Some(format!("job-{i}")),
            headers: Vec::new(),
        })
        .unwrap();
        events.extend(e.apply(&Command::Advance { ticks: 2 }).unwrap());
    }
    events.extend(e.apply(&Command::Advance { ticks: 100 }).unwrap());
    for n in names {
        assert!(acquired_by(&events, n) > 0, "{n} got records");
    }
    assert_eq!(window(&e).start_offset, 50, "every record was accepted");
    assert_eq!(window(&e).lag(50), 0);
}

#[test]
fn a_crashed_consumers_records_come_back_when_their_lock_expires() {
    let mut e = engine_with(1, 10);
    // One record a second: the crashed consumer holds all ten when it dies.
    start(&mut e, "slow", 1_000, 0, 0);
    e.apply(&Command::Share(ShareCommand::CrashConsumer {
        client_id: "slow".into(),
    }))
    .unwrap();
    start(&mut e, "fast", 100_000, 0, 0);
    e.apply(&Command::Advance { ticks: 299 }).unwrap();
    assert!(
        window(&e)
            .records
            .values()
            .all(|r| matches!(r.state, RecordState::Acquired { .. })),
        "29.9 s in, the locks hold: nobody else gets them"
    );
    let events = e.apply(&Command::Advance { ticks: 20 }).unwrap();
    assert!(events.iter().any(|ev| matches!(ev.share(), Some(ShareEvent::RecordsReleased { offsets, .. }) if offsets.len() == 10)));
    assert!(
        acquired_by(&events, "fast") >= 10,
        "redelivered to the healthy member"
    );
    e.apply(&Command::Advance { ticks: 20 }).unwrap();
    assert_eq!(window(&e).start_offset, 10);
    // The crashed member stays until its session (45 s) expires.
    assert_eq!(e.share.groups["workers"].members.len(), 2);
    e.apply(&Command::Advance { ticks: 150 }).unwrap();
    assert_eq!(e.share.groups["workers"].members.len(), 1);
}

#[test]
fn a_poison_record_is_archived_after_its_last_delivery() {
    let mut e = engine_with(1, 1);
    // The application fails every record and releases it.
    let mut events = start(&mut e, "w", 10_000, 1_000, 0);
    events.extend(e.apply(&Command::Advance { ticks: 100 }).unwrap());
    let deliveries: Vec<u32> = events
        .iter()
        .flat_map(|ev| match ev.share() {
            Some(ShareEvent::RecordsAcquired { records, .. }) => {
                records.iter().map(|r| r.1).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    assert_eq!(
        deliveries,
        vec![1, 2, 3, 4, 5],
        "five deliveries, the limit"
    );
    assert!(events.iter().any(|ev| matches!(ev.share(), Some(ShareEvent::RecordsAcknowledged { archived, .. }) if archived == &vec![0])));
    assert_eq!(window(&e).start_offset, 1, "archived is finished");
}

#[test]
fn group_epochs_follow_kafka_and_a_stopped_member_leaves_at_once() {
    let mut e = engine_with(2, 0);
    start(&mut e, "w1", 10_000, 0, 0);
    let g = &e.share.groups["workers"];
    // A join, then the new topic's share state initialized and assigned: epoch 3 (4.4.0).
    assert_eq!((g.group_epoch, g.assignment_epoch), (3, 3));
    start(&mut e, "w2", 10_000, 0, 0);
    assert_eq!(e.share.groups["workers"].group_epoch, 4);
    e.apply(&Command::Share(ShareCommand::StopConsumer {
        client_id: "w2".into(),
    }))
    .unwrap();
    let g = &e.share.groups["workers"];
    assert_eq!((g.group_epoch, g.members.len()), (5, 1));
    // w1 learns of its new target at its next heartbeat.
    e.apply(&Command::Advance { ticks: 50 }).unwrap();
    assert_eq!(e.share.consumers["w1"].member_epoch, 5);
    assert_eq!(e.share.consumers["w1"].assignment.len(), 2);
}

#[test]
fn admin_operations_need_an_empty_group() {
    let mut e = engine_with(1, 3);
    start(&mut e, "w", 10_000, 0, 0);
    let reset = Command::Share(ShareCommand::ResetOffsets {
        group: "workers".into(),
        topics: vec!["jobs".into()],
        spec: super::ShareResetSpec::ToEarliest,
        execute: true,
    });
    assert_eq!(
        e.apply(&reset).unwrap_err().reason,
        "Share group 'workers' is not empty."
    );
    let delete = Command::Share(ShareCommand::DeleteGroup {
        group: "workers".into(),
    });
    assert!(e.apply(&delete).is_err());
    e.apply(&Command::Share(ShareCommand::StopConsumer {
        client_id: "w".into(),
    }))
    .unwrap();
    e.apply(&reset).unwrap();
    assert_eq!(
        window(&e).start_offset,
        0,
        "reset to the earliest: redelivered from 0"
    );
    e.apply(&delete).unwrap();
    assert!(e.share.groups.is_empty());
}

#[test]
fn share_commands_and_events_survive_json() {
    let command = Command::Share(ShareCommand::StartConsumer {
        client_id: "w".into(),
        group: "g".into(),
        topic: "t".into(),
        millirecords_per_second: 1_500,
        release_per_mille: 100,
        reject_per_mille: 0,
        max_messages: None,
        acknowledgement_mode: AcknowledgementMode::Explicit,
    });
    let json = serde_json::to_string(&command).unwrap();
    assert_eq!(serde_json::from_str::<Command>(&json).unwrap(), command);
    let event = Event::Share(Box::new(ShareEvent::GroupDeleted { group: "g".into() }));
    let json = serde_json::to_string(&event).unwrap();
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
}

fn start_mode(
    e: &mut Engine,
    name: &str,
    rate: u64,
    release: u32,
    mode: AcknowledgementMode,
) -> crate::engine::Outcome {
    e.apply(&Command::Share(ShareCommand::StartConsumer {
        client_id: name.into(),
        group: "workers".into(),
        topic: "jobs".into(),
        millirecords_per_second: rate,
        release_per_mille: release,
        reject_per_mille: 0,
        max_messages: None,
        acknowledgement_mode: mode,
    }))
}

#[test]
fn implicit_mode_refuses_a_failure_rate_and_explicit_mode_takes_it() {
    let mut e = engine_with(1, 10);
    let refused = start_mode(&mut e, "w", 1_000, 200, AcknowledgementMode::Implicit).unwrap_err();
    assert!(
        refused
            .reason
            .contains("Implicit acknowledgement of delivery is being used."),
        "{}",
        refused.reason
    );
    assert!(e.share.consumers.is_empty(), "nothing started");
    start_mode(&mut e, "w", 1_000, 200, AcknowledgementMode::Explicit).unwrap();
    assert_eq!(
        e.share.consumers["w"].acknowledgement_mode,
        AcknowledgementMode::Explicit
    );
}

/// Stopping mid-batch: an explicit consumer's finished records stay acknowledged; an
/// implicit one's whole batch (finished or not) is released, so its finished records
/// are delivered again.
#[test]
fn close_in_implicit_mode_releases_the_finished_records_too() {
    let mut outcomes = Vec::new();
    for mode in [AcknowledgementMode::Explicit, AcknowledgementMode::Implicit] {
        let mut e = engine_with(1, 10);
        start_mode(&mut e, "w", 1_000, 0, mode).unwrap();
        // 1 record a second: after 3.5 s it has finished 3 of the 10 it holds.
        e.apply(&Command::Advance { ticks: 35 }).unwrap();
        assert_eq!(e.share.consumers["w"].in_hand.len(), 7, "{mode:?}");
        e.apply(&Command::Share(ShareCommand::StopConsumer {
            client_id: "w".into(),
        }))
        .unwrap();
        let w = window(&e);
        let acknowledged = w
            .records
            .values()
            .filter(|r| r.state == RecordState::Acknowledged)
            .count();
        outcomes.push((w.start_offset, acknowledged));
    }
    assert_eq!(outcomes[0].0, 3, "explicit: the 3 finished are accepted");
    assert_eq!(outcomes[1], (0, 0), "implicit: all 10 released");
}
