//! Markdown and reStructuredText give the same findings on equivalent
//! reports, so every rule works on both.

use crate::support::Tree;

/// Findings without the path: (line, rule, message).
fn findings(tree: &Tree, file: &str) -> Vec<(u64, String, String)> {
    let run = tree.run(&["check", "--format", "json", file]);
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A drifted report written so that it reads the same in both syntaxes:
/// setext/underline titles are shared by Markdown and reStructuredText.
const DRIFTED: &str = "Uke 38
======

av Raymond Kristiansen, UH IaaS, 31. sep 2016

Fullfort
--------

- Workshop ved USIT 7. og 8. september.

Planlagt fremdrift
------------------

- Oppgradere ceph til siste versjon.

Under arbeid
------------

- Det jobbes med å få på plass en tjeneste for DNS for instanser.

Under arbeid
------------

- Enda en gang.

Utfordringer
------------

Oppdatert status
----------------

Kun større oppgaver vil bli oppdatert her.
";

#[test]
fn shared_syntax_report_gives_identical_findings() {
    let tree = Tree::new();
    tree.file("2016_uke_39.rst", DRIFTED)
        .file("2016_uke_39.md", DRIFTED);
    let rst = findings(&tree, "2016_uke_39.rst");
    let md = findings(&tree, "2016_uke_39.md");
    let rules: Vec<&str> = rst.iter().map(|(_, rule, _)| rule.as_str()).collect();
    assert_eq!(
        rules,
        [
            "week-mismatch",
            "date-format",
            "unknown-section",
            "missing-section",
            "section-order",
            "duplicate-section",
            "empty-section"
        ]
    );
    assert_eq!(rst, md);
}

#[test]
fn atx_markdown_matches_overlined_rst() {
    let rst = "======\nUke 38\n======\nav Raymond Kristiansen, UH IaaS, 23. sep 2016\n\n\
Fullført\n========\n\n- Ferdig.\n\n\
Planlagt fremdrift\n==================\n\n- Neste.\n\n\
Under arbeid\n============\n\n- Pågår.\n\n\
Oppdatert status\n================\n\n- Se :doc:`../plans/mangler`.\n";
    let md = "# Uke 38\n\nav Raymond Kristiansen, UH IaaS, 23. sep 2016\n\n\
## Fullført\n\n- Ferdig.\n\n\
## Planlagt fremdrift\n\n- Neste.\n\n\
## Under arbeid\n\n- Pågår.\n\n\
## Oppdatert status\n\n- Se [planen](../plans/mangler.md).\n";
    let tree = Tree::new();
    tree.file("s/2016_uke_38.rst", rst)
        .file("s/2016_uke_38.md", md);
    let strip = |findings: Vec<(u64, String, String)>| -> Vec<String> {
        findings.into_iter().map(|(_, rule, _)| rule).collect()
    };
    let rst = strip(findings(&tree, "s/2016_uke_38.rst"));
    let md = strip(findings(&tree, "s/2016_uke_38.md"));
    assert_eq!(rst, ["section-order", "missing-section", "broken-link"]);
    assert_eq!(rst, md);
}
