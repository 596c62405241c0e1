//! Read-model facts of share groups (KIP-932) for the console and the diagram: the rows of
//! `kafka-share-groups --describe` (offsets: the share-partition start offset and LAG;
//! members), and each share-partition's window: its SPSO and SPEO and every in-flight
//! record's state, holder, lock and delivery count.

use crate::engine::assign::java_hash::compare_strings;
use std::collections::BTreeMap;

use crate::engine::share_group::ShareConsumerStatus;
use crate::engine::share_partition::RecordState;
use crate::engine::{Engine, TopicPartition};

/// One row of `kafka-share-groups --describe [--offsets]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareOffsetRow {
    pub partition: TopicPartition,
    /// The start offset the share coordinator holds (see
    /// [`crate::engine::share_group::ShareOffsets`]), `None` (`-`) before the first write.
    pub start_offset: Option<i64>,
    /// The unfinished records from the SPSO to the high watermark (`None`: `-`).
    pub lag: Option<i64>,
}

/// The offset rows of a share group: every partition of the topics it initialized and
/// every share-partition it holds, by topic then partition.
pub fn share_offset_rows(engine: &Engine, group_id: &str) -> Vec<ShareOffsetRow> {
    let Some(group) = engine.share.groups.get(group_id) else {
        return Vec::new();
    };
    let mut partitions: std::collections::BTreeSet<TopicPartition> =
        group.partitions.keys().cloned().collect();
    for topic in group.subscribed_partitions.keys() {
        if let Some(t) = engine.topics.get(topic) {
            partitions.extend((0..t.n_partitions()).map(|p| TopicPartition::new(topic, p)));
        }
    }
    partitions
        .into_iter()
        .map(|tp| {
            let offsets = group.partitions.get(&tp);
            let written = offsets.and_then(|o| o.written_start_offset);
            let high_watermark = engine.partition_log(&tp).map_or(0, |l| l.high_watermark());
            ShareOffsetRow {
                start_offset: written,
                lag: written.and(offsets.map(|o| o.partition.lag(high_watermark))),
                partition: tp,
            }
        })
        .collect()
}

/// One row of `kafka-share-groups --describe --members`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareMemberRow {
    pub member_id: String,
    pub host: String,
    pub client_id: String,
    pub partitions: usize,
    pub member_epoch: i32,
    /// `t:0,1;u:2`, topics sorted, partitions ascending.
    pub assignment: String,
}

/// The members of a share group, sorted by member id as the tool sorts them.
pub fn share_member_rows(engine: &Engine, group_id: &str) -> Vec<ShareMemberRow> {
    let Some(group) = engine.share.groups.get(group_id) else {
        return Vec::new();
    };
    let mut rows: Vec<ShareMemberRow> = group
        .members
        .iter()
        .map(|m| {
            let mut by_topic: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
            for tp in &m.assignment {
                by_topic.entry(&tp.topic).or_default().push(tp.partition);
            }
            let assignment = by_topic
                .iter()
                .map(|(t, ps)| {
                    let mut ps = ps.clone();
                    crate::sort::sort(&mut ps);
                    format!(
                        "{t}:{}",
                        ps.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(",")
                    )
                })
                .collect::<Vec<_>>()
                .join(";");
            ShareMemberRow {
                member_id: m.member_id.clone(),
                host: "/127.0.0.1".into(),
                client_id: m.client_id.clone(),
                partitions: m.assignment.len(),
                member_epoch: m.member_epoch,
                assignment,
            }
        })
        .collect();
    crate::sort::sort_by(&mut rows, |a, b| {
        compare_strings(&a.member_id, &b.member_id)
    });
    rows
}

/// A record in flight as the diagram draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlightRecord {
    pub offset: i64,
    /// `AVAILABLE`, `ACQUIRED`, `ACKNOWLEDGED` or `ARCHIVED`.
    pub state: &'static str,
    /// The client id of the consumer holding it, when acquired.
    pub holder: Option<String>,
    /// Milliseconds left on its acquisition lock, when acquired.
    pub lock_left_ms: Option<i64>,
    pub delivery_count: u32,
}

/// One share-partition's window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareWindow {
    pub group: String,
    pub partition: TopicPartition,
    /// The share-partition start offset: everything below is finished.
    pub start_offset: i64,
    /// The share-partition end offset (the last fetched), `None` when nothing is in flight.
    pub end_offset: Option<i64>,
    pub records: Vec<InFlightRecord>,
    pub lag: i64,
    /// `share.delivery.count.limit`: the delivery that, failing, archives a record.
    pub delivery_limit: u32,
}

/// Every share-partition of every share group, by group then partition.
pub fn share_windows(engine: &Engine) -> Vec<ShareWindow> {
    let now_ms = engine.now_ms();
    let mut out = Vec::new();
    for (group_id, group) in &engine.share.groups {
        let client_of = |member: &str| {
            group
                .member(member)
                .map(|m| m.client_id.clone())
                .or_else(|| {
                    engine
                        .share
                        .consumers
                        .values()
                        .find(|c| c.member_id == member)
                        .map(|c| c.client_id.clone())
                })
        };
        for (tp, offsets) in &group.partitions {
            let sp = &offsets.partition;
            let high_watermark = engine.partition_log(tp).map_or(0, |l| l.high_watermark());
            let records = sp
                .records
                .iter()
                .map(|(&offset, r)| {
                    let (holder, lock_left_ms) = match &r.state {
                        RecordState::Acquired {
                            member,
                            lock_expires_ms,
                        } => (client_of(member), Some((lock_expires_ms - now_ms).max(0))),
                        _ => (None, None),
                    };
                    InFlightRecord {
                        offset,
                        state: r.state.name(),
                        holder,
                        lock_left_ms,
                        delivery_count: r.delivery_count,
                    }
                })
                .collect();
            out.push(ShareWindow {
                group: group_id.clone(),
                partition: tp.clone(),
                start_offset: sp.start_offset,
                end_offset: (sp.next_new_offset > sp.start_offset).then(|| sp.next_new_offset - 1),
                records,
                lag: sp.lag(high_watermark),
                delivery_limit: engine.share.config_of(group_id).share.delivery_count_limit,
            });
        }
    }
    out
}

/// Every share-partition's windows, by partition (in group order within one).
pub fn share_windows_by_partition(engine: &Engine) -> BTreeMap<TopicPartition, Vec<ShareWindow>> {
    let mut out: BTreeMap<TopicPartition, Vec<ShareWindow>> = BTreeMap::new();
    for window in share_windows(engine) {
        out.entry(window.partition.clone())
            .or_default()
            .push(window);
    }
    out
}

/// What a share consumer is doing, as its box in the groups column says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareMemberFacts {
    pub client_id: String,
    /// Its start order, for a colour that stays.
    pub rank: u64,
    pub running: bool,
    pub crashed: bool,
    /// The partitions its last heartbeat gave it.
    pub assignment: Vec<TopicPartition>,
    /// Records it holds acquired on the brokers' side (its locks).
    pub acquired: usize,
    /// Seconds until the coordinator removes it (a crashed member that is still a member).
    pub removed_in_seconds: Option<i64>,
    /// Records it has processed.
    pub processed: u64,
    /// Its status line: what it shares and holds, or what became of it.
    pub line: String,
}

/// A share group in the groups column: its state, epoch and consumers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareGroupFacts {
    pub group: String,
    /// `Empty` or `Stable`.
    pub state: &'static str,
    pub group_epoch: i32,
    /// The share consumers of the group (running, crashed or stopped), in start order.
    pub members: Vec<ShareMemberFacts>,
}

/// Every share group with its share consumers, by group id; a share consumer whose group
/// is gone (deleted) is not shown.
pub fn share_group_facts(engine: &Engine) -> Vec<ShareGroupFacts> {
    let now = engine.tick;
    engine
        .share
        .groups
        .iter()
        .map(|(id, group)| {
            let config = engine.share.config_of(id);
            let session_ticks = crate::engine::time::ms_to_ticks(config.session_timeout_ms).max(1);
            let mut consumers: Vec<&crate::engine::share_group::ShareConsumer> = engine
                .share
                .consumers
                .values()
                .filter(|c| c.group == *id)
                .collect();
            crate::sort::sort_by_key(&mut consumers, |c| c.rank);
            let members = consumers
                .into_iter()
                .map(|c| {
                    let acquired = group
                        .partitions
                        .values()
                        .flat_map(|o| o.partition.records.values())
                        .filter(|r| matches!(&r.state, RecordState::Acquired { member, .. } if *member == c.member_id))
                        .count();
                    let member = group.member(&c.member_id);
                    let crashed = c.status == ShareConsumerStatus::Crashed;
                    let removed_in_seconds = member.filter(|_| crashed).map(|m| {
                        let left = (m.last_heartbeat_tick + session_ticks).saturating_sub(now);
                        let ms = left as i64 * crate::engine::time::MS_PER_TICK;
                        (ms + 999) / 1000
                    });
                    let partitions = c
                        .assignment
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(",");
                    let line = match c.status {
                        ShareConsumerStatus::Running if c.assignment.is_empty() => "joining…".to_string(),
                        ShareConsumerStatus::Running => format!("{partitions} · holds {acquired}"),
                        ShareConsumerStatus::Crashed => match removed_in_seconds {
                            Some(s) if acquired > 0 => {
                                format!("crashed · holds {acquired} · out in {s} s")
                            }
                            Some(s) => format!("crashed · out in {s} s"),
                            None => "crashed · removed".to_string(),
                        },
                        ShareConsumerStatus::Stopped => "stopped".to_string(),
                    };
                    ShareMemberFacts {
                        client_id: c.client_id.clone(),
                        rank: c.rank,
                        running: c.is_running(),
                        crashed,
                        assignment: c.assignment.clone(),
                        acquired,
                        removed_in_seconds,
                        processed: c.processed,
                        line,
                    }
                })
                .collect();
            ShareGroupFacts {
                group: id.clone(),
                state: group.state().name(),
                group_epoch: group.group_epoch,
                members,
            }
        })
        .collect()
}

/// A record a share consumer holds, as its inspector lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRecordFacts {
    pub partition: TopicPartition,
    pub offset: i64,
    pub delivery_count: u32,
    /// Milliseconds left on its acquisition lock.
    pub lock_left_ms: i64,
    /// Processed, its acknowledgement waiting for the next poll (or `close()`).
    pub finished: bool,
}

/// A share consumer in the inspector: its settings, partitions and the records it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareConsumerFacts {
    pub client_id: String,
    pub group: String,
    pub topic: String,
    /// `running`, `stopped` or `crashed`.
    pub status: &'static str,
    /// `share.acknowledgement.mode`.
    pub acknowledgement_mode: &'static str,
    pub millirecords_per_second: u64,
    pub release_per_mille: u32,
    pub reject_per_mille: u32,
    pub assignment: Vec<TopicPartition>,
    /// Records acquired by it on the brokers' side, by partition then offset.
    pub held: Vec<HeldRecordFacts>,
    pub processed: u64,
}

/// One share consumer's facts, `None` when there is no such share consumer.
pub fn share_consumer_facts(engine: &Engine, client_id: &str) -> Option<ShareConsumerFacts> {
    let c = engine.share.consumers.get(client_id)?;
    let now_ms = engine.now_ms();
    let finished: std::collections::BTreeSet<(&TopicPartition, i64)> =
        c.pending_acks.iter().map(|(tp, o, _)| (tp, *o)).collect();
    let held = engine
        .share
        .groups
        .get(&c.group)
        .map(|group| {
            group
                .partitions
                .iter()
                .flat_map(|(tp, offsets)| {
                    offsets
                        .partition
                        .records
                        .iter()
                        .filter_map(move |(&offset, r)| match &r.state {
                            RecordState::Acquired {
                                member,
                                lock_expires_ms,
                            } if *member == c.member_id => Some((tp, offset, r, *lock_expires_ms)),
                            _ => None,
                        })
                })
                .map(|(tp, offset, r, expires)| HeldRecordFacts {
                    partition: tp.clone(),
                    offset,
                    delivery_count: r.delivery_count,
                    lock_left_ms: (expires - now_ms).max(0),
                    finished: finished.contains(&(tp, offset)),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ShareConsumerFacts {
        client_id: c.client_id.clone(),
        group: c.group.clone(),
        topic: c.topic.clone(),
        status: match c.status {
            ShareConsumerStatus::Running => "running",
            ShareConsumerStatus::Stopped => "stopped",
            ShareConsumerStatus::Crashed => "crashed",
        },
        acknowledgement_mode: c.acknowledgement_mode.name(),
        millirecords_per_second: c.processing_millirecords_per_second,
        release_per_mille: c.release_per_mille,
        reject_per_mille: c.reject_per_mille,
        assignment: c.assignment.clone(),
        held,
        processed: c.processed,
    })
}

#[cfg(test)]
mod consumer_facts_tests {
    use super::*;
    use crate::engine::share_group::{AcknowledgementMode, ShareCommand};
    use crate::engine::Command;

    #[test]
    fn a_share_consumer_lists_the_records_it_holds_with_counts_and_locks() {
        let mut e = Engine::new(3);
        e.apply(&Command::CreateTopic {
            name: "jobs".into(),
            partitions: 1,
            configs: Vec::new(),
        })
        .unwrap();
        e.apply(&Command::Share(ShareCommand::AlterGroupConfig {
            group: "w".into(),
            set: vec![("share.auto.offset.reset".into(), "earliest".into())],
            delete: Vec::new(),
        }))
        .unwrap();
        for i in 0..3 {
            e.apply(&Command::Produce {
                producer: None,
                topic: "jobs".into(),
                partition: Some(0),
                key: None,
                value: Some(format!("v{i}")),
                headers: Vec::new(),
            })
            .unwrap();
        }
        e.apply(&Command::Share(ShareCommand::StartConsumer {
            client_id: "a".into(),
            group: "w".into(),
            topic: "jobs".into(),
            millirecords_per_second: 1_000,
            release_per_mille: 0,
            reject_per_mille: 0,
            max_messages: None,
            acknowledgement_mode: AcknowledgementMode::Explicit,
        }))
        .unwrap();
        e.apply(&Command::Advance { ticks: 15 }).unwrap();
        let f = share_consumer_facts(&e, "a").unwrap();
        assert_eq!(f.acknowledgement_mode, "explicit");
        assert_eq!(f.status, "running");
        assert_eq!(f.held.len(), 3);
        assert!(f.held.iter().all(|r| r.delivery_count == 1));
        // 30 s lock, 1.5 s gone.
        assert_eq!(f.held[0].lock_left_ms, 28_500);
        assert_eq!(
            f.held.iter().map(|r| r.finished).collect::<Vec<_>>(),
            [true, false, false]
        );
        assert!(share_consumer_facts(&e, "nobody").is_none());
    }
}
