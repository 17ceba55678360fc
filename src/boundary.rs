//! The one place that decides whether a file may be read.
//!
//! milepost runs on pull requests from strangers, so every path it reads
//! comes from someone it cannot trust: a report found by the walk may be a
//! symbolic link to `/etc/passwd`, a config's `schema:` may say
//! `/dev/zero`, a link may climb out through a committed symlinked folder.
//! The rules, applied by every reader (the walk, explicit paths, config,
//! schema and milestones files, link targets):
//!
//! - **inside the repository after resolving symbolic links**: a path is
//!   judged by where it really leads, not by how it is spelled;
//! - **a regular file**: pipes, devices and sockets are refused before they
//!   are opened (a FIFO would hang the run, `/dev/zero` would fill memory),
//!   and the open itself does not block and does not follow a final
//!   symbolic link, so a file swapped for something else between the look
//!   and the open is refused too;
//! - **size-capped**: nothing larger than [`MAX_FILE_BYTES`] is read, and the
//!   read stops there even if the file grows meanwhile;
//! - **no oracle**: a path that leads outside is "outside", whether or not
//!   anything exists there, and a refusal names the path, never the content.
//!
//! Files the operator names on the command line (`--config`, `--baseline`)
//! may live anywhere, since whoever types the command can read them anyway,
//! but they too must be regular files under the cap ([`read_operator_file`]).

use std::collections::HashMap;
use std::fmt;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The largest file milepost reads. Ten times the longest real report
/// series file seen, and well above the 50 MB stress report of the
/// benchmarks; anything bigger is not a status report.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file was not read. Its `Display` is a reason to follow the path,
/// e.g. `docs/x.rst: is a symbolic link to a file outside the repository`.
#[derive(Debug)]
pub enum Refusal {
    /// The path, after resolving symbolic links, leads outside the root.
    Outside,
    /// Nothing is there.
    Missing,
    /// Something is there, but not a regular file.
    NotAFile(&'static str),
    /// Over [`MAX_FILE_BYTES`].
    TooLarge(u64),
    /// The file system refused (permissions, I/O).
    Io(std::io::Error),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Outside => f.write_str("leads outside the repository, so it is not read"),
            Refusal::Missing => f.write_str("no such file"),
            Refusal::NotAFile(kind) => {
                write!(f, "is {kind}, not a regular file, so it is not read")
            }
            Refusal::TooLarge(size) => write!(
                f,
                "is {} MiB, over the {} MiB milepost reads",
                size.div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            Refusal::Io(err) => match err.kind() {
                std::io::ErrorKind::PermissionDenied => f.write_str("permission denied"),
                _ => write!(f, "cannot be read: {err}"),
            },
        }
    }
}

impl From<std::io::Error> for Refusal {
    fn from(err: std::io::Error) -> Self {
        match err.kind() {
            std::io::ErrorKind::NotFound => Refusal::Missing,
            _ => Refusal::Io(err),
        }
    }
}

/// Where a path really leads, judged without an existence oracle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Located {
    /// It exists, inside the root, at this canonical path.
    Inside { canonical: PathBuf, is_file: bool },
    /// It leads outside the root (whether or not anything is there).
    Outside,
    /// Nothing is there, and the nearest existing folder on the way is
    /// inside the root.
    Missing,
}

/// The repository root and what has been learnt about its folders.
#[derive(Debug)]
pub struct Boundary {
    root: PathBuf,
    /// Folders already canonicalised: link checks and reads resolve tens
    /// of thousands of paths in a few folders, and a full `canonicalize`
    /// costs a `readlink` per component. The tree is not expected to
    /// change while one run lasts.
    dirs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

impl Boundary {
    /// `root` must be canonical.
    pub fn new(root: PathBuf) -> Boundary {
        Boundary {
            root,
            dirs: Mutex::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where `path` leads (relative paths are taken from the root, and `..`
    /// is resolved lexically, as Sphinx and browsers do). When nothing is
    /// there, the nearest existing ancestor decides, so a missing file
    /// behind a symlinked folder that leads out is "outside", exactly like
    /// an existing one.
    pub fn locate(&self, path: &Path) -> Located {
        let path = absolute(&self.root, path);
        if let Some((canonical, is_file)) = self.canonical(&path) {
            return if canonical.starts_with(&self.root) {
                Located::Inside { canonical, is_file }
            } else {
                Located::Outside
            };
        }
        for ancestor in path.ancestors().skip(1) {
            if let Some(dir) = self.canonical_dir(ancestor) {
                return if dir.starts_with(&self.root) {
                    Located::Missing
                } else {
                    Located::Outside
                };
            }
        }
        Located::Missing
    }

    /// Reads the file at `path` (absolute) under every rule of this module.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Refusal> {
        self.read_with_metadata(path).map(|(bytes, _)| bytes)
    }

    /// [`read`](Self::read), with the file's metadata as it was when it was
    /// opened, before a byte was read: a change made while reading shows in
    /// the metadata of the next look, never only in the bytes.
    pub fn read_with_metadata(&self, path: &Path) -> Result<(Vec<u8>, Metadata), Refusal> {
        let (canonical, meta) = self.resolve(path)?;
        refuse_unless_regular(&meta)?;
        read_opened(&canonical)
    }

    /// The metadata of the file at `path`, under the rules of
    /// [`read`](Self::read) (inside the root, a regular file under the cap)
    /// but without opening it: for a run that knows the file by its
    /// metadata already.
    pub fn look(&self, path: &Path) -> Result<Metadata, Refusal> {
        let (_, meta) = self.resolve(path)?;
        refuse_unless_regular(&meta)?;
        Ok(meta)
    }

    /// Where `path` leads, checked to be inside the root, and what is there
    /// (looked at without following a link).
    fn resolve(&self, path: &Path) -> Result<(PathBuf, Metadata), Refusal> {
        let path = absolute(&self.root, path);
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(Refusal::Outside);
        };
        let missing = || match self.locate(&path) {
            Located::Outside => Refusal::Outside,
            _ => Refusal::Missing,
        };
        let dir = self.canonical_dir(dir).ok_or_else(missing)?;
        let joined = dir.join(name);
        // One look at the file decides; a report read by the walk is a
        // plain file in a known folder (ten thousand of them in a run).
        let meta = std::fs::symlink_metadata(&joined).map_err(|_| missing())?;
        if !meta.file_type().is_symlink() {
            return if joined.starts_with(&self.root) {
                Ok((joined, meta))
            } else {
                Err(Refusal::Outside)
            };
        }
        let canonical = joined.canonicalize().map_err(|_| missing())?;
        if !canonical.starts_with(&self.root) {
            return Err(Refusal::Outside);
        }
        let meta = std::fs::symlink_metadata(&canonical)?;
        Ok((canonical, meta))
    }

    /// The canonical form of an existing path and whether it is a regular
    /// file, or `None`: its folder from the cache, its last component
    /// looked at without following it unless it is a symbolic link (one
    /// look answers both for anything else).
    fn canonical(&self, path: &Path) -> Option<(PathBuf, bool)> {
        let followed = |path: &Path| {
            let canonical = path.canonicalize().ok()?;
            let is_file = std::fs::metadata(&canonical).is_ok_and(|m| m.is_file());
            Some((canonical, is_file))
        };
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return followed(path);
        };
        let joined = self.canonical_dir(dir)?.join(name);
        match std::fs::symlink_metadata(&joined) {
            Ok(meta) if meta.file_type().is_symlink() => followed(&joined),
            Ok(meta) => Some((joined, meta.is_file())),
            Err(_) => None,
        }
    }

    fn canonical_dir(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(known) = self.dirs.lock().ok().and_then(|d| d.get(dir).cloned()) {
            return known;
        }
        let canonical = dir.canonicalize().ok();
        if let Ok(mut dirs) = self.dirs.lock() {
            dirs.insert(dir.to_path_buf(), canonical.clone());
        }
        canonical
    }
}

/// `path` made absolute against `base` and cleaned of `.` and `..`
/// lexically, so that a path leaving the root is caught even when it does
/// not exist.
pub fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other.as_os_str()),
        }
    }
    clean
}

/// Reads a file the operator named (`--config`, `--baseline`): anywhere,
/// but only a regular file under the cap.
pub fn read_operator_file(path: &Path) -> Result<Vec<u8>, Refusal> {
    // Looked at through links first: `/dev/stdin` leads to a pipe that has
    // no canonical name.
    refuse_unless_regular(&std::fs::metadata(path)?)?;
    let canonical = path.canonicalize()?;
    read_regular(&canonical)
}

/// Reads `canonical` (no symbolic link in it) if it is a regular file under
/// the cap. Looked at before opening, so a device or a pipe is never
/// opened; opened without following a final link and without blocking,
/// and looked at again through the open handle, so a swap in between is
/// caught.
fn read_regular(canonical: &Path) -> Result<Vec<u8>, Refusal> {
    let meta = std::fs::symlink_metadata(canonical)?;
    refuse_unless_regular(&meta)?;
    read_opened(canonical).map(|(bytes, _)| bytes)
}

/// Opens and reads a path already looked at and found a regular file; the
/// look through the open handle catches a swap in between, and is what is
/// returned beside the bytes.
fn read_opened(canonical: &Path) -> Result<(Vec<u8>, Metadata), Refusal> {
    let file = open_no_follow(canonical)?;
    let meta = file.metadata()?;
    refuse_unless_regular(&meta)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    (&file).take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok((bytes, meta))
}

fn refuse_unless_regular(meta: &Metadata) -> Result<(), Refusal> {
    let kind = meta.file_type();
    if kind.is_file() {
        return if meta.len() > MAX_FILE_BYTES {
            Err(Refusal::TooLarge(meta.len()))
        } else {
            Ok(())
        };
    }
    Err(Refusal::NotAFile(describe(&kind)))
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a folder";
    }
    if kind.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    "a special file"
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn setup() -> (tempfile::TempDir, tempfile::TempDir, Boundary) {
        let repo = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "top secret").unwrap();
        std::fs::create_dir(repo.path().join("docs")).unwrap();
        std::fs::write(repo.path().join("docs/a.rst"), "Uke 38").unwrap();
        let boundary = Boundary::new(repo.path().canonicalize().unwrap());
        (repo, outside, boundary)
    }

    #[test]
    fn reads_a_regular_file_inside() {
        let (repo, _outside, boundary) = setup();
        let bytes = boundary.read(&repo.path().join("docs/a.rst")).unwrap();
        assert_eq!(bytes, b"Uke 38");
    }

    #[test]
    fn a_symlink_out_is_outside_and_never_read() {
        let (repo, outside, boundary) = setup();
        let link = repo.path().join("docs/b.rst");
        symlink(outside.path().join("secret.txt"), &link).unwrap();
        assert!(matches!(boundary.read(&link), Err(Refusal::Outside)));
    }

    #[test]
    fn dot_dot_and_absolute_paths_are_outside() {
        let (repo, outside, boundary) = setup();
        let climbing = repo.path().join("docs/../../x");
        assert!(matches!(boundary.read(&climbing), Err(Refusal::Outside)));
        let absolute = outside.path().join("secret.txt");
        assert!(matches!(boundary.read(&absolute), Err(Refusal::Outside)));
        assert!(matches!(
            boundary.read(Path::new("/dev/zero")),
            Err(Refusal::Outside)
        ));
    }

    /// Through a symlinked folder that leads out, a file that exists and
    /// one that does not are judged alike: no existence oracle.
    #[test]
    fn no_existence_oracle_through_a_symlinked_folder() {
        let (repo, outside, boundary) = setup();
        symlink(outside.path(), repo.path().join("linked")).unwrap();
        let exists = boundary.locate(&repo.path().join("linked/secret.txt"));
        let missing = boundary.locate(&repo.path().join("linked/nothing.txt"));
        let deep = boundary.locate(&repo.path().join("linked/a/b/c.txt"));
        assert_eq!(exists, Located::Outside);
        assert_eq!(missing, Located::Outside);
        assert_eq!(deep, Located::Outside);
        assert_eq!(
            boundary.locate(&repo.path().join("docs/none.rst")),
            Located::Missing
        );
    }

    #[test]
    fn a_fifo_is_refused_without_hanging() {
        let (repo, _outside, boundary) = setup();
        let fifo = repo.path().join("docs/pipe.rst");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(matches!(
            boundary.read(&fifo),
            Err(Refusal::NotAFile("a pipe"))
        ));
        assert!(matches!(
            read_operator_file(&fifo),
            Err(Refusal::NotAFile("a pipe"))
        ));
    }

    #[test]
    fn devices_and_folders_are_refused() {
        assert!(matches!(
            read_operator_file(Path::new("/dev/zero")),
            Err(Refusal::NotAFile("a device"))
        ));
        assert!(matches!(
            read_operator_file(Path::new("/")),
            Err(Refusal::NotAFile("a folder"))
        ));
    }

    #[test]
    fn a_file_over_the_cap_is_refused() {
        let (repo, _outside, boundary) = setup();
        let big = repo.path().join("docs/big.rst");
        let file = File::create(&big).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert!(matches!(boundary.read(&big), Err(Refusal::TooLarge(_))));
    }
}
