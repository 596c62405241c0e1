//! Each derived fact of the read model, checked on a small scenario driven through the console.

use super::*;
use crate::console::Console;

fn console(lines: &[&str]) -> Console {
    let mut console = Console::new(7);
    for line in lines {
        console.run_line(line);
    }
    console
}

fn consumer<'a>(console: &'a Console, id: &str) -> &'a Consumer {
    &console.timeline().state().consumers[id]
}

const NEWS: [&str; 3] = [
    "kafka-topics --create --topic news --partitions 1",
    "records fill --topic news --count 40",
    "consumer start bob --group bob --topic news --config auto.offset.reset=earliest --config processing.rate=1",
];

#[test]
fn a_slow_reader_has_fetched_more_than_it_has_processed() {
    let c = console(&NEWS);
    let mut c = c;
    c.run_line("clock advance 10s");
    let state = c.timeline().state();
    let rows = reader_offsets(state, consumer(&c, "bob"));
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.log_end, 40);
    assert_eq!(
        row.fetched_to, 40,
        "one poll returns up to max.poll.records (500)"
    );
    assert!(row.processed_to > 0 && row.processed_to < 15, "{row:?}");
    assert_eq!(row.fetched_unprocessed(), 40 - row.processed_to);
    assert_eq!(row.position_lag(), 0);
}

#[test]
fn a_small_max_poll_records_keeps_the_position_close_to_processing() {
    let mut c = console(&[
        "kafka-topics --create --topic news --partitions 1",
        "records fill --topic news --count 40",
        "consumer start bob --group bob --topic news --config auto.offset.reset=earliest --config processing.rate=1 --config max.poll.records=5",
    ]);
    c.run_line("clock advance 10s");
    let rows = reader_offsets(c.timeline().state(), consumer(&c, "bob"));
    let row = &rows[0];
    assert!(row.fetched_to <= row.processed_to + 5, "{row:?}");
    assert!(row.fetched_to < 40);
}

#[test]
fn a_rewound_reader_starts_processing_again_from_its_new_position() {
    let mut c = console(&NEWS);
    c.run_line("consumer set bob processing.rate=1000");
    c.run_line("clock advance 10s");
    let before = reader_offsets(c.timeline().state(), consumer(&c, "bob"));
    assert_eq!((before[0].fetched_to, before[0].processed_to), (40, 40));
    c.run_line("consumer set bob processing.rate=1");
    c.run_line("consumer seek bob --to-beginning");
    let after = reader_offsets(c.timeline().state(), consumer(&c, "bob"));
    assert_eq!(after[0].fetched_to, 0);
    assert_eq!(
        after[0].processed_to, 0,
        "processing starts over with the rewind"
    );
    c.run_line("clock advance 3s");
    let walking = reader_offsets(c.timeline().state(), consumer(&c, "bob"));
    assert!(
        walking[0].processed_to > 0 && walking[0].processed_to < 10,
        "{walking:?}"
    );
}

#[test]
fn lag_rows_count_log_end_minus_committed_like_describe() {
    let mut c = console(&NEWS);
    c.run_line("clock advance 12s");
    let state = c.timeline().state();
    assert_eq!(
        group_lag_total(state, &state.groups["bob"]),
        None,
        "a whole poll still in processing: nothing committed, no lag to count"
    );
    let mut c = console(&[
        NEWS[0],
        NEWS[1],
        "consumer start bob --group bob --topic news --config auto.offset.reset=earliest --config processing.rate=1 --config max.poll.records=5",
    ]);
    c.run_line("clock advance 20s");
    let state = c.timeline().state();
    let group = &state.groups["bob"];
    let rows = group_lag_rows(state, group);
    assert_eq!(rows.len(), 1);
    let committed = rows[0].committed.expect("auto-commit ran");
    assert_eq!(rows[0].lag, Some(40 - committed));
    assert!(committed > 0 && committed < 40, "{committed}");
    assert_eq!(group_lag_total(state, group), Some(40 - committed));
    let describe = c.run_line("kafka-consumer-groups --describe --group bob");
    let line = describe.lines().find(|l| l.starts_with("bob ")).unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cells[3], committed.to_string());
    assert_eq!(cells[5], (40 - committed).to_string());
}

#[test]
fn statuses_name_process_and_membership() {
    let mut c = console(&NEWS);
    let state = c.timeline().state();
    let status = reader_status(state, consumer(&c, "bob"));
    assert_eq!(status.process, ProcessState::Running);
    assert_eq!(status.process.name(), "running");
    c.run_line("clock advance 5s");
    let status = reader_status(c.timeline().state(), consumer(&c, "bob"));
    assert_eq!(status.membership, Membership::Owner);
    assert_eq!(status.owned, vec![TopicPartition::new("news", 0)]);
    c.run_line("consumer pause bob");
    let status = reader_status(c.timeline().state(), consumer(&c, "bob"));
    assert_eq!(status.process.label(), "paused");
    assert_eq!(status.process.name(), "running");
    c.run_line("consumer stop bob");
    let status = reader_status(c.timeline().state(), consumer(&c, "bob"));
    assert_eq!(status.process.label(), "stopped");
    assert_eq!(status.membership, Membership::None);
    assert!(status.owned.is_empty());
}

#[test]
fn a_crash_countdown_ends_on_the_tick_the_coordinator_removes_the_member() {
    let mut c = console(&NEWS);
    c.run_line("clock advance 5s");
    c.run_line("consumer crash bob");
    let status = reader_status(c.timeline().state(), consumer(&c, "bob"));
    let ticks = status
        .session_expires_in_ticks
        .expect("the coordinator still counts it");
    assert!(ticks > 400 && ticks <= 451, "{ticks}");
    assert_eq!(
        status.session_expires_in_seconds(),
        Some(ticks.div_ceil(10))
    );
    c.run_line(&format!("clock advance {}", ticks - 1));
    let state = c.timeline().state();
    assert_eq!(
        state.groups["bob"].members.len(),
        1,
        "one tick before: still a member"
    );
    let status = reader_status(state, consumer(&c, "bob"));
    assert_eq!(status.session_expires_in_ticks, Some(1));
    assert_eq!(status.session_expires_in_seconds(), Some(1));
    c.run_line("clock advance 1");
    let state = c.timeline().state();
    assert!(
        state.groups["bob"].members.is_empty(),
        "removed when the countdown ends"
    );
    assert_eq!(
        reader_status(state, consumer(&c, "bob")).session_expires_in_ticks,
        None
    );
}

#[test]
fn a_record_remembers_why_it_sits_on_its_partition() {
    let mut c = console(&[
        "kafka-topics --create --topic orders --partitions 2",
        "produce orders o1 --key customer-7",
        "produce orders o2 --key customer-7 --partition 1",
        "produce orders o3",
    ]);
    c.run_line("kafka-topics --alter --topic orders --partitions 5");
    let state = c.timeline().state();
    let keyed_partition = partition_for_key(b"customer-7", 2);
    let records: Vec<(u32, Record)> = (0..5u32)
        .flat_map(|p| {
            let log = state
                .partition_log(&TopicPartition::new("orders", p))
                .unwrap();
            log.records_in_range(0, log.log_end_offset())
                .map(|r| (p, r.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let by_value = |v: &str| {
        records
            .iter()
            .find(|(_, r)| r.value.as_deref() == Some(v))
            .unwrap()
    };
    let (p1, o1) = by_value("o1");
    assert_eq!(*p1, keyed_partition);
    assert_eq!(
        placement_reason(o1),
        PlacementReason::Keyed {
            n_partitions: 2,
            murmur2_partition: keyed_partition
        },
        "explained with the two partitions the topic had, not today's five"
    );
    let (p2, o2) = by_value("o2");
    assert_eq!((*p2, placement_reason(o2)), (1, PlacementReason::Explicit));
    assert_eq!(
        placement_reason(&by_value("o3").1),
        PlacementReason::KeylessSticky
    );
}

#[test]
fn a_consumer_keeps_its_start_rank_when_another_is_removed_or_it_restarts() {
    let mut c = console(&[
        "kafka-topics --create --topic t --partitions 2",
        "consumer start a --group g --topic t",
        "consumer start b --group g --topic t",
        "consumer start c --group g --topic t",
    ]);
    let rank = |c: &Console, id: &str| consumer(c, id).started_rank;
    assert_eq!((rank(&c, "a"), rank(&c, "b"), rank(&c, "c")), (0, 1, 2));
    c.run_line("consumer remove a");
    c.run_line("consumer crash c");
    c.run_line("consumer restart c");
    c.run_line("consumer start d --group g --topic t");
    assert_eq!((rank(&c, "b"), rank(&c, "c"), rank(&c, "d")), (1, 2, 3));
}

#[test]
fn a_partition_counts_the_time_it_has_no_reader_until_a_member_gets_it() {
    let mut c = console(&[
        "kafka-topics --create --topic t --partitions 2",
        "consumer start a --group g --topic t",
        "consumer start b --group g --topic t",
    ]);
    c.run_line("clock advance 10s");
    let tp0 = TopicPartition::new("t", 0);
    let tp1 = TopicPartition::new("t", 1);
    let state = c.timeline().state();
    let g = &state.groups["g"];
    assert_eq!(unowned_for_ticks(state, g, &tp0), None, "a reads t-0");
    c.run_line("consumer crash b");
    c.run_line("clock advance 2s");
    let state = c.timeline().state();
    let lost = if state.consumers["b"].assignment.contains(&tp1) {
        &tp1
    } else {
        &tp0
    };
    assert_eq!(
        unowned_for_ticks(state, &state.groups["g"], lost),
        Some(20),
        "nobody reads b's partition from the crash on"
    );
    // The session expires after 45 s; the rebalance then gives the partition to a.
    c.run_line("clock advance 50s");
    let state = c.timeline().state();
    assert!(state.consumers["a"].assignment.contains(lost));
    assert_eq!(unowned_for_ticks(state, &state.groups["g"], lost), None);
    assert!(state.groups["g"].unowned_since_tick.is_empty());
}

#[test]
fn a_group_phase_names_the_rebalance_and_its_protocol() {
    let mut c = console(&[
        "kafka-topics --create --topic t --partitions 2",
        "consumer start a --group eager --topic t --config partition.assignment.strategy=range",
        "consumer start b --group coop --topic t --config partition.assignment.strategy=cooperative-sticky",
    ]);
    c.run_line("clock advance 5s");
    let state = c.timeline().state();
    let phase = group_phase(state, &state.groups["eager"]);
    assert_eq!(phase.state, GroupState::Stable);
    assert!(!phase.rebalancing && phase.rebalancing_for_ticks.is_none());
    assert_eq!(phase.protocol, Some(RebalanceProtocol::Eager));
    assert_eq!(
        group_phase(state, &state.groups["coop"]).protocol,
        Some(RebalanceProtocol::Cooperative)
    );
    c.run_line(
        "consumer start a2 --group eager --topic t --config partition.assignment.strategy=range",
    );
    c.run_line("clock advance 2");
    let state = c.timeline().state();
    let phase = group_phase(state, &state.groups["eager"]);
    assert!(phase.rebalancing, "{:?}", phase.state);
    assert!(phase.rebalancing_for_ticks.is_some_and(|t| t >= 1));
}

#[test]
fn the_cluster_picture_is_empty_with_one_broker() {
    let c = console(&[
        "kafka-topics --create --topic news --partitions 2",
        "broker set min.insync.replicas=1",
    ]);
    assert!(!cluster::picture(c.timeline().state()).shown());
}

#[test]
fn the_cluster_picture_shows_each_replica_and_the_records_above_the_high_watermark() {
    let mut c = console(&[
        "broker add",
        "broker add",
        "kafka-topics --create --topic orders --replica-assignment 1:2:3",
        "produce orders a b c",
        "clock advance 1s",
        "produce orders d e",
    ]);
    let picture = cluster::picture(c.timeline().state());
    let orders = &picture.partitions[&TopicPartition::new("orders", 0)];
    assert_eq!(picture.brokers.len(), 3);
    assert_eq!(orders.leader, Some(1));
    assert_eq!(
        orders.high_watermark, 3,
        "the followers have not fetched d and e"
    );
    let ends: Vec<i64> = orders
        .replica_logs
        .iter()
        .map(|r| r.log_end_offset)
        .collect();
    assert_eq!(ends, vec![5, 3, 3]);
    c.run_line("broker crash 1");
    c.run_line("clock advance 12s");
    let picture = cluster::picture(c.timeline().state());
    let orders = &picture.partitions[&TopicPartition::new("orders", 0)];
    assert_eq!(orders.leader, Some(2), "the first in-sync replica leads");
    let states: Vec<cluster::ReplicaState> = orders
        .replicas
        .iter()
        .map(|&b| picture.replica_state(orders, b))
        .collect();
    assert_eq!(
        states,
        vec![
            cluster::ReplicaState::Offline,
            cluster::ReplicaState::InSync,
            cluster::ReplicaState::InSync
        ]
    );
    assert_eq!(picture.brokers[0].state, cluster::BrokerState::Fenced);
    assert_eq!(picture.brokers[0].leads, 0);
}

/// Lesson 07's payments: acks=1 records on the leader alone, then the leader crashes.
const LEADER_ALONE: [&str; 8] = [
    "broker add",
    "broker add",
    "kafka-topics --create --topic payments --replica-assignment 1:2:3",
    "producer add shop",
    "produce payments pay-1 pay-2 pay-3 --producer shop",
    "clock advance 1s",
    "producer acks shop 1",
    "produce payments pay-4 pay-5 pay-6 --producer shop",
];

fn departures_now(c: &Console) -> Vec<cluster::Departure> {
    let t = c.timeline();
    cluster::departures(t.steps(), t.cursor(), cluster::DEPARTURE_TICKS)
}

#[test]
fn records_a_new_leader_never_had_are_seen_leaving_with_their_names() {
    let mut c = console(&LEADER_ALONE);
    assert!(departures_now(&c).is_empty(), "nothing cut yet");
    c.run_line("broker crash 1");
    c.run_line("clock advance 12s");
    let gone = departures_now(&c);
    assert_eq!(gone.len(), 1, "{gone:?}");
    let d = &gone[0];
    assert_eq!(d.partition, TopicPartition::new("payments", 0));
    assert_eq!(d.offsets, (3, 6));
    let values: Vec<&str> = d
        .records
        .iter()
        .filter_map(|r| r.value.as_deref())
        .collect();
    assert_eq!(values, ["pay-4", "pay-5", "pay-6"]);
    assert_eq!(
        d.label(),
        "✂ pay-4, pay-5, pay-6 lost: new leader broker 2 never had them"
    );
    // The step shown keeps them; later steps in the same seconds too; then they are gone.
    c.run_line("clock advance 1s");
    assert_eq!(departures_now(&c).len(), 1, "still leaving a second later");
    c.run_line("clock advance 5s");
    assert!(departures_now(&c).is_empty(), "gone after a few seconds");
}

#[test]
fn a_returning_replica_is_seen_cutting_the_records_it_alone_had() {
    let mut c = console(&LEADER_ALONE);
    c.run_line("broker crash 1");
    c.run_line("clock advance 12s");
    c.run_line("broker start 1");
    c.run_line("clock advance 1s");
    let gone = departures_now(&c);
    let cut: Vec<&cluster::Departure> = gone
        .iter()
        .filter(|d| matches!(d.cause, cluster::DepartureCause::ReplicaCut { .. }))
        .collect();
    assert_eq!(cut.len(), 1, "{gone:?}");
    assert_eq!(cut[0].offsets, (3, 6));
    assert_eq!(
        cut[0].label(),
        "✂ pay-4, pay-5, pay-6 lost: broker 1 truncated to 3"
    );
}

#[test]
fn with_acks_all_a_leader_change_takes_nothing() {
    let c = console(&[
        "broker add",
        "broker add",
        "kafka-topics --create --topic ledger --replica-assignment 1:2:3 --config min.insync.replicas=2",
        "producer add shop",
        "producer acks shop all",
        "produce ledger l-1 l-2 --producer shop",
        "clock advance 2s",
        "broker crash 1",
        "clock advance 12s",
        "broker start 1",
        "clock advance 2s",
    ]);
    let t = c.timeline();
    assert!(
        cluster::departures(t.steps(), t.cursor(), u64::MAX).is_empty(),
        "no record left any log"
    );
}

#[test]
fn a_waiting_record_that_lands_is_named_for_a_few_seconds() {
    let mut c = console(&[
        "broker add",
        "broker add",
        "kafka-topics --create --topic ledger --replica-assignment 1:2:3 --config min.insync.replicas=2",
        "producer add shop",
        "producer acks shop all",
        "clock advance 1s",
        "broker stop 1",
        "broker stop 2",
        "produce ledger l-1 --producer shop",
        "clock advance 1s",
    ]);
    let t = c.timeline();
    let landed = producer_retry::landings(
        t.steps(),
        t.cursor(),
        producer_retry::LANDING_TICKS,
        t.state(),
    );
    assert!(landed.is_empty(), "l-1 still waits: {landed:?}");
    c.run_line("broker start 2");
    c.run_line("clock advance 2s");
    let t = c.timeline();
    let landed = producer_retry::landings(t.steps(), t.cursor(), u64::MAX, t.state());
    assert_eq!(landed.len(), 1, "{landed:?}");
    assert_eq!((landed[0].name.as_str(), landed[0].offset), ("l-1", 0));
    assert!(landed[0].attempts > 1);
    c.run_line("clock advance 5s");
    let t = c.timeline();
    assert!(
        producer_retry::landings(
            t.steps(),
            t.cursor(),
            producer_retry::LANDING_TICKS,
            t.state()
        )
        .is_empty(),
        "a few seconds later it is an ordinary record"
    );
}
