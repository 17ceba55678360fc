//! The folders a comparison looks in.

/// The folders a comparison looks in, as a tree of path components.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Region {
    prefixes: Vec<String>,
    pub(super) root: Node,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Node {
    /// Everything below this folder is in the region.
    pub(super) whole: bool,
    pub(super) children: Vec<(String, Node)>,
}

impl Node {
    /// Children by name (bytes), for binary search.
    fn sort(&mut self) {
        self.children
            .sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        for (_, child) in &mut self.children {
            child.sort();
        }
    }
}

impl Region {
    /// The region of some folder prefixes (normalised; none = everything).
    pub(crate) fn new(prefixes: &[String]) -> Region {
        let prefixes = normalize_prefixes(prefixes);
        let mut root = Node::default();
        for prefix in &prefixes {
            let mut node = &mut root;
            for part in prefix.split('/').filter(|p| !p.is_empty()) {
                let at = match node.children.iter().position(|(name, _)| name == part) {
                    Some(at) => at,
                    None => {
                        node.children.push((part.to_owned(), Node::default()));
                        node.children.len() - 1
                    }
                };
                node = &mut node.children[at].1;
            }
            node.whole = true;
        }
        root.sort();
        Region { prefixes, root }
    }

    pub(crate) fn prefixes(&self) -> &[String] {
        &self.prefixes
    }

    pub(crate) fn is_whole(&self) -> bool {
        self.root.whole
    }

    /// Whether `path` lies in the region.
    pub(crate) fn contains(&self, path: &str) -> bool {
        self.prefixes.iter().any(|prefix| is_under(path, prefix))
    }

    /// Whether a blob at `path` is one
    /// [`Trees::diff_region`](super::Trees::diff_region) over this region
    /// can report: inside one of its folders (not the folder itself, which
    /// a comparison only ever descends into as a tree).
    pub(crate) fn holds(&self, path: &str) -> bool {
        self.prefixes.iter().any(|prefix| {
            prefix.is_empty()
                || path
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// Whether every folder of `other` lies in this region, so that a
    /// comparison over this one, restricted with [`Region::holds`] of
    /// `other`, is the comparison over `other`.
    pub(crate) fn covers(&self, other: &Region) -> bool {
        other.prefixes.iter().all(|folder| self.contains(folder))
    }

    /// This region with more folders.
    pub(crate) fn with(&self, folders: &[String]) -> Region {
        let mut all = self.prefixes.clone();
        all.extend(folders.iter().cloned());
        Region::new(&all)
    }
}

/// Normalises folder prefixes: `/`-separated, no leading `./` or trailing
/// `/`, and none inside another; an empty list (or an empty prefix) means
/// the whole tree, `[""]`.
pub(crate) fn normalize_prefixes(prefixes: &[String]) -> Vec<String> {
    let mut clean: Vec<String> = prefixes
        .iter()
        .map(|p| {
            p.replace('\\', "/")
                .split('/')
                .filter(|part| !part.is_empty() && *part != ".")
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    if clean.is_empty() || clean.iter().any(String::is_empty) {
        return vec![String::new()];
    }
    clean.sort();
    clean.dedup();
    let mut out: Vec<String> = Vec::new();
    for prefix in clean {
        if !out.iter().any(|kept| is_under(&prefix, kept)) {
            out.push(prefix);
        }
    }
    out
}

/// Whether `path` is `prefix` or inside it.
pub(crate) fn is_under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}
