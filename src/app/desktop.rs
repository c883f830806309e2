//! chainmap as an installed desktop program: its application id, its window icon and the
//! native window options built from them. The files a desktop reads (the desktop entry, the
//! AppStream metadata, the icons) live in `assets/`; the tests here check that they agree
//! with this code and pass the freedesktop validators. Nothing here draws.

use std::path::PathBuf;

/// The application id (reverse DNS): the Wayland `app_id` and X11 `WM_CLASS` of the window,
/// the name of the desktop entry, the AppStream component and the icon, so that a desktop
/// matches the running window with its entry and shows its icon rather than a generic one.
pub const APP_ID: &str = "io.github.chainmap.Chainmap";

/// The folder name eframe kept the settings (and the crash journal) under before the window
/// had an application id. eframe derives its storage folder from the app id, so without
/// keeping this name every user would lose their recent maps, window layout and unsaved
/// edits on upgrading.
pub const STORAGE_NAME: &str = "chainmap";

/// The window icon: the 256-pixel rendering of `assets/icons/…/scalable/apps/APP_ID.svg`.
const ICON_PNG: &[u8] =
    include_bytes!("../../assets/icons/hicolor/256x256/apps/io.github.chainmap.Chainmap.png");

/// The window icon, decoded; `None` (the desktop's default icon) if it cannot be, which a
/// test rules out, so that a bad asset can never keep the window from opening.
pub fn window_icon() -> Option<egui::IconData> {
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => Some(icon),
        Err(error) => {
            eprintln!("chainmap: the window icon could not be decoded: {error}");
            None
        }
    }
}

/// The settings file eframe keeps, in the folder it used before the app id was set.
fn persistence_path() -> Option<PathBuf> {
    eframe::storage_dir(STORAGE_NAME).map(|dir| dir.join("app.ron"))
}

/// The native window's options: title, first size, app id, icon and where settings live.
pub fn native_options() -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("chainmap")
        .with_app_id(APP_ID)
        .with_inner_size([1400.0, 860.0]);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    eframe::NativeOptions {
        viewport,
        persistence_path: persistence_path(),
        ..eframe::NativeOptions::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    fn asset(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets")
            .join(path)
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    }

    fn desktop_entry() -> PathBuf {
        asset(&format!("linux/{APP_ID}.desktop"))
    }

    fn metainfo() -> PathBuf {
        asset(&format!("linux/{APP_ID}.metainfo.xml"))
    }

    /// The sizes the icon is rendered at, each in `hicolor/NxN/apps/`.
    const ICON_SIZES: [u32; 8] = [16, 24, 32, 48, 64, 128, 256, 512];

    /// Runs a validator on `file`; fails, saying how to install it, when it is not there:
    /// a check that quietly skips itself would let the files rot on a machine without it.
    fn validate(program: &str, args: &[&str], file: &Path, package: &str) {
        let output = Command::new(program).args(args).arg(file).output();
        let output = match output {
            Ok(output) => output,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => panic!(
                "`{program}` is not installed: `apt-get install {package}` (Debian, Ubuntu) or \
                 your system's {package} package; .ci/run installs it"
            ),
            Err(error) => panic!("`{program}` could not run: {error}"),
        };
        assert!(
            output.status.success(),
            "{program} refuses {}:\n{}{}",
            file.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    #[test]
    fn desktop_entry_passes_desktop_file_validate() {
        validate(
            "desktop-file-validate",
            &[],
            &desktop_entry(),
            "desktop-file-utils",
        );
    }

    #[test]
    fn metainfo_passes_appstreamcli_validate() {
        validate(
            "appstreamcli",
            &["validate", "--no-net"],
            &metainfo(),
            "appstream",
        );
    }

    #[test]
    fn app_id_agrees_in_code_desktop_entry_and_metainfo() {
        let entry = read(&desktop_entry());
        let keys: Vec<(&str, &str)> = entry.lines().filter_map(|l| l.split_once('=')).collect();
        let value = |key: &str| keys.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        assert_eq!(value("Icon"), Some(APP_ID));
        assert_eq!(value("StartupWMClass"), Some(APP_ID));
        assert_eq!(value("Exec"), Some("chainmap %f"));
        let metainfo = read(&metainfo());
        for tag in [
            format!("<id>{APP_ID}</id>"),
            format!("<launchable type=\"desktop-id\">{APP_ID}.desktop</launchable>"),
            format!("<icon type=\"stock\">{APP_ID}</icon>"),
            "<binary>chainmap</binary>".to_owned(),
            format!(
                "<project_license>{}</project_license>",
                env!("CARGO_PKG_LICENSE")
            ),
            format!("<release version=\"{}\"", env!("CARGO_PKG_VERSION")),
        ] {
            assert!(metainfo.contains(&tag), "the metainfo lacks {tag}");
        }
        // The window is given the same id, and keeps its settings where they were.
        let options = native_options();
        assert_eq!(options.viewport.app_id.as_deref(), Some(APP_ID));
        assert!(options.viewport.icon.is_some(), "the window has its icon");
        if let Some(path) = options.persistence_path {
            assert!(path.ends_with(Path::new(STORAGE_NAME).join("app.ron")));
        }
    }

    #[test]
    fn metainfo_screenshots_are_files_of_the_repository() {
        let metainfo = read(&metainfo());
        let prefix = "https://raw.githubusercontent.com/chainmap/chainmap/main/";
        let mut count = 0;
        for part in metainfo.split("<image>").skip(1) {
            let url = part.split("</image>").next().unwrap_or_default();
            let path = url.strip_prefix(prefix).unwrap_or_else(|| panic!("{url}"));
            assert!(
                Path::new(env!("CARGO_MANIFEST_DIR")).join(path).is_file(),
                "{path} is not in the repository"
            );
            count += 1;
        }
        assert!(count >= 1, "the metainfo shows no screenshot");
    }

    #[test]
    fn icons_decode_at_their_stated_sizes() {
        for size in ICON_SIZES {
            let path = asset(&format!("icons/hicolor/{size}x{size}/apps/{APP_ID}.png"));
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let image = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                (image.width(), image.height()),
                (size, size),
                "{}",
                path.display()
            );
        }
        let icon = window_icon().expect("the embedded icon decodes");
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        let svg = read(&asset(&format!("icons/hicolor/scalable/apps/{APP_ID}.svg")));
        let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default())
            .expect("the SVG icon parses");
        assert_eq!(tree.size().width(), 256.0);
    }
}
