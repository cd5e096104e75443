/**
 * The order a learner sees a question's choices in: shuffled per learner and per question, and
 * stable for that learner (the same seed gives the same order on every visit), so the right answer
 * is not found by its position. Answers are still recorded by the content's own index.
 * Pure: a string hash (cyrb53) seeds a small PRNG (mulberry32) for a Fisher–Yates shuffle; nothing
 * here needs to be cryptographic, only well spread.
 */
export function choiceOrder(seed: string, questionId: string, count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  const next = mulberry32(cyrb53(`${seed}\u0000${questionId}`));
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0) ^ (h1 >>> 0);
}

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
