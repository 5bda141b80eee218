/**
 * security: pure analyses shared by the client and the registry (secret scanning; later
 * typosquat detection and build-script analysis). Pure: text in, findings out.
 */
export {};
