//! The service under test, run as its own process on a loopback port, and the HTTP client
//! the load test talks to it with (hyper, keep-alive connections).

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

pub type Http = Client<HttpConnector, Full<Bytes>>;

/// A keep-alive HTTP/1 client.
pub fn client() -> Http {
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(16)
        .build_http()
}

/// Sends a request; status and body.
pub async fn send(
    http: &Http,
    method: &str,
    url: &str,
    body: impl Into<Bytes>,
) -> Result<(u16, Bytes), Box<dyn std::error::Error + Send + Sync>> {
    let request = hyper::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json")
        .body(Full::new(body.into()))?;
    let response = http.request(request).await?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

/// The `payerlex-serve` process.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts the binary on 127.0.0.1 (any free port) and waits until it listens.
    /// Its stderr goes to `log`.
    pub fn start(
        binary: &Path,
        policies: &Path,
        state: &Path,
        extra: &[String],
        log: &Path,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        let mut log = std::fs::File::create(log)?;
        let mut child = Command::new(binary)
            .args(["--addr", "127.0.0.1:0", "--policies"])
            .arg(policies)
            .arg("--state")
            .arg(state)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = writeln!(log, "{line}");
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr = rest
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    let _ = sender.send(addr);
                }
            }
        });
        let addr = match receiver.recv_timeout(Duration::from_secs(120)) {
            Ok(addr) => addr.parse()?,
            Err(_) => {
                let _ = child.kill();
                return Err("payerlex-serve did not start".into());
            }
        };
        Ok(Self { child, addr })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends a signal by name (`HUP`, `TERM`) to the server process.
    pub fn signal(&self, name: &str) -> std::io::Result<()> {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()?;
        if status.success() {
            Ok(())
        } else {
            Err(std::io::Error::other(format!("kill -{name} failed")))
        }
    }

    /// SIGTERM and wait: whether it exited cleanly within 60 s.
    pub fn stop(mut self) -> bool {
        if self.signal("TERM").is_err() {
            return false;
        }
        for _ in 0..600 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
