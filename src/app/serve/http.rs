//! The HTTP side of `hocso serve`: accepting connections under a cap, reading each request head
//! under hard limits (size, time, body), and writing the answers. The limits and why they exist
//! are described in the parent module.

use std::collections::VecDeque;
use std::io::{BufWriter, Read, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::str::FromStr as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use tiny_http::{HTTPVersion, Header, Method, Response, StatusCode};

use super::Site;

/// Open connections served at once, each on its own thread. A browser opens about six per tab;
/// beyond this, new connections get 503 and the live script or the reader retries.
const MAX_CONNECTIONS: usize = 64;
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
pub(super) const REJECT_QUEUE: usize = 256;
/// How often the 503 thread looks at its lingering connections.
const REJECT_POLL: Duration = Duration::from_millis(50);
/// Consecutive failed `accept`s (100 ms apart) after which the listening socket counts as dead.
const ACCEPT_FAILURES: u32 = 100;

/// What every response is built as: a body read from memory or streamed from a file.
pub(super) type Reply = Response<Box<dyn Read + Send>>;

/// One place in a capped count, given back when dropped (also when its thread panics).
pub(super) struct Slot(Arc<AtomicUsize>);

impl Slot {
    pub(super) fn take(count: &Arc<AtomicUsize>, cap: usize) -> Option<Slot> {
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

/// Hands each connection to a thread of its own while under [`MAX_CONNECTIONS`], and the rest
/// to the 503 thread. Ends only on `stop` or when the listening socket keeps failing.
pub(super) fn accept_loop(
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
pub(super) fn answer_busy(rejected: &mpsc::Receiver<TcpStream>) {
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
pub(super) fn client_gone(stream: &TcpStream) -> bool {
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
pub(super) fn busy() -> Reply {
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
pub(super) fn text(status: u16, body: &str) -> Reply {
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
pub(super) fn status_text(status: u16) -> Reply {
    text(status, &format!("{status} {}\n", StatusCode(status).default_reason_phrase()))
}

/// One response header, as the list `Response::new` and `concat` take (empty if it does not parse).
pub(super) fn header(name: &str, value: &str) -> Vec<Header> {
    // Names and values are ASCII constants or the request's own path; a header that does not
    // parse is left out rather than failing the response.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).into_iter().collect()
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
        let reply = super::respond(site, &request, stream).with_chunked_threshold(usize::MAX);
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
pub(super) struct Request {
    pub(super) method: Method,
    /// Starts with `/`, visible ASCII only.
    pub(super) target: String,
    version: HTTPVersion,
    pub(super) headers: Vec<Header>,
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

#[cfg(test)]
mod tests {
    use super::*;

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
