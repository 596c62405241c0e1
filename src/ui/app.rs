//! The top-level component: the layout of the page. The toolbar, the diagram, the console,
//! the event log, the lesson player, the inspector, the forms, the lag chart and the
//! dialogs are components of their own (`toolbar.rs`, `diagram/`, `forms.rs`, `help.rs`,
//! …); playback, autosave, shortcuts and a dialog's focus are hooks (`hooks.rs`). Every
//! change is an [`Action`], an intent the reducer in `state.rs` carries out.

use std::rc::Rc;

use yew::prelude::*;

use super::console_panel::ConsolePanel;
use super::diagram::Diagram;
use super::event_log::{recent_events, EventLog};
use super::forms::{ConsumerForm, ProduceForm, TopicForm};
use super::help::HelpDialog;
use super::hooks::{
    use_autosave, use_dialog_focus, use_lesson_address, use_playback, use_shortcuts, OpenDialog,
};
use super::illustration::IllustrationPicture;
use super::inspector::Inspector;
use super::lag_chart::LagChart;
use super::lesson_player::{LessonList, LessonPlayer};
use super::persist;
use super::state::{Action, Selection, Sim};
use super::toolbar::Toolbar;
use crate::lessons::Lesson;
use crate::read::scene::Scene;
use crate::timeline::Timeline;

/// The state the page opens with: the benchmark scene, a lesson in the address, a shared
/// link, the autosave, or the sandbox (with the lesson list for a newcomer).
fn initial_sim() -> Sim {
    {
        if let Some(records) = persist::bench_in_url() {
            let mut sim = Sim::new(Timeline::from_commands(1, super::scenario::bench(records)));
            sim.speed = super::state::BENCH_SPEED;
            return sim;
        }
        let newcomer = !persist::has_autosave()
            && persist::link_in_url().is_none()
            && persist::lesson_link_in_url().is_none();
        let start =
            persist::initial_timeline(|| Timeline::from_commands(1, super::scenario::sandbox()));
        let mut sim = Sim::new(start.timeline);
        sim.error = start.error;
        sim.playing = !start.from_link;
        sim.show_lessons = newcomer;
        match persist::lesson_link_in_url() {
            Some(Ok(lesson)) => {
                sim.show_lessons = false;
                let last = lesson.steps.len().saturating_sub(1);
                let step = persist::step_in_url().unwrap_or(0).min(last);
                sim.enter_lesson(Rc::new(lesson), step);
            }
            Some(Err(e)) => {
                sim.error = Some(format!("The lesson in this link could not be opened: {e}"))
            }
            None => {}
        }
        if let Some((id, step)) = persist::lesson_in_url() {
            match crate::lessons::builtin_lessons()
                .into_iter()
                .find(|l| l.id == id)
            {
                Some(lesson) => {
                    sim.show_lessons = false;
                    let last = lesson.steps.len().saturating_sub(1);
                    sim.enter_lesson(Rc::new(lesson), step.min(last));
                }
                None => sim.error = Some(format!("There is no lesson called {id}.")),
            }
        }
        sim
    }
}

/// A callback that dispatches the intent `make` builds from what it is given.
fn intent<T: 'static>(sim: &UseReducerDispatcher<Sim>, make: fn(T) -> Action) -> Callback<T> {
    let sim = sim.clone();
    Callback::from(move |value: T| sim.dispatch(make(value)))
}

#[function_component(App)]
pub fn app() -> Html {
    let sim = use_reducer(initial_sim);
    let dispatcher = sim.dispatcher();
    let lessons = use_memo((), |_| {
        crate::lessons::builtin_lessons()
            .into_iter()
            .map(Rc::new)
            .collect::<Vec<_>>()
    });
    use_lesson_address(
        sim.lesson.as_ref().map(|s| (s.lesson.id.clone(), s.step)),
        sim.lesson
            .as_ref()
            .is_some_and(|s| lessons.iter().any(|l| **l == *s.lesson)),
    );
    use_autosave(sim.console.clone());
    use_playback(dispatcher.clone(), sim.playing, sim.ticks_per_second());
    use_shortcuts(dispatcher.clone());
    let dialog = if sim.show_help {
        Some(OpenDialog::Help)
    } else if sim.show_lessons {
        Some(OpenDialog::Lessons)
    } else {
        None
    };
    let dialog_open = dialog.is_some();
    use_dialog_focus(dialog);

    // The views read the engine in the console (no copy); its derived facts, the partitions
    // in flight and the replayable rebalance among them, are computed once per engine
    // version and shared by the diagram, the toolbar and the inspector.
    let shown = sim.shown();
    let scene = {
        let shown = shown.clone();
        use_memo(sim.engine_version, move |_| {
            Scene::at(
                &shown.timeline(),
                super::diagram::FLIGHT_TICKS,
                super::replay::RECENT_TICKS,
            )
        })
    };
    // Kept from render to render, so the diagram's pieces see equal props when nothing changed.
    let onselect = {
        let sim = dispatcher.clone();
        use_callback((), move |s: Option<Selection>, _| {
            sim.dispatch(Action::Select(s))
        })
    };

    let console = sim.console.borrow();
    let timeline = console.timeline();
    let engine = timeline.state();
    let topics: Vec<String> = engine.topics.keys().cloned().collect();
    let producers: Vec<String> = engine.producers.keys().cloned().collect();
    let groups: Vec<String> = engine.groups.keys().cloned().collect();
    let stream_running = engine.producers.values().any(|p| p.stream.is_some());
    let events = Rc::new(
        timeline
            .last_step()
            .map(|s| s.events.clone())
            .unwrap_or_default(),
    );
    let cursor = timeline.cursor();
    let handovers = scene.handovers.clone();
    let replayable = scene
        .recent_rebalance
        .as_ref()
        .map(|s| AttrValue::from(s.group.clone()));
    let entries = recent_events(timeline, 80);
    let prompt = console.prompt();
    let producer_topic = console
        .producer_topic()
        .map(|t| AttrValue::from(t.to_string()));
    let selected_group = match &sim.selection {
        Some(Selection::Group(g)) if !g.is_empty() => Some(g.clone()),
        _ => None,
    };
    let describe = selected_group.as_ref().map(|g| console.describe_group(g));
    drop(console);
    let complete = {
        let console = sim.console.clone();
        Callback::from(move |line: String| console.borrow().complete(&line))
    };

    let step = sim.lesson.as_ref().and_then(|s| s.lesson.steps.get(s.step));
    let highlight: Rc<Vec<String>> =
        Rc::new(step.map(|st| st.highlight.clone()).unwrap_or_default());
    let illustration = step.and_then(|st| st.illustration);
    // The lesson after the one being played, which its last step leads to.
    let next_lesson = sim.lesson.as_ref().and_then(|s| {
        let at = lessons.iter().position(|l| **l == *s.lesson)?;
        lessons.get(at + 1).cloned()
    });
    let theme_class = match sim.dark {
        Some(true) => "theme-dark",
        Some(false) => "theme-light",
        None => "theme-auto",
    };
    let dismiss = {
        let sim = dispatcher.clone();
        Callback::from(move |_: MouseEvent| sim.dispatch(Action::DismissError))
    };
    let onsharelesson = {
        let sim = dispatcher.clone();
        Callback::from(
            move |lesson: Rc<Lesson>| match persist::lesson_link(&lesson) {
                Some(url) => sim.dispatch(Action::Notice(format!(
                    "Link to this lesson (copied if the browser allows): {url}"
                ))),
                None => sim.dispatch(Action::ShowError(
                    "The link could not be made in this browser.".into(),
                )),
            },
        )
    };
    let onlessonfile = {
        let sim = dispatcher.clone();
        Callback::from(move |file: web_sys::File| {
            let sim = sim.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match persist::read_lesson_file(file).await {
                    Ok(lesson) => sim.dispatch(Action::OpenLesson(Rc::new(lesson), 0)),
                    Err(e) => {
                        sim.dispatch(Action::ShowError(format!("The lesson was not loaded: {e}")))
                    }
                }
            });
        })
    };
    html! {
        <div class={classes!("app", theme_class, sim.presenter.then_some("presenter"))}>
            <Toolbar state={shown.clone()} playing={sim.playing} speed={sim.speed} presenter={sim.presenter} dark={sim.dark}
                     inert={dialog_open} sim={dispatcher.clone()} {replayable} replaying={sim.motion.replay.is_some()} auto_slow={sim.auto_slow()} />
            if let Some(notice) = sim.notice.clone() {
                <div class="notice-banner" role="status" inert={dialog_open}>
                    <span>{notice}</span>
                    <button aria-label="Dismiss" onclick={dismiss.clone()}>{"×"}</button>
                </div>
            }
            if let Some(error) = sim.error.clone() {
                <div class="error-banner" role="alert" inert={dialog_open}>
                    <span>{error}</span>
                    <button aria-label="Dismiss" onclick={dismiss}>{"×"}</button>
                </div>
            }
            <main class="workspace" inert={dialog_open}>
                <div class="main-column">
                    if let Some(kind) = illustration {
                        <IllustrationPicture {kind} />
                    }
                    <section class="stage" aria-label="Cluster diagram" style={format!("--tick-ms:{:.0}ms", (1000.0 / sim.ticks_per_second()).max(f64::from(super::hooks::FRAME_MS)))}>
                        <super::zoom::ZoomToggle />
                        // In the stage's flow above the diagram, so it covers none of it (the pace legend
                        // runs along the diagram's top), and sticky, so it stays in view when the stage scrolls.
                        <super::replay::MotionStatus status={sim.motion_status().map(AttrValue::from)} />
                        <Diagram state={shown.clone()} scene={scene.clone()} events={events} {handovers} selection={sim.selection.clone()} {onselect} {highlight} />
                    </section>
                    <div class="bottom">
                        <ConsolePanel scrollback={sim.scrollback.clone()} history={sim.history.clone()} prompt={prompt} {complete}
                            onrun={intent(&dispatcher, Action::RunLine)} onshowcompletions={intent(&dispatcher, Action::ShowCompletions)}
                            onendinput={intent(&dispatcher, |()| Action::EndInput)} {producer_topic} />
                        <EventLog {entries} {cursor} onjump={intent(&dispatcher, Action::Jump)} />
                    </div>
                </div>
                <aside class="side">
                    if let Some(session) = sim.lesson.clone() {
                        <LessonPlayer {session} state={shown.clone()} playing={sim.playing} next_lesson={next_lesson.clone()}
                            onopenlesson={intent(&dispatcher, |l| Action::OpenLesson(l, 0))}
                            onalllessons={intent(&dispatcher, |()| Action::ShowLessons(true))}
                            onstep={intent(&dispatcher, Action::LessonStep)}
                            onanswer={intent(&dispatcher, Action::LessonAnswer)}
                            onshowme={intent(&dispatcher, |()| Action::LessonShowMe)}
                            onhint={intent(&dispatcher, |()| Action::LessonHint)}
                            onexit={intent(&dispatcher, |()| Action::ExitLesson)}
                            onshare={onsharelesson} />
                    }
                    // The side panels sit inside an element of their own (`display: contents`):
                    // Yew matches unkeyed siblings from the end, so the lesson player appearing
                    // before them keeps its node (and the focus its Next button has taken).
                    <div class="side-panels">
                        // First under the lesson: a click on the diagram shows its actions at the top.
                        <Inspector state={shown.clone()} scene={scene.clone()} selection={sim.selection.clone()} oncommand={intent(&dispatcher, Action::Do)} {describe} />
                        <ProduceForm state={shown.clone()} {topics} {producers} {stream_running} sim={dispatcher.clone()} />
                        <ConsumerForm state={shown.clone()} {groups} sim={dispatcher.clone()} />
                        <super::share_form::ShareForm state={shown.clone()} sim={dispatcher.clone()} />
                        <super::pipeline_form::PipelineForm state={shown.clone()} sim={dispatcher.clone()} />
                        <LagChart state={shown.clone()} group={selected_group} />
                        <TopicForm sim={dispatcher.clone()} brokers={shown.engine().broker_count()} />
                    </div>
                </aside>
            </main>
            if sim.show_lessons {
                <LessonList lessons={Rc::new((*lessons).clone())}
                    onopen={intent(&dispatcher, |l| Action::OpenLesson(l, 0))}
                    onsandbox={intent(&dispatcher, |_| Action::ShowLessons(false))}
                    onfile={onlessonfile} />
            }
            if sim.show_help {
                <HelpDialog sim={dispatcher.clone()} />
            }
        </div>
    }
}
