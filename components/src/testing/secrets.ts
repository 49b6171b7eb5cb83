import * as pulumi from "@pulumi/pulumi";

/** Key of Pulumi's wire-format envelopes (secrets, resource references, assets). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Envelope signature of a secret value. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** What a secret value is replaced with in anything written to disk. */
export const MASK = "<secret>";

function isSecretEnvelope(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/**
 * Walks a deserialized property value and returns two copies: `masked`, where every secret is replaced by
 * `<secret>`, and `plain`, where secrets are unwrapped to their values. Every string found inside a
 * secret is added to `secretStrings`, so writers can prove no secret reached their output.
 */
export function splitSecrets(
  value: unknown,
  secretStrings: Set<string> = new Set(),
): { masked: unknown; plain: unknown; hadSecret: boolean } {
  let hadSecret = false;
  const walk = (v: unknown, insideSecret: boolean): { masked: unknown; plain: unknown } => {
    if (isSecretEnvelope(v)) {
      hadSecret = true;
      const inner = walk(v.value, true);
      return { masked: MASK, plain: inner.plain };
    }
    if (typeof v === "string") {
      if (insideSecret && v.length > 0) secretStrings.add(v);
      return { masked: v, plain: v };
    }
    if (v === null || typeof v !== "object") {
      if (insideSecret && (typeof v === "number" || typeof v === "boolean")) secretStrings.add(String(v));
      return { masked: v, plain: v };
    }
    if (pulumi.Resource.isInstance(v)) {
      // A resource reference (e.g. a provider passed as an input): recorded by kind, never expanded.
      return { masked: "<resource reference>", plain: v };
    }
    if (Array.isArray(v)) {
      const parts = v.map((item) => walk(item, insideSecret));
      return { masked: parts.map((p) => p.masked), plain: parts.map((p) => p.plain) };
    }
    if (pulumi.asset.Asset.isInstance(v) || pulumi.asset.Archive.isInstance(v)) {
      return { masked: "<asset>", plain: v };
    }
    const masked: Record<string, unknown> = {};
    const plain: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
      if (item === undefined) continue;
      const part = walk(item, insideSecret);
      masked[key] = part.masked;
      plain[key] = part.plain;
    }
    return { masked, plain };
  };
  const result = walk(value, false);
  return { ...result, hadSecret };
}

/**
 * Throws when any of `secretStrings` occurs in `text`. Writers call it on every file before it is written:
 * masking is the first line of defence, this is the second. Very short strings are skipped because they
 * would match by accident (a secret "1" inside a replica count); secrets that short are not secrets.
 */
export function assertNoSecretIn(text: string, secretStrings: Iterable<string>, where: string): void {
  for (const secret of secretStrings) {
    if (secret.length >= 6 && text.includes(secret)) {
      throw new Error(`refusing to write ${where}: it contains the plaintext of a secret value`);
    }
  }
}

/**
 * `text` with every secret string of at least six characters replaced by `<secret>`: for messages that may
 * quote a value (a schema problem names what it got), which are printed, not written through the checks
 * above.
 */
export function maskSecretsIn(text: string, secretStrings: Iterable<string>): string {
  let masked = text;
  for (const secret of secretStrings) if (secret.length >= 6) masked = masked.split(secret).join(MASK);
  return masked;
}
