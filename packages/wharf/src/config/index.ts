/**
 * config: .cargo/config.toml discovery and merging, `--config`, CARGO_* environment
 * overrides, and Wharf's own wharf.toml policy with its trust rule. I/O (reads files).
 */
export {};
