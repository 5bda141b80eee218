/**
 * names: crate and package name rules (cargo's and the registry's). Pure; imports nothing
 * outside this folder.
 */
export * from "./crate-name.js";
export * from "./new-package-name.js";
export * from "./package-name.js";
