//! The Markdown body pipeline (footnotes, headings, raw HTML in each mode,
//! inline Markdown of event descriptions): never panics.
#![no_main]
use dossier::config::{Autolink, RawHtml};
use dossier::render::markdown::{Style, render, render_inline};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for raw_html in [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow] {
        let style = Style {
            autolink: Autolink::All,
            raw_html,
            back_to_text: "Back",
        };
        let html = render(text, None, style);
        let _ = dossier::render::markdown::html_text(&html.html);
        let _ = render_inline(text, raw_html);
    }
});
