//! From samples to a proposal: which files are weekly reports, their eras,
//! and for each era the schema (file name, title, byline, sections with
//! roles, which are required, their order) and the globs that select it.
//! Pure: samples in, [`Proposal`] out.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use super::eras;
use super::roles::{self, Why};
use super::sample::Sample;
use super::shape::{Shape, Slot};
use crate::schema::{Schema, SectionKind};

/// A section is required when at least this share of an era's reports has it.
pub const REQUIRED_SHARE: f64 = 0.8;
/// A byline is part of an era's template when at least this share has one.
pub const BYLINE_SHARE: f64 = 0.8;

/// What `init` proposes.
#[derive(Debug)]
pub struct Proposal {
    pub eras: Vec<Era>,
    pub excluded: Vec<Excluded>,
    /// Statements about section names that play one role, or two.
    pub roles: Vec<String>,
    /// How many report-like files were read.
    pub read: usize,
}

/// A file that is not a weekly report, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excluded {
    pub path: String,
    pub reason: String,
}

/// A run of reports written to one template.
#[derive(Debug)]
pub struct Era {
    /// The schema's name (`uke-2017`), also its file name.
    pub name: String,
    /// The built-in schema it extends.
    pub base: &'static str,
    pub files: Vec<String>,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    pub file_name: Option<String>,
    pub title: String,
    /// `None`: this era's reports have no byline.
    pub byline: Option<String>,
    pub bylines: usize,
    pub sections: Vec<SectionPlan>,
    pub order: bool,
    /// Days after its week's Sunday a report may be dated, when the
    /// reports need more than the built-in 7.
    pub grace_days: Option<u32>,
    /// In order; the last era's last glob also takes future reports.
    pub globs: Vec<String>,
    pub examples: (String, String, Option<String>),
}

/// One section of an era's schema.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionPlan {
    pub title: String,
    pub aliases: Vec<String>,
    pub kind: SectionKind,
    pub why: Why,
    pub count: usize,
    pub required: bool,
}

/// A kept sample with what was learnt about it.
struct Report<'a> {
    sample: &'a Sample,
    title_key: String,
    week: Option<u32>,
    year: Option<i32>,
    date: Option<NaiveDate>,
}

/// Infers the proposal from every report-like file.
pub fn infer(samples: &[Sample], builtins: &[&Schema]) -> Proposal {
    let mut excluded = Vec::new();
    let with_title: Vec<&Sample> = samples
        .iter()
        .filter(|s| {
            let keep = s.title.as_deref().is_some_and(|t| !t.is_empty());
            if !keep {
                excluded.push(Excluded {
                    path: s.path.clone(),
                    reason: "it has no title".into(),
                });
            }
            keep
        })
        .collect();

    // Title shapes shared by too few files are not weekly reports.
    let title_shapes: Vec<Shape> = with_title
        .iter()
        .map(|s| Shape::of(s.title.as_deref().unwrap_or("")))
        .collect();
    let mut shape_count: HashMap<String, usize> = HashMap::new();
    for shape in &title_shapes {
        *shape_count.entry(shape.key()).or_default() += 1;
    }
    let enough = (with_title.len() / 50).max(3);
    let mut common_titles: Vec<(&String, &usize)> =
        shape_count.iter().filter(|(_, n)| **n >= enough).collect();
    common_titles.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = common_titles
        .iter()
        .filter_map(|(key, _)| {
            let index = title_shapes.iter().position(|s| &s.key() == *key)?;
            with_title[index].title.clone()
        })
        .map(|t| format!("`{t}`"))
        .collect();
    let mut kept: Vec<(&Sample, Shape)> = Vec::new();
    for (sample, shape) in with_title.into_iter().zip(title_shapes) {
        if shape_count[&shape.key()] >= enough && !shape.numbers.is_empty() {
            kept.push((sample, shape));
            continue;
        }
        let mut reason = format!(
            "its title `{}` is not shaped like the reports' ({})",
            sample.title.as_deref().unwrap_or(""),
            shown.join(", ")
        );
        if sample.byline_date.is_none() {
            reason.push_str(", and it has no dated byline");
        }
        excluded.push(Excluded {
            path: sample.path.clone(),
            reason,
        });
    }

    // Weeks and years from the file names, then the title slots.
    let name_shapes: Vec<Shape> = kept.iter().map(|(s, _)| Shape::of(s.stem())).collect();
    let name_slots = slots_by_key(&name_shapes, &vec![None; name_shapes.len()]);
    let mut reports: Vec<Report> = kept
        .iter()
        .zip(&name_shapes)
        .map(|((sample, title), name)| {
            let slots = &name_slots[&name.key()];
            let pick = |wanted: Slot| {
                slots
                    .iter()
                    .position(|s| *s == wanted)
                    .map(|i| name.numbers[i])
            };
            let week = pick(Slot::Week).filter(|w| (1..=53).contains(w));
            let year = pick(Slot::Year)
                .and_then(|y| i32::try_from(y).ok())
                .or_else(|| sample.folder_year());
            let date = sample
                .byline_date
                .or_else(|| NaiveDate::from_isoywd_opt(year?, week?, chrono::Weekday::Fri))
                .or(sample.committed);
            Report {
                sample,
                title_key: title.key(),
                week,
                year,
                date,
            }
        })
        .collect();
    reports.sort_by(|a, b| {
        (a.date.is_none(), a.date, &a.sample.path).cmp(&(b.date.is_none(), b.date, &b.sample.path))
    });

    // Eras, then the reports whose sections are not their era's.
    let ranges = era_ranges(&reports);
    let mut era_reports: Vec<Vec<&Report>> = Vec::new();
    for range in ranges {
        let members: Vec<&Report> = reports[range].iter().collect();
        let core = core_sections(&members);
        let (fit, misfit): (Vec<&Report>, Vec<&Report>) = members.into_iter().partition(|r| {
            let names: Vec<String> = r.sample.sections.iter().map(|s| roles::fold(s)).collect();
            let shared = names
                .iter()
                .filter(|n| core.iter().any(|(folded, _)| folded == *n))
                .count();
            let union = core.len() + names.len() - shared;
            union == 0 || shared * 2 >= union
        });
        for report in misfit {
            excluded.push(Excluded {
                path: report.sample.path.clone(),
                reason: format!(
                    "its sections ({}) are not the other reports' ({})",
                    report.sample.sections.join(", "),
                    core.iter()
                        .map(|(_, written)| written.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        if !fit.is_empty() {
            era_reports.push(fit);
        }
    }

    let mut names: HashMap<String, usize> = HashMap::new();
    let mut eras_out: Vec<Era> = era_reports
        .iter()
        .map(|members| build_era(members, builtins, &mut names))
        .collect();
    let excluded_paths: Vec<&str> = excluded.iter().map(|e| e.path.as_str()).collect();
    let files: Vec<&[String]> = eras_out.iter().map(|e| e.files.as_slice()).collect();
    let globs = super::globs::for_eras(&files, samples, &excluded_paths);
    for (era, globs) in eras_out.iter_mut().zip(globs) {
        era.globs = globs;
    }
    let roles = role_statements(&eras_out, samples);
    excluded.sort_by(|a, b| a.path.cmp(&b.path));
    Proposal {
        eras: eras_out,
        excluded,
        roles,
        read: samples.len(),
    }
}

fn slots_by_key(shapes: &[Shape], weeks: &[Option<u32>]) -> HashMap<String, Vec<Slot>> {
    let mut groups: BTreeMap<String, (Vec<&Shape>, Vec<Option<u32>>)> = BTreeMap::new();
    for (shape, week) in shapes.iter().zip(weeks) {
        let entry = groups.entry(shape.key()).or_default();
        entry.0.push(shape);
        entry.1.push(*week);
    }
    groups
        .into_iter()
        .map(|(key, (shapes, weeks))| (key, super::shape::slots(&shapes, &weeks)))
        .collect()
}

fn era_ranges(reports: &[Report]) -> Vec<std::ops::Range<usize>> {
    let titles: Vec<String> = reports.iter().map(|r| r.title_key.clone()).collect();
    let sections: Vec<Vec<String>> = reports
        .iter()
        .map(|r| r.sample.sections.iter().map(|s| roles::fold(s)).collect())
        .collect();
    eras::segment(&eras::templates(&titles, &sections))
}

/// The section names at least half of `members` have, in order of first
/// appearance: folded (for comparing) and as first written (for messages).
fn core_sections(members: &[&Report]) -> Vec<(String, String)> {
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for report in members {
        let mut seen = Vec::new();
        for written in &report.sample.sections {
            let name = roles::fold(written);
            if seen.contains(&name) {
                continue;
            }
            match counts.iter_mut().find(|(n, _, _)| *n == name) {
                Some((_, _, count)) => *count += 1,
                None => counts.push((name.clone(), written.clone(), 1)),
            }
            seen.push(name);
        }
    }
    counts
        .into_iter()
        .filter(|(_, _, count)| count * 2 >= members.len())
        .map(|(name, written, _)| (name, written))
        .collect()
}

/// The majority value of `values`, by count, ties to the first seen.
fn majority<T: Clone + PartialEq>(values: impl IntoIterator<Item = T>) -> Option<(T, usize)> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(v, _)| *v == value) {
            Some((_, n)) => *n += 1,
            None => counts.push((value, 1)),
        }
    }
    counts.into_iter().fold(None, |best, (v, n)| match best {
        Some((_, m)) if m >= n => best,
        _ => Some((v, n)),
    })
}

fn build_era(members: &[&Report], builtins: &[&Schema], names: &mut HashMap<String, usize>) -> Era {
    let total = members.len();
    // File names: the majority shape, its slots.
    let name_shapes: Vec<Shape> = members.iter().map(|r| Shape::of(r.sample.stem())).collect();
    let (name_key, _) = majority(name_shapes.iter().map(Shape::key)).unwrap_or_default();
    let name_group: Vec<&Shape> = name_shapes.iter().filter(|s| s.key() == name_key).collect();
    let name_slots = super::shape::slots(&name_group, &vec![None; name_group.len()]);
    let file_name = name_group
        .first()
        .filter(|_| name_slots.contains(&Slot::Week))
        .map(|shape| shape.regex(&name_slots));

    // Titles: the majority shape, with the week slot found against the
    // file names' weeks.
    let title_shapes: Vec<Shape> = members
        .iter()
        .map(|r| Shape::of(r.sample.title.as_deref().unwrap_or("")))
        .collect();
    let (title_key, _) = majority(title_shapes.iter().map(Shape::key)).unwrap_or_default();
    let (title_group, weeks): (Vec<&Shape>, Vec<Option<u32>>) = title_shapes
        .iter()
        .zip(members)
        .filter(|(s, _)| s.key() == title_key)
        .map(|(s, r)| (s, r.week))
        .unzip();
    let title_slots = super::shape::slots(&title_group, &weeks);
    let title = title_group
        .first()
        .map_or_else(|| "^.+$".to_owned(), |shape| shape.regex(&title_slots));

    // The byline, when most reports have a dated one.
    let dated: Vec<&str> = members
        .iter()
        .filter(|r| r.sample.byline_date.is_some())
        .filter_map(|r| r.sample.byline.as_deref())
        .collect();
    let byline = (dated.len() as f64 >= BYLINE_SHARE * total as f64)
        .then(|| byline_pattern(&dated, builtins));

    let sections = plan_sections(members, builtins);
    let order = in_order_share(members, &sections) >= REQUIRED_SHARE;
    let grace_days = byline.as_ref().and_then(|_| grace_days(members));

    let folded_titles = members
        .iter()
        .filter(|r| roles::fold(r.sample.title.as_deref().unwrap_or("")).contains("week"))
        .count();
    let base = if folded_titles * 2 > total {
        "weekly"
    } else {
        "uke"
    };
    let first = members.iter().filter_map(|r| r.date).min();
    let last = members.iter().filter_map(|r| r.date).max();
    let year = members
        .first()
        .and_then(|r| r.year.or(r.date.map(|d| d.iso_week().year())))
        .map_or_else(|| "reports".to_owned(), |y| y.to_string());
    let stem = format!("{base}-{year}");
    let seen = names.entry(stem.clone()).or_default();
    *seen += 1;
    let name = if *seen == 1 {
        stem
    } else {
        format!("{stem}-{}", seen)
    };
    let example = members
        .iter()
        .find(|r| r.sample.byline_date.is_some() || byline.is_none())
        .unwrap_or(&members[0]);
    Era {
        name,
        base,
        files: members.iter().map(|r| r.sample.path.clone()).collect(),
        first,
        last,
        file_name,
        title,
        byline,
        bylines: dated.len(),
        sections,
        order,
        grace_days,
        globs: Vec::new(),
        examples: (
            example
                .sample
                .path
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_owned(),
            example.sample.title.clone().unwrap_or_default(),
            example
                .sample
                .byline
                .clone()
                .filter(|_| example.sample.byline_date.is_some()),
        ),
    }
}

/// How late after their week's Sunday most reports are dated (the 95th
/// percentile of days, so that a few very late ones stay findings), when
/// that is more than the built-in 7 days; at most 28.
fn grace_days(members: &[&Report]) -> Option<u32> {
    let mut late: Vec<i64> = members
        .iter()
        .filter_map(|r| {
            let date = r.sample.byline_date?;
            let (_, sunday) = crate::dates::week_bounds(r.year?, r.week?)?;
            Some((date - sunday).num_days().max(0))
        })
        .collect();
    if late.is_empty() {
        return None;
    }
    late.sort_unstable();
    let index = (late.len() * 95).div_ceil(100).saturating_sub(1);
    let days = u32::try_from(late[index.min(late.len() - 1)]).ok()?;
    (days > 7).then_some(days.min(28))
}

/// A built-in byline pattern that reads most of the bylines, else one with
/// the bylines' common first word.
fn byline_pattern(bylines: &[&str], builtins: &[&Schema]) -> String {
    for schema in builtins {
        if let Some(regex) = &schema.byline {
            let read = bylines.iter().filter(|b| regex.is_match(b)).count();
            if read as f64 >= BYLINE_SHARE * bylines.len() as f64 {
                return regex.as_str().to_owned();
            }
        }
    }
    let first = majority(
        bylines
            .iter()
            .filter_map(|b| b.split_whitespace().next().map(str::to_lowercase)),
    );
    let tail = r"(?P<author>[^,]+?),\s*(?P<organisation>.+),\s*(?P<date>[^,]+?)\.?$";
    match first {
        Some((word, n)) if n * 2 > bylines.len() && !word.contains(',') => {
            format!(r"^(?i:{})\s+{tail}", regex::escape(&word))
        }
        _ => format!("^{tail}"),
    }
}

/// The sections of an era: names grouped (case, diacritics and near
/// spellings that never meet in one report are one section), with roles,
/// counts, required or not, in their usual order.
fn plan_sections(members: &[&Report], builtins: &[&Schema]) -> Vec<SectionPlan> {
    let total = members.len();
    // Every written name, its count, its mean position.
    let mut written: Vec<(String, usize, f64)> = Vec::new();
    for report in members {
        let count = report.sample.sections.len().max(1) as f64;
        for (index, name) in report.sample.sections.iter().enumerate() {
            let position = index as f64 / count;
            match written.iter_mut().find(|(n, _, _)| n == name) {
                Some((_, n, sum)) => {
                    *n += 1;
                    *sum += position;
                }
                None => written.push((name.clone(), 1, position)),
            }
        }
    }
    written.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let meet = |a: &str, b: &str| {
        members.iter().any(|r| {
            r.sample.sections.iter().any(|s| s == a) && r.sample.sections.iter().any(|s| s == b)
        })
    };
    let mut groups: Vec<(Vec<String>, usize, f64)> = Vec::new();
    for (name, count, sum) in written {
        let folded = roles::fold(&name);
        let home = groups.iter_mut().find(|(names, _, _)| {
            let head = roles::fold(&names[0]);
            (head == folded || strsim::normalized_damerau_levenshtein(&head, &folded) >= 0.85)
                && !names.iter().any(|n| meet(n, &name))
        });
        match home {
            Some((names, n, s)) => {
                names.push(name);
                *n += count;
                *s += sum;
            }
            None => groups.push((vec![name], count, sum)),
        }
    }
    // Only names used more than once make the schema; a one-off heading is
    // a finding, not a template.
    let mut plans: Vec<(f64, SectionPlan)> = groups
        .into_iter()
        .filter(|(_, count, _)| *count >= 2 || total < 3)
        .map(|(names, count, sum)| {
            let (kind, why) = roles::role_of(&names[0], builtins);
            (
                sum / count as f64,
                SectionPlan {
                    title: names[0].clone(),
                    aliases: names[1..].to_vec(),
                    kind,
                    why,
                    count,
                    required: count as f64 >= REQUIRED_SHARE * total as f64,
                },
            )
        })
        .collect();
    plans.sort_by(|a, b| a.0.total_cmp(&b.0));
    plans.into_iter().map(|(_, plan)| plan).collect()
}

/// The share of reports whose known sections come in the plan's order.
fn in_order_share(members: &[&Report], plans: &[SectionPlan]) -> f64 {
    let index_of = |name: &String| {
        plans
            .iter()
            .position(|p| &p.title == name || p.aliases.contains(name))
    };
    let ordered = members
        .iter()
        .filter(|r| {
            let indices: Vec<usize> = r.sample.sections.iter().filter_map(index_of).collect();
            indices.windows(2).all(|w| w[0] <= w[1])
        })
        .count();
    ordered as f64 / members.len().max(1) as f64
}

/// Names of different eras, or of one era, that play the same role: one
/// role when they never meet in one report, two when they do.
fn role_statements(eras: &[Era], samples: &[Sample]) -> Vec<String> {
    let mut by_kind: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for era in eras {
        for section in &era.sections {
            let names = by_kind.entry(roles::kind_name(section.kind)).or_default();
            if !names.contains(&section.title) {
                names.push(section.title.clone());
            }
        }
    }
    let mut out = Vec::new();
    for (kind, names) in by_kind {
        if names.len() < 2 || kind == "notes" {
            continue;
        }
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                let together = samples
                    .iter()
                    .filter(|s| s.sections.contains(a) && s.sections.contains(b))
                    .count();
                out.push(if together == 0 {
                    format!("`{a}` and `{b}` are one role ({kind}): never in the same report")
                } else {
                    format!(
                        "`{a}` and `{b}` are two roles, both {kind}: together in {together} reports"
                    )
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Friday of an ISO week.
    fn friday(year: i32, week: u32) -> Option<NaiveDate> {
        NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Fri)
    }

    fn uke_report(year: i32, week: u32, sections: &[&str], byline: bool) -> Sample {
        let day = friday(year, week).unwrap();
        let mut text = format!("======\nUke {week}\n======\n");
        if byline {
            text.push_str(&format!(
                "av Kari, UH IaaS, {}. {} {}\n\n",
                day.day(),
                [
                    "jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov",
                    "des"
                ][day.month0() as usize],
                day.year()
            ));
        }
        for section in sections {
            let line = "=".repeat(section.chars().count());
            text.push_str(&format!("{section}\n{line}\n\n- x\n\n"));
        }
        Sample::from_text(
            &format!("docs/{year}/{year}_uke_{week}.rst"),
            &text,
            Some(day),
        )
    }

    fn builtins() -> Vec<Schema> {
        ["uke", "weekly"]
            .iter()
            .map(|name| Schema::builtin(name).unwrap().unwrap())
            .collect()
    }

    #[test]
    fn two_templates_make_two_eras_with_required_sections_and_roles() {
        let old = [
            "Fullført",
            "Under arbeid",
            "Planlagt fremdrift",
            "Utfordringer",
        ];
        let new = ["Status", "Utfordringer", "Planlagte aktiviteter"];
        let mut samples = Vec::new();
        for week in 1..=20 {
            let sections: &[&str] = if week == 5 { &old[..3] } else { &old };
            samples.push(uke_report(2017, week, sections, true));
        }
        for week in 21..=40 {
            samples.push(uke_report(2017, week, &new, true));
        }
        samples.push(Sample::from_text(
            "docs/2017/hendelse_uke_12.rst",
            "Hendelse: nedetid\n=================\n\nTidslinje\n---------\n\n- x\n",
            None,
        ));
        let owned = builtins();
        let schemas: Vec<&Schema> = owned.iter().collect();
        let proposal = infer(&samples, &schemas);
        assert_eq!(proposal.eras.len(), 2, "{:#?}", proposal.eras);
        let first = &proposal.eras[0];
        assert_eq!(first.files.len(), 20);
        let titles: Vec<&str> = first.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, old);
        assert!(
            first.sections.iter().all(|s| s.required),
            "19 of 20 is enough"
        );
        assert!(first.byline.is_some() && first.order);
        let second = &proposal.eras[1];
        assert_eq!(second.sections[2].kind, SectionKind::Planned);
        assert_eq!(second.sections[0].kind, SectionKind::Status);
        assert_eq!(proposal.excluded.len(), 1);
        assert!(proposal.excluded[0].reason.contains("no dated byline"));
        assert!(
            proposal.roles.iter().any(
                |r| r.contains("`Planlagt fremdrift` and `Planlagte aktiviteter` are one role")
            ),
            "{:?}",
            proposal.roles
        );
        // The first era's globs select its files exactly; the last takes the future.
        assert_eq!(second.globs, ["docs/**/*_uke_*.rst"]);
        assert_eq!(first.globs, ["docs/2017/2017_uke_{[1-9],1[0-9],20}.rst"]);
    }

    #[test]
    fn names_that_meet_are_two_roles_and_late_teams_get_grace() {
        let mut samples = Vec::new();
        for week in 1..=10u32 {
            let mut sample = uke_report(
                2016,
                week,
                &["Status", "Fullført", "Oppdatert status"],
                true,
            );
            // Dated on the Wednesday after the week, ten days after its Sunday.
            sample.byline_date = friday(2016, week).map(|d| d + chrono::Duration::days(12));
            samples.push(sample);
        }
        let owned = builtins();
        let schemas: Vec<&Schema> = owned.iter().collect();
        let proposal = infer(&samples, &schemas);
        let era = &proposal.eras[0];
        assert_eq!(era.sections.len(), 3);
        assert!(
            proposal
                .roles
                .iter()
                .any(|r| r == "`Status` and `Oppdatert status` are two roles, both status: together in 10 reports"),
            "{:?}",
            proposal.roles
        );
        assert_eq!(era.grace_days, Some(10));
    }

    #[test]
    fn a_report_of_the_right_shape_with_other_sections_is_excluded() {
        let mut samples: Vec<Sample> = (1..=10u32)
            .map(|week| {
                uke_report(
                    2016,
                    week,
                    &["Fullført", "Under arbeid", "Utfordringer"],
                    true,
                )
            })
            .collect();
        samples.push(uke_report(
            2016,
            11,
            &["Tidslinje", "Årsak", "Tiltak"],
            true,
        ));
        let owned = builtins();
        let schemas: Vec<&Schema> = owned.iter().collect();
        let proposal = infer(&samples, &schemas);
        assert_eq!(proposal.eras.len(), 1);
        assert_eq!(proposal.eras[0].files.len(), 10);
        assert_eq!(proposal.excluded.len(), 1, "{:?}", proposal.excluded);
        assert_eq!(
            proposal.excluded[0].reason,
            "its sections (Tidslinje, Årsak, Tiltak) are not the other reports' (Fullført, Under arbeid, Utfordringer)"
        );
    }

    #[test]
    fn english_markdown_reports_extend_weekly() {
        let samples: Vec<Sample> = (10..=20u32)
            .map(|week| {
                let day = friday(2019, week).unwrap();
                let text = format!(
                    "# Week {week}\n\nby Jane Doe, UiO, {}\n\n## Done\n\n- a\n\n## Next steps\n\n- b\n\n## Risks\n\n- c\n",
                    day.format("%B %-d, %Y")
                );
                Sample::from_text(&format!("reports/week-{week:02}.md"), &text, Some(day))
            })
            .collect();
        let owned = builtins();
        let schemas: Vec<&Schema> = owned.iter().collect();
        let proposal = infer(&samples, &schemas);
        let era = &proposal.eras[0];
        assert_eq!(era.base, "weekly");
        assert_eq!(
            era.byline.as_deref(),
            owned[1].byline.as_ref().map(|r| r.as_str())
        );
        let kinds: Vec<SectionKind> = era.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [SectionKind::Done, SectionKind::Planned, SectionKind::Risks]
        );
        let file_name = regex::Regex::new(era.file_name.as_deref().unwrap()).unwrap();
        assert_eq!(&file_name.captures("week-07").unwrap()["week"], "07");
        assert_eq!(era.globs, ["reports/**/week-*.md"]);
    }

    #[test]
    fn a_rare_byline_is_no_byline_and_spelling_variants_are_aliases() {
        let mut samples = Vec::new();
        for week in 1..=10u32 {
            let done = if week.is_multiple_of(4) {
                "Fullfort"
            } else {
                "Fullført"
            };
            samples.push(uke_report(2016, week, &[done, "Utfordringer"], week == 3));
        }
        let owned = builtins();
        let schemas: Vec<&Schema> = owned.iter().collect();
        let proposal = infer(&samples, &schemas);
        let era = &proposal.eras[0];
        assert_eq!(era.byline, None);
        assert_eq!(era.sections[0].title, "Fullført");
        assert_eq!(era.sections[0].aliases, ["Fullfort"]);
        assert!(era.sections[0].required);
    }
}
