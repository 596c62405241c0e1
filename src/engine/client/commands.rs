//! What a consumer does on a command: start, stop, crash, restart, remove, a config
//! change, pause and resume, seek, commitSync, and a topic's metadata changing under it.

use super::reset_client_state;
use crate::engine::consumer::{Consumer, ConsumerConfig, ConsumerStatus};
use crate::engine::event::{Event, LeaveReason};
use crate::engine::{limits, over_limit, rejected, Engine, Outcome, SeekTarget, TopicPartition};

impl Engine {
    pub(in crate::engine) fn start_consumer(
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
        if let Err(e) = config.check_group_protocol() {
            return rejected(e);
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

    pub(in crate::engine) fn stop_consumer(&mut self, client_id: &str) -> Outcome {
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
        if subscriber {
            events.extend(self.modern_leave(client_id));
        }
        if let Some((member_id, group)) = member {
            // A static member does not send LeaveGroup: the coordinator waits for its session to expire.
            if subscriber && !is_static {
                events.extend(self.remove_member(&group, &member_id, LeaveReason::Left));
            }
        }
        Ok(events)
    }

    pub(in crate::engine) fn crash_consumer(&mut self, client_id: &str) -> Outcome {
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

    pub(in crate::engine) fn restart_consumer(&mut self, client_id: &str) -> Outcome {
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

    pub(in crate::engine) fn remove_consumer(&mut self, client_id: &str) -> Outcome {
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

    pub(in crate::engine) fn set_consumer_config(
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
        if key == "group.protocol" && c.is_running() {
            return rejected("group.protocol can only be changed while the consumer is stopped.");
        }
        let mut config = c.config.clone();
        if let Err(e) = config.set(key, value) {
            return rejected(e);
        }
        if let Err(e) = config.check_group_protocol() {
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

    pub(in crate::engine) fn pause_consumer(&mut self, client_id: &str, paused: bool) -> Outcome {
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

    pub(in crate::engine) fn seek(
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
                SeekTarget::End => log.fetch_end(c.config.isolation_level),
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

    pub(in crate::engine) fn commit_sync(&mut self, client_id: &str) -> Outcome {
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
    pub(in crate::engine) fn on_metadata_change(&mut self, topic: &str) -> Vec<Event> {
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
}
