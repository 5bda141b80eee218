/**
 * The knowledge behind the build-script analysis, kept apart from the tree walking so each
 * list can be read and reviewed on its own: which crates talk to the network, which programs
 * are the usual build helpers, which environment variables hold secrets, which paths hold
 * credentials.
 */
import type { BuildFindingSeverity } from "./build-script-finding.js";

/** Crates whose use means network I/O (path roots: `reqwest::get`, `use ureq::Agent`). */
export const NETWORK_CRATES = new Set([
  "reqwest",
  "ureq",
  "curl",
  "hyper",
  "hyper_util",
  "attohttpc",
  "isahc",
  "surf",
  "minreq",
  "http_req",
  "ehttp",
  "awc",
  "h2",
  "h3",
  "quinn",
  "socket2",
  "tungstenite",
  "tokio_tungstenite",
  "websocket",
  "lettre",
  "ssh2",
  "russh",
  "trust_dns_resolver",
  "hickory_resolver",
  "native_tls",
  "tokio_native_tls",
  "rustls_connector",
  "ftp",
  "suppaftp",
  "oxhttp",
  "chttp",
  "cyper",
  "zmq",
]);

/**
 * Path segments after a crate root that mean network I/O in an otherwise broad crate.
 * (`std::net` is not here: it also holds plain address types; its sockets are SOCKET_TYPES.)
 */
export const NETWORK_MODULES: ReadonlyArray<readonly [string, string]> = [
  ["tokio", "net"],
  ["async_std", "net"],
  ["smol", "net"],
  ["async_net", ""],
  ["mio", "net"],
  ["git2", "build"],
];

/** Type names that are sockets wherever they come from. */
export const SOCKET_TYPES = new Set(["TcpStream", "TcpListener", "UdpSocket", "ToSocketAddrs"]);

/** Methods that resolve names or open connections on whatever they are called on. */
export const SOCKET_METHODS = new Set(["to_socket_addrs"]);

/** libc functions by what they do: running programs or opening sockets behind Rust's back. */
export const LIBC_PROCESS = new Set([
  "system",
  "popen",
  "execv",
  "execve",
  "execvp",
  "execvpe",
  "execl",
  "execle",
  "execlp",
  "fork",
  "vfork",
  "posix_spawn",
  "posix_spawnp",
]);
export const LIBC_NETWORK = new Set(["socket", "connect", "getaddrinfo", "gethostbyname", "sendto", "bind"]);

/** How a program a build script runs is judged. */
export interface ProgramVerdict {
  severity: BuildFindingSeverity;
  why: string;
}

/** The compiler toolchain and the usual build helpers: running them is routine. */
const TOOLCHAIN_PROGRAMS = new Set([
  "cc",
  "c++",
  "gcc",
  "g++",
  "clang",
  "clang++",
  "clang-cl",
  "cl",
  "cpp",
  "ar",
  "llvm-ar",
  "ranlib",
  "lib",
  "link",
  "ld",
  "lld",
  "pkg-config",
  "pkgconf",
  "rustc",
  "rustdoc",
  "cargo",
  "xcrun",
  "xcode-select",
  "vswhere",
  "windres",
  "llvm-config",
]);

/** Environment variables that name the toolchain (cargo and the cc crate set or read them). */
export function isToolchainVariable(name: string): boolean {
  return /^(?:RUSTC|RUSTC_WRAPPER|RUSTC_WORKSPACE_WRAPPER|RUSTDOC|CARGO|(?:HOST_|TARGET_)?(?:CC|CXX|AR|RANLIB)(?:_[A-Za-z0-9_-]+)?|PKG_CONFIG(?:_PATH)?|LLVM_CONFIG(?:_PATH)?|CLANG_PATH|LIBCLANG_PATH)$/.test(
    name,
  );
}

/** Programs that move data over the network: running one is network use. */
const NETWORK_PROGRAMS = new Set([
  "curl",
  "wget",
  "nc",
  "ncat",
  "netcat",
  "socat",
  "ssh",
  "scp",
  "sftp",
  "ftp",
  "tftp",
  "telnet",
  "rsync",
  "certutil",
  "bitsadmin",
  "invoke-webrequest",
  "aria2c",
  "nslookup",
  "dig",
  "host",
]);

/** Shells and interpreters: what they run is hidden in their arguments. */
const SHELLS = new Set([
  "sh",
  "bash",
  "zsh",
  "dash",
  "ksh",
  "cmd",
  "powershell",
  "pwsh",
  "python",
  "python3",
  "perl",
  "ruby",
  "node",
]);

/** The last path component without a Windows `.exe`, lowercased. */
export function programBaseName(program: string): string {
  const base = program.split(/[\\/]/).pop() ?? program;
  return base.toLowerCase().replace(/\.exe$/, "");
}

export function isShell(program: string): boolean {
  return SHELLS.has(programBaseName(program));
}

/** A program given as a literal name or path. */
export function judgeProgramName(program: string, firstArg: string | undefined): ProgramVerdict {
  const base = programBaseName(program);
  if (NETWORK_PROGRAMS.has(base)) return { severity: "high", why: `runs \`${base}\`, a network tool` };
  if (base === "git") {
    return firstArg !== undefined && /^(?:clone|fetch|pull|push|ls-remote|submodule|remote)$/.test(firstArg)
      ? { severity: "high", why: `runs \`git ${firstArg}\`, which talks to the network` }
      : { severity: "info", why: "runs `git` (version stamps)" };
  }
  if (TOOLCHAIN_PROGRAMS.has(base)) return { severity: "info", why: `runs \`${base}\` (compiler toolchain)` };
  if (program.startsWith("/tmp/") || program.startsWith("/var/tmp/") || program.startsWith("/dev/shm/")) {
    return { severity: "high", why: `runs \`${program}\` from a temporary directory` };
  }
  if (isShell(base)) return { severity: "medium", why: `runs the interpreter \`${base}\`` };
  return { severity: "medium", why: `runs \`${base}\`, which is not part of the compiler toolchain` };
}

/**
 * Environment variables whose value is a secret or points at the user's secrets. Cargo's own
 * variables (CARGO_PKG_*, CARGO_CFG_*, ...) never are, except the registry tokens.
 */
export function isSecretVariable(name: string): boolean {
  const n = name.toUpperCase();
  if (n === "HOME" || n === "USERPROFILE" || n === "SSH_AUTH_SOCK" || n === "GNUPGHOME") return true;
  if (/^CARGO_REGISTR(?:Y|IES_[A-Z0-9_-]+)_TOKEN$/.test(n)) return true;
  if (
    /^CARGO_(?:PKG|CFG|FEATURE|MANIFEST|ENCODED|MAKEFLAGS|BIN|CRATE|PRIMARY|TARGET|BUILD|TERM|HOME$)/.test(n)
  )
    return false;
  if (
    /^(?:AWS|AZURE|GCP|GOOGLE_APPLICATION|GH|GITHUB|GITLAB|NPM|PYPI|DOCKER|HEROKU|DIGITALOCEAN|SLACK|TWINE)_/.test(
      n,
    )
  ) {
    return true;
  }
  return /(?:^|_)(?:TOKEN|SECRET|SECRETS|PASSWORD|PASSWD|PASS|KEY|APIKEY|API_KEY|CREDENTIALS?|PRIVATE_KEY|ACCESS_KEY)$/.test(
    n,
  );
}

/** Paths that hold credentials, keys or wallets, in any spelling that reaches them. */
const CREDENTIAL_PATH =
  /(?:^|[\\/~])(?:\.ssh(?:[\\/]|$)|id_(?:rsa|dsa|ecdsa|ed25519)\b|\.aws[\\/]|\.cargo[\\/]credentials|credentials\.toml$|\.netrc$|\.git-credentials$|\.gnupg(?:[\\/]|$)|\.docker[\\/]config\.json|\.kube[\\/]config|\.npmrc$|\.pypirc$|\.config[\\/](?:gcloud|gh)[\\/]|Library[\\/]Keychains|wallet\.dat$|\.bash_history$|\.zsh_history$)|^\/etc\/(?:shadow|sudoers|gshadow)|^\/proc\/(?:self|\d+)\/environ/;

export function isCredentialPath(text: string): boolean {
  return CREDENTIAL_PATH.test(text);
}

/** `~/x`, `$HOME/x`, `%USERPROFILE%\x`: the user's home written into a string. */
export function isHomePath(text: string): boolean {
  return /^~[\\/]|^\$HOME\b|^\$\{HOME\}|%USERPROFILE%|%APPDATA%/.test(text);
}

/** `.cargo/` under a home: the registry cache and credentials of every Rust build. */
export function isCargoHomePath(text: string): boolean {
  return /(?:^|[\\/~])\.cargo(?:[\\/]|$)/.test(text);
}

/** An absolute path (Unix or Windows drive/UNC), not a URL. */
export function isAbsolutePath(text: string): boolean {
  return /^\/[A-Za-z0-9._-]/.test(text) || /^[A-Za-z]:[\\/]/.test(text) || /^\\\\[A-Za-z0-9]/.test(text);
}

/** Where a build script looks for system libraries and SDKs: reading there is routine. */
export function isSystemLibraryPath(text: string): boolean {
  return /^\/(?:usr|opt|lib|lib32|lib64|System|Library|Applications|nix|sw|mingw(?:32|64)?)(?:\/|$)|^[A-Za-z]:[\\/](?:Program Files|msys64|mingw|vcpkg)/i.test(
    text,
  );
}

export function isTempPath(text: string): boolean {
  return /^\/(?:tmp|var\/tmp|dev\/shm)(?:\/|$)/.test(text);
}

/** File extensions that are text when `include_str!`/`include_bytes!` embeds them. */
const TEXT_EXTENSIONS =
  /\.(?:rs|md|markdown|txt|toml|json|ya?ml|in|c|h|cc|cpp|hpp|s|asm|ld|x|css|html?|js|svg|xml|csv|tsv|pest|lalrpop|proto|graphql|sql|sh|py|cfg|ini|tmpl|template|hbs|tera|jinja|lock|lst|list|def|inc|gen|data|ucd|rst|adoc|license|version)$/i;
const EXECUTABLE_EXTENSIONS =
  /\.(?:exe|dll|so(?:\.\d+)*|dylib|elf|bin|o|obj|a|lib|com|scr|msi|deb|rpm|appimage|jar|pyc|wasm)$/i;

export function includeTargetKind(path: string): "text" | "executable" | "unknown" {
  if (EXECUTABLE_EXTENSIONS.test(path)) return "executable";
  if (TEXT_EXTENSIONS.test(path)) return "text";
  return "unknown";
}

/** Magic numbers of executables and archives: ELF, PE, Mach-O (both endians, fat), wasm, shebang. */
export function sniffExecutable(bytes: Uint8Array): string | undefined {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0x7f && b(1) === 0x45 && b(2) === 0x4c && b(3) === 0x46) return "an ELF executable";
  if (b(0) === 0x4d && b(1) === 0x5a) return "a Windows executable";
  const m = ((b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)) >>> 0;
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(m)) return "a Mach-O executable";
  if (b(0) === 0x00 && b(1) === 0x61 && b(2) === 0x73 && b(3) === 0x6d) return "a WebAssembly module";
  if (b(0) === 0x23 && b(1) === 0x21) return "a script with a #! line";
  return undefined;
}
