//! The README agrees with the code where it repeats it.

use milepost::rules::Rule;

/// The README's rule table as the registry says it should be: code, name,
/// default level (`off` for an opt-in rule, as `milepost explain` shows)
/// and the one-line summary.
fn expected_rule_table() -> String {
    let mut table =
        String::from("| code | rule | default | checks that |\n| --- | --- | --- | --- |\n");
    for rule in Rule::ALL {
        let default = if rule.enabled_by_default() {
            rule.default_severity().as_str()
        } else {
            "off"
        };
        table.push_str(&format!(
            "| {} | `{}` | {default} | {} |\n",
            rule.code(),
            rule.name(),
            rule.summary()
        ));
    }
    table
}

/// The first Markdown table after the `## Rules` heading.
fn readme_rule_table() -> String {
    let readme = include_str!("../../README.md");
    let section = readme
        .find("\n## Rules\n")
        .map(|at| &readme[at..])
        .expect("the README has a `## Rules` section");
    section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn readme_rule_table_matches_the_registry() {
    let expected = expected_rule_table();
    let found = readme_rule_table();
    assert!(
        found == expected,
        "the README's rule table (under `## Rules`) disagrees with Rule::ALL; \
         replace it with:\n\n{expected}"
    );
}
