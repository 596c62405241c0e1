//! The group coordinator's side of the classic protocol (SEMANTICS.md §2): JoinGroup,
//! SyncGroup, LeaveGroup, session expiry, the rebalance state machine, offset commits,
//! `--reset-offsets` and group deletion.
//!
//! Timing: a rebalance starts when a member joins, leaves, times out or asks to rejoin.
//! Existing members learn of it at their next heartbeat and rejoin at their next poll (a
//! slow consumer therefore delays everyone). The join phase ends when every member has
//! rejoined, or at the rebalance timeout (the longest `max.poll.interval.ms`), when the
//! missing members are removed. The leader's SyncGroup arrives on the following tick.

use std::collections::{BTreeMap, BTreeSet};

use super::assign::{self, MemberSubscription};
use super::consumer::MemberPhase;
use super::event::{Event, LeaveReason, OffsetDeletion};
use super::group::{CommittedOffset, Group, GroupState, Member, Rebalance};
use super::time::ms_to_ticks;
use super::{rejected, Engine, Outcome, ResetScope, ResetSpec, TopicPartition};

/// Kafka's `CommitFailedException` message.
pub const COMMIT_FAILED: &str = "Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member. This means that the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time message processing.";

impl Engine {
    fn set_group_state(group: &mut Group, to: GroupState, events: &mut Vec<Event>) {
        if group.state != to {
            events.push(Event::GroupStateChanged {
                group: group.id.clone(),
                from: group.state,
                to,
            });
            group.state = to;
        }
    }

    /// Starts a rebalance (`prepareRebalance`): every member must rejoin.
    fn prepare_rebalance(&mut self, group_id: &str, reason: String) -> Vec<Event> {
        let now = self.tick;
        let mut events = Vec::new();
        let Some(group) = self.groups.get_mut(group_id) else {
            return events;
        };
        let timeout_ticks = group
            .members
            .iter()
            .map(|m| ms_to_ticks(m.rebalance_timeout_ms))
            .max()
            .unwrap_or(0);
        for m in &mut group.members {
            m.joined = false;
        }
        group.join_completed_tick = None;
        group.rebalance = Some(Rebalance {
            reason: reason.clone(),
            started_tick: now,
            deadline_tick: now + timeout_ticks,
            not_before_tick: now,
            new_member_added: false,
        });
        Self::set_group_state(group, GroupState::PreparingRebalance, &mut events);
        events.push(Event::RebalanceStarted {
            group: group_id.to_string(),
            generation: group.generation,
            reason,
        });
        events
    }

    /// A consumer's JoinGroup.
    pub(super) fn join_group(&mut self, client_id: &str) -> Vec<Event> {
        let now = self.tick;
        let delay_ticks = ms_to_ticks(self.broker.group_initial_rebalance_delay_ms);
        let Some(consumer) = self.consumers.get(client_id) else {
            return Vec::new();
        };
        let Some(group_id) = consumer.group.clone() else {
            return Vec::new();
        };
        // ownedPartitions: what it still owns (nothing, after an eager revoke). The eager
        // StickyAssignor reads its last assignment from userData instead.
        let owned = consumer.assignment.clone();
        let owned_generation = (consumer.generation >= 0).then_some(consumer.generation);
        let sticky_user_data = consumer.last_assignment.clone();
        let sticky_generation = consumer.last_assignment_generation;
        let instance_id = consumer.config.group_instance_id.clone();
        let template = Member {
            member_id: String::new(),
            client_id: client_id.to_string(),
            host: "/127.0.0.1".to_string(),
            group_instance_id: instance_id.clone(),
            topics: consumer.topics.clone(),
            assignors: consumer.config.assignors.clone(),
            owned,
            owned_generation,
            sticky_user_data,
            sticky_generation,
            joined: true,
            assignment: Vec::new(),
            last_heartbeat_tick: now,
            session_timeout_ms: consumer.config.session_timeout_ms,
            rebalance_timeout_ms: consumer.config.max_poll_interval_ms,
        };
        let known_member = consumer.member_id.clone();

        let group = self
            .groups
            .entry(group_id.clone())
            .or_insert_with(|| Group::new(group_id.clone()));
        if group.state == GroupState::Dead {
            *group = Group::new(group_id.clone());
        }
        // INCONSISTENT_GROUP_PROTOCOL: no assignor that every member supports.
        let others_ok = group
            .members
            .iter()
            .filter(|m| Some(&m.member_id) != known_member.as_ref())
            .all(|m| m.assignors.iter().any(|s| template.assignors.contains(s)));
        if !others_ok {
            let error = "InconsistentGroupProtocolException: The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.".to_string();
            if let Some(c) = self.consumers.get_mut(client_id) {
                c.status = super::ConsumerStatus::Failed(error.clone());
            }
            return vec![Event::ConsumerFailed {
                client_id: client_id.to_string(),
                error,
            }];
        }

        let mut events = Vec::new();
        // A known member rejoining.
        if let Some(member_id) = known_member
            .as_ref()
            .filter(|id| group.member(id).is_some())
        {
            let state = group.state;
            if matches!(state, GroupState::Stable | GroupState::CompletingRebalance) {
                events.extend(self.prepare_rebalance(
                    &group_id,
                    format!(
                        "Updating metadata for member {member_id} during {}",
                        state.name()
                    ),
                ));
            }
            let Some(group) = self.groups.get_mut(&group_id) else {
                return events;
            };
            if let Some(m) = group.member_mut(member_id) {
                let id = m.member_id.clone();
                *m = Member {
                    member_id: id,
                    ..template
                };
            }
            events.push(Event::JoinRequested {
                group: group_id.clone(),
                client_id: client_id.to_string(),
                member_id: member_id.clone(),
            });
            self.set_phase(client_id, MemberPhase::Joining);
            return events;
        }

        // A static member coming back: it takes over its old membership.
        if let Some(instance) = instance_id.as_ref() {
            if let Some(pos) = group
                .members
                .iter()
                .position(|m| m.group_instance_id.as_ref() == Some(instance))
            {
                // Kafka names a static member after its group.instance.id.
                let new_id = self.new_member_id(instance);
                let Some(group) = self.groups.get_mut(&group_id) else {
                    return events;
                };
                let old = group.members[pos].clone();
                let unchanged =
                    old.topics == template.topics && old.assignors == template.assignors;
                if group.leader.as_ref() == Some(&old.member_id) {
                    group.leader = Some(new_id.clone());
                }
                group.members[pos] = Member {
                    member_id: new_id.clone(),
                    assignment: old.assignment.clone(),
                    ..template
                };
                events.push(Event::JoinRequested {
                    group: group_id.clone(),
                    client_id: client_id.to_string(),
                    member_id: new_id.clone(),
                });
                if group.state == GroupState::Stable && unchanged {
                    let generation = group.generation;
                    let assignment = old.assignment.clone();
                    events.push(Event::StaticMemberRejoined {
                        group: group_id.clone(),
                        client_id: client_id.to_string(),
                        group_instance_id: instance.clone(),
                    });
                    if let Some(c) = self.consumers.get_mut(client_id) {
                        c.member_id = Some(new_id);
                        c.generation = generation;
                    }
                    events.extend(
                        self.deliver_assignment(client_id, &group_id, generation, assignment),
                    );
                    return events;
                }
                if let Some(c) = self.consumers.get_mut(client_id) {
                    c.member_id = Some(new_id);
                }
                let state = group.state;
                if matches!(state, GroupState::Stable | GroupState::CompletingRebalance) {
                    events.extend(self.prepare_rebalance(
                        &group_id,
                        format!(
                            "Updating metadata for static member {instance} during {}",
                            state.name()
                        ),
                    ));
                    if let Some(m) = self
                        .groups
                        .get_mut(&group_id)
                        .and_then(|g| g.members.get_mut(pos))
                    {
                        m.joined = true;
                    }
                }
                self.set_phase(client_id, MemberPhase::Joining);
                return events;
            }
        }

        // A new member: a static one is named after its group.instance.id, as in Kafka.
        let member_id = self.new_member_id(instance_id.as_deref().unwrap_or(client_id));
        let Some(group) = self.groups.get_mut(&group_id) else {
            return events;
        };
        let state = group.state;
        group.members.push(Member {
            member_id: member_id.clone(),
            ..template
        });
        events.push(Event::JoinRequested {
            group: group_id.clone(),
            client_id: client_id.to_string(),
            member_id: member_id.clone(),
        });
        match state {
            GroupState::Empty | GroupState::Dead => {
                events.extend(
                    self.prepare_rebalance(&group_id, format!("Adding new member {member_id}")),
                );
                if let Some(group) = self.groups.get_mut(&group_id) {
                    if let Some(r) = group.rebalance.as_mut() {
                        // InitialDelayedJoin: wait a little for more members.
                        r.not_before_tick = now + delay_ticks;
                    }
                    for m in &mut group.members {
                        m.joined = true;
                    }
                }
            }
            GroupState::Stable | GroupState::CompletingRebalance => {
                events.extend(
                    self.prepare_rebalance(&group_id, format!("Adding new member {member_id}")),
                );
                if let Some(m) = self
                    .groups
                    .get_mut(&group_id)
                    .and_then(|g| g.member_mut(&member_id))
                {
                    m.joined = true;
                }
            }
            GroupState::PreparingRebalance => {
                if let Some(group) = self.groups.get_mut(&group_id) {
                    let new_group = group.generation == 0;
                    if let Some(r) = group.rebalance.as_mut() {
                        if r.not_before_tick > now && new_group {
                            // The delay is not restarted: when it ends, one more whole
                            // period follows (GroupMetadataManager's InitialDelayedJoin).
                            r.new_member_added = true;
                        }
                    }
                }
            }
        }
        if let Some(c) = self.consumers.get_mut(client_id) {
            c.member_id = Some(member_id);
        }
        self.set_phase(client_id, MemberPhase::Joining);
        events
    }

    fn set_phase(&mut self, client_id: &str, phase: MemberPhase) {
        if let Some(c) = self.consumers.get_mut(client_id) {
            c.phase = phase;
        }
    }

    /// Removes a member (LeaveGroup, session expiry, poll timeout) and rebalances.
    pub(super) fn remove_member(
        &mut self,
        group_id: &str,
        member_id: &str,
        reason: LeaveReason,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        let Some(group) = self.groups.get_mut(group_id) else {
            return events;
        };
        let Some(pos) = group.members.iter().position(|m| m.member_id == member_id) else {
            return events;
        };
        let member = group.members.remove(pos);
        if group.leader.as_deref() == Some(member_id) {
            group.leader = None;
        }
        events.push(Event::MemberRemoved {
            group: group_id.to_string(),
            client_id: member.client_id.clone(),
            member_id: member_id.to_string(),
            reason,
        });
        let state = group.state;
        if matches!(state, GroupState::Stable | GroupState::CompletingRebalance) {
            let why = match reason {
                LeaveReason::SessionTimeout => "on heartbeat expiration",
                LeaveReason::Left | LeaveReason::PollTimeout => "on LeaveGroup",
                LeaveReason::JoinTimeout | LeaveReason::Removed => "on removal",
            };
            events.extend(
                self.prepare_rebalance(group_id, format!("removing member {member_id} {why}")),
            );
        }
        // With no member left, every member has joined: the join completes at once and
        // the group becomes Empty (GroupCoordinator's tryCompleteElseWatch on DelayedJoin).
        if self
            .groups
            .get(group_id)
            .is_some_and(|g| g.members.is_empty() && g.state == GroupState::PreparingRebalance)
        {
            events.extend(self.complete_join(group_id));
        }
        events
    }

    /// The coordinator's timers, every tick: session expiry, end of the join phase, sync.
    pub(super) fn tick_groups(&mut self) -> Vec<Event> {
        let now = self.tick;
        let mut events = Vec::new();
        let ids: Vec<String> = self.groups.keys().cloned().collect();
        for id in ids {
            let expired: Vec<String> = self.groups[&id]
                .members
                .iter()
                .filter(|m| now >= session_expiry_tick(m))
                .map(|m| m.member_id.clone())
                .collect();
            for member_id in expired {
                events.extend(self.remove_member(&id, &member_id, LeaveReason::SessionTimeout));
            }
            let Some(group) = self.groups.get(&id) else {
                continue;
            };
            match group.state {
                GroupState::PreparingRebalance => {
                    let Some(r) = group.rebalance.as_ref() else {
                        continue;
                    };
                    if now >= r.not_before_tick
                        && r.new_member_added
                        && r.not_before_tick < r.deadline_tick
                    {
                        // Members joined during the initial delay: wait another whole
                        // period (never past the rebalance timeout), then look again.
                        let delay_ticks = ms_to_ticks(self.broker.group_initial_rebalance_delay_ms);
                        if let Some(r) = self.groups.get_mut(&id).and_then(|g| g.rebalance.as_mut())
                        {
                            r.new_member_added = false;
                            r.not_before_tick = (now + delay_ticks).min(r.deadline_tick);
                        }
                        continue;
                    }
                    let all_joined = group.members.iter().all(|m| m.joined);
                    if all_joined && now >= r.not_before_tick {
                        events.extend(self.complete_join(&id));
                    } else if now >= r.deadline_tick && now >= r.not_before_tick {
                        let late: Vec<String> = group
                            .members
                            .iter()
                            .filter(|m| !m.joined)
                            .map(|m| m.member_id.clone())
                            .collect();
                        for member_id in late {
                            events.extend(self.remove_member(
                                &id,
                                &member_id,
                                LeaveReason::JoinTimeout,
                            ));
                        }
                        events.extend(self.complete_join(&id));
                    }
                }
                GroupState::CompletingRebalance
                    if group.join_completed_tick.is_some_and(|t| t < now) =>
                {
                    events.extend(self.sync_group(&id));
                }
                _ => {}
            }
        }
        events
    }

    /// The join phase is over: a new generation, a leader, the assignor chosen.
    fn complete_join(&mut self, group_id: &str) -> Vec<Event> {
        let now = self.tick;
        let mut events = Vec::new();
        let Some(group) = self.groups.get_mut(group_id) else {
            return events;
        };
        group.generation += 1;
        group.rebalance = None;
        if group.members.is_empty() {
            group.protocol = None;
            group.leader = None;
            Self::set_group_state(group, GroupState::Empty, &mut events);
            return events;
        }
        group.protocol = group.select_protocol();
        let leader_still_here = group
            .leader
            .as_ref()
            .is_some_and(|l| group.member(l).is_some());
        if !leader_still_here {
            group.leader = group.members.first().map(|m| m.member_id.clone());
        }
        group.join_completed_tick = Some(now);
        Self::set_group_state(group, GroupState::CompletingRebalance, &mut events);
        let generation = group.generation;
        let leader_client = group
            .leader
            .as_ref()
            .and_then(|l| group.member(l))
            .map(|m| m.client_id.clone())
            .unwrap_or_default();
        events.push(Event::JoinCompleted {
            group: group_id.to_string(),
            generation,
            leader: leader_client,
            protocol: group
                .protocol
                .map(|p| p.name().to_string())
                .unwrap_or_default(),
            members: group.members.iter().map(|m| m.client_id.clone()).collect(),
        });
        // The JoinGroup responses go to the members' own clients: a member whose client has
        // gone (a removed static member waiting out its session) answers nobody, even when a
        // new client with the same client id now reads in another group.
        let members: Vec<(String, String)> = group
            .members
            .iter()
            .map(|m| (m.client_id.clone(), m.member_id.clone()))
            .collect();
        for (client, member_id) in members {
            if let Some(c) = self.consumers.get_mut(&client) {
                if c.member_id.as_deref() == Some(member_id.as_str())
                    && c.group.as_deref() == Some(group_id)
                {
                    c.phase = MemberPhase::Syncing;
                    c.generation = generation;
                }
            }
        }
        events
    }

    /// The leader's SyncGroup: run the assignor and hand every member its partitions.
    fn sync_group(&mut self, group_id: &str) -> Vec<Event> {
        let counts = self.partition_counts();
        let mut events = Vec::new();
        let Some(group) = self.groups.get_mut(group_id) else {
            return events;
        };
        let Some(strategy) = group.protocol else {
            return events;
        };
        let subscriptions: Vec<MemberSubscription> = group
            .members
            .iter()
            .map(|m| MemberSubscription {
                member_id: m.member_id.clone(),
                group_instance_id: m.group_instance_id.clone(),
                topics: m.topics.clone(),
                owned: if strategy == assign::Strategy::Sticky {
                    m.sticky_user_data.clone()
                } else {
                    m.owned.clone()
                },
                generation: if strategy == assign::Strategy::Sticky {
                    m.sticky_generation
                } else {
                    m.owned_generation
                },
            })
            .collect();
        let assignment = assign::assign(strategy, &counts, &subscriptions);
        for m in &mut group.members {
            m.assignment = assignment.get(&m.member_id).cloned().unwrap_or_default();
        }
        group.join_completed_tick = None;
        Self::set_group_state(group, GroupState::Stable, &mut events);
        let generation = group.generation;
        let subscribed: BTreeSet<String> =
            crate::sort::collect_set(group.members.iter().flat_map(|m| m.topics.iter().cloned()));
        let snapshot: BTreeMap<String, u32> = crate::sort::collect_map(
            subscribed
                .iter()
                .filter_map(|t| counts.get(t).map(|n| (t.clone(), *n))),
        );
        group.assigned_partition_counts = snapshot;
        let deliveries: Vec<(String, String, Vec<TopicPartition>)> = group
            .members
            .iter()
            .map(|m| {
                (
                    m.client_id.clone(),
                    m.member_id.clone(),
                    m.assignment.clone(),
                )
            })
            .collect();
        for (client, member_id, partitions) in deliveries {
            if let Some(c) = self.consumers.get_mut(&client) {
                if c.member_id.as_deref() != Some(member_id.as_str()) || !c.is_running() {
                    continue;
                }
            } else {
                continue;
            }
            events.extend(self.deliver_assignment(&client, group_id, generation, partitions));
        }
        events
    }

    /// Commits offsets for a consumer's group, with the coordinator's generation checks.
    pub(super) fn commit_offsets(
        &mut self,
        client_id: &str,
        offsets: Vec<(TopicPartition, i64)>,
    ) -> Vec<Event> {
        let now_ms = self.now_ms();
        let Some(consumer) = self.consumers.get(client_id) else {
            return Vec::new();
        };
        let Some(group_id) = consumer.group.clone() else {
            return vec![Event::CommitFailed {
                client_id: client_id.to_string(),
                reason: "To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.".into(),
            }];
        };
        if offsets.is_empty() {
            return Vec::new();
        }
        let subscriber = consumer.is_subscriber();
        let member_id = consumer.member_id.clone();
        let generation = consumer.generation;
        let group = self
            .groups
            .entry(group_id.clone())
            .or_insert_with(|| Group::new(group_id.clone()));
        let allowed = if subscriber {
            member_id
                .as_ref()
                .is_some_and(|id| group.member(id).is_some())
                && generation == group.generation
                && group.state != GroupState::CompletingRebalance
        } else {
            group.members.is_empty()
        };
        if !allowed {
            return vec![Event::CommitFailed {
                client_id: client_id.to_string(),
                reason: COMMIT_FAILED.into(),
            }];
        }
        let changed: Vec<(TopicPartition, i64)> = offsets
            .into_iter()
            .filter(|(tp, o)| group.committed.get(tp).map(|c| c.offset) != Some(*o))
            .collect();
        for (tp, offset) in &changed {
            group.committed.insert(
                tp.clone(),
                CommittedOffset {
                    offset: *offset,
                    commit_ms: now_ms,
                },
            );
        }
        if changed.is_empty() {
            return Vec::new();
        }
        vec![Event::OffsetsCommitted {
            group: group_id,
            client_id: Some(client_id.to_string()),
            offsets: changed,
        }]
    }

    /// `kafka-consumer-groups --reset-offsets`, refused as [`Engine::check_reset`] says.
    pub(super) fn reset_offsets(
        &mut self,
        group_id: &str,
        scope: &ResetScope,
        spec: ResetSpec,
        execute: bool,
    ) -> Outcome {
        let now_ms = self.now_ms();
        let partitions = match self.check_reset(group_id, scope, spec) {
            Ok(partitions) => partitions,
            Err(refusal) => return rejected(refusal.to_string()),
        };
        let committed = self
            .groups
            .get(group_id)
            .map(|g| g.committed.clone())
            .unwrap_or_default();
        let mut offsets = Vec::new();
        for tp in partitions {
            let Some(log) = self.partition_log(&tp) else {
                continue;
            };
            let (start, end) = (log.log_start_offset(), log.high_watermark());
            let current = committed.get(&tp).map(|c| c.offset);
            let target = match spec {
                ResetSpec::ToEarliest => start,
                ResetSpec::ToLatest => end,
                ResetSpec::ToCurrent => current.unwrap_or(end),
                ResetSpec::ToOffset(o) => o,
                ResetSpec::ShiftBy(n) => current.unwrap_or(end).saturating_add(n),
                ResetSpec::ToDatetime(ms) => log.offset_for_timestamp(ms).unwrap_or(end),
                ResetSpec::ByDuration(d) => log
                    .offset_for_timestamp(now_ms.saturating_sub(d))
                    .unwrap_or(end),
            };
            offsets.push((tp, target.clamp(start, end)));
        }
        if execute {
            let group = self
                .groups
                .entry(group_id.to_string())
                .or_insert_with(|| Group::new(group_id.to_string()));
            if group.state == GroupState::Dead {
                group.state = GroupState::Empty;
            }
            for (tp, o) in &offsets {
                group.committed.insert(
                    tp.clone(),
                    CommittedOffset {
                        offset: *o,
                        commit_ms: now_ms,
                    },
                );
            }
        }
        Ok(vec![Event::OffsetsReset {
            group: group_id.to_string(),
            offsets,
            executed: execute,
        }])
    }

    /// `kafka-consumer-groups --delete`: only a group without members.
    pub(super) fn delete_group(&mut self, group_id: &str) -> Outcome {
        match self.groups.get(group_id) {
            None => rejected(format!(
                "Group '{group_id}' could not be deleted due to: org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist."
            )),
            Some(g) if !g.members.is_empty() => rejected(format!(
                "Group '{group_id}' could not be deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty."
            )),
            Some(_) => {
                self.groups.remove(group_id);
                Ok(vec![Event::GroupDeleted { group: group_id.to_string() }])
            }
        }
    }

    /// `kafka-consumer-groups --delete-offsets` (the coordinator's OffsetDelete): each
    /// partition separately, a missing one is UNKNOWN_TOPIC_OR_PARTITION, a topic a member
    /// subscribes to is GROUP_SUBSCRIBED_TO_TOPIC, and the others lose their committed
    /// offset (one that had none succeeds too). The group stays, even with no offsets left.
    pub(super) fn delete_offsets(
        &mut self,
        group_id: &str,
        partitions: &[TopicPartition],
    ) -> Outcome {
        let Some(group) = self
            .groups
            .get(group_id)
            .filter(|g| g.state != GroupState::Dead)
        else {
            return rejected(super::GROUP_ID_NOT_FOUND);
        };
        let mut requested = partitions.to_vec();
        crate::sort::sort(&mut requested);
        requested.dedup();
        let results: Vec<(TopicPartition, OffsetDeletion)> = requested
            .into_iter()
            .map(|tp| {
                let result = if self.partition_log(&tp).is_none() {
                    OffsetDeletion::UnknownTopicOrPartition
                } else if group.members.iter().any(|m| m.topics.contains(&tp.topic)) {
                    OffsetDeletion::GroupSubscribedToTopic
                } else {
                    OffsetDeletion::Deleted
                };
                (tp, result)
            })
            .collect();
        if let Some(group) = self.groups.get_mut(group_id) {
            for (tp, result) in &results {
                if *result == OffsetDeletion::Deleted {
                    group.committed.remove(tp);
                }
            }
        }
        Ok(vec![Event::OffsetsDeleted {
            group: group_id.to_string(),
            results,
        }])
    }
}

/// The tick at which the coordinator removes a member whose heartbeats stopped: the first
/// tick more than `session.timeout.ms` after its last heartbeat.
pub fn session_expiry_tick(member: &Member) -> u64 {
    member
        .last_heartbeat_tick
        .saturating_add(ms_to_ticks(member.session_timeout_ms))
        .saturating_add(1)
}
