//! The consumer protocol (KIP-848) drawn: inside a member's box its epoch (and the target
//! epoch it is moving to) and its partitions as chips, solid for what it reads, "↩" for what
//! it must still release, dashed for its target that waits for another member to release
//! it; and, when groups of different protocols read one topic, a panel that compares what
//! the last change cost each: partition-seconds without a reader (`read::reconcile`).

use yew::prelude::*;

use crate::read::reconcile::{ModernMemberFacts, ProtocolCost};

/// A chip's width for its label at the member line's font size.
fn chip_width(label: &str) -> i64 {
    10 + 8 * label.chars().count() as i64
}

/// What one member line holds, as plain values.
#[derive(Clone, PartialEq)]
pub struct MemberLine {
    pub member: ModernMemberFacts,
    pub target_epoch: i32,
    pub colour: &'static str,
}

/// The member's epoch for its box's first line: `epoch 5`, or `epoch 5 → 6` while it has
/// not reached the target's.
pub fn epoch_text(line: &MemberLine) -> String {
    let epoch = line.member.epoch;
    if epoch < line.target_epoch {
        format!("epoch {epoch} → {}", line.target_epoch)
    } else {
        format!("epoch {epoch}")
    }
}

/// The member's second line: a chip per partition, then what it waits for.
pub fn member_line(line: &MemberLine, x: i64, y: i64, width: i64) -> Html {
    let colour = line.colour;
    let m = &line.member;
    let mut chips = Vec::new();
    let mut cx = x;
    for tp in &m.owned {
        chips.push((format!("P{}", tp.partition), "owned", tp.to_string()));
    }
    for tp in &m.revoking {
        chips.push((format!("P{}↩", tp.partition), "revoking", tp.to_string()));
    }
    for (tp, _) in &m.waiting {
        chips.push((format!("P{}", tp.partition), "waiting", tp.to_string()));
    }
    // Too many for the line: the chips drop their "P"; still too many, the line says how many.
    let total = |chips: &[(String, &str, String)]| {
        chips.iter().map(|(l, _, _)| chip_width(l) + 4).sum::<i64>()
    };
    let note_room = if m.reconciling() { 70 } else { 0 };
    if total(&chips) + note_room > width {
        for chip in &mut chips {
            chip.0 = chip.0.trim_start_matches('P').to_string();
        }
    }
    if total(&chips) + note_room > width {
        let summary = format!(
            "owns {} · revoking {} · waiting {}",
            m.owned.len(),
            m.revoking.len(),
            m.waiting.len()
        );
        return html! { <text x={x.to_string()} y={y.to_string()} class="note848">{summary}</text> };
    }
    let drawn: Vec<Html> = chips.into_iter().map(|(label, kind, tp)| {
        let w = chip_width(&label);
        let at = cx;
        cx += w + 4;
        let style = match kind {
            "owned" => format!("fill:{colour};stroke:{colour}"),
            "revoking" => format!("fill:var(--panel);stroke:{colour}"),
            _ => "fill:none;stroke:var(--muted)".to_string(),
        };
        html! {
            <g class={classes!("chip848", kind)} data-partition={tp.clone()} data-kind={kind}>
                <title>{match kind {
                    "owned" => format!("{tp}: owned and read"),
                    "revoking" => format!("{tp}: revoking, to be released before its new owner gets it"),
                    _ => format!("{tp}: in its target, waiting to be released"),
                }}</title>
                <rect x={at.to_string()} y={(y - 13).to_string()} width={w.to_string()} height="17" rx="4" {style} />
                <text x={(at + w / 2).to_string()} y={y.to_string()} text-anchor="middle" class="chip848-label">{label}</text>
            </g>
        }
    }).collect();
    let holders: Vec<&str> = m.waiting.iter().filter_map(|(_, h)| h.as_deref()).collect();
    let note = if !m.revoking.is_empty() {
        "revoking".to_string()
    } else if let Some(first) = holders.first() {
        format!("waits for {first}")
    } else if !m.waiting.is_empty() {
        "released · next heartbeat".to_string()
    } else {
        String::new()
    };
    let note_x = (cx + 2).min(x + width);
    html! {
        <g class="member848">
            <>{ for drawn }</>
            if !note.is_empty() {
                <text x={note_x.to_string()} y={y.to_string()} class="note848">{note}</text>
            }
        </g>
    }
}

/// The height of the comparison panel for `rows` groups.
pub fn comparison_height(rows: usize) -> i64 {
    if rows == 0 {
        0
    } else {
        44 + 50 * rows as i64 + 34
    }
}

#[derive(Properties, PartialEq)]
pub struct ComparisonProps {
    pub costs: Vec<ProtocolCost>,
    pub x: i64,
    pub y: i64,
    pub width: i64,
}

/// What the last change cost each protocol, as a bar and a number per group.
#[function_component(Comparison)]
pub fn comparison(props: &ComparisonProps) -> Html {
    let (x, y, width) = (props.x, props.y, props.width);
    let most = props
        .costs
        .iter()
        .map(|c| c.unowned_partition_ticks)
        .max()
        .unwrap_or(0)
        .max(1);
    let rows = props.costs.iter().enumerate().map(|(i, cost)| {
        let top = y + 44 + 50 * i as i64;
        let bar = (cost.unowned_partition_ticks.saturating_mul((width - 4) as u64) / most) as i64;
        html! {
            <g key={cost.group.clone()} class={classes!("cost848", cost.counting.then_some("counting"))}
               data-group={cost.group.clone()} data-protocol={cost.protocol.label()}
               data-partition-seconds={cost.partition_seconds_text()}>
                <text x={x.to_string()} y={(top + 14).to_string()} class="cost848-protocol">{cost.protocol.label()}</text>
                <rect x={x.to_string()} y={(top + 20).to_string()} width={(width - 4).to_string()} height="8" rx="3" class="cost848-track" />
                <rect x={x.to_string()} y={(top + 20).to_string()} width={bar.max(0).to_string()} height="8" rx="3" class="cost848-bar" />
                <text x={x.to_string()} y={(top + 45).to_string()} class="cost848-value">
                    {cost.partition_seconds_text()}
                    <tspan class="cost848-unit">{" partition·s"}</tspan>
                </text>
            </g>
        }
    });
    let legend_y = y + 44 + 50 * props.costs.len() as i64 + 18;
    html! {
        <g class="comparison848" aria-label="Partition-seconds without a reader since each group's last join">
            <text x={x.to_string()} y={(y + 14).to_string()} class="column-title">{"Without a reader"}</text>
            <text x={x.to_string()} y={(y + 32).to_string()} class="cost848-caption">{"since the last join"}</text>
            <>{ for rows }</>
            <text x={x.to_string()} y={legend_y.to_string()} class="cost848-caption">{"partitions × seconds"}</text>
        </g>
    }
}

/// A consumer-protocol member's box: its name and epoch, then its partitions as chips (one
/// line when consumers are drawn dense).
pub fn modern_member_box(
    view: &super::groups::ConsumerView,
    line: &MemberLine,
    class: Classes,
    onclick: Callback<MouseEvent>,
    onkeydown: Callback<KeyboardEvent>,
    dense: bool,
    consumer_h: i64,
) -> Html {
    use super::super::palette::short;
    let (client, colour, status) = (&view.client, view.colour, &view.status);
    let (x, y) = (view.x, view.y);
    let box_w = super::GROUP_W - 20;
    let epoch = epoch_text(line);
    let m = &line.member;
    let list = |ps: &mut dyn Iterator<Item = String>| ps.collect::<Vec<_>>().join(",");
    let revoking = list(&mut m.revoking.iter().map(ToString::to_string));
    let waiting = list(&mut m.waiting.iter().map(|(tp, _)| tp.to_string()));
    let protocol = if m.classic {
        "classic protocol in a consumer group"
    } else {
        "consumer protocol"
    };
    let label = format!(
        "{} {epoch}: consumer {client}{}, {status}{}{}",
        short(client, 14),
        if m.classic { " (classic member)" } else { "" },
        if revoking.is_empty() {
            String::new()
        } else {
            format!(", revoking {revoking}")
        },
        if waiting.is_empty() {
            String::new()
        } else {
            format!(", waiting for {waiting}")
        }
    );
    let (chips_x, chips_y) = if dense { (96, 20) } else { (30, 35) };
    html! {
        <g {class} data-consumer={client.clone()} data-status={status.clone()} data-owned={view.owned.clone()}
           data-protocol={if m.classic { "classic" } else { "consumer" }}
           data-epoch={m.epoch.to_string()} data-revoking={revoking} data-waiting={waiting}
           transform={format!("translate({x},{y})")} {onclick}
           tabindex="0" role="button" aria-label={label} {onkeydown}>
            <title>{format!("Consumer {client} ({protocol}): member {epoch}, {}", m.state.name())}</title>
            <rect width={box_w.to_string()} height={(consumer_h - 6).to_string()} rx="8" style={format!("--c:{colour}")} />
            <circle cx="16" cy={((consumer_h - 6) / 2).to_string()} r="7" style={format!("fill:{colour}")} />
            <text x="30" y={if dense { "20" } else { "16" }} class="name">{short(client, if dense { 8 } else { 14 })}{" "}</text>
            if !dense {
                <text x={(box_w - 10).to_string()} y="16" text-anchor="end" class="epoch848">{if m.classic { format!("classic · {epoch}") } else { epoch.clone() }}</text>
            }
            { member_line(line, chips_x, chips_y, box_w - chips_x - 8) }
        </g>
    }
}
