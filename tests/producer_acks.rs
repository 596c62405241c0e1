//! A producer's `acks` is one setting, whichever way it is set (`producer acks`, the console
//! producer's `--request-required-acks`, `producer set p acks=…`), and Kafka's client rules
//! about idempotence follow it: `acks=1` turns idempotence off silently, and refuses an
//! explicit `enable.idempotence=true`.

use kafka_sim::console::Console;

fn run(script: &str) -> String {
    Console::new(5).run_script(script)
}

#[test]
fn producer_acks_and_enable_idempotence_meet_kafkas_check() {
    let out = run("producer add p\nproducer acks p 1\nproducer set p enable.idempotence=true\n");
    assert!(
        out.contains("Must set acks to all in order to use the idempotent producer"),
        "{out}"
    );
    let out = run("producer add q\nproducer set q enable.idempotence=true\nproducer acks q 1\n");
    assert!(
        out.contains("Must set acks to all in order to use the idempotent producer"),
        "{out}"
    );
}

#[test]
fn acks_set_by_config_is_what_the_cluster_sees() {
    // Two brokers down of three: acks=all is refused below min.insync.replicas=2 (the
    // record waits in its producer, to be retried); a producer whose config says acks=1 is
    // taken at once.
    let setup = "broker add\nbroker add\n\
kafka-topics --create --topic t --replica-assignment 1:2:3 --config min.insync.replicas=2\n\
producer add p\n\
broker stop 2\nbroker stop 3\nclock advance 1s\n";
    let refused = run(&format!("{setup}produce t a --producer p\n"));
    assert!(
        refused.contains("waits in the producer (NOT_ENOUGH_REPLICAS)"),
        "{refused}"
    );
    let taken = run(&format!(
        "{setup}producer set p acks=1\nproduce t a --producer p\n"
    ));
    assert!(!taken.contains("NOT_ENOUGH_REPLICAS"), "{taken}");
    assert!(taken.contains("at offset 0"), "{taken}");
}
