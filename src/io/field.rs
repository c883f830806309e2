//! Setting one field of an entity from text, written as in the map files: `74`,
//! `Bullish`, `"2024-06"`, `["openai", "anthropic"]`, `None` to clear. Text that does not
//! read as RON for the field is taken as a plain string, so that `claim 'Chips are
//! scarce'` needs no extra quotes. Used by `chainmap set`; the window edits fields with
//! typed widgets instead.

use super::spans::{self, Body};
use super::write::entity_ron;
use crate::model::{Entity, EntityKind, EntityType};

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum FieldError {
    #[error("an entity's id cannot be changed with `set`")]
    Id,
    #[error("{kind} has no field `{field}`; its fields are: {fields}")]
    Unknown {
        kind: &'static str,
        field: String,
        fields: String,
    },
    #[error("`{value}` is not a valid {field}: {reason}")]
    Invalid {
        field: String,
        value: String,
        reason: String,
    },
}

/// The entity with `field` set to `value`.
pub fn set_field(entity: &Entity, field: &str, value: &str) -> Result<Entity, FieldError> {
    if field == "id" {
        return Err(FieldError::Id);
    }
    let canonical = entity_ron(entity).map_err(|error| FieldError::Invalid {
        field: field.to_owned(),
        value: value.to_owned(),
        reason: error.to_string(),
    })?;
    let fields = field_names(entity.kind());
    if !fields.contains(&field) {
        return Err(FieldError::Unknown {
            kind: entity.kind().noun(),
            field: field.to_owned(),
            fields: fields.join(", "),
        });
    }
    let with = |value_text: &str| {
        // The value must be one RON value by itself: text such as `"X", url: "…"` would
        // otherwise set a second field.
        let Ok(parsed) = ron::from_str::<ron::Value>(value_text) else {
            return Err("not a single RON value".to_owned());
        };
        if value_text.trim().is_empty() {
            return Err("not a single RON value".to_owned());
        }
        if !all_finite(&parsed) {
            return Err("must be a finite number".to_owned());
        }
        let text = replace_field(&canonical, field, value_text);
        parse_entity(entity.kind(), &text)
    };
    match with(value) {
        Ok(entity) => Ok(entity),
        Err(first) => {
            let quoted = format!("{value:?}");
            let value = value.trim_start();
            let already_quoted =
                value.starts_with('"') || value.starts_with("r\"") || value.starts_with("r#");
            match (already_quoted, with(&quoted)) {
                (false, Ok(entity)) => Ok(entity),
                _ => Err(FieldError::Invalid {
                    field: field.to_owned(),
                    value: value.to_owned(),
                    reason: first,
                }),
            }
        }
    }
}

/// Whether every number in `value` is finite: a NaN would never equal itself, so an
/// entity holding one could not be found again by the edit that made it.
fn all_finite(value: &ron::Value) -> bool {
    match value {
        ron::Value::Number(number) => number.into_f64().is_finite(),
        ron::Value::Seq(items) => items.iter().all(all_finite),
        ron::Value::Map(map) => map.iter().all(|(k, v)| all_finite(k) && all_finite(v)),
        ron::Value::Option(Some(inner)) => all_finite(inner),
        _ => true,
    }
}

/// The fields an entity of `kind` may have, in the format's order, as serde knows them:
/// the entity types are the one place the format is spelled out.
pub fn field_names(kind: EntityKind) -> &'static [&'static str] {
    let probe = format!("{}(field_names_probe: 0)", kind.struct_name());
    let error = crate::with_kind!(kind, T => options().from_str::<T>(&probe).err());
    match error.map(|e| e.code) {
        Some(ron::Error::NoSuchStructField { expected, .. }) => expected,
        _ => &[],
    }
}

/// `text` (a canonical struct) with `field`'s value replaced by `value`, or the field
/// added before the closing bracket when the struct leaves it out.
fn replace_field(text: &str, field: &str, value: &str) -> String {
    let Some(root) = spans::scan(text) else {
        return text.to_owned();
    };
    if let Some(found) = root.field(field) {
        let (start, end) = (found.value.start, found.value.end);
        return format!("{}{value}{}", &text[..start], &text[end..]);
    }
    let close = match root.body {
        Body::Fields(_) => root.end.saturating_sub(1),
        _ => return text.to_owned(),
    };
    format!(
        "{}    {field}: {value},\n{}",
        &text[..close],
        &text[close..]
    )
}

fn options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(super::MAX_NESTING)
}

/// Parses an entity of `kind`; the error is ron's message without its position, which
/// would point into text the reader never saw.
fn parse_entity(kind: EntityKind, text: &str) -> Result<Entity, String> {
    let options = options();
    crate::with_kind!(kind, T => options.from_str::<T>(text).map(EntityType::into_entity))
        .map_err(|error| error.code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, NodeKind};

    fn node() -> Entity {
        Entity::Node(Node::new("nvidia", "NVIDIA", NodeKind::Company, "hardware"))
    }

    fn set(field: &str, value: &str) -> Result<Node, FieldError> {
        match set_field(&node(), field, value)? {
            Entity::Node(node) => Ok(node),
            other => panic!("a node stays a node, got {other:?}"),
        }
    }

    #[test]
    fn values_read_as_ron_or_as_plain_text() {
        assert_eq!(
            set("name", "Nvidia Corp").map(|n| n.name),
            Ok("Nvidia Corp".into())
        );
        assert_eq!(set("name", "\"2024\"").map(|n| n.name), Ok("2024".into()));
        assert_eq!(set("name", "2024").map(|n| n.name), Ok("2024".into()));
        assert_eq!(
            set("name_zh", "英伟达").map(|n| n.name_zh),
            Ok(Some("英伟达".into()))
        );
        assert_eq!(set("kind", "Lab").map(|n| n.kind), Ok(NodeKind::Lab));
        assert_eq!(
            set("tags", r#"["gpu", "cuda"]"#).map(|n| n.tags),
            Ok(vec!["gpu".into(), "cuda".into()])
        );
        assert_eq!(
            set("pin", "(10, 20.5)").map(|n| n.pin),
            Ok(Some((10.0, 20.5)))
        );
        let with_zh = set("name_zh", "英伟达").expect("sets");
        let cleared = set_field(&Entity::Node(with_zh), "name_zh", "None").expect("clears");
        assert_eq!(cleared, node());
    }

    #[test]
    fn field_names_come_from_the_entity_types() {
        assert_eq!(
            field_names(EntityKind::Market),
            ["id", "name", "name_zh", "description", "description_zh"]
        );
        for kind in EntityKind::ALL {
            assert_eq!(field_names(kind).first(), Some(&"id"), "{kind:?}");
        }
    }

    #[test]
    fn a_value_cannot_set_a_second_field() {
        let error = set("name", r#""X", url: "https://x.example""#).expect_err("two values");
        assert!(
            error.to_string().contains("not a single RON value"),
            "{error}"
        );
        let named = set("name", r#"X, url: "https://x.example""#).expect("taken as text");
        assert_eq!(named.name, r#"X, url: "https://x.example""#);
        assert_eq!(named.url, None);
    }

    #[test]
    fn wrong_values_and_fields_are_refused_with_reasons() {
        let error = set("kind", "Bank").expect_err("no such kind");
        assert!(
            error.to_string().contains("`Bank` is not a valid kind"),
            "{error}"
        );
        let error = set("pin", "here").expect_err("not a position");
        assert!(
            error.to_string().starts_with("`here` is not a valid pin"),
            "{error}"
        );
        let error = set("colour", "red").expect_err("no such field");
        assert!(
            error.to_string().contains("its fields are: id, name"),
            "{error}"
        );
        assert_eq!(set("id", "amd"), Err(FieldError::Id));
    }
}
