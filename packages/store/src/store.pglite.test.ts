import { createPgliteDatabase } from './adapters/pglite/index.ts';
import { defineStoreSuite } from '../test/store-suite.ts';

defineStoreSuite('PGlite (in-process)', {
  concurrent: false,
  async open() {
    const { db } = await createPgliteDatabase();
    return { db, dispose: () => db.destroy() };
  },
});
