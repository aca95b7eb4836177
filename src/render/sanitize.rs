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

/// The deepest nesting of elements a body may have to be sanitized: as
/// deep as Chromium's parser builds a page.
pub const MOST_LEVELS: usize = 512;

/// Whether `html` opens more than [`MOST_LEVELS`] elements inside one
/// another. html5ever looks through every open element for most tags, so
/// 80,000 unclosed `<div>` took 17 s to sanitize. A linear count of start
/// and end tags; elements that close themselves (`<p>`, `<li>`, a cell)
/// and void ones do not count, so it errs towards allowing.
pub fn nests_too_deeply(html: &str) -> bool {
    let mut depth = 0usize;
    for tag in html.split('<').skip(1) {
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name_end = tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let self_closing = tag.split('>').next().is_some_and(|t| t.ends_with('/'));
        if self_closing || CLOSES_ITSELF.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        depth += 1;
        if depth > MOST_LEVELS {
            return true;
        }
    }
    false
}

/// Void elements, and elements the parser closes when the next one opens.
const CLOSES_ITSELF: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "rt", "rp",
];

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
    fn nesting_is_counted_by_open_elements() {
        let deep = |n: usize| "<div>".repeat(n) + &"</div>".repeat(n);
        assert!(!nests_too_deeply(&deep(MOST_LEVELS)));
        assert!(nests_too_deeply(&deep(MOST_LEVELS + 1)));
        assert!(nests_too_deeply(&"<span>".repeat(80_000)));
        // Siblings, void and self-closing elements, and elements closed by
        // the next one do not nest.
        assert!(!nests_too_deeply(&"<div>x</div>".repeat(10_000)));
        assert!(!nests_too_deeply(
            &"<br><img src=x><hr/><x-y/>".repeat(10_000)
        ));
        assert!(!nests_too_deeply(&"<p>a<li>b<td>c".repeat(10_000)));
        assert!(!nests_too_deeply(&"a < b and 2<3 ".repeat(10_000)));
    }

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
