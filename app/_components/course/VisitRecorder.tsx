"use client";

import { useEffect } from "react";
import { recordVisit } from "@/_lib/actions/learning";

/** Records that the learner opened this lesson (feeds "continue where you left off"). Renders nothing. */
export default function VisitRecorder({ lessonId }: { lessonId: string }) {
  useEffect(() => {
    void recordVisit(lessonId);
  }, [lessonId]);
  return null;
}
