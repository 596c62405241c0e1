//! Property tests of partition replication (SEMANTICS-4 §A): random appends, fetches at
//! random speeds, broker failures and returns, ISR checks and elections keep replication's
//! invariants, and a record the high watermark has passed (acknowledged with `acks=all`) is
//! never lost unless an unclean election happened.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use kafka_sim::engine::replication::{
    Acks, BrokerId, ElectionKind, PartitionReplication, ReplicationConfig,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Append(i64, u8),
    Fetch(BrokerId, i64),
    Down(BrokerId),
    Up(BrokerId, bool),
    Shrink,
    Preferred,
    Advance(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1i64..5, 0u8..3).prop_map(|(n, a)| Op::Append(n, a)),
        8 => (1..4, 0i64..6).prop_map(|(b, n)| Op::Fetch(b, n)),
        1 => (1..4).prop_map(Op::Down),
        1 => (1..4, any::<bool>()).prop_map(|(b, c)| Op::Up(b, c)),
        2 => Just(Op::Shrink),
        1 => Just(Op::Preferred),
        2 => (100i64..20_000).prop_map(Op::Advance),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    #[test]
    fn replication_keeps_its_invariants_and_committed_records(
        ops in proptest::collection::vec(op(), 1..200),
        min_isr in 1u32..4,
        unclean in any::<bool>(),
        elr in any::<bool>(),
    ) {
        let config = ReplicationConfig {
            min_insync_replicas: min_isr,
            unclean_leader_election: unclean,
            eligible_leader_replicas: elr,
            ..ReplicationConfig::default()
        };
        let mut live: BTreeSet<BrokerId> = [1, 2, 3].into_iter().collect();
        let mut p = PartitionReplication::new(vec![1, 2, 3], &live, 0);
        let mut now = 0i64;
        // Each committed offset with the epoch that wrote it.
        let mut committed: BTreeMap<i64, i32> = BTreeMap::new();
        let mut lossy = false;
        for op in &ops {
            now += 100;
            let leader_before = p.leader;
            let hw_before = p.high_watermark();
            let epoch_before = (p.leader_epoch, p.partition_epoch);
            match *op {
                Op::Append(n, a) => {
                    let acks = [Acks::None, Acks::Leader, Acks::All][a as usize];
                    let _ = p.append(n, acks, &config);
                }
                Op::Fetch(b, n) => {
                    p.fetch(b, n, now, &live, &config);
                }
                Op::Down(b) => {
                    if live.remove(&b) && p.broker_down(b, &live, &config, now) == ElectionKind::Unclean {
                        lossy = true;
                    }
                }
                Op::Up(b, clean) => {
                    if live.insert(b) && p.broker_up(b, clean, &live, &config, now) == ElectionKind::Unclean {
                        lossy = true;
                    }
                }
                Op::Shrink => {
                    p.shrink_isr(now, &config);
                }
                Op::Preferred => {
                    let _ = p.elect_preferred(&live, &config, now);
                }
                Op::Advance(ms) => now += ms,
            }
            // Leader and partition epochs only grow.
            prop_assert!(p.leader_epoch >= epoch_before.0 && p.partition_epoch >= epoch_before.1);
            // The leader is in the ISR and alive; ISR and ELR are disjoint replicas.
            if let Some(leader) = p.leader {
                prop_assert!(p.isr.contains(&leader), "leader {leader} not in ISR {:?}", p.isr);
                prop_assert!(live.contains(&leader));
            }
            prop_assert!(p.isr.iter().all(|b| p.replicas.contains(b)));
            prop_assert!(p.elr.iter().all(|b| !p.isr.contains(b)), "ISR {:?} ELR {:?}", p.isr, p.elr);
            // The HW is within the leader's log and, under one leader, never goes back.
            prop_assert!(p.high_watermark() <= p.log_end_offset());
            if p.leader.is_some() && p.leader == leader_before {
                prop_assert!(p.high_watermark() >= hw_before);
            }
            // Every ISR member holds what the HW covers.
            if let Some(leader) = p.leader {
                for b in &p.isr {
                    prop_assert!(p.logs[b].log_end_offset >= p.high_watermark().min(p.logs[&leader].log_end_offset),
                        "ISR member {b} at {} below HW {}", p.logs[b].log_end_offset, p.high_watermark());
                }
                let log = &p.logs[&leader];
                for offset in committed.len() as i64..p.high_watermark() {
                    if let Some(epoch) = log.epoch_of(offset) {
                        committed.insert(offset, epoch);
                    }
                }
                // Durability: without an unclean election the leader holds every committed
                // record, written by the same epoch.
                if !lossy {
                    for (&offset, &epoch) in &committed {
                        prop_assert_eq!(log.epoch_of(offset), Some(epoch), "committed offset {} lost on leader {}", offset, leader);
                    }
                }
            }
        }
    }
}
