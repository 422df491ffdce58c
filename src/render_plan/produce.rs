//! `render`: the tree for a set of answers, in parallel over files. Names
//! are rendered with the author's own `/` marked (a value cannot add or
//! empty a folder), conditions decide which files exist, and no path may
//! lead through a symbolic link the render itself made.

use rayon::prelude::*;
use serde_json::Value;

use super::{Compiled, FilePlan, Rendered};
use crate::answers::{render_problem, Resolved};
use crate::error::{Error, Location, Problem, Problems, Result};
use crate::render::limit::MAX_RENDER_BYTES;
use crate::source::GoldenPath;
use crate::tree::{symlink_destination, BlobRef, FileEntry, RelPath, Tree, TreeIds};

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
pub(super) fn mark_folder_separators(p: &str) -> String {
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
