/**
 * CloudNativePG schedules backups with robfig/cron and a seconds field first: six fields, not crontab's
 * five. A five-field schedule is the classic mistake (it is rejected, or read shifted by one field), so
 * it is caught before anything is applied.
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names accepted instead of numbers (month and weekday), lowercase, index = value - min. */
  names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: "seconds", min: 0, max: 59 },
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  { name: "day of week", min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/** The fixed descriptors robfig/cron accepts in place of the six fields. */
const DESCRIPTORS: readonly string[] = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/** Daily at 02:00 (the cluster's time zone, UTC unless the operator says otherwise). */
export const DEFAULT_BACKUP_SCHEDULE = "0 0 2 * * *";

function fieldValue(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toLowerCase()) ?? -1;
  return index >= 0 ? index + field.min : undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
  for (const part of text.split(",")) {
    const [range = "", step, extra] = part.split("/");
    if (extra !== undefined || (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0))) {
      return `${field.name} "${part}" has a bad step (use a whole number above 0 after "/")`;
    }
    if (range === "*" || range === "?") continue;
    const [startText = "", endText, more] = range.split("-");
    const start = fieldValue(startText, field);
    const end = endText === undefined ? start : fieldValue(endText, field);
    if (more !== undefined || start === undefined || end === undefined) return `${field.name} "${part}" is not a value, range or step`;
    if (start < field.min || end > field.max || start > end) return `${field.name} "${part}" is outside ${field.min}-${field.max}`;
  }
  return undefined;
}

/**
 * What is wrong with a CloudNativePG backup schedule, or undefined when it is valid: six fields (seconds,
 * minutes, hours, day of month, month, day of week) or one of robfig/cron's fixed descriptors (`@daily`).
 */
export function cronScheduleProblem(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (DESCRIPTORS.includes(trimmed)) return undefined;
  const fields = trimmed.split(/\s+/).filter((f) => f !== "");
  if (fields.length !== FIELDS.length) {
    const hint = fields.length === 5 ? `; crontab's five fields need a seconds field first: "0 ${fields.join(" ")}"` : "";
    return `a schedule has six fields, seconds first (e.g. "${DEFAULT_BACKUP_SCHEDULE}"), got ${fields.length}${hint}`;
  }
  for (const [index, field] of FIELDS.entries()) {
    const problem = fieldProblem(fields[index]!, field);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
