/**
 * config: the registry server's settings (file, WHARF_REGISTRY_* env, flags) validated into
 * a RegistryConfig. May import @wharf/protocol and node.
 */
export * from "./registry-config.js";
