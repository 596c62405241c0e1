//! Rebalances in the history: when a group's last rebalance began and ended, and which
//! partitions are travelling between owners at a point of the history. The diagram draws
//! the travellers; the slow-motion replay rewinds to just before a rebalance and plays it.
//!
//! Both read the timeline's steps (each command with the events it caused and the tick
//! after it), so they see what happened in the past, not only the state at the cursor.

use crate::engine::modern::ModernStep;
use crate::engine::{Command, Event, GroupState, TopicPartition};
use crate::timeline::{ticks_of, Step, Timeline};

/// Two rebalances of one group this close (in ticks) are one episode: a cooperative group
/// rebalances twice in a row (revoke the movers, then assign them), and a member that
/// joins while another rejoins restarts the join phase.
pub const EPISODE_GAP_TICKS: u64 = 20;

/// One episode of rebalancing of a group, as steps of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebalanceSpan {
    pub group: String,
    /// The index of the step whose events began the episode (`RebalanceStarted`); the state
    /// just before it is state `first_step` of the timeline.
    pub first_step: usize,
    /// The step of the episode's last rebalance event (a revocation, a join, an assignment
    /// or a change of the group's state).
    pub last_step: usize,
    /// The tick of the state before the episode began.
    pub start_tick: u64,
    /// The tick after `last_step`.
    pub end_tick: u64,
    /// Whether the group had settled (Stable, Empty or Dead) by the end of `steps`; a span
    /// still in progress ends where the history read ends.
    pub settled: bool,
}

/// The group whose rebalance an event begins: a classic group's `RebalanceStarted`, or a
/// consumer-protocol group's new target assignment.
fn episode_start(event: &Event) -> Option<&str> {
    match event {
        Event::RebalanceStarted { group, .. }
        | Event::ModernGroupStep {
            group,
            step: ModernStep::TargetComputed { .. },
        } => Some(group),
        _ => None,
    }
}

/// The group a rebalance event belongs to, with whether it settles the group.
fn rebalance_event(event: &Event) -> Option<(&str, Option<bool>)> {
    match event {
        Event::RebalanceStarted { group, .. } => Some((group, Some(false))),
        Event::ModernGroupStep { group, step } => match step {
            ModernStep::TargetComputed { .. } => Some((group, Some(false))),
            ModernStep::StateChanged { to, .. } => {
                Some((group, Some(to == "Stable" || to == "Empty")))
            }
            _ => Some((group, None)),
        },
        Event::PartitionsRevoked { group, .. }
        | Event::JoinCompleted { group, .. }
        | Event::PartitionsAssigned { group, .. } => Some((group, None)),
        Event::GroupStateChanged { group, to, .. } => Some((
            group,
            Some(matches!(
                to,
                GroupState::Stable | GroupState::Empty | GroupState::Dead
            )),
        )),
        _ => None,
    }
}

/// The last rebalance episode of any group among `steps` (the history up to the cursor)
/// that began at step `from` or later: the one that began last, with its group. `None` if
/// no group has rebalanced since. Only the steps from there on are searched, so a caller
/// asking about recent history pays for recent history.
pub fn last_rebalance(steps: &[Step], from: usize) -> Option<RebalanceSpan> {
    let from = from.min(steps.len());
    let (first_step, group) = steps
        .iter()
        .enumerate()
        .skip(from)
        .rev()
        .find_map(|(i, step)| {
            step.events
                .iter()
                .rev()
                .find_map(|e| episode_start(e).map(|group| (i, group.to_string())))
        })?;
    // Walk back to the episode's first rebalance: earlier ones that ended within the gap.
    let mut span = span_from(steps, &group, first_step);
    while let Some(first_step) = episode_before(steps, &group, span.first_step) {
        span.first_step = first_step;
        span.start_tick = state_tick(steps, first_step);
    }
    Some(span)
}

/// The last rebalance of any group that began within `recent_ticks` of the state at
/// `cursor` (the steps before the cursor only, so a rewound history offers what it shows).
/// Only the recent steps are read, so the cost does not grow with the history.
pub fn recent_rebalance(steps: &[Step], cursor: usize, recent_ticks: u64) -> Option<RebalanceSpan> {
    let steps = &steps[..cursor.min(steps.len())];
    let now = state_tick(steps, steps.len());
    let recent = steps
        .iter()
        .rposition(|s| s.tick + recent_ticks < now)
        .map_or(0, |i| i + 1);
    last_rebalance(steps, recent)
}

/// The longest clock advance [`finer_history`] splits (10 minutes of simulated time).
pub const FINE_MAX_TICKS: u32 = 6000;

/// The history with every clock advance of steps `from..=to` that took more than one tick
/// (up to [`FINE_MAX_TICKS`]) recorded one tick per step instead, so a rebalance inside one
/// long step (a lesson's `clock advance 5s`) can be replayed in motion. Steps before `from`
/// keep their indices. The engine is deterministic, so the finer history ends in the same
/// state; `None` when there is nothing to split or the history's budget refuses the extra
/// steps, and the caller keeps the history as it is.
pub fn finer_history(timeline: &Timeline, from: usize, to: usize) -> Option<Timeline> {
    let steps = timeline.steps();
    let long = |s: &Step| matches!(s.command, Command::Advance { ticks } if ticks > 1 && ticks <= FINE_MAX_TICKS);
    let to = to.min(steps.len().checked_sub(1)?);
    if from > to || !steps[from..=to].iter().any(long) {
        return None;
    }
    let mut finer = Timeline::new(timeline.seed());
    for (i, step) in steps.iter().enumerate() {
        match step.command {
            Command::Advance { ticks } if (from..=to).contains(&i) && long(step) => {
                for _ in 0..ticks {
                    finer.apply(Command::Advance { ticks: 1 });
                }
            }
            _ => {
                finer.apply(step.command.clone());
            }
        }
    }
    // Every step was recorded (none refused by the budget) and the clock ends where it did.
    // The states are equal too (the engine is deterministic, as the tests check); comparing
    // whole engines here would cost the download 5 KB of derived comparisons.
    let split: (usize, usize) = steps[from..=to]
        .iter()
        .filter(|s| long(s))
        .map(|s| ticks_of(&s.command) as usize)
        .fold((0, 0), |(count, ticks), t| (count + 1, ticks + t));
    let expected_len = steps.len() - split.0 + split.1;
    let end = steps.last().map_or(0, |s| s.tick);
    let same_end = finer.steps().last().map_or(0, |s| s.tick) == end;
    (same_end && finer.len() == expected_len).then_some(finer)
}

/// The tick of state `index` (the tick after step `index - 1`; state 0 is tick 0).
fn state_tick(steps: &[Step], index: usize) -> u64 {
    index
        .checked_sub(1)
        .and_then(|i| steps.get(i))
        .map_or(0, |s| s.tick)
}

/// The episode of `group` that begins at step `first_step`, followed to its last event.
fn span_from(steps: &[Step], group: &str, first_step: usize) -> RebalanceSpan {
    let mut last_step = first_step;
    let mut settled = false;
    for (i, step) in steps.iter().enumerate().skip(first_step) {
        if step.tick > steps[last_step].tick + EPISODE_GAP_TICKS && settled {
            break;
        }
        for (g, settles) in step.events.iter().filter_map(rebalance_event) {
            if g == group {
                last_step = i;
                if let Some(settles) = settles {
                    settled = settles;
                }
            }
        }
    }
    RebalanceSpan {
        group: group.to_string(),
        first_step,
        last_step,
        start_tick: state_tick(steps, first_step),
        end_tick: steps.get(last_step).map_or(0, |s| s.tick),
        settled,
    }
}

/// The first step of the episode of `group` that ended within [`EPISODE_GAP_TICKS`]
/// before step `before`, if one did.
fn episode_before(steps: &[Step], group: &str, before: usize) -> Option<usize> {
    let tick = state_tick(steps, before);
    // A step's events happened somewhere between the tick before it and the tick after it,
    // so a long step (`clock advance 10s`) is near only if it began within the gap.
    let ended_near = steps[..before]
        .iter()
        .enumerate()
        .rev()
        .take_while(|(i, _)| state_tick(steps, *i) + EPISODE_GAP_TICKS >= tick)
        .any(|(_, s)| {
            s.events
                .iter()
                .filter_map(rebalance_event)
                .any(|(g, _)| g == group)
        });
    if !ended_near {
        return None;
    }
    steps[..before]
        .iter()
        .rposition(|s| s.events.iter().any(|e| episode_start(e) == Some(group)))
}

/// A partition travelling in a rebalance: revoked from its old owner (flying back to its
/// lane) or assigned to its new one (flying from its lane).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub revoke: bool,
    pub client_id: String,
    pub partition: TopicPartition,
    /// The step whose events moved it (distinguishes two flights of one partition).
    pub step: usize,
    /// How far it has travelled: `elapsed_ticks` of [`Handover::flight_ticks`].
    pub elapsed_ticks: u64,
    pub flight_ticks: u64,
}

impl Handover {
    /// The fraction of the way travelled, from 0 at the event to 1 on arrival.
    pub fn progress(&self) -> f64 {
        if self.flight_ticks == 0 {
            1.0
        } else {
            (self.elapsed_ticks as f64 / self.flight_ticks as f64).min(1.0)
        }
    }
}

/// The partitions still travelling at state `cursor`: those revoked or assigned at most
/// `flight_ticks` before it. A flight takes simulated time, so it moves as the clock does:
/// slowly in slow motion, frozen while paused, mid-way when the history is rewound there.
/// A flight takes off with the next tick: commands that take no time (a paused lesson's
/// `consumer stop`) leave nothing hanging at its start. A step longer than a flight
/// (`clock advance 5s`) moved its partitions somewhere inside it, and they have landed by
/// its end: it has none in flight.
pub fn handovers_in_flight(steps: &[Step], cursor: usize, flight_ticks: u64) -> Vec<Handover> {
    let cursor = cursor.min(steps.len());
    let now = state_tick(steps, cursor);
    let mut flights = Vec::new();
    for (i, step) in steps[..cursor].iter().enumerate().rev() {
        let elapsed_ticks = now.saturating_sub(step.tick);
        if elapsed_ticks > flight_ticks {
            break;
        }
        if elapsed_ticks == 0 || step.tick.saturating_sub(state_tick(steps, i)) > flight_ticks {
            continue;
        }
        for event in &step.events {
            let (client_id, partitions, revoke) = match event {
                Event::PartitionsRevoked {
                    client_id,
                    partitions,
                    ..
                } => (client_id, partitions, true),
                Event::PartitionsAssigned {
                    client_id, added, ..
                } => (client_id, added, false),
                _ => continue,
            };
            flights.extend(partitions.iter().map(|tp| Handover {
                revoke,
                client_id: client_id.clone(),
                partition: tp.clone(),
                step: i,
                elapsed_ticks,
                flight_ticks,
            }));
        }
    }
    flights.reverse();
    flights
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Console;

    fn console_after(lines: &[&str]) -> Console {
        let mut console = Console::new(1);
        for line in lines {
            console.run_line(line);
        }
        console
    }

    const SETUP: [&str; 4] = [
        "kafka-topics --create --topic t --partitions 4",
        "consumer start a1 --group g --topic t",
        "clock advance 10s",
        "consumer start a2 --group g --topic t",
    ];

    #[test]
    fn no_rebalance_before_a_group_forms() {
        let console = console_after(&["kafka-topics --create --topic t --partitions 4"]);
        assert_eq!(last_rebalance(console.timeline().steps(), 0), None);
    }

    #[test]
    fn the_last_rebalance_begins_when_a_member_joins_and_ends_settled() {
        let mut console = console_after(&SETUP);
        for _ in 0..100 {
            console.run_line("clock advance 1");
        }
        let timeline = console.timeline();
        let steps = timeline.steps();
        let span = last_rebalance(steps, 0).expect("the second member's join rebalances g");
        assert_eq!(span.group, "g");
        assert!(span.settled, "{span:?}");
        assert!(span.first_step >= 3, "it begins after a2 starts: {span:?}");
        assert!(span.end_tick > span.start_tick);
        // The state before it has a Stable group with a1 owning everything.
        let mut before = timeline.clone();
        before.jump(span.first_step);
        let g = &before.state().groups["g"];
        assert_eq!(g.state, GroupState::Stable);
        assert_eq!(before.state().consumers["a1"].assignment.len(), 4);
        // After it, both members own two.
        let mut after = timeline.clone();
        after.jump(span.last_step + 1);
        assert_eq!(after.state().consumers["a2"].assignment.len(), 2);
    }

    #[test]
    fn partitions_fly_for_their_flight_time_then_land() {
        let mut console = console_after(&SETUP);
        for _ in 0..100 {
            console.run_line("clock advance 1");
        }
        let steps = console.timeline().steps();
        let span = last_rebalance(steps, 0).unwrap();
        let assigned_at = (span.first_step..=span.last_step)
            .find(|&i| {
                steps[i]
                    .events
                    .iter()
                    .any(|e| matches!(e, Event::PartitionsAssigned { client_id, .. } if client_id == "a2"))
            })
            .expect("a2 is assigned partitions");
        let at = |cursor| handovers_in_flight(steps, cursor, 8);
        let to_a2 = |flights: Vec<Handover>| {
            flights
                .into_iter()
                .filter(|h| h.client_id == "a2" && !h.revoke)
                .collect::<Vec<_>>()
        };
        assert!(
            to_a2(at(assigned_at + 1)).is_empty(),
            "not before the clock moves"
        );
        let start = to_a2(at(assigned_at + 2));
        assert_eq!(start.len(), 2, "a2's two partitions take off");
        assert!(start.iter().all(|h| h.progress() == 1.0 / 8.0));
        let later = to_a2(at(assigned_at + 5));
        assert!(later
            .iter()
            .all(|h| h.progress() > 0.0 && h.progress() < 1.0));
        assert!(to_a2(at(assigned_at + 20)).is_empty(), "they have landed");
    }

    #[test]
    fn a_long_step_has_landed_its_partitions() {
        let console = console_after(&[SETUP[0], SETUP[1], SETUP[2], SETUP[3], "clock advance 5s"]);
        let timeline = console.timeline();
        assert_eq!(timeline.state().consumers["a2"].assignment.len(), 2);
        assert_eq!(
            handovers_in_flight(timeline.steps(), timeline.cursor(), 8),
            vec![]
        );
    }

    #[test]
    fn a_consumer_protocol_groups_reconciliation_is_an_episode_to_replay() {
        let mut console = console_after(&[
            "kafka-topics --create --topic t --partitions 4",
            "consumer start m1 --group g --topic t --config group.protocol=consumer",
            "clock advance 10s",
            "consumer start m2 --group g --topic t --config group.protocol=consumer",
        ]);
        let joined_at = console.timeline().len();
        for _ in 0..80 {
            console.run_line("clock advance 1");
        }
        let steps = console.timeline().steps();
        let span = last_rebalance(steps, 0).expect("m2's join gives g a new target");
        assert_eq!(span.group, "g");
        assert!(span.first_step >= joined_at, "{span:?}");
        assert!(span.settled, "g is Stable again: {span:?}");
        // A flight takes off with the tick after its step.
        let moved: Vec<Handover> = (span.first_step..=(span.last_step + 4).min(steps.len()))
            .flat_map(|cursor| handovers_in_flight(steps, cursor, 8))
            .filter(|h| h.client_id == "m2" && !h.revoke)
            .collect();
        assert!(!moved.is_empty(), "m2's partitions fly to it");
    }

    #[test]
    fn a_cooperative_rebalance_in_two_rounds_is_one_episode() {
        let mut console = console_after(&[
            "kafka-topics --create --topic t --partitions 4",
            "consumer start c1 --group g --topic t --config partition.assignment.strategy=cooperative-sticky",
            "clock advance 10s",
            "consumer start c2 --group g --topic t --config partition.assignment.strategy=cooperative-sticky",
        ]);
        for _ in 0..150 {
            console.run_line("clock advance 1");
        }
        let steps = console.timeline().steps();
        let span = last_rebalance(steps, 0).unwrap();
        let rounds = steps[span.first_step..=span.last_step]
            .iter()
            .flat_map(|s| &s.events)
            .filter(|e| matches!(e, Event::RebalanceStarted { .. }))
            .count();
        assert_eq!(rounds, 2, "revoke the movers, then assign them: {span:?}");
        assert!(span.settled);
        let mut before = console.timeline().clone();
        before.jump(span.first_step);
        assert_eq!(before.state().consumers["c1"].assignment.len(), 4);
    }

    #[test]
    fn the_scene_at_a_cursor_holds_its_flights_and_the_rebalance_a_class_can_replay() {
        let mut console = console_after(&SETUP);
        for _ in 0..40 {
            console.run_line("clock advance 1");
        }
        let mut timeline = console.timeline().clone();
        let span = last_rebalance(timeline.steps(), 0).expect("a2's join rebalanced g");
        // Mid-flight: the scene carries the same flights as the history shows there.
        timeline.jump(span.last_step + 3);
        let scene = crate::read::scene::Scene::at(&timeline, 8, 1200);
        let flights = handovers_in_flight(timeline.steps(), timeline.cursor(), 8);
        assert!(
            !flights.is_empty(),
            "partitions are travelling just after the rebalance"
        );
        assert_eq!(*scene.handovers, flights);
        assert_eq!(
            scene.recent_rebalance.as_ref().map(|s| s.group.as_str()),
            Some("g")
        );
        // Just before it began, nothing is in flight and the rebalance on offer is the
        // earlier one that formed the group with a1.
        timeline.jump(span.first_step);
        let before = crate::read::scene::Scene::at(&timeline, 8, 1200);
        assert!(before.handovers.is_empty());
        let earlier = before
            .recent_rebalance
            .expect("the group formed 10 s before");
        assert!(earlier.first_step < span.first_step);
        // Seconds after it, at the end of the history, it is not recent by a 1-tick measure.
        let end = timeline.len();
        timeline.jump(end);
        assert!(crate::read::scene::Scene::at(&timeline, 8, 1200)
            .recent_rebalance
            .is_some());
        let late = crate::read::scene::Scene::at(&timeline, 8, 1);
        assert_eq!(late.recent_rebalance, None);
    }

    #[test]
    fn a_rebalance_inside_one_long_step_is_replayed_tick_by_tick() {
        // As a lesson step records it: the join, then five seconds in one step.
        let console = console_after(&[SETUP[0], SETUP[1], SETUP[2], SETUP[3], "clock advance 5s"]);
        let timeline = console.timeline();
        let span = last_rebalance(timeline.steps(), 0).expect("a2's join rebalanced g");
        let never_in_flight = (0..=timeline.len())
            .all(|cursor| handovers_in_flight(timeline.steps(), cursor, 8).is_empty());
        assert!(
            never_in_flight,
            "recorded in one step, nothing is ever seen travelling"
        );

        let finer =
            finer_history(timeline, span.first_step, span.last_step).expect("a long step to split");
        assert_eq!(
            finer.len(),
            timeline.len() - 1 + 50,
            "the 5 s step became 50 steps of one tick"
        );
        let mut end = timeline.clone();
        end.jump(timeline.len());
        assert_eq!(finer.state(), end.state(), "the same cluster at the end");
        assert_eq!(
            finer.steps()[..span.first_step],
            timeline.steps()[..span.first_step],
            "earlier steps keep their places"
        );
        let seen_travelling = (0..=finer.len())
            .filter(|&cursor| !handovers_in_flight(finer.steps(), cursor, 8).is_empty())
            .count();
        assert!(
            seen_travelling >= 4,
            "partitions travel over several ticks: {seen_travelling}"
        );
        let fine_span = last_rebalance(finer.steps(), 0).unwrap();
        assert_eq!(
            (
                fine_span.start_tick,
                fine_span.end_tick > fine_span.start_tick
            ),
            (span.start_tick, true)
        );
        // Nothing left to split: the finer history is kept as it is.
        let again = last_rebalance(finer.steps(), 0).unwrap();
        assert!(finer_history(&finer, again.first_step, again.last_step).is_none());
    }
}
