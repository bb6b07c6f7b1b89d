import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { piiSamples, vendorSamples } from '../../../test/samples.ts';
import { FingerprintError } from '../errors.ts';
import { builtinDetectors, createRedactor, summarizeFindings } from './redactor.ts';
import { vendorDetectors, infixVendorDetectors } from './vendor-detectors.ts';

const redactor = createRedactor();
const text = (s: string) => redactor.redact(s).text;

describe('createRedactor: detectors', () => {
  it.each([
    ['login from 10.1.2.3:8080 by bob@example.com', 'login from <IP>:8080 by <EMAIL>'],
    [
      'Failed password for root from rhost=5.36.59.76.',
      'Failed password for root from rhost=<IP>.',
    ],
    ['host 24-54-76-216.dyn.example.net', 'host <IP>.dyn.example.net'],
    ['from /10.251.91.84:50010,', 'from /<IP>:50010,'],
    ['v6 fe80::1ff:fe23:4567:890a and [2001:db8::1]:443', 'v6 <IP> and [<IP>]:443'],
    ['mac 00:1A:2B:3C:4D:5E end', 'mac <MAC> end'],
    ['card 4111 1111 1111 1111 ok', 'card <CREDIT_CARD> ok'],
    ['iban GB82 WEST 1234 5698 7654 32 ok', 'iban <IBAN> ok'],
    ['ssn 078-05-1120 ok', 'ssn <SSN> ok'],
    ['call (555) 123-4567 or +44 20 7946 0958', 'call <PHONE> or <PHONE>'],
    ['my phone number is 0490 75 40 81', 'my phone number is <PHONE>'],
    ['Phone:\n(08) 8747 6301\nE-mail:', 'Phone:\n<PHONE>\nE-mail:'],
    ['stop messages to 0961-7596216 now', 'stop messages to <PHONE> now'],
    ['password=hunter2 user=bob', 'password=<SECRET> user=bob'],
    ['{"api_key": "q8Xz2LmN4pRt7VbW"}', '{"api_key": "<SECRET>"}'],
    ['Authorization: Bearer q8Xz2LmN4pRt7VbWy1', 'Authorization: Bearer <AUTH>'],
    ['postgres://admin:s3cr3tP@db.example.com/x', 'postgres://<URL_CREDENTIAL>@db.example.com/x'],
    ['Cookie: JSESSIONID=abc123; theme=dark', 'Cookie: <SESSION>'],
    ['jsessionid=A1B2C3D4 done', 'jsessionid=<SECRET> done'],
  ])('%s', (input, expected) => {
    expect(text(input)).toBe(expected);
  });

  it.each([
    'PacketResponder 1 for block blk_-6952295868487656571 terminating',
    'ts=1445144423722 took 12.5 ms',
    'version 1.2.3 build 2024-01-15',
    'trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7',
    'token=550e8400-e29b-41d4-a716-446655440000',
    'time 12:30:45 std::vector a::b',
    'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'client_secret=bP88Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'curl -H "Authorization: Bearer $API_KEY"',
    'password: <PASSWORD>',
    'img video_box.ico-7a388b69018576d24b59331fd60aab0c.png',
    '"token3": "xoxp-1234-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d"',
    'AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A',
  ])('leaves non-sensitive text alone: %s', (input) => {
    expect(redactor.find(input)).toEqual([]);
  });

  it('detects a PEM private key block', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'.repeat(3);
    const pem = `x -----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY----- y`;
    expect(text(pem)).toBe('x <PRIVATE_KEY> y');
  });

  it('finds a card after a long rejected number in the same digit span', () => {
    expect(text('blk_-1608999687919862906 4111111111111111 x')).toBe(
      'blk_-1608999687919862906 <CREDIT_CARD> x',
    );
    expect(text('id 12345678901234567890 4111111111111111')).toBe(
      'id 12345678901234567890 <CREDIT_CARD>',
    );
  });

  it('detects JCB numbers across the 35 range and 15-digit legacy JCB numbers', () => {
    expect(text('card 3598899323053410 lost')).toBe('card <CREDIT_CARD> lost');
    expect(text('card 213176828496175 lost')).toBe('card <CREDIT_CARD> lost');
  });

  it('rejects a Luhn-valid number without an issuer prefix, and a timestamp', () => {
    expect(redactor.find('id 1445144423722 and 8000000000000002')).toEqual([]);
  });

  it('detects every generated vendor token, with its own detector', () => {
    const ids = [...vendorDetectors, ...infixVendorDetectors].map((d) => d.id);
    for (let seed = 1; seed <= 5; seed++) {
      const samples = vendorSamples(seed);
      expect(Object.keys(samples).sort()).toEqual([...ids].sort());
      for (const [id, token] of Object.entries(samples)) {
        const found = redactor.find(`value ${token} end`);
        expect(
          found.map((f) => f.detector),
          `${id} ${token}`,
        ).toEqual([id]);
        expect(found[0]!.end - found[0]!.start).toBe(token.length);
      }
    }
    expect(ids.length).toBeGreaterThanOrEqual(40);
  });

  it('rejects a GitHub token whose checksum is wrong', () => {
    const token = vendorSamples(3)['github-pat']!;
    const broken = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(redactor.find(broken)).toEqual([]);
  });
});

describe('createRedactor: modes and values', () => {
  it('pseudonymises consistently under a key, differently under another', () => {
    const a = createRedactor({ mode: 'pseudonym', pseudonymKey: 'k1' });
    const b = createRedactor({ mode: 'pseudonym', pseudonymKey: 'k2' });
    const x = a.redact('bob@example.com and bob@example.com').text;
    expect(x).toMatch(/^<EMAIL:[0-9a-f]{6}> and <EMAIL:[0-9a-f]{6}>$/);
    const [p1, p2] = x.split(' and ');
    expect(p1).toBe(p2);
    expect(b.redact('bob@example.com').text).not.toBe(p1);
  });

  it('masks and removes', () => {
    expect(createRedactor({ mode: 'mask' }).redact('ip 10.0.0.1!').text).toBe('ip ********!');
    expect(createRedactor({ mode: 'remove' }).redact('ip 10.0.0.1!').text).toBe('ip !');
  });

  it('validates options when compiled', () => {
    expect(() => createRedactor({ mode: 'pseudonym' })).toThrow(FingerprintError);
    expect(() => createRedactor({ pseudonymLength: 2 })).toThrow(/pseudonymLength/);
    expect(() =>
      createRedactor({ detectors: [{ id: 'x', kind: 'bad kind', pattern: /x/ }] }),
    ).toThrow(/kind/);
    expect(() => createRedactor({ detectors: [{ id: 'x', kind: 'X', pattern: /a*/ }] })).toThrow(
      /empty/,
    );
  });

  it('runs custom detectors and can disable built-ins', () => {
    const r = createRedactor({
      detectors: [{ id: 'ticket', kind: 'TICKET', pattern: /TCK-\d{4}/ }],
      disable: ['IP'],
    });
    expect(r.redact('TCK-1234 from 10.0.0.1').text).toBe('<TICKET> from 10.0.0.1');
  });

  it('redacts records by key path and by value, without mutating the input', () => {
    const r = createRedactor({ paths: ['user.name', '*.pin'] });
    const input = {
      user: { name: 'Bob', email: 'bob@example.com', pin: 1234 },
      headers: { authorization: 'Bearer q8Xz2LmN4pRt7VbWy1', password: 42 },
      list: ['10.0.0.1', 3, null],
    };
    const out = r.redactValue(input);
    expect(out.value).toEqual({
      user: { name: '<SECRET>', email: '<EMAIL>', pin: '<SECRET>' },
      headers: { authorization: 'Bearer <AUTH>', password: '<SECRET>' },
      list: ['<IP>', 3, null],
    });
    expect(input.user.email).toBe('bob@example.com');
    expect(out.findings.map((f) => f.path.join('.'))).toEqual([
      'user.name',
      'user.email',
      'user.pin',
      'headers.authorization',
      'headers.password',
      'list.0',
    ]);
    expect(summarizeFindings(out.findings)).toEqual({ SECRET: 3, EMAIL: 1, AUTH: 1, IP: 1 });
  });
});

const filler = fc
  .array(
    fc.constantFrom(
      'user',
      'login',
      'from',
      'ok',
      'failed',
      'to',
      '=',
      ':',
      ',',
      'GET',
      '/api',
      'x',
    ),
    {
      maxLength: 6,
    },
  )
  .map((w) => w.join(' '));

const seeded = fc
  .tuple(filler, fc.integer({ min: 1, max: 1_000_000 }), filler)
  .map(([a, seed, b]) => {
    const pii = piiSamples(seed);
    const vendor = vendorSamples(seed);
    const values = [...Object.values(pii), ...Object.values(vendor)];
    const value = values[seed % values.length]!;
    return { text: `${a} ${value} ${b}`, value };
  });

describe('createRedactor: properties', () => {
  it('matches IPv4 by hand exactly as the ipv4 pattern and check do', () => {
    const d = builtinDetectors.find((x) => x.id === 'ipv4')!;
    const reference = (t: string): [number, number][] => {
      const out: [number, number][] = [];
      const re = new RegExp(d.pattern.source, 'g');
      let m: RegExpExecArray | null;
      while ((m = re.exec(t)) !== null) {
        const end = d.check!(t, m.index, m.index + m[0].length);
        if (end > m.index) out.push([m.index, end]);
        else re.lastIndex = m.index + 1;
      }
      return out;
    };
    const word = fc
      .array(fc.constantFrom('1', '25', '256', '0', '.', '.', '.', 'a', ':', '-', '1234'), {
        maxLength: 14,
      })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(word, (w) => {
        const spans: [number, number][] = [];
        d.matchWord!(w, { from: 0, to: w.length }, (a, b) => spans.push([a, b]));
        expect(spans).toEqual(reference(w));
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent on arbitrary text in every stable mode', () => {
    const modes = [
      createRedactor(),
      createRedactor({ mode: 'pseudonym', pseudonymKey: 'k' }),
      createRedactor({ mode: 'mask' }),
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          seeded.map((s) => s.text),
        ),
        (s) => {
          for (const r of modes) {
            const once = r.redact(s).text;
            expect(r.redact(once).text).toBe(once);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never lets a seeded value survive in text, findings or summaries', () => {
    const pseudo = createRedactor({ mode: 'pseudonym', pseudonymKey: 'k' });
    fc.assert(
      fc.property(seeded, ({ text: t, value }) => {
        for (const r of [redactor, pseudo]) {
          const out = r.redact(t);
          expect(out.text).not.toContain(value);
          expect(JSON.stringify(out.findings)).not.toContain(value);
          expect(out.findings.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports spans that cover exactly the replaced text', () => {
    fc.assert(
      fc.property(seeded, ({ text: t }) => {
        const { text: out, findings } = redactor.redact(t);
        let rebuilt = '';
        let at = 0;
        for (const f of findings) {
          expect(f.start).toBeGreaterThanOrEqual(at);
          rebuilt += t.slice(at, f.start) + `<${f.kind}>`;
          at = f.end;
        }
        expect(rebuilt + t.slice(at)).toBe(out);
      }),
    );
  });
});
