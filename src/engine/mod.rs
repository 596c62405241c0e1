//! The broker model: topics, partitions, producers, consumers and groups.
//!
//! Pure and deterministic, in the sans-IO style: [`Engine::apply`] takes a [`Command`] and
//! returns the [`Event`]s it caused; `state = f(seed, commands)`. No web crate, no wall
//! clock, no `HashMap` iteration in anything observable. Kafka's rules come from
//! SEMANTICS.md; each function names the rule it follows.

pub mod assign;
mod client;
pub mod cluster;
pub mod command;
pub mod consumer;
pub mod consumer_group;
mod coordinator;
pub use self::coordinator::session_expiry_tick;
pub mod event;
pub mod group;
pub mod invariants;
pub mod limits;
pub mod log;
pub mod modern;
pub mod partitioner;
pub mod reconcile;
pub mod rejection;
pub mod replication;
mod reset;
pub mod rng;
pub mod share_group;
pub mod share_partition;
pub mod time;
pub mod topic;
pub mod topic_pattern;
pub mod transactions;
pub mod txn;
pub mod types;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use self::command::{Command, ProducerStream, ResetScope, ResetSpec, SeekTarget, TxnAction};
pub use self::consumer::{Consumer, ConsumerConfig, ConsumerStatus};
pub use self::event::{Event, OffsetDeletion, GROUP_ID_NOT_FOUND, UNKNOWN_TOPIC_OR_PARTITION};
pub use self::group::{Group, GroupState};
use self::log::{CleanupPolicy, PartitionLog};
use self::partitioner::{NullKeyState, NullKeyStrategy};
pub use self::rejection::{Rejection, RejectionKind};
pub use self::reset::ResetRefusal;
use self::rng::SimRng;
pub use self::topic::Topic;
pub use self::types::{record_size_bytes, Placement, Record, TopicPartition};

pub use self::limits::{MAX_FILL_PER_PARTITION, MAX_STREAM_MILLIRECORDS_PER_SECOND};

/// Broker-wide settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerConfig {
    /// `log.retention.check.interval.ms` (Kafka's default: 5 minutes).
    pub retention_check_interval_ms: i64,
    /// `group.initial.rebalance.delay.ms` (Kafka's default: 3 seconds).
    pub group_initial_rebalance_delay_ms: i64,
    /// `log.initial.task.delay.ms` (Kafka's default: 30 seconds): the log manager's first
    /// retention check comes this long after the broker starts, then one every
    /// `log.retention.check.interval.ms` (`LogManager.startup`).
    #[serde(default = "default_initial_task_delay_ms")]
    pub initial_task_delay_ms: i64,
    /// The consumer protocol's timers and assignors (`group.consumer.*`).
    #[serde(
        default,
        skip_serializing_if = "modern::ConsumerGroupBrokerConfig::is_default"
    )]
    pub consumer_groups: modern::ConsumerGroupBrokerConfig,
}

fn default_initial_task_delay_ms() -> i64 {
    30_000
}

impl Default for BrokerConfig {
    fn default() -> Self {
        Self {
            retention_check_interval_ms: 300_000,
            group_initial_rebalance_delay_ms: 3_000,
            initial_task_delay_ms: default_initial_task_delay_ms(),
            consumer_groups: modern::ConsumerGroupBrokerConfig::default(),
        }
    }
}

/// A producer on the diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Producer {
    pub name: String,
    pub null_key: NullKeyStrategy,
    pub batch_size_bytes: u32,
    /// The null-key partitioner's state, per topic.
    pub null_key_state: BTreeMap<String, NullKeyState>,
    pub stream: Option<ProducerStream>,
    /// Stream credit in thousandths of a record.
    pub stream_credit_millirecords: u64,
    pub records_sent: u64,
    /// Idempotence and transactions: configs, producer id, sequences, faults.
    #[serde(default)]
    pub txn: txn::ProducerTxn,
    /// Records the leader could not take yet, waiting to be retried (`cluster::retry`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting: Vec<cluster::retry::WaitingRecord>,
}

/// The whole simulated cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engine {
    pub tick: u64,
    pub seed: u64,
    rng: SimRng,
    pub broker: BrokerConfig,
    pub topics: BTreeMap<String, Topic>,
    pub producers: BTreeMap<String, Producer>,
    pub consumers: BTreeMap<String, Consumer>,
    pub groups: BTreeMap<String, Group>,
    last_retention_check_tick: u64,
    /// Whether the first retention check (after `log.initial.task.delay.ms`) has run.
    #[serde(default)]
    retention_checked: bool,
    /// How many consumers have been started, so each gets a rank that never changes.
    #[serde(default)]
    consumers_started: u64,
    /// The transaction coordinator and the producer id allocator.
    #[serde(default)]
    pub transactions: txn::TxnCoordinator,
    /// Share groups, their configs and share consumers (KIP-932), apart from the groups.
    #[serde(default)]
    pub share: share_group::ShareGroups,
    /// The brokers and each partition's replicas (`None`: one broker, node 1; see `cluster`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<cluster::Cluster>,
    /// Consume-transform-produce pipelines, by name (`txn::pipeline`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pipelines: BTreeMap<String, txn::pipeline::Pipeline>,
}

/// What a command gives: its events, or why it was refused.
pub type Outcome = Result<Vec<Event>, Rejection>;

/// A refusal of an invalid command.
fn rejected(reason: impl Into<String>) -> Outcome {
    Err(Rejection::new(RejectionKind::Invalid, reason))
}

/// A refusal for going past one of the [`limits`].
fn over_limit(reason: impl Into<String>) -> Outcome {
    Err(Rejection::new(RejectionKind::OverLimit, reason))
}

impl Engine {
    pub fn new(seed: u64) -> Self {
        Self {
            tick: 0,
            seed,
            rng: SimRng::new(seed),
            broker: BrokerConfig::default(),
            topics: BTreeMap::new(),
            producers: BTreeMap::new(),
            consumers: BTreeMap::new(),
            groups: BTreeMap::new(),
            last_retention_check_tick: 0,
            retention_checked: false,
            consumers_started: 0,
            transactions: txn::TxnCoordinator::default(),
            share: share_group::ShareGroups::default(),
            cluster: None,
            pipelines: BTreeMap::new(),
        }
    }

    /// The simulated time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        time::tick_to_ms(self.tick)
    }

    /// Applies one command and returns what happened, or why it was refused. Never
    /// panics on any command: a refused one changes nothing. In debug and test builds the
    /// engine's [`invariants`] are checked afterwards, and a broken one panics (it is a
    /// bug in the engine, whatever the command).
    // The only panic: a broken invariant in a debug build, which is the engine's bug.
    #[allow(clippy::panic_in_result_fn)]
    pub fn apply(&mut self, command: &Command) -> Outcome {
        let events = match command {
            // Each tick of an advance is a moment of its own (see `advance`).
            Command::Advance { ticks } => self.advance(*ticks),
            _ => self.moment(|engine| engine.apply_command(command)),
        };
        #[cfg(debug_assertions)]
        if let Err(why) = invariants::check(self) {
            panic!("an engine invariant broke after {command:?}: {why}");
        }
        events
    }

    /// Runs one moment of the cluster, a command or one tick of time, then keeps what
    /// follows from its events at that moment's tick: each group's record of partitions
    /// nobody reads. The only caller of [`Self::note_handovers`].
    fn moment(&mut self, run: impl FnOnce(&mut Self) -> Outcome) -> Outcome {
        let mut events = run(self)?;
        self.ensure_internal_topics();
        events.extend(self.sync_logs());
        self.note_handovers(&events);
        self.note_group_records(&events);
        Ok(events)
    }

    /// `ticks` moments of simulated time, each noted at its own tick.
    fn advance(&mut self, ticks: u32) -> Outcome {
        if u64::from(ticks) > limits::MAX_TICKS_PER_ADVANCE {
            return over_limit(limits::over(
                "ticks in one advance",
                limits::MAX_TICKS_PER_ADVANCE,
            ));
        }
        let mut events = Vec::new();
        for _ in 0..ticks {
            events.extend(self.moment(|engine| Ok(engine.advance_one_tick()))?);
            self.tally_unowned_partitions();
        }
        events.push(Event::ClockAdvanced { tick: self.tick });
        Ok(events)
    }

    /// Adds this tick's partitions without a reader to each group's tally.
    fn tally_unowned_partitions(&mut self) {
        for g in self.groups.values_mut() {
            if g.members.is_empty() && !g.has_modern_members() {
                continue;
            }
            let unowned = g.unowned_since_tick.len() as u64;
            g.unowned_ticks_since_join = g.unowned_ticks_since_join.saturating_add(unowned);
        }
    }

    /// Keeps each group's record of partitions nobody reads, from what just happened.
    fn note_handovers(&mut self, events: &[Event]) {
        let now = self.tick;
        for event in events {
            match event {
                Event::PartitionsRevoked {
                    group, partitions, ..
                } => {
                    if let Some(g) = self.groups.get_mut(group) {
                        for tp in partitions {
                            g.unowned_since_tick.entry(tp.clone()).or_insert(now);
                        }
                    }
                }
                Event::PartitionsAssigned {
                    group, partitions, ..
                } => {
                    if let Some(g) = self.groups.get_mut(group) {
                        for tp in partitions {
                            g.unowned_since_tick.remove(tp);
                        }
                    }
                }
                Event::ConsumerCrashed { client_id } => {
                    let Some(c) = self.consumers.get(client_id) else {
                        continue;
                    };
                    let owned = c.assignment.clone();
                    if let Some(g) = c.group.clone().and_then(|g| self.groups.get_mut(&g)) {
                        for tp in owned {
                            g.unowned_since_tick.entry(tp).or_insert(now);
                        }
                    }
                }
                Event::TopicDeleted { topic } => {
                    for g in self.groups.values_mut() {
                        g.unowned_since_tick.retain(|tp, _| tp.topic != *topic);
                    }
                }
                _ => {}
            }
        }
    }

    fn apply_command(&mut self, command: &Command) -> Outcome {
        match command {
            Command::CreateTopic {
                name,
                partitions,
                configs,
            } => self.create_topic(name, *partitions, configs),
            Command::DeleteTopic { name } => self.delete_topic(name),
            Command::AddPartitions { topic, total } => self.add_partitions(topic, *total),
            Command::AlterTopicConfig { topic, set, delete } => {
                self.alter_topic_config(topic, set, delete)
            }
            Command::AddProducer { name, null_key } => self.add_producer(name, *null_key),
            Command::RemoveProducer { name } => self.remove_producer(name),
            Command::Produce {
                producer,
                topic,
                partition,
                key,
                value,
                headers,
            } => {
                if let Err(reason) = self.check_records_total(1) {
                    return over_limit(reason);
                }
                self.produce(
                    producer.as_deref().unwrap_or("console-producer"),
                    topic,
                    *partition,
                    key.as_deref(),
                    value.as_deref(),
                    headers,
                )
            }
            Command::SetProducerStream { producer, stream } => {
                self.set_producer_stream(producer, stream.clone())
            }
            Command::StartConsumer {
                client_id,
                group,
                topics,
                assign,
                config,
            } => {
                let started =
                    self.start_consumer(client_id, group.as_deref(), topics, assign, config);
                if let Some(g) = group.as_deref().and_then(|g| self.groups.get_mut(g)) {
                    if started.is_ok() && assign.is_empty() {
                        g.unowned_ticks_since_join = 0;
                    }
                }
                started
            }
            Command::StopConsumer { client_id } => self.stop_consumer(client_id),
            Command::CrashConsumer { client_id } => self.crash_consumer(client_id),
            Command::RestartConsumer { client_id } => self.restart_consumer(client_id),
            Command::RemoveConsumer { client_id } => self.remove_consumer(client_id),
            Command::SetConsumerConfig {
                client_id,
                key,
                value,
            } => self.set_consumer_config(client_id, key, value),
            Command::PauseConsumer { client_id } => self.pause_consumer(client_id, true),
            Command::ResumeConsumer { client_id } => self.pause_consumer(client_id, false),
            Command::Seek {
                client_id,
                partition,
                to,
            } => self.seek(client_id, partition.as_ref(), *to),
            Command::CommitSync { client_id } => self.commit_sync(client_id),
            Command::ResetOffsets {
                group,
                scope,
                spec,
                execute,
            } => self.reset_offsets(group, scope, *spec, *execute),
            Command::DeleteGroup { group } => self.delete_group(group),
            Command::DeleteOffsets { group, partitions } => self.delete_offsets(group, partitions),
            Command::RunCleaner { topic } => self.run_cleaner(topic.as_deref()),
            Command::RunRetention { topic } => self.run_retention(topic.as_deref()),
            Command::DeleteRecords {
                partition,
                before_offset,
            } => self.delete_records(partition, *before_offset),
            Command::SetBrokerConfig { key, value } => self.set_broker_config(key, value),
            Command::FillTopic {
                topic,
                records_per_partition,
            } => self.fill_topic(topic, *records_per_partition),
            Command::Share(share) => self.apply_share(share),
            Command::Advance { ticks } => self.advance(*ticks),
            Command::SetProducerConfig {
                producer,
                key,
                value,
            } => self.set_producer_config(producer, key, value),
            Command::SetProducerFault {
                producer,
                fault,
                once,
            } => self.set_producer_fault(producer, *fault, *once),
            Command::Transaction { producer, action } => self.transaction(producer, action),
            Command::AbortHangingTransaction {
                partition,
                start_offset,
            } => self.abort_hanging(partition, *start_offset),
            Command::CreateTopicOnReplicas {
                name,
                partitions,
                replication_factor,
                assignment,
                configs,
            } => self.create_replicated_topic(
                name,
                *partitions,
                *replication_factor,
                assignment.as_deref(),
                configs,
            ),
            Command::AddBroker => self.add_broker(),
            Command::StopBroker { broker } => self.stop_broker(*broker, false),
            Command::CrashBroker { broker } => self.stop_broker(*broker, true),
            Command::StartBroker { broker } => self.start_broker(*broker),
            Command::SlowBroker { broker, factor } => self.slow_broker(*broker, *factor),
            Command::ElectLeaders {
                election,
                partitions,
            } => self.elect_leaders(*election, partitions.as_deref()),
            Command::SetProducerAcks { producer, acks } => self.set_producer_acks(producer, *acks),
            Command::Pipeline(pipeline) => self.apply_pipeline(pipeline),
        }
    }

    // ---------------------------------------------------------------- topics

    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.get(name)
    }

    pub fn partition_log(&self, tp: &TopicPartition) -> Option<&PartitionLog> {
        self.topics.get(&tp.topic)?.partition(tp.partition)
    }

    /// The number of partitions of all topics together.
    pub fn partitions_total(&self) -> u64 {
        self.topics
            .values()
            .map(|t| u64::from(t.n_partitions()))
            .sum()
    }

    /// The records held in all logs together, from each log's start to its end
    /// (what [`limits::MAX_RECORDS_TOTAL`] bounds).
    pub fn records_total(&self) -> u64 {
        self.topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .map(|log| (log.high_watermark() - log.log_start_offset()).max(0) as u64)
            .sum()
    }

    /// The consumer groups known: those the coordinator holds and those consumers name.
    pub(crate) fn group_count(&self) -> usize {
        let mut names: std::collections::BTreeSet<&str> =
            self.groups.keys().map(String::as_str).collect();
        names.extend(self.consumers.values().filter_map(|c| c.group.as_deref()));
        names.len()
    }

    /// Whether `more` records fit within [`limits::MAX_RECORDS_TOTAL`].
    fn check_records_total(&self, more: u64) -> Result<(), String> {
        if self.records_total().saturating_add(more) > limits::MAX_RECORDS_TOTAL {
            return Err(limits::over(
                "records in all logs together",
                limits::MAX_RECORDS_TOTAL,
            ));
        }
        Ok(())
    }

    /// Partition counts of every topic, for the assignors.
    pub fn partition_counts(&self) -> BTreeMap<String, u32> {
        self.topics
            .iter()
            .map(|(n, t)| (n.clone(), t.n_partitions()))
            .collect()
    }

    fn create_topic(
        &mut self,
        name: &str,
        partitions: i64,
        configs: &[(String, String)],
    ) -> Outcome {
        topic::validate_topic_name(name)?;
        if self.topics.contains_key(name) {
            return Err(Rejection::new(
                RejectionKind::TopicExists,
                format!("Topic '{name}' already exists."),
            ));
        }
        // Metric names turn '.' into '_': Kafka refuses a name that would collide.
        let metric_name = |topic: &str| topic.replace('.', "_");
        if let Some(existing) = self
            .topics
            .keys()
            .find(|t| metric_name(t) == metric_name(name))
        {
            return Err(Rejection::new(
                RejectionKind::InvalidTopic,
                format!("Topic '{name}' collides with existing topic: {existing}"),
            ));
        }
        if partitions < 1 {
            return rejected("The partitions must be greater than 0");
        }
        if partitions > i64::from(limits::MAX_PARTITIONS_PER_TOPIC) {
            return over_limit(limits::over(
                "partitions per topic",
                limits::MAX_PARTITIONS_PER_TOPIC.into(),
            ));
        }
        if self.topics.len() >= limits::MAX_TOPICS {
            return over_limit(limits::over("topics", limits::MAX_TOPICS as u64));
        }
        if self.partitions_total() + partitions as u64 > limits::MAX_PARTITIONS_TOTAL {
            return over_limit(limits::over(
                "partitions in all topics together",
                limits::MAX_PARTITIONS_TOTAL,
            ));
        }
        let overrides: BTreeMap<String, String> = crate::sort::collect_map(configs.iter().cloned());
        let config = topic::config_with_overrides(&overrides)?;
        let id = topic::new_topic_id(&mut self.rng);
        let n = partitions as u32;
        self.topics.insert(
            name.to_string(),
            Topic {
                name: name.to_string(),
                id,
                partitions: (0..n).map(|_| PartitionLog::new()).collect(),
                config,
                overrides,
            },
        );
        Ok(vec![Event::TopicCreated {
            topic: name.to_string(),
            partitions: n,
        }])
    }

    fn delete_topic(&mut self, name: &str) -> Outcome {
        if self.topics.remove(name).is_none() {
            return rejected(format!("Topic '{name}' does not exist as expected"));
        }
        let mut events = vec![Event::TopicDeleted {
            topic: name.to_string(),
        }];
        for group in self.groups.values_mut() {
            group.committed.retain(|tp, _| tp.topic != name);
        }
        for producer in self.producers.values_mut() {
            producer.null_key_state.remove(name);
            if producer.stream.as_ref().is_some_and(|s| s.topic == name) {
                producer.stream = None;
                events.push(Event::ProducerStreamChanged {
                    producer: producer.name.clone(),
                    running: false,
                });
            }
        }
        events.extend(self.on_metadata_change(name));
        Ok(events)
    }

    fn add_partitions(&mut self, name: &str, total: i64) -> Outcome {
        let Some(topic) = self.topics.get(name) else {
            return rejected(format!("Topic '{name}' does not exist as expected"));
        };
        let current = i64::from(topic.n_partitions());
        if total <= current {
            return Err(Rejection::new(
                RejectionKind::InvalidPartitions,
                format!("The topic {name} currently has {current} partition(s); {total} would not be an increase."),
            ));
        }
        if total > i64::from(limits::MAX_PARTITIONS_PER_TOPIC) {
            return over_limit(limits::over(
                "partitions per topic",
                limits::MAX_PARTITIONS_PER_TOPIC.into(),
            ));
        }
        let others = self.partitions_total() - current as u64;
        if others + total as u64 > limits::MAX_PARTITIONS_TOTAL {
            return over_limit(limits::over(
                "partitions in all topics together",
                limits::MAX_PARTITIONS_TOTAL,
            ));
        }
        let Some(topic) = self.topics.get_mut(name) else {
            return rejected(format!("Topic '{name}' does not exist as expected"));
        };
        topic
            .partitions
            .resize_with(total as usize, PartitionLog::new);
        let mut events = vec![Event::PartitionsAdded {
            topic: name.to_string(),
            from: current as u32,
            to: total as u32,
        }];
        events.extend(self.on_metadata_change(name));
        Ok(events)
    }

    fn alter_topic_config(
        &mut self,
        name: &str,
        set: &[(String, String)],
        delete: &[String],
    ) -> Outcome {
        let Some(topic) = self.topics.get_mut(name) else {
            return rejected(format!("Topic '{name}' does not exist as expected"));
        };
        let mut overrides = topic.overrides.clone();
        for key in delete {
            if !topic::TOPIC_CONFIGS.contains(&key.as_str()) {
                return Err(topic::unknown_config(key));
            }
            overrides.remove(key);
        }
        for (k, v) in set {
            overrides.insert(k.clone(), v.clone());
        }
        let config = topic::config_with_overrides(&overrides)?;
        topic.config = config;
        topic.overrides = overrides;
        let mut events: Vec<Event> = delete
            .iter()
            .map(|k| Event::TopicConfigChanged {
                topic: name.to_string(),
                key: k.clone(),
                value: None,
            })
            .collect();
        events.extend(set.iter().map(|(k, v)| Event::TopicConfigChanged {
            topic: name.to_string(),
            key: k.clone(),
            value: Some(v.clone()),
        }));
        // Setting `unclean.leader.election.enable` elects nothing at once: the real 4.4.0
        // cluster leaves an offline partition leaderless after the change (its controller
        // checks every `unclean.leader.election.interval.ms`, 5 min); the next broker event's
        // election reads the new value (c3x_unclean_by_topic_config).
        Ok(events)
    }

    // ---------------------------------------------------------------- producers

    fn add_producer(&mut self, name: &str, null_key: NullKeyStrategy) -> Outcome {
        if name.trim().is_empty() {
            return rejected("A producer needs a name.");
        }
        if self.producers.contains_key(name) {
            return rejected(format!("Producer {name} already exists."));
        }
        if self.producers.len() >= limits::MAX_PRODUCERS {
            return over_limit(limits::over("producers", limits::MAX_PRODUCERS as u64));
        }
        self.producers
            .insert(name.to_string(), new_producer(name, null_key));
        self.give_pending_acks(name);
        Ok(vec![Event::ProducerAdded {
            producer: name.to_string(),
        }])
    }

    fn remove_producer(&mut self, name: &str) -> Outcome {
        if self.producers.remove(name).is_none() {
            return rejected(format!("Producer {name} does not exist."));
        }
        Ok(vec![Event::ProducerRemoved {
            producer: name.to_string(),
        }])
    }

    fn set_producer_stream(&mut self, name: &str, stream: Option<ProducerStream>) -> Outcome {
        if let Some(s) = &stream {
            if !self.topics.contains_key(&s.topic) {
                return rejected(format!(
                    "Topic {} not present in metadata after 60000 ms.",
                    s.topic
                ));
            }
            let compacted = self
                .topics
                .get(&s.topic)
                .is_some_and(|t| t.config.cleanup_policy != CleanupPolicy::Delete);
            if compacted && s.key_pool == 0 {
                return rejected(format!(
                    "Compacted topic cannot accept message without key in topic partition {}-0",
                    s.topic
                ));
            }
            if s.millirecords_per_second == 0 {
                return rejected("A stream needs a rate above 0 records per second.");
            }
            if s.millirecords_per_second > limits::MAX_STREAM_MILLIRECORDS_PER_SECOND {
                return rejected(
                    "The simulator streams at most 1000 records per second per producer.",
                );
            }
        }
        let Some(producer) = self.producers.get_mut(name) else {
            return rejected(format!("Producer {name} does not exist."));
        };
        let running = stream.is_some();
        producer.stream = stream;
        producer.stream_credit_millirecords = 0;
        Ok(vec![Event::ProducerStreamChanged {
            producer: name.to_string(),
            running,
        }])
    }

    /// Sends one record (SEMANTICS §1): explicit partition, else murmur2 of the key, else
    /// the producer's null-key strategy.
    fn produce(
        &mut self,
        producer_name: &str,
        topic_name: &str,
        partition: Option<i64>,
        key: Option<&str>,
        value: Option<&str>,
        headers: &[(String, String)],
    ) -> Outcome {
        let now_ms = self.now_ms();
        let Some(topic) = self.topics.get(topic_name) else {
            return Err(Rejection::new(
                RejectionKind::UnknownTopic,
                format!("Topic {topic_name} not present in metadata after 60000 ms."),
            ));
        };
        let n = topic.n_partitions();
        if let Some(p) = partition {
            if p < 0 || p >= i64::from(n) {
                return rejected(format!(
                    "Invalid partition given with record: {p} is not in the range [0...{n})."
                ));
            }
        }
        if key.is_none() && topic.config.cleanup_policy != CleanupPolicy::Delete {
            return Err(Rejection::new(
                RejectionKind::InvalidRecord,
                format!(
                    "Compacted topic cannot accept message without key in topic partition {topic_name}-{}",
                    partition.unwrap_or(0)
                ),
            ));
        }
        let headers: Vec<(Arc<str>, Arc<str>)> = headers
            .iter()
            .map(|(k, v)| (Arc::from(k.as_str()), Arc::from(v.as_str())))
            .collect();
        let size_bytes = record_size_bytes(key, value, &headers);
        if u64::from(size_bytes) > limits::MAX_RECORD_BYTES {
            return Err(Rejection::new(RejectionKind::RecordTooLarge, format!(
                "The message is {size_bytes} bytes when serialized which is larger than {}, which is the value of the max.request.size configuration.",
                limits::MAX_RECORD_BYTES
            )));
        }
        if !self.producers.contains_key(producer_name)
            && self.producers.len() >= limits::MAX_PRODUCERS
        {
            return over_limit(limits::over("producers", limits::MAX_PRODUCERS as u64));
        }
        if let Some(existing) = self.producers.get(producer_name) {
            let named = match (partition, key) {
                (Some(p), _) => p as u32,
                (None, Some(k)) => partitioner::partition_for_key(k.as_bytes(), n),
                (None, None) => existing
                    .null_key_state
                    .get(topic_name)
                    .and_then(|s| s.sticky_partition)
                    .unwrap_or(0),
            };
            txn::send::check_send(existing, &format!("{topic_name}-{named}"))?;
        }
        let mut events = Vec::new();
        if !self.producers.contains_key(producer_name) {
            self.producers.insert(
                producer_name.to_string(),
                new_producer(producer_name, NullKeyStrategy::Sticky),
            );
            self.give_pending_acks(producer_name);
            events.push(Event::ProducerAdded {
                producer: producer_name.to_string(),
            });
        }
        let Some(producer) = self.producers.get_mut(producer_name) else {
            return rejected("internal: producer vanished");
        };
        let chosen = match (partition, key) {
            (Some(p), _) => p as u32,
            (None, Some(k)) => partitioner::partition_for_key(k.as_bytes(), n),
            (None, None) => partitioner::partition_for_null_key(
                producer.null_key,
                producer
                    .null_key_state
                    .entry(topic_name.to_string())
                    .or_default(),
                n,
                size_bytes,
                producer.batch_size_bytes,
                &mut self.rng,
            ),
        };
        let placement = match (partition, key) {
            (Some(_), _) => Placement::Explicit,
            (None, Some(_)) => Placement::Keyed { n_partitions: n },
            (None, None) => match producer.null_key {
                NullKeyStrategy::Sticky => Placement::KeylessSticky,
                NullKeyStrategy::RoundRobin => Placement::KeylessRoundRobin,
            },
        };
        let record = Record {
            offset: 0,
            timestamp_ms: now_ms,
            key: key.map(Arc::from),
            value: value.map(Arc::from),
            headers,
            size_bytes,
            placement,
        };
        let waiting_tp = TopicPartition::new(topic_name, chosen);
        let refusal = self.cluster_refuses_produce(topic_name, chosen, producer_name);
        if refusal.is_some() || self.has_waiting(producer_name, &waiting_tp) {
            return self.hold_record(producer_name, waiting_tp, record, refusal, events);
        }
        let Some(producer) = self.producers.get_mut(producer_name) else {
            return rejected("internal: producer vanished");
        };
        producer.records_sent += 1;
        let Some(topic) = self.topics.get_mut(topic_name) else {
            return rejected(format!(
                "Topic {topic_name} not present in metadata after 60000 ms."
            ));
        };
        let config = topic.config.clone();
        let Some(log) = topic.partitions.get_mut(chosen as usize) else {
            return rejected("internal: partition out of range");
        };
        let Some(producer) = self.producers.get_mut(producer_name) else {
            return rejected("internal: producer vanished");
        };
        let tp = TopicPartition::new(topic_name, chosen);
        events.extend(txn::send::deliver(
            producer,
            &mut self.transactions,
            log,
            &tp,
            record,
            now_ms,
            &config,
        ));
        Ok(events)
    }

    /// Sends what each stream owes this tick. A stream whose record is refused (its topic
    /// became compacted and it has no keys, or the logs are full) stops, with one
    /// rejection: it would only be refused again every tick until changed.
    fn tick_producers(&mut self) -> Vec<Event> {
        let mut sends: Vec<(String, String, Option<String>)> = Vec::new();
        let names: Vec<String> = self.producers.keys().cloned().collect();
        let mut room = limits::MAX_RECORDS_TOTAL.saturating_sub(
            if self.producers.values().any(|p| p.stream.is_some()) {
                self.records_total()
            } else {
                0
            },
        );
        let mut events = Vec::new();
        for name in names {
            let Some(producer) = self.producers.get_mut(&name) else {
                continue;
            };
            let Some(stream) = producer.stream.clone() else {
                continue;
            };
            producer.stream_credit_millirecords +=
                u64::from(stream.millirecords_per_second) * time::MS_PER_TICK as u64;
            while producer.stream_credit_millirecords >= 1_000_000 {
                producer.stream_credit_millirecords -= 1_000_000;
                if room == 0 {
                    producer.stream = None;
                    producer.stream_credit_millirecords = 0;
                    events.push(Event::Rejected {
                        reason: limits::over(
                            "records in all logs together",
                            limits::MAX_RECORDS_TOTAL,
                        ),
                    });
                    events.push(Event::ProducerStreamChanged {
                        producer: name.clone(),
                        running: false,
                    });
                    break;
                }
                room -= 1;
                let key = (stream.key_pool > 0).then(|| {
                    format!(
                        "{}{}",
                        stream.key_prefix,
                        self.rng.below(u64::from(stream.key_pool))
                    )
                });
                sends.push((name.clone(), stream.topic.clone(), key));
            }
        }
        for (name, topic, key) in sends {
            let Some(producer) = self.producers.get(&name) else {
                continue;
            };
            if producer.stream.is_none() {
                // Stopped earlier this tick: its remaining sends are dropped.
                continue;
            }
            let value = format!("{name} #{}", producer.records_sent + 1);
            let sent = self.produce(&name, &topic, None, key.as_deref(), Some(&value), &[]);
            if let Err(refusal) = sent.map(|sent| events.extend(sent)) {
                events.push(Event::Rejected {
                    reason: refusal.reason,
                });
                if let Some(producer) = self.producers.get_mut(&name) {
                    producer.stream = None;
                    producer.stream_credit_millirecords = 0;
                }
                events.push(Event::ProducerStreamChanged {
                    producer: name.clone(),
                    running: false,
                });
            }
        }
        events
    }

    // ---------------------------------------------------------------- log maintenance

    /// `retention run [--topic t]`: the retention check, now.
    fn run_retention(&mut self, only: Option<&str>) -> Outcome {
        if let Some(t) = only {
            if !self.topics.contains_key(t) {
                return rejected(format!("Topic '{t}' does not exist as expected"));
            }
        }
        Ok(self.enforce_retention(only))
    }

    /// Deletes the segments past retention in `only` (or in every topic).
    fn enforce_retention(&mut self, only: Option<&str>) -> Vec<Event> {
        self.each_log(only, CleanupPolicy::Compact, |tp, log, now_ms, config| {
            let outcome = log.enforce_retention(now_ms, config);
            (outcome.segments_deleted() > 0).then(|| Event::SegmentsDeleted {
                partition: tp,
                segments: outcome.segments_deleted(),
                records: outcome.records_deleted,
                old_log_start_offset: outcome.old_log_start_offset,
                new_log_start_offset: outcome.new_log_start_offset,
            })
        })
    }

    /// Runs `f` on every partition of `only` (or of every topic) whose cleanup policy is
    /// not `skip`, collecting the events it returns.
    fn each_log(
        &mut self,
        only: Option<&str>,
        skip: CleanupPolicy,
        mut f: impl FnMut(TopicPartition, &mut PartitionLog, i64, &log::LogConfig) -> Option<Event>,
    ) -> Vec<Event> {
        let now_ms = self.now_ms();
        let mut events = Vec::new();
        for topic in self
            .topics
            .values_mut()
            .filter(|t| only.is_none_or(|o| o == t.name))
        {
            if topic.config.cleanup_policy == skip {
                continue;
            }
            let config = topic.config.clone();
            for (p, log) in topic.partitions.iter_mut().enumerate() {
                events.extend(f(
                    TopicPartition::new(topic.name.clone(), p as u32),
                    log,
                    now_ms,
                    &config,
                ));
            }
        }
        events
    }

    fn run_cleaner(&mut self, only: Option<&str>) -> Outcome {
        if let Some(t) = only {
            match self.topics.get(t) {
                None => return rejected(format!("Topic '{t}' does not exist as expected")),
                Some(topic) if topic.config.cleanup_policy == CleanupPolicy::Delete => {
                    return rejected(format!(
                        "Topic {t} has cleanup.policy=delete: the log cleaner does not compact it."
                    ))
                }
                Some(_) => {}
            }
        }
        Ok(
            self.each_log(only, CleanupPolicy::Delete, |tp, log, now_ms, config| {
                let outcome = log.compact(now_ms, config);
                (outcome.records_removed > 0).then_some(Event::LogCompacted {
                    partition: tp,
                    records_removed: outcome.records_removed,
                })
            }),
        )
    }

    fn delete_records(&mut self, tp: &TopicPartition, before_offset: i64) -> Outcome {
        let Some(log) = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partitions.get_mut(tp.partition as usize))
        else {
            return rejected(format!(
                "This server does not host this topic-partition: {tp}"
            ));
        };
        if before_offset < 0 || before_offset > log.high_watermark() {
            return rejected(format!(
                "The requested offset {before_offset} is not within the range of offsets [{}, {}] of {tp}.",
                log.log_start_offset(),
                log.high_watermark()
            ));
        }
        log.delete_records_before(before_offset);
        Ok(vec![Event::RecordsDeleted {
            partition: tp.clone(),
            new_log_start_offset: log.log_start_offset(),
        }])
    }

    /// Appends synthetic records to every partition, sharing one value and a pool of keys so
    /// a million records cost only the log's own memory.
    fn fill_topic(&mut self, name: &str, per_partition: u64) -> Outcome {
        if per_partition > limits::MAX_FILL_PER_PARTITION {
            return over_limit(limits::over(
                "records per partition in one fill",
                limits::MAX_FILL_PER_PARTITION,
            ));
        }
        let now_ms = self.now_ms();
        let Some(topic) = self.topics.get(name) else {
            return rejected(format!("Topic '{name}' does not exist as expected"));
        };
        let total = per_partition.saturating_mul(u64::from(topic.n_partitions()));
        if total > limits::MAX_FILL_TOTAL {
            return over_limit(limits::over(
                "records in one fill (all partitions together)",
                limits::MAX_FILL_TOTAL,
            ));
        }
        if let Err(reason) = self.check_records_total(total) {
            return over_limit(reason);
        }
        let Some(topic) = self.topics.get_mut(name) else {
            return rejected(format!("Topic '{name}' does not exist as expected"));
        };
        let keys: Vec<Arc<str>> = (0..64)
            .map(|i| Arc::from(format!("key-{i}").as_str()))
            .collect();
        let value: Arc<str> = Arc::from("synthetic record");
        let config = topic.config.clone();
        for log in &mut topic.partitions {
            for i in 0..per_partition {
                let key = keys[(i % 64) as usize].clone();
                let size_bytes = record_size_bytes(Some(&key), Some(&value), &[]);
                let record = Record {
                    offset: 0,
                    timestamp_ms: now_ms,
                    key: Some(key),
                    value: Some(value.clone()),
                    headers: Vec::new(),
                    size_bytes,
                    placement: Placement::Synthetic,
                };
                log.append(record, now_ms, &config);
            }
        }
        Ok(vec![Event::TopicFilled {
            topic: name.to_string(),
            records_per_partition: per_partition,
        }])
    }

    fn set_broker_config(&mut self, key: &str, value: &str) -> Outcome {
        if let Some(outcome) = self.set_consumer_group_broker_config(key, value) {
            return outcome;
        }
        if let Some(outcome) = self.set_cluster_config(key, value) {
            return outcome;
        }
        let parsed: Result<i64, _> = value.trim().parse();
        let Ok(v) = parsed else {
            return rejected(format!(
                "Invalid value {value} for configuration {key}: Not a number of type LONG"
            ));
        };
        match key {
            "log.retention.check.interval.ms" if v >= 1 => {
                self.broker.retention_check_interval_ms = v
            }
            "group.initial.rebalance.delay.ms" if v >= 0 => {
                self.broker.group_initial_rebalance_delay_ms = v
            }
            "log.initial.task.delay.ms" if v >= 0 => self.broker.initial_task_delay_ms = v,
            "log.retention.check.interval.ms" => {
                return rejected(format!(
                    "Invalid value {value} for configuration {key}: Value must be at least 1"
                ))
            }
            "group.initial.rebalance.delay.ms" | "log.initial.task.delay.ms" => {
                return rejected(format!(
                    "Invalid value {value} for configuration {key}: Value must be at least 0"
                ))
            }
            _ => return rejected(format!("Unknown broker config: {key}")),
        }
        Ok(vec![Event::BrokerConfigChanged {
            key: key.to_string(),
            value: v.to_string(),
        }])
    }

    // ---------------------------------------------------------------- time

    /// One tick of simulated time: producers' streams, the retention check, the group
    /// coordinator's timers, then every consumer (heartbeat, process, poll).
    fn advance_one_tick(&mut self) -> Vec<Event> {
        self.tick += 1;
        let mut events = self.tick_producers();
        events.extend(self.tick_cluster());
        events.extend(self.tick_retries());
        if self.tick >= self.next_retention_check_tick() {
            self.last_retention_check_tick = self.tick;
            self.retention_checked = true;
            events.extend(self.enforce_retention(None));
        }
        events.extend(self.tick_transactions());
        events.extend(self.tick_groups());
        events.extend(self.tick_modern_groups());
        events.extend(self.tick_consumers());
        events.extend(self.tick_share());
        if self.tick % group::LAG_SAMPLE_EVERY_TICKS == 0 {
            self.sample_lag();
        }
        events
    }

    /// The tick of the log manager's next retention check: `log.initial.task.delay.ms` after
    /// the broker started, then every `log.retention.check.interval.ms` after the last one.
    fn next_retention_check_tick(&self) -> u64 {
        if self.retention_checked {
            let interval_ticks = time::ms_to_ticks(self.broker.retention_check_interval_ms).max(1);
            self.last_retention_check_tick + interval_ticks
        } else {
            time::ms_to_ticks(self.broker.initial_task_delay_ms).max(1)
        }
    }

    /// High watermark − committed offset for one partition (what `--describe` calls LAG).
    pub fn committed_lag(&self, group: &Group, tp: &TopicPartition) -> Option<i64> {
        let committed = group.committed.get(tp)?;
        let hw = self.partition_log(tp)?.high_watermark();
        Some((hw - committed.offset).max(0))
    }

    fn sample_lag(&mut self) {
        let tick = self.tick;
        let mut samples = Vec::new();
        for group in self.groups.values() {
            let partitions: Vec<(TopicPartition, i64)> = group
                .committed
                .keys()
                .filter_map(|tp| Some((tp.clone(), self.committed_lag(group, tp)?)))
                .collect();
            let committed_lag = partitions.iter().map(|(_, l)| l).sum();
            let position_lag = self
                .consumers
                .values()
                .filter(|c| c.is_running() && c.group.as_deref() == Some(group.id.as_str()))
                .flat_map(|c| c.assignment.iter().map(move |tp| (tp, c.positions.get(tp))))
                .filter_map(|(tp, pos)| {
                    Some((self.partition_log(tp)?.high_watermark() - pos.copied()?).max(0))
                })
                .sum();
            samples.push((
                group.id.clone(),
                group::LagSample {
                    tick,
                    committed_lag,
                    partitions,
                    position_lag,
                },
            ));
        }
        for (id, s) in samples {
            if let Some(group) = self.groups.get_mut(&id) {
                if group.lag_history.len() == group::LAG_HISTORY_LEN {
                    group.lag_history.pop_front();
                }
                group.lag_history.push_back(s);
            }
        }
    }

    /// A fresh member id in Kafka's format: `client.id` + `-` + a UUID.
    fn new_member_id(&mut self, client_id: &str) -> String {
        let a = self.rng.next_u64();
        let b = self.rng.next_u64();
        format!(
            "{client_id}-{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

fn new_producer(name: &str, null_key: NullKeyStrategy) -> Producer {
    Producer {
        name: name.to_string(),
        null_key,
        batch_size_bytes: partitioner::DEFAULT_BATCH_SIZE_BYTES,
        null_key_state: BTreeMap::new(),
        stream: None,
        stream_credit_millirecords: 0,
        records_sent: 0,
        txn: txn::ProducerTxn::default(),
        waiting: Vec::new(),
    }
}
