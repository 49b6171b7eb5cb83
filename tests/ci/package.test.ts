/**
 * The published package's own tsconfig.json: shipped so the plugin's analyzer can read src/, hence without
 * `extends` (tsconfig.base.json is not in the package). Its compiler options stay those of the base.
 */
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function compilerOptions(file: string): Record<string, unknown> {
  const { config, error } = ts.readConfigFile(path.join(ROOT, file), ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  return (config as { compilerOptions: Record<string, unknown> }).compilerOptions;
}

describe("components/tsconfig.json", () => {
  it("has tsconfig.base.json's compiler options, written out, plus the package's own folders", () => {
    const own = compilerOptions("components/tsconfig.json");
    const { rootDir, outDir, tsBuildInfoFile, resolveJsonModule, ...shared } = own;
    expect(shared).toEqual(compilerOptions("tsconfig.base.json"));
    expect({ rootDir, outDir, tsBuildInfoFile, resolveJsonModule }).toEqual({ rootDir: "src", outDir: "dist", tsBuildInfoFile: "dist/.tsbuildinfo", resolveJsonModule: true });
  });
});
