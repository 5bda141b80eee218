import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  canonicalCrateName,
  checkNewPackageName,
  isWindowsReserved,
  isWindowsReservedPath,
  toCrateName,
  validatePackageName,
  validateRegistryCrateName,
  validateRegistryName,
} from "./index.js";

describe("validatePackageName", () => {
  it("accepts identifiers, `-`, `_` and non-ASCII letters", () => {
    for (const name of ["foo", "foo-bar", "foo_bar", "_x", "Foo9", "héllo", "ÿx", "日本", "a::b"]) {
      assert.equal(validatePackageName(name), undefined, name);
    }
  });

  it("refuses the empty name", () => {
    assert.deepEqual(validatePackageName(""), {
      code: "NAME_EMPTY",
      message: "package name cannot be empty",
    });
  });

  it("gives a digit its own reason", () => {
    assert.equal(
      validatePackageName("1abc")?.message,
      "invalid character `1` in package name: `1abc`, the name cannot start with a digit",
    );
  });

  it("names the first character rule", () => {
    assert.equal(
      validatePackageName("-x")?.message,
      "invalid character `-` in package name: `-x`, the first character must be a Unicode XID start character (most letters or `_`)",
    );
    assert.equal(validatePackageName("½x")?.code, "NAME_INVALID_CHARACTER");
  });

  it("names the offending later character", () => {
    assert.equal(
      validatePackageName("a.b")?.message,
      "invalid character `.` in package name: `a.b`, characters must be Unicode XID characters (numbers, `-`, `_`, or most letters)",
    );
    assert.equal(validatePackageName("a b")?.message.startsWith("invalid character ` `"), true);
    assert.equal(validatePackageName("a:b")?.message.startsWith("invalid character `:`"), true);
  });

  it("checks each part of an open-namespace name", () => {
    assert.equal(validatePackageName("a::")?.message, "package name cannot be empty");
    assert.equal(validatePackageName("a::1b")?.message.includes("cannot start with a digit"), true);
  });

  it("says registry name for registries", () => {
    assert.equal(
      validateRegistryName("1x")?.message,
      "invalid character `1` in registry name: `1x`, the name cannot start with a digit",
    );
  });
});

describe("checkNewPackageName", () => {
  const fromDir = { nameFromDirectory: true, hasBin: true };

  it("passes ordinary names silently", () => {
    assert.deepEqual(checkNewPackageName("foo", fromDir), { warnings: [] });
  });

  it("refuses keywords with the --name and [[bin]] helps", () => {
    const r = checkNewPackageName("fn", fromDir);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.error?.message, "invalid package name `fn`: it is a Rust keyword");
    assert.deepEqual(r.error?.notes, ["the directory name is used as the package name"]);
    assert.equal(r.error?.helps[0], "to override the package name, pass `--name <pkgname>`");
    assert.equal(
      r.error?.helps[1],
      'to name the binary "fn", use a valid package name, and set the binary name to be different from the package. ' +
        "This can be done by setting the binary filename to `src/bin/fn.rs` or change the name in Cargo.toml with:\n\n" +
        '    [[bin]]\n    name = "fn"\n    path = "src/main.rs"\n',
    );
  });

  it("leaves out the --name help when --name was given", () => {
    const r = checkNewPackageName("fn", { nameFromDirectory: false, hasBin: true });
    assert.deepEqual(r.error?.notes, []);
    assert.equal(r.error?.helps.length, 1);
    assert.match(r.error?.helps[0] ?? "", /^to name the binary "fn"/);
  });

  it("does not suggest a [[bin]] name rustc would refuse", () => {
    const r = checkNewPackageName("a.b", fromDir);
    assert.deepEqual(r.error?.helps, ["to override the package name, pass `--name <pkgname>`"]);
  });

  it("refuses `test` and, for binaries, cargo's build directory names", () => {
    assert.equal(
      checkNewPackageName("test", { nameFromDirectory: true, hasBin: false }).error?.message,
      "invalid package name `test`: it conflicts with Rust's built-in test library",
    );
    const deps = checkNewPackageName("deps", fromDir);
    assert.equal(
      deps.error?.message,
      "invalid package name `deps`: it conflicts with cargo's build directory names",
    );
    assert.equal(deps.error?.helps.length, 1);
  });

  it("only warns about build directory names for a library", () => {
    const r = checkNewPackageName("examples", { nameFromDirectory: true, hasBin: false });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.warnings, [
      "package `examples` will not support binary executables with that name, it conflicts with cargo's build directory names",
    ]);
  });

  it("warns about std names with the helps embedded", () => {
    const r = checkNewPackageName("std", { nameFromDirectory: true, hasBin: false });
    assert.deepEqual(r.warnings, [
      "package name `std` may be confused with the package with that name in Rust's standard library\n" +
        "It is recommended to use a different name to avoid problems.\n" +
        "note: the directory name is used as the package name\n" +
        "help: to override the package name, pass `--name <pkgname>`",
    ]);
  });

  it("warns about Windows device names, and refuses them on Windows", () => {
    assert.deepEqual(checkNewPackageName("con", fromDir).warnings, [
      "package name `con` is a reserved Windows filename\nThis package will not work on Windows platforms.",
    ]);
    assert.equal(
      checkNewPackageName("nul", { ...fromDir, windows: true }).error?.code,
      "NAME_WINDOWS_RESERVED",
    );
  });

  it("warns about non-ASCII and upper-case names", () => {
    assert.deepEqual(checkNewPackageName("héllo", fromDir).warnings, [
      "invalid package name `héllo`: contains non-ASCII characters\nNon-ASCII crate names are not supported by Rust.",
    ]);
    assert.deepEqual(checkNewPackageName("Foo", fromDir).warnings, [
      "package name `Foo` is not snake_case or kebab-case which is recommended for package names, consider `foo`",
    ]);
  });
});

describe("Windows reserved names", () => {
  it("is case-insensitive and ignores extensions in paths", () => {
    assert.equal(isWindowsReserved("CON"), true);
    assert.equal(isWindowsReserved("com10"), false);
    assert.equal(isWindowsReservedPath("src/aux.rs"), true);
    assert.equal(isWindowsReservedPath("src/auxiliary.rs"), false);
  });
});

describe("crate names", () => {
  it("turns - into _ for rustc", () => {
    assert.equal(toCrateName("foo-bar-baz"), "foo_bar_baz");
  });

  it("folds case, - and _ for collision checks", () => {
    assert.equal(canonicalCrateName("Foo-Bar_baz"), "foo_bar_baz");
    assert.equal(canonicalCrateName("foo_bar"), canonicalCrateName("FOO-BAR"));
  });

  it("applies the registry's stricter rules", () => {
    assert.equal(validateRegistryCrateName("serde_json-2"), undefined);
    assert.equal(validateRegistryCrateName("")?.code, "CRATE_NAME_EMPTY");
    assert.equal(validateRegistryCrateName("a".repeat(64)), undefined);
    assert.equal(validateRegistryCrateName("a".repeat(65))?.code, "CRATE_NAME_TOO_LONG");
    assert.equal(validateRegistryCrateName("_foo")?.code, "CRATE_NAME_INVALID_CHARACTER");
    assert.equal(validateRegistryCrateName("1foo")?.code, "CRATE_NAME_INVALID_CHARACTER");
    assert.equal(
      validateRegistryCrateName("héllo")?.message,
      "invalid character `é` in crate name: `héllo`, characters must be ASCII letters, digits, `-` or `_`",
    );
  });
});
