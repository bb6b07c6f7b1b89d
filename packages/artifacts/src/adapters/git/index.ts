import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactsError, err, ok, type Result } from '../../errors.ts';
import { checkDraft, type PullRequestDraft } from '../../core/publish/pull-request.ts';

export type { PullRequestDraft };

/** What the local publisher did. */
export interface LocalPublishResult {
  readonly branch: string;
  readonly commit: string;
  readonly base: string;
  /** `true` when the branch existed and was moved forward instead of created. */
  readonly updated: boolean;
  /** The pull-request description file inside `.git/slo-scout/`. */
  readonly descriptionPath: string;
  /** The patch (`git format-patch` of base..branch) inside `.git/slo-scout/`. */
  readonly patchPath: string;
}

/** Options of {@link createLocalGitPublisher}. */
export interface LocalGitPublisherOptions {
  readonly repoDir: string;
  /** Base branch; default the current `HEAD`. */
  readonly baseRef?: string;
  readonly git?: string;
  readonly author?: { readonly name: string; readonly email: string };
}

/** Publishes drafts as a branch and commit in a local repository without touching its work tree. */
export interface LocalGitPublisher {
  publish(draft: PullRequestDraft): Promise<Result<LocalPublishResult>>;
}

/** The default publisher: a branch, a commit, a description file and a patch in a local git repo. */
export function createLocalGitPublisher(options: LocalGitPublisherOptions): LocalGitPublisher {
  if (options.repoDir.length === 0)
    throw new ArtifactsError('INVALID_OPTIONS', 'repoDir is required');
  const gitBin = options.git ?? 'git';
  const author = options.author ?? { name: 'SLO-Scout', email: 'slo-scout@localhost' };

  const git = (
    args: readonly string[],
    more: { input?: string; env?: Record<string, string> } = {},
  ) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile(
        gitBin,
        [...args],
        {
          cwd: options.repoDir,
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: author.name,
            GIT_AUTHOR_EMAIL: author.email,
            GIT_COMMITTER_NAME: author.name,
            GIT_COMMITTER_EMAIL: author.email,
            ...more.env,
          },
          maxBuffer: 64 << 20,
        },
        (e, stdout, stderr) => {
          if (e)
            reject(
              new ArtifactsError(
                'PUBLISH_FAILED',
                `git ${args.join(' ')}: ${stderr || e.message}`,
                { cause: e },
              ),
            );
          else resolve(stdout.trim());
        },
      );
      if (more.input !== undefined) child.stdin?.end(more.input);
    });

  return {
    async publish(draft) {
      const invalid = checkDraft(draft);
      if (invalid !== undefined) return err(new ArtifactsError('INVALID_OPTIONS', invalid));
      const tmp = await mkdtemp(join(tmpdir(), 'slo-git-'));
      try {
        const base = await git(['rev-parse', '--verify', `${options.baseRef ?? 'HEAD'}^{commit}`]);
        const existing = await git([
          'rev-parse',
          '--verify',
          '--quiet',
          `refs/heads/${draft.branch}^{commit}`,
        ]).catch(() => '');
        const parent = existing === '' ? base : existing;
        const env = { GIT_INDEX_FILE: join(tmp, 'index') };
        await git(['read-tree', parent], { env });
        for (const f of draft.files) {
          const blob = await git(['hash-object', '-w', '--stdin'], { input: f.content });
          await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${f.path}`], { env });
        }
        const tree = await git(['write-tree'], { env });
        const parentTree = await git(['rev-parse', `${parent}^{tree}`]);
        let commit = parent;
        if (tree !== parentTree) {
          commit = await git(['commit-tree', tree, '-p', parent, '-F', '-'], {
            input: `${draft.title}\n\n${draft.body}\n`,
          });
          await git([
            'update-ref',
            `refs/heads/${draft.branch}`,
            commit,
            ...(existing === '' ? [] : [existing]),
          ]);
        } else if (existing === '') {
          await git(['update-ref', `refs/heads/${draft.branch}`, commit]);
        }
        const gitDir = await git(['rev-parse', '--absolute-git-dir']);
        const outDir = join(gitDir, 'slo-scout', ...draft.branch.split('/'));
        await mkdir(outDir, { recursive: true });
        const descriptionPath = join(outDir, 'pull-request.md');
        const patchPath = join(outDir, 'changes.patch');
        await writeFile(descriptionPath, `# ${draft.title}\n\n${draft.body}\n`);
        await writeFile(
          patchPath,
          `${await git(['format-patch', '--stdout', `${base}..${commit}`])}\n`,
        );
        return ok({
          branch: draft.branch,
          commit,
          base,
          updated: existing !== '',
          descriptionPath,
          patchPath,
        });
      } catch (e) {
        return err(
          e instanceof ArtifactsError
            ? e
            : new ArtifactsError('PUBLISH_FAILED', String(e), { cause: e }),
        );
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },
  };
}
