//! A small fluent builder around the real binary, plus helpers to read trees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The small golden path that exercises every engine feature (binary files, exec bits,
/// excludes, handlebars, templated folder names, tasks): the built-in `java-service`
/// before it became production grade, kept as a folder source.
pub fn engine_example() -> String {
    fixtures()
        .join("engine-example/java-service")
        .to_string_lossy()
        .into_owned()
}

/// A repository of golden paths holding `svc`: `FIXTURE/v1/svc` committed and tagged
/// `svc/v1.0.0` (published), `FIXTURE/v2/svc` in the work tree (the next version).
pub fn repo_with_published_svc(tmp: &Path, fixture: &str) -> PathBuf {
    let repo = tmp.join("paths");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    copy_dir(&fixtures().join(fixture).join("v1/svc"), &repo.join("svc"));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "svc 1.0.0"]);
    git(&repo, &["tag", "svc/v1.0.0"]);
    std::fs::remove_dir_all(repo.join("svc")).unwrap();
    copy_dir(&fixtures().join(fixture).join("v2/svc"), &repo.join("svc"));
    repo
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `scaffold` with an isolated config and cache, and a fixed git identity.
pub struct Scaffold {
    cmd: Command,
}

impl Scaffold {
    pub fn new(home: &Path) -> Self {
        let mut cmd = Command::cargo_bin("scaffold").expect("binary is built");
        cmd.env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env_remove("SCAFFOLD_CONFIG")
            .env_remove("SCAFFOLD_CATALOG")
            .env_remove("SCAFFOLD_CACHE_DIR")
            .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_AUTHOR_NAME")
            .env_remove("GIT_AUTHOR_EMAIL")
            .env("NO_COLOR", "1");
        std::fs::create_dir_all(home).unwrap();
        let gitconfig = "[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n";
        std::fs::write(home.join("gitconfig"), gitconfig).unwrap();
        std::fs::write(home.join(".gitconfig"), gitconfig).unwrap();
        Scaffold { cmd }
    }

    /// [`Scaffold::new`] with its home in `tmp/home`, the usual layout of a test.
    pub fn in_tmp(tmp: &Path) -> Self {
        Self::new(&tmp.join("home"))
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn output(mut self) -> Output {
        self.cmd.output().expect("scaffold runs")
    }

    /// Runs and asserts the exit code, returning (stdout, stderr).
    #[track_caller]
    pub fn expect_code(self, code: i32) -> (String, String) {
        let out = self.output();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(code),
            "exit code\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
        (stdout, stderr)
    }
}

/// Every file under `root` (skipping `.git`), with its bytes and exec bit.
pub fn read_tree(root: &Path) -> BTreeMap<String, (Vec<u8>, bool)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
    {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let exec = entry.metadata().unwrap().permissions().mode() & 0o111 != 0;
            out.insert(rel, (std::fs::read(entry.path()).unwrap(), exec));
        }
    }
    out
}

/// Runs the git CLI in `dir`, asserting success; returns stdout.
#[track_caller]
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Copies a folder recursively, keeping exec bits.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
/// The single-golden-path layout: `FIXTURE/v1/svc` committed at the root of
/// a repository and tagged `v1.0.0`, `FIXTURE/v2/svc` in the work tree.
pub fn repo_with_published_root(tmp: &Path, fixture: &str) -> PathBuf {
    let repo = tmp.join("svc");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    copy_dir(&fixtures().join(fixture).join("v1/svc"), &repo);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "svc 1.0.0"]);
    git(&repo, &["tag", "v1.0.0"]);
    for entry in std::fs::read_dir(&repo).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != ".git" {
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    copy_dir(&fixtures().join(fixture).join("v2/svc"), &repo);
    repo
}

/// Commits one version of a single golden path `svc` at `root` (a git
/// repository, created on first use) and tags it `vVERSION`. `manifest` is
/// what follows the name and version lines; `files` replace `template/`.
pub fn tag_version<P: AsRef<str>, T: AsRef<str>>(
    root: &Path,
    version: &str,
    manifest: &str,
    files: &[(P, T)],
) {
    if !root.join(".git").exists() {
        std::fs::create_dir_all(root).unwrap();
        git(root, &["init", "-q", "-b", "main"]);
    }
    let _ = std::fs::remove_dir_all(root.join("template"));
    std::fs::write(
        root.join("golden-path.toml"),
        format!("name = \"svc\"\nversion = \"{version}\"\n{manifest}"),
    )
    .unwrap();
    for (rel, text) in files {
        let path = root.join("template").join(rel.as_ref());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text.as_ref()).unwrap();
    }
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", version]);
    git(root, &["tag", &format!("v{version}")]);
}

/// `scaffold new SOURCE TMP/repo --version VERSION --defaults -q EXTRA…`; returns the repository.
pub fn generate_at(tmp: &Path, source: &Path, version: &str, extra: &[&str]) -> PathBuf {
    let repo = tmp.join("repo");
    Scaffold::in_tmp(tmp)
        .args([
            "new",
            &source.to_string_lossy(),
            &repo.to_string_lossy(),
            "--version",
            version,
            "--defaults",
            "-q",
        ])
        .args(extra)
        .expect_code(0);
    repo
}

/// What an aborted or failed upgrade must leave as it was: the files, git's
/// view of them, and the pristine ref.
#[derive(Debug, PartialEq)]
pub struct RepoState {
    files: BTreeMap<String, (Vec<u8>, bool)>,
    status: String,
    pristine: String,
}

pub fn snapshot(repo: &Path) -> RepoState {
    RepoState {
        files: read_tree(repo),
        status: git(repo, &["status", "--porcelain"]),
        pristine: git(repo, &["rev-parse", "refs/scaffold/pristine"]),
    }
}

/// A real git smart-HTTP remote (`git http-backend` behind HTTP Basic
/// authentication) on 127.0.0.1, serving the bare repositories under a root;
/// stopped on drop.
pub struct GitHttpServer {
    child: std::process::Child,
    pub port: u16,
    log: PathBuf,
}

impl GitHttpServer {
    pub fn start(root: &Path, user: &str, password: &str) -> GitHttpServer {
        GitHttpServer::start_with(root, user, password, &[])
    }

    /// `start`, with environment for the server (`SLOW_PREFIX`, `SLOW_SECONDS`).
    pub fn start_with(
        root: &Path,
        user: &str,
        password: &str,
        env: &[(&str, &str)],
    ) -> GitHttpServer {
        use std::io::BufRead;
        let log = root.with_extension("requests.log");
        let mut child = std::process::Command::new("python3")
            .envs(env.iter().copied())
            .arg(repo_root().join("tests/support/git_http_server.py"))
            .args([
                root.to_string_lossy().as_ref(),
                user,
                password,
                log.to_string_lossy().as_ref(),
            ])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().expect("the server prints its port");
        GitHttpServer { child, port, log }
    }

    /// How many requests came with the right credentials.
    pub fn authorised_requests(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .map_or(0, |t| t.lines().filter(|l| l.starts_with("ok ")).count())
    }

    /// Every request, served or denied.
    pub fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }
}

impl Drop for GitHttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
