//! On a phone the whole diagram fits the width, which makes its text tiny. A "Zoom" toggle
//! over the diagram draws it at a legible size instead, and the stage pans sideways (a
//! finger drags it); it opens on the lanes, where the readers are. Shown only on narrow
//! screens (the CSS hides it elsewhere).

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Where a zoomed diagram opens, in its own units: the start of the lanes.
const LANES_X: f64 = 168.0;

#[function_component(ZoomToggle)]
pub fn zoom_toggle() -> Html {
    let onchange = Callback::from(|e: Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let stage = input.closest(".stage").ok().flatten();
        let svg = stage
            .as_ref()
            .and_then(|s| s.query_selector("svg.diagram").ok().flatten());
        if let (Some(stage), Some(svg)) = (stage, svg) {
            // Read after the class change: the drawn width of one unit of the drawing.
            let scale = svg.get_bounding_client_rect().width() / 1120.0;
            let left = if input.checked() {
                LANES_X * scale
            } else {
                0.0
            };
            stage.set_scroll_left(left as i32);
        }
    });
    html! {
        <label class="zoom-toggle" title="Draw the diagram larger; drag it sideways">
            <input type="checkbox" id="zoom-diagram" {onchange} />{"Zoom"}
        </label>
    }
}
