//! `scaffold completions SHELL` and `scaffold man`: shell completions
//! (`clap_complete`) and man pages (`clap_mangen`), generated from the same clap
//! definitions as `--help`, so they cannot drift from the commands.

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::output::errln;
use super::{exit, Cli};

/// Print shell completions for scaffold.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold completions bash > ~/.local/share/bash-completion/completions/scaffold\n  \
    scaffold completions zsh > ~/.zfunc/_scaffold      (with `fpath+=~/.zfunc` before compinit)\n  \
    scaffold completions fish > ~/.config/fish/completions/scaffold.fish\n  \
    scaffold completions powershell >> $PROFILE")]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    shell: Shell,
}

pub fn run_completions(args: CompletionsArgs) -> u8 {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "scaffold", &mut out);
    write_stdout(&out)
}

/// Print scaffold's man page, or write one page per command.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold man | man -l -                      read it now\n  \
    scaffold man --out-dir /usr/local/share/man/man1   scaffold.1, scaffold-new.1, scaffold-fleet-upgrade.1, ...")]
pub struct ManArgs {
    /// Write scaffold.1 and a page per subcommand (scaffold-new.1, ...) into this folder.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

pub fn run_man(args: ManArgs) -> u8 {
    let command = Cli::command();
    let Some(dir) = args.out_dir else {
        let mut out = Vec::new();
        if let Err(e) = clap_mangen::Man::new(command).render(&mut out) {
            errln!("error: could not render the man page: {e}");
            return exit::ERROR;
        }
        return write_stdout(&out);
    };
    match std::fs::create_dir_all(&dir).and_then(|()| clap_mangen::generate_to(command, &dir)) {
        Ok(()) => exit::OK,
        Err(e) => {
            errln!("error: {}: {e}", dir.display());
            exit::ERROR
        }
    }
}

/// Writes to stdout; a reader that went away (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => exit::OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(e) => {
            errln!("error: could not write to stdout: {e}");
            exit::ERROR
        }
    }
}
