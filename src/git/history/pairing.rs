//! One commit against one parent: the outcome for every followed name
//! (unchanged, changed, added, moved), with added and removed paths
//! paired into moves, exact blob first, then by similarity.

use super::*;

impl Walk<'_> {
    /// Outcomes of the followed names of a commit against one parent
    /// (`old` is the parent's root tree, `None` for the empty tree), from
    /// the changes under `region` (`pre`, when the second thread has them).
    /// A tree missing from the store becomes a note, and the names are
    /// taken as unchanged.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn compare(
        &mut self,
        commit: Oid,
        old: Option<Oid>,
        new: Oid,
        state: &Lineage,
        region: &Region,
        boundary: bool,
        pre: Option<(&mut [Change], Option<&mut [Change]>)>,
    ) -> HashMap<u32, Out> {
        let mut own = Vec::new();
        let (changes, pre_whole) = match pre {
            Some((changes, whole)) => (changes, whole),
            None => {
                if let Err(err) = self.trees.diff_region(old, Some(new), region, &mut own) {
                    self.missing(commit, &err);
                    return self.unknown_before(new, state, region);
                }
                (own.as_mut_slice(), None)
            }
        };
        by_path(changes);
        let (mut outs, mut unpaired) = self.outcomes(commit, changes, state, boundary);
        // A report moved in from outside the report folders: look at the
        // whole tree of this commit for its source.
        if unpaired && old.is_some() && !region.is_whole() {
            if let Some(changes) = pre_whole {
                by_path(changes);
                return self.outcomes(commit, changes, state, boundary).0;
            }
            let mut changes = Vec::new();
            let whole = Rc::clone(&self.whole);
            match self.trees.diff_region(old, Some(new), &whole, &mut changes) {
                Ok(()) => {
                    by_path(&mut changes);
                    (outs, unpaired) = self.outcomes(commit, &changes, state, boundary);
                }
                Err(err) => self.missing(commit, &err),
            }
        }
        let _ = unpaired;
        outs
    }

    /// When a commit cannot be compared with a parent, what came before is
    /// unknown: every followed name ends here, as a boundary (its blob is
    /// given when the commit's own tree can still be read).
    pub(super) fn unknown_before(
        &mut self,
        new: Oid,
        state: &Lineage,
        region: &Region,
    ) -> HashMap<u32, Out> {
        let mut present = Vec::new();
        let blobs: HashMap<String, Oid> =
            match self
                .trees
                .diff_region(None, Some(new), region, &mut present)
            {
                Ok(()) => present
                    .into_iter()
                    .filter_map(|change| match change {
                        Change::Added { path, id } => Some((path, id)),
                        _ => None,
                    })
                    .collect(),
                Err(_) => HashMap::new(),
            };
        state
            .names
            .keys()
            .map(|&name| {
                let blob = blobs.get(self.interner.name(name)).copied();
                (
                    name,
                    Out::Added {
                        blob,
                        boundary: true,
                    },
                )
            })
            .collect()
    }

    /// Outcomes from one list of changes, and whether a followed name was
    /// added with no move source found.
    pub(super) fn outcomes(
        &mut self,
        commit: Oid,
        changes: &[Change],
        state: &Lineage,
        boundary: bool,
    ) -> (HashMap<u32, Out>, bool) {
        let followed = |interner: &Interner, path: &str| {
            interner
                .get(path)
                .filter(|name| state.names.contains_key(name))
        };
        let mut outs = HashMap::new();
        let mut added_followed = false;
        for change in changes {
            match change {
                Change::Modified { path, new, .. } => {
                    if let Some(name) = followed(&self.interner, path) {
                        outs.insert(name, Out::Changed(*new));
                    }
                }
                Change::Added { path, .. } => {
                    added_followed |= followed(&self.interner, path).is_some();
                }
                Change::Deleted { .. } => {}
            }
        }
        if !added_followed {
            return (outs, false);
        }
        let moves = self.pair(commit, changes, state);
        let mut unpaired = false;
        for change in changes {
            let Change::Added { path, id } = change else {
                continue;
            };
            let Some(name) = followed(&self.interner, path) else {
                continue;
            };
            let out = match moves.get(path.as_str()) {
                Some((from, from_id)) => Out::Moved {
                    from: self.interner.intern(from),
                    blob: *id,
                    edited: from_id != id,
                },
                None => {
                    unpaired = true;
                    Out::Added {
                        blob: Some(*id),
                        boundary,
                    }
                }
            };
            outs.insert(name, out);
        }
        (outs, unpaired)
    }

    /// Pairs added with removed paths of one commit: added path → (removed
    /// path, its blob). Exact blob ids first; then, among what is left,
    /// content similarity of at least [`THRESHOLD`], best first, a same file
    /// name breaking ties. Each removed path is the source of at most one
    /// addition, so a copy never steals the history of a move.
    pub(super) fn pair(
        &mut self,
        commit: Oid,
        changes: &[Change],
        state: &Lineage,
    ) -> HashMap<String, (String, Oid)> {
        let filter = self.filter;
        let mut adds: Vec<(&str, Oid)> = Vec::new();
        let mut dels: Vec<(&str, Oid)> = Vec::new();
        for change in changes {
            match change {
                Change::Added { path, id } => {
                    let followed = self
                        .interner
                        .get(path)
                        .is_some_and(|name| state.names.contains_key(&name));
                    if followed || filter(path) {
                        adds.push((path, *id));
                    }
                }
                Change::Deleted { path, id } => dels.push((path, *id)),
                Change::Modified { .. } => {}
            }
        }
        let mut moves = HashMap::new();
        if adds.is_empty() || dels.is_empty() {
            return moves;
        }

        // Exact blob ids.
        let mut by_id: HashMap<Oid, Vec<usize>> = HashMap::new();
        for (i, (_, id)) in dels.iter().enumerate() {
            by_id.entry(*id).or_default().push(i);
        }
        let mut used = vec![false; dels.len()];
        let mut rest_adds = Vec::new();
        for &(path, id) in &adds {
            let candidates = by_id.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            let free = || candidates.iter().copied().filter(|&i| !used[i]);
            let chosen = free()
                .find(|&i| file_name(dels[i].0) == file_name(path))
                .or_else(|| free().next());
            match chosen {
                Some(i) => {
                    used[i] = true;
                    moves.insert(path.to_owned(), (dels[i].0.to_owned(), dels[i].1));
                }
                None => rest_adds.push((path, id)),
            }
        }

        // Similar content, among reports (or same-named files) only.
        let add_names: HashSet<&str> = rest_adds.iter().map(|(p, _)| file_name(p)).collect();
        let rest_dels: Vec<usize> = (0..dels.len())
            .filter(|&i| !used[i])
            .filter(|&i| filter(dels[i].0) || add_names.contains(file_name(dels[i].0)))
            .collect();
        if rest_adds.is_empty() || rest_dels.is_empty() {
            return moves;
        }
        let same_name_only = rest_adds.len().saturating_mul(rest_dels.len()) > MAX_SIMILARITY_PAIRS;
        if same_name_only {
            self.notes.push(format!(
                "commit {commit}: {} added and {} removed reports with different content; \
                 only same-named pairs were compared to find moves",
                rest_adds.len(),
                rest_dels.len()
            ));
        }
        let mut prints: HashMap<Oid, Option<Rc<Vec<u64>>>> = HashMap::new();
        let mut scored: Vec<(f64, bool, usize, usize)> = Vec::new();
        for (a, &(add_path, add_id)) in rest_adds.iter().enumerate() {
            for &d in &rest_dels {
                let same_name = file_name(add_path) == file_name(dels[d].0);
                if same_name_only && !same_name {
                    continue;
                }
                let (Some(x), Some(y)) = (
                    self.fingerprint(&mut prints, commit, add_id),
                    self.fingerprint(&mut prints, commit, dels[d].1),
                ) else {
                    continue;
                };
                let score = similar::similarity(&x, &y);
                if score >= THRESHOLD {
                    scored.push((score, same_name, a, d));
                }
            }
        }
        similar::rank(&mut scored);
        let mut add_used = vec![false; rest_adds.len()];
        for (_, _, a, d) in scored {
            if add_used[a] || used[d] {
                continue;
            }
            add_used[a] = true;
            used[d] = true;
            moves.insert(rest_adds[a].0.to_owned(), (dels[d].0.to_owned(), dels[d].1));
        }
        moves
    }

    pub(super) fn fingerprint(
        &mut self,
        prints: &mut HashMap<Oid, Option<Rc<Vec<u64>>>>,
        commit: Oid,
        blob: Oid,
    ) -> Option<Rc<Vec<u64>>> {
        if let Some(known) = prints.get(&blob) {
            return known.clone();
        }
        let print = match self.trees.odb().read(blob) {
            Ok(object) => Some(Rc::new(similar::fingerprint(object.data()))),
            Err(err) => {
                self.notes.push(format!(
                    "commit {commit}: blob {blob} could not be read ({}); \
                     it was not compared for moves",
                    err.message()
                ));
                None
            }
        };
        prints.insert(blob, print.clone());
        print
    }
}
