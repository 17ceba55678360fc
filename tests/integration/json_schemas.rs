//! The JSON Schemas for schema files and milestones files (beside the one
//! for `milepost.yaml`, tested in `config.rs`): what milepost reads
//! validates, what it refuses does not, and the files `init` writes name
//! them and validate against them.

use crate::support::{GitTree, good_report};

fn validator(text: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(text).expect("the JSON Schema is JSON");
    jsonschema::validator_for(&schema).expect("the JSON Schema compiles")
}

fn report_schema() -> jsonschema::Validator {
    validator(include_str!("../../schema/report-schema.schema.json"))
}

fn milestones_schema() -> jsonschema::Validator {
    validator(include_str!("../../schema/milestones.schema.json"))
}

fn errors(validator: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    let instance: serde_json::Value = serde_yaml::from_str(yaml).expect("YAML");
    validator
        .iter_errors(&instance)
        .map(|e| e.to_string())
        .collect()
}

/// The first YAML block after `heading` in the README.
fn readme_block(heading: &str, starts: &str) -> String {
    let readme = include_str!("../../README.md");
    let from = readme.find(heading).expect("the README heading");
    let block = &readme[from..];
    let start = block
        .find(&format!("```yaml\n{starts}"))
        .expect("a yaml block")
        + "```yaml\n".len();
    let end = block[start..].find("```").expect("the block ends");
    block[start..start + end].to_owned()
}

#[test]
fn built_in_and_readme_schemas_validate() {
    let validator = report_schema();
    for text in [
        include_str!("../../schema/uke.yaml"),
        include_str!("../../schema/weekly.yaml"),
    ] {
        assert_eq!(errors(&validator, text), Vec::<String>::new());
    }
    let example = readme_block("## Schemas", "name: uke-2017");
    assert_eq!(errors(&validator, &example), Vec::<String>::new());
    let edits = readme_block("## Schemas", "name: uke-2018");
    assert_eq!(errors(&validator, &edits), Vec::<String>::new());
}

#[test]
fn the_report_schema_json_schema_rejects_what_the_loader_rejects() {
    let validator = report_schema();
    let refused = [
        ("extends: uke\ntitel: x\n", "unknown key"),
        (
            "extends: uke\nbyline: '^av (?P<author>.+)$'\n",
            "byline without date",
        ),
        ("extends: uke\ntitle: '^Uke$'\n", "title without week"),
        (
            "extends: uke\nsections:\n  - {title: A}\n",
            "section without kind",
        ),
        (
            "extends: uke\nsections:\n  - {title: A, kind: later}\n",
            "unknown kind",
        ),
        ("extends: uke\nsections:\n  reorder: [A]\n", "unknown edit"),
        (
            "extends: uke\nsections:\n  move:\n    - {title: A, before: B, after: C}\n",
            "before and after",
        ),
        (
            "extends: uke\nsections:\n  move:\n    - {title: A}\n",
            "move nowhere",
        ),
    ];
    for (yaml, what) in refused {
        assert!(!errors(&validator, yaml).is_empty(), "{what}: {yaml}");
    }
    let accepted = "extends: uke\nbyline: null\nsections:\n  remove: [Annet]\n  add:\n    - {title: Drift, kind: notes, after: Utfordringer}\n  move:\n    - {title: Utfordringer, before: Fullført}\n";
    assert_eq!(errors(&validator, accepted), Vec::<String>::new());
}

#[test]
fn milestones_files_validate_and_mistakes_do_not() {
    let validator = milestones_schema();
    let example = readme_block("**Where milestones come from.**", "# milestones.yaml");
    assert_eq!(errors(&validator, &example), Vec::<String>::new());
    for (yaml, what) in [
        ("milestones:\n  - id: a\n", "no due date"),
        (
            "milestones:\n  - id: a\n    due: 2016-11-14\n    owner: x\n",
            "unknown key",
        ),
        (
            "milestones:\n  - id: a\n    due: 2016-11-14\n    items:\n      - title: x\n",
            "item without id",
        ),
        (
            "milestones:\n  - id: a\n    due: 2016-11-14\n    staffing: {fte: 0}\n",
            "no staff",
        ),
        ("milestone: []\n", "misspelt"),
    ] {
        assert!(!errors(&validator, yaml).is_empty(), "{what}: {yaml}");
    }
}

/// What `init` writes names the JSON Schemas, by URLs that end in the
/// files of this repository, and validates against them.
#[test]
fn files_written_by_init_name_and_satisfy_their_json_schemas() {
    let git = GitTree::new();
    for week in 30..=36 {
        git.commit_files(
            "2016-09-30",
            &[(&format!("2016_uke_{week}.rst"), good_report(week).as_str())],
        );
    }
    let run = git.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = std::fs::read_to_string(git.path().join("milepost.yaml")).unwrap();
    let schema = std::fs::read_to_string(git.path().join("schemas/uke-2016.yaml")).unwrap();
    let first_line = |text: &str| text.lines().next().unwrap_or("").to_owned();
    for (text, file) in [
        (&config, "milepost.schema.json"),
        (&schema, "report-schema.schema.json"),
    ] {
        let line = first_line(text);
        assert!(
            line.starts_with("# yaml-language-server: $schema=https://")
                && line.ends_with(&format!("/schema/{file}")),
            "{line}"
        );
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("schema")
                .join(file)
                .is_file()
        );
    }
    let config_schema = validator(include_str!("../../schema/milepost.schema.json"));
    assert_eq!(errors(&config_schema, &config), Vec::<String>::new());
    assert_eq!(errors(&report_schema(), &schema), Vec::<String>::new());
}

/// The README's example of section edits loads, and gives the sections it
/// says; a report written to it passes.
#[test]
fn the_readme_section_edits_load_and_check_a_report() {
    let edits = readme_block("## Schemas", "name: uke-2018");
    let git = GitTree::new();
    git.write("schemas/uke-2018.yaml", &edits);
    let boundary = milepost::boundary::Boundary::new(git.path().canonicalize().unwrap());
    let schema = milepost::schema::Loader::within(&boundary)
        .load("schemas/uke-2018.yaml", &git.path().canonicalize().unwrap())
        .unwrap();
    let titles: Vec<&str> = schema.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Fullført",
            "Under arbeid",
            "Utfordringer",
            "Planlagte aktiviteter",
            "Drift",
            "Annet"
        ]
    );
    assert_eq!(schema.section_index("Diverse"), Some(5));
    let report = good_report(38)
        .replace("Planlagt fremdrift\n==================", "Planlagte aktiviteter\n=====================")
        .replace("Oppdatert status\n================\n\nArbeidet frem til leveranse 14. november oppdateres fortløpende.\n", "Annet\n=====\n\nIngenting.\n");
    // Utfordringer before the plan, as the edits say.
    let start = report.find("Planlagte aktiviteter").unwrap();
    let risks = report.find("Utfordringer").unwrap();
    let annet = report.find("Annet").unwrap();
    let reordered = format!(
        "{}{}{}{}",
        &report[..start],
        &report[risks..annet],
        &report[start..risks],
        &report[annet..]
    );
    git.write("2016_uke_38.rst", &reordered);
    git.write(
        "milepost.yaml",
        "reports:\n  - glob: '*.rst'\n    schema: schemas/uke-2018.yaml\nrules:\n  stale-item: off\n",
    );
    let run = git.run(&["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(
        run.rules(),
        Vec::<String>::new(),
        "{reordered}\n{}",
        run.stderr
    );
}
