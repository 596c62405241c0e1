//! The native console: reads console lines from stdin and prints a transcript.

fn main() {
    eprintln!("kafka-sim-cli: not built yet");
    std::process::exit(2);
}
