/** A component reports every bad argument at once: one as before, several as a list Pulumi prints line by line. */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ComponentArgumentError, ComponentArgumentErrors, type TeamArgs } from "@mlops-platform/components";
import { planTeam } from "@mlops-platform/components/internal";

const team: TeamArgs = { name: "vision", owners: ["vision-leads"], quota: { cpu: 8, memoryGiB: 32, storageGiB: 100 } };
const thrown = (args: TeamArgs): unknown => {
  try {
    planTeam("t", args);
  } catch (err) {
    return err;
  }
  throw new Error("expected the args to be refused");
};

describe("argument problems", () => {
  it("throws one bad argument as the InputPropertyError it always was", () => {
    const error = thrown({ ...team, owners: [] });
    expect(error).toBeInstanceOf(ComponentArgumentError);
    expect(error).toBeInstanceOf(pulumi.InputPropertyError);
    expect((error as ComponentArgumentError).property).toBe("owners");
  });

  it("throws every bad argument of one component at once, each with its property, value and fix", () => {
    const error = thrown({ ...team, name: "Vision!", quota: { cpu: -1, memoryGiB: 32, gpus: 0.5, storageGiB: 100 }, egressCidrs: ["10.0.0.0"] });
    expect(error).toBeInstanceOf(ComponentArgumentErrors);
    expect(error).toBeInstanceOf(pulumi.InputPropertiesError);
    const errors = error as ComponentArgumentErrors;
    expect(errors.problems.map((problem) => [problem.property, problem.value])).toEqual([
      ["name", "Vision!"],
      ["quota.cpu", -1],
      ["quota.gpus", 0.5],
      ["egressCidrs[0]", "10.0.0.0"],
    ]);
    // What Pulumi prints: one entry per property, and a message with every reason.
    expect(errors.errors.map((entry) => entry.propertyPath)).toEqual(["name", "quota.cpu", "quota.gpus", "egressCidrs[0]"]);
    expect(errors.message.split("\n")).toHaveLength(4);
    expect(errors.message).toContain('mlops-platform:index:Team "t": quota.cpu: got -1; use a positive number');
  });
});
