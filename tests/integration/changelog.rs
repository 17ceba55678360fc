//! `milepost changelog`: each delivery once, with its day, its milestone
//! and a link to the report that announced it, in each format.

use crate::support::Tree;

fn report(week: u32, date: &str, done: &[&str], in_progress: &[&str]) -> String {
    let list = |items: &[&str]| -> String {
        if items.is_empty() {
            "Ingenting.\n\n".to_owned()
        } else {
            items.iter().map(|i| format!("- {i}\n\n")).collect()
        }
    };
    format!(
        "======\nUke {week}\n======\nav Raymond Kristiansen, UH IaaS, {date}\n\n\
Fullført\n========\n\n{}Under arbeid\n============\n\n{}\
Planlagt fremdrift\n==================\n\n- Oppgradere ceph.\n\n\
Utfordringer\n============\n\n- Ingen.\n\nOppdatert status\n================\n\nPå Trello.\n",
        list(done),
        list(in_progress)
    )
}

/// Three weeks: DNS is in progress, then done (and repeated as done the
/// week after); a workshop names its own day.
fn tree() -> Tree {
    let tree = Tree::new();
    tree.file(
        "status/2016_uke_37.rst",
        report(
            37,
            "16. sep 2016",
            &["Oppsett av test01."],
            &["Det jobbes med DNS for instanser."],
        ),
    );
    tree.file(
        "status/2016_uke_38.rst",
        report(
            38,
            "23. sep 2016",
            &[
                "DNS for instanser er på plass.",
                "Workshop ved USIT 20. september.",
            ],
            &[],
        ),
    );
    tree.file(
        "status/2016_uke_39.rst",
        report(
            39,
            "30. sep 2016",
            &["DNS for instanser er på plass.", "Ny nettside."],
            &[],
        ),
    );
    tree.file(
        "milestones.yaml",
        "milestones:\n  - id: lansering\n    title: Lansering\n    due: 2016-11-14\n    items:\n      - id: dns\n        title: DNS for instanser\n        match: [dns]\n",
    );
    tree
}

#[test]
fn markdown_lists_each_delivery_once_newest_week_first() {
    let tree = tree();
    let run = tree.run(&["changelog"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "# Changelog\n\n\
## Week 39, 2016\n\n\
- Ny nettside. (2016-09-30; [2016\\_uke\\_39.rst](status/2016_uke_39.rst))\n\n\
## Week 38, 2016\n\n\
- DNS for instanser er på plass. (2016-09-23; milestone Lansering; [2016\\_uke\\_38.rst](status/2016_uke_38.rst))\n\
- Workshop ved USIT 20. september. (2016-09-20; [2016\\_uke\\_38.rst](status/2016_uke_38.rst))\n\n\
## Week 37, 2016\n\n\
- Oppsett av test01. (2016-09-16; [2016\\_uke\\_37.rst](status/2016_uke_37.rst))\n"
    );
}

#[test]
fn rst_links_with_doc_relative_to_the_output_file_and_groups_by_milestone() {
    let tree = tree();
    std::fs::create_dir_all(tree.path().join("docs")).unwrap();
    let run = tree.run(&[
        "changelog",
        "--format",
        "rst",
        "--group",
        "milestone",
        "--output-file",
        "docs/changelog.rst",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(tree.path().join("docs/changelog.rst")).unwrap();
    assert_eq!(
        page,
        "=========\nChangelog\n=========\n\n\
Lansering\n---------\n\n\
- DNS for instanser er på plass. (2016-09-23; milestone Lansering; :doc:`2016_uke_38 <../status/2016_uke_38>`)\n\n\
Other deliveries\n----------------\n\n\
- Ny nettside. (2016-09-30; :doc:`2016_uke_39 <../status/2016_uke_39>`)\n\n\
- Workshop ved USIT 20. september. (2016-09-20; :doc:`2016_uke_38 <../status/2016_uke_38>`)\n\n\
- Oppsett av test01. (2016-09-16; :doc:`2016_uke_37 <../status/2016_uke_37>`)\n"
    );
}

#[test]
fn json_has_the_documented_shape_and_honours_since_and_until() {
    let tree = tree();
    let run = tree.run(&[
        "changelog",
        "--format",
        "json",
        "--group",
        "month",
        "--since",
        "2016-09-21",
        "--until",
        "2016-09-29",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["group"], "month");
    assert_eq!(json["since"], "2016-09-21");
    assert_eq!(json["until"], "2016-09-29");
    assert_eq!(json["count"], 1);
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["key"], "2016-09");
    assert_eq!(groups[0]["title"], "September 2016");
    let entry = &groups[0]["entries"][0];
    assert_eq!(
        entry,
        &serde_json::json!({
            "text": "DNS for instanser er på plass.",
            "completed_on": "2016-09-23",
            "week": "2016-W38",
            "report": "status/2016_uke_38.rst",
            "report_date": "2016-09-23",
            "milestone": {"id": "lansering", "title": "Lansering"},
            "tag": null,
            "line": 9
        })
    );
}

#[test]
fn the_output_is_the_same_run_after_run() {
    let tree = tree();
    let first = tree.run(&["changelog", "--format", "json"]);
    for _ in 0..3 {
        assert_eq!(
            tree.run(&["changelog", "--format", "json"]).stdout,
            first.stdout
        );
    }
}

/// Work reported done in the prose of an in-progress item ("… er nå
/// ferdig"), as teams without a done section write it, is a delivery too.
#[test]
fn items_done_in_prose_are_deliveries() {
    let tree = Tree::new();
    tree.file(
        "status/2016_uke_37.rst",
        report(37, "16. sep 2016", &[], &["Reinstallasjon av `osl` pågår."]),
    );
    tree.file(
        "status/2016_uke_38.rst",
        report(
            38,
            "23. sep 2016",
            &[],
            &["Reinstallasjon av `osl` er nå ferdig."],
        ),
    );
    let run = tree.run(&["changelog", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.stdout;
    assert!(text.contains("osl"), "{text}");
    assert!(text.contains("2016_uke_38"), "{text}");
    assert!(!text.contains("Oppgradere ceph"), "{text}");
}
