//! chainmap: explore and edit value-chain maps.
//!
//! Layers point one way: [`model`] (types, validation, pure functions) ← [`io`] (files) ←
//! [`layout`] (geometry) ← [`render`] (pictures: colours, fonts, SVG and PNG) and [`web`]
//! (the web page) ← [`ui`] (egui widgets and panels) ← [`app`] (the window); [`cli`] (the
//! commands) reads `render` and `web`, never `ui`. Nothing below `render` knows of egui,
//! which `render` uses only to measure text as the window does.

pub mod app;
pub mod cli;
pub mod io;
pub mod layout;
pub mod model;
pub mod render;
pub mod ui;
pub mod web;
