//! A headless Chromium for the web page's test and bench (each includes this file by its
//! path: no other test drives a browser, so none other links one).

use headless_chrome::{Browser, LaunchOptions};
use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Duration;

/// Debian's Chromium (`/usr/bin/chromium`), or the one `CHROMIUM` names; fails saying how
/// to install it when there is none.
pub fn path() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        path.exists(),
        "the web page tests drive a real Chromium, and there is none at {}: install it with \
         `apt-get install chromium` (Debian), or name one in CHROMIUM",
        path.display()
    );
    path
}

/// A headless Chromium of its own, in a fresh profile that goes when it does.
pub struct Chromium {
    /// The browser (a field before the profile: it quits before its folder is removed).
    pub browser: Browser,
    _profile: tempfile::TempDir,
}

impl Chromium {
    /// Starts Chromium in a 1600 × 1000 window, with no GPU and nothing fetched in the
    /// background (no updates, no sync, no first-run page).
    pub fn launch() -> Chromium {
        let profile = tempfile::tempdir().expect("a profile folder");
        let args: Vec<&OsStr> = [
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ]
        .iter()
        .map(OsStr::new)
        .collect();
        let options = LaunchOptions::default_builder()
            .path(Some(path()))
            .headless(true)
            .sandbox(false)
            .window_size(Some((1600, 1000)))
            .user_data_dir(Some(profile.path().to_path_buf()))
            .args(args)
            .idle_browser_timeout(Duration::from_secs(120))
            .build()
            .expect("launch options");
        Chromium {
            browser: Browser::new(options).expect("Chromium starts"),
            _profile: profile,
        }
    }
}
