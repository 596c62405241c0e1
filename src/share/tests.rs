//! The share formats' tests: round trips, limits, damage, and a fuzz of the decoders.

use super::base64url::{base64url_decode, base64url_encode};
use super::fragment::prefix;
use super::*;
use crate::engine::limits::grouped;
use crate::engine::ProducerStream;

fn produce(key: &str) -> Command {
    Command::Produce {
        producer: None,
        topic: "orders".into(),
        partition: None,
        key: Some(key.into()),
        value: Some(format!("order {key}")),
        headers: vec![],
    }
}

fn start(client: &str) -> Command {
    Command::StartConsumer {
        client_id: client.into(),
        group: Some("payments".into()),
        topics: vec!["orders".into()],
        assign: vec![],
        config: vec![],
    }
}

/// A history like playback records: a setup, then `n` steps that are mostly
/// `Advance { ticks: 1 }` with a produce every 50 steps, a consumer started every
/// 2,000 steps, and one mistyped command.
fn history(n: usize) -> Vec<Command> {
    let mut commands = vec![
        Command::CreateTopic {
            name: "orders".into(),
            partitions: 3,
            configs: vec![],
        },
        Command::AddProducer {
            name: "checkout".into(),
            null_key: Default::default(),
        },
        Command::SetProducerStream {
            producer: "checkout".into(),
            stream: Some(ProducerStream {
                topic: "orders".into(),
                millirecords_per_second: 2_000,
                key_pool: 8,
                key_prefix: "customer-".into(),
            }),
        },
        start("payments-0"),
        // Rejected when recorded and when replayed: the topic does not exist.
        Command::DeleteTopic {
            name: "ordres".into(),
        },
    ];
    for i in 1..=n {
        commands.push(if i % 2_000 == 0 {
            start(&format!("payments-{}", i / 2_000))
        } else if i % 50 == 0 {
            produce(&format!("k{i}"))
        } else {
            Command::Advance { ticks: 1 }
        });
    }
    commands
}

fn timeline(n: usize, cursor: usize) -> Timeline {
    let mut t = Timeline::from_commands(42, history(n));
    t.jump(cursor);
    t
}

fn assert_same(a: &Timeline, b: &Timeline) {
    assert_eq!(a.seed(), b.seed());
    assert_eq!(a.len(), b.len());
    assert_eq!(a.cursor(), b.cursor());
    assert_eq!(a.state(), b.state());
    assert_eq!(a.steps(), b.steps());
}

fn scenario(n: usize, cursor: usize) -> (Timeline, Scenario) {
    let t = timeline(n, cursor);
    let s = Scenario::from_timeline(&t, Some("Rebalance demo".into()));
    (t, s)
}

fn error(result: Result<Scenario, ShareError>) -> ShareError {
    result.expect_err("decoding should fail")
}

#[test]
fn json_round_trip_gives_an_equal_timeline() {
    let (t, s) = scenario(600, 333);
    let back = from_json(&to_json(&s)).unwrap();
    assert_eq!(back, s);
    assert_same(&back.to_timeline().unwrap(), &t);
}

#[test]
fn fragment_round_trip_gives_an_equal_timeline() {
    let (t, s) = scenario(600, 333);
    let fragment = to_url_fragment_with(&s, Encoding::Full);
    assert!(fragment.starts_with("s1."));
    assert!(fragment[3..]
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    let back = from_url_fragment(&fragment).unwrap();
    assert_eq!(back, s);
    assert_same(&back.to_timeline().unwrap(), &t);
    // A leading `#` or the whole URL is accepted too.
    assert_eq!(from_url_fragment(&format!("#{fragment}")).unwrap(), s);
    let url = format!("https://example.org/kafka-sim/#{fragment}\n");
    assert_eq!(from_url_fragment(&url).unwrap(), s);
}

#[test]
fn storage_round_trip_gives_an_equal_timeline() {
    let (t, s) = scenario(600, 600);
    let back = from_storage(&to_storage(&s)).unwrap();
    assert_same(&back.to_timeline().unwrap(), &t);
    // The autosave also reads the JSON file format.
    let back = from_storage(&to_json(&s)).unwrap();
    assert_same(&back.to_timeline().unwrap(), &t);
}

#[test]
fn the_whole_history_survives_so_stepping_back_still_works() {
    let (t, s) = scenario(300, 120);
    let mut back = from_url_fragment(&to_url_fragment(&s))
        .unwrap()
        .to_timeline()
        .unwrap();
    assert_eq!(back.len(), t.len());
    assert!(back.step_back());
    let mut original = t.clone();
    original.step_back();
    assert_eq!(back.state(), original.state());
    back.jump(back.len());
    original.jump(original.len());
    assert_eq!(back.state(), original.state());
}

#[test]
fn an_empty_history_round_trips() {
    let s = Scenario::from_timeline(&Timeline::new(3), None);
    for back in [
        from_json(&to_json(&s)).unwrap(),
        from_url_fragment(&to_url_fragment(&s)).unwrap(),
        from_storage(&to_storage(&s)).unwrap(),
    ] {
        assert_eq!(back, s);
        assert_eq!(
            back.to_timeline().unwrap().state(),
            Timeline::new(3).state()
        );
    }
}

#[test]
fn compact_keeps_the_final_state_and_the_state_at_the_cursor() {
    for cursor in [0, 1, 5, 6, 7, 321, 1_999, 2_005, 2_406] {
        let (t, s) = scenario(2_401, cursor);
        let compact = s.compact();
        assert!(compact.commands.len() < s.commands.len() / 10);
        assert_eq!(compact.total_ticks(), s.total_ticks());
        // The same final state…
        let full_end = Timeline::from_commands(s.seed, s.commands.clone());
        let compact_end = Timeline::from_commands(compact.seed, compact.commands.clone());
        assert_eq!(full_end.state(), compact_end.state(), "cursor {cursor}");
        // …and the same state at the cursor.
        let opened = compact.to_timeline().unwrap();
        assert_eq!(opened.state(), t.state(), "cursor {cursor}");
        // Through a link too.
        let link = to_url_fragment_with(&s, Encoding::Compact);
        assert_eq!(from_url_fragment(&link).unwrap(), compact);
    }
}

#[test]
fn compact_splits_runs_that_would_overflow_a_tick_count() {
    let s = Scenario {
        version: SCENARIO_VERSION,
        seed: 1,
        commands: vec![
            Command::Advance { ticks: u32::MAX },
            Command::Advance { ticks: 2 },
            Command::Advance { ticks: 3 },
        ],
        cursor: 3,
        title: None,
    };
    assert_eq!(
        s.compact().commands,
        vec![
            Command::Advance { ticks: u32::MAX },
            Command::Advance { ticks: 5 }
        ]
    );
}

/// Measures the fragment of a 10,000-step history (`cargo test --lib share -- --nocapture`).
#[test]
fn fragments_of_a_long_history_stay_short() {
    let (t, s) = scenario(10_000, 10_005);
    let full = to_url_fragment_with(&s, Encoding::Full);
    let compact = to_url_fragment_with(&s, Encoding::Compact);
    let json = serde_json::to_string(&s).unwrap();
    let mut deflated_plain_json = String::new();
    base64url_encode(
        &miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 9),
        &mut deflated_plain_json,
    );
    println!(
        "10,005 steps: plain JSON {} bytes, its zlib+base64url {} chars",
        json.len(),
        deflated_plain_json.len()
    );
    println!(
        "10,005 steps ({} produces, 5 consumer starts): plain JSON {} bytes, \
         full fragment {} chars, compact fragment {} chars ({} steps)",
        s.commands
            .iter()
            .filter(|c| matches!(c, Command::Produce { .. }))
            .count(),
        json.len(),
        full.len(),
        compact.len(),
        s.compact().commands.len()
    );
    assert!(full.len() <= URL_FRAGMENT_BUDGET, "full: {}", full.len());
    // Runs are already short in the full form, so compacting gains little here.
    assert!(compact.len() < full.len() + 100);
    assert_eq!(to_url_fragment(&s), full);
    assert_same(
        &from_url_fragment(&full).unwrap().to_timeline().unwrap(),
        &t,
    );

    // Pure playback: 10,000 one-tick steps after the setup.
    let mut commands = history(0);
    commands.extend(std::iter::repeat_n(Command::Advance { ticks: 1 }, 10_000));
    let playback = Scenario::from_timeline(&Timeline::from_commands(42, commands), None);
    let full = to_url_fragment_with(&playback, Encoding::Full);
    let compact = to_url_fragment_with(&playback, Encoding::Compact);
    println!(
        "10,005 steps of pure playback: full fragment {} chars, compact {} chars",
        full.len(),
        compact.len()
    );
    assert!(full.len() < 400, "full: {}", full.len());
}

#[test]
fn a_history_too_long_for_a_link_is_compacted() {
    // Playback at changing speeds: advances of 1 to 5 ticks in an irregular order,
    // which neither run lengths nor compression can shorten much.
    let mut commands = history(0);
    let mut x: u32 = 12_345;
    for i in 0..20_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        commands.push(Command::Advance {
            ticks: 1 + (x >> 16) % 5,
        });
        if i % 1_000 == 0 {
            commands.push(produce(&format!("k{i}")));
        }
    }
    commands.push(Command::Advance { ticks: 0 });
    commands.push(Command::Advance { ticks: 0 });
    let s = Scenario {
        version: SCENARIO_VERSION,
        seed: 9,
        cursor: commands.len(),
        commands,
        title: None,
    };
    let full = to_url_fragment_with(&s, Encoding::Full);
    let auto = to_url_fragment(&s);
    println!(
        "20,027 steps of irregular advances: full {} chars, compact {} chars",
        full.len(),
        auto.len()
    );
    assert!(full.len() > URL_FRAGMENT_BUDGET);
    assert!(auto.len() < URL_FRAGMENT_BUDGET);
    assert_eq!(from_url_fragment(&auto).unwrap(), s.compact());
    // The full form still round-trips every step.
    assert_eq!(from_url_fragment(&full).unwrap(), s);
}

#[test]
fn rejected_commands_replay_as_rejections_not_errors() {
    let (t, s) = scenario(10, 15);
    let opened = from_json(&to_json(&s)).unwrap().to_timeline().unwrap();
    assert_same(&opened, &t);
    let rejected = rejections(&opened);
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].0, 5);
}

// Corrupted input.

#[test]
fn a_truncated_link_is_damaged() {
    let (_, s) = scenario(600, 600);
    let fragment = to_url_fragment(&s);
    for cut in [
        fragment.len() - 1,
        fragment.len() - 3,
        fragment.len() / 2,
        5,
        4,
    ] {
        let e = error(from_url_fragment(&fragment[..cut]));
        assert!(
            matches!(e.kind, ShareErrorKind::Damaged(_)),
            "cut at {cut}: {e}"
        );
        assert!(e.to_string().starts_with("This link is damaged: "), "{e}");
    }
    let e = error(from_url_fragment("s1."));
    assert_eq!(
        e.to_string(),
        "This link is damaged: it has no data after the prefix"
    );
}

#[test]
fn a_changed_character_fails_the_checksum_or_the_format() {
    let (_, s) = scenario(600, 600);
    let fragment = to_url_fragment(&s);
    let bytes = fragment.as_bytes();
    for i in 3..fragment.len() {
        let mut changed = bytes.to_vec();
        changed[i] = if changed[i] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(changed).unwrap();
        // The last character carries a few unused bits; changing only those is harmless.
        let e = match from_url_fragment(&changed) {
            Ok(back) if back == s => continue,
            result => error(result),
        };
        assert!(
            matches!(
                e.kind,
                ShareErrorKind::Damaged(_) | ShareErrorKind::NotAScenario(_)
            ),
            "{i}: {e}"
        );
    }
}

#[test]
fn flipped_bits_in_the_compressed_data_are_caught() {
    let (_, s) = scenario(200, 200);
    let fragment = to_url_fragment(&s);
    let compressed = base64url_decode(&fragment[3..], 3).unwrap();
    for bit in 0..compressed.len() * 8 {
        let mut flipped = compressed.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        let mut link = prefix();
        base64url_encode(&flipped, &mut link);
        // The last byte of deflate data may end in padding bits, which are ignored.
        let e = match from_url_fragment(&link) {
            Ok(back) if back == s => continue,
            result => error(result),
        };
        assert!(
            matches!(
                e.kind,
                ShareErrorKind::Damaged(_) | ShareErrorKind::NotAScenario(_)
            ),
            "bit {bit}: {e}"
        );
    }
}

#[test]
fn a_wrong_base64_character_is_named_by_position() {
    let (_, s) = scenario(20, 20);
    let mut fragment = to_url_fragment(&s);
    fragment.replace_range(16..17, "!");
    assert_eq!(
        error(from_url_fragment(&fragment)).to_string(),
        "This link is damaged: it is not valid base64 (character 17 is `!`)"
    );
    // Positions count from the start of what was pasted, `#` included.
    assert_eq!(
        error(from_url_fragment(&format!("#{fragment}"))).to_string(),
        "This link is damaged: it is not valid base64 (character 18 is `!`)"
    );
    // Standard base64's `+` and `/` are not base64url.
    assert!(error(from_url_fragment("s1.ab+d"))
        .to_string()
        .ends_with("(character 6 is `+`)"));
    assert!(error(from_url_fragment("s1.ab d"))
        .to_string()
        .ends_with("(character 6 is ' ')"));
    assert_eq!(
        error(from_url_fragment("s1.abcde")).to_string(),
        "This link is damaged: it is cut short (its base64 text has an impossible length)"
    );
}

#[test]
fn valid_base64_of_garbage_is_damaged() {
    let mut link = prefix();
    base64url_encode(b"this is not compressed at all", &mut link);
    let e = error(from_url_fragment(&link));
    assert!(matches!(e.kind, ShareErrorKind::Damaged(_)), "{e}");
}

#[test]
fn compressed_bytes_that_are_not_utf8_are_not_a_scenario() {
    let mut link = prefix();
    let json = b"{\"seed\":1,\"cursor\":0,\"title\":\"\xff\",\"steps\":[]}";
    base64url_encode(
        &miniz_oxide::deflate::compress_to_vec_zlib(json, 6),
        &mut link,
    );
    let e = error(from_url_fragment(&link));
    assert_eq!(
        e.to_string(),
        "This link is not a kafka-sim scenario: its JSON is not UTF-8 text"
    );
}

#[test]
fn compressed_json_of_the_wrong_shape_is_not_a_scenario() {
    let link = |json: &str| {
        let mut link = prefix();
        base64url_encode(
            &miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 6),
            &mut link,
        );
        link
    };
    let e = error(from_url_fragment(&link(r#"{"seed":1,"cursor":0}"#)));
    assert_eq!(
        e.to_string(),
        "This link is not a kafka-sim scenario: missing field `steps` at line 1 column 21"
    );
    let e = error(from_url_fragment(&link(
        r#"{"seed":1,"cursor":0,"steps":[3,{"cmd":"advance","ticks":2},{"cmd":"fly"}]}"#,
    )));
    assert!(
        e.to_string().starts_with(
            "This link is not a kafka-sim scenario: step 5 cannot be read: unknown variant `fly`"
        ),
        "{e}"
    );
    let e = error(from_url_fragment(&link("[1,2,3]")));
    assert!(matches!(e.kind, ShareErrorKind::NotAScenario(_)), "{e}");
    let e = error(from_url_fragment(&link(
        r#"{"seed":1,"cursor":4,"steps":[3]}"#,
    )));
    assert_eq!(
        e.to_string(),
        "This link is inconsistent: it is positioned after step 4 but has only 3 steps"
    );
}

#[test]
fn a_link_without_the_prefix_is_not_a_scenario() {
    for text in ["hello", "s.abc", "sx.abc", "S1.abc", "s1abc", "#/topics"] {
        let e = error(from_url_fragment(text));
        assert_eq!(
            e.to_string(),
            "This link is not a kafka-sim scenario: it does not start with `s1.`",
            "{text}"
        );
    }
    for text in ["", "#", "   ", "https://example.org/#"] {
        assert_eq!(error(from_url_fragment(text)).kind, ShareErrorKind::Empty);
    }
}

#[test]
fn newer_versions_are_refused_as_newer() {
    let e = error(from_url_fragment("s3.eJyrVgAAAP__"));
    assert_eq!(e.kind, ShareErrorKind::NewerVersion(3));
    assert!(e
        .to_string()
        .starts_with("This link was saved by a newer version (3) of kafka-sim"));
    let e = error(from_url_fragment("s99999999999999.x"));
    assert_eq!(e.kind, ShareErrorKind::NewerVersion(u32::MAX));

    // A newer file is refused as newer even if it has commands this build lacks.
    let file = r#"{ "version": 3, "seed": 1, "commands": [{ "cmd": "teleport" }] }"#;
    let e = error(from_json(file));
    assert_eq!(e.kind, ShareErrorKind::NewerVersion(3));
    assert!(e
        .to_string()
        .starts_with("This file was saved by a newer version (3) of kafka-sim"));
    let e = error(from_storage(file));
    assert!(e
        .to_string()
        .starts_with("The autosaved session was saved by a newer version (3)"));

    let mut s = Scenario::from_timeline(&Timeline::new(1), None);
    s.version = 3;
    assert_eq!(
        s.to_timeline().unwrap_err().kind,
        ShareErrorKind::NewerVersion(3)
    );
}

#[test]
fn json_of_the_wrong_shape_names_what_is_wrong() {
    let e = error(from_json("{\n  \"version\": 1,\n  \"commands\": []\n}"));
    assert_eq!(
        e.to_string(),
        "This file is not a kafka-sim scenario: missing field `seed` at line 4 column 1"
    );
    let e = error(from_json("{\n  \"version\": 1,\n  \"seed\": \"x\"\n}"));
    assert!(
        e.to_string().starts_with(
            "This file is not a kafka-sim scenario: invalid type: string \"x\", expected u64"
        ),
        "{e}"
    );
    let e = error(from_json("[1, 2]"));
    assert!(
        e.to_string().starts_with(
            "This file is not a kafka-sim scenario: invalid type: sequence, expected a \
             kafka-sim scenario"
        ),
        "{e}"
    );
    let e = error(from_json(
        r#"{"version":1,"seed":1,"commands":[{"cmd":"advance","ticks":1},{"cmd":"advance"}]}"#,
    ));
    assert!(
        e.to_string().starts_with(
            "This file is not a kafka-sim scenario: step 2 cannot be read: missing field `ticks`"
        ),
        "{e}"
    );
    // Run lengths belong to links only.
    let e = error(from_json(r#"{"version":1,"seed":1,"commands":[5]}"#));
    assert!(
        e.to_string()
            .contains("step 1 cannot be read: invalid type: integer `5`, expected a command"),
        "{e}"
    );
    let e = error(from_json(r#"{"version":0,"seed":1,"commands":[]}"#));
    assert!(matches!(e.kind, ShareErrorKind::NotAScenario(_)), "{e}");
}

#[test]
fn a_file_that_is_not_json_or_is_cut_short_says_so() {
    let e = error(from_json("version = 1"));
    assert_eq!(
        e.to_string(),
        "This file is not valid JSON: expected value at line 1 column 1"
    );
    let (_, s) = scenario(30, 30);
    let json = to_json(&s);
    let e = error(from_json(&json[..json.len() / 2]));
    assert!(
        e.to_string()
            .starts_with("This file is damaged: it ends too soon"),
        "{e}"
    );
    assert_eq!(error(from_json(" \n")).to_string(), "This file is empty");
}

#[test]
fn a_file_without_a_cursor_stands_at_the_end() {
    let s =
        from_json(r#"{"version":1,"seed":5,"commands":[{"cmd":"advance","ticks":4}]}"#).unwrap();
    assert_eq!(s.cursor, 1);
    assert_eq!(s.to_timeline().unwrap().state().tick, 4);
}

#[test]
fn absurd_counts_hit_the_limits() {
    let link = |json: &str| {
        let mut link = prefix();
        base64url_encode(
            &miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 6),
            &mut link,
        );
        link
    };
    // A run of 2^64 - 1 steps is refused without being expanded.
    let e = error(from_url_fragment(&link(&format!(
        r#"{{"seed":1,"cursor":0,"steps":[{}]}}"#,
        u64::MAX
    ))));
    assert_eq!(
        e.to_string(),
        "This link is too long: it has 18,446,744,073,709,551,615 steps and the limit \
         is 200,000"
    );
    // Two runs that add up to one more than the limit.
    let e = error(from_url_fragment(&link(
        r#"{"seed":1,"cursor":0,"steps":[199999,{"cmd":"advance","ticks":0},1]}"#,
    )));
    assert_eq!(e.kind, ShareErrorKind::TooManyCommands(200_001));
    // Exactly the limit is fine.
    let s = from_url_fragment(&link(
        r#"{"seed":1,"cursor":0,"steps":[199999,{"cmd":"advance","ticks":0}]}"#,
    ))
    .unwrap();
    assert_eq!(s.commands.len(), 200_000);
    // Too many ticks.
    let e = error(from_url_fragment(&link(
        r#"{"seed":1,"cursor":0,"steps":[{"cmd":"advance","ticks":4294967295},{"cmd":"advance","ticks":4294967295},{"cmd":"advance","ticks":4294967295}]}"#,
    )));
    assert_eq!(
        e.kind,
        ShareErrorKind::TooManyTicks(3 * u64::from(u32::MAX))
    );
    assert!(
        e.to_string()
            .ends_with("the limit is 10,000,000 (about 11.6 simulated days)"),
        "{e}"
    );
    let e = error(from_json(
        r#"{"version":1,"seed":1,"commands":[{"cmd":"advance","ticks":10000001}]}"#,
    ));
    assert_eq!(e.kind, ShareErrorKind::TooManyTicks(10_000_001));
    // A compression bomb: 40 MiB of spaces decompress past the limit.
    let bomb = vec![b' '; MAX_DECODED_BYTES + 8 * 1024 * 1024];
    let mut link = prefix();
    base64url_encode(
        &miniz_oxide::deflate::compress_to_vec_zlib(&bomb, 6),
        &mut link,
    );
    assert!(link.len() < 200_000);
    let e = error(from_url_fragment(&link));
    assert_eq!(e.kind, ShareErrorKind::TooLarge);
    assert_eq!(
        e.to_string(),
        "This link is too large: it holds more than 32 MiB of data, the limit"
    );
    // A scenario built in code is checked too.
    let mut s = Scenario::from_timeline(&Timeline::new(1), None);
    s.cursor = 2;
    assert!(matches!(
        s.to_timeline().unwrap_err().kind,
        ShareErrorKind::CursorOutOfRange { cursor: 2, len: 0 }
    ));
}

#[test]
fn base64url_round_trips_every_length() {
    for len in 0usize..70 {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
        let mut text = String::new();
        base64url_encode(&bytes, &mut text);
        assert_eq!(text.len(), (len * 4).div_ceil(3));
        assert_eq!(base64url_decode(&text, 0).unwrap(), bytes);
    }
    let mut text = String::new();
    base64url_encode(b"\xfb\xff\xfe", &mut text);
    assert_eq!(text, "-__-");
    assert_eq!(grouped(0), "0");
    assert_eq!(grouped(999), "999");
    assert_eq!(grouped(1_000), "1,000");
    assert_eq!(grouped(12_345_678), "12,345,678");
}

#[cfg(not(target_arch = "wasm32"))]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn decode_everything(text: &str) {
        // Whatever decodes must replay within the limits.
        for s in [from_json(text), from_url_fragment(text), from_storage(text)]
            .into_iter()
            .flatten()
        {
            assert!(s.check().is_ok());
        }
    }

    fn link_of(bytes: &[u8]) -> String {
        let mut link = prefix();
        base64url_encode(bytes, &mut link);
        link
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            decode_everything(&String::from_utf8_lossy(&bytes));
            decode_everything(&link_of(&bytes));
            let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 6);
            decode_everything(&link_of(&compressed));
        }

        #[test]
        fn random_strings_never_panic(text in "\\PC{0,200}") {
            decode_everything(&text);
            decode_everything(&format!("s1.{text}"));
            decode_everything(&format!("{{\"version\":1,{text}"));
        }

        #[test]
        fn random_base64url_never_panics(text in "[A-Za-z0-9_=-]{0,300}") {
            decode_everything(&format!("s1.{text}"));
        }

        #[test]
        fn random_json_fragments_never_panic(
            text in r#"(\{|\}|\[|\]|,|:|"cmd"|"advance"|"produce"|"ticks"|"seed"|"cursor"|"steps"|"version"|"commands"|[0-9]{1,20}|-1|null|"x")*"#
        ) {
            decode_everything(&text);
            let compressed = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 6);
            decode_everything(&link_of(&compressed));
        }

        #[test]
        fn mutated_links_never_panic(index in 0usize..10_000, byte in any::<u8>()) {
            let s = Scenario::from_timeline(&Timeline::from_commands(3, history(60)), None);
            let mut link = to_url_fragment(&s).into_bytes();
            let i = index % link.len();
            link[i] = byte;
            decode_everything(&String::from_utf8_lossy(&link));
        }
    }
}
