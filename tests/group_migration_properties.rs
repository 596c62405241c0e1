//! Property tests of the online migration between the group protocols, driven through the
//! ENGINE: classic consumers (eager `range` or `cooperative-sticky`) and consumer-protocol
//! consumers start, stop, crash and restart in the same groups while the clock runs, so the
//! groups are upgraded to consumer groups and downgraded back. After every command:
//! - no partition has two owners among the running consumers of a group (the classic members
//!   of a consumer group give partitions up before anyone else reads them);
//! - the coordinator of a consumer group never counts a partition as two members';
//! - once nothing changes for a while, every partition of a group has an owner.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use kafka_sim::engine::{Command, Engine, TopicPartition};
use proptest::prelude::*;

const GROUPS: [&str; 2] = ["g1", "g2"];
const CLIENTS: [&str; 5] = ["c1", "c2", "c3", "c4", "c5"];

fn name(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(list.to_vec()).prop_map(str::to_string)
}

/// 0: classic eager (range), 1: classic cooperative-sticky, 2: consumer protocol.
fn start(client: String, group: String, protocol: u8) -> Command {
    let config = match protocol {
        0 => vec![],
        1 => vec![(
            "partition.assignment.strategy".to_string(),
            "cooperative-sticky".to_string(),
        )],
        _ => vec![("group.protocol".to_string(), "consumer".to_string())],
    };
    Command::StartConsumer {
        client_id: client,
        group: Some(group),
        topics: vec!["t".into()],
        assign: vec![],
        config,
    }
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        5 => (name(&CLIENTS), name(&GROUPS), 0u8..3).prop_map(|(c, g, p)| start(c, g, p)),
        2 => name(&CLIENTS).prop_map(|c| Command::StopConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::CrashConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::RestartConsumer { client_id: c }),
        1 => name(&CLIENTS).prop_map(|c| Command::RemoveConsumer { client_id: c }),
        1 => (5i64..7).prop_map(|n| Command::AddPartitions { topic: "t".into(), total: n }),
        6 => (1u32..80).prop_map(|ticks| Command::Advance { ticks }),
    ]
}

fn check(e: &Engine) -> Result<(), String> {
    for (id, group) in &e.groups {
        let mut owner: BTreeMap<&TopicPartition, &str> = BTreeMap::new();
        for c in e
            .consumers
            .values()
            .filter(|c| c.is_running() && c.group.as_deref() == Some(id))
        {
            for tp in &c.assignment {
                if let Some(other) = owner.insert(tp, &c.client_id) {
                    return Err(format!(
                        "{tp} of group {id} ({}) is read by {other} and {}",
                        group.state_name(),
                        c.client_id
                    ));
                }
            }
        }
        if let Some(info) = &group.modern {
            let mut held: BTreeMap<(String, u32), &str> = BTreeMap::new();
            for m in &info.core.members {
                for map in [&m.assignment.assigned, &m.assignment.pending_revocation] {
                    for (t, ps) in map {
                        for p in ps.keys() {
                            if let Some(other) = held.insert((t.clone(), *p), &m.member_id) {
                                return Err(format!(
                                    "the coordinator of {id} counts {t}-{p} as {other}'s and {}'s",
                                    m.member_id
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn no_partition_has_two_owners_while_groups_migrate(commands in proptest::collection::vec(command(), 1..40)) {
        let mut engine = Engine::new(11);
        engine.apply(&Command::CreateTopic { name: "t".into(), partitions: 4, configs: vec![] }).unwrap();
        for command in &commands {
            let _ = engine.apply(command);
            // Every tick: an instant with two owners would show between commands too.
            for _ in 0..3 {
                let _ = engine.apply(&Command::Advance { ticks: 7 });
                if let Err(why) = check(&engine) {
                    prop_assert!(false, "after {command:?}: {why}");
                }
            }
        }
        // Quiet for seven minutes (a classic leader sees new partitions within
        // metadata.max.age.ms, 5 min): every partition of a group with running members is read.
        let _ = engine.apply(&Command::Advance { ticks: 4_200 });
        prop_assert!(check(&engine).is_ok(), "{:?}", check(&engine));
        for id in GROUPS {
            let running = engine.consumers.values().filter(|c| c.is_running() && c.group.as_deref() == Some(id)).count();
            if running == 0 {
                continue;
            }
            let owned: usize = engine.consumers.values()
                .filter(|c| c.is_running() && c.group.as_deref() == Some(id))
                .map(|c| c.assignment.len())
                .sum();
            let partitions = engine.topics.get("t").map_or(0, |t| t.n_partitions() as usize);
            prop_assert_eq!(owned, partitions, "group {} after a quiet while", id);
        }
    }
}

/// c47 in the engine: a classic member's group is upgraded when a consumer-protocol member
/// joins (both then read half), and downgraded when that member leaves (the classic member
/// reads everything again).
#[test]
fn a_group_is_upgraded_then_downgraded() {
    let mut e = Engine::new(3);
    e.apply(&Command::CreateTopic {
        name: "t".into(),
        partitions: 2,
        configs: vec![],
    })
    .unwrap();
    e.apply(&start("k1".into(), "g".into(), 0)).unwrap();
    e.apply(&Command::Advance { ticks: 80 }).unwrap();
    assert_eq!(e.groups["g"].state_name(), "Stable");
    assert!(e.groups["g"].modern.is_none());
    e.apply(&start("c1".into(), "g".into(), 2)).unwrap();
    e.apply(&Command::Advance { ticks: 100 }).unwrap();
    let g = &e.groups["g"];
    assert!(
        g.modern.is_some(),
        "the group is a consumer group after the upgrade"
    );
    assert_eq!(g.state_name(), "Stable");
    assert_eq!(e.consumers["k1"].assignment.len(), 1);
    assert_eq!(e.consumers["c1"].assignment.len(), 1);
    e.apply(&Command::StopConsumer {
        client_id: "c1".into(),
    })
    .unwrap();
    e.apply(&Command::Advance { ticks: 100 }).unwrap();
    let g = &e.groups["g"];
    assert!(
        g.modern.is_none(),
        "the group is classic again after the downgrade"
    );
    assert_eq!(g.state_name(), "Stable");
    assert_eq!(e.consumers["k1"].assignment.len(), 2);
}
