//! `scaffold fleet status`: where every repository stands.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use goldpath::error::Result;
use goldpath::fleet;
use goldpath::source::Config;

use super::output::outln;
use super::{cache, jobs, Selection, Sharding};
use super::{exit, output};

/// Where every repository stands: version, how far behind, drift, adoption.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold fleet status --repos repos.txt\n  \
    scaffold fleet status --scan ~/src --where golden_path=java-service --json\n\n\
Exit codes: 0 every repository is on the newest release, 1 some are behind, 2 bad input.")]
pub(super) struct StatusArgs {
    #[command(flatten)]
    selection: Selection,

    #[command(flatten)]
    sharding: Sharding,

    /// Also write the status as one self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,

    /// Repositories read at a time (default: the number of cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,

    /// Print the status as JSON.
    #[arg(long)]
    pub(super) json: bool,
}

pub(super) fn run_status(args: StatusArgs) -> Result<u8> {
    let (mut repos, filters) = args.selection.resolve()?;
    if let Some(shard) = args.sharding.resolve()? {
        repos.retain(|r| shard.contains(&r.id));
    }
    let config = Config::load()?;
    let st = fleet::status::status(
        &repos,
        &filters,
        &config,
        &cache(&config),
        jobs(args.jobs),
        Duration::from_secs(600),
    );
    if let Some(path) = &args.html {
        goldpath::apply::write_document(path, fleet::html::status(&st).as_bytes())?;
    }
    if args.json {
        output::print_json(&st);
    } else {
        print_status(&st);
    }
    Ok(if st.any_behind() {
        exit::FOUND
    } else {
        exit::OK
    })
}

fn print_status(st: &fleet::status::FleetStatus) {
    let rows: Vec<[String; 7]> = st
        .repositories
        .iter()
        .map(|r| {
            [
                r.repository.clone(),
                r.golden_path.clone().unwrap_or_else(|| "-".into()),
                r.version.clone().unwrap_or_else(|| "-".into()),
                r.latest.clone().unwrap_or_else(|| "-".into()),
                if r.behind == 0 {
                    "-".into()
                } else {
                    r.behind.to_string()
                },
                match (r.drift_files, r.drift_lines) {
                    (0, _) => "-".into(),
                    (files, Some(lines)) => format!("{files} files, {lines} lines"),
                    (files, None) => format!("{files} files"),
                },
                r.problem
                    .clone()
                    .or_else(|| r.last_upgrade.clone())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let header = [
        "REPOSITORY",
        "GOLDEN PATH",
        "VERSION",
        "LATEST",
        "BEHIND",
        "DRIFT",
        "LAST UPGRADE",
    ];
    output::table(&header, &rows);
    for (gp, versions) in &st.adoption {
        let spread: Vec<String> = versions.iter().map(|(v, n)| format!("{v}: {n}")).collect();
        outln!("\n{gp}: {}", spread.join(", "));
    }
}
