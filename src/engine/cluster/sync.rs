//! Keeping each partition's log in step with its replication state: topics made, deleted or
//! grown by the engine's own commands get (or lose) replicas, appends reach the leader's
//! replica log, a new leader's history replaces the old one in the log, and the high
//! watermark readers see is the leader's.

use std::collections::BTreeSet;

use super::{placement_for, replication_config_for, ReplicatedPartition, MAX_BROKERS};
use crate::engine::event::{Event, LostRecord};
use crate::engine::log::{LogConfig, PartitionLog};
use crate::engine::replication::{Acks, ReplicaLog};
use crate::engine::Engine;

impl Engine {
    /// Brings every partition's replication state and log into step (see the module).
    /// O(topics + partitions); nothing without a cluster.
    pub(crate) fn sync_logs(&mut self) -> Vec<Event> {
        if self.cluster.is_none() {
            return Vec::new();
        }
        self.sync_topics();
        let now_ms = self.now_ms();
        let Some(cluster) = self.cluster.as_mut() else {
            return Vec::new();
        };
        let mut events = Vec::new();
        for (name, parts) in &mut cluster.partitions {
            let Some(topic) = self.topics.get_mut(name) else {
                continue;
            };
            let config = replication_config_for(&cluster.config, Some(topic));
            let log_config = topic.config.clone();
            for (p, (rp, log)) in parts
                .iter_mut()
                .zip(topic.partitions.iter_mut())
                .enumerate()
            {
                if let Some((leader, to_offset, lost)) = follow_leader(rp, log, &log_config, now_ms)
                {
                    events.push(Event::LeaderLogTruncated {
                        partition: crate::engine::TopicPartition::new(name.clone(), p as u32),
                        leader,
                        to_offset,
                        lost,
                    });
                }
                let leader_end = rp.replication.log_end_offset();
                let appended = log.log_end_offset() - leader_end;
                if appended > 0 && rp.replication.leader.is_some() {
                    // The leader took records the checks in `produce` allowed.
                    let _ = rp.replication.append(appended, Acks::Leader, &config);
                    rp.mirrored = rp
                        .replication
                        .leader
                        .and_then(|l| rp.replication.logs.get(&l).cloned())
                        .unwrap_or_else(|| rp.mirrored.clone());
                }
                // An offline partition keeps the high watermark it had.
                if rp.replication.leader.is_some() {
                    let hw = rp.replication.high_watermark();
                    log.set_replicated_high_watermark(Some(hw));
                }
            }
        }
        events
    }

    /// Topics the cluster has not placed get the default replication factor; partitions
    /// added get replicas; deleted topics leave.
    fn sync_topics(&mut self) {
        let now_ms = self.now_ms();
        let Some(cluster) = self.cluster.as_ref() else {
            return;
        };
        let stale: Vec<String> = cluster
            .partitions
            .iter()
            .filter(|(name, parts)| {
                self.topics
                    .get(*name)
                    .is_none_or(|t| t.partitions.len() < parts.len())
            })
            .map(|(name, _)| name.clone())
            .collect();
        let missing: Vec<(String, usize)> = self
            .topics
            .iter()
            .filter_map(|(name, t)| {
                let placed = cluster.partitions.get(name).map_or(0, Vec::len);
                (t.partitions.len() > placed).then(|| (name.clone(), placed))
            })
            .collect();
        if stale.is_empty() && missing.is_empty() {
            return;
        }
        if let Some(cluster) = self.cluster.as_mut() {
            for name in &stale {
                cluster.partitions.remove(name);
            }
        }
        for (name, placed) in missing {
            let placed = if stale.contains(&name) { 0 } else { placed };
            let Some(topic) = self.topics.get(&name) else {
                continue;
            };
            let count = topic.partitions.len() - placed;
            // A partition added to a replicated topic gets that topic's replication factor.
            let start = self.rng.below(MAX_BROKERS as u64 * 2) as usize;
            let Some(cluster) = self.cluster.as_mut() else {
                return;
            };
            let rf = cluster
                .partitions
                .get(&name)
                .and_then(|parts| parts.first())
                .map_or(cluster.config.default_replication_factor, |rp| {
                    rp.replication.replicas.len() as u32
                });
            let placement = placement_for(&cluster.brokers, count as u32, rf, start)
                .or_else(|_| placement_for(&cluster.brokers, count as u32, 1, start))
                .unwrap_or_default();
            let live = cluster.live();
            let entry = cluster.partitions.entry(name.clone()).or_default();
            for replicas in placement {
                entry.push(ReplicatedPartition::new(
                    replicas,
                    &live,
                    &PartitionLog::new(),
                    now_ms,
                ));
            }
        }
    }
}

/// When the leader is not the one the log mirrors, cuts the log back to where the two
/// histories agree and refills it from what the new leader holds. Returns the new leader,
/// where the cut left the log and the records it lost (those the new leader never had),
/// when it lost any.
fn follow_leader(
    rp: &mut ReplicatedPartition,
    log: &mut PartitionLog,
    config: &LogConfig,
    now_ms: i64,
) -> Option<(crate::engine::replication::BrokerId, i64, Vec<LostRecord>)> {
    let leader = rp.replication.leader?;
    if rp.mirrored_epoch == rp.replication.leader_epoch {
        return None;
    }
    let new = rp.replication.logs.get(&leader).cloned()?;
    let old = ReplicaLog {
        log_end_offset: log.log_end_offset(),
        ..rp.mirrored.clone()
    };
    let common = old.log_end_offset.min(new.log_end_offset);
    let mut boundaries: BTreeSet<i64> = old.epochs.iter().map(|&(_, s)| s).collect();
    boundaries.extend(new.epochs.iter().map(|&(_, s)| s));
    boundaries.insert(log.log_start_offset());
    let diverge = boundaries
        .into_iter()
        .filter(|&b| b >= log.log_start_offset() && b < common)
        .find(|&b| old.epoch_of(b) != new.epoch_of(b))
        .unwrap_or(common);
    let mut lost = Vec::new();
    for record in log.truncate_to(diverge, now_ms) {
        if old.epoch_of(record.offset) != new.epoch_of(record.offset) {
            lost.push(LostRecord::of(&record));
        }
        if let Some(epoch) = old.epoch_of(record.offset) {
            rp.set_aside
                .entry(record.offset)
                .or_default()
                .insert(epoch, record);
        }
    }
    let mut offset = log.log_end_offset();
    while offset < new.log_end_offset {
        let Some(epoch) = new.epoch_of(offset) else {
            break;
        };
        let Some(record) = rp
            .set_aside
            .get_mut(&offset)
            .and_then(|by_epoch| by_epoch.remove(&epoch))
        else {
            break;
        };
        let timestamp_ms = record.timestamp_ms;
        log.append(record, timestamp_ms, config);
        offset += 1;
    }
    if offset < new.log_end_offset {
        // Records the simulator no longer has (compacted away): the new leader's log ends
        // where the partition's does.
        if let Some(leader_log) = rp.replication.logs.get_mut(&leader) {
            leader_log.log_end_offset = offset;
            leader_log.epochs.retain(|&(_, s)| s < offset);
            leader_log.high_watermark = leader_log.high_watermark.min(offset);
        }
    }
    rp.mirrored_epoch = rp.replication.leader_epoch;
    rp.mirrored = rp.replication.logs.get(&leader).cloned().unwrap_or(new);
    // What no replica holds any more is gone for good.
    let logs = &rp.replication.logs;
    for (&offset, by_epoch) in rp.set_aside.iter_mut() {
        by_epoch.retain(|&epoch, _| logs.values().any(|l| l.epoch_of(offset) == Some(epoch)));
    }
    rp.set_aside.retain(|_, by_epoch| !by_epoch.is_empty());
    (!lost.is_empty()).then_some((leader, diverge, lost))
}
