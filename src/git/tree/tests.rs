use super::*;

#[test]
fn prefixes_are_normalised() {
    let p =
        |list: &[&str]| normalize_prefixes(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(p(&[]), vec![String::new()]);
    assert_eq!(p(&["docs", "./"]), vec![String::new()]);
    assert_eq!(
        p(&[
            "./docs/status/",
            "docs/status/2016",
            "plans",
            "docs/statusx"
        ]),
        vec!["docs/status", "docs/statusx", "plans"]
    );
}

#[test]
fn regions_nest_folders() {
    let r = Region::new(&["docs/status".into(), "docs/plans".into(), "old".into()]);
    assert!(!r.is_whole());
    assert!(r.contains("docs/status/a.rst"));
    assert!(!r.contains("docs/conf.py"));
    assert_eq!(r.root.children.len(), 2);
    assert!(Region::new(&[]).is_whole());
    assert!(r.with(&["".into()]).is_whole());
}

#[test]
fn under() {
    assert!(is_under("docs/a.rst", "docs"));
    assert!(is_under("docs", "docs"));
    assert!(!is_under("docsx/a.rst", "docs"));
    assert!(is_under("anything", ""));
}

#[test]
fn tree_order_puts_trees_after_dotted_names() {
    let blob = |name: &'static [u8]| Entry {
        kind: Kind::Blob,
        mode: 0o100644,
        name,
        id: &[0; 20],
    };
    let tree = |name: &'static [u8]| Entry {
        kind: Kind::Tree,
        mode: 0o040000,
        name,
        id: &[0; 20],
    };
    assert_eq!(git_order(&blob(b"a.b"), &tree(b"a")), Ordering::Less);
    assert_eq!(git_order(&tree(b"a"), &blob(b"a0")), Ordering::Less);
    assert_eq!(git_order(&blob(b"a"), &tree(b"a")), Ordering::Less);
    assert_eq!(git_order(&tree(b"a"), &tree(b"a")), Ordering::Equal);

    // Against git's definition, every pair of names and kinds.
    let names: [&'static [u8]; 9] = [
        b"a",
        b"a.b",
        b"a0",
        b"a-",
        b"ab",
        b"b",
        b"",
        b"\xc3\xa9",
        b"a\x2e",
    ];
    for x in names {
        for y in names {
            for (a, b) in [
                (blob(x), blob(y)),
                (blob(x), tree(y)),
                (tree(x), blob(y)),
                (tree(x), tree(y)),
            ] {
                let spelled = |e: &Entry<'_>| {
                    let mut name = e.name.to_vec();
                    if e.kind == Kind::Tree {
                        name.push(b'/');
                    }
                    name
                };
                assert_eq!(git_order(&a, &b), spelled(&a).cmp(&spelled(&b)));
            }
        }
    }
}

#[test]
fn parses_raw_entries() {
    let mut raw = b"100644 a.rst\0".to_vec();
    raw.extend([1u8; 20]);
    raw.extend(b"40000 docs\0");
    raw.extend([2u8; 20]);
    let parsed: Vec<_> = entries(&raw).collect::<Result<_, _>>().unwrap();
    assert_eq!(parsed.len(), 2);
    assert_eq!(parsed[0].kind, Kind::Blob);
    assert_eq!(parsed[1].name, b"docs");
    assert_eq!(parsed[1].kind, Kind::Tree);
    assert!(entries(b"100644 broken").any(|e| e.is_err()));
}
