//! The native console and assignor lab.
//!
//! `kafka-sim-cli assign [request.json]` reads an assignor request (JSON, from the file or
//! from stdin), runs Kafka's assignor on it and prints the assignment as JSON
//! (see `kafka_sim::engine::assign::request`). Otherwise it is the console: it reads
//! console lines from a script file (first argument) or stdin and prints the transcript,
//! as the transcript tests in `tests/console/` do.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("assign") => assign_main(&args[1..]),
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
