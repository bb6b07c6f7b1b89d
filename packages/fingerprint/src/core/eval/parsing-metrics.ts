/**
 * Log-parsing accuracy metrics as defined in the benchmark README (Loghub / Loghub-2.0):
 * GA, FGA, PA and FTA. Pure; inputs are parallel arrays, one entry per message.
 */

/** Scores of one dataset. */
export interface ParsingScores {
  /** Grouping accuracy. */
  readonly ga: number;
  /** F1 over groups that match a ground-truth group exactly. */
  readonly fga: number;
  /** Parsing accuracy: messages whose template string equals the truth. */
  readonly pa: number;
  /** F1 over templates that are correct in grouping and string. */
  readonly fta: number;
}

/** Collapses whitespace so templates compare as tokens joined by single spaces. */
export function normalizeForComparison(template: string): string {
  return template.replace(/\s+/g, ' ').trim();
}

function f1(correct: number, predicted: number, truth: number): number {
  if (correct === 0) return 0;
  const p = correct / predicted;
  const r = correct / truth;
  return (2 * p * r) / (p + r);
}

/**
 * Scores predictions. `predictedGroup[i]` identifies message i's group, `predictedTemplate[i]`
 * its template string; `truthTemplate[i]` is the ground-truth template (which is also the
 * ground-truth group key).
 */
export function scoreParsing(input: {
  readonly predictedGroup: readonly (string | number)[];
  readonly predictedTemplate: readonly string[];
  readonly truthTemplate: readonly string[];
}): ParsingScores {
  const n = input.truthTemplate.length;
  const truthSize = new Map<string, number>();
  for (const t of input.truthTemplate) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<string | number, number[]>();
  input.predictedGroup.forEach((g, i) => {
    const list = groups.get(g);
    if (list === undefined) groups.set(g, [i]);
    else list.push(i);
  });
  let gaCorrect = 0;
  let groupsCorrect = 0;
  let templatesCorrect = 0;
  for (const members of groups.values()) {
    const label = input.truthTemplate[members[0]!]!;
    const pure = members.every((i) => input.truthTemplate[i] === label);
    if (pure && truthSize.get(label) === members.length) {
      gaCorrect += members.length;
      groupsCorrect++;
    }
    const predicted = normalizeForComparison(input.predictedTemplate[members[0]!]!);
    if (pure && predicted === normalizeForComparison(label)) templatesCorrect++;
  }
  let paCorrect = 0;
  for (let i = 0; i < n; i++) {
    if (
      normalizeForComparison(input.predictedTemplate[i]!) ===
      normalizeForComparison(input.truthTemplate[i]!)
    ) {
      paCorrect++;
    }
  }
  return {
    ga: n === 0 ? 0 : gaCorrect / n,
    fga: f1(groupsCorrect, groups.size, truthSize.size),
    pa: n === 0 ? 0 : paCorrect / n,
    fta: f1(templatesCorrect, groups.size, truthSize.size),
  };
}
