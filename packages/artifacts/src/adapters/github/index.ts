import { Octokit } from '@octokit/rest';
import { ArtifactsError, err, ok, type Result } from '../../errors.ts';
import {
  checkDraft,
  reviewersFor,
  type CodeOwnerReviewers,
  type PullRequestDraft,
} from '../../core/publish/pull-request.ts';

export type { PullRequestDraft, CodeOwnerReviewers };

/** Options of {@link createGitHubPublisher}. */
export interface GitHubPublisherOptions {
  readonly owner: string;
  readonly repo: string;
  /** A token with `contents` and `pull_requests` write access. */
  readonly token?: string;
  /** REST API root; default `https://api.github.com` (GitHub Enterprise: `https://host/api/v3`). */
  readonly baseUrl?: string;
  /** Base branch; default the repository's default branch. */
  readonly base?: string;
  /** Where CODEOWNERS is looked up, first found wins; GitHub's own order by default. */
  readonly codeownersPaths?: readonly string[];
  /** Ask the CODEOWNERS of the changed files for review; default true. */
  readonly requestReviews?: boolean;
  /** Commit author; default the token's user. */
  readonly author?: { readonly name: string; readonly email: string };
  readonly userAgent?: string;
  /** A fetch implementation; default the global one. */
  readonly fetch?: typeof fetch;
}

/** What the GitHub publisher did. */
export interface GitHubPublishResult {
  readonly branch: string;
  readonly base: string;
  /** The branch head after publishing. */
  readonly commit: string;
  /** `true` when the branch already existed and was moved forward (or left as is). */
  readonly updated: boolean;
  /** `false` when the files were already on the branch, so no commit was made. */
  readonly committed: boolean;
  readonly pullRequest: {
    readonly number: number;
    readonly url: string;
    /** `true` when this run opened it; `false` when it updated the open one. */
    readonly created: boolean;
  };
  readonly labels: readonly string[];
  readonly reviewers: CodeOwnerReviewers;
}

/** Publishes drafts to GitHub as a branch, a commit and one pull request per branch. */
export interface GitHubPublisher {
  publish(draft: PullRequestDraft): Promise<Result<GitHubPublishResult>>;
}

const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];
const NAME = /^[A-Za-z0-9._-]+$/;

const statusOf = (e: unknown): number | undefined =>
  typeof e === 'object' && e !== null && 'status' in e && typeof e.status === 'number'
    ? e.status
    : undefined;

/** `undefined` on 404, the value otherwise; other failures propagate. */
async function unlessMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

/**
 * GitHub publisher over the REST API (`@octokit/rest`): git refs, trees and commits, then one pull
 * request per branch with labels and CODEOWNERS reviewers. Re-running updates the same branch
 * and pull request.
 */
export function createGitHubPublisher(options: GitHubPublisherOptions): GitHubPublisher {
  if (!NAME.test(options.owner) || !NAME.test(options.repo)) {
    throw new ArtifactsError('INVALID_OPTIONS', 'owner and repo must be GitHub names');
  }
  const octokit = new Octokit({
    ...(options.token === undefined ? {} : { auth: options.token }),
    baseUrl: options.baseUrl ?? 'https://api.github.com',
    userAgent: options.userAgent ?? 'slo-scout-artifacts',
    ...(options.fetch === undefined ? {} : { request: { fetch: options.fetch } }),
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const repo = { owner: options.owner, repo: options.repo };
  const gh = octokit.rest;

  async function codeowners(ref: string): Promise<string | undefined> {
    for (const path of options.codeownersPaths ?? CODEOWNERS_PATHS) {
      const r = await unlessMissing(gh.repos.getContent({ ...repo, path, ref }));
      const data = r?.data;
      if (data !== undefined && !Array.isArray(data) && data.type === 'file' && 'content' in data) {
        return Buffer.from(data.content, 'base64').toString('utf8');
      }
    }
    return undefined;
  }

  async function publish(draft: PullRequestDraft): Promise<GitHubPublishResult> {
    const base = options.base ?? (await gh.repos.get(repo)).data.default_branch;
    const baseSha = (await gh.git.getRef({ ...repo, ref: `heads/${base}` })).data.object.sha;
    const existing = await unlessMissing(gh.git.getRef({ ...repo, ref: `heads/${draft.branch}` }));
    const parent = existing?.data.object.sha ?? baseSha;
    const parentTree = (await gh.git.getCommit({ ...repo, commit_sha: parent })).data.tree.sha;
    const tree = (
      await gh.git.createTree({
        ...repo,
        base_tree: parentTree,
        tree: draft.files.map((f) => ({
          path: f.path,
          mode: '100644' as const,
          type: 'blob' as const,
          content: f.content,
        })),
      })
    ).data.sha;
    let head = parent;
    if (tree !== parentTree) {
      head = (
        await gh.git.createCommit({
          ...repo,
          message: `${draft.title}\n\n${draft.body}`,
          tree,
          parents: [parent],
          ...(options.author === undefined ? {} : { author: options.author }),
        })
      ).data.sha;
    } else if (existing === undefined) {
      throw new ArtifactsError('PUBLISH_FAILED', `the draft changes nothing on ${base}`);
    }
    if (existing === undefined) {
      await gh.git.createRef({ ...repo, ref: `refs/heads/${draft.branch}`, sha: head });
    } else if (head !== parent) {
      await gh.git.updateRef({ ...repo, ref: `heads/${draft.branch}`, sha: head, force: false });
    }

    const open = await gh.pulls.list({
      ...repo,
      state: 'open',
      head: `${options.owner}:${draft.branch}`,
      base,
      per_page: 1,
    });
    const found = open.data[0];
    const pr =
      found === undefined
        ? (
            await gh.pulls.create({
              ...repo,
              head: draft.branch,
              base,
              title: draft.title,
              body: draft.body,
            })
          ).data
        : (
            await gh.pulls.update({
              ...repo,
              pull_number: found.number,
              title: draft.title,
              body: draft.body,
            })
          ).data;

    const labels = [...(draft.labels ?? [])];
    if (labels.length > 0) {
      await gh.issues.addLabels({ ...repo, issue_number: pr.number, labels });
    }
    let reviewers: CodeOwnerReviewers = { users: [], teams: [] };
    if (options.requestReviews !== false) {
      const text = await codeowners(base);
      if (text !== undefined) {
        const all = reviewersFor(
          text,
          draft.files.map((f) => f.path),
        );
        // GitHub refuses a review request to the pull request's author; teams of other orgs too.
        const author = pr.user.login;
        reviewers = {
          users: all.users.filter((u) => u !== author),
          teams: all.teams.filter((t) => t.org.toLowerCase() === options.owner.toLowerCase()),
        };
      }
      if (reviewers.users.length + reviewers.teams.length > 0) {
        await gh.pulls.requestReviewers({
          ...repo,
          pull_number: pr.number,
          reviewers: [...reviewers.users],
          team_reviewers: reviewers.teams.map((t) => t.slug),
        });
      }
    }
    return {
      branch: draft.branch,
      base,
      commit: head,
      updated: existing !== undefined,
      committed: head !== parent,
      pullRequest: { number: pr.number, url: pr.html_url, created: found === undefined },
      labels,
      reviewers,
    };
  }

  return {
    async publish(draft) {
      const invalid = checkDraft(draft);
      if (invalid !== undefined) return err(new ArtifactsError('INVALID_OPTIONS', invalid));
      try {
        return ok(await publish(draft));
      } catch (e) {
        if (e instanceof ArtifactsError) return err(e);
        const status = statusOf(e);
        const message = e instanceof Error ? e.message : String(e);
        return err(
          new ArtifactsError(
            'PUBLISH_FAILED',
            `GitHub ${status === undefined ? 'request failed' : `answered ${status}`}: ${message}`,
            { cause: e },
          ),
        );
      }
    },
  };
}
