/**
 * rustc's dep-info (`.d`, Makefile syntax) (pure): the source files a compile read, and the
 * `# env-dep:VAR=value` lines naming environment variables it read through `env!` and
 * `option_env!`. Both feed the unit's fingerprint.
 */

export interface DepInfo {
  files: string[];
  envDeps: [string, string | null][];
}

function unescapeMake(s: string): string {
  return s.replace(/\\(.)/g, "$1");
}

export function parseDepInfo(text: string, resolvePath: (p: string) => string): DepInfo {
  const files = new Set<string>();
  const envDeps = new Map<string, string | null>();
  const targets = new Set<string>();
  const rules: string[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("# env-dep:")) {
      const rest = line.slice("# env-dep:".length);
      const eq = rest.indexOf("=");
      if (eq < 0) envDeps.set(unescapeMake(rest), null);
      else envDeps.set(unescapeMake(rest.slice(0, eq)), unescapeMake(rest.slice(eq + 1)));
      continue;
    }
    if (line.startsWith("#") || line.trim() === "") continue;
    rules.push(line);
  }
  for (const line of rules) {
    // split on the first unescaped ": "
    const m = /^((?:[^:\\]|\\.)*):(?:\s|$)/.exec(line);
    if (m === null) continue;
    const deps = line.slice(m[0].length).match(/(?:[^\s\\]|\\.)+/g) ?? [];
    // `output: inputs...` rules name outputs; `input:` rules (no deps) just repeat inputs
    if (deps.length > 0) targets.add(resolvePath(unescapeMake(m[1]!.trim())));
    for (const d of deps) files.add(resolvePath(unescapeMake(d)));
  }
  for (const t of targets) files.delete(t);
  return { files: [...files], envDeps: [...envDeps] };
}
