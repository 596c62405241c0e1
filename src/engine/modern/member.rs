//! The client's side of the consumer protocol (`ConsumerMembershipManager` and the
//! heartbeat request manager of Kafka's `AsyncKafkaConsumer`): it joins with epoch 0,
//! heartbeats every `group.consumer.heartbeat.interval.ms`, takes the partitions each response
//! gives and gives up the others (committing them first with auto-commit), acknowledging at
//! once; on a refused heartbeat it drops everything and rejoins; it leaves with epoch -1
//! (a static member -2) on close and on `max.poll.interval.ms`.

use std::collections::{BTreeMap, BTreeSet};

use super::coordinator::{HeartbeatRequest, Refusal};
use super::{topic_names, ModernClient, ModernStep};
use crate::engine::consumer::ConsumerStatus;
use crate::engine::consumer_group::{HeartbeatResponse, LEAVE_EPOCH, STATIC_LEAVE_EPOCH};
use crate::engine::event::Event;
use crate::engine::time::ms_to_ticks;
use crate::engine::{Engine, TopicPartition};

/// Kafka's base64 alphabet for UUIDs (URL-safe, no padding).
const BASE64_URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

impl Engine {
    /// A running subscriber with `group.protocol=consumer`.
    pub(in crate::engine) fn is_modern_subscriber(&self, client_id: &str) -> bool {
        self.consumers
            .get(client_id)
            .is_some_and(|c| c.is_subscriber() && c.config.uses_consumer_protocol())
    }

    /// One tick of a consumer-protocol member: its heartbeat when due, the poll timer, the
    /// application's processing, and `poll()` once it has processed what it fetched.
    pub(in crate::engine) fn tick_modern_consumer(&mut self, client_id: &str) -> Vec<Event> {
        let mut events = self.modern_heartbeat_if_due(client_id);
        events.extend(self.modern_poll_timeout(client_id));
        events.extend(self.process(client_id));
        if self
            .consumers
            .get(client_id)
            .is_some_and(|c| c.is_running() && c.in_flight.is_empty())
        {
            events.extend(self.modern_poll(client_id));
        }
        events
    }

    /// A member id as the 4.x client makes one: `Uuid.randomUuid().toString()`, 22 characters.
    fn new_client_member_id(&mut self) -> String {
        let bits = (u128::from(self.rng.next_u64()) << 64) | u128::from(self.rng.next_u64());
        (0..22)
            .map(|i| {
                let shift = 128i32 - 6 * (i + 1);
                let index = if shift >= 0 {
                    (bits >> shift) & 0x3f
                } else {
                    (bits << -shift) & 0x3f
                };
                BASE64_URL[index as usize] as char
            })
            .collect()
    }

    /// The heartbeat, when its interval has passed, or at once to join or acknowledge.
    fn modern_heartbeat_if_due(&mut self, client_id: &str) -> Vec<Event> {
        let now = self.tick;
        let interval = ms_to_ticks(self.broker.consumer_groups.heartbeat_interval_ms).max(1);
        let Some(c) = self.consumers.get(client_id) else {
            return Vec::new();
        };
        let due = match &c.modern {
            None => true,
            Some(m) if m.waiting_for_poll => false,
            Some(m) => m.heartbeat_soon || now.saturating_sub(m.last_heartbeat_tick) >= interval,
        };
        if !due {
            return Vec::new();
        }
        if c.modern.is_none() {
            let member_id = self.new_client_member_id();
            if let Some(c) = self.consumers.get_mut(client_id) {
                c.modern = Some(ModernClient {
                    member_id,
                    member_epoch: 0,
                    last_heartbeat_tick: now,
                    heartbeat_soon: false,
                    waiting_for_poll: false,
                });
            }
        }
        self.send_modern_heartbeat(client_id, None)
    }

    /// What the client's heartbeat carries now; `leave_epoch` to leave.
    fn heartbeat_request(
        &self,
        client_id: &str,
        leave_epoch: Option<i32>,
    ) -> Option<HeartbeatRequest> {
        let c = self.consumers.get(client_id)?;
        let m = c.modern.as_ref()?;
        let mut owned: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        for tp in &c.assignment {
            if let Some(t) = self.topics.get(&tp.topic) {
                owned.entry(t.id.clone()).or_default().insert(tp.partition);
            }
        }
        Some(HeartbeatRequest {
            group_id: c.group.clone()?,
            client_id: client_id.to_string(),
            member_id: m.member_id.clone(),
            member_epoch: leave_epoch.unwrap_or(m.member_epoch),
            instance_id: c.config.group_instance_id.clone(),
            subscribed: c.topics.iter().cloned().collect(),
            owned,
            rebalance_timeout_ms: c.config.max_poll_interval_ms,
            server_assignor: c.config.remote_assignor.clone(),
        })
    }

    /// Sends a heartbeat and handles its response.
    fn send_modern_heartbeat(&mut self, client_id: &str, leave_epoch: Option<i32>) -> Vec<Event> {
        let now = self.tick;
        let Some(request) = self.heartbeat_request(client_id, leave_epoch) else {
            return Vec::new();
        };
        let (reachable, noticed) = self.reach_coordinator(client_id);
        if !reachable {
            // Nothing answers: the heartbeat is tried again at the next interval.
            self.heartbeat_sent(client_id, now);
            return noticed;
        }
        let (result, mut heartbeat_events) = self.consumer_group_heartbeat(&request);
        let mut events = noticed;
        events.append(&mut heartbeat_events);
        if leave_epoch.is_some() {
            return events;
        }
        self.heartbeat_sent(client_id, now);
        match result {
            Ok(response) => {
                events.extend(self.reconcile_client(client_id, &request.group_id, &response))
            }
            Err(Refusal::Fenced(error)) => {
                events.push(Event::ModernGroupStep {
                    group: request.group_id.clone(),
                    step: ModernStep::HeartbeatRefused {
                        client_id: client_id.to_string(),
                        error: error.code().to_string(),
                    },
                });
                events.extend(self.lose_partitions(client_id, &request.group_id));
                if let Some(m) = self
                    .consumers
                    .get_mut(client_id)
                    .and_then(|c| c.modern.as_mut())
                {
                    m.member_epoch = 0;
                    m.heartbeat_soon = true;
                }
            }
            Err(Refusal::Fatal(error)) => {
                events.extend(self.lose_partitions(client_id, &request.group_id));
                if let Some(c) = self.consumers.get_mut(client_id) {
                    c.status = ConsumerStatus::Failed(error.clone());
                    c.modern = None;
                }
                events.push(Event::ConsumerFailed {
                    client_id: client_id.to_string(),
                    error,
                });
            }
        }
        events
    }

    /// A heartbeat went out now (answered or not): the next is due an interval later.
    fn heartbeat_sent(&mut self, client_id: &str, now: u64) {
        if let Some(m) = self
            .consumers
            .get_mut(client_id)
            .and_then(|c| c.modern.as_mut())
        {
            m.last_heartbeat_tick = now;
            m.heartbeat_soon = false;
        }
    }

    /// The client takes its new assignment: revoked partitions are committed (auto-commit)
    /// and released first, new ones added; a change is acknowledged by the next tick's
    /// heartbeat.
    fn reconcile_client(
        &mut self,
        client_id: &str,
        group: &str,
        response: &HeartbeatResponse,
    ) -> Vec<Event> {
        let names = topic_names(&self.topics);
        let mut assigned: Vec<TopicPartition> = response
            .assigned
            .iter()
            .filter_map(|(id, ps)| names.get(id).map(|n| (n, ps)))
            .flat_map(|(n, ps)| ps.iter().map(move |p| TopicPartition::new(n, *p)))
            .collect();
        crate::sort::sort(&mut assigned);
        // A first assignment that is empty is worth telling only when the target is empty
        // too (an idle member), not while its partitions are still being released.
        let member_id = self
            .consumers
            .get(client_id)
            .and_then(|c| c.modern.as_ref())
            .map(|m| m.member_id.clone())
            .unwrap_or_default();
        let target_empty = self
            .groups
            .get(group)
            .and_then(|g| g.modern.as_ref())
            .and_then(|info| info.core.target.get(&member_id))
            .is_none_or(|t| t.values().all(BTreeSet::is_empty));
        let mut events = Vec::new();
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        if let Some(m) = c.modern.as_mut() {
            m.member_epoch = response.member_epoch;
        }
        let revoked: Vec<TopicPartition> = c
            .assignment
            .iter()
            .filter(|tp| !assigned.contains(tp))
            .cloned()
            .collect();
        let added: Vec<TopicPartition> = assigned
            .iter()
            .filter(|tp| !c.assignment.contains(tp))
            .cloned()
            .collect();
        events.extend(self.revoke_partitions(group, client_id, &revoked));
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        c.assignment.retain(|tp| !revoked.contains(tp));
        let first_assignment = c.modern.as_ref().is_some_and(|m| m.member_epoch > 0)
            && c.last_assignment.is_none()
            && target_empty;
        if !added.is_empty() || first_assignment {
            c.assignment = assigned.clone();
            c.last_assignment = Some(crate::engine::group::Ownership {
                partitions: assigned.clone(),
                generation: response.member_epoch,
            });
            events.push(Event::PartitionsAssigned {
                group: group.to_string(),
                client_id: client_id.to_string(),
                generation: response.member_epoch,
                partitions: assigned,
                added,
            });
        }
        if !revoked.is_empty() || !events.is_empty() {
            if let Some(m) = c.modern.as_mut() {
                m.heartbeat_soon = true;
            }
        }
        events
    }

    /// Partitions lost without a commit (a refused heartbeat, a failure, the poll timer).
    fn lose_partitions(&mut self, client_id: &str, group: &str) -> Vec<Event> {
        let mut events = self.drop_in_flight(client_id, None);
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        let lost = std::mem::take(&mut c.assignment);
        c.positions.clear();
        c.last_assignment = None;
        if !lost.is_empty() {
            events.push(Event::PartitionsRevoked {
                group: group.to_string(),
                client_id: client_id.to_string(),
                partitions: lost,
            });
        }
        events
    }

    /// `max.poll.interval.ms` passed without a poll: the member leaves (epoch -1, a static
    /// one -2), loses its partitions, and rejoins at its next poll.
    fn modern_poll_timeout(&mut self, client_id: &str) -> Vec<Event> {
        let now = self.tick;
        let Some(c) = self.consumers.get(client_id) else {
            return Vec::new();
        };
        let Some(m) = c.modern.as_ref().filter(|m| !m.waiting_for_poll) else {
            return Vec::new();
        };
        let _ = m;
        if now.saturating_sub(c.last_poll_tick) <= ms_to_ticks(c.config.max_poll_interval_ms) {
            return Vec::new();
        }
        let group = c.group.clone().unwrap_or_default();
        let epoch = if c.config.group_instance_id.is_some() {
            STATIC_LEAVE_EPOCH
        } else {
            LEAVE_EPOCH
        };
        let busy = c.in_flight.clone();
        let mut events = self.send_modern_heartbeat(client_id, Some(epoch));
        // The application is still busy with what its last poll returned: it finishes it.
        let lost = self.consumers.get_mut(client_id).map(|c| {
            c.positions.clear();
            c.last_assignment = None;
            std::mem::take(&mut c.assignment)
        });
        if let Some(c) = self.consumers.get_mut(client_id) {
            c.in_flight = busy;
            if let Some(m) = c.modern.as_mut() {
                m.member_epoch = 0;
                m.waiting_for_poll = true;
            }
        }
        if let Some(lost) = lost.filter(|l| !l.is_empty()) {
            events.push(Event::PartitionsRevoked {
                group,
                client_id: client_id.to_string(),
                partitions: lost,
            });
        }
        events
    }

    /// `poll()`: a member that left on the poll timer rejoins; auto-commit when due; fetch.
    fn modern_poll(&mut self, client_id: &str) -> Vec<Event> {
        let now = self.tick;
        let mut events = Vec::new();
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        c.last_poll_tick = now;
        let static_member = c.config.group_instance_id.is_some();
        let rejoin = c.modern.as_ref().is_some_and(|m| m.waiting_for_poll);
        if rejoin {
            if static_member {
                // It left with epoch -2: it comes back as a new member that takes over its
                // group.instance.id.
                c.modern = None;
            } else if let Some(m) = c.modern.as_mut() {
                m.waiting_for_poll = false;
                m.heartbeat_soon = true;
            }
        }
        let Some(c) = self.consumers.get_mut(client_id) else {
            return events;
        };
        if c.config.enable_auto_commit
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

    /// `close()` of a consumer-protocol member, after its commit: it leaves with epoch -1
    /// (a static member -2, keeping its place for the session timeout).
    pub(in crate::engine) fn modern_leave(&mut self, client_id: &str) -> Vec<Event> {
        let Some(c) = self.consumers.get(client_id) else {
            return Vec::new();
        };
        if c.modern
            .as_ref()
            .is_none_or(|m| m.waiting_for_poll && c.config.group_instance_id.is_some())
        {
            if let Some(c) = self.consumers.get_mut(client_id) {
                c.modern = None;
            }
            return Vec::new();
        }
        let epoch = if c.config.group_instance_id.is_some() {
            STATIC_LEAVE_EPOCH
        } else {
            LEAVE_EPOCH
        };
        let events = self.send_modern_heartbeat(client_id, Some(epoch));
        if let Some(c) = self.consumers.get_mut(client_id) {
            c.modern = None;
        }
        events
    }
}
