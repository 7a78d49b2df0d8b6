import { defineConfig } from 'vitest/config'

// Three projects: unit (pure, fast), integration (real SoftHSM2 token, virtual PIV card behind pcscd,
// local PKI/OCSP/TSA on 127.0.0.1, Debian's interop oracles) and e2e (built renderer in Debian's
// Chromium through Playwright, backed by the real IPC handlers).
export default defineConfig({
  test: {
    reporters: ['default', './tools/summary-reporter.mts'],
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['./test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One shared virtual card and pcscd: files run one after another.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['./test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
