//! Hostile and sloppy inputs for the importers, made to a size (issue 23): the tests
//! import them, and `cargo bench --bench import_inputs -- DIR` writes them for the
//! README's measures.

#![allow(dead_code)]

/// A landscape of `n` categories, each with one subcategory holding one item: the shape
/// whose cost once grew with the square of `n`.
pub fn landscape_categories(n: usize) -> String {
    let mut text = String::from("landscape:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  - category:\n    name: Category {i}\n    subcategories:\n      - subcategory:\n        name: Sub {i}\n        items:\n          - item:\n            name: Item {i}\n            homepage_url: https://example.com/{i}\n"
        ));
    }
    text
}

/// A landscape of `n` items all named "A", in one subcategory: ids made unique one by one.
pub fn landscape_same_name(n: usize) -> String {
    let mut text = String::from(
        "landscape:\n  - category:\n    name: Only\n    subcategories:\n      - subcategory:\n        name: All\n        items:\n",
    );
    for _ in 0..n {
        text.push_str("          - item:\n            name: A\n");
    }
    text
}

/// A landscape of `items` items, each naming `per_item` integrations of the others: the
/// links it asks for make a map far larger than the file.
pub fn landscape_integrations(items: usize, per_item: usize) -> String {
    let mut text = String::from(
        "landscape:\n  - category:\n    name: Only\n    subcategories:\n      - subcategory:\n        name: All\n        items:\n",
    );
    for i in 0..items {
        let others: Vec<String> = (1..=per_item)
            .map(|k| format!("Item {}", (i + k) % items))
            .collect();
        text.push_str(&format!(
            "          - item:\n            name: Item {i}\n            extra:\n              summary_integrations: {}\n",
            others.join(", ")
        ));
    }
    text
}

/// nodes.csv with `n` rows, each with a bad `kind` (16 bytes a row).
pub fn nodes_bad_kind(n: usize) -> String {
    let mut text = String::from("id,name,kind,tier\r\n");
    for _ in 0..n {
        text.push_str("a,A,Compnay,hw\r\n");
    }
    text
}

/// nodes.csv with one good row and `n` columns no table has.
pub fn nodes_unknown_columns(n: usize) -> String {
    let mut header = String::from("id,name,kind,tier");
    let mut row = String::from("a,A,Company,hw");
    for i in 0..n {
        header.push_str(&format!(",x{i}"));
        row.push(',');
    }
    format!("{header}\r\n{row}\r\n")
}

/// nodes.csv with one node in each of `n` tiers: a map of `n` tier files.
pub fn nodes_in_tiers(n: usize) -> String {
    let mut text = String::from("id,name,kind,tier\r\n");
    for i in 0..n {
        text.push_str(&format!("n{i},Node {i},Company,t{i}\r\n"));
    }
    text
}
