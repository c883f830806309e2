//! Saved views of a map: named sets of a selection, trace, lenses, filter and part of the
//! map on screen, kept by id beside the map (`.views.ron` in its folder) for the window to
//! return to and for exports to start from. Only the file and its plain checks live here;
//! what a view lights in a map is the window's (`ui::views`).

use crate::model::{EntityType, Id, LinkKind, Map, Market, Node, NodeClass, Segment, Thesis, Tier};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A named view of a map, by ids so that it outlives edits: what is selected and traced,
/// the thesis lens, the filter, and the part of the map on screen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename = "View")]
pub struct SavedView {
    pub name: String,
    /// The selected node; with `trace`, its whole chain is lit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected: Option<Id>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub trace: bool,
    /// The thesis whose subjects are lit.
    #[serde(rename = "lens", skip_serializing_if = "Option::is_none")]
    pub thesis_lens: Option<Id>,
    /// The market laid over the map, its shares drawn on their holders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market: Option<Id>,
    /// The case of the market's shares, when not the base case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_kinds: Vec<LinkKind>,
    /// Families of nodes dimmed (ideas, parts of an organisation).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_classes: Vec<NodeClass>,
    /// The part of the map on screen, in map units: x, y, width, height.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub viewport: Option<(f32, f32, f32, f32)>,
}

/// The largest a viewport's position or size may be, in map units: far past any map.
pub const MAX_VIEWPORT_UNITS: f32 = 1.0e7;

impl SavedView {
    /// What is wrong with the view's part of the map, if anything: it must be four finite
    /// numbers (x, y, width, height), within [`MAX_VIEWPORT_UNITS`], with a positive width
    /// and height in a ratio between 1:20 and 20:1 (as `--aspect` asks of a page).
    pub fn viewport_problem(&self) -> Option<String> {
        let (x, y, w, h) = self.viewport?;
        let finite = [x, y, w, h]
            .iter()
            .all(|v| v.is_finite() && v.abs() <= MAX_VIEWPORT_UNITS);
        let ratio = w / h;
        let fine = finite && w > 0.0 && h > 0.0 && (0.05..=20.0).contains(&ratio);
        let show = |v: f32| {
            if v.abs() < 1.0e6 {
                format!("{v}")
            } else {
                format!("{v:e}")
            }
        };
        let (x, y, w, h) = (show(x), show(y), show(w), show(h));
        (!fine).then(|| {
            format!(
                "view \"{}\": viewport ({x}, {y}, {w}, {h}) is no part of a map: four finite numbers x, y, width, height (each at most {MAX_VIEWPORT_UNITS:e} map units), width and height positive, in a ratio between 1:20 and 20:1",
                self.name
            )
        })
    }

    /// What the view names that `map` no longer has (`market "m"`, `node "a"`), each
    /// drawn without it.
    pub fn missing(&self, map: &Map) -> Vec<String> {
        /// `kind "id"` when `id` is given and the map has no such entity of the kind.
        fn missing<T: EntityType>(id: &Option<Id>, map: &Map) -> Option<String> {
            let id = id.as_ref()?;
            let found = T::list(map).iter().any(|entity| entity.id() == id);
            (!found).then(|| format!("{} \"{id}\"", T::KIND.noun()))
        }
        [
            missing::<Market>(&self.market, map),
            missing::<Thesis>(&self.thesis_lens, map),
            missing::<Node>(&self.selected, map),
            missing::<Tier>(&self.tier, map),
            missing::<Segment>(&self.segment, map),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Where the saved views of the map at `root` are kept: `.views.ron` in its folder, or
/// `.NAME.views.ron` beside a one-file map. The leading dot keeps the loader from reading
/// it as a map file; git keeps it like any other file.
pub fn views_path(root: &Path) -> PathBuf {
    if root.is_dir() {
        return root.join(".views.ron");
    }
    let name = root
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    root.with_file_name(format!(".{name}.views.ron"))
}

#[derive(Debug, thiserror::Error)]
pub enum ViewsError {
    #[error("{}: {error}", .path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}:{line}:{col}: {message}", .path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{}: could not write the views: {message}", .path.display())]
    Write { path: PathBuf, message: String },
}

/// The saved views of the map at `root` (none when it has no views file).
pub fn read_views(root: &Path) -> Result<Vec<SavedView>, ViewsError> {
    let path = views_path(root);
    if !path.exists() {
        return Ok(Vec::new());
    }
    // Read within the limits of a map file: never a device, a pipe or more than 32 MiB.
    let bytes = match crate::io::read_limited(&path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            let size = std::fs::metadata(&path)
                .map(|m| m.len())
                .unwrap_or_default();
            return Err(ViewsError::Read {
                error: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    crate::io::too_large_message(size),
                ),
                path,
            });
        }
        Err(crate::io::LoadError::NotFound(_)) => return Ok(Vec::new()),
        Err(crate::io::LoadError::Io { error, .. }) => {
            return Err(ViewsError::Read { path, error });
        }
        Err(other) => {
            return Err(ViewsError::Read {
                error: std::io::Error::other(other.to_string()),
                path,
            });
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| ViewsError::Read {
        error: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"),
        path: path.clone(),
    })?;
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<Vec<SavedView>>(crate::io::spans::without_bom(&text))
        .map_err(|error| ViewsError::Parse {
            path,
            line: error.span.start.line,
            col: error.span.start.col,
            message: error.code.to_string(),
        })
}

/// Writes the saved views of the map at `root`, atomically.
pub fn write_views(root: &Path, views: &[SavedView]) -> Result<(), ViewsError> {
    let path = views_path(root);
    let mut text = crate::io::write::pretty_ron(&views).map_err(|error| ViewsError::Write {
        path: path.clone(),
        message: error.to_string(),
    })?;
    text.insert_str(
        0,
        "// Saved views of this map: chosen in the window, drawn by `chainmap export --view NAME`.\n",
    );
    text.push('\n');
    crate::io::write::atomic_write(&path, text.as_bytes()).map_err(|error| ViewsError::Write {
        message: error.to_string(),
        path,
    })
}
