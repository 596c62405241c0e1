//! The groups column: a box per consumer group (its name, state, generation, protocol and
//! lag) holding a box per member, or in an overview a compact header and chips. Both are
//! components with plain-value props, so a group or a consumer that did not change is not
//! drawn again.

use yew::prelude::*;

use super::super::palette::short;
use super::super::state::Selection;
use super::{select_click, select_key, CHIP_H, CONSUMER_H, DENSE_CONSUMER_H, GROUP_W, GROUP_X};
use crate::engine::GroupState;
use crate::read::{Membership, ProcessState, ReaderStatus, RebalanceProtocol};

/// A consumer's line in its group box.
pub fn status_line(status: &ReaderStatus) -> String {
    match (&status.process, &status.membership) {
        (ProcessState::Paused, _) => "paused".into(),
        (ProcessState::Running, Membership::Joining) => "joining…".into(),
        (ProcessState::Running, Membership::Syncing) => "syncing…".into(),
        (ProcessState::Running, Membership::Idle) => "idle".into(),
        (ProcessState::Running, _) => status
            .owned
            .iter()
            .map(|tp| {
                if tp.topic.len() > 8 {
                    format!("P{}", tp.partition)
                } else {
                    tp.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        (ProcessState::Crashed, _) => match status.session_expires_in_seconds() {
            Some(s) => format!("crashed · removed in {s} s"),
            None => "crashed".into(),
        },
        (ProcessState::Failed(_), _) => "failed".into(),
        (ProcessState::Stopped, _) => "stopped".into(),
    }
}

/// One consumer as its box (or chip) draws it.
#[derive(Clone, PartialEq)]
pub struct ConsumerView {
    pub client: String,
    /// The box's top-left corner and width.
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub colour: &'static str,
    /// Its line: what it owns, or what it is doing.
    pub status: String,
    pub dead: bool,
    pub idle: bool,
    pub paused: bool,
    pub selected: bool,
    pub highlighted: bool,
    /// The partitions it owns, as `data-owned` lists them.
    pub owned: String,
    /// A consumer-protocol member's epoch and reconciliation.
    pub modern: Option<super::reconcile::MemberLine>,
}

#[derive(Properties, PartialEq)]
pub struct ConsumerBoxProps {
    pub view: ConsumerView,
    /// A chip of an overview rather than a full box.
    pub compact: bool,
    /// One line: the name with the status beside it (many consumers).
    #[prop_or_default]
    pub dense: bool,
    pub onselect: Callback<Option<Selection>>,
}

#[function_component(ConsumerBox)]
pub fn consumer_box(props: &ConsumerBoxProps) -> Html {
    let ConsumerView {
        client,
        x,
        y,
        width: chip_w,
        colour,
        status,
        dead,
        idle,
        paused,
        selected,
        highlighted,
        owned,
        modern,
    } = &props.view;
    let onclick = select_click(&props.onselect, Selection::Consumer(client.clone()));
    let onkeydown = select_key(&props.onselect, Selection::Consumer(client.clone()));
    let class = classes!(
        "consumer",
        props.compact.then_some("chip"),
        highlighted.then_some("highlight"),
        dead.then_some("dead"),
        idle.then_some("idle"),
        paused.then_some("paused"),
        selected.then_some("selected")
    );
    if props.compact {
        // In an overview a consumer is a chip with its name; its status is its tooltip
        // and its accessible name, and the inspector shows the rest.
        return html! {
            <g {class} data-consumer={client.clone()} data-status={status.clone()} data-owned={owned.clone()}
               transform={format!("translate({x},{y})")} {onclick}
               tabindex="0" role="button" aria-label={format!("{}: consumer {client}, {status}", short(client, 9))} {onkeydown}>
                <title>{format!("Consumer {client}: {status}")}</title>
                <rect width={chip_w.to_string()} height={CHIP_H.to_string()} rx="5" style={format!("--c:{colour}")} />
                <circle cx="9" cy={(CHIP_H / 2).to_string()} r="5" style={format!("fill:{colour}")} />
                <text x="18" y="13" class="name">{short(client, 9)}</text>
            </g>
        };
    }
    let consumer_h = if props.dense {
        DENSE_CONSUMER_H
    } else {
        CONSUMER_H
    };
    let (name_max, status_max) = if props.dense { (14, 14) } else { (16, 30) };
    if let Some(line) = modern {
        return super::reconcile::modern_member_box(
            &props.view,
            line,
            class,
            onclick,
            onkeydown,
            props.dense,
            consumer_h,
        );
    }
    html! {
        <g {class} data-consumer={client.clone()} data-status={status.clone()} data-owned={owned.clone()}
           transform={format!("translate({x},{y})")} {onclick}
           tabindex="0" role="button" aria-label={format!("{} {}: consumer {client}, {status}", short(client, name_max), short(status, status_max))} {onkeydown}>
            <title>{format!("Consumer {client}: {status}")}</title>
            <rect width={(GROUP_W - 20).to_string()} height={(consumer_h - 6).to_string()} rx="8" style={format!("--c:{colour}")} />
            <circle cx="16" cy={((consumer_h - 6) / 2).to_string()} r="7" style={format!("fill:{colour}")} />
            if props.dense {
                // One line: the name, and the status right-aligned beside it.
                <text x="30" y="17" class="name">{short(client, name_max)}{" "}</text>
                <text x={(GROUP_W - 30).to_string()} y="17" text-anchor="end" class="meta">{short(status, status_max)}</text>
            } else {
                <text x="30" y="16" class="name">{short(client, name_max)}{" "}</text>
                <text x="30" y="32" class="meta">{short(status, status_max)}</text>
            }
        </g>
    }
}

/// One row of the groups column: a group, or the standalone readers (`id` empty).
#[derive(Clone, PartialEq)]
pub struct GroupView {
    pub id: String,
    /// The box's top and height.
    pub top: i64,
    pub height: i64,
    /// `None` for the standalone readers.
    pub state: Option<GroupState>,
    pub generation: Option<i32>,
    /// The LAG column of `kafka-consumer-groups --describe`, summed; `-` before any commit.
    pub lag: String,
    pub rebalancing: bool,
    /// The protocol of a rebalance in progress.
    pub moving: Option<RebalanceProtocol>,
    /// The protocol's name once the group has one.
    pub protocol: Option<&'static str>,
    pub selected: bool,
    pub highlighted: bool,
    pub members: Vec<ConsumerView>,
    /// A consumer-protocol group's group epoch, target assignment epoch and state.
    pub modern: Option<(i32, i32, &'static str)>,
    /// With a cluster of brokers: the group's coordinator (`None`: none available) and
    /// whether it moved recently.
    pub coordinator: Option<(Option<crate::engine::replication::BrokerId>, bool)>,
}

#[derive(Properties, PartialEq)]
pub struct GroupBoxProps {
    pub view: GroupView,
    pub compact: bool,
    /// Consumers drawn one line each.
    #[prop_or_default]
    pub dense: bool,
    pub onselect: Callback<Option<Selection>>,
}

#[function_component(GroupBox)]
pub fn group_box(props: &GroupBoxProps) -> Html {
    let GroupView {
        id: group_id,
        top: header_y,
        height,
        state,
        generation,
        lag,
        rebalancing,
        moving,
        protocol,
        selected,
        highlighted,
        members,
        modern,
        coordinator,
    } = &props.view;
    let (header_y, height, rebalancing) = (*header_y, *height, *rebalancing);
    let compact = props.compact;
    let title = if group_id.is_empty() {
        "standalone readers".to_string()
    } else {
        group_id.clone()
    };
    let state_class = match modern {
        Some((_, _, modern_state)) => modern_state.to_string(),
        None => state
            .map(|s| s.name().to_string())
            .unwrap_or_else(|| "Standalone".into()),
    };
    let is_group = state.is_some();
    let onclick = select_click(&props.onselect, Selection::Group(group_id.clone()));
    let onkeydown = select_key(&props.onselect, Selection::Group(group_id.clone()));
    let rows = members.iter().map(|view| {
        html! { <ConsumerBox key={format!("consumer-{}", view.client)} view={view.clone()} {compact} dense={props.dense} onselect={props.onselect.clone()} /> }
    });
    if compact {
        let state_word = match state {
            Some(GroupState::PreparingRebalance) => "⟳ joining",
            Some(GroupState::CompletingRebalance) => "⟳ syncing",
            Some(s) => s.name(),
            None => "assign()",
        };
        let meta = if is_group {
            format!("{state_word} · lag {lag}")
        } else {
            state_word.to_string()
        };
        return html! {
            <g class={classes!("group", "compact", selected.then_some("selected"), highlighted.then_some("highlight"))} data-group={group_id.clone()} data-state={state_class.clone()}
               {onclick}
               data-generation={generation.map(|g| g.to_string()).unwrap_or_default()}>
                <rect class="group-bg" x={GROUP_X.to_string()} y={header_y.to_string()} width={GROUP_W.to_string()} height={(height + 3).to_string()} rx="8"
                      tabindex="0" role="button" aria-label={format!("Group {title}: {state_class}")} {onkeydown} />
                <title>{format!("Group {title}: {state_class}, generation {}, lag {lag}", generation.unwrap_or(0))}</title>
                <text x={(GROUP_X + 10).to_string()} y={(header_y + 15).to_string()} class="group-name">{short(&title, 12)}</text>
                <text x={(GROUP_X + GROUP_W - 8).to_string()} y={(header_y + 15).to_string()} text-anchor="end" class={classes!("group-meta", rebalancing.then_some("rebalancing"))}>{meta}</text>
                <g class="members">{ for rows }</g>
            </g>
        };
    }
    let subtitle = match (is_group, protocol) {
        (true, _) if modern.is_some() => modern
            .map(|(_, target, _)| format!(" · target epoch {target}"))
            .unwrap_or_default(),
        (true, _) if rebalancing => String::new(),
        (true, protocol) => protocol.map(|p| format!(" · {p}")).unwrap_or_default(),
        (false, _) => " · assign(), no rebalancing".into(),
    };
    // While it rebalances, the protocol says what moves: eager revokes every partition,
    // cooperative only those that change hands.
    let generation_text = generation
        .map(|g| match moving {
            _ if modern.is_some() => modern
                .map(|(epoch, _, _)| format!("group epoch {epoch}"))
                .unwrap_or_default(),
            Some(RebalanceProtocol::Cooperative) => format!("cooperative · gen {g}"),
            Some(RebalanceProtocol::Eager) => format!("eager · gen {g}"),
            None => format!("gen {g} · lag {lag}"),
        })
        .unwrap_or_default();
    html! {
        <g class={classes!("group", selected.then_some("selected"), highlighted.then_some("highlight"))} data-group={group_id.clone()} data-state={state_class.clone()}
           {onclick}
           data-generation={generation.map(|g| g.to_string()).unwrap_or_default()}>
            // The focusable control is the group's box, not the whole group: the group
            // holds its consumers, which are controls of their own (none nested in another).
            <rect class="group-bg" x={GROUP_X.to_string()} y={header_y.to_string()} width={GROUP_W.to_string()} height={(height + 8).to_string()} rx="12"
                  tabindex="0" role="button" aria-label={format!("Group {title}: {state_class}")} {onkeydown} />
            <text x={(GROUP_X + 14).to_string()} y={(header_y + 22).to_string()} class="group-name">{short(&title, if rebalancing { 11 } else { 20 })}</text>
            <text x={(GROUP_X + GROUP_W - 12).to_string()} y={(header_y + 22).to_string()} text-anchor="end" class="group-meta">{generation_text}</text>
            <text x={(GROUP_X + 14).to_string()} y={(header_y + 41).to_string()} class="group-meta">
                <tspan class={classes!("state-badge", state_class.clone())}>{state_class.clone()}</tspan>{subtitle}
                if let Some((broker, moved)) = coordinator.filter(|_| is_group) {
                    <tspan class={classes!("coordinator", moved.then_some("moved"), broker.is_none().then_some("none"))} data-coordinator={broker.map(|b| b.to_string()).unwrap_or_default()}>
                        // A rebalancing state's long name leaves room for the broker alone.
                        { match (broker, rebalancing) {
                            (Some(b), false) => format!(" · coord B{b}"),
                            (Some(b), true) => format!(" · B{b}"),
                            (None, false) => " · no coord".to_string(),
                            (None, true) => " · ✗".to_string(),
                        } }
                    </tspan>
                }
            </text>
            <g class="members">{ for rows }</g>
        </g>
    }
}
