/**
 * cli: argv -> one operation -> rendered result or error, exit code. Thin: parsing and
 * printing only; the work is in ../ops. May import every other client folder.
 */
export * from "./context.js";
export * from "./program.js";
