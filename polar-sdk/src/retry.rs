//! Retry policy: what is retried, how long to wait, when to give up.

use std::time::{Duration, SystemTime};

/// When and how failed requests are retried.
///
/// Retried (for idempotent methods, which every generated `GET` operation is):
///
/// * connection failures (refused, DNS, TLS, connect timeout);
/// * the connection breaking before the whole response arrived (reset, closed, truncated body);
/// * responses `408`, `429`, `500`, `502`, `503` and `504`.
///
/// A non-idempotent request is retried only where it cannot have been processed: connection
/// failures and responses `429` and `503`.
///
/// Not retried: other statuses, an attempt that exceeded its timeout (the timeout is the
/// caller's bound on waiting), bodies that do not decode, and failures that would repeat
/// themselves: a redirect loop, a response the HTTP parser rejects (head too large, invalid
/// `Content-Length`), a body over the size limit.
///
/// The wait before retry *n* (0-based) is a uniformly random duration between zero and
/// `min(max_backoff, initial_backoff × 2ⁿ)` ("full jitter"). If the response has a
/// `Retry-After` header (seconds or an HTTP date) that wait is used instead; when it is
/// longer than [`max_retry_after`](Self::max_retry_after) the SDK does not retry and returns
/// the error (whose [`headers`](crate::ApiError::headers) carry `Retry-After`). No retry starts
/// if waiting for it would pass [`max_elapsed`](Self::max_elapsed) since the first attempt.
///
/// ```
/// use std::time::Duration;
/// use polar_sdk::RetryConfig;
///
/// let patient = RetryConfig::default().max_retries(5).max_elapsed(Duration::from_secs(120));
/// let never = RetryConfig::none();
/// # let _ = (patient, never);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_retry_after: Duration,
}

impl Default for RetryConfig {
    /// 3 retries, backoff from 500 ms up to 8 s, at most 60 s in total, `Retry-After`
    /// honoured up to 30 s.
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryConfig {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// At most `n` retries after the first attempt (default 3).
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The backoff bound before the first retry; it doubles per retry (default 500 ms).
    #[must_use]
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// The largest backoff bound (default 8 s).
    #[must_use]
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// No retry starts after this much time since the first attempt, counting the wait
    /// before it (default 60 s).
    #[must_use]
    pub fn max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = d;
        self
    }

    /// The longest `Retry-After` the SDK waits for; longer ones end the retries (default 30 s).
    #[must_use]
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }
}

/// A parsed `Retry-After` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetryAfter {
    Delay(Duration),
    At(SystemTime),
}

impl RetryAfter {
    /// Parses delay-seconds or an HTTP date; anything else is ignored.
    pub(crate) fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            // Absurdly long numbers saturate; they are far above any cap anyway.
            let secs = value.parse::<u64>().unwrap_or(u64::MAX);
            return Some(Self::Delay(Duration::from_secs(secs)));
        }
        httpdate::parse_http_date(value).ok().map(Self::At)
    }

    fn delay(self, now: SystemTime) -> Duration {
        match self {
            Self::Delay(d) => d,
            // A date in the past means "now".
            Self::At(at) => at.duration_since(now).unwrap_or(Duration::ZERO),
        }
    }
}

/// What happened on one attempt, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A non-success status.
    Status {
        status: u16,
        retry_after: Option<RetryAfter>,
    },
    /// The connection could not be established.
    Connect,
    /// The attempt exceeded its timeout.
    Timeout,
    /// The connection failed after the request was (maybe) sent: reset, closed early,
    /// truncated body.
    Transport,
    /// A failure the same request would meet again: a redirect loop, a malformed response, a
    /// body over the size limit.
    Deterministic,
}

/// Whether to retry, and after how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    Retry(Duration),
    Stop,
}

const RETRYABLE_STATUSES: [u16; 6] = [408, 429, 500, 502, 503, 504];

/// Statuses that promise the request was not acted on.
const NOT_PROCESSED_STATUSES: &[u16] = &[429, 503];

/// The retry decision after a failed attempt. Pure, so that it can be table-tested.
///
/// * `retries_done`: how many retries already happened (0 after the first attempt);
/// * `idempotent`: whether the request may be repeated after it could have reached the server;
/// * `elapsed`: time since the first attempt started;
/// * `now`: wall-clock time, for `Retry-After` dates;
/// * `jitter`: a random number in `[0, 1]` (clamped).
pub(crate) fn decide(
    config: &RetryConfig,
    retries_done: u32,
    idempotent: bool,
    outcome: &Outcome,
    elapsed: Duration,
    now: SystemTime,
    jitter: f64,
) -> Decision {
    if retries_done >= config.max_retries {
        return Decision::Stop;
    }
    let retry_after = match outcome {
        // The request never reached the server.
        Outcome::Connect => None,
        Outcome::Transport if idempotent => None,
        // 429 and 503 say the server did not process the request, so even a
        // non-idempotent one may be sent again; 408 and other 5xx only for idempotent ones.
        Outcome::Status {
            status,
            retry_after,
        } if RETRYABLE_STATUSES.contains(status)
            && (idempotent || NOT_PROCESSED_STATUSES.contains(status)) =>
        {
            *retry_after
        }
        Outcome::Transport | Outcome::Timeout | Outcome::Deterministic | Outcome::Status { .. } => {
            return Decision::Stop
        }
    };
    let delay = match retry_after {
        Some(retry_after) => {
            let delay = retry_after.delay(now);
            if delay > config.max_retry_after {
                return Decision::Stop;
            }
            delay
        }
        None => backoff(config, retries_done, jitter),
    };
    match elapsed.checked_add(delay) {
        Some(total) if total <= config.max_elapsed => Decision::Retry(delay),
        _ => Decision::Stop,
    }
}

fn backoff(config: &RetryConfig, retries_done: u32, jitter: f64) -> Duration {
    let factor = 1u32.checked_shl(retries_done).unwrap_or(u32::MAX);
    let bound = config
        .initial_backoff
        .checked_mul(factor)
        .unwrap_or(config.max_backoff)
        .min(config.max_backoff);
    let jitter = if jitter.is_nan() {
        0.0
    } else {
        jitter.clamp(0.0, 1.0)
    };
    bound.mul_f64(jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;
    const S: fn(u64) -> Duration = Duration::from_secs;

    fn status(code: u16) -> Outcome {
        Outcome::Status {
            status: code,
            retry_after: None,
        }
    }

    fn with_retry_after(code: u16, ra: RetryAfter) -> Outcome {
        Outcome::Status {
            status: code,
            retry_after: Some(ra),
        }
    }

    #[test]
    fn decision_table() {
        let now = SystemTime::UNIX_EPOCH + S(1_700_000_000);
        let d = RetryConfig::default();
        let none = RetryConfig::none();
        let many = d.clone().max_retries(40);
        let capped = d.clone().max_retry_after(S(1));
        // (config, retries_done, idempotent, outcome, elapsed, jitter, expected)
        let table: Vec<(&RetryConfig, u32, bool, Outcome, Duration, f64, Decision)> = vec![
            // Retryable statuses, full jitter: jitter 1.0 gives the bound, 0.5 half of it.
            (
                &d,
                0,
                true,
                status(503),
                S(0),
                1.0,
                Decision::Retry(MS(500)),
            ),
            (
                &d,
                0,
                true,
                status(503),
                S(0),
                0.5,
                Decision::Retry(MS(250)),
            ),
            (&d, 0, true, status(503), S(0), 0.0, Decision::Retry(MS(0))),
            // Non-idempotent requests: only where the server did not process them.
            (
                &d,
                0,
                false,
                status(503),
                S(0),
                1.0,
                Decision::Retry(MS(500)),
            ),
            (
                &d,
                0,
                false,
                status(429),
                S(0),
                1.0,
                Decision::Retry(MS(500)),
            ),
            (&d, 0, false, status(500), S(0), 1.0, Decision::Stop),
            (&d, 0, false, status(502), S(0), 1.0, Decision::Stop),
            (&d, 0, false, status(408), S(0), 1.0, Decision::Stop),
            (
                &d,
                0,
                false,
                Outcome::Connect,
                S(0),
                1.0,
                Decision::Retry(MS(500)),
            ),
            (&d, 0, false, Outcome::Transport, S(0), 1.0, Decision::Stop),
            (&d, 1, true, status(502), S(0), 1.0, Decision::Retry(S(1))),
            (&d, 2, true, status(500), S(0), 1.0, Decision::Retry(S(2))),
            (
                &d,
                0,
                true,
                status(504),
                S(0),
                1.0,
                Decision::Retry(MS(500)),
            ),
            (
                &d,
                0,
                true,
                status(408),
                S(0),
                1.0,
                Decision::Retry(MS(500)),
            ),
            (
                &d,
                0,
                true,
                status(429),
                S(0),
                1.0,
                Decision::Retry(MS(500)),
            ),
            // Out of retries.
            (&d, 3, true, status(503), S(0), 1.0, Decision::Stop),
            (&none, 0, true, status(503), S(0), 1.0, Decision::Stop),
            (&none, 0, true, Outcome::Connect, S(0), 1.0, Decision::Stop),
            // Not retryable.
            (&d, 0, true, status(400), S(0), 1.0, Decision::Stop),
            (&d, 0, true, status(401), S(0), 1.0, Decision::Stop),
            (&d, 0, true, status(404), S(0), 1.0, Decision::Stop),
            (&d, 0, true, status(422), S(0), 1.0, Decision::Stop),
            (&d, 0, true, status(501), S(0), 1.0, Decision::Stop),
            (&d, 0, true, Outcome::Timeout, S(0), 1.0, Decision::Stop),
            (
                &d,
                0,
                true,
                Outcome::Deterministic,
                S(0),
                1.0,
                Decision::Stop,
            ),
            // Transport failures: only idempotent requests.
            (
                &d,
                0,
                true,
                Outcome::Transport,
                S(0),
                1.0,
                Decision::Retry(MS(500)),
            ),
            (&d, 0, false, Outcome::Transport, S(0), 1.0, Decision::Stop),
            (
                &d,
                0,
                false,
                Outcome::Connect,
                S(0),
                1.0,
                Decision::Retry(MS(500)),
            ),
            // Backoff is capped.
            (&d, 2, true, status(503), S(0), 1.0, Decision::Retry(S(2))),
            (
                &many,
                30,
                true,
                status(503),
                S(0),
                1.0,
                Decision::Retry(S(8)),
            ),
            (
                &many,
                35,
                true,
                status(503),
                S(0),
                1.0,
                Decision::Retry(S(8)),
            ),
            // Jitter is clamped.
            (
                &d,
                0,
                true,
                status(503),
                S(0),
                7.0,
                Decision::Retry(MS(500)),
            ),
            (&d, 0, true, status(503), S(0), -1.0, Decision::Retry(MS(0))),
            (
                &d,
                0,
                true,
                status(503),
                S(0),
                f64::NAN,
                Decision::Retry(MS(0)),
            ),
            // Retry-After seconds, honoured exactly (no jitter), up to the cap.
            (
                &d,
                0,
                true,
                with_retry_after(429, RetryAfter::Delay(S(2))),
                S(0),
                0.1,
                Decision::Retry(S(2)),
            ),
            (
                &d,
                0,
                true,
                with_retry_after(503, RetryAfter::Delay(S(30))),
                S(0),
                0.1,
                Decision::Retry(S(30)),
            ),
            (
                &d,
                0,
                true,
                with_retry_after(429, RetryAfter::Delay(S(31))),
                S(0),
                0.1,
                Decision::Stop,
            ),
            (
                &capped,
                0,
                true,
                with_retry_after(429, RetryAfter::Delay(S(2))),
                S(0),
                0.1,
                Decision::Stop,
            ),
            // Retry-After HTTP dates.
            (
                &d,
                0,
                true,
                with_retry_after(429, RetryAfter::At(now + S(5))),
                S(0),
                0.1,
                Decision::Retry(S(5)),
            ),
            (
                &d,
                0,
                true,
                with_retry_after(429, RetryAfter::At(now - S(5))),
                S(0),
                0.1,
                Decision::Retry(S(0)),
            ),
            (
                &d,
                0,
                true,
                with_retry_after(429, RetryAfter::At(now + S(3600))),
                S(0),
                0.1,
                Decision::Stop,
            ),
            // Retry-After on a status that is not retried changes nothing.
            (
                &d,
                0,
                true,
                with_retry_after(400, RetryAfter::Delay(S(1))),
                S(0),
                0.1,
                Decision::Stop,
            ),
            // The elapsed budget.
            (
                &d,
                0,
                true,
                status(503),
                S(59),
                1.0,
                Decision::Retry(MS(500)),
            ),
            (&d, 0, true, status(503), MS(59_600), 1.0, Decision::Stop),
            (
                &d,
                0,
                true,
                with_retry_after(429, RetryAfter::Delay(S(10))),
                S(55),
                0.0,
                Decision::Stop,
            ),
            (&d, 0, true, status(503), Duration::MAX, 1.0, Decision::Stop),
        ];
        for (i, (config, retries, idempotent, outcome, elapsed, jitter, expected)) in
            table.into_iter().enumerate()
        {
            assert_eq!(
                decide(config, retries, idempotent, &outcome, elapsed, now, jitter),
                expected,
                "row {i}: {outcome:?} after {retries} retries, elapsed {elapsed:?}, jitter {jitter}"
            );
        }
    }

    #[test]
    fn parse_retry_after() {
        assert_eq!(RetryAfter::parse("2"), Some(RetryAfter::Delay(S(2))));
        assert_eq!(RetryAfter::parse(" 120 "), Some(RetryAfter::Delay(S(120))));
        assert_eq!(
            RetryAfter::parse("99999999999999999999999"),
            Some(RetryAfter::Delay(S(u64::MAX)))
        );
        assert_eq!(
            RetryAfter::parse("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(RetryAfter::At(SystemTime::UNIX_EPOCH + S(784_111_777)))
        );
        for bad in ["", "-1", "1.5", "soon", "Sun, 06 Nov 1994"] {
            assert_eq!(RetryAfter::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn builder_setters() {
        let c = RetryConfig::default()
            .max_retries(7)
            .initial_backoff(MS(1))
            .max_backoff(MS(2))
            .max_elapsed(MS(3))
            .max_retry_after(MS(4));
        assert_eq!(
            c,
            RetryConfig {
                max_retries: 7,
                initial_backoff: MS(1),
                max_backoff: MS(2),
                max_elapsed: MS(3),
                max_retry_after: MS(4)
            }
        );
        assert_eq!(RetryConfig::none().max_retries, 0);
    }
}
