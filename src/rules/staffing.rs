//! `staffing-risk`: items of the challenges sections that say the team is
//! short of people, with the shortfall when the text gives the numbers.
//!
//! The judgement (is this about people?) and the arithmetic (how many are
//! needed, how many there are) live in [`crate::staffing`]; this rule only
//! decides which items to ask about and words the finding. Only sections of
//! the configured kinds are read (the challenges section by default): a
//! "trenger" under Fullført is history, not a risk.

use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::report::Item;
use crate::schema::SectionKind;
use crate::staffing::{self, Lexicon};
use crate::text::ellipsize;

/// The section kinds read when the config names none.
pub const DEFAULT_KINDS: &[SectionKind] = crate::config::DEFAULT_STAFFING_KINDS;

/// Checks the text under every section whose kind is in `kinds`: bullets
/// and paragraphs, of the section and of its subsections. A section is found
/// at any depth, so that a "Utfordringer" nested under the status section is
/// read; a section read with its parent is not read twice.
pub fn check(
    ctx: &FileContext,
    kinds: &[SectionKind],
    lexicon: &Lexicon,
    out: &mut Vec<Diagnostic>,
) {
    let sections = &ctx.doc.sections;
    let mut index = 0;
    while index < sections.len() {
        let section = &sections[index];
        let kind = ctx
            .schema
            .section_index(&section.heading.text)
            .map(|i| ctx.schema.sections[i].kind);
        if !kind.is_some_and(|kind| kinds.contains(&kind)) {
            index += 1;
            continue;
        }
        out.extend(
            ctx.doc
                .texts_under(index)
                .filter_map(|item| finding(ctx.path, item, lexicon)),
        );
        index += 1;
        while sections.get(index).is_some_and(|s| s.depth > section.depth) {
            index += 1;
        }
    }
}

/// The finding for one item, if it is about staff.
pub fn finding(path: &str, item: &Item, lexicon: &Lexicon) -> Option<Diagnostic> {
    if !lexicon.may_concern_people(&item.text) {
        return None;
    }
    let (assessment, fte) = staffing::assess_and_read(&item.text, lexicon);
    let fte = fte?;
    let message = match staffing::describe(&fte) {
        Some(numbers) => format!("staffing risk: {numbers}"),
        None => format!("staffing risk: `{}`", quote(&item.text)),
    };
    Some(
        Diagnostic::new(Rule::StaffingRisk, path, item.pos, message).with_hint(format!(
            "{} = {}; not about people? list the word under `staffing: not_staff:` in milepost.yaml",
            assessment.reasons.join(", "),
            assessment.score
        )),
    )
}

/// The item's text cut to 60 characters, without a space before the
/// ellipsis.
fn quote(text: &str) -> String {
    let cut = ellipsize(text.trim(), 60);
    match cut.strip_suffix('…') {
        Some(head) => format!("{}…", head.trim_end()),
        None => cut.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Format, parse};
    use crate::schema::Schema;

    const REPORT: &str = "\
======
Uke 38
======
av Raymond Kristiansen, UH IaaS, 23. sep 2016

Fullført
========

- Vi trenger ikke lenger 2 personer på dette: ferdig.

Under arbeid
============

- Hovedgrunnen er mangel på dedikert personer i prosjekt.

Planlagt fremdrift
==================

- Oppgradere ceph til siste versjon.

Utfordringer
============

- Vi begynner å gå tom for compute ressurser.

- I :doc:`../plans/production` har jeg skrevet at vi trenger 4 personer frem
  til nyttår for å komme i produksjon. Vi er nå prosjektleder (100% delt),
  UiB (1 person 100%) og UiO (1 person 60% og en person 40%).

Bemanning
---------

- Pga ferie og konferanser blir det begrenset bemanning i mai.

Oppdatert status
================

Vi mangler folk, men dette er status og ikke en utfordring.
";

    fn run(text: &str, kinds: &[SectionKind]) -> Vec<Diagnostic> {
        let schema = Schema::builtin("uke").unwrap().unwrap();
        let doc = parse(Format::Rst, text);
        let root = std::path::Path::new("/repo");
        let ctx = FileContext {
            path: "2016_uke_38.rst",
            abs_path: &root.join("2016_uke_38.rst"),
            doc: &doc,
            schema: &schema,
            root,
            sphinx_source: None,
        };
        let mut out = Vec::new();
        check(&ctx, kinds, Lexicon::builtin(), &mut out);
        out
    }

    #[test]
    fn flags_staffing_items_of_the_challenges_only() {
        let found = run(REPORT, DEFAULT_KINDS);
        let found: Vec<(u32, &str)> = found.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (
                    26,
                    "staffing risk: needs 4.0 FTE, reported 3.0 (2.5 if the shared 100% counts as half): short 1.0 to 1.5"
                ),
                (
                    33,
                    "staffing risk: `Pga ferie og konferanser blir det begrenset bemanning i mai.`"
                ),
            ]
        );
    }

    #[test]
    fn finding_carries_rule_position_and_hint() {
        let found = run(REPORT, DEFAULT_KINDS);
        let first = &found[0];
        assert_eq!(first.rule, Rule::StaffingRisk);
        assert_eq!(first.code, "P001");
        assert_eq!((first.line, first.column), (26, 3));
        let hint = first.hint.as_deref().unwrap();
        assert!(
            hint.starts_with("people `personer` (+2), shortage `trenger` (+2)"),
            "{hint}"
        );
        assert!(hint.contains("(+1) = 5; not about people?"), "{hint}");
        assert!(hint.contains("`staffing: not_staff:`"), "{hint}");
    }

    #[test]
    fn kinds_choose_the_sections() {
        let found = run(REPORT, &[SectionKind::InProgress]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 14);
        assert!(found[0].message.contains("mangel på dedikert personer"));
        assert!(run(REPORT, &[]).is_empty());
    }

    #[test]
    fn long_items_are_cut_in_the_message() {
        let text = REPORT.replace(
            "- Vi begynner å gå tom for compute ressurser.",
            "- Kari er sykemeldt ut oktober, og det er ingen andre som kan ta over driften av ceph-klyngen i mellomtiden.",
        );
        let found = run(&text, DEFAULT_KINDS);
        assert_eq!(
            found[0].message,
            "staffing risk: `Kari er sykemeldt ut oktober, og det er ingen andre som kan…`"
        );
    }
}
