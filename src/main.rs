//! The web app's entry point: it only mounts the Yew app (all code lives in the library).

#[cfg(target_arch = "wasm32")]
fn main() {
    kafka_sim::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kafka-sim is a web app: build it with trunk (see README.md). For a terminal, use kafka-sim-cli.");
    std::process::exit(2);
}
