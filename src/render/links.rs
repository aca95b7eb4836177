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
    if n <= 1 {
        "briefs/".to_string()
    } else {
        format!("briefs/page/{n}/")
    }
}

pub fn entity(kind: EntityKind, id: &str) -> String {
    format!("{}/{id}/", kind.folder())
}

pub fn entity_index(kind: EntityKind) -> String {
    format!("{}/", kind.folder())
}

pub fn timeline() -> String {
    "timeline/".to_string()
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

    /// How many folders deep the current page is; pages at the same depth
    /// link to any page with the same text.
    pub fn depth(&self) -> usize {
        self.depth
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
        if href.is_empty() {
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
