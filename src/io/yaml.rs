//! A small YAML tree with positions, read from the events of `saphyr-parser` (a pure-Rust
//! YAML 1.2 parser), for importers that must say where in the file each thing was.
//!
//! Built for untrusted files: nesting deeper than [`super::MAX_NESTING`] is refused as
//! soon as the parser reaches it (before the rest is read), and aliases are expanded
//! within a budget of nodes, so that a small file cannot grow into a huge tree. Only the
//! first document of a stream is read. Every scalar is kept as the text it was written
//! as; the importer decides what it means.

use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use std::collections::HashMap;

/// A value of the file and where it starts (1-based line and column).
#[derive(Clone, Debug, PartialEq)]
pub struct Yaml {
    pub line: usize,
    pub col: usize,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// Any other scalar, as text (`true`, `12` and `"12"` alike).
    Text(String),
    List(Vec<Yaml>),
    /// Keys in file order, each with where the key is written.
    Map(Vec<(Key, Yaml)>),
}

/// A mapping's key and where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub line: usize,
    pub col: usize,
}

impl Yaml {
    /// The value of `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a scalar (`None` for null, a list or a mapping).
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }

    /// What kind of value this is, for messages.
    pub fn noun(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Text(_) => "a text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// How many values the tree holds, and how many bytes of text (keys and scalars).
    fn size(&self) -> (usize, usize) {
        let add = |(a, b): (usize, usize), (c, d): (usize, usize)| (a + c, b + d);
        match &self.value {
            Value::Null => (1, 0),
            Value::Text(text) => (1, text.len()),
            Value::List(items) => items.iter().map(Yaml::size).fold((1, 0), add),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| add((1, k.name.len()), v.size()))
                .fold((1, 0), add),
        }
    }
}

/// Why a YAML text could not be read, and where (1-based line and column).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// How many nodes aliases may add in all: far more than a real landscape repeats.
const ALIAS_BUDGET: usize = 100_000;
/// How many bytes of text aliases may add in all: a long text anchored once and aliased
/// a hundred times must not become a map file larger than the file it came from.
const ALIAS_BYTE_BUDGET: usize = 4 * 1024 * 1024;

fn at(marker: &Marker) -> (usize, usize) {
    (marker.line().max(1), marker.col() + 1)
}

enum Frame {
    List {
        start: Marker,
        anchor: usize,
        items: Vec<Yaml>,
    },
    Map {
        start: Marker,
        anchor: usize,
        entries: Vec<(Key, Yaml)>,
        key: Option<Key>,
    },
}

/// Reads the first document of `text` into a tree; an empty text is `Null`.
pub fn parse(text: &str) -> Result<Yaml, YamlError> {
    let mut tree = TreeBuilder::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| error_at(e.marker(), e.info().to_owned()))?;
        let start = span.start;
        let node = match event {
            Event::SequenceStart(anchor, _) => {
                tree.open(Frame::List {
                    start,
                    anchor,
                    items: Vec::new(),
                })?;
                continue;
            }
            Event::MappingStart(anchor, _) => {
                tree.open(Frame::Map {
                    start,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                })?;
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match tree.close() {
                Some(node) => node,
                None => continue,
            },
            Event::Scalar(text, style, anchor, _) => {
                tree.anchored(anchor, located(&start, scalar_value(&text, style)))
            }
            Event::Alias(id) => tree.alias(id, &start)?,
            Event::DocumentEnd => {
                if tree.stack.is_empty() {
                    break; // only the first document
                }
                continue;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::Nothing => {
                continue;
            }
        };
        if let Some(root) = tree.place(node)? {
            return Ok(root);
        }
    }
    Ok(Yaml {
        line: 1,
        col: 1,
        value: Value::Null,
    })
}

/// An error at `marker`'s line and column.
fn error_at(marker: &Marker, message: String) -> YamlError {
    let (line, col) = at(marker);
    YamlError { line, col, message }
}

/// A scalar's value: `Null` for a plain `~`, `null` or nothing, else its text.
fn scalar_value(text: &str, style: ScalarStyle) -> Value {
    let null = style == ScalarStyle::Plain && matches!(text, "" | "~" | "null" | "Null" | "NULL");
    if null {
        Value::Null
    } else {
        Value::Text(text.to_owned())
    }
}

/// The tree being built from the parser's events: the lists and mappings still open,
/// the anchored values so far, and what aliases may still add.
struct TreeBuilder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Yaml>,
    alias_budget: usize,
    alias_byte_budget: usize,
}

impl TreeBuilder {
    /// An empty tree with the whole alias budget.
    fn new() -> Self {
        Self {
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_budget: ALIAS_BUDGET,
            alias_byte_budget: ALIAS_BYTE_BUDGET,
        }
    }

    /// Opens a list or mapping, refused when it nests deeper than [`super::MAX_NESTING`].
    fn open(&mut self, frame: Frame) -> Result<(), YamlError> {
        if self.stack.len() >= super::MAX_NESTING {
            let (Frame::List { start, .. } | Frame::Map { start, .. }) = &frame;
            return Err(error_at(
                start,
                format!(
                    "the file nests more than {} levels deep; a landscape needs far fewer",
                    super::MAX_NESTING
                ),
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    /// Closes the innermost list or mapping into its value (`None` when none is open).
    fn close(&mut self) -> Option<Yaml> {
        let (node, anchor) = match self.stack.pop()? {
            Frame::List {
                start,
                anchor,
                items,
            } => (located(&start, Value::List(items)), anchor),
            Frame::Map {
                start,
                anchor,
                entries,
                ..
            } => (located(&start, Value::Map(entries)), anchor),
        };
        Some(self.anchored(anchor, node))
    }

    /// Remembers `node` under `anchor` (when it has one, i.e. it is not 0), for aliases.
    fn anchored(&mut self, anchor: usize, node: Yaml) -> Yaml {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        node
    }

    /// A copy of the value anchored as `id`, placed at `start`; refused when the alias
    /// budget cannot pay for it.
    fn alias(&mut self, id: usize, start: &Marker) -> Result<Yaml, YamlError> {
        let Some(node) = self.anchors.get(&id) else {
            return Err(error_at(start, "unknown alias".to_owned()));
        };
        let (values, bytes) = node.size();
        if values > self.alias_budget {
            return Err(error_at(
                start,
                format!("aliases expand to more than {ALIAS_BUDGET} values; the file is refused"),
            ));
        }
        if bytes > self.alias_byte_budget {
            return Err(error_at(
                start,
                format!(
                    "aliases expand to more than {} MiB of text; the file is refused",
                    ALIAS_BYTE_BUDGET / (1024 * 1024)
                ),
            ));
        }
        self.alias_budget -= values;
        self.alias_byte_budget -= bytes;
        Ok(Yaml {
            line: at(start).0,
            col: at(start).1,
            value: node.value.clone(),
        })
    }

    /// Puts a finished value into the innermost open list or mapping (in a mapping, as
    /// its next key or that key's value); the value itself when nothing is open, as it
    /// is the document's root.
    fn place(&mut self, node: Yaml) -> Result<Option<Yaml>, YamlError> {
        match self.stack.last_mut() {
            None => return Ok(Some(node)),
            Some(Frame::List { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => {
                    let name = match &node.value {
                        Value::Text(text) => text.clone(),
                        Value::Null => String::new(),
                        _ => {
                            return Err(YamlError {
                                line: node.line,
                                col: node.col,
                                message: "a mapping's key must be a plain text".to_owned(),
                            });
                        }
                    };
                    *key = Some(Key {
                        name,
                        line: node.line,
                        col: node.col,
                    });
                }
            },
        }
        Ok(None)
    }
}

fn located(marker: &Marker, value: Value) -> Yaml {
    let (line, col) = at(marker);
    Yaml { line, col, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_positions_and_text() {
        let tree = parse("a: 1\nb:\n  - x\n  - ~\n").expect("valid YAML");
        let b = tree.get("b").expect("b");
        assert_eq!((b.line, b.col), (3, 3));
        let Value::List(items) = &b.value else {
            panic!("a list")
        };
        assert_eq!(items[0].text(), Some("x"));
        assert!(items[1].is_null());
        assert_eq!(tree.get("a").and_then(Yaml::text), Some("1"));
    }

    #[test]
    fn deep_nesting_is_refused_where_it_goes_too_deep() {
        // Block mappings, one level a line: refused at the 65th level.
        let text: String = (0..100)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        let error = parse(&text).expect_err("too deep");
        assert_eq!((error.line, error.col), (65, 65));
        assert!(error.message.contains("nests more than 64"), "{error}");
        // Flow brackets: the parser's own limit may come first; refused all the same.
        assert!(parse(&"[".repeat(1_000_000)).is_err());
    }

    #[test]
    fn aliases_cannot_blow_up() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut previous = "a".to_owned();
        for level in 0..8 {
            let name = format!("l{level}");
            text.push_str(&format!(
                "{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
            ));
            previous = name;
        }
        let error = parse(&text).expect_err("a billion laughs");
        assert!(error.message.contains("aliases expand"), "{error}");
    }

    #[test]
    fn a_long_text_aliased_many_times_is_refused_by_its_bytes() {
        let text = format!(
            "a: &a \"{}\"\nb: [{}]\n",
            "x".repeat(1024 * 1024),
            vec!["*a"; 99].join(", ")
        );
        let error = parse(&text).expect_err("99 MiB from 1 MiB");
        assert!(error.message.contains("MiB of text"), "{error}");
        assert_eq!(error.line, 2);
        // A few aliases of it are fine.
        let few = format!("a: &a \"{}\"\nb: [*a, *a]\n", "x".repeat(1024 * 1024));
        assert!(parse(&few).is_ok());
    }

    #[test]
    fn a_syntax_error_has_its_line_and_column() {
        let error = parse("a: [1, 2\nb: c\n").expect_err("unclosed");
        assert!(error.line >= 1 && error.col >= 1);
    }
}
