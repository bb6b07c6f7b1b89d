/** Unified diffs of an artifact set against the files on the base branch. */
import { createTwoFilesPatch } from 'diff';
import type { ArtifactFile } from '@slo-scout/artifacts';
import type { ArtifactDiff } from './types.ts';

/** One patch per file: added when the base lacks it, unchanged when equal, modified otherwise. */
export function toArtifactDiff(
  files: readonly ArtifactFile[],
  base: Readonly<Record<string, string | undefined>>,
): ArtifactDiff {
  return {
    files: files.map((f) => {
      const before = base[f.path];
      const status =
        before === undefined ? 'added' : before === f.content ? 'unchanged' : 'modified';
      const patch =
        status === 'unchanged'
          ? ''
          : createTwoFilesPatch(
              before === undefined ? '/dev/null' : `a/${f.path}`,
              `b/${f.path}`,
              before ?? '',
              f.content,
              undefined,
              undefined,
              { context: 3 },
            );
      return { path: f.path, status, patch };
    }),
  };
}
