/**
 * Progress of a long render, on stderr only, so stdout stays exactly the summary: on a terminal one line
 * rewritten in place (and cleared at the end); elsewhere (CI logs, pipes) a line every PROGRESS_EVERY_TEAMS
 * teams and one per phase, only for stacks of at least that many teams. Small stacks print nothing there.
 */

/** A stream progress is written to (process.stderr in the CLI). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Outside a terminal, a line every this many teams; stacks with fewer teams print no progress there. */
export const PROGRESS_EVERY_TEAMS = 50;

/** On a terminal, the line is rewritten at most every this many registrations (writes are not free). */
const TTY_EVERY_RESOURCES = 25;

export class RenderProgress {
  private readonly tty: boolean;
  private readonly active: boolean;
  private readonly pending: Set<string>;
  private resources = 0;
  private teamsDone = 0;

  /** `teamNamespaces`: the namespaces of the stack's teams; a team counts as rendered once its namespace is registered. */
  constructor(
    teamNamespaces: readonly string[],
    private readonly stream: ProgressStream = process.stderr,
    private readonly every: number = PROGRESS_EVERY_TEAMS,
  ) {
    this.tty = stream.isTTY === true;
    this.pending = new Set(teamNamespaces);
    this.active = this.tty || teamNamespaces.length >= every;
  }

  private get teams(): number {
    return this.pending.size + this.teamsDone;
  }

  /** A phase starts (`running the program`, `validating 3,625 objects`). */
  phase(text: string): void {
    if (this.active) this.show(`render: ${text}`);
  }

  /** Pulumi registered a resource (called from the capture's mocks). */
  registered(type: string, inputs: Record<string, unknown>): void {
    this.resources++;
    const name = (inputs["metadata"] as { name?: unknown } | undefined)?.name;
    const teamDone = type === "kubernetes:core/v1:Namespace" && typeof name === "string" && this.pending.delete(name);
    if (teamDone) this.teamsDone++;
    if (!this.active) return;
    const text = `render: ${this.teamsDone}/${this.teams} teams, ${this.resources.toLocaleString("en-US")} resources registered`;
    if (this.tty) {
      if (this.resources % TTY_EVERY_RESOURCES === 0 || teamDone) this.show(text);
    } else if (teamDone && (this.teamsDone % this.every === 0 || this.teamsDone === this.teams)) this.show(text);
  }

  /** The render is over: a terminal's progress line is cleared, so the summary stands alone. */
  done(): void {
    if (this.active && this.tty) this.stream.write("\r\x1b[K");
  }

  private show(text: string): void {
    this.stream.write(this.tty ? `\r\x1b[K${text}` : `${text}\n`);
  }
}
