//! `scaffold schema`: the JSON Schema of golden-path.toml, for editors
//! (e.g. taplo / Even Better TOML: `#:schema ./golden-path.schema.json`).

use clap::Args;
use goldpath::manifest::Manifest;

use super::exit;
use super::output::outln;

/// Print the JSON Schema of golden-path.toml.
#[derive(Args)]
#[command(
    after_help = "Example:\n  scaffold schema > golden-path.schema.json\n  then add `#:schema ./golden-path.schema.json` as the first line of golden-path.toml"
)]
pub struct SchemaArgs {}

pub fn run(_: SchemaArgs) -> u8 {
    outln!(
        "{}",
        serde_json::to_string_pretty(&Manifest::json_schema()).expect("schema is JSON")
    );
    exit::OK
}
