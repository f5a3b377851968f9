use std::borrow::Cow;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::Method;
use serde::Serialize;

use super::form::flatten;
use super::operation::{Auth, ErrorDecoder, Operation};
use super::path::{encode_segment, render};
use super::query::{encode, QueryScalar};
use super::{PathParam, QueryStyle, QueryValue};

/// How the error responses of a request are mapped to [`Error`](crate::Error) variants.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ErrorTable {
    /// A request from [`RequestSpec::new`]: `404` → `ResourceNotFound`, `422` →
    /// `HttpValidation` when the body decodes. Goes away once every operation is generated
    /// with [`RequestSpec::for_operation`].
    Legacy,
    /// The operation's documented (status, decoder) entries.
    #[allow(dead_code)] // Built by generated operations.
    Documented(&'static [(u16, ErrorDecoder)]),
}

/// A request body, serialized when it was set.
#[derive(Clone)]
pub(crate) struct Body {
    pub(crate) bytes: Bytes,
    pub(crate) content_type: &'static str,
}

/// Shows the media type and the length only: a body may hold secrets (an OAuth client
/// secret, personal data).
impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Body")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Everything about one operation call that does not depend on the client: operation id,
/// method, path, query, headers and body. Built by the generated request builders.
#[derive(Clone, Debug)]
pub(crate) struct RequestSpec {
    operation_id: &'static str,
    method: Method,
    path_template: &'static str,
    /// The token kinds the operation accepts, preferred first; empty for none.
    auth: &'static [Auth],
    errors: ErrorTable,
    /// Name and percent-encoded segment.
    path_params: Vec<(&'static str, String)>,
    /// Name (not yet encoded; `deepObject` names are built, e.g. `metadata[key]`) and
    /// percent-encoded value, in the order added.
    query: Vec<(Cow<'static, str>, String)>,
    /// Header parameters, in the order added.
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<Body>,
    /// The `Accept` media type, when not the client's (`application/json`).
    accept: Option<&'static str>,
    /// The first invalid parameter, reported when the request is sent.
    problem: Option<String>,
}

impl RequestSpec {
    /// A request for `path_template` (e.g. `/v1/customer-meters/{id}`), sent with the
    /// organization token, with `404`/`422` mapped to their typed errors.
    pub(crate) fn new(
        operation_id: &'static str,
        method: Method,
        path_template: &'static str,
    ) -> Self {
        Self {
            operation_id,
            method,
            path_template,
            auth: &[Auth::Organization],
            errors: ErrorTable::Legacy,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            accept: None,
            problem: None,
        }
    }

    /// A request for `op`: its method, path, token kinds and documented errors.
    #[allow(dead_code)] // Called by generated operations.
    pub(crate) fn for_operation(op: &'static Operation) -> Self {
        Self {
            auth: op.auth,
            errors: ErrorTable::Documented(op.errors),
            ..Self::new(op.id, op.method.to_reqwest(), op.path)
        }
    }

    /// Records the first problem; later ones are not reported.
    #[allow(dead_code)] // Called by generated operations.
    fn refuse(&mut self, problem: impl FnOnce() -> String) {
        self.problem.get_or_insert_with(problem);
    }

    /// Sets the `{name}` placeholder. The value is escaped to exactly one path segment.
    pub(crate) fn path_param<V: PathParam + ?Sized>(&mut self, name: &'static str, value: &V) {
        match encode_segment(&value.to_path_segment()) {
            Ok(segment) => self.path_params.push((name, segment)),
            Err(reason) => {
                self.problem
                    .get_or_insert_with(|| format!("path parameter `{name}` {reason}"));
            }
        }
    }

    /// Appends query pairs for `value` (none for `None`). An empty list makes the request
    /// invalid: it is reported when the request is sent, and nothing is sent.
    pub(crate) fn query<V: QueryValue + ?Sized>(
        &mut self,
        name: &'static str,
        style: QueryStyle,
        value: &V,
    ) {
        let mut pairs = Vec::new();
        let appended = value.append_query(name, style, &mut pairs);
        self.query
            .extend(pairs.into_iter().map(|(n, v)| (Cow::Borrowed(n), v)));
        if appended.is_err() {
            self.problem.get_or_insert_with(|| {
                format!(
                    "query parameter `{name}` is an empty list, which would drop it and widen \
                     the request (match all, not none); leave it unset instead. Nothing was sent"
                )
            });
        }
    }

    /// Appends an OpenAPI `deepObject` parameter: each member of the object `value` becomes
    /// `name[key]=value` (keys in the order the type writes them; a list member one pair per
    /// item, `name[key]=a&name[key]=b`; strings unquoted, numbers and booleans as JSON writes
    /// them). `None`/`null` adds nothing; `null` members are left out. A value that is not an
    /// object, a nested object or an empty list makes the request invalid (reported when it
    /// is sent; nothing is sent).
    ///
    /// The brackets are percent-encoded like every other reserved character
    /// (`metadata%5Bkey%5D=v`): RFC 3986 does not allow them raw in a query, and Polar's
    /// server (Starlette) decodes the name before reading it, so both spellings reach it alike.
    #[allow(dead_code)] // Called by generated operations.
    pub(crate) fn query_deep_object<V: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &V,
    ) {
        match flatten(value) {
            Ok(pairs) => self
                .query
                .extend(pairs.into_iter().flatten().map(|(key, v)| {
                    (
                        Cow::Owned(format!("{name}[{key}]")),
                        encode(&v).into_owned(),
                    )
                })),
            Err(reason) => self.refuse(|| format!("query parameter `{name}` {reason}")),
        }
    }

    /// Sets header parameter `name` (`None` sets nothing). A value not valid in a header, or
    /// a name the client sets itself (`Authorization`), makes the request invalid.
    #[allow(dead_code)] // Called by generated operations.
    pub(crate) fn header<V: HeaderParam + ?Sized>(&mut self, name: &'static str, value: &V) {
        let Some(text) = value.to_header_text() else {
            return;
        };
        let parsed = HeaderName::try_from(name)
            .ok()
            .filter(|n| *n != AUTHORIZATION)
            .zip(HeaderValue::try_from(text.as_ref()).ok())
            .map(|(name, mut value)| {
                // Kept out of `Debug` output; sent unchanged.
                value.set_sensitive(true);
                (name, value)
            });
        match parsed {
            Some(header) => self.headers.push(header),
            None => self.refuse(|| format!("header parameter `{name}` is not a valid header")),
        }
    }

    /// Sends `body` as JSON (`Content-Type: application/json`), serialized now. A value that
    /// cannot be serialized makes the request invalid.
    #[allow(dead_code)] // Called by generated operations.
    pub(crate) fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(Body {
                    bytes: bytes.into(),
                    content_type: "application/json",
                })
            }
            Err(e) => self.refuse(|| format!("the request body cannot be serialized: {e}")),
        }
    }

    /// Sends `body` as `application/x-www-form-urlencoded`: it must serialize to an object
    /// of strings, numbers, booleans and lists of them (a list repeats the key; `null`
    /// members are left out). Anything else makes the request invalid.
    #[allow(dead_code)] // Called by generated operations.
    pub(crate) fn form_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        match flatten(body) {
            Ok(pairs) => {
                let mut out = String::new();
                for (key, value) in pairs.into_iter().flatten() {
                    if !out.is_empty() {
                        out.push('&');
                    }
                    out.push_str(&encode(&key));
                    out.push('=');
                    out.push_str(&encode(&value));
                }
                self.body = Some(Body {
                    bytes: out.into(),
                    content_type: "application/x-www-form-urlencoded",
                });
            }
            Err(reason) => self.refuse(|| format!("the form body {reason}")),
        }
    }

    /// The media type to ask for (`Accept`) instead of `application/json`, e.g. `text/csv`.
    #[allow(dead_code)] // Called by generated operations.
    pub(crate) fn accept(&mut self, media_type: &'static str) {
        self.accept = Some(media_type);
    }

    pub(crate) fn auth(&self) -> &'static [Auth] {
        self.auth
    }

    pub(crate) fn errors(&self) -> ErrorTable {
        self.errors
    }

    pub(crate) fn headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    pub(crate) fn body(&self) -> Option<&Body> {
        self.body.as_ref()
    }

    pub(crate) fn accept_media_type(&self) -> Option<&'static str> {
        self.accept
    }

    pub(crate) fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    pub(crate) fn method(&self) -> &Method {
        &self.method
    }

    pub(crate) fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// `/path?query`, escaped, or why the request is invalid.
    pub(crate) fn path_and_query(&self) -> Result<String, String> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let mut out = render(self.path_template, &self.path_params)?;
        for (i, (name, value)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode(name));
            out.push('=');
            out.push_str(value);
        }
        Ok(out)
    }

    /// The integer value of query parameter `name`, if set.
    pub(crate) fn query_i64(&self, name: &str) -> Option<i64> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.parse().ok())
    }

    /// Sets query parameter `name` to `value`, in place if it is present (removing repeats),
    /// else at the end.
    pub(crate) fn set_query_i64(&mut self, name: &'static str, value: i64) {
        let mut value = Some(value.to_string());
        self.query.retain_mut(|(n, v)| {
            if n != name {
                return true;
            }
            match value.take() {
                Some(new) => {
                    *v = new;
                    true
                }
                None => false,
            }
        });
        if let Some(new) = value {
            self.query.push((Cow::Borrowed(name), new));
        }
    }
}

/// A value of a header parameter; `None` sets no header.
#[allow(dead_code)] // Used by generated operations.
pub(crate) trait HeaderParam {
    /// The unescaped text, or `None` for no header.
    fn to_header_text(&self) -> Option<Cow<'_, str>>;
}

impl<T: QueryScalar + ?Sized> HeaderParam for T {
    fn to_header_text(&self) -> Option<Cow<'_, str>> {
        Some(self.to_query_string())
    }
}

impl<T: QueryScalar> HeaderParam for Option<T> {
    fn to_header_text(&self) -> Option<Cow<'_, str>> {
        self.as_ref().map(QueryScalar::to_query_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: QueryStyle = QueryStyle::Form { explode: true };

    #[test]
    fn path_and_query() {
        let mut r = RequestSpec::new("op", Method::GET, "/v1/things/{id}");
        r.path_param("id", "a/b?c#d");
        r.query("q", FORM, &Some(vec!["x y".to_string(), "z".into()]));
        r.query("n", FORM, &None::<i64>);
        r.query("page", FORM, &2i64);
        assert_eq!(
            r.path_and_query().unwrap(),
            "/v1/things/a%2Fb%3Fc%23d?q=x%20y&q=z&page=2"
        );
        assert_eq!(r.query_i64("page"), Some(2));
        assert_eq!(r.query_i64("q"), None);
        r.set_query_i64("page", 3);
        assert_eq!(
            r.path_and_query().unwrap(),
            "/v1/things/a%2Fb%3Fc%23d?q=x%20y&q=z&page=3"
        );
        r.set_query_i64("q", 1);
        assert_eq!(
            r.path_and_query().unwrap(),
            "/v1/things/a%2Fb%3Fc%23d?q=1&page=3"
        );
        r.set_query_i64("limit", 10);
        assert!(r.path_and_query().unwrap().ends_with("&page=3&limit=10"));
    }

    #[test]
    fn traversal_stays_on_the_template() {
        let mut r = RequestSpec::new("op", Method::GET, "/v1/customer-meters/{id}");
        r.path_param("id", "../x");
        assert_eq!(r.path_and_query().unwrap(), "/v1/customer-meters/..%2Fx");
        for bad in ["..", ".", ""] {
            let mut r = RequestSpec::new("op", Method::GET, "/v1/customer-meters/{id}");
            r.path_param("id", bad);
            let err = r.path_and_query().unwrap_err();
            assert!(err.contains("`id`"), "{err}");
        }
    }

    #[test]
    fn debug_shows_neither_bodies_nor_header_values() {
        let mut r = RequestSpec::new("op", Method::POST, "/v1/x");
        r.form_body(&serde_json::json!({"client_secret": "hunter2"}));
        r.header("x-key", "swordfish");
        let shown = format!("{r:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("swordfish"),
            "{shown}"
        );
        assert!(shown.contains("len: 21"), "{shown}");
    }

    #[test]
    fn missing_param_is_reported() {
        let r = RequestSpec::new("op", Method::GET, "/v1/customer-meters/{id}");
        assert!(r.path_and_query().unwrap_err().contains("missing"));
    }
}
