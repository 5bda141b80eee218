/**
 * names: crate and package name rules (cargo's and the registry's). Pure.
 */
export {};
