// SPDX-License-Identifier: Apache-2.0
// web_api_node.mjs - spotify-web-api-node (the most used JavaScript client)
// against the emulator: its server methods (authorization URL, the
// authorization code grant through the emulator's auto-approving
// /authorize, refresh, client credentials) and every Web API method, the
// catalog ones with a client-credentials token and a user token, the user
// ones with the user token. Each answer's body must have the shape the
// library's callers rely on (the Web API's objects).
import { createRequire } from 'node:module';

import { ID, JPEG_B64, Ledger, SCOPES, is } from './harness.mjs';

const require = createRequire(import.meta.url);
const SpotifyWebApi = require('spotify-web-api-node');
const WebApiRequest = require('spotify-web-api-node/src/webapi-request.js');
const AuthenticationRequest = require('spotify-web-api-node/src/authentication-request.js');

// The library has Spotify's hosts built in; its request builders are where
// they are set: point both at the emulator (plain HTTP on loopback).
function redirectBuilders(base) {
  const url = new URL(base);
  for (const mod of [WebApiRequest, AuthenticationRequest]) {
    const original = mod.builder;
    mod.builder = (...args) => original(...args).withHost(url.hostname)
      .withPort(Number(url.port)).withScheme('http');
  }
}

function errorOf(e) {
  const body = e && e.body;
  return { status: e && e.statusCode, message: body && body.error && body.error.message };
}

const ok = (shape) => (r) => r && r.statusCode >= 200 && r.statusCode < 300 && shape(r.body);
const empty = (r) => r && r.statusCode >= 200 && r.statusCode < 300;

async function catalog(api, L, auth) {
  const c = (name, fn, shape) => L.call(`${name} (${auth})`, fn, ok(shape));
  await c('getTrack', () => api.getTrack(ID.track, { market: 'SE' }),
    (t) => is.track(t) && t.is_playable === true);
  await c('getTracks', () => api.getTracks([ID.track, ID.track2]),
    (b) => b.tracks.length === 2 && b.tracks.every(is.track));
  await c('getAlbum', () => api.getAlbum(ID.album), is.fullAlbum);
  await c('getAlbums', () => api.getAlbums([ID.album, ID.album2], { market: 'SE' }),
    (b) => b.albums.length === 2 && b.albums.every(is.fullAlbum));
  await c('getArtist', () => api.getArtist(ID.artist), is.fullArtist);
  await c('getArtists', () => api.getArtists([ID.artist, ID.artist2]),
    (b) => b.artists.length === 2 && b.artists.every(is.fullArtist));
  await c('search', () => api.search('kendrick', ['album', 'artist', 'track'], { limit: 5 }),
    (b) => is.page(b.albums, is.album) && is.page(b.artists, is.fullArtist) &&
      b.tracks.total === 16);
  await c('searchAlbums', () => api.searchAlbums('artist:katatonia'),
    (b) => is.page(b.albums, is.album) && b.albums.items[0].id === ID.album2);
  await c('searchArtists', () => api.searchArtists('kendrick lamar'),
    (b) => b.artists.items[0].id === ID.artist);
  await c('searchTracks', () => api.searchTracks('track:kunta artist:kendrick'),
    (b) => b.tracks.total === 1 && b.tracks.items[0].id === ID.track2);
  await c('searchPlaylists', () => api.searchPlaylists('road trip'),
    (b) => is.page(b.playlists, is.playlist) && b.playlists.total === 2);
  await c('searchShows', () => api.searchShows('a', { limit: 3 }), (b) => is.page(b.shows, is.show));
  await c('searchEpisodes', () => api.searchEpisodes('a', { limit: 3 }),
    (b) => is.page(b.episodes, is.episode));
  await c('getArtistAlbums', () => api.getArtistAlbums(ID.artist, { limit: 10 }),
    (b) => is.page(b, is.album) && b.items.length > 0);
  await c('getAlbumTracks', () => api.getAlbumTracks(ID.album, { limit: 50 }),
    (b) => is.page(b, is.simpleTrack) && b.total === 16);
  await c('getArtistTopTracks', () => api.getArtistTopTracks(ID.artist, 'SE'),
    (b) => b.tracks.length > 0 && b.tracks.every(is.track));
  await c('getArtistRelatedArtists', () => api.getArtistRelatedArtists(ID.artist),
    (b) => b.artists.length > 0 && b.artists.every(is.fullArtist));
  await c('getUser', () => api.getUser(ID.user), (u) => is.user(u) && u.id === ID.user);
  await c('getUserPlaylists', () => api.getUserPlaylists(ID.user, { limit: 10 }),
    (b) => is.page(b, is.playlist) && b.items.length > 0);
  await c('getAudioFeaturesForTrack', () => api.getAudioFeaturesForTrack(ID.track), is.features);
  await c('getAudioAnalysisForTrack', () => api.getAudioAnalysisForTrack(ID.track),
    (b) => b.track && Array.isArray(b.sections));
  await c('getAudioFeaturesForTracks', () => api.getAudioFeaturesForTracks([ID.track, ID.track2]),
    (b) => b.audio_features.length === 2 && b.audio_features.every(is.features));
  await c('getRecommendations',
    () => api.getRecommendations({ seed_artists: [ID.artist], seed_tracks: [ID.track], limit: 7 }),
    (b) => b.seeds.length === 2 && b.tracks.length === 7);
  await c('getAvailableGenreSeeds', () => api.getAvailableGenreSeeds(),
    (b) => Array.isArray(b.genres) && b.genres.includes('hip-hop'));
  await c('getNewReleases', () => api.getNewReleases({ limit: 5, country: 'SE' }),
    (b) => is.page(b.albums, is.album));
  await c('getFeaturedPlaylists', () => api.getFeaturedPlaylists({ limit: 3 }),
    (b) => is.page(b.playlists));
  await c('getCategories', () => api.getCategories({ limit: 5, locale: 'sv_SE' }),
    (b) => is.page(b.categories, is.category));
  await c('getCategory', () => api.getCategory(ID.category, { country: 'SE' }), is.category);
  await c('getPlaylistsForCategory', () => api.getPlaylistsForCategory(ID.category, { limit: 3 }),
    (b) => is.page(b.playlists));
  await c('getShow', () => api.getShow(ID.show, { market: 'SE' }), is.show);
  await c('getShows', () => api.getShows([ID.show], { market: 'SE' }),
    (b) => b.shows.length === 1 && is.show(b.shows[0]));
  await c('getShowEpisodes', () => api.getShowEpisodes(ID.show, { limit: 2, offset: 1 }),
    (b) => is.page(b, is.episode) && b.items.length === 2);
  await c('getEpisode', () => api.getEpisode(ID.episode, { market: 'SE' }), is.episode);
  await c('getEpisodes', () => api.getEpisodes([ID.episode], { market: 'SE' }),
    (b) => b.episodes.length === 1 && is.episode(b.episodes[0]));
}

async function user(api, L, emu) {
  const c = (name, fn, shape) => L.call(name, fn, ok(shape));
  const e = (name, fn) => L.call(name, fn, empty);
  const bare = 'the library sends a bare JSON array of ids, which Spotify refuses since 2024';
  const refused = (name, fn) => L.refused(name, fn, 400, 'Missing required field: ids', errorOf, bare);
  await c('getMe', () => api.getMe(), (u) => is.user(u) && u.product === 'premium');
  const mine = await c('getUserPlaylists (mine)', () => api.getUserPlaylists({ limit: 50 }),
    (b) => is.page(b, is.playlist) && b.items.length >= 3);
  const created = await c('createPlaylist',
    () => api.createPlaylist('web-api-node', { description: 'made by spotify-web-api-node', public: false }),
    (p) => is.playlist(p) && p.public === false);
  const pl = created?.body?.id;
  await c('addTracksToPlaylist',
    () => api.addTracksToPlaylist(pl, [`spotify:track:${ID.track}`, `spotify:track:${ID.track2}`,
      `spotify:track:${ID.track}`], { position: 0 }), is.snapshot);
  await c('getPlaylist', () => api.getPlaylist(pl, { market: 'SE', fields: 'name,tracks' }),
    (p) => is.playlist(p) && p.tracks.total === 3);
  await c('getPlaylistTracks', () => api.getPlaylistTracks(pl, { limit: 100, offset: 0 }),
    (b) => is.page(b) && b.total === 3 && b.items.every((i) => is.track(i.track)));
  await e('changePlaylistDetails', () => api.changePlaylistDetails(pl, { name: 'renamed' }));
  await c('reorderTracksInPlaylist',
    () => api.reorderTracksInPlaylist(pl, 0, 3, { range_length: 1 }), is.snapshot);
  await c('removeTracksFromPlaylist',
    () => api.removeTracksFromPlaylist(pl, [{ uri: `spotify:track:${ID.track}` }]), is.snapshot);
  await c('replaceTracksInPlaylist',
    () => api.replaceTracksInPlaylist(pl, [`spotify:track:${ID.track}`]), is.snapshot);
  await e('uploadCustomPlaylistCoverImage', () => api.uploadCustomPlaylistCoverImage(pl, JPEG_B64));
  L.skip('removeTracksFromPlaylistByPosition',
    'removal by position alone ({positions, snapshot_id}) is no longer in the Web API: the ' +
    'specification\'s body names tracks; the emulator answers 400 "Missing required field: items"');
  const other = (mine?.body?.items ?? []).find((p) => p.owner.id === ID.user)?.id;
  await e('unfollowPlaylist', () => api.unfollowPlaylist(other));
  await e('followPlaylist', () => api.followPlaylist(other, { public: true }));
  L.skip('areFollowingPlaylist',
    'it calls /v1/users/{user_id}/playlists/{playlist_id}/followers/contains, a path Spotify ' +
    'retired (the specification has /v1/playlists/{playlist_id}/followers/contains, which the ' +
    'TypeScript SDK\'s isFollowing covers)');

  await c('getMySavedTracks', () => api.getMySavedTracks({ limit: 50, offset: 50 }),
    (b) => is.page(b) && b.total === 137 && b.items.every((i) => is.track(i.track)));
  await e('removeFromMySavedTracks', () => api.removeFromMySavedTracks([ID.track]));
  await c('containsMySavedTracks', () => api.containsMySavedTracks([ID.track]),
    (b) => is.bools(b, 1) && b[0] === false);
  await e('addToMySavedTracks', () => api.addToMySavedTracks([ID.track]));
  await c('getMySavedAlbums', () => api.getMySavedAlbums({ limit: 5 }),
    (b) => is.page(b, (i) => is.fullAlbum(i.album)));
  await refused('addToMySavedAlbums', () => api.addToMySavedAlbums([ID.album2]));
  await refused('removeFromMySavedAlbums', () => api.removeFromMySavedAlbums([ID.album2]));
  await c('containsMySavedAlbums', () => api.containsMySavedAlbums([ID.album, ID.album2]),
    (b) => is.bools(b, 2));
  await c('getMySavedShows', () => api.getMySavedShows({ limit: 5 }),
    (b) => is.page(b, (i) => is.show(i.show)));
  await refused('addToMySavedShows', () => api.addToMySavedShows([ID.show]));
  await refused('removeFromMySavedShows', () => api.removeFromMySavedShows([ID.show]));
  await c('containsMySavedShows', () => api.containsMySavedShows([ID.show]), (b) => is.bools(b, 1));
  await c('getMyTopArtists', () => api.getMyTopArtists({ time_range: 'short_term', limit: 5 }),
    (b) => is.page(b, is.fullArtist));
  await c('getMyTopTracks', () => api.getMyTopTracks({ limit: 5 }), (b) => is.page(b, is.track));
  await c('getFollowedArtists', () => api.getFollowedArtists({ limit: 5 }),
    (b) => is.cursorPage(b.artists, is.fullArtist));
  await e('unfollowArtists', () => api.unfollowArtists([ID.artist]));
  await c('isFollowingArtists', () => api.isFollowingArtists([ID.artist, ID.artist2]),
    (b) => is.bools(b, 2) && b[0] === false);
  await e('followArtists', () => api.followArtists([ID.artist]));
  await e('followUsers', () => api.followUsers([ID.otherUser]));
  await c('isFollowingUsers', () => api.isFollowingUsers([ID.otherUser]),
    (b) => is.bools(b, 1) && b[0] === true);
  await e('unfollowUsers', () => api.unfollowUsers([ID.otherUser]));

  const devices = await c('getMyDevices', () => api.getMyDevices(),
    (b) => b.devices.length === 2 && b.devices.every(is.device));
  const device = devices?.body?.devices?.[1]?.id;
  await e('transferMyPlayback', () => api.transferMyPlayback([device], { play: false }));
  await e('play', () => api.play({ device_id: device, uris: [`spotify:track:${ID.track}`,
    `spotify:track:${ID.track2}`], position_ms: 0 }));
  await c('getMyCurrentPlaybackState', () => api.getMyCurrentPlaybackState({ market: 'SE' }),
    (b) => b.is_playing === true && b.device.id === device && b.item.id === ID.track);
  await c('getMyCurrentPlayingTrack', () => api.getMyCurrentPlayingTrack(),
    (b) => is.track(b.item));
  await e('addToQueue', () => api.addToQueue(`spotify:track:${ID.track2}`, { device_id: device }));
  await e('skipToNext', () => api.skipToNext({ device_id: device }));
  await e('skipToPrevious', () => api.skipToPrevious());
  await e('seek', () => api.seek(2000, { device_id: device }));
  await e('setRepeat', () => api.setRepeat('track'));
  await e('setShuffle', () => api.setShuffle(true));
  await e('setVolume', () => api.setVolume(30, { device_id: device }));
  await e('pause', () => api.pause({ device_id: device }));
  await c('getMyRecentlyPlayedTracks', () => api.getMyRecentlyPlayedTracks({ limit: 10 }),
    (b) => is.cursorPage(b, (i) => is.track(i.track)) && b.items.length >= 2);
  await emu.reset();
}

// The server methods: the authorization URL, the code grant (through the
// emulator's auto-approving /authorize), refresh, client credentials. The
// API object comes back holding the user's tokens.
async function auth(L, emu) {
  const api = new SpotifyWebApi({ clientId: 'demo-client', clientSecret: 'demo-secret',
    redirectUri: 'http://127.0.0.1:8888/callback' });
  const url = await L.call('createAuthorizeURL',
    () => api.createAuthorizeURL(SCOPES, 'state-42', false),
    (u) => typeof u === 'string' && u.startsWith(`${emu.base}/authorize?`));
  let code = 'none';
  const granted = await L.call('authorizationCodeGrant', async () => {
    const r = await fetch(url, { redirect: 'manual' }); // --auto-approve: 302 back with a code
    const location = new URL(r.headers.get('location'));
    if (location.searchParams.get('state') !== 'state-42') throw new Error(`state lost: ${location}`);
    code = location.searchParams.get('code');
    return api.authorizationCodeGrant(code);
  }, ok((b) => typeof b.access_token === 'string' && typeof b.refresh_token === 'string' &&
    b.token_type === 'Bearer' && b.scope.split(' ').length === SCOPES.length));
  await L.refused('authorizationCodeGrant (a used code)', () => api.authorizationCodeGrant(code),
    400, 'invalid_grant', (e) => ({ status: e.statusCode, message: e.body && e.body.error }),
    'a code is single use');
  api.setAccessToken(granted?.body?.access_token);
  api.setRefreshToken(granted?.body?.refresh_token);
  const before = api.getAccessToken();
  const refreshed = await L.call('refreshAccessToken', () => api.refreshAccessToken(),
    ok((b) => typeof b.access_token === 'string' && b.access_token !== before));
  api.setAccessToken(refreshed?.body?.access_token);
  return api;
}

export async function runWebApiNode(emu) {
  redirectBuilders(emu.base);
  const L = new Ledger('spotify-web-api-node');
  const app = new SpotifyWebApi({ clientId: 'demo-client', clientSecret: 'demo-secret' });
  const cc = await L.call('clientCredentialsGrant', () => app.clientCredentialsGrant(),
    ok((b) => typeof b.access_token === 'string' && b.expires_in > 0));
  app.setAccessToken(cc?.body?.access_token);
  await catalog(app, L, 'client credentials');
  const api = await auth(L, emu);
  await catalog(api, L, 'user token');
  await user(api, L, emu);
  return L.report();
}
