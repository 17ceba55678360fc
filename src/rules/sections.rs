//! The section rules: `missing-section`, `unknown-section`,
//! `duplicate-section`, `section-order` and `empty-section`.
//!
//! Only top-level sections are held against the schema; subsections belong
//! to their parent (an `Annet` under `Status` is not a duplicate of a
//! top-level `Annet`). Emptiness is judged for every section.

use std::collections::HashMap;

use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::report::{Pos, Section};
use crate::text::{closest, ellipsize, title_key};

pub fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let schema = ctx.schema;
    // (schema index or None, section) for each top-level section.
    let top: Vec<(Option<usize>, &Section)> = ctx
        .doc
        .top_sections()
        .map(|section| (schema.section_index(&section.heading.text), section))
        .collect();

    check_unknown(ctx, &top, out);
    check_duplicates(ctx, &top, out);
    check_order(ctx, &top, out);
    check_missing(ctx, &top, out);
    check_empty(ctx, out);
}

fn check_unknown(ctx: &FileContext, top: &[(Option<usize>, &Section)], out: &mut Vec<Diagnostic>) {
    for (_, section) in top.iter().filter(|(index, _)| index.is_none()) {
        let title = section.heading.text.trim();
        let mut finding = Diagnostic::new(
            Rule::UnknownSection,
            ctx.path,
            section.heading.pos,
            format!(
                "unknown section `{}` for the {} schema",
                ellipsize(title, 60),
                ctx.schema.name
            ),
        )
        .spanning(title);
        finding.severity = ctx.schema.unknown_section;
        finding = match closest(title, ctx.schema.known_titles()) {
            Some(near) => finding.with_hint(format!("did you mean `{near}`?")),
            None => finding.with_hint(format!(
                "known sections: {}; or add it to the schema as an alias",
                ctx.schema
                    .sections
                    .iter()
                    .map(|s| s.title.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        out.push(finding);
    }
}

fn check_duplicates(
    ctx: &FileContext,
    top: &[(Option<usize>, &Section)],
    out: &mut Vec<Diagnostic>,
) {
    // Known sections are the same when they map to the same schema entry
    // (`Fullført` and its alias `Ferdig`); unknown ones when their titles are.
    let mut seen: HashMap<String, &Section> = HashMap::new();
    for (index, section) in top {
        if index.is_some_and(|i| ctx.schema.sections[i].repeatable) {
            continue;
        }
        let key = match index {
            Some(i) => format!("#{i}"),
            None => title_key(&section.heading.text).into_owned(),
        };
        match seen.get(&key) {
            Some(first) => out.push(
                Diagnostic::new(
                    Rule::DuplicateSection,
                    ctx.path,
                    section.heading.pos,
                    match (section.heading.text.trim(), first.heading.text.trim()) {
                        (again, first_title) if again == first_title => format!(
                            "section `{}` appears again (first at line {})",
                            ellipsize(again, 60),
                            first.heading.pos.line
                        ),
                        (again, first_title) => format!(
                            "section `{}` appears again (first as `{}` at line {})",
                            ellipsize(again, 60),
                            ellipsize(first_title, 60),
                            first.heading.pos.line
                        ),
                    },
                )
                .spanning(section.heading.text.trim())
                .with_hint("merge the two sections; a second copy is often left over from last week's report"),
            ),
            None => {
                seen.insert(key, section);
            }
        }
    }
}

fn check_order(ctx: &FileContext, top: &[(Option<usize>, &Section)], out: &mut Vec<Diagnostic>) {
    if !ctx.schema.order {
        return;
    }
    let mut furthest: Option<(usize, &Section)> = None;
    let mut seen = vec![false; ctx.schema.sections.len()];
    for (index, section) in top {
        let Some(index) = *index else { continue };
        // A second copy is `duplicate-section`'s business, not an order slip.
        if std::mem::replace(&mut seen[index], true) {
            continue;
        }
        match furthest {
            Some((max, later)) if index < max => out.push(
                Diagnostic::new(
                    Rule::SectionOrder,
                    ctx.path,
                    section.heading.pos,
                    format!(
                        "section `{}` should come before `{}` (line {})",
                        ctx.schema.sections[index].title,
                        ctx.schema.sections[max].title,
                        later.heading.pos.line
                    ),
                )
                .spanning(section.heading.text.trim())
                .with_hint(format!("the schema's order is: {}", schema_order(ctx))),
            ),
            Some((max, _)) if index == max => {}
            _ => furthest = Some((index, section)),
        }
    }
}

fn schema_order(ctx: &FileContext) -> String {
    ctx.schema
        .sections
        .iter()
        .map(|s| s.title.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_missing(ctx: &FileContext, top: &[(Option<usize>, &Section)], out: &mut Vec<Diagnostic>) {
    for (wanted, spec) in ctx.schema.sections.iter().enumerate() {
        if !spec.required || top.iter().any(|(index, _)| *index == Some(wanted)) {
            continue;
        }
        // Point where the section belongs: at the first present section that
        // the schema puts after it, else after the last line.
        let pos = top
            .iter()
            .find(|(index, _)| index.is_some_and(|i| i > wanted))
            .map_or(Pos::new(ctx.doc.line_count.max(1), 1), |(_, s)| {
                s.heading.pos
            });
        let aliases = if spec.aliases.is_empty() {
            String::new()
        } else {
            format!(" (or {})", spec.aliases.join(", "))
        };
        out.push(
            Diagnostic::new(
                Rule::MissingSection,
                ctx.path,
                pos,
                format!("missing section `{}`{aliases}", spec.title),
            )
            .with_hint(format!(
                "the {} schema requires it; its order is: {}",
                ctx.schema.name,
                schema_order(ctx)
            )),
        );
    }
}

fn check_empty(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let sections = &ctx.doc.sections;
    for (i, section) in sections.iter().enumerate() {
        let has_subsections = sections
            .get(i + 1)
            .is_some_and(|next| next.depth > section.depth);
        if section.has_content || !section.items.is_empty() || has_subsections {
            continue;
        }
        out.push(
            Diagnostic::new(
                Rule::EmptySection,
                ctx.path,
                section.heading.pos,
                format!(
                    "section `{}` is empty",
                    ellipsize(section.heading.text.trim(), 60)
                ),
            )
            .with_hint(
                "write what there is to say, even \"nothing new this week\", or remove the section",
            ),
        );
    }
}
