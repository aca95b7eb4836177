//! Where each page lives (SPEC §4) and how one page links to another.
//!
//! A page's *site path* is its folder relative to the output root: `""` for
//! the home page, `briefs/kim-arrives/`, `people/kim-jong-un/`; files that are
//! not folders keep their name (`404.html`). Every link written into a page
//! is relative to that page, so the output works under any URL prefix; with
//! `portable`, links to folders also name `index.html`, so the site works
//! from `file://`.

use crate::content::model::EntityKind;

pub fn home() -> String {
    String::new()
}

pub fn brief(slug: &str) -> String {
    format!("briefs/{slug}/")
}

/// Page `n` (1-based) of the list of all briefs.
pub fn briefs_page(n: usize) -> String {
    paged("briefs/".to_string(), n)
}

pub fn entity(kind: EntityKind, id: &str) -> String {
    format!("{}/{id}/", kind.folder())
}

pub fn entity_index(kind: EntityKind) -> String {
    format!("{}/", kind.folder())
}

/// Page `n` (1-based) of the index of one kind: `people/`, `people/page/2/`.
pub fn entity_index_page(kind: EntityKind, n: usize) -> String {
    paged(entity_index(kind), n)
}

/// The lists an entity page shows only the newest of; each has pages of
/// its own, all of it, under the entity's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Archive {
    /// Every brief featuring the entity.
    Briefs,
    /// Every event naming it.
    Events,
    /// Every brief that mentions it in its body only.
    Mentions,
}

impl Archive {
    pub const ALL: [Archive; 3] = [Archive::Briefs, Archive::Events, Archive::Mentions];

    /// The folder under the entity's own: `briefs`, `events`, `mentions`.
    pub fn folder(self) -> &'static str {
        match self {
            Archive::Briefs => "briefs",
            Archive::Events => "events",
            Archive::Mentions => "mentions",
        }
    }
}

/// Page `n` of an entity's archive: `people/kim/briefs/`,
/// `people/kim/briefs/page/2/`.
pub fn entity_archive(kind: EntityKind, id: &str, archive: Archive, n: usize) -> String {
    paged(format!("{}{}/", entity(kind, id), archive.folder()), n)
}

pub fn timeline() -> String {
    "timeline/".to_string()
}

/// Page `n` of one year of the timeline: `timeline/2023/`,
/// `timeline/2023/page/2/`.
pub fn timeline_year(year: i32, n: usize) -> String {
    paged(format!("timeline/{year}/"), n)
}

/// Page `n` (1-based) of a list whose first page is `first`.
fn paged(first: String, n: usize) -> String {
    if n <= 1 {
        first
    } else {
        format!("{first}page/{n}/")
    }
}

pub fn search() -> String {
    "search/".to_string()
}

pub fn free_page(slug: &str) -> String {
    format!("{slug}/")
}

pub const NOT_FOUND: &str = "404.html";

/// The file a site path is written to: folders get `index.html`.
pub fn output_file(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

/// Stands for the relative path to the site root in views shared by pages
/// at every depth ([`Linker::shared`]); each page's HTML has it replaced by
/// its own path to the root ([`Linker::finish`]). A Unicode noncharacter,
/// which never occurs in text people write; content and site.yaml have
/// any replaced when read ([`crate::text::without_placeholder`]).
pub const ROOT: &str = "\u{FDD0}";

/// Makes links relative to one page.
#[derive(Debug, Clone)]
pub struct Linker {
    /// `../` repeated once per folder level of the current page.
    up: String,
    depth: usize,
    portable: bool,
}

impl Linker {
    pub fn new(from: &str, portable: bool) -> Linker {
        let depth = from.matches('/').count();
        Linker {
            up: "../".repeat(depth),
            depth,
            portable,
        }
    }

    /// Links by absolute path under `prefix` (`/briefing/`), for the 404
    /// page: a host serves it in place of any missing URL, at any depth, so
    /// relative links from it would resolve against that URL instead.
    pub fn absolute(prefix: &str, portable: bool) -> Linker {
        Linker {
            up: prefix.to_string(),
            depth: usize::MAX,
            portable,
        }
    }

    /// Links for views shared by every page: they start from [`ROOT`],
    /// which [`Linker::finish`] turns into the path from each page.
    pub fn shared(portable: bool) -> Linker {
        Linker {
            up: ROOT.to_string(),
            depth: usize::MAX,
            portable,
        }
    }

    /// How many folders deep the current page is.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The finished HTML of a page whose shared views linked from [`ROOT`]:
    /// each one replaced by this page's path to the root.
    pub fn finish(&self, html: String) -> String {
        let mut found = memchr::memmem::find_iter(html.as_bytes(), ROOT.as_bytes()).peekable();
        if found.peek().is_none() {
            return html;
        }
        let mut out = String::with_capacity(html.len() + 64 * self.up.len());
        let mut done = 0;
        for at in found {
            out.push_str(&html[done..at]);
            out.push_str(&self.up);
            done = at + ROOT.len();
        }
        out.push_str(&html[done..]);
        out
    }

    /// The relative prefix to the site root (`../../`), or `./` at the root,
    /// for assets: `{{ root }}style.css`.
    pub fn root(&self) -> String {
        if self.up.is_empty() {
            "./".to_string()
        } else {
            self.up.clone()
        }
    }

    /// A relative link to the site path `to`, which may end in `#anchor`.
    pub fn href(&self, to: &str) -> String {
        let (path, anchor) = match to.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (to, None),
        };
        let mut href = format!("{}{}", self.up, path);
        if self.portable && (path.is_empty() || path.ends_with('/')) {
            href.push_str("index.html");
        }
        if href.is_empty() || href == ROOT {
            // The root from the root; `./` is right at any depth.
            href.push_str("./");
        }
        if let Some(anchor) = anchor {
            href.push('#');
            href.push_str(anchor);
        }
        href
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links() {
        let from_brief = Linker::new(&brief("kim"), false);
        assert_eq!(
            from_brief.href(&entity(EntityKind::Person, "putin")),
            "../../people/putin/"
        );
        assert_eq!(from_brief.href(&home()), "../../");
        assert_eq!(from_brief.root(), "../../");
        let from_home = Linker::new(&home(), false);
        assert_eq!(from_home.href(&home()), "./");
        assert_eq!(from_home.href("timeline/"), "timeline/");
        assert_eq!(from_home.root(), "./");
        let from_page2 = Linker::new(&briefs_page(2), false);
        assert_eq!(from_page2.href(&briefs_page(1)), "../../../briefs/");
    }

    #[test]
    fn portable_links_name_the_file() {
        let l = Linker::new(&brief("kim"), true);
        assert_eq!(l.href(&home()), "../../index.html");
        assert_eq!(
            l.href("people/putin/#early-life"),
            "../../people/putin/index.html#early-life"
        );
        assert_eq!(Linker::new("", true).href(""), "index.html");
    }

    #[test]
    fn shared_links_are_finished_for_each_page() {
        let shared = Linker::shared(false);
        let html = format!(
            "<a href=\"{}\">Putin</a> <a href=\"{}\">home</a>",
            shared.href(&entity(EntityKind::Person, "putin")),
            shared.href(&home())
        );
        assert_eq!(
            Linker::new(&brief("kim"), false).finish(html.clone()),
            "<a href=\"../../people/putin/\">Putin</a> <a href=\"../.././\">home</a>"
        );
        assert_eq!(
            Linker::new(&home(), false).finish(html.clone()),
            "<a href=\"people/putin/\">Putin</a> <a href=\"./\">home</a>"
        );
        assert_eq!(
            Linker::absolute("/briefing/", false).finish(html),
            "<a href=\"/briefing/people/putin/\">Putin</a> <a href=\"/briefing/./\">home</a>"
        );
    }

    #[test]
    fn absolute_links_for_the_404_page() {
        let l = Linker::absolute("/briefing/", false);
        assert_eq!(l.href("people/"), "/briefing/people/");
        assert_eq!(l.root(), "/briefing/");
        assert_eq!(Linker::absolute("/", false).href(""), "/");
    }

    #[test]
    fn output_files() {
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("briefs/kim/"), "briefs/kim/index.html");
        assert_eq!(output_file(NOT_FOUND), "404.html");
    }
}
