//! Compare with… in the window: another version drawn over the map (added nodes outlined,
//! removed ones as ghosts, changed ones marked) and a list of the changes to step through.

mod common;

use chainmap::app::{ChainmapApp, Settings};
use chainmap::io::save::OnDiskChange;
use chainmap::io::session::Session;
use chainmap::io::{self};
use chainmap::model::{Entity, EntityKind, Node, NodeKind};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

fn window(root: &Path) -> Harness<'static, ChainmapApp> {
    common::window(ChainmapApp::new(
        io::load(root).expect("loads"),
        Settings::default(),
    ))
}

/// Makes `root` an older version of the bundled map: Ghost Co is there, Character.ai is
/// not yet, and thesis t-0-2 was still mixed.
fn make_older(root: &Path) {
    let mut session = Session::new(io::load(root).expect("loads"));
    let ghost = Node {
        segments: vec!["chatbots".into()],
        ..Node::new("ghost-co", "Ghost Co", NodeKind::Company, "applications")
    };
    let part = session.draft().part_for(EntityKind::Node).expect("a part");
    let part = session
        .draft()
        .find(EntityKind::Node, "characterai")
        .map_or(part, |place| place.part);
    common::add_in(&mut session, part, Entity::Node(ghost));
    // Character.ai's profile goes with it: a node with a case study cannot be deleted.
    common::delete_in(&mut session, EntityKind::CaseStudy, "characterai-profile");
    common::delete_in(&mut session, EntityKind::Node, "characterai");
    common::set_in(
        &mut session,
        EntityKind::Thesis,
        "t-0-2",
        "stance",
        "Mixed",
        "older",
    );
    session.save(OnDiskChange::Refuse).expect("saves");
}

#[test]
fn comparing_with_an_older_folder_marks_added_removed_and_changed() {
    let (_now_dir, now) = common::bundled_copy();
    let (_old_dir, older) = common::bundled_copy();
    make_older(&older);
    let mut harness = window(&now);
    harness.state_mut().compare_with_path(&older);
    harness.run();

    let characterai = common::node_index(harness.state().map(), "characterai");
    let openai = common::node_index(harness.state().map(), "openai");
    let marks = harness.state().compare_marks().expect("comparing").clone();
    assert!(
        marks.added.contains(&characterai),
        "Character.ai is new since"
    );
    assert!(
        marks.changed.contains(&openai),
        "a thesis about OpenAI changed"
    );
    assert_eq!(marks.ghosts.len(), 1);
    assert_eq!(marks.ghosts[0].name, "Ghost Co");
    assert!(
        marks.ghosts[0].segment.is_some(),
        "drawn in its old segment"
    );
    assert!(
        !marks.added_links.is_empty(),
        "Character.ai's links are new too"
    );

    // The Changes tab lists them in the words of `chainmap diff`, and steps to each.
    harness.get_by_label_contains("+ node characterai");
    harness.get_by_label_contains("- node ghost-co");
    harness.get_by_label_contains("thesis t-0-2: stance Mixed → Bullish");
    harness.get_by_label_contains("+ node characterai").click();
    harness.run();
    assert_eq!(harness.state().state().selected, Some(characterai));
    common::click(&mut harness, "Next");
    assert!(harness.state().state().selected.is_some());

    common::click(&mut harness, "Stop comparing");
    assert!(harness.state().compare_marks().is_none());
}

#[test]
fn comparing_with_a_git_revision_of_the_map() {
    let (dir, root) = common::bundled_copy();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "the map"]);
    let output = common::chainmap(&["set", common::path_str(&root), "q52", "high", "74"]);
    assert_eq!(output.status.code(), Some(0));

    let mut harness = window(&root);
    harness.state_mut().compare_with_revision("HEAD");
    harness.run();
    harness.get_by_label_contains(
        "figure q52 \"share of incremental AI-hardware value\": 55–75% → 55–74%",
    );
    let marks = harness.state().compare_marks().expect("comparing");
    assert!(marks.added.is_empty() && marks.ghosts.is_empty());
}

#[test]
fn ghosts_take_a_cell_of_their_old_segment_and_overlap_nothing() {
    let (_now_dir, now) = common::bundled_copy();
    let (_old_dir, older) = common::bundled_copy();
    make_older(&older);
    // Two more nodes removed since: one in a busy segment, one in no segment at all.
    let mut session = Session::new(io::load(&older).expect("loads"));
    let part = session.draft().part_for(EntityKind::Node).expect("a part");
    let busy = Node {
        segments: vec!["chips".into()],
        ..Node::new(
            "gone-chips",
            "Gone Chips Inc",
            NodeKind::Company,
            "hardware",
        )
    };
    common::add_in(&mut session, part, Entity::Node(busy));
    let loose = Node::new(
        "loose-co",
        "Loose Co",
        NodeKind::Company,
        "foundation-models",
    );
    common::add_in(&mut session, part, Entity::Node(loose));
    session.save(OnDiskChange::Refuse).expect("saves");

    let mut harness = window(&now);
    harness.state_mut().compare_with_path(&older);
    harness.run();
    let app = harness.state();
    let map = app.map();
    let marks = app.compare_marks().expect("comparing");
    assert_eq!(marks.ghosts.len(), 3);
    let segment_of = |name: &str| {
        marks
            .ghosts
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.segment)
    };
    assert!(matches!(segment_of("Gone Chips Inc"), Some(Some(_))));
    assert_eq!(segment_of("Loose Co"), Some(None));
    let layout = app.layout().expect("laid out");
    assert_eq!(
        layout.nodes.len(),
        map.nodes.len(),
        "one card per node of the map"
    );
    let ghosts: Vec<_> = app
        .ghost_rects()
        .iter()
        .map(|r| r.expect("a cell"))
        .collect();
    for (k, (ghost, rect)) in marks.ghosts.iter().zip(&ghosts).enumerate() {
        // In its old segment's box (or its tier's band), clear of every card and ghost.
        let home = match ghost.segment {
            Some(s) => layout
                .segments
                .iter()
                .find(|b| b.segment == s)
                .map(|b| b.rect),
            None => ghost.tier.map(|t| layout.tiers[t].rect),
        }
        .expect("a home");
        assert!(home.contains_rect(rect), "{} in its home", ghost.name);
        for (i, card) in layout.nodes.iter().enumerate() {
            assert!(
                !card.overlaps(rect),
                "{} over {}",
                ghost.name,
                map.nodes[i].id
            );
        }
        for other in &ghosts[k + 1..] {
            assert!(!other.overlaps(rect), "two ghosts overlap");
        }
        // Any box it touches holds it: its own segment or that segment's parent.
        let own: Vec<usize> = ghost
            .segment
            .into_iter()
            .chain(ghost.segment.and_then(|s| {
                let parent = map.segments[s].parent.as_deref()?;
                map.segments.iter().position(|x| x.id == parent)
            }))
            .collect();
        for b in &layout.segments {
            if own.contains(&b.segment) {
                assert!(b.rect.contains_rect(rect));
            } else {
                assert!(
                    !b.rect.overlaps(rect),
                    "{} over box {}",
                    ghost.name,
                    b.segment
                );
            }
        }
    }

    common::click(&mut harness, "Stop comparing");
    assert!(
        harness.state().ghost_rects().is_empty(),
        "no cells kept for ghosts"
    );
}

#[test]
fn comparing_fades_in_what_was_added_and_the_ghosts_of_what_was_removed() {
    let (_now_dir, now) = common::bundled_copy();
    let (_old_dir, older) = common::bundled_copy();
    make_older(&older);
    let mut harness = common::window_stepping(ChainmapApp::new(
        io::load(&now).expect("loads"),
        Settings::default(),
    ));
    let characterai = common::node_index(harness.state().map(), "characterai");
    harness.state_mut().compare_with_path(&older);
    // Frame by frame, at most a second of them: both come in from nothing.
    let mut seen = Vec::new();
    for _ in 0..60 {
        harness.step();
        let app = harness.state();
        seen.push((app.node_opacity(characterai), app.ghost_opacity(0)));
        if !app.gliding() {
            break;
        }
    }
    assert!(!harness.state().gliding(), "the fade ends");
    let (first_card, first_ghost) = seen[0];
    assert!(first_card < 0.1 && first_ghost < 0.1, "{seen:?}");
    assert!(
        seen.iter()
            .any(|&(card, ghost)| (0.2..0.8).contains(&card) && (0.2..0.8).contains(&ghost)),
        "half there on the way: {seen:?}"
    );
    assert_eq!(seen.last(), Some(&(1.0, 1.0)));
    // The other cards stay as they are.
    let openai = common::node_index(harness.state().map(), "openai");
    assert_eq!(harness.state().node_opacity(openai), 1.0);
}
