//! Fuzzes the share decoder: the input is read as a link fragment, a JSON file, an
//! autosave, a packed text, and as a link's JSON payload (compressed and encoded here, so
//! the fuzzer reaches the run-length steps without having to forge zlib and base64);
//! whatever decodes is replayed into a timeline. Nothing may panic, and a scenario that
//! decodes must encode and decode back to itself.
#![no_main]

use kafka_sim::share;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let decoded = [
        share::from_url_fragment(&text),
        share::from_json(&text),
        share::from_storage(&text),
        share::from_url_fragment(&share::pack_text("s1.", &text)),
    ];
    for scenario in decoded.into_iter().flatten() {
        if let Ok(timeline) = scenario.to_timeline() {
            let again = share::Scenario::from_timeline(&timeline, scenario.title.clone());
            assert_eq!(share::from_json(&share::to_json(&again)).ok(), Some(again.clone()));
            assert_eq!(share::from_url_fragment(&share::to_url_fragment(&again)).ok().map(|s| s.cursor), Some(again.cursor));
        }
    }
    let _ = share::unpack_text("lesson=", &text);
});
