//! Facts about the cluster, computed once for the console and the diagram: each broker's
//! state, and per partition its leader, replicas, ISR, Eligible Leader Replicas, each
//! replica's log end offset and high watermark, and the conditions `kafka-topics --describe`
//! filters on (SEMANTICS-4 §A.10). Without a cluster the one broker, node 1, holds every
//! replica and the high watermark is the log end.

use crate::engine::cluster::BrokerStatus;
use crate::engine::event::LostRecord;
use crate::engine::replication::BrokerId;
use crate::engine::{Engine, Event, TopicPartition};

/// What a broker is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokerState {
    Running,
    /// Shut down (controlled).
    Stopped,
    /// Killed, not yet fenced: the controller still counts it.
    Crashed,
    /// Killed and fenced.
    Fenced,
    /// Started again after a crash, waiting for the controller to expire its old session
    /// before it may register (it serves nothing meanwhile).
    Registering,
}

/// One broker as a view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerFacts {
    pub id: BrokerId,
    pub state: BrokerState,
    /// 1 is normal speed; `f` copies at 1/f.
    pub slow_factor: u32,
    /// Partitions it leads.
    pub leads: usize,
}

/// One replica of a partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaFacts {
    pub broker: BrokerId,
    pub log_end_offset: i64,
    pub high_watermark: i64,
    pub in_isr: bool,
}

/// One partition's replication as `--describe` prints it and the diagram draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionFacts {
    pub partition: TopicPartition,
    pub leader: Option<BrokerId>,
    pub leader_epoch: i32,
    pub replicas: Vec<BrokerId>,
    pub isr: Vec<BrokerId>,
    pub elr: Vec<BrokerId>,
    pub last_known_elr: Vec<BrokerId>,
    /// Each replica in replica order.
    pub replica_logs: Vec<ReplicaFacts>,
    /// The partition's high watermark (what consumers read below).
    pub high_watermark: i64,
    /// `min.insync.replicas` for the topic.
    pub min_insync_replicas: u32,
    /// The leader is missing or not a live broker (`--unavailable-partitions`).
    pub unavailable: bool,
}

impl PartitionFacts {
    /// `--under-replicated-partitions`: fewer in sync than replicas.
    pub fn under_replicated(&self) -> bool {
        self.isr.len() < self.replicas.len()
    }

    /// `--under-min-isr-partitions`: no leader, or fewer in sync than the minimum.
    pub fn under_min_isr(&self) -> bool {
        self.leader.is_none() || self.isr.len() < self.min_insync_replicas as usize
    }

    /// `--at-min-isr-partitions`: exactly the minimum in sync.
    pub fn at_min_isr(&self) -> bool {
        self.isr.len() == self.min_insync_replicas as usize
    }
}

/// The brokers in id order.
pub fn brokers(engine: &Engine) -> Vec<BrokerFacts> {
    let Some(cluster) = &engine.cluster else {
        return vec![BrokerFacts {
            id: 1,
            state: BrokerState::Running,
            slow_factor: 1,
            leads: engine.partitions_total() as usize,
        }];
    };
    cluster
        .brokers
        .iter()
        .map(|(&id, b)| BrokerFacts {
            id,
            state: match (b.status, b.fenced) {
                (BrokerStatus::Running, _) => BrokerState::Running,
                (BrokerStatus::Stopped, _) => BrokerState::Stopped,
                (BrokerStatus::Crashed, false) => BrokerState::Crashed,
                (BrokerStatus::Crashed, true) => BrokerState::Fenced,
                (BrokerStatus::Registering, _) => BrokerState::Registering,
            },
            slow_factor: b.slow_factor,
            leads: cluster
                .partitions
                .values()
                .flatten()
                .filter(|rp| rp.replication.leader == Some(id))
                .count(),
        })
        .collect()
}

/// The `min.insync.replicas` a topic follows: its own, else the cluster's default.
pub fn min_insync_replicas(engine: &Engine, topic: &str) -> u32 {
    let own = engine
        .topic(topic)
        .and_then(|t| t.overrides.get("min.insync.replicas"))
        .and_then(|v| v.trim().parse::<u32>().ok());
    own.unwrap_or_else(|| {
        engine
            .cluster
            .as_ref()
            .map_or(1, |c| c.config.min_insync_replicas)
    })
}

/// A topic's replication factor (the replicas of its first partition).
pub fn replication_factor(engine: &Engine, topic: &str) -> usize {
    engine
        .cluster
        .as_ref()
        .and_then(|c| c.partitions.get(topic))
        .and_then(|parts| parts.first())
        .map_or(1, |rp| rp.replication.replicas.len())
}

/// One partition's facts; `None` for a partition that does not exist.
pub fn partition(engine: &Engine, tp: &TopicPartition) -> Option<PartitionFacts> {
    let log = engine.partition_log(tp)?;
    let min_insync_replicas = min_insync_replicas(engine, &tp.topic);
    let Some(cluster) = &engine.cluster else {
        return Some(PartitionFacts {
            partition: tp.clone(),
            leader: Some(1),
            leader_epoch: 0,
            replicas: vec![1],
            isr: vec![1],
            elr: Vec::new(),
            last_known_elr: Vec::new(),
            replica_logs: vec![ReplicaFacts {
                broker: 1,
                log_end_offset: log.log_end_offset(),
                high_watermark: log.high_watermark(),
                in_isr: true,
            }],
            high_watermark: log.high_watermark(),
            min_insync_replicas,
            unavailable: false,
        });
    };
    let rp = cluster.partition(tp)?;
    let r = &rp.replication;
    let live = cluster.live();
    Some(PartitionFacts {
        partition: tp.clone(),
        leader: r.leader,
        leader_epoch: r.leader_epoch,
        replicas: r.replicas.clone(),
        isr: r.isr.clone(),
        // The controller keeps both as sets: `--describe` lists them in id order.
        elr: sorted(&r.elr),
        last_known_elr: sorted(&r.last_known_elr),
        replica_logs: r
            .replicas
            .iter()
            .map(|b| {
                let replica = r.logs.get(b);
                ReplicaFacts {
                    broker: *b,
                    log_end_offset: replica.map_or(0, |l| l.log_end_offset),
                    high_watermark: replica.map_or(0, |l| l.high_watermark),
                    in_isr: r.isr.contains(b),
                }
            })
            .collect(),
        high_watermark: log.high_watermark(),
        min_insync_replicas,
        unavailable: r.leader.is_none_or(|l| !live.contains(&l)),
    })
}

/// Every partition of a topic, in partition order.
pub fn topic_partitions(engine: &Engine, topic: &str) -> Vec<PartitionFacts> {
    let n = engine.topic(topic).map_or(0, |t| t.n_partitions());
    (0..n)
        .filter_map(|p| partition(engine, &TopicPartition::new(topic, p)))
        .collect()
}

fn sorted(ids: &[BrokerId]) -> Vec<BrokerId> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids
}

/// Where a replica stands, as the diagram marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicaState {
    /// In the ISR on a running broker.
    InSync,
    /// On a running broker but out of the ISR (catching up, or behind).
    OutOfSync,
    /// On a broker that is not running.
    Offline,
}

impl ReplicaState {
    /// The word a view prints and its style's name.
    pub fn name(self) -> &'static str {
        match self {
            ReplicaState::InSync => "in-sync",
            ReplicaState::OutOfSync => "out-of-sync",
            ReplicaState::Offline => "offline",
        }
    }
}

/// What the diagram draws of the cluster: the brokers and every partition's replicas.
/// Empty with one broker, so a single-broker picture stays as it was.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClusterPicture {
    pub brokers: Vec<BrokerFacts>,
    pub partitions: std::collections::BTreeMap<TopicPartition, PartitionFacts>,
    /// Each group's coordinator (`None`: no running broker leads its `__consumer_offsets`
    /// partition), by group id.
    pub coordinators: std::collections::BTreeMap<String, Option<BrokerId>>,
}

impl ClusterPicture {
    /// Whether the cluster is drawn at all (more than one broker).
    pub fn shown(&self) -> bool {
        !self.brokers.is_empty()
    }

    /// The state of a broker, if it exists.
    pub fn broker_state(&self, id: BrokerId) -> Option<BrokerState> {
        self.brokers.iter().find(|b| b.id == id).map(|b| b.state)
    }

    /// Where one replica of a partition stands.
    pub fn replica_state(&self, facts: &PartitionFacts, broker: BrokerId) -> ReplicaState {
        match self.broker_state(broker) {
            Some(BrokerState::Running) if facts.isr.contains(&broker) => ReplicaState::InSync,
            Some(BrokerState::Running) => ReplicaState::OutOfSync,
            _ => ReplicaState::Offline,
        }
    }
}

/// The cluster as the diagram draws it: nothing without a cluster of two brokers or more.
pub fn picture(engine: &Engine) -> ClusterPicture {
    match &engine.cluster {
        Some(cluster) if cluster.brokers.len() > 1 => {}
        _ => return ClusterPicture::default(),
    }
    let partitions = crate::sort::collect_map(
        engine
            .topics
            .values()
            .flat_map(|t| topic_partitions(engine, &t.name))
            .map(|f| (f.partition.clone(), f)),
    );
    ClusterPicture {
        brokers: brokers(engine),
        partitions,
        coordinators: engine.group_coordinators(),
    }
}

/// How long truncated records are drawn leaving their lane, in ticks of simulated time
/// (the step shown keeps them however long it lasts).
pub const DEPARTURE_TICKS: u64 = 40;

/// Who cut the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepartureCause {
    /// A returning replica cut what the leader never had (`broker` truncated to `to_offset`).
    ReplicaCut { broker: BrokerId, to_offset: i64 },
    /// The partition's log followed a new leader that never had them.
    NewLeader { leader: BrokerId, to_offset: i64 },
}

/// Records a truncation took from a partition recently, drawn leaving its lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure {
    pub partition: TopicPartition,
    pub cause: DepartureCause,
    /// The offsets cut, `[from, to)`.
    pub offsets: (i64, i64),
    /// The records cut that the simulator still knows, in offset order.
    pub records: Vec<LostRecord>,
    /// The step of the timeline that cut them (a drawing's key: it leaves once).
    pub step: usize,
}

impl Departure {
    /// What a record is called in a label: its value, else its key, else its offset.
    pub fn record_name(record: &LostRecord) -> String {
        match (record.value.as_deref(), record.key.as_deref()) {
            (Some(v), _) if !v.is_empty() => ellipsize(v, 12),
            (_, Some(k)) if !k.is_empty() => ellipsize(k, 12),
            _ => format!("offset {}", record.offset),
        }
    }

    /// One line for the lane: which records left and why, e.g. `✂ pay-4, pay-5, pay-6 lost:
    /// broker 1 truncated to 3`.
    pub fn label(&self) -> String {
        const NAMED: usize = 3;
        let (from, to) = self.offsets;
        let what = if self.records.is_empty() {
            if to - from == 1 {
                format!("offset {from}")
            } else {
                format!("offsets {from}..{}", to - 1)
            }
        } else {
            let mut names: Vec<String> = self
                .records
                .iter()
                .take(NAMED)
                .map(Self::record_name)
                .collect();
            if self.records.len() > NAMED {
                names.truncate(NAMED - 1);
                names.push(format!("{} more", self.records.len() - (NAMED - 1)));
            }
            names.join(", ")
        };
        let why = match self.cause {
            DepartureCause::ReplicaCut { broker, to_offset } => {
                format!("broker {broker} truncated to {to_offset}")
            }
            DepartureCause::NewLeader { leader, .. } => {
                format!("new leader broker {leader} never had them")
            }
        };
        format!("✂ {what} lost: {why}")
    }
}

/// The steps up to `cursor` with their indices, newest first, that happened within `ticks` of its state, and
/// the step shown however long it took: what a drawing of recent changes looks at.
pub fn recent_steps(
    steps: &[crate::timeline::Step],
    cursor: usize,
    ticks: u64,
) -> impl Iterator<Item = (usize, &crate::timeline::Step)> {
    let cursor = cursor.min(steps.len());
    let now = cursor
        .checked_sub(1)
        .and_then(|i| steps.get(i))
        .map_or(0, |s| s.tick);
    steps[..cursor]
        .iter()
        .enumerate()
        .rev()
        .take_while(move |(i, step)| i + 1 >= cursor || now.saturating_sub(step.tick) <= ticks)
}

/// The truncations of the steps up to `cursor` that happened within `ticks` of its state,
/// and those of the step shown however long it took, oldest first.
pub fn departures(steps: &[crate::timeline::Step], cursor: usize, ticks: u64) -> Vec<Departure> {
    let mut found = Vec::new();
    for (i, step) in recent_steps(steps, cursor, ticks) {
        for event in step.events.iter().rev() {
            let departure = match event {
                Event::ReplicaTruncated {
                    partition,
                    broker,
                    from_offset,
                    to_offset,
                    lost,
                } => Departure {
                    partition: partition.clone(),
                    cause: DepartureCause::ReplicaCut {
                        broker: *broker,
                        to_offset: *to_offset,
                    },
                    offsets: (*to_offset, *from_offset),
                    records: lost.clone(),
                    step: i,
                },
                Event::LeaderLogTruncated {
                    partition,
                    leader,
                    to_offset,
                    lost,
                } => Departure {
                    partition: partition.clone(),
                    cause: DepartureCause::NewLeader {
                        leader: *leader,
                        to_offset: *to_offset,
                    },
                    offsets: (
                        lost.first().map_or(*to_offset, |r| r.offset),
                        lost.last().map_or(*to_offset, |r| r.offset + 1),
                    ),
                    records: lost.clone(),
                    step: i,
                },
                _ => continue,
            };
            found.push(departure);
        }
    }
    found.reverse();
    found
}

/// `text` in at most `max` characters, an ellipsis ending what was cut.
fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// The groups whose coordinator moved (or was lost) in the steps up to `cursor` within
/// `ticks` of its state, or in the step shown however long it took.
pub fn coordinators_moved(
    steps: &[crate::timeline::Step],
    cursor: usize,
    ticks: u64,
) -> std::collections::BTreeSet<String> {
    let cursor = cursor.min(steps.len());
    let now = cursor
        .checked_sub(1)
        .and_then(|i| steps.get(i))
        .map_or(0, |s| s.tick);
    let mut moved = std::collections::BTreeSet::new();
    for (i, step) in steps[..cursor].iter().enumerate().rev() {
        if i + 1 < cursor && now.saturating_sub(step.tick) > ticks {
            break;
        }
        for event in &step.events {
            if let Event::GroupCoordinatorMoved { group, .. } = event {
                moved.insert(group.clone());
            }
        }
    }
    moved
}
