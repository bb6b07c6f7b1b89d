/**
 * An in-memory GitLab for tests, speaking the documented REST API v4 routes the publisher uses over
 * real HTTP (node:http): projects, repository branches/files/commits (with actions), users and
 * merge requests. Path parameters arrive URL-encoded (`acme%2Fslos`), as GitLab requires.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as received; `segments` are the decoded path segments after `/api/v4`. */
export interface RecordedGitLabRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly segments: readonly string[];
  readonly query: Record<string, string>;
  readonly body: unknown;
  readonly token: string | undefined;
}

interface Commit {
  readonly files: ReadonlyMap<string, string>;
  readonly parent: string | undefined;
  readonly message: string;
}
interface MergeRequest {
  iid: number;
  source: string;
  target: string;
  title: string;
  description: string;
  state: 'opened' | 'merged' | 'closed';
  labels: string[];
  reviewers: number[];
}
interface Body {
  branch: string;
  start_branch?: string;
  commit_message: string;
  actions: { action: string; file_path: string; content?: string }[];
  source_branch: string;
  target_branch: string;
  title?: string;
  description?: string;
  labels?: string;
  add_labels?: string;
  reviewer_ids?: number[];
}

/** A running fake GitLab with one project. */
export interface FakeGitLab {
  readonly url: string;
  readonly requests: RecordedGitLabRequest[];
  readonly branches: Map<string, string>;
  readonly mergeRequests: MergeRequest[];
  commit(id: string): Commit | undefined;
  close(): Promise<void>;
}

/** Starts the fake on a free loopback port; `files` is the initial content of `main`. */
export async function startFakeGitLab(options: {
  project: string;
  files: Record<string, string>;
  users: Record<string, number>;
}): Promise<FakeGitLab> {
  const commits = new Map<string, Commit>();
  const branches = new Map<string, string>();
  const mergeRequests: MergeRequest[] = [];
  const requests: RecordedGitLabRequest[] = [];
  const putCommit = (c: Commit): string => {
    const id = createHash('sha1')
      .update(JSON.stringify([[...c.files].sort(), c.parent, c.message]))
      .digest('hex');
    commits.set(id, c);
    return id;
  };
  branches.set(
    'main',
    putCommit({
      files: new Map(Object.entries(options.files)),
      parent: undefined,
      message: 'init',
    }),
  );
  /** Known once the server listens; web URLs are built from it. */
  const origin = { url: '' };
  type Reply = [number, unknown];
  const notFound = (what: string): Reply => [404, { message: `404 ${what} Not Found` }];
  const bad = (message: string): Reply => [400, { message }];
  const mrJson = (m: MergeRequest) => ({
    iid: m.iid,
    state: m.state,
    title: m.title,
    description: m.description,
    source_branch: m.source,
    target_branch: m.target,
    labels: m.labels,
    reviewers: m.reviewers.map((id) => ({ id })),
    web_url: `${origin.url}/${options.project}/-/merge_requests/${m.iid}`,
  });
  const addLabels = (m: MergeRequest, csv: string | undefined) => {
    for (const l of (csv ?? '').split(',').filter((x) => x !== ''))
      if (!m.labels.includes(l)) m.labels.push(l);
  };

  function route(method: string, s: readonly string[], q: Record<string, string>, b: Body): Reply {
    if (method === 'GET' && s[0] === 'users' && s.length === 1) {
      const id = options.users[q['username'] ?? ''];
      return [200, id === undefined ? [] : [{ id, username: q['username'] }]];
    }
    if (s[0] !== 'projects' || s[1] !== options.project) return notFound('Project');
    const p = s.slice(2);
    if (method === 'GET' && p.length === 0) return [200, { id: 7, default_branch: 'main' }];
    if (method === 'GET' && p[0] === 'repository' && p[1] === 'branches' && p.length === 3) {
      const id = branches.get(p[2]!);
      return id === undefined ? notFound('Branch') : [200, { name: p[2], commit: { id } }];
    }
    if (method === 'GET' && p[0] === 'repository' && p[1] === 'files' && p.length === 3) {
      const head = branches.get(q['ref'] ?? '');
      if (head === undefined) return notFound('Commit');
      const text = commits.get(head)!.files.get(p[2]!);
      return text === undefined
        ? notFound('File')
        : [
            200,
            {
              file_path: p[2],
              ref: q['ref'],
              encoding: 'base64',
              content: Buffer.from(text).toString('base64'),
            },
          ];
    }
    if (method === 'POST' && p.join('/') === 'repository/commits') {
      let parent = branches.get(b.branch);
      if (parent === undefined) {
        if (b.start_branch === undefined)
          return bad('You can only create or edit files when you are on a branch');
        parent = branches.get(b.start_branch);
        if (parent === undefined) return bad('Invalid start_branch');
      } else if (b.start_branch !== undefined) {
        return bad('A branch called ' + b.branch + ' already exists');
      }
      const files = new Map(commits.get(parent)!.files);
      for (const a of b.actions) {
        if (a.action === 'create' && files.has(a.file_path))
          return bad('A file with this name already exists');
        if (a.action === 'update' && !files.has(a.file_path))
          return bad("A file with this name doesn't exist");
        if (a.action !== 'create' && a.action !== 'update')
          return bad('unsupported action in this fake');
        files.set(a.file_path, a.content ?? '');
      }
      const id = putCommit({ files, parent, message: b.commit_message });
      branches.set(b.branch, id);
      return [201, { id, parent_ids: [parent], message: b.commit_message }];
    }
    if (method === 'GET' && p.join('/') === 'merge_requests') {
      const list = mergeRequests.filter(
        (m) =>
          (q['state'] === undefined || q['state'] === m.state) &&
          (q['source_branch'] === undefined || q['source_branch'] === m.source) &&
          (q['target_branch'] === undefined || q['target_branch'] === m.target),
      );
      return [200, list.map(mrJson)];
    }
    if (method === 'POST' && p.join('/') === 'merge_requests') {
      if (!branches.has(b.source_branch)) return bad('source_branch does not exist');
      if (
        mergeRequests.some(
          (m) =>
            m.state === 'opened' && m.source === b.source_branch && m.target === b.target_branch,
        )
      )
        return [
          409,
          { message: ['Another open merge request already exists for this source branch'] },
        ];
      const m: MergeRequest = {
        iid: mergeRequests.length + 1,
        source: b.source_branch,
        target: b.target_branch,
        title: b.title ?? '',
        description: b.description ?? '',
        state: 'opened',
        labels: [],
        reviewers: b.reviewer_ids ?? [],
      };
      addLabels(m, b.labels);
      mergeRequests.push(m);
      return [201, mrJson(m)];
    }
    if (method === 'PUT' && p[0] === 'merge_requests' && p.length === 2) {
      const m = mergeRequests.find((x) => x.iid === Number(p[1]));
      if (m === undefined) return notFound('Merge Request');
      if (b.title !== undefined) m.title = b.title;
      if (b.description !== undefined) m.description = b.description;
      if (b.reviewer_ids !== undefined) m.reviewers = b.reviewer_ids;
      addLabels(m, b.add_labels);
      return [200, mrJson(m)];
    }
    return notFound('Route');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://localhost');
    const rawPath = u.pathname;
    const token = req.headers['private-token'];
    const query = Object.fromEntries(u.searchParams);
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    if (!rawPath.startsWith('/api/v4/')) {
      res.writeHead(404).end();
      return;
    }
    const segments = rawPath.slice('/api/v4/'.length).split('/').map(decodeURIComponent);
    const method = req.method ?? 'GET';
    requests.push({
      method,
      rawPath,
      segments,
      query,
      body,
      token: typeof token === 'string' ? token : undefined,
    });
    const [status, payload] =
      token === undefined
        ? [401, { message: '401 Unauthorized' }]
        : route(method, segments, query, (body ?? {}) as Body);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(e) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin.url,
    requests,
    branches,
    mergeRequests,
    commit: (id) => commits.get(id),
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
