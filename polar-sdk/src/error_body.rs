//! The typed bodies of documented error responses.
// TEMPORARY until the generator emits errors.rs: then this file is deleted and the generated
// enum (one variant per documented error schema) takes its place at the crate root.

use crate::models;

/// The body of a documented error response, decoded into the schema the operation documents
/// for its status. Carried by [`Error::Documented`](crate::Error::Documented).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ErrorBody {
    /// The caller may not do this (stand-in until the generated enum replaces this one).
    NotPermitted(models::ResourceNotFound),
}
