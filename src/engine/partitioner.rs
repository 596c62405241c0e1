//! The producer's choice of partition, as Kafka's client makes it (SEMANTICS.md §1).
//!
//! Order of rules (`KafkaProducer.partition()`): an explicit partition wins; otherwise a
//! non-null key is hashed with murmur2; otherwise the built-in sticky partitioner of
//! Kafka ≥ 3.3 picks one (or, for teaching the difference, the pre-2.4 round-robin).

use serde::{Deserialize, Serialize};

use super::rng::SimRng;

/// Kafka's `Utils.murmur2(byte[])`: 32-bit signed arithmetic that wraps.
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let len = data.len();
    let mut h: u32 = SEED ^ (len as u32);
    let chunks = data.chunks_exact(4);
    let tail = chunks.remainder();
    for chunk in chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    // The tail falls through like the C/Java switch.
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit (it is not `abs`).
pub fn to_positive(x: i32) -> i32 {
    x & 0x7fff_ffff
}

/// The partition of a keyed record: `toPositive(murmur2(key)) % n_partitions`.
/// `n_partitions` must be at least 1.
pub fn partition_for_key(key: &[u8], n_partitions: u32) -> u32 {
    (to_positive(murmur2(key)) as u32) % n_partitions.max(1)
}

/// How a producer places records that have no key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum NullKeyStrategy {
    /// Kafka ≥ 3.3 (KIP-794): stick to one partition for about `batch.size` bytes, then
    /// switch to another chosen at random.
    #[default]
    Sticky,
    /// Kafka < 2.4: every record goes to the next partition in turn.
    RoundRobin,
}

/// `batch.size` default: 16384 bytes.
pub const DEFAULT_BATCH_SIZE_BYTES: u32 = 16_384;

/// Per-topic state of a producer's null-key partitioner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NullKeyState {
    /// Sticky: the current partition, if one has been chosen.
    pub sticky_partition: Option<u32>,
    /// Sticky: bytes produced to the current partition since it was chosen.
    pub sticky_bytes: u32,
    /// Round-robin: the counter; starts at a random value like Kafka's.
    pub round_robin_counter: Option<u32>,
}

/// Picks the partition for a record without a key and updates the state.
///
/// Sticky (simplified from `BuiltInPartitioner`): the partition switches once at least
/// `batch_size` bytes went to it; the next one is drawn uniformly from the *other*
/// partitions (the simulator has no queues, so adaptive weighting has nothing to weigh).
pub fn partition_for_null_key(
    strategy: NullKeyStrategy,
    state: &mut NullKeyState,
    n_partitions: u32,
    record_size_bytes: u32,
    batch_size_bytes: u32,
    rng: &mut SimRng,
) -> u32 {
    let n = n_partitions.max(1);
    match strategy {
        NullKeyStrategy::RoundRobin => {
            let counter = *state
                .round_robin_counter
                .get_or_insert_with(|| rng.next_u64() as u32);
            state.round_robin_counter = Some(counter.wrapping_add(1));
            (to_positive(counter as i32) as u32) % n
        }
        NullKeyStrategy::Sticky => {
            let current = match state.sticky_partition {
                Some(p) if p < n && state.sticky_bytes < batch_size_bytes => p,
                previous => {
                    let next = match previous {
                        Some(p) if n > 1 && p < n => {
                            // A different partition than the one just filled.
                            let r = rng.below(u64::from(n - 1)) as u32;
                            if r >= p {
                                r + 1
                            } else {
                                r
                            }
                        }
                        _ => rng.below(u64::from(n)) as u32,
                    };
                    state.sticky_partition = Some(next);
                    state.sticky_bytes = 0;
                    next
                }
            };
            state.sticky_bytes = state.sticky_bytes.saturating_add(record_size_bytes);
            current
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kafka's own vectors (UtilsTest.testMurmur2), SEMANTICS.md §1.1.
    #[test]
    fn murmur2_matches_kafka_test_vectors() {
        let cases: [(&[u8], i32, u32); 6] = [
            (b"21", -973_932_308, 340),
            (b"foobar", -790_332_482, 166),
            (b"a-little-bit-long-string", -985_981_536, 112),
            (b"a-little-bit-longer-string", -1_486_304_829, 819),
            (
                b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58_897_971,
                677,
            ),
            (b"abc", 479_470_107, 107),
        ];
        for (key, hash, partition) in cases {
            assert_eq!(murmur2(key), hash, "murmur2 of {key:?}");
            assert_eq!(
                partition_for_key(key, 1000),
                partition,
                "partition of {key:?}"
            );
        }
    }

    #[test]
    fn to_positive_is_not_abs() {
        assert_eq!(to_positive(-1), 0x7fff_ffff);
        assert_eq!(to_positive(i32::MIN), 0);
    }

    #[test]
    fn empty_key_is_a_key() {
        assert_eq!(partition_for_key(b"", 3), partition_for_key(b"", 3));
        assert!(partition_for_key(b"", 3) < 3);
    }

    #[test]
    fn sticky_switches_after_a_batch_to_another_partition() {
        let mut rng = SimRng::new(1);
        let mut state = NullKeyState::default();
        let first =
            partition_for_null_key(NullKeyStrategy::Sticky, &mut state, 3, 100, 1000, &mut rng);
        for _ in 0..9 {
            let p =
                partition_for_null_key(NullKeyStrategy::Sticky, &mut state, 3, 100, 1000, &mut rng);
            assert_eq!(p, first, "stays within one batch");
        }
        let next =
            partition_for_null_key(NullKeyStrategy::Sticky, &mut state, 3, 100, 1000, &mut rng);
        assert_ne!(next, first, "switches after batch.size bytes");
    }

    #[test]
    fn round_robin_visits_every_partition_in_turn() {
        let mut rng = SimRng::new(9);
        let mut state = NullKeyState::default();
        let ps: Vec<u32> = (0..6)
            .map(|_| {
                partition_for_null_key(
                    NullKeyStrategy::RoundRobin,
                    &mut state,
                    3,
                    10,
                    16384,
                    &mut rng,
                )
            })
            .collect();
        assert_eq!(ps[3], ps[0]);
        assert_ne!(ps[0], ps[1]);
        assert_ne!(ps[1], ps[2]);
        assert_ne!(ps[0], ps[2]);
    }
}
