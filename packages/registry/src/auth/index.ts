/**
 * auth: API tokens (format, hashing, issuing), authentication, the authorization decision
 * for each registry action (crates.io's scope and ownership rules) and per-user publish
 * rate limits. Decisions are returned as values carrying the HTTP status; the HTTP layer
 * only translates them.
 * May import @wharf/protocol, ../storage (through its index) and node built-ins; never
 * ../app.
 */
export { type AuthDenial, type AuthDenialCode, denialToError } from "./auth-denial.js";
export { type Authenticated, authenticate } from "./authenticate.js";
export { type AuthAction, type AuthGrant, type AuthorizeOptions, authorize } from "./authorize.js";
export {
  type CreateApiTokenOptions,
  type CreatedApiToken,
  createApiToken,
  DEFAULT_TOKEN_LIFETIME_DAYS,
  MAX_TOKEN_LIFETIME_DAYS,
} from "./create-token.js";
export {
  checkPublishRateLimit,
  DEFAULT_PUBLISH_RATE_LIMITS,
  type PublishRateLimits,
  type RateLimitRule,
} from "./publish-rate-limit.js";
export {
  ENDPOINT_SCOPES,
  type EndpointScope,
  isEndpointScope,
  isValidCratePattern,
  matchesCratePattern,
  patternsCoverCrate,
} from "./scopes.js";
export {
  generateToken,
  hashToken,
  isWellFormedToken,
  type RandomSource,
  TOKEN_BODY_LENGTH,
  TOKEN_PREFIX,
  tokenDisplayPrefix,
} from "./token-format.js";
