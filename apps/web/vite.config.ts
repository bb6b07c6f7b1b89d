import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console is a static bundle served by the API at `/`; relative asset URLs keep it working
 * under any mount path. During `npm run dev -w apps/web`, `/api` is proxied to a running API
 * (SLO_SCOUT_API, default http://127.0.0.1:8787).
 */
export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': process.env['SLO_SCOUT_API'] ?? 'http://127.0.0.1:8787',
    },
  },
});
