//! `serve`'s incremental rebuild gives exactly the bytes of a full build.
//!
//! A generated site (`tests/fixtures/gen_corpus.py`, 120 briefs, `per_page:
//! 4` so that every list, archive and the timeline are paged) is built once
//! by a [`Session`], as `serve` does. Then a seeded random sequence of edits
//! of every kind a writer makes (each kind once, then more at random) is
//! applied to the files, and after each one the session rebuilds what the
//! edit affects. Its site is compared, file by file, with a full build of
//! the same sources; any difference fails with the edit that caused it.
//! Edits of one brief must be rebuilt incrementally (not by falling back to
//! a full build), or the comparison would prove nothing about them.
//!
//! A second test compares what `serve` resolves again after an edit of a
//! brief's front matter (`graph::update`) with a full resolve, field by
//! field, on a site large enough for its shortcuts to matter.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use dossier::content;
use dossier::content::model::EntityKind;
use dossier::diagnostics::{Diagnostic, sort_and_dedup};
use dossier::graph::{self, Graph};
use dossier::serve::session::{Outcome, Session};
use dossier::site::Options;

/// Every kind of edit, applied in this order first (shuffled), then drawn
/// at random.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edit {
    BodyText,
    SwapMention,
    RewordMention,
    Retitle,
    ChangeRole,
    Redate,
    AddActor,
    RespellStub,
    RemoveActor,
    AddTopic,
    RemoveTopic,
    AddPlace,
    RemovePlace,
    AddEvent,
    RemoveEvent,
    AddWikilink,
    BreakAndFixYaml,
    DeleteBrief,
    AddBrief,
    ProfileForStub,
    RenameAlias,
    DeleteProfile,
    MoveIntoSubfolder,
    ChangeTemplate,
}

const EVERY_EDIT: [Edit; 24] = [
    Edit::BodyText,
    Edit::SwapMention,
    Edit::RewordMention,
    Edit::Retitle,
    Edit::ChangeRole,
    Edit::Redate,
    Edit::AddActor,
    Edit::RespellStub,
    Edit::RemoveActor,
    Edit::AddTopic,
    Edit::RemoveTopic,
    Edit::AddPlace,
    Edit::RemovePlace,
    Edit::AddEvent,
    Edit::RemoveEvent,
    Edit::AddWikilink,
    Edit::BreakAndFixYaml,
    Edit::DeleteBrief,
    Edit::AddBrief,
    Edit::ProfileForStub,
    Edit::RenameAlias,
    Edit::DeleteProfile,
    Edit::MoveIntoSubfolder,
    Edit::ChangeTemplate,
];

/// Edits of one brief's file (the first sixteen above), which must not
/// fall back to a full build.
const INCREMENTAL: &[Edit] = EVERY_EDIT.split_at(16).0;

/// A small seeded generator (xorshift64*): the same seed, the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn generated_site(briefs: usize) -> tempfile::TempDir {
    let briefs = briefs.to_string();
    let dir = common::generated_site(&[
        "--briefs", &briefs, "--people", "40", "--orgs", "10", "--topics", "12", "--places", "12",
    ]);
    let mut config = fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    config.push_str("per_page: 4\nfeed_limit: 5\n");
    fs::write(dir.path().join("site.yaml"), config).unwrap();
    dir
}

/// Every file of a built site, by path.
fn files_of(outcome: &Outcome) -> Option<BTreeMap<String, Vec<u8>>> {
    match outcome {
        Outcome::Built(built) => Some(
            (built.site.paths().into_iter())
                .map(|p| {
                    let bytes = built.site.get(&p).unwrap();
                    (p, bytes)
                })
                .collect(),
        ),
        Outcome::Failed(_) => None,
    }
}

/// A full build, as `serve` makes it: its pages, then (`settle`) the
/// search index and the sitemap.
fn full_build(options: &Options) -> Outcome {
    let mut session = Session::new(options.clone());
    let outcome = session.start();
    session.settle();
    outcome
}

/// The char boundary at or before `at`.
fn boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Fails, naming the edit, unless both sites hold the same files with the
/// same bytes.
fn assert_same_site(
    step: usize,
    edit: &str,
    incremental: &BTreeMap<String, Vec<u8>>,
    full: &BTreeMap<String, Vec<u8>>,
) {
    let only_incremental: Vec<_> = incremental
        .keys()
        .filter(|p| !full.contains_key(*p))
        .collect();
    let only_full: Vec<_> = full
        .keys()
        .filter(|p| !incremental.contains_key(*p))
        .collect();
    assert!(
        only_incremental.is_empty() && only_full.is_empty(),
        "step {step}, {edit}: the incremental rebuild has files a full build has not: \
         {only_incremental:?}; and lacks: {only_full:?}"
    );
    for (path, bytes) in incremental {
        let expected = &full[path];
        if bytes != expected {
            let (a, b) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(expected),
            );
            let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            let context = |s: &str| {
                let start = boundary(s, at.saturating_sub(120));
                let end = boundary(s, (at + 200).min(s.len()));
                s[start..end].to_string()
            };
            panic!(
                "step {step}, {edit}: `{path}` differs from a full build at byte {at}\n\
                 incremental: …{}…\n\
                 full build:  …{}…",
                context(&a),
                context(&b)
            );
        }
    }
}

/// Fails unless the session's rebuild and a full build both built the same
/// files, or both failed with as many problems.
fn same_outcome(step: usize, name: &str, outcome: &Outcome, full: &Outcome) {
    match (outcome, full) {
        (Outcome::Built(a), Outcome::Built(b)) => {
            let (now, expected) = (files_of(outcome).unwrap(), files_of(full).unwrap());
            assert_same_site(step, name, &now, &expected);
            // The warnings too: the terminal reports which are new or fixed.
            let (mut x, mut y) = (a.warnings.clone(), b.warnings.clone());
            sort_and_dedup(&mut x);
            sort_and_dedup(&mut y);
            assert_eq!(
                x, y,
                "step {step}, {name}: other warnings than a full build's"
            );
        }
        (Outcome::Failed(a), Outcome::Failed(b)) => {
            // While a brief does not parse, the site is not resolved again:
            // the errors are a full build's, the warnings may lag behind.
            let errors = |all: &[Diagnostic]| -> Vec<Diagnostic> {
                all.iter().filter(|d| d.is_error()).cloned().collect()
            };
            assert_eq!(
                errors(a),
                errors(b),
                "step {step}, {name}: other errors than a full build's"
            );
        }
        _ => panic!(
            "step {step}, {name}: the incremental rebuild {} but a full build {}",
            if matches!(outcome, Outcome::Built(_)) {
                "built"
            } else {
                "failed"
            },
            if matches!(full, Outcome::Built(_)) {
                "built"
            } else {
                "failed"
            },
        ),
    }
}

/// The site's files and what they hold, for the edits to work on.
struct Site {
    root: PathBuf,
    /// Counts the edits, to make every new name unique.
    serial: usize,
}

impl Site {
    fn briefs(&self) -> Vec<PathBuf> {
        let mut all: Vec<PathBuf> = walkdir::WalkDir::new(self.root.join("content/briefs"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        all.sort();
        all
    }

    fn profiles(&self, folder: &str) -> Vec<PathBuf> {
        let mut all: Vec<PathBuf> = fs::read_dir(self.root.join("content").join(folder))
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        all.sort();
        all
    }

    /// An actor of `brief` written by name that no profile defines.
    fn stub_actor(&self, brief: &BriefFile) -> Option<String> {
        let block = brief.block("actors")?;
        brief.front[block].iter().find_map(|line| {
            let name = line.strip_prefix("  - \"")?.strip_suffix('"')?;
            let slug: String = (name.to_lowercase().split(|c: char| !c.is_alphanumeric()))
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let defined = ["people", "organizations"]
                .iter()
                .any(|kind| self.root.join(format!("content/{kind}/{slug}.md")).exists());
            (name != slug && !defined).then(|| name.to_string())
        })
    }

    fn person_names(&self) -> Vec<String> {
        (self.profiles("people").iter())
            .filter_map(|p| {
                let text = fs::read_to_string(p).ok()?;
                let line = text.lines().find(|l| l.starts_with("name: "))?;
                Some(line["name: ".len()..].trim_matches('"').to_string())
            })
            .collect()
    }
}

/// One brief's file as front matter lines and body.
struct BriefFile {
    front: Vec<String>,
    body: String,
}

impl BriefFile {
    fn read(path: &Path) -> BriefFile {
        let text = fs::read_to_string(path).unwrap();
        let rest = text.strip_prefix("---\n").expect("front matter");
        let (front, body) = rest.split_once("\n---\n").expect("closed front matter");
        BriefFile {
            front: front.lines().map(str::to_string).collect(),
            body: body.to_string(),
        }
    }

    fn write(&self, path: &Path) {
        let text = format!("---\n{}\n---\n{}", self.front.join("\n"), self.body);
        // As an editor saves: a new file renamed over the old one.
        let temp = path.with_extension("md.tmp~");
        fs::write(&temp, text).unwrap();
        fs::rename(&temp, path).unwrap();
    }

    fn line_starting(&self, key: &str) -> Option<usize> {
        self.front.iter().position(|l| l.starts_with(key))
    }

    /// The items of a `key: ["a", "b"]` line.
    fn flow_list(&self, key: &str) -> Option<(usize, Vec<String>)> {
        let at = self.line_starting(&format!("{key}: ["))?;
        let inner = self.front[at][key.len() + 3..].trim_end_matches(']');
        let items = inner
            .split(", ")
            .map(|s| s.trim_matches('"').to_string())
            .filter(|s| !s.is_empty())
            .collect();
        Some((at, items))
    }

    fn set_flow_list(&mut self, key: &str, items: &[String]) {
        let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
        let line = format!("{key}: [{}]", quoted.join(", "));
        match self.flow_list(key) {
            Some((at, _)) => self.front[at] = line,
            None => self.front.push(line),
        }
    }

    /// The lines of `block` that start with `prefix`.
    fn lines_starting(&self, block: std::ops::Range<usize>, prefix: &str) -> Vec<usize> {
        block
            .filter(|&i| self.front[i].starts_with(prefix))
            .collect()
    }

    /// The lines of the block under `key:` (indented by two or more).
    fn block(&self, key: &str) -> Option<std::ops::Range<usize>> {
        let at = self.front.iter().position(|l| l == &format!("{key}:"))?;
        let end = (at + 1..self.front.len())
            .find(|&i| !self.front[i].starts_with("  "))
            .unwrap_or(self.front.len());
        Some(at + 1..end)
    }
}

/// A brief no other brief links to by its file name and that links to no
/// other by its own, so that deleting or moving it breaks no link (which
/// would stop every build after it).
fn unlinked_brief(briefs: &[PathBuf], rng: &mut Rng) -> Option<PathBuf> {
    let texts: Vec<String> = briefs
        .iter()
        .map(|b| fs::read_to_string(b).unwrap())
        .collect();
    let free: Vec<&PathBuf> = (briefs.iter().zip(&texts))
        .filter(|(path, text)| {
            let name = path.file_name().unwrap().to_string_lossy();
            !text.contains(".md)") && !texts.iter().any(|t| t.contains(&*name))
        })
        .map(|(path, _)| path)
        .collect();
    (!free.is_empty()).then(|| (*rng.pick(&free)).clone())
}

/// Applies `edit` to the site; returns the paths it changed, or `None` when
/// the site offers nothing to apply it to (another edit is drawn then).
fn apply(site: &mut Site, rng: &mut Rng, edit: Edit) -> Option<Vec<PathBuf>> {
    site.serial += 1;
    let n = site.serial;
    let briefs = site.briefs();
    let path = rng.pick(&briefs).clone();
    let mut brief = BriefFile::read(&path);
    match edit {
        Edit::BodyText => {
            // Names a person who may become an actor later (AddActor), so
            // that autolinking finds them in this body then.
            let observer = rng.below(4);
            brief.body = brief.body.replacen("the", "a", 1)
                + &format!("\nAdded line {n}, with Observer{observer} Smith.\n");
        }
        Edit::SwapMention => {
            // One mention for another: as many links, to someone else.
            let names = site.person_names();
            let named = names.iter().find(|name| brief.body.contains(*name))?;
            let other = rng.pick(&names);
            brief.body = brief.body.replacen(named, other, 1);
        }
        Edit::RewordMention => {
            // The sentence around a mention of someone the brief does not
            // feature, which their page quotes (SwapMention makes some).
            // Only in lines without wikilinks, whose text must stay.
            let names = site.person_names();
            let unfeatured = |brief: &BriefFile| {
                let front = brief.front.join("\n");
                let lines: Vec<&str> = brief.body.lines().collect();
                (names.iter()).find_map(|name| {
                    let id = name.to_lowercase().replace(' ', "-");
                    if front.contains(name) || front.contains(&id) {
                        return None;
                    }
                    let mention = format!(" {name}");
                    let line =
                        (lines.iter()).position(|l| l.contains(&mention) && !l.contains("[["))?;
                    Some((line, mention))
                })
            };
            let mentioning: Vec<(PathBuf, BriefFile, (usize, String))> = (briefs.iter())
                .map(|b| (b, BriefFile::read(b)))
                .filter_map(|(b, brief)| Some((b.clone(), unfeatured(&brief)?, brief)))
                .map(|(b, found, brief)| (b, brief, found))
                .collect();
            let (path, mut brief, (line, mention)) = {
                let at = rng.below(mentioning.len().max(1));
                mentioning.into_iter().nth(at)?
            };
            let mut lines: Vec<String> = brief.body.lines().map(str::to_string).collect();
            lines[line] = lines[line].replacen(&mention, &format!(" reportedly{mention}"), 1);
            brief.body = lines.join("\n") + "\n";
            brief.write(&path);
            return Some(vec![path]);
        }
        Edit::Retitle => {
            let at = brief.line_starting("title:")?;
            brief.front[at] = format!("title: \"Retitled brief number {n}\"");
        }
        Edit::ChangeRole => {
            // The role an actor plays, which the actor's pages show.
            let at = brief.line_starting("    role:")?;
            brief.front[at] = format!("    role: \"Role number {n}\"");
        }
        Edit::Redate => {
            let at = brief.line_starting("date:")?;
            // The corpus runs from 2015 to November 2024. Some dates land in
            // the last two years, which the sparklines show, some after the
            // newest brief, which moves every sparkline.
            let year = match rng.below(4) {
                0 => 2023,
                1 => 2024,
                2 => 2025,
                _ => 2013 + rng.below(8),
            };
            let month = 1 + rng.below(12);
            brief.front[at] = format!("date: {year}-{month:02}-{:02}", 1 + rng.below(28));
        }
        Edit::AddActor => {
            let block = brief.block("actors")?;
            let name = match rng.below(3) {
                0 => rng.pick(&site.person_names()).clone(),
                1 => format!("Newcomer Number{n}"),
                _ => format!("Observer{} Smith", rng.below(4)),
            };
            brief.front.insert(block.start, format!("  - \"{name}\""));
        }
        Edit::RespellStub => {
            // The first brief names a person stub another brief names, in
            // quotes and capitals, as an organisation: the stub is renamed
            // (its first spelling is now in the first brief; the quote puts
            // it first among names) and changes kind.
            let first = briefs.first()?.clone();
            let stubs: Vec<String> = (briefs[1..].iter())
                .filter_map(|b| site.stub_actor(&BriefFile::read(b)))
                .collect();
            let stub = rng.pick(stubs.get(..).filter(|s| !s.is_empty())?).clone();
            let mut brief = BriefFile::read(&first);
            let block = brief.block("actors")?;
            brief
                .front
                .insert(block.start, "    kind: organization".to_string());
            let spelling = format!("  - ref: \"'{}'\"", stub.to_uppercase());
            brief.front.insert(block.start, spelling);
            brief.write(&first);
            return Some(vec![first]);
        }
        Edit::RemoveActor => {
            let block = brief.block("actors")?;
            let simple = brief.lines_starting(block, "  - \"");
            if simple.len() < 2 {
                return None;
            }
            brief.front.remove(*rng.pick(&simple));
        }
        Edit::AddTopic | Edit::AddPlace => {
            let key = if edit == Edit::AddTopic {
                "topics"
            } else {
                "places"
            };
            let mut items = brief.flow_list(key).map(|(_, i)| i).unwrap_or_default();
            let other = BriefFile::read(rng.pick::<PathBuf>(&briefs));
            let borrowed = other.flow_list(key).and_then(|(_, i)| i.first().cloned());
            let new = match borrowed {
                Some(existing) if rng.below(2) == 0 => existing,
                _ => format!("New {key} {n}"),
            };
            if items.contains(&new) {
                return None;
            }
            items.push(new);
            brief.set_flow_list(key, &items);
        }
        Edit::RemoveTopic | Edit::RemovePlace => {
            let key = if edit == Edit::RemoveTopic {
                "topics"
            } else {
                "places"
            };
            let (at, mut items) = brief.flow_list(key)?;
            items.remove(
                rng.below(items.len().max(1))
                    .min(items.len().checked_sub(1)?),
            );
            if items.is_empty() {
                brief.front.remove(at);
            } else {
                brief.set_flow_list(key, &items);
            }
        }
        Edit::AddEvent => {
            let actor = rng.pick(&site.person_names()).clone();
            let lines = [
                format!("  - date: {}-{:02}", 2014 + rng.below(6), 1 + rng.below(12)),
                format!("    title: \"Added event {n}\""),
                format!("    actors: [\"{actor}\"]"),
            ];
            let at = match brief.block("events") {
                Some(block) => block.start,
                None => {
                    brief.front.push("events:".to_string());
                    brief.front.len()
                }
            };
            for (i, line) in lines.into_iter().enumerate() {
                brief.front.insert(at + i, line);
            }
        }
        Edit::RemoveEvent => {
            let block = brief.block("events")?;
            let items = brief.lines_starting(block.clone(), "  - ");
            let first = *items.first()?;
            let end = items.get(1).copied().unwrap_or(block.end);
            brief.front.drain(first..end);
            if items.len() == 1 {
                brief.front.remove(block.start - 1);
            }
        }
        Edit::AddWikilink => {
            let other = BriefFile::read(rng.pick::<PathBuf>(&briefs));
            let title_line = other.front.iter().find(|l| l.starts_with("title: "))?;
            let title = title_line["title: ".len()..].trim_matches('"').to_string();
            let person = rng.pick(&site.person_names()).clone();
            brief
                .body
                .push_str(&format!("\nCompare [[{title}]] and [[{person}]].\n"));
        }
        Edit::BreakAndFixYaml => unreachable!("applied in two steps by the test"),
        Edit::DeleteBrief => {
            let path = unlinked_brief(&briefs, rng)?;
            fs::remove_file(&path).unwrap();
            return Some(vec![path]);
        }
        Edit::AddBrief => {
            let person = rng.pick(&site.person_names()).clone();
            let new = site
                .root
                .join(format!("content/briefs/2018-added-brief-{n}.md"));
            let text = format!(
                "---\ntitle: \"Added brief {n}\"\ndate: 2018-0{}-1{}\nsummary: \"An added brief.\"\n\
                 actors:\n  - \"{person}\"\n  - \"Added Stranger{n}\"\ntopics: [\"New topics {n}\"]\n\
                 events:\n  - date: 2018-03\n    title: \"Added brief event {n}\"\n    actors: [\"{person}\"]\n\
                 ---\n\n{person} met a stranger. See [[{person}]].\n",
                1 + rng.below(9),
                rng.below(10),
            );
            fs::write(&new, text).unwrap();
            return Some(vec![new]);
        }
        Edit::ProfileForStub => {
            // A name in some brief's actors that no profile of any kind
            // describes (one of another kind would make it ambiguous).
            let slug_of = |name: &str| -> String {
                (name.to_lowercase().chars())
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect()
            };
            let taken = |slug: &str| {
                ["people", "organizations", "topics", "places"]
                    .iter()
                    .any(|kind| site.root.join(format!("content/{kind}/{slug}.md")).exists())
            };
            let stub = briefs.iter().find_map(|b| {
                let file = BriefFile::read(b);
                let block = file.block("actors")?;
                file.front[block]
                    .iter()
                    .filter_map(|l| l.strip_prefix("  - \""))
                    .map(|l| l.trim_end_matches('"').to_string())
                    .find(|name| name.contains(' ') && !taken(&slug_of(name)))
            })?;
            let new = site
                .root
                .join(format!("content/people/{}.md", slug_of(&stub)));
            let text =
                format!("---\nname: \"{stub}\"\nrole: \"Added profile\"\n---\n\nNow described.\n");
            fs::write(&new, text).unwrap();
            return Some(vec![new]);
        }
        Edit::RenameAlias => {
            let profiles = site.profiles("people");
            let profile = rng.pick(&profiles).clone();
            let text = fs::read_to_string(&profile).unwrap();
            let changed = match text.lines().find(|l| l.starts_with("aliases: ")) {
                Some(line) => text.replace(line, &format!("aliases: [\"Alias{n}\"]")),
                None => text.replacen("\nrole:", &format!("\naliases: [\"Alias{n}\"]\nrole:"), 1),
            };
            fs::write(&profile, changed).unwrap();
            return Some(vec![profile]);
        }
        Edit::DeleteProfile => {
            let profiles = site.profiles(if rng.below(2) == 0 {
                "people"
            } else {
                "topics"
            });
            let profile = rng.pick(&profiles).clone();
            fs::remove_file(&profile).unwrap();
            return Some(vec![profile]);
        }
        Edit::MoveIntoSubfolder => {
            let path = unlinked_brief(&briefs, rng)?;
            let folder = site.root.join(format!("content/briefs/moved-{}", n % 3));
            fs::create_dir_all(&folder).unwrap();
            let to = folder.join(path.file_name().unwrap());
            if to.exists() {
                return None;
            }
            fs::rename(&path, &to).unwrap();
            return Some(vec![path, to]);
        }
        Edit::ChangeTemplate => {
            let own = site.root.join("templates/brief.html");
            if own.exists() {
                fs::remove_file(&own).unwrap();
            } else {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/brief.html");
                let text = fs::read_to_string(theme).unwrap();
                fs::create_dir_all(own.parent().unwrap()).unwrap();
                fs::write(&own, format!("{{# edit {n} #}}\n{text}")).unwrap();
                let with_marker = fs::read_to_string(&own).unwrap().replacen(
                    "</h1>",
                    &format!("</h1><p>template edit {n}</p>"),
                    1,
                );
                fs::write(&own, with_marker).unwrap();
            }
            return Some(vec![own]);
        }
    }
    brief.write(&path);
    Some(vec![path])
}

#[test]
fn incremental_rebuilds_give_the_bytes_of_a_full_build() {
    let dir = generated_site(120);
    let root = dir.path().canonicalize().unwrap();
    let options = Options {
        root: root.clone(),
        ..Options::default()
    };
    let mut session = Session::new(options.clone());
    let first = session.start();
    session.settle();
    let first_files = files_of(&first).expect("the generated site builds");
    assert_same_site(
        0,
        "the first build",
        &first_files,
        &files_of(&full_build(&options)).unwrap(),
    );

    let mut rng = Rng(0x5EED_D055_1E12_0013);
    let mut order = EVERY_EDIT.to_vec();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    // Then more, half of them edits of one brief, the commonest by far.
    for _ in 0..60 {
        let kinds: &[Edit] = if rng.below(2) == 0 {
            INCREMENTAL
        } else {
            &EVERY_EDIT
        };
        order.push(*rng.pick(kinds));
    }

    let mut site = Site {
        root: root.clone(),
        serial: 0,
    };
    let mut incremental_steps = 0;
    let mut seen = Vec::new();
    for (i, &kind) in order.iter().enumerate() {
        let step = i + 1;
        let mut edit = kind;
        let name = format!("{edit:?}");
        if edit == Edit::BreakAndFixYaml {
            let briefs = site.briefs();
            let path = rng.pick(&briefs).clone();
            let good = fs::read_to_string(&path).unwrap();
            let broken = if rng.below(2) == 0 {
                good.replacen("title: \"", "title: [\"", 1)
            } else {
                // A brief's date needs a day.
                let date = good.lines().find(|l| l.starts_with("date: ")).unwrap();
                good.replacen(date, &date[..10], 1)
            };
            fs::write(&path, broken).unwrap();
            let broken = session.apply(std::slice::from_ref(&path));
            let Outcome::Failed(problems) = &broken else {
                panic!("step {step}, {name}: a brief with broken YAML still built");
            };
            let shown = format!("{problems:?}");
            assert!(
                shown.contains(&*path.file_name().unwrap().to_string_lossy()),
                "step {step}, {name}: the error does not name the file: {shown}"
            );
            assert!(matches!(full_build(&options), Outcome::Failed(_)));
            fs::write(&path, good).unwrap();
            let fixed = session.apply(&[path]);
            session.settle();
            same_outcome(
                step,
                &format!("{name} (fixed)"),
                &fixed,
                &full_build(&options),
            );
            seen.push(edit);
            continue;
        }
        let changed = loop {
            if let Some(changed) = apply(&mut site, &mut rng, edit) {
                break changed;
            }
            edit = *rng.pick(INCREMENTAL);
        };
        let name = format!(
            "{edit:?} of {:?}",
            changed
                .iter()
                .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
                .collect::<Vec<_>>()
        );
        let outcome = session.apply(&changed);
        session.settle();
        let full = full_build(&options);
        eprintln!(
            "step {step}, {name}: {}",
            match &outcome {
                Outcome::Built(b) if b.full => "rebuilt everything".to_string(),
                Outcome::Built(b) => format!("rebuilt {} pages", b.rendered),
                Outcome::Failed(p) => format!("failed: {:?}", p.iter().find(|d| d.is_error())),
            }
        );
        same_outcome(step, &name, &outcome, &full);
        if let Outcome::Built(built) = &outcome
            && INCREMENTAL.contains(&edit)
        {
            assert!(
                !built.full,
                "step {step}, {name}: fell back to a full build"
            );
            incremental_steps += 1;
        }
        seen.push(edit);
    }
    for kind in EVERY_EDIT {
        assert!(seen.contains(&kind), "the sequence never applied {kind:?}");
    }
    assert!(
        incremental_steps >= 40,
        "only {incremental_steps} incremental rebuilds"
    );
}

/// `graph::update`, which `serve` runs after an edit of a brief's front
/// matter, gives the graph a full resolve gives: every entity, reference,
/// relation and problem, compared whole. On 1,200 briefs, where the common
/// actors are in hundreds of briefs, so that related briefs are found
/// again only near the edited one (`relations::update`).
#[test]
fn resolving_an_edited_brief_again_gives_the_graph_of_a_full_resolve() {
    let briefs = 1200.to_string();
    let dir = common::generated_site(&[
        "--briefs", &briefs, "--people", "40", "--orgs", "10", "--topics", "12", "--places", "12",
    ]);
    let root = dir.path().canonicalize().unwrap();
    let (mut model, _) = content::load(&root, false);
    let (mut graph, _, mut lookups) = graph::resolve_keeping(&model);
    let mut site = Site {
        root: root.clone(),
        serial: 0,
    };
    let mut rng = Rng(0x05EE_D0F9_2A9E);
    // Edits of one brief (a broken file is never resolved).
    let edits: Vec<Edit> = (INCREMENTAL.iter().copied())
        .filter(|&e| e != Edit::BreakAndFixYaml)
        .collect();
    let mut order = edits.clone();
    order.extend((0..90).map(|_| *rng.pick(&edits)));
    for (i, &edit) in order.iter().enumerate() {
        let Some(changed) = apply(&mut site, &mut rng, edit) else {
            continue;
        };
        let mut which = Vec::new();
        for path in &changed {
            let relative = path.strip_prefix(&root).unwrap();
            let b = (model.briefs.iter())
                .position(|b| b.source.path == relative)
                .unwrap();
            model.briefs[b] = content::load_brief(&root, relative)
                .unwrap_or_else(|p| panic!("{edit:?} made {relative:?} fail: {p:?}"));
            which.push(b);
        }
        let name = format!("step {}, {edit:?} of {changed:?}", i + 1);
        let problems = graph::update(&mut graph, &mut lookups, &model, &which);
        let (full, full_problems) = graph::resolve(&model);
        same_graph(&name, &graph, &full);
        assert!(problems == full_problems, "{name}: the problems differ");
    }
}

/// Fails with the first part of two graphs that differs.
fn same_graph(name: &str, updated: &Graph, full: &Graph) {
    same_list(name, "entities", &updated.entities, &full.entities);
    same_list(name, "briefs", &updated.briefs, &full.briefs);
    same_list(
        name,
        "declared related topics",
        &updated.declared_related,
        &full.declared_related,
    );
    for kind in EntityKind::ALL {
        same_list(
            name,
            kind.name(),
            updated.entities_of(kind),
            full.entities_of(kind),
        );
    }
    let (a, b) = (&updated.relations, &full.relations);
    same_list(name, "time order", &a.chronological, &b.chronological);
    same_list(name, "positions in time", &a.position, &b.position);
    same_list(name, "timeline", &a.timeline, &b.timeline);
    same_list(name, "entities' relations", &a.entities, &b.entities);
    same_list(name, "related briefs", &a.related_briefs, &b.related_briefs);
}

fn same_list<T: PartialEq + std::fmt::Debug>(name: &str, what: &str, a: &[T], b: &[T]) {
    if let Some(i) = (0..a.len().min(b.len())).find(|&i| a[i] != b[i]) {
        panic!(
            "{name}: {what} differ at {i}:\n  updated: {:?}\n  full:    {:?}",
            a[i], b[i]
        );
    }
    assert_eq!(a.len(), b.len(), "{name}: {what} differ in number");
}
