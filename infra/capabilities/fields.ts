/**
 * Leaf schemas shared by the capabilities' stack-config sections. They hold what is about the stack file
 * itself: types, and the few rules no component has (names the stack alone uses). What a value may be
 * once it reaches a component (ranges, patterns, pins, the values of an enum) the component checks, and
 * `parsePlatformConfig` reports it at the stack key. Each schema carries its own message: it is what the
 * user reads after "<file>: <key>: ".
 */
import { isDnsLabel } from "@mlops-platform/components";
import { z } from "zod";

/** What a config key naming a secret looks like (`openaiApiKey`). */
export const SECRET_KEY_NAME = /^[a-z][A-Za-z0-9]*$/;

export const flag = () => z.boolean({ error: "expected true or false" });

/**
 * A string a component checks the value of (a GPU type, an operator name, ...). Typed as the values the
 * component allows: the parsed config only ever leaves `parsePlatformConfig` once the components accepted it.
 */
export const checkedString = <T extends string>() => z.custom<T>((value) => typeof value === "string", { error: "expected a string" });

const DNS_LABEL_RULE = "a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";
export const dnsLabel = (what: string) =>
  z.string({ error: `expected ${what}: ${DNS_LABEL_RULE}` }).refine(isDnsLabel, { error: `expected ${what}: ${DNS_LABEL_RULE}` });
export const nonEmptyString = (what: string) =>
  z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}, not an empty string` });
