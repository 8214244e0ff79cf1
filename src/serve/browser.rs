//! Open the page in the computer's default browser: `xdg-open` on Linux,
//! `open` on macOS, `cmd /c start` on Windows. Failing to is not an error:
//! the address is printed for the user to open.

/// Start the default browser on `url`; false when that failed.
pub fn open_browser(url: &str) -> bool {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        // The empty title keeps `start` from taking the URL as one.
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}
