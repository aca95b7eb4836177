//! Raw HTML in bodies (SPEC §5, `raw_html:` in site.yaml) and unsafe URLs.
//!
//! `sanitize` runs the rendered body of any file that contains raw HTML
//! through ammonia, allowing what dossier's own Markdown output needs
//! (heading ids, footnotes, task lists, table alignment) plus safe markup
//! such as `<details>`, `<abbr>` and `<sup>`; scripts, event handlers,
//! `<svg>`, `<iframe>` and `javascript:`/`data:` URLs go. Bodies without raw
//! HTML are left alone: pulldown-cmark already escapes their text, and their
//! link URLs are checked by [`is_unsafe_url`] while rendering.

use std::sync::OnceLock;

use ammonia::Builder;

/// Cleans a rendered body.
pub fn clean(html: &str) -> String {
    static CLEANER: OnceLock<Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(cleaner).clean(html).to_string()
}

fn cleaner() -> Builder<'static> {
    let mut builder = Builder::default();
    builder
        .add_tags(["section", "input", "abbr", "details", "summary", "figure"])
        .add_generic_attributes(["id", "class", "aria-label", "aria-hidden", "dir"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("a", ["title"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("details", ["open"])
        .filter_style_properties(["text-align"].into_iter().collect())
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        // Internal links are relative and need no `rel`.
        .link_rel(None);
    builder
}

/// Whether a link or image URL would run code or smuggle a document when
/// followed: `javascript:`, `vbscript:` and `data:` URLs, however they are
/// cased or broken up with white space (browsers drop tabs and new lines
/// inside URLs).
pub fn is_unsafe_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_urls_in_any_disguise() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " java\tscript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "VBScript:msgbox",
        ] {
            assert!(is_unsafe_url(url), "{url}");
        }
        for url in [
            "https://example.org",
            "../people/kim/",
            "#notes",
            "mailto:a@b.c",
        ] {
            assert!(!is_unsafe_url(url), "{url}");
        }
    }

    #[test]
    fn keeps_markdown_output_and_safe_markup() {
        let html = "<h2 id=\"early-life\">Early</h2>\n<p><abbr title=\"Korean Central News Agency\">KCNA</abbr><sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup></p>\n<details><summary>More</summary><p>x</p></details>\n<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"> done</li>\n</ul>\n<table><thead><tr><th style=\"text-align: center\">A</th></tr></thead></table>\n";
        // Only the spacing of the alignment style changes.
        assert_eq!(
            clean(html),
            html.replace("text-align: center", "text-align:center")
        );
    }

    #[test]
    fn removes_scripts_handlers_and_bad_urls() {
        let out = clean(
            "<p>a<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">b</a><svg><script>alert(2)</script></svg></p>",
        );
        assert_eq!(out, "<p>a<img src=\"x\"><a>b</a></p>");
    }
}
