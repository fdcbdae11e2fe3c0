//! `hocso serve`: a small, safe static file server for previewing the built site.
//!
//! It only answers GET and HEAD, never serves a file outside the output folder (no `..`, no
//! encoded `..`, no backslashes, no symlinks leading out), and never redirects to another host.
//!
//! # Why a guard in front of tiny_http's request reader
//!
//! The preview is often opened from phones on the commune Wi-Fi, so anyone on that network can
//! reach it. tiny_http 0.12's `Server` cannot be made safe for that by configuration: its
//! `ServerConfig` holds only an address and TLS. It starts a thread for every connection with no
//! limit, reads request lines and headers with no size limit and no timeout, and when a handled
//! request is dropped it drains the rest of the announced body on the worker thread
//! (`EqualReader::drop`), blocking that worker for as long as the client likes and panicking
//! (`vec![0; remaining]`, "capacity overflow") on `Content-Length: 18446744073709551615`.
//!
//! So this module accepts connections itself on the public port (`std::net::TcpListener`) and
//! reads each request under hard limits before anything else sees it:
//!
//! - at most `MAX_CONNECTIONS` connections, one thread each; beyond that a single thread
//!   answers 503 with `Retry-After` (non-blocking, so a flood costs one thread, not thousands);
//! - a whole request head within `READ_TIMEOUT` and `HEAD_LIMIT` bytes (else 408 / 431),
//!   which also ends idle keep-alive connections;
//! - no chunked bodies (411), `Content-Length` checked as digits and consistent (400), at most
//!   `BODY_LIMIT` bytes (413), read and dropped within `READ_TIMEOUT` (else 408);
//! - at most `MAX_LONG_POLLS` live-reload polls waiting (503 beyond, the script retries);
//! - a write timeout, so a client that stops reading gives its thread back.
//!
//! A request that passes is parsed into tiny_http's own `Method`, `Header` and `HTTPVersion`, and
//! answered with tiny_http's `Response` writer (`raw_print`: status line, `Date`, lengths). We do
//! not hand the connection on to a tiny_http `Server` behind a loopback proxy: that would double
//! the sockets and threads per client, and anyone on the machine could reach the inner port
//! directly and skip every limit.
//!
//! A panic while answering ends only that connection's thread (its connection slot is given back
//! on unwind). If the accepting thread itself ends, [`Running::wait`] says why and the command
//! exits non-zero.
//!
//! # Layout
//!
//! - `http`: the limits above, accepting connections, reading request heads, writing answers;
//! - `live`: the live-reload state ([`Live`]), its long-poll and the script added to pages;
//! - `files`: what a path answers: a file of the output (or its precompressed copy), a folder's
//!   redirect, the 404.
//!
//! This module starts the server and routes each request to `live` or `files`.

mod files;
mod http;
mod live;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::pipeline::precompress;

pub use live::Live;

/// Why the server could not start, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Bind(String),
    /// The thread accepting connections ended; nothing would answer any more.
    #[error("{0}")]
    Died(String),
}

/// A running server.
pub struct Running {
    accept: JoinHandle<Result<(), String>>,
    stop: Arc<AtomicBool>,
    /// The address it listens on (useful when the port was 0).
    pub addr: SocketAddr,
}

impl Running {
    /// Serves until the server can no longer accept connections, and says why: the accepting
    /// thread only ends on its own when something is wrong, so the caller exits non-zero with
    /// this message instead of quietly ending.
    pub fn wait(self) -> Result<(), ServeError> {
        match self.accept.join() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(why)) => Err(ServeError::Died(why)),
            Err(panic) => Err(ServeError::Died(
                panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".to_owned()),
            )),
        }
    }

    /// Stops accepting connections (those open finish on their own, within their timeouts).
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop with a connection of our own.
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake {
                SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
            });
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        let _ = self.accept.join();
    }
}

/// What the connection threads share.
struct Site {
    root: PathBuf,
    base_path: String,
    live: Option<Arc<Live>>,
    connections: Arc<AtomicUsize>,
    long_polls: Arc<AtomicUsize>,
}

/// Starts serving `output` on `bind:port`, with `base_path` (e.g. `/` or `/hoc-so/`) stripped.
/// With `live`, pages get the live-reload script and the error panel.
pub fn start(
    output: &Path,
    bind: &str,
    port: u16,
    base_path: &str,
    live: Option<Arc<Live>>,
) -> Result<Running, ServeError> {
    let listener = TcpListener::bind((bind, port)).map_err(|e| ServeError::Bind(e.to_string()))?;
    let addr = listener.local_addr().map_err(|e| ServeError::Bind(e.to_string()))?;
    let site = Arc::new(Site {
        root: std::fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf()),
        base_path: base_path.to_owned(),
        live,
        connections: Arc::default(),
        long_polls: Arc::default(),
    });
    let (reject, rejected) = mpsc::sync_channel(http::REJECT_QUEUE);
    std::thread::Builder::new()
        .name("hocso-busy".into())
        .spawn(move || http::answer_busy(&rejected))
        .map_err(|e| ServeError::Bind(e.to_string()))?;
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let accept = std::thread::Builder::new()
        .name("hocso-accept".into())
        .spawn(move || http::accept_loop(&listener, &site, &reject, &stopping))
        .map_err(|e| ServeError::Bind(e.to_string()))?;
    Ok(Running { accept, stop, addr })
}

/// The answer to one well-formed request: the live-reload endpoints in serve mode, else a path
/// of the site.
fn respond(site: &Site, request: &http::Request, stream: &TcpStream) -> http::Reply {
    match site.live.as_deref().filter(|_| request.target.starts_with(live::LIVE_PREFIX)) {
        Some(live) => {
            live::handle_live(live, &site.long_polls, &request.target, || http::client_gone(stream))
        }
        None => {
            let accept = request.headers.iter().find(|h| h.field.equiv("Accept-Encoding"));
            let accept = accept.map(|h| precompress::accepted(h.value.as_str())).unwrap_or_default();
            files::handle(
                &site.root,
                &site.base_path,
                site.live.as_deref(),
                &request.method,
                &request.target,
                &accept,
            )
        }
    }
}
