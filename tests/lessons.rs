//! The lessons shipped with the app play as written: every file parses and validates,
//! every scripted line applies without error, every goal is reachable by its "show me"
//! and not reached before, every prediction's claimed answer is what the next step
//! shows. Malformed lesson files give messages that name the line, the field, or the
//! step and the console line.

use kafka_sim::lessons::{builtin, builtin_lessons, parse_lesson, Lesson, LessonError, Task};

fn lessons() -> Vec<Lesson> {
    builtin()
        .into_iter()
        .map(|(name, text)| parse_lesson(text, name).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

#[test]
fn every_builtin_lesson_parses_and_validates() {
    let all = lessons();
    assert!(all.len() >= 6);
    assert_eq!(builtin_lessons().len(), all.len());
    let mut ids: Vec<&str> = all.iter().map(|l| l.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "lesson ids are unique");
    for lesson in &all {
        assert!(
            (5..=8).contains(&lesson.steps.len()),
            "{} has {} steps",
            lesson.id,
            lesson.steps.len()
        );
        let goals = lesson
            .steps
            .iter()
            .filter(|s| matches!(s.task, Some(Task::Goal(_))))
            .count();
        let predictions = lesson
            .steps
            .iter()
            .filter(|s| matches!(s.task, Some(Task::Predict(_))))
            .count();
        assert!(goals >= 1, "{} has no goal task", lesson.id);
        assert!(predictions >= 1, "{} has no prediction", lesson.id);
        for (i, step) in lesson.steps.iter().enumerate() {
            assert!(
                (1..=5).contains(&step.narration.len()),
                "{} step {}: 1 to 5 paragraphs",
                lesson.id,
                i + 1
            );
        }
    }
    let newspaper = all.iter().find(|l| l.id == "newspaper").expect("newspaper");
    assert_eq!(newspaper.seed, 0);
    assert_eq!(newspaper.steps.len(), 6);
    let orders = all.iter().find(|l| l.id == "order-events").expect("orders");
    assert_eq!(orders.seed, 2);
}

#[test]
fn every_step_replays_without_error() {
    for lesson in lessons() {
        for step in 0..lesson.steps.len() {
            if let Err(e) = lesson.console_at(step) {
                panic!("{e}");
            }
        }
    }
}

#[test]
fn stepping_back_restores_the_exact_state() {
    for lesson in lessons() {
        let last = lesson.steps.len() - 1;
        let mut forward = lesson.console_at(0).expect("step 1");
        for step in 1..=last {
            lesson.enter_step(step, &mut forward).expect("enter");
        }
        let replayed = lesson.console_at(last).expect("replay");
        assert_eq!(
            forward.timeline().state(),
            replayed.timeline().state(),
            "{}: entering steps one by one and replaying agree",
            lesson.id
        );
    }
}

#[test]
fn every_goal_is_unmet_at_its_step_and_met_by_show_me() {
    for lesson in lessons() {
        for (i, step) in lesson.steps.iter().enumerate() {
            let Some(Task::Goal(task)) = &step.task else {
                continue;
            };
            let mut console = lesson.console_at(i).expect("replay");
            assert!(
                !task.goal.check(console.timeline().state()),
                "{} step {}: the goal \"{}\" is already met",
                lesson.id,
                i + 1,
                task.goal.describe()
            );
            if let Err(e) = lesson.show_me(i, &mut console) {
                panic!("{e}");
            }
            assert!(
                task.goal.check(console.timeline().state()),
                "{} step {}: show me does not reach \"{}\"",
                lesson.id,
                i + 1,
                task.goal.describe()
            );
        }
    }
}

#[test]
fn every_prediction_is_what_the_next_step_shows() {
    let mut checked = 0;
    for lesson in lessons() {
        for (i, step) in lesson.steps.iter().enumerate() {
            let Some(Task::Predict(task)) = &step.task else {
                continue;
            };
            let check = task.check.as_ref().unwrap_or_else(|| {
                panic!("{} step {}: a prediction without a check", lesson.id, i + 1)
            });
            let before = lesson.console_at(i).expect("replay");
            let after = lesson.console_at(i + 1).expect("replay");
            assert!(
                !check.check(before.timeline().state()),
                "{} step {}: the answer \"{}\" already shows before the reveal",
                lesson.id,
                i + 1,
                check.describe()
            );
            assert!(
                check.check(after.timeline().state()),
                "{} step {}: the next step does not show \"{}\"",
                lesson.id,
                i + 1,
                check.describe()
            );
            checked += 1;
        }
    }
    assert!(checked >= 6);
}

const GOOD: &str = r#"{
  "id": "tiny",
  "title": "Tiny",
  "summary": "A tiny lesson.",
  "level": "intro",
  "seed": 3,
  "setup": ["kafka-topics --create --topic news --partitions 1"],
  "steps": [
    {
      "title": "First",
      "narration": ["One."],
      "commands": ["produce news a"],
      "task": {"predict": {"question": "Q?", "choices": ["a", "b"], "answer": 1,
        "explanation": "E."}}
    },
    {
      "title": "Second",
      "narration": ["Two."],
      "task": {"do": {"prompt": "P.",
        "goal": {"every_partition_owned_once": {"group": "g", "topic": "news"}},
        "show_me": ["consumer start c --group g --topic news"], "show_me_advance": "5s"}}
    }
  ]
}"#;

#[test]
fn a_steps_commands_print_their_real_output() {
    let all = lessons();
    let find = |id: &str| all.iter().find(|l| l.id == id).expect("lesson");
    // The describe of the offsets lesson (nothing committed yet: Kafka's own words for it),
    // and the console consumer of the keys lesson.
    let (_, printed) = find("offsets-retention-replay")
        .console_and_output_at(1)
        .expect("replay");
    let describe = printed
        .iter()
        .find(|(line, _)| line.starts_with("kafka-consumer-groups --describe"))
        .expect("the step describes the group");
    assert!(
        describe
            .1
            .contains("Consumer group 'audit' has no active members."),
        "{:?}",
        describe.1
    );
    let (_, printed) = find("ordering-and-keys")
        .console_and_output_at(1)
        .expect("replay");
    assert!(
        printed[0].1.contains("Processed a total of 6 messages"),
        "{printed:?}"
    );
    // Every step's lines print something a class can read, and not a flood.
    for lesson in &all {
        for step in 0..lesson.steps.len() {
            let (_, printed) = lesson.console_and_output_at(step).expect("replay");
            let lines: usize = printed.iter().map(|(_, out)| out.lines().count()).sum();
            assert!(
                lines <= 80,
                "{} step {}: {lines} lines of output",
                lesson.id,
                step + 1
            );
        }
    }
}

#[test]
fn the_rebalancing_lesson_has_records_piling_up_where_it_says() {
    let lesson = lessons()
        .into_iter()
        .find(|l| l.id == "rebalancing")
        .expect("lesson");
    // Step 5: "c2 crashed three seconds ago … orders-1 and refunds-1 pile up unread".
    let step = lesson
        .steps
        .iter()
        .position(|s| s.title == "A crash is noticed late")
        .expect("step");
    let console = lesson.console_at(step).expect("replay");
    let engine = console.timeline().state();
    let group = &engine.groups["billing"];
    for tp in ["orders-1", "refunds-1"] {
        let (topic, partition) = tp.split_once('-').expect("name");
        let tp = kafka_sim::engine::TopicPartition::new(topic, partition.parse().expect("number"));
        let end = engine.partition_log(&tp).expect("log").high_watermark();
        let lag = engine.committed_lag(group, &tp).unwrap_or(end);
        assert!(
            end > 0 && lag > 0,
            "{tp}: log end {end}, committed lag {lag}"
        );
    }
    // Every lane of both topics has records to read from the first step on.
    let console = lesson.console_at(0).expect("replay");
    let engine = console.timeline().state();
    for (name, topic) in &engine.topics {
        for p in 0..topic.n_partitions() {
            let tp = kafka_sim::engine::TopicPartition::new(name.clone(), p);
            let end = engine.partition_log(&tp).expect("log").high_watermark();
            assert!(end > 0, "{tp} is empty at step 1");
        }
    }
}

#[test]
fn every_group_of_the_order_events_lesson_reads_the_whole_stream() {
    // "Every group receives every event: … each read the whole stream": no group skips
    // the records written before it joined.
    let lesson = lessons()
        .into_iter()
        .find(|l| l.id == "order-events")
        .expect("lesson");
    let step = lesson
        .steps
        .iter()
        .position(|s| s.title == "Different groups: publish/subscribe")
        .expect("step");
    for at in [step - 1, step] {
        let (_, printed) = lesson.console_and_output_at(at).expect("replay");
        for (line, output) in &printed {
            assert!(
                !output.contains("auto.offset.reset=latest moved it to"),
                "step {}: {line} printed {output}",
                at + 1
            );
        }
    }
}

#[test]
fn the_right_answer_is_not_always_in_the_same_place() {
    // A class learns "it is always the second one" quickly; no position may hold more than
    // half of the right answers, and every position of three is used.
    let mut counts = [0usize; 3];
    let mut total = 0;
    for lesson in lessons() {
        for step in &lesson.steps {
            if let Some(Task::Predict(p)) = &step.task {
                counts[p.answer.min(2)] += 1;
                total += 1;
            }
        }
    }
    assert!(total >= 6, "{total} predictions");
    for (position, count) in counts.iter().enumerate() {
        assert!(
            *count * 2 <= total && *count > 0,
            "choice {position} is right in {count} of {total} predictions: {counts:?}"
        );
    }
}

fn parse_err(text: &str) -> String {
    match parse_lesson(text, "lesson.json") {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_good_small_lesson_parses() {
    let lesson = parse_lesson(GOOD, "lesson.json").expect("valid");
    assert_eq!(lesson.steps.len(), 2);
    let mut console = lesson.console_at(1).expect("replay");
    lesson.show_me(1, &mut console).expect("show me");
}

#[test]
fn bad_json_names_the_file_and_line() {
    let text = GOOD.replace("\"title\": \"Second\",", "\"title\": \"Second\"");
    let err = parse_err(&text);
    assert!(err.starts_with("lesson.json line 18 column"), "{err}");
    assert!(err.contains("expected `,` or `}`"), "{err}");
}

#[test]
fn a_wrong_type_names_the_field() {
    let text = GOOD.replace("\"seed\": 3", "\"seed\": \"three\"");
    let err = parse_err(&text);
    assert!(err.starts_with("lesson.json line 6 column"), "{err}");
    assert!(
        err.contains(": seed: invalid type: string \"three\""),
        "{err}"
    );
}

#[test]
fn an_unknown_goal_names_its_path_and_the_choices() {
    let text = GOOD.replace("every_partition_owned_once", "every_partition");
    let err = parse_err(&text);
    assert!(err.starts_with("lesson.json line 20 column"), "{err}");
    assert!(
        err.contains("steps[1].task.do.goal: unknown variant `every_partition`, expected one of"),
        "{err}"
    );
    assert!(err.contains("`every_partition_owned_once`"), "{err}");
}

#[test]
fn a_misspelt_bound_is_refused() {
    let text = GOOD.replace(
        "{\"every_partition_owned_once\": {\"group\": \"g\", \"topic\": \"news\"}}",
        "{\"group_members\": {\"group\": \"g\", \"at_leats\": 1}}",
    );
    let err = parse_err(&text);
    assert!(
        err.contains("steps[1].task.do.goal.group_members.at_leats: unknown field `at_leats`"),
        "{err}"
    );
}

#[test]
fn goals_describe_themselves_in_plain_english() {
    let lesson = parse_lesson(GOOD, "lesson.json").expect("valid");
    let Some(Task::Goal(task)) = &lesson.steps[1].task else {
        panic!("a goal task");
    };
    assert_eq!(
        task.goal.describe(),
        "every partition of news is owned by exactly one consumer of g"
    );
}

#[test]
fn an_unknown_field_is_refused() {
    let text = GOOD.replace("\"narration\": [\"One.\"]", "\"narative\": [\"One.\"]");
    let err = parse_err(&text);
    assert!(err.contains("steps[0]"), "{err}");
    assert!(err.contains("unknown field `narative`"), "{err}");
}

#[test]
fn an_answer_out_of_range_is_refused() {
    let text = GOOD.replace("\"answer\": 1", "\"answer\": 2");
    let err = parse_err(&text);
    assert_eq!(
        err,
        "lesson.json: steps[0].task.predict.answer: 2 is out of range: there are 2 choices, numbered from 0"
    );
}

#[test]
fn semantic_mistakes_are_refused() {
    let no_steps = GOOD.replace(
        &GOOD[GOOD.find("\"steps\"").expect("steps")..GOOD.rfind('}').expect("end")],
        "\"steps\": []\n",
    );
    assert_eq!(
        parse_err(&no_steps),
        "lesson.json: steps: a lesson needs at least one step"
    );
    let text = GOOD.replace(
        "\"narration\": [\"Two.\"],",
        "\"narration\": [\"Two.\"], \"highlight\": [\"partition:news\"],",
    );
    assert!(parse_err(&text).starts_with("lesson.json: steps[1].highlight[0]: \"partition:news\""));
    let text = GOOD.replace(
        "\"show_me_advance\": \"5s\"",
        "\"show_me_advance\": \"soon\"",
    );
    assert!(parse_err(&text).contains("steps[1].task.do.show_me_advance: \"soon\""));
}

#[test]
fn a_failing_command_names_the_step_and_the_line() {
    let text = GOOD.replace(
        "\"commands\": [\"produce news a\"]",
        "\"commands\": [\"consumer stop ghost\"]",
    );
    let lesson = parse_lesson(&text, "lesson.json").expect("parses");
    let err = lesson.console_at(1).expect_err("fails");
    assert!(matches!(err, LessonError::Line { .. }));
    assert_eq!(
        err.to_string(),
        "lesson tiny, step 1 \"First\": the line `consumer stop ghost` failed: Error: Consumer ghost does not exist."
    );
    let text = GOOD.replace(
        "kafka-topics --create --topic news --partitions 1",
        "kafka-topics --create --topic news --partitons 1",
    );
    let err = parse_lesson(&text, "lesson.json")
        .expect("parses")
        .console_at(0)
        .expect_err("fails");
    assert!(err.to_string().starts_with("lesson tiny, setup: the line `kafka-topics --create --topic news --partitons 1` failed: partitons is not a recognized option"), "{err}");
}

/// For lesson authors: `LESSON=<id> cargo test --test lessons dump_states -- --ignored
/// --nocapture` prints, after each step, every consumer's partitions, positions and
/// processed offsets and every group's state and committed offsets, to pick the numbers
/// of goals and checks.
#[test]
#[ignore]
fn dump_states() {
    let id = std::env::var("LESSON").unwrap_or_default();
    for lesson in lessons().into_iter().filter(|l| l.id == id) {
        for step in 0..lesson.steps.len() {
            let c = lesson.console_at(step).expect("replay");
            let e = c.timeline().state();
            println!("== step {} tick {}", step + 1, e.tick);
            for (name, consumer) in &e.consumers {
                println!(
                    "  {name} {:?} owns {:?} pos {:?} processed {:?}",
                    consumer.status,
                    consumer
                        .assignment
                        .iter()
                        .map(|t| t.to_string())
                        .collect::<Vec<_>>(),
                    consumer.positions.values().collect::<Vec<_>>(),
                    consumer.processed.values().collect::<Vec<_>>()
                );
            }
            for (name, g) in &e.groups {
                println!(
                    "  group {name} {:?} committed {:?}",
                    g.state,
                    g.committed.values().map(|c| c.offset).collect::<Vec<_>>()
                );
            }
        }
    }
}
