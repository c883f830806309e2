//! The window lays a changed map out from its previous layout (issue 19): a node added on
//! disk takes a cell at the end of its box and no other card moves; Tidy up then lays the
//! map out afresh, as the command line does for the same shape, and Undo takes it back.

mod common;

use chainmap::app::{ChainmapApp, Settings};
use chainmap::layout::Layout;
use chainmap::model::Lang;
use chainmap::render::picture;
use egui_kittest::kittest::Queryable;

#[test]
fn an_added_node_moves_nothing_else_until_tidy_up() {
    let (_dir, root) = common::bundled_copy();
    let loaded = chainmap::io::load(&root).expect("the copy loads");
    let mut harness = common::window_at(
        ChainmapApp::new(loaded, Settings::default()),
        egui::vec2(1400.0, 900.0),
    );
    let before: Layout = harness.state().layout().expect("laid out").clone();

    // Another editor adds a company to the chatbots segment.
    common::edit_on_disk(
        &root.join("applications.ron"),
        "    nodes: [\n",
        "    nodes: [\n        Node(id: \"copy-ai\", name: \"Copy.ai\", kind: Company, tier: \"applications\", segments: [\"chatbots\"]),\n",
    );
    harness.state_mut().check_disk();
    harness.run();
    let map = harness.state().map().clone();
    assert!(
        map.nodes.iter().any(|n| n.id == "copy-ai"),
        "the change is read"
    );
    let after = harness.state().layout().expect("laid out").clone();
    let moved = after.stability_since(&before);
    assert_eq!(moved.nodes, 121);
    assert_eq!(moved.moved, 0, "{moved:?}");
    assert_eq!((moved.box_inversions, moved.card_inversions), (0, 0));
    // The new card is the last of its box.
    let in_box: Vec<usize> = (0..map.nodes.len())
        .filter(|&i| map.nodes[i].segments.first().map(String::as_str) == Some("chatbots"))
        .collect();
    let last = in_box
        .iter()
        .copied()
        .max_by(|&a, &b| {
            let (ra, rb) = (after.nodes[a], after.nodes[b]);
            ra.y.total_cmp(&rb.y).then(ra.x.total_cmp(&rb.x))
        })
        .expect("cards");
    assert_eq!(map.nodes[last].id, "copy-ai");

    harness.get_by_label("Tidy up").click();
    harness.run();
    let tidy = harness.state().layout().expect("laid out");
    let fresh = picture::window_layout(&map, Lang::En, harness.state().layout_aspect());
    assert_eq!(tidy.nodes, fresh.nodes, "Tidy up lays the map out afresh");
    assert_ne!(
        tidy.nodes, after.nodes,
        "which here differs from the kept layout"
    );
    assert_eq!(tidy.crossings, fresh.crossings);
    let tidy = tidy.clone();

    // Tidy up is undone like an edit (the Undo button shows though nothing is edited),
    // back to the layout it replaced, and redone with Ctrl+Shift+Z.
    harness.get_by_label("Undo").click();
    harness.run();
    let undone = harness.state().layout().expect("laid out");
    assert_eq!(
        undone.nodes, after.nodes,
        "Undo brings the kept layout back"
    );
    assert_eq!(undone.segments, after.segments);
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run();
    // Laid out again from the tidied layout's places (kept packing, not fresh packing: the
    // same places, to a rounding of the arithmetic).
    let redone = harness.state().layout().expect("laid out");
    assert_eq!(redone.nodes.len(), tidy.nodes.len());
    for (again, tidied) in redone.nodes.iter().zip(&tidy.nodes) {
        let off = (again.x - tidied.x).abs().max((again.y - tidied.y).abs());
        assert!(
            off < 0.01,
            "Redo tidies up again: {again:?} against {tidied:?}"
        );
    }
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(
        harness.state().layout().expect("laid out").nodes,
        after.nodes,
        "Ctrl+Z undoes it too"
    );
}
