/** Notebook access in the stack file: what exposure needs, and its secret. */
import { describe, expect, it } from "vitest";
import { parsePlatformConfig } from "../../../infra/config.js";
import { FILE, problemsOf } from "../config-helpers.js";

describe("notebook access in the stack file", () => {
  const withAccess = (access: Record<string, unknown>, cluster: Record<string, unknown> = { provider: "aws" }) => ({
    environment: "prod",
    cluster,
    notebooks: { access: { enabled: true, ...access } },
  });

  it("lists everything access needs when it is enabled bare", () => {
    expect(problemsOf(withAccess({}))).toEqual([
      `${FILE}: mlops-platform:notebooks.access.host: required; required when access is enabled`,
      `${FILE}: mlops-platform:notebooks.access.oidc: required; required when access is enabled: issuerUrl, clientId`,
      `${FILE}: mlops-platform:notebooks.access.gateway: required; required when access is enabled and cluster.ingressClass is not set: expose through a Gateway or an IngressClass`,
    ]);
  });

  it("refuses a plain-http issuer", () => {
    const raw = {
      ...withAccess({ host: "nb.example.com", oidc: { issuerUrl: "http://login.example.com", clientId: "x" } }, { provider: "aws", ingressClass: "nginx" }),
      notebookOidcClientSecret: "s",
    };
    expect(problemsOf(raw, ["notebookOidcClientSecret"])).toEqual([
      `${FILE}: mlops-platform:notebooks.access.oidc.issuerUrl: use the issuer's https:// URL, got "http://login.example.com"`,
    ]);
  });

  it("keeps the OIDC client secret out of the config and requires it as a secret", () => {
    const raw = { ...withAccess({ host: "nb.example.com", oidc: { issuerUrl: "https://login.example.com", clientId: "x" } }, { provider: "aws", ingressClass: "nginx" }), notebookOidcClientSecret: "s" };
    expect(problemsOf(raw)).toEqual([
      `${FILE}: mlops-platform:notebookOidcClientSecret: must be a secret (the OIDC client secret of notebook sign-in: pulumi config set --secret notebookOidcClientSecret <secret>); it is stored in plain text`,
    ]);
    expect(JSON.stringify(parsePlatformConfig(raw, FILE, new Set(["notebookOidcClientSecret"])))).not.toContain('"s"');
  });
});
