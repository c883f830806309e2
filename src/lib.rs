//! chainmap: explore and edit value-chain maps.
//!
//! Layers point one way: [`model`] (types, validation, pure functions) ← [`io`] (files) ←
//! [`cli`] (the commands). Nothing below the window knows of egui.

pub mod cli;
pub mod io;
pub mod layout;
pub mod model;
