//! chainmap: explore and edit value-chain maps.
//!
//! Layers point one way: [`model`] (types, validation, pure functions) ← [`io`] (files) ←
//! [`layout`] (geometry) ← [`render`] (pictures: colours, fonts, SVG and PNG) and [`web`]
//! (the web page) ← [`ui`] (egui widgets and panels) ← [`app`] (the window); [`cli`] (the
//! commands) reads `render` and `web`, never `ui`. Nothing below `render` knows of egui,
//! which `render` uses only to measure text as the window does.

/// mimalloc (its version 2) in place of the system's allocator, here rather than in the binary so
/// that the benchmarks and tests measure what the program runs. Reading a map is mostly small
/// allocations (ids, names, lists) on two threads at once: it loads the 20,000-node map about a
/// third faster than glibc's allocator, for a few megabytes more resident (version 3, with or
/// without transparent huge pages, held 40 to 70 MB more in the window; see the README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod app;
pub mod cli;
pub mod io;
pub mod layout;
pub mod model;
pub mod render;
pub mod ui;
pub mod web;
