/** A progress line on stderr, rewritten in place on a terminal and throttled in logs. */
export interface Progress {
  /** Reports `done` of `total` for the current phase. */
  update(done: number, total: number): void;
  /** Starts a new phase; the previous line is kept. */
  phase(label: string): void;
  /** Writes a whole line (a note) on stderr. */
  note(message: string): void;
  /** Ends the current line. */
  done(): void;
}

/** A progress display for the scenario `scenario`; silent when `enabled` is false. */
export function createProgress(scenario: string, enabled = true): Progress {
  const tty = process.stderr.isTTY === true;
  let label = '';
  let lastWrite = 0;
  let open = false;
  const write = (text: string) => {
    if (enabled) process.stderr.write(text);
  };
  const endLine = () => {
    if (open && tty) write('\n');
    open = false;
  };
  return {
    update(done, total) {
      const now = Date.now();
      const finished = done >= total;
      if (!finished && now - lastWrite < (tty ? 100 : 2000)) return;
      lastWrite = now;
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      const line = `[${scenario}] ${label}: ${done}/${total} (${percent}%)`;
      if (tty) {
        write(`\r\x1b[2K${line}`);
        open = true;
      } else {
        write(`${line}\n`);
      }
    },
    phase(next) {
      endLine();
      label = next;
      lastWrite = 0;
    },
    note(message) {
      endLine();
      write(`[${scenario}] ${message}\n`);
    },
    done: endLine,
  };
}
