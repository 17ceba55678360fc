//! Differential test of the reStructuredText reader against docutils.
//!
//! Every fixture in `tests/rst/*.rst` is read by milepost
//! (`source::decode`, then `report::parse`) and by docutils through
//! `tests/rst/docutils_tree.py`, which prints what milepost's model would
//! hold according to docutils (its module documentation says how docutils'
//! tree is mapped). The two are compared aspect by aspect:
//!
//! * `sections`: the document title (text, line) and every section (title,
//!   depth, line of the title text);
//! * `items`: the preamble paragraphs' lines and, per section, the line of
//!   each top-level item (so their count too);
//! * `tables`: every grid and simple table: its line, and its header and
//!   body rows (line and cell texts);
//! * `links`: `:doc:` targets and `include`/`literalinclude`/`image`/
//!   `figure` arguments, as a sorted list of `(kind, target)`;
//! * `comments`: line and text (lines trimmed, inner white space collapsed)
//!   of every non-empty comment.
//!
//! # Exceptions
//!
//! Where milepost deliberately differs from docutils (the deviations listed
//! in `src/report/rst/mod.rs`), the fixture says so in a comment
//!
//! ```rst
//! .. milepost-oracle: skip=tables; grid cells spanning rows are split per row
//! ```
//!
//! naming the aspects to leave out and, after `;`, why. The exception is
//! narrow on purpose: it only skips the named aspects of that one fixture,
//! the reason is required, and an exception that is no longer needed (the
//! aspect agrees) fails the test, so exceptions cannot outlive the
//! difference they excuse. Anything else that differs is a bug in the
//! reader.
//!
//! # Python
//!
//! docutils comes from `MILEPOST_PYTHON` (which `.ci/run` points at its
//! virtual environment), else from `python3` if it can import docutils.
//! Without it the test prints why it skipped and passes, except under CI
//! (`CI` set), where a skipped oracle would hide regressions: there it
//! fails. One Python process reads all fixtures, so the test takes about a
//! second.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use milepost::report::{self, Document, Format, LinkKind, TableRow};
use serde_json::{Value, json};

/// The aspects compared, in the order failures are reported.
const ASPECTS: [&str; 5] = ["sections", "items", "tables", "links", "comments"];

/// The brief asks for a broad fixture set; keep it from silently shrinking.
const MIN_FIXTURES: usize = 45;

const EXCEPTION_MARKER: &str = ".. milepost-oracle:";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rst")
}

fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("read tests/rst")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rst"))
        .collect();
    paths.sort();
    paths
}

/// The Python that runs the oracle, or why there is none.
fn python() -> Result<PathBuf, String> {
    // The fixtures' expectations are those of the docutils that
    // `.ci/requirements.txt` pins; older releases number some lines
    // differently, so they do not count as an oracle.
    let can_import = |python: &Path| {
        Command::new(python)
            .args([
                "-c",
                "import docutils, sys; v = tuple(int(p) for p in docutils.__version__.split('.')[:2]); sys.exit(0 if v >= (0, 22) else 1)",
            ])
            .output()
            .is_ok_and(|out| out.status.success())
    };
    if let Some(python) = std::env::var_os("MILEPOST_PYTHON") {
        let python = PathBuf::from(python);
        // A configured interpreter that cannot run the oracle is a broken
        // set-up, never a reason to skip.
        assert!(
            can_import(&python),
            "MILEPOST_PYTHON={} cannot import docutils 0.22 or newer (pip install -r .ci/requirements.txt)",
            python.display()
        );
        return Ok(python);
    }
    let python3 = PathBuf::from("python3");
    if can_import(&python3) {
        Ok(python3)
    } else {
        Err("neither MILEPOST_PYTHON is set nor can python3 import docutils 0.22 or newer (pip install -r .ci/requirements.txt)".into())
    }
}

/// docutils' view of every fixture, keyed by path.
fn oracle(python: &Path, paths: &[PathBuf]) -> BTreeMap<String, Value> {
    let script = fixture_dir().join("docutils_tree.py");
    let output = Command::new(python)
        .arg(&script)
        .args(paths)
        .output()
        .expect("run tests/rst/docutils_tree.py");
    assert!(
        output.status.success(),
        "docutils_tree.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("docutils_tree.py prints JSON")
}

fn link_kind(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Doc => "doc",
        LinkKind::Include => "include",
        LinkKind::LiteralInclude => "literal-include",
        LinkKind::Image => "image",
        LinkKind::Figure => "figure",
        LinkKind::Relative => "relative",
    }
}

fn rows(rows: &[TableRow]) -> Value {
    rows.iter()
        .map(|row| json!({"line": row.line, "cells": row.cells}))
        .collect()
}

/// Comment text compared line by line, each line trimmed (docutils keeps
/// relative indentation, milepost documents trimmed lines) and its inner
/// white space collapsed (docutils expands tabs, milepost keeps the text as
/// written).
fn comment_text(text: &str) -> String {
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// milepost's document in the oracle's shape, split into aspects.
fn milepost_view(doc: &Document) -> BTreeMap<&'static str, Value> {
    let title = doc
        .title
        .as_ref()
        .map(|t| json!({"text": t.text, "line": t.pos.line}));
    let sections: Vec<Value> = doc
        .sections
        .iter()
        .map(|s| json!({"title": s.heading.text, "depth": s.depth, "line": s.heading.pos.line}))
        .collect();
    let items: Vec<Value> = doc
        .sections
        .iter()
        .map(|s| json!(s.items.iter().map(|i| i.pos.line).collect::<Vec<_>>()))
        .collect();
    let preamble: Vec<u32> = doc.preamble.iter().map(|p| p.pos.line).collect();
    let tables: Vec<Value> = doc
        .tables
        .iter()
        .map(|t| json!({"line": t.pos.line, "header": rows(&t.header), "rows": rows(&t.rows)}))
        .collect();
    let mut links: Vec<(String, String)> = doc
        .links
        .iter()
        .map(|l| (link_kind(l.kind).to_string(), l.target.clone()))
        .collect();
    links.sort();
    let comments: Vec<Value> = doc
        .comments
        .iter()
        .map(|c| json!({"line": c.pos.line, "text": comment_text(&c.text)}))
        .collect();
    BTreeMap::from([
        ("sections", json!({"title": title, "sections": sections})),
        ("items", json!({"preamble": preamble, "sections": items})),
        ("tables", json!(tables)),
        ("links", json!(links)),
        ("comments", json!(comments)),
    ])
}

/// The oracle's answer for one file in the same shape as [`milepost_view`].
fn docutils_view(tree: &Value) -> BTreeMap<&'static str, Value> {
    let list = |key: &str| tree[key].as_array().cloned().unwrap_or_default();
    let sections = list("sections");
    let headings: Vec<Value> = sections
        .iter()
        .map(|s| json!({"title": s["title"], "depth": s["depth"], "line": s["line"]}))
        .collect();
    let items: Vec<Value> = sections.iter().map(|s| s["items"].clone()).collect();
    let mut links: Vec<(String, String)> = list("links")
        .iter()
        .map(|l| {
            (
                l[0].as_str().unwrap_or_default().to_string(),
                l[1].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    links.sort();
    let comments: Vec<Value> = list("comments")
        .iter()
        .map(|c| {
            json!({"line": c["line"], "text": comment_text(c["text"].as_str().unwrap_or_default())})
        })
        .collect();
    BTreeMap::from([
        (
            "sections",
            json!({"title": tree["title"], "sections": headings}),
        ),
        (
            "items",
            json!({"preamble": tree["preamble"], "sections": items}),
        ),
        ("tables", tree["tables"].clone()),
        ("links", json!(links)),
        ("comments", json!(comments)),
    ])
}

/// The aspects a fixture's `.. milepost-oracle: skip=a,b; reason` comments
/// exempt. Malformed exception comments are errors, not ignored.
fn exceptions(path: &Path, text: &str) -> Result<BTreeSet<String>, String> {
    let mut skipped = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix(EXCEPTION_MARKER) else {
            continue;
        };
        let where_ = format!("{}:{}", path.display(), n + 1);
        let (list, reason) = rest
            .trim()
            .strip_prefix("skip=")
            .and_then(|r| r.split_once(';'))
            .ok_or_else(|| {
                format!("{where_}: expected `{EXCEPTION_MARKER} skip=ASPECT[,ASPECT]; reason`")
            })?;
        if reason.trim().is_empty() {
            return Err(format!("{where_}: an oracle exception needs a reason"));
        }
        for aspect in list.split(',').map(str::trim) {
            if !ASPECTS.contains(&aspect) {
                return Err(format!(
                    "{where_}: unknown aspect `{aspect}` (one of {ASPECTS:?})"
                ));
            }
            skipped.insert(aspect.to_string());
        }
    }
    Ok(skipped)
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Every disagreement in one fixture, honouring its exceptions.
fn compare(path: &Path, tree: &Value) -> Vec<String> {
    let bytes = std::fs::read(path).expect("read a fixture");
    let text = match milepost::source::decode(bytes) {
        Ok(text) => text,
        Err(err) => return vec![format!("{}: not decodable: {err:?}", path.display())],
    };
    let skipped = match exceptions(path, &text) {
        Ok(skipped) => skipped,
        Err(err) => return vec![err],
    };
    let ours = milepost_view(&report::parse(Format::Rst, &text));
    let theirs = docutils_view(tree);
    let mut failures = Vec::new();
    for aspect in ASPECTS {
        let (mine, oracle) = (&ours[aspect], &theirs[aspect]);
        let differs = mine != oracle;
        let exempt = skipped.contains(aspect);
        if differs && !exempt {
            failures.push(format!(
                "{}: {aspect} differ\n--- milepost\n{}\n--- docutils\n{}",
                path.display(),
                pretty(mine),
                pretty(oracle)
            ));
        } else if !differs && exempt {
            failures.push(format!(
                "{}: `skip={aspect}` is stale: milepost and docutils now agree; remove it",
                path.display()
            ));
        }
    }
    failures
}

#[test]
fn rst_reader_agrees_with_docutils() {
    let paths = fixtures();
    let python = match python() {
        Ok(python) => python,
        Err(why) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "the docutils oracle cannot run under CI: {why}"
            );
            eprintln!("SKIPPED rst_reader_agrees_with_docutils: {why}");
            return;
        }
    };
    let trees = oracle(&python, &paths);
    let mut failures = Vec::new();
    if paths.len() < MIN_FIXTURES {
        failures.push(format!(
            "only {} fixtures in tests/rst (want at least {MIN_FIXTURES})",
            paths.len()
        ));
    }
    for path in &paths {
        let key = path.to_string_lossy();
        match trees.get(key.as_ref()) {
            Some(tree) => failures.extend(compare(path, tree)),
            None => failures.push(format!("{key}: missing from the oracle's output")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreement(s) with docutils:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn exception_comments_are_checked() {
    let path = Path::new("x.rst");
    let ok = exceptions(path, "a\n.. milepost-oracle: skip=tables, links; why\n").unwrap();
    assert_eq!(ok.into_iter().collect::<Vec<_>>(), ["links", "tables"]);
    assert!(exceptions(path, ".. milepost-oracle: skip=tables\n").is_err());
    assert!(exceptions(path, ".. milepost-oracle: skip=tables;  \n").is_err());
    assert!(exceptions(path, ".. milepost-oracle: skip=everything; x\n").is_err());
}
