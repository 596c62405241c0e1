//! What each running consumer does every tick: heartbeat, leave on poll timeout, process
//! fetched records at its own speed, and poll (rejoin if needed, auto-commit, fetch); and
//! the SyncGroup answer that hands it its partitions.

use super::reset_client_state;
use crate::engine::consumer::{
    ClassicMembership, CommitMode, Consumer, ConsumerStatus, FetchedRange, OffsetReset,
};
use crate::engine::event::{Event, LeaveReason, ResetCause};
use crate::engine::group::Ownership;
use crate::engine::time::{ms_to_ticks, MS_PER_TICK};
use crate::engine::txn;
use crate::engine::{Engine, GroupState, TopicPartition};

/// Thousandths of a record per record.
const MILLI: u64 = 1000;
/// `retry.backoff.max.ms` (default 1 s): the longest a client waits before it asks again for
/// metadata that came back with an error.
const RETRY_BACKOFF_MAX_MS: i64 = 1000;

impl Engine {
    /// Every running consumer, in client-id order.
    pub(in crate::engine) fn tick_consumers(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let ids: Vec<String> = self
            .consumers
            .iter()
            .filter(|(_, c)| c.is_running())
            .map(|(id, _)| id.clone())
            .collect();
        for id in ids {
            if self.is_modern_subscriber(&id) {
                events.extend(self.tick_modern_consumer(&id));
                continue;
            }
            events.extend(self.heartbeat(&id));
            events.extend(self.check_poll_timeout(&id));
            let held = self.pipeline_watch(&id);
            events.extend(self.process(&id));
            if let Some(held) = held {
                events.extend(self.pipeline_step(&id, held));
            }
            if self
                .consumers
                .get(&id)
                .is_some_and(|c| c.is_running() && c.in_flight.is_empty())
            {
                events.extend(self.poll(&id));
            }
        }
        events
    }

    /// The background heartbeat thread: keeps the session alive and learns of rebalances.
    fn heartbeat(&mut self, client_id: &str) -> Vec<Event> {
        let now = self.tick;
        let Some(c) = self.consumers.get(client_id) else {
            return Vec::new();
        };
        let (Some(group_id), Some(member_id)) = (
            c.group.clone(),
            c.membership.member_id().map(str::to_string),
        ) else {
            return Vec::new();
        };
        if !c.is_subscriber()
            || now.saturating_sub(c.last_heartbeat_tick)
                < ms_to_ticks(c.config.heartbeat_interval_ms).max(1)
        {
            return Vec::new();
        }
        let (reachable, noticed) = self.reach_coordinator(client_id);
        if !reachable {
            // Nothing answers the heartbeat: the client tries again at the next interval.
            if let Some(c) = self.consumers.get_mut(client_id) {
                c.last_heartbeat_tick = now;
            }
            return noticed;
        }
        let in_consumer_group = self.classic_heartbeat_to_consumer_group(&group_id, &member_id);
        let group = self.groups.get_mut(&group_id);
        let known = match (in_consumer_group, group) {
            (Some(rejoin), _) => rejoin,
            (None, group) => match group {
                Some(g) => {
                    let preparing = g.state == GroupState::PreparingRebalance;
                    match g.member_mut(&member_id) {
                        Some(m) => {
                            m.last_heartbeat_tick = now;
                            Some(preparing && !m.join.is_joined())
                        }
                        None => None,
                    }
                }
                None => None,
            },
        };
        let Some(c) = self.consumers.get_mut(client_id) else {
            return Vec::new();
        };
        c.last_heartbeat_tick = now;
        let mut events = noticed;
        events.extend(match known {
            Some(true) => {
                c.membership.request_rejoin();
                Vec::new()
            }
            Some(false) => Vec::new(),
            None => {
                // UNKNOWN_MEMBER_ID: the coordinator removed it; its partitions are lost (no commit).
                let lost = std::mem::take(&mut c.assignment);
                reset_client_state(c);
                let mut events = self.drop_in_flight(client_id, None);
                if !lost.is_empty() {
                    events.push(Event::PartitionsRevoked {
                        group: group_id,
                        client_id: client_id.to_string(),
                        partitions: lost,
                    });
                }
                events
            }
        });
        events
    }

    /// `max.poll.interval.ms` exceeded: the client leaves the group on its own.
    fn check_poll_timeout(&mut self, client_id: &str) -> Vec<Event> {
        let now = self.tick;
        let Some(c) = self.consumers.get(client_id) else {
            return Vec::new();
        };
        let member_id = match &c.membership {
            ClassicMembership::Joining { member_id, .. }
            | ClassicMembership::Syncing { member_id, .. }
            | ClassicMembership::Stable { member_id, .. } => member_id.clone(),
            ClassicMembership::Unjoined | ClassicMembership::Lapsed { .. } => return Vec::new(),
        };
        if !c.is_subscriber() {
            return Vec::new();
        }
        if now.saturating_sub(c.last_poll_tick) <= ms_to_ticks(c.config.max_poll_interval_ms) {
            return Vec::new();
        }
        let is_static = c.config.group_instance_id.is_some();
        let Some(group) = c.group.clone() else {
            return Vec::new();
        };
        let mut events = Vec::new();
        if let Some(c) = self.consumers.get_mut(client_id) {
            let lost = std::mem::take(&mut c.assignment);
            // The application is still busy with the records its last poll returned: it
            // finishes them, and only its next poll() rejoins the group.
            let busy = std::mem::take(&mut c.in_flight);
            reset_client_state(c);
            c.in_flight = busy;
            if !lost.is_empty() {
                events.push(Event::PartitionsRevoked {
                    group: group.clone(),
                    client_id: client_id.to_string(),
                    partitions: lost,
                });
            }
            if is_static {
                // No LeaveGroup: the coordinator keeps the membership for its session.
                c.membership = ClassicMembership::Lapsed {
                    member_id: member_id.clone(),
                };
            }
        }
        if !is_static {
            events.extend(self.remove_member(&group, &member_id, LeaveReason::PollTimeout));
        }
        events
    }

    /// The application processes fetched records at the consumer's processing rate.
    pub(in crate::engine) fn process(&mut self, client_id: &str) -> Vec<Event> {
        let Some(c) = self.consumers.get_mut(client_id) else {
            return Vec::new();
        };
        let per_tick = c
            .config
            .processing_millirecords_per_second
            .saturating_mul(MS_PER_TICK as u64)
            / 1000;
        if c.in_flight.is_empty() {
            c.credit_millirecords = 0;
            return Vec::new();
        }
        c.credit_millirecords = c.credit_millirecords.saturating_add(per_tick);
        let mut spans: Vec<(TopicPartition, i64, i64)> = Vec::new();
        while c.credit_millirecords >= MILLI {
            let Some(range) = c.in_flight.front_mut() else {
                break;
            };
            let Some(offset) = range.offsets.pop_front() else {
                c.in_flight.pop_front();
                continue;
            };
            c.credit_millirecords -= MILLI;
            c.records_processed += 1;
            c.processed.insert(range.partition.clone(), offset + 1);
            match spans.last_mut() {
                Some((tp, _, to)) if *tp == range.partition => *to = offset + 1,
                _ => spans.push((range.partition.clone(), offset, offset + 1)),
            }
            if range.offsets.is_empty() {
                c.in_flight.pop_front();
            }
        }
        let finished = c.in_flight.is_empty();
        let commit_after = finished && c.config.commit_mode == CommitMode::AfterProcessing;
        let offsets = Self::positions_to_commit(c);
        let mut events: Vec<Event> = spans
            .into_iter()
            .map(
                |(partition, from_offset, to_offset)| Event::RecordsProcessed {
                    client_id: client_id.to_string(),
                    partition,
                    from_offset,
                    to_offset,
                },
            )
            .collect();
        if commit_after {
            events.extend(self.commit_offsets(client_id, offsets));
        }
        events
    }

    /// `poll()`: rejoin if needed, auto-commit when due, then fetch.
    fn poll(&mut self, client_id: &str) -> Vec<Event> {
        let now = self.tick;
        let mut events = Vec::new();
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        c.last_poll_tick = now;
        let cooperative = c.config.is_cooperative();
        let has_group = c.group.is_some();
        let reachable = if has_group {
            let (reachable, noticed) = self.reach_coordinator(client_id);
            events.extend(noticed);
            reachable
        } else {
            true
        };
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        if !reachable {
            // ConsumerCoordinator.poll returns early while the coordinator is unknown: no
            // join, no auto-commit (it is due again once the coordinator is found).
            if c.is_subscriber() && c.membership.is_rebalancing() && !cooperative {
                return events;
            }
            events.extend(self.fetch(client_id));
            return events;
        }
        if c.is_subscriber() {
            if c.membership.rejoin_needed() {
                events.extend(self.prepare_join(client_id));
                events.extend(self.join_group(client_id));
            }
            let Some(c) = self.consumers.get(client_id) else {
                return events;
            };
            if !c.is_running() {
                return events;
            }
            if c.membership.is_rebalancing() && !cooperative {
                return events;
            }
            self.refresh_metadata(client_id);
        }
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        // Auto-commit of the positions the previous polls returned (at-least-once).
        if c.config.enable_auto_commit
            && c.group.is_some()
            && now.saturating_sub(c.last_auto_commit_tick)
                >= ms_to_ticks(c.config.auto_commit_interval_ms).max(1)
        {
            c.last_auto_commit_tick = now;
            let offsets = Self::positions_to_commit(c);
            events.extend(self.commit_offsets(client_id, offsets));
        }
        events.extend(self.fetch(client_id));
        events
    }

    /// `onJoinPrepare`: commit (with auto-commit), then revoke — everything under the
    /// eager protocol, only unsubscribed topics under the cooperative one.
    fn prepare_join(&mut self, client_id: &str) -> Vec<Event> {
        let mut events = Vec::new();
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        c.membership.clear_rejoin();
        let group = c.group.clone().unwrap_or_default();
        let auto_commit = c.config.enable_auto_commit && c.membership.member_id().is_some();
        let offsets = Self::positions_to_commit(c);
        if auto_commit && !offsets.is_empty() {
            events.extend(self.commit_offsets(client_id, offsets));
        }
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        let revoked: Vec<TopicPartition> = if c.config.is_cooperative() {
            c.assignment
                .iter()
                .filter(|tp| !c.topics.contains(&tp.topic))
                .cloned()
                .collect()
        } else {
            c.assignment.clone()
        };
        if !revoked.is_empty() {
            c.assignment.retain(|tp| !revoked.contains(tp));
            for tp in &revoked {
                c.positions.remove(tp);
            }
            events.push(Event::PartitionsRevoked {
                group,
                client_id: client_id.to_string(),
                partitions: revoked.clone(),
            });
            events.extend(self.drop_in_flight(client_id, Some(&revoked)));
        }
        events
    }

    /// The leader checks its metadata every `metadata.max.age.ms`: a subscribed topic that
    /// gained partitions (or appeared, or vanished) triggers a rejoin. While a topic of the
    /// group's subscription is missing from the metadata it last saw, that metadata carries an
    /// `UNKNOWN_TOPIC_OR_PARTITION` error, which asks for a refresh after the retry backoff
    /// (`Metadata.handleMetadataResponse`): a topic created later is noticed within a second.
    fn refresh_metadata(&mut self, client_id: &str) {
        let now = self.tick;
        let Some(c) = self.consumers.get(client_id) else {
            return;
        };
        let topic_missing = c
            .group
            .as_ref()
            .and_then(|g| self.groups.get(g))
            .is_some_and(|group| {
                group
                    .members
                    .iter()
                    .flat_map(|m| m.topics.iter())
                    .any(|t| !group.assigned_partition_counts.contains_key(t))
            });
        let max_age_ms = if topic_missing {
            c.config.metadata_max_age_ms.min(RETRY_BACKOFF_MAX_MS)
        } else {
            c.config.metadata_max_age_ms
        };
        let max_age_ticks = ms_to_ticks(max_age_ms).max(1);
        if c.last_metadata_tick
            .is_some_and(|last| now.saturating_sub(last) < max_age_ticks)
        {
            return;
        }
        let changed = c
            .group
            .as_ref()
            .and_then(|g| self.groups.get(g))
            .is_some_and(|group| {
                let member_id = c.membership.member_id();
                let is_leader = member_id.is_some() && group.leader.as_deref() == member_id;
                let stable = group.state == GroupState::Stable
                    && matches!(c.membership, ClassicMembership::Stable { .. });
                let subscribed: std::collections::BTreeSet<&String> =
                    group.members.iter().flat_map(|m| m.topics.iter()).collect();
                let current: std::collections::BTreeMap<String, u32> =
                    crate::sort::collect_map(subscribed.into_iter().filter_map(|t| {
                        self.topics
                            .get(t)
                            .map(|topic| (t.clone(), topic.n_partitions()))
                    }));
                is_leader && stable && current != group.assigned_partition_counts
            });
        if let Some(c) = self.consumers.get_mut(client_id) {
            c.last_metadata_tick = Some(now);
            if changed {
                c.membership.request_rejoin();
            }
        }
    }

    /// Where a consumer starts on a partition it has no position for: the committed offset,
    /// else `auto.offset.reset`.
    fn initial_position(&self, c: &Consumer, tp: &TopicPartition) -> Result<(i64, Event), Event> {
        let log = self.partition_log(tp).ok_or_else(|| Event::Rejected {
            reason: format!("{tp} does not exist"),
        })?;
        let committed = c
            .group
            .as_ref()
            .and_then(|g| self.groups.get(g))
            .and_then(|g| g.committed.get(tp))
            .map(|o| o.offset);
        if let Some(o) = committed {
            if o >= log.log_start_offset() && o <= log.log_end_offset() {
                return Ok((
                    o,
                    Event::PositionRestored {
                        client_id: c.client_id.clone(),
                        partition: tp.clone(),
                        offset: o,
                    },
                ));
            }
            return self.reset_position(c, tp, ResetCause::OutOfRange, o);
        }
        self.reset_position(c, tp, ResetCause::NoCommittedOffset, -1)
    }

    fn reset_position(
        &self,
        c: &Consumer,
        tp: &TopicPartition,
        cause: ResetCause,
        bad_offset: i64,
    ) -> Result<(i64, Event), Event> {
        let log = self.partition_log(tp).ok_or_else(|| Event::Rejected {
            reason: format!("{tp} does not exist"),
        })?;
        let offset = match c.config.auto_offset_reset {
            OffsetReset::Earliest => log.log_start_offset(),
            OffsetReset::Latest => log.fetch_end(c.config.isolation_level),
            OffsetReset::None => {
                let error = match cause {
                    ResetCause::NoCommittedOffset => format!("NoOffsetForPartitionException: Undefined offset with no reset policy for partitions: [{tp}]"),
                    ResetCause::OutOfRange => format!(
                        "OffsetOutOfRangeException: Fetch position FetchPosition{{offset={bad_offset}}} is out of range for partition {tp}"
                    ),
                };
                return Err(Event::ConsumerFailed {
                    client_id: c.client_id.clone(),
                    error,
                });
            }
        };
        Ok((
            offset,
            Event::PositionReset {
                client_id: c.client_id.clone(),
                partition: tp.clone(),
                offset,
                cause,
                policy: c.config.auto_offset_reset.as_str().to_string(),
            },
        ))
    }

    fn fail_consumer(&mut self, client_id: &str, event: Event) -> Vec<Event> {
        if let Event::ConsumerFailed { error, .. } = &event {
            if let Some(c) = self.consumers.get_mut(client_id) {
                c.status = ConsumerStatus::Failed(error.clone());
            }
        }
        vec![event]
    }

    /// Fetches up to `max.poll.records` from the owned partitions, taking turns.
    pub(in crate::engine) fn fetch(&mut self, client_id: &str) -> Vec<Event> {
        let mut events = Vec::new();
        let Some(c) = self.consumers.get(client_id) else {
            return events;
        };
        if c.paused || c.assignment.is_empty() {
            return events;
        }
        let partitions = c.assignment.clone();
        let start = c.fetch_cursor % partitions.len();
        let mut budget = c.config.max_poll_records as usize;
        let mut fetched_any = false;
        for i in 0..partitions.len() {
            let tp = &partitions[(start + i) % partitions.len()];
            let Some(c) = self.consumers.get(client_id) else {
                return events;
            };
            let mut position = match c.positions.get(tp) {
                Some(p) => *p,
                None => match self.initial_position(c, tp) {
                    Ok((p, e)) => {
                        events.push(e);
                        p
                    }
                    Err(e @ Event::ConsumerFailed { .. }) => {
                        events.extend(self.fail_consumer(client_id, e));
                        return events;
                    }
                    Err(_) => continue,
                },
            };
            if budget == 0 {
                // `updateFetchPositions` gives every owned partition a position before the
                // poll, also those this poll's records do not come from.
                if let Some(c) = self.consumers.get_mut(client_id) {
                    c.positions.entry(tp.clone()).or_insert(position);
                }
                continue;
            }
            let Some(log) = self.partition_log(tp) else {
                continue;
            };
            let isolation = c.config.isolation_level;
            let fetched = match txn::fetch::fetch(log, position, budget, isolation) {
                Ok(fetched) => fetched,
                Err(_) => match self.reset_position(c, tp, ResetCause::OutOfRange, position) {
                    Ok((p, e)) => {
                        events.push(e);
                        position = p;
                        txn::fetch::fetch(log, p, budget, isolation).unwrap_or_default()
                    }
                    Err(e) => {
                        events.extend(self.fail_consumer(client_id, e));
                        return events;
                    }
                },
            };
            let offsets = fetched.offsets;
            let Some(c) = self.consumers.get_mut(client_id) else {
                return events;
            };
            let new_position = fetched.next_position.max(position);
            c.positions.insert(tp.clone(), new_position);
            if !offsets.is_empty() {
                fetched_any = true;
                budget -= offsets.len();
                c.processed.entry(tp.clone()).or_insert(position);
                // One event per run of returned records: a read_committed reader's aborted
                // records between them were never given to it.
                events.extend(
                    fetched
                        .runs
                        .iter()
                        .map(|&(from, to)| Event::RecordsFetched {
                            client_id: client_id.to_string(),
                            partition: tp.clone(),
                            from_offset: from,
                            to_offset: to,
                        }),
                );
                c.in_flight.push_back(FetchedRange {
                    partition: tp.clone(),
                    offsets: offsets.into(),
                });
            }
        }
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        c.fetch_cursor = c.fetch_cursor.wrapping_add(1);
        if fetched_any && c.config.commit_mode == CommitMode::BeforeProcessing {
            let offsets = Self::positions_to_commit(c);
            events.extend(self.commit_offsets(client_id, offsets));
        }
        events
    }

    /// A JoinGroup response for `member_id` of `group` reaches the client: the client takes
    /// it only if its own membership is that member of that group, and waits for SyncGroup.
    pub(in crate::engine) fn receive_join_response(
        &mut self,
        client_id: &str,
        group: &str,
        member_id: &str,
        generation: i32,
    ) {
        let Some(c) = self.consumers.get_mut(client_id) else {
            return;
        };
        if c.membership.member_id() != Some(member_id) || c.group.as_deref() != Some(group) {
            return;
        }
        c.membership = ClassicMembership::Syncing {
            member_id: member_id.to_string(),
            generation,
            rejoin_needed: c.membership.rejoin_needed(),
        };
    }

    /// A member receives its assignment from SyncGroup (`onJoinComplete`). The response is
    /// addressed to `member_id`: a client that is not running, or whose membership names
    /// another member id, takes nothing.
    pub(in crate::engine) fn deliver_assignment(
        &mut self,
        client_id: &str,
        member_id: &str,
        group: &str,
        generation: i32,
        assigned: Vec<TopicPartition>,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        if !c.is_running() || c.membership.member_id() != Some(member_id) {
            return events;
        }
        let owned = c.assignment.clone();
        let revoked: Vec<TopicPartition> = owned
            .iter()
            .filter(|tp| !assigned.contains(tp))
            .cloned()
            .collect();
        let added: Vec<TopicPartition> = assigned
            .iter()
            .filter(|tp| !owned.contains(tp))
            .cloned()
            .collect();
        // Cooperative: give up only what moves, then rejoin for the second round.
        events.extend(self.revoke_partitions(group, client_id, &revoked));
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        // Cooperative: whatever it revoked is assigned in a second round.
        let rejoin_needed = c.membership.rejoin_needed() || !revoked.is_empty();
        c.assignment = assigned.clone();
        c.last_assignment = Some(Ownership {
            partitions: assigned.clone(),
            generation,
        });
        c.membership = ClassicMembership::Stable {
            member_id: member_id.to_string(),
            generation,
            rejoin_needed,
        };
        // ConsumerCoordinator.onJoinComplete reschedules the auto-commit from now, so a new
        // member's first auto-commit comes auto.commit.interval.ms after its assignment.
        c.last_auto_commit_tick = self.tick;
        events.push(Event::PartitionsAssigned {
            group: group.to_string(),
            client_id: client_id.to_string(),
            generation,
            partitions: assigned,
            added,
        });
        events
    }
}

impl Engine {
    /// A consumer gives partitions up (a cooperative round, or a consumer-protocol member's
    /// revocation): with auto-commit it commits their positions first, then it drops what it
    /// had fetched from them and forgets their positions. Nothing when `revoked` is empty.
    pub(in crate::engine) fn revoke_partitions(
        &mut self,
        group: &str,
        client_id: &str,
        revoked: &[TopicPartition],
    ) -> Vec<Event> {
        let mut events = Vec::new();
        let Some(c) = self.consumers.get(client_id) else {
            return events;
        };
        if revoked.is_empty() {
            return events;
        }
        if c.config.enable_auto_commit {
            let offsets: Vec<(TopicPartition, i64)> = revoked
                .iter()
                .filter_map(|tp| c.positions.get(tp).map(|o| (tp.clone(), *o)))
                .collect();
            events.extend(self.commit_offsets(client_id, offsets));
        }
        events.push(Event::PartitionsRevoked {
            group: group.to_string(),
            client_id: client_id.to_string(),
            partitions: revoked.to_vec(),
        });
        events.extend(self.drop_in_flight(client_id, Some(revoked)));
        if let Some(c) = self.consumers.get_mut(client_id) {
            for tp in revoked {
                c.positions.remove(tp);
            }
        }
        events
    }
}
