//! A model of `java.util.HashMap` (and `HashSet`, a map to nothing) that keeps Java's
//! iteration order through inserts, removals and resizes, for the share assignor, whose
//! result depends on the order it walks its maps and sets.
//!
//! A table of `capacity` buckets (a power of two, allocated on the first insert from the
//! constructor's initial capacity), each bucket a list in insertion order; the table doubles
//! when the size passes three quarters of it, and a resize keeps each bucket's relative order
//! (Java's lo/hi split). Tree bins are not modelled (they need eight colliding keys).

use crate::engine::assign::java_hash::{bucket, table_size_for, uuid_hash, DEFAULT_CAPACITY};

/// A key's `hashCode()`.
pub trait JavaHash {
    fn java_hash(&self) -> i32;
}

/// An `Integer`.
impl JavaHash for u32 {
    fn java_hash(&self) -> i32 {
        *self as i32
    }
}

/// An `org.apache.kafka.common.Uuid` in its string form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TopicId(pub String);

impl JavaHash for TopicId {
    fn java_hash(&self) -> i32 {
        uuid_hash(&self.0)
    }
}

/// `org.apache.kafka.server.common.TopicIdPartition`, a Java record: its hash code is
/// `31 * topicId.hashCode() + partitionId`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TopicIdPartition {
    pub topic: TopicId,
    pub partition: u32,
}

impl JavaHash for TopicIdPartition {
    fn java_hash(&self) -> i32 {
        self.topic
            .java_hash()
            .wrapping_mul(31)
            .wrapping_add(self.partition as i32)
    }
}

/// A `java.util.HashMap`.
#[derive(Debug, Clone)]
pub struct JavaMap<K, V> {
    /// The buckets, empty until the first insert.
    table: Vec<Vec<(K, V)>>,
    /// The table size the first insert allocates.
    initial_capacity: usize,
    size: usize,
}

/// A `java.util.HashSet`.
pub type JavaSet<K> = JavaMap<K, ()>;

impl<K: JavaHash + PartialEq + Clone, V> JavaMap<K, V> {
    /// `new HashMap<>()`.
    pub fn new() -> Self {
        Self::with_table(DEFAULT_CAPACITY)
    }

    /// `new HashMap<>(initialCapacity)`.
    pub fn with_capacity(initial_capacity: usize) -> Self {
        Self::with_table(table_size_for(initial_capacity))
    }

    /// `new HashSet<>(collection)`'s map: `max((int) (n / .75f) + 1, 16)`.
    pub fn for_copy_of(n: usize) -> Self {
        Self::with_capacity((((n as f32) / 0.75f32) as usize + 1).max(DEFAULT_CAPACITY))
    }

    /// Kafka's `AssignorHelpers.newHashMap(n)`: `new HashMap<>((int) ((n + 1) / 0.75f + 1))`.
    pub fn kafka_sized(n: usize) -> Self {
        Self::with_capacity((((n + 1) as f32) / 0.75f32 + 1.0f32) as usize)
    }

    fn with_table(initial_capacity: usize) -> Self {
        Self {
            table: Vec::new(),
            initial_capacity: initial_capacity.max(1),
            size: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.size
    }

    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    fn slot(&self, key: &K) -> Option<usize> {
        if self.table.is_empty() {
            return None;
        }
        Some(bucket(key.java_hash(), self.table.len()))
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        let slot = self.slot(key)?;
        self.table[slot]
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let slot = self.slot(key)?;
        self.table[slot]
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// `put`: replaces the value of a present key in place, appends a new one to its bucket.
    pub fn insert(&mut self, key: K, value: V) {
        if let Some(existing) = self.get_mut(&key) {
            *existing = value;
            return;
        }
        if self.table.is_empty() {
            self.table = (0..self.initial_capacity).map(|_| Vec::new()).collect();
        }
        let slot = bucket(key.java_hash(), self.table.len());
        self.table[slot].push((key, value));
        self.size += 1;
        if self.size > self.table.len() * 3 / 4 {
            self.resize();
        }
    }

    /// `computeIfAbsent(key, k -> make())`, returning the value. Unlike `put`, Java grows the
    /// table before inserting (when the size already passed the threshold) and puts the new
    /// key at the head of its bucket.
    pub fn entry_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        if !self.contains_key(&key) {
            if self.table.is_empty() {
                self.table = (0..self.initial_capacity).map(|_| Vec::new()).collect();
            } else if self.size > self.table.len() * 3 / 4 {
                self.resize();
            }
            let slot = bucket(key.java_hash(), self.table.len());
            self.table[slot].insert(0, (key.clone(), make()));
            self.size += 1;
        }
        // Present now: inserted above or found.
        let slot = bucket(key.java_hash(), self.table.len());
        let index = self.table[slot]
            .iter()
            .position(|(k, _)| *k == key)
            .unwrap_or(0);
        &mut self.table[slot][index].1
    }

    /// `remove`: whether the key was there.
    pub fn remove(&mut self, key: &K) -> bool {
        let Some(slot) = self.slot(key) else {
            return false;
        };
        match self.table[slot].iter().position(|(k, _)| k == key) {
            Some(index) => {
                self.table[slot].remove(index);
                self.size -= 1;
                true
            }
            None => false,
        }
    }

    fn resize(&mut self) {
        let capacity = self.table.len() * 2;
        let old = std::mem::take(&mut self.table);
        self.table = (0..capacity).map(|_| Vec::new()).collect();
        for (k, v) in old.into_iter().flatten() {
            let slot = bucket(k.java_hash(), capacity);
            self.table[slot].push((k, v));
        }
    }

    /// The entries in Java's iteration order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.table.iter().flatten().map(|(k, v)| (k, v))
    }

    /// The keys in Java's iteration order.
    pub fn keys(&self) -> Vec<K> {
        self.iter().map(|(k, _)| k.clone()).collect()
    }
}

impl<K: JavaHash + PartialEq + Clone, V> Default for JavaMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: JavaHash + PartialEq + Clone> JavaMap<K, ()> {
    /// `add`: whether the key was new.
    pub fn add(&mut self, key: K) -> bool {
        if self.contains_key(&key) {
            return false;
        }
        self.insert(key, ());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_integers_iterate_in_order_and_a_resize_keeps_bucket_order() {
        let mut set: JavaSet<u32> = JavaSet::new();
        for v in [40, 7, 24, 3, 8] {
            set.add(v);
        }
        // 40 & 15 = 8, 24 & 15 = 8: bucket 8 holds 40 then 24, after 7.
        assert_eq!(set.keys(), vec![3, 7, 40, 24, 8]);
        for v in 100..110 {
            set.add(v);
        }
        assert_eq!(set.table.len(), 32, "15 keys pass 12: the table doubled");
        // Bucket 8 of 16 held 40, 24, 8: it splits into 8 (40, 8) and 24, in that order.
        assert_eq!(set.keys()[..9], [3, 100, 101, 102, 7, 103, 40, 8, 104]);
        assert!(set.remove(&40));
        assert!(!set.remove(&40));
        assert_eq!(set.len(), 14);
    }

    #[test]
    fn a_map_sized_for_zero_starts_with_one_bucket() {
        let mut map: JavaMap<u32, u32> = JavaMap::with_capacity(0);
        map.insert(5, 1);
        assert_eq!(
            map.table.len(),
            2,
            "one bucket, threshold 0: doubled at once"
        );
        assert_eq!(*map.entry_or_insert_with(5, || 9), 1);
        assert_eq!(*map.entry_or_insert_with(6, || 9), 9);
    }

    #[test]
    fn compute_if_absent_puts_a_new_key_first_in_its_bucket() {
        let mut map: JavaMap<u32, ()> = JavaMap::new();
        map.insert(1, ());
        map.entry_or_insert_with(17, || ());
        map.insert(33, ());
        assert_eq!(map.keys(), vec![17, 1, 33]);
    }
}
