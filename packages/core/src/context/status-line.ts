/**
 * The one status line of a terminal (the progress of long work). Anything else written to that
 * terminal — a log line on stderr, a result on stdout — first clears it, so no output starts in
 * the middle of a half-drawn progress line; the next progress draw puts it back.
 */
export type TerminalStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

const CLEAR = '\r\u001b[K';

export class StatusLine {
  private shown = false;
  /** Tasks drawing on this line, the newest last: only the newest draws (a step's own inner task, say). */
  private readonly owners: object[] = [];

  claim(owner: object): void {
    this.owners.push(owner);
  }

  release(owner: object): void {
    const at = this.owners.lastIndexOf(owner);
    if (at >= 0) this.owners.splice(at, 1);
  }

  owns(owner: object): boolean {
    return this.owners.at(-1) === owner;
  }

  constructor(readonly stream: TerminalStream) {}

  /** Draws `text` in place of the current line, cut to the terminal's width. */
  draw(text: string): void {
    const width = this.stream.columns ?? 120;
    this.stream.write(`${CLEAR}${text.slice(0, Math.max(1, width - 1))}`);
    this.shown = text !== '';
  }

  /** Removes the line (the cursor is left at the start of an empty line). */
  clear(): void {
    if (!this.shown) return;
    this.stream.write(CLEAR);
    this.shown = false;
  }
}

const lines = new WeakMap<object, StatusLine>();

/** The status line of a stream, one per stream for the whole process. */
export function statusLineOf(stream: TerminalStream): StatusLine {
  let line = lines.get(stream);
  if (!line) lines.set(stream, (line = new StatusLine(stream)));
  return line;
}

/** Clears the process's status line (on stderr) before other output reaches the terminal. */
export function clearStatusLine(): void {
  lines.get(process.stderr)?.clear();
}
