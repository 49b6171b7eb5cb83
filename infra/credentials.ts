/**
 * Credentials pasted into plain stack config: a provider key in the wrong field, a password inside a URL.
 * Pulumi stores plain values in the stack file and prints them in previews, so the stack refuses them, and
 * no message ever quotes them back (CI logs keep what they print).
 */

/** A plain config value that looks like a credential, and why. */
export interface CredentialFinding {
  path: PropertyKey[];
  /** The value as it appears in the config (for masking other messages; never printed). */
  value: string;
  reason: string;
}

/** Tokens whose shape gives them away, with the vendor or kind named in the message. */
const KNOWN_TOKENS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/, 'an API key ("sk-...")'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}/, "a GitHub token"],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, "a GitLab token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/hooks\.slack\.com\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+/, "a Slack webhook URL (the URL is the credential)"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
];

/** A URL whose user-info carries a password: `https://user:password@host`. */
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i;
/** Azure OpenAI and Cognitive Services keys: 32 hexadecimal characters. */
const HEX_KEY = /^[0-9a-fA-F]{32}$/;
/** A UUID: client, tenant and group ids, which are identifiers, not secrets. */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** One opaque token: no spaces, dots, colons or slashes, as names, URLs, paths and image references have. */
const OPAQUE_TOKEN = /^[A-Za-z0-9+_=-]{24,}$/;

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / text.length) * Math.log2(count / text.length);
  return bits;
}

/** Why `text` looks like a credential, or undefined when it does not. */
export function credentialReason(text: string): string | undefined {
  for (const [pattern, what] of KNOWN_TOKENS) if (pattern.test(text)) return `it looks like ${what}`;
  if (URL_WITH_PASSWORD.test(text)) return "its URL carries a user name and password";
  if (HEX_KEY.test(text)) return "it looks like a key (32 hexadecimal characters, as Azure keys are)";
  if (!UUID.test(text) && OPAQUE_TOKEN.test(text) && /[A-Za-z]/.test(text) && /[0-9]/.test(text) && entropy(text) >= 4) {
    return "it looks like a random token (long, opaque, high entropy)";
  }
  return undefined;
}

/** Every plain string under `value` that looks like a credential, with its key path. */
export function findCredentials(value: unknown, path: PropertyKey[] = []): CredentialFinding[] {
  if (typeof value === "string") {
    const reason = credentialReason(value);
    return reason === undefined ? [] : [{ path, value, reason }];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findCredentials(item, [...path, index]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => findCredentials(item, [...path, key]));
  }
  return [];
}

/** `message` with every flagged credential replaced, quoted (JSON) or not: a message never quotes one. */
export function maskCredentials(message: string, credentials: readonly CredentialFinding[]): string {
  let text = message;
  for (const credential of credentials) {
    for (const form of [JSON.stringify(credential.value).slice(1, -1), credential.value]) {
      text = text.split(form).join("<not shown>");
    }
  }
  return text;
}
