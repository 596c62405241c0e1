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

use super::assign::Strategy;
use super::assign::{self, MemberSubscription};
use super::consumer::ClassicMembership;
use super::event::{Event, LeaveReason, OffsetDeletion};
use super::group::{CommittedOffset, Group, GroupState, Member, MemberJoin, Ownership, Rebalance};
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
        match self.groups.get_mut(group_id) {
            Some(group) => Self::prepare_group_rebalance(group, now, reason),
            None => Vec::new(),
        }
    }

    /// [`Self::prepare_rebalance`] on a group already at hand.
    pub(super) fn prepare_group_rebalance(
        group: &mut Group,
        now: u64,
        reason: String,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        let timeout_ticks = group
            .members
            .iter()
            .map(|m| ms_to_ticks(m.rebalance_timeout_ms))
            .max()
            .unwrap_or(0);
        for m in &mut group.members {
            m.join = MemberJoin::Awaited;
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
            group: group.id.clone(),
            generation: group.generation,
            reason,
        });
        events
    }

    /// What a consumer's JoinGroup carries, read from the client once.
    fn join_request(&self, client_id: &str) -> Option<JoinRequest> {
        let consumer = self.consumers.get(client_id)?;
        let group_id = consumer.group.clone()?;
        let generation = consumer.membership.generation();
        Some(JoinRequest {
            group_id,
            client_id: client_id.to_string(),
            member_id: consumer.membership.member_id().map(str::to_string),
            generation,
            group_instance_id: consumer.config.group_instance_id.clone(),
            topics: consumer.topics.clone(),
            assignors: consumer.config.assignors.clone(),
            // ownedPartitions: what it still owns (nothing, after an eager revoke). The
            // eager StickyAssignor reads its last assignment from userData instead.
            join: MemberJoin::Joined {
                owned: generation.map(|generation| Ownership {
                    partitions: consumer.assignment.clone(),
                    generation,
                }),
                sticky_user_data: consumer.last_assignment.clone(),
            },
            session_timeout_ms: consumer.config.session_timeout_ms,
            rebalance_timeout_ms: consumer.config.max_poll_interval_ms,
        })
    }

    /// A consumer's JoinGroup: a member the group knows rejoins, a static member takes
    /// over its old membership under a new id, or a new member is added.
    pub(super) fn join_group(&mut self, client_id: &str) -> Vec<Event> {
        let Some(request) = self.join_request(client_id) else {
            return Vec::new();
        };
        let group_id = request.group_id.clone();
        let group = self
            .groups
            .entry(group_id.clone())
            .or_insert_with(|| Group::new(group_id.clone()));
        if group.state == GroupState::Dead {
            *group = Group::new(group_id.clone());
        }
        if let Some(events) = self.classic_join_to_consumer_group(&request) {
            return events;
        }
        let Some(group) = self.groups.get_mut(&group_id) else {
            return Vec::new();
        };
        // INCONSISTENT_GROUP_PROTOCOL: no assignor that every member supports.
        let others_ok = group
            .members
            .iter()
            .filter(|m| Some(&m.member_id) != request.member_id.as_ref())
            .all(|m| m.assignors.iter().any(|s| request.assignors.contains(s)));
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
        let known = request
            .member_id
            .as_ref()
            .filter(|id| group.member(id).is_some())
            .cloned();
        let static_position = request.group_instance_id.as_ref().and_then(|instance| {
            group
                .members
                .iter()
                .position(|m| m.group_instance_id.as_ref() == Some(instance))
        });
        match (known, static_position) {
            (Some(member_id), _) => self.rejoin_known_member(request, member_id),
            (None, Some(position)) => self.replace_static_member(request, position),
            (None, None) => self.add_new_member(request),
        }
    }

    /// A member the group knows sends JoinGroup again: in a settled group that starts a
    /// rebalance.
    fn rejoin_known_member(&mut self, request: JoinRequest, member_id: String) -> Vec<Event> {
        let now = self.tick;
        let mut events = Vec::new();
        let Some(group) = self.groups.get_mut(&request.group_id) else {
            return events;
        };
        let state = group.state;
        if matches!(state, GroupState::Stable | GroupState::CompletingRebalance) {
            let reason = format!(
                "Updating metadata for member {member_id} during {}",
                state.name()
            );
            events.extend(Self::prepare_group_rebalance(group, now, reason));
        }
        if let Some(m) = group.member_mut(&member_id) {
            *m = request.member(member_id.clone(), Vec::new(), now);
        }
        events.push(request.join_requested(&member_id));
        self.set_membership(&request, request.joining(member_id));
        events
    }

    /// A static member comes back with a new client (or after it forgot its id): it takes
    /// over its old membership under a new member id. In a stable group with an unchanged
    /// subscription it gets its old assignment back at once, without a rebalance.
    fn replace_static_member(&mut self, request: JoinRequest, position: usize) -> Vec<Event> {
        let now = self.tick;
        let mut events = Vec::new();
        let Some(instance) = request.group_instance_id.clone() else {
            return events;
        };
        // Kafka names a static member after its group.instance.id.
        let new_id = self.new_member_id(&instance);
        let Some(group) = self.groups.get_mut(&request.group_id) else {
            return events;
        };
        let Some(old) = group.members.get(position) else {
            return events;
        };
        let unchanged = old.topics == request.topics && old.assignors == request.assignors;
        let assignment = old.assignment.clone();
        let old_id = old.member_id.clone();
        if group.leader.as_ref() == Some(&old_id) {
            group.leader = Some(new_id.clone());
        }
        group.members[position] = request.member(new_id.clone(), assignment.clone(), now);
        events.push(request.join_requested(&new_id));
        let state = group.state;
        if state == GroupState::Stable && unchanged {
            let generation = group.generation;
            events.push(Event::StaticMemberRejoined {
                group: request.group_id.clone(),
                client_id: request.client_id.clone(),
                group_instance_id: instance,
            });
            // The JoinGroup response carries the current generation; SyncGroup returns
            // the old assignment.
            self.set_membership(
                &request,
                ClassicMembership::Syncing {
                    member_id: new_id.clone(),
                    generation,
                    rejoin_needed: false,
                },
            );
            events.extend(self.deliver_assignment(
                &request.client_id,
                &new_id,
                &request.group_id,
                generation,
                assignment,
            ));
            return events;
        }
        if matches!(state, GroupState::Stable | GroupState::CompletingRebalance) {
            let reason = format!(
                "Updating metadata for static member {instance} during {}",
                state.name()
            );
            events.extend(Self::prepare_group_rebalance(group, now, reason));
            if let Some(m) = group.members.get_mut(position) {
                m.join = request.join.clone();
            }
        }
        self.set_membership(&request, request.joining(new_id));
        events
    }

    /// A new member: a static one is named after its group.instance.id, as in Kafka.
    fn add_new_member(&mut self, request: JoinRequest) -> Vec<Event> {
        let now = self.tick;
        let delay_ticks = ms_to_ticks(self.broker.group_initial_rebalance_delay_ms);
        let mut events = Vec::new();
        let name = request
            .group_instance_id
            .as_deref()
            .unwrap_or(&request.client_id)
            .to_string();
        let member_id = self.new_member_id(&name);
        let Some(group) = self.groups.get_mut(&request.group_id) else {
            return events;
        };
        let state = group.state;
        group
            .members
            .push(request.member(member_id.clone(), Vec::new(), now));
        events.push(request.join_requested(&member_id));
        match state {
            GroupState::Empty | GroupState::Dead => {
                let reason = format!("Adding new member {member_id}");
                events.extend(Self::prepare_group_rebalance(group, now, reason));
                if let Some(r) = group.rebalance.as_mut() {
                    // InitialDelayedJoin: wait a little for more members.
                    r.not_before_tick = now + delay_ticks;
                }
                // An empty group has no other member: the new one is the whole join.
                for m in &mut group.members {
                    m.join = request.join.clone();
                }
            }
            GroupState::Stable | GroupState::CompletingRebalance => {
                let reason = format!("Adding new member {member_id}");
                events.extend(Self::prepare_group_rebalance(group, now, reason));
                if let Some(m) = group.member_mut(&member_id) {
                    m.join = request.join.clone();
                }
            }
            GroupState::PreparingRebalance => {
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
        self.set_membership(&request, request.joining(member_id));
        events
    }

    /// The client's side of a JoinGroup exchange: its own membership changes (the request
    /// names the client it came from).
    fn set_membership(&mut self, request: &JoinRequest, membership: ClassicMembership) {
        if let Some(c) = self.consumers.get_mut(&request.client_id) {
            c.membership = membership;
        }
    }

    /// Removes a member (LeaveGroup, session expiry, poll timeout) and rebalances.
    pub(super) fn remove_member(
        &mut self,
        group_id: &str,
        member_id: &str,
        reason: LeaveReason,
    ) -> Vec<Event> {
        if let Some(events) = self.classic_leave_consumer_group(group_id, member_id, reason) {
            return events;
        }
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
        // A group whose coordinator is not available has nobody running its timers.
        let unavailable = self.groups_without_coordinator();
        let ids: Vec<String> = self
            .groups
            .keys()
            .filter(|g| !unavailable.contains(*g))
            .cloned()
            .collect();
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
                    let all_joined = group.members.iter().all(|m| m.join.is_joined());
                    if all_joined && now >= r.not_before_tick {
                        events.extend(self.complete_join(&id));
                    } else if now >= r.deadline_tick && now >= r.not_before_tick {
                        let late: Vec<String> = group
                            .members
                            .iter()
                            .filter(|m| !m.join.is_joined())
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
        // The JoinGroup responses go to the members' own clients, each addressed to its
        // member id: a member whose client has gone (a removed static member waiting out its
        // session) answers nobody, even when a new client with the same client id now reads
        // in another group.
        let members: Vec<(String, String)> = group
            .members
            .iter()
            .map(|m| (m.client_id.clone(), m.member_id.clone()))
            .collect();
        for (client, member_id) in members {
            self.receive_join_response(&client, group_id, &member_id, generation);
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
            .map(|m| {
                let reported = match &m.join {
                    MemberJoin::Joined {
                        sticky_user_data, ..
                    } if strategy == Strategy::Sticky => sticky_user_data.as_ref(),
                    MemberJoin::Joined { owned, .. } => owned.as_ref(),
                    MemberJoin::Awaited => None,
                };
                MemberSubscription {
                    member_id: m.member_id.clone(),
                    group_instance_id: m.group_instance_id.clone(),
                    topics: m.topics.clone(),
                    owned: reported.map(|o| o.partitions.clone()).unwrap_or_default(),
                    generation: reported.map(|o| o.generation),
                }
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
            events.extend(
                self.deliver_assignment(&client, &member_id, group_id, generation, partitions),
            );
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
        let (reachable, mut noticed) = self.reach_coordinator(client_id);
        if !reachable {
            noticed.push(Event::CommitFailed {
                client_id: client_id.to_string(),
                reason: crate::engine::cluster::COMMIT_COORDINATOR_NOT_AVAILABLE.into(),
            });
            return noticed;
        }
        let Some(consumer) = self.consumers.get(client_id) else {
            return noticed;
        };
        let subscriber = consumer.is_subscriber();
        let member_id = consumer.membership.member_id().map(str::to_string);
        let generation = consumer.membership.generation();
        let modern_verdict = self.modern_commit_allowed(client_id, &group_id);
        let group = self
            .groups
            .entry(group_id.clone())
            .or_insert_with(|| Group::new(group_id.clone()));
        let allowed = if let Some(verdict) = modern_verdict {
            verdict
        } else if subscriber {
            member_id
                .as_ref()
                .is_some_and(|id| group.member(id).is_some())
                && generation == Some(group.generation)
                && group.state != GroupState::CompletingRebalance
        } else {
            group.members.is_empty()
        };
        if !allowed {
            noticed.push(Event::CommitFailed {
                client_id: client_id.to_string(),
                reason: COMMIT_FAILED.into(),
            });
            return noticed;
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
        if !changed.is_empty() {
            noticed.push(Event::OffsetsCommitted {
                group: group_id,
                client_id: Some(client_id.to_string()),
                offsets: changed,
            });
        }
        noticed
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
            Some(g) if !g.members.is_empty() || g.has_modern_members() => rejected(format!(
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
                } else if group.members.iter().any(|m| m.topics.contains(&tp.topic))
                    || group.modern.as_ref().is_some_and(|m| {
                        m.core
                            .members
                            .iter()
                            .any(|m| m.subscribed.contains(&tp.topic))
                    })
                {
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

/// What a consumer's JoinGroup carries, read once from its client.
pub(super) struct JoinRequest {
    pub(super) group_id: String,
    /// The client it came from: the response goes back to it alone.
    pub(super) client_id: String,
    /// The member id the client already has, if any.
    pub(super) member_id: Option<String>,
    /// The client's generation, kept while it joins (its commits name it).
    generation: Option<i32>,
    pub(super) group_instance_id: Option<String>,
    pub(super) topics: Vec<String>,
    assignors: Vec<Strategy>,
    /// `MemberJoin::Joined` with what it reports owning.
    pub(super) join: MemberJoin,
    session_timeout_ms: i64,
    rebalance_timeout_ms: i64,
}

impl JoinRequest {
    /// The coordinator's member for this request, under `member_id`.
    pub(super) fn member(
        &self,
        member_id: String,
        assignment: Vec<TopicPartition>,
        now: u64,
    ) -> Member {
        Member {
            member_id,
            client_id: self.client_id.clone(),
            host: "/127.0.0.1".to_string(),
            group_instance_id: self.group_instance_id.clone(),
            topics: self.topics.clone(),
            assignors: self.assignors.clone(),
            join: self.join.clone(),
            assignment,
            last_heartbeat_tick: now,
            session_timeout_ms: self.session_timeout_ms,
            rebalance_timeout_ms: self.rebalance_timeout_ms,
        }
    }

    pub(super) fn join_requested(&self, member_id: &str) -> Event {
        Event::JoinRequested {
            group: self.group_id.clone(),
            client_id: self.client_id.clone(),
            member_id: member_id.to_string(),
        }
    }

    /// The client's membership once this JoinGroup is sent under `member_id`.
    fn joining(&self, member_id: String) -> ClassicMembership {
        ClassicMembership::Joining {
            member_id,
            generation: self.generation,
            rejoin_needed: false,
        }
    }
}
