/**
 * The metric names a PromQL expression reads: what is left once strings, label matchers, ranges,
 * grouping clauses, functions and numbers are taken out. Enough for the platform's own expressions, which
 * the tests also hand to promtool.
 */
const CLAUSES = /\b(by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)/g;
const OPERATORS = new Set(["by", "on", "bool", "or", "and", "unless", "without", "ignoring", "offset", "group_left", "group_right"]);

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"[^"]*"/g, "")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(CLAUSES, " ");
  return [...stripped.matchAll(/(?<![\w:.$])([A-Za-z_:][\w:]*)(?![\w:])(?!\s*\()/g)].map((match) => match[1]!).filter((name) => !OPERATORS.has(name));
}
