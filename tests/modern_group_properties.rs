//! Property tests of the consumer protocol (KIP-848) driven through the ENGINE: random
//! consumers with `group.protocol=consumer` join, leave, crash, restart and change topics while
//! the clock runs, and after every command:
//! - no partition has two owners among the running consumers of a group, nor two members at
//!   the coordinator;
//! - the group epoch never falls, the target assignment epoch never passes it, and a member's
//!   epoch only grows while it stays in the group (a rejoin starts again at 0, a static
//!   member's temporary leave shows -2);
//! - a Stable group's members own every subscribed partition exactly once;
//! - once nothing changes for a while, every group with members is Stable.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use kafka_sim::engine::consumer_group::ModernGroupState;
use kafka_sim::engine::{Command, Engine, TopicPartition};
use proptest::prelude::*;

const TOPICS: [&str; 2] = ["a", "b"];
const GROUPS: [&str; 2] = ["g1", "g2"];
const CLIENTS: [&str; 4] = ["c1", "c2", "c3", "c4"];

fn name(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(list.to_vec()).prop_map(str::to_string)
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        1 => (name(&TOPICS), 1i64..5).prop_map(|(n, p)| Command::CreateTopic { name: n, partitions: p, configs: vec![] }),
        1 => (name(&TOPICS), 1i64..7).prop_map(|(t, n)| Command::AddPartitions { topic: t, total: n }),
        2 => (name(&TOPICS), proptest::option::of(0u8..6)).prop_map(|(t, k)| Command::Produce {
            producer: Some("p1".into()),
            topic: t,
            partition: None,
            key: k.map(|k| format!("k{k}")),
            value: Some("v".into()),
            headers: vec![],
        }),
        4 => (
            name(&CLIENTS),
            name(&GROUPS),
            proptest::option::of(name(&["i1", "i2"])),
            proptest::option::of(name(&["uniform", "range"])),
            1usize..4,
        )
            .prop_map(|(c, g, instance, assignor, topics)| {
                let mut config = vec![
                    ("group.protocol".to_string(), "consumer".to_string()),
                    ("auto.commit.interval.ms".to_string(), "1000".to_string()),
                ];
                if let Some(i) = instance {
                    config.push(("group.instance.id".to_string(), i));
                }
                if let Some(a) = assignor {
                    config.push(("group.remote.assignor".to_string(), a));
                }
                // 1: a, 2: b, 3: both.
                let topic_list: Vec<String> = TOPICS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| topics & (1 << i) != 0)
                    .map(|(_, t)| t.to_string())
                    .collect();
                Command::StartConsumer { client_id: c, group: Some(g), topics: topic_list, assign: vec![], config }
            }),
        1 => name(&CLIENTS).prop_map(|c| Command::StopConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::CrashConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::RestartConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::RemoveConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::CommitSync { client_id: c }),
        5 => (1u32..120).prop_map(|ticks| Command::Advance { ticks }),
    ]
}

/// What the coordinator shows of each group: its epochs and each member's epoch.
#[derive(Debug, Clone, Default)]
struct Epochs {
    group: BTreeMap<String, (i32, i32)>,
    members: BTreeMap<(String, String), i32>,
}

fn epochs(e: &Engine) -> Epochs {
    let mut out = Epochs::default();
    for (id, g) in &e.groups {
        let Some(m) = &g.modern else { continue };
        out.group
            .insert(id.clone(), (m.core.group_epoch, m.core.target_epoch));
        for member in &m.core.members {
            out.members.insert(
                (id.clone(), member.member_id.clone()),
                member.assignment.member_epoch,
            );
        }
    }
    out
}

/// Every property that holds at any instant.
fn check(e: &Engine, before: &Epochs) -> Result<(), String> {
    for (id, g) in &e.groups {
        // Running consumers of the group own disjoint partitions.
        let mut owners: BTreeMap<&TopicPartition, &str> = BTreeMap::new();
        for c in e
            .consumers
            .values()
            .filter(|c| c.is_running() && c.group.as_deref() == Some(id))
        {
            for tp in &c.assignment {
                if let Some(other) = owners.insert(tp, &c.client_id) {
                    return Err(format!("{tp} owned by {other} and {} in {id}", c.client_id));
                }
            }
        }
        let Some(m) = &g.modern else { continue };
        // The coordinator never gives a partition to two members (assigned or revoking).
        let mut held: BTreeMap<(String, u32), &str> = BTreeMap::new();
        for member in &m.core.members {
            for map in [
                &member.assignment.assigned,
                &member.assignment.pending_revocation,
            ] {
                for (t, ps) in map {
                    for p in ps.keys() {
                        if let Some(other) = held.insert((t.clone(), *p), &member.member_id) {
                            return Err(format!(
                                "{t}-{p} held by {other} and {} in {id}",
                                member.member_id
                            ));
                        }
                    }
                }
            }
        }
        let (group_epoch, target_epoch) = (m.core.group_epoch, m.core.target_epoch);
        if target_epoch > group_epoch {
            return Err(format!(
                "{id}: target epoch {target_epoch} above group epoch {group_epoch}"
            ));
        }
        if let Some((g0, t0)) = before.group.get(id) {
            if group_epoch < *g0 || target_epoch < *t0 {
                return Err(format!(
                    "{id}: epochs fell from ({g0}, {t0}) to ({group_epoch}, {target_epoch})"
                ));
            }
        }
        for member in &m.core.members {
            let epoch = member.assignment.member_epoch;
            if epoch > target_epoch {
                return Err(format!(
                    "{id}: member epoch {epoch} above target epoch {target_epoch}"
                ));
            }
            if let Some(old) = before.members.get(&(id.clone(), member.member_id.clone())) {
                // A rejoin starts at 0; a static member's temporary leave shows -2.
                if epoch < *old && epoch != 0 && epoch != -2 {
                    return Err(format!("{id}: a member's epoch fell from {old} to {epoch}"));
                }
            }
        }
        // A Stable group's members own every subscribed partition exactly once: those of the
        // metadata its target was computed from (a topic created or grown since is noticed at
        // the next heartbeat, as in Kafka).
        if m.state() == ModernGroupState::Stable {
            let views = m.member_views(&e.topics);
            let expected: BTreeSet<TopicPartition> = e
                .topics
                .values()
                .filter_map(|t| m.core.metadata.get(&t.id).map(|n| (t, *n)))
                .flat_map(|(t, n)| (0..n).map(|p| TopicPartition::new(t.name.clone(), p)))
                .collect();
            let owned: Vec<&TopicPartition> =
                views.iter().flat_map(|v| v.assignment.iter()).collect();
            let owned_set: BTreeSet<TopicPartition> =
                owned.iter().map(|tp| (*tp).clone()).collect();
            if owned.len() != owned_set.len() || owned_set != expected {
                return Err(format!(
                    "Stable {id} owns {owned:?}, expected each of {expected:?} once"
                ));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn consumer_protocol_groups_keep_their_promises(commands in proptest::collection::vec(command(), 1..40)) {
        let mut engine = Engine::new(7);
        engine.apply(&Command::CreateTopic { name: "a".into(), partitions: 3, configs: vec![] }).unwrap();
        let mut before = epochs(&engine);
        for command in &commands {
            let _ = engine.apply(command);
            if let Err(why) = check(&engine, &before) {
                prop_assert!(false, "after {command:?}: {why}");
            }
            before = epochs(&engine);
        }
        // Nothing changes for two minutes: crashed members' sessions expire, everyone else
        // reconciles, and every group with members is Stable.
        for _ in 0..12 {
            engine.apply(&Command::Advance { ticks: 100 }).unwrap();
            if let Err(why) = check(&engine, &before) {
                prop_assert!(false, "while quiet: {why}");
            }
            before = epochs(&engine);
        }
        for (id, g) in &engine.groups {
            if let Some(m) = &g.modern {
                if !m.core.members.is_empty() {
                    prop_assert_eq!(m.state(), ModernGroupState::Stable, "group {} settles", id);
                    // ... on the topics as they are now.
                    let subscribed: BTreeSet<&String> =
                        m.core.members.iter().flat_map(|m| m.subscribed.iter()).collect();
                    let now: BTreeMap<String, u32> = subscribed
                        .iter()
                        .filter_map(|t| engine.topics.get(*t))
                        .map(|t| (t.id.clone(), t.n_partitions()))
                        .collect();
                    prop_assert_eq!(&m.core.metadata, &now, "group {} knows the topics", id);
                }
            }
        }
    }
}

/// A fixed case a user can picture: three members join one by one, one crashes, and at no
/// tick does any partition have two owners; at the end the two left own everything.
#[test]
fn three_members_join_and_one_crashes() {
    let mut engine = Engine::new(1);
    engine
        .apply(&Command::CreateTopic {
            name: "orders".into(),
            partitions: 6,
            configs: vec![],
        })
        .unwrap();
    let start = |id: &str| Command::StartConsumer {
        client_id: id.into(),
        group: Some("g".into()),
        topics: vec!["orders".into()],
        assign: vec![],
        config: vec![("group.protocol".into(), "consumer".into())],
    };
    let mut before = epochs(&engine);
    for id in ["c1", "c2", "c3"] {
        engine.apply(&start(id)).unwrap();
        for _ in 0..80 {
            engine.apply(&Command::Advance { ticks: 1 }).unwrap();
            check(&engine, &before).unwrap();
            before = epochs(&engine);
        }
    }
    let owned = |e: &Engine, id: &str| e.consumers[id].assignment.len();
    assert_eq!(
        (
            owned(&engine, "c1"),
            owned(&engine, "c2"),
            owned(&engine, "c3")
        ),
        (2, 2, 2)
    );
    engine
        .apply(&Command::CrashConsumer {
            client_id: "c3".into(),
        })
        .unwrap();
    for _ in 0..600 {
        engine.apply(&Command::Advance { ticks: 1 }).unwrap();
        check(&engine, &before).unwrap();
        before = epochs(&engine);
    }
    assert_eq!((owned(&engine, "c1"), owned(&engine, "c2")), (3, 3));
    let info = engine.groups["g"].modern.as_ref().unwrap();
    assert_eq!(info.state(), ModernGroupState::Stable);
    assert_eq!(info.core.members.len(), 2);
}
