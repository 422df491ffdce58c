//! From a golden path and answers to a `Tree`: which template files are
//! produced, under which names, rendered by which engine, or copied as is.
//!
//! `compile` runs once per golden path (every template and expression into
//! one `TemplateSet`, so syntax errors surface before any question is
//! asked); `render` is then a pure function of the answers, parallel over
//! files. Globs match the path as written under `template/`, and a glob
//! naming a folder covers everything in it.

mod produce;

use produce::mark_folder_separators;
pub use produce::render;

use globset::GlobSet;

use crate::answers::{compile_expressions, render_problem, Resolved};
use crate::error::{did_you_mean, Error, Location, Problem, Problems, Result};
use crate::manifest::{DelimiterSpec, EngineKind, Manifest};
use crate::render::{line_of_name, TemplateSet, TemplateSource};
use crate::source::GoldenPath;
use crate::tree::{BlobRef, RelPath, Tree, TreeIds};

/// Suffixes that force an engine and are dropped from the output name.
const ENGINE_SUFFIXES: [(&str, EngineKind); 2] = [
    (".tera", EngineKind::Tera),
    (".hbs", EngineKind::Handlebars),
];

/// What happens to one template file.
#[derive(Debug, Clone)]
struct FilePlan {
    source: RelPath,
    /// The template file, as error messages name it.
    origin: String,
    /// Rendered (`Some`) or copied byte for byte (`None`).
    template: Option<String>,
    /// Name of the compiled template for its path, when the path is templated.
    name_template: Option<String>,
    strip_suffix: Option<&'static str>,
    conditions: Vec<usize>,
    seed_once: bool,
    executable: bool,
    /// Copied from a git source without being read: its blob.
    deferred: Option<BlobRef>,
}

/// A golden path with every template compiled.
pub struct Compiled {
    pub templates: TemplateSet,
    files: Vec<FilePlan>,
}

/// A render's result: the tree and which of its paths are seed-once.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub tree: Tree,
    pub seed_once: Vec<RelPath>,
    /// The template file (path under `template/`) each output path came from.
    pub sources: std::collections::BTreeMap<RelPath, RelPath>,
    /// Copied files not read yet (from `source::load_deferring_copies`), by
    /// id, and the repository holding their blobs. Empty otherwise.
    pub deferred: TreeIds,
    pub deferred_repo: Option<std::path::PathBuf>,
}

impl Rendered {
    /// The id of every file, read or not.
    pub fn ids(&self) -> TreeIds {
        let mut ids = crate::git::ids_of(&self.tree);
        ids.extend(self.deferred.iter().map(|(p, b)| (p.clone(), *b)));
        ids
    }

    /// Whether `path` is one of the files.
    pub fn contains(&self, path: &RelPath) -> bool {
        self.tree.get(path).is_some() || self.deferred.contains_key(path)
    }

    /// The files among `paths`, reading those not read yet.
    pub fn subset<'a>(&self, paths: impl IntoIterator<Item = &'a RelPath>) -> Result<Tree> {
        let mut out = Tree::new();
        let mut unread = Vec::new();
        for p in paths {
            match (self.tree.get(p), self.deferred.get_key_value(p)) {
                (Some(e), _) => {
                    out.insert(p.clone(), e.clone());
                }
                (None, Some(d)) => unread.push(d),
                (None, None) => {}
            }
        }
        if let (false, Some(repo)) = (unread.is_empty(), &self.deferred_repo) {
            for (p, e) in crate::git::read_blobs(repo, unread)? {
                out.insert(p, e);
            }
        }
        Ok(out)
    }
}

struct Rules {
    exclude: GlobSet,
    copy: GlobSet,
    seed_once: GlobSet,
    conditions: Vec<GlobSet>,
    render: Vec<(GlobSet, Option<EngineKind>, Option<DelimiterSpec>)>,
}

impl Rules {
    fn new(m: &Manifest) -> Result<Rules> {
        Ok(Rules {
            exclude: globset(&m.files.exclude)?,
            copy: globset(&m.files.copy)?,
            seed_once: globset(&m.files.seed_once)?,
            conditions: m
                .conditions
                .iter()
                .map(|c| globset(&c.paths))
                .collect::<Result<_>>()?,
            render: m
                .render
                .iter()
                .map(|r| Ok((globset(&r.paths)?, r.engine, r.delimiters.clone())))
                .collect::<Result<_>>()?,
        })
    }
}

pub use crate::manifest::globset;

/// Compiles every template, name and expression of `gp` once.
impl Compiled {
    /// Every variable some template, file name or expression reads, and the
    /// template files whose engine cannot tell (handlebars): read those as text.
    pub fn used_variables(&self) -> (std::collections::BTreeSet<String>, Vec<RelPath>) {
        let mut used = std::collections::BTreeSet::new();
        let mut opaque = Vec::new();
        for name in self.templates.names() {
            match self.templates.variables(name) {
                Some(vars) => used.extend(vars),
                None => {
                    if let Some(f) = self
                        .files
                        .iter()
                        .find(|f| f.template.as_deref() == Some(name))
                    {
                        opaque.push(f.source.clone());
                    }
                }
            }
        }
        (used, opaque)
    }

    /// Which `[[conditions]]` (by index) each template file is subject to.
    pub fn conditions_of(&self) -> impl Iterator<Item = (&RelPath, &[usize])> {
        self.files
            .iter()
            .map(|f| (&f.source, f.conditions.as_slice()))
    }
}

pub fn compile(gp: &GoldenPath) -> Result<Compiled> {
    let m = &gp.manifest;
    let rules = Rules::new(m)?;
    let mut sources = compile_expressions(m, gp.manifest_label());
    let mut files = Vec::new();
    // Files read, and files a git source left unread (always copied as is).
    let inputs = gp
        .files
        .iter()
        .map(|(path, file)| (path, file.layer, Some(&file.entry), None))
        .chain(
            gp.deferred
                .iter()
                .map(|(path, (blob, layer))| (path, *layer, None, Some(*blob))),
        );
    for (path, layer_index, entry, deferred) in inputs {
        let p = path.as_str();
        if rules.exclude.is_match(p) {
            continue;
        }
        let layer = &gp.layers[layer_index];
        let origin = layer_file_label(&layer.manifest_label, p);
        let mut engine = layer.engine;
        let mut delimiters = None;
        for (set, rule_engine, rule_delims) in &rules.render {
            if set.is_match(p) {
                engine = rule_engine.unwrap_or(engine);
                if rule_delims.is_some() {
                    delimiters.clone_from(rule_delims);
                }
            }
        }
        let mut strip_suffix = None;
        for (suffix, kind) in ENGINE_SUFFIXES {
            if p.ends_with(suffix) {
                engine = kind;
                strip_suffix = Some(suffix);
            }
        }
        let template = match entry {
            Some(entry) if !(rules.copy.is_match(p) || entry.is_verbatim()) => Some(entry),
            _ => None,
        };
        let template = if let Some(entry) = template {
            let name = format!("file:{p}");
            let text =
                String::from_utf8(entry.content.clone()).expect("non-binary files are UTF-8");
            sources.push(TemplateSource {
                name: name.clone(),
                text,
                engine,
                delimiters,
                origin: Some(origin.clone()),
            });
            Some(name)
        } else {
            None
        };
        let name_template = crate::manifest::is_template(p).then(|| {
            let name = format!("name:{p}");
            sources.push(
                TemplateSource::tera(name.clone(), mark_folder_separators(p))
                    .with_origin(format!("{origin} (file name)")),
            );
            name
        });
        files.push(FilePlan {
            source: path.clone(),
            origin: origin.clone(),
            template,
            name_template,
            strip_suffix,
            conditions: rules
                .conditions
                .iter()
                .enumerate()
                .filter(|(_, set)| set.is_match(p))
                .map(|(i, _)| i)
                .collect(),
            seed_once: rules.seed_once.is_match(p),
            executable: entry.map_or_else(
                || deferred.is_some_and(|b| b.mode == 0o100755),
                |e| e.executable,
            ),
            deferred,
        });
    }
    let templates = TemplateSet::compile(sources)
        .map_err(|errors| Error::Invalid(errors.into_iter().map(render_problem).collect()))?;
    check_variables(gp, &templates, &files)?;
    Ok(Compiled { templates, files })
}

/// Every variable a file reads must be declared, and must not be secret:
/// Tera treats an unknown name in `if` as false, which would hide a typo.
fn check_variables(gp: &GoldenPath, templates: &TemplateSet, files: &[FilePlan]) -> Result<()> {
    let m = &gp.manifest;
    let declared: Vec<&str> = m.variables.keys().map(String::as_str).collect();
    let mut problems = Problems::default();
    for f in files {
        for name in f.template.iter().chain(f.name_template.iter()) {
            let Some(used) = templates.variables(name) else {
                continue;
            };
            for var in used {
                if crate::manifest::RESERVED_NAMES.contains(&var.as_str())
                    || m.variables.get(&var).is_some_and(|v| !v.secret)
                {
                    continue;
                }
                let line = if name.starts_with("name:") {
                    None
                } else {
                    line_of_name(
                        &String::from_utf8_lossy(&gp.files[&f.source].entry.content),
                        &var,
                    )
                };
                let location = Location::file(templates.origin(name)).with_line(line);
                match m.variables.get(&var) {
                    Some(v) if v.secret => problems.push(
                        Problem::new(
                            location,
                            format!("`{var}` is secret, and secrets never reach generated files"),
                        )
                        .hint(
                            "use it in a task instead: tasks see it as $SCAFFOLD_SECRET_"
                                .to_string()
                                + &var.to_ascii_uppercase(),
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        let p = Problem::new(location, format!("variable `{var}` is not declared"));
                        problems.push(match did_you_mean(&var, declared.iter().copied()) {
                            Some(best) => p.hint(format!("did you mean `{best}`?")),
                            None => p.hint(format!(
                                "declare it in golden-path.toml under `[variables.{var}]`"
                            )),
                        });
                    }
                }
            }
        }
    }
    problems.into_result(())
}

/// `golden-paths/x/golden-path.toml` + `a/b` -> `golden-paths/x/template/a/b`.
fn layer_file_label(manifest_label: &str, path: &str) -> String {
    match manifest_label.rsplit_once(crate::manifest::MANIFEST_FILE) {
        Some((dir, rest)) => format!("{dir}template/{path}{rest}"),
        None => format!("template/{path}"),
    }
}

/// The lock recording a render: what `new` writes and an upgrade moves to.
/// `source` is the source as recorded (an upgrade keeps the lock's own);
/// `files` the hash of every rendered file; `pristine_tree` the git tree id
/// of the render.
pub fn lock_for(
    gp: &GoldenPath,
    source: &str,
    rendered: &Rendered,
    answers: &Resolved,
    files: std::collections::BTreeMap<String, String>,
    pristine_tree: String,
) -> crate::lock::Lock {
    use crate::lock::{Lock, LockMeta, LockedGoldenPath, LOCK_FORMAT};
    Lock {
        lock: LockMeta {
            format: LOCK_FORMAT,
            engine_version: env!("CARGO_PKG_VERSION").into(),
        },
        golden_path: LockedGoldenPath {
            name: gp.manifest.name.clone(),
            version: gp.manifest.version.clone(),
            source: source.to_string(),
            tag: gp.origin.tag.clone(),
            commit: gp.origin.commit.clone(),
            layers: gp
                .layers
                .iter()
                .map(|l| format!("{}@{}", l.name, l.version))
                .collect(),
            seed_once: rendered.seed_once.iter().map(ToString::to_string).collect(),
            pristine_tree: Some(pristine_tree),
        },
        answers: answers.recorded(),
        files,
    }
}

/// Resolves the answers (see `answers::resolve`) and renders the tree with them.
pub fn resolve_and_render(
    gp: &GoldenPath,
    compiled: &Compiled,
    inputs: &crate::answers::AnswerInputs,
    prompter: Option<&mut dyn crate::answers::Prompter>,
) -> Result<(Resolved, Rendered)> {
    let meta = crate::answers::metadata(&gp.manifest.name, &gp.manifest.version);
    let resolved = crate::answers::resolve(
        &gp.manifest,
        gp.manifest_label(),
        &compiled.templates,
        inputs,
        &meta,
        prompter,
    )?;
    let rendered = render(gp, compiled, &resolved)?;
    Ok((resolved, rendered))
}
