//! Live reload seen from a real browser: headless Chromium (driven through
//! chromedriver, both installed by `.ci/run`) opens a page of `dossier
//! serve`; editing the brief makes the page reload by itself, breaking it
//! shows the overlay over the page without a reload, fixing it clears the
//! overlay.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::server::{PATIENCE, Server, free_port};
use common::{Site, brief};
use fantoccini::{Client, ClientBuilder, Locator};

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is installed (Debian package chromium-driver; .ci/run installs it)");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < PATIENCE, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, port }
}

async fn browser(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        serde_json::json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        }),
    );
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a headless Chromium session")
}

/// Runs `check` in the page until it returns true.
async fn wait_in_page(client: &Client, what: &str, script: &str) {
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

#[test]
fn an_open_page_reloads_by_itself_and_shows_problems_in_an_overlay() {
    let site = Site::new();
    site.file(
        "content/people/kim-jong-un.md",
        "---\nname: Kim Jong Un\n---\nLeader.\n",
    )
    .file(
        "content/briefs/2023-09-12-kim.md",
        &brief("title: Kim arrives\nactors: [Kim Jong Un]", "First text."),
    );
    let server = Server::start(&site, &[]);
    let driver = start_driver();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = browser(&driver).await;
        let url = format!("http://127.0.0.1:{}/briefs/kim/", server.port);
        client.goto(&url).await.unwrap();
        let text = client.find(Locator::Css(".prose")).await.unwrap().text().await.unwrap();
        assert_eq!(text, "First text.");
        // A mark that only survives as long as the page is not reloaded.
        client.execute("window.notReloaded = true; return true;", vec![]).await.unwrap();
        // Wait until the page listens for rebuilds.
        wait_in_page(&client, "the reload script", "return !!document.querySelector('script[src=\"/__dossier/reload.js\"]');").await;
        tokio::time::sleep(Duration::from_millis(500)).await;

        site.file(
            "content/briefs/2023-09-12-kim.md",
            &brief("title: Kim arrives\nactors: [Kim Jong Un]", "Second text, typed in the editor."),
        );
        wait_in_page(
            &client,
            "the edit",
            "return document.querySelector('.prose') !== null && document.querySelector('.prose').textContent.includes('Second text') && window.notReloaded === undefined;",
        )
        .await;

        // Break it: the overlay appears on the open page, without a reload.
        client.execute("window.notReloaded = true; return true;", vec![]).await.unwrap();
        site.file(
            "content/briefs/2023-09-12-kim.md",
            "---\ntitle: Kim arrives\nactor: [Kim Jong Un]\n---\nThird.\n",
        );
        wait_in_page(
            &client,
            "the overlay, styled over the page",
            "var o = document.getElementById('dossier-overlay'); return o !== null && getComputedStyle(o).position === 'fixed';",
        )
        .await;
        let overlay = client.find(Locator::Id("dossier-overlay")).await.unwrap().text().await.unwrap();
        assert!(overlay.contains("content/briefs/2023-09-12-kim.md:3:1"), "{overlay}");
        assert!(overlay.contains("unknown key `actor`"), "{overlay}");
        assert!(overlay.contains("help: did you mean `actors`?"), "{overlay}");
        let still = client.execute("return window.notReloaded === true && document.querySelector('.prose').textContent.trim();", vec![]).await.unwrap();
        assert_eq!(still.as_str(), Some("Second text, typed in the editor."));

        // Fix it: the page reloads, the overlay is gone.
        site.file(
            "content/briefs/2023-09-12-kim.md",
            &brief("title: Kim arrives\nactors: [Kim Jong Un]", "Fixed text."),
        );
        wait_in_page(
            &client,
            "the fix",
            "return document.querySelector('.prose') !== null && document.querySelector('.prose').textContent.trim() === 'Fixed text.' && document.getElementById('dossier-overlay') === null;",
        )
        .await;
        client.close().await.unwrap();
    });
}
