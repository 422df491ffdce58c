//! One self-contained HTML page for a platform team: the fleet's version
//! distribution per golden path (SVG bars drawn here), what a run did (counts
//! by status, a sortable, filterable table of repositories, errors grouped),
//! or where every repository stands. No network, no CDN: inline CSS and SVG,
//! readable without JavaScript (which only adds sorting and filtering),
//! printable, dark-mode aware, with table headers and text alternatives for
//! the charts. Everything from repositories is escaped (`markup::xml`).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::markup::xml;
use super::report::Report;
use super::runlog::RepoStatus;
use super::status::FleetStatus;

/// A run's report as HTML.
pub fn report(r: &Report) -> String {
    let mut body = String::new();
    let total: usize = r.counts.values().sum();
    let _ = write!(
        body,
        "<h1>Fleet report</h1>\n<p class=\"meta\">{total} repositories from {} run log(s): {}</p>\n",
        r.runs.len(),
        xml(&r.runs.join(", "))
    );
    body.push_str("<section aria-labelledby=\"outcome\"><h2 id=\"outcome\">Outcome</h2>\n<ul class=\"counts\">\n");
    for (status, n) in &r.counts {
        let _ = writeln!(
            body,
            "<li class=\"s-{s}\"><span class=\"n\" data-status=\"{s}\">{n}</span> {s}</li>",
            s = status.as_str()
        );
    }
    body.push_str("</ul></section>\n");
    // Where the repositories are after the run, per golden path.
    let mut versions: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for res in &r.results {
        let moved = matches!(
            res.status,
            RepoStatus::Clean | RepoStatus::Conflicts | RepoStatus::UpToDate
        );
        let version = if moved {
            res.to.as_ref().or(res.from.as_ref())
        } else {
            res.from.as_ref()
        };
        if let (Some(gp), Some(v)) = (&res.golden_path, version) {
            *versions
                .entry(gp.clone())
                .or_default()
                .entry(v.clone())
                .or_default() += 1;
        }
    }
    body.push_str(&distribution(&versions, "Versions after this run"));
    let rows: Vec<Vec<(String, String)>> = r
        .results
        .iter()
        .map(|res| {
            vec![
                cell(&res.repository),
                (
                    res.status.as_str().to_string(),
                    format!(
                        "<span class=\"badge s-{0}\">{0}</span>",
                        res.status.as_str()
                    ),
                ),
                cell(&format!(
                    "{} → {}",
                    res.from.as_deref().unwrap_or("?"),
                    res.to.as_deref().unwrap_or("?")
                )),
                cell(res.branch.as_deref().unwrap_or("")),
                cell(&res.conflicts.join(", ")),
                cell(res.reason.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    let statuses: Vec<&str> = r.results.iter().map(|res| res.status.as_str()).collect();
    body.push_str(&table(
        "Repositories",
        &[
            "Repository",
            "Status",
            "From → to",
            "Branch",
            "Conflicts",
            "Reason or error",
        ],
        &rows,
        &statuses,
    ));
    // Failures and skips grouped by message.
    for status in [RepoStatus::Failed, RepoStatus::Skipped] {
        let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for res in r.results.iter().filter(|res| res.status == status) {
            groups
                .entry(res.reason.as_deref().unwrap_or("unknown"))
                .or_default()
                .push(&res.repository);
        }
        if groups.is_empty() {
            continue;
        }
        let _ = writeln!(
            body,
            "<section><h2>{} by reason</h2>",
            capitalise(status.as_str())
        );
        for (reason, repos) in groups {
            let _ = writeln!(
                body,
                "<h3><code>{}</code> ({})</h3>\n<ul>",
                xml(reason),
                repos.len()
            );
            for repo in repos {
                let _ = writeln!(body, "<li><code>{}</code></li>", xml(repo));
            }
            body.push_str("</ul>\n");
        }
        body.push_str("</section>\n");
    }
    page("Fleet report", &body)
}

/// The fleet's standing as HTML.
pub fn status(st: &FleetStatus) -> String {
    let mut body = String::new();
    let behind = st.repositories.iter().filter(|r| r.behind > 0).count();
    let drifted = st.repositories.iter().filter(|r| r.drift_files > 0).count();
    let _ = write!(
        body,
        "<h1>Fleet status</h1>\n<section aria-labelledby=\"outcome\"><h2 id=\"outcome\">Summary</h2>\n<ul class=\"counts\">\n<li><span class=\"n\" data-status=\"repositories\">{}</span> repositories</li>\n<li class=\"s-conflicts\"><span class=\"n\" data-status=\"behind\">{behind}</span> behind the newest release</li>\n<li><span class=\"n\" data-status=\"drifted\">{drifted}</span> drifted from their render</li>\n</ul></section>\n",
        st.repositories.len()
    );
    body.push_str(&distribution(
        &st.adoption,
        "Adoption: repositories per version",
    ));
    let rows: Vec<Vec<(String, String)>> = st
        .repositories
        .iter()
        .map(|r| {
            vec![
                cell(&r.repository),
                cell(r.golden_path.as_deref().unwrap_or("")),
                cell(r.version.as_deref().unwrap_or("")),
                cell(r.latest.as_deref().unwrap_or("")),
                (format!("{:06}", r.behind), r.behind.to_string()),
                (
                    format!("{:09}{:09}", r.drift_files, r.drift_lines.unwrap_or(0)),
                    match (r.drift_files, r.drift_lines) {
                        (0, _) => String::new(),
                        (files, Some(lines)) => format!("{files} files, {lines} lines"),
                        (files, None) => format!("{files} files"),
                    },
                ),
                cell(
                    r.problem
                        .as_deref()
                        .or(r.last_upgrade.as_deref())
                        .unwrap_or(""),
                ),
            ]
        })
        .collect();
    let statuses: Vec<&str> = st
        .repositories
        .iter()
        .map(|r| if r.behind > 0 { "behind" } else { "current" })
        .collect();
    body.push_str(&table(
        "Repositories",
        &[
            "Repository",
            "Golden path",
            "Version",
            "Latest",
            "Behind",
            "Drift",
            "Last upgrade or problem",
        ],
        &rows,
        &statuses,
    ));
    page("Fleet status", &body)
}

/// A text cell: (sort key, escaped HTML).
fn cell(text: &str) -> (String, String) {
    (text.to_lowercase(), xml(text))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Horizontal SVG bars, one chart per golden path, each with a text alternative.
fn distribution(data: &BTreeMap<String, BTreeMap<String, usize>>, title: &str) -> String {
    let mut out = format!(
        "<section aria-labelledby=\"versions\"><h2 id=\"versions\">{}</h2>\n",
        xml(title)
    );
    if data.is_empty() {
        out.push_str("<p>No repository reports a version.</p></section>\n");
        return out;
    }
    for (i, (gp, versions)) in data.iter().enumerate() {
        let mut sorted: Vec<(&String, &usize)> = versions.iter().collect();
        sorted.sort_by(|a, b| {
            let parse = |v: &str| semver::Version::parse(v).ok();
            parse(a.0).cmp(&parse(b.0)).then(a.0.cmp(b.0))
        });
        let max = sorted.iter().map(|(_, n)| **n).max().unwrap_or(1).max(1);
        let (bar_h, label_w, width) = (22, 110, 520);
        let height = sorted.len() * (bar_h + 6) + 6;
        let alt: Vec<String> = sorted
            .iter()
            .map(|(v, n)| format!("{v}: {n} repositories"))
            .collect();
        let _ = write!(
            out,
            "<figure><svg class=\"chart\" role=\"img\" aria-labelledby=\"c{i}t c{i}d\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">\n<title id=\"c{i}t\">{gp}: repositories per version</title>\n<desc id=\"c{i}d\">{}</desc>\n",
            xml(&alt.join("; ")),
            gp = xml(gp)
        );
        for (row, (version, n)) in sorted.iter().enumerate() {
            let y = 6 + row * (bar_h + 6);
            let w = ((width - label_w - 60) * **n) / max;
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" class=\"label\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{}\" height=\"{bar_h}\" class=\"bar\"/><text x=\"{}\" y=\"{}\" class=\"value\">{n}</text>",
                label_w - 8,
                y + bar_h - 6,
                xml(version),
                w.max(1),
                label_w + w + 6,
                y + bar_h - 6,
            );
        }
        let _ = writeln!(out, "</svg><figcaption>{}</figcaption></figure>", xml(gp));
    }
    out.push_str("</section>\n");
    out
}

fn table(
    title: &str,
    headers: &[&str],
    rows: &[Vec<(String, String)>],
    statuses: &[&str],
) -> String {
    let mut out = format!(
        "<section aria-labelledby=\"table-title\"><h2 id=\"table-title\">{}</h2>\n<p class=\"noprint\"><label for=\"filter\">Filter rows</label> <input id=\"filter\" type=\"search\" placeholder=\"name, status, error…\"></p>\n<table id=\"repos\"><caption>{} ({} rows; select a column header to sort)</caption>\n<thead><tr>",
        xml(title),
        xml(title),
        rows.len()
    );
    for (i, h) in headers.iter().enumerate() {
        let _ = write!(
            out,
            "<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" data-col=\"{i}\">{}</button></th>",
            xml(h)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (row, status) in rows.iter().zip(statuses) {
        let _ = write!(out, "<tr data-status=\"{}\">", xml(status));
        for (i, (key, html)) in row.iter().enumerate() {
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let close = if i == 0 { "th" } else { "td" };
            let _ = write!(out, "<{tag} data-key=\"{}\">{html}</{close}>", xml(key));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></section>\n");
    out
}

const STYLE: &str = r"
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #57606a; --line: #d0d7de;
  --bar: #0969da; --clean: #1a7f37; --conflicts: #9a6700; --failed: #cf222e; --skipped: #6e7781; --up: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #8d96a0; --line: #30363d;
  --bar: #4493f8; --clean: #3fb950; --conflicts: #d29922; --failed: #f85149; --skipped: #8d96a0; --up: #4493f8; } }
body { font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1 { margin-top: 0; } .meta { color: var(--muted); }
.counts { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; }
.counts .n { font-size: 1.6rem; font-weight: 600; display: block; }
.s-clean .n, .badge.s-clean { color: var(--clean); } .s-conflicts .n, .badge.s-conflicts { color: var(--conflicts); }
.s-failed .n, .badge.s-failed { color: var(--failed); } .s-skipped .n, .badge.s-skipped { color: var(--skipped); }
.s-up-to-date .n, .badge.s-up-to-date { color: var(--up); }
.badge { font-weight: 600; white-space: nowrap; }
figure { margin: 1rem 0; } .chart .bar { fill: var(--bar); } .chart text { fill: var(--fg); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: left; color: var(--muted); padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th button { font: inherit; font-weight: 600; background: none; border: 0; color: inherit; cursor: pointer; padding: 0; }
tbody th { font-weight: normal; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
h3 code { font-size: .95em; overflow-wrap: anywhere; }
input[type=search] { font: inherit; padding: .25rem .5rem; min-width: 18rem; }
code { font-family: ui-monospace, monospace; }
@media print { .noprint { display: none; } body { font-size: 11px; } main { max-width: none; } }
";

/// Sorting and filtering; the page reads the same without it.
const SCRIPT: &str = r"
(function () {
  var table = document.getElementById('repos');
  if (!table) return;
  var body = table.tBodies[0];
  var filter = document.getElementById('filter');
  if (filter) filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    Array.prototype.forEach.call(body.rows, function (row) {
      row.hidden = q !== '' && row.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var button = th.querySelector('button');
    button.addEventListener('click', function () {
      var col = Number(button.dataset.col);
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.key, y = b.cells[col].dataset.key;
        return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}<p class=\"meta\">Generated by scaffold {}.</p>\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        xml(title),
        env!("CARGO_PKG_VERSION")
    )
}
