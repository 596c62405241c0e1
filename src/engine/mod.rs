//! The broker model: topics, partitions, producers, consumers and groups.
//!
//! Pure and deterministic: commands in, events out, `state = f(seed, commands)`.
//! No web crate, no wall clock, no `HashMap` iteration in anything observable.

pub mod assign;
pub mod log;
pub mod partitioner;
pub mod rng;
pub mod time;
pub mod types;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use self::log::{LogConfig, PartitionLog};
use self::rng::SimRng;
pub use self::types::{record_size_bytes, Record, TopicPartition};

/// A topic: its partitions' logs and its configs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    pub partitions: Vec<PartitionLog>,
    pub config: LogConfig,
}

/// A consumer reading a fixed set of partitions (walking skeleton: standalone only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumer {
    pub name: String,
    pub positions: BTreeMap<TopicPartition, i64>,
    /// Records read per tick.
    pub records_per_tick: u32,
}

/// What a user (or a script) asks the simulator to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    CreateTopic {
        name: String,
        partitions: u32,
    },
    Produce {
        topic: String,
        key: Option<String>,
        value: Option<String>,
    },
    AssignConsumer {
        name: String,
        topic: String,
    },
    Tick,
}

/// What happened, in the past tense.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    TopicCreated {
        name: String,
        partitions: u32,
    },
    RecordAppended {
        topic: String,
        partition: u32,
        offset: i64,
    },
    ConsumerAssigned {
        name: String,
        partitions: Vec<TopicPartition>,
    },
    RecordsPolled {
        consumer: String,
        partition: TopicPartition,
        from_offset: i64,
        to_offset: i64,
    },
    Ticked {
        tick: u64,
    },
    Rejected {
        reason: String,
    },
}

/// The whole simulated cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engine {
    pub tick: u64,
    rng: SimRng,
    pub topics: BTreeMap<String, Topic>,
    pub consumers: BTreeMap<String, Consumer>,
}

impl Engine {
    pub fn new(seed: u64) -> Self {
        Self {
            tick: 0,
            rng: SimRng::new(seed),
            topics: BTreeMap::new(),
            consumers: BTreeMap::new(),
        }
    }

    pub fn now_ms(&self) -> i64 {
        time::tick_to_ms(self.tick)
    }

    /// Applies one command and returns what happened. Never panics.
    pub fn apply(&mut self, command: &Command) -> Vec<Event> {
        match command {
            Command::CreateTopic { name, partitions } => self.create_topic(name, *partitions),
            Command::Produce { topic, key, value } => {
                self.produce(topic, key.as_deref(), value.as_deref())
            }
            Command::AssignConsumer { name, topic } => self.assign_consumer(name, topic),
            Command::Tick => self.advance_tick(),
        }
    }

    fn create_topic(&mut self, name: &str, partitions: u32) -> Vec<Event> {
        if partitions == 0 {
            return rejected("Number of partitions must be larger than 0.");
        }
        if self.topics.contains_key(name) {
            return rejected(&format!("Topic '{name}' already exists."));
        }
        self.topics.insert(
            name.to_string(),
            Topic {
                name: name.to_string(),
                partitions: (0..partitions).map(|_| PartitionLog::new()).collect(),
                config: LogConfig::default(),
            },
        );
        vec![Event::TopicCreated {
            name: name.to_string(),
            partitions,
        }]
    }

    fn produce(&mut self, topic: &str, key: Option<&str>, value: Option<&str>) -> Vec<Event> {
        let now_ms = self.now_ms();
        let Some(t) = self.topics.get_mut(topic) else {
            return rejected(&format!("Topic {topic} not present in metadata."));
        };
        let n = t.partitions.len() as u32;
        let partition = match key {
            Some(k) => partitioner::partition_for_key(k.as_bytes(), n),
            None => self.rng.below(u64::from(n)) as u32,
        };
        let record = Record {
            offset: 0,
            timestamp_ms: now_ms,
            key: key.map(Arc::from),
            value: value.map(Arc::from),
            headers: Vec::new(),
            size_bytes: record_size_bytes(key, value, &[]),
        };
        let Some(log) = t.partitions.get_mut(partition as usize) else {
            return rejected("partition out of range");
        };
        let offset = log.append(record, now_ms, &t.config);
        vec![Event::RecordAppended {
            topic: topic.to_string(),
            partition,
            offset,
        }]
    }

    fn assign_consumer(&mut self, name: &str, topic: &str) -> Vec<Event> {
        let Some(t) = self.topics.get(topic) else {
            return rejected(&format!("Topic {topic} not present in metadata."));
        };
        let positions: BTreeMap<TopicPartition, i64> = (0..t.partitions.len() as u32)
            .map(|p| (TopicPartition::new(topic, p), 0))
            .collect();
        let partitions = positions.keys().cloned().collect();
        self.consumers.insert(
            name.to_string(),
            Consumer {
                name: name.to_string(),
                positions,
                records_per_tick: 1,
            },
        );
        vec![Event::ConsumerAssigned {
            name: name.to_string(),
            partitions,
        }]
    }

    fn advance_tick(&mut self) -> Vec<Event> {
        self.tick += 1;
        let mut events = vec![Event::Ticked { tick: self.tick }];
        for consumer in self.consumers.values_mut() {
            let mut budget = consumer.records_per_tick as usize;
            for (tp, position) in consumer.positions.iter_mut() {
                if budget == 0 {
                    break;
                }
                let Some(log) = self
                    .topics
                    .get(&tp.topic)
                    .and_then(|t| t.partitions.get(tp.partition as usize))
                else {
                    continue;
                };
                if let Ok(records) = log.read(*position, budget) {
                    if let Some(last) = records.last() {
                        let from = *position;
                        *position = last.offset + 1;
                        budget -= records.len();
                        events.push(Event::RecordsPolled {
                            consumer: consumer.name.clone(),
                            partition: tp.clone(),
                            from_offset: from,
                            to_offset: *position,
                        });
                    }
                }
            }
        }
        events
    }
}

fn rejected(reason: &str) -> Vec<Event> {
    vec![Event::Rejected {
        reason: reason.to_string(),
    }]
}
