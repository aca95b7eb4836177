//! dossier in a real browser: headless Chromium, driven through
//! chromedriver (both installed by `scripts/test`).
//!
//! - Live reload: a page of `dossier serve` reloads by itself when the brief
//!   is edited, shows the overlay without a reload when it breaks, and
//!   clears it when it is fixed.
//! - Offline search: from a site served under a sub-path by a plain static
//!   server, and from `file://` in a portable build, a reader searches for
//!   a name, an alias typed without its accents, a Hangul alias, a Cyrillic
//!   name and a word from a brief's body, sees the results with the words
//!   marked, and clicks through to the right page.
//! - Index pages sort by briefs and latest brief with their optional script.
//! - Print: sources show their address, pictures and the infobox stay whole.
//! - Layout: room under the header, dates on one line, the infobox first on
//!   a phone.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use std::time::Duration;

use chrome::{browser, start_driver, wait_in_page};
use common::server::{Server, serve_build, static_server};
use common::{Site, brief};
use fantoccini::{Client, Locator};

#[test]
fn an_open_page_reloads_by_itself_and_shows_problems_in_an_overlay() {
    let site = Site::new();
    site.file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\n---\nLeader.\n",
    )
    .file(
        "content/briefs/2023-09-12-kim.md",
        &brief("title: Kim arrives\nactors: [Kim Jong Un]", "First text."),
    );
    let server = Server::start(&site, &[]);
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        let url = format!("http://127.0.0.1:{}/briefs/kim/", server.port);
        client.goto(&url).await.unwrap();
        let text = client.find(Locator::Css(".prose")).await.unwrap().text().await.unwrap();
        assert_eq!(text, "First text.");
        // A mark that only survives as long as the page is not reloaded.
        client.execute("window.notReloaded = true; return true;", vec![]).await.unwrap();
        // Wait until the page listens for rebuilds.
        wait_in_page(&client, "the reload script", "return !!document.querySelector('script[src=\"/__dossier/reload.js\"]');").await;
        tokio::time::sleep(Duration::from_millis(500)).await;

        site.file(
            "content/briefs/2023-09-12-kim.md",
            &brief("title: Kim arrives\nactors: [Kim Jong Un]", "Second text, typed in the editor."),
        );
        wait_in_page(
            &client,
            "the edit",
            "return document.querySelector('.prose') !== null && document.querySelector('.prose').textContent.includes('Second text') && window.notReloaded === undefined;",
        )
        .await;

        // Break it: the overlay appears on the open page, without a reload.
        client.execute("window.notReloaded = true; return true;", vec![]).await.unwrap();
        site.file(
            "content/briefs/2023-09-12-kim.md",
            "---\ntitle: Kim arrives\nactor: [Kim Jong Un]\n---\nThird.\n",
        );
        wait_in_page(
            &client,
            "the overlay, styled over the page",
            "var o = document.getElementById('dossier-overlay'); return o !== null && getComputedStyle(o).position === 'fixed';",
        )
        .await;
        let overlay = client.find(Locator::Id("dossier-overlay")).await.unwrap().text().await.unwrap();
        assert!(overlay.contains("content/briefs/2023-09-12-kim.md:3:1"), "{overlay}");
        assert!(overlay.contains("unknown key `actor`"), "{overlay}");
        assert!(overlay.contains("help: did you mean `actors`?"), "{overlay}");
        let still = client.execute("return window.notReloaded === true && document.querySelector('.prose').textContent.trim();", vec![]).await.unwrap();
        assert_eq!(still.as_str(), Some("Second text, typed in the editor."));

        // Fix it: the page reloads, the overlay is gone.
        site.file(
            "content/briefs/2023-09-12-kim.md",
            &brief("title: Kim arrives\nactors: [Kim Jong Un]", "Fixed text."),
        );
        wait_in_page(
            &client,
            "the fix",
            "return document.querySelector('.prose') !== null && document.querySelector('.prose').textContent.trim() === 'Fixed text.' && document.getElementById('dossier-overlay') === null;",
        )
        .await;
        client.close().await.unwrap();
    });
}

/// A site for searching: names with accents, Hangul and Cyrillic aliases,
/// and briefs whose bodies hold words found nowhere else.
fn search_fixture() -> Site {
    let site = Site::new();
    site.file("site.yaml", "title: Search Watch\n")
        .file(
            "content/people/recep-tayyip-erdogan.md",
            "---\nname: Recep Tayyip Erdoğan\naliases: [Erdoğan]\nrole: President of Türkiye\n---\nTurkish leader.\n",
        )
        .file(
            "content/people/kim-jong-un.md",
            "---\nname: Kim Jong Un\naliases: [김정은]\nrole: Supreme Leader\n---\nLeader of North Korea.\n",
        )
        .file(
            "content/people/vladimir-putin.md",
            "---\nname: Vladimir Putin\naliases: [Владимир Путин]\n---\nPresident of Russia.\n",
        )
        .file(
            "content/briefs/2023-09-13-ammunition.md",
            &brief(
                "title: What Moscow wants\nactors: [Vladimir Putin, Kim Jong Un]",
                "Russia wants artillery shells; the talks were about ammunition and food.\n",
            ),
        )
        .file(
            "content/briefs/2023-09-12-grain.md",
            &brief(
                "title: Grain corridor talks\nactors: [Recep Tayyip Erdoğan, Vladimir Putin]",
                "Erdoğan pressed for the grain deal to be revived.\n",
            ),
        );
    site
}

/// Waits for the search page to show results for what was typed; returns
/// the result titles.
async fn results(client: &Client, query: &str) -> Vec<String> {
    let wanted = serde_json::to_string(&format!(" for \u{201c}{query}\u{201d}.")).unwrap();
    wait_in_page(
        client,
        &format!("results for {query}"),
        &format!("var s = document.getElementById('search-status'); return s !== null && s.textContent.endsWith({wanted}) && document.querySelectorAll('#search-results li').length > 0;"),
    )
    .await;
    let titles = client
        .execute("return Array.from(document.querySelectorAll('#search-results .result-title')).map(a => a.textContent);", vec![])
        .await
        .unwrap();
    serde_json::from_value(titles).unwrap()
}

/// Types `text` into the search page's box, replacing what was there.
async fn type_query(client: &Client, text: &str) {
    let input = client.find(Locator::Id("search-input")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

/// The marked words of the results.
async fn marked(client: &Client) -> Vec<String> {
    let marks = client
        .execute("return Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent);", vec![])
        .await
        .unwrap();
    serde_json::from_value(marks).unwrap()
}

/// The reader's whole search session, starting from the home page at `home`.
async fn search_session(client: &Client, home: &str, portable: bool) {
    client.goto(home).await.unwrap();
    // The header box on any page leads to the search page with the query.
    let header = client
        .find(Locator::Css(".site-search input"))
        .await
        .unwrap();
    header.send_keys("erdogan\n").await.unwrap();
    let titles = results(client, "erdogan").await;
    assert_eq!(titles[0], "Recep Tayyip Erdoğan", "{titles:?}");
    assert!(
        titles.contains(&"Grain corridor talks".to_string()),
        "{titles:?}"
    );
    assert!(marked(client).await.contains(&"Erdoğan".to_string()));
    let meta = client
        .find(Locator::Css("#search-results .result-meta"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(meta, "Person");

    // Prefix matching as you type, in Hangul.
    type_query(client, "김정").await;
    // The profile first, then the brief that features Kim under his other
    // name, which its text never spells.
    let titles = results(client, "김정").await;
    assert_eq!(titles, ["Kim Jong Un", "What Moscow wants"]);
    assert_eq!(marked(client).await, ["김정은"]);

    // Cyrillic, in another case than written.
    type_query(client, "ПУТИН").await;
    assert_eq!(
        results(client, "ПУТИН").await,
        [
            "Vladimir Putin",
            "What Moscow wants",
            "Grain corridor talks"
        ]
    );

    // A word from a brief's body, with its date and a marked snippet.
    type_query(client, "ammunit").await;
    assert_eq!(results(client, "ammunit").await, ["What Moscow wants"]);
    let meta = client
        .find(Locator::Css("#search-results .result-meta"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(meta, "Brief · 13 September 2023");
    let snippet = client
        .find(Locator::Css("#search-results .result-snippet"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(snippet.contains("about ammunition and food"), "{snippet}");
    assert_eq!(marked(client).await, ["ammunition"]);

    // Nothing found says so.
    type_query(client, "zzzz").await;
    wait_in_page(
        client,
        "no results",
        "return document.getElementById('search-status').textContent === 'No results for “zzzz”.';",
    )
    .await;

    // Clicking a result opens its page.
    type_query(client, "kim jong").await;
    results(client, "kim jong").await;
    client
        .find(Locator::Css("#search-results .result-title"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_in_page(client, "Kim's page", "return document.querySelector('h1') !== null && document.querySelector('h1').textContent === 'Kim Jong Un';").await;
    let url = client.current_url().await.unwrap();
    let expected = if portable {
        "people/kim-jong-un/index.html"
    } else {
        "people/kim-jong-un/"
    };
    assert!(url.as_str().ends_with(expected), "{url}");
}

#[test]
fn search_works_on_a_site_served_under_a_sub_path() {
    let site = search_fixture();
    let host = tempfile::tempdir().unwrap();
    let server = static_server(host.path());
    let base = format!("http://127.0.0.1:{}/briefing/", server.port);
    let output = host.path().join("briefing");
    site.build(&["--base-url", &base, "--output", output.to_str().unwrap()]);
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        search_session(&client, &base, false).await;
        client.close().await.unwrap();
    });
}

#[test]
fn search_works_from_disk_in_a_portable_build() {
    let site = search_fixture();
    site.build(&["--portable"]);
    let home = format!("file://{}/index.html", site.public().display());
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        search_session(&client, &home, true).await;
        client.close().await.unwrap();
    });
}

/// The index pages' optional script sorts the entries by number of briefs
/// and by latest brief, and back by name; its buttons say which is on.
#[test]
fn index_pages_sort_by_briefs_and_by_latest_brief() {
    let site = Site::new();
    site.file("site.yaml", "title: Sorting\n")
        .file(
            "content/briefs/2023-01-01-a.md",
            &brief("title: A\nactors: [Ann Able, Bob Busy]", "Text."),
        )
        .file(
            "content/briefs/2023-02-01-b.md",
            &brief("title: B\nactors: [Bob Busy]", "Text."),
        )
        .file(
            "content/briefs/2023-03-01-c.md",
            &brief("title: C\nactors: [Cy Late]", "Text."),
        );
    site.build(&[]);
    let page = format!("file://{}/people/index.html", site.public().display());
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        client.goto(&page).await.unwrap();
        let names = "return Array.from(document.querySelectorAll('.entity-list-name a')).map(a => a.textContent);";
        let pressed = "return Array.from(document.querySelectorAll('.sort button[aria-pressed=true]')).map(b => b.textContent);";
        let order = |v: serde_json::Value| -> Vec<String> { serde_json::from_value(v).unwrap() };
        assert_eq!(order(client.execute(names, vec![]).await.unwrap()), ["Ann Able", "Bob Busy", "Cy Late"]);
        for (button, expected) in [
            ("Briefs", ["Bob Busy", "Ann Able", "Cy Late"]),
            ("Latest brief", ["Cy Late", "Bob Busy", "Ann Able"]),
            ("Name", ["Ann Able", "Bob Busy", "Cy Late"]),
        ] {
            client
                .find(Locator::XPath(&format!("//div[@class='sort']//button[text()='{button}']")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            assert_eq!(order(client.execute(names, vec![]).await.unwrap()), expected, "by {button}");
            assert_eq!(order(client.execute(pressed, vec![]).await.unwrap()), [button]);
        }
        client.close().await.unwrap();
    });
}

#[test]
fn the_timeline_filters_events_by_actor_topic_and_dates() {
    let site = Site::new();
    site.file(
        "site.yaml",
        "title: Filtering
",
    )
    .file(
        "content/briefs/2023-07-01-a.md",
        &brief(
            "title: A
actors: [Ann Able]
topics: [Sanctions]
events:
  - {date: 2023-06-30, title: Ann one, actors: [Ann Able]}
  - {date: 2023-07, title: Bob in July, actors: [Bob Busy], topics: [Arms]}",
            "Text.",
        ),
    )
    .file(
        "content/briefs/2023-09-01-b.md",
        &brief(
            "title: B
actors: [Bob Busy]
topics: [Arms]
events:
  - {date: 2023-09-01, title: Bob two, actors: [Bob Busy, Ann Able]}
  - {date: 2024, title: Ann next year, actors: [Ann Able]}",
            "Text.",
        ),
    );
    site.build(&[]);
    let page = format!("file://{}/timeline/index.html", site.public().display());
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        client.goto(&page).await.unwrap();
        let shown = "return Array.from(document.querySelectorAll('li.event')).filter(li => li.offsetParent !== null).map(li => li.querySelector('.event-title').firstChild.textContent.trim());";
        let titles = |v: serde_json::Value| -> Vec<String> { serde_json::from_value(v).unwrap() };
        let status = "return document.querySelector('.filter-status').textContent;";
        // The filter is there once its script runs, and shows everything.
        assert_eq!(titles(client.execute(shown, vec![]).await.unwrap()).len(), 4);
        assert_eq!(client.execute(status, vec![]).await.unwrap(), "4 of 4 events shown");
        let set = |field: &str, value: &str| {
            format!("var f = document.querySelector('form.timeline-filter'); f.elements['{field}'].value = '{value}'; f.dispatchEvent(new Event('change')); return true;")
        };
        client.execute(&set("actor", "person:ann-able"), vec![]).await.unwrap();
        assert_eq!(
            titles(client.execute(shown, vec![]).await.unwrap()),
            ["Ann one", "Bob two", "Ann next year"]
        );
        // An event without topics of its own belongs to its brief's.
        client.execute(&set("topic", "topic:sanctions"), vec![]).await.unwrap();
        assert_eq!(titles(client.execute(shown, vec![]).await.unwrap()), ["Ann one"]);
        client.execute(&set("topic", ""), vec![]).await.unwrap();
        // A month or a year is kept when the range reaches into it.
        client.execute(&set("from", "2023-08-15"), vec![]).await.unwrap();
        assert_eq!(titles(client.execute(shown, vec![]).await.unwrap()), ["Bob two", "Ann next year"]);
        client.execute(&set("actor", ""), vec![]).await.unwrap();
        client.execute(&set("until", "2023-07-15"), vec![]).await.unwrap();
        assert_eq!(titles(client.execute(shown, vec![]).await.unwrap()), Vec::<String>::new());
        assert_eq!(client.execute(status, vec![]).await.unwrap(), "0 of 4 events shown");
        client.execute(&set("from", "2023-07-10"), vec![]).await.unwrap();
        assert_eq!(titles(client.execute(shown, vec![]).await.unwrap()), ["Bob in July"]);
        // Months left empty lose their heading.
        let headings = "return Array.from(document.querySelectorAll('.timeline-year h3')).filter(h => h.offsetParent !== null).map(h => h.textContent.trim());";
        assert_eq!(titles(client.execute(headings, vec![]).await.unwrap()), ["July 2023"]);
        client.find(Locator::Css("form.timeline-filter button[type=reset]")).await.unwrap().click().await.unwrap();
        wait_in_page(&client, "the reset", "return document.querySelector('.filter-status').textContent === '4 of 4 events shown';").await;
        client.close().await.unwrap();
    });
}

/// Printed, a brief's sources show their full address and the infobox and
/// pictures do not split across pages: the print style sheet's rules, read
/// from the browser's CSSOM, reach the elements of the example's pages.
#[test]
fn printed_pages_show_source_addresses_and_keep_pictures_whole() {
    // Served: a page from disk may not read its own style sheet's rules.
    let served = serve_build(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let base = &served.base;
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        // The print rules, as [selector, declarations] pairs.
        let print_rules = r#"
            var rules = [];
            for (const sheet of document.styleSheets) for (const rule of sheet.cssRules)
              if (rule.media && rule.media.mediaText === 'print')
                for (const inner of rule.cssRules) rules.push([inner.selectorText, inner.style.cssText]);
            return rules;"#;
        let matching = |rules: &serde_json::Value, wanted: &str| -> Vec<String> {
            (rules.as_array().unwrap().iter())
                .filter(|r| r[1].as_str().unwrap().contains(wanted))
                .map(|r| r[0].as_str().unwrap().to_string())
                .collect()
        };
        client.goto(&format!("{base}briefs/kim-arrives-in-russia/")).await.unwrap();
        let rules = client.execute(print_rules, vec![]).await.unwrap();
        let addresses = matching(&rules, "attr(href)");
        assert!(!addresses.is_empty(), "{rules}");
        // The elements the `::after` rules add the address to.
        let elements = addresses.join(", ").replace("::after", "");
        let count = format!("return document.querySelectorAll({elements:?}).length;");
        let shown = client.execute(&count, vec![]).await.unwrap();
        let sources = client.execute("return document.querySelectorAll('.brief-sources a').length;", vec![]).await.unwrap();
        assert_eq!(shown, sources, "every source prints its address");
        client.goto(&format!("{base}people/kim-jong-un/")).await.unwrap();
        let rules = client.execute(print_rules, vec![]).await.unwrap();
        let whole = matching(&rules, "break-inside: avoid");
        for element in [".infobox", ".connection-graph", ".strip"] {
            let script = format!(
                "return Array.from(document.querySelectorAll({:?})).filter(e => e.matches({:?})).length;",
                element,
                whole.join(", ")
            );
            let kept = client.execute(&script, vec![]).await.unwrap();
            assert_eq!(kept, serde_json::json!(1), "{element} is kept whole in print");
        }
        client.close().await.unwrap();
    });
}

/// What a reader met in the layout, measured in the browser: the kind label
/// has room under the header bar, a timeline date stays on one line, and on
/// a phone a person's infobox comes before the text, not after the timeline.
#[test]
fn the_layout_gives_the_kicker_room_keeps_dates_on_a_line_and_the_infobox_first_on_phones() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    common::run_in(
        repo,
        &["build", "--portable", "--output", public.to_str().unwrap()],
    )
    .expect_code(0);
    let page = |path: &str| format!("file://{}/{path}index.html", public.display());
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        let number = |v: &serde_json::Value| v.as_f64().unwrap();
        for width in [375, 1280] {
            client.set_window_size(width, 900).await.unwrap();
            client.goto(&page("people/kim-jong-un/")).await.unwrap();
            let gap = client
                .execute("return document.querySelector('.kicker').getBoundingClientRect().top - document.querySelector('.site-header').getBoundingClientRect().bottom;", vec![])
                .await
                .unwrap();
            assert!(number(&gap) >= 20.0, "at {width} px the kicker is {gap} px under the header");
            let order = client
                .execute("return document.querySelector('.infobox').getBoundingClientRect().top < document.querySelector('.prose').getBoundingClientRect().top;", vec![])
                .await
                .unwrap();
            if width == 375 {
                assert_eq!(order, serde_json::json!(true), "on a phone the infobox comes first");
            }
            client.goto(&page("timeline/")).await.unwrap();
            let lines = client
                .execute("return Array.from(document.querySelectorAll('.event-date')).map(d => { var r = document.createRange(); r.selectNodeContents(d); return r.getClientRects().length === 1; });", vec![])
                .await
                .unwrap();
            let lines: Vec<bool> = serde_json::from_value(lines).unwrap();
            assert!(lines.len() >= 8 && lines.iter().all(|l| *l), "at {width} px a date wraps: {lines:?}");
        }
        client.close().await.unwrap();
    });
}
