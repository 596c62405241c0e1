//! A consume-transform-produce pipeline (SEMANTICS-4 §D.3, `sendOffsetsToTransaction`): it
//! reads a topic as a member of a consumer group, writes one transformed record (the value
//! in capitals, the input's place in a `source` header) to another topic for each record it
//! processes, and commits the offsets it read, either
//!
//! - exactly once: its consumer reads `read_committed`, and every batch of inputs is one
//!   transaction (`beginTransaction`, the outputs, `sendOffsetsToTransaction`,
//!   `commitTransaction`), so outputs and input offsets count together or not at all; or
//! - at least once: it writes the outputs, then commits the offsets (`commitSync`), so a
//!   crash in between makes it read those inputs again and write their outputs twice.
//!
//! It is made of an engine consumer and an engine producer that carry its name (the client
//! id and the producer's name; under exactly-once its `transactional.id` is its name too).
//! A crash kills both processes: an open transaction stays open, fetched records are lost.
//! A start makes a new instance: under exactly-once its `initTransactions` bumps the epoch,
//! which fences the old instance and aborts what it left open; then the consumer rejoins the
//! group and reads from the last committed offsets.
//!
//! Simplification: a batch is one poll's records (`max.poll.records`, 10 by default here);
//! Kafka Streams commits every `commit.interval.ms` (100 ms under exactly-once).

use serde::{Deserialize, Serialize};

use super::super::event::Event;
use super::super::rejection::{Rejection, RejectionKind};
use super::super::types::TopicPartition;
use super::super::{Engine, Outcome, TxnAction};
use super::{ClientTxnState, TxnEvent};

/// The header that names the input record an output was made from (`topic-partition@offset`).
pub const SOURCE_HEADER: &str = "source";

/// The records a pipeline's poll returns at most, unless configured otherwise.
pub const DEFAULT_MAX_POLL_RECORDS: u32 = 10;

/// How a pipeline commits what it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guarantee {
    ExactlyOnce,
    AtLeastOnce,
}

impl Guarantee {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExactlyOnce => "exactly-once",
            Self::AtLeastOnce => "at-least-once",
        }
    }
}

/// Whether a pipeline's processes run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PipelineStatus {
    Running,
    /// Closed gracefully (`pipeline stop`).
    Stopped,
    /// Killed (`pipeline crash`): an open transaction stays open until a new instance or the
    /// coordinator's timeout aborts it.
    Crashed,
    /// Stopped by an error it cannot recover from (fenced, a send that failed); the reason.
    Failed(String),
}

impl PipelineStatus {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Stopped => "stopped",
            Self::Crashed => "crashed",
            Self::Failed(_) => "failed",
        }
    }
}

/// `pipeline add NAME --from T --to U --group G [--exactly-once] [--rate R]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineSpec {
    pub name: String,
    pub from_topic: String,
    pub to_topic: String,
    pub group: String,
    pub guarantee: Guarantee,
    /// Records processed per simulated second, in thousandths (`None`: the consumer's default).
    #[serde(default)]
    pub millirecords_per_second: Option<u64>,
}

/// What a pipeline command does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PipelineCommand {
    Add(PipelineSpec),
    /// Kills its consumer and producer processes.
    Crash {
        name: String,
    },
    /// Starts a new instance after a crash, a stop or a failure.
    Start {
        name: String,
    },
    /// Closes it: an open transaction is aborted (its inputs will be read again), then the
    /// consumer leaves the group.
    Stop {
        name: String,
    },
}

/// A pipeline on the diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pipeline {
    pub spec: PipelineSpec,
    pub status: PipelineStatus,
    /// The inputs processed since the last commit, in order: their outputs are written, their
    /// offsets not yet committed (under exactly-once: the open transaction's inputs).
    pub uncommitted: Vec<(TopicPartition, i64)>,
    /// Records processed (each written once more downstream) since the pipeline was added.
    pub records_processed: u64,
    pub commits: u64,
    pub aborts: u64,
}

impl Pipeline {
    pub fn is_running(&self) -> bool {
        self.status == PipelineStatus::Running
    }
}

/// What a pipeline writes for an input value: the value in capitals.
pub fn transform(value: &str) -> String {
    value.to_uppercase()
}

fn refuse(text: impl Into<String>) -> Outcome {
    Err(Rejection::new(RejectionKind::Invalid, text))
}

/// A pipeline's steps, as events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "pipeline_event", rename_all = "snake_case")]
pub enum PipelineEvent {
    Added {
        pipeline: String,
        from_topic: String,
        to_topic: String,
        guarantee: Guarantee,
    },
    Crashed {
        pipeline: String,
        /// Outputs written whose inputs' offsets were not committed.
        uncommitted: usize,
    },
    Started {
        pipeline: String,
    },
    Stopped {
        pipeline: String,
    },
    Failed {
        pipeline: String,
        reason: String,
    },
}

impl PipelineEvent {
    /// One plain sentence for the event log.
    pub fn narrate(&self) -> String {
        match self {
            Self::Added { pipeline, from_topic, to_topic, guarantee } => format!(
                "Pipeline {pipeline} reads {from_topic} and writes each record, in capitals, to {to_topic} ({}).",
                guarantee.as_str()
            ),
            Self::Crashed { pipeline, uncommitted } => format!(
                "Pipeline {pipeline} crashed with {uncommitted} output(s) written whose inputs' offsets were not committed."
            ),
            Self::Started { pipeline } => format!(
                "Pipeline {pipeline} started a new instance: it reads again from its group's committed offsets."
            ),
            Self::Stopped { pipeline } => format!("Pipeline {pipeline} stopped."),
            Self::Failed { pipeline, reason } => format!("Pipeline {pipeline} failed: {reason}"),
        }
    }
}

fn pipeline_event(event: PipelineEvent) -> Event {
    Event::Txn(TxnEvent::Pipeline(event))
}

impl Engine {
    /// `pipeline add|crash|start|stop`.
    pub(in crate::engine) fn apply_pipeline(&mut self, command: &PipelineCommand) -> Outcome {
        match command {
            PipelineCommand::Add(spec) => self.add_pipeline(spec),
            PipelineCommand::Crash { name } => self.crash_pipeline(name),
            PipelineCommand::Start { name } => self.start_pipeline(name),
            PipelineCommand::Stop { name } => self.stop_pipeline(name),
        }
    }

    fn add_pipeline(&mut self, spec: &PipelineSpec) -> Outcome {
        let name = spec.name.as_str();
        if name.trim().is_empty() || name.contains(char::is_whitespace) {
            return refuse("A pipeline needs a name without spaces.");
        }
        if self.pipelines.contains_key(name)
            || self.producers.contains_key(name)
            || self.consumers.contains_key(name)
        {
            return refuse(format!(
                "{name} is taken: a pipeline's consumer and producer carry its name."
            ));
        }
        if self.pipelines.len() >= super::super::limits::MAX_PRODUCERS {
            return Err(Rejection::new(
                RejectionKind::OverLimit,
                super::super::limits::over("pipelines", super::super::limits::MAX_PRODUCERS as u64),
            ));
        }
        for topic in [&spec.from_topic, &spec.to_topic] {
            if !self.topics.contains_key(topic) {
                return refuse(format!("Topic '{topic}' does not exist as expected"));
            }
        }
        if spec.from_topic == spec.to_topic {
            return refuse("A pipeline reads one topic and writes another.");
        }
        let mut config = vec![
            ("enable.auto.commit".to_string(), "false".to_string()),
            ("auto.offset.reset".to_string(), "earliest".to_string()),
            (
                "max.poll.records".to_string(),
                DEFAULT_MAX_POLL_RECORDS.to_string(),
            ),
        ];
        if spec.guarantee == Guarantee::ExactlyOnce {
            config.push(("isolation.level".into(), "read_committed".into()));
        }
        if let Some(rate) = spec.millirecords_per_second {
            config.push((
                "processing.rate".into(),
                format!("{}.{:03}", rate / 1000, rate % 1000),
            ));
        }
        // Everything is checked on a copy first, so a refusal changes nothing.
        let mut trial = self.clone();
        let events = trial.add_pipeline_parts(spec, &config)?;
        *self = trial;
        Ok(events)
    }

    fn add_pipeline_parts(&mut self, spec: &PipelineSpec, config: &[(String, String)]) -> Outcome {
        let name = spec.name.as_str();
        let mut events =
            self.add_producer(name, super::super::partitioner::NullKeyStrategy::Sticky)?;
        if spec.guarantee == Guarantee::ExactlyOnce {
            events.extend(self.set_producer_config(name, "transactional.id", name)?);
            events.extend(self.transaction(name, &TxnAction::Init)?);
        }
        events.extend(self.start_consumer(
            name,
            Some(&spec.group),
            std::slice::from_ref(&spec.from_topic),
            &[],
            config,
        )?);
        self.pipelines.insert(
            name.to_string(),
            Pipeline {
                spec: spec.clone(),
                status: PipelineStatus::Running,
                uncommitted: Vec::new(),
                records_processed: 0,
                commits: 0,
                aborts: 0,
            },
        );
        events.push(pipeline_event(PipelineEvent::Added {
            pipeline: name.to_string(),
            from_topic: spec.from_topic.clone(),
            to_topic: spec.to_topic.clone(),
            guarantee: spec.guarantee,
        }));
        Ok(events)
    }

    fn pipeline_named(&self, name: &str) -> Result<&Pipeline, Rejection> {
        self.pipelines.get(name).ok_or_else(|| {
            Rejection::new(
                RejectionKind::Invalid,
                format!("Pipeline {name} does not exist."),
            )
        })
    }

    fn crash_pipeline(&mut self, name: &str) -> Outcome {
        let p = self.pipeline_named(name)?;
        if !p.is_running() {
            return refuse(format!("Pipeline {name} is not running."));
        }
        let uncommitted = p.uncommitted.len();
        let mut events = self.crash_consumer(name)?;
        if let Some(p) = self.pipelines.get_mut(name) {
            p.status = PipelineStatus::Crashed;
            p.uncommitted.clear();
        }
        events.push(pipeline_event(PipelineEvent::Crashed {
            pipeline: name.to_string(),
            uncommitted,
        }));
        Ok(events)
    }

    fn start_pipeline(&mut self, name: &str) -> Outcome {
        let p = self.pipeline_named(name)?;
        if p.is_running() {
            return refuse(format!("Pipeline {name} is already running."));
        }
        let guarantee = p.spec.guarantee;
        if !self.producers.contains_key(name) {
            return refuse(format!("Pipeline {name} lost its producer."));
        }
        let mut trial = self.clone();
        let mut events = Vec::new();
        // A new producer instance: a new producer id (at-least-once), or the same
        // transactional.id whose initTransactions fences the old one and aborts what it left.
        if let Some(producer) = trial.producers.get_mut(name) {
            producer.txn.identity = None;
            producer.txn.sequences.clear();
            producer.txn.state = ClientTxnState::Uninitialized;
            producer.txn.last_error = None;
        }
        if guarantee == Guarantee::ExactlyOnce {
            events.extend(trial.transaction(name, &TxnAction::Init)?);
        }
        if trial.consumers.get(name).is_some_and(|c| c.is_running()) {
            events.extend(trial.crash_consumer(name)?);
        }
        events.extend(trial.restart_consumer(name)?);
        if let Some(p) = trial.pipelines.get_mut(name) {
            p.status = PipelineStatus::Running;
            p.uncommitted.clear();
        }
        events.push(pipeline_event(PipelineEvent::Started {
            pipeline: name.to_string(),
        }));
        *self = trial;
        Ok(events)
    }

    fn stop_pipeline(&mut self, name: &str) -> Outcome {
        let p = self.pipeline_named(name)?;
        if !p.is_running() {
            return refuse(format!("Pipeline {name} is not running."));
        }
        let guarantee = p.spec.guarantee;
        let mut events = Vec::new();
        let in_transaction = self.producers.get(name).is_some_and(|p| {
            matches!(
                p.txn.state,
                ClientTxnState::InTransaction | ClientTxnState::AbortableError
            )
        });
        if guarantee == Guarantee::ExactlyOnce && in_transaction {
            events.extend(self.transaction(name, &TxnAction::Abort)?);
            if let Some(p) = self.pipelines.get_mut(name) {
                p.aborts += 1;
            }
        }
        events.extend(self.stop_consumer(name)?);
        if let Some(p) = self.pipelines.get_mut(name) {
            p.status = PipelineStatus::Stopped;
            p.uncommitted.clear();
        }
        events.push(pipeline_event(PipelineEvent::Stopped {
            pipeline: name.to_string(),
        }));
        Ok(events)
    }

    /// The records a running pipeline's consumer holds before it processes this tick, so
    /// [`Self::pipeline_step`] knows which it processed (`None`: not a running pipeline).
    pub(in crate::engine) fn pipeline_watch(
        &self,
        client_id: &str,
    ) -> Option<Vec<(TopicPartition, i64)>> {
        if !self.pipelines.get(client_id)?.is_running() {
            return None;
        }
        let c = self.consumers.get(client_id)?;
        Some(
            c.in_flight
                .iter()
                .flat_map(|r| r.offsets.iter().map(|o| (r.partition.clone(), *o)))
                .collect(),
        )
    }

    /// After a pipeline's consumer processed this tick's records (`held` is what it held
    /// before): an output for each processed record, and a commit once its batch is done.
    pub(in crate::engine) fn pipeline_step(
        &mut self,
        name: &str,
        held: Vec<(TopicPartition, i64)>,
    ) -> Vec<Event> {
        let Some(p) = self.pipelines.get(name) else {
            return Vec::new();
        };
        let guarantee = p.spec.guarantee;
        let to_topic = p.spec.to_topic.clone();
        let Some(c) = self.consumers.get(name) else {
            return Vec::new();
        };
        let left: usize = c.in_flight.iter().map(|r| r.offsets.len()).sum();
        let processed_count = held.len().saturating_sub(left);
        let mut events = Vec::new();
        for (tp, offset) in held.into_iter().take(processed_count) {
            let record = self
                .partition_log(&tp)
                .and_then(|log| log.read(offset, 1).ok())
                .and_then(|records| records.first().copied())
                .filter(|r| r.offset == offset)
                .cloned();
            let Some(record) = record else {
                continue;
            };
            if guarantee == Guarantee::ExactlyOnce
                && self
                    .producers
                    .get(name)
                    .is_some_and(|p| p.txn.state == ClientTxnState::Ready)
            {
                match self.transaction(name, &TxnAction::Begin) {
                    Ok(more) => events.extend(more),
                    Err(why) => return self.fail_pipeline(name, events, why.reason),
                }
            }
            let value = record.value.as_deref().map(transform);
            let headers = vec![(SOURCE_HEADER.to_string(), format!("{tp}@{offset}"))];
            match self.produce(
                name,
                &to_topic,
                None,
                record.key.as_deref(),
                value.as_deref(),
                &headers,
            ) {
                Ok(more) => events.extend(more),
                Err(why) => return self.fail_pipeline(name, events, why.reason),
            }
            if let Some(error) = self.pipeline_producer_error(name) {
                return self.fail_pipeline(name, events, error);
            }
            if let Some(p) = self.pipelines.get_mut(name) {
                p.uncommitted.push((tp, offset));
                p.records_processed += 1;
            }
        }
        events.extend(self.pipeline_commit_if_done(name));
        events
    }

    /// A producer error that ends the pipeline: a send that failed, or a fence.
    fn pipeline_producer_error(&self, name: &str) -> Option<String> {
        let producer = self.producers.get(name)?;
        match producer.txn.state {
            ClientTxnState::AbortableError | ClientTxnState::FatalError => Some(
                producer
                    .txn
                    .last_error
                    .clone()
                    .unwrap_or_else(|| super::send::PRODUCER_FENCED.to_string()),
            ),
            _ => None,
        }
    }

    /// Once the batch is processed: commit the outputs with the input offsets; if the
    /// consumer lost a partition it read (a rebalance), abort instead (exactly-once), as
    /// those offsets can no longer be committed by this member.
    fn pipeline_commit_if_done(&mut self, name: &str) -> Vec<Event> {
        let (Some(p), Some(c)) = (self.pipelines.get(name), self.consumers.get(name)) else {
            return Vec::new();
        };
        if !c.in_flight.is_empty() || p.uncommitted.is_empty() {
            return Vec::new();
        }
        let guarantee = p.spec.guarantee;
        let still_owned = p
            .uncommitted
            .iter()
            .all(|(tp, _)| c.assignment.contains(tp) && c.positions.contains_key(tp));
        let mut events = Vec::new();
        match (guarantee, still_owned) {
            (Guarantee::ExactlyOnce, true) => {
                let sent = self.transaction(
                    name,
                    &TxnAction::SendOffsets {
                        consumer: name.to_string(),
                    },
                );
                match sent {
                    Ok(more) => events.extend(more),
                    Err(why) => {
                        events.extend(
                            self.transaction(name, &TxnAction::Abort)
                                .unwrap_or_default(),
                        );
                        return self.fail_pipeline(name, events, why.reason);
                    }
                }
                if let Some(error) = self.pipeline_producer_error(name) {
                    return self.fail_pipeline(name, events, error);
                }
                match self.transaction(name, &TxnAction::Commit) {
                    Ok(more) => events.extend(more),
                    Err(why) => return self.fail_pipeline(name, events, why.reason),
                }
                if let Some(error) = self.pipeline_producer_error(name) {
                    return self.fail_pipeline(name, events, error);
                }
                if let Some(p) = self.pipelines.get_mut(name) {
                    p.commits += 1;
                }
            }
            (Guarantee::ExactlyOnce, false) => {
                events.extend(
                    self.transaction(name, &TxnAction::Abort)
                        .unwrap_or_default(),
                );
                if let Some(p) = self.pipelines.get_mut(name) {
                    p.aborts += 1;
                }
            }
            (Guarantee::AtLeastOnce, true) => {
                let offsets = Self::positions_to_commit(c);
                events.extend(self.commit_offsets(name, offsets));
                if let Some(p) = self.pipelines.get_mut(name) {
                    p.commits += 1;
                }
            }
            // Another member reads those inputs again: their outputs will be written twice.
            (Guarantee::AtLeastOnce, false) => {}
        }
        if let Some(p) = self.pipelines.get_mut(name) {
            p.uncommitted.clear();
        }
        events
    }

    /// Stops a pipeline that met an error: its processes die as in a crash, so a `pipeline
    /// start` makes a new instance.
    fn fail_pipeline(&mut self, name: &str, mut events: Vec<Event>, reason: String) -> Vec<Event> {
        if self.consumers.get(name).is_some_and(|c| c.is_running()) {
            events.extend(self.crash_consumer(name).unwrap_or_default());
        }
        if let Some(p) = self.pipelines.get_mut(name) {
            p.status = PipelineStatus::Failed(reason.clone());
            p.uncommitted.clear();
        }
        events.push(pipeline_event(PipelineEvent::Failed {
            pipeline: name.to_string(),
            reason,
        }));
        events
    }
}
