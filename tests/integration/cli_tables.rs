//! Tables for people: fitted to `COLUMNS` or the terminal without breaking
//! dates, ids or words; at their natural width without a terminal or on one
//! that reports 0×0; coloured only when colours are on. And `explain` for
//! a terminal, for a docs site and for tools.

use std::path::Path;
use std::process::Command;

use unicode_width::UnicodeWidthStr;

use crate::support::{Tree, binary, good_report};

/// Runs the binary with exactly these colour and width variables.
fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut command = Command::new(binary());
    command.args(args).current_dir(dir);
    for name in [
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "CLICOLOR",
        "COLUMNS",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    let output = command.output().expect("run the milepost binary");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

const MILESTONES: &str = "milestones:
  - id: oppgradere-til-mitaka
    title: Oppgradere til mitaka og deretter til newton i alle regioner
    due: 2016-09-10
    items:
      - id: upgrade
        title: Oppgradering til mitaka
        match: [mitaka]
  - id: lansering
    title: Lansering av tjenesten for alle brukere ved universitetene
    due: 2016-09-20
    items:
      - id: launch
        title: Lansering
        match: [lansering]
";

fn tree() -> Tree {
    let tree = Tree::new();
    for week in [36, 37] {
        tree.file(
            &format!("docs/status/weekly-reports/archive/2016/2016_uke_{week}.rst"),
            good_report(week),
        );
    }
    tree.file("milestones.yaml", MILESTONES);
    tree
}

/// The width of the widest line of the table (a note on stderr may share
/// a pty with it).
fn widest(text: &str) -> usize {
    text.lines()
        .filter(|line| line.starts_with(['┌', '│', '╞', '└']))
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// Words and dates that must appear whole in a fitted table.
const WHOLE: [&str; 6] = [
    "2016-09-09",
    "2016-09-16",
    "2016-W36",
    "Kristiansen",
    "2016_uke_36.rst",
    "0E 0W 0I",
];

#[test]
fn reports_fit_the_width_without_breaking_dates_or_words() {
    let tree = tree();
    let (code, natural) = run_with(tree.path(), &["reports"], &[]);
    assert_eq!(code, 0, "{natural}");
    assert!(
        widest(&natural) > 100,
        "the fixture is wider than 100:\n{natural}"
    );
    let (code, fitted) = run_with(tree.path(), &["reports"], &[("COLUMNS", "100")]);
    assert_eq!(code, 0);
    assert!(widest(&fitted) <= 100, "{fitted}");
    for whole in WHOLE {
        assert!(fitted.contains(whole), "`{whole}` was broken:\n{fitted}");
    }
    assert!(
        fitted.contains("docs/status/"),
        "paths wrap after a slash:\n{fitted}"
    );
    // At 80 columns seven columns of dates and names cannot all fit whole:
    // the author goes (the report names it), the rest fits without
    // breaking any of them, and a line under the table says what went.
    let (_, eighty) = run_with(tree.path(), &["reports"], &[("COLUMNS", "80")]);
    assert!(widest(&eighty) <= 80, "{eighty}");
    for whole in WHOLE.iter().filter(|whole| **whole != "Kristiansen") {
        assert!(eighty.contains(whole), "`{whole}` was broken:\n{eighty}");
    }
    assert!(!eighty.contains("Kristiansen"), "{eighty}");
    assert!(
        eighty.contains("(author left out to fit 80 columns; `--format json` has every column)"),
        "{eighty}"
    );
}

#[test]
fn without_a_terminal_or_a_sane_width_tables_keep_their_natural_width() {
    let tree = tree();
    let (_, natural) = run_with(tree.path(), &["reports"], &[]);
    for columns in ["0", "10", "500", "not a number"] {
        let (_, shown) = run_with(tree.path(), &["reports"], &[("COLUMNS", columns)]);
        assert_eq!(shown, natural, "COLUMNS={columns}");
    }
    for whole in WHOLE {
        assert!(natural.contains(whole), "{natural}");
    }
    // One row per report: nothing wrapped.
    assert_eq!(natural.lines().count(), 7, "{natural}");
}

#[test]
fn milestones_titles_wrap_between_words_and_ids_stay_whole() {
    let tree = tree();
    let args = ["milestones", "--as-of", "2016-09-30"];
    let (code, fitted) = run_with(tree.path(), &args, &[("COLUMNS", "110")]);
    assert_eq!(code, 0, "{fitted}");
    assert!(widest(&fitted) <= 110, "{fitted}");
    for whole in [
        "oppgradere-til-mitaka",
        "2016-09-10",
        "2016-09-20",
        "done-late",
        "overdue",
        // Lansering: no report names it.
        "no report",
        "universitetene",
    ] {
        assert!(fitted.contains(whole), "`{whole}` was broken:\n{fitted}");
    }
    let (_, natural) = run_with(tree.path(), &args, &[]);
    assert!(
        natural.contains("Oppgradere til mitaka og deretter til newton i alle regioner"),
        "{natural}"
    );
    // At 80 columns the ids and the bar cannot stay whole beside the rest:
    // they go, in that order of need, and the table says so.
    let (_, eighty) = run_with(tree.path(), &args, &[("COLUMNS", "80")]);
    assert!(widest(&eighty) <= 80, "{eighty}");
    for whole in [
        "2016-09-10",
        "2016-09-20",
        "done-late",
        "overdue",
        "universitetene",
    ] {
        assert!(eighty.contains(whole), "`{whole}` was broken:\n{eighty}");
    }
    assert!(
        !eighty.contains("[----------]") && !eighty.contains("oppgradere-til-mitaka"),
        "{eighty}"
    );
    assert!(
        eighty.contains(
            "(id, progress left out to fit 80 columns; `--format json` has every column)"
        ),
        "{eighty}"
    );
}

/// A pseudo-terminal through `script`, where the system has it: its size
/// is 0×0 when the test itself has no terminal, which once made every
/// column one character wide; `stty cols` gives it a width.
#[test]
fn on_a_pty_tables_fit_its_width_and_survive_zero_by_zero() {
    let has_script = Command::new("script")
        .args(["-qc", "true", "/dev/null"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("no `script` here; the layout is unit-tested in render::table");
        return;
    }
    let tree = tree();
    let pty = |setup: &str| {
        let command = format!("{setup}'{}' reports", binary().display());
        let mut script = Command::new("script");
        script
            .args(["-qc", &command, "/dev/null"])
            .current_dir(tree.path());
        for name in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "COLUMNS"] {
            script.env_remove(name);
        }
        let output = script.env("NO_COLOR", "1").output().expect("run script");
        String::from_utf8_lossy(&output.stdout).replace('\r', "")
    };
    let zero = pty("stty cols 0 rows 0 2>/dev/null; ");
    for whole in WHOLE {
        assert!(zero.contains(whole), "0×0 broke `{whole}`:\n{zero}");
    }
    assert!(widest(&zero) > 100, "0×0 is natural width:\n{zero}");
    let hundred = pty("stty cols 100 rows 24 2>/dev/null; ");
    assert!(widest(&hundred) <= 100, "{hundred}");
    for whole in WHOLE {
        assert!(
            hundred.contains(whole),
            "100 columns broke `{whole}`:\n{hundred}"
        );
    }
}

#[test]
fn statuses_and_counts_are_coloured_only_when_colour_is_on() {
    let tree = tree();
    let args = ["milestones", "--as-of", "2016-09-30"];
    let coloured = |env: &[(&str, &str)], extra: &[&str]| {
        let mut all = args.to_vec();
        all.extend(extra);
        run_with(tree.path(), &all, env).1.contains('\u{1b}')
    };
    // Not a terminal: off.
    assert!(!coloured(&[], &[]));
    assert!(coloured(&[], &["--color", "always"]));
    assert!(coloured(&[("FORCE_COLOR", "1")], &[]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!coloured(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], &[]));
    assert!(!coloured(&[("FORCE_COLOR", "1")], &["--color", "never"]));
    assert!(!coloured(&[("FORCE_COLOR", "0")], &[]));
    // Markdown is for the docs: never coloured.
    assert!(!coloured(
        &[],
        &["--color", "always", "--format", "markdown"]
    ));
    // The colours change nothing else.
    let (_, plain) = run_with(tree.path(), &args, &[]);
    let (_, forced) = run_with(tree.path(), &args, &[("FORCE_COLOR", "1")]);
    assert_eq!(strip(&forced), plain);
    let (_, reports) = run_with(tree.path(), &["reports", "--color", "always"], &[]);
    assert!(reports.contains('\u{1b}'), "{reports}");
}

/// `text` without ANSI escape sequences (CSI ... final byte).
fn strip(text: &str) -> String {
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

#[test]
fn table_is_an_alias_of_the_default_format() {
    let tree = tree();
    for command in [&["reports"][..], &["milestones", "--as-of", "2016-09-30"]] {
        let (_, human) = run_with(tree.path(), command, &[]);
        let mut table = command.to_vec();
        table.extend(["--format", "table"]);
        let (code, aliased) = run_with(tree.path(), &table, &[]);
        assert_eq!(code, 0);
        assert_eq!(aliased, human);
        let mut explicit = command.to_vec();
        explicit.extend(["--format", "human"]);
        assert_eq!(run_with(tree.path(), &explicit, &[]).1, human);
    }
}

#[test]
fn explain_renders_markdown_for_a_terminal() {
    let tree = Tree::new();
    let (code, shown) = run_with(
        tree.path(),
        &["explain", "staffing-risk"],
        &[("NO_COLOR", "1")],
    );
    assert_eq!(code, 0);
    assert!(shown.contains("\nWhat it checks\n"), "{shown}");
    for line in shown.lines().filter(|line| !line.starts_with("    ")) {
        assert!(
            !line.contains('`') && !line.starts_with('#'),
            "Markdown left: {line}"
        );
    }
    // The table of points is drawn, not left as pipes.
    assert!(!shown.contains("|---"), "{shown}");
    let (_, bold) = run_with(
        tree.path(),
        &["explain", "staffing-risk", "--color", "always"],
        &[],
    );
    assert!(bold.contains("\u{1b}[1mWhat it checks"), "{bold}");
}

#[test]
fn explain_json_gives_one_rule_or_all() {
    let tree = Tree::new();
    let (code, one) = run_with(
        tree.path(),
        &["explain", "S004", "--format", "json"],
        &[("FORCE_COLOR", "1")],
    );
    assert_eq!(code, 0);
    let one: serde_json::Value = serde_json::from_str(&one).expect("JSON");
    assert_eq!(one["name"], "week-mismatch");
    assert_eq!(one["code"], "S004");
    assert_eq!(one["default_severity"], "error");
    assert!(one["summary"].is_string());
    assert!(
        one["explanation"]
            .as_str()
            .is_some_and(|e| e.contains("## What it checks"))
    );
    let (_, all) = run_with(tree.path(), &["explain", "--format", "json"], &[]);
    let all: serde_json::Value = serde_json::from_str(&all).expect("JSON");
    let all = all.as_array().expect("an array");
    assert!(all.len() > 20);
    assert!(
        all.iter()
            .any(|r| r["name"] == "edited-after-publish" && r["enabled_by_default"] == false)
    );
}

#[test]
fn explain_markdown_is_a_docs_page() {
    let tree = Tree::new();
    let (code, all) = run_with(tree.path(), &["explain", "--format", "markdown"], &[]);
    assert_eq!(code, 0);
    assert!(all.starts_with("# Rules\n"), "{all}");
    assert!(all.contains("\n## week-mismatch (S004)\n"), "{all}");
    assert!(
        all.contains("\n### What it checks\n"),
        "headings one level down"
    );
    let (code, _) = run_with(
        tree.path(),
        &["explain", "nonsense", "--format", "markdown"],
        &[],
    );
    assert_eq!(code, 2);
}
