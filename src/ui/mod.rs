//! The Yew app (wasm32 only). It holds no Kafka logic: it reads the engine's state and
//! dispatches commands to it.

mod app;
mod console_panel;
pub mod diagram;
mod event_log;
mod forms;
mod help;
mod hooks;
mod illustration;
mod inspector;
mod lag_chart;
mod lesson_player;
mod palette;
mod persist;
mod pipeline_form;
mod replay;
mod scenario;
mod share_form;
mod share_inspector;
pub mod state;
mod toolbar;
mod zoom;

pub use app::App;

/// Mounts the app on `<body>`. A panic is reported on the browser console, not silent.
pub fn start() {
    console_error_panic_hook::set_once();
    yew::Renderer::<App>::new().render();
}
