//! `staffing-risk` through the binary: the seed's staffing item gives one
//! warning with the shortfall, and a shortage of machines gives none.
//! (Needs the rule wired into `check_file`.)

use crate::support::{Tree, good_report};

const SEED_ITEM: &str =
    "- I :doc:`../plans/production` har jeg skrevet at vi trenger 4 personer frem
  til nyttår for å komme i produksjon. Vi er nå prosjektleder (100% delt),
  UiB (1 person 100%) og UiO (1 person 60% og en person 40%). Det ser ikke ut
  til å berøre datoene i leveransen, men vil kunne påvirke innholdet dersom vi
  støter på større utfordringer.";

const ONLY_ITEM: &str = "- API-tilgang er ikke optimal slik den er satt opp nå.";

/// A clean report whose Utfordringer holds `items`, with the plan its link
/// points at.
fn tree_with_challenges(items: &str) -> Tree {
    let report = good_report(38).replace(ONLY_ITEM, items);
    assert!(report.contains(items), "the fixture changed");
    let tree = Tree::new();
    tree.file("docs/status/2016_uke_38.rst", report)
        .file("docs/plans/production.rst", "Plan\n====\n\nInnhold.\n");
    tree
}

#[test]
fn seed_staffing_item_gives_one_warning_with_the_shortfall() {
    let tree = tree_with_challenges(SEED_ITEM);
    let run = tree.run(&["check", "--format", "json"]);
    let json = run.json();
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    let finding = &findings[0];
    assert_eq!(finding["rule"], "staffing-risk");
    assert_eq!(finding["code"], "P001");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(
        finding["message"],
        "staffing risk: needs 4.0 FTE, reported 3.0 (2.5 if the shared 100% counts as half): short 1.0 to 1.5"
    );
    // A warning does not fail the build by default.
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn compute_resources_are_not_a_staffing_risk() {
    let tree = tree_with_challenges(
        "- Vi begynner å gå tom for compute ressurser.\n\n- Mangel på SSD gjør at diskene ikke kommer før i juni.",
    );
    let run = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(run.rules(), Vec::<String>::new(), "{}", run.stdout);
    assert_eq!(run.code, 0);
}

#[test]
fn staffing_outside_the_challenges_is_not_flagged() {
    let report = good_report(38).replace(
        "- Oppgradere ceph til siste versjon.",
        "- Vi trenger 4 personer til oppgraderingen av ceph.",
    );
    let tree = Tree::new();
    tree.file("2016_uke_38.rst", report);
    let run = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(run.rules(), Vec::<String>::new(), "{}", run.stdout);
}

#[test]
fn the_rule_can_be_turned_off_and_suppressed() {
    let tree = tree_with_challenges(SEED_ITEM);
    tree.file("milepost.yaml", "rules:\n  staffing-risk: off\n");
    let run = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(run.rules(), Vec::<String>::new(), "{}", run.stdout);

    let tree = tree_with_challenges(&format!(
        ".. milepost: disable=staffing-risk\n\n{SEED_ITEM}"
    ));
    let run = tree.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(run.rules(), Vec::<String>::new(), "{}", run.stdout);
}

#[test]
fn english_challenges_are_read_too() {
    let report = "# Week 38\n\nby A B, UH IaaS, September 23, 2016\n\n## Completed\n\n- Upgrade.\n\n## In progress\n\n- DNS.\n\n## Planned\n\n- Ceph.\n\n## Challenges\n\n- We need 3 FTE until launch; we have two engineers at 50%.\n\n- The storage cluster is short of capacity.\n\n## Status update\n\nOn track.\n";
    let tree = Tree::new();
    tree.file("2016_week_38.md", report);
    let run = tree.run(&["check", "--format", "json"]);
    let json = run.json();
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        ["staffing risk: needs 3.0 FTE, reported 1.0: short 2.0"],
        "{}",
        run.stdout
    );
}

#[test]
fn other_section_kinds_are_read_when_configured() {
    let report = crate::support::good_report(37).replace(
        "Arbeidet frem til leveranse 14. november oppdateres fortløpende.",
        "Vi trenger 4 personer frem til nyttår.",
    );
    let tree = crate::support::Tree::new();
    tree.file("2016_uke_37.rst", &report);
    assert_eq!(
        tree.run(&["check", "--format", "json"]).rules(),
        Vec::<String>::new()
    );
    tree.file("milepost.yaml", "staffing:\n  sections: [risks, status]\n");
    assert_eq!(
        tree.run(&["check", "--format", "json"]).rules(),
        vec!["staffing-risk"]
    );
}

/// One labelled text of `tests/data/staffing/*.tsv`.
struct Labelled<'a> {
    risk: bool,
    category: &'a str,
    text: &'a str,
}

fn labelled(data: &str) -> Vec<Labelled<'_>> {
    data.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let (Some(label), Some(category), Some(text)) =
                (fields.next(), fields.next(), fields.next())
            else {
                panic!("not `label<TAB>category<TAB>text`: {line:?}");
            };
            assert!(
                label == "risk" || label == "ok",
                "label {label:?}: {line:?}"
            );
            Labelled {
                risk: label == "risk",
                category,
                text,
            }
        })
        .collect()
}

/// What the classifier made of a data set: per category, how many texts
/// and how many were flagged; and the texts it got wrong.
struct Scores<'a> {
    by_category: std::collections::BTreeMap<&'a str, (bool, usize, usize)>,
    wrong: Vec<String>,
}

impl Scores<'_> {
    fn totals(&self) -> (usize, usize, usize) {
        let (mut tp, mut fp, mut positives) = (0, 0, 0);
        for &(risk, total, flagged) in self.by_category.values() {
            if risk {
                tp += flagged;
                positives += total;
            } else {
                fp += flagged;
            }
        }
        (tp, fp, positives)
    }

    fn precision(&self) -> f64 {
        let (tp, fp, _) = self.totals();
        ratio(tp, tp + fp)
    }

    fn recall(&self) -> f64 {
        let (tp, _, positives) = self.totals();
        ratio(tp, positives)
    }

    /// Each risk category's recall.
    fn recalls(&self) -> Vec<(&str, f64)> {
        self.by_category
            .iter()
            .filter(|(_, (risk, ..))| *risk)
            .map(|(category, &(_, total, flagged))| (*category, ratio(flagged, total)))
            .collect()
    }

    fn table(&self, name: &str) -> String {
        let mut out = format!(
            "{name}: precision {:.3}, recall {:.3}\n",
            self.precision(),
            self.recall()
        );
        for (category, (risk, total, flagged)) in &self.by_category {
            let what = if *risk { "recall" } else { "false alarms" };
            out.push_str(&format!("  {category:<13} {what:<12} {flagged}/{total}\n"));
        }
        out
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn score(data: &str) -> Scores<'_> {
    let lexicon = milepost::staffing::Lexicon::builtin();
    let mut scores = Scores {
        by_category: std::collections::BTreeMap::new(),
        wrong: Vec::new(),
    };
    for item in labelled(data) {
        // As the rule asks: the quick filter first.
        let mut assessment = milepost::staffing::assess(item.text, lexicon);
        if !lexicon.may_concern_people(item.text) {
            assessment.about_staff = false;
            assessment.reasons.insert(0, "no people word".into());
        }
        let entry = scores
            .by_category
            .entry(item.category)
            .or_insert((item.risk, 0, 0));
        assert_eq!(
            entry.0, item.risk,
            "category {} mixes labels",
            item.category
        );
        entry.1 += 1;
        entry.2 += usize::from(assessment.about_staff);
        if assessment.about_staff != item.risk {
            scores.wrong.push(format!(
                "{} {}: {} [{} = {}]",
                if item.risk { "missed" } else { "false alarm" },
                item.category,
                item.text,
                assessment.reasons.join(", "),
                assessment.score
            ));
        }
    }
    scores
}

const DEV: &str = include_str!("../data/staffing/dev.tsv");
const HELD_OUT: &str = include_str!("../data/staffing/heldout.tsv");
/// Guards against regression on the held-out texts, set from their figures
/// when the classifier was tuned on the development set (see EVALUATION.md).
const HELD_OUT_RECALL: f64 = 0.75;
const HELD_OUT_PRECISION: f64 = 0.95;

/// The floors of issue 16 on the development set: recall 90%, precision
/// 95%, and no risk category under 75% recall.
#[test]
fn staffing_classifier_meets_its_floors_on_the_development_set() {
    let dev = labelled(DEV);
    assert!(dev.len() >= 200, "{} texts", dev.len());
    assert!(dev.iter().filter(|l| l.risk).count() * 2 >= dev.len());
    let scores = score(DEV);
    let table = scores.table("dev");
    println!("{table}{}", scores.wrong.join("\n"));
    assert!(scores.recall() >= 0.90, "{table}");
    assert!(scores.precision() >= 0.95, "{table}");
    for (category, recall) in scores.recalls() {
        assert!(recall >= 0.75, "{category}: {recall:.2}\n{table}");
    }
}

/// The held-out texts were written with the development set but never
/// read while tuning: only their figures are printed, never the texts.
#[test]
fn staffing_classifier_on_the_held_out_set() {
    assert!(labelled(HELD_OUT).len() >= 50);
    let scores = score(HELD_OUT);
    let table = scores.table("held out");
    println!("{table}");
    assert!(scores.recall() >= HELD_OUT_RECALL, "{table}");
    assert!(scores.precision() >= HELD_OUT_PRECISION, "{table}");
}

/// The `staffing-risk` findings of a run, as (line, message).
fn staffing_findings(run: &crate::support::Run) -> Vec<(u64, String)> {
    let json = run.json();
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "staffing-risk")
        .map(|f| {
            (
                f["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_paragraph_beside_the_bullets_is_read() {
    let tree = tree_with_challenges(
        "- API-tilgang er ikke optimal slik den er satt opp nå.\n\nVi er fortsatt bare 2, og rekrutteringen av en driftsingeniør er forsinket.",
    );
    let run = tree.run(&["check", "--format", "json"]);
    let found = staffing_findings(&run);
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert_eq!(
        found[0].1,
        "staffing risk: reported 2.0 FTE; the need is not given"
    );
}

#[test]
fn subsections_of_the_challenges_are_read() {
    let tree = tree_with_challenges(
        "- API-tilgang er ikke optimal slik den er satt opp nå.\n\nBemanning\n---------\n\nStillingen som ble lovet fra UiB er fortsatt ikke besatt.\n\n- Kari går ned til 40% i prosjektet fra oktober.",
    );
    let run = tree.run(&["check", "--format", "json"]);
    let found = staffing_findings(&run);
    assert_eq!(found.len(), 2, "{}", run.stdout);
}

#[test]
fn a_challenges_subsection_under_the_status_is_read() {
    let report = good_report(38).replace(
        "Arbeidet frem til leveranse 14. november oppdateres fortløpende.",
        "Arbeidet frem til leveranse 14. november oppdateres fortløpende.\n\nUtfordringer\n------------\n\nBare Trond kan drifte ceph-klyngen, og han har ferie i uke 42.\n",
    );
    let tree = Tree::new();
    tree.file("2016_uke_38.rst", report);
    let run = tree.run(&["check", "--format", "json"]);
    let found = staffing_findings(&run);
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert!(found[0].1.contains("Bare Trond kan drifte"), "{found:?}");
}

#[test]
fn markdown_paragraphs_under_a_challenges_subsection_are_read() {
    let report = "# Week 38\n\nby A B, UH IaaS, September 23, 2016\n\n## Completed\n\n- Upgrade.\n\n## In progress\n\n- DNS.\n\n## Planned\n\n- Ceph.\n\n## Challenges\n\n- The storage cluster is short of capacity.\n\n### Staffing\n\nWe are at 2.2 FTE against the 4 FTE the plan assumes.\n\n## Status update\n\nOn track.\n";
    let tree = Tree::new();
    tree.file("2016_week_38.md", report);
    let run = tree.run(&["check", "--format", "json"]);
    let found = staffing_findings(&run);
    assert_eq!(
        found,
        [(
            23,
            "staffing risk: needs 4.0 FTE, reported 2.2: short 1.8".to_owned()
        )],
        "{}",
        run.stdout
    );
}

/// One risk of each category of issue 16 through the binary, each its own
/// item, and the hard negatives beside them with no finding.
#[test]
fn each_category_of_staffing_risk_is_flagged_end_to_end() {
    let risks = [
        (
            "hiring",
            "Ansettelsesprosessen ved UiO er forsinket, så vi får neppe ny utvikler på plass før lanseringen.",
        ),
        (
            "unfilled",
            "UiO har finansiert en 50 % stilling til prosjektet, men den er ikke fylt ennå.",
        ),
        ("fte", "Vi har 1,6 stillinger tilgjengelig mot planlagt 3."),
        (
            "share",
            "Andelen til UiB-personen reduseres fra 100% til 50% etter nyttår.",
        ),
        ("vacancy", "Det er fortsatt en vakant stilling i Oslo."),
        (
            "single point",
            "Hvis Anders blir syk, stopper arbeidet med nettverket opp.",
        ),
        (
            "role",
            "Det er for få driftsingeniører til å dekke vaktordningen.",
        ),
        ("still only", "Vi er fortsatt bare 2."),
        (
            "understaffed",
            "Bemanningssituasjonen er kritisk fram mot lansering.",
        ),
        ("departure", "Anne har fått ny jobb og forlater prosjektet."),
    ];
    let negatives = [
        "Vi har mangel på SSD-disker i Bergen.",
        "Det er ikke nok compute ressurser til alle testinstansene.",
        "Mangel på IP-adresser i det offentlige nettet hindrer nye instanser.",
        "Det mangler midler til innkjøp av ny lagring.",
        "Dokumentasjonen for brukerne mangler fortsatt.",
        "Det er fortsatt bare 5 personer som har testet tjenesten.",
        "Vi er nå fullt bemannet.",
        "The vacancy was filled last week.",
    ];
    let items: Vec<String> = risks
        .iter()
        .map(|(_, text)| *text)
        .chain(negatives)
        .map(|text| format!("- {text}"))
        .collect();
    let tree = tree_with_challenges(&items.join("\n\n"));
    let run = tree.run(&["check", "--format", "json"]);
    let found = staffing_findings(&run);
    let report = std::fs::read_to_string(tree.path().join("docs/status/2016_uke_38.rst"))
        .expect("the report");
    let lines: Vec<&str> = report.lines().collect();
    let flagged: Vec<&str> = found
        .iter()
        .map(|(line, _)| lines[*line as usize - 1].trim_start_matches("- "))
        .collect();
    let expected: Vec<&str> = risks.iter().map(|(_, text)| *text).collect();
    assert_eq!(flagged, expected, "{}", run.stdout);
    // The numbers where the text gives them.
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert!(
        messages.contains(&"staffing risk: needs 3.0 FTE, reported 1.6: short 1.4"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"staffing risk: a share drops from 100% to 50% (-0.5 FTE)"),
        "{messages:?}"
    );
    // The hint says which words and which score.
    let json = run.json();
    let hint = json["findings"][0]["hint"].as_str().unwrap_or("");
    assert!(hint.contains("(+2)") && hint.contains(" = "), "{hint}");
}
