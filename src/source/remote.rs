//! Remote source URLs, parsed and normalised with a real URL parser, so that
//! what is fetched, what is recorded in the lock and what the trust check
//! compares are one and the same string.
//!
//! A hand-written split on `@` and `/` judged
//! `http://127.0.0.1:8080?@trusted.example/x` to be on `trusted.example`
//! while git fetched it from 127.0.0.1, and let `.../platform/../evil` match
//! a `.../platform/*` rule. Here the `url` crate (WHATWG parsing) decides
//! scheme, host, port and path; dot segments are resolved; queries and
//! fragments are refused; credentials are taken out of the URL and handed
//! to git for one call (never written anywhere). Git's scp-like form
//! `git@host:org/repo.git` is read as `ssh://git@host/org/repo.git`.

use std::path::{Component, Path, PathBuf};

use url::Url;

pub use crate::git::Credentials;

/// The transports a source may use. `ext::` and the like are never accepted.
const SCHEMES: [&str; 5] = ["https", "http", "ssh", "git", "file"];

/// A remote source, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteUrl {
    /// What git fetches and the lock records: no credentials, no query, no
    /// dot segments, lowercase scheme and host, no default port.
    pub clean: String,
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
    /// The path, starting with `/`, percent-encoded as the parser leaves it.
    pub path: String,
    /// Credentials found in the URL (http and https only; an ssh user name
    /// is not a secret and stays in `clean`).
    pub credentials: Option<Credentials>,
}

/// Whether `raw` is written as a URL (or git's scp-like `user@host:path`).
pub fn looks_like_url(raw: &str) -> bool {
    raw.contains("://") || scp_like(raw).is_some() || raw.contains("::")
}

/// `user@host:path` (git's scp-like syntax) as `ssh://user@host/path`.
fn scp_like(raw: &str) -> Option<String> {
    let (authority, path) = raw.split_once(':')?;
    if authority.contains('/') || !authority.contains('@') || path.starts_with("//") {
        return None;
    }
    let path = path.trim_start_matches('/');
    Some(format!("ssh://{authority}/{path}"))
}

/// Parses and normalises a remote source URL, or says why it cannot be one.
pub fn parse(raw: &str) -> Result<RemoteUrl, String> {
    if raw.starts_with('-') {
        return Err("starts with `-`, which git would read as an option".into());
    }
    if raw.chars().any(|c| c.is_control() || c == ' ') {
        return Err("contains spaces or control characters".into());
    }
    let text = scp_like(raw).unwrap_or_else(|| raw.to_string());
    if has_dot_segments(&text) {
        return Err("has `.` or `..` path segments; write the path they stand for".into());
    }
    let mut url = Url::parse(&text).map_err(|e| format!("is not a valid URL: {e}"))?;
    let scheme = url.scheme().to_ascii_lowercase();
    if !SCHEMES.contains(&scheme.as_str()) {
        return Err(format!(
            "uses the `{scheme}` transport; sources are fetched over {} only",
            SCHEMES.join(", ")
        ));
    }
    if url.query().is_some() {
        return Err("has a query (`?…`), which a git source never needs".into());
    }
    if url.fragment().is_some() {
        return Err("has a fragment (`#…`) that is not a golden-path name".into());
    }
    if url.cannot_be_a_base() {
        return Err("has no host and path".into());
    }
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if host.is_empty() && scheme != "file" {
        return Err("has no host".into());
    }
    if scheme == "file" && !(host.is_empty() || host == "localhost") {
        return Err(
            "names a host; a file:// URL names a path on this machine (file:///path)".into(),
        );
    }
    if raw.contains('|') {
        return Err("contains `|`".into());
    }
    let host_ok = host.starts_with('[')
        || (host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
            && !host.starts_with(['-', '.']));
    if !host.is_empty() && !host_ok {
        return Err(format!(
            "has `{host}` as its host, which is not a host name"
        ));
    }
    let path = normalise_path(url.path())?;
    let credentials = match scheme.as_str() {
        "http" | "https" if !url.username().is_empty() || url.password().is_some() => {
            Some(Credentials {
                username: percent_decode(url.username()),
                password: url.password().map(percent_decode).unwrap_or_default(),
            })
        }
        _ => None,
    };
    if credentials.is_some() || url.password().is_some() {
        let _ = url.set_password(None);
        if scheme == "http" || scheme == "https" {
            let _ = url.set_username("");
        }
    }
    let default_port = match scheme.as_str() {
        "ssh" => Some(22),
        "git" => Some(9418),
        _ => url.port_or_known_default().filter(|_| url.port().is_none()),
    };
    let port = url.port().filter(|p| Some(*p) != default_port);
    let user = match url.username() {
        "" => String::new(),
        u => format!("{u}@"),
    };
    let authority = match port {
        Some(p) => format!("{user}{host}:{p}"),
        None => format!("{user}{host}"),
    };
    let clean = format!("{scheme}://{authority}{path}");
    Ok(RemoteUrl {
        clean,
        scheme,
        host,
        port,
        path,
        credentials,
    })
}

/// Whether the path of `url` has `.` or `..` segments (percent-encoded too).
fn has_dot_segments(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme
        .replace('\\', "/")
        .split('/')
        .skip(1)
        .any(|seg| {
            matches!(
                seg.to_ascii_lowercase().as_str(),
                "." | ".." | "%2e" | ".%2e" | "%2e." | "%2e%2e"
            )
        })
}

/// Dot segments resolved (the parser already did for most schemes; this
/// also covers the rest), never above the root.
fn normalise_path(path: &str) -> Result<String, String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part.to_ascii_lowercase().as_str() {
            "" | "." | "%2e" => {}
            ".." | ".%2e" | "%2e." | "%2e%2e" => {
                if parts.pop().is_none() {
                    return Err("has a path that climbs above the root".into());
                }
            }
            _ => parts.push(part),
        }
    }
    let trailing = path.ends_with('/') && !parts.is_empty();
    Ok(format!(
        "/{}{}",
        parts.join("/"),
        if trailing { "/" } else { "" }
    ))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl RemoteUrl {
    /// The local path a `file://` URL names (its path, percent-decoded).
    pub fn file_path(&self) -> PathBuf {
        PathBuf::from(percent_decode(&self.path))
    }
}

/// `raw` with any credentials masked, for messages about a URL that did not parse.
pub fn redact_url(raw: &str) -> String {
    match parse(raw) {
        Ok(url) => url.clean,
        Err(_) => match raw.split_once("://") {
            Some((scheme, rest)) => {
                let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
                match authority.rsplit_once('@') {
                    Some((_, host)) => format!("{scheme}://***@{host}/{path}"),
                    None => raw.to_string(),
                }
            }
            None => raw.to_string(),
        },
    }
}

/// A local path made absolute and free of `.` and `..` (resolving links
/// where the path exists), so two spellings of one folder compare equal.
pub fn normalise_local(path: &Path) -> PathBuf {
    if let Ok(real) = fs_err::canonicalize(path) {
        return real;
    }
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// One entry of `trusted` (or of a fleet's allowed sources): a source, or a
/// prefix of sources when it ends in `*`. URLs compare by scheme, host, port
/// and normalised path; local paths by their normalised form.
#[derive(Debug, Clone)]
pub enum SourcePattern {
    Builtin(String),
    Remote { url: RemoteUrl, prefix: bool },
    Local { path: String, prefix: bool },
}

impl SourcePattern {
    pub fn parse(raw: &str) -> Result<SourcePattern, String> {
        let (body, prefix) = match raw.strip_suffix('*') {
            Some(b) => (b, true),
            None => (raw, false),
        };
        if let Some(name) = body.strip_prefix("builtin:") {
            return Ok(SourcePattern::Builtin(format!("builtin:{name}")));
        }
        if looks_like_url(body) {
            let url = parse(body)?;
            if url.scheme == "file" {
                return Ok(SourcePattern::Local {
                    path: normalise_local(Path::new(&percent_decode(&url.path)))
                        .display()
                        .to_string(),
                    prefix,
                });
            }
            return Ok(SourcePattern::Remote { url, prefix });
        }
        let mut path = normalise_local(Path::new(body)).display().to_string();
        if prefix && body.ends_with('/') && !path.ends_with('/') {
            path.push('/');
        }
        Ok(SourcePattern::Local { path, prefix })
    }

    /// Whether the recorded source `source` (as `Origin::source` and the
    /// lock hold it, possibly with `#NAME`) is covered by this pattern.
    pub fn matches(&self, source: &str) -> bool {
        let location = match source.rsplit_once('#') {
            Some((loc, name)) if !name.contains('/') => loc,
            _ => source,
        };
        match self {
            SourcePattern::Builtin(name) => source == name,
            SourcePattern::Remote { url, prefix } => {
                let Ok(candidate) = parse(location) else {
                    return false;
                };
                if candidate.scheme != url.scheme
                    || candidate.host != url.host
                    || candidate.port != url.port
                {
                    return false;
                }
                if *prefix {
                    candidate.path.starts_with(&url.path)
                } else {
                    candidate.path == url.path || source == url.clean
                }
            }
            SourcePattern::Local { path, prefix } => {
                if location.starts_with("builtin:") {
                    return false;
                }
                let candidate = if looks_like_url(location) {
                    match parse(location) {
                        Ok(u) if u.scheme == "file" => {
                            normalise_local(Path::new(&percent_decode(&u.path)))
                        }
                        _ => return false,
                    }
                } else {
                    normalise_local(Path::new(location))
                };
                let candidate = candidate.display().to_string();
                if *prefix {
                    candidate.starts_with(path.as_str())
                } else {
                    candidate == *path || source == path
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_what_git_fetches() {
        let u = parse("HTTPS://Bob:s3cr%40t@Git.Example.com:443/platform/paths.git").unwrap();
        assert_eq!(u.clean, "https://git.example.com/platform/paths.git");
        assert_eq!(
            u.credentials,
            Some(Credentials {
                username: "Bob".into(),
                password: "s3cr@t".into()
            })
        );
        assert!(
            !format!("{u:?}").contains("s3cr"),
            "Debug never shows credentials"
        );
        let scp = parse("git@github.com:org/repo.git").unwrap();
        assert_eq!(scp.clean, "ssh://git@github.com/org/repo.git");
        assert_eq!(scp.credentials, None);
        assert_eq!(
            parse("ssh://git@host:22/x.git").unwrap().clean,
            "ssh://git@host/x.git"
        );
        assert_eq!(parse("http://h:8080/x").unwrap().clean, "http://h:8080/x");
        assert_eq!(
            parse("file:///srv/paths").unwrap().clean,
            "file:///srv/paths"
        );
    }

    #[test]
    fn refuses_what_could_fool_a_reader() {
        for (bad, why) in [
            ("http://127.0.0.1:9?@trusted.example/platform/x", "query"),
            ("ext::sh -c touch% /tmp/pwned", "spaces"),
            ("ext::sh", "transport"),
            ("https://host/a#frag", "fragment"),
            ("-uhttps://x", "option"),
            ("https://host/../../x", "segments"),
            ("https://host/platform/%2E%2e/evil", "segments"),
            ("ftp://host/x", "transport"),
            ("ssh://./x", "not a host name"),
            ("file://z\\//z|", "names a host"),
            ("file:///z|/x", "`|`"),
            ("ssh://-oProxyCommand=x/y", "not a host name"),
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
        // A backslash is a path separator to the URL parser; git is given the
        // parser's reading, so both agree on the host.
        let u = parse("https://evil.example\\@trusted.example/platform/x").unwrap();
        assert_eq!(u.host, "evil.example");
    }

    #[test]
    fn trust_patterns_compare_normalised_urls() {
        let p = SourcePattern::parse("https://git.example.com/platform/*").unwrap();
        assert!(p.matches("https://git.example.com/platform/paths.git#java-service"));
        assert!(p.matches("https://GIT.example.com:443/platform/paths.git"));
        assert!(!p.matches("https://git.example.com/platform/../evil/repo.git"));
        assert!(!p.matches("https://git.example.com/platformer/x.git"));
        assert!(
            !p.matches("http://git.example.com/platform/x.git"),
            "scheme"
        );
        assert!(
            !p.matches("https://git.example.com:8443/platform/x.git"),
            "port"
        );
        assert!(!p.matches("http://127.0.0.1:9?@git.example.com/platform/x"));
        assert!(!p.matches("https://git.example.com.evil.io/platform/x"));
        let exact = SourcePattern::parse("https://h/a.git").unwrap();
        assert!(exact.matches("https://h/a.git"));
        assert!(!exact.matches("https://h/a.git.evil"));
        let local = SourcePattern::parse("/srv/paths/*").unwrap();
        assert!(local.matches("/srv/paths/java-service"));
        assert!(!local.matches("/srv/paths/../secret/x"));
        assert!(!local.matches("/srv/pathsx/y"));
        assert!(local.matches("file:///srv/paths/x"));
    }
}
