/**
 * The local-git publisher as the engine's `Publisher`: a branch and commit in a local repository
 * (`@slo-scout/artifacts/local-git`), plus reads of the base branch for diffs.
 */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createLocalGitPublisher,
  type LocalGitPublisherOptions,
} from '@slo-scout/artifacts/local-git';
import { fail, ok } from '../../errors.ts';
import type { Publisher } from '../../types.ts';

function gitShow(o: { repoDir: string; git: string; spec: string }): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(o.git, ['show', o.spec], { cwd: o.repoDir, maxBuffer: 64 << 20 }, (e, stdout) => {
      resolve(e ? undefined : stdout);
    });
  });
}

/** Publishes into `repoDir` on a branch; the "pull request" is the description file it writes. */
export function createLocalGitEnginePublisher(options: LocalGitPublisherOptions): Publisher {
  const publisher = createLocalGitPublisher(options);
  const git = options.git ?? 'git';
  const baseRef = options.baseRef ?? 'HEAD';
  return {
    async publish(draft) {
      const r = await publisher.publish(draft);
      if (!r.ok) return fail('UPSTREAM_FAILED', r.error.message, { cause: r.error });
      return ok({
        url: pathToFileURL(r.value.descriptionPath).href,
        branch: r.value.branch,
        commit: r.value.commit,
        updated: r.value.updated,
      });
    },
    async readBase(paths) {
      const out: Record<string, string | undefined> = {};
      for (const path of paths)
        out[path] = await gitShow({ repoDir: options.repoDir, git, spec: `${baseRef}:${path}` });
      return out;
    },
  };
}
