//! Where each value of a RON file starts: a light structural scan of text that ron has
//! already accepted, so that a problem found later (an unknown reference, a low above its
//! high) can be reported at the line and column of the field at fault.
//!
//! The scan knows RON's lexical rules (strings, raw strings, chars, comments) and its
//! brackets, nothing of the map format. It never panics and gives up (returns `None`) on
//! text it does not understand; callers then fall back to the start of the file.

use crate::model::PathSeg;

/// A value of the file and the byte offset where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanValue {
    pub start: usize,
    /// Just past the value's last byte.
    pub end: usize,
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// `Name(field: value, …)` or `(field: value, …)`.
    Fields(Vec<FieldSpan>),
    /// `[a, b]`, `(a, b)`, `Name(a, b)`, or the values of `{k: v}`.
    Items(Vec<SpanValue>),
    /// A string, number, identifier or other single token.
    Atom,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldSpan {
    pub name: String,
    pub name_start: usize,
    pub value: SpanValue,
}

impl SpanValue {
    pub fn field(&self, name: &str) -> Option<&FieldSpan> {
        match &self.body {
            Body::Fields(fields) => fields.iter().find(|field| field.name == name),
            _ => None,
        }
    }

    pub fn item(&self, index: usize) -> Option<&SpanValue> {
        match &self.body {
            Body::Items(items) => items.get(index),
            _ => None,
        }
    }

    /// The offset of the deepest point of `path` that exists: a field's name, or an item's
    /// start. Stops where the path leaves what the file holds.
    pub fn locate(&self, path: &[PathSeg]) -> usize {
        let mut value = self;
        let mut offset = self.start;
        for step in path {
            match step {
                PathSeg::Field(name) => match value.field(name) {
                    Some(field) => {
                        offset = field.name_start;
                        value = &field.value;
                    }
                    None => break,
                },
                PathSeg::Item(index) => match value.item(*index) {
                    Some(item) => {
                        offset = item.start;
                        value = item;
                    }
                    None => break,
                },
            }
        }
        offset
    }
}

/// Deeper than this the scan gives up; ron refuses such files first anyway.
const MAX_DEPTH: usize = 256;

/// Scans the first value of `text` (after any `#![enable(…)]` attributes).
pub fn scan(text: &str) -> Option<SpanValue> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        // Offsets count from the file's first byte, a byte-order mark included, so that an
        // edit spliced in at them keeps the mark.
        pos: bom_len(text),
        depth: 0,
    };
    scanner.skip_trivia();
    while scanner.starts_with(b"#![") {
        scanner.skip_attribute()?;
        scanner.skip_trivia();
    }
    scanner.value()
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

fn is_ident_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_ident_continue(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn starts_with(&self, prefix: &[u8]) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(prefix))
    }

    fn skip_trivia(&mut self) {
        loop {
            match self.peek() {
                Some(b) if b.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.peek_at(1) == Some(b'/') => {
                    while let Some(b) = self.peek() {
                        self.pos += 1;
                        if b == b'\n' {
                            break;
                        }
                    }
                }
                Some(b'/') if self.peek_at(1) == Some(b'*') => {
                    self.pos += 2;
                    let mut open = 1usize;
                    while open > 0 {
                        if self.starts_with(b"/*") {
                            open += 1;
                            self.pos += 2;
                        } else if self.starts_with(b"*/") {
                            open -= 1;
                            self.pos += 2;
                        } else if self.peek().is_some() {
                            self.pos += 1;
                        } else {
                            return;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn skip_attribute(&mut self) -> Option<()> {
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b']' {
                return Some(());
            }
        }
        None
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        // Raw identifiers: r#name
        if self.starts_with(b"r#") && self.peek_at(2).is_some_and(is_ident_start) {
            self.pos += 2;
        }
        if !self.peek().is_some_and(is_ident_start) {
            return None;
        }
        while self.peek().is_some_and(is_ident_continue) {
            self.pos += 1;
        }
        let text = self.bytes.get(start..self.pos)?;
        Some(
            String::from_utf8_lossy(text)
                .trim_start_matches("r#")
                .to_owned(),
        )
    }

    fn value(&mut self) -> Option<SpanValue> {
        self.skip_trivia();
        let start = self.pos;
        let first = self.peek()?;
        let body = match first {
            b'"' => {
                self.quoted(b'"')?;
                Body::Atom
            }
            b'\'' => {
                self.quoted(b'\'')?;
                Body::Atom
            }
            b'b' if matches!(self.peek_at(1), Some(b'"' | b'\'')) => {
                self.pos += 1;
                let quote = self.peek()?;
                self.quoted(quote)?;
                Body::Atom
            }
            b'r' if matches!(self.peek_at(1), Some(b'"' | b'#'))
                && !(self.peek_at(1) == Some(b'#')
                    && self.peek_at(2).is_some_and(is_ident_start)) =>
            {
                self.raw_string()?;
                Body::Atom
            }
            b'(' => self.enclosed(b')')?,
            b'[' => self.enclosed(b']')?,
            b'{' => self.map()?,
            b if is_ident_start(b) => {
                self.ident()?;
                let after_name = self.pos;
                self.skip_trivia();
                if self.peek() == Some(b'(') {
                    self.enclosed(b')')?
                } else {
                    self.pos = after_name;
                    Body::Atom
                }
            }
            _ => {
                while let Some(b) = self.peek() {
                    if b.is_ascii_whitespace() || matches!(b, b',' | b')' | b']' | b'}' | b':') {
                        break;
                    }
                    self.pos += 1;
                }
                if self.pos == start {
                    return None;
                }
                Body::Atom
            }
        };
        Some(SpanValue {
            start,
            end: self.pos,
            body,
        })
    }

    fn quoted(&mut self, quote: u8) -> Option<()> {
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b if b == quote => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    fn raw_string(&mut self) -> Option<()> {
        self.pos += 1; // r
        let mut hashes = 0usize;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        loop {
            if self.peek()? == b'"' && (1..=hashes).all(|i| self.peek_at(i) == Some(b'#')) {
                self.pos += 1 + hashes;
                return Some(());
            }
            self.pos += 1;
        }
    }

    /// After `(` or `[`: named fields (`name: value`) or plain items, up to `close`.
    fn enclosed(&mut self, close: u8) -> Option<Body> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        self.skip_trivia();
        let named = close == b')' && self.looks_like_field();
        let body = if named {
            let mut fields = Vec::new();
            loop {
                self.skip_trivia();
                if self.peek()? == close {
                    break;
                }
                let name_start = self.pos;
                let name = self.ident()?;
                self.skip_trivia();
                if self.peek()? != b':' {
                    return None;
                }
                self.pos += 1;
                let value = self.value()?;
                fields.push(FieldSpan {
                    name,
                    name_start,
                    value,
                });
                if !self.separator(close)? {
                    break;
                }
            }
            Body::Fields(fields)
        } else {
            let mut items = Vec::new();
            loop {
                self.skip_trivia();
                if self.peek()? == close {
                    break;
                }
                items.push(self.value()?);
                if !self.separator(close)? {
                    break;
                }
            }
            Body::Items(items)
        };
        self.skip_trivia();
        if self.peek()? != close {
            return None;
        }
        self.pos += 1;
        self.depth -= 1;
        Some(body)
    }

    /// Consumes a `,` and says whether more may follow; `false` at the closing bracket.
    fn separator(&mut self, close: u8) -> Option<bool> {
        self.skip_trivia();
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(true)
            }
            b if b == close => Some(false),
            _ => None,
        }
    }

    fn looks_like_field(&mut self) -> bool {
        let saved = self.pos;
        let named = self.ident().is_some() && {
            self.skip_trivia();
            self.peek() == Some(b':')
        };
        self.pos = saved;
        named
    }

    fn map(&mut self) -> Option<Body> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        let mut values = Vec::new();
        loop {
            self.skip_trivia();
            if self.peek()? == b'}' {
                break;
            }
            self.value()?;
            self.skip_trivia();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            values.push(self.value()?);
            if !self.separator(b'}')? {
                break;
            }
        }
        self.skip_trivia();
        if self.peek()? != b'}' {
            return None;
        }
        self.pos += 1;
        self.depth -= 1;
        Some(Body::Items(values))
    }
}

/// The UTF-8 byte-order mark that Windows editors put at the start of a file.
const BOM: char = '\u{feff}';

/// The length in bytes of the byte-order mark `text` starts with (0 without one).
pub fn bom_len(text: &str) -> usize {
    if text.starts_with(BOM) {
        BOM.len_utf8()
    } else {
        0
    }
}

/// `text` after its byte-order mark, if it starts with one: what ron may parse.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

/// Turns byte offsets into 1-based lines and columns (columns count characters, as ron's do;
/// a byte-order mark is no column, as in an editor).
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(bom_len(text))
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, line_starts }
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let line_start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(line_start..offset.min(self.text.len()))
            .map_or(0, |prefix| prefix.chars().count());
        (line, col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_fields_and_items_with_their_offsets() {
        let text = "// c\nMap(\n  nodes: [\n    Node(id: \"a\", tier: \"x\"),\n    Node(id: \"b\", tags: [\"q\"]),\n  ],\n)";
        let root = scan(text).expect("scans");
        let nodes = &root.field("nodes").expect("nodes field").value;
        let second = nodes.item(1).expect("second node");
        assert_eq!(&text[second.start..second.start + 5], "Node(");
        let offset = root.locate(&[
            PathSeg::Field("nodes"),
            PathSeg::Item(1),
            PathSeg::Field("tags"),
            PathSeg::Item(0),
        ]);
        assert_eq!(&text[offset..offset + 3], "\"q\"");
        assert_eq!(LineIndex::new(text).line_col(offset), (5, 26));
    }

    #[test]
    fn scan_skips_strings_comments_and_raw_strings() {
        let text = "Map(a: \"x ) ] \\\" y\", /* ( */ b: r#\"raw \" ) \"#, c: 'c', d: Some((1, 2)), e: {\"k\": 3})";
        let root = scan(text).expect("scans");
        let names: Vec<_> = match &root.body {
            Body::Fields(fields) => fields.iter().map(|f| f.name.as_str()).collect(),
            _ => Vec::new(),
        };
        assert_eq!(names, ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn locate_stops_at_the_deepest_existing_step() {
        let text = "Map(nodes: [Node(id: \"a\")])";
        let root = scan(text).expect("scans");
        let offset = root.locate(&[
            PathSeg::Field("nodes"),
            PathSeg::Item(0),
            PathSeg::Field("tier"),
        ]);
        assert_eq!(&text[offset..offset + 5], "Node(");
    }

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let text = "a\n中文x";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text.find('x').unwrap_or_default()), (2, 3));
    }

    #[test]
    fn a_byte_order_mark_is_no_column_and_offsets_count_it() {
        let text = "\u{feff}Map(title: \"T\",\n  tags: [\"q\"])";
        let root = scan(text).expect("scans after the mark");
        // The offsets are the file's, so a splice at them keeps the mark in front.
        assert_eq!(root.start, 3);
        let title = &root.field("title").expect("title").value;
        assert_eq!(&text[title.start..title.end], "\"T\"");
        let index = LineIndex::new(text);
        // As an editor shows it: `"T"` in column 12 of line 1, the mark not counted.
        assert_eq!(index.line_col(title.start), (1, 12));
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(root.start), (1, 1));
        let tags = root.locate(&[PathSeg::Field("tags")]);
        assert_eq!(index.line_col(tags), (2, 3));
        assert_eq!(without_bom(text).len(), text.len() - bom_len(text));
        assert_eq!(without_bom("Map()"), "Map()");
    }
}
