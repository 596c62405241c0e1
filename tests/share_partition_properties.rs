//! Property tests of a share-partition (KIP-932): random fetches by three members, random
//! acknowledgements, lock expiries, member removals, retention and a growing log keep the
//! record states' invariants, and once one member accepts what it gets, every record ends
//! finished (acknowledged or archived).
#![cfg(not(target_arch = "wasm32"))]

use kafka_sim::engine::share_partition::{
    AckType, RecordState, ShareConfig, SharePartition, ShareReset,
};
use proptest::prelude::*;

const MEMBERS: [&str; 3] = ["a", "b", "c"];

#[derive(Debug, Clone)]
enum Op {
    Produce(i64),
    Acquire(usize, u32),
    Ack(usize, u8, u8),
    Expire(i64),
    Remove(usize),
    Retain(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1i64..6).prop_map(Op::Produce),
        4 => (0usize..3, 1u32..5).prop_map(|(m, n)| Op::Acquire(m, n)),
        4 => (0usize..3, 0u8..3, 1u8..4).prop_map(|(m, t, n)| Op::Ack(m, t, n)),
        2 => (1_000i64..40_000).prop_map(Op::Expire),
        1 => (0usize..3).prop_map(Op::Remove),
        1 => (0i64..4).prop_map(Op::Retain),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    #[test]
    fn share_partition_keeps_its_invariants_and_finishes_every_record(
        ops in proptest::collection::vec(op(), 1..150),
        earliest in any::<bool>(),
        limit in 2u32..6,
    ) {
        let config = ShareConfig { delivery_count_limit: limit, max_record_locks: 8, ..ShareConfig::default() };
        let mut hw = 3i64;
        let mut log_start = 0i64;
        let reset = if earliest { ShareReset::Earliest } else { ShareReset::Latest };
        let mut p = SharePartition::initialize(reset, log_start, hw);
        let mut now = 0i64;
        for op in &ops {
            now += 100;
            match *op {
                Op::Produce(n) => hw += n,
                Op::Acquire(m, n) => {
                    let got = p.acquire(MEMBERS[m], n, hw, now, &config);
                    prop_assert!(got.len() <= n as usize);
                }
                Op::Ack(m, t, n) => {
                    let mine: Vec<i64> = p.records.iter()
                        .filter(|(_, r)| matches!(&r.state, RecordState::Acquired { member, .. } if member == MEMBERS[m]))
                        .map(|(&o, _)| o)
                        .take(n as usize)
                        .collect();
                    let ack = [AckType::Accept, AckType::Release, AckType::Reject][t as usize];
                    let batch: Vec<(i64, AckType)> = mine.iter().map(|&o| (o, ack)).collect();
                    prop_assert!(p.acknowledge(MEMBERS[m], &batch, &config).is_ok());
                    // A record the member does not hold is refused, and nothing changes.
                    let other = MEMBERS[(m + 1) % 3];
                    if let Some(&o) = mine.first() {
                        let before = p.clone();
                        let _ = p.acknowledge(other, &[(o, AckType::Accept)], &config);
                        prop_assert_eq!(&p, &before);
                    }
                }
                Op::Expire(ms) => {
                    now += ms;
                    p.expire_locks(now, &config);
                }
                Op::Remove(m) => {
                    p.release_member(MEMBERS[m]);
                }
                Op::Retain(n) => {
                    log_start = (log_start + n).min(hw);
                    p.log_start_moved(log_start);
                }
            }
            // The window: every offset from the SPSO to the last fetched one is in flight.
            let keys: Vec<i64> = p.records.keys().copied().collect();
            let window: Vec<i64> = (p.start_offset..p.next_new_offset).collect();
            prop_assert_eq!(keys, window);
            prop_assert!(p.in_flight() <= u64::from(config.max_record_locks));
            prop_assert!(p.start_offset >= log_start, "SPSO {} below the log start {}", p.start_offset, log_start);
            for (offset, r) in &p.records {
                prop_assert!(r.delivery_count <= config.delivery_count_limit, "offset {} delivered {} times", offset, r.delivery_count);
                if matches!(r.state, RecordState::Acquired { .. }) {
                    prop_assert!(r.delivery_count >= 1);
                }
            }
        }
        // Liveness: the locks run out, then one member accepts everything it gets.
        now += 60_000;
        p.expire_locks(now, &config);
        for _ in 0..1_000 {
            if p.lag(hw) == 0 {
                break;
            }
            now += 100;
            let got = p.acquire("a", 5, hw, now, &config);
            let batch: Vec<(i64, AckType)> = got.iter().map(|t| (t.offset, AckType::Accept)).collect();
            p.acknowledge("a", &batch, &config).unwrap();
        }
        prop_assert_eq!(p.lag(hw), 0);
        prop_assert!(p.records.is_empty());
        prop_assert_eq!(p.start_offset, hw, "everything up to the high watermark is finished");
    }
}
