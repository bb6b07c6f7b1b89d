/** `analyze`, `generate`, `validate` and `pr`: the engine's steps one at a time. */
import { CliError } from '../errors.ts';
import { writeJson, type Io } from '../output.ts';
import {
  renderAnalysis,
  renderArtifact,
  renderPullRequest,
  renderRecommendations,
  renderValidation,
} from '../render.ts';
import { unwrap, withSession, type StepOptions } from '../session.ts';

const note = (io: Io, json: boolean, text: string | undefined): void => {
  if (!json && text) io.stderr.write(`note: ${text}\n`);
};

/** `analyze --from --to [--no-recommend]`. */
export async function runAnalyze(
  o: StepOptions & { range: { fromMs: number; toMs: number }; recommend: boolean },
  io: Io,
): Promise<void> {
  const actor = io.env['USER'] ?? 'cli';
  await withSession(o, io, async ({ engine, step }) => {
    const report = unwrap(
      await step('discover journeys and SLIs', () =>
        engine.scout.analyze({ range: o.range, actor }),
      ),
      'analyze',
    );
    const recs = o.recommend
      ? unwrap(
          await step('fit targets and backtest', () =>
            engine.scout.recommend({ range: o.range, actor }),
          ),
          'recommend',
        )
      : [];
    if (o.json) {
      writeJson(io, { analysis: report, recommendations: recs });
      return;
    }
    const tty = io.stdout.isTTY === true;
    io.stdout.write(`${renderAnalysis(report, tty)}\n`);
    if (recs.length > 0) io.stdout.write(`${renderRecommendations(recs, tty)}\n`);
    io.stdout.write(
      recs.length > 0
        ? 'next: slo-scout generate --recommendation <id>... (or --approve-all)\n'
        : 'next: slo-scout analyze without --no-recommend to get SLO targets\n',
    );
  });
}

/** `generate [--recommendation id...] [--approve-all]`. */
export async function runGenerate(
  o: StepOptions & { recommendationIds?: readonly string[]; approveAll: boolean; actor: string },
  io: Io,
): Promise<void> {
  await withSession(o, io, async ({ engine, step }) => {
    const { scout } = engine;
    const toApprove = o.approveAll
      ? (await scout.listRecommendations({ status: 'proposed' })).map((r) => r.id)
      : (o.recommendationIds ?? []);
    for (const id of toApprove) {
      const current = unwrap(await scout.getRecommendation(id), `recommendation ${id}`);
      if (current.status === 'approved') continue;
      unwrap(await scout.decide(id, { status: 'approved', actor: o.actor }), `approve ${id}`);
    }
    const approved = await scout.listRecommendations({ status: 'approved' });
    if (approved.length === 0) {
      throw new CliError('USAGE', 'no approved recommendation to generate artifacts for', {
        hint: 'run slo-scout analyze, then slo-scout generate --recommendation <id> (or --approve-all)',
      });
    }
    const artifact = unwrap(
      await step('generate and validate artifacts', () =>
        scout.generate({
          actor: o.actor,
          ...(o.recommendationIds === undefined ? {} : { recommendationIds: o.recommendationIds }),
        }),
      ),
      'generate',
    );
    if (o.json) {
      writeJson(io, { artifact });
      return;
    }
    const tty = io.stdout.isTTY === true;
    note(io, o.json, engine.promtool.note);
    note(io, o.json, engine.dashboardSchema.note);
    io.stdout.write(
      `artifact set ${artifact.id}\n${renderArtifact(artifact, tty)}\n${renderValidation(artifact.report, tty)}\n`,
    );
    io.stdout.write(
      artifact.report.ok
        ? `next: slo-scout pr ${artifact.id}\n`
        : `validation failed: fix the inputs above, then slo-scout validate ${artifact.id}\n`,
    );
  });
}

/** `validate <artifactId>`: exit code 1 when validation fails. */
export async function runValidate(o: StepOptions & { artifactId: string }, io: Io): Promise<void> {
  await withSession(o, io, async ({ engine, step }) => {
    const report = unwrap(
      await step(`validate ${o.artifactId}`, () => engine.scout.validate(o.artifactId)),
      'validate',
    );
    if (o.json) writeJson(io, { artifactId: o.artifactId, report });
    else {
      note(io, o.json, engine.promtool.note);
      io.stdout.write(`${renderValidation(report, io.stdout.isTTY === true)}\n`);
    }
    if (!report.ok) {
      throw new CliError('ENGINE_FAILED', `artifact set ${o.artifactId} did not pass validation`, {
        hint: 'see the failed steps above; regenerate after fixing the recommendations',
        reported: o.json,
      });
    }
  });
}

/** `pr <artifactId>`. */
export async function runPr(
  o: StepOptions & { artifactId: string; actor: string },
  io: Io,
): Promise<void> {
  await withSession(o, io, async ({ engine, step }) => {
    const pr = unwrap(
      await step(`open the pull request in ${engine.repoDir}`, () =>
        engine.scout.openPullRequest({ artifactId: o.artifactId, actor: o.actor }),
      ),
      'pull request',
    );
    if (o.json) writeJson(io, { pullRequest: pr, repoDir: engine.repoDir });
    else io.stdout.write(renderPullRequest(pr));
  });
}
