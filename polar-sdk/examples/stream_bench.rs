//! The pieces `cargo xtask bench` runs and times (one process per run): a loopback server of
//! customer-meter pages, and the Rust clients that stream every item from it.
//!
//! ```text
//! stream_bench serve ITEMS LIMIT              prints `listening http://127.0.0.1:PORT`, serves
//!                                             until its standard input closes
//! stream_bench CLIENT URL ITEMS LIMIT         streams ITEMS items, prints `items N`
//! ```
//!
//! CLIENT is `sdk-stream` (`into_stream()`), `sdk-pages` (`send()` then `Page::next`),
//! `transport` (reqwest, bodies read and dropped: the transport part of the floor) or `naive`
//! (reqwest + serde_json into plain structs, what a hand-written client would do).
//! Build it with `--release`; `cargo xtask bench` does.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use futures::TryStreamExt;

const PATH: &str = "/v1/customer-meters/";
/// Distinct page bodies the server cycles through, so consecutive pages never repeat.
const TEMPLATES: usize = 10;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |index: usize| -> usize {
        args.get(index)
            .and_then(|arg| arg.parse().ok())
            .unwrap_or_else(|| usage())
    };
    match args.first().map(String::as_str) {
        Some("serve") => serve(number(1), number(2)),
        Some(client @ ("sdk-stream" | "sdk-pages" | "transport" | "naive")) => {
            let url = args.get(1).cloned().unwrap_or_else(|| usage());
            let (items, limit) = (number(2), number(3));
            let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
            let seen = runtime.block_on(run_client(client, &url, items, limit));
            println!("items {seen}");
            if seen != items {
                eprintln!("expected {items} items, got {seen}");
                std::process::exit(1);
            }
        }
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("usage: stream_bench serve ITEMS LIMIT | stream_bench (sdk-stream|sdk-pages|transport|naive) URL ITEMS LIMIT");
    std::process::exit(2)
}

// ---------------------------------------------------------------------------------------------
// The server

/// A UUID-shaped id, distinct for each `n` and `kind`.
fn uuid(kind: u32, n: u64) -> String {
    format!(
        "{kind:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (n >> 48) & 0xffff,
        (n >> 36) & 0xfff,
        (n >> 24) & 0xfff,
        n & 0xffff_ffff_ffff
    )
}

/// A timestamp with microseconds, as Polar writes them.
fn stamp(n: u64) -> String {
    format!(
        "2025-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        1 + n % 12,
        1 + n % 28,
        n % 24,
        n % 60,
        (n / 60) % 60,
        (n * 7919) % 1_000_000
    )
}

/// One customer meter with every field of the customer (an individual) and the meter.
fn item(n: u64) -> String {
    let org = uuid(0x0a, 1);
    format!(
        concat!(
            r#"{{"id":"{id}","created_at":"{c}","modified_at":"{m}","customer_id":"{cid}","#,
            r#""meter_id":"{mid}","consumed_units":{used}.5,"credited_units":1000,"balance":{bal}.5,"#,
            r#""customer":{{"id":"{cid}","created_at":"{c}","modified_at":"{m}","#,
            r#""metadata":{{"plan":"pro","seats":3,"beta":true}},"external_id":"usr_{n}","#,
            r#""email":"user{n}@example.com","email_verified":true,"type":"individual","#,
            r#""name":"Customer {n}","billing_name":"Customer {n} Ltd","#,
            r#""billing_address":{{"line1":"1 Main Street","line2":null,"postal_code":"94103","#,
            r#""city":"San Francisco","state":"US-CA","country":"US"}},"#,
            r#""tax_id":["911144442","us_ein"],"locale":"en","organization_id":"{org}","#,
            r#""default_payment_method_id":"{pm}","deleted_at":null,"#,
            r#""first_user_event_at":"{c}","avatar_url":"https://www.gravatar.com/avatar/{n}?d=404"}},"#,
            r#""meter":{{"metadata":{{"team":"api"}},"created_at":"{c}","modified_at":"{m}","#,
            r#""id":"{mid}","name":"API calls","unit":"scalar","custom_label":null,"#,
            r#""custom_multiplier":null,"filter":{{"conjunction":"and","clauses":["#,
            r#"{{"property":"name","operator":"eq","value":"api_call"}},"#,
            r#"{{"conjunction":"or","clauses":[{{"property":"region","operator":"ne","value":"eu"}}]}}]}},"#,
            r#""aggregation":{{"func":"sum","property":"tokens"}},"organization_id":"{org}","#,
            r#""archived_at":null}}}}"#
        ),
        id = uuid(0x01, n),
        cid = uuid(0x02, n),
        mid = uuid(0x03, n % 7),
        pm = uuid(0x04, n),
        org = org,
        c = stamp(n),
        m = stamp(n + 1),
        used = n % 1000,
        bal = 1000 - n % 1000,
        n = n,
    )
}

fn page_body(first_item: u64, count: usize, total: usize, max_page: usize) -> Vec<u8> {
    let items: Vec<String> = (0..count as u64).map(|i| item(first_item + i)).collect();
    format!(
        r#"{{"items":[{}],"pagination":{{"total_count":{total},"max_page":{max_page}}}}}"#,
        items.join(",")
    )
    .into_bytes()
}

/// Full pages cycled by page number, the last (short) page, and the empty page beyond.
struct Pages {
    limit: usize,
    max_page: usize,
    full: Vec<Vec<u8>>,
    last: Vec<u8>,
    beyond: Vec<u8>,
}

impl Pages {
    fn new(total: usize, limit: usize) -> Self {
        let max_page = total.div_ceil(limit).max(1);
        let full = (0..TEMPLATES)
            .map(|t| page_body((t * limit) as u64, limit, total, max_page))
            .collect();
        let rest = total - (max_page - 1) * limit;
        Self {
            limit,
            max_page,
            full,
            last: page_body(((max_page - 1) * limit) as u64, rest, total, max_page),
            beyond: page_body(0, 0, total, max_page),
        }
    }

    fn body(&self, page: usize) -> &[u8] {
        match page {
            p if p == self.max_page => &self.last,
            p if p >= 1 && p < self.max_page => &self.full[(p - 1) % TEMPLATES],
            _ => &self.beyond,
        }
    }
}

fn serve(total: usize, limit: usize) {
    let pages = Arc::new(Pages::new(total, limit));
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let address = listener.local_addr().expect("the bound address");
    println!("listening http://{address}");
    std::io::stdout().flush().ok();
    // Stop when whoever started us goes away (its end of our standard input closes).
    std::thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });
    for stream in listener.incoming().flatten() {
        let pages = pages.clone();
        std::thread::spawn(move || {
            let _ = connection(stream, &pages);
        });
    }
}

/// Answers the GET requests of one keep-alive connection.
fn connection(stream: TcpStream, pages: &Pages) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let target = line.split(' ').nth(1).unwrap_or("").to_owned();
        // Skip the headers (a GET has no body).
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
        }
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
                .and_then(|value| value.parse::<usize>().ok())
        };
        let page = param("page").unwrap_or(1);
        let limit = param("limit").unwrap_or(10);
        let generated;
        let body: &[u8] = if path != PATH {
            b"{\"detail\":\"not found\"}"
        } else if limit == pages.limit {
            pages.body(page)
        } else {
            // Another page size: built on demand (slow, but honoured).
            let total = pages.max_page * pages.limit;
            let max_page = total.div_ceil(limit.max(1));
            let first = (page.max(1) - 1) * limit;
            let count = total.saturating_sub(first).min(limit);
            generated = page_body(first as u64, count, total, max_page);
            &generated
        };
        let status = if path == PATH {
            "200 OK"
        } else {
            "404 Not Found"
        };
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        writer.write_all(head.as_bytes())?;
        writer.write_all(body)?;
    }
}

// ---------------------------------------------------------------------------------------------
// The clients

async fn run_client(client: &str, url: &str, items: usize, limit: usize) -> usize {
    match client {
        "sdk-stream" => {
            let polar = sdk(url);
            let mut stream = polar
                .customer_meters()
                .list()
                .limit(limit as i64)
                .into_stream();
            let mut seen = 0;
            while let Some(meter) = stream.try_next().await.expect("a page") {
                std::hint::black_box(&meter);
                seen += 1;
            }
            seen
        }
        "sdk-pages" => {
            let polar = sdk(url);
            let mut page = polar
                .customer_meters()
                .list()
                .limit(limit as i64)
                .send()
                .await
                .expect("the first page");
            let mut seen = 0;
            loop {
                seen += std::hint::black_box(&page.items).len();
                match page.next().await.expect("a page") {
                    Some(next) => page = next,
                    None => break seen,
                }
            }
        }
        "transport" => {
            let http = reqwest::Client::new();
            let pages = items.div_ceil(limit);
            let mut bytes = 0;
            for page in 1..=pages {
                bytes += get(&http, url, page, limit).await.len();
            }
            std::hint::black_box(bytes);
            items
        }
        _ => {
            let http = reqwest::Client::new();
            let mut seen = 0;
            let mut page = 1;
            loop {
                let body = get(&http, url, page, limit).await;
                let decoded: naive::Page = serde_json::from_slice(&body).expect("a page");
                seen += std::hint::black_box(&decoded.items).len();
                if page as i64 >= decoded.pagination.max_page || decoded.items.is_empty() {
                    break seen;
                }
                page += 1;
            }
        }
    }
}

fn sdk(url: &str) -> polar_sdk::Polar {
    polar_sdk::Polar::builder()
        .access_token("polar_oat_bench")
        .server_url(url)
        .build()
        .expect("a client")
}

async fn get(http: &reqwest::Client, url: &str, page: usize, limit: usize) -> bytes::Bytes {
    http.get(format!("{url}{PATH}?page={page}&limit={limit}"))
        .bearer_auth("polar_oat_bench")
        .send()
        .await
        .and_then(|response| response.error_for_status())
        .expect("a response")
        .bytes()
        .await
        .expect("a body")
}

/// Plain structs, as a hand-written client would declare them.
#[path = "common/naive.rs"]
mod naive;
