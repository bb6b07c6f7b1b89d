/**
 * A schema registry persisted to one JSON file, for the embedded mode: schema ids survive restarts
 * so framed messages written earlier (e.g. in a persisted embedded bus) still decode.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SchemaError } from '../../errors.ts';
import {
  createMemorySchemaRegistry,
  type MemorySchemaRegistry,
  type RegistrySnapshot,
} from '../../registry/registry.ts';

async function load(path: string): Promise<RegistrySnapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { schemas: [] };
    throw new SchemaError('REGISTRY_IO', `cannot read schema registry file ${path}`, { cause });
  }
  try {
    const parsed = JSON.parse(text) as RegistrySnapshot;
    if (!Array.isArray(parsed.schemas)) throw new Error('missing "schemas" array');
    return parsed;
  } catch (cause) {
    throw new SchemaError('REGISTRY_IO', `schema registry file ${path} is not valid`, { cause });
  }
}

/** Opens (or creates) a file-backed registry at `path`. */
export async function createFileSchemaRegistry(path: string): Promise<MemorySchemaRegistry> {
  const initial = await load(path);
  return createMemorySchemaRegistry(initial, async (snapshot) => {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(snapshot, null, 2)}\n`);
    await rename(tmp, path);
  });
}
