//! Interactive questions on a terminal (dialoguer), one per variable type.

use std::io::IsTerminal;

use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Password, Select};
use goldpath::answers::{loose_text, Confirmation, Prompter, Question};
use goldpath::error::{Error, Result};
use goldpath::manifest::{Choice, VarType};
use serde_json::Value;

use super::output::{self, errln, paint, Tone};

/// Whether questions can be asked: answers come from a terminal (stdin) and
/// the questions go to one (stderr). Otherwise answers must be given.
pub fn terminal_can_ask() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

pub struct TerminalPrompter {
    theme: Box<dyn Theme>,
    /// `--yes`: no confirmation before writing.
    yes: bool,
}

impl TerminalPrompter {
    /// Colours and marks only where stderr takes them (`NO_COLOR` and
    /// `TERM=dumb` get dialoguer's plain theme).
    pub fn new(yes: bool) -> Self {
        let theme: Box<dyn Theme> = if output::stderr_takes_colour() {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        TerminalPrompter { theme, yes }
    }
}

fn io(e: dialoguer::Error) -> Error {
    match e {
        dialoguer::Error::IO(e) => Error::Io(e),
    }
}

impl Prompter for TerminalPrompter {
    fn ask(&mut self, q: &Question<'_>) -> Result<Value> {
        let var = q.variable;
        let prompt = var.prompt.clone().unwrap_or_else(|| q.name.to_string());
        if let Some(reason) = q.retry_reason {
            errln!("{} {reason}", paint("✗", Tone::Removed));
        }
        if let Some(help) = &var.help {
            errln!("  {}", paint(help, Tone::Dim));
        }
        let default_str = |d: Option<&Value>| d.map(loose_text);
        // What people read for each choice (empty for other types).
        let labels: Vec<&str> = var.choices.iter().map(Choice::label).collect();
        let value = match var.kind {
            _ if var.secret => Value::String(
                Password::with_theme(self.theme.as_ref())
                    .with_prompt(prompt)
                    .allow_empty_password(q.default.is_some())
                    .validate_with(|s: &String| (q.check)(&Value::String(s.clone())))
                    .interact()
                    .map_err(io)?,
            ),
            VarType::Boolean => Value::Bool(
                Confirm::with_theme(self.theme.as_ref())
                    .with_prompt(prompt)
                    .default(q.default.and_then(Value::as_bool).unwrap_or(false))
                    .interact()
                    .map_err(io)?,
            ),
            VarType::Choice => {
                let default = q
                    .default
                    .and_then(Value::as_str)
                    .and_then(|d| var.choices.iter().position(|c| c.value() == d))
                    .unwrap_or(0);
                let i = Select::with_theme(self.theme.as_ref())
                    .with_prompt(prompt)
                    .items(&labels)
                    .default(default)
                    .interact()
                    .map_err(io)?;
                Value::String(var.choices[i].value().to_string())
            }
            VarType::MultiChoice => {
                let chosen: Vec<&str> = q
                    .default
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let defaults: Vec<bool> = var
                    .choices
                    .iter()
                    .map(|c| chosen.contains(&c.value()))
                    .collect();
                let picked = MultiSelect::with_theme(self.theme.as_ref())
                    .with_prompt(format!("{prompt} (space toggles, enter accepts)"))
                    .items(&labels)
                    .defaults(&defaults)
                    .interact()
                    .map_err(io)?;
                Value::Array(
                    picked
                        .into_iter()
                        .map(|i| Value::String(var.choices[i].value().to_string()))
                        .collect(),
                )
            }
            VarType::String | VarType::Integer | VarType::List => {
                let mut input = Input::<String>::with_theme(self.theme.as_ref())
                    .with_prompt(prompt)
                    .allow_empty(true)
                    .validate_with(|s: &String| (q.check)(&Value::String(s.clone())));
                if let Some(d) = default_str(q.default) {
                    input = input.default(d);
                }
                Value::String(input.interact_text().map_err(io)?)
            }
        };
        Ok(value)
    }

    fn confirm(&mut self, what: &Confirmation<'_>) -> Result<bool> {
        if self.yes {
            return Ok(true);
        }
        errln!(
            "\n{} {} {} into {}:",
            paint("About to render", Tone::Heading),
            what.golden_path,
            what.version,
            what.destination.display()
        );
        let width = what
            .answers
            .iter()
            .map(|(k, _)| output::width(k))
            .max()
            .unwrap_or(0);
        for (name, value) in what.answers {
            let shown = loose_text(value);
            errln!("  {name:width$}  {shown}");
        }
        let plural = if what.files == 1 { "" } else { "s" };
        errln!("  ({} file{plural}; --yes skips this question)", what.files);
        Confirm::with_theme(self.theme.as_ref())
            .with_prompt("Write it?")
            .default(true)
            .interact()
            .map_err(io)
    }
}
