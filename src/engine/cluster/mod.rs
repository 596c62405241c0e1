//! A KRaft cluster of brokers (SEMANTICS-4 §A): node ids 1..=N as Kafka's quickstart numbers
//! them, each partition's [`PartitionReplication`] beside its log, followers fetching every
//! tick, ISR shrink, broker stop, crash, start and slowness, elections and the log a new
//! leader brings.
//!
//! The engine starts without a cluster (`Engine::cluster` is `None`): one broker, node 1,
//! where the high watermark is the log end and nothing can fail, exactly as before. The first
//! cluster command (`broker add`, `broker stop`, …, a replication factor, an `acks` setting)
//! makes the cluster, with every existing partition on node 1, which changes nothing anyone
//! sees until a second broker or a failure does.
//!
//! The engine's [`PartitionLog`] holds the records of the partition's current leader. Each
//! replica's log is its leader-epoch cache and log end offset in the replication state; a
//! record is named by its offset and the epoch that wrote it. When a leader with a different
//! history takes over, the partition's log is cut back to where the two histories agree and
//! refilled from what the new leader holds (records cut earlier are kept aside while some
//! replica still holds them).

mod away;
mod coordinators;
mod elect;
mod loaded;
mod produce;
pub mod retry;
mod sync;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::event::Event;
use super::log::PartitionLog;
use super::rejection::{Rejection, RejectionKind};
use super::replication::{
    place_replicas, Acks, BrokerId, PartitionReplication, ReplicaLog, ReplicationConfig,
};
use super::types::{Record, TopicPartition};
use super::{time, Engine, Outcome};

pub use self::away::{CoordinatorView, COMMIT_COORDINATOR_NOT_AVAILABLE};
pub use self::coordinators::{
    broker_address, coordinator_partition, INTERNAL_TOPIC_PARTITIONS, OFFSETS_TOPIC,
    TRANSACTION_STATE_TOPIC,
};
pub use self::elect::{ElectionResult, ElectionType};

/// The most brokers a cluster has.
pub const MAX_BROKERS: usize = 9;

/// The records a follower copies per partition per tick at normal speed (10,000 a second).
pub const FETCH_RECORDS_PER_TICK: i64 = 1_000;

/// `broker.session.timeout.ms`: a crashed broker is fenced this long after its last heartbeat.
pub const BROKER_SESSION_TIMEOUT_MS: i64 = 9_000;

/// Whether a broker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokerStatus {
    Running,
    /// Stopped by a controlled shutdown: it left every ISR at once.
    Stopped,
    /// Killed: the controller fences it when its session times out.
    Crashed,
    /// Started again after a crash, before the controller fenced it: the new process's
    /// registration is refused (`DuplicateBrokerRegistrationException`, Kafka's
    /// `ClusterControlManager.registerBroker`) while the old incarnation's session is valid,
    /// so it serves nothing until that session expires; then it is fenced and registers.
    Registering,
}

/// One broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broker {
    pub status: BrokerStatus,
    /// Fenced by the controller (stopped, or crashed and its session expired).
    pub fenced: bool,
    /// When it crashed (simulated ms), until it is fenced.
    pub crashed_at_ms: Option<i64>,
    /// `broker slow N f`: its followers copy 1/f of the normal rate (1 is normal).
    pub slow_factor: u32,
}

impl Broker {
    fn running() -> Self {
        Self {
            status: BrokerStatus::Running,
            fenced: false,
            crashed_at_ms: None,
            slow_factor: 1,
        }
    }

    /// Whether it serves requests and fetches.
    pub fn is_running(&self) -> bool {
        self.status == BrokerStatus::Running
    }
}

/// The cluster-wide settings replication follows (broker defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterConfig {
    /// `min.insync.replicas` (1), a topic's own setting wins.
    pub min_insync_replicas: u32,
    /// `unclean.leader.election.enable` (false).
    pub unclean_leader_election: bool,
    /// `auto.leader.rebalance.enable` (true).
    pub auto_leader_rebalance: bool,
    /// `leader.imbalance.check.interval.seconds` (300), in ms.
    pub leader_imbalance_check_interval_ms: i64,
    /// `replica.lag.time.max.ms` (30000).
    pub replica_lag_time_max_ms: i64,
    /// `default.replication.factor` (1).
    pub default_replication_factor: u32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            min_insync_replicas: 1,
            unclean_leader_election: false,
            auto_leader_rebalance: true,
            leader_imbalance_check_interval_ms: 300_000,
            replica_lag_time_max_ms: super::replication::REPLICA_LAG_TIME_MAX_MS,
            default_replication_factor: 1,
        }
    }
}

/// One partition's replication state and what keeps its log in step with the leader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicatedPartition {
    pub replication: PartitionReplication,
    /// The history the partition's log holds: the epoch cache of the leader it mirrors.
    mirrored: ReplicaLog,
    /// The leader epoch the log mirrors.
    mirrored_epoch: i32,
    /// Records cut from the log that some replica may still hold, by offset, then by the
    /// epoch that wrote them (maps with number keys, so the state serializes to JSON too).
    set_aside: BTreeMap<i64, BTreeMap<i32, Record>>,
}

impl ReplicatedPartition {
    /// The records set aside at offsets `[from, to)` that the epochs of `epochs` (a
    /// leader-epoch cache) wrote: what a replica with that history held there.
    fn records_set_aside(
        &self,
        from: i64,
        to: i64,
        epochs: &[(i32, i64)],
    ) -> Vec<crate::engine::event::LostRecord> {
        self.set_aside
            .range(from..to)
            .filter_map(|(&offset, by_epoch)| {
                let epoch = epochs
                    .iter()
                    .rev()
                    .find(|&&(_, start)| start <= offset)
                    .map(|&(e, _)| e)?;
                by_epoch.get(&epoch)
            })
            .map(crate::engine::event::LostRecord::of)
            .collect()
    }
}

/// The brokers, the replication state of every partition, and the producers' `acks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    pub brokers: BTreeMap<BrokerId, Broker>,
    pub config: ClusterConfig,
    /// Each topic's partitions, in partition order.
    pub partitions: BTreeMap<String, Vec<ReplicatedPartition>>,
    /// `acks` per producer name (absent: Kafka's default, all).
    pub producer_acks: BTreeMap<String, Acks>,
    /// The internal topics' partitions (`__consumer_offsets`, `__transaction_state`), by
    /// topic: their replication alone, to say which broker coordinates what (see
    /// [`coordinators`]). Not a topic anyone lists.
    #[serde(default)]
    pub internal: BTreeMap<String, Vec<PartitionReplication>>,
    /// Each classic group's last `GroupMetadata` record: what a new coordinator loads
    /// (see [`loaded`]).
    #[serde(default)]
    pub group_records: BTreeMap<String, super::group::Group>,
    last_isr_check_ms: i64,
    last_rebalance_check_ms: i64,
}

impl Cluster {
    /// The brokers the controller counts as alive: unfenced and not shut down (a crashed
    /// broker counts until its session expires).
    pub fn live(&self) -> BTreeSet<BrokerId> {
        self.brokers
            .iter()
            .filter(|(_, b)| !b.fenced && b.status != BrokerStatus::Stopped)
            .map(|(&id, _)| id)
            .collect()
    }

    /// The brokers that serve requests.
    pub fn running(&self) -> BTreeSet<BrokerId> {
        self.brokers
            .iter()
            .filter(|(_, b)| b.is_running())
            .map(|(&id, _)| id)
            .collect()
    }

    pub fn partition(&self, tp: &TopicPartition) -> Option<&ReplicatedPartition> {
        self.partitions.get(&tp.topic)?.get(tp.partition as usize)
    }

    /// The `acks` a producer sends with.
    pub fn acks_of(&self, producer: &str) -> Acks {
        self.producer_acks
            .get(producer)
            .copied()
            .unwrap_or(Acks::All)
    }

    /// One running broker, node 1.
    fn single_broker(now_ms: i64) -> Self {
        Self {
            brokers: [(1, Broker::running())].into_iter().collect(),
            config: ClusterConfig::default(),
            partitions: BTreeMap::new(),
            producer_acks: BTreeMap::new(),
            internal: BTreeMap::new(),
            group_records: BTreeMap::new(),
            last_isr_check_ms: now_ms,
            last_rebalance_check_ms: now_ms,
        }
    }
}

impl ReplicatedPartition {
    /// A partition on `replicas`, its log `log` as it stands (all of it written in epoch 0).
    fn new(
        replicas: Vec<BrokerId>,
        live: &BTreeSet<BrokerId>,
        log: &PartitionLog,
        now_ms: i64,
    ) -> Self {
        let mut replication = PartitionReplication::new(replicas, live, now_ms);
        let end = log.log_end_offset();
        if end > 0 {
            // An existing partition joins the cluster: every replica holds all of it.
            for replica_log in replication.logs.values_mut() {
                replica_log.epochs = vec![(0, 0)];
                replica_log.log_end_offset = end;
                replica_log.high_watermark = end;
            }
            for follower in replication.followers.values_mut() {
                follower.log_end_offset = Some(end);
            }
        }
        let mirrored = replication
            .leader
            .and_then(|l| replication.logs.get(&l).cloned())
            .unwrap_or(ReplicaLog {
                epochs: Vec::new(),
                log_end_offset: end,
                high_watermark: end,
            });
        Self {
            mirrored_epoch: replication.leader_epoch,
            replication,
            mirrored,
            set_aside: BTreeMap::new(),
        }
    }
}

fn invalid(reason: impl Into<String>) -> Outcome {
    Err(Rejection::new(RejectionKind::Invalid, reason))
}

impl Engine {
    /// The cluster, made on first use with every existing partition on node 1.
    pub(crate) fn cluster_mut(&mut self) -> &mut Cluster {
        let now_ms = self.now_ms();
        if self.cluster.is_none() {
            let live: BTreeSet<BrokerId> = [1].into_iter().collect();
            let partitions = self
                .topics
                .iter()
                .map(|(name, topic)| {
                    let parts = topic
                        .partitions
                        .iter()
                        .map(|log| ReplicatedPartition::new(vec![1], &live, log, now_ms))
                        .collect();
                    (name.clone(), parts)
                })
                .collect();
            self.cluster = Some(Cluster {
                partitions,
                ..Cluster::single_broker(now_ms)
            });
            // Groups that exist already have their offsets topic on this one broker.
            self.ensure_internal_topics();
        }
        self.cluster
            .get_or_insert_with(|| Cluster::single_broker(now_ms))
    }

    /// The number of brokers (1 without a cluster).
    pub fn broker_count(&self) -> usize {
        self.cluster.as_ref().map_or(1, |c| c.brokers.len())
    }

    /// `broker add`: a new broker with the next node id.
    pub(crate) fn add_broker(&mut self) -> Outcome {
        let cluster = self.cluster_mut();
        if cluster.brokers.len() >= MAX_BROKERS {
            return Err(Rejection::new(
                RejectionKind::OverLimit,
                format!("The simulator runs at most {MAX_BROKERS} brokers."),
            ));
        }
        let id = cluster.brokers.keys().next_back().map_or(1, |&b| b + 1);
        cluster.brokers.insert(id, Broker::running());
        Ok(vec![Event::BrokerAdded { broker: id }])
    }

    /// `broker stop N` (controlled shutdown) or `broker crash N`.
    pub(crate) fn stop_broker(&mut self, broker: BrokerId, crash: bool) -> Outcome {
        let now_ms = self.now_ms();
        let coordinators = self.group_coordinators();
        let cluster = self.cluster_mut();
        let Some(b) = cluster.brokers.get_mut(&broker) else {
            return invalid(format!("Broker {broker} does not exist."));
        };
        if b.status == BrokerStatus::Registering && crash {
            // Killed again while it waited to register: the old session still runs out.
            b.status = BrokerStatus::Crashed;
            return Ok(vec![Event::BrokerStopped {
                broker,
                crashed: true,
            }]);
        }
        if !b.is_running() {
            return invalid(format!("Broker {broker} is not running."));
        }
        let mut events = vec![Event::BrokerStopped {
            broker,
            crashed: crash,
        }];
        if crash {
            b.status = BrokerStatus::Crashed;
            b.crashed_at_ms = Some(now_ms);
        } else {
            b.status = BrokerStatus::Stopped;
            b.fenced = true;
            events.extend(self.broker_left(broker));
        }
        events.extend(self.coordinator_moves(&coordinators));
        Ok(events)
    }

    /// `broker start N`: registers again; a leaderless partition may elect it. A crashed
    /// broker the controller has not fenced yet waits for its old session to expire.
    pub(crate) fn start_broker(&mut self, broker: BrokerId) -> Outcome {
        let now_ms = self.now_ms();
        let cluster = self.cluster_mut();
        let Some(b) = cluster.brokers.get_mut(&broker) else {
            return invalid(format!("Broker {broker} does not exist."));
        };
        match b.status {
            BrokerStatus::Running => {
                return invalid(format!("Broker {broker} is already running."))
            }
            BrokerStatus::Registering => {
                return invalid(format!(
                "Broker {broker} is already starting: it registers when its old session expires."
            ))
            }
            BrokerStatus::Crashed if !b.fenced => {
                b.status = BrokerStatus::Registering;
                let crashed_at = b.crashed_at_ms.unwrap_or(now_ms);
                let in_ms = (crashed_at + BROKER_SESSION_TIMEOUT_MS - now_ms).max(0);
                return Ok(vec![Event::BrokerRegistrationRefused { broker, in_ms }]);
            }
            BrokerStatus::Crashed | BrokerStatus::Stopped => {}
        }
        let coordinators = self.group_coordinators();
        Ok(self.register_broker(broker, &coordinators))
    }

    /// A fenced or shut-down broker registers and is unfenced: back in the replica sets as a
    /// follower (an unclean shutdown also leaves it out of the ELR), a leaderless partition
    /// may elect it, and its logs follow the leaders'.
    fn register_broker(
        &mut self,
        broker: BrokerId,
        coordinators: &BTreeMap<String, Option<BrokerId>>,
    ) -> Vec<Event> {
        let now_ms = self.now_ms();
        let cluster = self.cluster_mut();
        let Some(b) = cluster.brokers.get_mut(&broker) else {
            return Vec::new();
        };
        let clean_shutdown = b.status == BrokerStatus::Stopped;
        *b = Broker {
            slow_factor: b.slow_factor,
            ..Broker::running()
        };
        let mut events = vec![Event::BrokerStarted { broker }];
        self.internal_broker_up(broker, clean_shutdown);
        let Some(cluster) = self.cluster.as_mut() else {
            return events;
        };
        let live = cluster.live();
        for (topic, parts) in &mut cluster.partitions {
            let config = replication_config_for(&cluster.config, self.topics.get(topic));
            for (p, rp) in parts.iter_mut().enumerate() {
                let before = rp.replication.leader;
                rp.replication
                    .broker_up(broker, clean_shutdown, &live, &config, now_ms);
                if rp.replication.leader != before {
                    events.push(leader_event(
                        TopicPartition::new(topic.clone(), p as u32),
                        &rp.replication,
                    ));
                }
            }
        }
        events.extend(self.sync_logs());
        events.extend(self.coordinator_moves(coordinators));
        events
    }

    /// `broker slow N f`: broker N's followers copy at 1/f of the normal rate.
    pub(crate) fn slow_broker(&mut self, broker: BrokerId, factor: u32) -> Outcome {
        if factor == 0 {
            return invalid("The slow-down factor is at least 1 (1 is normal speed).");
        }
        let cluster = self.cluster_mut();
        let Some(b) = cluster.brokers.get_mut(&broker) else {
            return invalid(format!("Broker {broker} does not exist."));
        };
        b.slow_factor = factor;
        Ok(vec![Event::BrokerSlowed { broker, factor }])
    }

    /// A broker fenced or shut down: out of every ISR, new leaders for what it led.
    fn broker_left(&mut self, broker: BrokerId) -> Vec<Event> {
        self.internal_broker_down(broker);
        let now_ms = self.now_ms();
        let Some(cluster) = self.cluster.as_mut() else {
            return Vec::new();
        };
        let live = cluster.live();
        let mut events = Vec::new();
        for (topic, parts) in &mut cluster.partitions {
            let config = replication_config_for(&cluster.config, self.topics.get(topic));
            for (p, rp) in parts.iter_mut().enumerate() {
                let was_leader = rp.replication.leader == Some(broker);
                let in_isr = rp.replication.isr.contains(&broker);
                rp.replication.broker_down(broker, &live, &config, now_ms);
                let tp = TopicPartition::new(topic.clone(), p as u32);
                if was_leader {
                    events.push(leader_event(tp, &rp.replication));
                } else if in_isr {
                    events.push(Event::IsrChanged {
                        partition: tp,
                        isr: rp.replication.isr.clone(),
                    });
                }
            }
        }
        events.extend(self.sync_logs());
        events
    }

    /// Places a new topic's replicas (or checks an explicit assignment) and records them.
    /// Called after the topic's logs exist.
    pub(crate) fn place_topic(
        &mut self,
        topic: &str,
        replication_factor: Option<u32>,
        assignment: Option<&[Vec<BrokerId>]>,
    ) -> Result<(), Rejection> {
        let now_ms = self.now_ms();
        let n_partitions = self.topics.get(topic).map_or(0, |t| t.n_partitions());
        let start = self.rng.below(MAX_BROKERS as u64 * 2) as usize;
        let cluster = self.cluster_mut();
        let placement = match assignment {
            Some(a) => a.to_vec(),
            None => {
                let rf = replication_factor.unwrap_or(cluster.config.default_replication_factor);
                placement_for(&cluster.brokers, n_partitions, rf, start)?
            }
        };
        let live = cluster.live();
        let parts: Vec<ReplicatedPartition> = placement
            .into_iter()
            .map(|replicas| ReplicatedPartition::new(replicas, &live, &PartitionLog::new(), now_ms))
            .collect();
        cluster.partitions.insert(topic.to_string(), parts);
        Ok(())
    }

    /// What each tick does in a cluster: fences brokers whose session expired, followers
    /// fetch, the ISR check every `replica.lag.time.max.ms / 2`, the automatic preferred
    /// election every `leader.imbalance.check.interval.seconds`. O(partitions); nothing
    /// without a cluster, and no fetch for a partition with one replica.
    pub(crate) fn tick_cluster(&mut self) -> Vec<Event> {
        if self.cluster.is_none() {
            return Vec::new();
        }
        let mut events = self.sync_logs();
        let now_ms = self.now_ms();
        let expired: Vec<BrokerId> = self.cluster.as_ref().map_or(Vec::new(), |c| {
            c.brokers
                .iter()
                .filter(|(_, b)| {
                    !b.fenced
                        && b.crashed_at_ms
                            .is_some_and(|t| now_ms - t >= BROKER_SESSION_TIMEOUT_MS)
                })
                .map(|(&id, _)| id)
                .collect()
        });
        let coordinators = if expired.is_empty() {
            BTreeMap::new()
        } else {
            self.group_coordinators()
        };
        for &broker in &expired {
            if let Some(b) = self
                .cluster
                .as_mut()
                .and_then(|c| c.brokers.get_mut(&broker))
            {
                b.fenced = true;
                b.crashed_at_ms = None;
            }
            events.push(Event::BrokerFenced { broker });
            events.extend(self.broker_left(broker));
        }
        if !expired.is_empty() {
            events.extend(self.coordinator_moves(&coordinators));
        }
        // A broker restarted before it was fenced registers now that its old session is gone.
        for &broker in &expired {
            let registering = self
                .cluster
                .as_ref()
                .and_then(|c| c.brokers.get(&broker))
                .is_some_and(|b| b.status == BrokerStatus::Registering);
            if registering {
                let coordinators = self.group_coordinators();
                events.extend(self.register_broker(broker, &coordinators));
            }
        }
        events.extend(self.fetch_followers(now_ms));
        self.fetch_internal_followers(now_ms);
        let Some(cluster) = self.cluster.as_mut() else {
            return events;
        };
        let isr_interval = (cluster.config.replica_lag_time_max_ms / 2).max(time::MS_PER_TICK);
        if now_ms - cluster.last_isr_check_ms >= isr_interval {
            cluster.last_isr_check_ms = now_ms;
            for (topic, parts) in &mut cluster.partitions {
                let config = replication_config_for(&cluster.config, self.topics.get(topic));
                for (p, rp) in parts.iter_mut().enumerate() {
                    if rp.replication.replicas.len() < 2 {
                        continue;
                    }
                    let leader_runs = rp
                        .replication
                        .leader
                        .is_some_and(|l| cluster.brokers.get(&l).is_some_and(Broker::is_running));
                    if leader_runs && !rp.replication.shrink_isr(now_ms, &config).is_empty() {
                        events.push(Event::IsrChanged {
                            partition: TopicPartition::new(topic.clone(), p as u32),
                            isr: rp.replication.isr.clone(),
                        });
                    }
                }
            }
        }
        let rebalance_due = cluster.config.auto_leader_rebalance
            && now_ms - cluster.last_rebalance_check_ms
                >= cluster.config.leader_imbalance_check_interval_ms.max(1);
        if rebalance_due {
            cluster.last_rebalance_check_ms = now_ms;
            events.extend(self.rebalance_leaders());
        }
        events.extend(self.sync_logs());
        events
    }

    /// Every running follower fetches from its running leader, at its broker's speed.
    fn fetch_followers(&mut self, now_ms: i64) -> Vec<Event> {
        let tick = self.tick;
        let Some(cluster) = self.cluster.as_mut() else {
            return Vec::new();
        };
        let live = cluster.live();
        let capacity: BTreeMap<BrokerId, i64> = cluster
            .brokers
            .iter()
            .filter(|(_, b)| b.is_running())
            .filter_map(|(&id, b)| {
                let factor = i64::from(b.slow_factor.max(1));
                if factor <= FETCH_RECORDS_PER_TICK {
                    Some((id, FETCH_RECORDS_PER_TICK / factor))
                } else {
                    // Slower than a record a tick: one record every factor/1000 ticks.
                    let every = (factor / FETCH_RECORDS_PER_TICK) as u64;
                    (tick % every == 0).then_some((id, 1))
                }
            })
            .collect();
        let mut events = Vec::new();
        for (topic, parts) in &mut cluster.partitions {
            let config = replication_config_for(&cluster.config, self.topics.get(topic));
            for (p, rp) in parts.iter_mut().enumerate() {
                if rp.replication.replicas.len() < 2 {
                    continue;
                }
                let Some(leader) = rp.replication.leader else {
                    continue;
                };
                if !capacity.contains_key(&leader)
                    && !cluster.brokers.get(&leader).is_some_and(Broker::is_running)
                {
                    continue;
                }
                for follower in rp.replication.replicas.clone() {
                    let Some(&max_records) = capacity.get(&follower) else {
                        continue;
                    };
                    if follower == leader {
                        continue;
                    }
                    let outcome =
                        rp.replication
                            .fetch(follower, max_records, now_ms, &live, &config);
                    let tp = || TopicPartition::new(topic.clone(), p as u32);
                    if let Some(cut) = outcome.truncated {
                        let lost = rp.records_set_aside(cut.to, cut.from, &outcome.cut_epochs);
                        events.push(Event::ReplicaTruncated {
                            partition: tp(),
                            broker: follower,
                            from_offset: cut.from,
                            to_offset: cut.to,
                            lost,
                        });
                    }
                    if outcome.joined_isr {
                        events.push(Event::IsrChanged {
                            partition: tp(),
                            isr: rp.replication.isr.clone(),
                        });
                    }
                }
            }
        }
        events
    }
}

/// A topic's replication settings: its `min.insync.replicas` and
/// `unclean.leader.election.enable` overrides, else the broker defaults (the broker defaults
/// for a topic not found).
pub(crate) fn replication_config_for(
    config: &ClusterConfig,
    topic: Option<&super::Topic>,
) -> ReplicationConfig {
    let min_insync_replicas = topic
        .and_then(|t| t.overrides.get("min.insync.replicas"))
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(config.min_insync_replicas);
    let unclean_leader_election = topic
        .and_then(|t| t.overrides.get("unclean.leader.election.enable"))
        .map_or(config.unclean_leader_election, |v| {
            v.trim().eq_ignore_ascii_case("true")
        });
    ReplicationConfig {
        min_insync_replicas,
        unclean_leader_election,
        eligible_leader_replicas: true,
        replica_lag_time_max_ms: config.replica_lag_time_max_ms,
    }
}

/// Kafka's striped placement over the brokers: the unfenced ones lead, fenced ones fill in
/// last; Kafka's `INVALID_REPLICATION_FACTOR` when there are too few.
fn placement_for(
    brokers: &BTreeMap<BrokerId, Broker>,
    partitions: u32,
    replication_factor: u32,
    start: usize,
) -> Result<Vec<Vec<BrokerId>>, Rejection> {
    let registered: Vec<BrokerId> = brokers.keys().copied().collect();
    let unfenced: Vec<BrokerId> = brokers
        .iter()
        .filter(|(_, b)| !b.fenced)
        .map(|(&id, _)| id)
        .collect();
    let refuse = |why: String| Rejection::new(RejectionKind::InvalidReplicationFactor, why);
    if replication_factor as usize > registered.len() || unfenced.is_empty() {
        // Kafka 4.4's text names cordoned log directories too.
        return Err(refuse(format!(
            "Unable to replicate the partition {replication_factor} time(s): The target replication factor of {replication_factor} cannot be reached because only {} broker(s) are registered or some brokers have all their log directories cordoned.",
            registered.len()
        )));
    }
    // The rotation after every N partitions: Kafka shuffles; the simulator rotates by one.
    let mut rotate = |order: &mut Vec<BrokerId>| order.rotate_left(1);
    let fenced: Vec<BrokerId> = registered
        .iter()
        .copied()
        .filter(|b| !unfenced.contains(b))
        .collect();
    let from_unfenced = (replication_factor as usize).min(unfenced.len()) as u32;
    let mut placement =
        place_replicas(&unfenced, partitions, from_unfenced, start, &mut rotate).map_err(refuse)?;
    let missing = replication_factor as usize - from_unfenced as usize;
    for replicas in &mut placement {
        replicas.extend(fenced.iter().take(missing));
    }
    Ok(placement)
}

/// The event of a partition's new leader (or of its going offline).
fn leader_event(partition: TopicPartition, r: &PartitionReplication) -> Event {
    Event::LeaderChanged {
        partition,
        leader: r.leader,
        leader_epoch: r.leader_epoch,
        isr: r.isr.clone(),
    }
}

impl Engine {
    /// `kafka-topics --create` with `--replication-factor` or `--replica-assignment`.
    pub(crate) fn create_replicated_topic(
        &mut self,
        name: &str,
        partitions: i64,
        replication_factor: Option<u32>,
        assignment: Option<&[Vec<BrokerId>]>,
        configs: &[(String, String)],
    ) -> Outcome {
        let start = self.rng.clone().below(MAX_BROKERS as u64 * 2) as usize;
        // Checked before anything changes: a refused create makes no cluster either.
        let (brokers, default_rf) = match &self.cluster {
            Some(c) => (c.brokers.clone(), c.config.default_replication_factor),
            None => (
                Cluster::single_broker(0).brokers,
                ClusterConfig::default().default_replication_factor,
            ),
        };
        let partitions = match assignment {
            Some(a) => {
                check_assignment(&brokers, a)?;
                a.len() as i64
            }
            None => {
                let rf = replication_factor.unwrap_or(default_rf);
                if rf == 0 {
                    return invalid("Replication factor must be larger than 0.");
                }
                placement_for(&brokers, 1, rf, start)?;
                partitions
            }
        };
        let events = self.create_topic(name, partitions, configs)?;
        // Placement was checked above; the start drawn then is drawn now.
        self.place_topic(name, replication_factor, assignment)?;
        let mut events = events;
        events.extend(self.sync_logs());
        Ok(events)
    }

    /// `broker set` for the settings replication follows: `Some` when `key` is one of them.
    pub(crate) fn set_cluster_config(&mut self, key: &str, value: &str) -> Option<Outcome> {
        let v = value.trim();
        let number = |min: i64, kind: &str| -> Result<i64, Rejection> {
            let n: i64 = v.parse().map_err(|_| {
                Rejection::new(
                    RejectionKind::Invalid,
                    format!("Invalid value {value} for configuration {key}: Not a number of type {kind}"),
                )
            })?;
            if n < min {
                return Err(Rejection::new(
                    RejectionKind::Invalid,
                    format!("Invalid value {value} for configuration {key}: Value must be at least {min}"),
                ));
            }
            Ok(n)
        };
        let boolean = || -> Result<bool, Rejection> {
            match v.to_ascii_lowercase().as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(Rejection::new(
                    RejectionKind::Invalid,
                    format!("Invalid value {value} for configuration {key}: Expected value to be either true or false"),
                )),
            }
        };
        let outcome = (|| -> Result<(), Rejection> {
            match key {
                "min.insync.replicas" => {
                    let n = number(1, "INT")?;
                    self.cluster_mut().config.min_insync_replicas =
                        n.min(i64::from(i32::MAX)) as u32;
                }
                "default.replication.factor" => {
                    let n = number(1, "INT")?;
                    self.cluster_mut().config.default_replication_factor =
                        n.min(i64::from(i32::MAX)) as u32;
                }
                "unclean.leader.election.enable" => {
                    let b = boolean()?;
                    self.cluster_mut().config.unclean_leader_election = b;
                }
                "auto.leader.rebalance.enable" => {
                    let b = boolean()?;
                    self.cluster_mut().config.auto_leader_rebalance = b;
                }
                "leader.imbalance.check.interval.seconds" => {
                    let n = number(1, "LONG")?;
                    self.cluster_mut().config.leader_imbalance_check_interval_ms =
                        n.saturating_mul(1000);
                }
                "replica.lag.time.max.ms" => {
                    let n = number(0, "LONG")?;
                    self.cluster_mut().config.replica_lag_time_max_ms = n;
                }
                _ => return Err(Rejection::new(RejectionKind::UnknownConfig, String::new())),
            }
            Ok(())
        })();
        match outcome {
            Err(r) if r.kind == RejectionKind::UnknownConfig => None,
            Err(r) => Some(Err(r)),
            Ok(()) => {
                let mut events = vec![Event::BrokerConfigChanged {
                    key: key.to_string(),
                    value: v.to_string(),
                }];
                // A new unclean setting may elect leaders for offline partitions at once.
                if key == "unclean.leader.election.enable" {
                    events.extend(self.elect_offline());
                }
                Some(Ok(events))
            }
        }
    }

    /// Offline partitions elect where the rules now allow.
    pub(crate) fn elect_offline(&mut self) -> Vec<Event> {
        let now_ms = self.now_ms();
        let Some(cluster) = self.cluster.as_mut() else {
            return Vec::new();
        };
        let live = cluster.live();
        let mut events = Vec::new();
        for (topic, parts) in &mut cluster.partitions {
            let config = replication_config_for(&cluster.config, self.topics.get(topic));
            for (p, rp) in parts.iter_mut().enumerate() {
                if rp.replication.leader.is_none() {
                    rp.replication.elect(&live, &config, now_ms, false);
                    if rp.replication.leader.is_some() {
                        events.push(leader_event(
                            TopicPartition::new(topic.clone(), p as u32),
                            &rp.replication,
                        ));
                    }
                }
            }
        }
        events.extend(self.sync_logs());
        events
    }
}

/// Kafka's checks of `--replica-assignment`.
fn check_assignment(
    brokers: &BTreeMap<BrokerId, Broker>,
    assignment: &[Vec<BrokerId>],
) -> Result<(), Rejection> {
    let refuse = |why: String| Rejection::new(RejectionKind::InvalidReplicaAssignment, why);
    let Some(first) = assignment.first() else {
        return Err(refuse("The replica assignment is empty.".into()));
    };
    for replicas in assignment {
        if replicas.is_empty() {
            return Err(refuse(
                "The manual partition assignment includes an empty replica list.".into(),
            ));
        }
        if replicas.len() != first.len() {
            return Err(refuse(format!(
                "The manual partition assignment includes a partition with {} replica(s), but this is not consistent with previous partitions, which have {} replica(s).",
                replicas.len(),
                first.len()
            )));
        }
        let mut seen = BTreeSet::new();
        if let Some(dup) = replicas.iter().find(|b| !seen.insert(**b)) {
            return Err(refuse(format!(
                "The manual partition assignment includes the broker {dup} more than once."
            )));
        }
        if let Some(unknown) = replicas.iter().find(|b| !brokers.contains_key(b)) {
            return Err(refuse(format!(
                "The manual partition assignment includes broker {unknown}, but no such broker is registered."
            )));
        }
    }
    Ok(())
}
