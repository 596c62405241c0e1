//! Fuzzes the lesson parser: a lesson file is parsed and validated, and a lesson that
//! parses is replayed to its first step and its goals checked. Nothing may panic.
#![no_main]

use kafka_sim::lessons::parse_lesson;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(lesson) = parse_lesson(&text, "fuzz.json") else {
        return;
    };
    let _ = lesson.validate();
    if let Ok(console) = lesson.console_at(0) {
        for step in &lesson.steps {
            if let Some(kafka_sim::lessons::Task::Goal(task)) = &step.task {
                let _ = task.goal.check(console.timeline().state());
            }
        }
    }
});
