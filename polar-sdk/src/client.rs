//! The client and its builder. Requests run in [`Executor`](crate::runtime::executor::Executor).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use reqwest::Url;

use crate::body::DEFAULT_MAX_RESPONSE_SIZE;
use crate::error::{ConfigError, Error};
use crate::retry::RetryConfig;
use crate::runtime::executor::{Executor, Tokens};
use crate::{Server, API_VERSION};

/// The `User-Agent` the SDK sends.
const SDK_USER_AGENT: &str = concat!("polar-sdk-rust/", env!("CARGO_PKG_VERSION"));
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const POLAR_VERSION: HeaderName = HeaderName::from_static("polar-version");

/// A client for the Polar API.
///
/// Cheap to clone (the state is shared behind an `Arc`); clones share the connection pool.
/// Operations are grouped by resource, e.g. [`Polar::customer_meters`].
///
/// ```no_run
/// use polar_sdk::{Polar, Server};
///
/// let production = Polar::new("polar_oat_...");
/// let sandbox = Polar::builder().access_token("polar_oat_...").server(Server::Sandbox).build()?;
/// # Ok::<(), polar_sdk::Error>(())
/// ```
#[derive(Clone)]
pub struct Polar {
    executor: Arc<Executor>,
}

impl Polar {
    /// A production client with default settings.
    ///
    /// Never panics: if `access_token` is empty or not valid in an HTTP header, every request
    /// of this client fails with [`Error::Config`] saying so. Use [`Polar::builder`] to get
    /// that error up front instead.
    pub fn new(access_token: impl Into<String>) -> Self {
        match Self::builder().access_token(access_token).build_inner() {
            Ok(client) => client,
            Err(error) => Polar {
                executor: Arc::new(Executor {
                    http: None,
                    base_url: Server::default().url().to_owned(),
                    headers: HeaderMap::new(),
                    tokens: Tokens::default(),
                    timeout: DEFAULT_TIMEOUT,
                    retry: RetryConfig::none(),
                    max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
                    limiter: None,
                    unusable: Some(error),
                }),
            },
        }
    }

    /// A builder for a client with non-default settings.
    pub fn builder() -> PolarBuilder {
        PolarBuilder::default()
    }

    /// The base URL requests go to (without a trailing slash).
    pub fn base_url(&self) -> &str {
        &self.executor.base_url
    }

    /// The executor this client's requests run on.
    pub(crate) fn executor(&self) -> &Arc<Executor> {
        &self.executor
    }
}

impl fmt::Debug for Polar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Polar")
            .field("base_url", &self.executor.base_url)
            .field("api_version", &API_VERSION)
            .field(
                "access_token",
                &self.executor.tokens.organization.as_ref().map(|_| Redacted),
            )
            .field(
                "customer_session_token",
                &self
                    .executor
                    .tokens
                    .customer_session
                    .as_ref()
                    .map(|_| Redacted),
            )
            .field(
                "member_session_token",
                &self
                    .executor
                    .tokens
                    .member_session
                    .as_ref()
                    .map(|_| Redacted),
            )
            .field("timeout", &self.executor.timeout)
            .field("retry", &self.executor.retry)
            .field("max_response_size", &self.executor.max_response_size)
            .field(
                "max_concurrent_requests",
                &self.executor.limiter.as_ref().map(|(n, _)| n),
            )
            .finish_non_exhaustive()
    }
}

/// Configures a [`Polar`] client.
///
/// ```no_run
/// use std::time::Duration;
/// use polar_sdk::{Polar, RetryConfig};
///
/// let polar = Polar::builder()
///     .access_token(std::env::var("POLAR_ACCESS_TOKEN").unwrap_or_default())
///     .server_url("http://127.0.0.1:4010")
///     .timeout(Duration::from_secs(10))
///     .retry(RetryConfig::default().max_retries(5))
///     .build()?;
/// # Ok::<(), polar_sdk::Error>(())
/// ```
#[derive(Clone, Default)]
#[must_use]
pub struct PolarBuilder {
    access_token: Option<Secret>,
    customer_session_token: Option<Secret>,
    member_session_token: Option<Secret>,
    server: Server,
    server_url: Option<String>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    user_agent_suffix: Option<String>,
    default_headers: Vec<(String, String)>,
    max_response_size: Option<u64>,
    max_concurrent_requests: Option<usize>,
    /// Set by [`PolarBuilder::without_token`]: building without any token is intended.
    tokenless: bool,
}

impl PolarBuilder {
    /// Builds a client that carries no token, for the operations that need none: license
    /// key validation and activation from a customer's machine, the checkout page's client
    /// calls, the OAuth2 token endpoints. Ship this in software you distribute instead of an
    /// organization token, which must never leave your servers. Any other operation is sent
    /// without `Authorization` and refused by the server (`401`).
    ///
    /// Without this, [`build`](Self::build) refuses a builder with no token, so that a
    /// forgotten token is found at start-up rather than at the first call.
    pub fn without_token(mut self) -> Self {
        self.tokenless = true;
        self
    }

    /// An organization access token (or a personal access token), for the operations an
    /// organization performs: almost all of them. Sent as `Authorization: Bearer <token>`.
    ///
    /// A client needs at least one token of any kind; it may carry several. Each request
    /// sends the first kind its operation accepts that the client has (none for the few
    /// operations that need no token); when the client has none of those, it sends the token
    /// it has, organization first, and the server answers (typically `401`).
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(Secret(token.into()));
        self
    }

    /// A customer session token, for the customer portal operations (`customer_portal`
    /// resources), which act as one customer. Created by an organization for its customer;
    /// see [`access_token`](Self::access_token) for how a request picks its token.
    pub fn customer_session_token(mut self, token: impl Into<String>) -> Self {
        self.customer_session_token = Some(Secret(token.into()));
        self
    }

    /// A member session token, for the operations that act as one member of a customer
    /// (the member parts of the customer portal); see [`access_token`](Self::access_token)
    /// for how a request picks its token.
    pub fn member_session_token(mut self, token: impl Into<String>) -> Self {
        self.member_session_token = Some(Secret(token.into()));
        self
    }

    /// One of Polar's servers (default [`Server::Production`]). Ignored if
    /// [`server_url`](Self::server_url) is set.
    pub fn server(mut self, server: Server) -> Self {
        self.server = server;
        self
    }

    /// A custom base URL, e.g. a mock server. A path prefix is kept; a trailing slash does
    /// not matter.
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }

    /// Uses this HTTP client instead of building one. Its redirect, proxy and TLS settings
    /// apply; [`connect_timeout`](Self::connect_timeout) cannot be combined with it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The timeout of each attempt, from connecting until the body is read (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The timeout for establishing a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The retry policy (default [`RetryConfig::default`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The largest response body read, in bytes (default 32 MiB). A longer body fails the
    /// call with [`Error::ResponseTooLarge`] as soon as it is known to be longer (from its
    /// `Content-Length`, or counted while reading; after decompression), so a broken server
    /// cannot exhaust memory. Of an error response only the first
    /// [`ApiError::ERROR_BODY_LIMIT`](crate::ApiError::ERROR_BODY_LIMIT) bytes are read.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// At most `n` requests of this client (and its clones) are in flight at once; the others
    /// wait for a slot (unbounded by default, so 2,000 concurrent calls open 2,000
    /// connections). A slot is held per attempt, from sending until the body is read, and
    /// released during the backoff between retries. Waiting for a slot does not count toward
    /// the [`timeout`](Self::timeout). `n` must be at least 1.
    pub fn max_concurrent_requests(mut self, n: usize) -> Self {
        self.max_concurrent_requests = Some(n);
        self
    }

    /// Appended to the `User-Agent` after a space, e.g. `my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// A header sent with every request. It replaces an SDK header of the same name, except
    /// `Authorization`, which only the tokens set.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] if the token is missing or not valid in a header, the URL is
    /// not an absolute `http(s)` URL without credentials, query or fragment, a header is
    /// invalid, or the HTTP client cannot be initialised.
    pub fn build(self) -> Result<Polar, Error> {
        self.build_inner().map_err(Error::Config)
    }

    fn build_inner(self) -> Result<Polar, ConfigError> {
        if !self.tokenless
            && self.access_token.is_none()
            && self.customer_session_token.is_none()
            && self.member_session_token.is_none()
        {
            return Err(ConfigError::new(
                "a token is required (PolarBuilder::access_token, customer_session_token or \
                 member_session_token; or PolarBuilder::without_token for public operations only)",
            ));
        }
        let tokens = Tokens {
            organization: authorization(self.access_token.as_ref(), "access token")?,
            customer_session: authorization(
                self.customer_session_token.as_ref(),
                "customer session token",
            )?,
            member_session: authorization(
                self.member_session_token.as_ref(),
                "member session token",
            )?,
        };

        let base_url = match &self.server_url {
            Some(url) => normalize_base_url(url)?,
            None => self.server.url().to_owned(),
        };

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) => {
                HeaderValue::try_from(format!("{SDK_USER_AGENT} {suffix}")).map_err(|_| {
                    ConfigError::new("the user agent suffix is not valid in an HTTP header")
                })?
            }
            None => HeaderValue::from_static(SDK_USER_AGENT),
        };
        headers.insert(USER_AGENT, user_agent);
        headers.insert(POLAR_VERSION, HeaderValue::from_static(API_VERSION));
        for (name, value) in &self.default_headers {
            let name = HeaderName::try_from(name.as_str()).map_err(|_| {
                ConfigError::new(format!(
                    "invalid header name `{}`",
                    crate::error::snippet(name)
                ))
            })?;
            if name == AUTHORIZATION {
                return Err(ConfigError::new(
                    "the Authorization header is set from the tokens; use PolarBuilder::access_token",
                ));
            }
            let value = HeaderValue::try_from(value.as_str())
                .map_err(|_| ConfigError::new(format!("invalid value for header `{name}`")))?;
            headers.insert(name, value);
        }

        let http = match self.http_client {
            Some(client) if self.connect_timeout.is_some() => {
                drop(client);
                return Err(ConfigError::new(
                    "connect_timeout cannot be applied to a client given with http_client; configure it there",
                ));
            }
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(|e| ConfigError::new(format!("cannot initialise the HTTP client: {e}")))?,
        };

        let limiter = match self.max_concurrent_requests {
            None => None,
            Some(0) => {
                return Err(ConfigError::new(
                    "max_concurrent_requests must be at least 1",
                ))
            }
            Some(n) => {
                let n = n.min(tokio::sync::Semaphore::MAX_PERMITS);
                Some((n, Arc::new(tokio::sync::Semaphore::new(n))))
            }
        };

        Ok(Polar {
            executor: Arc::new(Executor {
                http: Some(http),
                base_url,
                headers,
                tokens,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retry: self.retry.unwrap_or_default(),
                max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
                limiter,
                unusable: None,
            }),
        })
    }
}

impl fmt::Debug for PolarBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PolarBuilder")
            .field("access_token", &self.access_token)
            .field("customer_session_token", &self.customer_session_token)
            .field("member_session_token", &self.member_session_token)
            .field("server", &self.server)
            // `build` refuses URLs with credentials, a query or a fragment; until then, never
            // print them (a token may hide there).
            .field("server_url", &self.server_url.as_deref().map(redacted_url))
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("max_response_size", &self.max_response_size)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// The `Authorization` value (marked sensitive) for a token, if set and valid.
fn authorization(
    token: Option<&Secret>,
    kind: &'static str,
) -> Result<Option<HeaderValue>, ConfigError> {
    let Some(token) = token else {
        return Ok(None);
    };
    if token.0.trim().is_empty() {
        return Err(ConfigError::new(format!("the {kind} is empty")));
    }
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.0)).map_err(|_| {
        ConfigError::new(format!(
            "the {kind} contains characters not allowed in an HTTP header"
        ))
    })?;
    value.set_sensitive(true);
    Ok(Some(value))
}

/// `url` without credentials, query and fragment (each replaced by a marker), for `Debug`.
fn redacted_url(url: &str) -> String {
    let Ok(mut parsed) = Url::parse(url.trim()) else {
        return "<redacted: not a valid URL>".to_owned();
    };
    let mut markers = Vec::new();
    if !parsed.username().is_empty() || parsed.password().is_some() {
        // Setting these fails only for URLs that cannot have credentials (then they have none).
        let _ = parsed.set_username("");
        let _ = parsed.set_password(None);
        markers.push("credentials");
    }
    if parsed.query().is_some() {
        parsed.set_query(None);
        markers.push("query");
    }
    if parsed.fragment().is_some() {
        parsed.set_fragment(None);
        markers.push("fragment");
    }
    if markers.is_empty() {
        parsed.to_string()
    } else {
        format!("{parsed} <redacted: {}>", markers.join(", "))
    }
}

/// Checks a custom base URL and strips its trailing slashes.
fn normalize_base_url(raw: &str) -> Result<String, ConfigError> {
    let url =
        Url::parse(raw.trim()).map_err(|e| ConfigError::new(format!("invalid server URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ConfigError::new(format!(
            "the server URL must be http or https, not `{}`",
            url.scheme()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::new(
            "the server URL must not contain credentials",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::new(
            "the server URL must not have a query or fragment",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A string that never shows in `Debug`.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Redacted.fmt(f)
    }
}

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        for (raw, expected) in [
            ("http://127.0.0.1:4010", "http://127.0.0.1:4010"),
            ("http://127.0.0.1:4010/", "http://127.0.0.1:4010"),
            ("https://example.com/prefix/", "https://example.com/prefix"),
            ("https://example.com/prefix", "https://example.com/prefix"),
            ("  https://EXAMPLE.com//  ", "https://example.com"),
        ] {
            assert_eq!(normalize_base_url(raw).unwrap(), expected, "{raw}");
        }
        for bad in [
            "",
            "example.com",
            "ftp://x",
            "http://u:p@x",
            "http://x/?a=1",
            "http://x/#f",
            "mailto:a@b",
        ] {
            assert!(normalize_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn redacted_urls() {
        assert_eq!(
            redacted_url("http://127.0.0.1:4010"),
            "http://127.0.0.1:4010/"
        );
        assert_eq!(
            redacted_url("https://u:p@x.test/v1?token=s#f"),
            "https://x.test/v1 <redacted: credentials, query, fragment>"
        );
        assert_eq!(redacted_url("x y"), "<redacted: not a valid URL>");
    }

    #[test]
    fn builder_errors() {
        let err = Polar::builder().build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        assert!(err.to_string().contains("without_token"), "{err}");
        let public = Polar::builder().without_token().build().unwrap();
        assert!(
            format!("{public:?}").contains("access_token: None"),
            "{public:?}"
        );
        assert!(Polar::builder().access_token(" ").build().is_err());
        assert!(Polar::builder().access_token("a\nb").build().is_err());
        assert!(Polar::builder()
            .access_token("t")
            .default_header("Authorization", "x")
            .build()
            .is_err());
        assert!(Polar::builder()
            .access_token("t")
            .default_header("bad name", "x")
            .build()
            .is_err());
        assert!(Polar::builder()
            .access_token("t")
            .default_header("x-a", "a\nb")
            .build()
            .is_err());
        assert!(Polar::builder()
            .access_token("t")
            .user_agent_suffix("a\nb")
            .build()
            .is_err());
        assert!(Polar::builder()
            .access_token("t")
            .http_client(reqwest::Client::new())
            .connect_timeout(Duration::from_secs(1))
            .build()
            .is_err());
        let ok = Polar::builder()
            .access_token("t")
            .http_client(reqwest::Client::new())
            .build()
            .unwrap();
        assert_eq!(ok.base_url(), "https://api.polar.sh");
        let sandbox = Polar::builder()
            .access_token("t")
            .server(Server::Sandbox)
            .build()
            .unwrap();
        assert_eq!(sandbox.base_url(), "https://sandbox-api.polar.sh");
        let limited = Polar::builder()
            .access_token("t")
            .max_concurrent_requests(4)
            .max_response_size(1000)
            .build()
            .unwrap();
        let shown = format!("{limited:?}");
        assert!(
            shown.contains("max_concurrent_requests: Some(4)"),
            "{shown}"
        );
        assert!(shown.contains("max_response_size: 1000"), "{shown}");
    }
}
