//! Keeping and sharing a session: the URL fragment, localStorage autosave, and JSON
//! export and import. Decoding is `share`'s job; this file only talks to the browser.
//! Nothing here may panic on what a URL, a file or storage holds.

use wasm_bindgen::JsCast;

use crate::share::{self, Scenario};
use crate::timeline::Timeline;

/// The localStorage key of the autosaved session.
pub const STORAGE_KEY: &str = "kafka-sim/autosave";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// `?bench=N`: the benchmark scene with `N` records per partition (100 by default).
pub fn bench_in_url() -> Option<u64> {
    let search = window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let value = params.get("bench")?;
    Some(
        value
            .parse::<u64>()
            .unwrap_or(100)
            .min(crate::engine::MAX_FILL_PER_PARTITION),
    )
}

/// `?scene=scale`: open the scale scene (3 topics × 24 partitions, 10 groups, 50 consumers).
fn scale_scene_in_url() -> bool {
    let Some(search) = window().and_then(|w| w.location().search().ok()) else {
        return false;
    };
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|params| params.get("scene"))
        .is_some_and(|scene| scene == "scale")
}

/// The URL fragment without `#`, if it holds a scenario link.
pub fn link_in_url() -> Option<String> {
    let hash = window()?.location().hash().ok()?;
    let fragment = hash.trim_start_matches('#').to_string();
    fragment.starts_with("s1.").then_some(fragment)
}

/// How the app starts.
pub struct Start {
    pub timeline: Timeline,
    pub error: Option<String>,
    /// Opened from a link: shown paused, exactly as it was shared.
    pub from_link: bool,
}

/// Where the app starts: a link in the URL, else the autosave, else `fallback`. A link or
/// save that cannot be read gives a message and the fallback; the save is left as it was.
pub fn initial_timeline(fallback: impl FnOnce() -> Timeline) -> Start {
    if scale_scene_in_url() {
        return Start {
            timeline: Timeline::from_commands(1, super::scenario::scale()),
            error: None,
            from_link: false,
        };
    }
    if let Some(link) = link_in_url() {
        return match share::from_url_fragment(&link).and_then(|s| s.to_timeline()) {
            Ok(timeline) => Start {
                timeline,
                error: None,
                from_link: true,
            },
            Err(e) => Start {
                timeline: fallback(),
                error: Some(e.to_string()),
                from_link: false,
            },
        };
    }
    if let Some(saved) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
        return match share::from_storage(&saved).and_then(|s| s.to_timeline()) {
            Ok(timeline) => Start {
                timeline,
                error: None,
                from_link: false,
            },
            Err(e) => Start {
                timeline: fallback(),
                error: Some(format!(
                    "Your saved session could not be restored, so a fresh one started. {e}"
                )),
                from_link: false,
            },
        };
    }
    Start {
        timeline: fallback(),
        error: None,
        from_link: false,
    }
}

/// Saves the session to localStorage; returns whether it worked (storage may be full or off).
pub fn autosave(timeline: &Timeline) -> bool {
    let text = share::to_storage(&Scenario::from_timeline(timeline, None));
    storage().is_some_and(|s| s.set_item(STORAGE_KEY, &text).is_ok())
}

/// Puts a link with `fragment` into the address bar (without reloading), copies it when
/// the browser allows, and returns it.
fn address_bar_link(fragment: &str) -> Option<String> {
    let window = window()?;
    let location = window.location();
    let url = format!(
        "{}{}#{fragment}",
        location.origin().ok()?,
        location.pathname().ok()?
    );
    let _ =
        window
            .history()
            .ok()?
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    let _ = window.navigator().clipboard().write_text(&url);
    Some(url)
}

/// Puts the session's link into the address bar (without reloading) and returns the URL.
pub fn share_link(timeline: &Timeline) -> Option<String> {
    let fragment = share::to_url_fragment(&Scenario::from_timeline(timeline, None));
    address_bar_link(&fragment)
}

/// Offers the session as a JSON file download.
pub fn export_json(timeline: &Timeline) -> Option<()> {
    let json = share::to_json(&Scenario::from_timeline(timeline, None));
    download(&json, "application/json", "kafka-sim-scenario.json")
}

/// Offers the session as a bash script of Kafka's tools (`crate::export`) to download.
pub fn export_shell(timeline: &Timeline) -> Option<()> {
    let script = crate::export::export_script(timeline.seed(), &timeline.commands());
    download(&script, "text/x-shellscript", "kafka-sim-session.sh")
}

/// Offers `text` as a file download named `file_name`.
fn download(text: &str, mime_type: &str, file_name: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = window()?.document()?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}

/// Reads a chosen file and decodes it; the error text names what is wrong.
pub async fn import_file(file: web_sys::File) -> Result<Timeline, String> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| "The file could not be read.".to_string())?;
    let text = text
        .as_string()
        .ok_or_else(|| "The file is not text.".to_string())?;
    share::from_json(&text)
        .and_then(|s| s.to_timeline())
        .map_err(|e| e.to_string())
}

/// The furthest step reached in a lesson, kept in localStorage.
pub fn lesson_progress(id: &str) -> Option<usize> {
    storage()?
        .get_item(&format!("kafka-sim/lesson/{id}"))
        .ok()
        .flatten()?
        .parse()
        .ok()
}

/// Remembers that a lesson's step was reached (only ever moves forward).
pub fn save_lesson_progress(id: &str, step: usize) {
    if lesson_progress(id).is_some_and(|done| done >= step) {
        return;
    }
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("kafka-sim/lesson/{id}"), &step.to_string());
    }
}

/// Whether this browser has used the app before (an autosave exists).
pub fn has_autosave() -> bool {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .is_some()
}

/// `?lesson=id[&step=N]`: a lesson to open directly.
pub fn lesson_in_url() -> Option<(String, usize)> {
    let search = window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let id = params.get("lesson")?;
    let step = params
        .get("step")
        .and_then(|s| s.parse::<usize>().ok())
        .map_or(0, |s| s.saturating_sub(1));
    Some((id, step))
}

/// Keeps the address bar on the lesson step being shown (without reloading), so a reload
/// returns to the step reached rather than the step the link named: `?lesson=id&step=N`
/// for a built-in lesson, `?step=N` before the `#l1.…` of a lesson that came in a link.
/// `None` (the lesson was left) takes the lesson out of the address. A lesson opened
/// from a file cannot be reopened by a reload, so its address is left alone.
pub fn show_lesson_step_in_url(place: Option<(&str, usize)>, builtin: bool) {
    let Some(window) = window() else {
        return;
    };
    let location = window.location();
    let (Ok(path), Ok(search), Ok(hash)) =
        (location.pathname(), location.search(), location.hash())
    else {
        return;
    };
    let link_lesson = hash.trim_start_matches('#').starts_with(LESSON_LINK_PREFIX);
    let url = match place {
        Some((_, step)) if link_lesson => format!("{path}?step={}{hash}", step + 1),
        Some((id, step)) if builtin => {
            let id = js_sys::encode_uri_component(id);
            format!("{path}?lesson={id}&step={}", step + 1)
        }
        Some(_) => return,
        None if search.contains("lesson=") || search.contains("step=") || link_lesson => {
            path.clone()
        }
        None => return,
    };
    if format!("{path}{search}{hash}") != url {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// The step (`?step=N`, from 1) of a lesson that came in a link, from 0.
pub fn step_in_url() -> Option<usize> {
    let search = window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let step = params.get("step")?.parse::<usize>().ok()?;
    Some(step.saturating_sub(1))
}

/// Reads a lesson file chosen by a teacher; the error names the line and field.
pub async fn read_lesson_file(file: web_sys::File) -> Result<crate::lessons::Lesson, String> {
    let name = file.name();
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| "The file could not be read.".to_string())?;
    let text = text
        .as_string()
        .ok_or_else(|| "The file is not text.".to_string())?;
    crate::lessons::parse_lesson(&text, &name).map_err(|e| e.to_string())
}

/// The prefix of a lesson packed into a link's fragment.
pub const LESSON_LINK_PREFIX: &str = "l1.";

/// A lesson packed into the URL fragment (`#l1.…`), if any, decoded and checked.
pub fn lesson_link_in_url() -> Option<Result<crate::lessons::Lesson, String>> {
    let hash = window()?.location().hash().ok()?;
    let fragment = hash.trim_start_matches('#');
    fragment.starts_with(LESSON_LINK_PREFIX).then(|| {
        let text = crate::share::unpack_text(LESSON_LINK_PREFIX, fragment)?;
        crate::lessons::parse_lesson(&text, "the lesson link").map_err(|e| e.to_string())
    })
}

/// A link that opens this lesson anywhere (the whole lesson travels in the fragment);
/// it is also put into the address bar and copied when the browser allows.
pub fn lesson_link(lesson: &crate::lessons::Lesson) -> Option<String> {
    let json = serde_json::to_string(lesson).ok()?;
    let fragment = crate::share::pack_text(LESSON_LINK_PREFIX, &json);
    address_bar_link(&fragment)
}
