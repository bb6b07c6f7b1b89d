/** Turns Fastify/Ajv validation errors into the field they are about (`body.fromMs`). */

interface AjvIssue {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string | undefined;
  readonly params?: Record<string, unknown>;
}

const LOCATION: Readonly<Record<string, string>> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/** The field and message of the first validation issue. */
export function toValidationField(
  issues: readonly AjvIssue[],
  context: string | undefined,
): { field: string; message: string } {
  const location = LOCATION[context ?? 'body'] ?? 'body';
  const issue = issues[0];
  if (issue === undefined) return { field: location, message: 'is invalid' };
  const segments = (issue.instancePath ?? '')
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra =
    issue.keyword === 'required'
      ? issue.params?.['missingProperty']
      : issue.keyword === 'additionalProperties'
        ? issue.params?.['additionalProperty']
        : undefined;
  if (typeof extra === 'string') segments.push(extra);
  let field = location;
  for (const s of segments) field += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  const message =
    issue.keyword === 'required'
      ? 'is required'
      : issue.keyword === 'additionalProperties'
        ? 'is not allowed'
        : (issue.message ?? 'is invalid');
  return { field, message };
}
