use std::collections::BTreeMap;

use git2::{Index, IndexEntry, IndexTime, Signature, Time};

use super::*;

/// Writes `files` as a tree and commits it with `parents`.
fn commit(repo: &Repository, files: &BTreeMap<String, String>, parents: &[Oid], t: i64) -> Oid {
    let mut index = Index::new().expect("index");
    for (path, content) in files {
        index
            .add(&IndexEntry {
                ctime: IndexTime::new(0, 0),
                mtime: IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode: 0o100644,
                uid: 0,
                gid: 0,
                file_size: 0,
                id: repo.blob(content.as_bytes()).expect("blob"),
                flags: path.len().min(0xfff) as u16,
                flags_extended: 0,
                path: path.as_bytes().to_vec(),
            })
            .expect("add");
    }
    let tree = repo
        .find_tree(index.write_tree_to(repo).expect("tree"))
        .expect("tree");
    let sig = Signature::new("Ola", "ola@example.org", &Time::new(t, 60)).expect("sig");
    let parents: Vec<_> = parents
        .iter()
        .map(|p| repo.find_commit(*p).expect("parent"))
        .collect();
    let parents: Vec<_> = parents.iter().collect();
    repo.commit(None, &sig, &sig, "c", &tree, &parents)
        .expect("commit")
}

fn report(week: usize, lines: usize) -> String {
    let mut text = format!("Uke {week}\n=======\n\n");
    for line in 0..lines {
        text.push_str(&format!(
            "* punkt {line} i uke {week}, med nok tekst til å ligne\n"
        ));
    }
    text
}

/// A history with copies, edits, side branches merged back (one of
/// them adding the same report as main), a move of the reports from
/// outside the report folder into it, a rename inside it and an edit
/// during a move.
fn busy_repository() -> (tempfile::TempDir, Oid) {
    let dir = tempfile::tempdir().expect("temp");
    let repo = Repository::init(dir.path()).expect("init");
    let mut files = BTreeMap::new();
    files.insert("README".to_string(), "x".to_string());
    let mut tip = commit(&repo, &files, &[], 1_000);
    let mut folder = "status";
    for i in 1..160usize {
        let t = 1_000 + i as i64 * 600;
        match i % 7 {
            // A new report, copied from the last one and edited.
            0 | 3 => {
                let week = i;
                files.insert(
                    format!("{folder}/uke_{week:03}.rst"),
                    report(week, 3 + i % 5),
                );
            }
            // An edit of a recent report.
            1 | 4 => {
                if let Some((_, text)) = files.iter_mut().rev().find(|(p, _)| p.ends_with(".rst")) {
                    text.push_str(&format!("* endring {i}\n"));
                }
            }
            _ => {
                files.insert(format!("src/m{}.py", i % 3), format!("v = {i}\n"));
            }
        }
        if i == 80 {
            // The reorganisation: every report moves into docs/status,
            // one of them edited on the way, one renamed.
            let moved: BTreeMap<String, String> = std::mem::take(&mut files)
                .into_iter()
                .map(|(p, c)| match p.strip_prefix("status/") {
                    Some(rest) if rest == "uke_003.rst" => {
                        (format!("docs/status/{rest}"), c + "* flyttet\n")
                    }
                    Some("uke_007.rst") => ("docs/status/2016/uke_7.rst".to_string(), c),
                    Some(rest) => (format!("docs/status/{rest}"), c),
                    None => (p, c),
                })
                .collect();
            files = moved;
            folder = "docs/status";
        }
        if i % 20 == 10 {
            // A side branch from here, merged at the next commit; at
            // 50 it adds the same report as main does.
            let mut side = files.clone();
            side.insert(format!("{folder}/side_{i}.rst"), report(1000 + i, 4));
            if i == 50 {
                side.insert(format!("{folder}/both.rst"), report(2000, 4));
            }
            let side_tip = commit(&repo, &side, &[tip], t + 1);
            files.extend(side);
            if i == 50 {
                tip = commit(&repo, &files, &[tip], t + 2);
            }
            tip = commit(&repo, &files, &[tip, side_tip], t + 300);
        } else {
            tip = commit(&repo, &files, &[tip], t);
        }
    }
    repo.reference("refs/heads/main", tip, true, "tip")
        .expect("ref");
    repo.set_head("refs/heads/main").expect("head");
    (dir, tip)
}

/// The walk with a second thread (in chunks of 1, 3 and 64 commits:
/// the producer, the walk computing its own chunk, and the walk working
/// ahead all happen) gives the same history as the walk alone.
#[test]
fn the_second_thread_changes_nothing() {
    let (dir, _) = busy_repository();
    let repo = Repository::open(dir.path()).expect("open");
    let filter = |path: &str| path.ends_with(".rst");
    let prefixes = vec!["docs/status".to_string()];
    let alone = history_with(&repo, &filter, &prefixes, None, None).expect("history");
    assert!(alone.notes.is_empty(), "{:?}", alone.notes);
    assert!(alone.files.len() > 40);
    let moved = &alone.files["docs/status/uke_014.rst"];
    assert!(moved.first.committed.timestamp() < 1_000 + 80 * 600);
    for chunk in [1, 3, 64] {
        let both = history_with(&repo, &filter, &prefixes, None, Some(chunk)).expect("history");
        assert_eq!(both.files, alone.files, "chunk {chunk}");
        assert_eq!(both.notes, alone.notes, "chunk {chunk}");
        assert_eq!(both.walked, alone.walked, "chunk {chunk}");
    }
}

/// HEAD's report paths taken from a cached tip's and the trees'
/// difference since are the ones a listing of HEAD gives, whatever
/// changed: edits, deletions, additions inside and outside the report
/// folder, files the filter does not take, a folder replaced by a file and
/// a move. The cached files are trusted, not listed again (a record of
/// no file in the tree is kept), and a tip the repository does not have
/// is listed instead.
#[test]
fn head_files_follow_from_a_cached_tip_and_what_changed_since() {
    let dir = tempfile::tempdir().expect("temp");
    let repo = Repository::init(dir.path()).expect("init");
    let mut files: BTreeMap<String, String> = [
        ("README", "x"),
        ("docs/status/a.rst", "a"),
        ("docs/status/b.rst", "b"),
        ("docs/status/sub/c.rst", "c"),
        ("docs/status/notes.txt", "n"),
        ("docs/other/x.rst", "x"),
    ]
    .into_iter()
    .map(|(path, text)| (path.to_string(), text.to_string()))
    .collect();
    let tip = commit(&repo, &files, &[], 1_000);
    let filter = |path: &str| path.ends_with(".rst");
    let region = Rc::new(Region::new(&["docs/status".to_string()]));
    let mut walk = Walk::new(&repo, &filter, region, None).expect("walk");
    let at_tip = walk.list_head_files(tip).expect("listing");
    assert_eq!(at_tip.len(), 3);
    let cached_with = |tip: Oid, extra: Option<(&str, Oid)>| {
        let mut records: FastMap<String, Record> = at_tip
            .iter()
            .map(|(path, id)| {
                let record = Record {
                    first: 0,
                    last: 0,
                    boundary: false,
                    versions: Vec::new(),
                    at_tip: *id,
                };
                (path.clone(), record)
            })
            .collect();
        if let Some((path, id)) = extra {
            let mut record = records["docs/status/a.rst"].clone();
            record.at_tip = id;
            records.insert(path.to_string(), record);
        }
        CachedHistory {
            tip,
            ids: Vec::new(),
            snapshot: Snapshot {
                commits: Vec::new(),
                files: records,
            },
        }
    };
    let cached = cached_with(tip, None);

    // Each on top of the last (the first on the cached tip).
    let mut heads = vec![tip];
    let mut commit_next = |files: &_, time| {
        let parent = *heads.last().expect("a parent");
        heads.push(commit(&repo, files, &[parent], time));
    };
    files.insert("docs/status/a.rst".into(), "a, edited".into());
    commit_next(&files, 2_000);
    files.remove("docs/status/b.rst");
    files.insert("docs/status/d.rst".into(), "d".into());
    files.insert("docs/status/e.txt".into(), "e".into());
    files.insert("docs/other/y.rst".into(), "y".into());
    commit_next(&files, 3_000);
    files.remove("docs/status/sub/c.rst");
    files.insert("docs/status/sub".into(), "a file now".into());
    files.insert("docs/status/moved/c.rst".into(), "c".into());
    commit_next(&files, 4_000);
    heads.remove(0);
    for head in heads {
        let listed = walk.list_head_files(head).expect("listing");
        let derived = walk.head_files(head, Some(&cached)).expect("derived");
        assert_eq!(derived, listed, "at {head}");
    }
    let listed = walk.list_head_files(tip).expect("listing");
    assert_eq!(
        walk.head_files(tip, Some(&cached)).expect("derived"),
        listed
    );

    // Trusted: a record the tree does not have is kept.
    let unknown = Oid::from_str("89abcdef0123456789abcdef0123456789abcdef").expect("id");
    let trusting = cached_with(tip, Some(("docs/status/z.rst", unknown)));
    let derived = walk.head_files(tip, Some(&trusting)).expect("derived");
    assert!(derived.contains(&("docs/status/z.rst".to_string(), unknown)));
    // A tip the repository does not have: HEAD is listed.
    let missing = cached_with(unknown, Some(("docs/status/z.rst", unknown)));
    assert_eq!(
        walk.head_files(tip, Some(&missing)).expect("listed"),
        listed
    );
}
