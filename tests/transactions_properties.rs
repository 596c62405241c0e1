//! Property tests of idempotent producing and transactions (SEMANTICS-4 §D): with lost
//! acknowledgements and retries, an idempotent producer's batches are each in the log once and
//! in order; and a `read_committed` reader sees exactly the committed transactions' records,
//! never past the last stable offset.
#![cfg(not(target_arch = "wasm32"))]

use kafka_sim::engine::transactions::{AppendCheck, PartitionProducers, ProducerIdEpoch};
use proptest::prelude::*;

const P: ProducerIdEpoch = ProducerIdEpoch {
    producer_id: 1,
    epoch: 0,
};

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    /// Every batch is sent until acknowledged; some acknowledgements are lost.
    #[test]
    fn retries_never_duplicate_with_idempotence(sizes in proptest::collection::vec(1i32..4, 1..40), lost in proptest::collection::vec(any::<bool>(), 1..200)) {
        let mut state = PartitionProducers::default();
        let mut log: Vec<(i32, i32)> = Vec::new(); // (batch, record) per offset
        let mut losses = lost.iter().cycle();
        let mut sequence = 0i32;
        for (batch, &size) in sizes.iter().enumerate() {
            let mut tries = 0;
            loop {
                match state.check(P, sequence, size) {
                    AppendCheck::Append => {
                        let first = log.len() as i64;
                        for r in 0..size {
                            log.push((batch as i32, r));
                        }
                        state.appended(P, sequence, first, log.len() as i64 - 1, false, 0);
                    }
                    AppendCheck::Duplicate { first_offset, .. } => {
                        prop_assert_eq!(log[first_offset as usize], (batch as i32, 0));
                    }
                    other => prop_assert!(false, "unexpected {:?}", other),
                }
                // The acknowledgement arrives, or is lost and the batch is sent again (at most
                // three times in a row, as a delivery timeout would end it).
                tries += 1;
                if !*losses.next().unwrap() || tries > 3 {
                    break;
                }
            }
            sequence += size;
        }
        let expected: Vec<(i32, i32)> = sizes.iter().enumerate().flat_map(|(b, &n)| (0..n).map(move |r| (b as i32, r))).collect();
        prop_assert_eq!(log, expected);
    }

    /// Transactions of two producers interleave; some commit, some abort.
    #[test]
    fn read_committed_sees_committed_records_only(steps in proptest::collection::vec((0i64..2, 0u8..4), 1..80)) {
        let mut state = PartitionProducers::default();
        let mut offset = 0i64;
        let mut sequences = [0i32; 2];
        // Per producer: the offsets of its open transaction.
        let mut open: [Vec<i64>; 2] = [Vec::new(), Vec::new()];
        let mut committed: Vec<i64> = Vec::new();
        let mut owner: Vec<Option<i64>> = Vec::new();
        for &(who, action) in &steps {
            let p = ProducerIdEpoch { producer_id: who + 1, epoch: 0 };
            let i = who as usize;
            match action {
                0 | 1 => {
                    prop_assert_eq!(state.check(p, sequences[i], 1), AppendCheck::Append);
                    state.appended(p, sequences[i], offset, offset, true, 0);
                    sequences[i] += 1;
                    open[i].push(offset);
                    owner.push(Some(p.producer_id));
                    offset += 1;
                }
                2 | 3 if !open[i].is_empty() => {
                    let commit = action == 2;
                    prop_assert!(state.marker(p, offset, commit));
                    owner.push(Some(p.producer_id));
                    if commit {
                        committed.append(&mut open[i]);
                    } else {
                        open[i].clear();
                    }
                    offset += 1;
                }
                _ => {}
            }
            let lso = state.last_stable_offset(offset);
            let oldest_open = open.iter().filter_map(|o| o.first().copied()).min();
            prop_assert_eq!(lso, oldest_open.unwrap_or(offset));
            // Below the LSO a read_committed reader sees exactly the committed records.
            let seen: Vec<i64> = (0..lso).filter(|&o| state.visible_committed(o, owner[o as usize])).collect();
            let mut want: Vec<i64> = committed.iter().copied().filter(|&o| o < lso).collect();
            want.sort_unstable();
            prop_assert_eq!(seen, want);
        }
    }
}
