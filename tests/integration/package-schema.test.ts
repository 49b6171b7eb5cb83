/**
 * The package schema programs in other languages get: `pulumi package get-schema`, run by the real CLI
 * through the plugin's executable, is the committed components/schema.json. A change to a component's args
 * or outputs (a removed property, a changed type) fails here, each difference on its own line, until the
 * schema is regenerated on purpose.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { requireEngine } from "./engine.js";
import { committedSchema, COMPONENTS, PACKAGE_VERSION, schemaChanges, SCHEMA_UPDATE_COMMAND, servedSchema, type PackageSchema } from "./package-schema.js";

const engine = requireEngine();

describe("schema differences, as a failing check prints them", () => {
  const schema = committedSchema();
  const edited = (edit: (copy: PackageSchema) => void): PackageSchema => {
    const copy = structuredClone(schema);
    edit(copy);
    return copy;
  };
  const team = (s: PackageSchema) => s.resources["mlops-platform:index:Team"]!;
  const quotaType = (s: PackageSchema) => s.types["mlops-platform:index:TeamQuotaArgs"] as { properties: Record<string, { type: string }>; required: string[] };

  it("names a removed input at its path, and the required input it no longer is", () => {
    const after = edited((s) => {
      delete team(s).inputProperties["owners"];
      (team(s) as unknown as { requiredInputs: string[] }).requiredInputs = (team(s) as unknown as { requiredInputs: string[] }).requiredInputs.filter((n) => n !== "owners");
    });
    expect(schemaChanges(schema, after)).toEqual([
      expect.stringMatching(/^resources\["mlops-platform:index:Team"\]\.inputProperties\.owners: removed \(was \{"type":"array",/),
      'resources["mlops-platform:index:Team"].requiredInputs: "owners" removed',
    ]);
  });

  it("names a changed type with its old and new value", () => {
    const after = edited((s) => void (quotaType(s).properties["cpu"]!.type = "string"));
    expect(schemaChanges(schema, after)).toEqual(['types["mlops-platform:index:TeamQuotaArgs"].properties.cpu.type: "number" -> "string"']);
  });

  it("names an added output and a removed enum value", () => {
    const after = edited((s) => {
      team(s).properties["budget"] = { description: "x" };
      (s.types["mlops-platform:index:CapacityType"] as { enum: unknown[] }).enum.pop();
    });
    expect(schemaChanges(schema, after)).toEqual([
      'resources["mlops-platform:index:Team"].properties.budget: added ({"description":"x"})',
      'types["mlops-platform:index:CapacityType"].enum: value "on-demand" removed',
    ]);
  });

  it("finds nothing between a schema and itself", () => {
    expect(schemaChanges(schema, structuredClone(schema))).toEqual([]);
  });
});

describe.skipIf(!engine)("the package schema from the real Pulumi CLI", () => {
  let served: PackageSchema;
  beforeAll(async () => {
    served = await servedSchema(engine!);
  });

  it(`is the committed components/schema.json (after a deliberate change: ${SCHEMA_UPDATE_COMMAND})`, () => {
    const changes = schemaChanges(committedSchema(), served);
    expect(changes, `the schema changed; if on purpose, run \`${SCHEMA_UPDATE_COMMAND}\` and commit components/schema.json`).toEqual([]);
  });

  it("offers every component under mlops-platform:index, each input and output described", () => {
    expect([served.name, served.version]).toEqual(["mlops-platform", PACKAGE_VERSION]);
    expect(Object.keys(served.resources).sort()).toEqual(COMPONENTS.map((name) => `mlops-platform:index:${name}`));
    const undescribed = Object.entries(served.resources).flatMap(([token, resource]) => [
      ...(resource.description ? [] : [token]),
      ...Object.entries(resource.inputProperties).flatMap(([name, p]) => (p.description ? [] : [`${token} input ${name}`])),
      ...Object.entries(resource.properties).flatMap(([name, p]) => (p.description ? [] : [`${token} output ${name}`])),
    ]);
    expect(undescribed).toEqual([]);
  });
});
