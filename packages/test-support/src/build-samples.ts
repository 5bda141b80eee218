/**
 * Sample applications for the builder's differential tests: real programs over corpus
 * crates (serde derive + serde_json, clap derive, regex, rand with a fixed seed, tokio with
 * macros, anyhow + thiserror), each with the arguments it is run with. Built by cargo and
 * by wharf, their outputs must be identical.
 */
import type { FileTree } from "./project.js";

export interface SampleApp {
  name: string;
  files: FileTree;
  args: string[];
}

function manifest(name: string, deps: string): string {
  return `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps}\n`;
}

export const SAMPLE_APPS: readonly SampleApp[] = [
  {
    name: "serde-app",
    args: [],
    files: {
      "Cargo.toml": manifest(
        "serde-app",
        `serde = { version = "1", features = ["derive"] }\nserde_json = "1"`,
      ),
      "src/main.rs": `use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Crate {
    name: String,
    version: (u32, u32, u32),
    #[serde(default)]
    features: Vec<String>,
    yanked: Option<bool>,
}

fn main() {
    let text = r#"[{"name":"wharf","version":[0,1,0],"features":["derive"]},{"name":"dock","version":[1,2,3],"yanked":true}]"#;
    let crates: Vec<Crate> = serde_json::from_str(text).expect("valid json");
    for c in &crates {
        println!("{:?}", c);
    }
    println!("{}", serde_json::to_string_pretty(&crates).unwrap());
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    println!("first name: {}", value[0]["name"]);
}
`,
    },
  },
  {
    name: "clap-app",
    args: ["--name", "dock", "-c", "3", "greet", "--loud"],
    files: {
      "Cargo.toml": manifest("clap-app", `clap = { version = "4", features = ["derive"] }`),
      "src/main.rs": `use clap::{Parser, Subcommand};

/// A small tool to test clap derive
#[derive(Parser, Debug)]
#[command(name = "clap-app", version, about)]
struct Cli {
    /// Who to greet
    #[arg(long)]
    name: String,
    /// How many times
    #[arg(short, long, default_value_t = 1)]
    count: u8,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    Greet {
        #[arg(long)]
        loud: bool,
    },
}

fn main() {
    let cli = Cli::parse();
    println!("{:?}", cli);
    for i in 0..cli.count {
        match &cli.command {
            Some(Command::Greet { loud: true }) => println!("HELLO {} #{}", cli.name.to_uppercase(), i),
            _ => println!("hello {} #{}", cli.name, i),
        }
    }
}
`,
    },
  },
  {
    name: "regex-app",
    args: [],
    files: {
      "Cargo.toml": manifest("regex-app", `regex = "1"`),
      "src/main.rs": `use regex::Regex;

fn main() {
    let re = Regex::new(r"(?P<name>[a-z_]+)-(?P<major>\\d+)\\.(?P<minor>\\d+)\\.(?P<patch>\\d+)").unwrap();
    let text = "serde-1.0.152 tokio-1.24.2 not-a-crate regex-1.7.1";
    for caps in re.captures_iter(text) {
        println!("{} {} {} {}", &caps["name"], &caps["major"], &caps["minor"], &caps["patch"]);
    }
    let words = Regex::new(r"\\b\\w{5}\\b").unwrap();
    println!("{:?}", words.find_iter("hello world these are words").map(|m| m.as_str()).collect::<Vec<_>>());
    println!("{}", re.replace_all(text, "$name@$major"));
}
`,
    },
  },
  {
    name: "rand-app",
    args: [],
    files: {
      "Cargo.toml": manifest("rand-app", `rand = "0.8"`),
      "src/main.rs": `use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

fn main() {
    let mut rng = StdRng::seed_from_u64(42);
    let numbers: Vec<u32> = (0..8).map(|_| rng.gen_range(0..1000)).collect();
    println!("{:?}", numbers);
    let mut deck: Vec<u8> = (1..=10).collect();
    deck.shuffle(&mut rng);
    println!("{:?}", deck);
    println!("{:.6}", rng.gen::<f64>());
}
`,
    },
  },
  {
    name: "tokio-app",
    args: [],
    files: {
      "Cargo.toml": manifest(
        "tokio-app",
        `tokio = { version = "1", features = ["rt", "macros", "sync", "time"] }`,
      ),
      "src/main.rs": `use tokio::sync::mpsc;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (tx, mut rx) = mpsc::channel(8);
    let producer = tokio::spawn(async move {
        for i in 0..5u32 {
            tx.send(i * i).await.unwrap();
        }
    });
    let mut sum = 0;
    while let Some(v) = rx.recv().await {
        println!("got {}", v);
        sum += v;
    }
    producer.await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    println!("sum {}", sum);
}
`,
    },
  },
  {
    name: "errors-app",
    args: [],
    files: {
      "Cargo.toml": manifest("errors-app", `anyhow = "1"\nthiserror = "1"`),
      "src/main.rs": `use anyhow::{Context, Result};
use thiserror::Error;

#[derive(Error, Debug)]
enum DockError {
    #[error("crate {0} not found")]
    NotFound(String),
    #[error("bad version {version} for {name}")]
    BadVersion { name: String, version: String },
}

fn find(name: &str) -> Result<u32, DockError> {
    match name {
        "wharf" => Ok(1),
        "bad" => Err(DockError::BadVersion { name: name.into(), version: "x.y".into() }),
        _ => Err(DockError::NotFound(name.into())),
    }
}

fn run(name: &str) -> Result<u32> {
    let n = find(name).with_context(|| format!("looking up {}", name))?;
    Ok(n)
}

fn main() {
    for name in ["wharf", "bad", "missing"] {
        match run(name) {
            Ok(n) => println!("{} -> {}", name, n),
            Err(e) => println!("{} -> error: {:#}", name, e),
        }
    }
}
`,
    },
  },
];
