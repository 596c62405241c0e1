//! Share groups (KIP-932) in the diagram, drawn only when one exists: under a lane's cells,
//! per share group reading the partition, three rows — the share-partition start and end
//! offsets (SPSO, SPEO) as a bracket over the records in flight; each in-flight record's
//! state (available, acquired in its holder's colour with the whole seconds left on its
//! lock, acknowledged, archived); and its delivery count against the limit (`2/5`). In the
//! groups column a box per share group with its state and epoch and a box per share
//! consumer, and a link from each partition to every running share consumer it is shared with.

use std::collections::BTreeMap;

use yew::prelude::*;

use super::super::palette::{consumer_colour, short};
use super::super::state::Selection;
use super::{
    label_width, Layout, LinkView, CELL_GAP, CONSUMER_H, DENSE_CONSUMER_H, GROUP_GAP,
    GROUP_HEADER_H, GROUP_W, GROUP_X, TOPIC_W, TOPIC_X, TRACK_H,
};
use crate::engine::TopicPartition;
use crate::read::lane::LaneAxis;
use crate::read::scene::Scene;
use crate::read::share::ShareWindow;

/// The reader tracks one share group's rows take on a lane.
pub const SHARE_TRACKS: usize = 3;

/// The palette's colours in the order share consumers take them (the first started is 1):
/// the palette's second half first, so that beside a consumer group's first members, which
/// take it from the start, they look different.
const SHARE_COLOUR_ORDER: [usize; 12] = [7, 8, 9, 10, 11, 5, 6, 3, 1, 2, 4, 0];

/// A share consumer's colour, from its start order: it stays for the session.
pub fn share_colour(rank: u64) -> &'static str {
    let at = (rank.max(1) - 1) as usize % SHARE_COLOUR_ORDER.len();
    consumer_colour(SHARE_COLOUR_ORDER[at])
}

/// The reader tracks the share groups of a partition add to its lane.
pub fn extra_tracks(scene: &Scene, tp: &TopicPartition) -> usize {
    scene.share_windows.get(tp).map_or(0, Vec::len) * SHARE_TRACKS
}

/// Records in flight a lane asks to keep in view, per share group: more would only be
/// folded into gaps by the lane's axis anyway.
const INTERESTING_RECORDS: usize = 8;
/// A window of at most this many records is kept in view whole.
const WHOLE_WINDOW_RECORDS: i64 = 14;

/// The offsets a lane keeps in view for its share groups: each window's SPSO and SPEO, and
/// the first of its records still in flight (not yet acknowledged or archived) and the
/// first record of each member holding some.
pub fn interests(scene: &Scene, tp: &TopicPartition) -> Vec<i64> {
    scene
        .share_windows
        .get(tp)
        .into_iter()
        .flatten()
        .flat_map(|w| {
            let open = || {
                w.records
                    .iter()
                    .filter(|r| r.state == "ACQUIRED" || r.state == "AVAILABLE")
            };
            // The first record each holder has, so every member's colour shows.
            let mut holders: Vec<&str> = Vec::new();
            let per_holder = open().filter_map(move |r| {
                let holder = r.holder.as_deref()?;
                (!holders.contains(&holder)).then(|| {
                    holders.push(holder);
                    r.offset
                })
            });
            // A short window is kept whole, finished records included.
            let whole = match w.end_offset {
                Some(e) if e - w.start_offset < WHOLE_WINDOW_RECORDS => w.start_offset..e + 1,
                _ => 0..0,
            };
            [Some(w.start_offset), w.end_offset.map(|e| e + 1)]
                .into_iter()
                .flatten()
                .chain(whole)
                .chain(open().take(INTERESTING_RECORDS).map(|r| r.offset))
                .chain(per_holder)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// One in-flight record as a lane draws it.
#[derive(Clone, PartialEq)]
pub struct RecordChip {
    pub offset: i64,
    pub state: &'static str,
    pub holder: Option<String>,
    /// The holder's colour, when acquired.
    pub colour: Option<&'static str>,
    /// Whole seconds left on its lock (rounded up), when acquired.
    pub lock_seconds: Option<i64>,
    pub delivery_count: u32,
}

/// One share group's window on a lane.
#[derive(Clone, PartialEq)]
pub struct ShareLaneView {
    pub group: String,
    pub start_offset: i64,
    pub end_offset: Option<i64>,
    pub lag: i64,
    pub delivery_limit: u32,
    pub records: Vec<RecordChip>,
}

/// The share windows of a partition, with their holders' colours.
pub fn lane_views(scene: &Scene, tp: &TopicPartition) -> Vec<ShareLaneView> {
    let colour_of = share_colours(scene);
    scene
        .share_windows
        .get(tp)
        .into_iter()
        .flatten()
        .map(|w: &ShareWindow| ShareLaneView {
            group: w.group.clone(),
            start_offset: w.start_offset,
            end_offset: w.end_offset,
            lag: w.lag,
            delivery_limit: w.delivery_limit,
            records: w
                .records
                .iter()
                .map(|r| RecordChip {
                    offset: r.offset,
                    state: r.state,
                    colour: r.holder.as_ref().and_then(|h| colour_of.get(h)).copied(),
                    holder: r.holder.clone(),
                    lock_seconds: r.lock_left_ms.map(|ms| (ms + 999) / 1000),
                    delivery_count: r.delivery_count,
                })
                .collect(),
        })
        .collect()
}

/// Each share consumer's colour, by client id.
fn share_colours(scene: &Scene) -> BTreeMap<String, &'static str> {
    scene
        .share_groups
        .iter()
        .flat_map(|g| &g.members)
        .map(|m| (m.client_id.clone(), share_colour(m.rank)))
        .collect()
}

/// The rows of a lane's share groups, from the track `first_track` on.
pub fn lane_rows(
    views: &[ShareLaneView],
    tp: &TopicPartition,
    axis: &LaneAxis,
    cells_x: f64,
    lane_top: i64,
    tracks_top: i64,
) -> Html {
    let x_of = |offset: i64| cells_x + axis.x_of(offset);
    let left = cells_x;
    let right = (TOPIC_X + TOPIC_W - 6) as f64;
    let w = (axis.cell_w_px - CELL_GAP as f64).max(4.0);
    let rows = views.iter().enumerate().map(|(j, view)| {
        let top = lane_top + tracks_top + TRACK_H * (SHARE_TRACKS * j) as i64;
        let x_start = x_of(view.start_offset);
        let x_end = view.end_offset.map(|e| x_of(e + 1));
        // SPSO's label sits before its tick when there is room, else after it; SPEO's
        // after its tick, else before it; when the two would meet, one label says both.
        let spso = format!("{} SPSO {}", short(&view.group, 10), view.start_offset);
        let spso_w = label_width(&spso);
        let spso_x = if x_start - left >= spso_w + 4.0 {
            x_start - 4.0 - spso_w
        } else {
            x_start + 4.0
        };
        let mut labels = vec![(spso, spso_x, spso_w, "spso")];
        if let (Some(xe), Some(e)) = (x_end, view.end_offset) {
            let speo = format!("SPEO {e}");
            let speo_w = label_width(&speo);
            let speo_x = if right - xe >= speo_w + 4.0 {
                xe + 4.0
            } else {
                xe - 4.0 - speo_w
            };
            let (first, first_x, first_w, _) = &labels[0];
            let overlaps = speo_x < first_x + first_w + 6.0 && first_x < &(speo_x + speo_w + 6.0);
            if overlaps {
                let both = format!("{first} · SPEO {e}");
                let both_w = label_width(&both);
                labels = vec![(both, first_x.min(right - both_w).max(left), both_w, "spso")];
            } else {
                labels.push((speo, speo_x, speo_w, "speo"));
            }
        }
        let labels = labels.into_iter().map(|(text, x, width, kind)| html! {
            <g class={classes!("label-pos", "share-label", kind)} transform={format!("translate({x:.1},{})", top + 14)}>
                <rect class="label-bg" x="-3" y="-11" width={format!("{:.1}", width + 6.0)} height="14" rx="3" />
                <text class="marker-label" textLength={format!("{width:.1}")} lengthAdjust="spacingAndGlyphs">{text}</text>
            </g>
        });
        let bracket = x_end.map(|xe| html! {
            <path class="share-bracket" d={format!("M {x_start:.1} {} L {x_start:.1} {} L {xe:.1} {} L {xe:.1} {}", top + 16, top + 6, top + 6, top + 16)} />
        });
        let chip_top = top + TRACK_H;
        let chips = view.records.iter().filter(|r| axis.shows_cell(r.offset)).map(|r| {
            let x = x_of(r.offset) + CELL_GAP as f64 / 2.0;
            let (class, text) = match r.state {
                "ACQUIRED" => ("acquired", format!("{}s", r.lock_seconds.unwrap_or(0))),
                "ACKNOWLEDGED" => ("acknowledged", "✓".to_string()),
                "ARCHIVED" => ("archived", "✗".to_string()),
                _ => ("available", "free".to_string()),
            };
            let style = r.colour.map(|c| format!("fill:{c};stroke:{c}")).unwrap_or_default();
            let title = match (&r.holder, r.lock_seconds) {
                (Some(h), Some(s)) => format!("{tp} offset {}: ACQUIRED by {h}, its lock expires in {s} s; delivery {} of at most {}", r.offset, r.delivery_count, view.delivery_limit),
                _ => format!("{tp} offset {}: {}; delivered {} time(s) of at most {}", r.offset, r.state, r.delivery_count, view.delivery_limit),
            };
            let last_try = r.delivery_count >= view.delivery_limit;
            html! {
                <g key={format!("chip-{}", r.offset)} class={classes!("share-record", class)} data-offset={r.offset.to_string()} data-state={r.state}
                   data-holder={r.holder.clone()} data-lock-seconds={r.lock_seconds.map(|s| s.to_string())} data-deliveries={r.delivery_count.to_string()}
                   transform={format!("translate({x:.1},{chip_top})")}>
                    <title>{title}</title>
                    <rect width={format!("{w:.1}")} height="17" rx="4" {style} />
                    <text x={format!("{:.1}", w / 2.0)} y="13" class="share-state">{text}</text>
                    if r.delivery_count > 0 {
                        <text x={format!("{:.1}", w / 2.0)} y="32" class={classes!("share-count", last_try.then_some("last-try"))}>{format!("{}/{}", r.delivery_count, view.delivery_limit)}</text>
                    }
                </g>
            }
        });
        html! {
            <g key={format!("share-{}", view.group)} class="share-window" data-share-group={view.group.clone()} data-spso={view.start_offset.to_string()}
               data-speo={view.end_offset.map(|e| e.to_string())} data-lag={view.lag.to_string()}>
                <line class="share-tick" x1={format!("{x_start:.1}")} x2={format!("{x_start:.1}")} y1={(top + 2).to_string()} y2={(top + TRACK_H * 3 - 4).to_string()} />
                if let Some(xe) = x_end {
                    <line class="share-tick" x1={format!("{xe:.1}")} x2={format!("{xe:.1}")} y1={(top + 2).to_string()} y2={(top + TRACK_H * 3 - 4).to_string()} />
                }
                { for bracket }
                <g class="share-chips">{ for chips }</g>
                <g class="share-labels">{ for labels }</g>
            </g>
        }
    });
    html! { <g class="share-windows">{ for rows }</g> }
}

/// Where the share groups sit in the groups column: each group's top and height, and each
/// share consumer's box (its top-left corner).
#[derive(Default)]
pub struct ShareLayout {
    pub group_box: BTreeMap<String, (i64, i64)>,
    pub consumer_box: BTreeMap<String, (i64, i64)>,
    pub consumer_h: i64,
}

/// Lays the share groups out below the consumer groups, from `y`; returns the bottom.
pub fn layout_groups(scene: &Scene, mut y: i64, dense: bool, out: &mut ShareLayout) -> i64 {
    let consumer_h = if dense { DENSE_CONSUMER_H } else { CONSUMER_H };
    out.consumer_h = consumer_h;
    for g in &scene.share_groups {
        let top = y;
        y += GROUP_HEADER_H;
        for m in &g.members {
            out.consumer_box
                .insert(m.client_id.clone(), (GROUP_X + 10, y));
            y += consumer_h;
        }
        out.group_box.insert(g.group.clone(), (top, y - top));
        y += GROUP_GAP;
    }
    y
}

/// A link from each partition to every running share consumer it is shared with.
pub fn links(scene: &Scene, layout: &Layout) -> Vec<LinkView> {
    let share = &layout.share;
    scene
        .share_groups
        .iter()
        .flat_map(|g| &g.members)
        .filter(|m| m.running)
        .flat_map(|m| {
            let anchor = share
                .consumer_box
                .get(&m.client_id)
                .map(|&(x, y)| (x, y + (share.consumer_h - 6) / 2));
            m.assignment.iter().filter_map(move |tp| {
                Some(LinkView {
                    client: m.client_id.clone(),
                    tp: tp.clone(),
                    from: (TOPIC_X + TOPIC_W, *layout.anchor_y.get(tp)?),
                    to: anchor?,
                    colour: share_colour(m.rank),
                    thin: layout.compact,
                    lit: false,
                })
            })
        })
        .collect()
}

/// The share groups' boxes in the groups column.
pub fn group_boxes(
    scene: &Scene,
    layout: &Layout,
    selection: Option<&Selection>,
    onselect: &Callback<Option<Selection>>,
) -> Html {
    let share = &layout.share;
    let consumer_h = share.consumer_h;
    let groups = scene.share_groups.iter().filter_map(|g| {
        let &(top, height) = share.group_box.get(&g.group)?;
        let members = g.members.iter().filter_map(|m| {
            let &(x, y) = share.consumer_box.get(&m.client_id)?;
            let colour = share_colour(m.rank);
            let dead = !m.running;
            let line = m.line.clone();
            // One line beside the name: a crashed member keeps its countdown in view.
            let brief = match m.removed_in_seconds {
                Some(s) if m.crashed => format!("crashed · {s} s"),
                _ => line.clone(),
            };
            let me = Selection::ShareConsumer(m.client_id.clone());
            let selected = selection == Some(&me);
            let onclick = super::select_click(onselect, me.clone());
            let onkeydown = super::select_key(onselect, me);
            Some(html! {
                <g key={format!("share-consumer-{}", m.client_id)} class={classes!("consumer", "share-consumer", dead.then_some("dead"), m.crashed.then_some("crashed"), selected.then_some("selected"))}
                   data-share-consumer={m.client_id.clone()} data-status={line.clone()} data-acquired={m.acquired.to_string()}
                   transform={format!("translate({x},{y})")}
                   tabindex="0" role="button" aria-label={format!("Share consumer {}: {line}", m.client_id)} {onclick} {onkeydown}>
                    <title>{format!("Share consumer {}: {line}; {} record(s) processed", m.client_id, m.processed)}</title>
                    <rect width={(GROUP_W - 20).to_string()} height={(consumer_h - 6).to_string()} rx="8" style={format!("--c:{colour}")} />
                    <circle cx="16" cy={((consumer_h - 6) / 2).to_string()} r="7" style={format!("fill:{colour}")} />
                    if consumer_h == DENSE_CONSUMER_H {
                        <text x="30" y="17" class="name">{short(&m.client_id, 12)}{" "}</text>
                        <text x={(GROUP_W - 30).to_string()} y="17" text-anchor="end" class="meta">{short(&brief, 16)}</text>
                    } else {
                        <text x="30" y="16" class="name">{short(&m.client_id, 16)}{" "}</text>
                        <text x="30" y="32" class="meta">{short(&line, 30)}</text>
                    }
                </g>
            })
        });
        Some(html! {
            <g key={format!("share-group-{}", g.group)} class="group share-group" data-share-group={g.group.clone()} data-state={g.state}>
                <rect class="group-bg" x={GROUP_X.to_string()} y={top.to_string()} width={GROUP_W.to_string()} height={(height + 8).to_string()} rx="12" />
                <text x={(GROUP_X + 14).to_string()} y={(top + 22).to_string()} class="group-name">{short(&g.group, 16)}</text>
                <text x={(GROUP_X + GROUP_W - 12).to_string()} y={(top + 22).to_string()} text-anchor="end" class="group-meta">{format!("share · epoch {}", g.group_epoch)}</text>
                <text x={(GROUP_X + 14).to_string()} y={(top + 41).to_string()} class="group-meta">
                    <tspan class={classes!("state-badge", g.state)}>{g.state}</tspan>{" · colour = holder, 12s = lock"}
                </text>
                <g class="members">{ for members }</g>
            </g>
        })
    });
    html! { <g class="share-groups">{ for groups }</g> }
}
