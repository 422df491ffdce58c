//! Loading a golden path with the layers it `extends`, and merging them.
//!
//! Override rules, base first: a file at the same path under `template/`
//! replaces the base's; a variable with the same name replaces the base's
//! definition but keeps its place in the question order; globs, conditions,
//! render rules and tasks accumulate (base's first, so a later render rule
//! wins); identity and `request` come from the golden path itself (the
//! request mapping is inherited when it declares none). Each file keeps the
//! default engine of the layer that provided it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Origin, Root};
use crate::error::{Error, Location, Problem, Result};
use crate::manifest::{
    is_golden_path_name, parse_manifest, peek_extends, EngineKind, Inherited, Manifest, SpanIndex,
    MANIFEST_FILE,
};
use crate::tree::{BlobRef, FileEntry, RelPath, TreeIds};

/// A golden path's release notes, at its root beside the manifest.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";

/// Everything under `template/` lives below this prefix in a golden-path folder.
pub const TEMPLATE_DIR: &str = "template";

/// One layer of a golden path, base first.
#[derive(Debug, Clone)]
pub struct Layer {
    pub name: String,
    pub version: String,
    pub engine: EngineKind,
    /// Where its manifest is, for error messages.
    pub manifest_label: String,
}

/// A template file and the layer it came from.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub entry: FileEntry,
    pub layer: usize,
}

/// A golden path ready to render: merged manifest and template files.
#[derive(Debug, Clone)]
pub struct GoldenPath {
    pub manifest: Manifest,
    pub layers: Vec<Layer>,
    /// Paths relative to `template/`, as written in the source.
    pub files: BTreeMap<RelPath, TemplateFile>,
    /// Files copied as they are that were not read (git sources, when asked):
    /// their id, the layer, and the repository holding them.
    pub deferred: BTreeMap<RelPath, (BlobRef, usize)>,
    pub deferred_repo: Option<PathBuf>,
    pub origin: Origin,
    /// The golden path's own `CHANGELOG.md`, if it has one.
    pub changelog: Option<String>,
}

impl GoldenPath {
    /// Where the golden path's own manifest is.
    pub fn manifest_label(&self) -> &str {
        &self
            .layers
            .last()
            .expect("at least one layer")
            .manifest_label
    }
}

struct RawLayer {
    files: BTreeMap<RelPath, FileEntry>,
    deferred: TreeIds,
    text: String,
    label: String,
}

pub(super) fn load(
    root: &Root,
    dir: &str,
    origin: Origin,
    defer_copies: bool,
) -> Result<GoldenPath> {
    let mut chain = Vec::new();
    collect_chain(root, dir, defer_copies, &mut Vec::new(), &mut chain)?;
    let mut deferred: BTreeMap<RelPath, (BlobRef, usize)> = BTreeMap::new();
    let mut inherited = Inherited::default();
    let mut merged: Option<Manifest> = None;
    let mut layers = Vec::new();
    let mut files = BTreeMap::new();
    let changelog_path = RelPath::new(CHANGELOG_FILE).expect("static path");
    let changelog = chain
        .last()
        .and_then(|top| top.files.get(&changelog_path))
        .map(|f| String::from_utf8_lossy(&f.content).into_owned());
    for raw in chain {
        let manifest = parse_manifest(&raw.text, &raw.label, &inherited)?;
        inherited.extend(&manifest);
        let layer_index = layers.len();
        layers.push(Layer {
            name: manifest.name.clone(),
            version: manifest.version.clone(),
            engine: manifest.engine,
            manifest_label: raw.label,
        });
        // A file of a later layer replaces the earlier one, read or not.
        for (path, entry) in raw.files {
            if let Some(rel) = path.strip_prefix(TEMPLATE_DIR) {
                deferred.remove(&rel);
                files.insert(
                    rel,
                    TemplateFile {
                        entry,
                        layer: layer_index,
                    },
                );
            }
        }
        for (path, blob) in raw.deferred {
            if let Some(rel) = path.strip_prefix(TEMPLATE_DIR) {
                files.remove(&rel);
                deferred.insert(rel, (blob, layer_index));
            }
        }
        merged = Some(match merged {
            None => manifest,
            Some(base) => merge(base, manifest),
        });
    }
    Ok(GoldenPath {
        manifest: merged.expect("chain is never empty"),
        layers,
        files,
        deferred_repo: match root {
            Root::Git { repo, .. } if !deferred.is_empty() => Some(repo.clone()),
            _ => None,
        },
        deferred,
        origin,
        changelog,
    })
}

fn collect_chain(
    root: &Root,
    dir: &str,
    defer_copies: bool,
    visiting: &mut Vec<String>,
    chain: &mut Vec<RawLayer>,
) -> Result<()> {
    let label = root.label(dir, MANIFEST_FILE);
    let super::LayerFiles { files, deferred } =
        root.read_layer(dir, defer_copies)?.ok_or_else(|| {
            Error::invalid(Problem::new(
                Location::file(&label),
                "golden path not found",
            ))
        })?;
    let manifest_path = RelPath::new(MANIFEST_FILE).expect("static path");
    let manifest = files.get(&manifest_path).ok_or_else(|| {
        Error::invalid(Problem::new(
            Location::file(&label),
            "missing: every golden path needs a golden-path.toml at its root",
        ))
    })?;
    let text = String::from_utf8(manifest.content.clone())
        .map_err(|_| Error::invalid(Problem::new(Location::file(&label), "is not UTF-8 text")))?;
    if let Some(base) = peek_extends(&text) {
        let at_extends = || {
            Location::file(&label)
                .with_line(SpanIndex::new(&text).line_of("extends"))
                .with_field("extends")
        };
        // A layer is a sibling folder of the same source and revision, nothing else.
        if !is_golden_path_name(&base) {
            return Err(Error::invalid(
                Problem::new(at_extends(), format!("`{base}` is not the name of a layer"))
                    .hint("name a sibling folder of the same source, e.g. `extends = \"_base\"`"),
            ));
        }
        let sibling = match dir.rsplit_once('/') {
            Some((parent, _)) => format!("{parent}/{base}"),
            None => base.clone(),
        };
        if visiting.contains(&sibling) || sibling == dir {
            return Err(Error::invalid(Problem::new(
                Location::file(&label)
                    .with_line(SpanIndex::new(&text).line_of("extends"))
                    .with_field("extends"),
                format!(
                    "`extends = \"{base}\"` forms a cycle: {} -> {sibling}",
                    visiting.join(" -> ")
                ),
            )));
        }
        visiting.push(dir.to_string());
        if root.is_symlinked_folder(&sibling) {
            return Err(Error::invalid(Problem::new(
                at_extends(),
                format!("extends `{base}`, which is a symbolic link; a layer must be a folder of the same source"),
            )));
        }
        if !root.has_manifest(&sibling)? {
            return Err(Error::invalid(Problem::new(
                Location::file(&label)
                    .with_line(SpanIndex::new(&text).line_of("extends"))
                    .with_field("extends"),
                format!("extends `{base}`, but there is no golden path `{base}` beside it"),
            )));
        }
        collect_chain(root, &sibling, defer_copies, visiting, chain)?;
        visiting.pop();
    }
    chain.push(RawLayer {
        files,
        deferred,
        text,
        label,
    });
    Ok(())
}

fn merge(base: Manifest, top: Manifest) -> Manifest {
    let mut variables = base.variables;
    for (name, var) in top.variables {
        variables.insert(name, var);
    }
    let concat = |mut a: Vec<String>, b: Vec<String>| {
        a.extend(b);
        a
    };
    let mut conditions = base.conditions;
    conditions.extend(top.conditions);
    let mut render = base.render;
    render.extend(top.render);
    let mut tasks = base.tasks;
    tasks.extend(top.tasks);
    let mut renames = base.renames;
    renames.extend(top.renames);
    let mut migrations = base.migrations;
    migrations.extend(top.migrations);
    Manifest {
        request: top.request.or(base.request),
        variables,
        files: crate::manifest::FileRules {
            exclude: concat(base.files.exclude, top.files.exclude),
            copy: concat(base.files.copy, top.files.copy),
            seed_once: concat(base.files.seed_once, top.files.seed_once),
        },
        conditions,
        render,
        tasks,
        renames,
        migrations,
        test: crate::manifest::TestRules {
            validators: concat(base.test.validators, top.test.validators),
            install: top.test.install.or(base.test.install),
        },
        ..top
    }
}
