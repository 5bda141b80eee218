/**
 * @wharf/registry: the crate registry server (sparse index, downloads, web API, tokens,
 * storage, admin operations). app/ is HTTP only; service/ decides; auth/ and storage/ hold
 * the rules and the data. May import @wharf/protocol.
 */
export * from "./admin/index.js";
export * from "./app/api-error.js";
export { createRegistryApp, nameFromIndexPath } from "./app/create-app.js";
export type { Download, PublishResult, RegistryService, RequestInfo } from "./app/service.js";
export * from "./auth/index.js";
export * from "./config/index.js";
export * from "./server/start-registry.js";
export * from "./service/registry-service.js";
export * from "./storage/index.js";
