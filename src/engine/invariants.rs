//! The engine's invariants, checked after every [`Engine::apply`] in debug and test builds
//! (`cfg(debug_assertions)`), so every test, the property tests and the fuzz targets
//! exercise them; release builds skip the check.
//!
//! - In every partition, offsets strictly increase from the log start, and the log start
//!   is at most the high watermark.
//! - A group's committed offsets are at most the high watermark (with one broker).
//! - In a cluster, each partition's log ends where its leader's replica log ends.
//! - No partition has two running owners within a group.
//! - A settled stable group covers each subscribed partition exactly once.

use std::collections::{BTreeMap, BTreeSet};

use super::consumer::ClassicMembership;
use super::log::PartitionLog;
use super::types::Record;
use super::{Engine, GroupState, TopicPartition};

/// A log with at most this many records is checked whole; a longer one at its two ends,
/// so that a check after every command stays cheap on a log of millions of records.
const CHECK_WHOLE_LOG_RECORDS: usize = 4_096;

/// The records of a log to check: all of a short log, both ends of a long one.
fn sampled_records(log: &PartitionLog) -> Vec<&Record> {
    let start = log.log_start_offset();
    let end = log.log_end_offset();
    if log.record_count() <= CHECK_WHOLE_LOG_RECORDS {
        return log.records_in_range(start, end).collect();
    }
    let edge = (CHECK_WHOLE_LOG_RECORDS / 2) as i64;
    let mut records: Vec<&Record> = log.records_in_range(start, start + edge).collect();
    let tail_from = (end - edge).max(records.last().map_or(start, |r| r.offset + 1));
    records.extend(log.records_in_range(tail_from, end));
    records
}

/// Checks every invariant on one state; the first broken one is the error.
pub fn check(e: &Engine) -> Result<(), String> {
    // Offsets are dense-or-gapped but strictly increasing from the log start; committed ≤ HW.
    for topic in e.topics.values() {
        for (p, log) in topic.partitions.iter().enumerate() {
            let mut last = log.log_start_offset() - 1;
            for r in sampled_records(log) {
                if r.offset <= last {
                    return Err(format!(
                        "{}-{p}: offset {} after {last}",
                        topic.name, r.offset
                    ));
                }
                last = r.offset;
            }
            if log.log_start_offset() > log.high_watermark() {
                return Err(format!(
                    "{}-{p}: log start above the high watermark",
                    topic.name
                ));
            }
            // Transactions: the LSO is at most the HW, and a marker holds no record.
            if log.last_stable_offset() > log.high_watermark() {
                return Err(format!("{}-{p}: LSO above the high watermark", topic.name));
            }
            if let Some(&marker) = log.txn.marker_kinds.keys().next_back() {
                if marker >= log.log_end_offset()
                    || log.records_in_range(marker, marker + 1).next().is_some()
                {
                    return Err(format!(
                        "{}-{p}: the marker at {marker} is past the log end or holds a record",
                        topic.name
                    ));
                }
            }
        }
    }
    if let Some(cluster) = &e.cluster {
        for (name, parts) in &cluster.partitions {
            let Some(topic) = e.topics.get(name) else {
                return Err(format!("the cluster places {name}, which is not a topic"));
            };
            for (p, (rp, log)) in parts.iter().zip(&topic.partitions).enumerate() {
                if rp.replication.leader.is_some()
                    && rp.replication.log_end_offset() != log.log_end_offset()
                {
                    return Err(format!(
                        "{name}-{p}: the leader's replica ends at {}, the log at {}",
                        rp.replication.log_end_offset(),
                        log.log_end_offset()
                    ));
                }
            }
        }
    }
    for group in e.groups.values() {
        for (tp, c) in &group.committed {
            // With replicas, a new leader's high watermark may trail what the old one let
            // consumers commit, and an unclean election may cut below it (as in Kafka).
            if e.cluster.is_some() {
                continue;
            }
            if let Some(log) = e.partition_log(tp) {
                if c.offset > log.high_watermark() {
                    return Err(format!(
                        "group {} committed {} above HW {} on {tp}",
                        group.id,
                        c.offset,
                        log.high_watermark()
                    ));
                }
            }
        }
        // No partition has two running owners within a group.
        let mut owners: BTreeMap<&TopicPartition, &str> = BTreeMap::new();
        for c in e.consumers.values().filter(|c| {
            c.is_running() && c.is_subscriber() && c.group.as_deref() == Some(&group.id)
        }) {
            for tp in &c.assignment {
                if let Some(other) = owners.insert(tp, &c.client_id) {
                    return Err(format!(
                        "{tp} owned by both {other} and {} in group {}",
                        c.client_id, group.id
                    ));
                }
            }
        }
        // A settled stable group covers every subscribed partition exactly once.
        let settled = group.state == GroupState::Stable
            && group.members.iter().all(|m| {
                e.consumers.get(&m.client_id).is_some_and(|c| {
                    c.is_running()
                        && matches!(&c.membership, ClassicMembership::Stable {
                            member_id,
                            generation,
                            rejoin_needed: false,
                        } if *member_id == m.member_id && *generation == group.generation)
                })
            })
            && !group.members.is_empty();
        if settled {
            let subscribed: BTreeSet<&String> =
                group.members.iter().flat_map(|m| m.topics.iter()).collect();
            let expected: BTreeSet<TopicPartition> = subscribed
                .iter()
                .filter_map(|t| e.topics.get(*t))
                .flat_map(|t| (0..t.n_partitions()).map(|p| TopicPartition::new(t.name.clone(), p)))
                .collect();
            let mut seen = BTreeSet::new();
            for m in &group.members {
                for tp in &m.assignment {
                    if !seen.insert(tp.clone()) {
                        return Err(format!("{tp} assigned twice in stable group {}", group.id));
                    }
                }
            }
            let leader_snapshot_current = group.assigned_partition_counts
                == subscribed
                    .iter()
                    .filter_map(|t| e.topics.get(*t).map(|x| ((*t).clone(), x.n_partitions())))
                    .collect::<BTreeMap<String, u32>>();
            if leader_snapshot_current && seen != expected {
                return Err(format!(
                    "stable group {} covers {seen:?}, expected {expected:?}",
                    group.id
                ));
            }
        }
    }
    Ok(())
}
