import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app lives in web/; the server serves the build from dist/web (see docs/web.md).
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // ECharts (~520 kB, tree-shaken) is loaded lazily in its own chunk, after the figures are on screen.
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npx vite` for development: the API runs in `imos serve` on port 3000.
    proxy: { '/api': 'http://127.0.0.1:3000', '/ready': 'http://127.0.0.1:3000' },
  },
});
