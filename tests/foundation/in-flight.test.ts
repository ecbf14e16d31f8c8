// The shutdown tracker counts tracked work like requests: drain waits for it, settled or failed.
import { describe, expect, it } from "vitest";
import { trackInFlight } from "../../src/http/in-flight.js";

describe("in-flight tracking of background work", () => {
  it("drain waits for tracked work and then reports nothing left", async () => {
    const inFlight = trackInFlight();
    let finish = () => {};
    inFlight.track(new Promise<void>((resolve) => (finish = resolve)));
    let drained: number | undefined;
    const draining = inFlight.drain(60_000).then((left) => (drained = left));
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBeUndefined();
    finish();
    await draining;
    expect(drained).toBe(0);
  });

  it("counts failed work as finished, and reports work still running when the drain gives up", async () => {
    const inFlight = trackInFlight();
    inFlight.track(Promise.reject(new Error("late answer failed")));
    expect(await inFlight.drain(60_000)).toBe(0);
    inFlight.track(new Promise(() => {}));
    expect(await inFlight.drain(1)).toBe(1);
  });
});
