//! The read model of one engine state as a whole: every derived fact the picture draws,
//! computed once per step and shared by the diagram, the inspector and the groups column.
//!
//! [`Scene::of`] walks the consumers and groups once and indexes what the views look up by
//! partition or by name, so drawing a lane or a consumer costs a map look-up instead of a
//! scan of every consumer; the facts themselves come from the functions of [`super`].

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use super::rebalance::{handovers_in_flight, recent_rebalance, Handover, RebalanceSpan};
use super::reconcile::{modern_group_facts, protocol_comparison, ModernGroupFacts, ProtocolCost};
use super::{
    group_lag_total, group_phase, reader_offsets, reader_status, GroupPhase, ReaderOffsets,
    ReaderStatus,
};
use crate::engine::{Engine, TopicPartition};
use crate::timeline::Timeline;

/// One row under a lane's cells: a group's reader (or a standalone reader) on that
/// partition, with its three offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    /// The group, or the standalone reader's client id.
    pub name: String,
    /// The running consumer reading the partition for it (its client id), with its offsets.
    pub reader: Option<(String, ReaderOffsets)>,
    /// The group's committed offset on the partition.
    pub committed: Option<i64>,
    pub group: Option<String>,
    /// How long the group has had no reader on the partition (during a rebalance or a crash).
    pub unowned_ticks: Option<u64>,
}

/// A group's committed offset on one partition, with the member that owns the partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedMark {
    pub group: String,
    pub offset: i64,
    /// A consumer of the group whose assignment holds the partition, if any.
    pub owner: Option<String>,
}

/// Every derived fact of one engine state that the views draw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scene {
    /// Each consumer's status, by client id.
    pub statuses: BTreeMap<String, ReaderStatus>,
    /// Each running consumer's offsets on the partitions it owns, by client id.
    pub offsets: BTreeMap<String, Vec<ReaderOffsets>>,
    /// Each group's total lag as `--describe` sums it (`None` before any commit).
    pub group_lag: BTreeMap<String, Option<i64>>,
    pub group_phase: BTreeMap<String, GroupPhase>,
    /// The tracks of each partition: every group with an owner, a committed offset or an
    /// unowned time there (in group order), then every standalone reader of it.
    pub tracks: BTreeMap<TopicPartition, Vec<Track>>,
    /// Each partition's committed offsets, one per group that has one (in group order).
    pub committed: BTreeMap<TopicPartition, Vec<CommittedMark>>,
    /// For each topic, the groups that read it or committed on it, with their lag summed
    /// over the topic's partitions (log end − committed; `None` before any commit).
    pub topic_lags: BTreeMap<String, Vec<(String, Option<i64>)>>,
    /// The partitions travelling in a rebalance at the timeline's cursor (empty from
    /// [`Scene::of`], which sees one state and no history).
    pub handovers: Rc<Vec<Handover>>,
    /// The last rebalance that began recently enough to be replayed slowly.
    pub recent_rebalance: Option<RebalanceSpan>,
    /// Each consumer-protocol (KIP-848) group's epochs and members' reconciliation.
    pub modern: BTreeMap<String, ModernGroupFacts>,
    /// Groups of different protocols on one topic, with what their last change cost.
    pub comparison: Vec<ProtocolCost>,
    /// Each partition's share-partitions (KIP-932): SPSO, SPEO and the records in flight.
    pub share_windows: BTreeMap<TopicPartition, Vec<super::share::ShareWindow>>,
    /// The share groups and their consumers, for the groups column.
    pub share_groups: Vec<super::share::ShareGroupFacts>,
    /// The brokers and each partition's replicas (empty with one broker).
    pub cluster: super::cluster::ClusterPicture,
    /// Records truncations took recently, drawn leaving their lanes (empty from
    /// [`Scene::of`]).
    pub departures: Rc<Vec<super::cluster::Departure>>,
    /// Waiting records that reached their partitions recently, drawn landing (empty from
    /// [`Scene::of`]).
    pub landings: Rc<Vec<super::producer_retry::Landing>>,
    /// Groups whose coordinator moved recently (empty from [`Scene::of`]).
    pub coordinators_moved: BTreeSet<String>,
}

impl Scene {
    /// The facts of the state at `timeline`'s cursor and what moves there: the partitions
    /// in flight (a flight takes `flight_ticks`) and the rebalance that began at most
    /// `recent_ticks` ago. The views compute it once per engine version, not per render.
    pub fn at(timeline: &Timeline, flight_ticks: u64, recent_ticks: u64) -> Scene {
        let (steps, cursor) = (timeline.steps(), timeline.cursor());
        Scene {
            handovers: Rc::new(handovers_in_flight(steps, cursor, flight_ticks)),
            recent_rebalance: recent_rebalance(steps, cursor, recent_ticks),
            departures: Rc::new(super::cluster::departures(
                steps,
                cursor,
                super::cluster::DEPARTURE_TICKS,
            )),
            landings: Rc::new(super::producer_retry::landings(
                steps,
                cursor,
                super::producer_retry::LANDING_TICKS,
                timeline.state(),
            )),
            coordinators_moved: super::cluster::coordinators_moved(
                steps,
                cursor,
                super::cluster::DEPARTURE_TICKS,
            ),
            ..Scene::of(timeline.state())
        }
    }

    /// The facts of `engine`'s state.
    pub fn of(engine: &Engine) -> Scene {
        let statuses = crate::sort::collect_map(
            engine
                .consumers
                .values()
                .map(|c| (c.client_id.clone(), reader_status(engine, c))),
        );
        let offsets: BTreeMap<String, Vec<ReaderOffsets>> = crate::sort::collect_map(
            engine
                .consumers
                .values()
                .map(|c| (c.client_id.clone(), reader_offsets(engine, c))),
        );
        // (group, partition) → the first subscriber of the group (in client order) with
        // offsets there: the reader a group's track shows.
        let mut group_reader: BTreeMap<(&str, &TopicPartition), (&str, &ReaderOffsets)> =
            BTreeMap::new();
        // (group, partition) pairs a running subscriber of the group owns.
        let mut group_reads: BTreeSet<(&str, &TopicPartition)> = BTreeSet::new();
        // (group, partition) → the first consumer (in client order) whose assignment holds it.
        let mut group_owner: BTreeMap<(&str, &TopicPartition), &str> = BTreeMap::new();
        // Topics each group has a consumer assigned to.
        let mut group_topics: BTreeSet<(&str, &str)> = BTreeSet::new();
        for c in engine.consumers.values() {
            let Some(group) = c.group.as_deref() else {
                continue;
            };
            for tp in &c.assignment {
                group_owner.entry((group, tp)).or_insert(&c.client_id);
                group_topics.insert((group, tp.topic.as_str()));
                if c.is_running() && c.is_subscriber() {
                    group_reads.insert((group, tp));
                }
            }
            if c.is_subscriber() {
                for o in offsets.get(&c.client_id).into_iter().flatten() {
                    group_reader
                        .entry((group, &o.partition))
                        .or_insert((&c.client_id, o));
                }
            }
        }
        let mut tracks: BTreeMap<TopicPartition, Vec<Track>> = BTreeMap::new();
        let mut committed: BTreeMap<TopicPartition, Vec<CommittedMark>> = BTreeMap::new();
        let mut topic_lags: BTreeMap<String, Vec<(String, Option<i64>)>> = BTreeMap::new();
        for topic in engine.topics.values() {
            for p in 0..topic.n_partitions() {
                let tp = TopicPartition::new(topic.name.clone(), p);
                let mut lane = Vec::new();
                let mut marks = Vec::new();
                for g in engine.groups.values() {
                    let key = (g.id.as_str(), &tp);
                    let reader = group_reader
                        .get(&key)
                        .map(|(client, o)| (client.to_string(), (*o).clone()));
                    let offset = g.committed.get(&tp).map(|c| c.offset);
                    let unowned_ticks = ((!g.members.is_empty() || g.has_modern_members())
                        && !group_reads.contains(&key))
                    .then(|| g.unowned_since_tick.get(&tp))
                    .flatten()
                    .map(|since| engine.tick.saturating_sub(*since));
                    if let Some(offset) = offset {
                        marks.push(CommittedMark {
                            group: g.id.clone(),
                            offset,
                            owner: group_owner.get(&key).map(|c| c.to_string()),
                        });
                    }
                    if reader.is_some() || offset.is_some() || unowned_ticks.is_some() {
                        lane.push(Track {
                            name: g.id.clone(),
                            reader,
                            committed: offset,
                            group: Some(g.id.clone()),
                            unowned_ticks,
                        });
                    }
                }
                tracks.insert(tp.clone(), lane);
                committed.insert(tp, marks);
            }
            let lags = engine
                .groups
                .values()
                .filter_map(|g| {
                    let reads = group_topics.contains(&(g.id.as_str(), topic.name.as_str()));
                    let mut lag: Option<i64> = None;
                    for (p, log) in topic.partitions.iter().enumerate() {
                        let tp = TopicPartition::new(topic.name.clone(), p as u32);
                        if let Some(c) = g.committed.get(&tp) {
                            let behind = (log.log_end_offset() - c.offset).max(0);
                            lag = Some(lag.unwrap_or(0).saturating_add(behind));
                        }
                    }
                    (reads || lag.is_some()).then(|| (g.id.clone(), lag))
                })
                .collect();
            topic_lags.insert(topic.name.clone(), lags);
        }
        // Standalone readers come after the groups, in client order.
        for c in engine.consumers.values().filter(|c| !c.is_subscriber()) {
            for o in offsets.get(&c.client_id).into_iter().flatten() {
                if let Some(lane) = tracks.get_mut(&o.partition) {
                    lane.push(Track {
                        name: c.client_id.clone(),
                        committed: o.committed,
                        group: c.group.clone(),
                        reader: Some((c.client_id.clone(), o.clone())),
                        unowned_ticks: None,
                    });
                }
            }
        }
        Scene {
            statuses,
            offsets,
            group_lag: crate::sort::collect_map(
                engine
                    .groups
                    .values()
                    .map(|g| (g.id.clone(), group_lag_total(engine, g))),
            ),
            group_phase: crate::sort::collect_map(
                engine
                    .groups
                    .values()
                    .map(|g| (g.id.clone(), group_phase(engine, g))),
            ),
            tracks,
            committed,
            topic_lags,
            handovers: Rc::default(),
            recent_rebalance: None,
            modern: crate::sort::collect_map(
                engine
                    .groups
                    .values()
                    .filter_map(|g| Some((g.id.clone(), modern_group_facts(engine, g)?))),
            ),
            comparison: protocol_comparison(engine),
            share_windows: super::share::share_windows_by_partition(engine),
            share_groups: super::share::share_group_facts(engine),
            cluster: super::cluster::picture(engine),
            departures: Rc::default(),
            landings: Rc::default(),
            coordinators_moved: BTreeSet::new(),
        }
    }

    /// The tracks of one partition (none for a partition that does not exist).
    pub fn tracks_of(&self, tp: &TopicPartition) -> &[Track] {
        self.tracks.get(tp).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;
    use crate::engine::Consumer;

    /// The tracks of one partition the way the diagram derived them before the scene
    /// existed: a scan of every group and every consumer per partition.
    fn tracks_by_scan(engine: &Engine, tp: &TopicPartition) -> Vec<Track> {
        let offsets_of = |c: &Consumer| {
            reader_offsets(engine, c)
                .into_iter()
                .find(|o| o.partition == *tp)
                .map(|o| (c.client_id.clone(), o))
        };
        let mut tracks: Vec<Track> = engine
            .groups
            .values()
            .filter_map(|g| {
                let reader = engine
                    .consumers
                    .values()
                    .filter(|c| c.group.as_deref() == Some(g.id.as_str()) && c.is_subscriber())
                    .find_map(offsets_of);
                let committed = g.committed.get(tp).map(|c| c.offset);
                let unowned_ticks = super::super::unowned_for_ticks(engine, g, tp);
                (reader.is_some() || committed.is_some() || unowned_ticks.is_some()).then(|| {
                    Track {
                        name: g.id.clone(),
                        reader,
                        committed,
                        group: Some(g.id.clone()),
                        unowned_ticks,
                    }
                })
            })
            .collect();
        tracks.extend(
            engine
                .consumers
                .values()
                .filter(|c| !c.is_subscriber())
                .filter_map(offsets_of)
                .map(|(c, o)| Track {
                    name: c.clone(),
                    committed: o.committed,
                    group: engine.consumers[&c].group.clone(),
                    reader: Some((c, o)),
                    unowned_ticks: None,
                }),
        );
        tracks
    }

    /// Three topics, five groups (one reading two topics), a standalone reader, a crashed
    /// member and a stopped one, at several moments of their rebalances.
    fn busy_console() -> Console {
        let mut console = Console::new(11);
        for line in [
            "kafka-topics --create --topic orders --partitions 6",
            "kafka-topics --create --topic payments --partitions 4",
            "kafka-topics --create --topic audit --partitions 2",
            "records fill --topic orders --count 30",
            "records fill --topic payments --count 12",
            "consumer assign reader --partition orders:0,1 --config auto.offset.reset=earliest",
        ] {
            console.run_line(line);
        }
        for group in 0..5 {
            let topics = if group == 3 {
                "orders,payments"
            } else {
                ["orders", "payments", "audit"][group % 3]
            };
            for member in 0..3 {
                console.run_line(&format!(
                    "consumer start g{group}-{member} --group group-{group} --topic {topics} --config auto.offset.reset=earliest --config processing.rate=2"
                ));
            }
        }
        console
    }

    fn assert_same_as_scans(engine: &Engine, moment: &str) {
        let scene = Scene::of(engine);
        for topic in engine.topics.values() {
            for p in 0..topic.n_partitions() {
                let tp = TopicPartition::new(topic.name.clone(), p);
                assert_eq!(
                    scene.tracks_of(&tp),
                    tracks_by_scan(engine, &tp),
                    "{moment}: {tp}"
                );
                let committed: Vec<(String, i64)> = engine
                    .groups
                    .values()
                    .filter_map(|g| Some((g.id.clone(), g.committed.get(&tp)?.offset)))
                    .collect();
                let marks: Vec<(String, i64)> = scene.committed[&tp]
                    .iter()
                    .map(|m| (m.group.clone(), m.offset))
                    .collect();
                assert_eq!(marks, committed, "{moment}: {tp}");
            }
        }
        for c in engine.consumers.values() {
            assert_eq!(
                scene.statuses[&c.client_id],
                reader_status(engine, c),
                "{moment}"
            );
            assert_eq!(
                scene.offsets[&c.client_id],
                reader_offsets(engine, c),
                "{moment}"
            );
        }
        for g in engine.groups.values() {
            assert_eq!(
                scene.group_lag[&g.id],
                group_lag_total(engine, g),
                "{moment}"
            );
        }
    }

    #[test]
    fn the_scene_holds_what_a_scan_of_every_consumer_finds_at_every_moment() {
        let mut console = busy_console();
        let mut tracked = 0;
        for (i, line) in [
            "clock advance 1s",
            "clock advance 4s",
            "consumer crash g0-1",
            "clock advance 2s",
            "consumer stop g3-2",
            "clock advance 3s",
            "records fill --topic orders --count 10",
            "clock advance 30s",
            "clock advance 15s",
        ]
        .iter()
        .enumerate()
        {
            console.run_line(line);
            let engine = console.timeline().state();
            assert_same_as_scans(engine, &format!("after {i}: {line}"));
            tracked += Scene::of(engine)
                .tracks
                .values()
                .map(Vec::len)
                .sum::<usize>();
        }
        assert!(tracked > 50, "the scenario draws tracks: {tracked}");
    }

    #[test]
    fn a_crashed_members_partition_counts_the_time_it_goes_unread() {
        let mut console = busy_console();
        console.run_line("clock advance 10s");
        console.run_line("consumer crash g1-0");
        console.run_line("consumer crash g1-1");
        console.run_line("consumer crash g1-2");
        console.run_line("clock advance 2s");
        let scene = Scene::of(console.timeline().state());
        let unowned: Vec<u64> = (0..4)
            .filter_map(|p| {
                let tp = TopicPartition::new("payments".to_string(), p);
                scene
                    .tracks_of(&tp)
                    .iter()
                    .find(|t| t.name == "group-1")?
                    .unowned_ticks
            })
            .collect();
        assert_eq!(unowned.len(), 4, "every partition of payments goes unread");
        assert!(unowned.iter().all(|t| *t >= 20), "{unowned:?}");
    }
}
