//! `scaffold list`: the golden paths of the configured catalog.

use clap::Args;
use goldpath::source::{catalog_entries, Config};

use super::{exit, output};

/// List the golden paths you can render: built-ins, plus the sources in your
/// config file (`~/.config/scaffold/config.toml`, key `catalog`) and `SCAFFOLD_CATALOG`.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  scaffold list\n  SCAFFOLD_CATALOG=./golden-paths,https://git.example.com/platform/paths.git scaffold list --json"
)]
pub struct ListArgs {
    /// Print JSON (an array of {name, version, description, owner, source}).
    #[arg(long)]
    json: bool,
}

pub fn run(args: ListArgs) -> u8 {
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => return output::fail(&e, args.json),
    };
    let (entries, warnings) = catalog_entries(&config);
    for w in &warnings {
        eprintln!("{}: {w}", output::paint("warning", "33;1"));
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&entries).expect("entries are JSON")
        );
        return exit::OK;
    }
    let name_w = entries
        .iter()
        .map(|e| e.source.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let ver_w = entries
        .iter()
        .map(|e| e.version.len())
        .max()
        .unwrap_or(7)
        .max(7);
    let owner_w = entries
        .iter()
        .map(|e| e.owner.len())
        .max()
        .unwrap_or(5)
        .max(5);
    println!(
        "{:name_w$}  {:ver_w$}  {:owner_w$}  DESCRIPTION",
        "NAME", "VERSION", "OWNER"
    );
    for e in &entries {
        println!(
            "{:name_w$}  {:ver_w$}  {:owner_w$}  {}",
            e.source, e.version, e.owner, e.description
        );
    }
    exit::OK
}
