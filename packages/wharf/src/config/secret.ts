/**
 * A credential read from config. It prints as `<redacted>` everywhere (string
 * conversion, JSON, util.inspect) so a token cannot leak into a log or an error message
 * by accident; code that must send it calls `expose()`.
 */
import { inspect } from "node:util";
import { REDACTED } from "@wharf/protocol";

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  expose(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
