//! Pictures a lesson step shows above the diagram, for ideas the simulator does not model
//! itself (the lesson's `illustration` field). Each is a small SVG animated by CSS only
//! (`static/style.css`, `.illustration`); with reduced motion it stands still in a state
//! that still tells the story.

use yew::prelude::*;

use crate::lessons::Illustration;

#[derive(Properties, PartialEq)]
pub struct IllustrationProps {
    pub kind: Illustration,
}

/// The picture named by a lesson step.
#[function_component(IllustrationPicture)]
pub fn illustration_picture(props: &IllustrationProps) -> Html {
    match props.kind {
        Illustration::OldWay => old_way(),
    }
}

/// The width of one log cell in the right-hand picture, gap included.
const CELL_STEP: i32 = 28;
/// Where the log's first cell starts.
const LOG_X: i32 = 716;
/// How many cells the log shows.
const LOG_CELLS: i32 = 14;

/// The x of a log cell's centre.
fn cell_centre(offset: i32) -> i32 {
    LOG_X + offset * CELL_STEP + (CELL_STEP - 2) / 2
}

/// A listener of the old way: a box on the right of the caller, with its wire.
fn listener(name: &str, note: &str, y: i32, class: &'static str) -> Html {
    let wire = format!("M142,98 C230,98 240,{} 330,{}", y + 15, y + 15);
    html! {
        <g class={classes!("listener", class)} data-listener={name.to_string()}>
            <path class="wire" d={wire.clone()} />
            <path class="wire call" d={wire} />
            <rect x="330" y={y.to_string()} width="132" height="30" rx="7" />
            <text x="342" y={(y + 20).to_string()} class="who">{name.to_string()}</text>
            <text x="472" y={(y + 20).to_string()} class="note">{note.to_string()}</text>
        </g>
    }
}

/// A reader of the log: a marker under the cell it has reached, its name on its left,
/// moving at its own pace.
fn reader(name: &str, note: &str, offset: i32, y: i32, class: &'static str) -> Html {
    let x = cell_centre(offset);
    html! {
        <g class={classes!("reader", class)} data-reader={name.to_string()}>
            <g class="reader-mark">
                <path d={format!("M{x},{} l-7,12 h14 z", y - 6)} />
                <text x={(x - 11).to_string()} y={(y + 5).to_string()} text-anchor="end">
                    <tspan class="who">{name.to_string()}</tspan>
                    if !note.is_empty() {
                        <tspan class="note">{format!(" · {note}")}</tspan>
                    }
                </text>
            </g>
        </g>
    }
}

/// The old way beside the log: a caller wired to each listener, one call at a time, held
/// up by the slowest and edited for every new listener; next to a producer that appends
/// once while every reader keeps its own place and pace.
fn old_way() -> Html {
    let cells = (0..LOG_CELLS).map(|offset| {
        let x = LOG_X + offset * CELL_STEP;
        // The last two cells arrive while the picture plays: the log grows at its end.
        let arriving = match LOG_CELLS - 1 - offset {
            1 => Some("arrives-first"),
            0 => Some("arrives-last"),
            _ => None,
        };
        html! {
            <g class={classes!("log-cell", arriving)}>
                <rect x={x.to_string()} y="58" width={(CELL_STEP - 2).to_string()} height="30" rx="4" />
                <text x={cell_centre(offset).to_string()} y="78">{offset}</text>
            </g>
        }
    });
    html! {
        <figure class="illustration" data-illustration="old-way">
            <svg viewBox="0 0 1120 200" role="img" aria-labelledby="old-way-title old-way-desc">
                <title id="old-way-title">{"The old way beside the log"}</title>
                <desc id="old-way-desc">{"Left: the reporter calls alice, bob and carol one after another over a wire each; everyone waits while slow bob is on the line, and a new reader, dave, means editing the reporter's call list. Right: the reporter appends each story once to a log; alice, bob and carol each read it at their own pace, and dave joins without the reporter changing anything."}</desc>

                <text x="16" y="20" class="panel-title">{"The old way: direct calls"}</text>
                <g class="caller">
                    <rect x="16" y="70" width="126" height="56" rx="10" />
                    <text x="28" y="94" class="who">{"reporter"}</text>
                    <text x="28" y="113" class="note">{"calls each reader"}</text>
                </g>
                { listener("alice", "✓ told", 34, "first") }
                { listener("bob · slow", "on the line…", 74, "slow") }
                { listener("carol", "waits for bob…", 114, "third") }
                <g class="listener new" data-listener="dave">
                    <path class="wire" d="M142,98 C230,98 240,169 330,169" />
                    <rect x="330" y="154" width="132" height="30" rx="7" />
                    <text x="342" y="174" class="who">{"+ dave"}</text>
                    <text x="472" y="174" class="note">{"✎ edit the call list"}</text>
                </g>
                <text x="16" y="150" class="note">{"2 stories/s come in,"}</text>
                <text x="16" y="166" class="note">{"½ story/s gets out:"}</text>
                <text x="16" y="182" class="note bad">{"the pile keeps growing"}</text>

                <line class="divider" x1="584" x2="584" y1="8" y2="192" />

                <text x="600" y="20" class="panel-title">{"The log: written once, read at each reader's pace"}</text>
                <g class="caller producer">
                    <rect x="600" y="50" width="102" height="46" rx="10" />
                    <text x="610" y="70" class="who">{"reporter"}</text>
                    <text x="610" y="87" class="note">{"appends once"}</text>
                </g>
                <path class="append" d={format!("M702,62 C760,22 {},22 {},54", cell_centre(LOG_CELLS - 1) - 40, cell_centre(LOG_CELLS - 1))} />
                <path class="append-head" d={format!("M{},56 l-5,-9 h10 z", cell_centre(LOG_CELLS - 1))} />
                <g class="log">{ for cells }</g>
                { reader("alice", "fast", 11, 110, "pace-fast") }
                { reader("carol", "", 7, 136, "pace-steady") }
                { reader("bob", "slow: nobody waits", 2, 162, "pace-slow") }
                <g class="reader new" data-reader="dave">
                    <path d={format!("M{},182 l-7,12 h14 z", cell_centre(0))} />
                    <text x={(cell_centre(0) + 11).to_string()} y="193" class="who">{"+ dave joins: the reporter changes nothing"}</text>
                </g>
            </svg>
        </figure>
    }
}
