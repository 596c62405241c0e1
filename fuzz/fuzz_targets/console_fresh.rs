//! Fuzzes `Console::run_line` on a fresh console: the input is a script, one line per
//! line of text, and no line of it may panic.
#![no_main]

use kafka_sim::console::Console;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut console = Console::new(7);
    for line in text.lines().take(64) {
        console.run_line(line);
    }
});
