//! `scaffold show`: one golden path's card in the catalog.

use clap::Args;
use goldpath::manifest::VarType;
use goldpath::show::describe;
use goldpath::source::{Config, SourceSpec};

use super::output::{outln, Tone};
use super::{exit, output};

/// Show a golden path: its versions, the questions it asks (with help, defaults
/// and choices), the files it produces and under which condition, and its changelog.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold show java-service\n  \
    scaffold show ./golden-paths/api-gateway --json\n  \
    scaffold show https://git.example.com/platform/paths.git#queue-consumer --version 1.2.0")]
pub struct ShowArgs {
    /// A built-in name, a golden-path folder, or a git repository (URL or path, `#NAME` to pick one).
    #[arg(value_name = "SOURCE")]
    source: String,
    /// Show this version instead of the newest release.
    #[arg(long)]
    version: Option<String>,
    /// Print JSON (name, versions, variables, files, changelog).
    #[arg(long)]
    json: bool,
}

pub fn run(args: ShowArgs) -> u8 {
    let spec = SourceSpec::parse(&args.source);
    let desc =
        match Config::load().and_then(|config| describe(&spec, args.version.as_deref(), &config)) {
            Ok(d) => d,
            Err(e) => return output::fail(&e, args.json),
        };
    if args.json {
        output::print_json(&desc);
        return exit::OK;
    }
    outln!(
        "{} {}  ({})",
        output::paint(&desc.name, Tone::Heading),
        desc.version,
        desc.source
    );
    if !desc.description.is_empty() {
        outln!("{}", desc.description);
    }
    outln!(
        "owner: {}   versions: {}",
        desc.owner,
        desc.versions.join(", ")
    );
    if let Some(kind) = &desc.request_type {
        outln!("ServiceRequest spec.type: {kind}");
    }
    outln!("\n{}", output::paint("Questions", Tone::Heading));
    for v in &desc.variables {
        let mut line = format!("  {:<20} {}", v.name, v.prompt);
        if let Some(d) = &v.default {
            line.push_str(&format!(" [default: {}]", plain(d)));
        }
        outln!("{line}");
        if !v.choices.is_empty() {
            let how = if v.kind == VarType::MultiChoice {
                "any of"
            } else {
                "one of"
            };
            outln!("  {:<20} {how}: {}", "", v.choices.join(", "));
        }
        if v.secret {
            outln!(
                "  {:<20} secret: reaches tasks only, never written or recorded",
                ""
            );
        }
        if let Some(w) = &v.when {
            outln!("  {:<20} asked when {w}", "");
        }
        if let Some(h) = &v.help {
            outln!("  {:<20} {h}", "");
        }
    }
    outln!("\n{}", output::paint("Files", Tone::Heading));
    for f in &desc.files {
        if f.when.is_empty() {
            outln!("  {}", f.path);
        } else {
            outln!("  {}   (when {})", f.path, f.when.join(" and "));
        }
    }
    if let Some(changelog) = &desc.changelog {
        outln!(
            "\n{}\n{}",
            output::paint("Changelog", Tone::Heading),
            changelog.trim_end()
        );
    }
    exit::OK
}

fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
