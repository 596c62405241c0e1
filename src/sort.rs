//! Stable sorting with one copy of the sorting code in the download.
//!
//! `slice::sort_by` is generic over the element and the comparison, so every call site
//! with its own element type carried a separate copy of the standard library's sort
//! (about 4 KB of WebAssembly each, two dozen copies). These functions sort a list of
//! indices instead, with the comparison behind a `dyn` reference, so the sort itself is
//! compiled once; only the small permutation step is generic. The result is exactly what
//! `sort_by` gives: stable, deterministic and in O(n log n).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` stably by `compare`, as `items.sort_by(compare)` does.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_indices(&mut order, &mut |a, b| compare(&items[a], &items[b]));
    apply_order(items, &mut order);
}

/// Sorts `items` stably by the key `key` gives, as `items.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in ascending order, as `items.sort()` does.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Collects `pairs` into a map, as `collect::<BTreeMap<_, _>>()` does (a later pair
/// replaces an earlier one with the same key). `collect` sorts the pairs first, with one
/// more copy of the sort per key type; inserting one by one needs none.
pub fn collect_map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// Collects `items` into a set, as `collect::<BTreeSet<_>>()` does, without a sort.
pub fn collect_set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// The one instantiation of the standard library's stable sort: indices compared
/// through a trait object.
fn sort_indices(order: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

/// Moves `items` so that position `i` holds the item that was at `order[i]`, following
/// each cycle of the permutation once. `order` is used up (every entry is marked done).
fn apply_order<T>(items: &mut [T], order: &mut [usize]) {
    let done = items.len();
    for start in 0..items.len() {
        if order[start] == done {
            continue;
        }
        let mut current = start;
        loop {
            let source = order[current];
            order[current] = done;
            if source == start {
                break;
            }
            items.swap(current, source);
            current = source;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the test needs no RNG crate.
    fn pseudo_random(count: usize, seed: u64) -> Vec<(u8, usize)> {
        let mut state = seed;
        (0..count)
            .map(|i| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (((state >> 33) % 7) as u8, i)
            })
            .collect()
    }

    #[test]
    fn sort_by_key_matches_the_standard_stable_sort_on_many_inputs() {
        for count in [0, 1, 2, 3, 10, 33, 200, 1_000] {
            for seed in 0..5 {
                let mut ours = pseudo_random(count, seed);
                let mut standard = ours.clone();
                sort_by_key(&mut ours, |item| item.0);
                standard.sort_by_key(|item| item.0);
                assert_eq!(ours, standard, "count {count}, seed {seed}");
            }
        }
    }

    #[test]
    fn collect_map_keeps_the_last_value_of_a_repeated_key_as_collect_does() {
        let pairs = [("b", 1), ("a", 2), ("b", 3)];
        let ours = collect_map(pairs);
        let standard: BTreeMap<&str, i32> = pairs.into_iter().collect();
        assert_eq!(ours, standard);
        assert_eq!(ours["b"], 3);
        let set = collect_set(["z", "x", "z"]);
        assert_eq!(set.into_iter().collect::<Vec<_>>(), ["x", "z"]);
    }

    #[test]
    fn equal_keys_keep_their_order() {
        let mut words = vec!["pear", "fig", "apple", "kiwi", "plum", "date"];
        sort_by_key(&mut words, |w| w.len());
        assert_eq!(words, ["fig", "pear", "kiwi", "plum", "date", "apple"]);
    }

    #[test]
    fn sort_orders_strings_and_reversed_input() {
        let mut names: Vec<String> = ["c", "a", "b", "a"].map(String::from).to_vec();
        sort(&mut names);
        assert_eq!(names, ["a", "a", "b", "c"]);
        let mut numbers: Vec<u32> = (0..50).rev().collect();
        sort(&mut numbers);
        assert_eq!(numbers, (0..50).collect::<Vec<u32>>());
    }
}
