//! No console line panics: random lines, and valid lines with random edits, run against a
//! console that already has topics, groups and a running consumer.

use proptest::prelude::*;

use kafka_sim::console::Console;

const CORPUS: [&str; 25] = [
    "kafka-topics --create --topic orders --partitions 3",
    "kafka-topics --describe --topic orders",
    "kafka-topics --alter --topic orders --partitions 5",
    "kafka-topics --delete --topic orders",
    "kafka-configs --alter --entity-type topics --entity-name orders --add-config retention.ms=1000",
    "kafka-configs --describe --entity-type topics --entity-name orders --all",
    "kafka-console-producer --topic orders --property parse.key=true --property key.separator=:",
    "a:b",
    "",
    "^D",
    "kafka-console-consumer --topic orders --from-beginning --max-messages 3 --property print.key=true",
    "kafka-console-consumer --topic orders --partition 1 --offset 2 --max-messages 1",
    "kafka-console-consumer --topic orders --group g",
    "kafka-consumer-groups --describe --group g --members --verbose",
    "kafka-consumer-groups --list --state",
    "kafka-consumer-groups --reset-offsets --group g --all-topics --shift-by -2 --execute",
    "kafka-consumer-groups --reset-offsets --group g --topic orders:0 --to-datetime 2024-01-01T00:00:00.000 --dry-run",
    "kafka-consumer-groups --delete --group g",
    "kafka-get-offsets --topic orders --partitions 0-2 --time -2",
    "consumer start c1 --group g --topic orders --config max.poll.records=2",
    "consumer seek c1 --partition orders:0 --to-offset 1",
    "producer stream p1 --topic orders --rate 0.5 --keys 3",
    "produce orders 'a b' --key k --partition 1",
    "clock advance 3s",
    "step back 3",
];

fn prepared() -> Console {
    let mut console = Console::new(3);
    console.run_script(
        "kafka-topics --create --topic orders --partitions 3\n\
         consumer start c0 --group g --topic orders\n\
         producer add p1\n\
         produce orders x y z\n\
         clock advance 4s\n",
    );
    console
}

fn mutate(line: &str, position: usize, insert: &str, cut: usize) -> String {
    let chars: Vec<char> = line.chars().collect();
    let at = position % (chars.len() + 1);
    let end = (at + cut).min(chars.len());
    let mut out: String = chars[..at].iter().collect();
    out.push_str(insert);
    out.extend(&chars[end..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_lines_never_panic(lines in prop::collection::vec(".{0,60}", 1..8)) {
        let mut console = prepared();
        for line in &lines {
            let _ = console.run_line(line);
            let _ = console.complete(line);
        }
    }

    #[test]
    fn mutated_valid_lines_never_panic(
        edits in prop::collection::vec(
            (0..CORPUS.len(), any::<usize>(), "[-= '\"\\\\:,a-z0-9]{0,6}", 0usize..8),
            1..12,
        )
    ) {
        let mut console = prepared();
        for (index, position, insert, cut) in edits {
            let line = mutate(CORPUS[index], position, &insert, cut);
            // `^D` stands for Ctrl-D, as in scripts: it closes an open console producer.
            let _ = if line == "^D" { console.end_input() } else { console.run_line(&line) };
            let _ = console.complete(&line);
        }
    }
}
