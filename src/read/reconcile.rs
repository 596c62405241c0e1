//! Consumer-protocol (KIP-848) groups as the diagram draws them, and what a rebalance costs
//! each group whatever its protocol.
//!
//! - [`modern_group_facts`]: a consumer-protocol group's epochs and state, and per member its
//!   epoch, what it owns, what the coordinator still waits for it to release ("revoking") and
//!   what its target holds that it does not own yet ("waiting", with who still holds it).
//! - [`protocol_comparison`]: for groups of different protocols reading one topic, the
//!   partition-seconds each has gone without a reader since a consumer last started in it,
//!   from the engine's own tally (one per tick of what `unowned_since_tick` holds).

use std::collections::BTreeMap;

use crate::engine::reconcile::MemberState;
use crate::engine::time::MS_PER_TICK;
use crate::engine::{Engine, Group, TopicPartition};

/// One member of a consumer-protocol group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModernMemberFacts {
    pub client_id: String,
    /// Its member epoch at the coordinator.
    pub epoch: i32,
    pub state: MemberState,
    /// What its client reads now.
    pub owned: Vec<TopicPartition>,
    /// What the coordinator still counts as its, pending revocation: it must release these
    /// before anyone else gets them.
    pub revoking: Vec<TopicPartition>,
    /// What its target holds that it does not own yet, each with the client that still holds
    /// it (`None` once released: it comes with the member's next heartbeat).
    pub waiting: Vec<(TopicPartition, Option<String>)>,
    /// It speaks the classic protocol (JoinGroup/SyncGroup) in this consumer group: a member
    /// that was there when the group was upgraded online, or joined it with the classic one.
    pub classic: bool,
}

impl ModernMemberFacts {
    /// Whether it still has something to give up or to get.
    pub fn reconciling(&self) -> bool {
        !self.revoking.is_empty() || !self.waiting.is_empty()
    }
}

/// A consumer-protocol group at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModernGroupFacts {
    pub group_epoch: i32,
    pub target_epoch: i32,
    /// Empty, Assigning, Reconciling or Stable.
    pub state: &'static str,
    pub assignor: &'static str,
    /// By client id.
    pub members: BTreeMap<String, ModernMemberFacts>,
}

/// The facts of a consumer-protocol group; `None` for a classic group.
pub fn modern_group_facts(engine: &Engine, group: &Group) -> Option<ModernGroupFacts> {
    let info = group.modern.as_ref()?;
    let names = crate::engine::modern::topic_names(&engine.topics);
    let client_of: BTreeMap<&str, &str> = crate::sort::collect_map(
        engine
            .consumers
            .values()
            .filter(|c| c.group.as_deref() == Some(group.id.as_str()))
            .filter_map(|c| {
                // A classic member of an upgraded group is known by its JoinGroup member id.
                let member_id = match c.modern.as_ref() {
                    Some(m) => m.member_id.as_str(),
                    None => c.membership.member_id()?,
                };
                Some((member_id, c.client_id.as_str()))
            }),
    );
    let by_name = |by_id: &BTreeMap<String, BTreeMap<u32, i32>>| {
        let mut out: Vec<TopicPartition> = by_id
            .iter()
            .filter_map(|(id, ps)| names.get(id).map(|n| (n, ps)))
            .flat_map(|(n, ps)| ps.keys().map(move |p| TopicPartition::new(n, *p)))
            .collect();
        crate::sort::sort(&mut out);
        out
    };
    // Who holds each partition now: the client reading it, or the member whose revocation
    // the coordinator still waits for.
    let mut holder: BTreeMap<TopicPartition, String> = BTreeMap::new();
    let mut revoking_of: BTreeMap<&str, Vec<TopicPartition>> = BTreeMap::new();
    for m in &info.core.members {
        let Some(client) = client_of.get(m.member_id.as_str()) else {
            continue;
        };
        let revoking = by_name(&m.assignment.pending_revocation);
        for tp in &revoking {
            holder.insert(tp.clone(), client.to_string());
        }
        revoking_of.insert(client, revoking);
    }
    for c in engine.consumers.values() {
        if c.group.as_deref() == Some(group.id.as_str()) && c.is_running() {
            for tp in &c.assignment {
                holder.insert(tp.clone(), c.client_id.clone());
            }
        }
    }
    let mut members = BTreeMap::new();
    for view in info.member_views(&engine.topics) {
        let Some(&client) = client_of.get(view.member_id.as_str()) else {
            continue;
        };
        let owned = engine
            .consumers
            .get(client)
            .filter(|c| c.is_running())
            .map(|c| c.assignment.clone())
            .unwrap_or_default();
        let revoking = revoking_of.remove(client).unwrap_or_default();
        let waiting = view
            .target
            .iter()
            .filter(|tp| !owned.contains(tp))
            .map(|tp| {
                let held_by = holder.get(tp).filter(|h| h.as_str() != client).cloned();
                (tp.clone(), held_by)
            })
            .collect();
        members.insert(
            client.to_string(),
            ModernMemberFacts {
                client_id: client.to_string(),
                epoch: view.member_epoch,
                state: view.state,
                owned,
                revoking,
                waiting,
                classic: view.classic,
            },
        );
    }
    Some(ModernGroupFacts {
        group_epoch: info.core.group_epoch,
        target_epoch: info.core.target_epoch,
        state: info.state().name(),
        assignor: info.core.assignor.name(),
        members,
    })
}

/// The rebalance protocol a group uses, as the comparison names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupProtocol {
    /// Classic, an eager assignor: everyone revokes everything.
    Eager,
    /// Classic, cooperative-sticky: only the movers are revoked, in two rounds.
    Cooperative,
    /// The consumer protocol (KIP-848): each member reconciles on its own heartbeats.
    Consumer,
}

impl GroupProtocol {
    pub fn label(self) -> &'static str {
        match self {
            GroupProtocol::Eager => "eager",
            GroupProtocol::Cooperative => "cooperative",
            GroupProtocol::Consumer => "consumer (KIP-848)",
        }
    }
}

/// The protocol of a group that has chosen one.
pub fn group_protocol(group: &Group) -> Option<GroupProtocol> {
    if group.modern.is_some() {
        return Some(GroupProtocol::Consumer);
    }
    group.protocol.map(|p| {
        if p.is_cooperative() {
            GroupProtocol::Cooperative
        } else {
            GroupProtocol::Eager
        }
    })
}

/// What the last change cost one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolCost {
    pub group: String,
    pub protocol: GroupProtocol,
    /// Partition-ticks without a reader since a consumer last started in the group.
    pub unowned_partition_ticks: u64,
    /// Whether it has partitions without a reader right now (the count still grows).
    pub counting: bool,
}

impl ProtocolCost {
    /// Partition-seconds, with one decimal: `12.3`.
    pub fn partition_seconds_text(&self) -> String {
        let tenths = self
            .unowned_partition_ticks
            .saturating_mul(MS_PER_TICK as u64)
            / 100;
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// The groups of different protocols that read a common topic, each with its cost; empty
/// unless at least two protocols, the consumer protocol among them, read one topic (a
/// comparison is set up).
pub fn protocol_comparison(engine: &Engine) -> Vec<ProtocolCost> {
    let mut readers: BTreeMap<&str, Vec<&Group>> = BTreeMap::new();
    for g in engine.groups.values() {
        if group_protocol(g).is_none() {
            continue;
        }
        let mut topics: Vec<&str> = engine
            .consumers
            .values()
            .filter(|c| c.group.as_deref() == Some(g.id.as_str()) && c.is_subscriber())
            .flat_map(|c| c.topics.iter().map(String::as_str))
            .collect();
        crate::sort::sort(&mut topics);
        topics.dedup();
        for t in topics {
            readers.entry(t).or_default().push(g);
        }
    }
    let Some(groups) = readers.into_values().find(|gs| {
        let mut protocols: Vec<GroupProtocol> =
            gs.iter().filter_map(|g| group_protocol(g)).collect();
        crate::sort::sort(&mut protocols);
        protocols.dedup();
        // Only where the consumer protocol is in use: classic groups alone keep their picture.
        protocols.len() >= 2 && protocols.contains(&GroupProtocol::Consumer)
    }) else {
        return Vec::new();
    };
    groups
        .into_iter()
        .filter_map(|g| {
            Some(ProtocolCost {
                group: g.id.clone(),
                protocol: group_protocol(g)?,
                unowned_partition_ticks: g.unowned_ticks_since_join,
                counting: !g.unowned_since_tick.is_empty(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;

    /// Three groups read one topic of 8 partitions under eager, cooperative and the
    /// consumer protocol, four members each; then a fifth joins each at the same moment.
    pub(crate) fn comparison_console() -> Console {
        let mut console = Console::new(8);
        console.run_line("kafka-topics --create --topic clicks --partitions 8");
        console.run_line("producer add web");
        console.run_line("producer stream web --topic clicks --rate 40");
        let configs = [
            ("eager", "--config partition.assignment.strategy=range"),
            (
                "coop",
                "--config partition.assignment.strategy=cooperative-sticky",
            ),
            ("kip848", "--config group.protocol=consumer"),
        ];
        for member in 1..=4 {
            for (group, config) in configs {
                console.run_line(&format!(
                    "consumer start {group}-{member} --group {group} --topic clicks {config} --config processing.rate=20"
                ));
            }
        }
        console.run_line("clock advance 20s");
        for (group, config) in configs {
            console.run_line(&format!(
                "consumer start {group}-5 --group {group} --topic clicks {config} --config processing.rate=20"
            ));
        }
        console
    }

    /// Partitions of `topic` no running member of `group` owns in `engine`.
    fn unowned_now(engine: &Engine, group: &str, topic: &str) -> u64 {
        let n = engine.topics[topic].n_partitions();
        (0..n)
            .filter(|p| {
                let tp = TopicPartition::new(topic, *p);
                !engine.consumers.values().any(|c| {
                    c.group.as_deref() == Some(group)
                        && c.is_running()
                        && c.assignment.contains(&tp)
                })
            })
            .count() as u64
    }

    #[test]
    fn each_protocols_cost_is_what_a_tick_by_tick_count_of_the_history_finds() {
        let mut console = comparison_console();
        let mut counted: BTreeMap<&str, u64> = BTreeMap::new();
        for _ in 0..300 {
            console.run_line("clock advance 1");
            let engine = console.timeline().state();
            for g in ["eager", "coop", "kip848"] {
                *counted.entry(g).or_default() += unowned_now(engine, g, "clicks");
            }
        }
        let engine = console.timeline().state();
        let costs = protocol_comparison(engine);
        let by_group: BTreeMap<&str, &ProtocolCost> =
            costs.iter().map(|c| (c.group.as_str(), c)).collect();
        assert_eq!(by_group.len(), 3, "{costs:?}");
        for g in ["eager", "coop", "kip848"] {
            assert_eq!(
                by_group[g].unowned_partition_ticks, counted[g],
                "{g}: the engine's tally is the history's count"
            );
            assert!(!by_group[g].counting, "{g} has settled");
        }
        assert_eq!(by_group["eager"].protocol, GroupProtocol::Eager);
        assert_eq!(by_group["coop"].protocol, GroupProtocol::Cooperative);
        assert_eq!(by_group["kip848"].protocol, GroupProtocol::Consumer);
        let (eager, coop, modern) = (
            by_group["eager"].unowned_partition_ticks,
            by_group["coop"].unowned_partition_ticks,
            by_group["kip848"].unowned_partition_ticks,
        );
        assert!(eager > coop && eager > modern, "{costs:?}");
        assert!(
            modern > 0,
            "a moved partition waits for its new owner's heartbeat"
        );
    }

    #[test]
    fn classic_groups_alone_are_not_compared() {
        let mut console = Console::new(3);
        for line in [
            "kafka-topics --create --topic t --partitions 4",
            "consumer start e1 --group eager --topic t --config partition.assignment.strategy=range",
            "consumer start c1 --group coop --topic t --config partition.assignment.strategy=cooperative-sticky",
            "clock advance 5s",
        ] {
            console.run_line(line);
        }
        assert_eq!(protocol_comparison(console.timeline().state()), vec![]);
        console
            .run_line("consumer start n1 --group new --topic t --config group.protocol=consumer");
        console.run_line("clock advance 5s");
        let groups: Vec<String> = protocol_comparison(console.timeline().state())
            .into_iter()
            .map(|c| c.group)
            .collect();
        assert_eq!(groups, ["coop", "eager", "new"]);
    }

    #[test]
    fn a_joining_member_waits_for_what_its_old_owner_releases() {
        let mut console = comparison_console();
        let mut seen_revoking = false;
        let mut seen_waiting_on_holder = false;
        let mut seen_reconciling = false;
        for _ in 0..120 {
            console.run_line("clock advance 1");
            let engine = console.timeline().state();
            let facts = modern_group_facts(engine, &engine.groups["kip848"]).unwrap();
            seen_reconciling |= facts.state == "Reconciling";
            for m in facts.members.values() {
                // What a member must release is never read by anyone else meanwhile.
                for tp in &m.revoking {
                    seen_revoking = true;
                    assert!(facts
                        .members
                        .values()
                        .all(|other| !other.owned.contains(tp) || other.client_id == m.client_id));
                }
                seen_waiting_on_holder |= m.waiting.iter().any(|(_, h)| h.is_some());
                assert!(m.epoch <= facts.target_epoch);
            }
        }
        assert!(seen_revoking && seen_waiting_on_holder && seen_reconciling);
        let engine = console.timeline().state();
        let facts = modern_group_facts(engine, &engine.groups["kip848"]).unwrap();
        assert_eq!(facts.state, "Stable");
        assert_eq!(facts.members.len(), 5);
        assert!(facts.members.values().all(|m| !m.reconciling()));
        assert!(facts.group_epoch >= 3 && facts.group_epoch == facts.target_epoch);
        assert_eq!(modern_group_facts(engine, &engine.groups["eager"]), None);
    }
}
