// When to sync: on start, when the browser comes online, shortly after a save
// (debounced), periodically, and when the tab becomes visible. Failures back
// off exponentially with jitter up to a cap; a success resets it.
export const BACKOFF = { baseMs: 2000, capMs: 5 * 60_000, periodicMs: 60_000, afterSaveMs: 1500 };

export function backoffDelay(failures, { baseMs, capMs } = BACKOFF, random = Math.random) {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

export function createScheduler(run, onResult, options = BACKOFF) {
  let timer = null;
  let soonTimer = null;
  let running = false;
  let again = false;
  let failures = 0;
  let started = false;

  const schedule = (ms) => {
    clearTimeout(timer);
    timer = setTimeout(() => attempt("timer"), ms);
  };

  async function attempt(reason) {
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    try {
      const result = await run(reason);
      failures = 0;
      onResult({ ok: true, result });
      schedule(options.periodicMs);
    } catch (error) {
      if (error?.retry === false) {
        onResult({ ok: false, error });
        schedule(options.periodicMs);
      } else {
        failures++;
        const retryInMs = backoffDelay(failures, options);
        onResult({ ok: false, error, retryInMs });
        schedule(retryInMs);
      }
    } finally {
      running = false;
      if (again) {
        again = false;
        attempt("again");
      }
    }
  }

  return {
    now: (reason = "manual") => attempt(reason),
    soon() {
      clearTimeout(soonTimer);
      soonTimer = setTimeout(() => attempt("save"), options.afterSaveMs);
    },
    start() {
      // Signing in again (an expired session) starts it again: listeners are added once.
      if (started) return attempt("start");
      started = true;
      addEventListener("online", () => attempt("online"));
      document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && attempt("visible"));
      attempt("start");
    },
  };
}
