//! The keyboard shortcuts dialog (`?`): modal, closed by its button, Escape or a click beside it.

use yew::prelude::*;

use super::state::{Action, Sim};

/// Each shortcut's keys and what they do.
const SHORTCUTS: [(&str, &str); 10] = [
    ("Space", "Play or pause"),
    ("← / →", "Step back / forward one step"),
    ("+ / −", "Faster / slower"),
    ("P", "Focus the produce form"),
    ("F", "Presenter mode"),
    (
        "PgDn / .",
        "Next lesson step (a presenter's clicker works; in presenter mode space does too)",
    ),
    ("PgUp / ,", "Previous lesson step"),
    ("R", "Replay the last rebalance slowly"),
    ("?", "This help"),
    ("Esc", "Close, deselect"),
];

#[derive(Properties, PartialEq)]
pub struct HelpDialogProps {
    pub sim: UseReducerDispatcher<Sim>,
}

#[function_component(HelpDialog)]
pub fn help_dialog(props: &HelpDialogProps) -> Html {
    // A click beside the dialog closes it; one inside it does not.
    let onoverlay = {
        let sim = props.sim.clone();
        Callback::from(move |e: MouseEvent| {
            if e.target() == e.current_target() {
                sim.dispatch(Action::ToggleHelp);
            }
        })
    };
    let onclose = {
        let sim = props.sim.clone();
        Callback::from(move |_: MouseEvent| sim.dispatch(Action::ToggleHelp))
    };
    html! {
        <div class="overlay" onclick={onoverlay}>
            <div class="dialog help-dialog" role="dialog" aria-modal="true" aria-labelledby="help-title">
                <div class="dialog-head">
                    <h2 id="help-title">{"Keyboard shortcuts"}</h2>
                    <button type="button" id="help-close" aria-label="Close" onclick={onclose}>{"×"}</button>
                </div>
                <dl>
                    { for SHORTCUTS.iter().map(|(keys, what)| html! { <><dt>{*keys}</dt><dd>{*what}</dd></> }) }
                </dl>
                <p>{"Click a partition, consumer, group, producer or record to inspect it."}</p>
            </div>
        </div>
    }
}
