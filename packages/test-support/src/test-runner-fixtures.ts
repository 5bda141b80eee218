/**
 * Fixture crates for the test runner's tests: passing, failing, ignored and should_panic
 * unit tests, a bin with its own tests, integration tests (one using CARGO_BIN_EXE and
 * dev-dependencies from the corpus registry), doc tests (passing, failing, ignored), an
 * example, a bench target and a two-member workspace; and the runaway binaries the limits
 * must stop, each bounded by itself so a broken limit cannot take the machine down.
 */
import type { FileTree } from "./project.js";

const LIB = `//! A small crate under test.

/// Adds two numbers.
///
/// \`\`\`
/// assert_eq!(basic::add(1, 2), 3);
/// \`\`\`
pub fn add(a: i32, b: i32) -> i32 {
    a + b
}

/// Doubles.
///
/// \`\`\`
/// assert_eq!(basic::double(2), 5);
/// \`\`\`
///
/// \`\`\`ignore
/// this is not rust
/// \`\`\`
pub fn double(a: i32) -> i32 {
    a * 2
}

#[cfg(test)]
mod tests {
    #[test]
    fn passes() {
        assert_eq!(super::add(2, 2), 4);
    }
    #[test]
    fn fails() {
        assert_eq!(super::add(2, 2), 5, "deliberately wrong");
    }
    #[test]
    #[ignore]
    fn ignored() {}
    #[test]
    #[should_panic(expected = "boom")]
    fn panics() {
        panic!("boom");
    }
    #[test]
    #[should_panic]
    fn does_not_panic() {}
}
`;

export const BASIC: FileTree = {
  "Cargo.toml": `[package]\nname = "basic"\nversion = "0.1.0"\nedition = "2021"\n\n[dev-dependencies]\nitoa = "1"\n`,
  "src/lib.rs": LIB,
  "src/main.rs": `fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("sum={}", basic::add(args.len() as i32, 1));
}

#[cfg(test)]
mod tests {
    #[test]
    fn bin_ok() {}
}
`,
  "tests/api.rs": `#[test]
fn adds() {
    assert_eq!(basic::add(20, 22), 42);
}

#[test]
fn formats_with_a_dev_dependency() {
    let mut buf = itoa::Buffer::new();
    assert_eq!(buf.format(basic::add(40, 2)), "42");
}

#[test]
#[ignore]
fn slow() {}
`,
  "tests/cli.rs": `#[test]
fn runs_the_binary() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_basic"))
        .args(["a", "b"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "sum=3\\n");
}

#[test]
fn reads_cargo_env() {
    assert_eq!(env!("CARGO_PKG_NAME"), "basic");
    assert_eq!(std::env::var("CARGO_PKG_NAME").unwrap(), "basic");
    assert!(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).is_dir());
    assert!(std::env::current_dir().unwrap().join("Cargo.toml").exists());
}
`,
  "examples/demo.rs": `fn main() {
    println!("{}", basic::add(1, 1));
}
`,
  "benches/speed.rs": `#[test]
fn bench_like() {
    assert_eq!(basic::double(21), 42);
}
`,
};

/** two members; `app` depends on `core-lib` and uses a registry dev-dependency in its tests */
export const WORKSPACE: FileTree = {
  "Cargo.toml": `[workspace]\nmembers = ["core-lib", "app"]\nresolver = "2"\n`,
  "core-lib/Cargo.toml": `[package]\nname = "core-lib"\nversion = "0.2.0"\nedition = "2021"\n`,
  "core-lib/src/lib.rs": `/// \`\`\`
/// assert!(core_lib::is_even(4));
/// \`\`\`
pub fn is_even(n: u32) -> bool {
    n % 2 == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn even() {
        assert!(super::is_even(2));
    }
    #[test]
    fn odd() {
        assert!(!super::is_even(3));
    }
}
`,
  "app/Cargo.toml": `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ncore-lib = { path = "../core-lib" }\n\n[dev-dependencies]\nhex = "0.4"\n`,
  "app/src/lib.rs": `pub fn label(n: u32) -> String {
    if core_lib::is_even(n) { "even".into() } else { "odd".into() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels() {
        assert_eq!(super::label(3), "odd");
    }
    #[test]
    fn wrong_label() {
        assert_eq!(super::label(3), "even");
    }
}
`,
  "app/tests/hexed.rs": `#[test]
fn encodes() {
    assert_eq!(hex::encode(app::label(2)), "6576656e");
}
`,
};

/**
 * Runaways: an endless loop (gives up after 120 s), a fork bomb (stops at 400 children)
 * and an allocator (stops at 3 GiB); a well-behaved test runs alongside.
 */
export const RUNAWAYS: FileTree = {
  "Cargo.toml": `[package]\nname = "runaways"\nversion = "0.1.0"\nedition = "2021"\n`,
  "src/lib.rs": "",
  "src/main.rs": `fn main() {
    println!("HOME={}", std::env::var("HOME").unwrap_or_default());
    std::process::exit(3);
}
`,
  "tests/fine.rs": `#[test]
fn fine() {
    assert_eq!(1 + 1, 2);
}
`,
  "tests/spin.rs": `#[test]
fn spins() {
    let start = std::time::Instant::now();
    let mut x: u64 = 0;
    while start.elapsed().as_secs() < 120 {
        x = x.wrapping_add(1);
        std::hint::black_box(x);
    }
}
`,
  "tests/forks.rs": `#[test]
fn forks() {
    let mut children = Vec::new();
    for _ in 0..400 {
        match std::process::Command::new("/bin/sleep").arg("60").spawn() {
            Ok(c) => children.push(c),
            // a refused fork: keep trying, as a fork bomb would
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
    // a fork bomb does not tidy up: hold the children, so a polling watchdog on a loaded
    // machine sees them (bounded: cleaned up after 20 s if nothing stopped it)
    std::thread::sleep(std::time::Duration::from_secs(20));
    for mut c in children {
        let _ = c.kill();
        let _ = c.wait();
    }
}
`,
  "tests/sandboxed.rs": `#[test]
fn sees_no_home_and_no_secrets() {
    assert_eq!(std::env::var("HOME").unwrap(), "/nonexistent");
    assert!(std::env::var("WHARF_PROBE_TOKEN").is_err(), "a credential-like variable leaked in");
    let tmp = std::env::temp_dir();
    std::fs::write(tmp.join("scratch"), b"ok").unwrap();
}
`,
  "tests/hog.rs": `#[test]
fn hogs() {
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    // 3 GiB at most, touched so it is really resident
    for _ in 0..48 {
        blocks.push(vec![7u8; 64 << 20]);
        std::hint::black_box(&blocks);
    }
}
`,
};
