//! Java's hashing, string ordering and `HashMap` iteration order, reproduced so that the
//! assignors make the same order-dependent choices as Kafka's Java code.
//!
//! Follows `java.lang.String.hashCode`/`compareTo`, `java.util.HashMap` (`hash`, `resize`,
//! bucket layout) and `org.apache.kafka.common.TopicPartition.hashCode`.
//!
//! A `HashMap` iterates its buckets in index order and, inside a bucket, in insertion order
//! (a resize splits each bucket into two while keeping the relative order). The index of a
//! key is `spread(hashCode) & (capacity - 1)`, the capacity being a power of two, 16 by
//! default, doubled whenever the size exceeds three quarters of it. Capacity never shrinks.
//! Tree bins (eight or more keys in one bucket of a table of 64 or more) are not modelled:
//! their iteration order can differ, but they need adversarial member ids.

use std::cmp::Ordering;

/// The default capacity of `new HashMap<>()` and `new HashSet<>()`.
pub const DEFAULT_CAPACITY: usize = 16;

/// `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, wrapping.
pub fn string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// `TopicPartition.hashCode()`: `31 * (31 + partition) + topic.hashCode()`, wrapping.
pub fn topic_partition_hash(topic_hash: i32, partition: u32) -> i32 {
    // Partition numbers are Java ints; larger values wrap exactly as the cast would.
    let partition = partition as i32;
    31i32
        .wrapping_mul(31i32.wrapping_add(partition))
        .wrapping_add(topic_hash)
}

/// `HashMap.hash(key)`: the hash code with its high half folded into the low half.
pub fn spread(hash: i32) -> u32 {
    let h = hash as u32;
    h ^ (h >> 16)
}

/// The bucket a hash code falls in for a table of `capacity` (a power of two).
pub fn bucket(hash: i32, capacity: usize) -> usize {
    (spread(hash) as usize) & (capacity.saturating_sub(1))
}

/// The capacity a `HashMap` created with the default constructor reaches after holding
/// `max_size` keys at once.
pub fn capacity_after(max_size: usize) -> usize {
    let mut capacity = DEFAULT_CAPACITY;
    while max_size * 4 > capacity * 3 {
        capacity *= 2;
    }
    capacity
}

/// The iteration order of a default-constructed `HashMap` into which keys with these hash
/// codes were inserted in this order (all keys distinct, none removed). Returns the
/// insertion indices in iteration order.
pub fn iteration_order(hashes: &[i32]) -> Vec<usize> {
    let capacity = capacity_after(hashes.len());
    let mut order: Vec<usize> = (0..hashes.len()).collect();
    // A stable sort by bucket keeps insertion order inside each bucket.
    crate::sort::sort_by_key(&mut order, |&i| bucket(hashes[i], capacity));
    order
}

/// `HashMap.tableSizeFor`: the smallest power of two at or above `wanted` (1 for 0).
pub fn table_size_for(wanted: usize) -> usize {
    wanted.max(1).next_power_of_two()
}

/// The capacity of `new HashSet<>(collection)` (and `new HashMap<>(map)`) for `n` elements:
/// `max((int) (n / .75f) + 1, 16)`, rounded up to a power of two.
pub fn copy_capacity(n: usize) -> usize {
    table_size_for(((n as f32 / 0.75f32) as usize + 1).max(DEFAULT_CAPACITY))
}

/// The capacity a `HashMap` has after `n` insertions of distinct keys when it was created
/// with `initial` as its table size (a power of two): it doubles while the size exceeds
/// three quarters of it.
pub fn capacity_grown(initial: usize, n: usize) -> usize {
    let mut capacity = initial.max(1);
    while n * 4 > capacity * 3 {
        capacity *= 2;
    }
    capacity
}

/// The iteration order of a `HashMap` or `HashSet` whose table has `capacity` slots and into
/// which keys with these hash codes were inserted in this order: bucket by bucket, insertion
/// order inside a bucket. Returns the insertion indices in iteration order.
pub fn iteration_order_at(hashes: &[i32], capacity: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..hashes.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| bucket(hashes[i], capacity));
    order
}

/// The two halves of an `org.apache.kafka.common.Uuid` given in its string form (URL-safe
/// base64 of the 16 bytes, unpadded), as Java's signed longs. Characters outside the alphabet
/// count as zero bits, so any text decodes.
pub fn uuid_bits(id: &str) -> (i64, i64) {
    let mut bits: u128 = 0;
    let mut count = 0u32;
    for (i, c) in id.bytes().take(22).enumerate() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => 0,
        };
        // 22 characters carry 132 bits: of the last one only its top 2 are data.
        if i == 21 {
            bits = (bits << 2) | u128::from(value >> 4);
            count += 2;
        } else {
            bits = (bits << 6) | u128::from(value);
            count += 6;
        }
    }
    let bits = match count {
        0 => 0,
        1..=127 => bits << (128 - count),
        _ => bits,
    };
    ((bits >> 64) as u64 as i64, bits as u64 as i64)
}

/// `Uuid.hashCode()`: `(int) (h >> 32) ^ (int) h` with `h = msb ^ lsb`.
pub fn uuid_hash(id: &str) -> i32 {
    let (msb, lsb) = uuid_bits(id);
    let h = (msb ^ lsb) as u64;
    ((h >> 32) as u32 ^ h as u32) as i32
}

/// `Uuid.compareTo`: the most significant half, then the least, each as a signed long.
pub fn compare_uuids(a: &str, b: &str) -> Ordering {
    uuid_bits(a).cmp(&uuid_bits(b))
}

/// `Integer.hashCode()`: the value itself.
pub fn int_hash(value: u32) -> i32 {
    value as i32
}

/// `String.compareTo`: lexicographic over UTF-16 code units (byte order for ASCII).
pub fn compare_strings(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// A `java.util.HashSet` of small integer keys whose hash codes are given, kept only to
/// answer "which element does `iterator().next()` return". Insertions and removals keep
/// the bucket layout Java would have.
#[derive(Debug, Clone)]
pub struct JavaHashSet {
    /// Elements in insertion order: (key, hash code).
    entries: Vec<(usize, i32)>,
    capacity: usize,
}

impl Default for JavaHashSet {
    fn default() -> Self {
        Self::new()
    }
}

impl JavaHashSet {
    pub fn new() -> Self {
        Self {
            entries: Vec::new(),
            capacity: DEFAULT_CAPACITY,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn contains(&self, key: usize) -> bool {
        self.entries.iter().any(|&(k, _)| k == key)
    }

    /// `add`: appends the key to its bucket unless present, then grows like `HashMap.resize`.
    pub fn insert(&mut self, key: usize, hash: i32) {
        if self.contains(key) {
            return;
        }
        self.entries.push((key, hash));
        self.capacity = self.capacity.max(DEFAULT_CAPACITY);
        while self.entries.len() * 4 > self.capacity * 3 {
            self.capacity *= 2;
        }
    }

    /// `remove`: the table keeps its capacity.
    pub fn remove(&mut self, key: usize) {
        if let Some(position) = self.entries.iter().position(|&(k, _)| k == key) {
            self.entries.remove(position);
        }
    }

    /// The element `iterator().next()` returns: lowest bucket, earliest inserted.
    pub fn first(&self) -> Option<usize> {
        let capacity = self.capacity;
        self.entries
            .iter()
            .enumerate()
            .min_by_key(|&(position, &(_, hash))| (bucket(hash, capacity), position))
            .map(|(_, &(key, _))| key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hash_matches_java() {
        assert_eq!(string_hash("hello"), 99_162_322);
        assert_eq!(string_hash(""), 0);
        assert_eq!(string_hash("a"), 97);
        assert_eq!(string_hash("C0"), 2_125);
        // "polygenelubricants" is the classic string whose Java hash is Integer.MIN_VALUE.
        assert_eq!(string_hash("polygenelubricants"), i32::MIN);
        // Java hashes UTF-16 code units: U+1F600 is the surrogate pair D83D DE00.
        assert_eq!(string_hash("\u{1F600}"), 0xD83D * 31 + 0xDE00);
    }

    #[test]
    fn topic_partition_hash_matches_java() {
        // new TopicPartition("t0", 0).hashCode() == 31 * 31 + "t0".hashCode() == 961 + 3644.
        assert_eq!(string_hash("t0"), 3_644);
        assert_eq!(topic_partition_hash(string_hash("t0"), 0), 4_605);
        assert_eq!(topic_partition_hash(string_hash("t0"), 2), 4_667);
    }

    #[test]
    fn hash_map_order_uses_buckets_then_insertion() {
        // "alpha", "beta", "gamma" land in buckets 7, 14 and 14 of a 16-slot table: alpha
        // always comes first, and beta and gamma keep their insertion order.
        let keys = ["gamma", "beta", "alpha"];
        let hashes: Vec<i32> = keys.iter().map(|k| string_hash(k)).collect();
        let buckets: Vec<usize> = hashes.iter().map(|&h| bucket(h, 16)).collect();
        assert_eq!(buckets, vec![14, 14, 7]);
        let order: Vec<&str> = iteration_order(&hashes).iter().map(|&i| keys[i]).collect();
        assert_eq!(order, vec!["alpha", "gamma", "beta"]);
        // "Aa" and "BB" share a hash code (bucket 0); "C0" and "C1" fall in 13 and 14.
        let keys = ["BB", "C1", "Aa", "C0"];
        let hashes: Vec<i32> = keys.iter().map(|k| string_hash(k)).collect();
        let order: Vec<&str> = iteration_order(&hashes).iter().map(|&i| keys[i]).collect();
        assert_eq!(order, vec!["BB", "Aa", "C0", "C1"]);
    }

    #[test]
    fn capacity_grows_past_three_quarters() {
        assert_eq!(capacity_after(0), 16);
        assert_eq!(capacity_after(12), 16);
        assert_eq!(capacity_after(13), 32);
        assert_eq!(capacity_after(25), 64);
    }

    #[test]
    fn hash_set_first_follows_buckets() {
        let mut set = JavaHashSet::new();
        set.insert(7, 18);
        set.insert(3, 1);
        set.insert(5, 33);
        // Hash codes 1 and 33 share bucket 1 of 16, before 7's bucket 2.
        assert_eq!(set.first(), Some(3));
        set.remove(3);
        assert_eq!(set.first(), Some(5));
        set.insert(3, 1);
        // Re-inserted, 3 now comes after 5 in their bucket.
        assert_eq!(set.first(), Some(5));
        set.remove(3);
        assert_eq!(set.len(), 2);
        assert!(!set.is_empty());
    }

    #[test]
    fn uuid_hash_matches_java() {
        // new Uuid(0, 1).toString() is "AAAAAAAAAAAAAAAAAAAAAQ" and its hashCode() is 1;
        // new Uuid(1L << 32, 0) hashes to 1 as well (the high half folded in).
        assert_eq!(uuid_hash("AAAAAAAAAAAAAAAAAAAAAQ"), 1);
        assert_eq!(uuid_hash("AAAAAQAAAAAAAAAAAAAAAA"), 1);
        assert_eq!(uuid_hash("AAAAAAAAAAAAAAAAAAAAAA"), 0);
        // Uuid.fromString(...).hashCode() printed by Java.
        assert_eq!(uuid_hash("Nks5tqGlBqOg1CFHCxoGcw"), 1_008_736_289);
        assert_eq!(uuid_hash("Mi-ISvRHthIAczIWXZo6_g"), -1_686_030_672);
        assert_eq!(uuid_hash("QIGL2vSbwfWLO9UbFddxmQ"), 720_826_029);
        // Halves compare as signed longs: a set top bit ("/" or "_" first) sorts first.
        assert_eq!(
            compare_uuids("_AAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAQ"),
            Ordering::Less
        );
        // Nothing a user types panics: short, long and odd text all hash.
        let _ = uuid_hash("");
        let _ = uuid_hash("é!");
        let _ = uuid_hash(&"z".repeat(40));
    }

    #[test]
    fn capacities_follow_java() {
        assert_eq!(table_size_for(0), 1);
        assert_eq!(table_size_for(5), 8);
        assert_eq!(copy_capacity(3), 16);
        assert_eq!(copy_capacity(12), 32);
        assert_eq!(capacity_grown(2, 2), 4);
        assert_eq!(capacity_grown(16, 13), 32);
    }

    #[test]
    fn java_string_order_is_utf16() {
        assert_eq!(compare_strings("a", "b"), Ordering::Less);
        // U+1F600 is the surrogate pair D83D DE00, which Java compares below U+FF61,
        // while by code point (and in UTF-8) it is above.
        assert_eq!(compare_strings("\u{1F600}", "\u{FF61}"), Ordering::Less);
        assert_eq!("\u{1F600}".cmp("\u{FF61}"), Ordering::Greater);
    }
}
