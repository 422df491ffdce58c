//! The one place the CLI writes to the terminal: stdout for results, stderr
//! for errors, warnings and progress.
//!
//! Colour is decided per stream, as just and cargo do: text is painted with
//! ANSI styles, and `anstream` strips them from each stream on its own terms
//! (not a terminal, `NO_COLOR`, `TERM=dumb`, `CLICOLOR=0`). So
//! `scaffold show > file` gets plain text even when stderr is a terminal. A closed stdout
//! (`scaffold schema | head -1`) ends the process quietly with exit 0, as cargo
//! and ripgrep do, instead of panicking. Every `--json` result goes through
//! [`print_json`], so success and failure have one documented shape.
//!
//! Clippy's `disallowed_macros` (clippy.toml) keeps `println!` and friends out
//! of every other file: use `outln!`/`out!` and `errln!` from here.

use std::fmt;
use std::io::{ErrorKind, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use anstyle::{AnsiColor, Style};
use goldpath::error::{Error, Problem};
use goldpath::report::Reporter;
use serde::Serialize;
use serde_json::{json, Value};

use super::exit;

/// Writes to stdout (ANSI styles kept only on a colour terminal); a closed
/// pipe ends the process with exit 0.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write_stdout(format_args!($($arg)*)) };
}

/// [`out!`] with a newline.
macro_rules! outln {
    () => { $crate::cli::output::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes a line to stderr (ANSI styles kept only on a colour terminal).
macro_rules! errln {
    () => { $crate::cli::output::write_stderr(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// A line on stderr that only informs (a note, a file written): left out
/// with `--quiet`.
macro_rules! noteln {
    ($($arg:tt)*) => {
        if !$crate::cli::output::quiet() {
            $crate::cli::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
        }
    };
}

pub(crate) use {errln, noteln, out, outln};

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`, set once from the command line.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `--quiet` was given: no progress or notes on stderr (errors and
/// warnings still show), and `new`, `upgrade` and `fleet` skip their summary.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Used by [`out!`] and [`outln!`].
pub fn write_stdout(args: fmt::Arguments<'_>) {
    let mut stdout = anstream::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(i32::from(exit::OK));
        }
        write_stderr(format_args!(
            "error: cannot write to standard output: {e}\n"
        ));
        std::process::exit(i32::from(exit::ERROR));
    }
}

/// Used by [`errln!`]. A closed stderr is ignored: there is nowhere left to say so.
pub fn write_stderr(args: fmt::Arguments<'_>) {
    let _ = anstream::stderr().lock().write_fmt(args);
}

/// What a piece of text means, and so how it is painted.
#[derive(Clone, Copy)]
pub enum Tone {
    /// Section titles, names, versions.
    Heading,
    /// Help text, gutters.
    Dim,
    /// `error`, `FAIL`, `failed`.
    Error,
    /// Removed lines, a rejected answer.
    Removed,
    /// Added lines, `ok`, `clean`.
    Good,
    /// Done.
    Success,
    /// `warning`, `waiting`, `conflicts`.
    Warning,
    /// Progress arrows, hunk headers.
    Info,
}

impl Tone {
    fn style(self) -> Style {
        match self {
            Tone::Heading => Style::new().bold(),
            Tone::Dim => Style::new().dimmed(),
            Tone::Error => AnsiColor::Red.on_default().bold(),
            Tone::Removed => AnsiColor::Red.on_default(),
            Tone::Good => AnsiColor::Green.on_default(),
            Tone::Success => AnsiColor::Green.on_default().bold(),
            Tone::Warning => AnsiColor::Yellow.on_default().bold(),
            Tone::Info => AnsiColor::Cyan.on_default(),
        }
    }
}

/// `text` in the style of `tone`; the stream it is written to decides whether
/// the style shows.
pub fn paint(text: &str, tone: Tone) -> String {
    let style = tone.style();
    format!("{style}{text}{style:#}")
}

/// Settles the one colour rule anstream leaves open: `TERM=dumb` means no
/// colour even where a `CI` variable is set (anstream paints CI terminals
/// regardless, for log viewers that show colour). `CLICOLOR_FORCE` still
/// wins, and `diff --color` overrides both afterwards. Call before anything
/// is written, clap's help included.
pub fn settle_colour() {
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let forced = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
    if dumb && !forced {
        anstream::ColorChoice::Never.write_global();
    }
}

/// Whether stderr can take a progress bar: a terminal, not `TERM=dumb`
/// (colour aside: `NO_COLOR` leaves bars alone).
pub fn stderr_is_interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var("TERM").is_ok_and(|t| t != "dumb")
}

/// Whether prompts on stderr may use colour: a terminal, not `TERM=dumb`,
/// no `NO_COLOR`.
pub fn stderr_takes_colour() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}

/// Prints `err` for a human on stderr (and as JSON on stdout with `--json`); returns the exit code.
pub fn fail(err: &Error, json_mode: bool) -> u8 {
    errln!("{}: {err}", paint("error", Tone::Error));
    if json_mode {
        let problems: Vec<Value> = match err {
            Error::Invalid(problems) => problems.iter().map(problem_json).collect(),
            _ => vec![json!({
                "file": null, "line": null, "field": null,
                "message": err.to_string(), "hint": null,
            })],
        };
        outln!("{:#}", json!({ "ok": false, "problems": problems }));
    }
    exit::ERROR
}

fn problem_json(p: &Problem) -> Value {
    json!({
        "file": p.location.file,
        "line": p.location.line,
        "field": p.location.field,
        "message": p.message,
        "hint": p.hint,
    })
}

/// Prints a `--json` result: objects gain `"ok": true` in front (failures
/// print `{"ok": false, "problems": [...]}` through [`fail`]); the documented
/// arrays of `list` and `lint` are printed as they are.
pub fn print_json<T: Serialize>(result: &T) {
    let value = serde_json::to_value(result).expect("our results serialise to JSON");
    let value = match value {
        Value::Object(fields) => {
            let mut with_ok = serde_json::Map::with_capacity(fields.len() + 1);
            with_ok.insert("ok".into(), Value::Bool(true));
            with_ok.extend(fields.into_iter().filter(|(k, _)| k != "ok"));
            Value::Object(with_ok)
        }
        other => other,
    };
    outln!("{value:#}");
}

/// `warning: message` on stderr, shown even with `--quiet`.
pub fn warn(message: impl fmt::Display) {
    errln!("{}: {message}", paint("warning", Tone::Warning));
}

/// `→ message` on stderr: a step of the work under way.
fn step(message: &str) {
    errln!("{} {message}", paint("→", Tone::Info));
}

/// Reports progress and warnings on stderr; quiet mode keeps only warnings.
pub struct StderrReporter {
    pub quiet: bool,
}

impl Reporter for StderrReporter {
    fn step(&self, message: &str) {
        if !self.quiet {
            step(message);
        }
    }

    fn warn(&self, message: &str) {
        warn(message);
    }

    fn task_output(&self, _task: &str, line: &str) {
        if !self.quiet {
            errln!("  {} {line}", paint("│", Tone::Dim));
        }
    }
}

/// Counted work on stderr (`scaffold test`, `publish`): a bar on an
/// interactive terminal, a line per step elsewhere, nothing with `--quiet`
/// or `--json`. Warnings always show.
pub struct ProgressReporter {
    bar: Option<indicatif::ProgressBar>,
    lines: bool,
}

impl ProgressReporter {
    pub fn new(json: bool) -> Self {
        let show = !quiet() && !json;
        let interactive = stderr_is_interactive();
        let bar = (show && interactive).then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {pos}/{len} {wide_msg} {elapsed}",
                )
                .expect("static template")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        ProgressReporter {
            bar,
            lines: show && !interactive,
        }
    }
}

impl Reporter for ProgressReporter {
    fn step(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(message.to_string()),
            None if self.lines => step(message),
            None => {}
        }
    }

    fn warn(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| warn(message)),
            None => warn(message),
        }
    }

    fn progress(&self, done: usize, total: usize, current: &str) {
        match &self.bar {
            Some(bar) => {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
                bar.set_message(current.to_string());
            }
            None if self.lines => errln!("[{}/{total}] {current}", done + 1),
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// How many columns `text` takes: characters, not bytes, and styles not at all.
pub fn width(text: &str) -> usize {
    anstream::adapter::strip_str(text)
        .to_string()
        .chars()
        .count()
}

/// `text` cut to at most `max` characters, ending in `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Prints `rows` under `header` in columns padded to the widest cell
/// (see [`width`]), the last column unpadded.
pub fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) {
    let mut widths = header.map(width);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < N {
                out.push_str(&" ".repeat(widths[i] - width(cell) + 2));
            }
        }
        outln!("{}", out.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
