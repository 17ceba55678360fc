//! The progress bar: indicatif on stderr, only on a terminal, and only once
//! the work has taken more than about a second, so quick runs (a pre-commit
//! hook) never flash a bar. The bar is created late, when that second has
//! passed, rather than hidden and revealed.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use milepost::check::Progress;

/// How long work runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

pub struct TerminalProgress {
    enabled: bool,
    state: Mutex<State>,
    done: AtomicU64,
}

#[derive(Default)]
struct State {
    what: String,
    total: u64,
    started: Option<Instant>,
    bar: Option<ProgressBar>,
}

impl TerminalProgress {
    /// A bar that will draw only if stderr is a terminal and `allowed`.
    pub fn new(allowed: bool) -> Self {
        TerminalProgress {
            enabled: allowed && std::io::stderr().is_terminal(),
            state: Mutex::new(State::default()),
            done: AtomicU64::new(0),
        }
    }
}

impl Progress for TerminalProgress {
    fn start(&self, what: &str, total: u64) {
        if !self.enabled {
            return;
        }
        self.done.store(0, Ordering::Relaxed);
        if let Ok(mut state) = self.state.lock() {
            *state = State {
                what: what.to_owned(),
                total,
                started: Some(Instant::now()),
                bar: None,
            };
        }
    }

    fn advance(&self) {
        if !self.enabled {
            return;
        }
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if let Some(bar) = &state.bar {
            bar.set_position(done);
        } else if state.started.is_some_and(|at| at.elapsed() > DELAY) {
            let bar =
                ProgressBar::with_draw_target(Some(state.total), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}") {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(state.what.clone());
            bar.set_position(done);
            state.bar = Some(bar);
        }
    }

    fn finish(&self) {
        if let Ok(mut state) = self.state.lock()
            && let Some(bar) = state.bar.take()
        {
            bar.finish_and_clear();
        }
    }
}
