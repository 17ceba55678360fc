//! The progress bar: indicatif on stderr, only on a terminal, and only once
//! the work has taken more than about a second, so quick runs (a pre-commit
//! hook) never flash a bar.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use milepost::check::Progress;

/// How long work runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

pub struct TerminalProgress {
    bar: ProgressBar,
    /// When the current work started; `None` when not on a terminal.
    started: Mutex<Option<Instant>>,
    enabled: bool,
}

impl TerminalProgress {
    /// A bar that will draw only if stderr is a terminal and `allowed`.
    pub fn new(allowed: bool) -> Self {
        TerminalProgress {
            bar: ProgressBar::hidden(),
            started: Mutex::new(None),
            enabled: allowed && std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for TerminalProgress {
    fn start(&self, what: &str, total: u64) {
        if !self.enabled {
            return;
        }
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.bar.set_message(what.to_owned());
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})") {
            self.bar.set_style(style.progress_chars("=> "));
        }
        if let Ok(mut started) = self.started.lock() {
            *started = Some(Instant::now());
        }
    }

    fn advance(&self) {
        if !self.enabled {
            return;
        }
        self.bar.inc(1);
        if self.bar.is_hidden()
            && let Ok(started) = self.started.lock()
            && started.is_some_and(|at| at.elapsed() > DELAY)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        if self.enabled {
            self.bar.finish_and_clear();
        }
    }
}
