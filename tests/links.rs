//! Links in bodies as a reader meets them (SPEC §5): wikilinks, links to
//! source files, autolinked names in the three `autolink` modes, mentions
//! with their sentence on entity pages, "linked from" everywhere, and drafts
//! that leave no trace.

mod common;

use common::{Page, Site, brief, broken_links};

fn fixture(autolink: &str) -> Site {
    let site = Site::new();
    site.file("site.yaml", &format!("title: Links\nautolink: {autolink}\n"))
        .file(
            "content/people/kim-jong-un.md",
            "---\nname: Kim Jong Un\naliases: [Kim Jong-un, 김정은]\n---\nLeader of North Korea; he met Vladimir Putin in 2023.\n\n## Early life\n\nLittle is known.\n",
        )
        .file(
            "content/people/vladimir-putin.md",
            "---\nname: Vladimir Putin\naliases: [Владимир Путин]\n---\nPresident of Russia.\n",
        )
        .file(
            "content/people/sergei-shoigu.md",
            "---\nname: Sergei Shoigu\nautolink: false\n---\nDefence minister.\n",
        )
        .file("content/organizations/kcna.md", "---\nname: Korean Central News Agency\naliases: [KCNA]\n---\nState media.\n")
        .file("content/topics/sanctions.md", "---\ntitle: Sanctions\n---\nMeasures.\n")
        .file("content/places/vladivostok.md", "---\nname: Vladivostok\n---\nPort city.\n")
        .file(
            "content/pages/about.md",
            "---\ntitle: About\n---\nThis site follows [[Vladimir Putin]] among others.\n",
        )
        .file(
            "content/briefs/2023-09-12-kim-arrives.md",
            &brief(
                "title: Kim arrives\nactors: [Kim Jong Un, Vladimir Putin, Sergei Shoigu]\ntopics: [Sanctions]",
                "Kim Jong Un met Vladimir Putin on Tuesday. Later Kim Jong Un spoke to reporters.\n\n\
                 ## Vladimir Putin's plans\n\n\
                 Code such as `Vladimir Putin` stays code.\n\n\
                 ```\nVladimir Putin in a code block\n```\n\n\
                 A [story about Vladimir Putin](https://example.org/story) keeps its own link, \
                 as does <a href=\"https://example.org/x\">Vladimir Putin</a> in raw HTML.\n\n\
                 Sergei Shoigu attended but opted out of autolinks.\n\n\
                 State media outlet KCNA carried a short report on the talks. It said little.\n\n\
                 See [[Sanctions]], [[Sanctions|the sanctions regime]], [[us-warning]], \
                 [[US warns on arms|the warning]] and [[people/kim-jong-un#Early life|his youth]].\n\n\
                 Also [the earlier brief](2023-09-11-us-warning.md) and \
                 [his biography](../people/kim-jong-un.md#early-life).\n",
            ),
        )
        .file(
            "content/briefs/2023-09-11-us-warning.md",
            &brief(
                "title: US warns on arms\nactors: [Kim Jong Un, Vladimir Putin, KCNA]",
                "Washington said 김정은 and Владимир Путин should not trade arms. \
                 Officials expect talks in Vladivostok next week.\n",
            ),
        )
        .file(
            "content/briefs/2023-09-14-draft.md",
            &brief(
                "title: Secret draft\ndraft: true\nactors: [Kim Jong Un]",
                "Draft mentions [[Vladimir Putin]], Vladivostok and [[us-warning]].\n",
            ),
        );
    site
}

/// `(text, href)` of the links inside the body of a page.
fn body_links(page: &Page) -> Vec<(String, String)> {
    page.links(".prose")
}

fn hrefs_to(page: &Page, text: &str) -> Vec<String> {
    body_links(page)
        .into_iter()
        .filter(|(t, _)| t == text)
        .map(|(_, h)| h)
        .collect()
}

#[test]
fn wikilinks_resolve_by_name_slug_title_and_folder_with_labels_and_anchors() {
    let site = fixture("first");
    site.build(&[]);
    let page = site.page("briefs/kim-arrives/");
    assert_eq!(hrefs_to(&page, "Sanctions"), ["../../topics/sanctions/"]);
    assert_eq!(
        hrefs_to(&page, "the sanctions regime"),
        ["../../topics/sanctions/"]
    );
    // By slug, without a label: it reads as the brief's title.
    assert_eq!(
        hrefs_to(&page, "US warns on arms"),
        ["../../briefs/us-warning/"]
    );
    assert_eq!(hrefs_to(&page, "the warning"), ["../../briefs/us-warning/"]);
    assert_eq!(
        hrefs_to(&page, "his youth"),
        ["../../people/kim-jong-un/#early-life"]
    );
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

#[test]
fn links_to_source_files_become_page_links_with_their_anchor() {
    let site = fixture("first");
    site.build(&[]);
    let page = site.page("briefs/kim-arrives/");
    assert_eq!(
        hrefs_to(&page, "the earlier brief"),
        ["../../briefs/us-warning/"]
    );
    assert_eq!(
        hrefs_to(&page, "his biography"),
        ["../../people/kim-jong-un/#early-life"]
    );
    let bio = page.follow(&site.public(), ".prose", "his biography");
    assert_eq!(bio.text("h1"), "Kim Jong Un");
    assert!(bio.source.contains("id=\"early-life\""));
}

#[test]
fn autolink_first_links_each_name_once_and_never_in_code_headings_links_or_html() {
    let site = fixture("first");
    site.build(&[]);
    let page = site.page("briefs/kim-arrives/");
    // First mention only.
    assert_eq!(
        hrefs_to(&page, "Kim Jong Un"),
        ["../../people/kim-jong-un/"]
    );
    assert_eq!(
        hrefs_to(&page, "Vladimir Putin"),
        ["../../people/vladimir-putin/", "https://example.org/x"]
    );
    // Not in headings, code spans, code blocks or existing links.
    assert_eq!(page.texts(".prose h2"), ["Vladimir Putin’s plans"]);
    assert!(page.links(".prose h2").is_empty());
    assert!(page.links(".prose code").is_empty());
    assert!(page.links(".prose pre").is_empty());
    assert_eq!(
        hrefs_to(&page, "story about Vladimir Putin"),
        ["https://example.org/story"]
    );
    // `autolink: false` on a profile.
    assert!(hrefs_to(&page, "Sergei Shoigu").is_empty());
    assert!(page.text(".prose").contains("Sergei Shoigu attended"));
    // An alias links to its entity.
    assert_eq!(hrefs_to(&page, "KCNA"), ["../../organizations/kcna/"]);
}

#[test]
fn a_wikilink_without_a_label_shows_the_name_of_what_it_links_to() {
    let site = fixture("none");
    site.file(
        "content/briefs/2023-09-15-names.md",
        &brief(
            "title: Names\nactors: [Kim Jong Un]",
            "Read [[topics/sanctions]] and [[kim-jong-un#Early life]] first.\n\n\
             Then [[Kim Jong-un]], [[people/Vladimir Putin]] and [[vladivostok]].\n",
        ),
    )
    .file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\naliases: [Kim Jong-un, 김정은]\n---\nLeader of North Korea; see [[#Early life]].\n\n## Early life\n\nLittle is known.\n",
    );
    site.build(&[]);
    let page = site.page("briefs/names/");
    assert_eq!(
        body_links(&page),
        [
            ("Sanctions", "../../topics/sanctions/"),
            (
                "Kim Jong Un › Early life",
                "../../people/kim-jong-un/#early-life"
            ),
            // An alias or a name as written stays as written.
            ("Kim Jong-un", "../../people/kim-jong-un/"),
            ("Vladimir Putin", "../../people/vladimir-putin/"),
            ("Vladivostok", "../../places/vladivostok/"),
        ]
        .map(|(t, h)| (t.to_string(), h.to_string()))
    );
    // The summary made of the first paragraph reads the same.
    let list = site.page("briefs/");
    assert!(
        list.texts(".brief-card-summary")
            .contains(&"Read Sanctions and Kim Jong Un › Early life first.".to_string()),
        "{:?}",
        list.texts(".brief-card-summary")
    );
    let kim = site.page("people/kim-jong-un/");
    assert_eq!(hrefs_to(&kim, "Early life"), ["#early-life"]);
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

#[test]
fn a_longer_name_left_unlinked_still_wins_over_a_shorter_one_inside_it() {
    let site = fixture("all");
    site.file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\naliases: [Kim]\n---\nLeader.\n\n## Early life\n\nLittle is known.\n",
    )
    .file(
        "content/people/kim-yo-jong.md",
        "---\nname: Kim Yo Jong\nautolink: false\n---\nHis sister.\n",
    )
    .file(
        "content/briefs/2023-09-15-sister.md",
        &brief(
            "title: Sister\nactors: [Kim Yo Jong]",
            "Kim Yo Jong issued a statement. Kim did not comment.\n",
        ),
    );
    site.build(&[]);
    let page = site.page("briefs/sister/");
    assert_eq!(
        body_links(&page),
        [("Kim".to_string(), "../../people/kim-jong-un/".to_string())]
    );
    assert!(
        page.text(".prose")
            .contains("Kim Yo Jong issued a statement.")
    );
}

#[test]
fn a_name_shared_by_two_entities_links_to_neither_and_one_letter_names_to_nothing() {
    let site = fixture("all");
    site.file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\naliases: [The Leader, K]\n---\nLeader.\n\n## Early life\n\nLittle is known.\n",
    )
    .file(
        "content/people/kim-il-sung.md",
        "---\nname: Kim Il Sung\naliases: [The Leader]\n---\nFounder.\n",
    )
    .file(
        "content/briefs/2023-09-15-leader.md",
        &brief(
            "title: Leader\nactors: [Kim Jong Un]",
            "The Leader spoke; K nodded. Kim Il Sung was remembered.\n",
        ),
    );
    site.build(&[]);
    let page = site.page("briefs/leader/");
    assert_eq!(
        body_links(&page),
        [(
            "Kim Il Sung".to_string(),
            "../../people/kim-il-sung/".to_string()
        )]
    );
}

#[test]
fn an_entity_page_shows_at_most_three_sentences_of_one_brief() {
    let site = fixture("all");
    site.file(
        "content/briefs/2023-09-15-agency.md",
        &brief(
            "title: Agency\nactors: [Kim Jong Un]",
            "KCNA spoke first. KCNA spoke second. KCNA spoke third. KCNA spoke fourth. KCNA spoke fifth.\n",
        ),
    );
    site.build(&[]);
    let kcna = site.page("organizations/kcna/");
    let contexts = kcna.texts(".mention-context");
    assert_eq!(
        contexts
            .iter()
            .filter(|c| c.starts_with("KCNA spoke"))
            .collect::<Vec<_>>(),
        [
            "KCNA spoke first.",
            "KCNA spoke second.",
            "KCNA spoke third."
        ]
    );
}

#[test]
fn autolink_all_links_every_mention() {
    let site = fixture("all");
    site.build(&[]);
    let page = site.page("briefs/kim-arrives/");
    assert_eq!(
        hrefs_to(&page, "Kim Jong Un"),
        ["../../people/kim-jong-un/"; 2]
    );
    assert!(page.links(".prose h2").is_empty());
    assert!(page.links(".prose code").is_empty());
    assert!(hrefs_to(&page, "Sergei Shoigu").is_empty());
}

#[test]
fn autolink_none_links_no_names_but_keeps_wikilinks() {
    let site = fixture("none");
    site.build(&[]);
    let page = site.page("briefs/kim-arrives/");
    assert!(hrefs_to(&page, "Kim Jong Un").is_empty());
    assert!(hrefs_to(&page, "KCNA").is_empty());
    assert_eq!(hrefs_to(&page, "Sanctions"), ["../../topics/sanctions/"]);
}

#[test]
fn non_latin_aliases_are_autolinked() {
    let site = fixture("first");
    site.build(&[]);
    let page = site.page("briefs/us-warning/");
    assert_eq!(hrefs_to(&page, "김정은"), ["../../people/kim-jong-un/"]);
    assert_eq!(
        hrefs_to(&page, "Владимир Путин"),
        ["../../people/vladimir-putin/"]
    );
}

#[test]
fn entity_pages_show_mentions_with_their_sentence_apart_from_featuring_briefs() {
    let site = fixture("first");
    site.build(&[]);
    // KCNA is featured by the warning and only mentioned in the arrival.
    let kcna = site.page("organizations/kcna/");
    assert_eq!(
        kcna.texts("#entity-briefs ~ ul .brief-card-title"),
        ["US warns on arms"]
    );
    assert_eq!(
        kcna.links(".mention-list > li > a"),
        [(
            "Kim arrives".to_string(),
            "../../briefs/kim-arrives/".to_string()
        )]
    );
    assert_eq!(
        kcna.texts(".mention-context"),
        ["State media outlet KCNA carried a short report on the talks."]
    );
    assert_eq!(kcna.texts(".mention-context mark"), ["KCNA"]);
    // Vladivostok is named by no front matter at all.
    let city = site.page("places/vladivostok/");
    assert_eq!(
        city.texts(".mention-context"),
        ["Officials expect talks in Vladivostok next week."]
    );
    // A featuring brief is not repeated as a mention.
    let kim = site.page("people/kim-jong-un/");
    assert!(kim.texts(".mention-list > li").is_empty());
}

#[test]
fn every_page_shows_what_links_to_it() {
    let site = fixture("first");
    site.build(&[]);
    let warning = site.page("briefs/us-warning/");
    assert_eq!(
        warning.links(".linked-from a"),
        [(
            "Kim arrives".to_string(),
            "../../briefs/kim-arrives/".to_string()
        )]
    );
    // A free page and a profile linking to Putin.
    let putin = site.page("people/vladimir-putin/");
    let from: Vec<String> = putin
        .links(".linked-from a")
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(from, ["Kim Jong Un", "About"]);
    let about = putin.follow(&site.public(), ".linked-from", "About");
    assert_eq!(about.text("h1"), "About");
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

#[test]
fn drafts_leave_no_links_on_published_pages() {
    let site = fixture("first");
    site.build(&[]);
    for path in [
        "people/vladimir-putin/",
        "briefs/us-warning/",
        "places/vladivostok/",
        "people/kim-jong-un/",
    ] {
        let page = site.page(path);
        assert!(
            !page.source.contains("Secret draft"),
            "{path} mentions the draft"
        );
        assert!(
            !page.source.contains("briefs/draft/"),
            "{path} links to the draft"
        );
    }
    // With --drafts the draft is a page like any other, and its links count.
    site.build(&["--drafts"]);
    let warning = site.page("briefs/us-warning/");
    let from: Vec<String> = warning
        .links(".linked-from a")
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(from, ["Secret draft", "Kim arrives"]);
}

#[test]
fn a_link_to_a_draft_is_plain_text_with_a_warning() {
    let site = fixture("first");
    site.file(
        "content/briefs/2023-09-15-follow-up.md",
        &brief(
            "title: Follow-up\nactors: [Kim Jong Un]",
            "See [[Secret draft]] and [the notes](2023-09-14-draft.md).\n",
        ),
    );
    let run = site.build(&[]);
    assert!(run.stderr.contains("content/briefs/2023-09-15-follow-up.md:5:5: warning: `[[Secret draft]]` links to the draft `content/briefs/2023-09-14-draft.md`, which this build leaves out; the link is shown as plain text"), "{}", run.stderr);
    assert!(run.stderr.contains("content/briefs/2023-09-15-follow-up.md:5:26: warning: `2023-09-14-draft.md` links to the draft"), "{}", run.stderr);
    let page = site.page("briefs/follow-up/");
    assert!(body_links(&page).is_empty(), "{:?}", body_links(&page));
    assert_eq!(page.text(".prose"), "See Secret draft and the notes.");
}

#[test]
fn odd_link_syntax_is_reported_never_a_panic() {
    let site = Site::new();
    site.file(
        "content/people/kim.md",
        "---\nname: Kim Jong Un\naliases: [\"김정은\", K]\n---\nKim.\n",
    )
    .file(
        "content/briefs/2023-01-01-odd.md",
        &brief(
            "title: Odd\nactors: [Kim Jong Un]",
            "[[]] [[|]] [[#Heading One]] [[#]] [[Kim Jong Un#]] [[ Kim Jong Un ]] [[Kim Jong Un|]] [[x\ny]] \
             `[[Kim Jong Un]]` [y](../../../../etc/passwd.md) [z](%zz.md) [w](#) [v](<a b.md>) [t](\\\\server\\x.md)\n\n\
             김정은김정은 김정은. 🎉Kim Jong Un🎉 _Kim Jong Un_\n\n\
             | Kim Jong Un | [[Kim Jong Un]] |\n|---|---|\n| x | y |\n\n\
             > Kim Jong Un in a quote[^1]\n\n[^1]: Kim Jong Un in a note, [[Kim Jong Un]].\n\n\
             <div>\nKim Jong Un in html\n</div>\n\n* Kim Jong Un\n  * nested [[Kim Jong Un|KJU]]\n\n## Heading One\n",
        ),
    );
    let run = site.run(&["build"]);
    run.expect_code(1);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let errors = run.error_lines();
    assert_eq!(
        errors,
        [
            "content/briefs/2023-01-01-odd.md:5:29: error: `[[#]]` is empty [unresolved-link]",
            "content/briefs/2023-01-01-odd.md:5:87: error: `[[x y]]` links to nothing: no entity or brief is called `x y` [unresolved-link]",
            "content/briefs/2023-01-01-odd.md:6:23: error: `../../../../etc/passwd.md` links to `content/briefs/../../../../etc/passwd.md`, which is not a content file [missing-link-target]",
            "content/briefs/2023-01-01-odd.md:6:54: error: `%zz.md` links to `content/briefs/%zz.md`, which is not a content file [missing-link-target]",
            "content/briefs/2023-01-01-odd.md:6:73: error: `a b.md` links to `content/briefs/a b.md`, which is not a content file [missing-link-target]",
            "content/briefs/2023-01-01-odd.md:6:87: error: `\\server\\x.md` links to `content/briefs/\\server\\x.md`, which is not a content file [missing-link-target]",
        ]
    );
}

#[test]
fn a_wikilink_to_a_brief_by_a_slightly_wrong_title_gets_the_nearest_titles() {
    let site = Site::new();
    site.file(
        "content/briefs/2023-07-28-tiani.md",
        &brief(
            "title: Tiani declares himself head of the CNSP\nactors: [Abdourahamane Tiani]",
            "Text.",
        ),
    )
    .file(
        "content/briefs/2023-07-29-ecowas.md",
        &brief(
            "title: ECOWAS threatens force\nactors: [ECOWAS]",
            "After [[Tiani declares himself head of the junta]], and [[ECOWAS threatens sanctions]].",
        ),
    );
    let run = site.run(&["check"]);
    run.expect_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let errors: Vec<&str> = (lines.windows(2))
        .filter(|w| w[0].contains(": error: "))
        .flat_map(|w| [w[0], w[1]])
        .collect();
    assert_eq!(
        errors,
        [
            "content/briefs/2023-07-29-ecowas.md:5:7: error: `[[Tiani declares himself head of the junta]]` links to nothing: no entity or brief is called `Tiani declares himself head of the junta` [unresolved-link]",
            "  help: did you mean `[[Tiani declares himself head of the CNSP]]`?",
            "content/briefs/2023-07-29-ecowas.md:5:57: error: `[[ECOWAS threatens sanctions]]` links to nothing: no entity or brief is called `ECOWAS threatens sanctions` [unresolved-link]",
            "  help: did you mean `[[ECOWAS threatens force]]`?",
        ]
    );
}
