// SPDX-License-Identifier: Apache-2.0
// harness.mjs - what the client runs share: the emulator process (started on
// a free port, stopped with SIGTERM, exit status checked), its control API,
// the network redirection that sends the libraries' https://api.spotify.com
// and https://accounts.spotify.com requests to it, and the ledger of every
// method called, refused or skipped, printed at the end.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Catalog and seed ids the emulator guarantees (docs/emulator.md).
export const ID = {
  album: '7ycBtnsMtyVbbwTfJwRjSP', // To Pimp A Butterfly
  album2: '4EcfbzCtbJDk2wMwhT4D1h', // Sky Void of Stars
  artist: '2YZyLoL8N0Wb9xBt1NhZWg', // Kendrick Lamar
  artist2: '2CWWgbxApjbyByxBBCvGTm', // Katatonia
  track: '7Ks4VCY1wFebnOdJrM13t6', // Wesley's Theory
  track2: '0N3W5peJUQtI4eyR6GJT5O', // King Kunta
  show: '5CfCWKI5pZ28U0uOzXkDHe',
  episode: '512ojhOuo1ktJprKbVcKyQ',
  audiobook: '7iHfbu1YPACw6oZPAFJtqe',
  chapter: '0D5wENdkdwbqlrHoaJ9g29',
  user: 'demo-user',
  otherUser: 'demo-public-user',
  category: 'toplists',
};
// Every scope the Web API knows: the user token may do everything.
export const SCOPES = [
  'ugc-image-upload', 'user-read-playback-state', 'user-modify-playback-state',
  'user-read-currently-playing', 'playlist-read-private', 'playlist-read-collaborative',
  'playlist-modify-private', 'playlist-modify-public', 'user-follow-modify', 'user-follow-read',
  'user-read-playback-position', 'user-top-read', 'user-read-recently-played',
  'user-library-modify', 'user-library-read', 'user-read-email', 'user-read-private',
];
// A tiny base64 JPEG (the emulator checks the /9j/ start).
export const JPEG_B64 = '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2Q==';

export class Emulator {
  static async start(binary, args = []) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-clients-'));
    const ready = path.join(dir, 'ready');
    const proc = spawn(binary, ['--port', '0', '--ready-file', ready, ...args],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    const deadline = Date.now() + 20000;
    while (!fs.existsSync(ready)) {
      if (Date.now() > deadline || proc.exitCode !== null)
        throw new Error('the emulator did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    const emu = new Emulator();
    emu.proc = proc;
    emu.dir = dir;
    emu.base = fs.readFileSync(ready, 'utf8').trim();
    return emu;
  }

  async stop() {
    const exited = new Promise((resolve) => this.proc.on('exit', (code, signal) =>
      resolve(signal ? 128 : code)));
    this.proc.kill('SIGTERM');
    const status = await exited;
    fs.rmSync(this.dir, { recursive: true, force: true });
    return status;
  }

  async control(method, p, body) {
    const r = await fetchOriginal(this.base + p, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${method} ${p}: ${r.status} ${text}`);
    return JSON.parse(text);
  }

  async reset() {
    await this.control('POST', '/__emulator/reset');
  }

  // A token of demo-client's user holding every scope.
  async userToken() {
    const t = await this.control('POST', '/__emulator/tokens',
      { client_id: 'demo-client', user: true, scope: SCOPES.join(' ') });
    return t;
  }
}

// The libraries call Spotify's hosts; the emulator answers for both.
const fetchOriginal = globalThis.fetch;
export function redirectFetch(base) {
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const to = url.replace(/^https:\/\/(api|accounts)\.spotify\.com/, base);
    return fetchOriginal(to, init);
  };
}

// What each call came to: "ok", "refused" (Spotify refuses it too, and the
// emulator answered as Spotify does), "skipped" (with the reason) or
// "failed".
export class Ledger {
  constructor(library) {
    this.library = library;
    this.entries = [];
  }

  note(method, outcome, detail = '') {
    this.entries.push({ method, outcome, detail });
    if (outcome === 'failed') console.log(`FAIL ${this.library} ${method}: ${detail}`);
  }

  // Calls fn(); the result must pass `shape` (a predicate).
  async call(method, fn, shape) {
    try {
      const result = await fn();
      const verdict = shape(result);
      if (verdict) this.note(method, 'ok');
      else this.note(method, 'failed', `unexpected shape: ${JSON.stringify(result)?.slice(0, 300)}`);
      return result;
    } catch (e) {
      this.note(method, 'failed', e.stack || String(e));
      return undefined;
    }
  }

  // fn() must fail with HTTP `status` and Spotify's `message` (read by
  // errorOf from the library's error).
  async refused(method, fn, status, message, errorOf, why) {
    try {
      await fn();
      this.note(method, 'failed', `succeeded, but Spotify refuses it (${why})`);
    } catch (e) {
      const got = errorOf(e);
      if (got.status === status && got.message === message)
        this.note(method, 'refused', `${status} "${message}": ${why}`);
      else
        this.note(method, 'failed', `expected ${status} "${message}", got ${JSON.stringify(got)}`);
    }
  }

  skip(method, why) {
    this.note(method, 'skipped', why);
  }

  report() {
    const count = (o) => this.entries.filter((e) => e.outcome === o).length;
    const methods = new Set(this.entries.map((e) => e.method.replace(/ \(.*\)$/, '')));
    console.log(`# ${this.library}: ${methods.size} methods, ${count('ok')} calls answered as ` +
      `the library expects, ${count('refused')} refused as Spotify refuses them, ` +
      `${count('skipped')} skipped, ${count('failed')} failed`);
    for (const e of this.entries.filter((x) => x.outcome === 'refused'))
      console.log(`#   refused ${e.method}: ${e.detail}`);
    for (const e of this.entries.filter((x) => x.outcome === 'skipped'))
      console.log(`#   skipped ${e.method}: ${e.detail}`);
    return count('failed');
  }
}

// Shape checks: what the libraries' types promise.
const str = (v) => typeof v === 'string' && v.length > 0;
const num = (v) => typeof v === 'number' && Number.isFinite(v);
export const is = {
  page: (p, item = () => true) => p && str(p.href) && Array.isArray(p.items) && num(p.limit) &&
    num(p.offset) && num(p.total) && (p.next === null || str(p.next)) &&
    (p.previous === null || str(p.previous)) && p.items.every(item),
  cursorPage: (p, item = () => true) => p && str(p.href) && Array.isArray(p.items) &&
    num(p.limit) && p.cursors && typeof p.cursors === 'object' && p.items.every(item),
  object: (o, type) => o && o.type === type && str(o.id) && str(o.uri) && str(o.href) &&
    o.external_urls && str(o.external_urls.spotify),
  album: (a) => is.object(a, 'album') && str(a.name) && Array.isArray(a.artists) &&
    Array.isArray(a.images) && str(a.release_date) && num(a.total_tracks),
  fullAlbum: (a) => is.album(a) && is.page(a.tracks, is.simpleTrack) && num(a.popularity),
  artist: (a) => is.object(a, 'artist') && str(a.name),
  fullArtist: (a) => is.artist(a) && Array.isArray(a.genres) && num(a.popularity) &&
    a.followers && num(a.followers.total),
  simpleTrack: (t) => is.object(t, 'track') && str(t.name) && num(t.duration_ms) &&
    Array.isArray(t.artists),
  track: (t) => is.simpleTrack(t) && is.album(t.album) && num(t.popularity) && !!t.external_ids,
  show: (s) => is.object(s, 'show') && str(s.name) && str(s.publisher),
  episode: (e) => is.object(e, 'episode') && str(e.name) && num(e.duration_ms),
  audiobook: (a) => is.object(a, 'audiobook') && str(a.name) && Array.isArray(a.authors),
  chapter: (c) => c && str(c.id) && str(c.name) && num(c.duration_ms),
  playlist: (p) => is.object(p, 'playlist') && str(p.name) && p.owner && str(p.owner.id) &&
    str(p.snapshot_id),
  user: (u) => is.object(u, 'user'),
  image: (i) => i && str(i.url),
  device: (d) => d && str(d.id) && typeof d.is_active === 'boolean' && str(d.name),
  bools: (a, n) => Array.isArray(a) && a.length === n && a.every((b) => typeof b === 'boolean'),
  snapshot: (r) => r && str(r.snapshot_id),
  features: (f) => f && f.type === 'audio_features' && str(f.id) && num(f.tempo),
  category: (c) => c && str(c.id) && str(c.name) && Array.isArray(c.icons),
};
