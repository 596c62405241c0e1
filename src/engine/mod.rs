//! The broker model: topics, partitions, producers, consumers and groups.
//!
//! Pure and deterministic, in the sans-IO style: [`Engine::apply`] takes a [`Command`] and
//! returns the [`Event`]s it caused; `state = f(seed, commands)`. No web crate, no wall
//! clock, no `HashMap` iteration in anything observable. Kafka's rules come from
//! SEMANTICS.md; each function names the rule it follows.

pub mod assign;
mod client;
pub mod command;
pub mod consumer;
mod coordinator;
pub mod event;
pub mod group;
pub mod log;
pub mod partitioner;
pub mod rng;
pub mod time;
pub mod topic;
pub mod types;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use self::command::{Command, ProducerStream, ResetScope, ResetSpec, SeekTarget};
pub use self::consumer::{Consumer, ConsumerConfig, ConsumerStatus};
pub use self::event::Event;
pub use self::group::{Group, GroupState};
use self::log::{CleanupPolicy, PartitionLog};
use self::partitioner::{NullKeyState, NullKeyStrategy};
use self::rng::SimRng;
pub use self::topic::Topic;
pub use self::types::{record_size_bytes, Record, TopicPartition};

/// The largest partition count a topic may have in the simulator.
pub const MAX_PARTITIONS: i64 = 256;

/// The most records [`Command::FillTopic`] appends to one partition.
pub const MAX_FILL_PER_PARTITION: u64 = 2_000_000;

/// The fastest producer stream: 1000 records per simulated second.
pub const MAX_STREAM_MILLIRECORDS_PER_SECOND: u32 = 1_000_000;

/// Broker-wide settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerConfig {
    /// `log.retention.check.interval.ms` (Kafka's default: 5 minutes).
    pub retention_check_interval_ms: i64,
    /// `group.initial.rebalance.delay.ms` (Kafka's default: 3 seconds).
    pub group_initial_rebalance_delay_ms: i64,
}

impl Default for BrokerConfig {
    fn default() -> Self {
        Self {
            retention_check_interval_ms: 300_000,
            group_initial_rebalance_delay_ms: 3_000,
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
}

fn rejected(reason: impl Into<String>) -> Vec<Event> {
    vec![Event::Rejected {
        reason: reason.into(),
    }]
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
        }
    }

    /// The simulated time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        time::tick_to_ms(self.tick)
    }

    /// Applies one command and returns what happened. Never panics: an invalid command
    /// gives a single [`Event::Rejected`] and changes nothing.
    pub fn apply(&mut self, command: &Command) -> Vec<Event> {
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
            } => self.produce(
                producer.as_deref().unwrap_or("console-producer"),
                topic,
                *partition,
                key.as_deref(),
                value.as_deref(),
                headers,
            ),
            Command::SetProducerStream { producer, stream } => {
                self.set_producer_stream(producer, stream.clone())
            }
            Command::StartConsumer {
                client_id,
                group,
                topics,
                assign,
                config,
            } => self.start_consumer(client_id, group.as_deref(), topics, assign, config),
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
            Command::Advance { ticks } => {
                let mut events = Vec::new();
                for _ in 0..*ticks {
                    events.extend(self.advance_one_tick());
                }
                events.push(Event::ClockAdvanced { tick: self.tick });
                events
            }
        }
    }

    // ---------------------------------------------------------------- topics

    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.get(name)
    }

    pub fn partition_log(&self, tp: &TopicPartition) -> Option<&PartitionLog> {
        self.topics.get(&tp.topic)?.partition(tp.partition)
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
    ) -> Vec<Event> {
        if let Err(e) = topic::validate_topic_name(name) {
            return rejected(e);
        }
        if self.topics.contains_key(name) {
            return rejected(format!("Topic '{name}' already exists."));
        }
        // Metric names turn '.' into '_': Kafka refuses a name that would collide.
        let metric_name = |topic: &str| topic.replace('.', "_");
        if let Some(existing) = self
            .topics
            .keys()
            .find(|t| metric_name(t) == metric_name(name))
        {
            return rejected(format!(
                "Topic '{name}' collides with existing topic: {existing}"
            ));
        }
        if partitions < 1 {
            return rejected("The partitions must be greater than 0");
        }
        if partitions > MAX_PARTITIONS {
            return rejected(format!(
                "The simulator allows at most {MAX_PARTITIONS} partitions per topic."
            ));
        }
        let overrides: BTreeMap<String, String> = configs.iter().cloned().collect();
        let config = match topic::config_with_overrides(&overrides) {
            Ok(c) => c,
            Err(e) => return rejected(e),
        };
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
        vec![Event::TopicCreated {
            topic: name.to_string(),
            partitions: n,
        }]
    }

    fn delete_topic(&mut self, name: &str) -> Vec<Event> {
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
        events
    }

    fn add_partitions(&mut self, name: &str, total: i64) -> Vec<Event> {
        let Some(topic) = self.topics.get_mut(name) else {
            return rejected(format!("Topic '{name}' does not exist as expected"));
        };
        let current = i64::from(topic.n_partitions());
        if total <= current {
            return rejected(format!(
                "The topic {name} currently has {current} partition(s); {total} would not be an increase."
            ));
        }
        if total > MAX_PARTITIONS {
            return rejected(format!(
                "The simulator allows at most {MAX_PARTITIONS} partitions per topic."
            ));
        }
        topic
            .partitions
            .resize_with(total as usize, PartitionLog::new);
        let mut events = vec![Event::PartitionsAdded {
            topic: name.to_string(),
            from: current as u32,
            to: total as u32,
        }];
        events.extend(self.on_metadata_change(name));
        events
    }

    fn alter_topic_config(
        &mut self,
        name: &str,
        set: &[(String, String)],
        delete: &[String],
    ) -> Vec<Event> {
        let Some(topic) = self.topics.get_mut(name) else {
            return rejected(format!("Topic '{name}' does not exist as expected"));
        };
        let mut overrides = topic.overrides.clone();
        for key in delete {
            if !topic::TOPIC_CONFIGS.contains(&key.as_str()) {
                return rejected(format!("Unknown topic config name: {key}"));
            }
            overrides.remove(key);
        }
        for (k, v) in set {
            overrides.insert(k.clone(), v.clone());
        }
        let config = match topic::config_with_overrides(&overrides) {
            Ok(c) => c,
            Err(e) => return rejected(e),
        };
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
        events
    }

    // ---------------------------------------------------------------- producers

    fn add_producer(&mut self, name: &str, null_key: NullKeyStrategy) -> Vec<Event> {
        if name.trim().is_empty() {
            return rejected("A producer needs a name.");
        }
        if self.producers.contains_key(name) {
            return rejected(format!("Producer {name} already exists."));
        }
        self.producers
            .insert(name.to_string(), new_producer(name, null_key));
        vec![Event::ProducerAdded {
            producer: name.to_string(),
        }]
    }

    fn remove_producer(&mut self, name: &str) -> Vec<Event> {
        if self.producers.remove(name).is_none() {
            return rejected(format!("Producer {name} does not exist."));
        }
        vec![Event::ProducerRemoved {
            producer: name.to_string(),
        }]
    }

    fn set_producer_stream(&mut self, name: &str, stream: Option<ProducerStream>) -> Vec<Event> {
        if let Some(s) = &stream {
            if !self.topics.contains_key(&s.topic) {
                return rejected(format!(
                    "Topic {} not present in metadata after 60000 ms.",
                    s.topic
                ));
            }
            if s.millirecords_per_second == 0 {
                return rejected("A stream needs a rate above 0 records per second.");
            }
            if s.millirecords_per_second > MAX_STREAM_MILLIRECORDS_PER_SECOND {
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
        vec![Event::ProducerStreamChanged {
            producer: name.to_string(),
            running,
        }]
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
    ) -> Vec<Event> {
        let now_ms = self.now_ms();
        let Some(topic) = self.topics.get(topic_name) else {
            return rejected(format!(
                "Topic {topic_name} not present in metadata after 60000 ms."
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
            return rejected(format!(
                "Compacted topic cannot accept message without key in topic partition {topic_name}-{}",
                partition.unwrap_or(0)
            ));
        }
        let mut events = Vec::new();
        if !self.producers.contains_key(producer_name) {
            self.producers.insert(
                producer_name.to_string(),
                new_producer(producer_name, NullKeyStrategy::Sticky),
            );
            events.push(Event::ProducerAdded {
                producer: producer_name.to_string(),
            });
        }
        let headers: Vec<(Arc<str>, Arc<str>)> = headers
            .iter()
            .map(|(k, v)| (Arc::from(k.as_str()), Arc::from(v.as_str())))
            .collect();
        let size_bytes = record_size_bytes(key, value, &headers);
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
        producer.records_sent += 1;
        let record = Record {
            offset: 0,
            timestamp_ms: now_ms,
            key: key.map(Arc::from),
            value: value.map(Arc::from),
            headers,
            size_bytes,
        };
        let Some(topic) = self.topics.get_mut(topic_name) else {
            return rejected(format!(
                "Topic {topic_name} not present in metadata after 60000 ms."
            ));
        };
        let config = topic.config.clone();
        let Some(log) = topic.partitions.get_mut(chosen as usize) else {
            return rejected("internal: partition out of range");
        };
        let offset = log.append(record, now_ms, &config);
        events.push(Event::RecordProduced {
            producer: producer_name.to_string(),
            partition: TopicPartition::new(topic_name, chosen),
            offset,
            key: key.map(str::to_string),
        });
        events
    }

    fn tick_producers(&mut self) -> Vec<Event> {
        let mut sends: Vec<(String, String, Option<String>)> = Vec::new();
        let names: Vec<String> = self.producers.keys().cloned().collect();
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
        let mut events = Vec::new();
        for (name, topic, key) in sends {
            let n = self.producers.get(&name).map_or(0, |p| p.records_sent) + 1;
            let value = format!("{name} #{n}");
            events.extend(self.produce(&name, &topic, None, key.as_deref(), Some(&value), &[]));
        }
        events
    }

    // ---------------------------------------------------------------- log maintenance

    fn run_retention(&mut self, only: Option<&str>) -> Vec<Event> {
        if let Some(t) = only {
            if !self.topics.contains_key(t) {
                return rejected(format!("Topic '{t}' does not exist as expected"));
            }
        }
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

    fn run_cleaner(&mut self, only: Option<&str>) -> Vec<Event> {
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
        self.each_log(only, CleanupPolicy::Delete, |tp, log, now_ms, config| {
            let outcome = log.compact(now_ms, config);
            (outcome.records_removed > 0).then_some(Event::LogCompacted {
                partition: tp,
                records_removed: outcome.records_removed,
            })
        })
    }

    fn delete_records(&mut self, tp: &TopicPartition, before_offset: i64) -> Vec<Event> {
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
        vec![Event::RecordsDeleted {
            partition: tp.clone(),
            new_log_start_offset: log.log_start_offset(),
        }]
    }

    /// Appends synthetic records to every partition, sharing one value and a pool of keys so
    /// a million records cost only the log's own memory.
    fn fill_topic(&mut self, name: &str, per_partition: u64) -> Vec<Event> {
        if per_partition > MAX_FILL_PER_PARTITION {
            return rejected(format!("The simulator fills at most {MAX_FILL_PER_PARTITION} records per partition at once."));
        }
        let now_ms = self.now_ms();
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
                };
                log.append(record, now_ms, &config);
            }
        }
        vec![Event::TopicFilled {
            topic: name.to_string(),
            records_per_partition: per_partition,
        }]
    }

    fn set_broker_config(&mut self, key: &str, value: &str) -> Vec<Event> {
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
            "log.retention.check.interval.ms" => {
                return rejected(format!(
                    "Invalid value {value} for configuration {key}: Value must be at least 1"
                ))
            }
            "group.initial.rebalance.delay.ms" => {
                return rejected(format!(
                    "Invalid value {value} for configuration {key}: Value must be at least 0"
                ))
            }
            _ => return rejected(format!("Unknown broker config: {key}")),
        }
        vec![Event::BrokerConfigChanged {
            key: key.to_string(),
            value: v.to_string(),
        }]
    }

    // ---------------------------------------------------------------- time

    /// One tick of simulated time: producers' streams, the retention check, the group
    /// coordinator's timers, then every consumer (heartbeat, process, poll).
    fn advance_one_tick(&mut self) -> Vec<Event> {
        self.tick += 1;
        let mut events = self.tick_producers();
        let interval_ticks = time::ms_to_ticks(self.broker.retention_check_interval_ms).max(1);
        if self.tick >= self.last_retention_check_tick + interval_ticks {
            self.last_retention_check_tick = self.tick;
            events.extend(self.run_retention(None));
        }
        events.extend(self.tick_groups());
        events.extend(self.tick_consumers());
        if self.tick % group::LAG_SAMPLE_EVERY_TICKS == 0 {
            self.sample_lag();
        }
        events
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
    }
}
