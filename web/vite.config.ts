import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// One page per role; every asset is served by leadtime-server itself (no CDN,
// no external font), so the room works without internet. Hashed file names
// under assets/ may be cached for good; the HTML pages may not.
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The pages load no inline script or style (the server's CSP allows only
    // its own files); Vite's module-preload polyfill would be inline.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
    rollupOptions: {
      input: {
        index: resolve(here, 'index.html'),
        seat: resolve(here, 'seat.html'),
        board: resolve(here, 'board.html'),
        console: resolve(here, 'console.html'),
      },
    },
  },
});
