//! The event log: one plain sentence per event, newest first, each a link to its step.

use yew::prelude::*;

use crate::engine::Event;
use crate::timeline::Timeline;

/// How many steps back the log looks for events to narrate.
const SCAN_STEPS: usize = 3000;

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

#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    html! {
        <section class="event-log panel" aria-labelledby="event-log-title">
            <h2 id="event-log-title">{"What happened"}</h2>
            <ol aria-live="polite" aria-relevant="additions">
                { for props.entries.iter().map(|(step, text, rejected)| {
                    let onjump = props.onjump.clone();
                    let step = *step;
                    html! {
                        <li key={format!("{step}-{text}")} class={classes!((step == props.cursor).then_some("current"), rejected.then_some("rejected"))}>
                            <button class="link-button" title={format!("Jump to step {step}")} onclick={Callback::from(move |_| onjump.emit(step))}>
                                <span class="step">{format!("#{step}")}</span>{text.clone()}
                            </button>
                        </li>
                    }
                }) }
                if props.entries.is_empty() {
                    <li class="empty">{"Nothing yet. Press play, produce a record or add a consumer."}</li>
                }
            </ol>
        </section>
    }
}
