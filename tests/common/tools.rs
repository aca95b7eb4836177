//! The tools some tests need beyond Rust, installed by the README's test
//! command (`scripts/test`): the npm packages in `tests/tools/` (axe-core
//! for accessibility, vnu-jar for HTML validity) and Java to run the
//! validator. A test that needs one and finds it missing fails with the
//! command that installs it; none skips.

use std::path::{Path, PathBuf};
use std::process::Command;

const INSTALL: &str =
    "run `scripts/test` (it installs what the tests need), or `npm ci --prefix tests/tools`";

fn package_file(relative: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools/node_modules")
        .join(relative);
    assert!(path.is_file(), "{} is missing: {INSTALL}", path.display());
    path
}

/// The axe-core script, to inject into a page.
pub fn axe_script() -> String {
    std::fs::read_to_string(package_file("axe-core/axe.min.js")).unwrap()
}

/// The Nu HTML checker, run with `java -jar`.
pub fn vnu_jar() -> PathBuf {
    let jar = package_file("vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java").arg("-version").output();
    assert!(
        java.is_ok_and(|o| o.status.success()),
        "java is missing (the HTML validator runs on it): run `scripts/test`, which installs it, or `sudo apt-get install default-jre-headless`"
    );
    jar
}
