//! `scaffold export`: golden paths in other tools' formats.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use goldpath::backstage::{template_yaml, ExportOptions};
use goldpath::show::describe;
use goldpath::source::{Config, SourceSpec};

use super::output::{noteln, out};
use super::{exit, output};

/// Export a golden path for another tool.
#[derive(Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    format: ExportFormat,
}

#[derive(Subcommand)]
enum ExportFormat {
    Backstage(BackstageArgs),
}

/// Write a Backstage Software Template (kind: Template) for a golden path: its
/// questions become the form (types, defaults, choices, patterns, and `when` as
/// dependencies), its steps run `scaffold new` (action `goldpath:scaffold:new`),
/// publish the repository and register it in the catalog.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold export backstage java-service > java-service.template.yaml\n  \
    scaffold export backstage ./golden-paths/api-gateway -o templates/api-gateway.yaml\n  \
    scaffold export backstage java-service --allowed-host github.example.com --allowed-host gitlab.example.com\n\n\
The first step calls the action goldpath:scaffold:new: add the backend module in\n\
integrations/backstage/ to your Backstage backend (and scaffold to its PATH).")]
struct BackstageArgs {
    /// A built-in name, a golden-path folder, or a git repository.
    #[arg(value_name = "SOURCE")]
    source: String,
    /// Export this version instead of the newest release.
    #[arg(long)]
    version: Option<String>,
    /// A host the repository picker offers; repeatable (default: github.com,
    /// plus gitlab.com when the golden path can target GitLab CI).
    #[arg(long = "allowed-host", value_name = "HOST")]
    allowed_hosts: Vec<String>,
    /// Write here (atomically) instead of to standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: ExportArgs) -> u8 {
    let ExportFormat::Backstage(args) = args.format;
    let spec = SourceSpec::parse(&args.source);
    let desc =
        match Config::load().and_then(|config| describe(&spec, args.version.as_deref(), &config)) {
            Ok(d) => d,
            Err(e) => return output::fail(&e, false),
        };
    let options = ExportOptions {
        allowed_hosts: args.allowed_hosts,
    };
    let yaml = template_yaml(&desc, &options);
    match args.output {
        None => out!("{yaml}"),
        Some(path) => {
            if let Err(e) = goldpath::apply::write_document(&path, yaml.as_bytes()) {
                return output::fail(&e, false);
            }
            noteln!("Wrote {}", path.display());
        }
    }
    exit::OK
}
