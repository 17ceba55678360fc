//! Where a command's output goes, and what it may assume of its reader:
//! stdout, or with `--output-file` a file written atomically; whether
//! colours reach the reader; how wide a table may be.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};
use std::path::{Path, PathBuf};

use anstream::{AutoStream, ColorChoice};
use milepost::render::table::TableStyle;
use milepost::temp_files::{TEMP_MARK, remove_stale};
use tempfile::TempPath;

use super::args::ColorWhen;

/// The colour choice for every stream. `auto` is anstream's (on for a
/// terminal that supports colour, off with `NO_COLOR`, on everywhere with
/// `CLICOLOR_FORCE`), plus `FORCE_COLOR`, which anstream does not read:
/// set and not empty, it turns colours on for any output (a CI log is not
/// a terminal but shows colours), unless `NO_COLOR` is set too, or it is
/// `0` or `false`, which the Node tools that made it popular read as "do
/// not force".
pub fn color_choice(flag: ColorWhen) -> ColorChoice {
    color_choice_with(flag, |name| std::env::var_os(name))
}

fn color_choice_with(
    flag: ColorWhen,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> ColorChoice {
    let set = |name: &str| var(name).is_some_and(|value| !value.is_empty());
    match flag {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto if set("NO_COLOR") => ColorChoice::Never,
        ColorWhen::Auto => {
            let forced = var("FORCE_COLOR").is_some_and(|value| {
                !value.is_empty() && value != OsStr::new("0") && value != OsStr::new("false")
            });
            if forced {
                ColorChoice::Always
            } else {
                ColorChoice::Auto
            }
        }
    }
}

/// The width tables and paragraphs are fitted to: `COLUMNS` when it is set
/// to a number (an explicit wish, honoured for a pipe or a file too, as
/// `ls` does), else the terminal's when stdout is one. A width below
/// [`milepost::render::table::MIN_WIDTH`] (a pty that reports 0×0) means
/// no width, so nothing is squeezed into one-character columns.
fn width(to_terminal: bool) -> Option<u16> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|value| value.trim().parse::<u16>().ok())
    {
        return Some(columns);
    }
    if to_terminal {
        // comfy-table measures the terminal (through crossterm) when
        // stdout is one; it is the same measurement it would make itself.
        comfy_table::Table::new().width()
    } else {
        None
    }
}

/// A command's output: stdout, buffered in front of the colour adapter, or
/// a temporary file beside `--output-file` that [`Output::finish`] renames
/// over it. Dropped without `finish` (milepost could not run, or a write
/// failed), the temporary file is removed and an existing file is left as
/// it was: never half a file.
pub struct Output {
    sink: Sink,
    /// Whether colours reach the reader: tables colour statuses only then.
    pub color: bool,
    /// The width to fit tables and paragraphs into, if one is known.
    pub width: Option<u16>,
}

enum Sink {
    Stdout(BufWriter<AutoStream<StdoutLock<'static>>>),
    File {
        writer: BufWriter<AutoStream<File>>,
        temp: TempPath,
        path: PathBuf,
    },
}

/// The buffer in front of the colour adapter, which scans every write for
/// escape codes: serialisers write in small pieces, and thousands of
/// findings made the scanning a tenth of a whole check.
const BUFFER: usize = 1 << 16;

impl Output {
    /// stdout. `raw` output (JSON, SARIF, completion scripts, man pages)
    /// holds no escape code of milepost's and every control character of a
    /// report's escaped, so it passes through the adapter unscanned.
    pub fn stdout(choice: ColorChoice, raw: bool) -> Output {
        let stdout = std::io::stdout();
        let to_terminal = stdout.is_terminal();
        let stream = AutoStream::new(
            stdout.lock(),
            if raw { ColorChoice::AlwaysAnsi } else { choice },
        );
        let color = !raw && stream.current_choice() != ColorChoice::Never;
        Output {
            sink: Sink::Stdout(BufWriter::with_capacity(BUFFER, stream)),
            color,
            width: width(to_terminal),
        }
    }

    /// A temporary file beside `path`, made before any work is done, so
    /// that a folder that does not exist or cannot be written to is told
    /// at once. A `path` that is a folder is refused.
    pub fn file(path: &Path, choice: ColorChoice, raw: bool) -> Result<Output, String> {
        let shown = path.display().to_string();
        if path.is_dir() {
            return Err(format!(
                "{shown}: is a folder, not a file to write the output to"
            ));
        }
        let (file, temp) =
            temp_beside(path).map_err(|err| format!("cannot write {shown}: {err}"))?;
        let stream = AutoStream::new(file, if raw { ColorChoice::AlwaysAnsi } else { choice });
        let color = !raw && stream.current_choice() != ColorChoice::Never;
        Ok(Output {
            sink: Sink::File {
                writer: BufWriter::with_capacity(BUFFER, stream),
                temp,
                path: path.to_owned(),
            },
            color,
            width: width(false),
        })
    }

    /// Whether the output goes to a file rather than stdout.
    pub fn is_file(&self) -> bool {
        matches!(self.sink, Sink::File { .. })
    }

    /// The table style for this reader.
    pub fn table_style(&self) -> TableStyle {
        TableStyle {
            width: self.width,
            color: self.color,
        }
    }

    /// Flushes stdout; or writes the file to disk and renames it over
    /// `--output-file`.
    pub fn finish(self) -> io::Result<()> {
        match self.sink {
            Sink::Stdout(mut writer) => writer.flush(),
            Sink::File { writer, temp, path } => {
                let file = writer
                    .into_inner()
                    .map_err(io::IntoInnerError::into_error)?
                    .into_inner();
                file.sync_all()?;
                drop(file);
                temp.persist(&path).map_err(|err| err.error)
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(writer) => writer.write(buf),
            Sink::File { writer, .. } => writer.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(writer) => writer.write_all(buf),
            Sink::File { writer, .. } => writer.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        // A file is only flushed by `finish`, which also renames it.
        match &mut self.sink {
            Sink::Stdout(writer) => writer.flush(),
            Sink::File { .. } => Ok(()),
        }
    }
}

/// A temporary file in the folder of `path`, named after it with
/// milepost's mark (so that one a killed run left is recognised and
/// removed by the next), created 0666 less the umask like any new file,
/// or with the permissions of the file it will replace.
pub fn temp_beside(path: &Path) -> io::Result<(File, TempPath)> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}{TEMP_MARK}");
    remove_stale(dir, &prefix);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let temp = builder.tempfile_in(dir)?;
    if let Ok(meta) = std::fs::metadata(path) {
        temp.as_file().set_permissions(meta.permissions())?;
    }
    Ok(temp.into_parts())
}

/// Writes `bytes` to `path` atomically (a temporary file beside it, then
/// a rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (mut file, temp) = temp_beside(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    temp.persist(path).map_err(|err| err.error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn choice(flag: ColorWhen, vars: &[(&str, &str)]) -> ColorChoice {
        color_choice_with(flag, |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        })
    }

    #[test]
    fn force_color_forces_unless_no_color_or_a_flag_says_otherwise() {
        assert_eq!(choice(ColorWhen::Auto, &[]), ColorChoice::Auto);
        assert_eq!(
            choice(ColorWhen::Auto, &[("FORCE_COLOR", "1")]),
            ColorChoice::Always
        );
        assert_eq!(
            choice(ColorWhen::Auto, &[("FORCE_COLOR", "true")]),
            ColorChoice::Always
        );
        assert_eq!(
            choice(ColorWhen::Auto, &[("FORCE_COLOR", "0")]),
            ColorChoice::Auto
        );
        assert_eq!(
            choice(ColorWhen::Auto, &[("FORCE_COLOR", "")]),
            ColorChoice::Auto
        );
        assert_eq!(
            choice(ColorWhen::Auto, &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]),
            ColorChoice::Never
        );
        assert_eq!(
            choice(ColorWhen::Never, &[("FORCE_COLOR", "1")]),
            ColorChoice::Never
        );
        assert_eq!(
            choice(ColorWhen::Always, &[("NO_COLOR", "1")]),
            ColorChoice::Always
        );
        // An empty NO_COLOR is not set, as no-color.org says.
        assert_eq!(
            choice(ColorWhen::Auto, &[("NO_COLOR", ""), ("FORCE_COLOR", "1")]),
            ColorChoice::Always
        );
    }

    #[test]
    fn atomic_writes_replace_whole_files_and_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, [OsString::from("out.txt")]);
    }

    #[test]
    fn an_output_dropped_unfinished_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        let mut output = Output::file(&path, ColorChoice::Never, false).unwrap();
        output.write_all(b"half").unwrap();
        drop(output);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(Output::file(dir.path(), ColorChoice::Never, false).is_err());
    }
}
