import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Everything is bundled (no CDN): the console must work air-gapped behind a strict CSP.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline module-preload polyfill: the CSP allows scripts from this origin only.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    // No manual chunks: Rollup then puts each Ant Design component in the chunk of the pages that
    // use it, so the first page loads only the sign-in's components (tables, date pickers and
    // charts come with their pages).
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000', '/console': 'http://127.0.0.1:4000' } },
});
