//! Output that cannot be turned into commands (issue 12): a tree whose
//! file names, headings, items and milestones were written by an attacker
//! (newlines followed by GitHub workflow commands, terminal escape
//! sequences, an OSC window-title sequence, old-style `##[command]`s,
//! property delimiters), run through every output format of `check`,
//! `reports` and `milestones`.
//!
//! What must hold everywhere: no line starts with `::` except milepost's
//! own well-formed annotations, no line contains `##[`, no raw control
//! character but the line feed reaches a reader of text (colours that
//! milepost itself writes aside), the machine formats parse and give the
//! names back, and the docs tables keep their shape.

use std::collections::BTreeSet;
use std::process::Command;

use crate::support::{Run, Tree, binary, good_report, percent_decode};

/// A newline followed by a workflow command.
const NEWLINE_COMMAND: &str = "2016_uke_38\n::error file=a::pwned.rst";
/// Text that looks like GitHub's own escapes.
const PERCENT: &str = "2016_uke_39 %0A::warning::x%25.rst";
/// A colour escape sequence.
const SGR: &str = "2016_uke_40\u{1b}[31mred.rst";
/// An OSC sequence that retitles the terminal window.
const OSC: &str = "2016_uke_41\u{1b}]0;pwned\u{7}.rst";
/// Property delimiters of a workflow command, in a folder and a name.
const DELIMITERS: &str = "docs/a,b:c/2016_uke_42 x,y:z=1.rst";
/// A name that would start a line of the plain listing with a command,
/// after white space that the runner trims.
const LEADING: &str = " ::add-mask::uke_43.rst";
/// An old-style command, which the runner finds anywhere in a line.
const OLD_SYNTAX: &str = "2016_uke_44 ##[add-mask]x.rst";
/// A carriage return, which on a terminal hides what came before it.
const CARRIAGE_RETURN: &str = "2016_uke_45\r::stop-commands::t.rst";

const PATHS: [&str; 8] = [
    NEWLINE_COMMAND,
    PERCENT,
    SGR,
    OSC,
    DELIMITERS,
    LEADING,
    OLD_SYNTAX,
    CARRIAGE_RETURN,
];

/// Section headings that are not in the schema, so that each is quoted
/// in an `unknown-section` message.
const HEADINGS: [&str; 5] = [
    "Bud\u{1b}]0;pwned\u{7}sjett",
    "Risiko \u{1b}[2J\u{1b}[H::warning::cleared",
    "##[add-mask]hemmelig",
    "#\u{200b}#[add-mask]usynlig",
    "Plan \u{202e}txt.exe",
];

/// A report for `week` with every hostile heading, and an item with an
/// escape sequence before a broken link, so that a snippet shows both.
fn hostile_report(week: u32) -> String {
    let mut text = good_report(week).replace(
        "- Oppgradering til mitaka",
        "- Se \u{1b}]0;t\u{7} :doc:`mangler` og oppgradering til mitaka",
    );
    for heading in HEADINGS {
        text.push_str(&format!("\n{heading}\n{}\n\n- Mer.\n", "=".repeat(60)));
    }
    text
}

const MILESTONES: &str = r#"milestones:
  - id: "m1\e]0;pwned\a"
    title: "Lansering\n| injected | row |\n::error::x"
    due: 2016-09-30
    items:
      - id: "i1\r::warning::x"
        title: "[click](https://evil.example) <img src=x onerror=alert(1)>"
        match: [mitaka]
  - id: m2
    title: ".. include:: /etc/passwd"
    due: 2016-11-01
    items:
      - id: dns
        title: "`x <https://evil.example>`_ |sub| *b*"
        match: [DNS]
"#;

fn hostile_tree() -> Tree {
    let tree = Tree::new();
    for (i, path) in PATHS.iter().enumerate() {
        let week = 38 + u32::try_from(i).expect("a few files");
        tree.file(path, hostile_report(week));
    }
    tree.file("milestones.yaml", MILESTONES);
    tree
}

/// Runs the binary with `NO_COLOR` (as `Tree::run`), or with colours
/// forced through `--color always` or `CLICOLOR_FORCE`.
fn run_colored(tree: &Tree, args: &[&str], forced_by_env: bool) -> Run {
    let mut command = Command::new(binary());
    command.current_dir(tree.path()).env_remove("NO_COLOR");
    if forced_by_env {
        command.env("CLICOLOR_FORCE", "1").args(args);
    } else {
        command.args(args).arg("--color").arg("always");
    }
    let output = command.output().expect("run the milepost binary");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Both streams of a run, for the checks that hold for either.
fn both(run: &Run) -> String {
    format!("{}{}", run.stdout, run.stderr)
}

/// No raw control character but the line feed.
fn assert_no_raw_controls(what: &str, text: &str) {
    for (n, line) in text.lines().enumerate() {
        assert!(
            !line.chars().any(char::is_control),
            "{what}: raw control character on line {}: {line:?}",
            n + 1
        );
    }
}

/// `text` without the SGR sequences (`ESC [ digits ; m`) that milepost
/// writes for its own colours.
fn strip_own_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let params = after.strip_prefix('[').map(|p| {
            p.len()
                - p.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .len()
        });
        match params {
            Some(len) if after[1 + len..].starts_with('m') => rest = &after[len + 2..],
            // Not an SGR sequence: keep it, so the check below sees it.
            _ => {
                out.push('\u{1b}');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// No line is, or contains, a workflow command. `own` says whether a line
/// starting with `::` is one of milepost's own annotations (and checks
/// it); outside the `github` format there are none.
fn assert_no_injected_commands(what: &str, text: &str, mut own: impl FnMut(&str) -> bool) {
    for line in text.lines() {
        // The runner skips invisible characters when it compares.
        let skeleton: String = line
            .chars()
            .filter(
                |c| !matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{206f}' | '\u{feff}'),
            )
            .collect();
        // The runner parses a line as an old-style command only if it is
        // not a new-style one, such as milepost's own annotations.
        if skeleton.trim_start().starts_with("::") {
            assert!(own(line), "{what}: injected command {line:?}");
        } else {
            assert!(
                !skeleton.contains("##["),
                "{what}: old-style command in {line:?}"
            );
        }
    }
}

/// Undoes `escapeProperty` / `escapeData` of GitHub's toolkit, as the
/// runner does.
fn github_unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// `::error file=P,line=N,col=N,title=T::M` (or `warning`, `notice`;
/// with `endLine=N,endColumn=N` after `col` for a finding with a span), or
/// `::error title=milepost::M` for a file that could not be read, with
/// every property escaped; returns the unescaped file.
fn parse_annotation(line: &str) -> Option<Option<String>> {
    let rest = ["::error ", "::warning ", "::notice "]
        .iter()
        .find_map(|kind| line.strip_prefix(kind))?;
    let (properties, message) = rest.split_once("::")?;
    if message.contains('\r') {
        return None;
    }
    let pairs: Vec<(&str, &str)> = properties
        .split(',')
        .map(|p| p.split_once('='))
        .collect::<Option<_>>()?;
    if pairs.iter().any(|(_, value)| value.contains(':')) {
        return None;
    }
    let keys: Vec<&str> = pairs.iter().map(|(key, _)| *key).collect();
    match keys.as_slice() {
        ["file", "line", "col", "title"] => {
            pairs[1].1.parse::<u32>().ok()?;
            pairs[2].1.parse::<u32>().ok()?;
            Some(Some(github_unescape(pairs[0].1)))
        }
        ["file", "line", "col", "endLine", "endColumn", "title"] => {
            for (_, number) in &pairs[1..5] {
                number.parse::<u32>().ok()?;
            }
            Some(Some(github_unescape(pairs[0].1)))
        }
        ["title"] if pairs[0].1 == "milepost" => Some(None),
        _ => None,
    }
}

/// The JSON findings of a `check`.
fn json_findings(tree: &Tree) -> Vec<serde_json::Value> {
    tree.run(&["check", "--format", "json"]).json()["findings"]
        .as_array()
        .expect("findings")
        .clone()
}

#[test]
fn hostile_names_can_be_created() {
    // The rest of this file means nothing if the file system refused them.
    let tree = hostile_tree();
    for path in PATHS {
        assert!(tree.path().join(path).is_file(), "{path:?}");
    }
}

#[test]
fn github_format_carries_no_injected_commands() {
    let tree = hostile_tree();
    let findings = json_findings(&tree);
    let run = tree.run(&["check", "--format", "github"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_no_raw_controls("github", &both(&run));
    let mut annotated = BTreeSet::new();
    let mut annotations = 0;
    assert_no_injected_commands("github", &both(&run), |line| match parse_annotation(line) {
        Some(file) => {
            annotations += 1;
            annotated.extend(file);
            true
        }
        None => false,
    });
    // Every finding has its annotation, on the file it is about.
    assert_eq!(annotations, findings.len());
    let expected: BTreeSet<String> = PATHS
        .iter()
        .map(|p| p.trim_start_matches(' ').to_owned())
        .collect();
    let annotated: BTreeSet<String> = annotated
        .into_iter()
        .map(|p| p.trim_start_matches(' ').to_owned())
        .collect();
    // Names with other control characters are annotated with those
    // percent-encoded (the runner does not undo that): no raw escape code
    // in the log is worth more than the file's place in the diff.
    for path in [
        NEWLINE_COMMAND,
        PERCENT,
        DELIMITERS,
        LEADING,
        OLD_SYNTAX,
        CARRIAGE_RETURN,
    ] {
        assert!(
            annotated.contains(path.trim_start_matches(' ')),
            "{path:?} in {annotated:?}"
        );
    }
    assert!(
        annotated.contains("2016_uke_40%1B[31mred.rst"),
        "{annotated:?}"
    );
    // The milestones file has a finding of its own.
    assert_eq!(annotated.len(), expected.len() + 1, "{annotated:?}");
    // The plain listing names every file, escaped.
    for shown in [
        r"2016_uke_38\n::error file=a::pwned.rst:",
        r"2016_uke_40\x1b[31mred.rst:",
        r"2016_uke_41\x1b]0;pwned\x07.rst:",
        r" \x3a:add-mask::uke_43.rst:",
        r"2016_uke_44 ##\x5badd-mask]x.rst:",
        r"unknown section `Bud\x1b]0;pwned\x07sjett`",
    ] {
        assert!(
            run.stdout.lines().any(|l| l.contains(shown)),
            "no {shown:?} in\n{}",
            run.stdout
        );
    }
}

#[test]
fn human_format_shows_control_characters_escaped() {
    let tree = hostile_tree();
    for args in [&["check"][..], &["check", "-q"][..]] {
        let run = tree.run(args);
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        let what = format!("{args:?}");
        assert_no_raw_controls(&what, &both(&run));
        assert_no_injected_commands(&what, &both(&run), |_| false);
        for shown in [
            r"2016_uke_38\n::error file=a::pwned.rst:",
            r"2016_uke_41\x1b]0;pwned\x07.rst:",
            r"2016_uke_45\r::stop-commands::t.rst:",
            r"unknown section `Bud\x1b]0;pwned\x07sjett`",
            r"unknown section `Plan \u{202e}txt.exe`",
        ] {
            assert!(
                run.stdout.contains(shown),
                "no {shown:?} in\n{}",
                run.stdout
            );
        }
    }
}

#[test]
fn human_snippet_caret_stays_under_the_spot_after_escapes() {
    let tree = Tree::new();
    tree.file("2016_uke_38.rst", hostile_report(38));
    let run = tree.run(&["check"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(r"Se \x1b]0;t\x07 :doc:`mangler`"))
        .unwrap_or_else(|| panic!("no snippet of the link in\n{}", run.stdout));
    // The finding points at the link's target.
    let caret = lines[at + 1].find('^').expect("a caret under the snippet");
    assert_eq!(
        lines[at].get(caret..caret + 7),
        Some("mangler"),
        "\n{}\n{}",
        lines[at],
        lines[at + 1]
    );
}

#[test]
fn forced_colours_leave_content_escaped() {
    let tree = hostile_tree();
    for forced_by_env in [false, true] {
        for args in [
            &["check"][..],
            &["reports"][..],
            &["milestones", "--as-of", "2016-10-21", "-v"][..],
        ] {
            let run = run_colored(&tree, args, forced_by_env);
            let what = format!("{args:?} (forced by env: {forced_by_env})");
            let text = strip_own_colours(&both(&run));
            assert_no_raw_controls(&what, &text);
            assert_no_injected_commands(&what, &text, |_| false);
        }
    }
    // The colours are really on, or this test proves nothing.
    let run = run_colored(&tree, &["check"], true);
    assert!(run.stdout.contains("\u{1b}[1m"), "{}", run.stdout);
}

#[test]
fn json_escapes_and_round_trips_the_names() {
    let tree = hostile_tree();
    let run = tree.run(&["check", "--format", "json"]);
    assert_no_raw_controls("json", &run.stdout);
    let paths: BTreeSet<String> = run.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_owned())
        .collect();
    let mut expected: BTreeSet<String> = PATHS.iter().map(|p| (*p).to_owned()).collect();
    // The milestones file has a finding of its own.
    expected.insert("milestones.yaml".into());
    assert_eq!(paths, expected);
    let messages = run.stdout.clone();
    assert!(
        messages.contains(r"Bud\u001b]0;pwned\u0007sjett"),
        "{messages}"
    );
}

#[test]
fn sarif_uris_are_valid_references_that_decode_to_the_names() {
    let tree = hostile_tree();
    let findings = json_findings(&tree);
    let run = tree.run(&["check", "--format", "sarif"]);
    assert_no_raw_controls("sarif", &run.stdout);
    let log = run.json();
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), findings.len());
    for (result, finding) in results.iter().zip(&findings) {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/%".contains(&b)),
            "not a URI reference: {uri}"
        );
        assert_eq!(percent_decode(uri), finding["path"].as_str().expect("path"));
        assert_eq!(
            result["message"]["text"].as_str(),
            Some(message_with_hint(finding).as_str())
        );
    }
}

fn message_with_hint(finding: &serde_json::Value) -> String {
    let message = finding["message"].as_str().expect("message");
    match finding["hint"].as_str() {
        Some(hint) => format!("{message}\nhint: {hint}"),
        None => message.to_owned(),
    }
}

#[test]
fn junit_parses_and_keeps_what_xml_can_hold() {
    let tree = hostile_tree();
    let run = tree.run(&["check", "--format", "junit"]);
    assert_no_raw_controls("junit", &run.stdout);
    let doc = roxmltree::Document::parse(&run.stdout)
        .unwrap_or_else(|err| panic!("not XML ({err}):\n{}", run.stdout));
    let suites: BTreeSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    // Line ends survive as references; other control characters cannot
    // be in XML at all and show as on a terminal.
    for name in [
        NEWLINE_COMMAND,
        PERCENT,
        DELIMITERS,
        LEADING,
        OLD_SYNTAX,
        CARRIAGE_RETURN,
        r"2016_uke_40\x1b[31mred.rst",
        r"2016_uke_41\x1b]0;pwned\x07.rst",
    ] {
        assert!(suites.contains(name), "{name:?} not in {suites:?}");
    }
    let messages: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("message"))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains(r"`Bud\x1b]0;pwned\x07sjett`")),
        "{messages:?}"
    );
}

#[test]
fn reports_table_keeps_one_line_per_report() {
    let tree = hostile_tree();
    let run = tree.run(&["reports"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_no_raw_controls("reports", &both(&run));
    assert_no_injected_commands("reports", &both(&run), |_| false);
    // A header row and a row per report, each on one line.
    let rows = run.stdout.lines().filter(|l| l.starts_with('│')).count();
    assert_eq!(rows, PATHS.len() + 1, "{}", run.stdout);
    assert!(
        run.stdout.contains(r"2016_uke_41\x1b]0;pwned\x07.rst"),
        "{}",
        run.stdout
    );

    let json = tree.run(&["reports", "--format", "json"]);
    let paths: BTreeSet<String> = json.json()["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| r["path"].as_str().expect("path").to_owned())
        .collect();
    let expected: BTreeSet<String> = PATHS.iter().map(|p| (*p).to_owned()).collect();
    assert_eq!(paths, expected);
}

const AS_OF: [&str; 2] = ["--as-of", "2016-10-21"];

fn milestones(tree: &Tree, format: &str) -> Run {
    let mut args = vec!["milestones", "-v", "--format", format];
    args.extend(AS_OF);
    let run = tree.run(&args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run
}

#[test]
fn milestones_table_shows_control_characters_escaped() {
    let tree = hostile_tree();
    let run = milestones(&tree, "table");
    assert_no_raw_controls("milestones table", &both(&run));
    assert_no_injected_commands("milestones table", &both(&run), |_| false);
    assert!(run.stdout.contains(r"m1\x1b]0;pwned\x07"), "{}", run.stdout);
    // A header row and a row per milestone, then a header row, a row per
    // milestone and one per item, each on one line.
    let rows: Vec<usize> = run
        .stdout
        .split("\n\n")
        .map(|table| table.lines().filter(|l| l.starts_with('│')).count())
        .collect();
    assert_eq!(rows, [3, 5], "{}", run.stdout);
}

#[test]
fn milestones_markdown_cannot_inject_rows_links_or_html() {
    let tree = hostile_tree();
    let run = milestones(&tree, "markdown");
    assert_no_raw_controls("milestones markdown", &run.stdout);
    assert_no_injected_commands("milestones markdown", &run.stdout, |_| false);
    let unescaped_pipes = |line: &str| {
        let bytes = line.as_bytes();
        (0..bytes.len())
            .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
            .count()
    };
    let tables: Vec<Vec<&str>> = run
        .stdout
        .split("\n\n")
        .map(|block| {
            block
                .lines()
                .filter(|l| l.starts_with('|'))
                .collect::<Vec<_>>()
        })
        .filter(|rows| !rows.is_empty())
        .collect();
    assert_eq!(tables.len(), 2, "{}", run.stdout);
    for rows in &tables {
        let columns = unescaped_pipes(rows[0]);
        for row in rows {
            assert_eq!(unescaped_pipes(row), columns, "{row}\n{}", run.stdout);
        }
    }
    // Header, separator, two milestones; then header, separator, and two
    // milestones with one item each.
    assert_eq!(tables[0].len(), 4, "{}", run.stdout);
    assert_eq!(tables[1].len(), 6, "{}", run.stdout);
    let unescaped = |needle: char| {
        let bytes = run.stdout.as_bytes();
        (0..bytes.len()).any(|i| bytes[i] == needle as u8 && (i == 0 || bytes[i - 1] != b'\\'))
    };
    for raw in ['<', '>', '&', '`', '*'] {
        assert!(!unescaped(raw), "unescaped {raw:?} in\n{}", run.stdout);
    }
    assert!(
        run.stdout
            .contains(r"\[click\](https://evil.example) \<img src=x onerror=alert(1)\>"),
        "{}",
        run.stdout
    );
}

#[test]
fn milestones_rst_grid_keeps_its_shape_and_holds_no_markup() {
    let tree = hostile_tree();
    let run = milestones(&tree, "rst");
    assert_no_raw_controls("milestones rst", &run.stdout);
    assert_no_injected_commands("milestones rst", &run.stdout, |_| false);
    for grid in run.stdout.split("\n\n").filter(|b| b.starts_with('+')) {
        let widths: BTreeSet<usize> = grid.lines().map(|l| l.chars().count()).collect();
        assert_eq!(widths.len(), 1, "ragged grid:\n{grid}");
        for line in grid.lines() {
            assert!(line.starts_with('+') || line.starts_with('|'), "{line}");
        }
    }
    assert!(
        run.stdout.contains(r"\.. include:: /etc/passwd"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("| .. include"), "{}", run.stdout);
    assert!(
        run.stdout.contains(r"\`x <https://evil.example>\`\_"),
        "{}",
        run.stdout
    );
}

#[test]
fn milestones_json_round_trips_the_text() {
    let tree = hostile_tree();
    let run = milestones(&tree, "json");
    assert_no_raw_controls("milestones json", &run.stdout);
    let json = run.json();
    assert_eq!(json["milestones"][0]["id"], "m1\u{1b}]0;pwned\u{7}");
    assert_eq!(
        json["milestones"][0]["title"],
        "Lansering\n| injected | row |\n::error::x"
    );
}
