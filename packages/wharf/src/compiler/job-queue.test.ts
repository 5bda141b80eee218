import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type QueueNode, runQueue } from "./job-queue.js";

function node(
  key: string,
  needs: QueueNode["needs"],
  log: string[],
  opts: { fail?: boolean; rmeta?: boolean } = {},
): QueueNode {
  return {
    key,
    needs,
    fresh: false,
    run: async (signalRmeta) => {
      log.push(`start ${key}`);
      await new Promise((r) => setTimeout(r, 5));
      if (opts.rmeta) {
        signalRmeta();
        await new Promise((r) => setTimeout(r, 20));
      }
      log.push(`end ${key}`);
      if (opts.fail) throw new Error(`${key} failed`);
    },
  };
}

describe("job queue", () => {
  test("a dependent that needs only metadata starts before its dependency finishes", async () => {
    const log: string[] = [];
    await runQueue(
      [node("lib", [], log, { rmeta: true }), node("user", [{ key: "lib", event: "rmeta" }], log)],
      {
        jobs: 2,
        keepGoing: false,
      },
    );
    assert.ok(log.indexOf("start user") < log.indexOf("end lib"), log.join(", "));
  });

  test("-j 1 runs one job at a time; `done` waits for the end", async () => {
    const log: string[] = [];
    await runQueue([node("a", [], log), node("b", [], log), node("c", [{ key: "a", event: "done" }], log)], {
      jobs: 1,
      keepGoing: false,
    });
    for (let i = 0; i < log.length; i += 2) assert.equal(log[i]!.replace("start", "end"), log[i + 1]);
    assert.ok(log.indexOf("start c") > log.indexOf("end a"));
  });

  test("the first failure stops new jobs; keep-going builds what does not depend on it", async () => {
    const nodes = (log: string[]) => [
      node("bad", [], log, { fail: true }),
      node("after", [{ key: "bad", event: "done" }], log),
      node("z-independent", [{ key: "bad2", event: "done" }], log),
      node("bad2", [], log),
    ];
    const stop: string[] = [];
    const r1 = await runQueue(nodes(stop), { jobs: 1, keepGoing: false });
    assert.equal(r1.failures.length, 1);
    assert.ok(!stop.includes("start after"));
    const go: string[] = [];
    const r2 = await runQueue(nodes(go), { jobs: 1, keepGoing: true });
    assert.equal(r2.failures.length, 1);
    assert.ok(go.includes("start z-independent") && !go.includes("start after"));
  });
});
