//! The README's five-minute tour, followed as written: every file it shows
//! is written where it says, every command it shows is run in order, and
//! every output it shows must be what the command prints (`…` stands for
//! lines left out, and times may differ). When the tour and dossier part
//! ways, this test says where.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fenced block of the tour, with the prose before it.
struct Block {
    info: String,
    text: String,
    before: String,
}

fn tour_blocks() -> Vec<Block> {
    let readme = include_str!("../README.md");
    let start = readme.find("## A five-minute tour").expect("the tour");
    let rest = &readme[start + 3..];
    let tour = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let mut blocks = Vec::new();
    let mut prose = String::new();
    let mut lines = tour.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            prose.push_str(line);
            prose.push('\n');
            continue;
        };
        let mut text = String::new();
        for inner in lines.by_ref() {
            if inner == "```" {
                break;
            }
            text.push_str(inner);
            text.push('\n');
        }
        blocks.push(Block {
            info: info.to_string(),
            text,
            before: std::mem::take(&mut prose),
        });
    }
    blocks
}

/// The last `path.md` named in backticks in `prose`.
fn named_file(prose: &str) -> Option<String> {
    prose
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.ends_with(".md") && !s.contains(' '))
        .last()
        .map(str::to_string)
}

/// `Misspell `A` as `B` in `FILE`` in the prose: (A, B, FILE).
fn misspelling(prose: &str) -> Option<(String, String, String)> {
    let prose = prose.replace('\n', " ");
    let at = prose.find("Misspell `")?;
    let parts: Vec<&str> = prose[at..].split('`').collect();
    Some((
        parts[1].to_string(),
        parts[3].to_string(),
        parts[5].to_string(),
    ))
}

/// Whether `actual` shows `expected`: the same lines in order, where a
/// `…` line stands for any number of lines, and times are not compared.
fn shows(actual: &str, expected: &str) -> bool {
    let times = |line: &str| -> String {
        match line.find(" in ").zip(line.find(" s ")) {
            Some((a, b)) if a < b => format!("{} in T{}", &line[..a], &line[b + 2..]),
            _ => line.to_string(),
        }
    };
    let actual: Vec<String> = actual.lines().map(times).collect();
    let expected: Vec<String> = expected.lines().map(times).collect();
    fn matches(actual: &[String], expected: &[String]) -> bool {
        match expected.split_first() {
            None => actual.is_empty(),
            Some((first, rest)) if first == "…" => {
                (0..=actual.len()).any(|skip| matches(&actual[skip..], rest))
            }
            Some((first, rest)) => actual.first() == Some(first) && matches(&actual[1..], rest),
        }
    }
    matches(&actual, &expected)
}

#[test]
fn the_five_minute_tour_works_as_written() {
    let home = tempfile::tempdir().unwrap();
    let mut cwd: PathBuf = home.path().to_path_buf();
    let mut last_output: Option<(String, String)> = None;
    let mut undo: Option<(PathBuf, String)> = None;
    let mut outputs_checked = 0;
    for block in tour_blocks() {
        match block.info.as_str() {
            "markdown" => {
                let file = named_file(&block.before)
                    .unwrap_or_else(|| panic!("no file named before:\n{}", block.text));
                let path = cwd.join(&file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &block.text).unwrap();
            }
            "sh" => {
                if let Some((from, to, file)) = misspelling(&block.before) {
                    let path = cwd.join(&file);
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert!(text.contains(&from), "{file} has no `{from}`");
                    std::fs::write(&path, text.replacen(&from, &to, 1)).unwrap();
                    undo = Some((path, text));
                }
                for line in block.text.lines() {
                    for command in line.split(" && ") {
                        last_output = Some(run(&mut cwd, command.trim()));
                    }
                }
            }
            "" => {
                let (command, output) = last_output.take().expect("an output follows a command");
                assert!(
                    shows(&output, &block.text),
                    "`{command}` printed:\n{output}\nbut the README shows:\n{}",
                    block.text
                );
                outputs_checked += 1;
                if let Some((path, text)) = undo.take() {
                    std::fs::write(path, text).unwrap();
                }
            }
            other => panic!("a ```{other} block in the tour"),
        }
    }
    assert!(
        outputs_checked >= 5,
        "only {outputs_checked} outputs checked"
    );
    // What the tour promises along the way.
    let public = cwd.join("public");
    assert!(public.join("people/kim-jong-un/index.html").is_file());
    assert!(public.join("people/kim-jong-un/feed.xml").is_file());
    assert!(cwd.join("briefing.zip").is_file());
    let kim = common::Page::open(&public, "people/kim-jong-un/");
    assert!(kim.text("main").contains("Mentioned in"));
}

/// Runs one command of the tour in `cwd` (which `cd` changes); returns the
/// command and what it printed, errors first as a terminal shows them.
fn run(cwd: &mut PathBuf, command: &str) -> (String, String) {
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["cd", dir] => {
            *cwd = cwd.join(dir);
            (command.to_string(), String::new())
        }
        ["dossier", args @ ..] => {
            let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
                .args(args)
                .current_dir(&*cwd)
                .output()
                .unwrap();
            let printed = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stderr),
                String::from_utf8_lossy(&out.stdout)
            );
            (command.to_string(), printed)
        }
        _ => {
            let out = Command::new("sh")
                .args(["-c", command])
                .current_dir(Path::new(&*cwd))
                .output()
                .unwrap_or_else(|e| panic!("`{command}`: {e}"));
            assert!(
                out.status.success(),
                "`{command}` failed (scripts/test installs what the tour needs):\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            (
                command.to_string(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
            )
        }
    }
}
