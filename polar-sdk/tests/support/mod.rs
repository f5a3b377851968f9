//! A scripted HTTP/1.1 server on 127.0.0.1 for the integration tests.
//!
//! It records every request (request line and headers, with the time it arrived) and answers
//! with canned raw responses, so tests can send exact bytes, resets, truncated bodies and
//! slow replies. Each server stops when dropped.
#![allow(dead_code)] // Each test binary uses a different part.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The token the tests use; it must never show up in any output.
pub const TOKEN: &str = "polar_oat_TESTSECRET0123456789abcdef";

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// 0-based arrival index.
    pub index: usize,
    pub method: String,
    /// The request target: path and query, exactly as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    /// The request body (by `Content-Length`).
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Recorded {
    /// The value of header `name` (case-insensitive); panics if it appears more than once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name));
        let first = values.next().map(|(_, v)| v.as_str());
        assert!(values.next().is_none(), "header {name} sent more than once");
        first
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap()
    }

    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Write these bytes (a complete response) and keep the connection open.
    Raw(Vec<u8>),
    /// Write these bytes, then close the connection (for truncated bodies).
    RawThenClose(Vec<u8>),
    /// Reset the connection (RST) without answering.
    Reset,
    /// Wait, then do the inner reply.
    Delay(Duration, Box<Reply>),
    /// Write the head, then the chunk over and over until the client goes away (an endless
    /// body: send a chunked head for one without a length).
    Endless { head: Vec<u8>, chunk: Vec<u8> },
}

impl Reply {
    /// A response with a status, extra headers, a content type and a body.
    pub fn full(status: u16, headers: &[(&str, &str)], content_type: &str, body: &str) -> Self {
        let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        out.push_str(&format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
            body.len()
        ));
        for (name, value) in headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(body);
        Self::Raw(out.into_bytes())
    }

    pub fn json(status: u16, body: &str) -> Self {
        Self::full(status, &[], "application/json", body)
    }

    pub fn json_with_headers(status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        Self::full(status, headers, "application/json", body)
    }

    pub fn delayed(self, by: Duration) -> Self {
        Self::Delay(by, Box::new(self))
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        401 => "Unauthorized",
        404 => "Not Found",
        408 => "Request Timeout",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Whatever",
    }
}

type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

/// Requests received but not yet answered, now and at most.
#[derive(Default)]
struct InFlight {
    counts: Mutex<(usize, usize)>,
}

impl InFlight {
    fn enter(&self) {
        let mut counts = self.counts.lock().unwrap();
        counts.0 += 1;
        counts.1 = counts.1.max(counts.0);
    }

    fn leave(&self) {
        self.counts.lock().unwrap().0 -= 1;
    }
}

/// A running test server.
pub struct TestServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    in_flight: Arc<InFlight>,
    task: JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// At most this many requests are answered; later ones get a 500, so that a client stuck in
/// a loop fails its test instead of running forever.
pub const MAX_REQUESTS: usize = 200;

impl TestServer {
    /// A server that answers the replies in order, then `599` ("script exhausted").
    pub async fn scripted(replies: Vec<Reply>) -> Self {
        let script = Mutex::new(VecDeque::from(replies));
        Self::with_handler(move |_| {
            script
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or_else(|| Reply::json(599, r#"{"error":"script exhausted"}"#))
        })
        .await
    }

    /// A server that computes each reply from the request.
    pub async fn with_handler(
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let in_flight = Arc::new(InFlight::default());
        let handler: Handler = Arc::new(handler);
        let task = tokio::spawn({
            let requests = requests.clone();
            let in_flight = in_flight.clone();
            async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    tokio::spawn(serve(
                        stream,
                        requests.clone(),
                        in_flight.clone(),
                        handler.clone(),
                    ));
                }
            }
        });
        Self {
            addr,
            requests,
            in_flight,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// The most requests that were received and not yet answered at the same moment.
    pub fn max_in_flight(&self) -> usize {
        self.in_flight.counts.lock().unwrap().1
    }
}

async fn serve(
    mut stream: TcpStream,
    requests: Arc<Mutex<Vec<Recorded>>>,
    in_flight: Arc<InFlight>,
    handler: Handler,
) {
    let mut buf = Vec::new();
    loop {
        // Read one request head.
        let head_end = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break pos;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        buf.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default().to_owned();
        let target = request_line.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect();
        // Bodies come with a `Content-Length` (the SDK sends them whole).
        let body_len = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        while buf.len() < body_len {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body: Vec<u8> = buf.drain(..body_len).collect();

        let recorded = {
            let mut requests = requests.lock().unwrap();
            let recorded = Recorded {
                index: requests.len(),
                method,
                target,
                headers,
                body,
                at: Instant::now(),
            };
            requests.push(recorded.clone());
            recorded
        };
        in_flight.enter();
        let mut reply = if recorded.index >= MAX_REQUESTS {
            Reply::json(500, r#"{"error":"too many requests to the test server"}"#)
        } else {
            handler(&recorded)
        };
        loop {
            match reply {
                Reply::Delay(by, inner) => {
                    tokio::time::sleep(by).await;
                    reply = *inner;
                }
                Reply::Raw(bytes) => {
                    let written = stream.write_all(&bytes).await;
                    in_flight.leave();
                    if written.is_err() {
                        return;
                    }
                    break;
                }
                Reply::RawThenClose(bytes) => {
                    let _ = stream.write_all(&bytes).await;
                    in_flight.leave();
                    let _ = stream.shutdown().await;
                    return;
                }
                Reply::Reset => {
                    in_flight.leave();
                    // SO_LINGER 0 makes the close send RST. Does not block with a zero timeout.
                    #[allow(deprecated)]
                    let _ = stream.set_linger(Some(Duration::ZERO));
                    return;
                }
                Reply::Endless { head, chunk } => {
                    in_flight.leave();
                    if stream.write_all(&head).await.is_err() {
                        return;
                    }
                    while stream.write_all(&chunk).await.is_ok() {}
                    return;
                }
            }
        }
    }
}

/// An endless chunked `200` (or other status) body: `x` repeated, never finished.
pub fn endless(status: u16) -> Reply {
    let payload = vec![b'x'; 16 * 1024];
    let mut chunk = format!("{:x}\r\n", payload.len()).into_bytes();
    chunk.extend_from_slice(&payload);
    chunk.extend_from_slice(b"\r\n");
    Reply::Endless {
        head: format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            reason(status)
        )
        .into_bytes(),
        chunk,
    }
}

/// A `ListResourceCustomerMeter` body with `ids.len()` items.
pub fn page_body(ids: &[u128], total_count: i64, max_page: i64) -> String {
    let items: Vec<String> = ids.iter().map(|&id| meter_json(id)).collect();
    format!(
        r#"{{"items":[{}],"pagination":{{"total_count":{total_count},"max_page":{max_page}}}}}"#,
        items.join(",")
    )
}

pub fn uuid(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

/// A `CustomerMeter` with id `uuid(id)`, every field present (nullable ones as `null`), as
/// Polar sends it.
pub fn meter_json(id: u128) -> String {
    format!(
        r#"{{
  "id": "{id}",
  "created_at": "2025-01-02T03:04:05Z",
  "modified_at": null,
  "customer_id": "{customer}",
  "meter_id": "{meter}",
  "consumed_units": 12.5,
  "credited_units": 100,
  "balance": 87.5,
  "customer": {{
    "id": "{customer}",
    "created_at": "2024-11-01T00:00:00Z",
    "modified_at": null,
    "metadata": {{"plan": "pro", "seats": 3}},
    "external_id": "ext_1",
    "email": "jane@example.com",
    "email_verified": true,
    "type": "individual",
    "name": "Jane",
    "billing_name": null,
    "billing_address": null,
    "tax_id": null,
    "organization_id": "{org}",
    "deleted_at": null,
    "first_user_event_at": null,
    "avatar_url": null
  }},
  "meter": {{
    "metadata": {{}},
    "created_at": "2024-12-01T00:00:00Z",
    "modified_at": "2024-12-02T00:00:00.123456Z",
    "id": "{meter}",
    "name": "API calls",
    "unit": "scalar",
    "filter": {{
      "conjunction": "and",
      "clauses": [{{"property": "name", "operator": "eq", "value": "api_call"}}]
    }},
    "aggregation": {{"func": "count"}},
    "organization_id": "{org}"
  }}
}}"#,
        id = uuid(id),
        customer = uuid(0xC0),
        meter = uuid(0x3E7E),
        org = uuid(0x0A6),
    )
}

/// A client for `server` with the test token and no retries unless the test adds them.
pub fn client(server: &TestServer) -> polar_sdk::Polar {
    polar_sdk::Polar::builder()
        .access_token(TOKEN)
        .server_url(server.url())
        .retry(polar_sdk::RetryConfig::none())
        .build()
        .unwrap()
}

/// A retry policy with millisecond backoffs, to keep the tests fast.
pub fn fast_retries() -> polar_sdk::RetryConfig {
    polar_sdk::RetryConfig::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

/// Safety net so that a regression that loops fails instead of hanging the test run. Not a
/// performance assertion: the bound is far above any expected duration.
pub async fn within<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(60), future)
        .await
        .expect("did not finish within 60 s (a loop?)")
}
