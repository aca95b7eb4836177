//! A build replaces its output folder whole, so the output path must never
//! lead to the site's own files or to someone else's folder, however it is
//! written: with `..` through folders that do not exist, through symbolic
//! links, as the link itself, relative or absolute, with trailing slashes.
//! Each form is tried both as `--output` and as `output_dir` in site.yaml,
//! and afterwards the site and the foreign folder must be byte-identical,
//! with nothing created beside them.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Run, brief, run_in};

/// A folder holding a site (`site/`, never built) and someone else's folder
/// (`foreign/`), side by side.
struct World {
    dir: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        let world = World {
            dir: tempfile::tempdir().unwrap(),
        };
        let site = world.site();
        fs::create_dir_all(site.join("content/briefs")).unwrap();
        fs::write(
            site.join("content/briefs/2023-09-12-summit.md"),
            brief("title: Summit\nactors: [Kim Jong Un]", "Kim met Putin."),
        )
        .unwrap();
        fs::create_dir_all(site.join("content/people")).unwrap();
        fs::write(
            site.join("content/people/kim-jong-un.md"),
            "---\nname: Kim Jong Un\n---\nLeader.\n",
        )
        .unwrap();
        fs::create_dir_all(site.join("templates")).unwrap();
        fs::write(
            site.join("templates/page.html"),
            "{% extends \"base.html\" %}{% block content %}{{ page.title }}{% endblock content %}",
        )
        .unwrap();
        fs::create_dir_all(site.join("static/img")).unwrap();
        fs::write(site.join("static/img/logo.svg"), "<svg/>").unwrap();
        fs::create_dir_all(world.path().join("foreign")).unwrap();
        fs::write(world.path().join("foreign/important.txt"), "years of work").unwrap();
        world
    }

    fn path(&self) -> PathBuf {
        // Resolved, so that absolute paths in tests hold no link.
        fs::canonicalize(self.dir.path()).unwrap()
    }

    fn site(&self) -> PathBuf {
        self.path().join("site")
    }

    #[cfg(unix)]
    fn link(&self, name: &str, target: &str) {
        std::os::unix::fs::symlink(target, self.path().join(name)).unwrap();
    }

    /// Builds with the output given as `--output` (`Via::Flag`) or as
    /// `output_dir` in site.yaml (`Via::Config`), from the site folder.
    fn build(&self, via: Via, output: &str, force: bool) -> Run {
        let mut args = vec!["build"];
        match via {
            Via::Flag => args.extend(["--output", output]),
            Via::Config => fs::write(
                self.site().join("site.yaml"),
                format!("output_dir: '{output}'\n"),
            )
            .unwrap(),
        }
        if force {
            args.push("--force");
        }
        run_in(&self.site(), &args)
    }

    /// Every file, folder and link under the world: paths, kinds, bytes and
    /// link targets. site.yaml is left out: the `Via::Config` runs write it.
    fn tree(&self) -> Vec<(String, String)> {
        let root = self.path();
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(&root).unwrap();
            let rel = rel.to_string_lossy().into_owned();
            if rel == "site/site.yaml" {
                continue;
            }
            let kind = entry.file_type();
            let what = if kind.is_symlink() {
                format!("link to {}", fs::read_link(entry.path()).unwrap().display())
            } else if kind.is_dir() {
                "folder".to_string()
            } else {
                String::from_utf8_lossy(&fs::read(entry.path()).unwrap()).into_owned()
            };
            out.push((rel, what));
        }
        out
    }
}

#[derive(Debug, Clone, Copy)]
enum Via {
    Flag,
    Config,
}

const BOTH: [Via; 2] = [Via::Flag, Via::Config];

/// Builds with `output` (forced or not) and expects a refusal, exit 2, the
/// `message` on stderr, and the world exactly as it was.
fn refused(world: &World, output: &str, force: bool, message: &str) {
    for via in BOTH {
        let before = world.tree();
        let run = world.build(via, output, force);
        assert_eq!(
            run.code, 2,
            "{via:?} `{output}` (force: {force}) was not refused\n{}{}",
            run.stdout, run.stderr
        );
        assert!(
            run.stderr.contains(message),
            "{via:?} `{output}`: expected `{message}` in\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("nothing was written") || run.stderr.contains("was left as it was"),
            "{}",
            run.stderr
        );
        assert_eq!(
            before,
            world.tree(),
            "{via:?} `{output}` (force: {force}) changed files\n{}",
            run.stderr
        );
    }
}

/// Builds with `output` and expects success, with the site's sources and
/// the foreign folder untouched. Returns the folder the site went into.
fn built(world: &World, via: Via, output: &str, force: bool) -> PathBuf {
    let sources = |w: &World| -> Vec<(String, String)> {
        w.tree()
            .into_iter()
            .filter(|(p, _)| {
                ["site/content", "site/templates", "site/static", "foreign"]
                    .iter()
                    .any(|s| p.starts_with(s))
            })
            .collect()
    };
    let before = sources(world);
    let run = world.build(via, output, force);
    run.expect_code(0);
    assert_eq!(before, sources(world), "{via:?} `{output}` changed sources");
    let line = run.stdout.lines().last().unwrap_or_default().to_string();
    assert!(line.starts_with("Built "), "{line}");
    world.site().join(output)
}

fn is_built_site(dir: &Path) -> bool {
    dir.join("briefs/summit/index.html").is_file() && dir.join(".dossier-output").is_file()
}

#[test]
fn dot_dot_through_a_missing_folder_into_content_is_refused() {
    let world = World::new();
    for force in [false, true] {
        refused(
            &world,
            "./public/../content",
            force,
            "error: the output folder `public/../content` is the site's `content/` folder; building there would destroy the site's own files",
        );
        refused(
            &world,
            "x/../content",
            force,
            "is the site's `content/` folder",
        );
        refused(
            &world,
            "a/b/../../content/briefs",
            force,
            "is inside the site's `content/` folder",
        );
        refused(
            &world,
            "nothere/../../site/templates",
            force,
            "is the site's `templates/` folder",
        );
        refused(
            &world,
            "static/new",
            force,
            "is inside the site's `static/` folder",
        );
    }
    // Nothing was created on the way: no `public/`, no `x/`, no `a/`.
    assert!(!world.site().join("public").exists());
    assert!(!world.site().join("x").exists());
}

#[test]
fn every_spelling_of_a_source_folder_is_refused() {
    let world = World::new();
    let site = world.site();
    let absolute = site.join("content").display().to_string();
    let absolute_slash = format!("{}/", site.join("templates").display());
    for output in [
        "content",
        "content/",
        "content//",
        "./content/.",
        "content/briefs/..",
        "templates",
        "static/",
        "static/img",
        &absolute,
        &absolute_slash,
    ] {
        refused(
            &world,
            output,
            true,
            "building there would destroy the site's own files",
        );
    }
}

#[test]
fn the_site_folder_and_its_holders_are_refused_even_with_force() {
    let world = World::new();
    let world_path = world.path().display().to_string();
    for output in [
        ".",
        "./",
        "nothere/..",
        "../site",
        "..",
        "../..",
        "/",
        &world_path,
    ] {
        refused(
            &world,
            output,
            true,
            "building there would destroy the site's own files",
        );
    }
    let run = world.build(Via::Flag, "nothere/..", true);
    assert!(
        run.stderr
            .contains("error: the output folder `nothere/..` is the site's own folder"),
        "{}",
        run.stderr
    );
    let run = world.build(Via::Flag, "..", true);
    assert!(
        run.stderr
            .contains("error: the output folder `..` is a folder that holds the site"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_foreign_folder_is_replaced_only_with_force() {
    let world = World::new();
    let foreign_abs = world.path().join("foreign").display().to_string();
    for output in [
        "nothere/../../foreign",
        "../foreign",
        "../foreign/",
        &foreign_abs,
    ] {
        refused(
            &world,
            output,
            false,
            "was not made by dossier; refusing to replace it",
        );
    }
    let run = world.build(Via::Flag, "nothere/../../foreign", false);
    assert!(
        run.stderr.contains("error: the output folder `nothere/../../foreign` already exists and was not made by dossier; refusing to replace it [output-not-ours]\n  help: choose another folder with --output, delete `nothere/../../foreign` yourself, or pass --force to replace it and everything in it"),
        "{}",
        run.stderr
    );
    // With --force the user has said so: the folder becomes the site.
    let run = world.build(Via::Flag, "nothere/../../foreign", true);
    run.expect_code(0);
    let foreign = world.path().join("foreign");
    assert!(is_built_site(&foreign));
    assert!(!foreign.join("important.txt").exists());
    assert!(!world.site().join("nothere").exists());
}

#[test]
fn a_file_is_never_replaced() {
    let world = World::new();
    fs::write(world.path().join("notes.txt"), "mine").unwrap();
    refused(
        &world,
        "../notes.txt",
        true,
        "error: the output `../notes.txt` exists and is not a folder",
    );
}

#[cfg(unix)]
#[test]
fn links_along_the_path_are_followed_before_any_check() {
    let world = World::new();
    world.link("contentlink", "site/content");
    world.link("sitelink", "site");
    world.link("briefslink", "site/content/briefs");
    world.link("foreignlink", "foreign");
    for force in [false, true] {
        // The output itself is a link to a source folder or to the site.
        refused(
            &world,
            "../contentlink",
            force,
            "is the site's `content/` folder",
        );
        refused(
            &world,
            "../contentlink/",
            force,
            "is the site's `content/` folder",
        );
        refused(&world, "../sitelink", force, "is the site's own folder");
        // A link on the way.
        refused(
            &world,
            "../contentlink/new",
            force,
            "is inside the site's `content/` folder",
        );
        refused(
            &world,
            "../sitelink/static",
            force,
            "is the site's `static/` folder",
        );
        // `..` after a link is the parent of where the link leads, as the
        // system has it: `briefslink/..` is `content`.
        refused(
            &world,
            "../briefslink/..",
            force,
            "is the site's `content/` folder",
        );
        refused(
            &world,
            "../briefslink/../../templates",
            force,
            "is the site's `templates/` folder",
        );
    }
    // A link to someone else's folder is their folder.
    refused(
        &world,
        "../foreignlink",
        false,
        "was not made by dossier; refusing to replace it",
    );
}

#[cfg(unix)]
#[test]
fn a_link_loop_is_an_error_not_a_hang() {
    let world = World::new();
    world.link("loop1", "loop2");
    world.link("loop2", "loop1");
    refused(
        &world,
        "../loop1/public",
        true,
        "too many levels of symbolic links",
    );
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_is_built_where_it_leads_and_stays_a_link() {
    let world = World::new();
    for via in BOTH {
        let _ = fs::remove_file(world.site().join("published"));
        let _ = fs::remove_dir_all(world.path().join("www"));
        // A link to a folder that does not exist yet.
        std::os::unix::fs::symlink("../www", world.site().join("published")).unwrap();
        built(&world, via, "published", false);
        let link = world.site().join("published");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(is_built_site(&world.path().join("www")));
        // Again: the folder it leads to is now dossier's, and is replaced.
        fs::write(world.path().join("www/stale.html"), "old").unwrap();
        built(&world, via, "published", false);
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(!world.path().join("www/stale.html").exists());
        assert!(is_built_site(&world.path().join("www")));
    }
}

#[test]
fn ordinary_outputs_still_build() {
    let world = World::new();
    for via in BOTH {
        for output in ["public", "public/", "./public/.", "out/../public"] {
            built(&world, via, output, false);
            assert!(
                is_built_site(&world.site().join("public")),
                "{via:?} {output}"
            );
            assert!(!world.site().join("out").exists());
        }
        // An empty folder is fine; an earlier build's folder is replaced.
        fs::create_dir_all(world.path().join("empty")).unwrap();
        let dir = built(&world, via, "../empty", false);
        assert!(is_built_site(&dir));
        let abs = world.path().join("abs-out").display().to_string();
        built(&world, via, &abs, false);
        built(&world, via, &abs, false);
        assert!(is_built_site(Path::new(&abs)));
    }
    // No temporary or old folder is left anywhere.
    let leftovers: Vec<_> = world
        .tree()
        .into_iter()
        .filter(|(p, _)| p.contains("dossier-tmp") || p.contains("dossier-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Two names for one folder, as a case-insensitive file system gives
/// (`Content` and `content`): here a bind mount in a private mount
/// namespace, so the test needs no privileges and leaves nothing mounted.
/// The rules compare folders by identity, not by name, so both are refused.
#[cfg(target_os = "linux")]
#[test]
fn a_second_name_for_a_source_folder_is_the_same_folder() {
    let world = World::new();
    fs::create_dir_all(world.path().join("Content")).unwrap();
    let before = world.tree();
    let script = format!(
        "mount --bind {site}/content {world}/Content && exec {dossier} build --output ../Content --force",
        site = world.site().display(),
        world = world.path().display(),
        dossier = env!("CARGO_BIN_EXE_dossier"),
    );
    let out = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
        .current_dir(world.site())
        .output()
        .expect("unshare (util-linux) runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: the output folder `../Content` is the site's `content/` folder"),
        "{stderr}"
    );
    assert_eq!(before, world.tree());
}
