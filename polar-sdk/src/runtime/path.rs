//! Path parameters, OpenAPI `style: simple`: each value becomes exactly one path segment.

use std::borrow::Cow;

use percent_encoding::utf8_percent_encode;

use super::query::COMPONENT;
use super::QueryScalar;

/// A value that can fill a `{name}` in a path template: any scalar a query can carry, with
/// the same text (`simple` and `form` styles agree on scalars).
pub(crate) trait PathParam {
    /// The unescaped text of the segment; [`RequestSpec`](super::RequestSpec) escapes it.
    fn to_path_segment(&self) -> Cow<'_, str>;
}

impl<T: QueryScalar + ?Sized> PathParam for T {
    fn to_path_segment(&self) -> Cow<'_, str> {
        self.to_query_string()
    }
}

/// Escapes `raw` so that it is exactly one path segment.
///
/// Every byte outside the RFC 3986 unreserved set is percent-encoded, so `/`, `?`, `#`, `%`,
/// `\` and `;` are inert. `.` and `..` (and the empty string) are refused rather than encoded:
/// URL parsers treat `%2E` and `%2E%2E` exactly like `.` and `..` (WHATWG URL standard), so
/// no encoding of them is safe, and the empty segment would address a different resource.
pub(crate) fn encode_segment(raw: &str) -> Result<String, &'static str> {
    match raw {
        "" => Err("must not be empty"),
        "." | ".." => Err("must not be `.` or `..`"),
        _ => Ok(utf8_percent_encode(raw, COMPONENT).to_string()),
    }
}

/// Fills `{name}` placeholders of `template` with already-encoded segments.
pub(crate) fn render(template: &str, params: &[(&'static str, String)]) -> Result<String, String> {
    let mut out =
        String::with_capacity(template.len() + params.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("unterminated placeholder in path template `{template}`"))?;
        let name = &after[..close];
        let value = params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .ok_or_else(|| format!("missing path parameter `{name}`"))?;
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(raw: &str) -> String {
        encode_segment(raw).unwrap()
    }

    #[test]
    fn segments_are_inert() {
        assert_eq!(seg("../x"), "..%2Fx");
        assert_eq!(seg("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(seg("100%"), "100%25");
        assert_eq!(seg("a\\b;c d"), "a%5Cb%3Bc%20d");
        assert_eq!(seg("..."), "...");
        assert_eq!(seg("a.b-c_d~e"), "a.b-c_d~e");
        assert_eq!(seg("ü"), "%C3%BC");
        for bad in ["", ".", ".."] {
            assert!(encode_segment(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn render_fills_placeholders() {
        let params = [("id", seg("a/b")), ("sub", seg("x"))];
        assert_eq!(
            render("/v1/things/{id}/sub/{sub}", &params).unwrap(),
            "/v1/things/a%2Fb/sub/x"
        );
        assert_eq!(render("/v1/things/", &[]).unwrap(), "/v1/things/");
        assert!(render("/v1/things/{id}", &[]).unwrap_err().contains("`id`"));
        assert!(render("/v1/things/{id", &params).is_err());
    }

    /// The escaped segments survive URL parsing unchanged (no dot-segment removal, no
    /// decoding), so the request goes to the templated path.
    #[test]
    fn url_parser_keeps_the_path() {
        for raw in [
            "../x", "a/b?c#d", "..%2F..", "%2e%2e", "./.", "\\..\\", "a b",
        ] {
            let path = render("/v1/customer-meters/{id}", &[("id", seg(raw))]).unwrap();
            let url = reqwest::Url::parse(&format!("http://h/prefix{path}")).unwrap();
            assert_eq!(url.path(), format!("/prefix{path}"), "{raw:?}");
            assert_eq!(url.query(), None, "{raw:?}");
            assert_eq!(url.fragment(), None, "{raw:?}");
            let decoded = percent_encoding::percent_decode_str(
                url.path_segments().unwrap().next_back().unwrap(),
            )
            .decode_utf8()
            .unwrap();
            assert_eq!(decoded, raw);
        }
        // Why `.`/`..` are refused instead of encoded: the parser resolves `%2E%2E` too.
        let url = reqwest::Url::parse("http://h/v1/customer-meters/%2E%2E").unwrap();
        assert_eq!(url.path(), "/v1/");
    }
}
