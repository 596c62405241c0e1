//! The share group coordinator (SEMANTICS-4 §C.5): members join and heartbeat, the group
//! epoch bumps on a join, a leave and a change of the subscribed topic's partitions, the
//! `simple` assignor computes the target, and each member takes its target at its next
//! heartbeat (no revocation: sharing is allowed). Sessions expire after
//! `share.session.timeout.ms`; acquisition locks after `share.record.lock.duration.ms`.
//! Also the admin operations: reset and delete offsets, delete the group, group configs.

use std::collections::BTreeMap;

use super::assignor::assign;
use super::config::{group_config_def, validate_group_config};
use super::dlq::ArchiveCause;
use super::event::{ReleaseCause, ShareEvent};
use super::{ShareCommand, ShareGroup, ShareGroupState, ShareMember, ShareOffsets, ShareResetSpec};
use crate::engine::assign::server::MemberSpec;
use crate::engine::share_partition::{RecordState, SharePartition, Transition};
use crate::engine::time::ms_to_ticks;
use crate::engine::types::TopicPartition;
use crate::engine::{Engine, Event, Outcome, Rejection, RejectionKind};

pub(super) fn share(event: ShareEvent) -> Event {
    Event::Share(Box::new(event))
}

fn refused(reason: impl Into<String>) -> Outcome {
    Err(Rejection::new(RejectionKind::Invalid, reason))
}

/// The offsets of transitions that ended Archived.
pub(super) fn archived_of(transitions: &[Transition]) -> Vec<i64> {
    transitions
        .iter()
        .filter(|t| t.state == RecordState::Archived)
        .map(|t| t.offset)
        .collect()
}

impl Engine {
    /// Applies a share-group command.
    pub(in crate::engine) fn apply_share(&mut self, command: &ShareCommand) -> Outcome {
        match command {
            ShareCommand::StartConsumer {
                client_id,
                group,
                topic,
                millirecords_per_second,
                release_per_mille,
                reject_per_mille,
                max_messages,
                acknowledgement_mode,
            } => self.start_share_consumer(
                client_id,
                group,
                topic,
                *millirecords_per_second,
                (*release_per_mille, *reject_per_mille),
                (*max_messages, *acknowledgement_mode),
            ),
            ShareCommand::StopConsumer { client_id } => self.stop_share_consumer(client_id),
            ShareCommand::CrashConsumer { client_id } => self.crash_share_consumer(client_id),
            ShareCommand::SetConsumer {
                client_id,
                key,
                value,
            } => self.set_share_consumer(client_id, key, value),
            ShareCommand::ResetOffsets {
                group,
                topics,
                spec,
                execute,
            } => self.reset_share_offsets(group, topics, *spec, *execute),
            ShareCommand::DeleteOffsets { group, topics } => {
                self.delete_share_offsets(group, topics)
            }
            ShareCommand::DeleteGroup { group } => self.delete_share_group(group),
            ShareCommand::AlterGroupConfig { group, set, delete } => {
                self.alter_group_config(group, set, delete)
            }
        }
    }

    /// A member's first heartbeat: it joins (epoch 0), the group epoch bumps and the target
    /// is recomputed; the member takes its target at once.
    pub(super) fn share_join(&mut self, group_id: &str, client_id: &str) -> Vec<Event> {
        let Some(consumer) = self.share.consumers.get(client_id) else {
            return Vec::new();
        };
        let member = ShareMember {
            member_id: consumer.member_id.clone(),
            client_id: client_id.to_string(),
            topic: consumer.topic.clone(),
            member_epoch: 0,
            assignment: Vec::new(),
            last_heartbeat_tick: self.tick,
        };
        let group = self
            .share
            .groups
            .entry(group_id.to_string())
            .or_insert_with(|| ShareGroup {
                group_id: group_id.to_string(),
                group_epoch: 0,
                assignment_epoch: 0,
                members: Vec::new(),
                target: BTreeMap::new(),
                partitions: BTreeMap::new(),
                subscribed_partitions: BTreeMap::new(),
            });
        group.members.push(member.clone());
        group.group_epoch += 1;
        let mut events = vec![share(ShareEvent::MemberJoined {
            group: group_id.to_string(),
            client_id: client_id.to_string(),
            member_id: member.member_id,
        })];
        self.sync_share_metadata(group_id);
        events.extend(self.recompute_share_target(group_id));
        events.extend(self.share_heartbeat(client_id));
        events
    }

    /// Brings the group's record of its topics' partitions up to date: a topic first seen
    /// costs two bumps (its share state is initialized, then assigned), a changed partition
    /// count one, for each topic a member subscribes to. Returns whether the epoch moved.
    fn sync_share_metadata(&mut self, group_id: &str) -> bool {
        let Some(group) = self.share.groups.get(group_id) else {
            return false;
        };
        let mut changes: Vec<(String, u32, i32)> = Vec::new();
        for topic in group.topics() {
            let count = self.topics.get(topic).map_or(0, |t| t.n_partitions());
            let known = group.subscribed_partitions.get(topic).copied();
            let bump = match known {
                None if count > 0 => 2,
                Some(k) if k != count => 1,
                _ => 0,
            };
            if bump > 0 {
                changes.push((topic.to_string(), count, bump));
            }
        }
        if changes.is_empty() {
            return false;
        }
        if let Some(group) = self.share.groups.get_mut(group_id) {
            for (topic, count, bump) in changes {
                group.group_epoch += bump;
                if count > 0 {
                    group.subscribed_partitions.insert(topic, count);
                } else {
                    group.subscribed_partitions.remove(&topic);
                }
            }
        }
        true
    }

    /// Runs the `simple` assignor for the group's members and makes its result the target
    /// at the current group epoch.
    fn recompute_share_target(&mut self, group_id: &str) -> Vec<Event> {
        let Some(group) = self.share.groups.get(group_id) else {
            return Vec::new();
        };
        let mut names_by_id: BTreeMap<String, String> = BTreeMap::new();
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for topic in self.topics.values() {
            names_by_id.insert(topic.id.clone(), topic.name.clone());
            counts.insert(topic.id.clone(), topic.n_partitions());
        }
        let id_of = |name: &str| self.topics.get(name).map(|t| t.id.clone());
        let specs: Vec<MemberSpec> = group
            .members
            .iter()
            .map(|m| {
                let mut assigned: BTreeMap<String, Vec<u32>> = BTreeMap::new();
                for tp in group.target.get(&m.member_id).into_iter().flatten() {
                    if let Some(id) = id_of(&tp.topic) {
                        assigned.entry(id).or_default().push(tp.partition);
                    }
                }
                MemberSpec {
                    member_id: m.member_id.clone(),
                    instance_id: None,
                    topics: id_of(&m.topic).into_iter().collect(),
                    assigned: assigned.into_iter().collect(),
                }
            })
            .collect();
        let Ok(result) = assign(&specs, &counts) else {
            return Vec::new();
        };
        let mut target: BTreeMap<String, Vec<TopicPartition>> = BTreeMap::new();
        for m in &group.members {
            let mut parts = Vec::new();
            for (id, set) in result.get(&m.member_id).into_iter().flatten() {
                if let Some(name) = names_by_id.get(id) {
                    parts.extend(set.iter().map(|&p| TopicPartition::new(name, p)));
                }
            }
            crate::sort::sort(&mut parts);
            target.insert(m.member_id.clone(), parts);
        }
        let Some(group) = self.share.groups.get_mut(group_id) else {
            return Vec::new();
        };
        group.target = target;
        group.assignment_epoch = group.group_epoch;
        vec![share(ShareEvent::GroupEpochBumped {
            group: group_id.to_string(),
            group_epoch: group.group_epoch,
        })]
    }

    /// A ShareGroupHeartbeat: the member is alive, and takes its target if the group moved
    /// on. A member the coordinator no longer knows (its session expired) joins again.
    pub(super) fn share_heartbeat(&mut self, client_id: &str) -> Vec<Event> {
        let Some(consumer) = self.share.consumers.get(client_id) else {
            return Vec::new();
        };
        let group_id = consumer.group.clone();
        let member_id = consumer.member_id.clone();
        let interval = self.share.config_of(&group_id).heartbeat_interval_ms;
        let known = self
            .share
            .groups
            .get(&group_id)
            .is_some_and(|g| g.member(&member_id).is_some());
        if !known {
            return self.share_join(&group_id, client_id);
        }
        let now = self.tick;
        let mut events = Vec::new();
        if let Some(group) = self.share.groups.get_mut(&group_id) {
            let epoch = group.assignment_epoch;
            let target = group.target.get(&member_id).cloned().unwrap_or_default();
            if let Some(m) = group.members.iter_mut().find(|m| m.member_id == member_id) {
                m.last_heartbeat_tick = now;
                if m.member_epoch != epoch {
                    m.member_epoch = epoch;
                    m.assignment = target.clone();
                    events.push(share(ShareEvent::AssignmentReceived {
                        group: group_id.clone(),
                        client_id: client_id.to_string(),
                        member_epoch: epoch,
                        partitions: target.clone(),
                    }));
                    if let Some(c) = self.share.consumers.get_mut(client_id) {
                        c.assignment = target;
                        c.member_epoch = epoch;
                    }
                }
            }
        }
        if let Some(c) = self.share.consumers.get_mut(client_id) {
            c.next_heartbeat_tick = now + ms_to_ticks(interval).max(1);
        }
        events
    }

    /// A member leaves (a heartbeat with epoch -1) or its session expired: what it held goes
    /// back without counting the attempt, the epoch bumps and the target is recomputed.
    pub(super) fn share_remove_member(
        &mut self,
        group_id: &str,
        member_id: &str,
        session_expired: bool,
    ) -> Vec<Event> {
        let Some(group) = self.share.groups.get_mut(group_id) else {
            return Vec::new();
        };
        let Some(position) = group.members.iter().position(|m| m.member_id == member_id) else {
            return Vec::new();
        };
        let member = group.members.remove(position);
        group.target.remove(member_id);
        group.group_epoch += 1;
        let mut events = vec![share(ShareEvent::MemberLeft {
            group: group_id.to_string(),
            client_id: member.client_id.clone(),
            session_expired,
        })];
        for (tp, offsets) in group.partitions.iter_mut() {
            let before = offsets.partition.start_offset;
            let back = offsets.partition.release_member(member_id);
            if !back.is_empty() {
                offsets.written_start_offset = Some(before);
                events.push(share(ShareEvent::RecordsReleased {
                    group: group_id.to_string(),
                    partition: tp.clone(),
                    offsets: back.iter().map(|t| t.offset).collect(),
                    archived: Vec::new(),
                    cause: ReleaseCause::MemberRemoved,
                }));
            }
        }
        events.extend(self.recompute_share_target(group_id));
        events
    }

    /// The coordinator's and the share-partitions' tick: partition changes of subscribed
    /// topics, log starts that moved, expired locks and sessions; then every running share
    /// consumer.
    pub(in crate::engine) fn tick_share(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let now_ms = self.now_ms();
        let ids: Vec<String> = self.share.groups.keys().cloned().collect();
        for id in &ids {
            if self.sync_share_metadata(id) {
                events.extend(self.recompute_share_target(id));
            }
            let config = self.share.config_of(id);
            let mut dead_letters = Vec::new();
            let topics = &self.topics;
            let Some(group) = self.share.groups.get_mut(id) else {
                continue;
            };
            group.partitions.retain(|tp, _| {
                topics
                    .get(&tp.topic)
                    .is_some_and(|t| t.partition(tp.partition).is_some())
            });
            for (tp, offsets) in group.partitions.iter_mut() {
                if let Some(log) = topics
                    .get(&tp.topic)
                    .and_then(|t| t.partition(tp.partition))
                {
                    offsets.partition.log_start_moved(log.log_start_offset());
                }
                let before = offsets.partition.start_offset;
                let expired = offsets.partition.expire_locks(now_ms, &config.share);
                if !expired.is_empty() {
                    offsets.written_start_offset = Some(before);
                    let archived: Vec<(i64, u32, ArchiveCause)> = expired
                        .iter()
                        .filter(|t| t.state == RecordState::Archived)
                        .map(|t| (t.offset, t.delivery_count, ArchiveCause::DeliveryLimit))
                        .collect();
                    if !archived.is_empty() {
                        dead_letters.push((tp.clone(), archived));
                    }
                    events.push(share(ShareEvent::RecordsReleased {
                        group: id.clone(),
                        partition: tp.clone(),
                        offsets: expired.iter().map(|t| t.offset).collect(),
                        archived: archived_of(&expired),
                        cause: ReleaseCause::LockExpired,
                    }));
                }
            }
            for (tp, archived) in std::mem::take(&mut dead_letters) {
                events.extend(self.dead_letter(id, &tp, &archived));
            }
            let Some(group) = self.share.groups.get_mut(id) else {
                continue;
            };
            let session_ticks = ms_to_ticks(config.session_timeout_ms).max(1);
            let now = self.tick;
            let lapsed: Vec<String> = group
                .members
                .iter()
                .filter(|m| now >= m.last_heartbeat_tick + session_ticks)
                .map(|m| m.member_id.clone())
                .collect();
            for member_id in lapsed {
                events.extend(self.share_remove_member(id, &member_id, true));
            }
        }
        events.extend(self.tick_share_consumers());
        events
    }

    /// The start offset `spec` gives a partition.
    fn share_reset_offset(&self, tp: &TopicPartition, spec: ShareResetSpec) -> Option<i64> {
        let log = self.partition_log(tp)?;
        Some(match spec {
            ShareResetSpec::ToEarliest => log.log_start_offset(),
            ShareResetSpec::ToLatest => log.high_watermark(),
            ShareResetSpec::ToOffset(o) => o.clamp(log.log_start_offset(), log.high_watermark()),
            ShareResetSpec::ToDatetime(ms) => log
                .offset_for_timestamp(ms)
                .unwrap_or_else(|| log.high_watermark()),
        })
    }

    /// `kafka-share-groups --reset-offsets`: only an Empty (or unknown) group; every
    /// partition of the named topics, or those the group has offsets for.
    fn reset_share_offsets(
        &mut self,
        group_id: &str,
        topics: &[String],
        spec: ShareResetSpec,
        execute: bool,
    ) -> Outcome {
        let group = self.share.groups.get(group_id);
        if group.is_some_and(|g| g.state() != ShareGroupState::Empty) {
            return refused(format!("Share group '{group_id}' is not empty."));
        }
        let mut partitions: Vec<TopicPartition> = Vec::new();
        if topics.is_empty() {
            partitions.extend(group.into_iter().flat_map(|g| g.partitions.keys().cloned()));
        } else {
            for t in topics {
                let Some(topic) = self.topics.get(t) else {
                    return Err(Rejection::new(
                        RejectionKind::UnknownTopic,
                        format!("The partitions of topic {t} do not exist."),
                    ));
                };
                partitions.extend((0..topic.n_partitions()).map(|p| TopicPartition::new(t, p)));
            }
        }
        let offsets: Vec<(TopicPartition, i64)> = partitions
            .into_iter()
            .filter_map(|tp| self.share_reset_offset(&tp, spec).map(|o| (tp, o)))
            .collect();
        if execute && !offsets.is_empty() {
            let group = self
                .share
                .groups
                .entry(group_id.to_string())
                .or_insert_with(|| ShareGroup {
                    group_id: group_id.to_string(),
                    group_epoch: 0,
                    assignment_epoch: 0,
                    members: Vec::new(),
                    target: BTreeMap::new(),
                    partitions: BTreeMap::new(),
                    subscribed_partitions: BTreeMap::new(),
                });
            for (tp, offset) in &offsets {
                group.partitions.insert(
                    tp.clone(),
                    ShareOffsets {
                        partition: SharePartition::initialize(
                            crate::engine::share_partition::ShareReset::Earliest,
                            *offset,
                            *offset,
                        ),
                        written_start_offset: Some(*offset),
                    },
                );
            }
        }
        Ok(vec![share(ShareEvent::OffsetsReset {
            group: group_id.to_string(),
            offsets,
            executed: execute,
        })])
    }

    /// `kafka-share-groups --delete-offsets`: only an Empty group.
    fn delete_share_offsets(&mut self, group_id: &str, topics: &[String]) -> Outcome {
        let Some(group) = self.share.groups.get(group_id) else {
            return Err(Rejection::new(
                RejectionKind::Invalid,
                format!("Group {group_id} not found."),
            ));
        };
        if group.state() != ShareGroupState::Empty {
            return refused("The group is not empty.");
        }
        let mut results = Vec::new();
        let mut known = std::collections::BTreeSet::new();
        for t in topics {
            let present = self.topics.contains_key(t);
            if present {
                known.insert(t.clone());
            }
            results.push((t.clone(), present));
        }
        if let Some(group) = self.share.groups.get_mut(group_id) {
            group.partitions.retain(|tp, _| !known.contains(&tp.topic));
            group
                .subscribed_partitions
                .retain(|t, _| !known.contains(t));
        }
        Ok(vec![share(ShareEvent::OffsetsDeleted {
            group: group_id.to_string(),
            topics: results,
        })])
    }

    /// `kafka-share-groups --delete`: only an Empty group.
    fn delete_share_group(&mut self, group_id: &str) -> Outcome {
        match self.share.groups.get(group_id) {
            None => refused(format!("Group '{group_id}' is not a share group.")),
            Some(g) if g.state() != ShareGroupState::Empty => {
                refused(format!("Share group '{group_id}' is not EMPTY."))
            }
            Some(_) => {
                self.share.groups.remove(group_id);
                Ok(vec![share(ShareEvent::GroupDeleted {
                    group: group_id.to_string(),
                })])
            }
        }
    }

    /// `kafka-configs --entity-type groups --alter`: every name and value is checked
    /// first, so a refused change changes nothing.
    fn alter_group_config(
        &mut self,
        group_id: &str,
        set: &[(String, String)],
        delete: &[String],
    ) -> Outcome {
        if group_id.is_empty() {
            return refused("Group name must not be empty");
        }
        for (k, v) in set {
            validate_group_config(k, v).map_err(|e| Rejection::new(RejectionKind::Invalid, e))?;
        }
        for k in delete {
            if group_config_def(k).is_none() {
                return refused(format!("Unknown group config name: {k}"));
            }
        }
        let configs = self.share.configs.entry(group_id.to_string()).or_default();
        let mut events = Vec::new();
        for (k, v) in set {
            configs.insert(k.clone(), v.clone());
            events.push(share(ShareEvent::GroupConfigChanged {
                group: group_id.to_string(),
                key: k.clone(),
                value: Some(v.clone()),
            }));
        }
        for k in delete {
            configs.remove(k);
            events.push(share(ShareEvent::GroupConfigChanged {
                group: group_id.to_string(),
                key: k.clone(),
                value: None,
            }));
        }
        if configs.is_empty() {
            self.share.configs.remove(group_id);
        }
        Ok(events)
    }
}
