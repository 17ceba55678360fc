//! The CI formats (`github`, `sarif`, `junit`), read back the way their
//! consumers read them: SARIF with the `serde-sarif` types (generated from
//! the official schema) and validated against that schema, JUnit with an
//! XML parser, GitHub commands by undoing the toolkit's escaping. Each is
//! compared with the JSON output of the same run, so a format can neither
//! lose a finding nor change one.
//!
//! The exact text of each format is pinned by the `tests/cmd/format-*`
//! cases; these tests are about structure and escaping.

use milepost::rules::Rule;
use serde_sarif::sarif::{ResultLevel, Sarif};

use crate::support::{Run, Tree, good_report, percent_decode};

/// A section title that needs escaping in every format: XML markup and
/// quotes, a percent sign, a comma and a colon.
const NASTY: &str = r#"Budsjett & "R&D" <50%>, 'Q3': ok"#;

/// Where the nasty path's report lives: a space, a comma, a percent sign
/// and a non-ASCII letter, for URIs and GitHub properties.
const ODD_PATH: &str = "docs/status/team a,b 100% før/2016_uke_40.rst";

/// Errors, warnings and (with `--severity empty-section=info`) infos in a
/// reStructuredText and a Markdown report, a clean report, a report under
/// an awkward path, and a symbolic link to nothing that becomes a note.
/// A symbolic link named like a report that leads nowhere (a note, not a
/// finding: there is nothing to check).
fn dangling_link(tree: &Tree, relative: &str) {
    let link = tree.path().join(relative);
    #[cfg(unix)]
    std::os::unix::fs::symlink("no-such-target.rst", &link).expect("symlink");
    #[cfg(not(unix))]
    let _ = link;
}

fn mixed_tree() -> Tree {
    let tree = Tree::new();
    // Clean.
    tree.file("docs/status/2016_uke_38.rst", good_report(38));
    // Planned before In progress (warning), an empty section (info), an
    // unknown section with a nasty title (error).
    let swapped = swap_sections(
        &good_report(39),
        "Under arbeid",
        "Planlagt fremdrift",
        "Utfordringer",
    )
    .replace(
        "- API-tilgang er ikke optimal slik den er satt opp nå.\n\n",
        "",
    );
    let underline = "=".repeat(NASTY.chars().count());
    tree.file(
        "docs/status/2016_uke_39.rst",
        format!("{swapped}\n{NASTY}\n{underline}\n\n- Mer.\n"),
    );
    // Week mismatch (error), order (warning), empty (info).
    tree.file(
        "docs/status/2016_week_40.md",
        "# Week 39\n\nby Raymond Kristiansen, UH IaaS, October 7, 2016\n\n\
         ## Completed\n\n- Keystone.\n\n## Planned\n\n- Ceph.\n\n## In progress\n\n- DNS.\n\n\
         ## Challenges\n\n## Status update\n\nTracked on Trello.\n",
    );
    // A title mismatch under a path that needs escaping.
    tree.file(ODD_PATH, good_report(40).replace("Uke 40", "Uke 41"));
    dangling_link(&tree, "docs/status/uke_41.rst");
    tree
}

/// `report` with its adjacent sections `a` and `b` in the other order;
/// `next` is the section after `b`.
fn swap_sections(report: &str, a: &str, b: &str, next: &str) -> String {
    let at = |title: &str| {
        report
            .find(&format!("\n{title}\n="))
            .unwrap_or_else(|| panic!("no section {title}"))
            + 1
    };
    let (a, b, next) = (at(a), at(b), at(next));
    format!(
        "{}{}{}{}",
        &report[..a],
        &report[b..next],
        &report[a..b],
        &report[next..]
    )
}

const ARGS: &[&str] = &["check", "--severity", "empty-section=info"];

fn run(tree: &Tree, format: &str) -> Run {
    let mut args = ARGS.to_vec();
    args.extend(["--format", format]);
    let run = tree.run(&args);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stderr, "");
    run
}

/// The findings of the JSON output, which the other formats must match.
fn json_findings(tree: &Tree) -> Vec<serde_json::Value> {
    let findings = run(tree, "json").json()["findings"]
        .as_array()
        .expect("findings")
        .clone();
    let severities: Vec<&str> = findings
        .iter()
        .map(|f| f["severity"].as_str().expect("severity"))
        .collect();
    for wanted in ["error", "warning", "info"] {
        assert!(
            severities.contains(&wanted),
            "no {wanted} in {severities:?}"
        );
    }
    for ext in [".rst", ".md"] {
        for severity in ["error", "warning", "info"] {
            assert!(
                findings.iter().any(
                    |f| f["path"].as_str().unwrap().ends_with(ext) && f["severity"] == severity
                ),
                "the fixture lacks an {severity} in a {ext} report"
            );
        }
    }
    findings
}

fn str_of<'a>(finding: &'a serde_json::Value, key: &str) -> &'a str {
    finding[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {finding}"))
}

fn num_of(finding: &serde_json::Value, key: &str) -> i64 {
    finding[key]
        .as_i64()
        .unwrap_or_else(|| panic!("{key} in {finding}"))
}

fn message_with_hint(finding: &serde_json::Value) -> String {
    match finding["hint"].as_str() {
        Some(hint) => format!("{}\nhint: {hint}", str_of(finding, "message")),
        None => str_of(finding, "message").to_owned(),
    }
}

// ---------------------------------------------------------------- SARIF

fn sarif_schema_errors(instance: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/sarif-schema-2.1.0.json"))
            .expect("the SARIF schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_reads_back_with_the_official_types_and_validates() {
    let tree = mixed_tree();
    let findings = json_findings(&tree);
    let run = run(&tree, "sarif");
    assert_eq!(sarif_schema_errors(&run.json()), Vec::<String>::new());
    let sarif: Sarif = serde_json::from_str(&run.stdout).expect("serde-sarif reads the output");

    assert_eq!(
        sarif.schema.as_deref(),
        Some("https://json.schemastore.org/sarif-2.1.0.json")
    );
    assert_eq!(sarif.version, "2.1.0");
    assert_eq!(sarif.runs.len(), 1);
    let sarif_run = &sarif.runs[0];

    let driver = &sarif_run.tool.driver;
    assert_eq!(driver.name, "milepost");
    assert_eq!(driver.version.as_deref(), Some(env!("CARGO_PKG_VERSION")));
    assert_eq!(
        driver.information_uri.as_deref(),
        Some(env!("CARGO_PKG_REPOSITORY"))
    );
    let rules = driver.rules.as_ref().expect("driver.rules");
    assert_eq!(rules.len(), Rule::ALL.len());
    for (descriptor, rule) in rules.iter().zip(Rule::ALL) {
        assert_eq!(descriptor.id, rule.name());
        let name = descriptor.name.as_deref().expect("rule name");
        assert_eq!(name.to_lowercase(), rule.name().replace('-', ""));
        let short = descriptor.short_description.as_ref().expect("short");
        assert_eq!(short.text, rule.summary());
        let full = descriptor.full_description.as_ref().expect("full");
        assert_eq!(full.text, rule.summary());
        let help = descriptor.help.as_ref().expect("help");
        assert_eq!(help.text, rule.explain());
        assert_eq!(help.markdown.as_deref(), Some(rule.explain()));
        let level = descriptor
            .default_configuration
            .as_ref()
            .and_then(|c| c.level.as_ref())
            .expect("defaultConfiguration.level");
        assert_eq!(level, &sarif_level(rule.default_severity().as_str()));
        let properties = descriptor.properties.as_ref().expect("properties");
        assert_eq!(
            properties.additional_properties.get("code"),
            Some(&serde_json::Value::from(rule.code()))
        );
    }

    let invocations = sarif_run.invocations.as_ref().expect("invocations");
    assert!(invocations[0].execution_successful);
    let notes = invocations[0]
        .tool_execution_notifications
        .as_ref()
        .expect("the dangling link's note");
    assert!(
        notes.iter().any(|n| n
            .message
            .text
            .as_deref()
            .is_some_and(|t| t.contains("uke_41.rst") && t.contains("symbolic link"))),
        "{notes:?}"
    );
    assert_eq!(
        sarif_run.column_kind,
        Some(serde_json::Value::from("unicodeCodePoints"))
    );

    let results = sarif_run.results.as_ref().expect("results");
    assert_eq!(results.len(), findings.len());
    let mut fingerprints = std::collections::HashSet::new();
    for (result, finding) in results.iter().zip(&findings) {
        let rule_id = result.rule_id.as_deref().expect("ruleId");
        assert_eq!(rule_id, str_of(finding, "rule"));
        let index = usize::try_from(result.rule_index.expect("ruleIndex")).expect("index >= 0");
        assert_eq!(rules[index].id, rule_id);
        let expected_level = match str_of(finding, "severity") {
            "error" => ResultLevel::Error,
            "warning" => ResultLevel::Warning,
            _ => ResultLevel::Note,
        };
        assert_eq!(result.level, Some(expected_level));
        assert_eq!(
            result.message.text.as_deref(),
            Some(message_with_hint(finding).as_str())
        );

        let locations = result.locations.as_ref().expect("locations");
        assert_eq!(locations.len(), 1);
        let physical = locations[0]
            .physical_location
            .as_ref()
            .expect("physicalLocation");
        let artifact = physical.artifact_location.as_ref().expect("artifact");
        assert_eq!(artifact.uri_base_id.as_deref(), Some("%SRCROOT%"));
        let uri = artifact.uri.as_deref().expect("uri");
        assert_eq!(percent_decode(uri), str_of(finding, "path"));
        let region = physical.region.as_ref().expect("region");
        assert_eq!(region.start_line, Some(num_of(finding, "line")));
        assert_eq!(region.start_column, Some(num_of(finding, "column")));

        let partial = result.partial_fingerprints.as_ref().expect("fingerprints");
        let fingerprint = partial.get("milepost/v1").expect("milepost/v1");
        assert_eq!(fingerprint.len(), 16, "{fingerprint}");
        assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(fingerprints.insert(fingerprint.clone()), "{fingerprint}");
    }
    let odd = results
        .iter()
        .filter_map(|r| r.locations.as_ref()?[0].physical_location.as_ref())
        .filter_map(|p| p.artifact_location.as_ref()?.uri.as_deref())
        .find(|uri| uri.contains("team"))
        .expect("a finding under the odd path");
    assert_eq!(
        odd,
        "docs/status/team%20a,b%20100%25%20f%C3%B8r/2016_uke_40.rst"
    );
}

fn sarif_level(severity: &str) -> serde_json::Value {
    serde_json::Value::from(if severity == "info" { "note" } else { severity })
}

#[test]
fn sarif_fingerprints_survive_shifted_lines() {
    let tree = mixed_tree();
    let before = run(&tree, "sarif").json();
    let report = std::fs::read_to_string(tree.path().join("docs/status/2016_week_40.md"))
        .expect("read the report");
    tree.file(
        "docs/status/2016_week_40.md",
        report.replace("## Completed", "\n\n\n## Completed"),
    );
    let after = run(&tree, "sarif").json();
    let pick = |log: &serde_json::Value| -> Vec<(i64, String)> {
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(".md"))
                    && r["ruleId"] != "week-mismatch"
            })
            .map(|r| {
                (
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_i64()
                        .expect("startLine"),
                    r["partialFingerprints"]["milepost/v1"]
                        .as_str()
                        .expect("fingerprint")
                        .to_owned(),
                )
            })
            .collect()
    };
    let (before, after) = (pick(&before), pick(&after));
    assert_eq!(before.len(), 2, "{before:?}");
    assert_eq!(before.len(), after.len());
    for ((line_before, fp_before), (line_after, fp_after)) in before.iter().zip(&after) {
        assert_eq!(line_before + 3, *line_after);
        assert_eq!(fp_before, fp_after);
    }
}

#[test]
fn sarif_of_a_clean_tree_has_an_empty_result_list() {
    let tree = Tree::new();
    tree.file("2016_uke_38.rst", good_report(38));
    let run = tree.run(&["check", "--format", "sarif"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let log = run.json();
    assert_eq!(sarif_schema_errors(&log), Vec::<String>::new());
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

// ---------------------------------------------------------------- JUnit

#[test]
fn junit_parses_back_with_one_suite_per_file_and_exact_text() {
    let tree = mixed_tree();
    let findings = json_findings(&tree);
    let run = run(&tree, "junit");
    let doc = roxmltree::Document::parse(&run.stdout)
        .unwrap_or_else(|err| panic!("not XML ({err}):\n{}", run.stdout));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("name"), Some("milepost"));

    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<&str> = suites.iter().filter_map(|s| s.attribute("name")).collect();
    assert_eq!(
        names,
        [
            "docs/status/2016_uke_38.rst",
            "docs/status/2016_uke_39.rst",
            "docs/status/2016_week_40.md",
            ODD_PATH,
            "milepost",
        ]
    );

    let failing = findings.iter().filter(|f| f["severity"] != "info").count();
    let count = |node: roxmltree::Node, attribute: &str| -> usize {
        node.attribute(attribute)
            .unwrap_or_else(|| panic!("{attribute}"))
            .parse()
            .expect("a number")
    };
    assert_eq!(count(root, "failures"), failing);
    assert_eq!(count(root, "errors"), 0);
    // One test case per finding, plus one for the clean file.
    assert_eq!(count(root, "tests"), findings.len() + 1);

    let clean = suites[0];
    let cases: Vec<_> = clean
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].attribute("name"), Some("clean"));
    assert_eq!(cases[0].attribute("classname"), Some(names[0]));
    assert!(!cases[0].has_children());

    let mut cases = suites[1..4].iter().flat_map(|suite| {
        assert_eq!(
            count(*suite, "tests"),
            suite
                .children()
                .filter(|n| n.has_tag_name("testcase"))
                .count()
        );
        suite.children().filter(|n| n.has_tag_name("testcase"))
    });
    for finding in &findings {
        let case = cases.next().expect("a test case per finding");
        let (path, rule) = (str_of(finding, "path"), str_of(finding, "rule"));
        let (line, column) = (num_of(finding, "line"), num_of(finding, "column"));
        assert_eq!(case.attribute("classname"), Some(path));
        assert_eq!(
            case.attribute("name"),
            Some(format!("{rule} at {line}:{column}").as_str())
        );
        let text = format!(
            "{path}:{line}:{column}: {}[{rule}] {}",
            str_of(finding, "severity"),
            message_with_hint(finding)
        );
        let failure = case.children().find(|n| n.has_tag_name("failure"));
        if finding["severity"] == "info" {
            assert!(failure.is_none(), "an info passes: {finding}");
            let out = case
                .children()
                .find(|n| n.has_tag_name("system-out"))
                .expect("system-out");
            assert_eq!(out.text(), Some(text.as_str()));
        } else {
            let failure = failure.expect("a failure");
            assert_eq!(
                failure.attribute("message"),
                Some(str_of(finding, "message"))
            );
            assert_eq!(failure.attribute("type"), Some(rule));
            assert_eq!(failure.text(), Some(text.as_str()));
        }
    }
    assert!(cases.next().is_none());

    // The nasty section title made it through attribute escaping intact.
    assert!(
        findings
            .iter()
            .any(|f| str_of(f, "message").contains(NASTY)),
        "no finding quotes {NASTY}"
    );
    // The note about the dangling link.
    let notes = suites[4]
        .children()
        .find(|n| n.has_tag_name("system-out"))
        .and_then(|n| n.text())
        .expect("notes");
    assert!(
        notes.contains("uke_41.rst: a symbolic link to nothing, skipped"),
        "{notes}"
    );
}

#[test]
fn junit_shows_characters_xml_cannot_hold_escaped() {
    // A section title with a control character: the finding quotes it,
    // the XML must still parse, and the character shows as `\x1b`.
    let tree = Tree::new();
    tree.file(
        "2016_uke_38.rst",
        format!("{}\nBud\u{1b}sjett\n=========\n\n- Mer.\n", good_report(38)),
    );
    let run = tree.run(&["check", "--format", "junit"]);
    let doc = roxmltree::Document::parse(&run.stdout)
        .unwrap_or_else(|err| panic!("not XML ({err}):\n{}", run.stdout));
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("a finding");
    assert!(
        failure
            .attribute("message")
            .is_some_and(|m| m.contains("`Bud\\x1bsjett`")),
        "{:?}",
        failure.attribute("message")
    );
}

// ---------------------------------------------------------------- GitHub

/// Undoes `escapeData` / `escapeProperty` of GitHub's toolkit.
fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_commands_carry_every_finding_and_then_a_plain_listing() {
    let tree = mixed_tree();
    let findings = json_findings(&tree);
    let run = run(&tree, "github");
    let (commands, plain) = run
        .stdout
        .split_once("\n\n")
        .expect("a blank line after the commands");

    let commands: Vec<&str> = commands.lines().collect();
    assert_eq!(commands.len(), findings.len());
    for (command, finding) in commands.iter().zip(&findings) {
        let kind = match str_of(finding, "severity") {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let rest = command
            .strip_prefix(&format!("::{kind} "))
            .unwrap_or_else(|| panic!("not ::{kind}: {command}"));
        let (properties, message) = rest.split_once("::").expect("::message");
        // Escaped properties hold no raw `,` or `:`, so this split is safe.
        let properties: Vec<(&str, String)> = properties
            .split(',')
            .map(|p| {
                let (key, value) = p.split_once('=').expect("key=value");
                assert!(!value.contains(':'), "unescaped colon in {command}");
                (key, unescape(value))
            })
            .collect();
        let mut expected = vec![
            ("file", str_of(finding, "path").to_owned()),
            ("line", num_of(finding, "line").to_string()),
            ("col", num_of(finding, "column").to_string()),
        ];
        // A finding about a value spans it: GitHub's end column is the
        // last column of the value, the JSON's the one after it.
        if let Some(end) = finding["end_column"].as_u64() {
            expected.push(("endLine", num_of(finding, "line").to_string()));
            expected.push(("endColumn", (end - 1).to_string()));
        }
        expected.push(("title", str_of(finding, "rule").to_owned()));
        assert_eq!(properties, expected);
        assert!(!message.contains('\n') && !message.contains('\r'));
        assert_eq!(unescape(message), message_with_hint(finding));
    }
    assert!(run.stdout.contains("%25"), "the % in the title is escaped");

    // The plain part: the quiet human lines, the notes, the human summary.
    let quiet = tree.run(&["check", "-q", "--severity", "empty-section=info"]);
    let human = tree.run(&["check", "--severity", "empty-section=info"]);
    let plain: Vec<&str> = plain.lines().collect();
    let quiet: Vec<&str> = quiet.stdout.lines().collect();
    assert_eq!(plain[..quiet.len()], quiet[..]);
    assert_eq!(
        plain[quiet.len()..],
        [
            "note: docs/status/uke_41.rst: a symbolic link to nothing, skipped",
            "note: not a git repository: late-report, byline-vs-commit and edited-after-publish were skipped",
            human.stdout.lines().last().expect("a summary"),
        ]
    );
}

#[test]
fn github_on_a_clean_tree_prints_only_the_summary() {
    let tree = Tree::new();
    git2::Repository::init(tree.path()).expect("git init");
    tree.file("2016_uke_38.rst", good_report(38));
    let run = tree.run(&["check", "--format", "github"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "checked 1 report: 0 errors, 0 warnings, 0 infos\n"
    );
}
