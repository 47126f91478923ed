//! `payerlex serve` (feature `serve`): the main CLI runs the HTTP service of
//! `crates/payerlex-service`, whose own tests cover the routes; this checks the wiring.
//! Run with `cargo test -p payerlex-cli --features serve --test serve_command`.
#![cfg(feature = "serve")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn payerlex_serve_serves_the_packs_and_stops_on_sigterm() {
    let policies = concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies");
    let mut child = Command::new(env!("CARGO_BIN_EXE_payerlex"))
        .args([
            "serve",
            "--memory",
            "--addr",
            "127.0.0.1:0",
            "--policies",
            policies,
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("payerlex serve exited").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    let packs = get(&addr, "/v1/packs");
    assert!(packs.starts_with("HTTP/1.1 200"), "{packs}");
    assert!(packs.contains("\"id\":\"medicare\""), "{packs}");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
}
