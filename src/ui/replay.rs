//! Rebalances in slow motion: a control that rewinds the history to just before the last
//! rebalance and plays it at a quarter of real time, then resumes the chosen speed; and
//! an option that slows playback while any group rebalances. The partitions' flights, the
//! revocations, the "no owner for N s" counters and the group's phase then change slowly
//! enough for a class to follow. With reduced motion the flights are not drawn; the slow
//! pace and the phase still are.

use yew::prelude::*;

use super::state::{Sim, SPEEDS};
use crate::read::rebalance::{finer_history, last_rebalance, RebalanceSpan};
use crate::timeline::Timeline;

/// Slow motion plays a quarter of real time: 2.5 ticks of 100 ms per real second.
pub const SLOW_TICKS_PER_SECOND: f64 = 2.5;
/// How slow motion is named to the class.
pub const SLOW_LABEL: &str = "¼ speed";
/// A rebalance that began at most this long ago (in simulated ticks, 2 minutes) can be replayed.
pub const RECENT_TICKS: u64 = 1200;
/// The replay starts this long (1 s) before the rebalance began, so the class sees the
/// group as it was, and goes on this long after its last step, so the last flights land.
pub const LEAD_IN_TICKS: u64 = 10;
pub const LEAD_OUT_TICKS: u64 = 10;

/// A replay in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    pub group: String,
    /// The replay ends when the clock reaches this tick; `None` for a rebalance still in
    /// progress when the replay began: it ends when the group has settled.
    pub until_tick: Option<u64>,
}

/// The state of slow motion, kept in [`Sim`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Motion {
    pub replay: Option<Replay>,
    /// The teacher's choice for slowing down while a group rebalances; `None` follows the
    /// default (on in a lesson about rebalancing, off elsewhere).
    pub auto_slow_choice: Option<bool>,
    /// What the last replay's end said ("back to 1× speed"), until the next action.
    pub said: Option<String>,
}

/// The last rebalance of any group that began within [`RECENT_TICKS`] of the cursor.
pub fn recent_rebalance(timeline: &Timeline) -> Option<RebalanceSpan> {
    crate::read::rebalance::recent_rebalance(timeline.steps(), timeline.cursor(), RECENT_TICKS)
}

/// The group rebalancing in the state shown, if any (the first by name).
pub fn rebalancing_group(timeline: &Timeline) -> Option<String> {
    timeline
        .state()
        .groups
        .values()
        .find(|g| {
            matches!(
                g.state,
                crate::engine::GroupState::PreparingRebalance
                    | crate::engine::GroupState::CompletingRebalance
            )
        })
        .map(|g| g.id.clone())
}

impl Sim {
    /// Whether playback slows down while a group rebalances.
    pub fn auto_slow(&self) -> bool {
        self.motion.auto_slow_choice.unwrap_or_else(|| {
            self.lesson
                .as_ref()
                .is_some_and(|s| s.lesson.id.contains("rebalanc"))
        })
    }

    /// Whether playback runs in slow motion now: a replay, or a rebalance with the option on.
    pub fn slow_motion(&self) -> bool {
        self.motion.replay.is_some()
            || (self.auto_slow() && rebalancing_group(self.console.borrow().timeline()).is_some())
    }

    /// The simulated ticks one real second of playback advances.
    pub fn ticks_per_second(&self) -> f64 {
        let chosen = f64::from(SPEEDS.get(self.speed).map_or(10, |s| s.0));
        if self.slow_motion() {
            chosen.min(SLOW_TICKS_PER_SECOND)
        } else {
            chosen
        }
    }

    /// What the slow-motion status line says now.
    pub fn motion_status(&self) -> Option<String> {
        if let Some(replay) = &self.motion.replay {
            return Some(format!(
                "Replaying the rebalance of group {} at {SLOW_LABEL}",
                replay.group
            ));
        }
        if self.auto_slow() {
            if let Some(group) = rebalancing_group(self.console.borrow().timeline()) {
                if self.playing {
                    return Some(format!(
                        "Group {group} is rebalancing: slowed to {SLOW_LABEL}"
                    ));
                }
            }
        }
        self.motion.said.clone()
    }

    /// Rewinds to just before the last recent rebalance and plays it slowly.
    pub fn start_replay(&mut self) {
        let span = recent_rebalance(self.console.borrow().timeline());
        let Some(span) = span else {
            self.motion.said = Some("No rebalance in the last 2 minutes to replay.".into());
            return;
        };
        let mut console = self.console.borrow_mut();
        let timeline = console.timeline_mut();
        // A rebalance recorded inside one long step (a lesson's `clock advance 5s`) would
        // replay as one jump: its history is recorded again tick by tick there first.
        let span = match finer_history(timeline, span.first_step, span.last_step) {
            Some(finer) => {
                let fine_span = last_rebalance(finer.steps(), span.first_step);
                *timeline = finer;
                fine_span.unwrap_or(span)
            }
            None => span,
        };
        let from = timeline
            .index_at_tick(span.start_tick.saturating_sub(LEAD_IN_TICKS))
            .min(span.first_step);
        timeline.jump(from);
        drop(console);
        self.motion.replay = Some(Replay {
            group: span.group,
            until_tick: span.settled.then_some(span.end_tick + LEAD_OUT_TICKS),
        });
        self.motion.said = None;
        self.playing = true;
    }

    /// After playback moved: ends a replay that has shown its rebalance.
    pub fn after_play(&mut self) {
        let Some(replay) = &self.motion.replay else {
            return;
        };
        let console = self.console.borrow();
        let timeline = console.timeline();
        let done = match replay.until_tick {
            Some(until) => timeline.state().tick >= until,
            None => {
                timeline.cursor() == timeline.len()
                    && timeline.state().groups.get(&replay.group).is_none_or(|g| {
                        !matches!(
                            g.state,
                            crate::engine::GroupState::PreparingRebalance
                                | crate::engine::GroupState::CompletingRebalance
                        )
                    })
            }
        };
        drop(console);
        if done {
            let speed = SPEEDS.get(self.speed).map_or("1×", |s| s.1);
            self.motion.said = Some(format!(
                "Replay of group {}'s rebalance done: back to {speed} speed",
                replay.group
            ));
            self.motion.replay = None;
        }
    }

    /// A user's own move in time or to the cluster ends a replay.
    pub fn cancel_replay(&mut self) {
        self.motion.replay = None;
        self.motion.said = None;
    }
}

/// Plays the history forward by `ticks` of simulated time: at least one step, and on
/// through steps that take no time (commands), so history replays at the speed chosen
/// however finely it was recorded. Returns whether the cursor moved.
pub fn play_history(timeline: &mut Timeline, ticks: u32) -> bool {
    let until = timeline.state().tick + u64::from(ticks.max(1));
    let mut moved = false;
    while timeline.cursor() < timeline.len() && timeline.step_forward() {
        moved = true;
        if timeline.state().tick >= until {
            break;
        }
    }
    moved
}

#[derive(Properties, PartialEq)]
pub struct MotionControlsProps {
    /// The group of the rebalance a press would replay (none: the control is hidden).
    pub replayable: Option<AttrValue>,
    pub replaying: bool,
    pub auto_slow: bool,
    pub onreplay: Callback<()>,
    pub onautoslow: Callback<bool>,
}

/// The toolbar's slow-motion controls: the replay (shown after a recent rebalance) and the option.
#[function_component(MotionControls)]
pub fn motion_controls(props: &MotionControlsProps) -> Html {
    let onreplay = {
        let onreplay = props.onreplay.clone();
        Callback::from(move |_: MouseEvent| onreplay.emit(()))
    };
    let onautoslow = {
        let onautoslow = props.onautoslow.clone();
        let on = props.auto_slow;
        Callback::from(move |_: Event| onautoslow.emit(!on))
    };
    html! {
        <span class="motion-controls">
            if let (Some(group), false) = (props.replayable.clone(), props.replaying) {
                <button id="replay-rebalance" aria-label={format!("Replay rebalance slowly (R): group {group}")}
                        title={format!("Rewind to just before group {group}'s rebalance and play it at {SLOW_LABEL} (R)")}
                        onclick={onreplay}>{"⟲ Replay"}</button>
            }
            <label class="auto-slow" title={format!("Play at {SLOW_LABEL} while a group rebalances")}>
                <input type="checkbox" id="auto-slow" checked={props.auto_slow} onchange={onautoslow} />
                {"Slow rebalances"}
            </label>
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct MotionStatusProps {
    pub status: Option<AttrValue>,
}

/// What slow motion is doing, large over the top of the diagram (where the class looks),
/// in a polite live region that is always in the page so a screen reader announces it.
#[function_component(MotionStatus)]
pub fn motion_status(props: &MotionStatusProps) -> Html {
    html! {
        <p id="motion-status" class={classes!("motion-status", props.status.is_some().then_some("active"))} role="status" aria-live="polite">
            { props.status.clone().unwrap_or_default() }
        </p>
    }
}
