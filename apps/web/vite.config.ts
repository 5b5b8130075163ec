/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import AutoImport from 'unplugin-auto-import/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Element Plus on demand: only the components a screen uses end up in its chunk. Its CSS is
// left out under vitest, whose Node loader cannot import .css files.
const elementPlus = ElementPlusResolver({ importStyle: process.env.VITEST ? false : 'css' });

export default defineConfig({
  // Several dev servers side by side each keep their own pre-bundled dependencies.
  cacheDir: process.env.VITE_CACHE_DIR ?? 'node_modules/.vite',
  plugins: [
    vue(),
    AutoImport({ resolvers: [elementPlus], dts: 'src/auto-imports.d.ts' }),
    Components({ resolvers: [elementPlus], dts: 'src/components.d.ts', dirs: [] }),
  ],
  resolve: {
    alias: {
      '@': at('./src'),
      // The domain's pure rules (credit code, phone, the problem state machine): one source for
      // the API and the browser.
      '@keydesk/rules': at('../../libs/domain/src/rules/index.ts'),
      '@keydesk/common': at('../../libs/common/src/index.ts'),
      // The schema's codes and their Chinese names, without TypeORM.
      '@keydesk/database': at('../../libs/database/src/codes.ts'),
    },
  },
  build: {
    // Served by the API from dist/web at the repository's root.
    outDir: at('../../dist/web'),
    emptyOutDir: true,
    // The build prints each chunk's size; the login and ledger routes stay within 350 kB gzip.
    chunkSizeWarningLimit: 600,
    // Read by scripts/bundle-size.mjs, which sums what each route's first visit downloads.
    manifest: true,
  },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    proxy: { '/api': process.env.KEYDESK_API_ORIGIN ?? 'http://127.0.0.1:3000' },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
  },
});
