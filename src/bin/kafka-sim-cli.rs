//! The native console and assignor lab.
//!
//! `kafka-sim-cli assign [request.json]` reads an assignor request (JSON, from the file or
//! from stdin), runs Kafka's assignor on it and prints the assignment as JSON
//! (see `kafka_sim::engine::assign::request`). Otherwise it is the console: it reads
//! console lines from a script file (first argument) or stdin and prints the transcript,
//! as the transcript tests in `tests/console/` do.
//!
//! `kafka-sim-cli export [file]` reads a console script or a saved session (the app's JSON
//! file) and prints the session as a bash script of Kafka's own tools (`kafka_sim::export`).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("assign") => assign_main(&args[1..]),
        Some("export") => export_main(&args[1..]),
        _ => console_main(&args),
    };
    std::process::exit(code);
}

/// `kafka-sim-cli assign [file]`: returns the process exit code.
#[cfg(not(target_arch = "wasm32"))]
fn assign_main(args: &[String]) -> i32 {
    use std::io::Read;

    let input = match args.first() {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("kafka-sim-cli assign: cannot read {path}: {e}");
                return 1;
            }
        },
        None => {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("kafka-sim-cli assign: cannot read stdin: {e}");
                return 1;
            }
            text
        }
    };
    match kafka_sim::engine::assign::run_request_json(&input) {
        Ok(output) => {
            println!("{output}");
            0
        }
        Err(message) => {
            eprintln!("kafka-sim-cli assign: {message}");
            1
        }
    }
}

/// `kafka-sim-cli export [file]`: prints the session of a script or session file as a bash
/// script; returns the process exit code.
#[cfg(not(target_arch = "wasm32"))]
fn export_main(args: &[String]) -> i32 {
    let Some(input) = read_input("kafka-sim-cli export", args.first()) else {
        return 1;
    };
    let (seed, commands) = if input.trim_start().starts_with('{') {
        match kafka_sim::share::from_json(&input).and_then(|s| s.to_timeline()) {
            Ok(timeline) => (timeline.seed(), timeline.commands()),
            Err(e) => {
                eprintln!("kafka-sim-cli export: {e}");
                return 1;
            }
        }
    } else {
        let mut console = kafka_sim::console::Console::default();
        console.run_script(&input);
        (console.timeline().seed(), console.timeline().commands())
    };
    print!("{}", kafka_sim::export::export_script(seed, &commands));
    0
}

/// The text of the file named, or of stdin; `None` (after saying why) when it cannot be read.
#[cfg(not(target_arch = "wasm32"))]
fn read_input(program: &str, path: Option<&String>) -> Option<String> {
    use std::io::Read;

    match path {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e) => {
                eprintln!("{program}: cannot read {path}: {e}");
                None
            }
        },
        None => {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("{program}: cannot read stdin: {e}");
                return None;
            }
            Some(text)
        }
    }
}

/// The command-line tool has nothing to do in a browser.
#[cfg(target_arch = "wasm32")]
fn main() {}

/// `kafka-sim-cli [script]`: runs the script (or stdin) and prints the transcript.
#[cfg(not(target_arch = "wasm32"))]
fn console_main(args: &[String]) -> i32 {
    use std::io::Read;

    let script = match args.first() {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("kafka-sim-cli: cannot read {path}: {e}");
                return 1;
            }
        },
        None => {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("kafka-sim-cli: cannot read stdin: {e}");
                return 1;
            }
            text
        }
    };
    let mut console = kafka_sim::console::Console::default();
    print!("{}", console.run_script(&script));
    0
}
