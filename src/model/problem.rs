//! Problems found in a map, pointing at the entity (and field) at fault. `io` turns a
//! [`Subject`] into a file, line and column.

pub use super::kinds::EntityKind;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One step into an entity: a field, or an item of a list field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathSeg {
    Field(&'static str),
    Item(usize),
}

/// What a problem is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The `index`-th entity of its kind in the merged draft, and a path into it.
    Entity {
        kind: EntityKind,
        index: usize,
        path: Vec<PathSeg>,
    },
    /// The map as a whole (a missing title, say).
    Map,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub subject: Subject,
    pub message: String,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The entity's field at fault, when the problem names one.
    pub fn field(&self) -> Option<&'static str> {
        match &self.subject {
            Subject::Entity { path, .. } => match path.first() {
                Some(PathSeg::Field(field)) => Some(field),
                _ => None,
            },
            Subject::Map => None,
        }
    }
}
