import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toField, toHttpError } from './errors.ts';
import { hasScope, hashApiKey, isApiKeyFormat, generateApiKey, API_KEY_SCOPES } from './keys.ts';
import { toValidationField } from './validation.ts';

describe('toHttpError', () => {
  it('maps every engine code to its status', () => {
    const table: [string, number][] = [
      ['INVALID_INPUT', 400],
      ['NOT_FOUND', 404],
      ['CONFLICT', 409],
      ['NO_DATA', 422],
      ['VALIDATION_FAILED', 422],
      ['POLICY_DENIED', 422],
      ['NOT_CONFIGURED', 501],
      ['UPSTREAM_FAILED', 500],
      ['INVALID_OPTIONS', 500],
    ];
    for (const [code, status] of table) {
      expect([code, toHttpError({ code, message: 'm' }).status]).toEqual([code, status]);
    }
  });

  it('names the field of invalid input under its location, and never passes on a 500 message', () => {
    expect(toHttpError({ code: 'INVALID_INPUT', message: 'bad', path: 'range.fromMs' })).toEqual({
      status: 400,
      body: { error: { code: 'INVALID_INPUT', message: 'bad', field: 'body.fromMs' } },
    });
    expect(toField('limit', 'query')).toBe('query.limit');
    expect(toField(undefined, 'body')).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), fc.string(), (code, message) => {
        const http = toHttpError({ code: `X_${code}`, message });
        expect(http.status).toBe(500);
        expect(http.body.error.message).not.toContain(message.length > 3 ? message : '\u0000');
      }),
    );
  });
});

describe('toValidationField', () => {
  it('builds body.a.b[2] paths from Ajv instance paths and names missing or extra properties', () => {
    expect(
      toValidationField(
        [{ instancePath: '/journeyIds/2', keyword: 'minLength', message: 'too short' }],
        'body',
      ),
    ).toEqual({
      field: 'body.journeyIds[2]',
      message: 'too short',
    });
    expect(
      toValidationField(
        [{ instancePath: '', keyword: 'required', params: { missingProperty: 'toMs' } }],
        'body',
      ),
    ).toEqual({
      field: 'body.toMs',
      message: 'is required',
    });
    expect(
      toValidationField(
        [
          {
            instancePath: '',
            keyword: 'additionalProperties',
            params: { additionalProperty: 'x' },
          },
        ],
        'querystring',
      ),
    ).toEqual({ field: 'query.x', message: 'is not allowed' });
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 5 }), (segments) => {
        const { field } = toValidationField(
          [{ instancePath: segments.map((s) => `/${s}`).join('') }],
          'params',
        );
        expect(field).toBe(['params', ...segments].join('.'));
      }),
    );
  });
});

describe('keys', () => {
  it('generates 256-bit keys of one format, hashed to 64 hex characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const key = generateApiKey();
      expect(isApiKeyFormat(key)).toBe(true);
      expect(Buffer.from(key.slice(3), 'base64url')).toHaveLength(32);
      expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
      seen.add(key);
    }
    expect(seen.size).toBe(50);
    expect(isApiKeyFormat('sk_short')).toBe(false);
  });

  it('orders scopes read < write < admin', () => {
    fc.assert(
      fc.property(
        fc.subarray([...API_KEY_SCOPES], { minLength: 1 }),
        fc.constantFrom(...API_KEY_SCOPES),
        (held, needed) => {
          const rank = (s: string) => API_KEY_SCOPES.indexOf(s as 'read');
          expect(hasScope(held, needed)).toBe(held.some((h) => rank(h) >= rank(needed)));
        },
      ),
    );
    expect(hasScope(['admin'], 'read')).toBe(true);
    expect(hasScope(['read'], 'write')).toBe(false);
  });
});
