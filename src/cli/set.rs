//! `chainmap set PATH ID FIELD VALUE`: one edit through the window's own path (the
//! session's check, then the format-preserving save). A refused edit exits 1 and writes
//! nothing.

use super::{EXIT_MAP_ERRORS, load};
use crate::io::field::set_field;
use crate::io::save::OnDiskChange;
use crate::io::session::{Session, SessionError};
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: &Path, id: &str, field: &str, value: &str) -> anyhow::Result<ExitCode> {
    let mut session = Session::new(load(path)?);
    let refuse = |message: String| {
        eprintln!("chainmap: {message}; nothing was changed");
        Ok(ExitCode::from(EXIT_MAP_ERRORS))
    };
    let Some((kind, _)) = session.draft().find_id(id) else {
        return refuse(format!(
            "no entity of {} has the id \"{id}\"",
            path.display()
        ));
    };
    let Some(entity) = session.draft().get(kind, id) else {
        return refuse(format!("no entity has the id \"{id}\""));
    };
    let changed = match set_field(&entity, field, value) {
        Ok(changed) => changed,
        Err(error) => {
            return refuse(format!("{} \"{id}\": {error}", kind.noun()));
        }
    };
    if changed == entity {
        eprintln!("{} \"{id}\": {field} is already {value}", kind.noun());
        return Ok(ExitCode::SUCCESS);
    }
    let edit = session
        .draft()
        .replace(changed, format!("set {field} of {id}"))?;
    match session.perform(edit) {
        Ok(verdict) => {
            for warning in &verdict.warnings {
                eprintln!("warning: {warning}");
            }
        }
        Err(SessionError::Refused(verdict)) => {
            // The checker's messages name the entity already.
            return refuse(verdict.errors.join("; "));
        }
        Err(error) => return Err(error.into()),
    }
    let written = session.save(OnDiskChange::Refuse)?;
    for file in written {
        eprintln!("set {field} of {id} in {}", file.display());
    }
    Ok(ExitCode::SUCCESS)
}
