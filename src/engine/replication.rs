//! Replication of one partition over a cluster's brokers (SEMANTICS-4 §A): the replica list,
//! the leader and its epoch, the ISR, Eligible Leader Replicas, each replica's log end offset
//! and leader-epoch cache, the high watermark, follower fetching with divergence truncation,
//! ISR shrink and expansion, `acks`, and leader elections (clean, from the ELR, unclean,
//! preferred).
//!
//! Records are not held here: a replica's log is its leader-epoch cache (each epoch with the
//! offset it starts at) and its log end offset. A record is named by its offset and the epoch
//! that wrote it, which is unique in the cluster, so the engine keeps the records and asks this
//! module which replica holds which offsets, and what a truncation removed.
//!
//! Time is simulated milliseconds, and which brokers are alive (registered, unfenced, not
//! shutting down) is the caller's: every rule that needs it takes the set.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// A broker's `node.id`.
pub type BrokerId = i32;

/// `replica.lag.time.max.ms` (30 s): a follower that has not caught up for this long leaves
/// the ISR.
pub const REPLICA_LAG_TIME_MAX_MS: i64 = 30_000;

/// The producer's `acks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Acks {
    /// `acks=0`: no response.
    None,
    /// `acks=1`: the leader's own append.
    Leader,
    /// `acks=all` (-1, the default): the whole ISR, and at least `min.insync.replicas` of it.
    All,
}

impl Acks {
    pub fn parse(text: &str) -> Option<Acks> {
        match text.trim() {
            "0" => Some(Acks::None),
            "1" => Some(Acks::Leader),
            "all" | "-1" => Some(Acks::All),
            _ => None,
        }
    }
}

/// The settings replication follows, per topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicationConfig {
    /// `min.insync.replicas` (1).
    pub min_insync_replicas: u32,
    /// `unclean.leader.election.enable` (false).
    pub unclean_leader_election: bool,
    /// Eligible Leader Replicas (KIP-966), on for clusters formatted at 4.1 or later.
    pub eligible_leader_replicas: bool,
    /// `replica.lag.time.max.ms`.
    pub replica_lag_time_max_ms: i64,
}

impl Default for ReplicationConfig {
    fn default() -> Self {
        Self {
            min_insync_replicas: 1,
            unclean_leader_election: false,
            eligible_leader_replicas: true,
            replica_lag_time_max_ms: REPLICA_LAG_TIME_MAX_MS,
        }
    }
}

/// Why the leader refused a produce request (the producer retries each of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProduceError {
    /// The partition has no leader (`NOT_LEADER_OR_FOLLOWER` until one is elected).
    NoLeader,
    /// `acks=all` while the ISR is smaller than `min.insync.replicas` (`NOT_ENOUGH_REPLICAS`).
    NotEnoughReplicas { isr: usize, min_isr: u32 },
}

impl ProduceError {
    /// Kafka's error name.
    pub fn code(&self) -> &'static str {
        match self {
            ProduceError::NoLeader => "NOT_LEADER_OR_FOLLOWER",
            ProduceError::NotEnoughReplicas { .. } => "NOT_ENOUGH_REPLICAS",
        }
    }
}

/// Why an election by `kafka-leader-election` did not happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ElectionError {
    /// PREFERRED: the first replica is not in the ISR or not alive.
    PreferredLeaderNotAvailable,
    /// UNCLEAN: no replica is alive.
    EligibleLeadersNotAvailable,
}

/// One replica's log as replication sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaLog {
    /// The leader-epoch cache: each epoch that wrote to this log, with its start offset, in
    /// increasing order of both.
    pub epochs: Vec<(i32, i64)>,
    /// The log end offset.
    pub log_end_offset: i64,
    /// The replica's own high watermark (a follower's trails the leader's by a fetch).
    pub high_watermark: i64,
}

impl ReplicaLog {
    fn new() -> Self {
        Self {
            epochs: Vec::new(),
            log_end_offset: 0,
            high_watermark: 0,
        }
    }

    /// The epoch that wrote `offset` here, if the log holds it.
    pub fn epoch_of(&self, offset: i64) -> Option<i32> {
        if offset < 0 || offset >= self.log_end_offset {
            return None;
        }
        self.epochs
            .iter()
            .rev()
            .find(|&&(_, start)| start <= offset)
            .map(|&(epoch, _)| epoch)
    }

    fn last_epoch(&self) -> Option<i32> {
        self.epochs.last().map(|&(e, _)| e)
    }

    /// `LeaderEpochFileCache.endOffsetFor`: the largest epoch at or below `epoch` and where it
    /// ends here; for an epoch older than every one here, that epoch and where the first later
    /// one starts (so a replica of an older history cuts back to it).
    fn end_offset_for_epoch(&self, epoch: i32) -> Option<(i32, i64)> {
        match self.epochs.iter().rposition(|&(e, _)| e <= epoch) {
            Some(index) => {
                let found = self.epochs[index].0;
                let end = self
                    .epochs
                    .get(index + 1)
                    .map_or(self.log_end_offset, |&(_, start)| start);
                Some((found, end))
            }
            None => self.epochs.first().map(|&(_, start)| (epoch, start)),
        }
    }

    /// Removes everything from `offset` on, and the epochs that start there or later.
    fn truncate_to(&mut self, offset: i64) {
        let offset = offset.max(0);
        if offset > self.log_end_offset {
            return;
        }
        self.log_end_offset = offset;
        self.epochs.retain(|&(_, start)| start < offset);
        self.high_watermark = self.high_watermark.min(offset);
    }

    /// Records that `epoch` writes from the log end on (`LeaderEpochFileCache.assign`): an
    /// earlier epoch that wrote nothing is replaced.
    fn assign_epoch(&mut self, epoch: i32) {
        if self.last_epoch().is_some_and(|last| last >= epoch) {
            return;
        }
        let start = self.log_end_offset;
        self.epochs.retain(|&(_, s)| s < start);
        self.epochs.push((epoch, start));
    }
}

/// What the leader knows of a follower from its fetches (`ReplicaState`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowerState {
    /// The offset of its last fetch: it holds everything below (`None` until it fetches from
    /// this leader).
    pub log_end_offset: Option<i64>,
    pub last_caught_up_ms: i64,
    last_fetch_leader_end: i64,
    last_fetch_ms: i64,
}

/// What a follower's fetch did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FetchOutcome {
    /// The follower's log was cut back to this offset (records the leader never had).
    pub truncated: Option<Truncation>,
    /// Records copied from the leader.
    pub copied: i64,
    /// The follower joined the ISR.
    pub joined_isr: bool,
    /// With a truncation, the follower's leader-epoch cache before it (which epoch wrote
    /// each offset cut).
    pub cut_epochs: Vec<(i32, i64)>,
}

/// A truncation: the offsets `[to, from)` left the replica's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truncation {
    pub from: i64,
    pub to: i64,
}

/// How an election chose the leader (or that none could be chosen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ElectionKind {
    /// The leader stayed.
    Kept,
    /// A replica of the ISR.
    Clean,
    /// A replica of the ELR, the ISR being empty.
    FromElr,
    /// A replica outside the ISR and ELR: what it lacks is lost.
    Unclean,
    /// Nobody could lead: the partition is offline.
    NoLeader,
}

/// One partition's replication state: the controller's view (replicas, leader, epochs, ISR,
/// ELR) and the replicas' logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionReplication {
    /// The replica list in assignment order; the first is the preferred leader.
    pub replicas: Vec<BrokerId>,
    pub leader: Option<BrokerId>,
    pub leader_epoch: i32,
    pub partition_epoch: i32,
    /// The ISR in the order it is stored: replica order at creation, id order after an
    /// expansion (what Kafka 4.4 stores).
    pub isr: Vec<BrokerId>,
    pub elr: Vec<BrokerId>,
    pub last_known_elr: Vec<BrokerId>,
    /// Each replica's log.
    pub logs: BTreeMap<BrokerId, ReplicaLog>,
    /// The current leader's view of each follower.
    pub followers: BTreeMap<BrokerId, FollowerState>,
}

impl PartitionReplication {
    /// A new partition on these replicas: the ISR is the live ones, the first live replica
    /// leads (`RCM.createTopic`).
    pub fn new(replicas: Vec<BrokerId>, live: &BTreeSet<BrokerId>, now_ms: i64) -> Self {
        let mut seen = BTreeSet::new();
        let replicas: Vec<BrokerId> = replicas.into_iter().filter(|b| seen.insert(*b)).collect();
        let isr: Vec<BrokerId> = replicas
            .iter()
            .copied()
            .filter(|b| live.contains(b))
            .collect();
        let mut state = Self {
            logs: replicas.iter().map(|&b| (b, ReplicaLog::new())).collect(),
            replicas,
            leader: None,
            leader_epoch: 0,
            partition_epoch: 0,
            isr,
            elr: Vec::new(),
            last_known_elr: Vec::new(),
            followers: BTreeMap::new(),
        };
        state.leader = state.isr.first().copied();
        if let Some(leader) = state.leader {
            state.become_leader(leader, now_ms);
        }
        state
    }

    /// The partition's high watermark: the leader's (0 while it has none).
    pub fn high_watermark(&self) -> i64 {
        self.leader
            .and_then(|l| self.logs.get(&l))
            .map_or(0, |log| log.high_watermark)
    }

    /// The leader's log end offset.
    pub fn log_end_offset(&self) -> i64 {
        self.leader
            .and_then(|l| self.logs.get(&l))
            .map_or(0, |log| log.log_end_offset)
    }

    /// `min(min.insync.replicas, replication factor)`: the ISR size below which `acks=all` is
    /// refused and the high watermark stands still.
    pub fn effective_min_isr(&self, config: &ReplicationConfig) -> usize {
        (config.min_insync_replicas.max(1) as usize).min(self.replicas.len().max(1))
    }

    pub fn is_under_min_isr(&self, config: &ReplicationConfig) -> bool {
        self.isr.len() < self.effective_min_isr(config)
    }

    /// The leader's append of `count` records; the offset of the first.
    pub fn append(
        &mut self,
        count: i64,
        acks: Acks,
        config: &ReplicationConfig,
    ) -> Result<i64, ProduceError> {
        let leader = self.leader.ok_or(ProduceError::NoLeader)?;
        if acks == Acks::All && self.is_under_min_isr(config) {
            return Err(ProduceError::NotEnoughReplicas {
                isr: self.isr.len(),
                min_isr: config.min_insync_replicas,
            });
        }
        let epoch = self.leader_epoch;
        let log = self.logs.entry(leader).or_insert_with(ReplicaLog::new);
        log.assign_epoch(epoch);
        let base = log.log_end_offset;
        log.log_end_offset = base.saturating_add(count.max(0));
        self.update_high_watermark(config);
        Ok(base)
    }

    /// Whether a produce request whose last record is `last_offset` has its answer: `acks=0`
    /// and `acks=1` at once, `acks=all` when the high watermark is past it.
    pub fn is_acknowledged(&self, last_offset: i64, acks: Acks) -> bool {
        match acks {
            Acks::None | Acks::Leader => true,
            Acks::All => self.high_watermark() > last_offset,
        }
    }

    /// One fetch of a follower from the leader, copying at most `max_records`: divergence
    /// first (`truncateOnFetchResponse`), then the copy, the leader's view of the follower,
    /// ISR expansion and the high watermarks.
    pub fn fetch(
        &mut self,
        follower: BrokerId,
        max_records: i64,
        now_ms: i64,
        live: &BTreeSet<BrokerId>,
        config: &ReplicationConfig,
    ) -> FetchOutcome {
        let mut outcome = FetchOutcome::default();
        let Some(leader) = self.leader else {
            return outcome;
        };
        if follower == leader || !self.replicas.contains(&follower) || !live.contains(&follower) {
            return outcome;
        }
        let leader_log = self
            .logs
            .get(&leader)
            .cloned()
            .unwrap_or_else(ReplicaLog::new);
        let log = self.logs.entry(follower).or_insert_with(ReplicaLog::new);
        // Divergence (`getOffsetTruncationState`): the leader answers with the largest epoch
        // at or below the follower's last one and where it ends on the leader's log. If the
        // follower knows that epoch, it cuts to the smaller end; if not, it cuts to where its
        // own earlier epoch ends and asks again; with no such epoch on the leader, it falls
        // back to its high watermark.
        let before = log.log_end_offset;
        // Only a follower whose last epoch differs from the leader's, or that is longer,
        // can diverge: the cache is kept for what a truncation cut.
        let epochs_before = (log.last_epoch() != leader_log.last_epoch()
            || log.log_end_offset > leader_log.log_end_offset)
            .then(|| log.epochs.clone());
        for _ in 0..=log.epochs.len() {
            let Some(last) = log.last_epoch() else {
                break;
            };
            match leader_log.end_offset_for_epoch(last) {
                Some((epoch, leader_end)) => match log.end_offset_for_epoch(epoch) {
                    Some((own, own_end)) if own == epoch => {
                        log.truncate_to(leader_end.min(own_end));
                        break;
                    }
                    Some((_, own_end)) => log.truncate_to(own_end),
                    None => {
                        let hw = log.high_watermark;
                        log.truncate_to(hw);
                        break;
                    }
                },
                None => {
                    let hw = log.high_watermark;
                    log.truncate_to(hw);
                    break;
                }
            }
            if log.last_epoch() == Some(last) {
                break;
            }
        }
        // A fetch beyond the leader's log end truncates to it.
        if log.log_end_offset > leader_log.log_end_offset {
            log.truncate_to(leader_log.log_end_offset);
        }
        if log.log_end_offset < before {
            outcome.truncated = Some(Truncation {
                from: before,
                to: log.log_end_offset,
            });
            outcome.cut_epochs = epochs_before.unwrap_or_default();
        }
        // The fetch offset tells the leader what the follower holds.
        let fetch_offset = log.log_end_offset;
        let state = self.followers.entry(follower).or_insert(FollowerState {
            log_end_offset: None,
            last_caught_up_ms: now_ms,
            last_fetch_leader_end: 0,
            last_fetch_ms: now_ms,
        });
        state.log_end_offset = Some(fetch_offset);
        if fetch_offset >= leader_log.log_end_offset {
            state.last_caught_up_ms = state.last_caught_up_ms.max(now_ms);
        } else if fetch_offset >= state.last_fetch_leader_end {
            state.last_caught_up_ms = state.last_caught_up_ms.max(state.last_fetch_ms);
        }
        state.last_fetch_leader_end = leader_log.log_end_offset;
        state.last_fetch_ms = now_ms;
        // ISR expansion (`isFollowerInSync`): at least the leader's HW and the start of its
        // epoch, on a live broker.
        let epoch_start = leader_log
            .epochs
            .iter()
            .find(|&&(e, _)| e == self.leader_epoch)
            .map_or(leader_log.log_end_offset, |&(_, s)| s);
        if !self.isr.contains(&follower)
            && fetch_offset >= leader_log.high_watermark
            && fetch_offset >= epoch_start
        {
            // Kafka 4.4's controller stores an expanded ISR in broker id order (seen on the
            // real cluster: replicas 2,3,1 with 2 back give `Isr: 1,2,3`); a shrink keeps it.
            self.isr.push(follower);
            self.isr.sort_unstable();
            self.elr.retain(|&b| b != follower);
            self.partition_epoch += 1;
            outcome.joined_isr = true;
            if !self.is_under_min_isr(config) {
                self.elr.clear();
                self.last_known_elr.clear();
            }
        }
        self.update_high_watermark(config);
        // The copy, stamped with the leader's epochs.
        let Some(log) = self.logs.get_mut(&follower) else {
            return outcome;
        };
        let count = (leader_log.log_end_offset - log.log_end_offset)
            .min(max_records.max(0))
            .max(0);
        if count > 0 {
            let from = log.log_end_offset;
            let to = from + count;
            for &(epoch, start) in &leader_log.epochs {
                let next = leader_log
                    .epochs
                    .iter()
                    .find(|&&(e, _)| e > epoch)
                    .map_or(leader_log.log_end_offset, |&(_, s)| s);
                if start < to && next > from && log.last_epoch().is_none_or(|l| l < epoch) {
                    log.epochs.push((epoch, start.max(from)));
                }
            }
            log.log_end_offset = to;
            outcome.copied = count;
        }
        // The follower's HW: the leader's, as far as it holds.
        let leader_hw = self.high_watermark();
        if let Some(log) = self.logs.get_mut(&follower) {
            log.high_watermark = leader_hw.min(log.log_end_offset);
        }
        outcome
    }

    /// `maybeIncrementLeaderHW`: the smallest log end offset of the leader and the ISR as the
    /// leader knows them; never lower, and frozen while the ISR is below its minimum.
    fn update_high_watermark(&mut self, config: &ReplicationConfig) {
        let Some(leader) = self.leader else {
            return;
        };
        if self.is_under_min_isr(config) {
            return;
        }
        let Some(leader_end) = self.logs.get(&leader).map(|l| l.log_end_offset) else {
            return;
        };
        let mut candidate = leader_end;
        for member in self.isr.iter().filter(|&&b| b != leader) {
            match self.followers.get(member).and_then(|f| f.log_end_offset) {
                Some(end) => candidate = candidate.min(end),
                // Not heard from since this leader took over: the HW waits.
                None => return,
            }
        }
        if let Some(log) = self.logs.get_mut(&leader) {
            if candidate > log.high_watermark {
                log.high_watermark = candidate;
            }
        }
    }

    /// The leader's periodic ISR check (every `replica.lag.time.max.ms / 2`): followers not
    /// caught up within the lag time leave (`maybeShrinkIsr`). Returns who left.
    pub fn shrink_isr(&mut self, now_ms: i64, config: &ReplicationConfig) -> Vec<BrokerId> {
        let Some(leader) = self.leader else {
            return Vec::new();
        };
        let out_of_sync: Vec<BrokerId> = self
            .isr
            .iter()
            .copied()
            .filter(|&b| b != leader)
            .filter(|b| {
                self.followers.get(b).is_none_or(|f| {
                    now_ms.saturating_sub(f.last_caught_up_ms) > config.replica_lag_time_max_ms
                })
            })
            .collect();
        for &b in &out_of_sync {
            self.remove_from_isr(b, config);
        }
        if !out_of_sync.is_empty() {
            // An ISR shrink alone keeps the leader epoch (metadata version 3.6 and later).
            self.partition_epoch += 1;
            self.update_high_watermark(config);
        }
        out_of_sync
    }

    /// Takes a replica out of the ISR; below the minimum ISR it becomes an eligible leader
    /// (`maybePopulateTargetElr`).
    fn remove_from_isr(&mut self, broker: BrokerId, config: &ReplicationConfig) {
        if !self.isr.contains(&broker) {
            return;
        }
        self.isr.retain(|&b| b != broker);
        if config.eligible_leader_replicas
            && self.is_under_min_isr(config)
            && !self.elr.contains(&broker)
        {
            self.elr.push(broker);
        }
    }

    /// A broker fenced (its session expired) or shutting down: out of the ISR at once, and a
    /// new leader if it led (`handleBrokerFenced`, `handleBrokerInControlledShutdown`).
    pub fn broker_down(
        &mut self,
        broker: BrokerId,
        live: &BTreeSet<BrokerId>,
        config: &ReplicationConfig,
        now_ms: i64,
    ) -> ElectionKind {
        if !self.replicas.contains(&broker) {
            return ElectionKind::Kept;
        }
        let was_leader = self.leader == Some(broker);
        let was_in_isr = self.isr.contains(&broker);
        // Without ELR the ISR never empties: the last member stays, leaderless.
        let keeps_last_member =
            self.isr.len() == 1 && was_in_isr && !config.eligible_leader_replicas;
        if !keeps_last_member {
            self.remove_from_isr(broker, config);
        }
        if was_in_isr {
            self.partition_epoch += 1;
        }
        if was_leader {
            if config.eligible_leader_replicas && self.isr.is_empty() {
                self.last_known_elr = vec![broker];
            }
            return self.elect(live, config, now_ms, false);
        }
        ElectionKind::Kept
    }

    /// A broker registered again. One back from an unclean shutdown (a crash) is no longer an
    /// eligible leader; a leaderless partition may now elect (`handleBrokerUnfenced`).
    pub fn broker_up(
        &mut self,
        broker: BrokerId,
        clean_shutdown: bool,
        live: &BTreeSet<BrokerId>,
        config: &ReplicationConfig,
        now_ms: i64,
    ) -> ElectionKind {
        if !self.replicas.contains(&broker) {
            return ElectionKind::Kept;
        }
        if !clean_shutdown {
            self.elr.retain(|&b| b != broker);
        }
        if self.leader.is_none() {
            return self.elect(live, config, now_ms, false);
        }
        ElectionKind::Kept
    }

    /// `PartitionChangeBuilder.electAnyLeader`: keep a live ISR leader; else the first live ISR
    /// replica in replica order; else with an empty ISR the first live ELR replica; else the
    /// last known leader when it alone is left and alive; else, when unclean elections are
    /// allowed (or forced by the tool), the first live replica; else none.
    pub fn elect(
        &mut self,
        live: &BTreeSet<BrokerId>,
        config: &ReplicationConfig,
        now_ms: i64,
        force_unclean: bool,
    ) -> ElectionKind {
        if let Some(leader) = self.leader {
            if self.isr.contains(&leader) && live.contains(&leader) {
                return ElectionKind::Kept;
            }
        }
        let in_order = |set: &Vec<BrokerId>| {
            self.replicas
                .iter()
                .copied()
                .find(|b| set.contains(b) && live.contains(b))
        };
        let (choice, kind) = if let Some(b) = in_order(&self.isr) {
            (Some(b), ElectionKind::Clean)
        } else if let Some(b) = self.isr.is_empty().then(|| in_order(&self.elr)).flatten() {
            (Some(b), ElectionKind::FromElr)
        } else if config.eligible_leader_replicas
            && self.isr.is_empty()
            && self.elr.is_empty()
            && self.last_known_elr.len() == 1
            && live.contains(&self.last_known_elr[0])
        {
            (Some(self.last_known_elr[0]), ElectionKind::Unclean)
        } else if config.unclean_leader_election || force_unclean {
            match self.replicas.iter().copied().find(|b| live.contains(b)) {
                Some(b) => (Some(b), ElectionKind::Unclean),
                None => (None, ElectionKind::NoLeader),
            }
        } else {
            (None, ElectionKind::NoLeader)
        };
        match choice {
            Some(b) => {
                match kind {
                    ElectionKind::FromElr => {
                        self.elr.retain(|&x| x != b);
                        self.isr = vec![b];
                    }
                    ElectionKind::Unclean => {
                        self.isr = vec![b];
                        self.elr.clear();
                        self.last_known_elr.clear();
                    }
                    _ => {}
                }
                self.leader = Some(b);
                self.leader_epoch += 1;
                self.partition_epoch += 1;
                self.become_leader(b, now_ms);
                self.update_high_watermark(config);
            }
            None => {
                if self.leader.is_some() {
                    self.leader = None;
                    self.leader_epoch += 1;
                    self.partition_epoch += 1;
                }
            }
        }
        kind
    }

    /// `makeLeader`: the new epoch starts at the leader's log end; it knows nothing of its
    /// followers until they fetch.
    fn become_leader(&mut self, leader: BrokerId, now_ms: i64) {
        let epoch = self.leader_epoch;
        if let Some(log) = self.logs.get_mut(&leader) {
            log.assign_epoch(epoch);
        }
        self.followers = self
            .replicas
            .iter()
            .filter(|&&b| b != leader)
            .map(|&b| {
                (
                    b,
                    FollowerState {
                        log_end_offset: None,
                        last_caught_up_ms: now_ms,
                        last_fetch_leader_end: 0,
                        last_fetch_ms: now_ms,
                    },
                )
            })
            .collect();
    }

    /// `kafka-leader-election --election-type preferred`: `Ok(true)` when leadership moved to
    /// the first replica, `Ok(false)` when it already leads.
    pub fn elect_preferred(
        &mut self,
        live: &BTreeSet<BrokerId>,
        config: &ReplicationConfig,
        now_ms: i64,
    ) -> Result<bool, ElectionError> {
        let Some(&preferred) = self.replicas.first() else {
            return Err(ElectionError::PreferredLeaderNotAvailable);
        };
        if self.leader == Some(preferred) {
            return Ok(false);
        }
        if !self.isr.contains(&preferred) || !live.contains(&preferred) {
            return Err(ElectionError::PreferredLeaderNotAvailable);
        }
        self.leader = Some(preferred);
        self.leader_epoch += 1;
        self.partition_epoch += 1;
        self.become_leader(preferred, now_ms);
        self.update_high_watermark(config);
        Ok(true)
    }

    /// `kafka-leader-election --election-type unclean`: only a leaderless partition elects,
    /// preferring the ISR and the ELR; `Ok(false)` when it has a leader.
    pub fn elect_unclean(
        &mut self,
        live: &BTreeSet<BrokerId>,
        config: &ReplicationConfig,
        now_ms: i64,
    ) -> Result<bool, ElectionError> {
        if self.leader.is_some() {
            return Ok(false);
        }
        match self.elect(live, config, now_ms, true) {
            ElectionKind::NoLeader => Err(ElectionError::EligibleLeadersNotAvailable),
            _ => Ok(true),
        }
    }

    /// Whether a replica's log holds `offset` as the leader's does (same epoch).
    pub fn replica_holds(&self, broker: BrokerId, offset: i64) -> bool {
        let Some(leader) = self.leader.and_then(|l| self.logs.get(&l)) else {
            return false;
        };
        match (self.logs.get(&broker), leader.epoch_of(offset)) {
            (Some(log), Some(epoch)) => log.epoch_of(offset) == Some(epoch),
            _ => false,
        }
    }
}

/// `StripedReplicaPlacer` without racks: the brokers in id order, a start chosen by `start`,
/// and partition `p` on `replication_factor` consecutive brokers from `(start + p) mod N`;
/// after every `N` partitions the order is rotated by `shuffle` (Kafka shuffles it randomly).
/// `Err` is Kafka's `INVALID_REPLICATION_FACTOR` text.
pub fn place_replicas(
    brokers: &[BrokerId],
    partitions: u32,
    replication_factor: u32,
    start: usize,
    shuffle: &mut dyn FnMut(&mut Vec<BrokerId>),
) -> Result<Vec<Vec<BrokerId>>, String> {
    let mut order: Vec<BrokerId> = brokers.to_vec();
    order.sort_unstable();
    order.dedup();
    let n = order.len();
    if replication_factor == 0 {
        return Err("Replication factor must be larger than 0.".into());
    }
    if (replication_factor as usize) > n {
        return Err(format!(
            "Unable to replicate the partition {replication_factor} time(s): The target replication factor of {replication_factor} cannot be reached because only {n} broker(s) are registered."
        ));
    }
    let mut placement = Vec::with_capacity(partitions as usize);
    let offset = start % n;
    for p in 0..partitions as usize {
        if p > 0 && p % n == 0 && n > 1 {
            shuffle(&mut order);
        }
        let base = (offset + p) % n;
        placement.push(
            (0..replication_factor as usize)
                .map(|i| order[(base + i) % n])
                .collect(),
        );
    }
    Ok(placement)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(ids: &[BrokerId]) -> BTreeSet<BrokerId> {
        ids.iter().copied().collect()
    }

    /// Every live follower fetches everything once.
    fn replicate(
        p: &mut PartitionReplication,
        now: i64,
        alive: &BTreeSet<BrokerId>,
        c: &ReplicationConfig,
    ) {
        for _ in 0..2 {
            for b in p.replicas.clone() {
                p.fetch(b, 1_000, now, alive, c);
            }
        }
    }

    #[test]
    fn a_new_partition_is_led_by_its_first_live_replica() {
        let p = PartitionReplication::new(vec![2, 3, 1], &live(&[1, 2, 3]), 0);
        assert_eq!(p.leader, Some(2));
        assert_eq!(p.isr, vec![2, 3, 1]);
        let p = PartitionReplication::new(vec![2, 3, 1], &live(&[1, 3]), 0);
        assert_eq!(p.leader, Some(3));
        assert_eq!(p.isr, vec![3, 1]);
    }

    #[test]
    fn the_high_watermark_waits_for_the_whole_isr_and_trails_a_fetch() {
        let c = ReplicationConfig::default();
        let all = live(&[1, 2, 3]);
        let mut p = PartitionReplication::new(vec![1, 2, 3], &all, 0);
        assert_eq!(p.append(5, Acks::All, &c), Ok(0));
        assert_eq!(p.high_watermark(), 0, "no follower has fetched yet");
        p.fetch(2, 100, 10, &all, &c);
        p.fetch(3, 100, 10, &all, &c);
        // The fetches at offset 0 told the leader nothing new; the copies happened.
        assert_eq!(p.high_watermark(), 0);
        assert!(!p.is_acknowledged(4, Acks::All));
        p.fetch(2, 100, 20, &all, &c);
        assert_eq!(p.high_watermark(), 0, "3 has not confirmed yet");
        p.fetch(3, 100, 20, &all, &c);
        assert_eq!(p.high_watermark(), 5);
        assert!(p.is_acknowledged(4, Acks::All));
        // A follower's own HW follows the leader's at its next fetch.
        assert_eq!(p.logs[&2].high_watermark, 0);
        p.fetch(2, 100, 30, &all, &c);
        assert_eq!(p.logs[&2].high_watermark, 5);
    }

    #[test]
    fn acks_all_is_refused_below_min_isr_and_acks_1_is_kept_invisible() {
        let c = ReplicationConfig {
            min_insync_replicas: 2,
            ..ReplicationConfig::default()
        };
        let all = live(&[1, 2, 3]);
        let mut p = PartitionReplication::new(vec![1, 2, 3], &all, 0);
        // 2 and 3 die: the ISR shrinks to {1}.
        let only_1 = live(&[1]);
        p.broker_down(2, &live(&[1, 3]), &c, 100);
        p.broker_down(3, &only_1, &c, 100);
        assert_eq!(p.isr, vec![1]);
        // 2 left while the ISR still had two members; 3 left it below the minimum.
        assert_eq!(
            p.elr,
            vec![3],
            "a replica leaving an ISR below min ISR becomes eligible"
        );
        assert_eq!(
            p.append(1, Acks::All, &c),
            Err(ProduceError::NotEnoughReplicas { isr: 1, min_isr: 2 })
        );
        assert_eq!(p.append(3, Acks::Leader, &c), Ok(0));
        assert_eq!(p.log_end_offset(), 3);
        assert_eq!(p.high_watermark(), 0, "the HW stands still under min ISR");
    }

    #[test]
    fn a_slow_follower_leaves_the_isr_after_the_lag_time_and_rejoins_when_caught_up() {
        let c = ReplicationConfig::default();
        let all = live(&[1, 2, 3]);
        let mut p = PartitionReplication::new(vec![1, 2, 3], &all, 0);
        replicate(&mut p, 0, &all, &c);
        // From now on 3 fetches nothing while records keep coming.
        let mut left_at = None;
        for t in (100..60_000).step_by(100) {
            p.append(1, Acks::Leader, &c).unwrap();
            p.fetch(2, 1_000, t, &all, &c);
            if t % 15_000 == 0 && !p.shrink_isr(t, &c).is_empty() {
                left_at = Some(t);
            }
        }
        assert_eq!(
            left_at,
            Some(45_000),
            "checked every 15 s, out after more than 30 s"
        );
        assert_eq!(p.isr, vec![1, 2]);
        assert!(
            p.elr.is_empty(),
            "the ISR is not below min.insync.replicas=1"
        );
        // The HW no longer waits for 3: it is one fetch of 2 behind the log end.
        assert_eq!(p.high_watermark(), p.log_end_offset() - 1);
        // 3 catches up and goes back to the end of the ISR.
        let mut joined = false;
        for t in (60_000..61_000).step_by(100) {
            joined |= p.fetch(3, 10_000, t, &all, &c).joined_isr;
        }
        assert!(joined);
        assert_eq!(p.isr, vec![1, 2, 3]);
    }

    #[test]
    fn acks_1_records_are_lost_when_the_leader_dies_before_its_followers_copy_them() {
        // A.8.3: the leader acks 5..7 while the followers hold 0..4, then dies.
        let c = ReplicationConfig::default();
        let all = live(&[1, 2, 3]);
        let mut p = PartitionReplication::new(vec![1, 2, 3], &all, 0);
        p.append(5, Acks::Leader, &c).unwrap();
        replicate(&mut p, 10, &all, &c);
        assert_eq!(p.high_watermark(), 5);
        p.append(3, Acks::Leader, &c).unwrap();
        assert_eq!(p.log_end_offset(), 8);
        let without_1 = live(&[2, 3]);
        assert_eq!(p.broker_down(1, &without_1, &c, 20), ElectionKind::Clean);
        assert_eq!(p.leader, Some(2));
        assert_eq!(p.leader_epoch, 1);
        p.append(2, Acks::Leader, &c).unwrap();
        assert_eq!(
            p.log_end_offset(),
            7,
            "2's new records take offsets 5 and 6"
        );
        // 1 returns as a follower and cuts back what 2 never had.
        let back = live(&[1, 2, 3]);
        p.broker_up(1, false, &back, &c, 30);
        let outcome = p.fetch(1, 1_000, 40, &back, &c);
        assert_eq!(outcome.truncated, Some(Truncation { from: 8, to: 5 }));
        assert_eq!(p.logs[&1].log_end_offset, 7);
        assert!(
            p.replica_holds(1, 6),
            "it now holds the new leader's offset 6"
        );
        assert_eq!(p.logs[&1].epoch_of(5), Some(1));
    }

    #[test]
    fn acks_all_with_min_isr_2_survives_any_single_broker() {
        let c = ReplicationConfig {
            min_insync_replicas: 2,
            ..ReplicationConfig::default()
        };
        for dead in [1, 2, 3] {
            let all = live(&[1, 2, 3]);
            let mut p = PartitionReplication::new(vec![1, 2, 3], &all, 0);
            // 3 falls behind and leaves the ISR: {1, 2} is exactly the minimum.
            p.followers.get_mut(&3).unwrap().last_caught_up_ms = -40_000;
            p.shrink_isr(15_000, &c);
            assert_eq!(p.isr, vec![1, 2]);
            p.append(4, Acks::All, &c).unwrap();
            p.fetch(2, 1_000, 15_100, &all, &c);
            assert!(!p.is_acknowledged(3, Acks::All), "2 has not confirmed yet");
            p.fetch(2, 1_000, 15_200, &all, &c);
            assert!(p.is_acknowledged(3, Acks::All));
            let rest: BTreeSet<BrokerId> = all.iter().copied().filter(|&b| b != dead).collect();
            p.broker_down(dead, &rest, &c, 16_000);
            let leader = p.leader.expect("a leader from the ISR");
            assert!(
                p.logs[&leader].log_end_offset >= 4,
                "with broker {dead} gone, leader {leader} holds the acknowledged records"
            );
        }
    }

    #[test]
    fn eligible_leader_replicas_follow_kafkas_example() {
        // A.7.5: RF 3, replicas [1,2,3], min ISR 2.
        let c = ReplicationConfig {
            min_insync_replicas: 2,
            ..ReplicationConfig::default()
        };
        let mut alive = live(&[1, 2, 3]);
        let mut p = PartitionReplication::new(vec![1, 2, 3], &alive, 0);
        replicate(&mut p, 0, &alive, &c);
        // 3 lags.
        p.followers.get_mut(&3).unwrap().last_caught_up_ms = -40_000;
        p.shrink_isr(15_000, &c);
        assert_eq!((p.isr.clone(), p.elr.clone()), (vec![1, 2], vec![]));
        // 2 fenced.
        alive.remove(&2);
        p.broker_down(2, &alive, &c, 16_000);
        assert_eq!((p.isr.clone(), p.elr.clone()), (vec![1], vec![2]));
        // 1 fenced: no leader, ISR empty, ELR {1,2}, LastKnownElr {1}.
        alive.remove(&1);
        assert_eq!(p.broker_down(1, &alive, &c, 17_000), ElectionKind::NoLeader);
        assert_eq!(p.leader, None);
        assert!(p.isr.is_empty());
        assert_eq!(p.elr, vec![2, 1]);
        assert_eq!(p.last_known_elr, vec![1]);
        // 2 unfenced: leader 2, ISR {2}, ELR {1}.
        alive.insert(2);
        assert_eq!(
            p.broker_up(2, true, &alive, &c, 18_000),
            ElectionKind::FromElr
        );
        assert_eq!(p.leader, Some(2));
        assert_eq!(p.isr, vec![2]);
        assert_eq!(p.elr, vec![1]);
        // 3 catches up: ISR {2,3}, ELR cleared.
        for t in [19_000, 19_100, 19_200] {
            p.fetch(3, 1_000, t, &alive, &c);
        }
        assert_eq!(p.isr, vec![2, 3]);
        assert!(p.elr.is_empty());
    }

    #[test]
    fn without_elr_the_last_isr_member_stays_and_the_partition_goes_offline() {
        let c = ReplicationConfig {
            eligible_leader_replicas: false,
            ..ReplicationConfig::default()
        };
        let mut p = PartitionReplication::new(vec![1, 2], &live(&[1, 2]), 0);
        p.broker_down(2, &live(&[1]), &c, 10);
        assert_eq!(p.isr, vec![1]);
        assert_eq!(p.broker_down(1, &live(&[]), &c, 20), ElectionKind::NoLeader);
        assert_eq!(p.isr, vec![1], "Isr: 1 with Leader: none");
        assert_eq!(p.leader, None);
        // 2 comes back: not in the ISR, unclean elections off, so still offline.
        assert_eq!(
            p.broker_up(2, true, &live(&[2]), &c, 30),
            ElectionKind::NoLeader
        );
        // The tool forces an unclean election: 2 leads, what it lacks is lost.
        assert_eq!(p.elect_unclean(&live(&[2]), &c, 40), Ok(true));
        assert_eq!(p.leader, Some(2));
        assert_eq!(p.isr, vec![2]);
    }

    #[test]
    fn an_unclean_leader_loses_the_committed_records_it_lacked() {
        // A.8.4: a replica with LEO 3 elected while the HW was 8.
        let c = ReplicationConfig {
            unclean_leader_election: true,
            eligible_leader_replicas: false,
            ..ReplicationConfig::default()
        };
        let all = live(&[1, 2]);
        let mut p = PartitionReplication::new(vec![1, 2], &all, 0);
        p.append(3, Acks::All, &c).unwrap();
        replicate(&mut p, 0, &all, &c);
        // 2 stops fetching and leaves the ISR; 1 takes 5 more records, all committed.
        p.followers.get_mut(&2).unwrap().last_caught_up_ms = -40_000;
        p.shrink_isr(15_000, &c);
        p.append(5, Acks::All, &c).unwrap();
        assert_eq!(p.high_watermark(), 8);
        // 1 dies; 2 is elected uncleanly.
        assert_eq!(
            p.broker_down(1, &live(&[2]), &c, 16_000),
            ElectionKind::Unclean
        );
        assert_eq!(p.leader, Some(2));
        assert_eq!(p.log_end_offset(), 3);
        // When 1 returns it truncates offsets 3..8, which consumers may have read.
        p.broker_up(1, false, &all, &c, 17_000);
        let outcome = p.fetch(1, 1_000, 17_100, &all, &c);
        assert_eq!(outcome.truncated, Some(Truncation { from: 8, to: 3 }));
    }

    #[test]
    fn preferred_election_needs_the_first_replica_alive_and_in_sync() {
        let c = ReplicationConfig::default();
        let all = live(&[1, 2, 3]);
        let mut p = PartitionReplication::new(vec![1, 2, 3], &all, 0);
        assert_eq!(p.elect_preferred(&all, &c, 0), Ok(false), "already elected");
        p.broker_down(1, &live(&[2, 3]), &c, 10);
        assert_eq!(p.leader, Some(2));
        assert_eq!(
            p.elect_preferred(&live(&[2, 3]), &c, 20),
            Err(ElectionError::PreferredLeaderNotAvailable)
        );
        p.broker_up(1, true, &all, &c, 30);
        replicate(&mut p, 40, &all, &c);
        assert_eq!(p.isr, vec![1, 2, 3], "an expanded ISR is in id order");
        assert_eq!(p.elect_preferred(&all, &c, 50), Ok(true));
        assert_eq!(p.leader, Some(1));
        assert_eq!(p.leader_epoch, 2);
    }

    #[test]
    fn replicas_are_striped_over_the_brokers() {
        let mut keep = |_: &mut Vec<BrokerId>| {};
        let placement = place_replicas(&[3, 1, 2], 4, 2, 1, &mut keep).unwrap();
        assert_eq!(
            placement,
            vec![vec![2, 3], vec![3, 1], vec![1, 2], vec![2, 3]]
        );
        assert_eq!(
            place_replicas(&[1], 1, 3, 0, &mut keep).unwrap_err(),
            "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered."
        );
    }
}
