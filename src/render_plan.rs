//! From a golden path and answers to a `Tree`: which template files are
//! produced, under which names, rendered by which engine, or copied as is.
//!
//! `compile` runs once per golden path (every template and expression into
//! one `TemplateSet`, so syntax errors surface before any question is
//! asked); `render` is then a pure function of the answers, parallel over
//! files. Globs match the path as written under `template/`, and a glob
//! naming a folder covers everything in it.

use globset::GlobSet;
use rayon::prelude::*;
use serde_json::Value;

use crate::answers::{compile_expressions, render_problem, Resolved};
use crate::error::{did_you_mean, Error, Location, Problem, Problems, Result};
use crate::manifest::{DelimiterSpec, EngineKind, Manifest};
use crate::render::limit::MAX_RENDER_BYTES;
use crate::render::{line_of_name, TemplateSet, TemplateSource};
use crate::source::GoldenPath;
use crate::tree::{symlink_destination, BlobRef, FileEntry, RelPath, Tree, TreeIds};

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

/// Renders the tree for `answers`. Every failing file is reported.
pub fn render(gp: &GoldenPath, compiled: &Compiled, answers: &Resolved) -> Result<Rendered> {
    let meta = crate::answers::metadata(&gp.manifest.name, &gp.manifest.version);
    let ctx = answers.render_context(meta.clone());
    let expr_ctx = answers.full_context(meta);
    let mut problems = Problems::default();
    let mut condition_values = Vec::with_capacity(gp.manifest.conditions.len());
    for i in 0..gp.manifest.conditions.len() {
        match compiled.templates.is_true(&format!("cond:{i}"), &expr_ctx) {
            Ok(b) => condition_values.push(b),
            Err(e) => {
                problems.push(render_problem(e));
                condition_values.push(false);
            }
        }
    }
    if !problems.is_empty() {
        return problems.into_result(Rendered {
            tree: Tree::new(),
            seed_once: vec![],
            sources: Default::default(),
            deferred: TreeIds::new(),
            deferred_repo: None,
        });
    }
    // The whole render is capped as each file is: past the cap, the files
    // still to render fail at once instead of growing memory further.
    let produced = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<Option<RenderedFile>, Problem>> = compiled
        .files
        .par_iter()
        .filter(|f| f.conditions.iter().all(|&i| condition_values[i]))
        .map(|f| {
            use std::sync::atomic::Ordering;
            if produced.load(Ordering::Relaxed) > MAX_RENDER_BYTES {
                return Err(Problem::new(
                    Location::file(&f.origin),
                    format!(
                        "not rendered: the golden path renders more than {} MiB in all",
                        MAX_RENDER_BYTES >> 20
                    ),
                ));
            }
            let rendered = render_file(gp, compiled, f, &ctx)?;
            if let Some((_, Produced::Entry(entry), _)) = &rendered {
                produced.fetch_add(entry.content.len(), Ordering::Relaxed);
            }
            Ok(rendered)
        })
        .collect();
    if produced.into_inner() > MAX_RENDER_BYTES {
        return Err(Error::invalid(Problem::new(
            Location::file(gp.manifest_label()),
            format!(
                "renders more than {} MiB in all, the limit for one golden path",
                MAX_RENDER_BYTES >> 20
            ),
        )));
    }
    let mut tree = Tree::new();
    let mut deferred = TreeIds::new();
    let mut seed_once = Vec::new();
    let mut sources_of: std::collections::BTreeMap<RelPath, RelPath> = Default::default();
    for (result, plan) in results.into_iter().zip(
        compiled
            .files
            .iter()
            .filter(|f| f.conditions.iter().all(|&i| condition_values[i])),
    ) {
        match result {
            Ok(Some((path, entry, seed))) => {
                if let Some(other) = sources_of.insert(path.clone(), plan.source.clone()) {
                    problems.push(Problem::new(
                        Location::file(format!("template/{}", plan.source)),
                        format!("renders to `{path}`, which `template/{other}` also renders to"),
                    ));
                }
                if seed {
                    seed_once.push(path.clone());
                }
                match entry {
                    Produced::Entry(entry) => {
                        tree.insert(path, entry);
                    }
                    Produced::Deferred(blob) => {
                        deferred.insert(path, blob);
                    }
                }
            }
            Ok(None) => {}
            Err(p) => problems.push(p),
        }
    }
    refuse_paths_through_symlinks(&tree, &sources_of, &mut problems);
    problems.into_result(Rendered {
        tree,
        seed_once,
        sources: sources_of,
        deferred_repo: (!deferred.is_empty())
            .then(|| gp.deferred_repo.clone())
            .flatten(),
        deferred,
    })
}

/// A file whose folder is a symlink of the same render would be written
/// through the link: refused, naming the template file.
fn refuse_paths_through_symlinks(
    tree: &Tree,
    sources: &std::collections::BTreeMap<RelPath, RelPath>,
    problems: &mut Problems,
) {
    let links: Vec<&RelPath> = tree
        .iter()
        .filter(|(_, e)| e.symlink)
        .map(|(p, _)| p)
        .collect();
    if links.is_empty() {
        return;
    }
    for path in tree.paths() {
        if let Some(link) = links
            .iter()
            .find(|l| path.strip_prefix(l.as_str()).is_some())
        {
            problems.push(Problem::new(
                Location::file(format!("template/{}", sources[path])),
                format!("renders to `{path}`, inside `{link}`, which the golden path makes a symbolic link"),
            ));
        }
    }
}

/// A produced file: its content, or the blob it copies unread.
enum Produced {
    Entry(FileEntry),
    Deferred(BlobRef),
}

/// One produced file: its output path, content and whether it is seed-once.
type RenderedFile = (RelPath, Produced, bool);

/// Stands for a `/` the author wrote in a templated file name (outside its
/// tags), so that after rendering we can tell the author's folders from
/// slashes a value brought in: a folder part that renders empty drops the
/// file, while a value that makes the path absolute or empty-named is an error.
const FOLDER_MARK: char = '\u{1f}';

/// `p` with every `/` outside `{{ }}`, `{% %}` and `{# #}` replaced by `FOLDER_MARK`.
fn mark_folder_separators(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut close: Option<&str> = None;
    let mut rest = p;
    while let Some(c) = rest.chars().next() {
        match close {
            Some(end) if rest.starts_with(end) => {
                out.push_str(end);
                rest = &rest[end.len()..];
                close = None;
                continue;
            }
            None => {
                if let Some(end) = ["{{", "{%", "{#"]
                    .iter()
                    .position(|open| rest.starts_with(open))
                    .map(|i| ["}}", "%}", "#}"][i])
                {
                    out.push_str(&rest[..2]);
                    rest = &rest[2..];
                    close = Some(end);
                    continue;
                }
                out.push(if c == '/' { FOLDER_MARK } else { c });
            }
            Some(_) => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn render_file(
    gp: &GoldenPath,
    compiled: &Compiled,
    f: &FilePlan,
    ctx: &Value,
) -> Result<Option<RenderedFile>, Problem> {
    let mut out_path = match &f.name_template {
        Some(name) => {
            let marked = compiled
                .templates
                .render(name, ctx)
                .map_err(render_problem)?;
            // A folder part the author wrote that renders empty drops the
            // file (`{% if x %}dir{% endif %}/a`).
            if marked.split(FOLDER_MARK).any(|c| c.trim().is_empty()) {
                return Ok(None);
            }
            marked.replace(FOLDER_MARK, "/")
        }
        None => f.source.as_str().to_string(),
    };
    if let Some(suffix) = f.strip_suffix {
        out_path.truncate(out_path.len() - suffix.len());
    }
    let path = RelPath::rendered(&out_path).map_err(|why| {
        let origin = f
            .name_template
            .as_deref()
            .map_or(f.origin.as_str(), |n| compiled.templates.origin(n));
        Problem::new(
            Location::file(origin),
            format!("renders to the path `{out_path}`, which {why}"),
        )
    })?;
    if let Some(blob) = f.deferred {
        return Ok(Some((path, Produced::Deferred(blob), f.seed_once)));
    }
    let entry = match &f.template {
        Some(name) => FileEntry::new(
            compiled
                .templates
                .render(name, ctx)
                .map_err(render_problem)?
                .into_bytes(),
            f.executable,
        ),
        None => gp.files[&f.source].entry.clone(),
    };
    if entry.symlink {
        symlink_destination(&path, &entry.content).map_err(|why| {
            Problem::new(
                Location::file(&f.origin),
                format!("is a symbolic link that {why}; only links inside the repository are kept"),
            )
        })?;
    }
    Ok(Some((path, Produced::Entry(entry), f.seed_once)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_authors_slashes_are_marked() {
        let m = FOLDER_MARK;
        assert_eq!(
            mark_folder_separators("src/{{ package | replace(from='.', to='/') }}/App.java"),
            format!("src{m}{{{{ package | replace(from='.', to='/') }}}}{m}App.java")
        );
        assert_eq!(
            mark_folder_separators("{% if a %}x/y{% endif %}/z"),
            format!("{{% if a %}}x{m}y{{% endif %}}{m}z")
        );
        assert_eq!(
            mark_folder_separators("a/{# c/d #}b"),
            format!("a{m}{{# c/d #}}b")
        );
    }
}
