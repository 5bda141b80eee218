/**
 * @wharf/registry: the crate registry server (sparse index, downloads, web API, tokens,
 * storage). Built by the registry-server issue; for now only its package exists so the
 * workspace layout is complete. May import @wharf/protocol.
 */
export const REGISTRY_COMPONENT = "registry";
