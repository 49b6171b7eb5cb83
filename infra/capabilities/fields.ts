/**
 * Leaf schemas shared by the capabilities' stack-config sections. Each carries its own message: it is what
 * the user reads after "<file>: <key>: ".
 */
import { isCidr, isDnsLabel, isExactChartVersion, isHostName, isPinnedImage } from "@mlops-platform/components";
import { z } from "zod";

export const positiveInt = () =>
  z.int({ error: "expected a positive integer" }).positive({ error: "expected a positive integer" });
export const nonNegativeInt = () =>
  z.int({ error: "expected a whole number (0 or more)" }).nonnegative({ error: "expected a whole number (0 or more)" });
export const positiveNumber = () =>
  z.number({ error: "expected a positive number" }).positive({ error: "expected a positive number" });
export const flag = () => z.boolean({ error: "expected true or false" });

const DNS_LABEL_RULE = "a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";
export const dnsLabel = (what: string) =>
  z.string({ error: `expected ${what}: ${DNS_LABEL_RULE}` }).refine(isDnsLabel, { error: `expected ${what}: ${DNS_LABEL_RULE}` });
export const nonEmptyString = (what: string) =>
  z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}, not an empty string` });

const EXACT_VERSION_RULE = 'expected an exact version such as "v1.20.2" (no ranges, no "latest")';
export const exactVersion = () => z.string({ error: EXACT_VERSION_RULE }).refine(isExactChartVersion, { error: EXACT_VERSION_RULE });

const PINNED_IMAGE_RULE = 'expected an image reference pinned to a tag or digest (not "latest")';
export const pinnedImage = () => z.string({ error: PINNED_IMAGE_RULE }).refine(isPinnedImage, { error: PINNED_IMAGE_RULE });

const CIDR_RULE = 'expected a CIDR such as "10.20.0.0/16"';
export const cidr = () => z.string({ error: CIDR_RULE }).refine(isCidr, { error: CIDR_RULE });

const HOST_NAME_RULE = "expected a host name such as notebooks.dev.example.com";
export const hostName = () => z.string({ error: HOST_NAME_RULE }).refine(isHostName, { error: HOST_NAME_RULE });

const HTTP_URL_RULE = "expected an http(s) URL";
export const httpUrl = () => z.string({ error: HTTP_URL_RULE }).regex(/^https?:\/\/\S+$/, { error: HTTP_URL_RULE });
