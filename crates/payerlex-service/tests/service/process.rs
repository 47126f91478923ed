//! The `payerlex-serve` binary as an operator runs it: a restart on the same `--state` file
//! loses nothing, SIGHUP reloads (and a broken pack leaves the running one in force),
//! SIGTERM lets a request in flight finish, and `export-log` writes the log for replay.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;
use serde_json::Value;

const B20: &str = "medicare.3d-rendering/component-billed-by-another-provider";

struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(policies: &Path, state: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_payerlex-serve"))
            .args(["--addr", "127.0.0.1:0", "--policies"])
            .arg(policies)
            .arg("--state")
            .arg(state)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (sender, receiver) = std::sync::mpsc::channel();
        let lines = BufReader::new(child.stderr.take().unwrap());
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in lines.lines() {
                let line = line.unwrap_or_default();
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap().to_owned();
                    let _ = sender.send(addr);
                }
                sink.lock().unwrap().push(line);
            }
        });
        let addr = receiver
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("the service did not start: {:?}", stderr.lock().unwrap()));
        Self {
            child,
            addr: addr.parse().unwrap(),
            stderr,
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// SIGTERM, then the exit status (within 30 s).
    fn stop(mut self) -> std::process::ExitStatus {
        self.signal("TERM");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the service did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn logged(&self, text: &str) -> bool {
        self.stderr.lock().unwrap().iter().any(|l| l.contains(text))
    }

    /// One request on its own connection: status and body.
    fn request(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let body = if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            dechunk(body)
        } else {
            body.to_owned()
        };
        (status, body)
    }

    fn check(&self, claim: &str) -> Value {
        let (status, body) = self.request("POST", "/v1/check", claim);
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    fn generation(&self) -> u64 {
        let (_, body) = self.request("GET", "/v1/packs", "");
        serde_json::from_str::<Value>(&body).unwrap()["generation"]
            .as_u64()
            .unwrap()
    }
}

impl Drop for Server {
    /// A test that fails midway does not leave its server running.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, rest) = body.split_once("\r\n").unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
}

fn export(state: &Path, masked: bool) -> Vec<Value> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_payerlex-serve"));
    command.args(["export-log", "--state"]).arg(state);
    if masked {
        command.arg("--masked");
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_restart_on_the_same_state_file_keeps_history_and_the_decision_log() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");

    let first = Server::start(&policies_dir(), &state);
    first.check(&example_claim("M-hosp-facility"));
    first.check(&example_claim("M-hosp-radiologist"));
    assert!(first.stop().success());

    let second = Server::start(&policies_dir(), &state);
    let decision = second.check(&example_claim("M-hosp-second-reader"));
    assert!(
        rules(&decision).contains(&B20.to_owned()),
        "history lost: {decision}"
    );
    assert!(second.stop().success());

    let log = export(&state, false);
    let claims: Vec<&str> = log
        .iter()
        .map(|r| r["claim"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        claims,
        [
            "M-hosp-facility",
            "M-hosp-radiologist",
            "M-hosp-second-reader"
        ]
    );
    assert_eq!(log[2]["decision"]["id"], decision["id"]);
    assert_eq!(log[2]["history"].as_array().unwrap().len(), 4);
    let masked = export(&state, true);
    assert_eq!(masked.len(), 3);
    assert!(masked[2]["claim"]["patient"]
        .as_str()
        .unwrap()
        .starts_with("p-"));
    assert_eq!(masked[0]["claim"]["patient"], masked[2]["claim"]["patient"]);

    // Control: on a new state file the same claim has no history to be denied for.
    let fresh = Server::start(&policies_dir(), &dir.path().join("fresh.db"));
    let decision = fresh.check(&example_claim("M-hosp-second-reader"));
    assert!(!rules(&decision).contains(&B20.to_owned()), "{decision}");
    assert!(fresh.stop().success());
}

#[test]
fn sighup_reloads_and_a_broken_pack_leaves_the_running_one_in_force() {
    let policies = policies_copy();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(policies.path(), &dir.path().join("state.db"));
    assert_eq!(server.generation(), 1);

    set_version(policies.path(), "medicare", "2026.1.0", "2026.1.1");
    server.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.generation() != 2 {
        assert!(Instant::now() < deadline, "SIGHUP did not reload");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        server.check(&example_claim("M-cta"))["policy"]["version"],
        "2026.1.1"
    );

    break_policy(policies.path(), "medicare", "3d-rendering.policy");
    server.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server.logged("reload failed") {
        assert!(Instant::now() < deadline, "no word of the failed reload");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(server.logged("3d-rendering.policy"));
    assert_eq!(server.generation(), 2);
    assert_eq!(server.check(&example_claim("M-cta"))["outcome"], "deny");
    assert!(server.stop().success());
}

#[test]
fn sigterm_lets_a_batch_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&policies_dir(), &dir.path().join("state.db"));
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let chunk = |text: &str| format!("{:x}\r\n{text}\r\n", text.len());
    write!(
        stream,
        "POST /v1/check/batch HTTP/1.1\r\nHost: test\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n{}",
        chunk(&(example_claim("M-cta") + "\n"))
    )
    .unwrap();
    // Wait for the first decision.
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&received).contains("\"claim\":\"M-cta\"") {
        let n = stream.read(&mut buffer).unwrap();
        assert!(n > 0, "connection closed early");
        received.extend_from_slice(&buffer[..n]);
    }
    let status = {
        server.signal("TERM");
        std::thread::sleep(Duration::from_millis(300));
        // The request in flight goes on: send its second record and end it.
        write!(
            stream,
            "{}0\r\n\r\n",
            chunk(&(example_claim("M-lone") + "\n"))
        )
        .unwrap();
        stream.read_to_end(&mut received).unwrap();
        let mut server = server;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the service did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let text = String::from_utf8_lossy(&received);
    assert!(
        text.contains("\"claim\":\"M-lone\""),
        "the batch was cut: {text}"
    );
    assert!(status.success());
}
