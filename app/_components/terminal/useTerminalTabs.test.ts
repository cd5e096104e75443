import { describe, expect, it } from "vitest";
import { tabDomId, tabsFor } from "./useTerminalTabs";

describe("the tabs shown for a sandbox", () => {
  const s = { sandboxId: "sb1", terminals: ["t1", "t2", "t3"] };
  it("keep the learner's saved order where the runner still has those Terminals", () => {
    expect(tabsFor(s, ["t3", "gone", "t1"], 5)).toEqual([
      { key: "sb1:t3", terminalId: "t3", n: 1 },
      { key: "sb1:t1", terminalId: "t1", n: 2 },
    ]);
  });
  it("else start with the runner's first Terminal, or a new one", () => {
    expect(tabsFor(s, [], 5)).toEqual([{ key: "sb1:t1", terminalId: "t1", n: 1 }]);
    expect(tabsFor(s, ["gone"], 5)).toEqual([{ key: "sb1:t1", terminalId: "t1", n: 1 }]);
    expect(tabsFor({ sandboxId: "sb2", terminals: [] }, ["t1"], 7)).toEqual([{ key: "sb2:new:7", terminalId: null, n: 1 }]);
  });
  it("have DOM ids made only of safe characters", () => {
    expect(tabDomId("sb1:new:7")).toBe("course-tab-sb1_new_7");
    expect(tabDomId('x"><img')).toMatch(/^course-tab-[\w-]+$/);
  });
});
