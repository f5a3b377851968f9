//! The static description of one API operation, written once per operation by the generator.

/// An HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method as reqwest names it.
    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
        }
    }
}

/// A kind of bearer token an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    /// An organization access token or a personal access token
    /// ([`PolarBuilder::access_token`](crate::PolarBuilder::access_token)).
    Organization,
    /// A customer session token, for the customer portal
    /// ([`PolarBuilder::customer_session_token`](crate::PolarBuilder::customer_session_token)).
    CustomerSession,
    /// A member session token
    /// ([`PolarBuilder::member_session_token`](crate::PolarBuilder::member_session_token)).
    MemberSession,
}

/// Decodes a documented error body of one schema into the typed error, or `None` if the body
/// is not that schema.
pub(crate) type ErrorDecoder = fn(reqwest::StatusCode, &[u8]) -> Option<crate::Error>;

/// What the runtime needs to know about an operation besides the call's parameters.
#[derive(Debug)]
pub(crate) struct Operation {
    /// `resource:operation`, e.g. `customer_meters:get`; in log events.
    pub(crate) id: &'static str,
    /// The HTTP method.
    pub(crate) method: Method,
    /// The path template, e.g. `/v1/customer-meters/{id}`.
    pub(crate) path: &'static str,
    /// The token kinds the operation accepts, preferred first. Empty: it needs no token, and
    /// no `Authorization` header is sent.
    pub(crate) auth: &'static [Auth],
    /// The documented error responses: status and the decoder of its schema. Several entries
    /// for one status are a union, tried in order; the first that decodes wins.
    pub(crate) errors: &'static [(u16, ErrorDecoder)],
}
