/**
 * An in-memory GitHub for tests, speaking the documented REST routes the publisher uses over real
 * HTTP (node:http): repos, git refs/commits/trees, contents, pulls, labels, requested_reviewers.
 * Every request is recorded so tests can assert on what the client sent.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as received. */
export interface RecordedRequest {
  readonly method: string;
  /** Decoded path without the query. */
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

interface Commit {
  readonly tree: string;
  readonly parents: readonly string[];
  readonly message: string;
}
interface Pull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  reviewers: string[];
  teams: string[];
}

/** A running fake GitHub with one repository. */
export interface FakeGitHub {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly refs: Map<string, string>;
  readonly pulls: Pull[];
  /** Files of the tree at a commit. */
  filesAt(commit: string): ReadonlyMap<string, string>;
  commit(sha: string): Commit | undefined;
  close(): Promise<void>;
}

const sha1 = (v: unknown): string => createHash('sha1').update(JSON.stringify(v)).digest('hex');

/** Starts the fake on a free loopback port; `files` is the initial content of `main`. */
export async function startFakeGitHub(options: {
  owner: string;
  repo: string;
  files: Record<string, string>;
  /** Login of the token's user (the pull requests' author). */
  login?: string;
}): Promise<FakeGitHub> {
  const login = options.login ?? 'slo-bot';
  const trees = new Map<string, Map<string, string>>();
  const commits = new Map<string, Commit>();
  const refs = new Map<string, string>();
  const pulls: Pull[] = [];
  const requests: RecordedRequest[] = [];

  const putTree = (files: Map<string, string>): string => {
    const sha = sha1([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    trees.set(sha, files);
    return sha;
  };
  const putCommit = (c: Commit): string => {
    const sha = sha1(c);
    commits.set(sha, c);
    return sha;
  };
  refs.set(
    'heads/main',
    putCommit({
      tree: putTree(new Map(Object.entries(options.files))),
      parents: [],
      message: 'init',
    }),
  );
  const prJson = (p: Pull) => ({
    number: p.number,
    state: p.state,
    title: p.title,
    body: p.body,
    html_url: `https://github.example/${options.owner}/${options.repo}/pull/${p.number}`,
    user: { login },
    head: { ref: p.head, label: `${options.owner}:${p.head}` },
    base: { ref: p.base },
    labels: p.labels.map((name) => ({ name })),
    requested_reviewers: p.reviewers.map((l) => ({ login: l })),
    requested_teams: p.teams.map((slug) => ({ slug })),
  });
  const isAncestor = (ancestor: string, of: string): boolean => {
    const todo = [of];
    while (todo.length > 0) {
      const s = todo.pop()!;
      if (s === ancestor) return true;
      todo.push(...(commits.get(s)?.parents ?? []));
    }
    return false;
  };

  /** Fields of the JSON bodies the routes read; the client is trusted to send these types. */
  interface Body {
    ref: string;
    sha: string;
    force?: boolean;
    base_tree?: string;
    tree: { path: string; mode: string; type: string; content?: string }[] | string;
    parents: string[];
    message: string;
    head: string;
    base: string;
    title?: string;
    body?: string;
    labels: string[];
    reviewers?: string[];
    team_reviewers?: string[];
  }
  type Reply = [number, unknown];
  const notFound: Reply = [
    404,
    { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
  ];
  const invalid = (message: string): Reply => [
    422,
    { message, documentation_url: 'https://docs.github.com/rest' },
  ];

  function route(method: string, path: string, q: Record<string, string>, body: Body): Reply {
    const prefix = `/repos/${options.owner}/${options.repo}`;
    if (!path.startsWith(prefix)) return notFound;
    const p = path.slice(prefix.length);
    let m: RegExpExecArray | null;
    if (method === 'GET' && p === '') return [200, { name: options.repo, default_branch: 'main' }];
    if (method === 'GET' && (m = /^\/git\/ref\/(.+)$/.exec(p))) {
      const sha = refs.get(m[1]!);
      return sha === undefined
        ? notFound
        : [200, { ref: `refs/${m[1]}`, object: { sha, type: 'commit' } }];
    }
    if (method === 'POST' && p === '/git/refs') {
      const ref = body.ref.replace(/^refs\//, '');
      if (refs.has(ref)) return invalid('Reference already exists');
      if (!commits.has(body.sha)) return invalid('Object does not exist');
      refs.set(ref, body.sha);
      return [201, { ref: body.ref, object: { sha: body.sha, type: 'commit' } }];
    }
    if (method === 'PATCH' && (m = /^\/git\/refs\/(.+)$/.exec(p))) {
      const old = refs.get(m[1]!);
      if (old === undefined) return notFound;
      if (body.force !== true && !isAncestor(old, body.sha))
        return invalid('Update is not a fast forward');
      refs.set(m[1]!, body.sha);
      return [200, { ref: `refs/${m[1]}`, object: { sha: body.sha, type: 'commit' } }];
    }
    if (method === 'GET' && (m = /^\/git\/commits\/([0-9a-f]+)$/.exec(p))) {
      const c = commits.get(m[1]!);
      return c === undefined
        ? notFound
        : [
            200,
            {
              sha: m[1],
              tree: { sha: c.tree },
              parents: c.parents.map((sha) => ({ sha })),
              message: c.message,
            },
          ];
    }
    if (method === 'POST' && p === '/git/trees') {
      const files = new Map(body.base_tree === undefined ? [] : (trees.get(body.base_tree) ?? []));
      if (body.base_tree !== undefined && !trees.has(body.base_tree))
        return invalid('base_tree is invalid');
      for (const e of body.tree as {
        path: string;
        mode: string;
        type: string;
        content?: string;
      }[]) {
        if (e.mode !== '100644' || e.type !== 'blob' || typeof e.content !== 'string')
          return invalid('tree entry');
        files.set(e.path, e.content);
      }
      const sha = putTree(files);
      return [
        201,
        { sha, tree: [...files.keys()].map((path) => ({ path, mode: '100644', type: 'blob' })) },
      ];
    }
    if (method === 'POST' && p === '/git/commits') {
      if (typeof body.tree !== 'string' || !trees.has(body.tree)) return invalid('tree is invalid');
      if (!body.parents.every((s) => commits.has(s))) return invalid('parent is invalid');
      const sha = putCommit({ tree: body.tree, parents: body.parents, message: body.message });
      return [
        201,
        { sha, tree: { sha: body.tree }, parents: body.parents.map((x) => ({ sha: x })) },
      ];
    }
    if (method === 'GET' && (m = /^\/contents\/(.+)$/.exec(p))) {
      const head = refs.get(`heads/${q['ref'] ?? 'main'}`);
      const text = head === undefined ? undefined : trees.get(commits.get(head)!.tree)?.get(m[1]!);
      return text === undefined
        ? notFound
        : [
            200,
            {
              type: 'file',
              encoding: 'base64',
              path: m[1],
              content: Buffer.from(text).toString('base64'),
            },
          ];
    }
    if (method === 'GET' && p === '/pulls') {
      const list = pulls.filter(
        (x) =>
          (q['state'] ?? 'open') === x.state &&
          (q['head'] === undefined || q['head'] === `${options.owner}:${x.head}`) &&
          (q['base'] === undefined || q['base'] === x.base),
      );
      return [200, list.map(prJson)];
    }
    if (method === 'POST' && p === '/pulls') {
      if (!refs.has(`heads/${body.head}`)) return invalid('head is invalid');
      if (pulls.some((x) => x.state === 'open' && x.head === body.head && x.base === body.base))
        return invalid(`A pull request already exists for ${options.owner}:${body.head}.`);
      if (refs.get(`heads/${body.head}`) === refs.get(`heads/${body.base}`))
        return invalid('No commits between');
      const pr: Pull = {
        number: pulls.length + 1,
        head: body.head,
        base: body.base,
        title: body.title ?? '',
        body: body.body ?? '',
        state: 'open',
        labels: [],
        reviewers: [],
        teams: [],
      };
      pulls.push(pr);
      return [201, prJson(pr)];
    }
    if ((m = /^\/pulls\/(\d+)(\/requested_reviewers)?$/.exec(p))) {
      const pr = pulls.find((x) => x.number === Number(m![1]));
      if (pr === undefined) return notFound;
      if (method === 'PATCH' && m[2] === undefined) {
        if (typeof body.title === 'string') pr.title = body.title;
        if (typeof body.body === 'string') pr.body = body.body;
        return [200, prJson(pr)];
      }
      if (method === 'POST' && m[2] !== undefined) {
        if ((body.reviewers ?? []).includes(login))
          return invalid('Review cannot be requested from pull request author.');
        for (const r of body.reviewers ?? []) if (!pr.reviewers.includes(r)) pr.reviewers.push(r);
        for (const t of body.team_reviewers ?? []) if (!pr.teams.includes(t)) pr.teams.push(t);
        return [201, prJson(pr)];
      }
    }
    if (method === 'POST' && (m = /^\/issues\/(\d+)\/labels$/.exec(p))) {
      const pr = pulls.find((x) => x.number === Number(m![1]));
      if (pr === undefined) return notFound;
      for (const l of body.labels) if (!pr.labels.includes(l)) pr.labels.push(l);
      return [200, pr.labels.map((name) => ({ name }))];
    }
    return notFound;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(u.pathname);
    const query = Object.fromEntries(u.searchParams);
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    requests.push({
      method: req.method ?? 'GET',
      path,
      query,
      body,
      authorization: req.headers.authorization,
    });
    const [status, payload] = route(req.method ?? 'GET', path, query, (body ?? {}) as Body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(payload));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(e) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    refs,
    pulls,
    filesAt: (c) => trees.get(commits.get(c)?.tree ?? '') ?? new Map(),
    commit: (s) => commits.get(s),
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
