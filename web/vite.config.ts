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
    rollupOptions: {
      output: {
        manualChunks: {
          antd: ['antd', '@ant-design/icons'],
          apollo: ['@apollo/client'],
        },
      },
    },
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000', '/console': 'http://127.0.0.1:4000' } },
});
