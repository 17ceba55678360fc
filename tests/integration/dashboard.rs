//! `milestones --format html`, `milestones --format svg-badge` and
//! `dashboard --out DIR`, without a browser: what is written where, what
//! is refused, where links point, and that text from the repository
//! (item text, file names, milestone titles) can never become markup.
//! `browser.rs` loads the page in a real browser.

use crate::support::Tree;

/// A report for `week` of 2016 in the seed's format, with these items.
pub fn report(week: u32, done: &[&str], in_progress: &[&str], planned: &[&str]) -> String {
    use chrono::Datelike;
    let friday = chrono::NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).unwrap();
    let months = [
        "jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des",
    ];
    let date = format!(
        "{}. {} 2016",
        friday.day(),
        months[friday.month0() as usize]
    );
    let mut text = format!("======\nUke {week}\n======\nav Raymond Kristiansen, UH IaaS, {date}\n");
    for (title, items) in [
        ("Fullført", done),
        ("Under arbeid", in_progress),
        ("Planlagt fremdrift", planned),
        ("Utfordringer", &[][..]),
    ] {
        text.push_str(&format!(
            "\n{title}\n{}\n\n",
            "=".repeat(title.chars().count())
        ));
        if items.is_empty() {
            text.push_str("Ingenting denne uken.\n");
        }
        for item in items {
            text.push_str(&format!("- {item}\n\n"));
        }
    }
    text.push_str("\nOppdatert status\n================\n\nSe planen.\n");
    text
}

const MILESTONES: &str = "milestones:
  - id: mitaka
    title: Oppgradere til mitaka
    due: 2016-09-30
    items:
      - id: upgrade
        match: [mitaka]
  - id: dns
    title: DNS for instanser
    due: 2016-11-01
    items:
      - id: dns
        match: [dns]
      - id: never
        title: Noe ingen har nevnt
        match: [ingenharnevnt]
";

fn tree() -> Tree {
    let tree = Tree::new();
    tree.file(
        "docs/status/2016_uke_36.rst",
        report(
            36,
            &[],
            &["DNS for instanser settes opp."],
            &["Oppgradering til mitaka."],
        ),
    );
    tree.file(
        "docs/status/2016_uke_37.rst",
        report(
            37,
            &["Oppgradering til mitaka er utført."],
            &["DNS for instanser settes opp."],
            &[],
        ),
    );
    tree.file("milestones.yaml", MILESTONES);
    tree
}

#[test]
fn dashboard_writes_index_html_only_and_replaces_it_only_with_force() {
    let tree = tree();
    let run = tree.run(&["dashboard", "--out", "site", "--as-of", "2016-09-20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let names: Vec<String> = std::fs::read_dir(tree.path().join("site"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["index.html"]);
    let page = std::fs::read_to_string(tree.path().join("site/index.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    // Links from DIR to the reports.
    assert!(
        page.contains(r#"href="../docs/status/2016_uke_37.rst""#),
        "{page}"
    );

    std::fs::write(tree.path().join("site/index.html"), "mine").unwrap();
    let again = tree.run(&["dashboard", "--out", "site"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("exists; --force replaces it"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(tree.path().join("site/index.html")).unwrap(),
        "mine"
    );
    let forced = tree.run(&["dashboard", "--out", "site", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        std::fs::read_to_string(tree.path().join("site/index.html"))
            .unwrap()
            .contains("<svg class=\"timeline\"")
    );
}

#[test]
fn dashboard_refuses_a_missing_parent_a_file_and_a_folder_in_the_way() {
    let tree = tree();
    let run = tree.run(&["dashboard", "--out", "no/such/site"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot create the folder"),
        "{}",
        run.stderr
    );
    assert!(!tree.path().join("no").exists());

    tree.file("plain", "x");
    let run = tree.run(&["dashboard", "--out", "plain"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a folder"), "{}", run.stderr);

    std::fs::create_dir_all(tree.path().join("busy/index.html")).unwrap();
    let run = tree.run(&["dashboard", "--out", "busy", "--force"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is a folder"), "{}", run.stderr);
}

#[test]
fn dashboard_may_write_outside_the_repository() {
    let tree = tree();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("site");
    let run = tree.run(&["dashboard", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("index.html").is_file());
}

#[test]
fn html_links_are_relative_to_the_output_file_and_the_page_has_no_script() {
    let tree = tree();
    let run = tree.run(&[
        "milestones",
        "--format",
        "html",
        "--as-of",
        "2016-09-20",
        "--output-file",
        "public/status.html",
    ]);
    std::fs::create_dir_all(tree.path().join("public")).unwrap();
    // The folder did not exist: nothing was written.
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = tree.run(&[
        "milestones",
        "--format",
        "html",
        "--as-of",
        "2016-09-20",
        "--output-file",
        "public/status.html",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(tree.path().join("public/status.html")).unwrap();
    assert!(page.contains(r#"href="../docs/status/2016_uke_37.rst""#));
    assert!(!page.to_lowercase().contains("<script"));
    // Nothing is fetched: no URL but the SVG namespace.
    let urls: Vec<&str> = page
        .match_indices("http")
        .map(|(i, _)| &page[i..(i + 26).min(page.len())])
        .collect();
    assert!(
        urls.iter()
            .all(|u| u.starts_with("http://www.w3.org/2000/svg") || u.starts_with("http-equiv")),
        "{urls:?}"
    );
    assert!(page.contains("@page { size: A4 landscape"));
    assert!(page.contains("prefers-color-scheme: dark"));

    let stdout = tree.run(&["milestones", "--format", "html", "--as-of", "2016-09-20"]);
    assert_eq!(stdout.code, 0);
    assert!(
        stdout
            .stdout
            .contains(r#"href="docs/status/2016_uke_37.rst""#)
    );
}

#[test]
fn svg_badge_names_the_next_milestone_and_its_state() {
    let tree = tree();
    let run = tree.run(&[
        "milestones",
        "--format",
        "svg-badge",
        "--as-of",
        "2016-09-20",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("<svg "), "{}", run.stdout);
    // Mitaka is done: the next one is DNS, on track.
    assert!(
        run.stdout
            .contains("<title>next milestone: DNS for instanser: on track, due 2016-11-01</title>"),
        "{}",
        run.stdout
    );
    let late = tree.run(&[
        "milestones",
        "--format",
        "svg-badge",
        "--as-of",
        "2016-11-20",
    ]);
    assert!(late.stdout.contains("overdue 19 d"), "{}", late.stdout);
}

/// Markup, quotes and a CDATA end in item text, a file name and a
/// milestone title.
const HOSTILE: &str = "<script>alert(\"x\")</script> ']]> &amp;";

/// The report whose file name is hostile; it last mentions the item.
pub const HOSTILE_NAME: &str = "docs/status/2016_uke_37 <script>'\"]]>.rst";

/// Hostile text in an item, a file name, milestone and item titles and
/// ids (a control sequence too); judged as of 2016-09-20.
pub fn hostile_tree() -> Tree {
    let tree = Tree::new();
    let item = format!("Oppgradering til mitaka {HOSTILE}");
    tree.file(
        "docs/status/2016_uke_36.rst",
        report(36, &[], &[], &[&item]),
    );
    tree.file(HOSTILE_NAME, report(37, &[], &[&item], &[]));
    let title = HOSTILE.replace('"', "\\\"");
    tree.file(
        "milestones.yaml",
        format!(
            "milestones:\n  - id: \"m<script>\\e]0;pwned\\a\"\n    title: \"{title}\"\n    due: 2016-09-30\n    items:\n      - id: \"i']]>\"\n        title: \"{title}\"\n        match: [mitaka]\n"
        ),
    );
    tree
}

#[test]
fn hostile_text_never_becomes_markup() {
    let tree = hostile_tree();
    let name = HOSTILE_NAME;
    let json = tree.run(&["milestones", "--format", "json", "--as-of", "2016-09-20"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    // The hostile file is the one that last mentioned the item.
    assert_eq!(
        json.json()["milestones"][0]["items"][0]["last_report"],
        name
    );
    for format in ["html", "svg-badge"] {
        let run = tree.run(&["milestones", "--format", format, "--as-of", "2016-09-20"]);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        let out = &run.stdout;
        assert!(!out.to_lowercase().contains("<script"), "{format}: {out}");
        assert!(!out.contains("]]>"), "{format}: {out}");
        assert!(
            !out.contains("alert(\"x\")"),
            "{format}: quotes survive raw: {out}"
        );
        assert!(out.contains("&#60;script&#62;"), "{format}: {out}");
        // Control characters, which HTML and XML do not allow, are shown.
        assert!(
            !out.chars().any(|c| c.is_control() && c != '\n'),
            "{format}: a raw control character"
        );
        // `&amp;` in the text is shown as written, not as `&`.
        assert!(out.contains("&#38;amp;"), "{format}: {out}");
    }
    let page = tree
        .run(&["milestones", "--format", "html", "--as-of", "2016-09-20"])
        .stdout;
    assert!(
        page.contains(r"m&#60;script&#62;\x1b]0;pwned\x07"),
        "{page}"
    );
    // The file name in a link: percent-encoded, and shown escaped.
    assert!(
        page.contains(r#"href="docs/status/2016_uke_37%20%3Cscript%3E&#39;%22%5D%5D%3E.rst""#),
        "{page}"
    );
    // Every attribute value is quoted and holds no raw quote or bracket:
    // the tags of the page are only the template's.
    let tags: std::collections::BTreeSet<String> = page
        .split('<')
        .skip(1)
        .filter_map(|rest| {
            let name: String = rest
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
                .collect();
            (!name.is_empty()).then_some(name.to_lowercase())
        })
        .collect();
    let allowed = [
        "!doctype", "html", "head", "meta", "title", "style", "body", "h1", "p", "section", "svg",
        "defs", "pattern", "line", "rect", "text", "g", "circle", "polygon", "table", "thead",
        "tbody", "tr", "th", "td", "span", "a",
    ];
    for tag in &tags {
        assert!(allowed.contains(&tag.as_str()), "unexpected tag <{tag}>");
    }
}

#[test]
fn a_staffing_shortfall_is_a_badge_and_stale_items_are_marked() {
    let tree = Tree::new();
    let dns = "DNS for instanser settes opp.";
    for week in 30..=40 {
        let mut text = report(week, &[], &[dns], &[]);
        if week == 40 {
            text = text.replace(
                "Utfordringer\n============\n\nIngenting denne uken.\n",
                "Utfordringer\n============\n\n- Vi trenger 4 personer. Vi er nå UiB (1 person 100%) og UiO (1 person 100%).\n",
            );
        }
        tree.file(&format!("docs/status/2016_uke_{week}.rst"), text);
    }
    tree.file(
        "milestones.yaml",
        "milestones:\n  - id: dns\n    title: DNS for instanser\n    due: 2016-12-01\n    staffing: {fte: 4}\n    items:\n      - id: dns\n        match: [dns]\n",
    );
    let run = tree.run(&["milestones", "--format", "html", "--as-of", "2016-10-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = &run.stdout;
    assert!(page.contains(r#"<rect class="badge""#), "{page}");
    assert!(page.contains(">short 2.0 FTE</text>"), "{page}");
    // In progress for ten weeks: `stale-item` sits on it, and the bar says so.
    assert!(page.contains(r#"<g class="bar bar-stale""#), "{page}");
    assert!(
        page.contains(">stale (last seen 2016-10-07)</text>"),
        "{page}"
    );
    // Turned off, the rule marks nothing.
    tree.file("milepost.yaml", "rules:\n  stale-item: off\n");
    let quiet = tree.run(&["milestones", "--format", "html", "--as-of", "2016-10-10"]);
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(!quiet.stdout.contains("bar-stale"));
    assert!(quiet.stdout.contains(r#"<g class="bar""#));
}

#[test]
fn with_a_sphinx_source_items_link_to_the_built_pages() {
    let tree = tree();
    tree.file("milepost.yaml", "sphinx_source: docs\n");
    let run = tree.run(&["milestones", "--format", "html", "--as-of", "2016-09-20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            r#"<a href="docs/_build/html/status/2016_uke_37.html">docs/status/2016_uke_37.rst</a>"#
        ),
        "{}",
        run.stdout
    );
}
