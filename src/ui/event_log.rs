//! The event log: one plain sentence per event, newest first, each a link to its step.
//!
//! A screen reader hears the story through a separate live region, not the list: when
//! time moves forward, the newest sentence is announced, at most one every
//! [`ANNOUNCE_EVERY_MS`] (playback at 50× would otherwise read out dozens a second), with
//! how many others happened since. Going back in time, or a jump, announces nothing.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::engine::Event;
use crate::timeline::Timeline;

/// How many steps back the log looks for events to narrate.
const SCAN_STEPS: usize = 3000;

/// The shortest real time between two announcements of the live region.
pub const ANNOUNCE_EVERY_MS: u32 = 2000;

/// Events too frequent to narrate at playback speed.
fn is_noise(event: &Event) -> bool {
    matches!(
        event,
        Event::ClockAdvanced { .. }
            | Event::RecordsProcessed { .. }
            | Event::RecordProduced { .. }
            | Event::RecordsFetched { .. }
    )
}

/// The newest narrated events up to the cursor: (step index after the event, sentence, rejected?).
pub fn recent_events(timeline: &Timeline, limit: usize) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    // Look back a bounded number of steps, so a long quiet history costs nothing per frame.
    let end = timeline.cursor();
    let start = end.saturating_sub(SCAN_STEPS);
    for (i, step) in timeline.steps()[start..end]
        .iter()
        .enumerate()
        .rev()
        .map(|(i, s)| (i + start, s))
    {
        for event in step.events.iter().rev() {
            let noisy =
                is_noise(event) && !matches!(step.command, crate::engine::Command::Produce { .. });
            if noisy {
                continue;
            }
            out.push((
                i + 1,
                event.narrate(),
                matches!(event, Event::Rejected { .. }),
            ));
            if out.len() >= limit {
                return out;
            }
        }
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub entries: Vec<(usize, String, bool)>,
    pub cursor: usize,
    pub onjump: Callback<usize>,
}

/// What the live region is waiting to say: the newest entry seen and how many entries
/// arrived since the last announcement.
#[derive(Default)]
struct Pending {
    /// The step and sentence of the newest entry already counted.
    newest: Option<(usize, String)>,
    text: Option<String>,
    unsaid: usize,
    timer: Option<Timeout>,
}

/// The sentence the live region says for the newest entry and the others before it.
fn announcement(newest: &str, others: usize) -> String {
    match others {
        0 => newest.to_string(),
        1 => format!("{newest} (and 1 more event)"),
        n => format!("{newest} (and {n} more events)"),
    }
}

#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let spoken = use_state(String::new);
    let pending = use_mut_ref(Pending::default);
    {
        let head = props
            .entries
            .first()
            .map(|(step, text, _)| (*step, text.clone()));
        // New entries since the last render: those above the newest one already counted.
        // When that one is gone (a lesson step or a loaded session replaced the history),
        // nothing is announced: the page changed as a whole, not by new events.
        let fresh = {
            let seen = pending.borrow().newest.clone();
            match (&head, &seen) {
                (Some(h), Some(seen)) if h.0 > seen.0 => props
                    .entries
                    .iter()
                    .position(|(step, text, _)| (*step, text) == (seen.0, &seen.1))
                    .unwrap_or(0),
                _ => 0,
            }
        };
        let mut p = pending.borrow_mut();
        if head != p.newest {
            if fresh > 0 {
                p.unsaid += fresh;
                p.text = head.as_ref().map(|h| h.1.clone());
            } else {
                // Back in time, or a history replaced: nothing new to say.
                p.unsaid = 0;
                p.text = None;
            }
            p.newest = head;
        }
        if p.text.is_some() && p.timer.is_none() {
            let (pending, spoken) = (Rc::downgrade(&pending), spoken.clone());
            p.timer = Some(Timeout::new(ANNOUNCE_EVERY_MS, move || {
                if let Some(pending) = pending.upgrade() {
                    say(&pending, &spoken);
                }
            }));
        }
    }
    html! {
        <section class="event-log panel" aria-labelledby="event-log-title">
            <h2 id="event-log-title">{"What happened"}</h2>
            <p id="event-narration" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">{(*spoken).clone()}</p>
            <ol>
                // One keyed list of its own, so a new entry inserts one item rather than
                // shifting every item against the next one's key.
                <>{ for props.entries.iter().map(|(step, text, rejected)| {
                    let onjump = props.onjump.clone();
                    let step = *step;
                    html! {
                        <li key={format!("{step}-{text}")} class={classes!((step == props.cursor).then_some("current"), rejected.then_some("rejected"))}>
                            <button class="link-button" title={format!("Jump to step {step}")} onclick={Callback::from(move |_| onjump.emit(step))}>
                                <span class="step">{format!("#{step}")}</span>{text.clone()}
                            </button>
                        </li>
                    }
                }) }</>
                if props.entries.is_empty() {
                    <li class="empty">{"Nothing yet. Press play, produce a record or add a consumer."}</li>
                }
            </ol>
        </section>
    }
}

/// Says what is pending (called by the timer), then lets the next change start a timer.
fn say(pending: &Rc<RefCell<Pending>>, spoken: &UseStateHandle<String>) {
    let mut p = pending.borrow_mut();
    p.timer = None;
    if let Some(text) = p.text.take() {
        spoken.set(announcement(&text, p.unsaid.saturating_sub(1)));
        p.unsaid = 0;
    }
}
