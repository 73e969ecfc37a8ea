//! The transport around the schema: WebSocket settings and per-operation contexts, the
//! refusal codes of `connection_init`, the operator's error messages, the migration check
//! of `serve`, and what is logged. Most tests run the `concord` binary itself.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_concord");

/// A `concord` process with a clean environment: only `PATH` and `envs`.
fn command(args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in envs {
        command.env(k, v);
    }
    command
}

/// Runs a command that must end by itself; kills it (and fails) if it is still running
/// after a minute, so a server that should have refused to start cannot hang the suite.
fn run_to_exit(args: &[&str], envs: &[(&str, &str)]) -> (bool, String) {
    let mut child = command(args, envs)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn concord");
    let stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("concord {args:?} did not exit");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (status.success(), reader.join().expect("stderr reader"))
}

/// A temporary folder, removed when the test ends.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(prefix: &str) -> Self {
        let path = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self(path)
    }

    fn sqlite_url(&self, file: &str) -> String {
        format!("sqlite://{}?mode=rwc", self.0.join(file).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Operator commands print the cause of a failure, never a bare "internal error", and never
/// the database password.
#[test]
fn operator_commands_print_the_cause_of_a_failure_and_no_secret() {
    let dir = TempDir::new("concord-cli-errors");

    // A database without the tables: the cause is SQLite's own message.
    let empty = dir.sqlite_url("empty.db");
    let (ok, stderr) = run_to_exit(
        &[
            "agency", "add", "--code", "ops", "--name", "Ops", "--kind", "other",
        ],
        &[("CONCORD_DATABASE_URL", empty.as_str())],
    );
    assert!(!ok);
    assert!(stderr.contains("adding agency ops"), "{stderr}");
    assert!(stderr.contains("no such table: agencies"), "{stderr}");

    // An agency code already present.
    let db = dir.sqlite_url("ops.db");
    let env = [("CONCORD_DATABASE_URL", db.as_str())];
    assert!(run_to_exit(&["migrate"], &env).0);
    let add = [
        "agency", "add", "--code", "ops", "--name", "Ops", "--kind", "other",
    ];
    assert!(run_to_exit(&add, &env).0);
    let (ok, stderr) = run_to_exit(&add, &env);
    assert!(!ok);
    assert!(stderr.contains("adding agency ops"), "{stderr}");
    assert!(stderr.contains("code"), "{stderr}");

    // A database that cannot be opened.
    let missing = format!(
        "sqlite://{}?mode=rwc",
        dir.0.join("no-such-folder/c.db").display()
    );
    let (ok, stderr) = run_to_exit(&["migrate"], &[("CONCORD_DATABASE_URL", missing.as_str())]);
    assert!(!ok);
    assert!(stderr.contains("connecting to the database"), "{stderr}");
    assert!(stderr.contains("unable to open database file"), "{stderr}");

    // A URL no driver accepts: the message quotes it, without its password.
    let secret_url = "nosuchdb://operator:hunter2-not-for-logs@db.invalid/concord";
    let (ok, stderr) = run_to_exit(&["migrate"], &[("CONCORD_DATABASE_URL", secret_url)]);
    assert!(!ok);
    assert!(stderr.contains("no supporting driver"), "{stderr}");
    assert!(!stderr.contains("hunter2-not-for-logs"), "{stderr}");
    assert!(stderr.contains("operator:***@db.invalid"), "{stderr}");
}
