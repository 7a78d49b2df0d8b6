import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { relaxCspInDev } from './build-tools/csp-dev'

export default defineConfig({
  main: {
    // Two entries: the Electron main process and the plain-Node CLI (bin/paraphe.js loads it).
    // Runtime `dependencies` stay external (native modules such as pkcs11js cannot be bundled).
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // sandbox: true => the preload cannot require() node_modules: one self-contained bundle.
      externalizeDeps: false,
    },
  },
  renderer: {
    plugins: [react(), relaxCspInDev()],
  },
})
