import { captureProgram, type CaptureResult, type CapturedResource } from "@mlops-platform/components/testing";

/** Runs `program` under mocks as stack `test` of project `mlops-platform`. */
export function capture(program: () => unknown, config: Record<string, string> = {}, secretKeys: string[] = []): Promise<CaptureResult> {
  return captureProgram(program, { project: "mlops-platform", stack: "test", config, secretKeys });
}

/** The captured resources of one type token. */
export function ofType(result: CaptureResult, type: string): CapturedResource[] {
  return result.resources.filter((r) => r.type === type);
}

/** The one captured resource with this type and name; fails loudly when missing. */
export function one(result: CaptureResult, type: string, name: string): CapturedResource {
  const found = result.resources.find((r) => r.type === type && r.name === name);
  if (!found) {
    const seen = result.resources.map((r) => `${r.type}::${r.name}`).join("\n  ");
    throw new Error(`no ${type}::${name}; registered:\n  ${seen}`);
  }
  return found;
}

/** Reads a nested input value by dotted path, e.g. `metadata.labels`. */
export function at(resource: CapturedResource, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], resource.inputs);
}
