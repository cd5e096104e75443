import { describe, expect, it } from "vitest";
import { STUCK_AFTER_MINUTES } from "../stuck";
import { summarizeAttempts } from "./attempts";
import { buildMatrix, csvField, matrixCsv, sortRows, STUCK_FAILED_CHECKS, type ExerciseColumn } from "./class-matrix";

const cols: ExerciseColumn[] = [
  { lessonId: "01-a", exerciseId: "e1" },
  { lessonId: "01-a", exerciseId: "e2" },
];
const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s));
const learners = [
  { userId: "u1", name: "Ana", email: "ana@x.org", joinedAt: t(0) },
  { userId: "u2", name: "Bia", email: "bia@x.org", joinedAt: t(0) },
];

describe("class matrix", () => {
  const rows = buildMatrix(learners, cols, {
    attempts: [
      { userId: "u1", lessonId: "01-a", exerciseId: "e1", passed: false, trigger: "manual", createdAt: t(20) },
      { userId: "u1", lessonId: "01-a", exerciseId: "e1", passed: true, trigger: "manual", createdAt: t(40) },
      { userId: "u1", lessonId: "01-a", exerciseId: "e1", passed: true, trigger: "manual", createdAt: t(50) },
      ...Array.from({ length: STUCK_FAILED_CHECKS }, (_, i) => ({
        userId: "u2",
        lessonId: "01-a",
        exerciseId: "e2",
        passed: false,
        trigger: "manual",
        createdAt: t(30 + i),
      })),
      { userId: "u9", lessonId: "01-a", exerciseId: "e1", passed: true, trigger: "manual", createdAt: t(1) }, // not in the class
      { userId: "u1", lessonId: "zz", exerciseId: "gone", passed: true, trigger: "manual", createdAt: t(1) }, // exercise removed from the course
    ],
    hints: [{ userId: "u1", exerciseId: "e2", createdAt: t(45) }],
    solutions: [],
    visits: [{ userId: "u1", lessonId: "01-a", firstVisitedAt: t(10), lastVisitedAt: t(10) }],
  });

  it("derives status, counts, time spent and last activity per learner × exercise", () => {
    const ana = rows[0]!;
    expect(ana.cells["01-a/e1"]).toEqual({
      status: "passed",
      checks: 3,
      failedChecks: 1,
      hints: 0,
      solutionOpened: false,
      timeSpentSec: 30,
      lastActivity: t(50).toISOString(),
      passedAt: t(40).toISOString(),
    });
    expect(ana.cells["01-a/e2"]).toMatchObject({ status: "trying", checks: 0, hints: 1 });
    expect(ana).toMatchObject({ passed: 1, stuck: 0, lastActivity: t(50).toISOString() });
    const bia = rows[1]!;
    expect(bia.cells["01-a/e2"]).toMatchObject({ status: "stuck", failedChecks: STUCK_FAILED_CHECKS, timeSpentSec: null });
    expect(bia.cells["01-a/e1"]!.status).toBe("notStarted");
    expect(rows).toHaveLength(2); // u9 has no row
  });

  it("does not count automatic Checks as tries: a learner who never pressed Check is not stuck", () => {
    const auto = (exerciseId: string, s: number) => ({
      userId: "u1",
      lessonId: "01-a",
      exerciseId,
      passed: false,
      trigger: "auto",
      createdAt: t(s),
    });
    const [ana] = buildMatrix(learners.slice(0, 1), cols, {
      attempts: [auto("e1", 1), auto("e1", 2), auto("e1", 3), auto("e2", 1), auto("e2", 2), auto("e2", 3)],
      hints: [],
      solutions: [],
      visits: [],
    });
    expect(ana!.cells["01-a/e1"]).toMatchObject({ status: "notStarted", checks: 0, failedChecks: 0 });
    expect(ana!.stuck).toBe(0);
    // An automatic pass still counts as the exercise done.
    const [done] = buildMatrix(learners.slice(0, 1), cols, {
      attempts: [auto("e1", 1), { ...auto("e1", 5), passed: true }],
      hints: [],
      solutions: [],
      visits: [],
    });
    expect(done!.cells["01-a/e1"]).toMatchObject({ status: "passed", checks: 1, failedChecks: 0 });
  });

  it("counts failed Checks exactly as the learner's own page does (summarizeAttempts)", () => {
    const mk = (exerciseId: string, s: number, passed: boolean, trigger: string) => ({
      userId: "u1",
      lessonId: "01-a",
      exerciseId,
      passed,
      trigger,
      message: passed ? "ok" : "falta",
      createdAt: t(s),
    });
    const attempts = [
      mk("e1", 1, false, "auto"),
      mk("e1", 2, false, "manual"),
      mk("e1", 3, false, "auto"),
      mk("e1", 4, false, "manual"),
      mk("e1", 5, true, "auto"),
      mk("e1", 6, false, "manual"), // after the pass: not counted by either
      mk("e2", 1, false, "auto"),
      mk("e2", 2, false, "manual"),
    ];
    const mine = summarizeAttempts(attempts);
    const [row] = buildMatrix(learners.slice(0, 1), cols, { attempts, hints: [], solutions: [], visits: [] });
    for (const e of ["e1", "e2"]) expect(row!.cells[`01-a/${e}`]!.failedChecks, e).toBe(mine[e]!.failedChecks);
  });

  it("counts a learner stuck after one failed manual Check left unsolved for STUCK_AFTER_MINUTES", () => {
    const input = {
      attempts: [{ userId: "u1", lessonId: "01-a", exerciseId: "e1", passed: false, trigger: "manual", createdAt: t(0) }],
      hints: [],
      solutions: [],
      visits: [],
    };
    const at = (min: number) => new Date(t(0).getTime() + min * 60_000);
    expect(buildMatrix(learners.slice(0, 1), cols, input, at(STUCK_AFTER_MINUTES - 1))[0]!.cells["01-a/e1"]!.status).toBe("trying");
    expect(buildMatrix(learners.slice(0, 1), cols, input, at(STUCK_AFTER_MINUTES))[0]!.cells["01-a/e1"]!.status).toBe("stuck");
  });

  it("puts stuck learners first, and sorts by name, progress or activity", () => {
    expect(sortRows(rows, "stuck").map((r) => r.learner.name)).toEqual(["Bia", "Ana"]);
    expect(sortRows(rows, "progress").map((r) => r.learner.name)).toEqual(["Ana", "Bia"]);
    expect(sortRows(rows, "name").map((r) => r.learner.name)).toEqual(["Ana", "Bia"]);
    expect(sortRows(rows, "activity").map((r) => r.learner.name)).toEqual(["Ana", "Bia"]);
  });

  it("exports one CSV line per learner × exercise", () => {
    const csv = matrixCsv("Turma, 1", cols, rows).split("\r\n");
    expect(csv[0]).toMatch(/^class,learner_id,/);
    expect(csv).toHaveLength(1 + 2 * 2 + 1); // header, 4 lines, final empty string after the last CRLF
    expect(csv[1]).toBe(`"Turma, 1",u1,Ana,ana@x.org,01-a,e1,passed,3,1,0,false,30,${t(50).toISOString()}`);
  });

  it("quotes CSV fields and neutralises spreadsheet formulas", () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("-1+1")).toBe("'-1+1");
    expect(csvField(-1)).toBe("-1");
    expect(csvField(null)).toBe("");
    expect(csvField("a\nb")).toBe('"a\nb"');
  });
});
