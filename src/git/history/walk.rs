//! The walk itself: from HEAD through the commit graph, newest first,
//! each commit visited once, compared with its parents and its lineage
//! handed on; on two cores with the second thread's comparisons.

use super::*;

impl<'a> Walk<'a> {
    pub(super) fn new(
        repo: &'a Repository,
        filter: &'a dyn Fn(&str) -> bool,
        region: Rc<Region>,
        parallel: Option<usize>,
    ) -> Result<Walk<'a>, git2::Error> {
        Ok(Walk {
            repo,
            trees: Trees::new(repo.odb()?),
            filter,
            region,
            whole: Rc::new(Region::new(&[])),
            shallow_roots: shallow_roots(repo),
            interner: Interner::default(),
            commits: CommitTable::default(),
            accs: Vec::new(),
            notes: Vec::new(),
            walked: 0,
            parallel,
            published: None,
            coverage: None,
        })
    }

    /// The report paths at HEAD, sorted: listed from HEAD's tree, or,
    /// with a cached history, from the files at its tip and the trees'
    /// difference since (under the report folders). After one new commit
    /// that difference is a few trees; the listing reads every folder. (A
    /// tip that cannot be read, gone after a rewrite, is listed instead.)
    pub(super) fn head_files(
        &mut self,
        head: Oid,
        cached: Option<&CachedHistory>,
    ) -> Result<Vec<(String, Oid)>, git2::Error> {
        match cached.map(|cached| self.files_since(cached, head)) {
            Some(Ok(files)) => Ok(files),
            _ => self.list_head_files(head),
        }
    }

    /// HEAD's report paths from `cached`'s at its tip and what changed
    /// since.
    fn files_since(
        &mut self,
        cached: &CachedHistory,
        head: Oid,
    ) -> Result<Vec<(String, Oid)>, git2::Error> {
        let tip_tree = self.repo.find_commit(cached.tip)?.tree_id();
        let head_tree = self.repo.find_commit(head)?.tree_id();
        let mut changes = Vec::new();
        let region = Rc::clone(&self.region);
        self.trees
            .diff_region(Some(tip_tree), Some(head_tree), &region, &mut changes)?;
        let mut files: FastMap<&str, Oid> = cached
            .snapshot
            .files
            .iter()
            .map(|(path, record)| (path.as_str(), record.at_tip))
            .collect();
        for change in &changes {
            match change {
                Change::Added { path, id } | Change::Modified { path, new: id, .. } => {
                    if (self.filter)(path) {
                        files.insert(path, *id);
                    }
                }
                Change::Deleted { path, .. } => {
                    files.remove(path.as_str());
                }
            }
        }
        let mut files: Vec<(String, Oid)> = files
            .into_iter()
            .map(|(path, id)| (path.to_owned(), id))
            .collect();
        files.sort_unstable();
        Ok(files)
    }

    /// The report paths at HEAD, sorted, from its tree.
    pub(super) fn list_head_files(&mut self, head: Oid) -> Result<Vec<(String, Oid)>, git2::Error> {
        let tree = self.repo.find_commit(head)?.tree_id();
        let mut files = Vec::new();
        for prefix in self.region.prefixes() {
            self.trees.files(tree, prefix, &mut files)?;
        }
        files.retain(|(path, _)| (self.filter)(path));
        files.sort();
        files.dedup();
        Ok(files)
    }

    /// The commits to visit: all of them, or with a cached tip, those a
    /// revwalk finds above it (libgit2 stops that walk early). `None` when
    /// the walk above the tip fails: the run then starts over without the
    /// cache.
    pub(super) fn graph(
        &mut self,
        head: Oid,
        hide: Option<Oid>,
    ) -> Result<Option<Graph>, git2::Error> {
        let Some(tip) = hide else {
            let graph =
                Graph::reachable(self.trees.odb(), head, &self.shallow_roots, &mut self.notes);
            return Ok(Some(graph));
        };
        let mut revwalk = self.repo.revwalk()?;
        revwalk.push(head)?;
        revwalk.hide(tip)?;
        let Ok(ids) = revwalk.collect::<Result<Vec<Oid>, _>>() else {
            return Ok(None);
        };
        let mut notes = Vec::new();
        let graph = Graph::of(self.trees.odb(), &ids, &self.shallow_roots, &mut notes);
        Ok(notes.is_empty().then_some(graph))
    }

    /// Walks from `head` (hiding the cached tip, if any) and records events.
    pub(super) fn run(
        &mut self,
        head: Oid,
        head_files: &[(String, Oid)],
        cached: Option<CachedHistory>,
    ) -> Result<Result<(), Bail>, git2::Error> {
        self.accs = head_files.iter().map(|_| Acc::default()).collect();
        let mut start = Lineage {
            names: FastMap::default(),
            region: Rc::clone(&self.region),
        };
        for (target, (path, _)) in head_files.iter().enumerate() {
            let name = self.interner.intern(path);
            start.names.insert(name, Targets::One(target as u32));
        }
        let hide = cached.as_ref().map(|c| c.tip);
        // The cached commits become the start of this run's table, so the
        // cached records' indices stay valid.
        let cached_files = match cached {
            Some(cached) => match CommitTable::from_infos(cached.snapshot.commits, &cached.ids) {
                Some(table) => {
                    self.commits = table;
                    Some(cached.snapshot.files)
                }
                None => return Ok(Err(Bail)),
            },
            None => None,
        };
        let hidden_tree = match hide {
            Some(tip) => Some(self.repo.find_commit(tip)?.tree_id()),
            None => None,
        };
        let mut pending: OidMap<Rc<Lineage>> = OidMap::default();
        pending.insert(head, Rc::new(start));
        let hidden = hide.zip(hidden_tree);
        // The second thread is for full walks (a cold run, or one that
        // could not use the cache); a walk above a cached tip is short.
        let walked = match (hide, self.parallel) {
            (None, Some(chunk)) => self.walk_parallel(head, chunk, &mut pending),
            _ => {
                let Some(graph) = self.graph(head, hide)? else {
                    return Ok(Err(Bail));
                };
                self.visit_all(&graph, hidden, &mut pending, None)
            }
        };
        if walked.is_err() {
            return Ok(Err(Bail));
        }
        if let (Some(mut files), Some(state)) =
            (cached_files, hide.and_then(|tip| pending.remove(&tip)))
            && self.splice(&mut files, &state).is_err()
        {
            return Ok(Err(Bail));
        }
        Ok(Ok(()))
    }

    /// A full walk from `head` with a second thread comparing trees (see
    /// [`crate::git::prefetch`]): it starts on the commits as the graph is read,
    /// then shares the comparisons with the walk, chunk by chunk.
    pub(super) fn walk_parallel(
        &mut self,
        head: Oid,
        chunk: usize,
        pending: &mut OidMap<Rc<Lineage>>,
    ) -> Result<(), Bail> {
        /// Stops the producer however the walk ends (a panic included), so
        /// that the scope can join it.
        struct Stop<'s>(&'s Shared);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.finish();
            }
        }

        let shared = Shared::new(Arc::new(Region::new(self.region.prefixes())), chunk);
        let objects = self.repo.commondir().join("objects");
        let walked = std::thread::scope(|scope| {
            let shared = &shared;
            let _stop = Stop(shared);
            let (sender, receiver) = std::sync::mpsc::channel();
            // No thread (the system refused one): the walk does it all.
            let producer = std::thread::Builder::new()
                .spawn_scoped(scope, move || shared.produce(objects, receiver))
                .inspect_err(|_| shared.producer_gone())
                .ok();
            // Sent in batches: one message per commit would wake the
            // producer (a system call) for each.
            let mut batch = Vec::with_capacity(prefetch::BATCH);
            let graph = Graph::reachable_with(
                self.trees.odb(),
                head,
                &self.shallow_roots,
                &mut self.notes,
                &mut |id, data| {
                    batch.push(prefetch::Read::new(id, data.tree, &data.parents));
                    if batch.len() == prefetch::BATCH {
                        let full =
                            std::mem::replace(&mut batch, Vec::with_capacity(prefetch::BATCH));
                        // A producer that is gone only leaves more to the walk.
                        let _ = sender.send(full);
                    }
                },
            );
            let _ = sender.send(batch);
            drop(sender);
            shared.set_plan(jobs(&graph));
            let result = self.visit_all(&graph, None, pending, Some(shared));
            shared.finish();
            // A producer that panicked only left more work to the walk.
            if let Some(producer) = producer {
                let _ = producer.join();
            }
            (result, graph)
        });
        let (result, graph) = walked;
        // Freeing 100,000 commits and what was left of the comparisons
        // takes tens of milliseconds that the result need not wait for.
        // (If no thread can be started, they are freed here.)
        let _ = std::thread::Builder::new().spawn(move || drop((graph, shared)));
        result
    }

    /// Visits the commits of `graph` in order.
    pub(super) fn visit_all(
        &mut self,
        graph: &Graph,
        hidden: Option<(Oid, Oid)>,
        pending: &mut OidMap<Rc<Lineage>>,
        shared: Option<&Shared>,
    ) -> Result<(), Bail> {
        let around = Around {
            graph,
            hidden,
            shared,
        };
        for (pos, &index) in graph.order.iter().enumerate() {
            self.walked += 1;
            let Some(state) = pending.remove(&graph.id(index)) else {
                continue;
            };
            if state.names.is_empty() {
                continue;
            }
            self.visit(pos, index, state, &around, pending)?;
        }
        Ok(())
    }

    /// Compares one commit with its parents, records events and passes the
    /// lineage on.
    pub(super) fn visit(
        &mut self,
        pos: usize,
        index: u32,
        state: Rc<Lineage>,
        around: &Around,
        pending: &mut OidMap<Rc<Lineage>>,
    ) -> Result<(), Bail> {
        let id = around.graph.id(index);
        let Some(commit) = around.graph.commit(index) else {
            return Ok(());
        };
        let region = Rc::clone(&state.region);
        let mut prepared = around
            .shared
            .and_then(|shared| self.prepared(shared, pos, id, commit, &region));
        let sides = self.sides(index, commit, &state, around, &mut prepared)?;
        self.record(pos, id, commit, &state, &sides);
        if let (Some(shared), Some((prepared, _))) = (around.shared, prepared) {
            shared.bury(prepared);
        }
        self.hand_on(state, sides, &region, pending);
        Ok(())
    }

    /// The commit compared with each of its parents (with nothing, for a
    /// root): per parent, the parent to continue into (none for a root or a
    /// parent that could not be read) and the outcomes of the followed
    /// names that are not unchanged against it.
    pub(super) fn sides(
        &mut self,
        index: u32,
        commit: &CommitData,
        state: &Lineage,
        around: &Around,
        prepared: &mut Option<(prefetch::Prepared, bool)>,
    ) -> Result<Vec<Side>, Bail> {
        let id = around.graph.id(index);
        let region = &state.region;
        let mut sides: Vec<Side> = Vec::new();
        if commit.parents.is_empty() {
            let boundary = self.shallow_roots.contains(&id);
            let pre = prefetch::edge(prepared, 0, region);
            let outs = self.compare(id, None, commit.tree, state, region, boundary, pre);
            sides.push((None, outs));
        }
        for (edge, &parent) in commit.parents.iter().enumerate() {
            let read = around
                .graph
                .parent(index, edge)
                .and_then(|p| around.graph.commit(p));
            let parent_tree = match (read, around.hidden) {
                (Some(data), _) => Some(data.tree),
                (None, Some((tip, tip_tree))) if tip == parent => Some(tip_tree),
                // Above a cached tip, any other commit outside the walk is
                // an ancestor of the tip: the cache does not fit.
                (None, Some(_)) => return Err(Bail),
                // A parent that could not be read (already noted).
                (None, None) => None,
            };
            let boundary = parent_tree.is_none();
            let pre = prefetch::edge(prepared, edge, region);
            let outs = self.compare(id, parent_tree, commit.tree, state, region, boundary, pre);
            sides.push((parent_tree.map(|_| parent), outs));
        }
        Ok(sides)
    }

    /// Hands the lineage on to each parent: shared with every parent where
    /// nothing was added or moved, changed in place for the last parent
    /// when no one else holds it (the common, linear case: no copy of the
    /// map), and merged with what another child already handed there.
    pub(super) fn hand_on(
        &mut self,
        state: Rc<Lineage>,
        sides: Vec<Side>,
        region: &Rc<Region>,
        pending: &mut OidMap<Rc<Lineage>>,
    ) {
        let count = sides.len();
        let mut owned = Some(state);
        for (i, (parent, outs)) in sides.into_iter().enumerate() {
            let Some(parent) = parent else { continue };
            let Some(state) = owned.as_ref() else { break };
            let reshaped = outs
                .values()
                .any(|out| matches!(out, Out::Moved { .. } | Out::Added { .. }));
            let next = if reshaped {
                let mut next = match owned.take() {
                    Some(state) if i + 1 == count => state,
                    Some(state) => {
                        let copy = Rc::clone(&state);
                        owned = Some(state);
                        copy
                    }
                    None => break,
                };
                self.reshape(Rc::make_mut(&mut next), &outs, region);
                next
            } else {
                Rc::clone(state)
            };
            match pending.entry(parent) {
                MapEntry::Vacant(entry) => {
                    entry.insert(next);
                }
                MapEntry::Occupied(mut entry) => {
                    if !Rc::ptr_eq(entry.get(), &next) {
                        Rc::make_mut(entry.get_mut()).merge(&next);
                    }
                }
            }
        }
    }

    /// The lineage as it is in a parent: a name added in the commit is no
    /// longer followed, a moved name is followed under its old name (and
    /// the old name's folder joins the region, if it was outside).
    pub(super) fn reshape(
        &self,
        lineage: &mut Lineage,
        outs: &HashMap<u32, Out>,
        region: &Rc<Region>,
    ) {
        let mut folders = Vec::new();
        for (name, out) in outs {
            match *out {
                Out::Changed(_) => {}
                Out::Added { .. } => {
                    lineage.names.remove(name);
                }
                Out::Moved { from, .. } => {
                    if let Some(targets) = lineage.names.remove(name) {
                        match lineage.names.entry(from) {
                            MapEntry::Occupied(mut e) => e.get_mut().union(&targets),
                            MapEntry::Vacant(e) => {
                                e.insert(targets);
                            }
                        }
                    }
                    let source = self.interner.name(from);
                    if !region.contains(source) {
                        folders.push(parent_folder(source));
                    }
                }
            }
        }
        if !folders.is_empty() {
            lineage.region = Rc::new(region.with(&folders));
        }
    }

    /// The second thread's comparisons of `commit` with its parents, if
    /// they cover the lineage's `region` (after telling it of the region),
    /// and whether they were made over that very region.
    pub(super) fn prepared(
        &mut self,
        shared: &Shared,
        pos: usize,
        id: Oid,
        commit: &CommitData,
        region: &Rc<Region>,
    ) -> Option<(prefetch::Prepared, bool)> {
        if !self
            .published
            .as_ref()
            .is_some_and(|last| Rc::ptr_eq(last, region))
        {
            shared.publish(region);
            self.published = Some(Rc::clone(region));
        }
        let prepared = shared.take(pos, id, &mut self.trees)?;
        if prepared.edges() != commit.parents.len().max(1) {
            return None;
        }
        let (covers, same) = match &self.coverage {
            Some((theirs, ours, covers, same))
                if Arc::ptr_eq(theirs, &prepared.region) && Rc::ptr_eq(ours, region) =>
            {
                (*covers, *same)
            }
            _ => {
                let same = prepared.region.prefixes() == region.prefixes();
                let covers = same || prepared.region.covers(region);
                self.coverage = Some((
                    Arc::clone(&prepared.region),
                    Rc::clone(region),
                    covers,
                    same,
                ));
                (covers, same)
            }
        };
        covers.then_some((prepared, same))
    }

    /// Turns per-parent outcomes into events at `commit`: an event counts
    /// only if it holds against every parent.
    pub(super) fn record(
        &mut self,
        pos: usize,
        id: Oid,
        commit: &CommitData,
        state: &Lineage,
        sides: &[(Option<Oid>, HashMap<u32, Out>)],
    ) {
        let Some((_, first_side)) = sides.first() else {
            return;
        };
        let mut touched: Vec<u32> = first_side
            .keys()
            .copied()
            .filter(|name| sides.iter().all(|(_, outs)| outs.contains_key(name)))
            .collect();
        touched.sort_unstable();
        if touched.is_empty() {
            return;
        }
        let index = self.commits.of(id, commit);
        let time = commit.committer_time.0;
        for name in touched {
            let outs: Vec<Out> = sides
                .iter()
                .filter_map(|(_, o)| o.get(&name).copied())
                .collect();
            let blob = outs[0].blob();
            let added = outs.iter().all(|o| matches!(o, Out::Added { .. }));
            let boundary = outs
                .iter()
                .any(|o| matches!(o, Out::Added { boundary: true, .. }));
            let same_blob_somewhere = outs
                .iter()
                .any(|o| matches!(o, Out::Moved { edited: false, .. }));
            let Some(targets) = state.names.get(&name) else {
                continue;
            };
            for &target in targets.as_slice() {
                let acc = &mut self.accs[target as usize];
                if acc.last.is_none() {
                    acc.last = Some(index);
                }
                if let Some(blob) = blob.filter(|_| !same_blob_somewhere) {
                    acc.versions.push((pos, index, blob));
                }
                if added {
                    acc.offer_first(First {
                        commit: index,
                        time,
                        pos,
                        boundary,
                    });
                }
            }
        }
    }

    pub(super) fn missing(&mut self, commit: Oid, err: &git2::Error) {
        self.notes.push(format!(
            "commit {commit}: an object could not be read ({}); \
             the history of reports before this commit is unknown",
            err.message()
        ));
    }
}
