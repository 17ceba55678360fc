//! Item tracking and milestones in a run: `stale-item`, `overdue-item`,
//! the milestone findings and milestone staffing.

use std::collections::BTreeMap;

use super::wordings;
use super::*;
use crate::tracking::TrackedItem;
use file::Unparsed;

/// Follows items through the series and holds the milestones against
/// them: `stale-item` and `overdue-item` go to the reports, the milestone
/// findings (returned) to the milestone definitions. Skipped in the commit
/// hook, which must stay fast; with only some files checked, the other
/// reports are read as context.
pub(super) fn apply_tracking(
    workspace: &Workspace,
    options: &CheckOptions,
    scope: &Scope,
    checked: &mut [CheckedFile],
    outcome: &mut CheckOutcome,
    cache: Option<&ResultsCache>,
    fresh: &mut cache::Fresh,
) -> Result<Vec<Diagnostic>> {
    let config = &workspace.config;
    let per_report = [Rule::StaleItem, Rule::OverdueItem, Rule::DroppedItem];
    let per_milestone = [Rule::MilestoneOverdue, Rule::MilestoneAtRisk];
    let report_rules = per_report.iter().any(|&r| config.enabled(r));
    let milestone_rules = per_milestone.iter().any(|&r| config.enabled(r));
    let milestones_file = workspace
        .relative(&workspace.milestones_file())
        .unwrap_or_default();
    // Milestones are judged in whole runs, by `milestones`, and in a run
    // handed the milestones file itself.
    let milestones_wanted = options.wants_milestones
        || (milestone_rules && !options.ignores_milestones && scope.covers(&milestones_file));
    if options.staged {
        // The hook stays fast: no tracking. A staged milestones file is
        // still read, so a broken one is refused in the commit that breaks
        // it, not in the next.
        if !scope.is_whole() && scope.covers(&milestones_file) {
            load_milestones(workspace)?;
        }
        return Ok(Vec::new());
    }
    if !(report_rules || milestones_wanted) {
        return Ok(Vec::new());
    }
    let as_of = options
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());

    let mut context: Vec<CheckedFile> = if scope.is_whole() {
        Vec::new()
    } else {
        let checked_paths: HashSet<&str> = checked.iter().map(|c| c.report.path.as_str()).collect();
        workspace
            .reports(&options.cwd, &[], &mut Vec::new())?
            .par_iter()
            .filter(|file| !checked_paths.contains(file.path.as_str()))
            .filter_map(
                |file| match read_report(workspace, file, Depth::Facts, cache) {
                    FileResult::Checked(file) => Some(*file),
                    _ => None,
                },
            )
            .collect()
    };
    let milestones = if milestones_wanted {
        load_milestones(workspace)?
    } else {
        None
    };
    // Series whose findings the results cache holds are not followed
    // again. The milestone findings of a check are kept under the state of
    // every series, the milestones file and the day; when they are not
    // kept, or the run shows the milestones (which needs the items
    // themselves), every series is followed.
    let mut memo = SeriesMemo::of(checked.iter().chain(context.iter()), as_of, cache);
    let milestones_key = match (&milestones, options.wants_milestones) {
        (Some(_), false) => workspace
            .boundary
            .read(&workspace.milestones_file())
            .ok()
            .and_then(|bytes| memo.milestones_key(&bytes, as_of)),
        _ => None,
    };
    let kept_extra = cache
        .zip(milestones_key.as_ref())
        .and_then(|(cache, key)| cache.series(key));
    fresh.seen_series.extend(
        memo.all
            .iter()
            .filter_map(|(_, key)| *key)
            .chain(milestones_key),
    );
    if milestones.is_some() && kept_extra.is_none() {
        memo.follow_all();
    }
    // Series by series: each one's reports are parsed, followed, judged,
    // and let go before the next is taken up, so a run holds the documents
    // of a series or two, not of the whole tree (on 10,000 reports, 75 MB
    // of documents and texts and 55 MB of items at once). The findings the
    // cache holds are decoded meanwhile.
    let mut by_series: BTreeMap<String, Vec<&mut CheckedFile>> = BTreeMap::new();
    for file in checked.iter_mut().chain(context.iter_mut()) {
        let key = rules::series::series_key(&file.report.path);
        if memo.missed.contains(&key) {
            by_series.entry(key).or_default().push(file);
        }
    }
    let wordings = cache
        .and_then(ResultsCache::dir)
        .map(wordings::WordingStore::in_dir);
    let wanted = Wanted {
        milestones: milestones.as_deref().filter(|_| kept_extra.is_none()),
        wordings: wordings.as_ref(),
        settings: tracking_settings(config),
        limits: rules::tracking::Limits {
            stale_weeks: config.rule(Rule::StaleItem).weeks.unwrap_or(6),
            stale_reports: config.rule(Rule::StaleItem).reports.unwrap_or(4),
            dropped_reports: config
                .rule(Rule::DroppedItem)
                .reports
                .unwrap_or(rules::tracking::DROPPED_REPORTS),
        },
        as_of,
    };
    let (followed, kept) = rayon::join(
        || {
            by_series
                .into_par_iter()
                .map(|(_, mut files)| follow_series(workspace, &mut files, &wanted))
                .collect::<Vec<Followed>>()
        },
        || memo.decode_held(cache),
    );
    let Some(kept) = kept else {
        // A stored entry that does not decode (it cannot, short of a
        // damaged file whose checksum still holds): nothing was attached
        // yet, and every series is followed again, without the cache
        // (which ends there: with no cache, nothing is decoded).
        drop(followed);
        return apply_tracking(workspace, options, scope, checked, outcome, None, fresh);
    };
    if let Some(wordings) = &wordings
        && scope.is_whole()
    {
        wordings.keep_only(memo.all.iter().map(|(name, _)| name.as_str()));
    }
    let mut findings = Vec::new();
    let mut risks = Vec::new();
    let mut candidates = Vec::new();
    let mut allocation: Option<Allocation> = None;
    for series in followed {
        findings.extend(series.findings);
        risks.extend(series.risks);
        candidates.extend(series.candidates);
        // The newest report of any series that states it.
        if let Some(stated) = series.allocation
            && allocation
                .as_ref()
                .is_none_or(|a| (stated.date, &stated.path) > (a.date, &a.path))
        {
            allocation = Some(stated);
        }
    }
    fresh.series.extend(memo.store(&findings));
    findings.extend(kept);

    let mut extra = Vec::new();
    if let Some(kept) = kept_extra {
        extra = kept;
    } else if let Some(milestones) = milestones {
        let progress: Vec<milestones::Progress> = milestones
            .iter()
            .map(|m| milestones::progress(m, &candidates, &risks, as_of))
            .collect();
        extra = rules::tracking::milestone_findings(&progress);
        let marks = milestones::timeline::Marks::from_findings(
            findings
                .iter()
                .filter(|finding| config.enabled(finding.rule)),
        );
        let timelines = progress
            .iter()
            .map(|p| milestones::timeline::MilestoneTimeline {
                items: p
                    .items
                    .iter()
                    .map(|i| i.tracked.and_then(|t| milestones::timeline::of(t, &marks)))
                    .collect(),
                path: p.milestone.path.clone(),
                line: p.milestone.line,
            })
            .collect();
        let mut rows: Vec<MilestoneRow> = progress.iter().map(MilestoneRow::from).collect();
        for (row, milestone) in rows.iter_mut().zip(&milestones) {
            let Some(need) = &milestone.staffing else {
                continue;
            };
            // A need whose `until` has passed is no longer a need: the
            // table stops showing it, as the finding stops.
            if need.until.is_some_and(|until| until < as_of) {
                row.staffing = None;
                continue;
            }
            let Some(stated) = &allocation else {
                continue;
            };
            row.staffing_reported = Some(stated.have);
            if stated.have < need.fte {
                extra.push(staffing_finding(
                    milestone,
                    need,
                    &stated.source(),
                    stated.have,
                ));
            }
        }
        if let Some(key) = milestones_key {
            fresh
                .series
                .push((key, extra.iter().map(cache::StoredFinding::of).collect()));
        }
        outcome.milestones = Some(MilestonesOutcome {
            as_of,
            milestones: rows,
            timelines,
            root: workspace.root.clone(),
            sphinx_source: config.sphinx_source.clone(),
        });
    }
    apply_levels(workspace, &mut extra);
    for finding in &mut extra {
        finding.source_line = milestone_source_line(workspace, &finding.path, finding.line);
        clamp_span(finding);
    }
    fingerprint_all(&mut extra);
    attach(checked, findings);
    Ok(extra)
}

/// What each series is followed for, the same for every series.
struct Wanted<'m> {
    /// The milestones to gather items, challenges and staffing for.
    milestones: Option<&'m [milestones::Milestone]>,
    /// Where the series' wordings are kept between runs.
    wordings: Option<&'m wordings::WordingStore>,
    settings: tracking::Tracking,
    limits: rules::tracking::Limits,
    as_of: NaiveDate,
}

/// What following one series finds.
#[derive(Default)]
struct Followed {
    /// `stale-item`, `overdue-item` and `dropped-item`, with their lines.
    findings: Vec<Diagnostic>,
    /// The challenges of its latest report (with milestones).
    risks: Vec<String>,
    /// Its newest report that states the staffing (with milestones that
    /// need people).
    allocation: Option<Allocation>,
    /// The items a milestone may count, with their own copies of what they
    /// borrowed from the reports (with milestones).
    candidates: Vec<TrackedItem<'static>>,
}

/// The staffing a report states: `have` people, in `path` of `date`.
struct Allocation {
    date: NaiveDate,
    path: String,
    have: f64,
}

impl Allocation {
    fn source(&self) -> String {
        format!("{} of {}", self.path, dates::ymd(self.date))
    }
}

/// Follows one series: parses its reports, follows their items, judges
/// them, and lets the documents go again (a step that needs one later
/// parses it again, as for a report the results cache kept).
fn follow_series(
    workspace: &Workspace,
    files: &mut [&mut CheckedFile],
    wanted: &Wanted,
) -> Followed {
    // In parallel within the series too: after a commit, the one series
    // that changed is all there is to follow.
    let was: Vec<Option<Unparsed>> = files.iter().map(|file| file.unparsed).collect();
    files
        .par_iter_mut()
        .for_each(|file| file.parse(&workspace.boundary));
    let followed = {
        let views: Vec<ReportView> = files
            .iter()
            .filter_map(|file| {
                let date = report_day(&file.report.info)?;
                Some(ReportView {
                    path: &file.report.path,
                    date,
                    document: file.report.document.as_ref()?,
                    schema: file.report.schema.as_deref()?,
                })
            })
            .filter(|view| view.date <= wanted.as_of)
            .collect();
        let series = views
            .first()
            .map(|view| rules::series::series_key(view.path));
        let store = wanted.wordings.zip(series.as_deref());
        let known = store.and_then(|(store, series)| store.load(series));
        let items =
            tracking::track_one_series(&views, &wanted.settings, known.as_ref(), |to_keep| {
                if let Some((store, series)) = store {
                    store.store(series, to_keep);
                }
            });
        let latest: HashMap<String, NaiveDate> = series
            .zip(views.iter().map(|view| view.date).max())
            .into_iter()
            .collect();
        let mut findings = rules::tracking::stale_items(&items, &latest, wanted.limits);
        findings.extend(rules::tracking::overdue_items(&items));
        findings.extend(rules::tracking::dropped_items(&items, wanted.limits));
        findings.extend(rules::tracking::overdue_in_status(&views, &latest));
        // Kept with their lines: the reports they are about may not be read
        // by the run that takes them back.
        fill_lines_from(files.iter().map(|file| &**file), &mut findings);
        let mut followed = Followed {
            findings,
            ..Followed::default()
        };
        if let Some(milestones) = wanted.milestones {
            let newest = latest.values().next().copied();
            followed.risks = views
                .iter()
                .filter(|view| Some(view.date) == newest)
                .flat_map(risk_texts)
                .collect();
            if milestones.iter().any(|m| m.staffing.is_some()) {
                followed.allocation = latest_allocation(&views, &workspace.config);
            }
            followed.candidates = items
                .into_iter()
                .filter(|item| milestones.iter().any(|m| m.may_count(item, wanted.as_of)))
                .map(TrackedItem::into_owned)
                .collect();
        }
        followed
    };
    files
        .par_iter_mut()
        .zip(was)
        .for_each(|(file, was)| file.let_go(was));
    followed
}

/// Which series the results cache answers for.
struct SeriesMemo {
    /// The keys of the series it holds, whose findings are decoded when
    /// they are wanted ([`SeriesMemo::decode_held`]).
    held: Vec<cache::Id>,
    /// The series to follow now, by name.
    missed: HashSet<String>,
    /// Every series' key, in series order (`None`: a report of it has no
    /// blob id, so what following it finds is not stored).
    all: Vec<(String, Option<cache::Id>)>,
}

impl SeriesMemo {
    /// Groups the reports followed as of `as_of` into series and looks
    /// each up in `cache` (with none, every series is missed).
    fn of<'a>(
        files: impl Iterator<Item = &'a CheckedFile>,
        as_of: NaiveDate,
        cache: Option<&ResultsCache>,
    ) -> SeriesMemo {
        // Per series: each report's day, path and blob id.
        type Reports<'f> = Vec<(NaiveDate, &'f str, Option<&'f cache::Id>)>;
        let mut series: BTreeMap<String, Reports> = BTreeMap::new();
        for file in files {
            let report = &file.report;
            let readable =
                report.schema.is_some() && (report.document.is_some() || file.unparsed.is_some());
            let Some(day) = report_day(&report.info).filter(|day| readable && *day <= as_of) else {
                continue;
            };
            series
                .entry(rules::series::series_key(&report.path))
                .or_default()
                .push((day, &report.path, file.id.as_ref()));
        }
        let mut memo = SeriesMemo {
            held: Vec::new(),
            missed: HashSet::new(),
            all: Vec::new(),
        };
        // Each series' key, in parallel (hashing them is a good part of a
        // warm run's tracking).
        let keyed: Vec<(String, Option<cache::Id>)> = series
            .into_par_iter()
            .map(|(name, mut reports)| {
                reports.sort();
                let key = reports
                    .iter()
                    .map(|(day, path, id)| Some((*path, (*id)?, *day)))
                    .collect::<Option<Vec<_>>>()
                    .map(|reports| cache::series_key(reports.into_iter()));
                (name, key)
            })
            .collect();
        for (name, key) in keyed {
            match key.filter(|key| cache.is_some_and(|cache| cache.holds_series(key))) {
                Some(key) => memo.held.push(key),
                None => {
                    memo.missed.insert(name.clone());
                }
            }
            memo.all.push((name, key));
        }
        memo
    }

    /// The stored findings of the series the cache holds, decoded in
    /// parallel; `None` if one does not decode.
    fn decode_held(&self, cache: Option<&ResultsCache>) -> Option<Vec<Diagnostic>> {
        let Some(cache) = cache else {
            return Some(Vec::new());
        };
        let decoded: Vec<Vec<Diagnostic>> = self
            .held
            .par_iter()
            .map(|key| cache.series(key))
            .collect::<Option<_>>()?;
        Some(decoded.into_iter().flatten().collect())
    }

    /// The key of the milestone findings: every series' key, the
    /// milestones file's `bytes` and the day (`None` if a series has none).
    fn milestones_key(&self, bytes: &[u8], as_of: NaiveDate) -> Option<cache::Id> {
        let mut input = b"milestones".to_vec();
        for (_, key) in &self.all {
            input.extend_from_slice(key.as_ref()?);
        }
        input.extend_from_slice(dates::ymd(as_of).as_bytes());
        input.extend_from_slice(bytes);
        Some(cache::digest(&input))
    }

    /// Every series is followed: the milestones need all the items.
    fn follow_all(&mut self) {
        self.held.clear();
        self.missed = self.all.iter().map(|(name, _)| name.clone()).collect();
    }

    /// The findings of each series followed now, under its key, for the
    /// cache: every series missed gets an entry, an empty one too.
    fn store(&self, findings: &[Diagnostic]) -> Vec<(cache::Id, Vec<cache::StoredFinding>)> {
        let mut by_series: FastMap<&str, (cache::Id, Vec<cache::StoredFinding>)> = self
            .all
            .iter()
            .filter(|(name, _)| self.missed.contains(name))
            .filter_map(|(name, key)| Some((name.as_str(), ((*key)?, Vec::new()))))
            .collect();
        for finding in findings {
            if let Some((_, stored)) =
                by_series.get_mut(rules::series::series_key(&finding.path).as_str())
            {
                stored.push(cache::StoredFinding::of(finding));
            }
        }
        by_series.into_values().collect()
    }
}

/// How items are followed, from the config: the forget window
/// (`dropped-item: {weeks: N}`) and the standing duties (`standing:`).
fn tracking_settings(config: &crate::config::Config) -> tracking::Tracking {
    tracking::Tracking {
        forget_weeks: config
            .rule(Rule::DroppedItem)
            .weeks
            .unwrap_or(tracking::FORGET_WEEKS),
        standing: config.standing.clone(),
    }
}

/// The milestones the config names, read through the boundary.
fn load_milestones(workspace: &Workspace) -> Result<Option<Vec<milestones::Milestone>>> {
    let config = &workspace.config;
    milestones::load_configured(
        &workspace.boundary,
        &workspace.project,
        config.milestones.as_deref(),
        config.milestones_year,
        |path| workspace.relative(path),
    )
}

/// The latest staffing the reports give: the newest report (up to the day)
/// whose challenges state the current allocation.
fn latest_allocation(views: &[ReportView], config: &crate::config::Config) -> Option<Allocation> {
    let lexicon = config
        .staffing
        .as_ref()
        .unwrap_or_else(|| crate::staffing::Lexicon::builtin());
    // Newest first, stopping at the first report that states it.
    let mut newest: Vec<&ReportView> = views.iter().collect();
    newest.sort_by(|a, b| (b.date, b.path).cmp(&(a.date, a.path)));
    newest.into_iter().find_map(|view| {
        // The last entry that states it, within the newest report.
        let have = risk_texts(view)
            .iter()
            .rev()
            .filter(|text| lexicon.may_concern_people(text))
            .find_map(|text| crate::staffing::read_fte_with(text, lexicon).have)?;
        Some(Allocation {
            date: view.date,
            path: view.path.to_owned(),
            have,
        })
    })
}

pub(super) fn staffing_finding(
    milestone: &milestones::Milestone,
    need: &milestones::Staffing,
    source: &str,
    have: f64,
) -> Diagnostic {
    let until = need
        .until
        .map_or_else(String::new, |until| format!(" until {}", dates::ymd(until)));
    Diagnostic::new(
        Rule::StaffingRisk,
        &milestone.path,
        Pos::new(milestone.line, 1),
        format!(
            "milestone `{}` needs {:.1} FTE{until}; the latest report ({source}) gives {have:.1}: short {:.1}",
            milestone.title,
            need.fte,
            need.fte - have
        ),
    )
    .with_hint("staff the milestone, or move its date; the reports' challenges say how many people there are")
}

/// The texts of a report's challenges entries.
pub(super) fn risk_texts(view: &ReportView) -> Vec<String> {
    view.document
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.depth == 1
                && view
                    .schema
                    .section_index(&s.heading.text)
                    .is_some_and(|i| view.schema.sections[i].kind == SectionKind::Risks)
        })
        .flat_map(|(i, _)| view.document.items_under(i).map(|item| item.text.clone()))
        .collect()
}

pub(super) fn milestone_source_line(
    workspace: &Workspace,
    path: &str,
    line: u32,
) -> Option<String> {
    let bytes = workspace.boundary.read(&workspace.root.join(path)).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    LineIndex::new(&text).line_text(line).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Milestones are judged on the items each series keeps as it is let
    /// go: the rows are those of every item of every series at once, the
    /// staffing is the newest series' that states it, and no report's
    /// document is held after the run.
    #[test]
    fn milestones_counted_series_by_series_are_what_every_item_at_once_gives() {
        let dir = tempfile::tempdir().unwrap();
        let report = |team: &str, week: u32, done: &str, doing: &str, planned: &str, risk: &str| {
            let folder = dir.path().join(format!("docs/{team}/status"));
            std::fs::create_dir_all(&folder).unwrap();
            let friday = NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).unwrap();
            let text = format!(
                "======\nUke {week}\n======\nav Kari Nordmann, UH IaaS, {}\n\n\
                 Fullført\n========\n\n- {done}\n\n\
                 Under arbeid\n============\n\n- {doing}\n\n\
                 Planlagt fremdrift\n==================\n\n- {planned}\n\n\
                 Utfordringer\n============\n\n- {risk}\n",
                friday.format("%d.%m.%Y")
            );
            std::fs::write(folder.join(format!("2016_uke_{week}.rst")), text).unwrap();
        };
        for week in 40..=45 {
            let (done, doing) = if week < 43 {
                (
                    format!("Rapport for uke {week} skrevet."),
                    "Sette opp DNS for instanser.",
                )
            } else {
                (
                    "Sette opp DNS for instanser.".to_string(),
                    "Oppgradere nord til mitaka.",
                )
            };
            let risk = if week == 45 {
                "Vi er to personer, trenger tre."
            } else {
                "Ingen."
            };
            report("nord", week, &done, doing, "Flytte lagring.", risk);
            let doing = if week >= 44 {
                "DNS i sør."
            } else {
                "Ceph-klynge i sør."
            };
            let risk = if week == 44 {
                "Vi er tre personer, trenger fire."
            } else {
                "Ingen."
            };
            report(
                "sor",
                week,
                "Møte holdt.",
                doing,
                "Ceph-klynge i sør.",
                risk,
            );
            // First in series order, with the oldest statement: neither
            // the first nor the last series followed wins, the newest does.
            let risk = if week == 43 {
                "Vi er fem personer, trenger seks."
            } else {
                "Ingen."
            };
            report(
                "alfa",
                week,
                "Møte holdt.",
                "Rydde i alfa.",
                "Flytte alfa.",
                risk,
            );
        }
        std::fs::write(
            dir.path().join("milestones.yaml"),
            "milestones:\n  - id: platform\n    title: Plattform\n    due: 2016-12-01\n    \
             staffing: {fte: 4}\n    items:\n      - id: dns\n        match: [dns]\n      \
             - id: ceph\n        match: [ceph]\n      - id: keystone\n        match: [keystone]\n",
        )
        .unwrap();
        let as_of = NaiveDate::from_ymd_opt(2016, 11, 30).unwrap();
        let outcome = super::super::run(&CheckOptions {
            cwd: dir.path().to_path_buf(),
            as_of: Some(as_of),
            wants_milestones: true,
            ..CheckOptions::default()
        })
        .unwrap();
        assert_eq!(outcome.reports.len(), 18);
        assert!(
            outcome.reports.iter().all(|r| r.document.is_none()),
            "let go"
        );
        let rows = &outcome.milestones.as_ref().expect("milestones").milestones;
        assert_eq!(rows[0].staffing_reported, Some(2.0), "the newest statement");

        // Every item of every series at once, from the same reports.
        let workspace = Workspace::open(dir.path(), None).unwrap();
        let documents: Vec<Document> = outcome
            .reports
            .iter()
            .map(|r| {
                let text = std::fs::read_to_string(dir.path().join(&r.path)).unwrap();
                report::parse(Format::Rst, &text)
            })
            .collect();
        let views: Vec<ReportView> = outcome
            .reports
            .iter()
            .zip(&documents)
            .map(|(r, document)| ReportView {
                path: &r.path,
                date: report_day(&r.info).unwrap(),
                document,
                schema: r.schema.as_deref().unwrap(),
            })
            .collect();
        let items = tracking::track_with(&views, &tracking_settings(&workspace.config));
        let milestones = load_milestones(&workspace).unwrap().unwrap();
        let risks: Vec<String> = views
            .iter()
            .filter(|v| chrono::Datelike::iso_week(&v.date).week() == 45)
            .flat_map(risk_texts)
            .collect();
        let expected: Vec<MilestoneRow> = milestones
            .iter()
            .map(|m| MilestoneRow::from(&milestones::progress(m, &items, &risks, as_of)))
            .collect();
        let json = |rows: &[MilestoneRow]| {
            let mut rows = serde_json::to_value(rows).unwrap();
            rows[0]["staffing_reported"] = serde_json::Value::Null;
            rows
        };
        assert_eq!(json(rows), json(&expected));
        let states: Vec<&str> = rows[0].items.iter().map(|i| i.state).collect();
        assert_eq!(states, ["done", "planned", "not_started"], "{states:?}");
    }

    /// A stored series whose findings do not decode (a damaged file whose
    /// checksum still holds) is followed again, and the run finds what a
    /// run without the cache finds.
    #[test]
    fn a_stored_series_that_does_not_decode_is_followed_again() {
        let dir = tempfile::tempdir().unwrap();
        git2::Repository::init(dir.path()).unwrap();
        let folder = dir.path().join("docs/nord/status");
        std::fs::create_dir_all(&folder).unwrap();
        for week in 33..=44u32 {
            let friday = NaiveDate::from_isoywd_opt(2016, week, chrono::Weekday::Fri).unwrap();
            let text = format!(
                "======\nUke {week}\n======\nav Kari Nordmann, UH IaaS, {}\n\n\
                 Fullført\n========\n\n- Rapport for uke {week} skrevet.\n\n\
                 Under arbeid\n============\n\n- Oppgradere nord til mitaka.\n\n\
                 Planlagt fremdrift\n==================\n\n- DNS for instanser i nord.\n\n\
                 Utfordringer\n============\n\n- Vi er to personer, trenger tre.\n",
                friday.format("%d.%m.%Y")
            );
            std::fs::write(folder.join(format!("2016_uke_{week}.rst")), text).unwrap();
        }
        let options = CheckOptions {
            cwd: dir.path().to_path_buf(),
            as_of: NaiveDate::from_ymd_opt(2016, 11, 30),
            ..CheckOptions::default()
        };
        let findings = |outcome: &CheckOutcome| -> Vec<(Rule, String, u32, String)> {
            outcome
                .diagnostics
                .iter()
                .map(|d| (d.rule, d.path.clone(), d.line, d.message.clone()))
                .collect()
        };
        let cold = findings(&super::super::run(&options).unwrap());
        assert!(cold.iter().any(|f| f.0 == Rule::StaleItem), "{cold:?}");
        let workspace = Workspace::open(dir.path(), None).unwrap();
        let inputs = super::super::pipeline::results_cache_inputs(&workspace, &options);
        let cache = ResultsCache::open(dir.path().join(".git/milepost"), &inputs);
        assert_eq!(cache.damage_series(), 1, "the one series is stored");
        let warm = findings(&super::super::run(&options).unwrap());
        assert_eq!(warm, cold);
    }
}
