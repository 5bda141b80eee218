/**
 * semver: Cargo's version and requirement semantics (not npm's): parsing, ordering,
 * matching with cargo's pre-release rules, and the "compatible range" key that decides when
 * two versions of one crate may coexist in a build. Pure.
 */
export {};
