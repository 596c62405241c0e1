//! The console panel: a scrollback, a prompt with history (↑ ↓) and tab completion.
//! Lines go to the same console the terminal binary uses; clicks echo here too.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::state::ConsoleLine;

#[derive(Properties, PartialEq)]
pub struct ConsolePanelProps {
    pub scrollback: Rc<Vec<ConsoleLine>>,
    pub history: Rc<Vec<String>>,
    pub prompt: AttrValue,
    /// Completion candidates for a line (computed by the console).
    pub complete: Callback<String, Vec<String>>,
    pub onrun: Callback<String>,
    pub onshowcompletions: Callback<Vec<String>>,
}

/// Replaces the last word of `line` with `word`.
fn replace_last_word(line: &str, word: &str) -> String {
    let cut = line.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    format!("{}{word}", &line[..cut])
}

/// The longest prefix every candidate shares.
fn common_prefix(candidates: &[String]) -> String {
    let Some(first) = candidates.first() else {
        return String::new();
    };
    let mut len = first.len();
    for c in &candidates[1..] {
        len = len.min(
            first
                .bytes()
                .zip(c.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    while !first.is_char_boundary(len) {
        len -= 1;
    }
    first[..len].to_string()
}

#[function_component(ConsolePanel)]
pub fn console_panel(props: &ConsolePanelProps) -> Html {
    let input_ref = use_node_ref();
    let history_index = use_state(|| None::<usize>);
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
        let (history, complete, onrun, onshow) = (
            props.history.clone(),
            props.complete.clone(),
            props.onrun.clone(),
            props.onshowcompletions.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let Some(input) = input_ref.cast::<HtmlInputElement>() else {
                return;
            };
            match e.key().as_str() {
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
                "Tab" => {
                    e.prevent_default();
                    let line = input.value();
                    let candidates = complete.emit(line.clone());
                    match candidates.len() {
                        0 => {}
                        1 => input
                            .set_value(&format!("{} ", replace_last_word(&line, &candidates[0]))),
                        _ => {
                            let prefix = common_prefix(&candidates);
                            let last = line.rsplit(char::is_whitespace).next().unwrap_or("");
                            if prefix.len() > last.len() {
                                input.set_value(&replace_last_word(&line, &prefix));
                            } else {
                                onshow.emit(candidates);
                            }
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
                    ConsoleLine::Output(text) => html! { <pre key={i} class="out">{text.clone()}</pre> },
                }) }
            </div>
            <div class="prompt-row">
                <span class="prompt" aria-hidden="true">{props.prompt.clone()}</span>
                <input ref={input_ref} id="console-input" class="console-input" type="text" spellcheck="false" autocomplete="off"
                       aria-label="Console command" placeholder="kafka-topics --list" {onkeydown} />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_helpers() {
        assert_eq!(
            replace_last_word("kafka-top", "kafka-topics"),
            "kafka-topics"
        );
        assert_eq!(
            replace_last_word("kafka-topics --cr", "--create"),
            "kafka-topics --create"
        );
        assert_eq!(
            common_prefix(&["--describe".into(), "--delete".into()]),
            "--de"
        );
    }
}
