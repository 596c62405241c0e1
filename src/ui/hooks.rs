//! The app's effects as hooks: playback, autosave, keyboard shortcuts, a dialog's focus,
//! the lesson step kept in the address, and the second half of the first render. Each owns its timer or listener and drops it
//! with the app (or when its inputs change).

use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::persist;
use super::state::{Action, Sim};

/// Real milliseconds between two playback updates.
pub const FRAME_MS: u32 = 50;
/// Real milliseconds between two autosaves.
const AUTOSAVE_MS: u32 = 2000;

/// Playback: while `playing`, every frame advances as many ticks as `ticks_per_second` asks for.
#[hook]
pub fn use_playback(dispatcher: UseReducerDispatcher<Sim>, playing: bool, ticks_per_second: f64) {
    use_effect_with((playing, ticks_per_second), move |(playing, tps)| {
        let interval = playing.then(|| {
            let per_frame = *tps * f64::from(FRAME_MS) / 1000.0;
            let mut credit = 0.0;
            Interval::new(FRAME_MS, move || {
                credit += per_frame;
                let ticks = credit.floor() as u32;
                if ticks > 0 {
                    credit -= f64::from(ticks);
                    dispatcher.dispatch(Action::Play(ticks));
                }
            })
        });
        move || drop(interval)
    });
}

/// Autosaves the timeline every few seconds when it changed (never in the benchmark).
#[hook]
pub fn use_autosave(console: Rc<std::cell::RefCell<crate::console::Console>>) {
    use_effect_with((), move |_| {
        let mut last = (usize::MAX, usize::MAX);
        let bench = persist::bench_in_url().is_some();
        let interval = (!bench).then(|| {
            Interval::new(AUTOSAVE_MS, move || {
                let console = console.borrow();
                let timeline = console.timeline();
                let now = (timeline.len(), timeline.cursor());
                if now != last && persist::autosave(timeline) {
                    last = now;
                }
            })
        });
        move || drop(interval)
    });
}

/// Keyboard shortcuts on the document (ignored while typing in a field).
#[hook]
pub fn use_shortcuts(dispatcher: UseReducerDispatcher<Sim>) {
    use_effect_with((), move |_| {
        let listener = key_listener(dispatcher);
        move || drop(listener)
    });
}

/// Remembers how far each lesson got, and keeps the address on the step shown (`place`:
/// the lesson's id and step; `builtin`: whether the lesson is one of the app's own).
#[hook]
pub fn use_lesson_address(place: Option<(String, usize)>, builtin: bool) {
    use_effect_with(place, move |place| {
        if let Some((id, step)) = place {
            persist::save_lesson_progress(id, *step);
        }
        persist::show_lesson_step_in_url(
            place.as_ref().map(|(id, step)| (id.as_str(), *step)),
            builtin,
        );
    });
}

/// The dialog shown over the page, if any.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum OpenDialog {
    Help,
    Lessons,
}

impl OpenDialog {
    /// The selector of the element that takes the focus when the dialog opens.
    fn first_focus(self) -> &'static str {
        match self {
            OpenDialog::Help => "#help-close",
            OpenDialog::Lessons => ".lessons-dialog [data-lesson-card]",
        }
    }
}

/// A dialog takes the focus while it is open (the rest of the page is inert), and the
/// focus goes back to where it was when the dialog closes.
///
/// The effect runs after every render and compares the dialog with the one it last acted
/// on: an effect keyed on the dialog alone can be skipped when the app renders again before
/// effects run (opening a lesson from the start page renders twice), and the focus then
/// stayed on the page.
#[hook]
pub fn use_dialog_focus(dialog: Option<OpenDialog>) {
    let opener = use_mut_ref(|| None::<web_sys::HtmlElement>);
    let acted_on = use_mut_ref(|| None::<OpenDialog>);
    // Read while rendering, before the page becomes inert: the element that opened it.
    if dialog.is_some() && acted_on.borrow().is_none() && opener.borrow().is_none() {
        *opener.borrow_mut() = active_element();
    }
    use_effect(move || {
        let before = *acted_on.borrow();
        if before != dialog {
            *acted_on.borrow_mut() = dialog;
            match dialog {
                Some(dialog) => {
                    focus_first(dialog.first_focus());
                }
                None => {
                    let back = opener.borrow_mut().take().filter(|el| el.is_connected());
                    match back {
                        Some(el) => {
                            let _ = el.focus();
                        }
                        // Opened with the page (the start page): on to the lesson's Next if
                        // a lesson was chosen, else to the Play button.
                        None => {
                            if !focus_first("#lesson-next:not([disabled])") {
                                focus_first("#play");
                            }
                        }
                    }
                }
            }
        }
    });
}

/// The element that has the keyboard focus, unless that is the page itself.
fn active_element() -> Option<web_sys::HtmlElement> {
    let document = web_sys::window()?.document()?;
    let active = document.active_element()?;
    if document.body().is_some_and(|b| *b == active) {
        return None;
    }
    active.dyn_into::<web_sys::HtmlElement>().ok()
}

/// Moves the focus to the first element that matches `selector`; false if there is none.
fn focus_first(selector: &str) -> bool {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match element {
        Some(element) => element.focus().is_ok() && active_element().is_some_and(|a| a == element),
        None => false,
    }
}

/// The intent a key stands for, if any (`P` focuses the produce form and stands for none).
fn shortcut(key: &str) -> Option<Action> {
    Some(match key {
        " " => Action::Space,
        "ArrowLeft" => Action::StepBack,
        "ArrowRight" => Action::StepForward,
        "+" | "=" => Action::Faster,
        "-" | "_" => Action::Slower,
        "?" => Action::ToggleHelp,
        "f" | "F" => Action::TogglePresenter,
        "r" | "R" => Action::ReplayRebalance,
        "Escape" => Action::Escape,
        "PageDown" | "." => Action::LessonNext,
        "PageUp" | "," => Action::LessonPrev,
        _ => return None,
    })
}

/// A `keydown` listener on the document for the shortcuts; dropped with the app.
fn key_listener(sim: UseReducerDispatcher<Sim>) -> Option<KeyListener> {
    let document = web_sys::window()?.document()?;
    let closure = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(
        move |e: web_sys::KeyboardEvent| {
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                });
            if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            // Behind a modal dialog the page is inert: only the keys that close it act.
            let modal = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("[aria-modal=\"true\"]").ok().flatten())
                .is_some();
            if modal && !matches!(e.key().as_str(), "Escape" | "?") {
                return;
            }
            if matches!(e.key().as_str(), "p" | "P") {
                if let Some(input) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("produce-key"))
                {
                    if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                        let _ = input.focus();
                    }
                }
                e.prevent_default();
                return;
            }
            if let Some(action) = shortcut(&e.key()) {
                e.prevent_default();
                sim.dispatch(action);
            }
        },
    );
    document
        .add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref())
        .ok()?;
    Some(KeyListener { document, closure })
}

/// Removes the keydown listener when dropped.
struct KeyListener {
    document: web_sys::Document,
    closure: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::KeyboardEvent)>,
}

impl Drop for KeyListener {
    fn drop(&mut self) {
        let _ = self
            .document
            .remove_event_listener_with_callback("keydown", self.closure.as_ref().unchecked_ref());
    }
}
