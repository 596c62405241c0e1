//! The console panel: a scrollback, a prompt with history (↑ ↓) and tab completion.
//! Lines go to the same console the terminal binary uses; clicks echo here too.
//!
//! It behaves like a terminal without trapping the keyboard: inside
//! `kafka-console-producer` Ctrl-D (end of input) and Esc close the producer; Tab completes
//! when there is something to complete and otherwise moves focus on, as does a second Tab
//! that would only list the same candidates again; Esc always leaves the console.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::state::ConsoleLine;
use crate::console::{tab_outcome, TabOutcome};

#[derive(Properties, PartialEq)]
pub struct ConsolePanelProps {
    pub scrollback: Rc<Vec<ConsoleLine>>,
    pub history: Rc<Vec<String>>,
    pub prompt: AttrValue,
    /// Completion candidates for a line (computed by the console).
    pub complete: Callback<String, Vec<String>>,
    pub onrun: Callback<String>,
    pub onshowcompletions: Callback<Vec<String>>,
    /// Ctrl-D: the end of input (closes `kafka-console-producer`).
    pub onendinput: Callback<()>,
    /// The topic of the open `kafka-console-producer`, if one is open.
    #[prop_or_default]
    pub producer_topic: Option<AttrValue>,
}

#[function_component(ConsolePanel)]
pub fn console_panel(props: &ConsolePanelProps) -> Html {
    let input_ref = use_node_ref();
    let history_index = use_state(|| None::<usize>);
    // The line whose candidates the last Tab listed (a second Tab then moves focus on).
    let listed = use_mut_ref(|| None::<String>);
    let reading_records = props.producer_topic.is_some();
    let scroll_ref = use_node_ref();

    // Keep the newest output in view.
    {
        let scroll_ref = scroll_ref.clone();
        use_effect_with(props.scrollback.len(), move |_| {
            if let Some(el) = scroll_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let onkeydown = {
        let (input_ref, history_index) = (input_ref.clone(), history_index.clone());
        let (history, complete, onrun, onshow, onend) = (
            props.history.clone(),
            props.complete.clone(),
            props.onrun.clone(),
            props.onshowcompletions.clone(),
            props.onendinput.clone(),
        );
        let listed = listed.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(input) = input_ref.cast::<HtmlInputElement>() else {
                return;
            };
            if e.key() != "Tab" {
                *listed.borrow_mut() = None;
            }
            match e.key().as_str() {
                // Ctrl-D, the end of input: a line typed so far is sent first, as a
                // terminal does when Ctrl-D is pressed twice after it.
                "d" | "D" if e.ctrl_key() && !e.alt_key() && !e.meta_key() => {
                    e.prevent_default();
                    if reading_records {
                        let line = input.value();
                        input.set_value("");
                        if !line.is_empty() {
                            onrun.emit(line);
                        }
                        onend.emit(());
                    }
                }
                "Escape" => {
                    e.prevent_default();
                    if reading_records {
                        input.set_value("");
                        onend.emit(());
                    }
                    let _ = input.blur();
                }
                "Enter" => {
                    e.prevent_default();
                    let line = input.value();
                    input.set_value("");
                    history_index.set(None);
                    onrun.emit(line);
                }
                "ArrowUp" | "ArrowDown" if !history.is_empty() => {
                    e.prevent_default();
                    let len = history.len();
                    let next = match (e.key().as_str(), *history_index) {
                        ("ArrowUp", None) => Some(len - 1),
                        ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                        ("ArrowDown", Some(i)) if i + 1 < len => Some(i + 1),
                        _ => None,
                    };
                    input.set_value(
                        next.and_then(|i| history.get(i))
                            .map(String::as_str)
                            .unwrap_or(""),
                    );
                    history_index.set(next);
                }
                "Tab" if !e.shift_key() => {
                    let line = input.value();
                    let candidates = complete.emit(line.clone());
                    let before = listed.borrow_mut().take();
                    match tab_outcome(&line, &candidates, before.as_deref()) {
                        TabOutcome::Leave => {}
                        TabOutcome::Complete(completed) => {
                            e.prevent_default();
                            input.set_value(&completed);
                        }
                        TabOutcome::List => {
                            e.prevent_default();
                            *listed.borrow_mut() = Some(line);
                            onshow.emit(candidates);
                        }
                    }
                }
                _ => {}
            }
        })
    };
    let onclick = {
        let input_ref = input_ref.clone();
        Callback::from(move |e: MouseEvent| {
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if !selecting
                && e.target()
                    .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                    .is_none()
            {
                if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                }
            }
        })
    };

    html! {
        <section class="console panel" aria-label="Console" {onclick}>
            <h2>{"Console"}</h2>
            <div class="scrollback" ref={scroll_ref} role="log" aria-live="polite" aria-label="Console output">
                { for props.scrollback.iter().enumerate().map(|(i, line)| match line {
                    ConsoleLine::Input(text) => html! { <pre key={i} class="in">{text.clone()}</pre> },
                    ConsoleLine::Output(text) if crate::console::is_tabular(text) => html! {
                        <pre key={i} class="out table" tabindex="0">{text.clone()}</pre>
                    },
                    ConsoleLine::Output(text) => html! { <pre key={i} class="out">{text.clone()}</pre> },
                }) }
            </div>
            <div class="prompt-row">
                <span class="prompt" aria-hidden="true">{props.prompt.clone()}</span>
                <input ref={input_ref} id="console-input" class="console-input" type="text" spellcheck="false" autocomplete="off"
                       aria-label={if reading_records { "Record" } else { "Console command" }}
                       aria-describedby={reading_records.then_some("console-hint")}
                       placeholder={match &props.producer_topic {
                           Some(topic) => format!("one record per line for {topic}"),
                           None => "kafka-topics --list".to_string(),
                       }} {onkeydown} />
                // Beside the input rather than under it, so the prompt row keeps its height.
                if let Some(topic) = props.producer_topic.clone() {
                    <span id="console-hint" class="console-hint">
                        <span class="visually-hidden">{format!("Each line you send is a record for {topic}, an empty line too. ")}</span>
                        <kbd>{"Ctrl-D"}</kbd>{" or "}<kbd>{"Esc"}</kbd>{" finishes"}
                    </span>
                }
            </div>
        </section>
    }
}
