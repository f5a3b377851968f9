use reqwest::Method;

use super::path::{encode_segment, render};
use super::query::encode;
use super::{PathParam, QueryStyle, QueryValue};

/// Everything about one operation call that does not depend on the client: operation id,
/// method, path and query. Built by the generated request builders.
#[derive(Clone, Debug)]
pub(crate) struct RequestSpec {
    operation_id: &'static str,
    method: Method,
    path_template: &'static str,
    /// Name and percent-encoded segment.
    path_params: Vec<(&'static str, String)>,
    /// Name and percent-encoded value, in the order added.
    query: Vec<(&'static str, String)>,
    /// The first invalid parameter, reported when the request is sent.
    problem: Option<String>,
}

impl RequestSpec {
    /// A request for `path_template` (e.g. `/v1/customer-meters/{id}`).
    pub(crate) fn new(
        operation_id: &'static str,
        method: Method,
        path_template: &'static str,
    ) -> Self {
        Self {
            operation_id,
            method,
            path_template,
            path_params: Vec::new(),
            query: Vec::new(),
            problem: None,
        }
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
        if value.append_query(name, style, &mut self.query).is_err() {
            self.problem.get_or_insert_with(|| {
                format!(
                    "query parameter `{name}` is an empty list, which would drop it and widen \
                     the request (match all, not none); leave it unset instead. Nothing was sent"
                )
            });
        }
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
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.parse().ok())
    }

    /// Sets query parameter `name` to `value`, in place if it is present (removing repeats),
    /// else at the end.
    pub(crate) fn set_query_i64(&mut self, name: &'static str, value: i64) {
        let mut value = Some(value.to_string());
        self.query.retain_mut(|(n, v)| {
            if *n != name {
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
            self.query.push((name, new));
        }
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
    fn missing_param_is_reported() {
        let r = RequestSpec::new("op", Method::GET, "/v1/customer-meters/{id}");
        assert!(r.path_and_query().unwrap_err().contains("missing"));
    }
}
