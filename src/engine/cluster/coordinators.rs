//! Where the coordinators live (SEMANTICS-4 §A, §D.3): a group's coordinator is the leader of
//! `__consumer_offsets` partition `abs(groupId.hashCode()) % offsets.topic.num.partitions`
//! (50), a `transactional.id`'s the leader of `__transaction_state` partition
//! `abs(transactionalId.hashCode()) % transaction.state.log.num.partitions` (50).
//!
//! The two internal topics are modelled by their replication alone (replicas, leader, ISR,
//! elections); no record of theirs is kept, since the group coordinator's and the
//! transaction coordinator's state already lives in the engine. Each is made the first time
//! a moment ends with a group (or a transactional id) in a cluster, placed with
//! `min(3, brokers)` replicas (`offsets.topic.replication.factor` and
//! `transaction.state.log.replication.factor` are 3; Kafka refuses to create the topic with
//! fewer live brokers, the simulator takes what there is so one broker keeps working, as the
//! quickstart's `offsets.topic.replication.factor=1` does). Without a cluster every
//! coordinator is node 1, exactly as before.
//!
//! When a coordinator's broker stops or is fenced, the partition's new leader loads the
//! group from the log (Kafka's `GroupMetadataManager.onLoaded`): members, generation,
//! assignment and committed offsets are kept, and every member's session timer starts
//! again from the load. While no running broker leads the partition (a crashed leader not
//! yet fenced, or every replica down) the group's coordinator is not available: its timers
//! stand still, as nothing runs them.

use std::collections::{BTreeMap, BTreeSet};

use super::{replication_config_for, Broker};
use crate::engine::assign::java_hash::string_hash;
use crate::engine::event::Event;
use crate::engine::replication::{
    place_replicas, BrokerId, PartitionReplication, ReplicationConfig,
};
use crate::engine::time;
use crate::engine::Engine;

/// The internal topic of the group coordinators.
pub const OFFSETS_TOPIC: &str = "__consumer_offsets";

/// The internal topic of the transaction coordinators.
pub const TRANSACTION_STATE_TOPIC: &str = "__transaction_state";

/// `offsets.topic.num.partitions` and `transaction.state.log.num.partitions` (50 each).
pub const INTERNAL_TOPIC_PARTITIONS: u32 = 50;

/// `offsets.topic.replication.factor` and `transaction.state.log.replication.factor` (3).
pub const INTERNAL_TOPIC_REPLICATION_FACTOR: u32 = 3;

/// The internal-topic partition a key (a group id, a transactional id) maps to: Kafka's
/// `Utils.abs(key.hashCode()) % partitions` (`Utils.abs` maps `Integer.MIN_VALUE` to 0).
pub fn coordinator_partition(key: &str) -> u32 {
    let hash = string_hash(key);
    let abs = if hash == i32::MIN { 0 } else { hash.abs() };
    abs as u32 % INTERNAL_TOPIC_PARTITIONS
}

/// The host and port the tools print for a broker: node 1 is `localhost:9092`, node N
/// `localhost:909(1+N)`.
pub fn broker_address(broker: BrokerId) -> String {
    format!("localhost:{}", 9091 + i64::from(broker))
}

impl Engine {
    /// The broker that coordinates group `group` now, or `None` when no running broker leads
    /// its `__consumer_offsets` partition (Kafka's `COORDINATOR_NOT_AVAILABLE`). Node 1
    /// without a cluster.
    pub fn group_coordinator(&self, group: &str) -> Option<BrokerId> {
        self.internal_leader(OFFSETS_TOPIC, group)
    }

    /// The broker that coordinates `transactional.id` `id` now (see [`Self::group_coordinator`]).
    pub fn transaction_coordinator(&self, id: &str) -> Option<BrokerId> {
        self.internal_leader(TRANSACTION_STATE_TOPIC, id)
    }

    /// The running leader of `topic`'s partition for `key`; node 1 while the topic is not made.
    fn internal_leader(&self, topic: &str, key: &str) -> Option<BrokerId> {
        let Some(cluster) = self.cluster.as_ref() else {
            return Some(1);
        };
        let Some(parts) = cluster.internal.get(topic) else {
            // Not made yet: nothing has asked for a coordinator in this cluster.
            return Some(1);
        };
        let leader = parts
            .get(coordinator_partition(key) as usize)
            .and_then(|p| p.leader)?;
        cluster
            .brokers
            .get(&leader)
            .is_some_and(Broker::is_running)
            .then_some(leader)
    }

    /// The broker that coordinates group `group` once the controller has elected a new
    /// leader of its offsets partition: the coordinator now if there is one, else the first
    /// running replica in the ISR (a clean election's pick), `None` when none runs. The
    /// tools' FindCoordinator retries meet it (c3x_coordinator_away on Kafka 4.4).
    pub fn group_coordinator_next(&self, group: &str) -> Option<BrokerId> {
        if let Some(now) = self.group_coordinator(group) {
            return Some(now);
        }
        let cluster = self.cluster.as_ref()?;
        let p = cluster
            .internal
            .get(OFFSETS_TOPIC)?
            .get(coordinator_partition(group) as usize)?;
        p.replicas
            .iter()
            .copied()
            .find(|b| p.isr.contains(b) && cluster.brokers.get(b).is_some_and(Broker::is_running))
    }

    /// Every group's coordinator now, by group id.
    pub(crate) fn group_coordinators(&self) -> BTreeMap<String, Option<BrokerId>> {
        self.groups
            .keys()
            .map(|g| (g.clone(), self.group_coordinator(g)))
            .collect()
    }

    /// The groups whose coordinator is not available now (empty when every
    /// `__consumer_offsets` partition has a running leader, which is checked first).
    pub(crate) fn groups_without_coordinator(&self) -> BTreeSet<String> {
        let Some(cluster) = self.cluster.as_ref() else {
            return BTreeSet::new();
        };
        let Some(parts) = cluster.internal.get(OFFSETS_TOPIC) else {
            return BTreeSet::new();
        };
        let all_led = parts.iter().all(|p| {
            p.leader
                .is_some_and(|l| cluster.brokers.get(&l).is_some_and(Broker::is_running))
        });
        if all_led {
            return BTreeSet::new();
        }
        self.groups
            .keys()
            .filter(|g| self.group_coordinator(g).is_none())
            .cloned()
            .collect()
    }

    /// Makes the internal topics a cluster needs by now: `__consumer_offsets` once a group
    /// exists, `__transaction_state` once a transactional id does. Placed from the first
    /// broker (Kafka's placer starts at a random one), never drawing from the engine's seed.
    pub(crate) fn ensure_internal_topics(&mut self) {
        let wants_offsets = !self.groups.is_empty() || !self.share.groups.is_empty();
        let wants_transactions = !self.transactions.transactions.is_empty();
        let now_ms = self.now_ms();
        let Some(cluster) = self.cluster.as_mut() else {
            return;
        };
        for (topic, wanted) in [
            (OFFSETS_TOPIC, wants_offsets),
            (TRANSACTION_STATE_TOPIC, wants_transactions),
        ] {
            if !wanted || cluster.internal.contains_key(topic) {
                continue;
            }
            let unfenced: Vec<BrokerId> = cluster
                .brokers
                .iter()
                .filter(|(_, b)| !b.fenced)
                .map(|(&id, _)| id)
                .collect();
            if unfenced.is_empty() {
                // Kafka cannot make it either; the next moment tries again.
                continue;
            }
            let rf = INTERNAL_TOPIC_REPLICATION_FACTOR.min(unfenced.len() as u32);
            let mut rotate = |order: &mut Vec<BrokerId>| order.rotate_left(1);
            let Ok(placement) =
                place_replicas(&unfenced, INTERNAL_TOPIC_PARTITIONS, rf, 0, &mut rotate)
            else {
                continue;
            };
            let live = cluster.live();
            let parts = placement
                .into_iter()
                .map(|replicas| PartitionReplication::new(replicas, &live, now_ms))
                .collect();
            cluster.internal.insert(topic.to_string(), parts);
        }
    }

    /// A broker left (stopped or fenced): out of the internal partitions' ISRs, new leaders
    /// for what it led.
    pub(super) fn internal_broker_down(&mut self, broker: BrokerId) {
        self.each_internal_partition(|p, live, config, now_ms| {
            p.broker_down(broker, live, config, now_ms)
        });
    }

    /// A broker registered again: leaderless internal partitions may elect it.
    pub(super) fn internal_broker_up(&mut self, broker: BrokerId, clean_shutdown: bool) {
        self.each_internal_partition(|p, live, config, now_ms| {
            p.broker_up(broker, clean_shutdown, live, config, now_ms)
        });
    }

    /// Applies a broker event to every internal partition, with the live brokers, the
    /// cluster's replication settings and the time.
    fn each_internal_partition<R>(
        &mut self,
        mut apply: impl FnMut(
            &mut PartitionReplication,
            &BTreeSet<BrokerId>,
            &ReplicationConfig,
            i64,
        ) -> R,
    ) {
        let now_ms = self.now_ms();
        let Some(cluster) = self.cluster.as_mut() else {
            return;
        };
        let live = cluster.live();
        let config = replication_config_for(&cluster.config, None);
        for p in cluster.internal.values_mut().flatten() {
            apply(p, &live, &config, now_ms);
        }
    }

    /// The running followers of the internal partitions fetch (the topics hold no records,
    /// so a running follower is caught up at once and a returning one rejoins the ISR).
    pub(super) fn fetch_internal_followers(&mut self, now_ms: i64) {
        let Some(cluster) = self.cluster.as_mut() else {
            return;
        };
        if cluster.internal.is_empty() {
            return;
        }
        let live = cluster.live();
        let running = cluster.running();
        let config = replication_config_for(&cluster.config, None);
        for p in cluster.internal.values_mut().flatten() {
            let Some(leader) = p.leader.filter(|l| running.contains(l)) else {
                continue;
            };
            if p.isr.len() == p.replicas.len() {
                continue;
            }
            for follower in p.replicas.clone() {
                if follower != leader && running.contains(&follower) {
                    p.fetch(follower, 1, now_ms, &live, &config);
                }
            }
        }
    }

    /// Compares every group's coordinator with `before`: a group whose coordinator changed is
    /// narrated, and one that has a coordinator again is loaded by it (every member's session
    /// timer restarts now, Kafka's `rescheduleClassicGroupMemberHeartbeat` and
    /// `scheduleConsumerGroupSessionTimeout` on load).
    pub(super) fn coordinator_moves(
        &mut self,
        before: &BTreeMap<String, Option<BrokerId>>,
    ) -> Vec<Event> {
        let now = self.tick;
        let now_ms = time::tick_to_ms(now);
        let mut events = Vec::new();
        for (group, coordinator) in self.group_coordinators() {
            let Some(&was) = before.get(&group) else {
                continue;
            };
            if was == coordinator {
                continue;
            }
            let mut loaded = Vec::new();
            if coordinator.is_some() {
                loaded = self.load_group_record(&group);
                if let Some(g) = self.groups.get_mut(&group) {
                    for m in &mut g.members {
                        m.last_heartbeat_tick = now;
                    }
                    if let Some(info) = g.modern.as_mut() {
                        for m in &mut info.core.members {
                            m.last_heartbeat_ms = now_ms;
                        }
                        // A member still revoking gets its whole rebalance timeout again
                        // (`onLoaded` reschedules `scheduleConsumerGroupRebalanceTimeout`
                        // for every member in UNREVOKED_PARTITIONS).
                        for client in info.clients.values_mut() {
                            if client.revoke_deadline_tick.is_some() {
                                client.revoke_deadline_tick = Some(now.saturating_add(
                                    time::ms_to_ticks(client.rebalance_timeout_ms),
                                ));
                            }
                        }
                    }
                }
            }
            events.push(Event::GroupCoordinatorMoved {
                partition: coordinator_partition(&group),
                group,
                coordinator,
            });
            events.extend(loaded);
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partition_is_javas_abs_hash_modulo_50() {
        // "my-group".hashCode() == -1_906_497_762 (Java), abs 1_906_497_762 % 50 == 12.
        assert_eq!(string_hash("my-group"), -1_906_497_762);
        assert_eq!(coordinator_partition("my-group"), 12);
        assert_eq!(coordinator_partition("g"), 3);
        assert_eq!(coordinator_partition(""), 0);
        // "polygenelubricants".hashCode() == Integer.MIN_VALUE: Utils.abs gives 0.
        assert_eq!(string_hash("polygenelubricants"), i32::MIN);
        assert_eq!(coordinator_partition("polygenelubricants"), 0);
    }

    #[test]
    fn broker_addresses_follow_node_ids() {
        assert_eq!(broker_address(1), "localhost:9092");
        assert_eq!(broker_address(3), "localhost:9094");
    }
}
