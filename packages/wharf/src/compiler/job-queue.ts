/**
 * The job queue: runs units as their dependencies allow, at most `jobs` at a time. A
 * dependent that only needs metadata starts when its dependency reports its .rmeta
 * (pipelining). Among ready jobs, the one that gates the most other units goes first. The
 * first failure stops new jobs (running ones finish) unless keep-going is set, in which
 * case everything not depending on a failure still runs.
 */

export type NeedEvent = "rmeta" | "done";

export interface QueueNode {
  key: string;
  needs: readonly { key: string; event: NeedEvent }[];
  /** a unit that needs no work (fresh): it completes without taking a slot */
  fresh: boolean;
  run(signalRmeta: () => void): Promise<void>;
}

export interface QueueResult {
  failures: { key: string; error: unknown }[];
  /** units never started because a dependency failed or the build stopped */
  skipped: number;
}

export async function runQueue(
  nodes: readonly QueueNode[],
  options: { jobs: number; keepGoing: boolean; signal?: AbortSignal | undefined },
): Promise<QueueResult> {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    for (const need of n.needs) {
      let list = dependents.get(need.key);
      if (list === undefined) {
        list = [];
        dependents.set(need.key, list);
      }
      list.push(n.key);
    }
  }
  // priority: how many units transitively wait on this one
  const weight = new Map<string, number>();
  const weigh = (key: string, seen: Set<string>): void => {
    for (const d of dependents.get(key) ?? []) {
      if (seen.has(d)) continue;
      seen.add(d);
      weigh(d, seen);
    }
  };
  for (const n of nodes) {
    const seen = new Set<string>();
    weigh(n.key, seen);
    weight.set(n.key, seen.size);
  }
  const rmetaReady = new Set<string>();
  const done = new Set<string>();
  const failed = new Set<string>();
  const started = new Set<string>();
  const result: QueueResult = { failures: [], skipped: 0 };
  let running = 0;
  let stopped = false;

  return new Promise((resolvePromise) => {
    const satisfied = (n: QueueNode) =>
      n.needs.every((need) => done.has(need.key) || (need.event === "rmeta" && rmetaReady.has(need.key)));
    const blocked = (n: QueueNode): boolean => n.needs.some((need) => failed.has(need.key));
    const pump = (): void => {
      if (options.signal?.aborted) stopped = true;
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const n of nodes) {
          if (started.has(n.key)) continue;
          if (blocked(n)) {
            started.add(n.key);
            failed.add(n.key);
            result.skipped++;
            progressed = true;
            continue;
          }
          if (n.fresh && satisfied(n)) {
            started.add(n.key);
            rmetaReady.add(n.key);
            done.add(n.key);
            progressed = true;
            // fresh units still report (JSON messages): run is synchronous-ish and cheap
            void n.run(() => {});
          }
        }
      }
      if (!stopped) {
        const ready = nodes
          .filter((n) => !started.has(n.key) && satisfied(n))
          .sort((a, b) => (weight.get(b.key) ?? 0) - (weight.get(a.key) ?? 0));
        for (const n of ready) {
          if (running >= options.jobs) break;
          started.add(n.key);
          running++;
          n.run(() => {
            rmetaReady.add(n.key);
            pump();
          }).then(
            () => {
              running--;
              rmetaReady.add(n.key);
              done.add(n.key);
              pump();
            },
            (error: unknown) => {
              running--;
              failed.add(n.key);
              result.failures.push({ key: n.key, error });
              if (!options.keepGoing) stopped = true;
              pump();
            },
          );
        }
      }
      if (running === 0) {
        const pending = nodes.filter((n) => !started.has(n.key));
        const canStart = !stopped && pending.some((n) => satisfied(n));
        if (!canStart) {
          result.skipped += pending.length;
          resolvePromise(result);
        }
      }
    };
    if (byKey.size === 0) resolvePromise(result);
    else pump();
  });
}
