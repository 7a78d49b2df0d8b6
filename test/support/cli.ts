// Manual use of the test environment:
//   npx tsx test/support/cli.ts up [DIR]   start everything, print the JSON path and the exports,
//                                          run until Ctrl-C / SIGTERM, then stop everything.
// In another shell: export PARAPHE_TEST_ENV=<printed path>; then vitest reuses this environment,
// and pkcs11-tool / openssl work with the printed variables.
import { startTestEnvironment } from './index';

async function main() {
  const [cmd, dir] = process.argv.slice(2);
  if (cmd !== 'up') {
    console.error('usage: npx tsx test/support/cli.ts up [DIR]');
    process.exit(2);
  }
  const env = await startTestEnvironment({ dir });
  const path = env.writeDescription();
  const d = env.description;
  console.log(`test environment ready in ${d.timings.total} ms: ${env.dir}`);
  console.log(`export PARAPHE_TEST_ENV=${path}`);
  for (const [k, v] of Object.entries(d.env)) console.log(`export ${k}=${v}`);
  console.log(`# services ${d.services.baseUrl}  OCSP ${d.services.ocspUrl}  TSA ${d.services.tsaUrl}  CRL ${d.services.crlUrl}`);
  console.log(`# SoftHSM "${d.softhsm.label}" PIN ${d.softhsm.pin} (SO ${d.softhsm.soPin}), module ${d.softhsm.modulePath}`);
  if (d.vcard) console.log(`# card in "${d.vcard.readerName}" PIN ${d.vcard.pin} PUK ${d.vcard.puk}, module ${d.vcard.modulePath}, card pid ${d.vcard.cardPid} (kill -USR1 = remove, -USR2 = insert)`);
  console.log('# Ctrl-C to stop');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await env.stop();
    console.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
