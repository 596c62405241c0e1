//! The consumer client: starting, stopping and crashing consumers, and what each running
//! consumer does every tick — heartbeat, leave on poll timeout, process fetched records at
//! its own speed, and poll (rejoin if needed, auto-commit, fetch).

use std::collections::VecDeque;

use super::consumer::{
    ClassicMembership, CommitMode, Consumer, ConsumerConfig, ConsumerStatus, FetchedRange,
    OffsetReset,
};
use super::event::{Event, LeaveReason, ResetCause};
use super::group::Ownership;
use super::time::{ms_to_ticks, MS_PER_TICK};
use super::{
    limits, over_limit, rejected, Engine, Outcome, Rejection, RejectionKind, SeekTarget,
    TopicPartition,
};

/// Thousandths of a record per record.
const MILLI: u64 = 1000;
/// `retry.backoff.max.ms` (default 1 s): the longest a client waits before it asks again for
/// metadata that came back with an error.
const RETRY_BACKOFF_MAX_MS: i64 = 1000;

impl Engine {
    fn running_consumer(&self, client_id: &str) -> Result<&Consumer, Rejection> {
        match self.consumers.get(client_id) {
            None => Err(Rejection::new(
                RejectionKind::Invalid,
                format!("Consumer {client_id} does not exist."),
            )),
            Some(c) if !c.is_running() => Err(Rejection::new(
                RejectionKind::Invalid,
                format!("Consumer {client_id} is not running."),
            )),
            Some(c) => Ok(c),
        }
    }

    pub(super) fn start_consumer(
        &mut self,
        client_id: &str,
        group: Option<&str>,
        topics: &[String],
        assign: &[TopicPartition],
        settings: &[(String, String)],
    ) -> Outcome {
        if client_id.trim().is_empty() || client_id.contains(char::is_whitespace) {
            return rejected("A consumer needs a client.id without spaces.");
        }
        if self.consumers.contains_key(client_id) {
            return rejected(format!("Consumer {client_id} already exists."));
        }
        if self.consumers.len() >= limits::MAX_CONSUMERS {
            return over_limit(limits::over("consumers", limits::MAX_CONSUMERS as u64));
        }
        if let Some(g) = group {
            let known = self.groups.contains_key(g)
                || self
                    .consumers
                    .values()
                    .any(|c| c.group.as_deref() == Some(g));
            if !known && self.group_count() >= limits::MAX_GROUPS {
                return over_limit(limits::over("consumer groups", limits::MAX_GROUPS as u64));
            }
        }
        if group.is_some_and(|g| g.trim().is_empty()) {
            return rejected("The group.id must not be empty.");
        }
        if topics.is_empty() && assign.is_empty() {
            return rejected("A consumer needs topics to subscribe to or partitions to assign.");
        }
        if !topics.is_empty() && !assign.is_empty() {
            return rejected(
                "Subscription to topics, partitions and pattern are mutually exclusive",
            );
        }
        if !topics.is_empty() && group.is_none() {
            return rejected("To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.");
        }
        for tp in assign {
            if self.partition_log(tp).is_none() {
                return rejected(format!("Partition {tp} does not exist."));
            }
        }
        let mut config = ConsumerConfig::default();
        for (k, v) in settings {
            if k == "client.id" && v.trim() != client_id {
                return rejected(format!(
                    "client.id {v} differs from the consumer's name {client_id}: in the simulator the name given to consumer start is its client.id."
                ));
            }
            if k == "client.id" || k == "group.id" {
                continue;
            }
            if let Err(e) = config.set(k, v) {
                return rejected(e);
            }
        }
        if let (Some(g), Some(instance)) = (group, config.group_instance_id.as_ref()) {
            if let Some(other) = self.consumers.values().find(|c| {
                c.is_running()
                    && c.group.as_deref() == Some(g)
                    && c.config.group_instance_id.as_ref() == Some(instance)
            }) {
                return rejected(format!(
                    "group.instance.id {instance} is already used by running consumer {} in group {g}.",
                    other.client_id
                ));
            }
        }
        let mut topics_sorted: Vec<String> = topics.to_vec();
        crate::sort::sort(&mut topics_sorted);
        topics_sorted.dedup();
        let mut manual = assign.to_vec();
        crate::sort::sort(&mut manual);
        manual.dedup();
        let mut consumer = Consumer::new(
            client_id.to_string(),
            group.map(str::to_string),
            topics_sorted,
            manual,
            config,
            self.tick,
        );
        // A subscriber starts Unjoined and joins at its first poll.
        if !consumer.is_subscriber() {
            consumer.assignment = consumer.manual.clone();
        }
        consumer.started_rank = self.consumers_started;
        self.consumers_started += 1;
        self.consumers.insert(client_id.to_string(), consumer);
        Ok(vec![Event::ConsumerStarted {
            client_id: client_id.to_string(),
            group: group.map(str::to_string),
        }])
    }

    /// Drops records fetched but not processed, with an event per partition.
    fn drop_in_flight(&mut self, client_id: &str, only: Option<&[TopicPartition]>) -> Vec<Event> {
        let Some(c) = self.consumers.get_mut(client_id) else {
            return Vec::new();
        };
        let mut events = Vec::new();
        let mut kept = VecDeque::new();
        for range in c.in_flight.drain(..) {
            if only.is_some_and(|o| !o.contains(&range.partition)) {
                kept.push_back(range);
                continue;
            }
            if let (Some(first), Some(last)) = (range.offsets.front(), range.offsets.back()) {
                events.push(Event::RecordsDropped {
                    client_id: client_id.to_string(),
                    partition: range.partition.clone(),
                    from_offset: *first,
                    to_offset: last + 1,
                });
            }
        }
        c.in_flight = kept;
        events
    }

    /// The current positions of the owned partitions, to commit.
    fn positions_to_commit(c: &Consumer) -> Vec<(TopicPartition, i64)> {
        c.assignment
            .iter()
            .filter_map(|tp| c.positions.get(tp).map(|o| (tp.clone(), *o)))
            .collect()
    }

    pub(super) fn stop_consumer(&mut self, client_id: &str) -> Outcome {
        let c = self.running_consumer(client_id)?;
        let mut events = Vec::new();
        // close(): auto-commit commits the positions, then the partitions are revoked.
        let auto_commit = c.config.enable_auto_commit && c.group.is_some();
        let offsets = Self::positions_to_commit(c);
        let owned = c.assignment.clone();
        let subscriber = c.is_subscriber();
        let is_static = c.config.group_instance_id.is_some();
        let member = c
            .membership
            .member_id()
            .map(str::to_string)
            .zip(c.group.clone());
        events.extend(self.drop_in_flight(client_id, None));
        if auto_commit {
            events.extend(self.commit_offsets(client_id, offsets));
        }
        if subscriber && !owned.is_empty() {
            events.push(Event::PartitionsRevoked {
                group: self.consumers[client_id].group.clone().unwrap_or_default(),
                client_id: client_id.to_string(),
                partitions: owned,
            });
        }
        if let Some(c) = self.consumers.get_mut(client_id) {
            c.status = ConsumerStatus::Stopped;
            reset_client_state(c);
        }
        events.push(Event::ConsumerStopped {
            client_id: client_id.to_string(),
        });
        if let Some((member_id, group)) = member {
            // A static member does not send LeaveGroup: the coordinator waits for its session to expire.
            if subscriber && !is_static {
                events.extend(self.remove_member(&group, &member_id, LeaveReason::Left));
            }
        }
        Ok(events)
    }

    pub(super) fn crash_consumer(&mut self, client_id: &str) -> Outcome {
        self.running_consumer(client_id)?;
        let mut events = self.drop_in_flight(client_id, None);
        if let Some(c) = self.consumers.get_mut(client_id) {
            c.status = ConsumerStatus::Crashed;
        }
        events.push(Event::ConsumerCrashed {
            client_id: client_id.to_string(),
        });
        Ok(events)
    }

    pub(super) fn restart_consumer(&mut self, client_id: &str) -> Outcome {
        let Some(c) = self.consumers.get(client_id) else {
            return rejected(format!("Consumer {client_id} does not exist."));
        };
        if c.is_running() {
            return rejected(format!("Consumer {client_id} is already running."));
        }
        if let (Some(g), Some(instance)) = (c.group.as_ref(), c.config.group_instance_id.as_ref()) {
            if let Some(other) = self.consumers.values().find(|o| {
                o.client_id != client_id
                    && o.is_running()
                    && o.group.as_ref() == Some(g)
                    && o.config.group_instance_id.as_ref() == Some(instance)
            }) {
                return rejected(format!(
                    "group.instance.id {instance} is already used by running consumer {}.",
                    other.client_id
                ));
            }
        }
        let now = self.tick;
        let Some(c) = self.consumers.get_mut(client_id) else {
            return Ok(Vec::new());
        };
        let fresh = Consumer::new(
            c.client_id.clone(),
            c.group.clone(),
            c.topics.clone(),
            c.manual.clone(),
            c.config.clone(),
            now,
        );
        let started_rank = c.started_rank;
        *c = fresh;
        c.started_rank = started_rank;
        if !c.is_subscriber() {
            c.assignment = c.manual.clone();
        }
        Ok(vec![Event::ConsumerStarted {
            client_id: client_id.to_string(),
            group: c.group.clone(),
        }])
    }

    pub(super) fn remove_consumer(&mut self, client_id: &str) -> Outcome {
        let Some(c) = self.consumers.get(client_id) else {
            return rejected(format!("Consumer {client_id} does not exist."));
        };
        let mut events = if c.is_running() {
            self.stop_consumer(client_id)?
        } else {
            Vec::new()
        };
        self.consumers.remove(client_id);
        events.push(Event::ConsumerRemoved {
            client_id: client_id.to_string(),
        });
        Ok(events)
    }

    pub(super) fn set_consumer_config(
        &mut self,
        client_id: &str,
        key: &str,
        value: &str,
    ) -> Outcome {
        let Some(c) = self.consumers.get_mut(client_id) else {
            return rejected(format!("Consumer {client_id} does not exist."));
        };
        if key == "group.instance.id" && c.is_running() {
            return rejected(
                "group.instance.id can only be changed while the consumer is stopped.",
            );
        }
        let mut config = c.config.clone();
        if let Err(e) = config.set(key, value) {
            return rejected(e);
        }
        let strategy_changed = config.assignors != c.config.assignors;
        c.config = config;
        if strategy_changed && c.is_subscriber() && c.is_running() {
            // The new assignor list travels in the next JoinGroup.
            c.membership.request_rejoin();
        }
        let value = c.config.get(key).unwrap_or_else(|| value.to_string());
        Ok(vec![Event::ConsumerConfigChanged {
            client_id: client_id.to_string(),
            key: key.to_string(),
            value,
        }])
    }

    pub(super) fn pause_consumer(&mut self, client_id: &str, paused: bool) -> Outcome {
        self.running_consumer(client_id)?;
        if let Some(c) = self.consumers.get_mut(client_id) {
            c.paused = paused;
        }
        let client_id = client_id.to_string();
        Ok(vec![if paused {
            Event::ConsumerPaused { client_id }
        } else {
            Event::ConsumerResumed { client_id }
        }])
    }

    pub(super) fn seek(
        &mut self,
        client_id: &str,
        partition: Option<&TopicPartition>,
        to: SeekTarget,
    ) -> Outcome {
        let c = self.running_consumer(client_id)?;
        let targets: Vec<TopicPartition> = match partition {
            Some(tp) if !c.assignment.contains(tp) => {
                return rejected(format!("No current assignment for partition {tp}"));
            }
            Some(tp) => vec![tp.clone()],
            None if c.assignment.is_empty() => {
                return rejected(format!(
                    "Consumer {client_id} has no partitions assigned to seek."
                ));
            }
            None => c.assignment.clone(),
        };
        let mut moves = Vec::new();
        for tp in targets {
            let Some(log) = self.partition_log(&tp) else {
                continue;
            };
            let offset = match to {
                SeekTarget::Beginning => log.log_start_offset(),
                SeekTarget::End => log.high_watermark(),
                SeekTarget::Offset(o) if o < 0 => return rejected("seek offset must not be a negative number"),
                SeekTarget::Offset(o) if o > log.log_end_offset() => {
                    return rejected(format!(
                        "Offset {o} is past the end of {tp} (log end offset {}); Kafka would reset it with auto.offset.reset.",
                        log.log_end_offset()
                    ))
                }
                SeekTarget::Offset(o) => o,
                SeekTarget::Timestamp(ms) => log.offset_for_timestamp(ms).unwrap_or_else(|| log.high_watermark()),
            };
            moves.push((tp, offset));
        }
        let Some(c) = self.consumers.get_mut(client_id) else {
            return Ok(Vec::new());
        };
        let mut events = Vec::new();
        for (tp, offset) in moves {
            c.positions.insert(tp.clone(), offset);
            events.push(Event::Seeked {
                client_id: client_id.to_string(),
                partition: tp,
                offset,
            });
        }
        Ok(events)
    }

    pub(super) fn commit_sync(&mut self, client_id: &str) -> Outcome {
        let c = self.running_consumer(client_id)?;
        let offsets = Self::positions_to_commit(c);
        if offsets.is_empty() && c.group.is_some() {
            return rejected(format!(
                "Consumer {client_id} has no positions to commit yet."
            ));
        }
        Ok(self.commit_offsets(client_id, offsets))
    }

    /// A topic was deleted or changed: consumers reading it refresh their metadata now
    /// (a deleted topic makes their fetches fail, which forces a refresh in Kafka).
    pub(super) fn on_metadata_change(&mut self, topic: &str) -> Vec<Event> {
        let exists = self.topics.get(topic).map(|t| t.n_partitions());
        let mut events = Vec::new();
        let ids: Vec<String> = self.consumers.keys().cloned().collect();
        for id in ids {
            let Some(c) = self.consumers.get_mut(&id) else {
                continue;
            };
            if exists.is_none() {
                let gone: Vec<TopicPartition> = c
                    .assignment
                    .iter()
                    .filter(|tp| tp.topic == topic)
                    .cloned()
                    .collect();
                c.manual.retain(|tp| tp.topic != topic);
                c.positions.retain(|tp, _| tp.topic != topic);
                c.processed.retain(|tp, _| tp.topic != topic);
                if !c.is_subscriber() {
                    c.assignment.retain(|tp| tp.topic != topic);
                }
                if c.topics.iter().any(|t| t == topic) {
                    c.last_metadata_tick = None;
                }
                if !gone.is_empty() {
                    events.extend(self.drop_in_flight(&id, Some(&gone)));
                }
            }
        }
        events
    }

    /// Every running consumer, in client-id order.
    pub(super) fn tick_consumers(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let ids: Vec<String> = self
            .consumers
            .iter()
            .filter(|(_, c)| c.is_running())
            .map(|(id, _)| id.clone())
            .collect();
        for id in ids {
            events.extend(self.heartbeat(&id));
            events.extend(self.check_poll_timeout(&id));
            events.extend(self.process(&id));
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
        let group = self.groups.get_mut(&group_id);
        let known = match group {
            Some(g) => {
                let preparing = g.state == super::GroupState::PreparingRebalance;
                match g.member_mut(&member_id) {
                    Some(m) => {
                        m.last_heartbeat_tick = now;
                        Some(preparing && !m.join.is_joined())
                    }
                    None => None,
                }
            }
            None => None,
        };
        let Some(c) = self.consumers.get_mut(client_id) else {
            return Vec::new();
        };
        c.last_heartbeat_tick = now;
        match known {
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
        }
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
    fn process(&mut self, client_id: &str) -> Vec<Event> {
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
                let stable = group.state == super::GroupState::Stable
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
            OffsetReset::Latest => log.high_watermark(),
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
    fn fetch(&mut self, client_id: &str) -> Vec<Event> {
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
            if budget == 0 {
                break;
            }
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
            let Some(log) = self.partition_log(tp) else {
                continue;
            };
            let offsets: Vec<i64> = match log.read(position, budget) {
                Ok(records) => records.iter().map(|r| r.offset).collect(),
                Err(_) => match self.reset_position(c, tp, ResetCause::OutOfRange, position) {
                    Ok((p, e)) => {
                        events.push(e);
                        position = p;
                        log.read(p, budget)
                            .map(|rs| rs.iter().map(|r| r.offset).collect())
                            .unwrap_or_default()
                    }
                    Err(e) => {
                        events.extend(self.fail_consumer(client_id, e));
                        return events;
                    }
                },
            };
            let Some(c) = self.consumers.get_mut(client_id) else {
                return events;
            };
            let new_position = offsets.last().map_or(position, |o| o + 1);
            c.positions.insert(tp.clone(), new_position);
            if !offsets.is_empty() {
                fetched_any = true;
                budget -= offsets.len();
                c.processed.entry(tp.clone()).or_insert(position);
                events.push(Event::RecordsFetched {
                    client_id: client_id.to_string(),
                    partition: tp.clone(),
                    from_offset: position,
                    to_offset: new_position,
                });
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

    /// A member receives its assignment from SyncGroup (`onJoinComplete`); the response
    /// is addressed to `member_id` on its client.
    pub(super) fn deliver_assignment(
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
        let auto_commit = c.config.enable_auto_commit;
        let commit_before_revoke: Vec<(TopicPartition, i64)> = revoked
            .iter()
            .filter_map(|tp| c.positions.get(tp).map(|o| (tp.clone(), *o)))
            .collect();
        if !revoked.is_empty() {
            // Cooperative: give up only what moves, then rejoin for the second round.
            if auto_commit {
                events.extend(self.commit_offsets(client_id, commit_before_revoke));
            }
            events.push(Event::PartitionsRevoked {
                group: group.to_string(),
                client_id: client_id.to_string(),
                partitions: revoked.clone(),
            });
            events.extend(self.drop_in_flight(client_id, Some(&revoked)));
        }
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        for tp in &revoked {
            c.positions.remove(tp);
        }
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

/// Forgets membership, positions and fetched records (after close, loss or expiry); a
/// subscriber rejoins at its next poll.
fn reset_client_state(c: &mut Consumer) {
    c.membership = ClassicMembership::Unjoined;
    c.assignment = if c.is_subscriber() {
        Vec::new()
    } else {
        c.manual.clone()
    };
    c.positions.clear();
    c.in_flight.clear();
}
