import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In `vite dev` the API runs separately (`npm run dev` at the root, port 4000); the app always calls its own
// origin, so the dev server forwards the API paths there. In production the server serves dist/ itself.
const API = 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    proxy: { '/graphql': API, '/healthz': API, '/auth/oidc': API },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});
