import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web console, served by the Lotline server at /console/ (src/http/web.ts). `npm run build:web`
 * writes web/dist; `npm run dev:web` serves it with hot reload and proxies the API to localhost:3000.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The initial chunk must stay small (issue 6: < 500 kB gzipped): pages are lazy routes, and the
    // heavy libraries get chunks of their own that only the pages using them load.
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/@zxing')) return 'zxing';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/epcis': 'http://localhost:3000', '/ack': 'http://localhost:3000' } },
});
