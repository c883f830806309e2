//! chainmap: explore and edit value-chain maps.
//!
//! Layers point one way: [`model`] (types, validation, pure functions) ← [`io`] (files) ←
//! [`layout`] (geometry) ← [`ui`] (egui widgets and panels) ← [`app`] (the window) and
//! [`cli`] (the commands). Nothing below `ui` knows of egui.

pub mod app;
pub mod cli;
pub mod io;
pub mod layout;
pub mod model;
pub mod ui;
pub mod web;
