/**
 * The heuristic behind `no-plaintext-secrets`: which literal key/value pairs look like secret material.
 *
 * A key is split into words (`DB_PASSWORD`, `dbPassword`, `db-password`, `password.txt` all give
 * `db`/`password`/`txt`). It names a secret when a word is password(s)/passwd, secret(s), token,
 * credential(s), apikey or privatekey, or two adjacent words are api+key or private+key, unless its LAST
 * word says the value is about a secret rather than the secret itself (`TOKEN_URL`, `PASSWORD_FILE`,
 * `SECRET_NAME`, `TOKEN_TTL`, `ENABLE_TOKEN_AUTH`...). `tokens` (plural) is left out on purpose: in ML
 * settings it counts tokens (`MAX_TOKENS`, `MAX_NEW_TOKENS`), and so is `pwd` (`PWD` is the working directory).
 *
 * A value is not secret material when it is empty, a boolean, or only a `$(VAR)` reference to another
 * environment variable (which is where a secretKeyRef value would come from).
 */

const SECRET_WORDS: ReadonlySet<string> = new Set([
  "password",
  "passwords",
  "passwd",
  "secret",
  "secrets",
  "token",
  "credential",
  "credentials",
  "apikey",
  "privatekey",
]);

const SECRET_WORD_PAIRS: readonly (readonly [string, string])[] = [
  ["api", "key"],
  ["private", "key"],
];

// Last words that make the key describe a secret (where it is, what it is called, how long it lives).
const DESCRIPTIVE_LAST_WORDS: ReadonlySet<string> = new Set([
  "url", "uri", "endpoint", "host", "hostname", "port", "path", "file", "dir", "directory", "mount", "name",
  "ref", "ttl", "expiry", "expiration", "expires", "timeout", "lifetime", "length", "type",
  "header", "audience", "issuer", "enabled", "enable", "disabled", "auth", "mode", "policy", "version",
  "count", "limit", "size", "max", "min",
]);

/** Splits a key into lower-case words at non-alphanumerics and camelCase boundaries. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

function hasSecretWord(words: readonly string[]): boolean {
  if (words.some((word) => SECRET_WORDS.has(word))) return true;
  return words.some((word, index) => SECRET_WORD_PAIRS.some(([first, second]) => word === first && words[index + 1] === second));
}

/** True when a key (ConfigMap key, env var name) names secret material rather than something about it. */
export function looksLikeSecretKey(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1];
  return hasSecretWord(words) && (last === undefined || !DESCRIPTIVE_LAST_WORDS.has(last));
}

/** True when a literal value cannot be secret material whatever its key says. */
export function isHarmlessValue(value: string): boolean {
  const trimmed = value.trim();
  return trimmed === "" || /^(true|false)$/i.test(trimmed) || /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(trimmed);
}

/** True when the pair `key: value` looks like a plaintext secret. */
export function isPlaintextSecret(key: string, value: unknown): boolean {
  if (typeof value !== "string" && typeof value !== "number") return false;
  return looksLikeSecretKey(key) && !isHarmlessValue(String(value));
}
