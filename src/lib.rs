//! kafka-sim: a teaching simulator for Apache Kafka.
//!
//! The crate is a library so that every part can be tested natively; `src/main.rs` only
//! mounts the web app and `src/bin/kafka-sim-cli.rs` only wires stdin to the console.
//!
//! - [`engine`]: the broker model, pure and deterministic (`state = f(seed, commands)`).
//! - [`console`]: Kafka's command-line tools and the simulator's commands, read from text
//!   lines and answered with the text the real tools print.
//! - [`read`]: the read model, facts derived from the engine once for every view to format.
//! - [`timeline`]: the history of commands and the state after each, for time travel.
//! - [`lessons`]: lessons as data (JSON files in `static/lessons/`), their goals and replay.
//! - [`export`]: a session as a bash script of Kafka's own tools, for a real cluster.
//! - [`share`]: a timeline saved as a scenario: JSON files, short links and the autosave.
//! - [`sort`]: stable sorting compiled once, to keep the download small.
//! - `ui` (wasm32 only): Yew components that draw the engine's state and dispatch commands.
//!
//! Invariant: `engine`, `read`, `timeline`, `console`, `lessons`, `share` and `export` import no web
//! crate; only `ui` does, and it is compiled only for the `wasm32` target.

pub mod console;
pub mod engine;
pub mod export;
pub mod lessons;
pub mod read;
pub mod share;
pub mod sort;
pub mod timeline;

#[cfg(target_arch = "wasm32")]
pub mod ui;
