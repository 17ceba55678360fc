//! The end of a run: the cached history spliced in where a lineage
//! reached the cached tip, and the records of every HEAD path.

use super::*;

impl Walk<'_> {
    /// Splices the cached history of the names that reached the cached tip
    /// (the cached commits are the first entries of the commit table).
    /// Each name is spliced once, so its record is taken, not copied (the
    /// blob ids were checked when the cache was loaded).
    pub(super) fn splice(
        &mut self,
        files: &mut FastMap<String, Record>,
        state: &Lineage,
    ) -> Result<(), Bail> {
        for (name, targets) in &state.names {
            let path = self.interner.name(*name);
            let file = files.remove(path).ok_or(Bail)?;
            let (first, last) = (file.first, file.last);
            let versions: Vec<(usize, usize, Oid)> = file
                .versions
                .iter()
                .map(|&(commit, blob)| (CACHED_POS, commit, blob))
                .collect();
            if last >= self.commits.len() {
                return Err(Bail);
            }
            let time = self.commits.committed(first).ok_or(Bail)?;
            for &target in targets.as_slice() {
                let acc = &mut self.accs[target as usize];
                if acc.last.is_none() {
                    acc.last = Some(last);
                }
                acc.versions.extend(versions.iter().cloned());
                acc.offer_first(First {
                    commit: first,
                    time,
                    pos: CACHED_POS,
                    boundary: file.boundary,
                });
            }
        }
        Ok(())
    }

    /// The history of every HEAD path, and the same as a table for the
    /// cache.
    pub(super) fn finish(
        mut self,
        head_files: &[(String, Oid)],
        head: Oid,
        shallow: bool,
        saver: &Saver<'_>,
    ) -> History {
        // This thread is not one of rayon's: a join from here waits for
        // the pool, which checks the reports meanwhile. After a long walk
        // the pool is long done, and the halves below are large; after a
        // short one (a few new commits) the commits' infos come from the
        // cache and are only moved, and waiting for the pool would cost a
        // quarter of the run.
        let parallel = self.parallel.is_some() && self.walked >= cache::REWRITE_AFTER;
        let table = std::mem::take(&mut self.commits);
        let accs = std::mem::take(&mut self.accs);
        // Making the commits' infos (~70,000 for 10,000 reports) and the
        // records take about as long: with a second core, both at once.
        let (commits, (records, lost)) = if parallel {
            rayon::join(|| table.into_infos(), || records(head_files, accs))
        } else {
            (table.into_infos(), records(head_files, accs))
        };
        if lost > 0 {
            self.notes.push(format!(
                "{lost} report(s) at HEAD have no known first commit (objects missing); \
                 they are left out of the history"
            ));
        }
        let snapshot = Snapshot {
            commits,
            files: records,
        };
        let save = saver.target.is_some() && self.notes.is_empty();
        // Writing the cache and building the result from the same table
        // also take about as long.
        let files = if save && parallel {
            rayon::join(|| saver.save(&snapshot), || snapshot.histories()).1
        } else {
            if save {
                saver.save(&snapshot);
            }
            snapshot.into_histories()
        };
        History {
            files,
            shallow,
            notes: self.notes,
            walked: self.walked,
            head: Some(head.to_string()),
        }
    }
}

/// The cache's records of the HEAD paths, from what the walk gathered, and
/// how many paths have no first commit (objects were missing).
pub(super) fn records(
    head_files: &[(String, Oid)],
    accs: Vec<Acc>,
) -> (FastMap<String, Record>, usize) {
    let mut records = FastMap::with_capacity_and_hasher(head_files.len(), Default::default());
    let mut lost = 0usize;
    for ((path, at_tip), acc) in head_files.iter().zip(accs) {
        let Some(first) = acc.first else {
            lost += 1;
            continue;
        };
        let mut versions = acc.versions;
        versions.sort_by_key(|v| std::cmp::Reverse(v.0));
        let mut seen = crate::hash::FastSet::default();
        versions.retain(|(_, commit, _)| seen.insert(*commit));
        records.insert(
            path.clone(),
            Record {
                first: first.commit,
                last: acc.last.unwrap_or(first.commit),
                boundary: first.boundary,
                versions: versions
                    .into_iter()
                    .map(|(_, commit, blob)| (commit, blob))
                    .collect(),
                at_tip: *at_tip,
            },
        );
    }
    (records, lost)
}
