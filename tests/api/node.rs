//! The suite's Node side (`tests/browser/` and the tools under `examples/`): a folder's
//! pinned packages installed once per run, Chromium found, and a script started. Missing
//! tools fail the test with how to install them: a test that silently skipped would prove
//! nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, PoisonError};

use serde_json::Value;

/// Held while checking or installing the packages, so parallel tests do not race `npm ci`.
static INSTALL: Mutex<()> = Mutex::new(());

/// `tests/browser`.
pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Installs the pinned packages of `tests/browser` (see [`ensure_packages_in`]).
pub fn ensure_packages() -> PathBuf {
    ensure_packages_in(dir())
}

/// Installs the pinned packages of a folder with `npm ci` unless every one is already there
/// at its pinned version. One install at a time: the tests of this binary share the lock.
pub fn ensure_packages_in(dir: PathBuf) -> PathBuf {
    let _guard = INSTALL.lock().unwrap_or_else(PoisonError::into_inner);
    match Command::new("node").arg("--version").output() {
        Ok(output) if output.status.success() => {}
        _ => panic!(
            "Node.js is needed by the browser, HTTP-audit and example-tool tests: install \
             Node.js 20 or later with npm (Debian: `apt-get install -y nodejs npm`)"
        ),
    }
    if installed(&dir) {
        return dir;
    }
    let status = Command::new("npm")
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => panic!(
            "`npm ci` in {} failed ({status}): the npm registry must be reachable once to install \
             the pinned test packages",
            dir.display()
        ),
        Err(error) => panic!(
            "cannot run npm ({error}): install Node.js 20 or later with npm \
             (Debian: `apt-get install -y nodejs npm`)"
        ),
    }
    assert!(installed(&dir), "`npm ci` left packages missing");
    dir
}

/// Whether each (dev) dependency of `package.json` is in `node_modules` at its pinned
/// version.
fn installed(dir: &Path) -> bool {
    let read = |path: PathBuf| -> Option<Value> {
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    };
    let Some(manifest) = read(dir.join("package.json")) else {
        return false;
    };
    let pinned: Vec<(&String, &Value)> = ["dependencies", "devDependencies"]
        .iter()
        .filter_map(|key| manifest[*key].as_object())
        .flatten()
        .collect();
    !pinned.is_empty()
        && pinned.iter().all(|(name, version)| {
            read(dir.join("node_modules").join(name).join("package.json"))
                .is_some_and(|package| package["version"] == **version)
        })
}

/// The Chromium to drive: `CONCORD_CHROMIUM`, or Debian's `/usr/bin/chromium`.
pub fn chromium() -> PathBuf {
    let path = std::env::var_os("CONCORD_CHROMIUM")
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        path.is_file(),
        "no Chromium at {}: install it (Debian: `apt-get install -y chromium`) or set \
         CONCORD_CHROMIUM to a Chromium or Chrome executable",
        path.display()
    );
    path
}

/// `node <script>` in `tests/browser`, its output piped, killed if the test ends first.
pub fn script(name: &str) -> tokio::process::Command {
    let dir = ensure_packages();
    let mut command = tokio::process::Command::new("node");
    command
        .arg(dir.join(name))
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}
