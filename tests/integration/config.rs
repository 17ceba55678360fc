//! Config discovery and the published JSON Schema.

use crate::support::{Tree, good_report, run_in};

fn json_schema() -> serde_json::Value {
    serde_json::from_str(include_str!("../../schema/milepost.schema.json"))
        .expect("the JSON Schema is JSON")
}

fn validate(yaml: &str) -> Vec<String> {
    let instance: serde_json::Value = serde_yaml::from_str(yaml).expect("the example is YAML");
    let schema = json_schema();
    let validator = jsonschema::validator_for(&schema).expect("the JSON Schema compiles");
    validator
        .iter_errors(&instance)
        .map(|e| e.to_string())
        .collect()
}

/// The YAML block that follows the `config-example` marker in the README.
fn readme_example() -> String {
    let readme = include_str!("../../README.md");
    let marker = readme
        .find("<!-- config-example")
        .expect("README marks its config example");
    let block = &readme[marker..];
    let start = block
        .find("```yaml\n")
        .expect("a yaml block follows the marker")
        + "```yaml\n".len();
    let end = block[start..].find("```").expect("the block ends");
    block[start..start + end].to_owned()
}

#[test]
fn readme_and_example_configs_validate_against_the_json_schema() {
    assert_eq!(validate(&readme_example()), Vec::<String>::new());
    assert_eq!(
        validate(include_str!("../../examples/uh-iaas/milepost.yaml")),
        Vec::<String>::new()
    );
}

#[test]
fn json_schema_rejects_what_the_loader_rejects() {
    assert!(!validate("report: []\n").is_empty(), "unknown key");
    assert!(
        !validate("rules:\n  titel: off\n").is_empty(),
        "unknown rule"
    );
    assert!(
        !validate("rules:\n  title: loud\n").is_empty(),
        "unknown level"
    );
    assert!(
        !validate("reports:\n  - schema: uke\n").is_empty(),
        "glob is required"
    );
}

#[test]
fn json_schema_knows_every_rule() {
    let schema = json_schema();
    let names: Vec<&str> = schema["properties"]["rules"]["propertyNames"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let rules: Vec<&str> = milepost::rules::Rule::ALL
        .iter()
        .map(|r| r.name())
        .collect();
    assert_eq!(names, rules);
}

#[test]
fn readme_example_config_loads() {
    let tree = Tree::new();
    tree.file("milepost.yaml", readme_example())
        .file("schemas/uke-2017.yaml", "extends: uke\nname: uke-2017\n")
        .file("docs/status/2016/2016_uke_37.rst", good_report(37))
        .file(
            "docs/status/2017/2017_uke_02.rst",
            good_report(37).replace("Uke 37", "Uke 2"),
        );
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(run.json()["summary"]["files"], 2, "{}", run.stderr);
    // The 2017 report is checked with the file schema; its date is in 2016,
    // and year folders are one series, so weeks 38 of 2016 to 1 of 2017 are missing.
    assert_eq!(run.rules(), vec!["missing-report", "week-mismatch"]);
}

#[test]
fn config_is_found_upwards_and_its_folder_is_the_project() {
    let tree = Tree::new();
    git2::Repository::init(tree.path()).unwrap();
    tree.file(
        "docs/milepost.yaml",
        "reports:\n  - glob: 'status/*.rst'\n    schema: uke\n",
    )
    .file("docs/status/37.rst", good_report(37))
    .file(
        "docs/other/2016_uke_38.rst",
        "not checked: not matched by the glob",
    )
    .file("2016_uke_36.rst", "not checked: outside the project folder");
    let run = run_in(
        &tree.path().join("docs/status"),
        &["check", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.json()["summary"]["files"], 1);
    // The file name has no week, so the title and the date decide.
    let run = run_in(tree.path(), &["check", "--format", "json"]);
    assert_eq!(
        run.json()["summary"]["files"],
        2,
        "no config at the root: default selection"
    );
}

#[test]
fn explicit_config_overrides_discovery() {
    let tree = Tree::new();
    tree.file("milepost.yaml", "rules:\n  week-mismatch: off\n")
        .file("strict.yaml", "rules:\n  week-mismatch: error\n")
        .file(
            "2016_uke_37.rst",
            good_report(37).replace("Uke 37", "Uke 36"),
        );
    assert_eq!(tree.run(&["check"]).code, 0);
    assert_eq!(tree.run(&["check", "--config", "strict.yaml"]).code, 1);
}

#[test]
fn schema_that_extends_itself_exits_2() {
    let tree = Tree::new();
    tree.file(
        "milepost.yaml",
        "reports:\n  - glob: '*.rst'\n    schema: a.yaml\n",
    )
    .file("a.yaml", "extends: b.yaml\n")
    .file("b.yaml", "extends: a.yaml\n");
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("schema extends itself"),
        "{}",
        run.stderr
    );
}

#[test]
fn dotted_and_yml_config_names_are_found_and_two_are_an_error() {
    for name in ["milepost.yml", ".milepost.yaml", ".milepost.yml"] {
        let tree = Tree::new();
        tree.file(name, "rules:\n  week-mismatch: off\n").file(
            "2016_uke_37.rst",
            good_report(37).replace("Uke 37", "Uke 36"),
        );
        assert_eq!(tree.run(&["check"]).code, 0, "{name} was not read");
    }
    let tree = Tree::new();
    tree.file("milepost.yaml", "rules: {}\n")
        .file(".milepost.yml", "rules: {}\n")
        .file("2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("two config files in one folder (milepost.yaml and .milepost.yml)"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_schema_is_said_where_it_was_written_with_a_suggestion() {
    let tree = Tree::new();
    tree.file(
        "milepost.yaml",
        "reports:\n  - glob: '*.rst'\n    schema: ukke\n",
    )
    .file("2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("milepost.yaml:3:1: schema `ukke` not found")
            && run.stderr.contains("(did you mean `uke`?)"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_files_name_the_flag_or_key_that_named_them() {
    let tree = Tree::new();
    tree.file("2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check", "--config", "nope.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("nope.yaml: no such file (given with --config)"),
        "{}",
        run.stderr
    );
    let run = tree.run(&["check", "--baseline", "nope.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("nope.json: no such file (given with --baseline)"),
        "{}",
        run.stderr
    );
    tree.file("milepost.yaml", "milestones: plans/nope.yaml\n");
    let run = tree.run(&["milestones"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no milestones: there is no plans/nope.yaml"),
        "{}",
        run.stderr
    );
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("nope.yaml: no such file (named by `milestones:` in the config)"),
        "{}",
        run.stderr
    );
}

/// `byline: null` in a schema says its reports have none (a template era
/// without bylines), over the byline of the schema it extends.
#[test]
fn a_schema_can_say_its_reports_have_no_byline() {
    let tree = Tree::new();
    let without = good_report(37).replace("av Raymond Kristiansen, UH IaaS, 16. sep 2016\n", "");
    assert_ne!(without, good_report(37));
    tree.file(
        "milepost.yaml",
        "reports:\n  - glob: 'old/*.rst'\n    schema: old.yaml\n  - glob: '*.rst'\n    schema: uke\n",
    )
    .file("old.yaml", "extends: uke\nbyline: null\n")
    .file("old/2016_uke_37.rst", &without)
    .file("2016_uke_37.rst", &without);
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![("2016_uke_37.rst".into(), 2, "byline".into())],
        "{}",
        run.stdout
    );
}

/// Rule levels per `reports:` entry: incident write-ups may have sections
/// of their own without turning `unknown-section` off for weekly reports.
#[test]
fn rule_levels_can_be_set_per_reports_entry() {
    let tree = Tree::new();
    let odd = good_report(37).replace(
        "Oppdatert status\n================",
        "Tidslinje for hendelsen\n=======================",
    );
    tree.file(
        "milepost.yaml",
        "reports:\n  - glob: 'hendelser/*.rst'\n    schema: uke\n    rules:\n      unknown-section: off\n      missing-section: info\n  - glob: '*.rst'\n    schema: uke\n",
    )
    .file("hendelser/2016_uke_37.rst", &odd)
    .file("2016_uke_37.rst", &odd);
    let run = tree.run(&["check", "--format", "json"]);
    let json = run.json();
    let findings: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_owned(),
                f["rule"].as_str().expect("rule").to_owned(),
                f["severity"].as_str().expect("severity").to_owned(),
            )
        })
        .collect();
    let of = |path: &str| -> Vec<(String, String)> {
        findings
            .iter()
            .filter(|f| f.0 == path)
            .map(|f| (f.1.clone(), f.2.clone()))
            .collect()
    };
    assert_eq!(
        of("hendelser/2016_uke_37.rst"),
        [("missing-section".to_owned(), "info".to_owned())]
    );
    let weekly = of("2016_uke_37.rst");
    assert!(
        weekly.contains(&("unknown-section".into(), "error".into())),
        "{weekly:?}"
    );
    assert!(
        weekly.contains(&("missing-section".into(), "error".into())),
        "{weekly:?}"
    );
    // A rule name that does not exist is an error at its line.
    tree.file(
        "milepost.yaml",
        "reports:\n  - glob: '*.rst'\n    rules:\n      unknown-sektion: off\n",
    );
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("milepost.yaml:4:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `unknown-section`"),
        "{}",
        run.stderr
    );
}

/// Each rule's parameters are declared beside the rule: a key it does not
/// take, or a number out of range, is an error at the key, in words.
#[test]
fn rule_parameters_are_checked_against_the_rule() {
    let tree = Tree::new();
    tree.file("2016_uke_37.rst", good_report(37));
    let cases = [
        (
            "rules:\n  empty-section: {days: 3}\n",
            "milepost.yaml:2:19: `empty-section` has no parameter `days`: it takes no parameters, only a level",
        ),
        (
            "rules:\n  stale-item:\n    severity: warning\n    weeks: 0\n",
            "milepost.yaml:4:5: `stale-item: weeks` must be a whole number of weeks, at least 1 (at most 520), not 0",
        ),
        (
            "rules:\n  late-report: {weeks: 2}\n",
            "`late-report` has no parameter `weeks`: it takes days",
        ),
    ];
    for (config, expected) in cases {
        tree.file("milepost.yaml", config);
        let run = tree.run(&["check"]);
        assert_eq!(run.code, 2, "{config}");
        assert!(run.stderr.contains(expected), "{config}: {}", run.stderr);
        assert!(!run.stderr.contains("u32"), "{}", run.stderr);
    }
    tree.file(
        "milepost.yaml",
        "rules:\n  stale-item: {weeks: 3, reports: 2}\n",
    );
    assert_eq!(tree.run(&["check"]).code, 0);
}

/// The README's table of rule parameters is the registry's.
#[test]
fn readme_rule_parameters_are_the_registry_s() {
    let mut expected = String::from(
        "| rule | parameter | value | default | meaning |\n| --- | --- | --- | --- | --- |\n",
    );
    for rule in milepost::rules::Rule::ALL {
        for param in rule.params() {
            expected.push_str(&format!(
                "| `{}` | `{}` | {} | {} | {} |\n",
                rule.name(),
                param.key,
                param.what,
                param.default,
                param.meaning
            ));
        }
    }
    let readme = include_str!("../../README.md");
    let start = readme
        .find("<!-- rule-parameters")
        .and_then(|at| readme[at..].find('\n').map(|end| at + end + 1))
        .expect("the rule-parameters marker");
    let end = readme
        .find("<!-- /rule-parameters -->")
        .expect("the end marker");
    assert_eq!(
        &readme[start..end],
        expected,
        "paste this table into README.md:\n{expected}"
    );
}
