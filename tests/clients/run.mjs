// SPDX-License-Identifier: Apache-2.0
// run.mjs - real clients as judges: the official TypeScript SDK and
// spotify-web-api-node run every method they offer against a fresh
// spotify-emulator; each call must answer with the shape the library
// expects, or, where Spotify itself refuses what the library sends, with
// Spotify's refusal. Methods that cannot be served are listed with the
// reason. Exit status 0 when nothing failed, 77 (skipped) when node_modules
// is missing (scripts/bootstrap.sh installs it).
//
//   node tests/clients/run.mjs path/to/spotify-emulator
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const binary = process.argv[2];
if (!binary) {
  console.error('usage: run.mjs SPOTIFY_EMULATOR');
  process.exit(2);
}
for (const dep of ['@spotify/web-api-ts-sdk', 'spotify-web-api-node']) {
  if (!fs.existsSync(path.join(here, 'node_modules', dep, 'package.json'))) {
    console.log(`# ${dep} is not installed (scripts/bootstrap.sh, or: cd tests/clients && npm ci)`);
    process.exit(77);
  }
}

const { Emulator, redirectFetch } = await import('./harness.mjs');
const { runTsSdk } = await import('./ts_sdk.mjs');
const { runWebApiNode } = await import('./web_api_node.mjs');

const started = Date.now();
const emu = await Emulator.start(binary, ['--auto-approve']);
let failures = 0;
try {
  redirectFetch(emu.base);
  failures += await runTsSdk(emu);
  failures += await runWebApiNode(emu);
} catch (e) {
  console.log(`FAIL ${e.stack || e}`);
  failures++;
} finally {
  const status = await emu.stop();
  if (status !== 0) {
    console.log(`FAIL the emulator exited with status ${status}`);
    failures++;
  }
}
console.log(`# ${failures} failures, ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failures === 0 ? 0 : 1);
