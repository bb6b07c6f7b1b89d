import { ArtifactsError, err, ok, type Result } from '../../errors.ts';
import {
  checkDraft,
  reviewersFor,
  type PullRequestDraft,
} from '../../core/publish/pull-request.ts';

export type { PullRequestDraft };

/** Options of {@link createGitLabPublisher}. */
export interface GitLabPublisherOptions {
  /** Project id: numeric, or the full path such as `acme/slos`. */
  readonly project: string | number;
  /** A token with the `api` scope, sent as `PRIVATE-TOKEN`. */
  readonly token?: string;
  /** Instance root; default `https://gitlab.com` (the API lives under `/api/v4`). */
  readonly baseUrl?: string;
  /** Target branch; default the project's default branch. */
  readonly base?: string;
  /** Where CODEOWNERS is looked up, first found wins; GitLab's own order by default. */
  readonly codeownersPaths?: readonly string[];
  /** Ask the CODEOWNERS users of the changed files for review; default true. */
  readonly requestReviews?: boolean;
  readonly author?: { readonly name: string; readonly email: string };
  /** A fetch implementation; default the global one. */
  readonly fetch?: typeof fetch;
}

/** What the GitLab publisher did. */
export interface GitLabPublishResult {
  readonly branch: string;
  readonly base: string;
  /** The branch head after publishing. */
  readonly commit: string;
  /** `true` when the branch already existed. */
  readonly updated: boolean;
  /** `false` when every file was already on the branch, so no commit was made. */
  readonly committed: boolean;
  readonly mergeRequest: {
    readonly iid: number;
    readonly url: string;
    /** `true` when this run opened it; `false` when it updated the open one. */
    readonly created: boolean;
  };
  readonly labels: readonly string[];
  /** CODEOWNERS users asked for review (GitLab reviewers are users; groups are left out). */
  readonly reviewers: readonly string[];
}

/** Publishes drafts to GitLab as a commit on a branch and one merge request per branch. */
export interface GitLabPublisher {
  publish(draft: PullRequestDraft): Promise<Result<GitLabPublishResult>>;
}

const CODEOWNERS_PATHS = ['CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'];

interface Branch {
  readonly commit: { readonly id: string };
}
interface MergeRequest {
  readonly iid: number;
  readonly web_url: string;
}
interface RepoFile {
  readonly content: string;
  readonly encoding: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * GitLab publisher over REST API v4 with fetch: one commit with create/update actions on the
 * branch (started from the target branch the first time), then one merge request per branch
 * with labels and CODEOWNERS reviewers. Re-running updates the same branch and merge request.
 */
export function createGitLabPublisher(options: GitLabPublisherOptions): GitLabPublisher {
  const project = String(options.project);
  if (project.length === 0 || project.startsWith('/') || project.endsWith('/')) {
    throw new ArtifactsError('INVALID_OPTIONS', 'project must be an id or a full path');
  }
  const root = `${(options.baseUrl ?? 'https://gitlab.com').replace(/\/+$/, '')}/api/v4`;
  const projectUrl = `${root}/projects/${encodeURIComponent(project)}`;
  const doFetch = options.fetch ?? fetch;
  const e = encodeURIComponent;

  async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token !== undefined) headers['PRIVATE-TOKEN'] = options.token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await doFetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new HttpError(res.status, `GitLab answered ${res.status} to ${method} ${url}: ${text}`);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async function unlessMissing<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      return await p;
    } catch (x) {
      if (x instanceof HttpError && x.status === 404) return undefined;
      throw x;
    }
  }

  const readFile = async (path: string, ref: string): Promise<string | undefined> => {
    const f = await unlessMissing(
      call<RepoFile>('GET', `${projectUrl}/repository/files/${e(path)}?ref=${e(ref)}`),
    );
    if (f === undefined) return undefined;
    return f.encoding === 'base64' ? Buffer.from(f.content, 'base64').toString('utf8') : f.content;
  };

  async function reviewerIds(base: string, paths: readonly string[]) {
    for (const path of options.codeownersPaths ?? CODEOWNERS_PATHS) {
      const text = await readFile(path, base);
      if (text === undefined) continue;
      const found: { id: number; username: string }[] = [];
      for (const username of reviewersFor(text, paths).users) {
        const users = await call<{ id: number; username: string }[]>(
          'GET',
          `${root}/users?username=${e(username)}`,
        );
        const u = users.find((x) => x.username.toLowerCase() === username.toLowerCase());
        if (u !== undefined) found.push(u);
      }
      return found;
    }
    return [];
  }

  async function publish(draft: PullRequestDraft): Promise<GitLabPublishResult> {
    const base =
      options.base ?? (await call<{ default_branch: string }>('GET', projectUrl)).default_branch;
    const existing = await unlessMissing(
      call<Branch>('GET', `${projectUrl}/repository/branches/${e(draft.branch)}`),
    );
    const ref = existing === undefined ? base : draft.branch;
    const actions: { action: 'create' | 'update'; file_path: string; content: string }[] = [];
    for (const f of draft.files) {
      const now = await readFile(f.path, ref);
      if (now === f.content) continue;
      actions.push({
        action: now === undefined ? 'create' : 'update',
        file_path: f.path,
        content: f.content,
      });
    }
    let head = existing?.commit.id;
    if (actions.length > 0) {
      const commit = await call<{ id: string }>('POST', `${projectUrl}/repository/commits`, {
        branch: draft.branch,
        ...(existing === undefined ? { start_branch: base } : {}),
        commit_message: `${draft.title}\n\n${draft.body}`,
        actions,
        ...(options.author === undefined
          ? {}
          : { author_name: options.author.name, author_email: options.author.email }),
      });
      head = commit.id;
    }
    if (head === undefined) {
      throw new ArtifactsError('PUBLISH_FAILED', `the draft changes nothing on ${base}`);
    }

    const labels = [...(draft.labels ?? [])];
    const reviewers =
      options.requestReviews === false
        ? []
        : await reviewerIds(
            base,
            draft.files.map((f) => f.path),
          );
    const open = await call<MergeRequest[]>(
      'GET',
      `${projectUrl}/merge_requests?state=opened&source_branch=${e(draft.branch)}&target_branch=${e(base)}`,
    );
    const found = open[0];
    const fields = {
      title: draft.title,
      description: draft.body,
      ...(reviewers.length > 0 ? { reviewer_ids: reviewers.map((r) => r.id) } : {}),
    };
    const mr =
      found === undefined
        ? await call<MergeRequest>('POST', `${projectUrl}/merge_requests`, {
            source_branch: draft.branch,
            target_branch: base,
            ...fields,
            ...(labels.length > 0 ? { labels: labels.join(',') } : {}),
          })
        : await call<MergeRequest>('PUT', `${projectUrl}/merge_requests/${found.iid}`, {
            ...fields,
            ...(labels.length > 0 ? { add_labels: labels.join(',') } : {}),
          });
    return {
      branch: draft.branch,
      base,
      commit: head,
      updated: existing !== undefined,
      committed: actions.length > 0,
      mergeRequest: { iid: mr.iid, url: mr.web_url, created: found === undefined },
      labels,
      reviewers: reviewers.map((r) => r.username),
    };
  }

  return {
    async publish(draft) {
      const invalid = checkDraft(draft);
      if (invalid !== undefined) return err(new ArtifactsError('INVALID_OPTIONS', invalid));
      try {
        return ok(await publish(draft));
      } catch (x) {
        if (x instanceof ArtifactsError) return err(x);
        return err(
          new ArtifactsError('PUBLISH_FAILED', x instanceof Error ? x.message : String(x), {
            cause: x,
          }),
        );
      }
    },
  };
}
