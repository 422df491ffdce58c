//! What the CLI writes, and where: colour decided per stream, a closed pipe
//! ending quietly, tables measured in characters, files honouring the umask,
//! and one `--json` shape for success and failure.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use assert_cmd::cargo::cargo_bin;

use crate::support::{repo_with_published_svc, Scaffold};

/// `program` with `$S` the scaffold binary, a colour terminal's environment
/// and `home` as home and working folder.
fn in_home(program: &str, home: &std::path::Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env("S", cargo_bin("scaffold"))
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .current_dir(home);
    cmd
}

/// Runs `shell` under a pseudo-terminal, so stdout and stderr are terminals
/// unless `shell` redirects them.
fn under_terminal(home: &std::path::Path, shell: &str) -> String {
    let out = in_home("script", home)
        .args(["-qec", shell, "/dev/null"])
        .output()
        .expect("script(1) from util-linux runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_is_decided_per_stream() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    fs::create_dir_all(home.join("config")).unwrap();

    // stdout a file, stderr the terminal: the file gets plain text.
    under_terminal(home, "\"$S\" show java-service > card.txt");
    let card = fs::read_to_string(home.join("card.txt")).unwrap();
    assert!(card.contains("Questions"), "{card}");
    assert!(!card.contains('\x1b'), "escape codes in a file: {card:?}");

    // Both on the terminal: headings are bold.
    let screen = under_terminal(home, "\"$S\" show java-service");
    assert!(screen.contains("\x1b[1mQuestions"), "{screen:?}");

    // NO_COLOR and TERM=dumb switch it off on a terminal too.
    let screen = under_terminal(home, "NO_COLOR=1 \"$S\" show java-service");
    assert!(!screen.contains('\x1b'), "{screen:?}");
    let screen = under_terminal(home, "TERM=dumb \"$S\" show java-service");
    assert!(!screen.contains('\x1b'), "{screen:?}");
    // ...on a CI runner too, where anstream alone would paint a dumb terminal.
    let screen = under_terminal(home, "CI=true TERM=dumb \"$S\" show java-service");
    assert!(!screen.contains('\x1b'), "{screen:?}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // The reader is gone before scaffold writes: every write fails with EPIPE.
    let out = Command::new("bash")
        .args([
            "-c",
            "exec 3>&1; { sleep 0.3; \"$S\" schema; echo \"status=$?\" >&3; } | true",
        ])
        .env("S", cargo_bin("scaffold"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stdout, "status=0\n", "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn tables_cut_long_cells_at_characters_not_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repo_with_published_svc(tmp.path(), "published");
    let manifest = repo.join("svc/golden-path.toml");
    // "validator true x" is 16 bytes, so a cut at byte 69 lands inside an é.
    let command = format!("true x{}", "é".repeat(80));
    let text = fs::read_to_string(&manifest).unwrap().replace(
        "validators = [\"grep -q '^log_level: ' config.yaml\"]",
        &format!("validators = [\"{command}\"]"),
    );
    fs::write(&manifest, text).unwrap();
    let (table, stderr) = Scaffold::in_tmp(tmp.path())
        .args(["test", &repo.join("svc").to_string_lossy()])
        .args(["--filter", "defaults"])
        .expect_code(0);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let row = table
        .lines()
        .find(|l| l.contains("validator true x"))
        .unwrap_or_else(|| panic!("no validator row in\n{table}"));
    assert!(row.contains("é…  ok"), "{row}");
    let cell = row.trim_start_matches("defaults").trim_start();
    assert_eq!(
        cell.split("  ").next().unwrap().chars().count(),
        70,
        "{row}"
    );
}

#[test]
fn written_documents_honour_the_umask() {
    let tmp = tempfile::tempdir().unwrap();
    for (umask, mode) in [("022", 0o644), ("002", 0o664)] {
        let file = tmp.path().join(format!("template-{umask}.yaml"));
        let out = Command::new("sh")
            .args([
                "-c",
                &format!("umask {umask}; exec \"$S\" export backstage java-service -o \"$F\""),
            ])
            .env("S", cargo_bin("scaffold"))
            .env("F", &file)
            .env("HOME", tmp.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let got = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(got, mode, "umask {umask}");
    }
}

#[test]
fn json_has_one_shape_for_success_and_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let (stdout, _) = Scaffold::new(&home)
        .args(["show", "java-service", "--json"])
        .expect_code(0);
    let shown: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(shown["ok"], true);
    assert_eq!(shown["name"], "java-service");

    // Any error, bad input or not, is {ok: false, problems: [{file, line, field, message, hint}]}.
    for args in [
        vec!["check", "/nonexistent", "--json"],
        vec!["show", "no-such-golden-path", "--json"],
    ] {
        let (stdout, _) = Scaffold::new(&home).args(&args).expect_code(2);
        let failed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(failed["ok"], false, "{args:?}");
        let problem = failed["problems"][0].as_object().unwrap();
        let keys: Vec<&str> = problem.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["file", "line", "field", "message", "hint"],
            "{args:?}"
        );
        assert!(!problem["message"].as_str().unwrap().is_empty());
    }
}

/// On a terminal: a refused answer is never shown as accepted, a question
/// with one choice is not asked, multi-select says how to toggle, and a
/// summary with a confirmation comes before anything is written.
#[test]
fn prompts_refuse_inline_skip_single_choices_and_confirm_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    fs::create_dir_all(home.join("config")).unwrap();
    let gp = home.join("gp");
    fs::create_dir_all(gp.join("template")).unwrap();
    fs::write(
        gp.join("golden-path.toml"),
        "name = \"tiny\"\nversion = \"1.0.0\"\n\n[variables.name]\nprompt = \"Project name\"\nregex = \"[a-z]+\"\nerror = \"lowercase letters only\"\n\n[variables.language]\ntype = \"choice\"\nchoices = [\"java\"]\n\n[variables.extras]\ntype = \"multi-choice\"\nchoices = [\"tracing\", \"docs\"]\ndefault = []\n",
    )
    .unwrap();
    fs::write(
        gp.join("template/README.md"),
        "{{ name }} {{ language }} {{ extras | join(sep=',') }}\n",
    )
    .unwrap();
    let screen = typed(
        home,
        &["Bad Name", "demo", "", "n"],
        "new gp declined --no-git",
    );
    assert!(screen.contains("lowercase letters only"), "{screen}");
    assert!(
        !screen.contains("Project name · Bad Name"),
        "shown as accepted:\n{screen}"
    );
    assert!(
        !screen.contains("? language"),
        "one choice is no question:\n{screen}"
    );
    assert!(
        screen.contains("  language  java"),
        "but is in the summary:\n{screen}"
    );
    assert!(screen.contains("space toggles"), "{screen}");
    assert!(
        screen.contains("About to render tiny 1.0.0") && screen.contains("Write it?"),
        "{screen}"
    );
    assert!(screen.contains("cancelled at the confirmation"), "{screen}");
    assert!(
        !home.join("declined").exists(),
        "nothing written when declined"
    );

    let screen = typed(home, &["demo", ""], "new gp made --no-git --yes");
    assert!(
        !screen.contains("Write it?"),
        "--yes skips the confirmation:\n{screen}"
    );
    assert_eq!(
        fs::read_to_string(home.join("made/README.md")).unwrap(),
        "demo java \n"
    );
}

/// Types `keys` (each followed by Enter, half a second apart) into
/// `scaffold ARGS` running on a pseudo-terminal; returns the screen, plain.
fn typed(home: &std::path::Path, keys: &[&str], args: &str) -> String {
    let typing: String = keys
        .iter()
        .map(|k| format!("printf '%s\\r' '{k}'; sleep 0.5; "))
        .collect();
    let shell = format!("(sleep 1; {typing}sleep 1) | script -qec '\"$S\" {args}' /dev/null");
    let out = in_home("bash", home)
        .args(["-c", &shell])
        .output()
        .expect("bash and script(1) run");
    let text = String::from_utf8_lossy(&out.stdout);
    anstream::adapter::strip_str(&text).to_string()
}
