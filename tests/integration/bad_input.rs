//! Bad input: each gets a clear message naming the file, never a panic, and
//! one bad file never stops the others.

use crate::support::{Tree, good_report};

#[test]
fn latin1_report_gets_an_encoding_finding_and_others_are_still_checked() {
    let tree = Tree::new();
    let mut latin1 = good_report(37).into_bytes();
    let at = latin1.windows(2).position(|w| w == "ø".as_bytes()).unwrap();
    latin1.splice(at..at + 2, [0xF8]);
    tree.file("2016_uke_37.rst", latin1).file(
        "2016_uke_38.rst",
        good_report(38).replace("Uke 38", "Uke 39"),
    );
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![
            ("2016_uke_37.rst".into(), 8, "encoding".into()),
            ("2016_uke_38.rst".into(), 2, "week-mismatch".into()),
        ]
    );
    assert_eq!(run.json()["findings"][0]["column"], 6);
    assert_eq!(run.code, 1);
}

#[test]
fn bom_and_crlf_keep_line_numbers() {
    let tree = Tree::new();
    let broken = good_report(37).replace("Under arbeid", "Under Arbeid");
    let crlf = format!("\u{feff}{}", broken.replace('\n', "\r\n"));
    tree.file("lf/2016_uke_37.rst", &broken)
        .file("crlf/2016_uke_37.rst", crlf);
    let run = tree.run(&["check", "--format", "json"]);
    let lines: Vec<_> = run
        .findings()
        .into_iter()
        .map(|(p, l, r)| (p.split('/').next().unwrap().to_owned(), l, r))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("crlf".to_owned(), 13, "unknown-section".to_owned()),
            ("crlf".to_owned(), 18, "missing-section".to_owned()),
            ("lf".to_owned(), 13, "unknown-section".to_owned()),
            ("lf".to_owned(), 18, "missing-section".to_owned()),
        ]
    );
    assert!(!run.stdout.contains('\r'));
}

#[test]
fn empty_file_gets_a_title_finding_only() {
    let tree = Tree::new();
    tree.file("2016_uke_37.rst", "");
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![("2016_uke_37.rst".into(), 1, "title".into())]
    );
    assert_eq!(run.json()["findings"][0]["message"], "the file is empty");
}

#[test]
fn binary_and_utf16_files_named_like_reports_are_encoding_findings() {
    let tree = Tree::new();
    let utf16: Vec<u8> = format!("\u{feff}{}", good_report(39))
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    tree.file("uke_37.rst", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
        .file("2016_uke_38.rst", good_report(38))
        .file("2016_uke_39.rst", utf16)
        .file("2016_uke_40.rst", format!("Uke 40\n\0{}", good_report(40)));
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        run.findings(),
        vec![
            ("2016_uke_39.rst".into(), 1, "encoding".into()),
            ("2016_uke_40.rst".into(), 2, "encoding".into()),
            ("uke_37.rst".into(), 3, "encoding".into()),
        ]
    );
    let json = run.json();
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["message"].as_str().expect("message"))
        .collect();
    assert_eq!(
        messages,
        [
            "the file is UTF-16 (little-endian), not UTF-8",
            "the file holds NUL bytes: it is binary, not text",
            "the file holds NUL bytes: it is binary, not text",
        ]
    );
}

#[test]
fn invalid_yaml_config_exits_2_with_file_line_column() {
    let tree = Tree::new();
    tree.file(
        "milepost.yaml",
        "reports:\n  - glob: 'a/*.rst'\n    schema: [uke\nexclude: []\n",
    )
    .file("2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("milepost: error: "),
        "{}",
        run.stderr
    );
    let location = run.stderr.trim_start_matches("milepost: error: ");
    let mut parts = location.splitn(4, ':');
    assert!(
        parts.next().unwrap().ends_with("milepost.yaml"),
        "{}",
        run.stderr
    );
    assert!(
        parts.next().unwrap().parse::<u32>().is_ok(),
        "{}",
        run.stderr
    );
    assert!(
        parts.next().unwrap().parse::<u32>().is_ok(),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn duplicate_key_in_config_is_an_error() {
    let tree = Tree::new();
    tree.file("milepost.yaml", "exclude: []\nexclude: ['x']\n");
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("milepost.yaml:2:"), "{}", run.stderr);
    assert!(run.stderr.contains("duplicate"), "{}", run.stderr);
}

#[test]
fn invalid_regex_in_schema_exits_2_naming_file_and_key() {
    let tree = Tree::new();
    tree.file(
        "milepost.yaml",
        "reports:\n  - glob: '*.rst'\n    schema: schemas/mine.yaml\n",
    )
    .file(
        "schemas/mine.yaml",
        "extends: uke\nname: mine\nbyline: '^av (?P<date>[a-z+'\n",
    )
    .file("2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("schemas/mine.yaml:3:9: key `byline`: invalid regex"),
        "{}",
        run.stderr
    );
}

#[test]
fn config_that_is_a_folder_exits_2() {
    let tree = Tree::new();
    tree.file("conf/milepost.yaml/keep", "");
    let run = tree.run(&["check", "--config", "conf/milepost.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("milepost.yaml: is a folder, not a config file"),
        "{}",
        run.stderr
    );
}

#[test]
fn paths_outside_the_repository_or_missing_exit_2() {
    let outer = Tree::new();
    outer
        .file("repo/2016_uke_37.rst", good_report(37))
        .file("elsewhere/2016_uke_38.rst", good_report(38));
    git2::Repository::init(outer.path().join("repo")).unwrap();
    let repo = outer.path().join("repo");
    let run = crate::support::run_in(&repo, &["check", "../elsewhere/2016_uke_38.rst"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("leads outside the repository"),
        "{}",
        run.stderr
    );
    let run = crate::support::run_in(&repo, &["check", "nope.rst"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("nope.rst: cannot read: no such file or folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn bare_repository_is_a_clear_error() {
    let tree = Tree::new();
    git2::Repository::init_bare(tree.path().join("bare.git")).unwrap();
    let run = crate::support::run_in(&tree.path().join("bare.git"), &["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bare repository"), "{}", run.stderr);
}

#[test]
fn gitignored_reports_are_not_checked() {
    let tree = Tree::new();
    git2::Repository::init(tree.path()).unwrap();
    tree.file(".gitignore", "_build/\n")
        .file("_build/2016_uke_37.rst", "garbage")
        .file("2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["summary"]["files"], 1);
}

#[test]
fn large_report_is_checked() {
    // Linear time is measured by the benchmark; this only proves that a
    // multi-megabyte report with many items goes through whole.
    let tree = Tree::new();
    let mut report = good_report(37);
    let item = "- Det jobbes med å få på plass en tjeneste for DNS for instanser, i uke 37.\n  Fortsettelse av punktet.\n\n";
    let insert_at = report.find("Under arbeid").unwrap();
    report.insert_str(insert_at, &item.repeat(60_000));
    report.insert_str(insert_at, "- 31. februar 2016 er ingen dag.\n\n");
    tree.file("2016_uke_37.rst", &report);
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![("2016_uke_37.rst".into(), 13, "date-format".into())]
    );
}

#[test]
fn symlink_loops_and_dangling_links_do_not_stop_the_check() {
    let tree = Tree::new();
    tree.file("status/2016_uke_37.rst", good_report(37));
    std::os::unix::fs::symlink("..", tree.path().join("status/loop")).unwrap();
    std::os::unix::fs::symlink("gone.rst", tree.path().join("status/2016_uke_38.rst")).unwrap();
    std::os::unix::fs::symlink(
        "2016_uke_37.rst",
        tree.path().join("status/2016_uke_39.rst"),
    )
    .unwrap();
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("note: status/2016_uke_38.rst: a symbolic link to nothing, skipped"),
        "{}",
        run.stdout
    );
    // The link to a file is a report (named for week 39 but titled 37).
    assert!(
        run.stdout
            .contains("status/2016_uke_39.rst:2:1: error[week-mismatch]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("checked 2 reports"), "{}", run.stdout);
}

#[test]
fn odd_file_names_are_checked_and_printed_on_one_line() {
    let tree = Tree::new();
    // One finding per file: an empty section.
    let broken = good_report(37).replace("- Oppgradere ceph til siste versjon.\n", "");
    tree.file("with space/2016 uke 37.rst", &broken)
        .file("nfc/Pågående uke 37.rst", &broken)
        .file("nfc/Pa\u{30a}gående uke 37.rst", &broken)
        .file("new\nline/2016_uke_37.rst", &broken);
    let run = tree.run(&["check", "--format", "json"]);
    let paths: Vec<String> = run.findings().into_iter().map(|(p, _, _)| p).collect();
    assert_eq!(paths.len(), 4, "{paths:?}");
    assert!(paths.contains(&"with space/2016 uke 37.rst".to_owned()));
    assert_eq!(
        paths
            .iter()
            .filter(|p| *p == "nfc/Pågående uke 37.rst")
            .count(),
        2,
        "both spellings are checked, printed in NFC"
    );
    assert!(paths.contains(&"new\nline/2016_uke_37.rst".to_owned()));
    let human = tree.run(&["check", "-q"]);
    assert!(
        human
            .stdout
            .contains("new\\nline/2016_uke_37.rst:18:1: warning[empty-section]"),
        "{}",
        human.stdout
    );
    assert_eq!(human.stdout.lines().count(), 4, "{}", human.stdout);
}

#[test]
fn a_million_lines_and_a_ten_megabyte_line() {
    let tree = Tree::new();
    let mut long_list = good_report(37);
    let at = long_list.find("Under arbeid").unwrap();
    long_list.insert_str(at, &"- punkt\n".repeat(1_000_000));
    let mut long_line = good_report(38);
    let at = long_line.find("Under arbeid").unwrap();
    long_line.insert_str(at, &format!("- {}\n\n", "ord ".repeat(2_500_000)));
    tree.file("2016_uke_37.rst", long_list)
        .file("2016_uke_38.rst", long_line);
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["summary"]["files"], 2);
}

#[test]
fn yaml_alias_bomb_in_the_config_is_refused() {
    let mut bomb =
        String::from("exclude: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    let mut previous = "a".to_owned();
    for level in 0..9 {
        let name = format!("l{level}");
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{previous}"); 9].join(",")
        ));
        previous = name;
    }
    let tree = Tree::new();
    tree.file("milepost.yaml", &bomb)
        .file("2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("milepost.yaml"), "{}", run.stderr);
}

#[test]
fn empty_repository_has_nothing_to_check() {
    let tree = Tree::new();
    git2::Repository::init(tree.path()).unwrap();
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("note: no reports found"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("checked 0 reports"), "{}", run.stdout);
}

#[test]
fn yaml_alias_bomb_in_a_milestones_file_is_refused() {
    let mut bomb = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    let mut previous = "a".to_owned();
    for level in 0..9 {
        let name = format!("l{level}");
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{previous}"); 9].join(",")
        ));
        previous = name;
    }
    bomb.push_str("milestones: []\n");
    let tree = Tree::new();
    tree.file("milestones.yaml", &bomb)
        .file("2016_uke_37.rst", good_report(37));
    let run = tree.run(&["check"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("milestones.yaml"), "{}", run.stderr);
    let run = tree.run(&["milestones"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("milestones.yaml"), "{}", run.stderr);
}

/// A byline whose date is followed by a note on the next line is read, and
/// the note kept out of the date; a bad date with a note is still wrong.
#[test]
fn a_byline_with_a_note_on_the_next_line_is_read() {
    let tree = Tree::new();
    let noted = good_report(38).replace(
        "av Raymond Kristiansen, UH IaaS, 23. sep 2016\n",
        "av Raymond Kristiansen, UH IaaS, 23. sep 2016\n(en uke forsinket pga ferie)\n",
    );
    assert_ne!(noted, good_report(38));
    tree.file("2016_uke_38.rst", noted);
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(run.findings(), vec![], "{}", run.stdout);

    let wrong = good_report(38).replace(
        "av Raymond Kristiansen, UH IaaS, 23. sep 2016\n",
        "av Raymond Kristiansen, UH IaaS, 31. feb 2016\n(en uke forsinket pga ferie)\n",
    );
    tree.file("2016_uke_38.rst", wrong);
    let run = tree.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        vec![("2016_uke_38.rst".into(), 4, "date-format".into())],
        "{}",
        run.stdout
    );
}
