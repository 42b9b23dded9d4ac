/** The local stack's own log lines: one short line per event, silenced by `quiet`. */
export interface StackLog {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Log lines on stderr (stdout stays free for output a script may capture). */
export function createStackLog(quiet: boolean): StackLog {
  const stamp = () => new Date().toISOString().slice(11, 23);
  return {
    info: (message) => {
      if (!quiet) process.stderr.write(`${stamp()} ${message}\n`);
    },
    warn: (message, error) => {
      if (quiet) return;
      const suffix = error === undefined ? '' : `: ${describe(error)}`;
      process.stderr.write(`${stamp()} warning: ${message}${suffix}\n`);
    },
  };
}
