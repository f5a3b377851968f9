//! Spec text → rustdoc attributes, one `///` line per source line.
//!
//! Spec descriptions are Markdown written for a website; rustdoc would read some of it as
//! intra-doc links (`ListResource[CustomerMeter]`), HTML tags (`<id>`), bare URLs or doctests
//! (fenced code). Those are escaped here so `cargo doc -D warnings` stays clean.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = " line"]` attributes for generator-written Markdown (kept as is); spec text
/// goes through [`spec`] first.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<&str> = text.trim_end().lines().map(str::trim_end).collect();
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// `#![doc = " line"]` attributes: the same, for a module's own docs.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let attrs = text.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {}", line.trim_end())
        };
        quote!(#![doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Spec Markdown made safe for rustdoc.
pub fn spec(text: &str) -> String {
    render(text).join("\n")
}

/// The sanitized lines, without trailing blank lines.
fn render(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        if line.trim_start().starts_with("```") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                // Fenced examples from the spec are not Rust: never run them as doctests.
                out.push("```text".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        out.push(if in_fence {
            line.to_owned()
        } else {
            escape_line(line)
        });
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Escapes one Markdown line outside inline code spans.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`') {
            // Inline code: copy through the closing backtick untouched.
            match scan(after, |c| c == '`') {
                Some(end) => {
                    out.push('`');
                    out.push_str(&after[..=end]);
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str("\\`");
                    rest = after;
                }
            }
            continue;
        }
        if let Some(link_len) = markdown_link_len(rest) {
            out.push_str(&rest[..link_len]);
            rest = &rest[link_len..];
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end =
                scan(rest, |c| c.is_whitespace() || c == ')' || c == '>').unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `text.find(predicate)`, counting the bytes it examined (see [`SCANNED`]).
fn scan(text: &str, predicate: impl Fn(char) -> bool) -> Option<usize> {
    let found = text.find(predicate);
    count_scanned(found.map_or(text.len(), |at| at + 1));
    found
}

#[cfg(test)]
thread_local! {
    /// Bytes examined by the look-ahead scans of this thread: the tests hold the sanitizer
    /// to a linear amount of work, whatever the input.
    static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
fn count_scanned(bytes: usize) {
    SCANNED.with(|scanned| scanned.set(scanned.get() + bytes));
}

#[cfg(not(test))]
fn count_scanned(_bytes: usize) {}

/// Length of a `[text](http…)` link at the start of `text`, if there is one. Each look-ahead
/// stops at the next bracket (or, in the target, at whitespace), so sanitizing a line does
/// work linear in its length however many unclosed `[` or `](` it has.
fn markdown_link_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('[')?;
    let close = scan(rest, |c| c == '[' || c == ']')?;
    if !rest[close..].starts_with("](") {
        return None;
    }
    let target = &rest[close + 2..];
    let end = scan(target, |c| {
        c == ')' || c.is_whitespace() || matches!(c, '[' | ']' | '<' | '>')
    })?;
    if !target[end..].starts_with(')') {
        return None;
    }
    let url = &target[..end];
    (url.starts_with("http") || url.starts_with('/') || url.starts_with('#'))
        .then_some(1 + close + 2 + end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_and_tags_are_escaped_outside_code() {
        assert_eq!(
            render("A ListResource[CustomerMeter] of <items>, see `a[0] <b>`."),
            [r"A ListResource\[CustomerMeter\] of \<items\>, see `a[0] <b>`."]
        );
    }

    #[test]
    fn links_are_kept_and_bare_urls_wrapped() {
        assert_eq!(
            render("See [settings](https://polar.sh/settings) or https://docs.stripe.com/x."),
            ["See [settings](https://polar.sh/settings) or <https://docs.stripe.com/x>."]
        );
    }

    #[test]
    fn fences_never_become_doctests() {
        assert_eq!(
            render("Example:\n```\nx = 1\n```"),
            ["Example:", "```text", "x = 1", "```"]
        );
    }

    /// Look-ahead work stays proportional to the input on inputs built to defeat it: many
    /// `[` without a link, `](` without a `)`, unclosed backticks, URLs without an end.
    #[test]
    fn sanitizing_is_linear_in_the_input() {
        let units = [
            "a [b] <c> `d ",
            "[x](y ",
            "[x](http://a[x](http://b ",
            "[[[[ ",
            "` ",
            "see https://x.test/a",
            "plain words only ",
        ];
        for unit in units {
            for single_line in [true, false] {
                let mut text = unit.repeat(200_000 / unit.len());
                if !single_line {
                    text = text.replace(' ', "\n");
                }
                SCANNED.with(|scanned| scanned.set(0));
                let rendered = spec(&text);
                let scanned = SCANNED.with(std::cell::Cell::get);
                assert!(
                    scanned <= 4 * text.len(),
                    "{unit:?}: {scanned} bytes scanned for {} bytes of input",
                    text.len()
                );
                assert!(rendered.len() >= text.trim().len() / 2);
            }
        }
    }

    /// A 5 MB description is sanitized in one pass (a quadratic pass would not finish).
    #[test]
    fn five_megabytes_of_brackets() {
        let text = "a [b](c <d> `e ".repeat(5 * 1024 * 1024 / 15);
        SCANNED.with(|scanned| scanned.set(0));
        let rendered = spec(&text);
        assert!(rendered.contains(r"a \[b\](c \<d\>"));
        assert!(SCANNED.with(std::cell::Cell::get) <= 4 * text.len());
    }

    #[test]
    fn one_attribute_per_line() {
        let tokens = doc_attrs(&spec("one\n\ntwo [x]")).to_string();
        assert!(tokens.contains(r#"" two \\[x\\]""#), "{tokens}");
        assert_eq!(tokens.matches("doc").count(), 3, "{tokens}");
    }
}
