//! Property test of the consumer protocol (KIP-848): with members joining, leaving, changing
//! subscriptions, heartbeating in any order and topics growing, no partition is ever assigned
//! to two members at once (a member revokes before another receives); once everyone keeps
//! heartbeating, the group is Stable and every subscribed partition has an owner.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use kafka_sim::engine::assign::server::ServerAssignor;
use kafka_sim::engine::consumer_group::{
    Heartbeat, HeartbeatResponse, ModernGroup, ModernGroupState, TopicInfo,
};
use proptest::prelude::*;

const IDS: [&str; 4] = ["m0", "m1", "m2", "m3"];
const TOPIC_IDS: [&str; 2] = ["AAAAAAAAAAAAAAAAAAAAAQ", "BAAAAAAAAAAAAAAAAAAAAQ"];

#[derive(Debug, Clone)]
enum Op {
    Heartbeat(usize),
    Join(usize, u8),
    Leave(usize),
    Subscribe(usize, u8),
    Grow(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0usize..4).prop_map(Op::Heartbeat),
        2 => (0usize..4, 1u8..4).prop_map(|(m, s)| Op::Join(m, s)),
        1 => (0usize..4).prop_map(Op::Leave),
        1 => (0usize..4, 1u8..4).prop_map(|(m, s)| Op::Subscribe(m, s)),
        1 => (0usize..2).prop_map(Op::Grow),
    ]
}

fn names(mask: u8) -> BTreeSet<String> {
    ["a", "b"]
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, n)| n.to_string())
        .collect()
}

/// What a well-behaved client does: it owns what it was last told.
struct Client {
    epoch: i32,
    owned: BTreeMap<String, BTreeSet<u32>>,
    subscription: Option<BTreeSet<String>>,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    #[test]
    fn no_partition_has_two_owners_and_the_group_settles(ops in proptest::collection::vec(op(), 1..120), uniform in any::<bool>()) {
        let assignor = if uniform { ServerAssignor::Uniform } else { ServerAssignor::Range };
        let mut group = ModernGroup::new("g", assignor);
        let mut topics: BTreeMap<String, TopicInfo> = BTreeMap::new();
        for (i, name) in ["a", "b"].iter().enumerate() {
            topics.insert(name.to_string(), TopicInfo { id: TOPIC_IDS[i].to_string(), partitions: 2 + i as u32 });
        }
        let mut clients: BTreeMap<usize, Client> = BTreeMap::new();
        let mut now = 0i64;
        let apply = |group: &mut ModernGroup, topics: &BTreeMap<String, TopicInfo>, id: usize, client: &mut Client, now: i64| -> Result<HeartbeatResponse, ()> {
            let hb = Heartbeat {
                member_id: IDS[id],
                member_epoch: client.epoch,
                instance_id: None,
                subscribed: client.subscription.as_ref(),
                owned: Some(&client.owned),
            };
            match group.heartbeat(&hb, topics, now) {
                Ok(r) => {
                    client.epoch = r.member_epoch;
                    client.owned = r.assigned.clone();
                    Ok(r)
                }
                Err(_) => {
                    // Fenced or unknown: drop everything and rejoin at epoch 0.
                    client.epoch = 0;
                    client.owned.clear();
                    Err(())
                }
            }
        };
        for op in &ops {
            now += 100;
            match *op {
                Op::Join(m, s) => {
                    if let std::collections::btree_map::Entry::Vacant(e) = clients.entry(m) {
                        let mut c = Client { epoch: 0, owned: BTreeMap::new(), subscription: Some(names(s)) };
                        let _ = apply(&mut group, &topics, m, &mut c, now);
                        e.insert(c);
                    }
                }
                Op::Heartbeat(m) => {
                    if let Some(c) = clients.get_mut(&m) {
                        let _ = apply(&mut group, &topics, m, c, now);
                        c.subscription = None;
                    }
                }
                Op::Leave(m) => {
                    if clients.remove(&m).is_some() {
                        let mut c = Client { epoch: -1, owned: BTreeMap::new(), subscription: None };
                        let _ = apply(&mut group, &topics, m, &mut c, now);
                    }
                }
                Op::Subscribe(m, s) => {
                    if let Some(c) = clients.get_mut(&m) {
                        c.subscription = Some(names(s));
                        let _ = apply(&mut group, &topics, m, c, now);
                        c.subscription = None;
                    }
                }
                Op::Grow(t) => {
                    let name = ["a", "b"][t];
                    if let Some(info) = topics.get_mut(name) {
                        info.partitions += 1;
                    }
                }
            }
            // The coordinator never gives one partition to two members at once.
            let mut owners: BTreeMap<(String, u32), &str> = BTreeMap::new();
            for m in &group.members {
                for (t, ps) in m.assignment.assigned.iter().chain(m.assignment.pending_revocation.iter()) {
                    for p in ps.keys() {
                        if let Some(other) = owners.insert((t.clone(), *p), &m.member_id) {
                            prop_assert!(false, "{t}-{p} held by {other} and {}", m.member_id);
                        }
                    }
                }
            }
        }
        // Everyone keeps heartbeating.
        for _ in 0..20 {
            now += 100;
            let ids: Vec<usize> = clients.keys().copied().collect();
            for m in ids {
                if let Some(c) = clients.get_mut(&m) {
                    if c.epoch == 0 && group.member(IDS[m]).is_none() {
                        c.subscription = group.member(IDS[m]).map(|x| x.subscribed.clone()).or(c.subscription.clone());
                    }
                    let _ = apply(&mut group, &topics, m, c, now);
                }
            }
        }
        if !clients.is_empty() {
            prop_assert_eq!(group.state(), ModernGroupState::Stable, "members {:?}", group.members);
            // Every partition of a subscribed topic has an owner.
            let subscribed: BTreeSet<&String> = group.members.iter().flat_map(|m| m.subscribed.iter()).collect();
            for name in subscribed {
                let info = &topics[name];
                for p in 0..info.partitions {
                    let owned = group.members.iter().any(|m| m.assignment.assigned.get(&info.id).is_some_and(|ps| ps.contains_key(&p)));
                    prop_assert!(owned, "{name}-{p} has no owner");
                }
            }
        }
    }
}
