//! Raw HTML and unsafe URLs in bodies, in the three `raw_html` modes, with
//! real cross-site-scripting payloads (SPEC §5).

mod common;

use common::{Page, Site, brief};
use scraper::Selector;

const PAYLOADS: &str = "\
Intro <script>alert(1)</script>text.

Casings: <SCRIPT>alert(2)</SCRIPT> and <ScRiPt>alert(13)</sCrIpT> inline.

<script>alert(14)</script>

<img src=\"x\" onerror=\"alert(3)\"> and <b onmouseover=alert(4)>bold</b>

<a href=\"javascript:alert(5)\">html js</a> and <a href=\"JaVaScRiPt:alert(6)\">html mixed case</a>

[md js](javascript:alert(7)) and [md mixed](JaVaScRiPt:alert(8)) and <JAVASCRIPT:alert(9)>

![md data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTApPg==)

<svg><script>alert(11)</script></svg>

<svg onload=\"alert(12)\"><circle r=\"1\"/></svg>

<iframe src=\"https://evil.example/\"></iframe>

<details><summary>More</summary>Hidden detail.</details>

<abbr title=\"Korean Central News Agency\">KCNA</abbr> and x<sup>2</sup>

[safe link](https://example.org/ok)

<ScRiPt src=\"//evil.example/x.js\"></ScRiPt>
";

fn site_with(mode: &str) -> Site {
    let site = Site::new();
    site.file("site.yaml", &format!("title: XSS\nraw_html: {mode}\n"))
        .file(
            "content/briefs/2023-09-12-payloads.md",
            &brief("title: Payloads\nactors: [Someone]", PAYLOADS),
        );
    site
}

fn prose(page: &Page, css: &str) -> usize {
    let sel = Selector::parse(&format!(".prose {css}")).unwrap();
    page.html.select(&sel).count()
}

/// Every attribute value in the body that would run code.
fn dangerous_attributes(page: &Page) -> Vec<String> {
    let sel = Selector::parse(".prose *").unwrap();
    let mut found = Vec::new();
    for element in page.html.select(&sel) {
        for (name, value) in element.value().attrs() {
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_lowercase();
            if name.starts_with("on")
                || squeezed.starts_with("javascript:")
                || squeezed.starts_with("data:")
                || squeezed.starts_with("//evil")
            {
                found.push(format!("{}[{name}={value}]", element.value().name()));
            }
        }
    }
    found
}

#[test]
fn sanitize_removes_scripts_handlers_and_bad_urls_and_keeps_safe_markup() {
    let site = site_with("sanitize");
    let run = site.build(&[]);
    let page = site.page("briefs/payloads/");
    assert_eq!(prose(&page, "script"), 0, "{}", page.source);
    assert_eq!(prose(&page, "svg"), 0);
    assert_eq!(prose(&page, "iframe"), 0);
    assert_eq!(dangerous_attributes(&page), Vec::<String>::new());
    // No payload survives anywhere, except an unlinked URL shown as words.
    for n in [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14] {
        assert!(!page.source.contains(&format!("alert({n})")), "alert({n})");
    }
    assert!(page.text(".prose").contains("JAVASCRIPT:alert(9)"));
    // Safe markup stays.
    assert_eq!(prose(&page, "details summary"), 1);
    assert_eq!(page.text(".prose abbr[title]"), "KCNA");
    assert_eq!(page.text(".prose sup"), "2");
    assert_eq!(page.text(".prose b"), "bold");
    // Markdown links with unsafe URLs keep their words, lose the link.
    let links = page.links(".prose");
    assert!(links.contains(&(
        "safe link".to_string(),
        "https://example.org/ok".to_string()
    )));
    assert!(
        !links.iter().any(|(t, _)| t.starts_with("md ")),
        "{links:?}"
    );
    assert!(page.text(".prose").contains("md js and md mixed"));
    // Each removed Markdown link is reported where it was written.
    let file = brief("title: Payloads\nactors: [Someone]", PAYLOADS);
    for written in ["[md js]", "[md mixed]", "<JAVASCRIPT:", "![md data image]"] {
        let (n, line) = (file.lines().enumerate())
            .find(|(_, l)| l.contains(written))
            .unwrap();
        let column = line[..line.find(written).unwrap()].chars().count() + 1;
        let at = format!(
            "content/briefs/2023-09-12-payloads.md:{}:{column}: warning: removed the ",
            n + 1
        );
        assert!(run.stderr.contains(&at), "{at}\n{}", run.stderr);
    }
    // The summary (the body's first paragraph) is words, not script.
    let list = site.page("briefs/");
    assert_eq!(list.text(".brief-card-summary"), "Intro text.");
}

#[test]
fn escape_shows_raw_html_as_text() {
    let site = site_with("escape");
    site.build(&[]);
    let page = site.page("briefs/payloads/");
    for css in ["script", "svg", "iframe", "img", "details", "abbr", "b"] {
        assert_eq!(prose(&page, css), 0, "{css} in {}", page.source);
    }
    assert_eq!(dangerous_attributes(&page), Vec::<String>::new());
    let text = page.text(".prose");
    assert!(
        text.contains("<SCRIPT>alert(2)</SCRIPT> and <ScRiPt>alert(13)</sCrIpT>"),
        "{text}"
    );
    assert!(
        text.contains("<img src=\"x\" onerror=\"alert(3)\">"),
        "{text}"
    );
    assert!(
        !page
            .links(".prose")
            .iter()
            .any(|(t, _)| t.starts_with("md "))
    );
}

#[test]
fn allow_passes_html_through() {
    let site = site_with("allow");
    site.build(&[]);
    let page = site.page("briefs/payloads/");
    assert_eq!(prose(&page, "script"), 6);
    assert_eq!(prose(&page, "iframe"), 1);
    assert!(page.source.contains("onerror=\"alert(3)\""));
    let links = page.links(".prose");
    assert!(links.contains(&("md js".to_string(), "javascript:alert(7)".to_string())));
}

#[test]
fn front_matter_values_are_always_escaped_in_every_mode() {
    for mode in ["sanitize", "escape", "allow"] {
        let site = Site::new();
        site.file("site.yaml", &format!("raw_html: {mode}\n")).file(
            "content/briefs/2023-09-12-t.md",
            &brief(
                "title: \"<script>alert(1)</script> title\"\nsummary: \"<img src=x onerror=alert(2)>\"\nactors: [\"<b>Bold</b> person\"]",
                "Body.",
            ),
        );
        site.build(&[]);
        let page = site.page("briefs/t/");
        assert_eq!(page.text("h1"), "<script>alert(1)</script> title", "{mode}");
        assert_eq!(page.text(".lede"), "<img src=x onerror=alert(2)>", "{mode}");
        assert!(!page.source.contains("<script>alert"), "{mode}");
    }
}

#[test]
fn front_matter_urls_must_be_web_or_relative() {
    let site = Site::new();
    site.file(
        "content/briefs/2023-09-12-t.md",
        &brief(
            "title: T\nactors: [A]\nsources:\n  - JaVaScRiPt:alert(1)\n  - url: data:text/html,hi",
            "Body.",
        ),
    )
    .file(
        "content/people/a.md",
        "---\nname: A\nlinks:\n  Evil: javascript:alert(2)\n---\n",
    );
    let run = site.run(&["build"]);
    run.expect_code(1);
    for expected in [
        "content/briefs/2023-09-12-t.md:5:5: error: `sources[0]` must be an http(s) URL, found `JaVaScRiPt:alert(1)`",
        "content/briefs/2023-09-12-t.md:6:10: error: `sources[1].url` must be an http(s) URL, found `data:text/html,hi`",
        "content/people/a.md:4:9: error: `links.Evil` must be an http(s) URL or a relative link, found `javascript:alert(2)`",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
}
