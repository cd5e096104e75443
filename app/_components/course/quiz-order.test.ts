import { describe, expect, it } from "vitest";
import { choiceOrder } from "./quiz-order";

describe("choiceOrder", () => {
  it("is a permutation of the choices", () => {
    for (const n of [1, 2, 3, 4, 5]) {
      const order = choiceOrder("learner-a", "q1", n);
      expect([...order].sort()).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it("is stable for one learner and one question", () => {
    expect(choiceOrder("learner-a", "q1", 4)).toEqual(choiceOrder("learner-a", "q1", 4));
  });

  it("differs between learners and between questions", () => {
    const orders = (f: (i: number) => number[]) => new Set(Array.from({ length: 50 }, (_, i) => f(i).join(",")));
    // 50 learners on a 3-choice question see every one of the 6 orders; one learner's 50 questions too.
    expect(orders((i) => choiceOrder(`learner-${i}`, "q1", 3)).size).toBe(6);
    expect(orders((i) => choiceOrder("learner-a", `q${i}`, 3)).size).toBe(6);
  });

  it("puts the right answer (index 1 in the content) in every position about as often", () => {
    const seen = [0, 0, 0];
    for (let i = 0; i < 3000; i++) seen[choiceOrder(`learner-${i}`, "q", 3).indexOf(1)]!++;
    for (const count of seen) expect(count).toBeGreaterThan(800);
  });
});
