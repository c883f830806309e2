//! Pictures of a map without a window: the window's colours (`theme`), its fonts (`fonts`),
//! and SVG and PNG pictures of the whole map or of a part of it (`picture`), with a market's
//! shares drawn over it. The window (`ui`, `app`) and the command line (`cli`) both draw
//! through it; it reads the model and the layout and knows nothing of panels or of the
//! window's state.

pub mod fonts;
pub mod picture;
pub mod theme;

/// Where a share's bar sits on its holder's card or box, and the size of its pill's text:
/// the window's market lens and the pictures draw shares alike.
pub mod share_geometry {
    /// A share bar: inset from its holder's sides, this tall, lifted off its bottom edge.
    pub const BAR_INSET: f32 = 3.0;
    pub const BAR_HEIGHT: f32 = 4.0;
    pub const BAR_LIFT: f32 = 1.5;
    /// The text of a share's pill and of a concentration label, at zoom 1.
    pub const PILL_TEXT: f32 = 10.0;
}
