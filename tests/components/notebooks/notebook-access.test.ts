import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { NotebookAccess, type NotebookAccessArgs } from "@mlops-platform/components";
import { validateNotebookAccess } from "@mlops-platform/components/internal";
import { buildArtifacts } from "@mlops-platform/components/testing";
import { evaluatePolicies } from "@mlops-platform/policies/rules";
import { capture } from "../../helpers.js";

const base: NotebookAccessArgs = {
  namespace: "mlp-notebook-access",
  host: "notebooks.example.com",
  gatewayName: "public",
  gatewayNamespace: "gateways",
  oidcIssuerUrl: "https://login.example.com/realms/ml",
  oidcClientId: "notebooks",
  oidcClientSecret: "client-secret-value",
  teams: [{ namespace: "team-vision", groups: ["vision-leads"] }],
};

describe("NotebookAccess", () => {
  it("attaches an HTTPRoute to the Gateway for notebook and sign-in paths only", async () => {
    const result = await capture(() => {
      new NotebookAccess("access", { ...base, oidcClientSecret: pulumi.secret("client-secret-value") });
    });
    expect(result.errors).toEqual([]);
    const { manifests, problems, files } = await buildArtifacts(result);
    expect(problems).toEqual([]);
    const route = manifests.find((m) => m.kind === "HTTPRoute")!.object as Record<string, any>;
    expect(route["spec"].parentRefs).toEqual([{ name: "public", namespace: "gateways" }]);
    expect(route["spec"].hostnames).toEqual(["notebooks.example.com"]);
    expect(route["spec"].rules[0].matches.map((m: { path: { value: string } }) => m.path.value)).toEqual(["/notebook/", "/oauth2/"]);
    expect(manifests.some((m) => m.kind === "Ingress")).toBe(false);
    for (const [file, text] of files) expect(text, file).not.toContain("client-secret-value");
  });

  it("runs oauth2-proxy and the router under the restricted profile, passing every policy at prod's levels", async () => {
    const result = await capture(() => {
      new NotebookAccess("access", base);
    });
    const resources = result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.plainInputs }));
    expect(evaluatePolicies(resources, { environment: "prod" })).toEqual([]);
  });

  it.each([
    ["both an IngressClass and a Gateway", { ingressClassName: "nginx" }, "set exactly one of ingressClassName and gatewayName"],
    ["neither", { gatewayName: undefined }, "set exactly one of ingressClassName and gatewayName"],
    ["a plain-http issuer", { oidcIssuerUrl: "http://login.example.com" }, `oidcIssuerUrl: got "http://login.example.com"; use the issuer's https:// URL`],
    ["a team without groups", { teams: [{ namespace: "team-a", groups: [] }] }, "teams[0].groups: got []"],
  ])("fails with %s", (_name, extra, message) => {
    const check = () => validateNotebookAccess("access", { ...base, ...extra } as NotebookAccessArgs);
    expect(check).toThrow(pulumi.InputPropertyError);
    expect(check).toThrow(message);
  });
});
