//! The toolbar: play and pause, stepping, the speed, the history scrubber and the clock,
//! then the lessons, theme, presenter mode, the session menu (reset, share, export, import)
//! and help.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::persist;
use super::state::{Action, Shown, Sim, SPEEDS};

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// The history (for the scrubber, the clock, share and export).
    pub state: Shown,
    pub playing: bool,
    /// An index into [`SPEEDS`].
    pub speed: usize,
    pub presenter: bool,
    pub dark: Option<bool>,
    /// A dialog is open: the toolbar is inert.
    pub inert: bool,
    pub sim: UseReducerDispatcher<Sim>,
    /// The group whose recent rebalance can be replayed slowly (`replay::recent_rebalance`).
    #[prop_or_default]
    pub replayable: Option<AttrValue>,
    /// A slow-motion replay is playing.
    #[prop_or_default]
    pub replaying: bool,
    /// Playback slows while a group rebalances.
    #[prop_or_default]
    pub auto_slow: bool,
}

fn input_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

fn select_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Closes a `<details>` menu.
fn close(menu: &NodeRef) {
    if let Some(details) = menu.cast::<web_sys::Element>() {
        let _ = details.remove_attribute("open");
    }
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let menu = use_node_ref();
    let (cursor, len, tick) = {
        let timeline = props.state.timeline();
        (timeline.cursor(), timeline.len(), timeline.state().tick)
    };
    let playing = props.playing;
    let intent = |action: fn() -> Action| {
        let sim = props.sim.clone();
        Callback::from(move |_: MouseEvent| sim.dispatch(action()))
    };
    let onspeed = {
        let sim = props.sim.clone();
        Callback::from(move |e: Event| {
            if let Ok(i) = select_value(&e).parse::<usize>() {
                sim.dispatch(Action::SetSpeed(i));
            }
        })
    };
    let onscrub = {
        let sim = props.sim.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(i) = input_value(&e).parse::<usize>() {
                sim.dispatch(Action::Jump(i));
            }
        })
    };
    let ontheme = {
        let (sim, dark) = (props.sim.clone(), props.dark);
        Callback::from(move |_| sim.dispatch(Action::SetDark(Some(!dark.unwrap_or(false)))))
    };
    let onshare = {
        let (sim, state) = (props.sim.clone(), props.state.clone());
        Callback::from(move |_: MouseEvent| {
            let url = persist::share_link(&state.timeline());
            match url {
                Some(url) => sim.dispatch(Action::Notice(format!(
                    "Link to this exact state (copied if the browser allows): {url}"
                ))),
                None => sim.dispatch(Action::ShowError(
                    "The link could not be made in this browser.".into(),
                )),
            }
        })
    };
    let onexport = {
        let (sim, state) = (props.sim.clone(), props.state.clone());
        Callback::from(move |_: MouseEvent| {
            if persist::export_json(&state.timeline()).is_none() {
                sim.dispatch(Action::ShowError(
                    "The file could not be offered for download.".into(),
                ));
            }
        })
    };
    let onexport_shell = {
        let (sim, state) = (props.sim.clone(), props.state.clone());
        Callback::from(move |_: MouseEvent| {
            if persist::export_shell(&state.timeline()).is_none() {
                sim.dispatch(Action::ShowError(
                    "The script could not be offered for download.".into(),
                ));
            }
        })
    };
    let onimport = {
        let sim = props.sim.clone();
        let menu = menu.clone();
        Callback::from(move |e: Event| {
            close(&menu);
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let name = file.name();
            let sim = sim.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match persist::import_file(file).await {
                    Ok(timeline) => {
                        sim.dispatch(Action::Load(Box::new(timeline), format!("Opened {name}.")))
                    }
                    Err(e) => {
                        sim.dispatch(Action::ShowError(format!("{name} was not opened: {e}")))
                    }
                }
            });
        })
    };
    // A button chosen in the session menu closes it; Import closes it once a file is chosen.
    let close_menu = {
        let menu = menu.clone();
        Callback::from(move |e: MouseEvent| {
            let on_button = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|t| t.tag_name() == "BUTTON");
            if on_button {
                close(&menu);
            }
        })
    };
    html! {
        <header class="toolbar" role="toolbar" aria-label="Time controls" inert={props.inert}>
            <h1 class="brand">{"kafka-sim"}</h1>
            <button id="play" class="primary" aria-label={if playing { "Pause (space)" } else { "Play (space)" }} onclick={intent(|| Action::TogglePlay)}>
                { if playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button id="step-back" aria-label="Step back (left arrow)" onclick={intent(|| Action::StepBack)} disabled={cursor == 0}>{"◀ Step"}</button>
            <button id="step-forward" aria-label="Step forward (right arrow)" onclick={intent(|| Action::StepForward)}>{"Step ▶"}</button>
            <label class="speed">
                <select id="speed" aria-label="Playback speed" onchange={onspeed}>
                    { for SPEEDS.iter().enumerate().map(|(i, (_, label))| html! { <option value={i.to_string()} selected={i == props.speed}>{*label}</option> }) }
                </select>
            </label>
            <super::replay::MotionControls replayable={props.replayable.clone()} replaying={props.replaying} auto_slow={props.auto_slow}
                onreplay={{ let sim = props.sim.clone(); Callback::from(move |()| sim.dispatch(Action::ReplayRebalance)) }}
                onautoslow={{ let sim = props.sim.clone(); Callback::from(move |on: bool| sim.dispatch(Action::SetAutoSlow(on))) }} />
            <input id="scrubber" class="scrubber" type="range" min="0" max={len.to_string()} value={cursor.to_string()} aria-label="History scrubber" oninput={onscrub} />
            <span class="clock" data-tick={tick.to_string()} data-step={cursor.to_string()}>
                {format!("t = {:.1}s · step {cursor}/{len}", tick as f64 / 10.0)}
            </span>
            <button id="lessons" aria-label="Lessons" onclick={{
                let sim = props.sim.clone();
                Callback::from(move |_| sim.dispatch(Action::ShowLessons(true)))
            }}>{"Lessons"}</button>
            <button id="theme" aria-label="Switch light or dark theme" onclick={ontheme}>{"Theme"}</button>
            <button id="presenter" aria-label="Present (presenter mode, large type)" aria-pressed={props.presenter.to_string()} onclick={intent(|| Action::TogglePresenter)}>{"Present"}</button>
            // The session's file actions share one menu, so the toolbar keeps to one line on a laptop.
            <details id="session-menu" class="menu" ref={menu.clone()}>
                <summary aria-label="Session: reset, share, export, import">{"Session ▾"}</summary>
                <div class="menu-items" onclick={close_menu}>
                    <button id="reset" aria-label="Reset to an empty cluster" onclick={intent(|| Action::Reset)}>{"Reset"}</button>
                    <button id="share" aria-label="Share: copy a link to this exact state" onclick={onshare}>{"Share"}</button>
                    <button id="export" aria-label="Export as a JSON file" onclick={onexport}>{"Export"}</button>
                    <button id="export-shell" title="Export as shell script" aria-label="Export .sh: the session as a shell script of Kafka's tools, for a real cluster" onclick={onexport_shell}>{"Export .sh"}</button>
                    <input id="import-file" class="visually-hidden" type="file" accept=".json,application/json" aria-label="Import a scenario file" onchange={onimport} />
                    <label class="button" for="import-file">{"Import"}</label>
                </div>
            </details>
            <button id="help" aria-label="Keyboard shortcuts (?)" onclick={intent(|| Action::ToggleHelp)}>{"?"}</button>
        </header>
    }
}
