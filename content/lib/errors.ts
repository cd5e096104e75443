// One problem in the content, always tied to the file that has it.
export interface ContentIssue {
  file: string;
  message: string;
}

/** Thrown by loadCourse when any file is broken; lists every problem found, each naming its file. */
export class ContentError extends Error {
  readonly issues: ContentIssue[];
  constructor(issues: ContentIssue[]) {
    super(
      `Course content is invalid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  ${i.file}: ${i.message}`).join("\n"),
    );
    this.name = "ContentError";
    this.issues = issues;
  }
}
