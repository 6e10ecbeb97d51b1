//! A progress bar on stderr for long `check` runs: only when stderr is a terminal, the format is human and
//! `--quiet` is off, so CI logs and machine-readable outputs never contain it. Drawn by one thread ten times a
//! second; workers only bump an atomic counter.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Runs with more files than this show a bar (when everything else allows it).
pub const MIN_FILES: usize = 200;

/// Whether a run shows a progress bar.
pub fn wanted(files: usize, human_format: bool, quiet: bool, stderr_is_terminal: bool) -> bool {
    files > MIN_FILES && human_format && !quiet && stderr_is_terminal
}

#[derive(Default)]
struct State {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
    stop: AtomicBool,
}

/// A progress bar, or nothing (every method is then a no-op).
#[derive(Default)]
pub struct Progress {
    state: Option<Arc<State>>,
    painter: Option<JoinHandle<()>>,
}

impl Progress {
    /// A bar drawn on stderr when `enabled`, else an inert one.
    pub fn new(enabled: bool) -> Progress {
        if !enabled {
            return Progress::default();
        }
        let state = Arc::new(State::default());
        let shared = state.clone();
        let painter = std::thread::Builder::new()
            .name("argovet-progress".into())
            .spawn(move || {
                while !shared.stop.load(Ordering::Relaxed) {
                    let stage = *shared.stage.lock().unwrap_or_else(|e| e.into_inner());
                    let line = bar(stage, shared.done.load(Ordering::Relaxed), shared.total.load(Ordering::Relaxed));
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r\x1b[2K{line}");
                    let _ = err.flush();
                    drop(err);
                    std::thread::park_timeout(Duration::from_millis(100));
                }
                let _ = write!(std::io::stderr(), "\r\x1b[2K");
            })
            .ok();
        Progress { state: painter.as_ref().map(|_| state), painter }
    }

    /// Starts a stage of `total` steps.
    pub fn stage(&self, name: &'static str, total: usize) {
        if let Some(s) = &self.state {
            *s.stage.lock().unwrap_or_else(|e| e.into_inner()) = name;
            s.total.store(total, Ordering::Relaxed);
            s.done.store(0, Ordering::Relaxed);
        }
    }

    /// One step done.
    pub fn tick(&self) {
        if let Some(s) = &self.state {
            s.done.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Erases the bar; called before the report is printed.
    pub fn finish(&mut self) {
        if let (Some(s), Some(painter)) = (&self.state, self.painter.take()) {
            s.stop.store(true, Ordering::Relaxed);
            painter.thread().unpark();
            let _ = painter.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// `checking [##########..........] 120/240`
fn bar(stage: &str, done: usize, total: usize) -> String {
    const WIDTH: usize = 30;
    let filled = (done.min(total) * WIDTH).checked_div(total).unwrap_or(0);
    format!("{stage:<9} [{}{}] {done}/{total}", "#".repeat(filled), ".".repeat(WIDTH - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_only_for_long_human_runs_on_a_terminal() {
        assert!(wanted(201, true, false, true));
        assert!(!wanted(200, true, false, true));
        assert!(!wanted(500, false, false, true), "machine formats");
        assert!(!wanted(500, true, true, true), "--quiet");
        assert!(!wanted(500, true, false, false), "stderr is not a terminal");
    }

    #[test]
    fn the_bar_fills_in_proportion() {
        assert_eq!(bar("reading", 0, 10), format!("reading   [{}] 0/10", ".".repeat(30)));
        assert_eq!(bar("checking", 5, 10), format!("checking  [{}{}] 5/10", "#".repeat(15), ".".repeat(15)));
        assert_eq!(bar("checking", 0, 0), format!("checking  [{}] 0/0", ".".repeat(30)));
    }
}
