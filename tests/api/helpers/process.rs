//! The `concord` binary as an operator runs it: one-off commands, and `serve` processes
//! that report the address they bound.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// `concord` with `args`, in an environment of `PATH` and `envs` only.
pub fn command(args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_concord"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (key, value) in envs {
        command.env(key, value);
    }
    command
}

/// Runs a one-off `concord` command to its end.
pub fn run(args: &[&str], envs: &[(&str, &str)]) -> Output {
    command(args, envs).output().expect("run concord")
}

/// A running `concord serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// The `host:port` it listens on.
    pub addr: String,
}

impl Server {
    /// Starts `concord serve` with `envs` and waits up to 30 s for it to log its address.
    pub fn start(envs: &[(&str, &str)]) -> Self {
        let mut child = command(&["serve"], envs)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn concord serve");
        let stderr = child.stderr.take().expect("stderr");
        let (lines_tx, lines_rx) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = lines_tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut log = Vec::new();
        while Instant::now() < deadline {
            if let Ok(line) = lines_rx.recv_timeout(Duration::from_millis(200)) {
                if let Ok(entry) = serde_json::from_str::<Value>(&line)
                    && let Some(addr) = entry["fields"]["addr"].as_str()
                {
                    return Self {
                        child,
                        addr: addr.to_owned(),
                    };
                }
                log.push(line);
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("concord serve did not report its address: {log:?}");
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// How the process ended, if it does within `wait`.
    pub fn exit_within(&mut self, wait: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
