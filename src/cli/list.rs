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
        output::warn(w);
    }
    if args.json {
        output::print_json(&entries);
        return exit::OK;
    }
    let rows: Vec<[String; 4]> = entries
        .iter()
        .map(|e| {
            [
                e.name.clone(),
                e.version.clone(),
                e.owner.clone(),
                e.description.clone(),
            ]
        })
        .collect();
    output::table(&["NAME", "VERSION", "OWNER", "DESCRIPTION"], &rows);
    exit::OK
}
