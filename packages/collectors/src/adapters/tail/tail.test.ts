import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createMemorySink } from '../../core/sink.ts';
import { createFileTailer, tailStream } from './index.ts';

describe('file tailer', () => {
  it('publishes appended complete lines once, resumes from its offset, re-reads to the same ids', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tail-'));
    const path = join(dir, 'app.log');
    try {
      await writeFile(path, 'INFO one\nERROR two\npart');
      const sink = createMemorySink();
      const tailer = createFileTailer({ path, sink, service: 'app', clock: () => 1 });
      expect((await tailer.poll()).ok).toBe(true);
      expect(sink.events().map((e) => e.body)).toEqual(['INFO one', 'ERROR two']);
      await appendFile(path, 'ial three\n');
      await tailer.poll();
      expect(sink.events().map((e) => e.body)).toEqual(['INFO one', 'ERROR two', 'partial three']);
      const again = createMemorySink();
      await createFileTailer({ path, sink: again, service: 'app', clock: () => 2 }).poll();
      expect(again.events().map((e) => e.event_id)).toEqual(sink.events().map((e) => e.event_id));
      const resumed = createMemorySink();
      await createFileTailer({
        path,
        sink: resumed,
        service: 'app',
        fromOffset: tailer.offset,
      }).poll();
      expect(resumed.size).toBe(0);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('does not advance when the sink refuses, so nothing is lost', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tail-'));
    const path = join(dir, 'app.log');
    try {
      await writeFile(path, 'a\nb\nc\n');
      const sink = createMemorySink({ capacity: 2 });
      const tailer = createFileTailer({ path, sink, service: 'app' });
      const out = await tailer.poll();
      expect(!out.ok && out.error.code).toBe('SINK_SATURATED');
      expect(tailer.offset).toBe(0);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('tails a stream such as stdin, including a last line without newline', async () => {
    const sink = createMemorySink();
    const out = await tailStream(Readable.from(['x 1\ny', ' 2\nz 3']), { sink, service: 's' });
    expect(out).toEqual({ ok: true, value: 3 });
    expect(sink.events().map((e) => e.body)).toEqual(['x 1', 'y 2', 'z 3']);
  });
});
