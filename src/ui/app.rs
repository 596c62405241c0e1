//! The top-level component: time controls, the diagram, the action panel, the inspector
//! and the event log, with playback and keyboard shortcuts.

use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::console_panel::ConsolePanel;
use super::diagram::Diagram;
use super::event_log::{recent_events, EventLog};
use super::illustration::IllustrationPicture;
use super::inspector::Inspector;
use super::lag_chart::LagChart;
use super::lesson_player::{LessonList, LessonPlayer};
use super::persist;
use super::replay::{MotionControls, MotionStatus};
use super::state::{Action, Selection, Sim, SPEEDS};
use crate::engine::{Command, ProducerStream};
use crate::timeline::Timeline;

/// Real milliseconds between two playback updates.
const FRAME_MS: u32 = 50;
/// Real milliseconds between two autosaves.
const AUTOSAVE_MS: u32 = 2000;

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

fn node_value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .or_else(|| node.cast::<HtmlSelectElement>().map(|s| s.value()))
        .unwrap_or_default()
}

/// The first `prefix-N` not used by an existing name.
fn next_name(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|i| format!("{prefix}-{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| prefix.to_string())
}

#[function_component(App)]
pub fn app() -> Html {
    let sim = use_reducer(|| {
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
    });
    let lessons = use_memo((), |_| {
        crate::lessons::builtin_lessons()
            .into_iter()
            .map(Rc::new)
            .collect::<Vec<_>>()
    });

    // Remember how far each lesson got, and keep the address on the step shown.
    {
        let place = sim.lesson.as_ref().map(|s| (s.lesson.id.clone(), s.step));
        let builtin = sim
            .lesson
            .as_ref()
            .is_some_and(|s| lessons.iter().any(|l| **l == *s.lesson));
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

    // Autosave every few seconds when something changed.
    {
        let console = sim.console.clone();
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

    // Playback: every frame, advance as many ticks as the speed asks for.
    {
        let sim = sim.clone();
        let playing = sim.playing;
        let tps = sim.ticks_per_second();
        use_effect_with((playing, tps), move |(playing, tps)| {
            let interval = playing.then(|| {
                let per_frame = *tps * f64::from(FRAME_MS) / 1000.0;
                let mut credit = 0.0;
                Interval::new(FRAME_MS, move || {
                    credit += per_frame;
                    let ticks = credit.floor() as u32;
                    if ticks > 0 {
                        credit -= f64::from(ticks);
                        sim.dispatch(Action::Play(ticks));
                    }
                })
            });
            move || drop(interval)
        });
    }

    // Keyboard shortcuts (ignored while typing in a field).
    {
        let sim = sim.clone();
        use_effect_with((), move |_| {
            let listener = gloo_events_listener(sim);
            move || drop(listener)
        });
    }

    // A dialog (the help, the lesson list) takes the focus while it is open, the rest of the
    // page is inert, and the focus goes back to where it was when the dialog closes.
    let dialog = if sim.show_help {
        Some(OpenDialog::Help)
    } else if sim.show_lessons {
        Some(OpenDialog::Lessons)
    } else {
        None
    };
    let dialog_open = dialog.is_some();
    {
        let opener = use_mut_ref(|| None::<web_sys::HtmlElement>);
        let shown = use_mut_ref(|| None::<OpenDialog>);
        // Read while rendering, before the page becomes inert: the element that opened it.
        if dialog.is_some() && shown.borrow().is_none() {
            *opener.borrow_mut() = active_element();
        }
        let closed_now = dialog.is_none() && shown.borrow().is_some();
        *shown.borrow_mut() = dialog;
        use_effect_with(dialog, move |dialog| match dialog {
            Some(dialog) => {
                focus_first(dialog.first_focus());
            }
            None if closed_now => {
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
            None => {}
        });
    }

    let console = sim.console.borrow();
    let timeline = console.timeline();
    let engine = Rc::new(timeline.state().clone());
    let events = Rc::new(
        timeline
            .last_step()
            .map(|s| s.events.clone())
            .unwrap_or_default(),
    );
    let cursor = timeline.cursor();
    let len = timeline.len();
    let handovers = Rc::new(crate::read::rebalance::handovers_in_flight(
        timeline.steps(),
        cursor,
        super::diagram::FLIGHT_TICKS,
    ));
    let replayable = super::replay::recent_rebalance(timeline).map(|s| AttrValue::from(s.group));
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
    let onrun = {
        let sim = sim.clone();
        Callback::from(move |line: String| sim.dispatch(Action::RunLine(line)))
    };
    let onendinput = {
        let sim = sim.clone();
        Callback::from(move |()| sim.dispatch(Action::EndInput))
    };
    let onshowcompletions = {
        let sim = sim.clone();
        Callback::from(move |c: Vec<String>| sim.dispatch(Action::ShowCompletions(c)))
    };

    let dispatch = |action: fn() -> Action| {
        let sim = sim.clone();
        Callback::from(move |_: MouseEvent| sim.dispatch(action()))
    };
    let onselect = {
        let sim = sim.clone();
        Callback::from(move |s: Option<Selection>| sim.dispatch(Action::Select(s)))
    };
    let onjump = {
        let sim = sim.clone();
        Callback::from(move |i: usize| sim.dispatch(Action::Jump(i)))
    };
    let oncommand = {
        let sim = sim.clone();
        Callback::from(move |c: Command| sim.dispatch(Action::Do(c)))
    };
    let onspeed = {
        let sim = sim.clone();
        Callback::from(move |e: Event| {
            if let Ok(i) = select_value(&e).parse::<usize>() {
                sim.dispatch(Action::SetSpeed(i));
            }
        })
    };
    let onscrub = {
        let sim = sim.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(i) = input_value(&e).parse::<usize>() {
                sim.dispatch(Action::Jump(i));
            }
        })
    };

    // Produce form.
    let key_ref = use_node_ref();
    let value_ref = use_node_ref();
    let topic_ref = use_node_ref();
    let producer_ref = use_node_ref();
    let produce = |count: usize| {
        let (sim, key_ref, value_ref, topic_ref, producer_ref) = (
            sim.clone(),
            key_ref.clone(),
            value_ref.clone(),
            topic_ref.clone(),
            producer_ref.clone(),
        );
        Rc::new(move || {
            let key = node_value(&key_ref);
            let value = node_value(&value_ref);
            let topic = node_value(&topic_ref);
            let producer = node_value(&producer_ref);
            let commands = (0..count)
                .map(|i| Command::Produce {
                    producer: (!producer.is_empty()).then(|| producer.clone()),
                    topic: topic.clone(),
                    partition: None,
                    key: (!key.is_empty()).then(|| {
                        if count > 1 {
                            format!("{key}-{i}")
                        } else {
                            key.clone()
                        }
                    }),
                    value: Some(if value.is_empty() {
                        "order placed".to_string()
                    } else {
                        value.clone()
                    }),
                    headers: Vec::new(),
                })
                .collect();
            sim.dispatch(Action::DoAll(commands));
        }) as Rc<dyn Fn()>
    };
    let onproduce = {
        let send = produce(1);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send();
        })
    };
    let onburst = {
        let send = produce(10);
        Callback::from(move |_: MouseEvent| send())
    };
    let onaddproducer = {
        let (sim, engine) = (sim.clone(), engine.clone());
        Callback::from(move |_: MouseEvent| {
            let name = next_name("producer", |n| engine.producers.contains_key(n));
            sim.dispatch(Action::Do(Command::AddProducer {
                name,
                null_key: Default::default(),
            }));
        })
    };

    // Add-consumer form.
    let group_ref = use_node_ref();
    let assignor_ref = use_node_ref();
    let onaddconsumer = {
        let (sim, group_ref, assignor_ref, topic_ref, engine) = (
            sim.clone(),
            group_ref.clone(),
            assignor_ref.clone(),
            topic_ref.clone(),
            engine.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let group = node_value(&group_ref);
            let group = if group.trim().is_empty() {
                "payment".to_string()
            } else {
                group.trim().to_string()
            };
            let topic = node_value(&topic_ref);
            let client_id = next_name(&group, |n| engine.consumers.contains_key(n));
            let assignor = node_value(&assignor_ref);
            let mut config = vec![("processing.rate".to_string(), "5".to_string())];
            if !assignor.is_empty() {
                config.push(("partition.assignment.strategy".into(), assignor));
            }
            sim.dispatch(Action::Do(Command::StartConsumer {
                client_id,
                group: Some(group),
                topics: vec![topic],
                assign: Vec::new(),
                config,
            }));
        })
    };

    // Topic form.
    let new_topic_ref = use_node_ref();
    let new_partitions_ref = use_node_ref();
    let oncreatetopic = {
        let (sim, name_ref, parts_ref) = (
            sim.clone(),
            new_topic_ref.clone(),
            new_partitions_ref.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = node_value(&name_ref);
            let partitions = node_value(&parts_ref).trim().parse::<i64>().unwrap_or(0);
            sim.dispatch(Action::Do(Command::CreateTopic {
                name: name.trim().to_string(),
                partitions,
                configs: Vec::new(),
            }));
        })
    };

    let onshare = {
        let sim = sim.clone();
        Callback::from(move |_: MouseEvent| {
            let url = persist::share_link(sim.console.borrow().timeline());
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
        let sim = sim.clone();
        Callback::from(move |_: MouseEvent| {
            if persist::export_json(sim.console.borrow().timeline()).is_none() {
                sim.dispatch(Action::ShowError(
                    "The file could not be offered for download.".into(),
                ));
            }
        })
    };
    let onimport = {
        let sim = sim.clone();
        Callback::from(move |e: Event| {
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
    let highlight: Rc<Vec<String>> = Rc::new(
        sim.lesson
            .as_ref()
            .and_then(|s| s.lesson.steps.get(s.step))
            .map(|st| st.highlight.clone())
            .unwrap_or_default(),
    );
    let illustration = sim
        .lesson
        .as_ref()
        .and_then(|s| s.lesson.steps.get(s.step))
        .and_then(|st| st.illustration);
    let topics: Vec<String> = engine.topics.keys().cloned().collect();
    let producers: Vec<String> = engine.producers.keys().cloned().collect();
    let groups: Vec<String> = engine.groups.keys().cloned().collect();
    let playing = sim.playing;
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
    let first_producer = producers.first().cloned();
    let stream_running = engine.producers.values().any(|p| p.stream.is_some());
    let onstream = {
        let (sim, producer_ref, topic_ref, engine) = (
            sim.clone(),
            producer_ref.clone(),
            topic_ref.clone(),
            engine.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let producer = node_value(&producer_ref);
            let topic = node_value(&topic_ref);
            if producer.is_empty() || topic.is_empty() {
                return;
            }
            let running = engine
                .producers
                .get(&producer)
                .is_some_and(|p| p.stream.is_some());
            let stream = (!running).then(|| ProducerStream {
                topic,
                millirecords_per_second: 2_000,
                key_pool: 8,
                key_prefix: "customer-".into(),
            });
            sim.dispatch(Action::Do(Command::SetProducerStream { producer, stream }));
        })
    };
    html! {
        <div class={classes!("app", theme_class, sim.presenter.then_some("presenter"))}>
            <header class="toolbar" role="toolbar" aria-label="Time controls" inert={dialog_open}>
                <h1 class="brand">{"kafka-sim"}</h1>
                <button id="play" class="primary" aria-label={if playing { "Pause (space)" } else { "Play (space)" }} onclick={dispatch(|| Action::TogglePlay)}>
                    { if playing { "❚❚ Pause" } else { "▶ Play" } }
                </button>
                <button id="step-back" aria-label="Step back (left arrow)" onclick={dispatch(|| Action::StepBack)} disabled={cursor == 0}>{"◀ Step"}</button>
                <button id="step-forward" aria-label="Step forward (right arrow)" onclick={dispatch(|| Action::StepForward)}>{"Step ▶"}</button>
                <label class="speed">{"Speed "}
                    <select id="speed" aria-label="Playback speed" onchange={onspeed}>
                        { for SPEEDS.iter().enumerate().map(|(i, (_, label))| html! { <option value={i.to_string()} selected={i == sim.speed}>{*label}</option> }) }
                    </select>
                </label>
                <MotionControls {replayable} replaying={sim.motion.replay.is_some()} auto_slow={sim.auto_slow()}
                    onreplay={{ let sim = sim.clone(); Callback::from(move |()| sim.dispatch(Action::ReplayRebalance)) }}
                    onautoslow={{ let sim = sim.clone(); Callback::from(move |on: bool| sim.dispatch(Action::SetAutoSlow(on))) }} />
                <input id="scrubber" class="scrubber" type="range" min="0" max={len.to_string()} value={cursor.to_string()} aria-label="History scrubber" oninput={onscrub} />
                <span class="clock" data-tick={engine.tick.to_string()} data-step={cursor.to_string()}>
                    {format!("t = {:.1}s · step {cursor}/{len}", engine.tick as f64 / 10.0)}
                </span>
                <button id="lessons" aria-label="Lessons" onclick={{
                    let sim = sim.clone();
                    Callback::from(move |_| sim.dispatch(Action::ShowLessons(true)))
                }}>{"Lessons"}</button>
                <button id="reset" aria-label="Reset to an empty cluster" onclick={dispatch(|| Action::Reset)}>{"Reset"}</button>
                <button id="theme" aria-label="Switch light or dark theme" onclick={{
                    let sim = sim.clone();
                    let dark = sim.dark;
                    Callback::from(move |_| sim.dispatch(Action::SetDark(Some(!dark.unwrap_or(false)))))
                }}>{"Theme"}</button>
                <button id="presenter" aria-label="Present (presenter mode, large type)" aria-pressed={sim.presenter.to_string()} onclick={dispatch(|| Action::TogglePresenter)}>{"Present"}</button>
                <button id="share" aria-label="Share: copy a link to this exact state" onclick={onshare}>{"Share"}</button>
                <button id="export" aria-label="Export as a JSON file" onclick={onexport}>{"Export"}</button>
                <label class="button" for="import-file">{"Import"}</label>
                <input id="import-file" class="visually-hidden" type="file" accept=".json,application/json" aria-label="Import a scenario file" onchange={onimport} />
                <button id="help" aria-label="Keyboard shortcuts (?)" onclick={dispatch(|| Action::ToggleHelp)}>{"?"}</button>
            </header>
            if let Some(notice) = sim.notice.clone() {
                <div class="notice-banner" role="status" inert={dialog_open}>
                    <span>{notice}</span>
                    <button aria-label="Dismiss" onclick={dispatch(|| Action::DismissError)}>{"×"}</button>
                </div>
            }
            if let Some(error) = sim.error.clone() {
                <div class="error-banner" role="alert" inert={dialog_open}>
                    <span>{error}</span>
                    <button aria-label="Dismiss" onclick={dispatch(|| Action::DismissError)}>{"×"}</button>
                </div>
            }
            <main class="workspace" inert={dialog_open}>
                <div class="main-column">
                    if let Some(kind) = illustration {
                        <IllustrationPicture {kind} />
                    }
                    <MotionStatus status={sim.motion_status().map(AttrValue::from)} />
                    <section class="stage" aria-label="Cluster diagram" style={format!("--tick-ms:{:.0}ms", (1000.0 / sim.ticks_per_second()).max(f64::from(FRAME_MS)))}>
                        <super::zoom::ZoomToggle />
                        <Diagram version={sim.version} engine={engine.clone()} events={events} {handovers} selection={sim.selection.clone()} {onselect} {highlight} />
                    </section>
                    <div class="bottom">
                        <ConsolePanel scrollback={sim.scrollback.clone()} history={sim.history.clone()} prompt={prompt} {complete} {onrun} {onshowcompletions} {onendinput} {producer_topic} />
                        <EventLog {entries} {cursor} {onjump} />
                    </div>
                </div>
                <aside class="side">
                    if let Some(session) = sim.lesson.clone() {
                        <LessonPlayer {session} engine={engine.clone()} version={sim.version} {playing} next_lesson={next_lesson.clone()}
                            onopenlesson={{ let sim = sim.clone(); Callback::from(move |l: Rc<crate::lessons::Lesson>| sim.dispatch(Action::OpenLesson(l, 0))) }}
                            onstep={{ let sim = sim.clone(); Callback::from(move |i: usize| sim.dispatch(Action::LessonStep(i))) }}
                            onanswer={{ let sim = sim.clone(); Callback::from(move |i: usize| sim.dispatch(Action::LessonAnswer(i))) }}
                            onshowme={{ let sim = sim.clone(); Callback::from(move |_| sim.dispatch(Action::LessonShowMe)) }}
                            onhint={{ let sim = sim.clone(); Callback::from(move |_| sim.dispatch(Action::LessonHint)) }}
                            onexit={{ let sim = sim.clone(); Callback::from(move |_| sim.dispatch(Action::ExitLesson)) }}
                            onshare={{
                                let sim = sim.clone();
                                Callback::from(move |lesson: Rc<crate::lessons::Lesson>| match persist::lesson_link(&lesson) {
                                    Some(url) => sim.dispatch(Action::Notice(format!("Link to this lesson (copied if the browser allows): {url}"))),
                                    None => sim.dispatch(Action::ShowError("The link could not be made in this browser.".into())),
                                })
                            }} />
                    }
                    // First under the lesson: a click on the diagram shows its actions at the top.
                    <Inspector engine={engine.clone()} version={sim.version} selection={sim.selection.clone()} {oncommand} {describe} />
                    <form class="panel produce-form" onsubmit={onproduce} aria-label="Produce a record">
                        <h2>{"Produce"}</h2>
                        <div class="row">
                            <label>{"Topic"}<select ref={topic_ref} id="produce-topic" aria-label="Topic">
                                { for topics.iter().enumerate().map(|(i, t)| html! { <option value={t.clone()} selected={i == 0}>{t.clone()}</option> }) }
                            </select></label>
                            <label>{"Producer"}<select ref={producer_ref} id="produce-producer" aria-label="Producer">
                                { for producers.iter().enumerate().map(|(i, p)| html! { <option value={p.clone()} selected={i == 0}>{p.clone()}</option> }) }
                                <option value="">{"console-producer"}</option>
                            </select></label>
                        </div>
                        <div class="row">
                            <label>{"Key"}<input ref={key_ref} id="produce-key" placeholder="customer-42 (empty: none)" autocomplete="off" /></label>
                            <label>{"Value"}<input ref={value_ref} id="produce-value" placeholder="order placed" autocomplete="off" /></label>
                        </div>
                        <div class="row buttons">
                            <button type="submit" id="produce-button" class="primary">{"Produce"}</button>
                            <button type="button" id="burst-button" onclick={onburst} disabled={topics.is_empty()}>{"Burst ×10"}</button>
                            <button type="button" id="add-producer" onclick={onaddproducer}>{"+ Producer"}</button>
                            <button type="button" id="stream-button" onclick={onstream} disabled={first_producer.is_none() || topics.is_empty()}>
                                { if stream_running { "Start/stop stream" } else { "Start stream" } }
                            </button>
                        </div>
                    </form>
                    <form class="panel" onsubmit={onaddconsumer} aria-label="Add a consumer">
                        <h2>{"Consumers"}</h2>
                        <div class="row">
                            <label>{"Group"}<input ref={group_ref} id="consumer-group" list="group-names" placeholder="payment" autocomplete="off" /></label>
                            <datalist id="group-names">{ for groups.iter().map(|g| html! { <option value={g.clone()} /> }) }</datalist>
                            <label>{"Assignor"}<select ref={assignor_ref} id="consumer-assignor" aria-label="Assignor">
                                <option value="" selected=true>{"default (range)"}</option>
                                <option value="range">{"range"}</option>
                                <option value="roundrobin">{"roundrobin"}</option>
                                <option value="sticky">{"sticky"}</option>
                                <option value="cooperative-sticky">{"cooperative-sticky"}</option>
                            </select></label>
                        </div>
                        <div class="row buttons"><button type="submit" id="add-consumer" class="primary">{"Add consumer"}</button></div>
                    </form>
                    <LagChart engine={engine.clone()} version={sim.version} group={selected_group} />
                    <form class="panel" onsubmit={oncreatetopic} aria-label="Create a topic">
                        <h2>{"Topics"}</h2>
                        <div class="row">
                            <label>{"Name"}<input ref={new_topic_ref} id="topic-name" placeholder="payments" autocomplete="off" /></label>
                            <label>{"Partitions"}<input ref={new_partitions_ref} id="topic-partitions" type="number" min="1" max="24" value="3" /></label>
                        </div>
                        <div class="row buttons"><button type="submit" id="create-topic">{"Create topic"}</button></div>
                    </form>
                </aside>
            </main>
            if sim.show_lessons {
                <LessonList lessons={Rc::new((*lessons).clone())}
                    onopen={{ let sim = sim.clone(); Callback::from(move |l: Rc<crate::lessons::Lesson>| sim.dispatch(Action::OpenLesson(l, 0))) }}
                    onsandbox={{ let sim = sim.clone(); Callback::from(move |_| sim.dispatch(Action::ShowLessons(false))) }}
                    onfile={{
                        let sim = sim.clone();
                        Callback::from(move |file: web_sys::File| {
                            let sim = sim.clone();
                            wasm_bindgen_futures::spawn_local(async move {
                                match persist::read_lesson_file(file).await {
                                    Ok(lesson) => sim.dispatch(Action::OpenLesson(Rc::new(lesson), 0)),
                                    Err(e) => sim.dispatch(Action::ShowError(format!("The lesson was not loaded: {e}"))),
                                }
                            });
                        })
                    }} />
            }
            if sim.show_help {
                <div class="overlay" onclick={{
                    let sim = sim.clone();
                    // A click beside the dialog closes it; one inside it does not.
                    Callback::from(move |e: MouseEvent| {
                        if e.target() == e.current_target() {
                            sim.dispatch(Action::ToggleHelp);
                        }
                    })
                }}>
                    <div class="dialog help-dialog" role="dialog" aria-modal="true" aria-labelledby="help-title">
                        <div class="dialog-head">
                            <h2 id="help-title">{"Keyboard shortcuts"}</h2>
                            <button type="button" id="help-close" aria-label="Close" onclick={dispatch(|| Action::ToggleHelp)}>{"×"}</button>
                        </div>
                        <dl>
                            <dt>{"Space"}</dt><dd>{"Play or pause"}</dd>
                            <dt>{"← / →"}</dt><dd>{"Step back / forward one step"}</dd>
                            <dt>{"+ / −"}</dt><dd>{"Faster / slower"}</dd>
                            <dt>{"P"}</dt><dd>{"Focus the produce form"}</dd>
                            <dt>{"F"}</dt><dd>{"Presenter mode"}</dd>
                            <dt>{"PgDn / ."}</dt><dd>{"Next lesson step (a presenter's clicker works; in presenter mode space does too)"}</dd>
                            <dt>{"PgUp / ,"}</dt><dd>{"Previous lesson step"}</dd>
                            <dt>{"R"}</dt><dd>{"Replay the last rebalance slowly"}</dd>
                            <dt>{"?"}</dt><dd>{"This help"}</dd>
                            <dt>{"Esc"}</dt><dd>{"Close, deselect"}</dd>
                        </dl>
                        <p>{"Click a partition, consumer, group, producer or record to inspect it."}</p>
                    </div>
                </div>
            }
        </div>
    }
}

/// The dialog shown over the page, if any.
#[derive(Clone, Copy, PartialEq, Debug)]
enum OpenDialog {
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
        Some(element) => element.focus().is_ok(),
        None => false,
    }
}

/// A `keydown` listener on the document for the shortcuts; dropped with the app.
fn gloo_events_listener(sim: UseReducerHandle<Sim>) -> Option<KeyListener> {
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
            let action = match e.key().as_str() {
                " " => Some(Action::Space),
                "ArrowLeft" => Some(Action::StepBack),
                "ArrowRight" => Some(Action::StepForward),
                "+" | "=" => Some(Action::Faster),
                "-" | "_" => Some(Action::Slower),
                "?" => Some(Action::ToggleHelp),
                "f" | "F" => Some(Action::TogglePresenter),
                "r" | "R" => Some(Action::ReplayRebalance),
                "Escape" => Some(Action::Escape),
                "PageDown" | "." => Some(Action::LessonNext),
                "PageUp" | "," => Some(Action::LessonPrev),
                "p" | "P" => {
                    if let Some(input) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("produce-key"))
                    {
                        if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                            let _ = input.focus();
                        }
                    }
                    e.prevent_default();
                    None
                }
                _ => None,
            };
            if let Some(action) = action {
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
