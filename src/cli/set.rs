//! `chainmap set PATH ID FIELD VALUE`: one edit through the window's own path (the
//! session's check, then the format-preserving save). A refused edit exits 1 and writes
//! nothing.

use super::{EXIT_MAP_ERRORS, load};
use crate::io::field::set_field;
use crate::io::save::{OnDiskChange, SaveError};
use crate::io::session::{Session, SessionError};
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: &Path, id: &str, field: &str, value: &str) -> anyhow::Result<ExitCode> {
    // The map is read under its lock and the lock is held until the save: another
    // chainmap saving the map waits, then this one reads what it saved, so that two `set`s
    // started together both land.
    let mut session = if path.exists() {
        Session::open_locked(path, || load(path))??
    } else {
        Session::new(load(path)?)
    };
    let refuse = |message: String| {
        eprintln!(
            "chainmap: {}; nothing was changed",
            super::terminal_safe(&message)
        );
        Ok(ExitCode::from(EXIT_MAP_ERRORS))
    };
    if session.draft().id_count(id) > 1 {
        return refuse(format!(
            "{} entities share the id \"{id}\"; give each its own id first",
            session.draft().id_count(id)
        ));
    }
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
    let edit = session
        .draft()
        .replace(changed, format!("set {field} of {id}"))?;
    // A figure's number keeps the decimals it was given: `80.0` claims a tenth, and `80`
    // onto a file's `80.0` takes that claim back.
    if kind == crate::model::EntityKind::Figure && matches!(field, "low" | "high") {
        let mut precision = session
            .draft()
            .precisions
            .get(id)
            .copied()
            .unwrap_or_default();
        let value = value.trim();
        let decimals = crate::io::number_decimals(value).filter(|_| value.parse::<f64>().is_ok());
        if field == "low" {
            precision.low = decimals;
        } else {
            precision.high = decimals;
        }
        session.set_precision(id, precision);
    }
    match session.perform(edit) {
        Ok(verdict) => {
            for warning in &verdict.warnings {
                eprintln!("warning: {}", super::terminal_safe(warning));
            }
        }
        Err(SessionError::Refused(verdict)) => {
            // The checker's messages name the entity already.
            return refuse(verdict.errors.join("; "));
        }
        Err(SessionError::Save(error @ SaveError::TooLarge { .. })) => {
            return refuse(error.to_string());
        }
        Err(error) => return Err(error.into()),
    }
    // The same number, written as the file writes it already (`80` for 80, or `80.0` where
    // the file says `80.0`): nothing to save. `80.0` onto `80` is a change of the file.
    if session.changed_files().is_empty() {
        eprintln!(
            "{}",
            super::terminal_safe(&format!(
                "{} \"{id}\": {field} is already {value}",
                kind.noun()
            ))
        );
        return Ok(ExitCode::SUCCESS);
    }
    let written = session.save(OnDiskChange::Refuse)?;
    for file in written {
        eprintln!(
            "{}",
            super::terminal_safe(&format!("set {field} of {id} in {}", file.display()))
        );
    }
    Ok(ExitCode::SUCCESS)
}
