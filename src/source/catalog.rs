//! The catalog: built-ins plus the sources named in the user's config file
//! and `SCAFFOLD_CATALOG`, and which sources the user trusts to run tasks.

use std::path::PathBuf;

use serde::Deserialize;

use super::{builtin, load, Origin, SourceSpec};
use crate::error::{Error, Location, Problem, Result};

/// `~/.config/scaffold/config.toml` (or `$SCAFFOLD_CONFIG`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Config {
    /// Extra sources listed by `scaffold list` and searched by `--request`.
    #[serde(default)]
    pub catalog: Vec<String>,
    /// Sources whose tasks run without `--trust` (exact, or a prefix ending in `*`).
    #[serde(default)]
    pub trusted: Vec<String>,
    /// Where git sources are cached (default: `$XDG_CACHE_HOME/scaffold`).
    #[serde(default)]
    pub cache_dir: Option<PathBuf>,
}

impl Config {
    /// Reads the config file if there is one, then adds `SCAFFOLD_CATALOG` (comma-separated).
    pub fn load() -> Result<Config> {
        let named = std::env::var_os("SCAFFOLD_CONFIG").map(PathBuf::from);
        if let Some(p) = named.as_ref().filter(|p| !p.is_file()) {
            return Err(Error::invalid(Problem::new(
                Location::file(p.display().to_string()).with_field("SCAFFOLD_CONFIG"),
                "names no config file (it does not exist or is not a file)",
            )));
        }
        let path = named.or_else(|| config_home().map(|h| h.join("scaffold/config.toml")));
        let mut config = match path {
            Some(p) if p.is_file() => {
                let text = fs_err::read_to_string(&p)?;
                toml::from_str(&text).map_err(|e| {
                    Error::invalid(Problem::from_toml(&e, &text, p.display().to_string()))
                })?
            }
            _ => Config::default(),
        };
        if let Ok(extra) = std::env::var("SCAFFOLD_CATALOG") {
            config.catalog.extend(
                extra
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
        }
        Ok(config)
    }

    pub fn cache_dir(&self) -> PathBuf {
        if let Some(dir) = &self.cache_dir {
            return dir.clone();
        }
        if let Some(dir) = std::env::var_os("SCAFFOLD_CACHE_DIR") {
            return PathBuf::from(dir);
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(std::env::temp_dir);
        base.join("scaffold")
    }

    /// Built-ins ship inside the binary the user installed and are trusted;
    /// anything else must be listed in `trusted`, compared as normalised
    /// URLs or paths (an entry that does not parse trusts nothing).
    pub fn is_trusted(&self, origin: &Origin) -> bool {
        origin.kind == "builtin"
            || self
                .trusted_patterns()
                .iter()
                .any(|p| p.matches(&origin.source))
    }

    /// The `trusted` entries that parse.
    pub fn trusted_patterns(&self) -> Vec<super::SourcePattern> {
        self.trusted
            .iter()
            .filter_map(|t| super::SourcePattern::parse(t).ok())
            .collect()
    }
}

fn config_home() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
}

/// One golden path as `scaffold list` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CatalogEntry {
    pub name: String,
    pub version: String,
    pub description: String,
    pub owner: String,
    /// What to pass as SOURCE to `scaffold new`.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_type: Option<String>,
}

/// Every golden path of the catalog; sources that fail are reported as warnings.
pub fn catalog_entries(config: &Config) -> (Vec<CatalogEntry>, Vec<String>) {
    let builtins = builtin::names().into_iter().map(|n| format!("builtin:{n}"));
    entries_of(builtins.collect(), config)
}

/// The golden paths of the configured sources (built-ins aside).
fn configured_entries(config: &Config) -> (Vec<CatalogEntry>, Vec<String>) {
    entries_of(Vec::new(), config)
}

fn entries_of(mut sources: Vec<String>, config: &Config) -> (Vec<CatalogEntry>, Vec<String>) {
    let mut warnings = Vec::new();
    for source in &config.catalog {
        match expand(source, config) {
            Ok(found) => sources.extend(found),
            Err(e) => warnings.push(format!("{}: {e}", super::redact_url(source))),
        }
    }
    let mut entries = Vec::new();
    for source in sources {
        // A bare name in the catalog means the built-in (never the catalog again).
        let spec = match SourceSpec::parse(&source) {
            SourceSpec::Name(name) => SourceSpec::Builtin(name),
            spec => spec,
        };
        match load(&spec, None, config) {
            Ok(gp) => entries.push(CatalogEntry {
                name: gp.manifest.name.clone(),
                version: gp.manifest.version.clone(),
                description: gp.manifest.description.clone(),
                owner: gp.manifest.owner.clone(),
                request_type: gp.manifest.request.as_ref().map(|r| r.kind.clone()),
                source: spec.display(),
            }),
            Err(e) => warnings.push(format!("{}: {e}", spec.display())),
        }
    }
    (entries, warnings)
}

/// A catalog source can hold several golden paths: list each as its own SOURCE.
fn expand(source: &str, config: &Config) -> Result<Vec<String>> {
    match SourceSpec::parse(source) {
        SourceSpec::Folder { path, name: None } if !super::is_golden_path_dir(&path) => {
            let mut found = Vec::new();
            for dir in [path.clone(), path.join("golden-paths")] {
                let Ok(read) = fs_err::read_dir(&dir) else {
                    continue;
                };
                for entry in read.flatten() {
                    let name = entry.file_name().to_string_lossy().to_string();
                    if !name.starts_with('_')
                        && !name.starts_with('.')
                        && super::is_golden_path_dir(&entry.path())
                    {
                        found.push(entry.path().display().to_string());
                    }
                }
            }
            found.sort();
            Ok(found)
        }
        SourceSpec::Git {
            location,
            local,
            name: None,
        } => {
            let repo = if local {
                PathBuf::from(&location)
            } else {
                super::fetch_remote(&location, config)?
            };
            let mut names: Vec<String> = super::versions::version_tags(&crate::git::tags(&repo)?)
                .into_iter()
                .filter_map(|t| t.golden_path)
                .filter(|n| !n.starts_with('_'))
                .collect();
            names.sort();
            names.dedup();
            if names.is_empty() {
                Ok(vec![source.to_string()])
            } else {
                Ok(names
                    .into_iter()
                    .map(|n| format!("{location}#{n}"))
                    .collect())
            }
        }
        _ => Ok(vec![source.to_string()]),
    }
}

/// What a bare NAME as SOURCE means: the built-in of that name, or the
/// catalog's golden path of that name. Two or more candidates are an error
/// that lists them, so a name never silently means another team's path.
pub fn resolve_name(name: &str, config: &Config) -> Result<SourceSpec> {
    let mut candidates = Vec::new();
    if builtin::exists(name) {
        candidates.push(SourceSpec::Builtin(name.to_string()));
    }
    let (entries, warnings) = configured_entries(config);
    for entry in entries.iter().filter(|e| e.name == name) {
        let spec = SourceSpec::parse(&entry.source);
        if !candidates.contains(&spec) {
            candidates.push(spec);
        }
    }
    match candidates.len() {
        1 => Ok(candidates.remove(0)),
        0 => Err(unknown_name(name, &entries, &warnings)),
        _ => {
            let listed: Vec<String> = candidates.iter().map(SourceSpec::display).collect();
            Err(Error::invalid(
                Problem::new(
                    Location::default().with_field("SOURCE"),
                    format!(
                        "`{name}` names {} golden paths: {}",
                        candidates.len(),
                        listed.join(", ")
                    ),
                )
                .hint("give one of them as SOURCE (`builtin:NAME` for the built-in)"),
            ))
        }
    }
}

fn unknown_name(name: &str, entries: &[CatalogEntry], warnings: &[String]) -> Error {
    let mut known = builtin::names();
    known.extend(entries.iter().map(|e| e.name.clone()));
    known.sort();
    known.dedup();
    let mut message = format!("no golden path named `{name}` among the built-ins");
    if !entries.is_empty() || !warnings.is_empty() {
        message.push_str(" and the catalog");
    }
    let mut problem = Problem::new(Location::default().with_field("SOURCE"), message);
    let hint = match crate::error::did_you_mean(name, known.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`? (`scaffold list` shows them all)"),
        None => format!(
            "known: {}; a folder needs a path like `./{name}` (`scaffold list` shows them all)",
            known.join(", ")
        ),
    };
    problem = problem.hint(hint);
    for w in warnings {
        problem
            .message
            .push_str(&format!("\n  (catalog source skipped: {w})"));
    }
    Error::invalid(problem)
}

/// Golden paths whose `[request] type` is `kind` (for `scaffold new --request` without SOURCE).
pub fn find_by_request_type(config: &Config, kind: &str) -> (Vec<CatalogEntry>, Vec<String>) {
    let (entries, warnings) = catalog_entries(config);
    (
        entries
            .into_iter()
            .filter(|e| e.request_type.as_deref() == Some(kind))
            .collect(),
        warnings,
    )
}
