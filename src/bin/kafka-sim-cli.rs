//! The native console: reads console lines from stdin (or a script file given as the
//! first argument) and prints the transcript, as the transcript tests do.
//!
//! `kafka-sim-cli assign …` is the assignor lab (built on another branch); this build has
//! a stub for it.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let code = match args.get(1).map(String::as_str) {
        Some("assign") => assign_main(&args),
        _ => console_main(&args),
    };
    std::process::exit(code);
}

#[cfg(target_arch = "wasm32")]
fn main() {}

/// The assignor lab is not part of this build.
#[cfg(not(target_arch = "wasm32"))]
fn assign_main(_args: &[String]) -> i32 {
    eprintln!("kafka-sim-cli assign: not available in this build");
    2
}

/// Runs a script from a file (first argument) or stdin and prints the transcript.
#[cfg(not(target_arch = "wasm32"))]
fn console_main(args: &[String]) -> i32 {
    use std::io::Read;

    let script = match args.get(1) {
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
