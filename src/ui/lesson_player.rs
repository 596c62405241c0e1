//! The lesson player (narration, task, progress, previous and next) and the lesson list,
//! the start page for newcomers.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{LessonSession, Shown};
use crate::lessons::{spans, Lesson, Level, Span, Task};

/// Renders lesson text: `**bold**` as strong, `` `code` `` as code.
fn rich(text: &str) -> Html {
    spans(text)
        .into_iter()
        .map(|span| match span {
            Span::Plain(t) => html! { {t.to_string()} },
            Span::Bold(t) => html! { <strong>{t.to_string()}</strong> },
            Span::Code(t) => html! { <code>{t.to_string()}</code> },
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct LessonPlayerProps {
    pub session: LessonSession,
    /// The engine at the cursor, which a task's goal is checked against.
    pub state: Shown,
    pub onstep: Callback<usize>,
    pub onanswer: Callback<usize>,
    pub onshowme: Callback<()>,
    pub onhint: Callback<()>,
    pub onexit: Callback<()>,
    /// Makes a link that carries the whole lesson (for a teacher's own lesson files).
    pub onshare: Callback<Rc<Lesson>>,
    /// Whether the clock runs (a task typed by hand takes effect only then).
    pub playing: bool,
    /// The lesson the last step leads to, if any.
    #[prop_or_default]
    pub next_lesson: Option<Rc<Lesson>>,
    pub onopenlesson: Callback<Rc<Lesson>>,
    /// Opens the lesson list (the last step of the last lesson leads there).
    pub onalllessons: Callback<()>,
}

#[function_component(LessonPlayer)]
pub fn lesson_player(props: &LessonPlayerProps) -> Html {
    let session = &props.session;
    let lesson = &session.lesson;
    let total = lesson.steps.len();
    // A new step starts at its top: its title and narration come into view, wherever the
    // side column (or, on a phone, the page) had been scrolled to.
    let section_ref = use_node_ref();
    {
        let section_ref = section_ref.clone();
        use_effect_with((lesson.id.clone(), session.step), move |_| {
            show_step_top(&section_ref);
        });
    }
    let Some(step) = lesson.steps.get(session.step) else {
        return html! {};
    };
    let index = session.step;
    let task = match &step.task {
        None => html! {},
        Some(Task::Goal(goal_task)) => {
            let met = goal_task.goal.check(&props.state.engine());
            let onshowme = props.onshowme.clone();
            let onhint = props.onhint.clone();
            html! {
                <div class={classes!("task", met.then_some("met"))} data-task="goal" data-met={met.to_string()}>
                    <h3>{"Your turn"}</h3>
                    <p>{rich(&goal_task.prompt)}</p>
                    <p class="goal-status" role="status">{ if met { format!("✓ Done: {}", goal_task.goal.describe()) } else { format!("Goal: {}", goal_task.goal.describe()) } }</p>
                    if !met && !props.playing {
                        <p class="clock-note" id="lesson-clock-note">
                            {"The clock is paused: a command applies at once, but what takes time (joining a group, reading, a timeout) waits until you press "}<strong>{"▶ Play"}</strong>{"."}
                        </p>
                    }
                    if session.show_hint {
                        if let Some(hint) = &goal_task.hint { <p class="hint">{rich(hint)}</p> }
                    }
                    <div class="actions">
                        if goal_task.hint.is_some() {
                            <button type="button" id="lesson-hint" onclick={Callback::from(move |_| onhint.emit(()))}>{ if session.show_hint { "Hide hint" } else { "Hint" } }</button>
                        }
                        <button type="button" id="lesson-show-me" disabled={met} onclick={Callback::from(move |_| onshowme.emit(()))}>{"Show me"}</button>
                    </div>
                </div>
            }
        }
        Some(Task::Predict(predict)) => {
            let choices = predict.choices.iter().enumerate().map(|(i, choice)| {
                let onanswer = props.onanswer.clone();
                let state = match session.answer {
                    Some(_) if i == predict.answer => Some("correct"),
                    Some(a) if a == i => Some("wrong"),
                    _ => None,
                };
                html! {
                    <li><button type="button" class={classes!("choice", state)} data-choice={i.to_string()} disabled={session.answer.is_some()}
                        onclick={Callback::from(move |_| onanswer.emit(i))}>{rich(choice)}</button></li>
                }
            });
            html! {
                <div class="task" data-task="predict" data-answered={session.answer.is_some().to_string()}>
                    <h3>{"Predict"}</h3>
                    <p>{rich(&predict.question)}</p>
                    <ol class="choices">{ for choices }</ol>
                    if let Some(answer) = session.answer {
                        <p class="explanation" role="status">
                            <strong>{ if answer == predict.answer { "Right. " } else { "Not quite. " } }</strong>
                            {rich(&predict.explanation)}
                            { if index + 1 < total { " Go to the next step to see it happen." } else { "" } }
                        </p>
                    }
                </div>
            }
        }
    };
    let (onprev, onnext, onrestart, onexit) = {
        let (a, b, c, d) = (
            props.onstep.clone(),
            props.onstep.clone(),
            props.onstep.clone(),
            props.onexit.clone(),
        );
        (
            Callback::from(move |_: MouseEvent| a.emit(index.saturating_sub(1))),
            Callback::from(move |_: MouseEvent| b.emit(index + 1)),
            Callback::from(move |_: MouseEvent| c.emit(index)),
            Callback::from(move |_: MouseEvent| d.emit(())),
        )
    };
    html! {
        <section ref={section_ref} class="panel lesson" aria-label={format!("Lesson {}", lesson.title)} data-lesson={lesson.id.clone()} data-step={index.to_string()}>
            <div class="lesson-head">
                <h2>{lesson.title.clone()}</h2>
                <button type="button" class="link-button" id="lesson-exit" onclick={onexit} aria-label="Leave the lesson">{"✕"}</button>
            </div>
            <div class="progress" role="progressbar" aria-label="Lesson progress" aria-valuetext={format!("Step {} of {total}", index + 1)} aria-valuemin="1" aria-valuemax={total.to_string()} aria-valuenow={(index + 1).to_string()}>
                <div class="bar" style={format!("width:{}%", (index + 1) * 100 / total.max(1))}></div>
            </div>
            <p class="step-count">{format!("Step {} of {total}", index + 1)}</p>
            <h3 class="step-title">{step.title.clone()}</h3>
            { for step.narration.iter().map(|p| html! { <p class="narration">{rich(p)}</p> }) }
            { task }
            <div class="actions lesson-nav">
                <button type="button" id="lesson-prev" disabled={index == 0} onclick={onprev}>{"◀ Previous"}</button>
                <button type="button" id="lesson-restart" onclick={onrestart} title="Rebuild this step's state (undo your free play)">{"↺ Step"}</button>
                if index + 1 >= total {
                    if let Some(next) = props.next_lesson.clone() {
                        <button type="button" id="lesson-next-lesson" class="primary" onclick={{
                            let (cb, next) = (props.onopenlesson.clone(), next.clone());
                            Callback::from(move |_: MouseEvent| cb.emit(next.clone()))
                        }}>{format!("Next lesson: {} ▶", next.title)}</button>
                    } else {
                        <button type="button" id="lesson-all-lessons" class="primary" onclick={{
                            let cb = props.onalllessons.clone();
                            Callback::from(move |_: MouseEvent| cb.emit(()))
                        }}>{"All lessons ▶"}</button>
                    }
                }
                <button type="button" id="lesson-next" class={classes!((index + 1 < total).then_some("primary"))} disabled={index + 1 >= total} onclick={onnext}>{"Next ▶"}</button>
                <button type="button" id="lesson-share" title="A link that opens this lesson anywhere" onclick={{
                    let (cb, lesson) = (props.onshare.clone(), lesson.clone());
                    Callback::from(move |_: MouseEvent| cb.emit(lesson.clone()))
                }}>{"Share"}</button>
            </div>
        </section>
    }
}

/// Scrolls the lesson panel's scrolling column to the panel's top and, when the page itself
/// scrolls (a narrow screen) and the panel's top is above the window, the page to it.
fn show_step_top(section_ref: &NodeRef) {
    let Some(section) = section_ref.cast::<web_sys::HtmlElement>() else {
        return;
    };
    if let Some(column) = section.parent_element() {
        let column_top = column.get_bounding_client_rect().top();
        let offset = section.get_bounding_client_rect().top() - column_top;
        column.set_scroll_top(column.scroll_top() + offset as i32);
    }
    if section.get_bounding_client_rect().top() < 0.0 {
        section.scroll_into_view_with_bool(true);
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonListProps {
    pub lessons: Rc<Vec<Rc<Lesson>>>,
    pub onopen: Callback<Rc<Lesson>>,
    pub onsandbox: Callback<()>,
    pub onfile: Callback<web_sys::File>,
}

#[function_component(LessonList)]
pub fn lesson_list(props: &LessonListProps) -> Html {
    let onsandbox = {
        let cb = props.onsandbox.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let onfile = {
        let cb = props.onfile.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                input.set_value("");
                cb.emit(file);
            }
        })
    };
    html! {
        <div class="overlay lessons-overlay" role="dialog" aria-modal="true" aria-labelledby="lessons-title">
            <div class="dialog lessons-dialog">
                <h2 id="lessons-title">{"Learn Kafka by watching it work"}</h2>
                <p class="hint">{"Pick a lesson, or open the sandbox and try things yourself. Every click also prints the real Kafka command."}</p>
                <ul class="lesson-cards">
                    { for props.lessons.iter().map(|lesson| {
                        let onopen = props.onopen.clone();
                        let l = lesson.clone();
                        let level = match lesson.level { Level::Intro => "intro", Level::Core => "core", Level::Advanced => "advanced" };
                        let done = super::persist::lesson_progress(&lesson.id);
                        html! {
                            <li key={lesson.id.clone()}>
                                <button type="button" class="lesson-card" data-lesson-card={lesson.id.clone()} onclick={Callback::from(move |_| onopen.emit(l.clone()))}>
                                    <span class="title">{lesson.title.clone()}</span>
                                    <span class="meta">{format!("{level} · {} steps{}", lesson.steps.len(), done.map(|d| format!(" · reached step {}", d + 1)).unwrap_or_default())}</span>
                                    <span class="summary">{lesson.summary.clone()}</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                <div class="actions">
                    <button type="button" id="open-sandbox" class="primary" onclick={onsandbox}>{"Open the sandbox"}</button>
                    <label class="button" for="lesson-file">{"Load a lesson file…"}</label>
                    <input id="lesson-file" class="visually-hidden" type="file" accept=".json,application/json" aria-label="Load a lesson file" onchange={onfile} />
                </div>
            </div>
        </div>
    }
}
