//! The `concord` binary as an operator runs it: one-off commands, and `serve` processes
//! that report the address they bound.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::Receiver;
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

/// Runs a command that must end by itself, reading its standard error; kills it (and
/// fails the test) if it is still running after a minute, so a server that should have
/// refused to start cannot hang the suite. Returns whether it succeeded, and its stderr.
pub fn run_to_exit(args: &[&str], envs: &[(&str, &str)]) -> (bool, String) {
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

/// A running `concord serve`, killed when dropped; it keeps what the server logged.
pub struct Server {
    child: Child,
    /// The `host:port` it listens on.
    pub addr: String,
    lines: Receiver<String>,
    log: Vec<String>,
}

impl Server {
    /// Starts `concord serve` with `envs` and waits for it to log its address.
    pub fn start(envs: &[(&str, &str)]) -> Self {
        Self::spawn(command(&["serve"], envs))
    }

    /// Spawns `command` (a `concord` that serves) and waits up to a minute for the line
    /// with the address it bound.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn concord serve");
        let stderr = child.stderr.take().expect("stderr");
        let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = lines_tx.send(line);
            }
        });
        let mut server = Self {
            child,
            addr: String::new(),
            lines,
            log: Vec::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while server.addr.is_empty() && Instant::now() < deadline {
            if let Ok(line) = server.lines.recv_timeout(Duration::from_millis(200)) {
                if let Ok(entry) = serde_json::from_str::<Value>(&line)
                    && let Some(addr) = entry["fields"]["addr"].as_str()
                {
                    server.addr = addr.to_owned();
                }
                server.log.push(line);
            }
        }
        assert!(
            !server.addr.is_empty(),
            "concord serve did not report its address: {:?}",
            server.log
        );
        server
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `http://host:port{path}`.
    pub fn http(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The WebSocket address of `/graphql`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}/graphql", self.addr)
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

    /// The first log line whose JSON satisfies `wanted`, among those already read (start-up
    /// included) or, waiting up to `wait`, those still to come; every line read is kept for
    /// [`Server::stop`].
    pub fn wait_for_log(
        &mut self,
        wait: Duration,
        wanted: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        let seen = self
            .log
            .iter()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|entry| wanted(entry));
        if seen.is_some() {
            return seen;
        }
        let deadline = Instant::now() + wait;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let line = match self
                .lines
                .recv_timeout(left.min(Duration::from_millis(200)))
            {
                Ok(line) => line,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
                // The server has exited: no more lines will come.
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let entry = serde_json::from_str::<Value>(&line).ok();
            self.log.push(line);
            if let Some(entry) = entry.filter(|entry| wanted(entry)) {
                return Some(entry);
            }
        }
        None
    }

    /// Stops the server with SIGTERM and returns every line it logged, parsed as JSON.
    pub fn stop(mut self) -> Vec<Value> {
        let term = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(term.success());
        assert!(
            self.exit_within(Duration::from_secs(30)).is_some(),
            "serve did not stop"
        );
        // The reader thread ends at end of file, which closes the channel.
        let rest: Vec<String> = self.lines.iter().collect();
        self.log.extend(rest);
        self.log
            .iter()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON log line: {line}"))
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
