import type { LaunchOptions } from 'playwright-core'

/** Debian's chromium (apt-get install chromium): Playwright never downloads a browser of its own. */
export const CHROMIUM_LAUNCH: LaunchOptions = {
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  headless: true, // Playwright adds --headless and a fresh temporary --user-data-dir per launch()
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}
