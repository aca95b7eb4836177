//! Headless Chromium driven through chromedriver, for the tests that look
//! at pages in a real browser (`tests/browser.rs`, `tests/accessibility.rs`).
//! Both programs are installed by the README's test command
//! (`scripts/test`); a test that finds one missing fails and says so.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

use crate::common::server::{PATIENCE, free_port};

/// chromedriver on a free port, stopped when dropped.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_driver() -> Driver {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is missing: run `scripts/test`, which installs it, or `sudo apt-get install chromium chromium-driver`");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < PATIENCE, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, port }
}

/// A browser session whose pages see a light colour scheme.
pub async fn browser(driver: &Driver) -> Client {
    browser_in(driver, false).await
}

/// A browser session; with `dark`, pages see `prefers-color-scheme: dark`.
pub async fn browser_in(driver: &Driver, dark: bool) -> Client {
    let mut args = vec![
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--font-render-hinting=none",
    ];
    if dark {
        args.push("--force-dark-mode");
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        serde_json::json!({ "args": args }),
    );
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a headless Chromium session")
}

/// Runs `check` in the page until it returns true.
pub async fn wait_in_page(client: &Client, what: &str, script: &str) {
    let started = Instant::now();
    loop {
        let value = client.execute(script, vec![]).await.unwrap_or_default();
        if value.as_bool() == Some(true) {
            return;
        }
        assert!(started.elapsed() < PATIENCE, "the page never showed {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
