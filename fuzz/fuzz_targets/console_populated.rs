//! Fuzzes `Console::run_line` on a populated console (topics with records, a compacted
//! topic, producers with a stream, a consumer group with members, a standalone reader),
//! so that lines naming real topics, groups and consumers reach deep into the engine.
#![no_main]

use std::sync::OnceLock;

use kafka_sim::console::Console;
use libfuzzer_sys::fuzz_target;

const SETUP: &str = "\
kafka-topics --create --topic orders --partitions 3
kafka-topics --create --topic users --partitions 2 --config cleanup.policy=compact
produce orders a b c --key k1
produce orders d e
produce users alice --key u1
producer add p1
producer stream p1 --topic orders --rate 5 --keys 4
consumer start c1 --group g --topic orders
consumer start c2 --group g --topic orders,users
consumer assign r1 --partition orders:0,1
clock advance 50
consumer stop c2
clock advance 5
";

fn populated() -> &'static Console {
    static CONSOLE: OnceLock<Console> = OnceLock::new();
    CONSOLE.get_or_init(|| {
        let mut console = Console::new(11);
        console.run_script(SETUP);
        console
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut console = populated().clone();
    for line in text.lines().take(64) {
        console.run_line(line);
    }
});
