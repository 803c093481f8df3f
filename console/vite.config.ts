import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by the API under /console (server/app/console.route.ts); every asset comes
// from npm packages and is bundled, so it works offline. `vite build console` from the repository.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      // `npx vite console` for development, against `npm start` on :4000.
      '/graphql': { target: 'http://127.0.0.1:4000', ws: true },
      '/exports': 'http://127.0.0.1:4000',
      '/transfer-forms': 'http://127.0.0.1:4000',
      '/console/config.json': 'http://127.0.0.1:4000',
    },
  },
});
