//! The run of `check`, step by step. [`run_with_progress`] reads as the
//! order of the steps; each step is a function of its own here, or in the
//! module that owns it (history, tracking, series), and the comments on
//! the calls say why the order is what it is.
//!
//! Every report is read and checked once, in parallel, while the history
//! is read on the calling thread (`read_reports`); the steps across
//! reports (series, history, tracking) then add their findings to the
//! reports they name, and the last step finishes each report's findings
//! and gathers them (`collect`). The results cache is read while the
//! reports are listed and written while the findings are finished.

use super::*;

/// [`run`], telling `progress` how far it has come.
pub fn run_with_progress(options: &CheckOptions, progress: &dyn Progress) -> Result<CheckOutcome> {
    let (mut workspace, repo) = Workspace::open_with_repo(&options.cwd, options.config.as_deref())?;
    // `milestones` with nothing to show says so before checking anything.
    let milestones_found = find_plan(&mut workspace, options)?;
    for (rule, level) in &options.severities {
        workspace.config.override_severity(*rule, *level);
    }
    let Read {
        results,
        cache,
        history,
        scope,
        snapshot,
        notes,
        failures,
    } = read_reports(&workspace, repo.as_ref(), options, progress)?;
    let mut outcome = CheckOutcome {
        notes,
        failures,
        milestones_found,
        ..CheckOutcome::default()
    };
    let mut checked = sort_results(results, &mut outcome);
    let mut fresh = fresh_entries(&mut checked, &scope);
    // Most of the next results cache (the reports' entries) is known now,
    // and is encoded on another thread while the series are followed; the
    // series' entries are added when they are known.
    let cache = cache.map(Arc::new);
    let encoding = start_encoding(cache.as_ref(), &mut fresh);

    // A replay (`--as-of`) sees the repository as it was that day: reports
    // dated after it did not exist yet, for every rule.
    if let Some(as_of) = options.as_of {
        checked.retain(|file| report_day(&file.report.info).is_none_or(|day| day <= as_of));
    }
    if let Some(snapshot) = &snapshot {
        staged::check_links(&workspace, snapshot, &mut checked);
    }
    judge_series(&workspace, options, &scope, &mut checked)?;
    outcome.history = apply_history(
        &workspace,
        repo.as_ref(),
        options,
        &mut checked,
        &mut outcome.notes,
        history,
    )?;
    // Nothing reads the repository after its history: letting go of it
    // unmaps its pack files and frees libgit2's caches of them (on 10,000
    // reports in 100,000 commits, 40 MB) before tracking, the run's
    // largest step, allocates.
    drop(repo);
    release_after_walk(outcome.history.as_ref());
    dated::apply_date_mismatch(&workspace, &mut checked);
    let extra = apply_tracking(
        &workspace,
        options,
        &scope,
        &mut checked,
        &mut outcome,
        cache.as_deref(),
        &mut fresh,
    )?;
    if options.wants_documents {
        parse_unparsed(&mut checked, &workspace.boundary, |_| true);
    }
    // Everything the cache learns is known now: it is written while the
    // findings are finished.
    let storing = start_storing(cache.clone(), encoding, fresh);
    collect(&workspace, options, &scope, checked, extra, &mut outcome)?;
    outcome.cache_write = CacheWrite(storing);
    Ok(outcome)
}

/// For `milestones` with no milestones file: the plan the newest reports
/// link to (when no config names one), put in the config; where it was
/// found is returned. With none, the run ends here with an error.
fn find_plan(workspace: &mut Workspace, options: &CheckOptions) -> Result<Option<String>> {
    let milestones_file = workspace.milestones_file();
    if !options.wants_milestones || milestones_file.is_file() {
        return Ok(None);
    }
    let looked = workspace
        .relative(&milestones_file)
        .map_or(milestones_file, PathBuf::from);
    // Nothing configured: the plan the newest reports link to.
    let found = if workspace.config.milestones.is_none() {
        discover::plan(workspace, options)
    } else {
        crate::milestones::discover::Found::default()
    };
    match found.plan {
        Some(plan) => {
            workspace.config.milestones = Some(plan);
            Ok(found.source)
        }
        None => Err(Error::NoMilestones {
            looked,
            linked: found.looked,
        }),
    }
}

/// The reports read and checked one by one, with what was read beside
/// them.
struct Read<'repo> {
    results: Vec<FileResult>,
    /// The results cache, if there is one to use.
    cache: Option<ResultsCache>,
    /// The history, if the run needs one, read while the reports were.
    history: Option<Result<crate::git::History>>,
    scope: Scope,
    /// The index as it will be committed (`--staged`).
    snapshot: Option<crate::git::IndexSnapshot<'repo>>,
    notes: Vec<Note>,
    failures: Vec<Error>,
}

/// Selects the reports and checks each one (rules per file), while the
/// results cache is opened and the history read.
fn read_reports<'repo>(
    workspace: &Workspace,
    repo: Option<&'repo Repo>,
    options: &CheckOptions,
    progress: &dyn Progress,
) -> Result<Read<'repo>> {
    // The results cache is read while the reports are listed: it does not
    // depend on which they are. (A thread that cannot be started leaves
    // the run without the cache, which only ever saves time.)
    let opening = results_cache_dir(repo, options).and_then(|dir| {
        let inputs = results_cache_inputs(workspace, options);
        std::thread::Builder::new()
            .spawn(move || ResultsCache::open(dir, &inputs))
            .ok()
    });
    let mut notes = Vec::new();
    // The index as it will be committed, and what it stages, read once for
    // a `--staged` run.
    let (snapshot, staged) = match (repo, options.staged) {
        (Some(repo), true) => {
            let (snapshot, staged) = repo.staged_with_snapshot()?;
            (Some(snapshot), Some(staged))
        }
        _ => (None, None),
    };
    let mut failures = Vec::new();
    let (files, touched) = select_files(
        workspace,
        repo,
        snapshot.as_ref().zip(staged),
        options,
        &mut notes,
        &mut failures,
    )?;
    let scope = Scope::of(workspace, options, &files, &touched);
    if files.is_empty() {
        notes.push(Note {
            path: None,
            message: if options.paths.is_empty() {
                "no reports found: with no milepost.yaml, reports are .rst and .md files whose names contain `uke` or `week`, or end in a date in a folder named like status reports".into()
            } else {
                "no reports among the given paths".into()
            },
        });
    }

    progress.start("checking reports", files.len() as u64);
    let check_all = || {
        let cache = opening.map(|opening| {
            opening
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        let check_one = |file: &ReportFile| {
            let result = check_file(workspace, file, cache.as_ref());
            progress.advance();
            result
        };
        let results: Vec<FileResult> = if files.len() <= FEW_FILES {
            files.iter().map(check_one).collect()
        } else {
            files.par_iter().map(check_one).collect()
        };
        (results, cache)
    };
    // A commit hook checks a file or two: starting the thread pool would
    // cost more than it saves. Otherwise the history is read (or walked) on
    // this thread while the reports are checked on the pool: it does not
    // depend on their text.
    let ((results, cache), history) = if files.len() <= FEW_FILES {
        (check_all(), None)
    } else {
        std::thread::scope(|threads| {
            let checking = threads.spawn(check_all);
            let history = publication::read_history(workspace, repo, options);
            let checked = checking
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (checked, history)
        })
    };
    progress.finish();
    Ok(Read {
        results,
        cache,
        history,
        scope,
        snapshot,
        notes,
        failures,
    })
}

/// The reports checked, in order; a note for each file skipped and a
/// failure for each that could not be read go to `outcome`.
fn sort_results(results: Vec<FileResult>, outcome: &mut CheckOutcome) -> Vec<CheckedFile> {
    let mut checked = Vec::with_capacity(results.len());
    for result in results {
        match result {
            FileResult::Checked(file) => checked.push(*file),
            FileResult::Skipped(note) => outcome.notes.push(note),
            FileResult::Failed(error) => outcome.failures.push(error),
        }
    }
    checked
}

/// What the results cache learns from the reports checked: their entries
/// (taken from them) and the file metadata they were read with.
fn fresh_entries(checked: &mut [CheckedFile], scope: &Scope) -> cache::Fresh {
    cache::Fresh {
        reports: checked
            .iter_mut()
            .filter_map(|file| Some((file.report.path.clone(), file.fresh.take()?)))
            .collect(),
        series: Vec::new(),
        seen_series: Vec::new(),
        whole: scope.is_whole().then(|| {
            checked
                .iter()
                .map(|file| file.report.path.clone())
                .collect()
        }),
        stats: checked
            .iter_mut()
            .filter_map(|file| Some((file.report.path.clone(), file.stat.take()?)))
            .collect(),
    }
}

/// Encodes the reports' entries of the next results cache on another
/// thread. (Without a thread, the cache is not written: it only ever
/// saves time.)
fn start_encoding(
    cache: Option<&Arc<ResultsCache>>,
    fresh: &mut cache::Fresh,
) -> Option<std::thread::JoinHandle<cache::EncodedReports>> {
    let cache = Arc::clone(cache?);
    let reports = fresh.take_reports();
    std::thread::Builder::new()
        .spawn(move || cache.encode_reports(reports))
        .ok()
}

/// The rules across a series' reports that need no tracking: a missing
/// report (a gap in a series, judged in whole runs only), and items
/// dropped or goals unplanned from one report to the next.
fn judge_series(
    workspace: &Workspace,
    options: &CheckOptions,
    scope: &Scope,
    checked: &mut [CheckedFile],
) -> Result<()> {
    if workspace.config.enabled(Rule::MissingReport) && scope.is_whole() {
        parse_unparsed(checked, &workspace.boundary, |file| {
            file.unparsed.is_some_and(|unparsed| unparsed.gap_note)
        });
        let entries = series_entries(workspace, checked, &[]);
        let findings =
            rules::series::missing_by_cadence(&entries, &workspace.config.breaks(), &|path| {
                series::cadence_of(workspace, path)
            });
        attach(checked, findings);
    }
    if workspace.config.enabled(Rule::DroppedItem) || workspace.config.enabled(Rule::UnplannedGoal)
    {
        parse_unparsed(checked, &workspace.boundary, |file| {
            file.report
                .schema
                .as_ref()
                .is_some_and(|schema| schema.sections.iter().any(|s| s.copy_of.is_some()))
        });
        let context = series::carry_over_context(workspace, options, scope, checked)?;
        let findings = series::carry_over_findings(checked, &context);
        attach(checked, findings);
    }
    Ok(())
}

/// After a long walk, its tables, the repository's caches and the
/// reports' documents are free now, scattered between the results that
/// stay: the free pages go back to the system. (A run that took its
/// history from the cache, or a commit hook, freed little: giving pages
/// back would cost it the call and the page faults of taking them again.)
fn release_after_walk(history: Option<&crate::git::History>) {
    if history.is_some_and(|history| history.walked >= crate::memory::AFTER_WALKING) {
        crate::memory::release();
    }
}

/// Writes the results cache on another thread, once the reports' part is
/// encoded. (The caller keeps its own reference to the end of the run, so
/// that the cache is freed by whichever lets go last, not necessarily
/// there while this thread allocates: freeing on one thread while another
/// allocates slows both.)
fn start_storing(
    cache: Option<Arc<ResultsCache>>,
    encoding: Option<std::thread::JoinHandle<cache::EncodedReports>>,
    fresh: cache::Fresh,
) -> Option<std::thread::JoinHandle<()>> {
    let (cache, encoding) = cache.zip(encoding)?;
    std::thread::Builder::new()
        .spawn(move || {
            if let Ok(reports) = encoding.join() {
                cache.store_with(reports, fresh);
            }
        })
        .ok()
}

/// Finishes every report's findings ([`finish`]) and gathers them into
/// `outcome` with the findings across reports (`extra`), within the
/// run's scope, less what the baseline hides, copies folded, sorted.
fn collect(
    workspace: &Workspace,
    options: &CheckOptions,
    scope: &Scope,
    checked: Vec<CheckedFile>,
    extra: Vec<Diagnostic>,
    outcome: &mut CheckOutcome,
) -> Result<()> {
    let finished: Vec<(CheckedReport, Vec<Diagnostic>)> = if checked.len() <= FEW_FILES {
        checked
            .into_iter()
            .map(|file| finish(workspace, file, options))
            .collect()
    } else {
        checked
            .into_par_iter()
            .map(|file| finish(workspace, file, options))
            .collect()
    };
    let findings = finished.iter().map(|(_, d)| d.len()).sum::<usize>() + extra.len();
    outcome.diagnostics.reserve(findings);
    outcome.reports.reserve(finished.len());
    for (report, diagnostics) in finished {
        outcome.diagnostics.extend(diagnostics);
        outcome.reports.push(report);
    }
    outcome.diagnostics.extend(extra);
    scope.retain(&mut outcome.diagnostics);
    if let Some(path) = &options.baseline {
        let baseline = Baseline::load(&absolute(&options.cwd, path))?;
        let checked: Vec<&str> = outcome.reports.iter().map(|r| r.path.as_str()).collect();
        outcome.baseline = Some(baseline.apply(&mut outcome.diagnostics, &checked));
    }
    outcome.repeated = repeats::collapse(&mut outcome.diagnostics, &outcome.reports);
    if !options.counts_only {
        outcome
            .diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    Ok(())
}

/// The folder of the results cache (`cache.rs`) of a run. None for
/// `--staged`: a commit hook checks a file or two, from the index, and
/// loading the cache would cost more than it saves; none without a
/// repository libgit2 opens.
fn results_cache_dir(repo: Option<&Repo>, options: &CheckOptions) -> Option<PathBuf> {
    if options.staged {
        return None;
    }
    repo?.cache_dir()
}

/// What the results cache is keyed on besides the reports themselves:
/// everything else a finding may depend on.
pub(super) fn results_cache_inputs(workspace: &Workspace, options: &CheckOptions) -> Vec<Vec<u8>> {
    let mut inputs: Vec<Vec<u8>> = workspace
        .config
        .sources
        .iter()
        .map(|source| source.as_bytes().to_vec())
        .collect();
    inputs.push(format!("{:?}", options.severities).into_bytes());
    inputs.push(workspace.project_prefix().into_bytes());
    inputs
}

/// The files to check: the staged reports, the reports changed since a
/// reference, or the reports under the given paths (all by default); and,
/// for `--staged` and `--changed-since`, every path staged or changed (a
/// config file among them is in the run's scope).
fn select_files(
    workspace: &Workspace,
    repo: Option<&Repo>,
    staged: Option<(&crate::git::IndexSnapshot, Vec<crate::git::StagedFile>)>,
    options: &CheckOptions,
    notes: &mut Vec<Note>,
    failures: &mut Vec<Error>,
) -> Result<(Arc<[ReportFile]>, Vec<String>)> {
    if !options.staged && options.changed_since.is_none() {
        return Ok((
            workspace.reports(&options.cwd, &options.paths, notes)?,
            Vec::new(),
        ));
    }
    let flag = if options.staged {
        "--staged"
    } else {
        "--changed-since"
    };
    let Some(repo) = repo else {
        return Err(Error::Repository {
            path: workspace.root.clone(),
            message: format!("is not a git repository, which {flag} needs"),
        });
    };
    // Given paths narrow the selection further.
    let wanted: Vec<PathBuf> = options
        .paths
        .iter()
        .map(|p| absolute(&options.cwd, p))
        .collect();
    if let Some((snapshot, staged)) = staged {
        let selection = staged::select(workspace, staged, snapshot, &wanted)?;
        notes.extend(selection.notes);
        failures.extend(selection.failures);
        return Ok((selection.files.into(), selection.touched));
    }
    let under_paths =
        |abs_path: &Path| wanted.is_empty() || wanted.iter().any(|w| abs_path.starts_with(w));
    let reference = options.changed_since.as_deref().unwrap_or_default();
    let mut touched = repo.changed_since(reference)?;
    let mut files: Vec<ReportFile> = touched
        .iter()
        .filter_map(|path| workspace.report_at(path))
        .filter(|file| file.abs_path.exists() || file.abs_path.is_symlink())
        .collect();
    files.retain(|file| under_paths(&file.abs_path));
    touched.retain(|path| under_paths(&workspace.root.join(path)));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files.into(), touched))
}
