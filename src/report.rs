//! How workflows tell the user what is happening without printing: the CLI
//! implements `Reporter` (stderr lines, or a progress bar on a terminal);
//! tests and library users can collect or ignore the messages.

pub trait Reporter: Sync {
    /// A step of a long operation ("fetching https://…").
    fn step(&self, message: &str);
    /// Something the user should know that does not stop the work.
    fn warn(&self, message: &str);
    /// One line a golden path's task printed (secrets already masked).
    fn task_output(&self, _task: &str, _line: &str) {}
    /// Work counted in units: `done` of `total` finished, `current` starting.
    fn progress(&self, _done: usize, _total: usize, _current: &str) {}
    /// The counted work is over (a progress bar can go).
    fn finish(&self) {}
}

/// Discards everything.
pub struct Silent;

impl Reporter for Silent {
    fn step(&self, _: &str) {}
    fn warn(&self, _: &str) {}
}
