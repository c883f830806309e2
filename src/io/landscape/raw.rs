//! The parts of a landscape file that chainmap reads, in the file's own shape (as
//! cncf/landscape2's `LegacyLandscapeData` has them): the landscape, its categories, their
//! subcategories, their items, each item's fields and `extra`. Read from the bounded tree
//! of [`crate::io::yaml`], so every limit on the file still holds; each value keeps where
//! it is written (1-based line and column), so that what the importer says about it is
//! placed.
//!
//! This module owns the shape: which fields the format has, what must be a mapping, a
//! list or a text, and what makes an entry unreadable (it is then kept as the problem, in
//! its place in the list, so that problems are told in file order). What the values mean
//! for a map (ids, tiers, tags, links, what is left out) is the importer's, in
//! [`super`]. The tree is consumed as it is read: its texts move into these structs
//! rather than being copied.

use crate::io::yaml::{Key, Value, Yaml};

/// Why the file, or an entry of it, cannot be read, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// A value and where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub col: usize,
}

/// The entries of a list in file order: each read, or the problem that left it out.
pub type Entries<T> = Vec<Result<T, Problem>>;

/// A list field of an entry: its entries, or why it is not a list (an absent or null
/// field is an empty list).
pub type List<T> = Result<Entries<T>, Problem>;

/// A landscape file: a mapping whose `landscape:` (or `categories:`) lists the
/// categories.
#[derive(Clone, Debug, PartialEq)]
pub struct Landscape {
    pub categories: Entries<Category>,
    /// The other top-level fields (`settings`, `groups`… of some files), with their place.
    pub other_fields: Vec<Key>,
}

/// `- category:` or `- subcategory:`: a `name` and the list of what the group holds (a
/// category's `subcategories`, a subcategory's `items`).
#[derive(Clone, Debug, PartialEq)]
pub struct Group<T> {
    /// Trimmed, never empty.
    pub name: String,
    pub line: usize,
    pub col: usize,
    pub members: List<T>,
    /// Fields the format does not have, with their place.
    pub unknown_fields: Vec<Key>,
}

/// `- category:` with a `name` and its `subcategories`.
pub type Category = Group<Subcategory>;

/// `- subcategory:` with a `name` and its `items`.
pub type Subcategory = Group<Item>;

/// What is listed in a [`Group`]: the group's noun, and its field that lists the members.
pub trait Member: TryFrom<Yaml, Error = Problem> {
    /// What the group is called in the file and in problems (`category`).
    const GROUP: &'static str;
    /// The group's field that lists its members (`subcategories`).
    const FIELD: &'static str;
}

impl Member for Subcategory {
    const GROUP: &'static str = "category";
    const FIELD: &'static str = "subcategories";
}

impl Member for Item {
    const GROUP: &'static str = "subcategory";
    const FIELD: &'static str = "items";
}

/// `- item:`: a project, product or organisation. Texts are trimmed; a blank one is
/// not given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Item {
    /// Trimmed, never empty.
    pub name: String,
    pub line: usize,
    pub col: usize,
    pub homepage_url: Option<String>,
    pub description: Option<String>,
    /// The organisation's Crunchbase URL: items of one organisation share it.
    pub crunchbase: Option<String>,
    /// The project's maturity (`graduated`, `incubating`, `sandbox`…).
    pub project: Option<String>,
    /// The logo's file name in `hosted_logos/`, where the value is written.
    pub logo: Option<Located<String>>,
    /// Further `Category / Subcategory` places of the item, each where it is written (a
    /// single text is placed at its item).
    pub second_path: Vec<Located<String>>,
    /// `joined` is given: the item is a member organisation.
    pub joined: bool,
    /// `enduser: true`: the item is an end-user organisation.
    pub enduser: bool,
    pub extra: Extra,
    /// The format's fields given here (not null) whose values are not read, by name in
    /// file order: [`UNREAD_ITEM_FIELDS`], `joined` and `enduser` among them, as only
    /// the kind of item they make is read.
    pub unread_fields: Vec<&'static str>,
    /// Fields the format does not have, with their place.
    pub unknown_fields: Vec<Key>,
}

/// An item's `extra`: a mapping, or (as one version of the format's documentation shows
/// it) a list of mappings, read as one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extra {
    /// `summary_integrations` (or `summary_integration`): names of the items it works
    /// with, split at commas.
    pub integrations: Vec<String>,
    /// The project this one is part of (the last given, when given twice).
    pub parent_project: Option<String>,
    /// `summary_tags` and `tag`, in file order.
    pub tags: Vec<ExtraTag>,
    /// The other fields given (not null), by name in file order: `accepted`, `audits`,
    /// `blog_url`… and any the format does not have.
    pub unread_fields: Vec<String>,
}

/// A tag of an item's `extra`.
#[derive(Clone, Debug, PartialEq)]
pub enum ExtraTag {
    /// One of `summary_tags`, split at commas and trimmed.
    Summary(String),
    /// One of `tag` (a text or a list of them), as written.
    Tag(String),
}

/// Item fields of the format that are read as no more than given or not.
pub const UNREAD_ITEM_FIELDS: [&str; 7] = [
    "repo_url",
    "branch",
    "additional_repos",
    "twitter",
    "url_for_bestpractices",
    "unnamed_organization",
    "open_source",
];

impl TryFrom<Yaml> for Landscape {
    type Error = Problem;

    /// The categories, or why the file is no landscape.
    fn try_from(root: Yaml) -> Result<Self, Problem> {
        let problem = |line, col, message: &str| Problem {
            line,
            col,
            message: message.to_owned(),
        };
        let Yaml { line, col, value } = root;
        let Value::Map(fields) = value else {
            return Err(problem(
                line,
                col,
                "not a landscape file: expected a mapping with `landscape:` or `categories:`",
            ));
        };
        let mut landscape = None;
        let mut categories = None;
        let mut other_fields = Vec::new();
        for (key, value) in fields {
            match key.name.as_str() {
                // The first of each counts, and `landscape:` wins over `categories:`.
                "landscape" => {
                    landscape.get_or_insert(value);
                }
                "categories" => {
                    categories.get_or_insert(value);
                }
                _ => other_fields.push(key),
            }
        }
        let Some(list) = landscape.or(categories) else {
            return Err(problem(
                line,
                col,
                "not a landscape file: no `landscape:` or `categories:` list",
            ));
        };
        let Value::List(categories) = list.value else {
            return Err(problem(
                list.line,
                list.col,
                "`landscape` must be a list of categories",
            ));
        };
        Ok(Landscape {
            categories: categories.into_iter().map(Category::try_from).collect(),
            other_fields,
        })
    }
}

impl<T: Member> TryFrom<Yaml> for Group<T> {
    type Error = Problem;

    fn try_from(entry: Yaml) -> Result<Self, Problem> {
        let named = Named::read(entry, T::GROUP)?;
        let mut group = Group {
            name: named.name,
            line: named.line,
            col: named.col,
            members: Ok(Vec::new()),
            unknown_fields: Vec::new(),
        };
        for (key, value) in named.fields {
            match key.name.as_str() {
                "name" => {}
                own if own == T::GROUP => {}
                field if field == T::FIELD => {
                    let owner = || format!("{} \"{}\"", T::GROUP, group.name);
                    group.members = list(value, T::FIELD, owner);
                }
                _ => group.unknown_fields.push(key),
            }
        }
        Ok(group)
    }
}

impl TryFrom<Yaml> for Item {
    type Error = Problem;

    fn try_from(entry: Yaml) -> Result<Self, Problem> {
        let Named {
            name,
            line,
            col,
            fields,
        } = Named::read(entry, "item")?;
        let mut item = Item {
            name,
            line,
            col,
            ..Item::default()
        };
        for (key, value) in fields {
            match key.name.as_str() {
                "item" | "name" => {}
                "homepage_url" => item.homepage_url = text(value),
                "description" => item.description = text(value),
                "crunchbase" => item.crunchbase = text(value),
                "project" => item.project = text(value),
                "logo" => {
                    let (line, col) = (value.line, value.col);
                    item.logo = text(value).map(|value| Located { value, line, col });
                }
                "second_path" => item.second_path = second_path(value, line, col),
                "extra" => item.extra = Extra::from(value),
                "joined" if !value.is_null() => {
                    item.joined = true;
                    item.unread_fields.push("joined");
                }
                "enduser" if !value.is_null() => {
                    item.enduser = value.text() == Some("true");
                    item.unread_fields.push("enduser");
                }
                "joined" | "enduser" => {}
                field => match UNREAD_ITEM_FIELDS.iter().find(|f| **f == field) {
                    Some(known) if !value.is_null() => item.unread_fields.push(known),
                    Some(_) => {}
                    None => item.unknown_fields.push(key),
                },
            }
        }
        Ok(item)
    }
}

impl From<Yaml> for Extra {
    fn from(extra: Yaml) -> Self {
        let parts: Vec<Vec<(Key, Yaml)>> = match extra.value {
            Value::Map(fields) => vec![fields],
            Value::List(parts) => parts
                .into_iter()
                .filter_map(|part| match part.value {
                    Value::Map(fields) => Some(fields),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut read = Extra::default();
        for (key, value) in parts.into_iter().flatten() {
            let text = value.text().map(str::trim).unwrap_or_default();
            let split = || {
                text.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            match key.name.as_str() {
                "summary_integration" | "summary_integrations" => read.integrations.extend(split()),
                "parent_project" if !text.is_empty() => {
                    read.parent_project = Some(text.to_owned());
                }
                // Blank, or not a text: no project named.
                "parent_project" => {}
                "summary_tags" => read.tags.extend(split().map(ExtraTag::Summary)),
                "tag" => match &value.value {
                    Value::List(tags) => read.tags.extend(
                        tags.iter()
                            .filter_map(Yaml::text)
                            .map(|tag| ExtraTag::Tag(tag.to_owned())),
                    ),
                    _ if !text.is_empty() => read.tags.push(ExtraTag::Tag(text.to_owned())),
                    _ => {}
                },
                _ if !value.is_null() => read.unread_fields.push(key.name),
                _ => {}
            }
        }
        read
    }
}

/// A `second_path`'s category and subcategory (`Category / Subcategory`), trimmed; the
/// subcategory is empty when the path has no `/`.
pub fn category_and_subcategory(path: &str) -> (&str, &str) {
    let (category, subcategory) = path.split_once('/').unwrap_or((path, ""));
    (category.trim(), subcategory.trim())
}

/// A category, subcategory or item: a mapping that gives each key once and has a
/// `name`. Otherwise the entry is left out, and the problem says why.
struct Named {
    name: String,
    line: usize,
    col: usize,
    /// Every field, `name` too, in file order.
    fields: Vec<(Key, Yaml)>,
}

impl Named {
    fn read(entry: Yaml, what: &str) -> Result<Named, Problem> {
        let noun = entry.noun();
        let Yaml { line, col, value } = entry;
        let Value::Map(fields) = value else {
            return Err(Problem {
                line,
                col,
                message: format!("the {what} must be a mapping, not {noun}: it is left out"),
            });
        };
        if let Some((key, first)) = repeated_key(&fields) {
            return Err(Problem {
                line: key.line,
                col: key.col,
                message: format!(
                    "the {what} gives `{}` twice (first at line {first}): it is left out",
                    key.name
                ),
            });
        }
        let name = fields
            .iter()
            .find(|(key, _)| key.name == "name")
            .and_then(|(_, value)| value.text())
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned);
        match name {
            Some(name) => Ok(Named {
                name,
                line,
                col,
                fields,
            }),
            None => Err(Problem {
                line,
                col,
                message: format!("the {what} has no `name`: it is left out"),
            }),
        }
    }
}

/// The first key a mapping gives a second time, and the line of its first.
fn repeated_key(fields: &[(Key, Yaml)]) -> Option<(&Key, usize)> {
    let mut seen: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for (key, _) in fields {
        if let Some(&first) = seen.get(key.name.as_str()) {
            return Some((key, first));
        }
        seen.insert(&key.name, key.line);
    }
    None
}

/// The entries of the list field `field` of `owner`, each read as a `T`.
fn list<T: TryFrom<Yaml, Error = Problem>>(
    value: Yaml,
    field: &str,
    owner: impl FnOnce() -> String,
) -> List<T> {
    match value.value {
        Value::List(entries) => Ok(entries.into_iter().map(T::try_from).collect()),
        Value::Null => Ok(Vec::new()),
        _ => Err(Problem {
            line: value.line,
            col: value.col,
            message: format!(
                "`{field}` of {} must be a list, not {}",
                owner(),
                value.noun()
            ),
        }),
    }
}

/// A scalar's text, trimmed; `None` when blank, null, a list or a mapping.
fn text(value: Yaml) -> Option<String> {
    match value.value {
        Value::Text(text) => {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                None
            } else if trimmed.len() == text.len() {
                Some(text)
            } else {
                Some(trimmed.to_owned())
            }
        }
        _ => None,
    }
}

/// A `second_path`: a list of texts, each where it is written (other entries skipped),
/// or one text, placed at its item (`line`, `col`).
fn second_path(value: Yaml, line: usize, col: usize) -> Vec<Located<String>> {
    match value.value {
        Value::List(paths) => paths
            .into_iter()
            .filter_map(|path| match path.value {
                Value::Text(value) => Some(Located {
                    value,
                    line: path.line,
                    col: path.col,
                }),
                _ => None,
            })
            .collect(),
        Value::Text(value) => vec![Located { value, line, col }],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::yaml;

    fn read(text: &str) -> Result<Landscape, Problem> {
        Landscape::try_from(yaml::parse(text).expect("valid YAML"))
    }

    /// The entries of the first subcategory of the first category.
    fn items(landscape: &Landscape) -> &Entries<Item> {
        let Some(Ok(category)) = landscape.categories.first() else {
            panic!("a first category: {landscape:#?}")
        };
        let Ok(subcategories) = &category.members else {
            panic!("subcategories: {category:#?}")
        };
        let Some(Ok(subcategory)) = subcategories.first() else {
            panic!("a first subcategory: {category:#?}")
        };
        subcategory.members.as_ref().expect("a list of items")
    }

    fn item(items: &Entries<Item>, i: usize) -> &Item {
        match items.get(i) {
            Some(Ok(item)) => item,
            other => panic!("item {i} read: {other:#?}"),
        }
    }

    fn problem(line: usize, col: usize, message: &str) -> Problem {
        Problem {
            line,
            col,
            message: message.to_owned(),
        }
    }

    /// The start of a landscape of one category and subcategory, whose items follow from
    /// line 8 (their `-` at column 11).
    const HEAD: &str = concat!(
        "landscape:\n",
        "  - category:\n",
        "    name: C\n",
        "    subcategories:\n",
        "      - subcategory:\n",
        "        name: S\n",
        "        items:\n",
    );

    /// A landscape of one category and subcategory with `items`.
    fn of_items(items: &str) -> String {
        format!("{HEAD}{items}")
    }

    /// The landscape of one category and subcategory with `items`, read.
    fn read_items(items: &str) -> Landscape {
        read(&of_items(items)).expect("a landscape")
    }

    #[test]
    fn an_item_that_cannot_be_read_is_its_problem_at_its_place_among_the_others() {
        let landscape = read_items(concat!(
            "          - item:\n",
            "            homepage_url: https://nameless.example\n",
            "          - name: \"   \"\n",
            "          - just a text\n",
            "          - name: First\n",
            "            name: Second\n",
            "          - name: Fine\n",
        ));
        let items = items(&landscape);
        assert_eq!(
            items[..4],
            [
                Err(problem(8, 13, "the item has no `name`: it is left out")),
                Err(problem(10, 13, "the item has no `name`: it is left out")),
                Err(problem(
                    11,
                    13,
                    "the item must be a mapping, not a text: it is left out"
                )),
                Err(problem(
                    13,
                    13,
                    "the item gives `name` twice (first at line 12): it is left out"
                )),
            ]
        );
        assert_eq!(
            (item(items, 4).name.as_str(), item(items, 4).line),
            ("Fine", 14)
        );
    }

    #[test]
    fn a_list_that_is_not_a_list_is_a_problem_at_its_value_and_a_null_one_is_empty() {
        let landscape = read(concat!(
            "landscape:\n",
            "  - name: Empty\n",
            "    subcategories: ~\n",
            "  - name: Odd\n",
            "    subcategories: oops\n",
            "  - subcategories: []\n",
        ))
        .expect("a landscape");
        let [Ok(empty), Ok(odd), nameless] = landscape.categories.as_slice() else {
            panic!("three categories: {landscape:#?}")
        };
        assert_eq!(empty.members, Ok(Vec::new()));
        assert_eq!(
            odd.members,
            Err(problem(
                5,
                20,
                "`subcategories` of category \"Odd\" must be a list, not a text"
            ))
        );
        assert_eq!(
            *nameless,
            Err(problem(6, 5, "the category has no `name`: it is left out"))
        );
    }

    #[test]
    fn unknown_fields_keep_their_place_and_the_format_s_unread_fields_their_name() {
        let text = "settings: {}\n".to_owned()
            + &of_items(concat!(
                "          - name: A\n",
                "            color: blue\n",
                "            repo_url: https://github.com/a/a\n",
                "            twitter: ~\n",
                "            joined: \"2016-11-08\"\n",
                "            enduser: false\n",
            ));
        let landscape = read(&text).expect("a landscape");
        let at = |key: &Key| (key.name.clone(), key.line, key.col);
        assert_eq!(
            landscape.other_fields.iter().map(at).collect::<Vec<_>>(),
            [("settings".to_owned(), 1, 1)]
        );
        let a = item(items(&landscape), 0);
        assert_eq!(
            a.unknown_fields.iter().map(at).collect::<Vec<_>>(),
            [("color".to_owned(), 10, 13)]
        );
        // A null field is as good as absent; `joined` and `enduser` are read for the kind
        // of item they make, their values not.
        assert_eq!(a.unread_fields, ["repo_url", "joined", "enduser"]);
        assert!(a.joined && !a.enduser);
    }

    #[test]
    fn texts_are_trimmed_and_a_blank_one_is_not_given() {
        let landscape = read_items(concat!(
            "          - name: \"  A  \"\n",
            "            homepage_url: \"  https://a.example  \"\n",
            "            description: \"   \"\n",
            "            crunchbase: [not, a, text]\n",
            "            logo:   a.svg\n",
        ));
        let a = item(items(&landscape), 0);
        assert_eq!(a.name, "A");
        assert_eq!(a.homepage_url.as_deref(), Some("https://a.example"));
        assert_eq!((&a.description, &a.crunchbase), (&None, &None));
        assert_eq!(
            a.logo,
            Some(Located {
                value: "a.svg".to_owned(),
                line: 12,
                col: 21
            })
        );
    }

    #[test]
    fn a_second_path_is_placed_where_it_is_written_or_one_text_at_its_item() {
        let landscape = read_items(concat!(
            "          - name: A\n",
            "            second_path:\n",
            "              - Other / Sub\n",
            "              - [not, a, text]\n",
            "              - C/S\n",
            "          - name: B\n",
            "            second_path: Other / Sub\n",
        ));
        let items = items(&landscape);
        let places = |item: &Item| -> Vec<(String, usize, usize)> {
            item.second_path
                .iter()
                .map(|p| (p.value.clone(), p.line, p.col))
                .collect()
        };
        assert_eq!(
            places(item(items, 0)),
            [
                ("Other / Sub".to_owned(), 10, 17),
                ("C/S".to_owned(), 12, 17)
            ]
        );
        assert_eq!(places(item(items, 1)), [("Other / Sub".to_owned(), 13, 13)]);
        assert_eq!(category_and_subcategory(" Other / Sub "), ("Other", "Sub"));
        assert_eq!(category_and_subcategory("Other"), ("Other", ""));
    }

    #[test]
    fn extra_as_a_list_of_mappings_reads_as_one_in_file_order() {
        let landscape = read_items(concat!(
            "          - name: A\n",
            "            extra:\n",
            "              - summary_integrations: \"B, , C\"\n",
            "                tag: [net, \"\"]\n",
            "              - just a text\n",
            "              - summary_tags: \"x, y\"\n",
            "                parent_project: P\n",
            "                summary_integration: D\n",
            "                blog_url: https://blog.example\n",
            "                accepted: ~\n",
            "                parent_project: \"  \"\n",
        ));
        let extra = &item(items(&landscape), 0).extra;
        assert_eq!(
            *extra,
            Extra {
                integrations: vec!["B".into(), "C".into(), "D".into()],
                parent_project: Some("P".into()),
                tags: vec![
                    ExtraTag::Tag("net".into()),
                    ExtraTag::Tag(String::new()),
                    ExtraTag::Summary("x".into()),
                    ExtraTag::Summary("y".into()),
                ],
                unread_fields: vec!["blog_url".into()],
            }
        );
    }

    #[test]
    fn a_file_that_is_no_landscape_says_why_and_where() {
        assert_eq!(
            read("- a\n- b\n"),
            Err(problem(
                1,
                1,
                "not a landscape file: expected a mapping with `landscape:` or `categories:`"
            ))
        );
        assert_eq!(
            read("title: x\n"),
            Err(problem(
                1,
                1,
                "not a landscape file: no `landscape:` or `categories:` list"
            ))
        );
        assert_eq!(
            read("title: x\nlandscape: oops\n"),
            Err(problem(2, 12, "`landscape` must be a list of categories"))
        );
        // `categories:` serves when there is no `landscape:`, and `landscape:` wins.
        let names = |text: &str| -> Vec<String> {
            let landscape = read(text).expect("a landscape");
            landscape
                .categories
                .into_iter()
                .filter_map(|c| Some(c.ok()?.name))
                .collect()
        };
        assert_eq!(names("categories:\n  - name: A\n"), ["A"]);
        assert_eq!(
            names("categories:\n  - name: A\nlandscape:\n  - name: B\n"),
            ["B"]
        );
    }

    #[test]
    fn the_every_field_fixture_reads_into_its_items() {
        let text = std::fs::read_to_string("tests/landscape/every-field/landscape.yml")
            .expect("the fixture");
        let landscape = read(&text).expect("a landscape");
        let ansible = item(items(&landscape), 0);
        assert_eq!(ansible.name, "Ansible");
        assert_eq!((ansible.line, ansible.col), (10, 13));
        assert_eq!(
            ansible.homepage_url.as_deref(),
            Some("https://www.ansible.com/")
        );
        assert_eq!(
            ansible.unread_fields,
            [
                "repo_url",
                "branch",
                "additional_repos",
                "twitter",
                "url_for_bestpractices"
            ]
        );
        assert_eq!(ansible.second_path.len(), 2);
        assert_eq!(ansible.extra.integrations, ["Rook", "Nonexistent Tool"]);
        assert_eq!(ansible.extra.unread_fields, ["blog_url", "audits"]);
        let chef = item(items(&landscape), 1);
        assert!(chef.joined && !chef.enduser);
        assert_eq!(
            chef.unread_fields,
            ["joined", "enduser", "unnamed_organization"]
        );
    }
}
