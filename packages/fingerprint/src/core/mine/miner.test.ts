import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FingerprintError } from '../errors.ts';
import { toFingerprint, normalizeTemplate } from './fingerprint.ts';
import { createTemplateMiner, parseMinerState, type TemplateMatch } from './miner.ts';

const golden = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../test/golden/fingerprints.json'), 'utf8'),
) as { service: string; template: string; fingerprint: string }[];

describe('toFingerprint', () => {
  it('matches the golden fingerprints (stable across versions)', () => {
    expect(golden.length).toBeGreaterThanOrEqual(5);
    for (const g of golden) expect(toFingerprint(g.service, g.template)).toBe(g.fingerprint);
  });

  it('ignores variable types and whitespace, not service or words', () => {
    expect(toFingerprint('a', 'took <NUM>  ms')).toBe(toFingerprint('a', 'took <*> ms'));
    expect(toFingerprint('a', 'took <*> ms')).not.toBe(toFingerprint('b', 'took <*> ms'));
    expect(toFingerprint('a', 'took <*> ms')).not.toBe(toFingerprint('a', 'took <*> s'));
    expect(normalizeTemplate(' x  <IP>\t<HEX> ')).toBe('x <*> <*>');
  });
});

const minerGolden = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../test/golden/miner-templates.json'), 'utf8'),
) as { message: string; template: string; fingerprint: string }[];

describe('createTemplateMiner', () => {
  it('mines the golden templates and fingerprints (changes here are deliberate)', () => {
    const m = createTemplateMiner();
    for (const g of minerGolden) m.add(g.message, 'golden');
    for (const g of minerGolden) {
      const r = m.match(g.message, 'golden');
      expect(r?.template, g.message).toBe(g.template);
      expect(r?.fingerprint, g.message).toBe(g.fingerprint);
    }
  });

  it('masks typed variables and returns parameters', () => {
    const m = createTemplateMiner();
    const r = m.add('Received block blk_-123 of size 67108864 from /10.251.42.84 in 12ms');
    expect(r.template).toBe('Received block <ID> of size <NUM> from <IP> in <DURATION>');
    expect(r.wildcardTemplate).toBe('Received block <*> of size <*> from <*> in <*>');
    expect(r.parameters).toEqual(['blk_-123', '67108864', '/10.251.42.84', '12ms']);
    expect(r.isNew).toBe(true);
    const again = m.add('Received block blk_9 of size 1 from /10.0.0.1 in 3ms');
    expect(again.isNew).toBe(false);
    expect(again.fingerprint).toBe(r.fingerprint);
    expect(m.add('Received block x', 'other').fingerprint).not.toBe(r.fingerprint);
  });

  it('keeps ip:port structure and redaction placeholders as variables', () => {
    const m = createTemplateMiner();
    expect(m.add('connect 10.1.1.1:50010, ok.').wildcardTemplate).toBe('connect <*>:<*>, ok.');
    // redactor placeholders keep their kind in the template; pseudonyms are the parameters
    const r = m.add('login by <EMAIL> from <IP:3f9a1c>');
    expect(r.template).toBe('login by <EMAIL> from <IP>');
    expect(r.wildcardTemplate).toBe('login by <*> from <*>');
    expect(r.parameters).toEqual(['<EMAIL>', '<IP:3f9a1c>']);
    expect(m.add('user <EMAIL> paid order 42').template).toBe('user <EMAIL> paid order <NUM>');
  });

  it('answers from its shape cache with the parameters of each message', () => {
    const m = createTemplateMiner();
    const a = m.add('took 12 ms from 10.0.0.1 job=7');
    const b = m.add('took 98 ms from 10.0.0.2 job=3');
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b.isNew).toBe(false);
    expect(b.parameters).toEqual(['98 ms', '10.0.0.2', '3']);
    expect(m.match('took 5 ms from 10.9.9.9 job=1')?.parameters).toEqual(['5 ms', '10.9.9.9', '1']);
  });

  it('generalises identifier-like words but not prose words', () => {
    const m = createTemplateMiner();
    m.add('Registering class org.a.B for class org.a.C');
    const r = m.add('Registering class org.a.D for class org.a.E');
    expect(r.wildcardTemplate).toBe('Registering class org.a.<*> for class org.a.<*>');
    expect(r.isNew).toBe(true);
    const a = m.add('Block stored as bytes in memory');
    const b = m.add('Block stored as values in memory');
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it('generalises a prose word only once three distinct words were seen there', () => {
    const m = createTemplateMiner();
    const msg = (user: string) => `Failed password for ${user} from 10.0.0.1 port 22`;
    const root = m.add(msg('root'));
    expect(m.add(msg('git')).fingerprint).not.toBe(root.fingerprint);
    const third = m.add(msg('ftp'));
    expect(third.isNew).toBe(true);
    expect(third.wildcardTemplate).toBe('Failed password for <*> from <*> port <*>');
    // a restored miner keeps the pending words and ends up in the same place
    const a = createTemplateMiner();
    a.add('Block stored as bytes in memory now');
    const b = createTemplateMiner({ state: a.save() });
    for (const x of [a, b]) x.add('Block stored as values in memory now');
    expect(b.save()).toEqual(a.save());
    expect(a.match('Block stored as bytes in memory now')?.template).toBe(
      'Block stored as bytes in memory now',
    );
  });

  it('never generalises the first word of plain letters, nor more than half the words', () => {
    const m = createTemplateMiner();
    m.add('isScreenOn true');
    expect(m.add('registerSensor true').template).toBe('registerSensor true');
    m.add('x.y done ok');
    expect(m.add('a.b done ok').template).toBe('<*> done ok');
    expect(m.add('a.b Done ok').template).toBe('a.b Done ok');
  });

  it('reads clock times and bounded numbers as one variable, and skips size annotations', () => {
    const m = createTemplateMiner();
    const a = m.add('h:80 close, 1190 bytes (1.16 KB) sent, lifetime 00:02');
    expect(a.template).toBe('h:<NUM> close, <NUM> bytes sent, lifetime <TIME>');
    expect(a.parameters).toEqual(['80', '1190', '00:02']);
    const b = m.add('h:81 close, 9 bytes sent, lifetime <1 sec');
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b.template).toBe('h:<NUM> close, <NUM> bytes sent, lifetime <*>');
    expect(m.add('retry (3) later').template).toBe('retry (<NUM>) later');
  });

  it('keeps enum constants apart unless their position already varies', () => {
    const m = createTemplateMiner();
    const a = m.add('Processing the event EventType: JOB_SETUP');
    expect(m.add('Processing the event EventType: TASK_ABORT').fingerprint).not.toBe(a.fingerprint);
    const s = m.add('x.A_B state action.SCREEN_ON');
    expect(m.add('x.A_B state action.SCREEN_OFF').fingerprint).not.toBe(s.fingerprint);
    for (const u of ['root', 'git', 'ftp']) m.add(`Invalid user ${u} from 10.0.0.1 now`);
    expect(m.add('Invalid user FILTER from 10.0.0.2 now').template).toBe(
      'Invalid user <*> from <IP> now',
    );
  });

  it('generalises only the varying part of a word, and keeps names with a version digit', () => {
    const m = createTemplateMiner();
    m.add('auth failure; rhost=10.0.0.1 user=root');
    const r = m.add('auth failure; rhost=db.example.net user=root');
    expect(r.wildcardTemplate).toBe('auth failure; rhost=<*> user=root');
    expect(r.parameters).toEqual(['db.example.net']);
    expect(m.add('generating core.2275').template).toBe('generating core.<NUM>');
    expect(m.add('port 22 ssh2').template).toBe('port <NUM> ssh2');
    expect(m.add('via proxy.cse.cuhk.edu.hk:5070 and www.example.com').template).toBe(
      'via <HOST>:<NUM> and <HOST>',
    );
    expect(m.add('mapred.task.id is deprecated').template).toBe('mapred.task.id is deprecated');
    expect(m.add('Input split: hdfs://host:9000/x/y:0+1').wildcardTemplate).toBe(
      'Input split: hdfs://<*>',
    );
    expect(m.add('Old: host-1/10.1.2.3:9000 steps=1##2').wildcardTemplate).toBe(
      'Old: <*>/<*>:<*> steps=<*>##<*>',
    );
  });

  it('bounds memory with an LRU', () => {
    const m = createTemplateMiner({ maxTemplates: 2 });
    m.add('alpha one');
    m.add('beta two three');
    m.add('alpha one');
    m.add('gamma four five six');
    expect(m.size).toBe(2);
    expect(m.match('alpha one')).toBeDefined();
    expect(m.match('beta two three')).toBeUndefined();
  });

  it('validates options and state', () => {
    expect(() => createTemplateMiner({ maxTemplates: 0 })).toThrow(FingerprintError);
    expect(parseMinerState({ apiVersion: 'nope' }).ok).toBe(false);
  });

  const messages = fc.array(
    fc
      .array(
        fc.oneof(
          fc.constantFrom('GET', 'user', 'failed', 'ok', 'org.x.Y', 'org.x.Z', 'took', 'ms', 'a=b'),
          fc.integer({ min: 0, max: 99999 }).map(String),
          fc.ipV4(),
        ),
        { minLength: 1, maxLength: 6 },
      )
      .map((w) => w.join(' ')),
    { maxLength: 40 },
  );

  it('is deterministic: the same input gives the same templates', () => {
    fc.assert(
      fc.property(messages, (msgs) => {
        const a = createTemplateMiner();
        const b = createTemplateMiner();
        const view = (r: TemplateMatch) => ({
          template: r.template,
          wildcardTemplate: r.wildcardTemplate,
          parameters: r.parameters,
          fingerprint: r.fingerprint,
          isNew: r.isNew,
        });
        expect(msgs.map((x) => view(a.add(x)))).toEqual(msgs.map((x) => view(b.add(x))));
      }),
    );
  });

  it('save/restore continues exactly as an uninterrupted miner', () => {
    fc.assert(
      fc.property(messages, messages, (first, second) => {
        const whole = createTemplateMiner({ maxTemplates: 8 });
        first.forEach((x) => whole.add(x));
        const part = createTemplateMiner({ maxTemplates: 8 });
        first.forEach((x) => part.add(x));
        const state = JSON.parse(JSON.stringify(part.save())) as unknown;
        const parsed = parseMinerState(state);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const restored = createTemplateMiner({ state: parsed.value });
        for (const x of second) {
          const w = whole.add(x);
          const r = restored.add(x);
          expect(r.fingerprint).toBe(w.fingerprint);
          expect(r.template).toBe(w.template);
          expect(r.parameters).toEqual(w.parameters);
        }
        expect(restored.save()).toEqual(whole.save());
      }),
    );
  });
});
