//! Writing an edited part of a map back into the text of its file, changing only the text
//! of what changed: a one-field edit rewrites that field's value, a deleted entity loses
//! its lines, a new entity is added after its siblings in their style. Every other byte
//! (comments, blank lines, field order, number style) stays as the editor left it.
//!
//! Why patch the original text instead of keeping a lossless syntax tree (ron2): the
//! loader already reads files with serde, and [`super::spans`] already finds where every
//! value starts and ends. Comparing the old and new entities tells exactly which fields
//! changed, so the patch is as small as the edit without a second parser to keep in step
//! with ron. Each patched text is parsed again and must hold exactly the new part, or
//! nothing is written.

use super::raw::MapFile;
use super::spans::{self, Body, SpanValue};
use super::write;
use crate::model::{EntityKind, Map};

#[derive(Debug, thiserror::Error)]
pub enum PatchError {
    #[error("the file's text could not be scanned for patching")]
    Unscannable,
    #[error("the file's {0} list does not match what was read from it")]
    Misaligned(&'static str),
    #[error("the edited text would not read back as the edited map ({0}); nothing was written")]
    Mismatch(String),
    #[error("could not write RON: {0}")]
    Serialize(#[from] ron::Error),
}

/// One replacement of a byte range of the original text.
struct Splice {
    start: usize,
    end: usize,
    text: String,
}

/// The new text of a file that held `old` and should now hold `new`, checked to read
/// back as `new`.
pub fn patch(text: &str, old: &MapFile, new: &MapFile) -> Result<String, PatchError> {
    let patched = patch_unverified(text, old, new)?;
    if patched != text {
        verify(&patched, new)?;
    }
    Ok(patched)
}

/// [`patch`] without reading the result back: for texts that are only shown or kept
/// for recovery, never written over a map file.
pub fn patch_unverified(text: &str, old: &MapFile, new: &MapFile) -> Result<String, PatchError> {
    if old == new {
        return Ok(text.to_owned());
    }
    let root = spans::scan(text).ok_or(PatchError::Unscannable)?;
    let style = Style::of(text);
    let mut splices = Vec::new();

    // The map-wide settings and any list that appears, empties or disappears are patched
    // as whole fields; the lists the file already writes out are patched item by item.
    let mut itemwise = Vec::new();
    for kind in EntityKind::ALL {
        let name = kind.list_name();
        let in_file = root
            .field(name)
            .is_some_and(|f| matches!(&f.value.body, Body::Items(items) if !items.is_empty()));
        if in_file && list_len(old, kind) > 0 && list_len(new, kind) > 0 {
            itemwise.push(name);
            let file_list = root.field(name).map(|f| &f.value);
            if let Some(list) = file_list {
                patch_list(text, &style, list, old, new, kind, &mut splices)?;
            }
        }
    }
    let old_fields = canonical_fields(&write::pretty_ron(&root_fields_only(old, &itemwise))?);
    let new_fields = canonical_fields(&write::pretty_ron(&root_fields_only(new, &itemwise))?);
    patch_struct(
        text,
        &style,
        &root,
        &old_fields,
        &new_fields,
        &itemwise,
        &mut splices,
    );

    apply(text, splices)
}

/// A copy of `file` without the lists that are patched item by item.
fn root_fields_only(file: &MapFile, itemwise: &[&str]) -> MapFile {
    let mut lists = part_view(file);
    for kind in EntityKind::ALL {
        if itemwise.contains(&kind.list_name()) {
            lists.clear_list(kind);
        }
    }
    MapFile {
        title: file.title.clone(),
        title_zh: file.title_zh.clone(),
        description: file.description.clone(),
        description_zh: file.description_zh.clone(),
        as_of: file.as_of.clone(),
        ..super::write::map_file(&lists)
    }
}

fn list_len(file: &MapFile, kind: EntityKind) -> usize {
    part_view(file).count(kind)
}

/// The entities of a file as a model part (without its settings), to reach lists by kind.
fn part_view(file: &MapFile) -> Map {
    Map::from(MapFile {
        title: None,
        title_zh: None,
        description: None,
        description_zh: None,
        as_of: None,
        ..file.clone()
    })
}

/// How the file writes its lines.
struct Style {
    newline: &'static str,
}

impl Style {
    fn of(text: &str) -> Style {
        Style {
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
        }
    }
}

/// The top-level fields of a canonical struct's text, each with its value's text.
fn canonical_fields(text: &str) -> Vec<(String, String)> {
    let Some(root) = spans::scan(text) else {
        return Vec::new();
    };
    let Body::Fields(fields) = &root.body else {
        return Vec::new();
    };
    fields
        .iter()
        .filter_map(|f| {
            let value = text.get(f.value.start..f.value.end)?;
            Some((f.name.clone(), compact(value, &f.value, text)))
        })
        .collect()
}

/// A canonical value as the files write it: lists and tuples of plain values on one
/// line (`["a", "b"]`, `(120, 40)`) and whole numbers without a trailing `.0`.
fn compact(value: &str, span: &SpanValue, text: &str) -> String {
    match &span.body {
        Body::Atom => whole_number(value),
        Body::Items(items)
            if (value.starts_with('[') || value.starts_with('('))
                && items.iter().all(|i| i.body == Body::Atom) =>
        {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|i| text.get(i.start..i.end).map(whole_number))
                .collect();
            if value.starts_with('[') {
                format!("[{}]", parts.join(", "))
            } else {
                format!("({})", parts.join(", "))
            }
        }
        _ => value.to_owned(),
    }
}

fn whole_number(atom: &str) -> String {
    match atom.strip_suffix(".0") {
        Some(whole)
            if !whole.is_empty()
                && whole
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit()) =>
        {
            whole.to_owned()
        }
        _ => atom.to_owned(),
    }
}

/// Re-indents a canonical value (continuation lines indented for a field at
/// `from` spaces) for a field whose line starts with `indent`.
fn reindent(value: &str, from: usize, indent: &str, newline: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, line) in value.split('\n').enumerate() {
        if i > 0 {
            out.push_str(newline);
            if !line.is_empty() {
                out.push_str(indent);
            }
        }
        let strip = if i > 0 {
            line.len() - line.trim_start_matches(' ').len()
        } else {
            0
        };
        out.push_str(line.get(strip.min(from)..).unwrap_or(line));
    }
    out
}

/// The whitespace that starts the line holding `offset`, and whether only whitespace
/// comes before `offset` on it.
fn line_indent(text: &str, offset: usize) -> (&str, bool) {
    let line_start = text
        .get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let before = text.get(line_start..offset).unwrap_or_default();
    let indent_len = before.len() - before.trim_start_matches([' ', '\t']).len();
    let indent = text
        .get(line_start..line_start + indent_len)
        .unwrap_or_default();
    (indent, indent_len == before.len())
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// What follows a value: its comma (if any), and where the rest of its line ends when
/// only spaces and a line comment follow (so that new lines can go after it).
struct After {
    /// Just past the comma, or `None` when the value has none.
    comma_end: Option<usize>,
    /// The offset of the line's newline (or the text's end), when nothing but spaces and a
    /// `//` comment follow the value and its comma on that line.
    line_end: Option<usize>,
}

fn after(text: &str, value_end: usize) -> After {
    let bytes = text.as_bytes();
    let skip_spaces = |mut pos: usize| {
        while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
            pos += 1;
        }
        pos
    };
    let mut pos = skip_spaces(value_end);
    let comma_end = if bytes.get(pos) == Some(&b',') {
        pos += 1;
        Some(pos)
    } else {
        None
    };
    pos = skip_spaces(pos);
    if bytes.get(pos) == Some(&b'/') && bytes.get(pos + 1) == Some(&b'/') {
        while !matches!(bytes.get(pos), None | Some(b'\n')) {
            pos += 1;
        }
    }
    let line_end = match bytes.get(pos) {
        None => Some(pos),
        Some(b'\n') if pos > 0 && bytes.get(pos - 1) == Some(&b'\r') => Some(pos - 1),
        Some(b'\n') => Some(pos),
        Some(b'\r') if bytes.get(pos + 1) == Some(&b'\n') => Some(pos),
        _ => None,
    };
    After {
        comma_end,
        line_end,
    }
}

/// The text range that removing a field or an item takes away: its own lines when it
/// has them to itself, else just it and its comma.
fn removal_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let (_, alone_at_start) = line_indent(text, start);
    let following = after(text, end);
    match following.line_end {
        Some(line_end) if alone_at_start => {
            let from = line_start(text, start);
            let bytes = text.as_bytes();
            let mut to = line_end;
            if bytes.get(to) == Some(&b'\r') {
                to += 1;
            }
            if bytes.get(to) == Some(&b'\n') {
                to += 1;
            }
            (from, to)
        }
        _ => match following.comma_end {
            Some(comma_end) => {
                let mut to = comma_end;
                while matches!(text.as_bytes().get(to), Some(b' ' | b'\t')) {
                    to += 1;
                }
                (start, to)
            }
            // The last entry of a one-line struct or list: the comma before it goes with
            // it, so that `Node(id: "a", url: "x")` becomes `Node(id: "a")`, not `…, )`.
            None => {
                let bytes = text.as_bytes();
                let mut back = start;
                while back > 0 && matches!(bytes.get(back - 1), Some(b' ' | b'\t')) {
                    back -= 1;
                }
                match back.checked_sub(1) {
                    Some(comma) if bytes.get(comma) == Some(&b',') => (comma, end),
                    _ => (start, end),
                }
            }
        },
    }
}

/// Inserts `entry` (a field `name: value` or a list item, without its comma) after the
/// entry that ends at `anchor_end`: on a line of its own when the anchor has one, else
/// on the anchor's line.
fn insert_after(
    text: &str,
    style: &Style,
    anchor_start: usize,
    anchor_end: usize,
    indent: &str,
    entry: &str,
    splices: &mut Vec<Splice>,
) {
    let following = after(text, anchor_end);
    let (_, own_line) = line_indent(text, anchor_start);
    // The anchor's missing comma, once however many entries go after it.
    let comma_added = splices
        .iter()
        .any(|s| s.start == anchor_end && s.end == anchor_end && s.text == ",");
    if following.comma_end.is_none() && !comma_added {
        splices.push(Splice {
            start: anchor_end,
            end: anchor_end,
            text: ",".to_owned(),
        });
    }
    match following.line_end {
        Some(line_end) if own_line => splices.push(Splice {
            start: line_end,
            end: line_end,
            text: format!("{}{indent}{entry},", style.newline),
        }),
        _ => {
            let at = following.comma_end.unwrap_or(anchor_end);
            splices.push(Splice {
                start: at,
                end: at,
                text: format!(" {entry},"),
            });
        }
    }
}

/// Patches the fields of one struct in the file (`span`) from their old values to their
/// new ones, both as canonical text; fields named in `skip` are left to the caller.
fn patch_struct(
    text: &str,
    style: &Style,
    span: &SpanValue,
    old_fields: &[(String, String)],
    new_fields: &[(String, String)],
    skip: &[&str],
    splices: &mut Vec<Splice>,
) {
    let value_of = |fields: &[(String, String)], name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let file_fields = match &span.body {
        Body::Fields(fields) => fields.as_slice(),
        _ => &[],
    };
    let mut names: Vec<&str> = new_fields.iter().map(|(n, _)| n.as_str()).collect();
    for (name, _) in old_fields {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    // Fields the file has that go away: no new field is anchored after them.
    let removed: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| {
            !skip.contains(name)
                && span.field(name).is_some()
                && value_of(old_fields, name).is_some()
                && value_of(new_fields, name).is_none()
        })
        .collect();
    let kept = |field: &&super::spans::FieldSpan| !removed.contains(&field.name.as_str());
    for (position, name) in names.iter().enumerate() {
        if skip.contains(name) {
            continue;
        }
        let (old, new) = (value_of(old_fields, name), value_of(new_fields, name));
        if old == new {
            continue;
        }
        let in_file = span.field(name);
        match (in_file, new) {
            (Some(field), Some(value)) => {
                let (indent, _) = line_indent(text, field.name_start);
                splices.push(Splice {
                    start: field.value.start,
                    end: field.value.end,
                    text: reindent(&value, 4, indent, style.newline),
                });
            }
            (Some(field), None) => {
                let (start, end) = removal_range(text, field.name_start, field.value.end);
                splices.push(Splice {
                    start,
                    end,
                    text: String::new(),
                });
            }
            (None, Some(value)) => {
                // After the nearest earlier field (in the format's order) the file has.
                let anchor = names[..position]
                    .iter()
                    .rev()
                    .find_map(|earlier| span.field(earlier).filter(kept))
                    .or_else(|| file_fields.iter().rev().find(kept));
                match anchor {
                    Some(anchor) => {
                        let (indent, _) = line_indent(text, anchor.name_start);
                        let entry =
                            format!("{name}: {}", reindent(&value, 4, indent, style.newline));
                        insert_after(
                            text,
                            style,
                            anchor.name_start,
                            anchor.value.end,
                            indent,
                            &entry,
                            splices,
                        );
                    }
                    None => {
                        // An empty struct, `Map()`: the field goes inside its brackets.
                        let close = span.end.saturating_sub(1);
                        let (outer, _) = line_indent(text, span.start);
                        let indent = format!("{outer}    ");
                        let value = reindent(&value, 4, &indent, style.newline);
                        splices.push(Splice {
                            start: close,
                            end: close,
                            text: format!(
                                "{nl}{indent}{name}: {value},{nl}{outer}",
                                nl = style.newline
                            ),
                        });
                    }
                }
            }
            (None, None) => {}
        }
    }
}

/// Patches one list the file writes out, entity by entity, matched by id.
fn patch_list(
    text: &str,
    style: &Style,
    list: &SpanValue,
    old: &MapFile,
    new: &MapFile,
    kind: EntityKind,
    splices: &mut Vec<Splice>,
) -> Result<(), PatchError> {
    let Body::Items(items) = &list.body else {
        return Err(PatchError::Misaligned(kind.list_name()));
    };
    let (old_part, new_part) = (part_view(old), part_view(new));
    let old_len = old_part.count(kind);
    if items.len() != old_len {
        return Err(PatchError::Misaligned(kind.list_name()));
    }
    let entity = |part: &Map, i: usize| part.entity(kind, i);
    let old_ids: Vec<String> = (0..old_len)
        .filter_map(|i| Some(entity(&old_part, i)?.id().to_owned()))
        .collect();
    let new_len = new_part.count(kind);
    let named = text
        .get(items[0].start..)
        .is_some_and(|rest| !rest.starts_with('('));

    let (mut i, mut j) = (0, 0);
    // The last item of the file kept so far: new items go after it.
    let mut anchor: Option<&SpanValue> = None;
    while i < old_len || j < new_len {
        let new_entity = (j < new_len).then(|| entity(&new_part, j)).flatten();
        let same = match (&new_entity, old_ids.get(i)) {
            (Some(n), Some(old_id)) => n.id() == old_id,
            _ => false,
        };
        if same {
            let (Some(before), Some(after)) = (entity(&old_part, i), new_entity) else {
                return Err(PatchError::Misaligned(kind.list_name()));
            };
            if before != after {
                let old_fields = canonical_fields(&write::entity_ron(&before)?);
                let new_fields = canonical_fields(&write::entity_ron(&after)?);
                patch_struct(
                    text,
                    style,
                    &items[i],
                    &old_fields,
                    &new_fields,
                    &[],
                    splices,
                );
            }
            anchor = Some(&items[i]);
            i += 1;
            j += 1;
        } else if let Some(added) =
            new_entity.filter(|n| !old_ids[i.min(old_ids.len())..].iter().any(|o| o == n.id()))
        {
            let body = item_text(&write::entity_ron(&added)?, named);
            match anchor {
                Some(anchor) => {
                    let (indent, _) = line_indent(text, anchor.start);
                    let entry = reindent(&body, 0, indent, style.newline);
                    insert_after(
                        text,
                        style,
                        anchor.start,
                        anchor.end,
                        indent,
                        &entry,
                        splices,
                    );
                }
                None => {
                    // Before the first item: at the start of its line when it has one, so
                    // that removing that item (its whole line) does not overlap.
                    let first = &items[0];
                    let (indent, own_line) = line_indent(text, first.start);
                    let entry = reindent(&body, 0, indent, style.newline);
                    let (at, text) = if own_line {
                        (
                            line_start(text, first.start),
                            format!("{indent}{entry},{}", style.newline),
                        )
                    } else {
                        (first.start, format!("{entry}, "))
                    };
                    splices.push(Splice {
                        start: at,
                        end: at,
                        text,
                    });
                }
            }
            j += 1;
        } else if i < old_len {
            let (start, end) = removal_range(text, items[i].start, items[i].end);
            splices.push(Splice {
                start,
                end,
                text: String::new(),
            });
            i += 1;
        } else {
            return Err(PatchError::Misaligned(kind.list_name()));
        }
    }
    Ok(())
}

/// A new list item in the files' style: one field a line, plain lists on one line,
/// with its struct name when its siblings have one.
fn item_text(canonical: &str, named: bool) -> String {
    let open = canonical.find('(').unwrap_or(0);
    let mut text = String::from(if named { &canonical[..open] } else { "" });
    text.push('(');
    for (name, value) in canonical_fields(canonical) {
        text.push_str(&format!("\n    {name}: {value},"));
    }
    text.push_str("\n)");
    text
}

fn apply(text: &str, mut splices: Vec<Splice>) -> Result<String, PatchError> {
    // Stable: insertions at one offset keep the order they were made in.
    splices.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(text.len() + 256);
    let mut at = 0;
    let mut previous_removal = false;
    for mut splice in splices {
        // Two removals side by side (the last two entries of a one-line struct) share the
        // comma between them: the first took it, so the comma before the first goes too.
        let removal = splice.text.is_empty();
        if previous_removal && removal && splice.start < at {
            splice.start = at.min(splice.end);
            let kept = out.trim_end_matches([' ', '\t']).len();
            if out.get(..kept).is_some_and(|kept| kept.ends_with(',')) {
                out.truncate(kept - 1);
            }
        }
        previous_removal = removal;
        if splice.start < at || splice.end < splice.start {
            return Err(PatchError::Mismatch("two changes overlap".to_owned()));
        }
        out.push_str(text.get(at..splice.start).ok_or(PatchError::Unscannable)?);
        out.push_str(&splice.text);
        at = splice.end;
    }
    out.push_str(text.get(at..).ok_or(PatchError::Unscannable)?);
    Ok(out)
}

/// Checks that `patched` reads back as exactly `expected`.
fn verify(patched: &str, expected: &MapFile) -> Result<(), PatchError> {
    let parsed = super::parse_map_file(patched)
        .map_err(|(line, col, message)| PatchError::Mismatch(format!("{line}:{col}: {message}")))?;
    if &parsed == expected || write::to_ron(&parsed)? == write::to_ron(expected)? {
        Ok(())
    } else {
        Err(PatchError::Mismatch("the values differ".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> MapFile {
        super::super::parse_map_file(text).expect("test text parses")
    }

    const FILE: &str = r#"// The hardware tier.
Map(
    nodes: [
        // Chips first.
        Node(
            id: "nvidia", // the leader
            name: "NVIDIA",
            kind: Company,
            tier: "hardware",
            tags: ["gpu", "cuda"],
        ),
        Node(id: "amd", name: "AMD", kind: Company, tier: "hardware"),
    ],
    figures: [
        Figure(
            id: "share",
            subject: "nvidia",
            metric: "GPU share",
            low: 80,
            high: 90,
            unit: "%",
            qualifier: Range,
            source: "report",
        ),
    ],
)
"#;

    fn patched(edit: impl FnOnce(&mut MapFile)) -> String {
        let old = parse(FILE);
        let mut new = old.clone();
        edit(&mut new);
        patch(FILE, &old, &new).expect("patches")
    }

    fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
        a.lines()
            .zip(b.lines())
            .filter(|(x, y)| x != y)
            .map(|(x, y)| (x.to_owned(), y.to_owned()))
            .collect()
    }

    #[test]
    fn no_change_is_byte_identical() {
        assert_eq!(patched(|_| {}), FILE);
    }

    #[test]
    fn one_field_changes_one_line_in_the_file_style() {
        let text = patched(|f| f.figures[0].high = Some(95.0));
        assert_eq!(
            changed_lines(FILE, &text),
            vec![(
                "            high: 90,".into(),
                "            high: 95,".into()
            )]
        );
        let text = patched(|f| f.nodes[0].tags = vec!["gpu".into()]);
        assert_eq!(
            changed_lines(FILE, &text),
            vec![(
                "            tags: [\"gpu\", \"cuda\"],".into(),
                "            tags: [\"gpu\"],".into()
            )]
        );
    }

    #[test]
    fn a_pin_is_written_as_the_files_write_numbers() {
        let text = patched(|f| f.nodes[0].pin = Some((120.0, -40.5)));
        assert!(
            text.contains(
                "            tags: [\"gpu\", \"cuda\"],\n            pin: (120, -40.5),\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_new_optional_field_goes_in_its_place_and_a_cleared_one_leaves() {
        let text = patched(|f| f.nodes[0].name_zh = Some("英伟达".into()));
        assert!(text.contains("            name: \"NVIDIA\",\n            name_zh: \"英伟达\",\n"));
        assert!(text.contains("// the leader") && text.contains("// Chips first."));
        let text = patched(|f| f.figures[0].high = None);
        assert!(!text.contains("high:"));
        assert_eq!(text.lines().count(), FILE.lines().count() - 1);
        let text = patched(|f| f.nodes[1].name_zh = Some("超威".into()));
        assert!(text.contains(
            r#"Node(id: "amd", name: "AMD", name_zh: "超威", kind: Company, tier: "hardware"),"#
        ));
    }

    #[test]
    fn clearing_the_last_fields_of_a_one_line_struct_leaves_no_dangling_comma() {
        let one_line = FILE.replace(
            r#"Node(id: "amd", name: "AMD", kind: Company, tier: "hardware")"#,
            r#"Node(id: "amd", name: "AMD", kind: Company, tier: "hardware", url: "https://amd.com", logo: "amd.svg")"#,
        );
        let old = parse(&one_line);
        let mut new = old.clone();
        new.nodes[1].url = None;
        let text = patch(&one_line, &old, &new).expect("patches");
        assert!(text.contains(
            r#"Node(id: "amd", name: "AMD", kind: Company, tier: "hardware", logo: "amd.svg"),"#
        ));
        new.nodes[1].logo = None;
        let text = patch(&one_line, &old, &new).expect("patches");
        assert!(
            text.contains(r#"Node(id: "amd", name: "AMD", kind: Company, tier: "hardware"),"#),
            "{text}"
        );
    }

    #[test]
    fn items_are_added_in_the_files_style_and_removed_with_their_lines() {
        let text = patched(|f| {
            let mut node = f.nodes[0].clone();
            node.id = "intel".into();
            node.name = "Intel".into();
            node.tags.clear();
            f.nodes.push(node);
        });
        assert!(text.contains(
            "        Node(id: \"amd\", name: \"AMD\", kind: Company, tier: \"hardware\"),\n        Node(\n            id: \"intel\",\n            name: \"Intel\",\n            kind: Company,\n            tier: \"hardware\",\n        ),\n    ],"
        ), "{text}");
        let text = patched(|f| {
            f.nodes.remove(0);
        });
        assert!(!text.contains("nvidia\", // the leader"));
        assert!(text.contains("        // Chips first.\n        Node(id: \"amd\""));
        let text = patched(|f| f.figures.clear());
        assert!(!text.contains("Figure("));
        assert_eq!(parse(&text).figures, Vec::new());
    }

    #[test]
    fn a_list_the_file_lacks_is_added_to_the_map() {
        let old = parse(FILE);
        let mut new = old.clone();
        new.markets.push(crate::model::Market::new("gpus", "GPUs"));
        let text = patch(FILE, &old, &new).expect("patches");
        assert_eq!(parse(&text), new);
        assert!(text.starts_with("// The hardware tier.\nMap(\n    nodes: [\n"));
    }

    #[test]
    fn two_new_items_after_a_last_item_without_a_comma_get_one_comma() {
        let text = "Map(\n    nodes: [\n        Node(id: \"a\", name: \"A\", kind: Lab, tier: \"t\")\n    ],\n)\n";
        let old = parse(text);
        let mut new = old.clone();
        for id in ["b", "c"] {
            let mut node = new.nodes[0].clone();
            node.id = id.into();
            new.nodes.push(node);
        }
        let patched = patch(text, &old, &new).expect("patches");
        assert!(!patched.contains(",,"), "{patched}");
        assert_eq!(parse(&patched), new);
        // And two new fields after a last field without a comma.
        let mut new = old.clone();
        new.nodes[0].name_zh = Some("甲".into());
        new.nodes[0].url = Some("https://a.example".into());
        let patched = patch(text, &old, &new).expect("patches");
        assert_eq!(parse(&patched), new, "{patched}");
    }

    #[test]
    fn replacing_every_item_of_a_list_and_emptying_the_last_list() {
        let old = parse(FILE);
        let mut new = old.clone();
        let mut only = new.nodes[1].clone();
        only.id = "intel".into();
        new.nodes = vec![only];
        new.figures.clear();
        let patched = patch(FILE, &old, &new).expect("patches");
        assert_eq!(parse(&patched), new, "{patched}");
        assert!(
            patched.starts_with(
                "// The hardware tier.\nMap(\n    nodes: [\n        // Chips first.\n"
            )
        );
    }

    #[test]
    fn crlf_files_keep_their_line_ends() {
        let crlf = FILE.replace('\n', "\r\n");
        let old = parse(&crlf);
        let mut new = old.clone();
        new.nodes[0].name_zh = Some("英伟达".into());
        let text = patch(&crlf, &old, &new).expect("patches");
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert_eq!(parse(&text), new);
    }
}
