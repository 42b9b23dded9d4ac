/** A running feeder schedule. */
export interface FeederTimer {
  /** Runs a pass now (after the one in flight, if any); resolves when it is done. */
  runNow(): Promise<void>;
  /** Stops the timer and waits for the pass in flight. */
  stop(): Promise<void>;
}

/**
 * Runs `runPass` at once and then every `intervalMs`, like EventBridge's rate rule but never two
 * passes at a time: a pass that overruns delays the next one instead of overlapping it.
 */
export function startFeederTimer(options: {
  readonly intervalMs: number;
  readonly runPass: () => Promise<void>;
  readonly onError: (error: unknown) => void;
}): FeederTimer {
  let current: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const runNow = (): Promise<void> => {
    current = current.then(async () => {
      if (stopped) return;
      try {
        await options.runPass();
      } catch (error) {
        options.onError(error);
      }
    });
    return current;
  };

  const schedule = () => {
    timer = setTimeout(() => {
      void runNow().then(() => {
        if (!stopped) schedule();
      });
    }, options.intervalMs);
  };

  void runNow().then(schedule);
  return {
    runNow,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
