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

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufWriter, Read, Write as _};
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tiny_http::{HTTPVersion, Header, Method, Response, StatusCode};

use crate::pipeline::precompress::{self, Encoding};

/// Where the live-reload script and the long-poll endpoint answer (serve mode only).
const LIVE_PREFIX: &str = "/__hocso/";
/// How long a long-poll waits before answering "nothing new".
const POLL_WAIT: Duration = Duration::from_secs(25);
/// How often a waiting long-poll checks that its tab is still there.
const POLL_CHECK: Duration = Duration::from_millis(500);

/// The live state shared by the rebuild loop and the open browser tabs.
///
/// Each successful rebuild bumps the generation (tabs reload); a failed one sets the error
/// panel (tabs show it, and keep showing the last good pages) until a rebuild succeeds.
#[derive(Default)]
pub struct Live {
    state: Mutex<LiveState>,
    changed: Condvar,
}

#[derive(Clone, Default)]
struct LiveState {
    generation: u64,
    error_html: Option<String>,
}

impl Live {
    /// A rebuild succeeded: open tabs reload.
    pub fn reloaded(&self) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.generation += 1;
        s.error_html = None;
        self.changed.notify_all();
    }

    /// A rebuild failed: open tabs show `panel_html` (already escaped) over the last good page.
    pub fn failed(&self, panel_html: String) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.error_html = Some(panel_html);
        self.changed.notify_all();
    }

    fn snapshot(&self) -> LiveState {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until the generation passes `since` or the error panel differs from `error`, for
    /// at most [`POLL_WAIT`]; every [`POLL_CHECK`] it asks `gone` whether the tab has left, so a
    /// closed tab gives its connection slot back at once rather than after the whole wait.
    fn wait(&self, since: u64, had_error: bool, gone: impl Fn() -> bool) -> LiveState {
        let until = Instant::now() + POLL_WAIT;
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let unchanged = guard.generation <= since && guard.error_html.is_some() == had_error;
            if !unchanged || left.is_zero() || gone() {
                return guard.clone();
            }
            guard = self
                .changed
                .wait_timeout(guard, left.min(POLL_CHECK))
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }
}

/// The script injected into pages in serve mode (never written to the output).
const LIVE_JS: &str = r#"(function () {
  var me = document.currentScript;
  var gen = Number(me.getAttribute('data-generation'));
  var hadError = !!document.getElementById('hocso-error');
  function show(html) {
    var panel = document.getElementById('hocso-error');
    if (!html) { if (panel) panel.remove(); hadError = false; return; }
    if (!panel) {
      panel = document.createElement('div');
      panel.id = 'hocso-error';
      panel.setAttribute('role', 'alert');
      document.body.insertBefore(panel, document.body.firstChild);
    }
    panel.outerHTML = html;
    hadError = true;
  }
  function poll() {
    fetch('/__hocso/wait?since=' + gen + '&error=' + (hadError ? 1 : 0), { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.generation > gen) { window.location.reload(); return; }
        show(s.error);
        poll();
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
"#;

/// Open connections served at once, each on its own thread. A browser opens about six per tab;
/// beyond this, new connections get 503 and the live script or the reader retries.
const MAX_CONNECTIONS: usize = 64;
/// Live-reload long-polls waiting at once: half the connections, so pages still load with many
/// tabs open. Beyond it a poll gets 503 and the live script asks again 2 s later.
const MAX_LONG_POLLS: usize = 32;
/// Request line plus headers. Browsers send 1–3 KB; 16 KB is Node's default limit.
const HEAD_LIMIT: usize = 16 * 1024;
/// The server only answers GET and HEAD; a small body (some tools send one) is read and dropped,
/// a larger one is refused with 413 and never read.
const BODY_LIMIT: u64 = 16 * 1024;
/// Time a client has to send a whole request head, and again its body. It also ends an idle
/// keep-alive connection, so slow or silent clients give their thread back.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Per write: a client that stops reading a response is dropped after this.
const WRITE_TIMEOUT: Duration = Duration::from_secs(20);
/// After refusing a request, how long and how much of the rest of it we read and drop before
/// closing, so the client reads our answer instead of a connection reset.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 4 * 1024 * 1024;
/// How much is read and dropped from one lingering connection at a time.
const DISCARD_STEP: usize = 64 * 1024;
/// Over-cap connections the 503 thread keeps lingering at once (each holds one socket).
const REJECT_QUEUE: usize = 256;
/// How often the 503 thread looks at its lingering connections.
const REJECT_POLL: Duration = Duration::from_millis(50);
/// Longest wait for the output folder to come back while a rebuild swaps it.
const SWAP_WAIT: Duration = Duration::from_millis(500);
/// Consecutive failed `accept`s (100 ms apart) after which the listening socket counts as dead.
const ACCEPT_FAILURES: u32 = 100;

/// What every response is built as: a body read from memory or streamed from a file.
type Reply = Response<Box<dyn Read + Send>>;

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

/// One place in a capped count, given back when dropped (also when its thread panics).
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(count: &Arc<AtomicUsize>, cap: usize) -> Option<Slot> {
        count
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < cap).then_some(n + 1))
            .ok()
            .map(|_| Slot(Arc::clone(count)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
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
    let (reject, rejected) = mpsc::sync_channel(REJECT_QUEUE);
    std::thread::Builder::new()
        .name("hocso-busy".into())
        .spawn(move || answer_busy(&rejected))
        .map_err(|e| ServeError::Bind(e.to_string()))?;
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let accept = std::thread::Builder::new()
        .name("hocso-accept".into())
        .spawn(move || accept_loop(&listener, &site, &reject, &stopping))
        .map_err(|e| ServeError::Bind(e.to_string()))?;
    Ok(Running { accept, stop, addr })
}

/// Hands each connection to a thread of its own while under [`MAX_CONNECTIONS`], and the rest
/// to the 503 thread. Ends only on `stop` or when the listening socket keeps failing.
fn accept_loop(
    listener: &TcpListener,
    site: &Arc<Site>,
    reject: &mpsc::SyncSender<TcpStream>,
    stop: &AtomicBool,
) -> Result<(), String> {
    let mut failures = 0;
    loop {
        let accepted = listener.accept();
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let stream = match accepted {
            Ok((stream, _)) => {
                failures = 0;
                stream
            }
            // Running out of file descriptors or a client aborting is passing; a socket that
            // fails for ten seconds straight is not.
            Err(e) => {
                failures += 1;
                if failures >= ACCEPT_FAILURES {
                    return Err(e.to_string());
                }
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        match Slot::take(&site.connections, MAX_CONNECTIONS) {
            Some(slot) => {
                let site = Arc::clone(site);
                // If the thread cannot start, the closure (stream and slot) is dropped: the
                // connection closes and the slot is free again.
                let _ = std::thread::Builder::new().name("hocso-conn".into()).spawn(move || {
                    let _slot = slot;
                    serve_connection(&stream, &site);
                });
            }
            // A full queue means a flood: close at once rather than hold the socket.
            None => drop(reject.try_send(stream)),
        }
    }
}

/// Answers over-cap connections with 503 from one thread, without blocking: each gets the answer,
/// then lingers (what it sends is read and dropped) until it closes or [`LINGER`] passes, so a
/// browser reads "busy, retry" rather than a connection reset.
fn answer_busy(rejected: &mpsc::Receiver<TcpStream>) {
    let mut lingering: VecDeque<(Instant, TcpStream)> = VecDeque::new();
    loop {
        let next = if lingering.is_empty() {
            match rejected.recv() {
                Ok(stream) => Some(stream),
                Err(_) => return,
            }
        } else {
            match rejected.recv_timeout(REJECT_POLL) {
                Ok(stream) => Some(stream),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        };
        if let Some(stream) = next.filter(|s| s.set_nonblocking(true).is_ok()) {
            let mut bytes = Vec::new();
            let _ = busy().raw_print(&mut bytes, HTTPVersion(1, 1), &[], false, None);
            let _ = (&stream).write_all(&bytes);
            let _ = stream.shutdown(Shutdown::Write);
            if lingering.len() >= REJECT_QUEUE {
                lingering.pop_front();
            }
            lingering.push_back((Instant::now(), stream));
        }
        lingering.retain(|(since, stream)| since.elapsed() < LINGER && !discard(stream, DISCARD_STEP));
    }
}

/// After refusing a request we stop reading mid-way: say we are done, then take in (and drop) a
/// bounded rest of what the client sends, within [`LINGER`] in all, so it reads our answer rather
/// than a connection reset.
fn linger(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    for _ in 0..LINGER_BYTES / DISCARD_STEP {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() || discard(stream, DISCARD_STEP) {
            return;
        }
    }
}

/// Whether the client has closed its side: looked at without blocking and without taking any
/// bytes (a pipelined next request stays for the reader).
fn client_gone(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let gone = match stream.peek(&mut [0u8; 1]) {
        Ok(n) => n == 0,
        Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted),
    };
    gone || stream.set_nonblocking(false).is_err()
}

/// Reads and drops up to `limit` bytes the client sent. True once the client is done (closed its
/// side, or the connection failed or timed out); false if it may send more.
fn discard(stream: &TcpStream, limit: usize) -> bool {
    let mut chunk = [0u8; 4096];
    let mut left = limit;
    while left > 0 {
        match (&*stream).read(&mut chunk) {
            Ok(0) => return true,
            Ok(n) => left = left.saturating_sub(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
    false
}

/// The 503 for a full server or too many waiting tabs.
fn busy() -> Reply {
    let mut reply = text(
        503,
        "503 Máy chủ xem thử đang bận, hãy tải lại trang sau ít giây.\n\
         The preview server is busy; reload the page in a few seconds.\n",
    );
    for h in header("Retry-After", "2") {
        reply.add_header(h);
    }
    reply
}

/// A short plain-text answer.
fn text(status: u16, body: &str) -> Reply {
    let bytes = body.as_bytes().to_vec();
    let len = bytes.len();
    Response::new(
        StatusCode(status),
        header("Content-Type", "text/plain; charset=utf-8"),
        Box::new(std::io::Cursor::new(bytes)),
        Some(len),
        None,
    )
}

/// A text answer for an error status: "404 Not Found".
fn status_text(status: u16) -> Reply {
    text(status, &format!("{status} {}\n", StatusCode(status).default_reason_phrase()))
}

/// Serves the requests of one connection, one after the other, until it closes, times out or
/// sends something refused.
fn serve_connection(stream: &TcpStream, site: &Site) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut incoming = Incoming { stream, buf: Vec::new(), scanned: 0 };
    loop {
        let request = match incoming.next_request() {
            Ok(request) => request,
            Err(Refused::Closed) => return,
            Err(Refused::Status(status)) => {
                let mut out = BufWriter::new(stream);
                let _ = status_text(status).raw_print(&mut out, HTTPVersion(1, 1), &[], false, None);
                let _ = out.flush();
                drop(out);
                linger(stream);
                return;
            }
        };
        let reply = respond(site, &request, stream).with_chunked_threshold(usize::MAX);
        // A busy answer also gives the connection's slot back.
        let keep_alive = request.keep_alive() && reply.status_code() != StatusCode(503);
        let mut out = BufWriter::new(stream);
        let head = request.method == Method::Head;
        let sent = reply.raw_print(&mut out, request.version.clone(), &request.headers, head, None);
        if sent.and_then(|()| out.flush()).is_err() || !keep_alive {
            return;
        }
    }
}

/// A request head, read and checked by [`Incoming::next_request`].
struct Request {
    method: Method,
    /// Starts with `/`, visible ASCII only.
    target: String,
    version: HTTPVersion,
    headers: Vec<Header>,
}

impl Request {
    fn keep_alive(&self) -> bool {
        let close = self
            .headers
            .iter()
            .any(|h| h.field.equiv("Connection") && h.value.as_str().to_ascii_lowercase().contains("close"));
        self.version == HTTPVersion(1, 1) && !close
    }
}

/// Why no request comes out of a connection.
#[derive(Debug, PartialEq, Eq)]
enum Refused {
    /// The client left, or stayed silent between requests: close without a word.
    Closed,
    /// Answer this status, then close.
    Status(u16),
}

/// The reading side of a connection: bytes received but not yet used (a pipelined next request).
struct Incoming<'a> {
    stream: &'a TcpStream,
    buf: Vec<u8>,
    /// How far `buf` is known to hold no end of head.
    scanned: usize,
}

/// How a read with a deadline ended badly.
enum ReadFailure {
    TimedOut,
    Closed,
}

impl Incoming<'_> {
    /// Reads the next request head (at most [`HEAD_LIMIT`] bytes within [`READ_TIMEOUT`]), checks
    /// it, and reads and drops its body (at most [`BODY_LIMIT`] bytes within [`READ_TIMEOUT`]).
    fn next_request(&mut self) -> Result<Request, Refused> {
        let deadline = Instant::now() + READ_TIMEOUT;
        let end = loop {
            if let Some(at) = self.buf[self.scanned..].windows(4).position(|w| w == b"\r\n\r\n") {
                break self.scanned + at + 4;
            }
            self.scanned = self.buf.len().saturating_sub(3);
            if self.buf.len() > HEAD_LIMIT {
                return Err(Refused::Status(431));
            }
            match self.read_more(deadline) {
                Ok(()) => {}
                // Silence between requests is an idle keep-alive connection ending.
                Err(ReadFailure::TimedOut) if self.buf.is_empty() => return Err(Refused::Closed),
                Err(ReadFailure::TimedOut) => return Err(Refused::Status(408)),
                Err(ReadFailure::Closed) => return Err(Refused::Closed),
            }
        };
        let request = parse_head(&self.buf[..end])?;
        self.buf.drain(..end);
        self.scanned = 0;
        let mut body = body_length(&request.headers)?;
        let deadline = Instant::now() + READ_TIMEOUT;
        loop {
            let take = self.buf.len().min(usize::try_from(body).unwrap_or(usize::MAX));
            self.buf.drain(..take);
            body -= take as u64;
            if body == 0 {
                return Ok(request);
            }
            match self.read_more(deadline) {
                Ok(()) => {}
                Err(ReadFailure::TimedOut) => return Err(Refused::Status(408)),
                Err(ReadFailure::Closed) => return Err(Refused::Closed),
            }
        }
    }

    /// Appends what arrives before `deadline` (at most 4 KB).
    fn read_more(&mut self, deadline: Instant) -> Result<(), ReadFailure> {
        let mut chunk = [0u8; 4096];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.stream.set_read_timeout(Some(left)).is_err() {
                return Err(ReadFailure::TimedOut);
            }
            match (&*self.stream).read(&mut chunk) {
                Ok(0) => return Err(ReadFailure::Closed),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) =>
                {
                    return Err(ReadFailure::TimedOut);
                }
                Err(_) => return Err(ReadFailure::Closed),
            }
        }
    }
}

/// Checks a request head (ending in an empty line): `METHOD /target HTTP/1.x`, then `Name: value`
/// lines, all visible ASCII. The method and headers are tiny_http's own types.
fn parse_head(bytes: &[u8]) -> Result<Request, Refused> {
    const BAD: Refused = Refused::Status(400);
    let text = std::str::from_utf8(bytes).map_err(|_| BAD)?;
    let mut lines = text.strip_suffix("\r\n\r\n").ok_or(BAD)?.split("\r\n");
    let mut parts = lines.next().ok_or(BAD)?.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(BAD);
    };
    let version = match version {
        "HTTP/1.1" => HTTPVersion(1, 1),
        "HTTP/1.0" => HTTPVersion(1, 0),
        v if v.starts_with("HTTP/") => return Err(Refused::Status(505)),
        _ => return Err(BAD),
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b'_') {
        return Err(BAD);
    }
    let method = Method::from_str(method).map_err(|()| BAD)?;
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(BAD);
    }
    let headers = lines
        .map(|line| {
            let visible = line.bytes().all(|b| b.is_ascii_graphic() || b == b' ' || b == b'\t');
            let header = Header::from_str(line).ok().filter(|_| visible);
            header.filter(|h| !h.field.as_str().is_empty()).ok_or(BAD)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Request { method, target: target.to_owned(), version, headers })
}

/// The body length a request announces, if we accept it: none or a small `Content-Length`.
/// Chunked bodies (411), unreadable or conflicting lengths (400, a request-smuggling trick) and
/// large ones (413, including lengths too big for any integer) are refused.
fn body_length(headers: &[Header]) -> Result<u64, Refused> {
    if headers.iter().any(|h| h.field.equiv("Transfer-Encoding")) {
        return Err(Refused::Status(411));
    }
    let mut length = None;
    for h in headers.iter().filter(|h| h.field.equiv("Content-Length")) {
        let value = h.value.as_str();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Refused::Status(400));
        }
        // Only digits: parsing fails only on overflow, which is just very large.
        let n = value.parse::<u64>().unwrap_or(u64::MAX);
        if length.is_some_and(|l| l != n) {
            return Err(Refused::Status(400));
        }
        length = Some(n);
    }
    match length.unwrap_or(0) {
        n if n > BODY_LIMIT => Err(Refused::Status(413)),
        n => Ok(n),
    }
}

/// The answer to one well-formed request.
fn respond(site: &Site, request: &Request, stream: &TcpStream) -> Reply {
    match site.live.as_deref().filter(|_| request.target.starts_with(LIVE_PREFIX)) {
        Some(live) => handle_live(live, &site.long_polls, &request.target, || client_gone(stream)),
        None => {
            let accept = request.headers.iter().find(|h| h.field.equiv("Accept-Encoding"));
            let accept = accept.map(|h| precompress::accepted(h.value.as_str())).unwrap_or_default();
            handle(
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

/// The live-reload script, and the long-poll that tells tabs to reload or show an error.
fn handle_live(live: &Live, long_polls: &Arc<AtomicUsize>, url: &str, gone: impl Fn() -> bool) -> Reply {
    if url.starts_with("/__hocso/live.js") {
        let mut reply = text(200, LIVE_JS);
        for h in header("Content-Type", "text/javascript; charset=utf-8") {
            reply.add_header(h);
        }
        return reply;
    }
    let param = |name: &str| {
        url.split(['?', '&'])
            .find_map(|p| p.strip_prefix(name).and_then(|v| v.strip_prefix('=')).map(str::to_owned))
    };
    let since: u64 = param("since").and_then(|v| v.parse().ok()).unwrap_or(0);
    let had_error = param("error").is_some_and(|v| v == "1");
    // A waiting tab holds its connection's thread; capped so waiting tabs never take them all.
    let Some(_poll) = Slot::take(long_polls, MAX_LONG_POLLS) else { return busy() };
    let state = live.wait(since, had_error, gone);
    let body = serde_json::json!({ "generation": state.generation, "error": state.error_html }).to_string();
    let mut reply = text(200, &body);
    for h in [header("Content-Type", "application/json"), header("Cache-Control", "no-store")].concat() {
        reply.add_header(h);
    }
    reply
}

/// Adds the live-reload script (and the error panel, if the last rebuild failed) to a page.
fn inject_live(html: Vec<u8>, live: &Live) -> Vec<u8> {
    let state = live.snapshot();
    let Ok(mut text) = String::from_utf8(html) else { return Vec::new() };
    let script =
        format!("<script src=\"/__hocso/live.js\" data-generation=\"{}\"></script>", state.generation);
    match text.rfind("</body>") {
        Some(at) => text.insert_str(at, &script),
        None => text.push_str(&script),
    }
    let body_end = text.find("<body").and_then(|b| text[b..].find('>').map(|e| b + e + 1));
    if let (Some(panel), Some(at)) = (state.error_html, body_end) {
        text.insert_str(at, &panel);
    }
    text.into_bytes()
}

/// A file, a redirect or an error page for a GET or HEAD (HEAD sends the same headers, no body).
fn handle(
    root: &Path,
    base_path: &str,
    live: Option<&Live>,
    method: &Method,
    url: &str,
    accept: &[Encoding],
) -> Reply {
    if !matches!(method, Method::Get | Method::Head) {
        let mut reply = status_text(405);
        for h in header("Allow", "GET, HEAD") {
            reply.add_header(h);
        }
        return reply;
    }
    // A full rebuild swaps the output folder with two renames (old out, new in): a request
    // landing between them, or between finding a file and opening it, finds nothing. So a miss
    // waits (briefly, and only while the folder is absent) and looks once more.
    let found = find(root, base_path, live, url, accept).or_else(|| {
        let until = Instant::now() + SWAP_WAIT;
        while !root.is_dir() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(2));
        }
        find(root, base_path, live, url, accept)
    });
    found.unwrap_or_else(|| {
        Some(root.join("404.html"))
            .filter(|p| p.is_file())
            .and_then(|p| file_reply(404, &p, live, accept))
            .unwrap_or_else(|| status_text(404))
    })
}

/// The answer for a path that leads somewhere; `None` if it leads nowhere (or the file vanished).
fn find(root: &Path, base_path: &str, live: Option<&Live>, url: &str, accept: &[Encoding]) -> Option<Reply> {
    match locate(root, base_path, url) {
        Located::File(path) => file_reply(200, &path, live, accept),
        Located::Redirect(to) => Some(Response::new(
            StatusCode(301),
            header("Location", &to),
            Box::new(std::io::empty()),
            Some(0),
            None,
        )),
        Located::Forbidden => Some(status_text(403)),
        Located::Missing => None,
    }
}

/// A file of the output with its content type; `None` if it cannot be opened. A text file with
/// a precompressed copy (`precompress = true`) is sent as that copy when the browser accepts
/// its encoding, except a page that gets the live-reload script.
fn file_reply(status: u16, path: &Path, live: Option<&Live>, accept: &[Encoding]) -> Option<Reply> {
    let mut headers =
        [header("Content-Type", content_type(path)), header("Cache-Control", "no-cache")].concat();
    let is_html = path.extension().is_some_and(|e| e == "html");
    let injected = live.is_some() && is_html;
    let packed = (precompress::is_text(path) && !injected)
        .then(|| {
            Encoding::ALL.into_iter().map(|e| (e, precompress::sibling(path, e))).filter(|(_, p)| p.is_file())
        })
        .map(Iterator::collect::<Vec<_>>)
        .unwrap_or_default();
    if !packed.is_empty() {
        headers.extend(header("Vary", "Accept-Encoding"));
    }
    if let Some((encoding, file)) = packed.iter().find(|(e, _)| accept.contains(e)) {
        let opened = File::open(file).ok()?;
        let len = usize::try_from(opened.metadata().ok()?.len()).ok()?;
        headers.extend(header("Content-Encoding", encoding.token()));
        return Some(Response::new(StatusCode(status), headers, Box::new(opened), Some(len), None));
    }
    let (body, len): (Box<dyn Read + Send>, usize) = match live.filter(|_| is_html) {
        // Pages are small and need the live script: read whole. Anything else is streamed, so a
        // large recording never sits in memory once per reader.
        Some(live) => {
            let bytes = inject_live(std::fs::read(path).ok()?, live);
            let len = bytes.len();
            (Box::new(std::io::Cursor::new(bytes)), len)
        }
        None => {
            let file = File::open(path).ok()?;
            let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
            (Box::new(file), len)
        }
    };
    Some(Response::new(StatusCode(status), headers, body, Some(len), None))
}

fn header(name: &str, value: &str) -> Vec<Header> {
    // Names and values are ASCII constants or the request's own path; a header that does not
    // parse is left out rather than failing the response.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).into_iter().collect()
}

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Located {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    Missing,
    /// An attempt to leave the output folder.
    Forbidden,
}

/// Maps a request URL to a file inside `root`, refusing anything that could leave it.
pub fn locate(root: &Path, base_path: &str, url: &str) -> Located {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = crate::core::text::percent_decode(path) else { return Located::Forbidden };
    if decoded.contains('\\') || decoded.contains('\0') || decoded.split('/').any(|s| s == "..") {
        return Located::Forbidden;
    }
    let Some(rel) = decoded
        .strip_prefix(base_path)
        .or_else(|| (decoded.clone() + "/").strip_prefix(base_path).map(|_| ""))
    else {
        return Located::Missing;
    };
    let candidate = root.join(rel.trim_start_matches('/'));
    let candidate = if candidate.is_dir() {
        if !decoded.ends_with('/') {
            // One leading slash, whatever was asked: `//an-toan` must not become `//an-toan/`,
            // which a browser reads as another host.
            return Located::Redirect(format!("/{}/", path.trim_start_matches('/')));
        }
        candidate.join("index.html")
    } else {
        candidate
    };
    match std::fs::canonicalize(&candidate) {
        Ok(real) if real.starts_with(root) && real.is_file() => Located::File(real),
        Ok(real) if !real.starts_with(root) => Located::Forbidden,
        _ => Located::Missing,
    }
}

/// The Content-Type for a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "m4a" => "audio/mp4",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        for url in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/..%2f..%2fetc",
            "/..\\etc",
            "/%2E%2E/x",
            "/a%5c..%5cb",
        ] {
            assert_eq!(locate(&root, "/", url), Located::Forbidden, "{url}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_leading_out_of_the_output_are_refused() {
        let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(outside.path().join("bi-mat.txt"), "x").unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(outside.path().join("bi-mat.txt"), root.join("link.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(outside.path(), root.join("thu-muc")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(locate(&root, "/", "/link.txt"), Located::Forbidden);
        assert_eq!(locate(&root, "/", "/thu-muc/bi-mat.txt"), Located::Forbidden);
    }

    #[test]
    fn folders_redirect_and_index_is_served() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(root.join("an-toan")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("an-toan/index.html"), "x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(locate(&root, "/", "/an-toan"), Located::Redirect("/an-toan/".into()));
        assert_eq!(locate(&root, "/", "/an-toan/?q=1"), Located::File(root.join("an-toan/index.html")));
        assert_eq!(locate(&root, "/", "/khong-co/"), Located::Missing);
        for url in ["//an-toan", "///an-toan", "//an-toan?x=//y"] {
            assert_eq!(locate(&root, "/", url), Located::Redirect("/an-toan/".into()), "{url}");
        }
    }

    fn head(text: &str) -> Result<Request, Refused> {
        parse_head(text.as_bytes())
    }

    #[test]
    fn well_formed_heads_parse_into_tiny_http_types() {
        let r =
            head("GET /a?b=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((r.method, r.target.as_str(), r.version), (Method::Get, "/a?b=1", HTTPVersion(1, 1)));
        assert_eq!(r.headers.len(), 2);
        assert!(r.headers[1].field.equiv("accept") && r.headers[1].value.as_str() == "*/*");
        let r = head("HEAD / HTTP/1.0\r\n\r\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert!(!r.keep_alive(), "HTTP/1.0 closes");
        let r = head("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert!(!r.keep_alive());
    }

    #[test]
    fn malformed_heads_are_refused_without_panicking() {
        for bad in [
            "GET / HTTP/1.1\r\n",
            "\r\n\r\n",
            "GET /\r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1 x\r\n\r\n",
            "GET http://evil/ HTTP/1.1\r\n\r\n",
            "GET * HTTP/1.1\r\n\r\n",
            "G\u{e9}T / HTTP/1.1\r\n\r\n",
            "GET /\u{e9} HTTP/1.1\r\n\r\n",
            "GET / FTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon\r\n\r\n",
            "GET / HTTP/1.1\r\n: empty name\r\n\r\n",
            "GET / HTTP/1.1\r\n folded: x\r\n\r\n",
            "GET / HTTP/1.1\r\nX: a\u{7}b\r\n\r\n",
            "GET / HTTP/1.1\r\nX: caf\u{e9}\r\n\r\n",
        ] {
            assert_eq!(head(bad).err(), Some(Refused::Status(400)), "{bad:?}");
        }
        assert_eq!(head("GET / HTTP/2.0\r\n\r\n").err(), Some(Refused::Status(505)));
        assert_eq!(parse_head(b"GET /\xff HTTP/1.1\r\n\r\n").err(), Some(Refused::Status(400)));
    }

    #[test]
    fn bodies_are_refused_unless_small_and_plainly_announced() {
        let length = |lines: &str| {
            let r = head(&format!("POST / HTTP/1.1\r\n{lines}\r\n")).unwrap_or_else(|e| panic!("{e:?}"));
            body_length(&r.headers)
        };
        assert_eq!(length(""), Ok(0));
        assert_eq!(length("Content-Length: 10\r\n"), Ok(10));
        assert_eq!(length("Content-Length: 10\r\ncontent-length: 10\r\n"), Ok(10));
        assert_eq!(length(&format!("Content-Length: {BODY_LIMIT}\r\n")), Ok(BODY_LIMIT));
        assert_eq!(length(&format!("Content-Length: {}\r\n", BODY_LIMIT + 1)), Err(Refused::Status(413)));
        assert_eq!(length("Content-Length: 18446744073709551615\r\n"), Err(Refused::Status(413)));
        assert_eq!(length("Content-Length: 99999999999999999999999999\r\n"), Err(Refused::Status(413)));
        for bad in ["-1", "+1", "1e3", "0x10", "", "10, 10"] {
            assert_eq!(length(&format!("Content-Length: {bad}\r\n")), Err(Refused::Status(400)), "{bad:?}");
        }
        assert_eq!(length("Content-Length: 10\r\nContent-Length: 11\r\n"), Err(Refused::Status(400)));
        assert_eq!(length("Transfer-Encoding: chunked\r\n"), Err(Refused::Status(411)));
    }
}
